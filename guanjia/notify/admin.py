from django.contrib import admin

from guanjia.notify.models import Notification
from guanjia.org.admin_scope import EstateScopedAdmin, ReadOnlyAdminMixin


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, EstateScopedAdmin):
    list_display = ["created_at", "template", "recipient", "channel", "status", "ticket"]
    list_filter = ["estate", "channel", "status", "template"]
    list_select_related = ["recipient", "ticket"]
