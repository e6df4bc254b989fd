"""Read-only: documents change only through the services (issue, revoke, supersede)."""

from django.contrib import admin

from .models import IssuedDocument


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "organisation", "status", "issued_at", "issued_by"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "verification_code"]
    list_select_related = ["organisation", "issued_by"]
    date_hierarchy = "issued_at"
    exclude = ["docx_file", "pdf_file"]  # served only through the scoped download

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
