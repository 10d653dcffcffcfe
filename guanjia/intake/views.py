"""Desk pages of the channels: the hotline agent's customer card and the walk-in quick entry."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanjia.estates.selectors import unit_by_code
from guanjia.intake.selectors import customer_card
from guanjia.intake.services import request_intake
from guanjia.org.selectors import estates_for_user, staff_for_user
from guanjia.people.pii import mask_phone
from guanjia.people.selectors import resident_for_user


def _staff_only(request: HttpRequest) -> None:
    if staff_for_user(request.user) is None:
        raise PermissionDenied


@login_required
def hotline(request: HttpRequest) -> HttpResponse:
    """Type or paste the caller's number: who it is, their homes, household, care profile, tickets, ratings."""
    _staff_only(request)
    phone = request.GET.get("phone", "").strip()
    context = {"phone": phone, "estates": estates_for_user(request.user)}
    if phone:
        try:
            context["card"] = customer_card(user=request.user, phone=phone)
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
    template = "intake/hotline.html" + ("#card" if request.htmx else "")
    return render(request, template, context)


@login_required
def walk_in(request: HttpRequest) -> HttpResponse:
    """Front desk and suggestion box: a unit code and what was said; triage does the rest."""
    _staff_only(request)
    context = {"estates": estates_for_user(request.user), "channel": request.GET.get("channel", "front_desk")}
    return render(request, "intake/walk_in.html", context)


@login_required
@require_POST
def intake_submit(request: HttpRequest) -> HttpResponse:
    """One submit for the hotline note and the walk-in form; nothing is created on a bad unit or phone."""
    _staff_only(request)
    data = request.POST
    channel = data.get("channel", "front_desk")
    if channel not in ("front_desk", "hotline", "suggestion_box"):
        channel = "front_desk"
    estates = estates_for_user(request.user)
    estate = estates.filter(pk=data.get("estate") or 0).first() or (estates.first() if estates.count() == 1 else None)
    errors = []
    unit = None
    resident = None
    if estate is None:
        errors.append(_("请选择项目"))
    if estate and data.get("unit", "").strip():
        unit = unit_by_code(user=request.user, estate_id=estate.id, text=data["unit"])
        if unit is None:
            errors.append(_("找不到房屋 %(u)s") % {"u": data["unit"]})
    if data.get("resident", "").isdigit():
        resident = resident_for_user(user=request.user, resident_id=int(data["resident"]))
    files = request.FILES.getlist("photos")
    if not errors:
        try:
            outcome = request_intake(
                estate=estate,
                text=data.get("text", ""),
                channel=channel,
                user=request.user,
                requester=resident,
                unit=unit,
                contact_name=data.get("contact_name", "").strip(),
                contact_phone=data.get("contact_phone", "").strip(),
                photos=files,
            )
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        return render(request, "intake/_result.html", {"errors": errors}, status=400)
    ticket = outcome.ticket
    return render(
        request,
        "intake/_result.html",
        {"ticket": ticket, "outcome": outcome, "phone_masked": mask_phone(ticket.contact_phone)},
        status=201 if outcome.created else 200,
    )
