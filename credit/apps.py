from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "credit"
    verbose_name = _("信用惩戒")

    def ready(self):
        from . import registration

        registration.register_all()
        from .approvals import register_all as register_approvals

        register_approvals()
        # enf-measures: credit's counts in an enforcement campaign's totals
        from .campaign_counters import register as register_campaign_counters

        register_campaign_counters()
