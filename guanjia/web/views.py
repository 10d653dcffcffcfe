"""Staff pages: thin views over the selectors and services of each app."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from guanjia.estates.selectors import unit_for_user, unit_search
from guanjia.org.roles import Capability
from guanjia.org.selectors import estates_for_user, staff_for_user, user_can
from guanjia.people.models import Occupancy
from guanjia.people.selectors import resident_for_user, resident_search
from guanjia.people.services import resident_reveal
from guanjia.tickets.models import Photo
from guanjia.tickets.selectors import tickets_for_user
from guanjia.web.paging import CappedPaginator

PAGE_SIZE = 25
UNIT_SORTS = {"code": "code", "-code": "-code", "area": "area", "-area": "-area", "floor": "floor", "-floor": "-floor"}


def _estate_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("estate", "")
    return int(raw) if raw.isdigit() else None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    estates = estates_for_user(request.user).annotate(
        unit_count=Count("units", distinct=True), building_count=Count("buildings", distinct=True)
    )
    return render(request, "web/home.html", {"estates": estates, "staff": staff_for_user(request.user)})


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    sort = request.GET.get("sort", "code")
    units = unit_search(user=request.user, q=q, estate_id=_estate_param(request))
    units = units.order_by(UNIT_SORTS.get(sort, "code"), "id")
    page = CappedPaginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "web/unit_list.html" + ("#rows" if request.htmx else "")
    return render(
        request,
        template,
        {
            "page": page,
            "q": q,
            "sort": sort,
            "estates": estates_for_user(request.user),
            "estate": _estate_param(request),
        },
    )


@login_required
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = unit_for_user(user=request.user, unit_id=unit_id)
    occupancies = Occupancy.objects.filter(unit=unit).select_related("resident").order_by("moved_out_on", "relation")
    return render(request, "web/unit_detail.html", {"unit": unit, "occupancies": occupancies})


@login_required
def resident_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    residents = resident_search(user=request.user, q=q, estate_id=_estate_param(request))
    page = CappedPaginator(residents, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "web/resident_list.html" + ("#rows" if request.htmx else "")
    return render(
        request,
        template,
        {"page": page, "q": q, "estates": estates_for_user(request.user), "estate": _estate_param(request)},
    )


@login_required
def resident_detail(request: HttpRequest, resident_id: int) -> HttpResponse:
    resident = resident_for_user(user=request.user, resident_id=resident_id)
    return render(
        request,
        "web/resident_detail.html",
        {"resident": resident, "can_reveal": user_can(request.user, Capability.REVEAL_PII)},
    )


@login_required
@require_POST
def resident_reveal_view(request: HttpRequest, resident_id: int) -> HttpResponse:
    resident = resident_for_user(user=request.user, resident_id=resident_id)
    context = {"resident": resident, "can_reveal": True}
    try:
        context["revealed"] = resident_reveal(
            user=request.user,
            resident=resident,
            fields=request.POST.getlist("fields") or ["phone"],
            reason=request.POST.get("reason", ""),
            channel="page",
            request=request,
        )
    except PermissionDenied as error:
        return render(request, "web/resident_detail.html#pii", {**context, "error": str(error)}, status=403)
    except ValidationError as error:
        return render(
            request, "web/resident_detail.html#pii", {**context, "error": " ".join(error.messages)}, status=400
        )
    template = "web/resident_detail.html" + ("#pii" if request.htmx else "")
    return render(request, template, context)


@login_required
def protected_media(request: HttpRequest, path: str) -> FileResponse:
    """Photos, signatures and reports are personal data: served only to someone who may see the ticket."""
    visible = tickets_for_user(request.user)
    allowed = (
        Photo.objects.filter(image=path, ticket__in=visible).exists()
        or visible.filter(Q(signature=path) | Q(report=path)).exists()
    )
    if not allowed or not default_storage.exists(path):
        raise Http404
    return FileResponse(default_storage.open(path, "rb"))
