from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from guanjia.intake.email.models import MailAttachment, Mailbox, MailFailure, MailLink
from guanjia.org.admin_scope import EstateScopedAdmin, ReadOnlyAdminMixin


class MailboxForm(forms.ModelForm):
    """Passwords are never shown back; leaving one blank keeps the stored one."""

    imap_password = forms.CharField(label=_("IMAP 密码"), widget=forms.PasswordInput, required=False)
    smtp_password = forms.CharField(label=_("SMTP 密码"), widget=forms.PasswordInput, required=False)

    class Meta:
        model = Mailbox
        fields = [
            "estate",
            "from_address",
            "active",
            "imap_host",
            "imap_port",
            "imap_ssl",
            "imap_username",
            "imap_password",
            "folder",
            "smtp_host",
            "smtp_port",
            "smtp_ssl",
            "smtp_starttls",
            "smtp_username",
            "smtp_password",
        ]

    def clean(self):
        data = super().clean()
        for name in ("imap_password", "smtp_password"):
            if not data.get(name) and self.instance.pk:
                data[name] = getattr(self.instance, name)
        if not data.get("imap_password"):
            self.add_error("imap_password", _("请填写 IMAP 密码"))
        return data


@admin.register(Mailbox)
class MailboxAdmin(EstateScopedAdmin):
    form = MailboxForm
    list_display = ["from_address", "estate", "imap_host", "active", "last_uid", "last_polled_at"]
    list_filter = ["estate", "active"]
    readonly_fields = ["uid_validity", "last_uid", "last_polled_at"]


@admin.register(MailLink)
class MailLinkAdmin(ReadOnlyAdminMixin, EstateScopedAdmin):
    list_display = ["created_at", "direction", "ticket", "address", "subject"]
    list_filter = ["estate", "direction"]
    list_select_related = ["ticket"]
    search_fields = ["message_id", "ticket__number", "address"]


@admin.register(MailAttachment)
class MailAttachmentAdmin(ReadOnlyAdminMixin, EstateScopedAdmin):
    list_display = ["received_at", "ticket", "filename", "content_type", "size"]
    list_filter = ["estate"]
    list_select_related = ["ticket"]


@admin.register(MailFailure)
class MailFailureAdmin(ReadOnlyAdminMixin, EstateScopedAdmin):
    estate_field = "mailbox__estate"
    list_display = ["last_attempt_at", "mailbox", "uid", "attempts", "error"]
    list_select_related = ["mailbox"]
