from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EstatesConfig(AppConfig):
    name = "guanjia.estates"
    verbose_name = _("项目与房产")
