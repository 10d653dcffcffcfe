"""Admin for work orders: browsing and the reference tables (promises, holidays).

Tickets change only through the services (pages and API), so the admin shows them read-only.
"""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext as _

from guanjia.org.admin_scope import CompanyWideAdmin, EstateScopedAdmin, ReadOnlyAdminMixin
from guanjia.tickets.models import Callback, Event, Holiday, HolidayYear, ServicePolicy, Ticket


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    fields = ["at", "kind", "action", "from_state", "to_state", "actor", "channel", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdminMixin, EstateScopedAdmin):
    list_display = ["number", "estate", "request_type", "category", "urgency", "state", "assignee", "created_at"]
    list_filter = ["estate", "state", "request_type", "urgency", "category", "channel"]
    search_fields = ["number", "description"]
    date_hierarchy = "created_at"
    list_select_related = ["estate", "assignee"]
    inlines = [EventInline]


@admin.register(Callback)
class CallbackAdmin(ReadOnlyAdminMixin, EstateScopedAdmin):
    list_display = ["ticket", "attempt", "due_at", "outcome", "done_by", "done_at"]
    list_filter = ["estate", "outcome"]
    list_select_related = ["ticket", "done_by"]


@admin.register(ServicePolicy)
class ServicePolicyAdmin(EstateScopedAdmin):
    """An estate's own promises; without a row the defaults of DESIGN.md apply."""

    list_display = [
        "estate",
        "request_type",
        "urgency",
        "major",
        "ack_minutes",
        "arrive_minutes",
        "resolve_minutes",
        "resolve_working_days",
        "callback_hours",
        "warn_percent",
    ]
    list_filter = ["estate", "request_type"]


@admin.register(Holiday)
class HolidayAdmin(CompanyWideAdmin):
    list_display = ["date", "name", "is_working_day"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def changelist_view(self, request, extra_context=None):
        year = timezone.localdate().year + 1
        if not HolidayYear.objects.filter(year=year).exists():
            messages.warning(
                request,
                _(
                    "%(year)s 年的法定节假日尚未录入：国务院公布后请在此录入，并在「节假日年度」中添加该年。"
                    "在此之前，该年的工作日仅按周末计算。"
                )
                % {"year": year},
            )
        return super().changelist_view(request, extra_context)


@admin.register(HolidayYear)
class HolidayYearAdmin(CompanyWideAdmin):
    """Adding a year here tells Guanjia its holidays are complete; until then it counts weekends only."""

    list_display = ["year", "source"]
