from django.contrib import admin

from .models import MediationCase, Mediator


@admin.register(Mediator)
class MediatorAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "organisation", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    filter_horizontal = ("serves", "rosters")
    raw_id_fields = ("user", "organisation")


@admin.register(MediationCase)
class MediationCaseAdmin(admin.ModelAdmin):
    """Read-only: cases change only through the services (audited)."""

    list_display = ("reference", "source", "status", "organisation", "court", "mediator")
    list_filter = ("source", "status")
    search_fields = ("reference", "court_reference")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
