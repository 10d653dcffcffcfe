"""Desk pages of the channels: the hotline agent's customer card and the walk-in quick entry."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanjia.estates.selectors import unit_by_code
from guanjia.intake.selectors import customer_card
from guanjia.intake.services import request_intake
from guanjia.org.selectors import estates_for_user, staff_for_user
from guanjia.people.pii import mask_phone
from guanjia.people.selectors import resident_for_user
from guanjia.tickets.lifecycle import TransitionRefused
from guanjia.tickets.models import FINISHED_STATES
from guanjia.tickets.selectors import ticket_for_user, tickets_for_user
from guanjia.tickets.services import TicketConflict
from guanjia.tickets.services.labels import SENTIMENTS, ticket_relabel
from guanjia.tickets.taxonomy import Category, RequestType, Urgency
from guanjia.web.paging import CappedPaginator

LABEL_CHOICES = {
    "request_types": RequestType.choices,
    "categories": Category.choices,
    "urgencies": Urgency.choices,
    "sentiments": SENTIMENTS,
}


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


@login_required
def triage_queue(request: HttpRequest) -> HttpResponse:
    """The human triage queue: open tickets whose automatic labels were unsure, oldest first."""
    _staff_only(request)
    tickets = (
        tickets_for_user(request.user)
        .filter(needs_review=True)
        .exclude(state__in=FINISHED_STATES)
        .order_by("created_at")
    )
    page = CappedPaginator(tickets, 25).get_page(request.GET.get("page"))
    return render(request, "intake/triage_queue.html", {"page": page, **LABEL_CHOICES})


@login_required
def ticket_relabel_view(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Correct any ticket's labels; the correction is kept for retraining."""
    _staff_only(request)
    ticket = ticket_for_user(user=request.user, ticket_id=ticket_id)
    context = {"ticket": ticket, **LABEL_CHOICES}
    if request.method == "POST":
        data = request.POST
        try:
            ticket = ticket_relabel(
                ticket=ticket,
                user=request.user,
                version=int(data.get("version", 0) or 0),
                channel="page",
                request_type=data.get("request_type", ""),
                category=data.get("category", ""),
                urgency=data.get("urgency", ""),
                sensitive=data.get("sensitive") == "on",
                sentiment=data.get("sentiment", ""),
            )
        except TicketConflict as conflict:
            return render(
                request,
                "intake/_relabel.html",
                {**context, "ticket": conflict.ticket, "error": str(conflict)},
                status=409,
            )
        except TransitionRefused as refused:
            return render(request, "intake/_relabel.html", {**context, "error": str(refused)}, status=400)
        except ValidationError as error:
            return render(request, "intake/_relabel.html", {**context, "error": " ".join(error.messages)}, status=400)
        if not request.htmx:
            return redirect(f"/tickets/{ticket.pk}/")
        context.update(ticket=ticket, saved=True)
    return render(request, "intake/_relabel.html", context)
