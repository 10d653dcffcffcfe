from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WechatConfig(AppConfig):
    name = "guanjia.intake.wechat"
    label = "intake_wechat"
    verbose_name = _("微信公众号")
