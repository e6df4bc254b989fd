"""Admin: the working calendar and local rules are edited here; deadlines are read-only
(they change through services so that every change is audited and recomputed)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from audit.services import audit_change, audit_create, audit_delete, snapshot

from .calendar import official_years
from .engine import UNIT_LABELS
from .models import CalendarDay, CalendarYear, Deadline, DeadlineRule
from .registry import all_kinds, get_kind
from .services import calendar_day_delete, calendar_day_set, calendar_year_set

RECOMPUTED = _("已重新计算受影响的期限，%(n)d 个期限的届满日期改变。")


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
        messages.info(request, RECOMPUTED % {"n": moved})

    def delete_model(self, request, obj):
        moved = calendar_day_delete(day=obj, actor=request.user)
        messages.info(request, RECOMPUTED % {"n": moved})

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Once the State Council's notice for a year is entered as 工作日历调整 rows, an admin
    confirms the year here: deadlines counted over it stop being provisional."""

    list_display = ["year", "confirmed", "in_package", "note", "changed_by", "changed_at"]
    list_filter = ["confirmed"]
    fields = ["year", "confirmed", "note"]
    actions = ["confirm_years", "unconfirm_years"]

    @admin.display(description=_("日历包已收录"), boolean=True)
    def in_package(self, obj):
        return obj.year in official_years()

    def get_readonly_fields(self, request, obj=None):
        return ["year"] if obj else []

    def save_model(self, request, obj, form, change):
        # Through the service: it audits the change and recomputes the open deadlines.
        calendar_year, moved = calendar_year_set(
            year=obj.year, confirmed=obj.confirmed, note=obj.note, actor=request.user
        )
        obj.pk = calendar_year.pk
        messages.info(request, RECOMPUTED % {"n": moved})

    def has_delete_permission(self, request, obj=None):
        return False  # unconfirm instead: the row is the year's audited history

    def _set_confirmed(self, request, queryset, confirmed: bool):
        moved = 0
        for calendar_year in queryset:
            moved += calendar_year_set(
                year=calendar_year.year,
                confirmed=confirmed,
                note=calendar_year.note,
                actor=request.user,
            )[1]
        messages.info(request, RECOMPUTED % {"n": moved})

    @admin.action(description=_("标记为已录入并确认"))
    def confirm_years(self, request, queryset):
        self._set_confirmed(request, queryset, True)

    @admin.action(description=_("取消确认（按暂定日历计算）"))
    def unconfirm_years(self, request, queryset):
        self._set_confirmed(request, queryset, False)


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
