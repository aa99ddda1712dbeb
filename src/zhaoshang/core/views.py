from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhaoshang.core import audit, audit_display, context, jobs, notifications, selectors
from zhaoshang.core.forms import AuditFilterForm
from zhaoshang.core.models import AuditEvent, Job
from zhaoshang.core.roles import Action
from zhaoshang.core.views_helpers import paginate, query_without_page, requires
from zhaoshang.core.xlsx import xlsx_response

EXPORT_LIMIT = 100_000


@requires(Action.VIEW_AUDIT)
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.audit_events(filters)
    if request.GET.get("format") == "xlsx":
        return _audit_export(events)
    context = {
        "form": form,
        "page": paginate(request, events),
        "query": query_without_page(request),
        "target_types": selectors.audit_target_types(),
        "last_check": selectors.jobs_of(request.user.pk).filter(kind="audit.verify").first(),
    }
    return render(request, "core/audit_log.html", context)


def _audit_export(events: object) -> HttpResponse:
    def rows() -> Iterator[tuple[object, ...]]:
        # In chunks, so related records are named with one query per model per chunk.
        stream = events[:EXPORT_LIMIT].iterator(chunk_size=2000)  # type: ignore[index]
        while chunk := list(islice(stream, 2000)):
            for e, changes in audit_display.describe(chunk):
                yield (
                    e.seq,
                    timezone.localtime(e.at),
                    e.actor_repr or "系统",
                    audit_display.role_label(e.actor_role),
                    e.ip,
                    e.get_action_display(),
                    audit_display.record_kind(e.target_type),
                    e.target_id,
                    e.target_repr,
                    "；".join(f"{label}：{old} → {new}" for label, old, new in changes),
                    e.reason,
                    e.hash,
                )

    headers = [
        "序号",
        "时间",
        "操作人",
        "角色",
        "地址",
        "操作",
        "记录类型",
        "记录编号",
        "记录",
        "变更内容",
        "原因",
        "哈希",
    ]
    audit.record(AuditEvent.Action.EXPORT, target_type="core.auditevent", target_repr="审计日志")
    return xlsx_response("审计日志.xlsx", "审计日志", headers, rows())


@require_POST
@requires(Action.VIEW_AUDIT)
def audit_verify(request: HttpRequest) -> HttpResponse:
    # A fresh key per request: each press checks the chain as it stands now.
    job = jobs.enqueue(
        "audit.verify", key=f"audit.verify:{request.user.pk}:{context.new_request_id()}", user=request.user
    )
    return redirect("job-detail", pk=job.pk)


def _own_job(request: HttpRequest, pk: int) -> Job:
    job = Job.objects.select_related("created_by").filter(pk=pk).first()
    if job is None:
        raise Http404
    if job.created_by_id != request.user.pk and not request.principal.sees_everything:  # type: ignore[attr-defined]
        raise Http404
    return job


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "core/job_detail.html", {"job": _own_job(request, pk)})


def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The fragment the job page polls; answers 286 once finished so htmx stops polling."""
    job = _own_job(request, pk)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": job.status,
                "done": job.progress_done,
                "total": job.progress_total,
                "percent": job.percent,
            }
        )
    then_reload = request.GET.get("then") == "reload"
    response = render(request, "core/_job_progress.html", {"job": job, "then_reload": then_reload})
    if job.finished:
        response.status_code = 286
        if then_reload:
            response["HX-Refresh"] = "true"  # the page around the bar shows the job's outcome
    return response


def inbox(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.inbox(request.user.pk))
    return render(request, "core/inbox.html", {"page": page})


@require_POST
def inbox_mark_read(request: HttpRequest) -> HttpResponse:
    # No "id" at all means "all"; ids that are not plausible numbers select nothing, never everything.
    raw = request.POST.getlist("id")
    ids = [int(i) for i in raw if i.isascii() and i.isdecimal() and len(i) <= 18] if raw else None
    count = notifications.mark_read(request.user.pk, ids)
    if count:
        messages.success(request, f"已将 {count} 条消息标为已读。")
    return redirect("inbox")


def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    note = selectors.inbox(request.user.pk).filter(pk=pk).first()
    if note is None:
        raise Http404
    notifications.mark_read(request.user.pk, [note.pk])
    link = note.link if note.link.startswith("/") and not note.link.startswith("//") else "/"
    return redirect(link)


def healthz(request: HttpRequest) -> HttpResponse:
    Job.objects.exists()  # the database answers
    return HttpResponse("ok", content_type="text/plain")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.user.is_authenticated:
        audit.record(AuditEvent.Action.ACCESS_DENIED, target_type="page", target_repr=request.path[:200])
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)
