"""Input parsing for the ticket pages. Business rules stay in the services; forms only turn text into values."""

from __future__ import annotations

import base64
import binascii
import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from guanjia.estates.models import Estate, Unit
from guanjia.estates.selectors import parse_unit_code, units_for_user
from guanjia.org.models import Staff
from guanjia.org.selectors import estates_for_user
from guanjia.people.models import Resident
from guanjia.people.pii import normalise_phone
from guanjia.people.selectors import residents_for_user
from guanjia.tickets.images import image_clean
from guanjia.tickets.models import Callback, Channel, Photo, Ticket
from guanjia.tickets.selectors import tickets_for_user
from guanjia.tickets.taxonomy import Category, RequestType, Urgency

INTAKE_CHANNELS = [(c.value, c.label) for c in (Channel.FRONT_DESK, Channel.HOTLINE)]
SCORES = [(n, str(n)) for n in range(1, 6)]
_DATA_URL = re.compile(r"^data:image/png;base64,([A-Za-z0-9+/=\s]+)$")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input multiple>; each must be a real image (tickets.images)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        cleaned = []
        for upload in files:
            try:
                cleaned.append(image_clean(upload))
            except ValidationError as error:
                raise ValidationError(
                    _("%(name)s：%(error)s"), params={"name": upload.name, "error": " ".join(error.messages)}
                ) from None
        return cleaned


def signature_from_data_url(value: str) -> ContentFile | None:
    """The PNG a signature canvas posts as a data URL; None when nothing was drawn."""
    value = (value or "").strip()
    if not value:
        return None
    match = _DATA_URL.match(value)
    if not match:
        raise ValidationError(_("签名数据格式不正确"))
    try:
        data = base64.b64decode(match[1], validate=False)
    except (binascii.Error, ValueError):
        raise ValidationError(_("签名数据格式不正确")) from None
    if len(data) > getattr(settings, "GUANJIA_MAX_UPLOAD_BYTES", 10 * 1024 * 1024):
        raise ValidationError(_("签名图片过大"))
    return ContentFile(data, name="signature.png")


class QuickEntryForm(forms.Form):
    """前台/热线快速登记: a walk-in or a caller, in under a minute."""

    channel = forms.ChoiceField(label=_("来源渠道"), choices=INTAKE_CHANNELS, initial=Channel.FRONT_DESK)
    estate = forms.ModelChoiceField(label=_("项目"), queryset=Estate.objects.none(), empty_label=None)
    unit_code = forms.CharField(
        label=_("房屋"), max_length=40, required=False, help_text=_("如 3-2-1102，公共区域可不填")
    )
    request_type = forms.ChoiceField(label=_("诉求类型"), choices=RequestType.choices, initial=RequestType.REPAIR)
    category = forms.ChoiceField(label=_("细类"), choices=Category.choices, initial=Category.WATER)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL)
    description = forms.CharField(label=_("描述"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    preferred_visit_at = forms.DateTimeField(
        label=_("预约上门时间"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    photos = MultipleFileField(label=_("照片"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["estate"].queryset = estates_for_user(user).order_by("code")

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data["contact_phone"].strip()
        return normalise_phone(phone) if phone else ""

    def clean(self):
        data = super().clean()
        estate, raw = data.get("estate"), data.get("unit_code", "").strip()
        data["unit"] = None
        if estate and raw:
            code = parse_unit_code(raw) or raw.upper()
            unit = units_for_user(self.user).filter(estate=estate, code=code).first()
            if unit is None:
                self.add_error("unit_code", _("「%(estate)s」没有房屋 %(code)s") % {"estate": estate.name, "code": raw})
            data["unit"] = unit
        data["requester"] = self._requester(data.get("unit"), data.get("contact_phone", ""))
        return data

    def _requester(self, unit: Unit | None, phone: str) -> Resident | None:
        """The resident of that unit with that phone, so the owner later sees and confirms the ticket."""
        if unit is None or not phone:
            return None
        return (
            residents_for_user(self.user)
            .filter(phone=phone, occupancies__unit=unit, occupancies__moved_out_on__isnull=True)
            .first()
        )

    def ticket_fields(self) -> dict:
        d = self.cleaned_data
        keys = ("estate", "unit", "requester", "request_type", "category", "urgency", "channel", "description")
        return {
            **{k: d[k] for k in keys},
            "contact_name": d["contact_name"].strip(),
            "contact_phone": d["contact_phone"],
            "preferred_visit_at": d["preferred_visit_at"],
        }


class VersionForm(forms.Form):
    """The version of the ticket the user saw: a stale one is a conflict, never a silent overwrite."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ReasonForm(VersionForm):
    reason = forms.CharField(label=_("原因"), max_length=500)


class NoFieldsForm(VersionForm):
    pass


class EmptyForm(forms.Form):
    """An action that takes nothing but the ticket (sending the confirmation code)."""


class CloseForm(VersionForm):
    note = forms.CharField(label=_("备注"), max_length=500, required=False)


class DispatchForm(VersionForm):
    assignee = forms.ModelChoiceField(label=_("处理人"), queryset=Staff.objects.none())
    plan = forms.CharField(label=_("跨部门处理方案"), max_length=2000, required=False)

    def __init__(self, *args, ticket: Ticket, **kwargs):
        super().__init__(*args, **kwargs)
        # Any active colleague of the estate; the service refuses the rest with a reason.
        self.fields["assignee"].queryset = Staff.objects.filter(estates=ticket.estate_id, active=True).distinct()


class ResolveForm(VersionForm):
    work_done = forms.CharField(label=_("处理结果"), max_length=2000)
    # In the field the owner may sign on the technician's phone as the job is finished.
    signature_data = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_signature_data(self) -> ContentFile | None:
        return signature_from_data_url(self.cleaned_data["signature_data"])


class ConfirmForm(VersionForm):
    signature_data = forms.CharField(required=False, widget=forms.HiddenInput)
    signature = forms.FileField(label=_("签名图片"), required=False)
    code = forms.CharField(label=_("确认码"), max_length=10, required=False)

    def clean_signature_data(self) -> ContentFile | None:
        return signature_from_data_url(self.cleaned_data["signature_data"])

    def clean(self):
        data = super().clean()
        data["signature"] = data.get("signature_data") or data.get("signature")
        if not data["signature"] and not data.get("code", "").strip():
            raise ValidationError(_("请业主签名或输入确认码"))
        return data


class MergeForm(VersionForm):
    into = forms.CharField(label=_("合并到工单编号"), max_length=30)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_into(self) -> Ticket:
        number = self.cleaned_data["into"].strip().upper()
        ticket = tickets_for_user(self.user).filter(number=number).first()
        if ticket is None:
            raise ValidationError(_("找不到工单 %(n)s"), params={"n": number})
        return ticket


class RateForm(forms.Form):
    speed = forms.TypedChoiceField(label=_("及时性"), choices=SCORES, coerce=int)
    professionalism = forms.TypedChoiceField(label=_("专业性"), choices=SCORES, coerce=int)
    attitude = forms.TypedChoiceField(label=_("服务态度"), choices=SCORES, coerce=int)
    comment = forms.CharField(label=_("评价内容"), max_length=1000, required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("备注"), max_length=2000)


class PhotoForm(forms.Form):
    stage = forms.ChoiceField(label=_("阶段"), choices=Photo.Stage.choices)
    photos = MultipleFileField(label=_("照片"))


class MaterialForm(forms.Form):
    item = forms.CharField(label=_("物资名称"), max_length=100)
    quantity = forms.DecimalField(label=_("数量"), min_value=0.01, max_digits=9, decimal_places=2)
    unit_of_measure = forms.CharField(label=_("单位"), max_length=10, initial="个")


class CallbackForm(VersionForm):
    callback = forms.IntegerField(required=False, widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("回访结果"),
        choices=[
            (o.value, o.label)
            for o in (Callback.Outcome.SATISFIED, Callback.Outcome.NOT_SATISFIED, Callback.Outcome.UNREACHABLE)
        ],
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(label=_("回访记录"), max_length=2000, required=False)
