from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.estates.models import Building, CommonArea, Company, Equipment, Estate, ImportJob, ParkingSpace, Unit
from guanjia.estates.selectors import estate_for_user
from guanjia.estates.spreadsheets import XLSX_CONTENT_TYPE, estate_export, workbook_template
from guanjia.estates.tasks import import_job_start
from guanjia.org.admin_scope import CompanyWideAdmin, EstateScopedAdmin
from guanjia.org.roles import Capability
from guanjia.org.selectors import user_can


@admin.register(Company)
class CompanyAdmin(CompanyWideAdmin):
    """Companies span estates, so only a company admin sees or touches them."""

    view_capability = Capability.ALL_ESTATES
    search_fields = ["name"]


@admin.register(Estate)
class EstateAdmin(EstateScopedAdmin):
    estate_field = "id"
    list_display = ["code", "name", "kind", "city", "company"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]

    # Spreadsheet import/export: the template, an estate's export, and imports run as background jobs.
    # Another estate is a 404; an estate of one's own without Capability.IMPORT_DATA is a 403.

    MAX_UPLOAD_BYTES = 20 * 1024 * 1024

    class WorkbookUploadForm(forms.Form):
        file = forms.FileField(
            label=gettext_lazy("Excel 工作簿（.xlsx）"),
            widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
        )

        def clean_file(self):
            upload = self.cleaned_data["file"]
            if upload.size > EstateAdmin.MAX_UPLOAD_BYTES:
                raise ValidationError(gettext_lazy("文件不能超过 20 MB，请拆分后分批导入"))
            return upload

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        # Before the default URLs, whose "<path:object_id>/" would swallow these.
        return [
            path("import-template/", view(self.import_template_view), name="{}_{}_import_template".format(*info)),
            path("<path:object_id>/export/", view(self.export_view), name="{}_{}_export".format(*info)),
            path("<path:object_id>/import/", view(self.import_view), name="{}_{}_import".format(*info)),
            path(
                "<path:object_id>/import/<int:job_id>/",
                view(self.import_job_view),
                name="{}_{}_import_job".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_import_data": user_can(request.user, Capability.IMPORT_DATA)}
        return super().change_view(request, object_id, form_url, extra_context)

    def import_template_view(self, request: HttpRequest) -> HttpResponse:
        if not user_can(request.user, Capability.IMPORT_DATA):
            raise PermissionDenied
        return self._xlsx_response(workbook_template(), filename=_("房产住户导入模板.xlsx"))

    def export_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        estate = self._estate_for_import(request, object_id)
        data = estate_export(estate=estate, user=request.user, channel="admin")
        filename = f"{estate.code}-{estate.name}-{timezone.localdate():%Y%m%d}.xlsx"
        return self._xlsx_response(data, filename=filename)

    def import_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        estate = self._estate_for_import(request, object_id)
        form = self.WorkbookUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            job = import_job_start(estate=estate, user=request.user, upload=form.cleaned_data["file"])
            return redirect(f"{self.admin_site.name}:estates_estate_import_job", estate.pk, job.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": estate,
            "title": _("导入楼栋、房屋和住户"),
            "form": form,
            "jobs": ImportJob.objects.filter(estate=estate).select_related("created_by")[:10],
        }
        return TemplateResponse(request, "admin/estates/estate/import.html", context)

    def import_job_view(self, request: HttpRequest, object_id: str, job_id: int) -> HttpResponse:
        estate = self._estate_for_import(request, object_id)
        job = get_object_or_404(ImportJob.objects.filter(estate=estate), pk=job_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": estate,
            "title": _("导入任务 #%(id)d") % {"id": job.pk},
            "job": job,
        }
        template = "admin/estates/estate/import_job.html" + ("#status" if getattr(request, "htmx", False) else "")
        return TemplateResponse(request, template, context)

    def _estate_for_import(self, request: HttpRequest, object_id: str) -> Estate:
        # Scope first: an estate the user cannot see is a 404 whatever their role.
        if not object_id.isdigit():
            raise Http404
        estate = estate_for_user(user=request.user, estate_id=int(object_id))
        if not user_can(request.user, Capability.IMPORT_DATA):
            raise PermissionDenied
        return estate

    @staticmethod
    def _xlsx_response(data: bytes, *, filename: str) -> HttpResponse:
        response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
        return response


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
