from django.contrib import admin

from guanjia.audit.models import AuditEntry
from guanjia.org.admin_scope import ReadOnlyAdminMixin
from guanjia.org.roles import Capability
from guanjia.org.selectors import estate_ids_for_user, user_can


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: an audit log nobody can edit."""

    list_display = ["at", "actor", "action", "object_type", "object_id", "fields", "reason", "channel"]
    list_filter = ["action", "channel", "object_type"]
    search_fields = ["object_id", "actor__username", "reason"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("actor")
        if request.user.is_superuser:
            return qs
        return qs.filter(estate_id__in=estate_ids_for_user(request.user))

    def has_module_permission(self, request):
        return user_can(request.user, Capability.MANAGE_STAFF)

    def has_view_permission(self, request, obj=None):
        return user_can(request.user, Capability.MANAGE_STAFF)
