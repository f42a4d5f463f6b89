from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models

from kimportal.forms import ModelForm

from . import services
from .models import (
    Community,
    Domain,
    EditorAssignment,
    Invitation,
    Membership,
    Province,
    ProvinceAdmin,
    Regency,
)


class CommunityAddForm(ModelForm):
    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip().lower()
        try:
            services.community_check_slug(slug)
        except ValidationError as error:
            raise ValidationError(error.message_dict["slug"]) from error
        return slug


@admin.register(Province)
class ProvinceAdminPage(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


@admin.register(Regency)
class RegencyAdminPage(admin.ModelAdmin):
    list_display = ["code", "kind", "name", "province"]
    list_filter = ["province", "kind"]
    search_fields = ["name", "code"]


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Community)
class CommunityAdminPage(admin.ModelAdmin):
    list_display = ["name", "slug", "regency", "created_at"]
    list_filter = ["regency__province", "regency"]
    search_fields = ["name", "slug"]
    readonly_fields = ["schema_name"]
    inlines = [DomainInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # as the profile form does

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # The slug names the subdomain and the schema: it is chosen once, at creation.
        return [*self.readonly_fields, "slug"] if obj else self.readonly_fields

    def get_inlines(self, request, obj):
        # A new community gets its domain from community_insert; domains are edited afterwards.
        return self.inlines if obj else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None:
            form = type("CommunityAddForm", (CommunityAddForm, form), {})
        return form

    def save_model(self, request, obj, form, change) -> None:
        if not change:  # the same path as create_community and an approved registration
            services.community_insert(community=obj)
            return
        super().save_model(request, obj, form, change)
        services.community_edited(community=obj, changed=form.changed_data)


@admin.register(Membership)
class MembershipAdminPage(admin.ModelAdmin):
    list_display = ["user", "community", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "community__name"]
    raw_id_fields = ["user", "community"]


@admin.register(EditorAssignment)
class EditorAssignmentAdminPage(admin.ModelAdmin):
    list_display = ["user", "regency"]
    raw_id_fields = ["user"]


@admin.register(ProvinceAdmin)
class ProvinceAdminRoleAdminPage(admin.ModelAdmin):
    list_display = ["user", "province"]
    raw_id_fields = ["user"]


@admin.register(Invitation)
class InvitationAdminPage(admin.ModelAdmin):
    list_display = ["community", "email", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email", "community__name"]
    raw_id_fields = ["community", "invited_by", "accepted_by"]
    readonly_fields = ["token"]
