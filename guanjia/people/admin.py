from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guanjia.audit.models import AuditEntry
from guanjia.audit.services import audit_record
from guanjia.org.admin_scope import EstateScopedAdmin
from guanjia.org.roles import Capability
from guanjia.org.selectors import user_can
from guanjia.people.models import Occupancy, Resident
from guanjia.people.services import REVEALABLE_FIELDS, resident_fill_derived


class OccupancyInline(admin.TabularInline):
    model = Occupancy
    extra = 0
    fields = ["unit", "relation", "moved_in_on", "moved_out_on"]
    autocomplete_fields = ["unit"]


class ResidentForm(forms.ModelForm):
    class Meta:
        model = Resident
        fields = [
            "estate",
            "name",
            "phone",
            "id_number",
            "is_vip",
            "lives_alone_elderly",
            "disability",
            "emergency_contact_name",
            "emergency_contact_phone",
            "preferred_contact",
            "quiet_hours",
            "consents_to_notifications",
            "note",
        ]

    def _post_clean(self):
        # Normalise phones and ID numbers the same way every other entry path does.
        super()._post_clean()
        try:
            resident_fill_derived(self.instance)
        except ValidationError as error:
            self.add_error(None, error)


@admin.register(Resident)
class ResidentAdmin(EstateScopedAdmin):
    """Personal data shows masked; a role allowed to reveal it sees it in clear, and that read is audited."""

    manage_capability = Capability.MANAGE_RESIDENTS
    form = ResidentForm
    list_display = ["name", "estate", "phone_masked", "is_vip", "lives_alone_elderly"]
    list_filter = ["estate", "is_vip", "lives_alone_elderly", "consents_to_notifications"]
    search_fields = ["name", "name_initials", "name_pinyin", "phone"]
    inlines = [OccupancyInline]
    list_select_related = ["estate"]

    @admin.display(description=_("手机号"))
    def phone_masked(self, obj):
        return obj.phone_masked

    @admin.display(description=_("身份证号"))
    def id_number_masked(self, obj):
        return obj.id_number_masked

    @admin.display(description=_("紧急联系人电话"))
    def emergency_contact_phone_masked(self, obj):
        return obj.emergency_contact_phone_masked

    def _reveals(self, request) -> bool:
        return user_can(request.user, Capability.REVEAL_PII)

    def get_exclude(self, request, obj=None):
        if obj is not None and not self._reveals(request):
            return [*REVEALABLE_FIELDS, "user"]
        return ["user"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not self._reveals(request):
            return ["phone_masked", "id_number_masked", "emergency_contact_phone_masked"]
        return []

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and self._reveals(request) and response.status_code == 200:
            audit_record(
                actor=request.user,
                action=AuditEntry.Action.REVEAL,
                obj=self.get_object(request, object_id),
                fields=REVEALABLE_FIELDS,
                reason="admin change form",
                channel="admin",
                request=request,
            )
        return response
