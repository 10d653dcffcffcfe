from django.contrib import admin

from guanjia.org.admin_scope import EstateScopedAdmin
from guanjia.org.models import Department, DutyAssignment, Shift, Staff
from guanjia.org.roles import Capability


@admin.register(Department)
class DepartmentAdmin(EstateScopedAdmin):
    manage_capability = Capability.MANAGE_STAFF
    list_display = ["estate", "kind", "phone"]
    list_filter = ["estate", "kind"]


@admin.register(Staff)
class StaffAdmin(EstateScopedAdmin):
    manage_capability = Capability.MANAGE_STAFF
    estate_field = "estates"
    list_display = ["employee_no", "name", "role", "department", "active"]
    list_filter = ["role", "active", "estates"]
    search_fields = ["name", "employee_no"]
    filter_horizontal = ["estates"]
    list_select_related = ["department__estate"]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()


@admin.register(Shift)
class ShiftAdmin(EstateScopedAdmin):
    manage_capability = Capability.MANAGE_STAFF
    list_display = ["name", "estate", "starts_at", "ends_at"]
    list_filter = ["estate"]


@admin.register(DutyAssignment)
class DutyAssignmentAdmin(EstateScopedAdmin):
    manage_capability = Capability.MANAGE_STAFF
    list_display = ["date", "shift", "staff", "on_call", "estate"]
    list_filter = ["estate", "shift__name", "on_call"]
    date_hierarchy = "date"
    search_fields = ["staff__name"]
    list_select_related = ["shift", "staff", "estate"]
