from __future__ import annotations

from django.http import HttpRequest

from guanjia.audit.models import AuditEntry


def audit_record(
    *,
    actor,
    action: str,
    obj,
    fields: list[str] | tuple[str, ...] = (),
    reason: str = "",
    channel: str = "",
    request: HttpRequest | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        estate_id=obj.pk if obj._meta.label_lower == "estates.estate" else getattr(obj, "estate_id", None),
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        fields=",".join(fields),
        reason=reason[:200],
        channel=channel,
        ip_address=request.META.get("REMOTE_ADDR") if request else None,
    )
