"""Attachments kept with a project (agreements, permits, bank records): bounded in size, audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from zhaoshang.core import audit
from zhaoshang.core.models import AuditEvent
from zhaoshang.core.scoping import Principal
from zhaoshang.projects.models import Evidence, Project, StageMove

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


def check_sizes(evidence: list[tuple[str, str, bytes]]) -> None:
    for _kind, name, data in evidence:
        if len(data) > MAX_EVIDENCE_BYTES:
            raise ValidationError({"evidence": f"附件：{name} 超过 20 MB"})


def evidence_store(
    by: Principal, project: Project, kind: str, name: str, data: bytes, *, move: StageMove | None = None
) -> Evidence:
    # The file's bytes stay out of the audit event; its name, kind and size go in.
    item = Evidence.objects.create(
        project=project,
        move=move,
        kind=kind,
        filename=name[:200],
        content=data,
        size=len(data),
        uploaded_by_id=by.user_id,
    )
    audit.record(AuditEvent.Action.CREATE, item, after={"kind": kind, "filename": name, "size": len(data)})
    return item
