"""Administration of partner agencies and their tokens: issue (shown once), revoke, read log."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_change, snapshot

from ..models.partners import FeedRead, FeedScope, PartnerAgency, PartnerToken
from . import services


class ScopesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=FeedScope.choices, **kwargs)


class PartnerAgencyForm(forms.ModelForm):
    scopes = ScopesField(label=_("可读范围"))

    class Meta:
        model = PartnerAgency
        fields = ["name", "code", "kind", "scopes", "agreement", "contact", "active"]


@admin.register(PartnerAgency)
class PartnerAgencyAdmin(admin.ModelAdmin):
    form = PartnerAgencyForm
    list_display = ["name", "code", "kind", "scopes", "active", "created_at"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "code"]

    def save_model(self, request, obj, form, change):
        if not change:
            created = services.partner_agency_create(
                actor=request.user,
                name=obj.name,
                code=obj.code,
                kind=obj.kind,
                scopes=form.cleaned_data["scopes"],
                agreement=obj.agreement,
                contact=obj.contact,
            )
            obj.pk = created.pk
            return
        before = snapshot(PartnerAgency.objects.get(pk=obj.pk))
        obj.save()
        audit_change(obj, actor=request.user, before=before)

    def has_delete_permission(self, request, obj=None):
        return False  # the read log refers to it; stop it instead (active = off)


class PartnerTokenForm(forms.ModelForm):
    scopes = ScopesField(label=_("可读范围"), help_text=_("不超过该单位的可读范围"))

    class Meta:
        model = PartnerToken
        fields = ["agency", "label", "scopes", "expires_at"]

    def clean(self):
        cleaned = super().clean()
        agency = cleaned.get("agency")
        if agency is not None:
            if not agency.active:
                self.add_error("agency", _("该单位已停用，不能签发令牌。"))
            beyond = [s for s in cleaned.get("scopes", []) if s not in agency.scopes]
            if beyond:
                self.add_error("scopes", _("超出该单位的可读范围：%s") % "、".join(beyond))
        expires_at = cleaned.get("expires_at")
        if expires_at is not None and expires_at <= timezone.now():
            self.add_error("expires_at", _("有效期应晚于当前时间。"))
        return cleaned


@admin.register(PartnerToken)
class PartnerTokenAdmin(admin.ModelAdmin):
    form = PartnerTokenForm
    list_display = [
        "agency",
        "label",
        "key_prefix",
        "scopes",
        "issued_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = ["agency", ("revoked_at", admin.EmptyFieldListFilter)]
    actions = ["revoke"]
    readonly_fields = [
        "key_prefix",
        "issued_by",
        "issued_at",
        "revoked_at",
        "revoked_by",
        "revoke_reason",
        "last_used_at",
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["agency", "label", "scopes", "expires_at", *self.readonly_fields]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return  # a token is never edited: revoke it and issue another
        # the form checked what the service checks (agency active, scopes, expiry)
        issued = services.partner_token_issue(
            actor=request.user,
            agency=form.cleaned_data["agency"],
            label=form.cleaned_data["label"],
            scopes=form.cleaned_data["scopes"],
            expires_at=form.cleaned_data.get("expires_at"),
        )
        obj.pk = issued.token.pk
        request._issued_partner_token = issued

    def response_add(self, request, obj, post_url_continue=None):
        issued = getattr(request, "_issued_partner_token", None)
        if issued is None:
            return super().response_add(request, obj, post_url_continue)
        # shown once, in this response only: not in a message (a cookie) nor a redirect URL
        response = TemplateResponse(
            request,
            "admin/credit/partnertoken/issued.html",
            {
                **self.admin_site.each_context(request),
                "title": _("令牌已签发"),
                "token": issued.token,
                "plain": issued.plain,
                "opts": self.model._meta,
            },
        )
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("吊销所选令牌"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            services.partner_token_revoke(
                actor=request.user, token=token, reason=str(_("管理员在后台吊销"))
            )
        messages.success(request, _("所选令牌已吊销，立即失效。"))


@admin.register(FeedRead)
class FeedReadAdmin(admin.ModelAdmin):
    list_display = ["read_at", "agency", "token", "resource", "cursor", "next_cursor", "count"]
    list_filter = ["agency", "resource"]
    date_hierarchy = "read_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
