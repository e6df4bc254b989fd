from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from audit.admin import AuditedModelAdmin

from .models import Membership, Organisation, Region, User


@admin.register(Region)
class RegionAdmin(TreeAdmin, AuditedModelAdmin):
    form = movenodeform_factory(Region)
    list_display = ["name", "code", "level"]
    search_fields = ["name", "code"]


@admin.register(Organisation)
class OrganisationAdmin(TreeAdmin, AuditedModelAdmin):
    form = movenodeform_factory(Organisation)
    list_display = ["name", "kind", "region", "court_code", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "court_code"]
    autocomplete_fields = ["region"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin, AuditedModelAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "full_name", "is_active", "last_login"]
    search_fields = ["username", "full_name"]
    fieldsets = (*DjangoUserAdmin.fieldsets, (_("枫桥"), {"fields": ["full_name", "phone"]}))


# API tokens are not for browsing: django-rest-knox registers an admin listing every token
# (digests, owners); people end their tokens through the API (POST /api/auth/logout/).
from knox.models import AuthToken  # noqa: E402

if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)
