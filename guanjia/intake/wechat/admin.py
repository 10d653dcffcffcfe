"""Admin for the WeChat channel: each estate's account settings, its followers, and the message log.

Followers bind themselves by SMS code and the log is written by the endpoint, so both are read-only
here; an admin may unbind a follower (a lost phone, a resident who moved out).
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from guanjia.intake.wechat.binding import bind_remove
from guanjia.intake.wechat.models import Follower, InboundMessage, WechatAccount
from guanjia.org.admin_scope import EstateScopedAdmin, ReadOnlyAdminMixin


class WechatAccountForm(forms.ModelForm):
    class Meta:
        model = WechatAccount
        fields = ["estate", "name", "app_id", "token", "encoding_aes_key", "app_secret", "active"]
        widgets = {
            "token": forms.PasswordInput(render_value=True),
            "encoding_aes_key": forms.PasswordInput(render_value=True),
            "app_secret": forms.PasswordInput(render_value=True),
        }


@admin.register(WechatAccount)
class WechatAccountAdmin(EstateScopedAdmin):
    form = WechatAccountForm
    list_display = ["estate", "name", "app_id", "mode", "active"]
    list_filter = ["active"]
    list_select_related = ["estate"]
    search_fields = ["name", "app_id", "estate__name", "estate__code"]

    @admin.display(description=_("消息加解密方式"))
    def mode(self, obj: WechatAccount) -> str:
        return str(_("安全模式") if obj.safe_mode else _("明文模式"))


@admin.register(Follower)
class FollowerAdmin(EstateScopedAdmin):
    list_display = ["openid", "estate", "resident", "bound_at", "subscribed", "first_seen_at"]
    list_filter = ["estate", "subscribed"]
    list_select_related = ["estate", "resident"]
    search_fields = ["openid", "resident__name"]
    fields = [
        "estate",
        "account",
        "openid",
        "resident",
        "bound_at",
        "subscribed",
        "first_seen_at",
        "pending_phone_masked",
    ]
    readonly_fields = fields
    actions = ["unbind"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("解除绑定"))
    def unbind(self, request, queryset) -> None:
        for follower in queryset.filter(resident__isnull=False):
            bind_remove(follower=follower)

    @admin.display(description=_("待验证手机号"))
    def pending_phone_masked(self, obj: Follower) -> str:
        return obj.pending_phone_masked


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdminMixin, EstateScopedAdmin):
    list_display = ["received_at", "estate", "openid", "msg_type", "event", "content", "ticket"]
    list_filter = ["estate", "msg_type"]
    list_select_related = ["estate", "ticket"]
    search_fields = ["openid", "content", "msg_id"]
    date_hierarchy = "received_at"
