from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhaoshang.core import audit_display, context, jobs, notice_kinds, notifications, selectors
from zhaoshang.core.exports import export_response, export_sheet, wants_export
from zhaoshang.core.filters import AuditFilter
from zhaoshang.core.forms import NotificationPreferencesForm
from zhaoshang.core.http import Request
from zhaoshang.core.lists import render_list
from zhaoshang.core.models import AuditEvent, Job
from zhaoshang.core.roles import Action
from zhaoshang.core.sheets import Column
from zhaoshang.core.views_helpers import paginate, requires

EXPORT_LIMIT = 100_000


AUDIT_SHEET = export_sheet(
    "审计日志",
    [
        Column("seq", "序号", kind="int"),
        Column("at", "时间", width=20),
        Column("actor", "操作人"),
        Column("role", "角色"),
        Column("ip", "地址"),
        Column("action", "操作"),
        Column("kind", "记录类型"),
        Column("target_id", "记录编号"),
        Column("target", "记录", width=28),
        Column("changes", "变更内容", width=60),
        Column("reason", "原因", width=24),
        Column("hash", "哈希", width=20),
    ],
)


@requires(Action.VIEW_AUDIT)
def audit_log(request: Request) -> HttpResponse:
    listing = AuditFilter.for_request(request)
    if wants_export(request):
        return export_response(
            request,
            sheet=AUDIT_SHEET,
            records=_audit_records(listing.qs),
            applied=listing.applied(),
            target_type="core.auditevent",
        )
    context = {"last_check": selectors.jobs_of(request.user.pk).filter(kind="audit.verify").first()}
    return render_list(request, "core/audit_log.html", "core/_audit_table.html", listing, context)


def _audit_records(events: QuerySet[AuditEvent]) -> Iterator[dict[str, object]]:
    # In chunks, so related records are named with one query per model per chunk.
    stream = events[:EXPORT_LIMIT].iterator(chunk_size=2000)
    while chunk := list(islice(stream, 2000)):
        for e, changes in audit_display.describe(chunk):
            yield {
                "seq": e.seq,
                "at": timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
                "actor": e.actor_repr or "系统",
                "role": audit_display.role_label(e.actor_role),
                "ip": e.ip,
                "action": e.get_action_display(),
                "kind": audit_display.record_kind(e.target_type),
                "target_id": e.target_id,
                "target": e.target_repr,
                "changes": "；".join(f"{label}：{old} → {new}" for label, old, new in changes),
                "reason": e.reason,
                "hash": e.hash,
            }


@require_POST
@requires(Action.VIEW_AUDIT)
def audit_verify(request: Request) -> HttpResponse:
    # A fresh key per request: each press checks the chain as it stands now.
    job = jobs.enqueue(
        "audit.verify", key=f"audit.verify:{request.user.pk}:{context.new_request_id()}", user=request.user
    )
    return redirect("job-detail", pk=job.pk)


def _own_job(request: Request, pk: int) -> Job:
    job = Job.objects.select_related("created_by").filter(pk=pk).first()
    if job is None:
        raise Http404
    if job.created_by_id != request.user.pk and not request.principal.sees_everything:
        raise Http404
    return job


def job_detail(request: Request, pk: int) -> HttpResponse:
    return render(request, "core/job_detail.html", {"job": _own_job(request, pk)})


def job_progress(request: Request, pk: int) -> HttpResponse:
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


def inbox(request: Request) -> HttpResponse:
    page = paginate(request, selectors.inbox(request.user.pk))
    return render(request, "core/inbox.html", {"page": page})


@require_POST
def inbox_mark_read(request: Request) -> HttpResponse:
    # No "id" at all means "all"; ids that are not plausible numbers select nothing, never everything.
    raw = request.POST.getlist("id")
    ids = [int(i) for i in raw if i.isascii() and i.isdecimal() and len(i) <= 18] if raw else None
    count = notifications.mark_read(request.user.pk, ids)
    if count:
        messages.success(request, f"已将 {count} 条消息标为已读。")
    return redirect("inbox")


def open_notification(request: Request, pk: int) -> HttpResponse:
    note = selectors.inbox(request.user.pk).filter(pk=pk).first()
    if note is None:
        raise Http404
    notifications.mark_read(request.user.pk, [note.pk])
    link = note.link if note.link.startswith("/") and not note.link.startswith("//") else "/"
    return redirect(link)


def notification_preferences(request: Request) -> HttpResponse:
    """消息设置: which kinds of notification reach the user; every change is audited."""
    receives = notice_kinds.receives(request.user.pk)
    posted = request.POST if request.method == "POST" else None
    form = NotificationPreferencesForm(posted, receives=receives)
    if posted is not None and form.is_valid():
        try:
            changed = notice_kinds.preferences_save(request.principal, enabled=form.enabled())
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            if changed:
                messages.success(request, f"消息设置已保存：{'、'.join(changed)}。")
            else:
                messages.info(request, "消息设置没有变化。")
            return redirect("notification-preferences")
    return render(request, "core/notification_preferences.html", {"form": form})


def healthz(request: Request) -> HttpResponse:
    Job.objects.exists()  # the database answers
    return HttpResponse("ok", content_type="text/plain")


def permission_denied(request: Request, exception: Exception | None = None) -> HttpResponse:
    # Audited (and capped per user) by core.middleware.RefusalAuditMiddleware, like a 404 by scope.
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)
