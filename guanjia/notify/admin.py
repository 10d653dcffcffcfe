from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from guanjia.notify.models import Notification
from guanjia.notify.services import notifications_requeue
from guanjia.org.admin_scope import EstateScopedAdmin, ReadOnlyAdminMixin
from guanjia.org.roles import Capability
from guanjia.org.selectors import user_can


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, EstateScopedAdmin):
    list_display = ["created_at", "template", "recipient", "channel", "status", "attempts", "next_attempt_at", "ticket"]
    list_filter = ["estate", "channel", "status", "template"]
    list_select_related = ["recipient", "ticket"]
    readonly_fields = ["attempts", "last_error", "next_attempt_at", "shown_body"]
    exclude = ["body"]  # shown through shown_body, which hides one-time codes
    actions = ["resend"]

    # A confirmation code proves the owner accepted the work: nobody in the office may read it.
    SECRET_TEMPLATES = frozenset({"confirm_code"})

    @admin.display(description=_("内容"))
    def shown_body(self, obj: Notification) -> str:
        return _("（含一次性确认码，不显示）") if obj.template in self.SECRET_TEMPLATES else obj.body

    # Rows stay read-only; resending is its own permission. Those who keep residents' phone numbers
    # (front desk, managers) are the ones who fix a wrong number and send again.
    def has_resend_permission(self, request) -> bool:
        return user_can(request.user, Capability.MANAGE_RESIDENTS)

    @admin.action(description=_("重新发送"), permissions=["resend"])
    def resend(self, request, queryset):
        count = notifications_requeue(notifications=queryset)
        self.message_user(
            request,
            ngettext("%(count)d 条失败的通知已重新排队发送。", "%(count)d 条失败的通知已重新排队发送。", count)
            % {"count": count},
            messages.SUCCESS,
        )
