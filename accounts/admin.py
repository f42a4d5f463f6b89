from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import NestedObjects, unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import router, transaction
from django.shortcuts import redirect
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import services
from .forms import AdminLoginForm
from .models import User


class _PublicNestedObjects(NestedObjects, services.PublicSchemaCollector):
    """The admin's list of what a deletion takes along, from the public schema's tables only."""


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profil"), {"fields": ["full_name"]}),
        (_("Hak akses"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Waktu"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]
    # Replaces the site-wide action of the same name (see delete_selected below), with its label.
    actions = ["delete_selected"]

    # An account that posts, photos or audit records point to is refused, with the reason and what
    # to do instead (deactivate it), before the confirmation page and again when confirmed.

    def get_deleted_objects(self, objs, request):
        users = list(objs)
        refusal = services.users_deletion_refusal(users=users)
        if refusal is not None:
            raise refusal
        collector = _PublicNestedObjects(using=router.db_for_write(User), origin=users)
        collector.collect(users)
        taken = collector.model_objs
        perms_needed = {
            model._meta.verbose_name
            for model in taken
            if self.admin_site.is_registered(model)
            and not self.admin_site.get_model_admin(model).has_delete_permission(request)
        }
        model_count = {model._meta.verbose_name_plural: len(objects) for model, objects in taken.items()}
        to_delete = collector.nested(lambda obj: f"{capfirst(obj._meta.verbose_name)}: {obj}")
        return to_delete, model_count, perms_needed, []

    def delete_model(self, request, obj) -> None:
        services.users_delete(users=[obj])

    def delete_queryset(self, request, queryset) -> None:
        services.users_delete(users=list(queryset))

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except services.UserDeletionRefused as refusal:
            messages.error(request, refusal.message)
            return redirect("admin:accounts_user_change", unquote(object_id))

    @admin.action(permissions=["delete"], description=_("Delete selected %(verbose_name_plural)s"))
    def delete_selected(self, request, queryset):
        try:
            with transaction.atomic():  # the log of the deletions goes if they are refused
                return django_delete_selected(self, request, queryset)
        except services.UserDeletionRefused as refusal:
            messages.error(request, refusal.message)
            return None  # back to the list


# The admin's sign-in counts failures and refuses floods like the portal's own (accounts.forms).
admin.site.login_form = AdminLoginForm
