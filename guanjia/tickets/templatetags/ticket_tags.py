"""What the ticket pages show beside the data: promise countdowns, masked phones, readable events.

Everything here reads fields already loaded on the ticket or event: a list page renders 25 rows
without one query per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.people.pii import mask_phone
from guanjia.tickets.lifecycle import Action
from guanjia.tickets.models import Callback, Channel, Event, Photo, State, Ticket
from guanjia.tickets.services.clocks import CLOCKS, clock_stopped

register = template.Library()

# Labels are lazy: CLOCK_LABELS in services.clocks is translated once at import.
CLOCK_NAMES = {
    "ack": gettext_lazy("响应"),
    "arrive": gettext_lazy("到场/首次答复"),
    "resolve": gettext_lazy("解决"),
    "statutory": gettext_lazy("书面答复"),
    "callback": gettext_lazy("回访"),
}
WARN_FRACTION = 0.8  # DESIGN.md: warnings fire at 80 % of a promise by default
# Event channels that are not ticket sources: the staff pages and the technician's phone.
EVENT_CHANNELS = {"page": gettext_lazy("工作台"), "field": gettext_lazy("外勤手机"), "app": gettext_lazy("App")}


@dataclass(frozen=True)
class Countdown:
    clock: str
    label: str
    due: datetime
    level: str  # ok (> 50 % left) | mid | warn (past 80 % or warned) | overdue | paused
    text: str


def duration_text(delta: timedelta) -> str:
    """1小时20分, 2天3小时, 35分: what a clerk reads at a glance."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(d)d天%(h)d小时") % {"d": days, "h": hours}
    if hours:
        return _("%(h)d小时%(m)d分") % {"h": hours, "m": mins}
    return _("%(m)d分") % {"m": mins}


def clock_countdown(ticket: Ticket, clock: str, now: datetime | None = None) -> Countdown | None:
    """The countdown of one running clock; None when it has no due time or has stopped."""
    due = getattr(ticket, f"{clock}_due_at")
    if due is None or clock_stopped(ticket, clock):
        return None
    now = now or timezone.now()
    label = str(CLOCK_NAMES[clock])
    if ticket.state == State.ON_HOLD and ticket.held_at:
        # Paused: resuming shifts the due time by the time on hold, so what is left stays left.
        left = due - ticket.held_at
        return Countdown(clock, label, due, "paused", _("已暂停，剩 %(t)s") % {"t": duration_text(left)})
    left = due - now
    if left < timedelta(0):
        return Countdown(clock, label, due, "overdue", _("超时 %(t)s") % {"t": duration_text(left)})
    mark = ticket.clock_marks.get(clock) or {}
    fraction_left = 1.0
    if mark.get("start"):
        span = (due - datetime.fromisoformat(mark["start"])).total_seconds()
        fraction_left = left.total_seconds() / span if span > 0 else 0.0
    if mark.get("warned") or fraction_left <= 1 - WARN_FRACTION:
        level = "warn"
    elif fraction_left > 0.5:
        level = "ok"
    else:
        level = "mid"
    return Countdown(clock, label, due, level, _("剩 %(t)s") % {"t": duration_text(left)})


def next_countdown(ticket: Ticket, now: datetime | None = None) -> Countdown | None:
    """The running clock that is due first."""
    running = [c for c in (clock_countdown(ticket, clock, now) for clock in CLOCKS) if c is not None]
    return min(running, key=lambda c: c.due, default=None)


@register.simple_tag
def countdown(ticket: Ticket, clock: str = "") -> str:
    """<span class="countdown warn">解决 剩 1小时20分</span>: the next due clock, or the one named."""
    c = clock_countdown(ticket, clock) if clock else next_countdown(ticket)
    if c is None:
        return ""
    due = timezone.localtime(c.due).strftime("%Y-%m-%d %H:%M")
    return format_html(
        '<span class="countdown {}" title="{}">{} {}</span>', c.level, _("时限 %(d)s") % {"d": due}, c.label, c.text
    )


@register.simple_tag
def clock_rows(ticket: Ticket) -> list[dict]:
    """Every clock the ticket has, for the detail page: label, due time, and its countdown (None once stopped)."""
    rows = []
    for clock in CLOCKS:
        due = getattr(ticket, f"{clock}_due_at")
        if due is not None:
            rows.append(
                {"clock": clock, "label": CLOCK_NAMES[clock], "due": due, "countdown": clock_countdown(ticket, clock)}
            )
    return rows


@register.filter
def masked_phone(phone: str) -> str:
    if not phone:
        return ""
    try:
        return mask_phone(phone)
    except Exception:  # a number from an old channel that phonenumbers cannot parse: show none of it
        return "*" * len(phone)


@register.filter
def channel_label(value: str) -> str:
    if value in Channel.values:
        return str(Channel(value).label)
    return str(EVENT_CHANNELS.get(value, value))


@register.filter
def action_label(value: str) -> str:
    return str(Action(value).label) if value in Action.values else value


@register.filter
def event_summary(event: Event) -> str:
    """The part of an event's detail worth a line on the timeline."""
    d = event.detail or {}
    if event.kind == Event.Kind.TRANSITION and d.get("to_name"):
        return _("派给 %(name)s") % {"name": d["to_name"]}
    if event.kind == Event.Kind.TRANSITION and d.get("into"):
        return _("合并到 %(n)s") % {"n": d["into"]}
    if event.kind == Event.Kind.TRANSITION and d.get("by"):
        return _("业主签名") if d["by"] == "signature" else _("确认码")
    if event.kind == Event.Kind.PHOTO and d.get("stage") in Photo.Stage.values:
        return str(Photo.Stage(d["stage"]).label)
    if event.kind == Event.Kind.MATERIAL:
        return f"{d.get('item', '')} × {d.get('quantity', '')}{d.get('unit', '')}"
    if event.kind == Event.Kind.RATING:
        return _("及时性 %(speed)s / 专业性 %(professionalism)s / 态度 %(attitude)s") % {
            "speed": d.get("speed"),
            "professionalism": d.get("professionalism"),
            "attitude": d.get("attitude"),
        }
    if event.kind == Event.Kind.CALLBACK and d.get("outcome") in Callback.Outcome.values:
        return _("第%(n)s次：%(o)s") % {"n": d.get("attempt", 1), "o": Callback.Outcome(d["outcome"]).label}
    return ""
