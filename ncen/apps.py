from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NcenConfig(AppConfig):
    name = "ncen"
    verbose_name = _("nCEN core")
