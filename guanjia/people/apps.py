from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "guanjia.people"
    verbose_name = _("业主与住户")
