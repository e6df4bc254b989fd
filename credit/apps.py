from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "credit"
    verbose_name = _("信用惩戒")

    def ready(self):
        from . import registration

        registration.register_all()
