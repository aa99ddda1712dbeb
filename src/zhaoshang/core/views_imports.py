"""The shared import pages: upload a file of any registered kind, see its dry run, commit it, get a template.

Every kind registered with `core.imports.register` works here without more code.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zhaoshang.core import imports
from zhaoshang.core.forms import ImportForm
from zhaoshang.core.http import Request
from zhaoshang.core.models import ImportBatch
from zhaoshang.core.roles import Action
from zhaoshang.core.sheets import preflight
from zhaoshang.core.views_helpers import requires
from zhaoshang.core.xlsx import download


@requires(Action.EDIT_BUSINESS)
def import_start(request: Request) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > imports.MAX_UPLOAD_BYTES:
            form.add_error(
                "file", f"文件太大，单个文件不能超过 {imports.MAX_UPLOAD_BYTES // 1024 // 1024} MB"
            )
        else:
            data = upload.read()
            try:  # a file no reader could safely open is refused here, before it is stored
                preflight.check(data, upload.name)
            except imports.FileProblem as exc:
                form.add_error("file", str(exc))
            else:
                batch = imports.batch_create(
                    kind=form.cleaned_data["kind"], filename=upload.name, data=data, user=request.user
                )
                imports.batch_start(batch, commit_it=False)
                return redirect("import-detail", pk=batch.pk)
    recent = ImportBatch.objects.filter(created_by=request.user).defer("content")[:10]
    return render(
        request,
        "core/import.html",
        {"form": form, "recent": recent, "kinds": imports.REGISTRY.values()},
    )


def _own_batch(request: Request, pk: int) -> ImportBatch:
    batch = ImportBatch.objects.filter(pk=pk).defer("content").select_related("job").first()
    if batch is None or (batch.created_by_id != request.user.pk and not request.principal.sees_everything):
        raise Http404
    return batch


def import_detail(request: Request, pk: int) -> HttpResponse:
    batch = _own_batch(request, pk)
    return render(request, "core/import_detail.html", {"batch": batch, "report": batch.report or {}})


@require_POST
@requires(Action.EDIT_BUSINESS)
def import_commit(request: Request, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch, pk=_own_batch(request, pk).pk)
    if batch.status != ImportBatch.Status.READY:
        messages.error(request, "只有检查通过、尚未导入的文件才能导入。")
        return redirect("import-detail", pk=pk)
    batch = imports.batch_start(batch, commit_it=True)
    if batch.status == ImportBatch.Status.IMPORTED:
        report = batch.report or {}
        messages.success(
            request,
            f"导入完成：新增 {report.get('new', 0)} 行，修改 {report.get('changed', 0)} 行，"
            f"未变 {report.get('unchanged', 0)} 行。",
        )
    return redirect("import-detail", pk=pk)


@requires(Action.EDIT_BUSINESS)
def import_template(request: Request, kind: str) -> HttpResponse:
    try:
        importer = imports.importer_for(kind)
    except imports.FileProblem:
        raise Http404 from None
    return download(imports.template(kind, request.principal), f"{importer.label}模板.xlsx")
