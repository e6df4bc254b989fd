from django.contrib import admin

from .models import JobRun, OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["pk", "task_name", "created_at", "published_at", "attempts", "last_error"]
    list_filter = ["task_name"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["name", "started_at", "duration_ms", "items", "failures", "status"]
    list_filter = ["name", "status"]

    def has_change_permission(self, request, obj=None):
        return False
