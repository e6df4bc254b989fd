"""Admin: the working calendar and local rules are edited here; deadlines are read-only
(they change through services so that every change is audited and recomputed)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from audit.services import audit_change, audit_create, audit_delete, snapshot

from .engine import UNIT_LABELS
from .models import CalendarDay, Deadline, DeadlineRule
from .registry import all_kinds, get_kind
from .services import calendar_day_delete, calendar_day_set


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "name", "changed_by", "changed_at"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
    fields = ["date", "is_working_day", "name"]

    def save_model(self, request, obj, form, change):
        # Through the service: it audits the change and recomputes the open deadlines.
        day, moved = calendar_day_set(
            date=obj.date, is_working_day=obj.is_working_day, name=obj.name, actor=request.user
        )
        obj.pk = day.pk
        messages.info(
            request, _("已重新计算受影响的期限，%(n)d 个期限的届满日期改变。") % {"n": moved}
        )

    def delete_model(self, request, obj):
        moved = calendar_day_delete(day=obj, actor=request.user)
        messages.info(
            request, _("已重新计算受影响的期限，%(n)d 个期限的届满日期改变。") % {"n": moved}
        )

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "kind_label", "scope", "local_value", "statutory_value", "note"]
    list_filter = ["kind"]
    fields = ["kind", "organisation", "region", "unit", "amount", "lead_times", "note"]
    autocomplete_fields = []

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            from django import forms

            return forms.ChoiceField(
                label=db_field.verbose_name,
                choices=[
                    (k.kind, f"{k.label}（{k.kind}，法定 {k.amount}{UNIT_LABELS[k.unit]}）")
                    for k in all_kinds()
                ],
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("名称"))
    def kind_label(self, obj):
        kind = get_kind(obj.kind)
        return kind.label if kind else "—"

    @admin.display(description=_("适用范围"))
    def scope(self, obj):
        return obj.organisation or obj.region

    @admin.display(description=_("本地值"))
    def local_value(self, obj):
        return f"{obj.amount}{UNIT_LABELS[obj.unit]}"

    @admin.display(description=_("法定值"))
    def statutory_value(self, obj):
        kind = get_kind(obj.kind)
        return f"{kind.amount}{UNIT_LABELS[kind.unit]}" if kind else "—"

    def save_model(self, request, obj, form, change):
        before = snapshot(DeadlineRule.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        if change:
            audit_change(
                obj, actor=request.user, before=before, note="本地期限规则（对新起算的期限生效）"
            )
        else:
            audit_create(obj, actor=request.user, note="本地期限规则（对新起算的期限生效）")

    def delete_model(self, request, obj):
        audit_delete(obj, actor=request.user)
        super().delete_model(request, obj)


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "organisation", "owner", "due_at", "state", "next_action_at"]
    list_filter = ["state", "kind"]
    search_fields = ["kind", "label"]
    list_select_related = ["organisation", "owner"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
