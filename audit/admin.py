from django.contrib import admin

from .models import AuditEntry
from .services import audit_change, audit_create, snapshot


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "object_repr", "transition", "channel", "ip"]
    list_filter = ["action", "channel"]
    search_fields = ["object_repr", "actor_name", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin changes leave audit entries like any other change."""

    def save_model(self, request, obj, form, change):
        if change:
            before = snapshot(type(obj)._default_manager.get(pk=obj.pk))
            super().save_model(request, obj, form, change)
            audit_change(obj, actor=request.user, before=before, note="管理后台")
        else:
            super().save_model(request, obj, form, change)
            audit_create(obj, actor=request.user, note="管理后台")
