"""Changes to residents and their homes; the one way to read a resident's personal data in clear."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from guanjia.audit.models import AuditEntry
from guanjia.audit.services import audit_record
from guanjia.estates.models import Estate, Unit
from guanjia.org.roles import Capability
from guanjia.org.selectors import user_can
from guanjia.people.models import Occupancy, Resident
from guanjia.people.pii import blind_index, national_phone, normalise_id_number, normalise_phone

REVEALABLE_FIELDS = ("phone", "id_number", "emergency_contact_phone")


@dataclass(frozen=True)
class NameKeys:
    pinyin: str
    initials: str


def name_search_keys(name: str) -> NameKeys:
    """陈静 → chenjing / cj. Non-Chinese characters pass through lower-cased."""
    syllables = [s for s in lazy_pinyin(name, errors="default") if s.strip()]
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    return NameKeys(
        pinyin="".join(syllables).lower().replace(" ", ""),
        initials="".join(i[:1] for i in initials if i.strip()).lower(),
    )


def resident_fill_derived(resident: Resident) -> Resident:
    """Normalise PII and refresh search keys; shared by the form, admin, API and importer."""
    resident.phone = normalise_phone(resident.phone)
    if resident.emergency_contact_phone:
        resident.emergency_contact_phone = normalise_phone(resident.emergency_contact_phone)
    if resident.id_number:
        resident.id_number = normalise_id_number(resident.id_number)
        resident.id_number_digest = blind_index(resident.id_number)
    else:
        resident.id_number_digest = ""
    keys = name_search_keys(resident.name)
    resident.name_pinyin, resident.name_initials = keys.pinyin, keys.initials
    return resident


@transaction.atomic
def resident_create(
    *,
    estate: Estate,
    name: str,
    phone: str,
    id_number: str = "",
    unit: Unit | None = None,
    relation: str = Occupancy.Relation.OWNER,
    moved_in_on: date | None = None,
    **profile,
) -> Resident:
    if unit is not None and unit.estate_id != estate.id:
        raise ValidationError({"unit": _("房屋不属于该项目")})
    resident = resident_fill_derived(Resident(estate=estate, name=name, phone=phone, id_number=id_number, **profile))
    resident.full_clean(exclude=["phone", "id_number", "emergency_contact_phone"])
    resident.save()
    if unit is not None:
        Occupancy.objects.create(
            estate=estate, resident=resident, unit=unit, relation=relation, moved_in_on=moved_in_on
        )
    return resident


def resident_reveal(
    *,
    user,
    resident: Resident,
    fields: list[str] | tuple[str, ...],
    reason: str,
    channel: str,
    request: HttpRequest | None = None,
) -> dict[str, str]:
    """The clear values of a resident's personal data, for a role that may see them; always audited."""
    if not user_can(user, Capability.REVEAL_PII):
        raise PermissionDenied(_("您的岗位无权查看完整个人信息"))
    unknown = set(fields) - set(REVEALABLE_FIELDS)
    if unknown or not fields:
        raise ValidationError(_("可查看的字段：%(f)s") % {"f": ", ".join(REVEALABLE_FIELDS)})
    if not reason.strip():
        raise ValidationError(_("请填写查看事由"))
    audit_record(
        actor=user,
        action=AuditEntry.Action.REVEAL,
        obj=resident,
        fields=fields,
        reason=reason.strip(),
        channel=channel,
        request=request,
    )
    values = {field: getattr(resident, field) for field in fields}
    for field in ("phone", "emergency_contact_phone"):
        if field in values:
            values[field] = national_phone(values[field])
    return values
