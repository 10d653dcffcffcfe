"""Staff pages of the work order: thin views that parse input, call a selector or a service, and render.

Every write goes through /tickets/<id>/act/<action>/ so the desk, the field phone and the callback desk
share one door. A refused action answers 400/403 with the reason, a stale version 409 with the fresh
state; nothing is changed in either case.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanjia.org.roles import Capability
from guanjia.org.selectors import estates_for_user, staff_for_user, user_can
from guanjia.tickets import forms as f
from guanjia.tickets.lifecycle import Action, TransitionRefused, allowed_actions, person_may, state_allows
from guanjia.tickets.models import Callback, Photo, Rating, State, Ticket
from guanjia.tickets.selectors import (
    TicketFilters,
    callbacks_due,
    morning_meeting,
    suggest_assignees,
    ticket_for_user,
    ticket_search,
    ticket_timeline,
    tickets_for_user,
)
from guanjia.tickets.services import (
    TicketConflict,
    callback_record,
    confirmation_code_send,
    ticket_accept,
    ticket_arrive,
    ticket_cancel,
    ticket_close,
    ticket_confirm,
    ticket_create,
    ticket_decline,
    ticket_dispatch,
    ticket_escalate,
    ticket_hold,
    ticket_material_request,
    ticket_merge,
    ticket_note,
    ticket_photo_add,
    ticket_rate,
    ticket_resolve,
    ticket_resume,
)
from guanjia.tickets.taxonomy import Category, RequestType, Urgency
from guanjia.tickets.workdays import LOCAL
from guanjia.web.paging import CappedPaginator

PAGE_SIZE = 25
FIELD_STATES = (State.ASSIGNED, State.ACCEPTED, State.IN_PROGRESS)
DONE_TODAY_STATES = (State.RESOLVED, State.CONFIRMED)  # stay on the phone for the signature and the rating
RATEABLE = (State.RESOLVED, State.CONFIRMED, State.CALLED_BACK, State.CLOSED)
VIEWS = ("detail", "field", "callbacks")  # the page an action was posted from, and is answered with

# action → the form that parses its input. REOPEN has no page: a failed callback reopens.
FORMS = {
    Action.DISPATCH: f.DispatchForm,
    Action.ACCEPT: f.NoFieldsForm,
    Action.DECLINE: f.ReasonForm,
    Action.ARRIVE: f.NoFieldsForm,
    Action.RESOLVE: f.ResolveForm,
    Action.CONFIRM: f.ConfirmForm,
    Action.CALLBACK: f.CallbackForm,
    Action.CLOSE: f.CloseForm,
    Action.HOLD: f.ReasonForm,
    Action.RESUME: f.NoFieldsForm,
    Action.ESCALATE: f.ReasonForm,
    Action.CANCEL: f.ReasonForm,
    Action.MERGE: f.MergeForm,
    "note": f.NoteForm,
    "photo": f.PhotoForm,
    "material": f.MaterialForm,
    "rate": f.RateForm,
    "send_code": f.EmptyForm,
}


def staff_required(view):
    """Logged in and on the staff (or a superuser); owners use the portal, not these pages."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if staff_for_user(request.user) is None and not request.user.is_superuser:
            raise PermissionDenied(_("仅限物业员工使用"))
        return view(request, *args, **kwargs)

    return wrapper


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def _form_errors(form) -> str:
    """「原因：这个字段是必填项。」 — each message with the label of the field it is about."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = field.label if field is not None and field.label else ""
        parts += [f"{label}：{message}" if label else str(message) for message in errors]
    return " ".join(parts)


# ---------------------------------------------------------------- list


@staff_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    filters = TicketFilters.from_params(request.GET)
    tickets = ticket_search(user=request.user, filters=filters)
    page = CappedPaginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "tickets/ticket_list.html" + ("#rows" if request.htmx else "")
    return render(
        request,
        template,
        {
            "page": page,
            "filters": filters,
            "estates": estates_for_user(request.user),
            "states": State.choices,
            "types": RequestType.choices,
            "urgencies": Urgency.choices,
            "categories": Category.choices,
        },
    )


# ---------------------------------------------------------------- quick entry


@staff_required
def ticket_new(request: HttpRequest) -> HttpResponse:
    form = f.QuickEntryForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # One transaction: a photo that fails after the ticket exists takes the ticket with it.
            with transaction.atomic():
                ticket = ticket_create(**form.ticket_fields(), user=request.user)
                for upload in data["photos"]:
                    ticket_photo_add(
                        ticket=ticket, user=request.user, stage=Photo.Stage.REPORTED, upload=upload, channel="page"
                    )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("已登记工单 %(n)s") % {"n": ticket.number})
            return redirect("tickets:detail", ticket_id=ticket.pk)
    status = 400 if form.errors else 200
    return render(request, "tickets/ticket_new.html", {"form": form}, status=status)


def _form_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# ---------------------------------------------------------------- detail and actions


def _detail_context(request: HttpRequest, ticket: Ticket) -> dict:
    user = request.user
    staff = staff_for_user(user)
    actions = allowed_actions(ticket, staff, user)
    callbacks = list(ticket.callbacks.select_related("done_by"))
    rating = Rating.objects.filter(ticket=ticket).first()
    return {
        "ticket": ticket,
        "actions": actions,
        "events": ticket_timeline(ticket=ticket),
        "photos": ticket.photos.select_related("uploaded_by__staff"),
        "materials": ticket.materials.select_related("requested_by"),
        "callbacks": callbacks,
        "pending_callback": next((c for c in callbacks if c.outcome == Callback.Outcome.PENDING), None),
        "rating": rating,
        "suggestions": suggest_assignees(ticket=ticket) if Action.DISPATCH in actions else [],
        "can_work": staff is not None and ticket.is_open,
        "can_rate": rating is None and ticket.state in RATEABLE,
        "can_send_code": Action.CONFIRM in actions and bool(ticket.contact_phone),
        "can_reveal": bool(ticket.requester_id) and user_can(user, Capability.REVEAL_PII),
        "scores": f.SCORES,
        "photo_stages": Photo.Stage.choices,
    }


@staff_required
def ticket_detail(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = ticket_for_user(user=request.user, ticket_id=ticket_id)
    template = "tickets/ticket_detail.html" + ("#panel" if request.htmx else "")
    return render(request, template, _detail_context(request, ticket))


def _pending_callback(ticket: Ticket, callback_id: int | None) -> Callback:
    pending = ticket.callbacks.filter(outcome=Callback.Outcome.PENDING).order_by("-attempt")
    if callback_id:
        pending = pending.filter(pk=callback_id)
    callback = pending.first()
    if callback is None:
        raise TransitionRefused(_("该工单没有待回访记录"))
    return callback


def _perform(action: str, *, ticket: Ticket, user, data: dict, channel: str) -> str:
    """Call the one service for the action; returns what to tell the user."""
    base = {"ticket": ticket, "user": user, "channel": channel}
    version = data.get("version")
    match action:
        case Action.DISPATCH:
            ticket_dispatch(**base, version=version, assignee=data["assignee"], plan=data["plan"])
            return _("已派给 %(name)s") % {"name": data["assignee"].name}
        case Action.ACCEPT:
            ticket_accept(**base, version=version)
        case Action.DECLINE:
            ticket_decline(**base, version=version, reason=data["reason"])
        case Action.ARRIVE:
            ticket_arrive(**base, version=version)
        case Action.RESOLVE:
            ticket = ticket_resolve(**base, version=version, work_done=data["work_done"])
            if data["signature_data"]:
                # The owner signed on the technician's phone as the job was handed over.
                ticket_confirm(
                    ticket=ticket, user=user, channel=channel, version=ticket.version, signature=data["signature_data"]
                )
                return _("已完成，业主已签字确认")
        case Action.CONFIRM:
            ticket_confirm(**base, version=version, signature=data["signature"], code=data["code"].strip())
        case Action.CALLBACK:
            callback = _pending_callback(ticket, data.get("callback"))
            ticket_callback = callback_record(
                callback=callback,
                user=user,
                version=version,
                outcome=data["outcome"],
                notes=data["notes"],
                channel=channel,
            )
            return _("已记录回访：%(o)s，工单%(s)s") % {
                "o": Callback.Outcome(data["outcome"]).label,
                "s": ticket_callback.get_state_display(),
            }
        case Action.CLOSE:
            ticket_close(**base, version=version, note=data["note"])
        case Action.HOLD:
            ticket_hold(**base, version=version, reason=data["reason"])
        case Action.RESUME:
            ticket_resume(**base, version=version)
        case Action.ESCALATE:
            ticket_escalate(**base, version=version, reason=data["reason"])
        case Action.CANCEL:
            ticket_cancel(**base, version=version, reason=data["reason"])
        case Action.MERGE:
            ticket_merge(**base, version=version, into=data["into"])
            return _("已合并到 %(n)s") % {"n": data["into"].number}
        case "note":
            ticket_note(**base, text=data["text"])
            return _("已添加备注")
        case "photo":
            for upload in data["photos"]:
                ticket_photo_add(**base, stage=data["stage"], upload=upload)
            return _("已上传 %(n)d 张照片") % {"n": len(data["photos"])}
        case "material":
            ticket_material_request(
                **base, item=data["item"], quantity=data["quantity"], unit_of_measure=data["unit_of_measure"]
            )
            return _("已提交物资申领")
        case "rate":
            ticket_rate(
                **base,
                speed=data["speed"],
                professionalism=data["professionalism"],
                attitude=data["attitude"],
                comment=data["comment"],
            )
            return _("已录入评价")
        case "send_code":
            confirmation_code_send(ticket=ticket, user=user)
            return _("确认码已发送到业主手机")
    return _("已%(action)s") % {"action": Action(action).label}


def _action_form(action: str, request: HttpRequest, ticket: Ticket):
    form_class = FORMS[action]
    if form_class is f.DispatchForm:
        return form_class(request.POST, ticket=ticket)
    if form_class is f.MergeForm:
        return form_class(request.POST, user=request.user)
    return form_class(request.POST, request.FILES)


@staff_required
@require_POST
def ticket_act(request: HttpRequest, ticket_id: int, action: str) -> HttpResponse:
    ticket = ticket_for_user(user=request.user, ticket_id=ticket_id)
    if action not in FORMS:
        raise Http404
    view = request.POST.get("view") if request.POST.get("view") in VIEWS else "detail"
    channel = "field" if view == "field" else "page"
    form = _action_form(action, request, ticket)
    callback_id = request.POST.get("callback")
    if not form.is_valid():
        return _answer(request, view, ticket.pk, error=_form_errors(form), status=400, callback_id=callback_id)
    staff = staff_for_user(request.user)
    try:
        with transaction.atomic():
            notice = _perform(action, ticket=ticket, user=request.user, data=form.cleaned_data, channel=channel)
    except TicketConflict as conflict:
        return _answer(request, view, ticket.pk, error=str(conflict), status=409, callback_id=callback_id)
    except PermissionDenied as refused:
        return _answer(request, view, ticket.pk, error=str(refused), status=403, callback_id=callback_id)
    except TransitionRefused as refused:
        fresh = ticket_for_user(user=request.user, ticket_id=ticket.pk)
        # The person may never do this → 403; the state does not allow it now → 400.
        lifecycle = action in Action.values
        forbidden = lifecycle and state_allows(fresh, Action(action)) and not person_may(fresh, Action(action), staff)
        status = 403 if forbidden else 400
        return _answer(request, view, ticket.pk, error=str(refused), status=status, callback_id=callback_id)
    except ValidationError as invalid:
        return _answer(request, view, ticket.pk, error=_messages(invalid), status=400, callback_id=callback_id)
    return _answer(request, view, ticket.pk, notice=notice, callback_id=callback_id)


def _answer(
    request: HttpRequest,
    view: str,
    ticket_id: int,
    *,
    notice: str = "",
    error: str = "",
    status: int = 200,
    callback_id: str | None = None,
) -> HttpResponse:
    """Success without htmx redirects (the page can be reloaded); htmx and errors render in place."""
    ok = status == 200
    if ok and not request.htmx:
        messages.success(request, notice)
        if view == "field":
            return redirect(reverse("tickets:field") + f"#job-{ticket_id}")
        if view == "callbacks":
            return redirect("tickets:callbacks")
        return redirect("tickets:detail", ticket_id=ticket_id)
    ticket = ticket_for_user(user=request.user, ticket_id=ticket_id)
    flash = {"notice": notice, "error": error, "flash_for": ticket_id}
    if view == "field":
        if request.htmx:
            job = _field_jobs(request, ids=[ticket_id])[0]
            return render(request, "tickets/field.html#job", {"job": job, "scores": f.SCORES, **flash}, status=status)
        return render(request, "tickets/field.html", {**_field_context(request), **flash}, status=status)
    if view == "callbacks":
        if request.htmx:
            item = _callback_item(ticket, callback_id)
            context = {"cb": item, "can_reveal": user_can(request.user, Capability.REVEAL_PII), **flash}
            return render(request, "tickets/callbacks.html#item", context, status=status)
        return render(request, "tickets/callbacks.html", {**_callbacks_context(request), **flash}, status=status)
    template = "tickets/ticket_detail.html" + ("#panel" if request.htmx else "")
    return render(request, template, {**_detail_context(request, ticket), **flash}, status=status)


# ---------------------------------------------------------------- field view


def _field_jobs(request: HttpRequest, ids: list[int] | None = None) -> list[Ticket]:
    """The technician's jobs: what is assigned, accepted or under way, and what was finished today
    (the owner may still sign or rate it on the technician's phone)."""
    staff = staff_for_user(request.user)
    qs = tickets_for_user(request.user).select_related("requester").prefetch_related("photos")
    if ids is None and staff is None:
        return []  # a superuser without a staff record has no jobs of their own
    if ids is not None:
        jobs = list(qs.filter(pk__in=ids))
    else:
        today = timezone.localtime(timezone.now(), LOCAL).replace(hour=0, minute=0, second=0, microsecond=0)
        jobs = list(
            qs.filter(assignee=staff)
            .filter(Q(state__in=FIELD_STATES) | Q(state__in=DONE_TODAY_STATES, resolved_at__gte=today))
            .order_by(F("arrive_due_at").asc(nulls_last=True), "created_at")
        )
    rated = set(Rating.objects.filter(ticket__in=jobs).values_list("ticket_id", flat=True))
    for job in jobs:
        job.allowed = allowed_actions(job, staff, request.user)
        job.can_rate = job.pk not in rated and job.state in RATEABLE
    return jobs


def _field_context(request: HttpRequest) -> dict:
    return {"jobs": _field_jobs(request), "scores": f.SCORES}


@staff_required
def field(request: HttpRequest) -> HttpResponse:
    return render(request, "tickets/field.html", _field_context(request))


# ---------------------------------------------------------------- callback desk


def _callbacks_context(request: HttpRequest) -> dict:
    return {"callbacks": callbacks_due(user=request.user), "can_reveal": user_can(request.user, Capability.REVEAL_PII)}


def _callback_item(ticket: Ticket, callback_id: str | None) -> Callback:
    qs = Callback.objects.filter(ticket=ticket).select_related("ticket__unit", "ticket__assignee", "ticket__estate")
    if callback_id and callback_id.isdigit():
        return get_object_or_404(qs, pk=int(callback_id))
    return qs.order_by("-attempt").first()


@staff_required
def callbacks(request: HttpRequest) -> HttpResponse:
    return render(request, "tickets/callbacks.html", _callbacks_context(request))


# ---------------------------------------------------------------- morning meeting


@staff_required
def morning(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tickets/morning.html",
        {"groups": morning_meeting(user=request.user), "today": timezone.localtime(timezone.now(), LOCAL)},
    )
