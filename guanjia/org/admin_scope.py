"""The admin obeys the same estate isolation and role rules as pages and API."""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404

from guanjia.org.roles import Capability
from guanjia.org.selectors import estate_ids_for_user, user_can


class EstateScopedAdmin(admin.ModelAdmin):
    """Rows outside the user's estates do not exist for them: lists omit them, URLs to them are 404."""

    estate_field = "estate"
    manage_capability: Capability = Capability.MANAGE_ESTATES

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.estate_field}__in": estate_ids_for_user(request.user)})

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Django would redirect with "does not exist"; a 404 says no more than that.
            raise Http404
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if not request.user.is_superuser and field is not None:
            model = db_field.related_model
            ids = estate_ids_for_user(request.user)
            if model._meta.label_lower == "estates.estate":
                field.queryset = field.queryset.filter(id__in=ids)
            elif any(f.name == "estate" for f in model._meta.fields):
                field.queryset = field.queryset.filter(estate_id__in=ids)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if (
            not request.user.is_superuser
            and field is not None
            and db_field.related_model._meta.label_lower == "estates.estate"
        ):
            field.queryset = field.queryset.filter(id__in=estate_ids_for_user(request.user))
        return field

    def has_module_permission(self, request):
        return user_can(request.user, Capability.USE_ADMIN)

    def has_view_permission(self, request, obj=None):
        return user_can(request.user, Capability.USE_ADMIN)

    def has_add_permission(self, request):
        return user_can(request.user, self.manage_capability)

    def has_change_permission(self, request, obj=None):
        return user_can(request.user, self.manage_capability)

    def has_delete_permission(self, request, obj=None):
        return user_can(request.user, self.manage_capability)


class ReadOnlyAdminMixin:
    """Records written only by the services (tickets, callbacks, notifications, audit): look, never touch."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CompanyWideAdmin(admin.ModelAdmin):
    """Tables shared by every estate (the company, the holiday calendar): a company admin keeps them;
    `view_capability` says who may look."""

    view_capability: Capability = Capability.USE_ADMIN

    def has_module_permission(self, request):
        return user_can(request.user, self.view_capability)

    def has_view_permission(self, request, obj=None):
        return user_can(request.user, self.view_capability)

    def has_add_permission(self, request):
        return user_can(request.user, Capability.ALL_ESTATES)

    def has_change_permission(self, request, obj=None):
        return user_can(request.user, Capability.ALL_ESTATES)

    def has_delete_permission(self, request, obj=None):
        return user_can(request.user, Capability.ALL_ESTATES)
