"""The work-order state machine: which action is allowed from which state, and for whom.

Every service that changes a ticket's state asks `require_action` first; pages and the API show
only `allowed_actions`. Nothing else decides.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guanjia.org.models import Staff
from guanjia.org.roles import Role
from guanjia.tickets.models import State, Ticket
from guanjia.tickets.taxonomy import RequestType


class Action(models.TextChoices):
    DISPATCH = "dispatch", gettext_lazy("派单")
    ACCEPT = "accept", gettext_lazy("接单")
    DECLINE = "decline", gettext_lazy("拒单")
    ARRIVE = "arrive", gettext_lazy("到场/联系业主")
    RESOLVE = "resolve", gettext_lazy("完成")
    CONFIRM = "confirm", gettext_lazy("业主确认")
    CALLBACK = "callback", gettext_lazy("回访")
    REOPEN = "reopen", gettext_lazy("重新打开")
    CLOSE = "close", gettext_lazy("关闭")
    HOLD = "hold", gettext_lazy("挂起")
    RESUME = "resume", gettext_lazy("恢复")
    ESCALATE = "escalate", gettext_lazy("升级主管")
    CANCEL = "cancel", gettext_lazy("取消")
    MERGE = "merge", gettext_lazy("合并")


_WORKING = {State.ASSIGNED, State.ACCEPTED, State.IN_PROGRESS}
_NOT_DONE = {State.NEW, *_WORKING, State.ON_HOLD, State.ESCALATED, State.REOPENED}

# action → (states it may start from, state it leads to; None = the state before the hold)
TRANSITIONS: dict[Action, tuple[frozenset[State], State | None]] = {
    Action.DISPATCH: (frozenset({State.NEW, State.ASSIGNED, State.ESCALATED, State.REOPENED}), State.ASSIGNED),
    Action.ACCEPT: (frozenset({State.ASSIGNED}), State.ACCEPTED),
    Action.DECLINE: (frozenset({State.ASSIGNED}), State.NEW),
    Action.ARRIVE: (frozenset({State.ACCEPTED}), State.IN_PROGRESS),
    Action.RESOLVE: (frozenset({State.ACCEPTED, State.IN_PROGRESS}), State.RESOLVED),
    Action.CONFIRM: (frozenset({State.RESOLVED}), State.CONFIRMED),
    Action.CALLBACK: (frozenset({State.RESOLVED, State.CONFIRMED}), State.CALLED_BACK),
    Action.REOPEN: (frozenset({State.RESOLVED, State.CONFIRMED, State.CALLED_BACK}), State.REOPENED),
    Action.CLOSE: (frozenset({State.CALLED_BACK, State.RESOLVED, State.CONFIRMED}), State.CLOSED),
    Action.HOLD: (frozenset(_WORKING), State.ON_HOLD),
    Action.RESUME: (frozenset({State.ON_HOLD}), None),
    Action.ESCALATE: (frozenset({State.NEW, *_WORKING, State.REOPENED}), State.ESCALATED),
    Action.CANCEL: (frozenset(_NOT_DONE), State.CANCELLED),
    Action.MERGE: (frozenset(_NOT_DONE), State.MERGED),
}

# Requests a desk answers without sending anyone: the clerk may resolve them straight from the queue.
DESK_TYPES = frozenset({RequestType.INQUIRY, RequestType.SUGGESTION, RequestType.PRAISE, RequestType.BUSINESS})

_MANAGERS = {Role.SUPERVISOR, Role.CENTRE_MANAGER, Role.ESTATE_MANAGER, Role.COMPANY_ADMIN}
_DESK = {Role.FRONT_DESK, Role.COMPLAINT_HANDLER, *_MANAGERS}
_DISPATCHERS = {*_DESK, Role.ENGINEERING_LIAISON}

# Roles that may act on any ticket of their estates; the assignee may always do field actions.
ACTION_ROLES: dict[Action, set[str]] = {
    Action.DISPATCH: _DISPATCHERS,
    Action.ACCEPT: _MANAGERS,
    Action.DECLINE: _MANAGERS,
    Action.ARRIVE: _MANAGERS,
    Action.RESOLVE: _DESK,
    Action.CONFIRM: _DESK,
    Action.CALLBACK: _DESK,
    Action.REOPEN: _DESK,
    Action.CLOSE: _DESK,
    Action.HOLD: _DISPATCHERS,
    Action.RESUME: _DISPATCHERS,
    Action.ESCALATE: {*_DISPATCHERS, Role.TECHNICIAN, Role.SECURITY_OFFICER, Role.CLEANER},
    Action.CANCEL: _DESK,
    Action.MERGE: _DESK,
}
ASSIGNEE_ACTIONS = {Action.ACCEPT, Action.DECLINE, Action.ARRIVE, Action.RESOLVE, Action.CONFIRM, Action.HOLD}
# What the owner who reported the ticket may do themself, from their phone.
REQUESTER_ACTIONS = {Action.CONFIRM}


class TransitionRefused(Exception):
    """The action is not allowed from the ticket's state, or not for this person. Nothing was changed."""


def _from_states(ticket: Ticket, action: Action) -> frozenset[State]:
    states, _target = TRANSITIONS[action]
    if action is Action.CLOSE and ticket.request_type == RequestType.COMPLAINT:
        return frozenset({State.CALLED_BACK})  # a complaint closes only after a satisfied callback
    if action is Action.RESOLVE and (ticket.request_type in DESK_TYPES or ticket.parent_id):
        # Desk requests are answered from the queue; a grouped child is done when its parent is.
        return states | {State.NEW, State.ASSIGNED}
    return states


def target_state(ticket: Ticket, action: Action) -> State:
    target = TRANSITIONS[action][1]
    return State(ticket.held_from) if target is None else target


def state_allows(ticket: Ticket, action: Action) -> bool:
    return ticket.state in _from_states(ticket, action)


def is_requester(ticket: Ticket, user) -> bool:
    return bool(ticket.requester_id and getattr(user, "id", None) and ticket.requester.user_id == user.id)


def person_may(ticket: Ticket, action: Action, staff: Staff | None, user=None) -> bool:
    if user is not None and action in REQUESTER_ACTIONS and is_requester(ticket, user):
        return True
    if staff is None or not staff.active:
        return False
    if staff.role in ACTION_ROLES[action]:
        return True
    return action in ASSIGNEE_ACTIONS and ticket.assignee_id == staff.id


def allowed_actions(ticket: Ticket, staff: Staff | None, user=None) -> list[Action]:
    return [a for a in Action if state_allows(ticket, a) and person_may(ticket, a, staff, user)]


def require_action(ticket: Ticket, action: Action, staff: Staff | None, user=None, *, as_parent: bool = False) -> State:
    """The state the action leads to, or TransitionRefused with a message a clerk understands.

    `as_parent`: a grouped child follows its parent; the person was checked on the parent.
    """
    if not state_allows(ticket, action):
        if action is Action.CLOSE and ticket.request_type == RequestType.COMPLAINT:
            raise TransitionRefused(_("投诉须回访满意后才能关闭"))
        raise TransitionRefused(
            _("工单 %(number)s 当前为「%(state)s」，不能执行「%(action)s」")
            % {"number": ticket.number, "state": ticket.get_state_display(), "action": action.label}
        )
    if not as_parent and not person_may(ticket, action, staff, user):
        raise TransitionRefused(_("您的岗位不能对该工单执行「%(action)s」") % {"action": action.label})
    return target_state(ticket, action)
