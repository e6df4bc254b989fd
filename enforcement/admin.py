from django.contrib import admin

from .models import EnforcementCase, LegalBasis


@admin.register(LegalBasis)
class LegalBasisAdmin(admin.ModelAdmin):
    list_display = ("document_number", "kind", "court", "effective_on")
    list_select_related = ("court",)
    search_fields = ("document_number_key",)
    raw_id_fields = ("judicial_confirmation", "recorded_by")


@admin.register(EnforcementCase)
class EnforcementCaseAdmin(admin.ModelAdmin):
    list_display = ("case_number", "court", "status", "officer", "applied_on")
    list_select_related = ("court", "officer")
    list_filter = ("status", "case_type")
    search_fields = ("case_number_key",)
    raw_id_fields = ("basis", "resumed_from", "officer", "filed_by", "created_by")


# --- enf-endings: the province's average monthly wage (judicial relief's cap), kept by an admin
from .models import AverageWage  # noqa: E402


@admin.register(AverageWage)
class AverageWageAdmin(admin.ModelAdmin):
    list_display = ("province", "year", "monthly_wage", "source")
    list_select_related = ("province",)
    list_filter = ("year",)
    ordering = ("-year", "province")
