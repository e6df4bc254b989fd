from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Issued documents: a low-level service used by mediation, enforcement and credit.
    It depends on organisations, audit and common only; the apps that issue call it."""

    name = "documents"
    verbose_name = _("文书")

    def ready(self):
        from audit.registry import register_history

        from .kinds import register_builtin_types
        from .models import IssuedDocument
        from .selectors import document_get_for_user

        register_builtin_types()
        register_history(IssuedDocument, document_get_for_user)
