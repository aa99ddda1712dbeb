"""Background jobs of the core app."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.core import audit
from zhaoshang.core.jobs import JobRun, job


@job("audit.verify", label=gettext_lazy("Verify the audit chain"))
def verify_audit_chain(run: JobRun) -> dict[str, Any]:
    report = audit.verify(
        progress=lambda done, total: run.progress(done, total, _("Checking the audit chain"))
    )
    if report.ok:
        title = _("Audit chain intact: %(n)s events checked") % {"n": report.checked}
    else:
        title = _("Audit chain broken at event #%(seq)s") % {"seq": report.broken_seq}
    return {
        "ok": report.ok,
        "checked": report.checked,
        "head_seq": report.head_seq,
        "head_hash": report.head_hash,
        "broken_seq": report.broken_seq,
        "problem": report.problem,
        "notify_title": title,
        "notify_body": report.problem,
    }
