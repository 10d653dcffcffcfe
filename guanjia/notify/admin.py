from django.contrib import admin

from guanjia.notify.models import Notification
from guanjia.org.admin_scope import EstateScopedAdmin


@admin.register(Notification)
class NotificationAdmin(EstateScopedAdmin):
    list_display = ["created_at", "template", "recipient", "channel", "status", "ticket"]
    list_filter = ["estate", "channel", "status", "template"]
    list_select_related = ["recipient", "ticket"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
