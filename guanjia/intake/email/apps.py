from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmailConfig(AppConfig):
    name = "guanjia.intake.email"
    label = "intake_email"
    verbose_name = _("邮件渠道")
