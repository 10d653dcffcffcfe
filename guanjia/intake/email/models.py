"""The email channel: the estate's service mailbox, which mail belongs to which ticket, and what people attached.

Threading works on Message-IDs: every mail we take in and every reply we send is a MailLink, so an
owner's answer (In-Reply-To / References) finds its ticket again.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from guanjia.estates.models import Estate
from guanjia.people.pii import EncryptedTextField


class Mailbox(models.Model):
    """An estate's service mailbox (客服邮箱): polled over IMAP, replied from over SMTP."""

    estate = models.ForeignKey(Estate, on_delete=models.CASCADE, related_name="mailboxes", verbose_name=_("项目"))
    from_address = models.EmailField(_("邮箱地址"), help_text=_("回复业主时的发件地址；来自此地址的邮件视为回环"))
    imap_host = models.CharField(_("IMAP 服务器"), max_length=255)
    imap_port = models.PositiveIntegerField(_("IMAP 端口"), default=993)
    imap_ssl = models.BooleanField(_("IMAP 使用 SSL"), default=True)
    imap_username = models.CharField(_("IMAP 用户名"), max_length=255)
    imap_password = EncryptedTextField(_("IMAP 密码"))
    folder = models.CharField(_("收件文件夹"), max_length=255, default="INBOX")
    smtp_host = models.CharField(_("SMTP 服务器"), max_length=255)
    smtp_port = models.PositiveIntegerField(_("SMTP 端口"), default=587)
    smtp_ssl = models.BooleanField(_("SMTP 使用 SSL"), default=False, help_text=_("465 端口的隐式 SSL"))
    smtp_starttls = models.BooleanField(_("SMTP 使用 STARTTLS"), default=True)
    smtp_username = models.CharField(_("SMTP 用户名"), max_length=255, blank=True)
    smtp_password = EncryptedTextField(_("SMTP 密码"), blank=True)
    active = models.BooleanField(_("启用"), default=True)
    # Incremental polling: UIDs are only comparable while the folder's UIDVALIDITY stays the same.
    uid_validity = models.PositiveBigIntegerField(_("UIDVALIDITY"), null=True, blank=True, editable=False)
    last_uid = models.PositiveBigIntegerField(_("已处理到 UID"), default=0, editable=False)
    last_polled_at = models.DateTimeField(_("上次收信时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("客服邮箱")
        verbose_name_plural = _("客服邮箱")

    def __str__(self) -> str:
        return self.from_address

    @property
    def msgid_domain(self) -> str:
        """The right-hand side of our own Message-IDs; a mail carrying it came from us (a loop)."""
        return "guanjia." + self.from_address.rpartition("@")[2].lower()


class MailLink(models.Model):
    """One mail, in or out, and the ticket it belongs to."""

    class Direction(models.TextChoices):
        IN = "in", _("收到")
        OUT = "out", _("发出")

    estate = models.ForeignKey(Estate, on_delete=models.CASCADE, related_name="+", verbose_name=_("项目"))
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="mail_links", verbose_name=_("工单")
    )
    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("邮箱")
    )
    message_id = models.CharField(_("Message-ID"), max_length=500, help_text=_("不含尖括号"))
    direction = models.CharField(_("方向"), max_length=3, choices=Direction.choices)
    address = models.CharField(_("对方地址"), max_length=320, blank=True, help_text=_("收到：回复地址；发出：收件人"))
    subject = models.CharField(_("主题"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("邮件关联")
        verbose_name_plural = _("邮件关联")
        ordering = ["created_at", "id"]
        # Per estate, so a mail copied to two estates' mailboxes opens a ticket in each.
        constraints = [models.UniqueConstraint(fields=["estate", "message_id"], name="maillink_estate_message")]
        indexes = [models.Index(fields=["ticket", "created_at"], name="maillink_ticket")]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} <{self.message_id}>"


class MailAttachment(models.Model):
    """An attachment that is not a photo (a PDF, a spreadsheet, a forwarded mail): kept as the person sent it."""

    estate = models.ForeignKey(Estate, on_delete=models.CASCADE, related_name="+", verbose_name=_("项目"))
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="mail_attachments", verbose_name=_("工单")
    )
    message_id = models.CharField(_("所属邮件 Message-ID"), max_length=500, blank=True)
    file = models.FileField(_("文件"), upload_to="mail/%Y/%m/")
    filename = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("类型"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小(字节)"))
    received_at = models.DateTimeField(_("收到时间"))

    class Meta:
        verbose_name = _("邮件附件")
        verbose_name_plural = _("邮件附件")
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return self.filename


class MailFailure(models.Model):
    """A mail that raised while being handled. It is retried on the next polls, then left for a person."""

    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="failures", verbose_name=_("邮箱"))
    uid_validity = models.PositiveBigIntegerField(_("UIDVALIDITY"))
    uid = models.PositiveBigIntegerField(_("UID"))
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    error = models.TextField(_("错误"), blank=True)
    last_attempt_at = models.DateTimeField(_("最后尝试时间"))

    class Meta:
        verbose_name = _("收信失败")
        verbose_name_plural = _("收信失败")
        constraints = [
            models.UniqueConstraint(fields=["mailbox", "uid_validity", "uid"], name="mailfailure_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.mailbox} UID {self.uid}"
