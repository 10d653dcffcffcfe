from django.contrib import admin

from guanjia.estates.models import Building, CommonArea, Company, Equipment, Estate, ParkingSpace, Unit
from guanjia.org.admin_scope import EstateScopedAdmin
from guanjia.org.roles import Capability
from guanjia.org.selectors import user_can


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    search_fields = ["name"]

    """Companies span estates, so only a company admin touches them."""

    def has_module_permission(self, request):
        return user_can(request.user, Capability.ALL_ESTATES)

    def has_view_permission(self, request, obj=None):
        return user_can(request.user, Capability.ALL_ESTATES)

    def has_add_permission(self, request):
        return user_can(request.user, Capability.ALL_ESTATES)

    def has_change_permission(self, request, obj=None):
        return user_can(request.user, Capability.ALL_ESTATES)

    def has_delete_permission(self, request, obj=None):
        return user_can(request.user, Capability.ALL_ESTATES)


@admin.register(Estate)
class EstateAdmin(EstateScopedAdmin):
    estate_field = "id"
    list_display = ["code", "name", "kind", "city", "company"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(Building)
class BuildingAdmin(EstateScopedAdmin):
    list_display = ["name", "code", "estate", "use", "floors"]
    list_filter = ["estate", "use"]
    search_fields = ["name", "code"]


@admin.register(Unit)
class UnitAdmin(EstateScopedAdmin):
    list_display = ["code", "estate", "building", "entrance", "floor", "number", "area", "use"]
    list_filter = ["estate", "use"]
    search_fields = ["code"]
    list_select_related = ["estate", "building"]
    autocomplete_fields = ["building"]
    change_list_template = "admin/estates/unit/change_list.html"


@admin.register(ParkingSpace)
class ParkingSpaceAdmin(EstateScopedAdmin):
    list_display = ["code", "estate", "zone", "kind", "has_charger"]
    list_filter = ["estate", "kind", "has_charger"]
    search_fields = ["code", "zone"]


@admin.register(CommonArea)
class CommonAreaAdmin(EstateScopedAdmin):
    list_display = ["name", "estate", "building"]
    list_filter = ["estate"]
    search_fields = ["name"]


@admin.register(Equipment)
class EquipmentAdmin(EstateScopedAdmin):
    list_display = ["code", "name", "kind", "estate", "location", "maintenance_vendor", "next_service_due"]
    list_filter = ["estate", "kind"]
    search_fields = ["code", "name", "location", "maintenance_vendor"]
    date_hierarchy = "next_service_due"
