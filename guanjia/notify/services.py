from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from guanjia.intake.wechat.selectors import bound_openid
from guanjia.notify.adapters import SENDERS, ChannelUnavailable, DeliveryError
from guanjia.notify.models import Notification

log = logging.getLogger(__name__)

# Wait after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure is final.
RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))
MAX_ATTEMPTS = len(RETRY_AFTER) + 1
# A claimed row is not due again for this long, so another worker leaves it alone while we send. Longer than
# a batch can take (limit × timeout); if the worker dies mid-batch, its rows come back after it.
CLAIM_FOR = timedelta(minutes=30)
# A channel we are not set up for is looked at again this often: seldom enough that waiting rows do not
# crowd sendable ones out of each batch, often enough that they go soon after it is configured.
UNAVAILABLE_RECHECK = timedelta(minutes=10)


def notification_add(
    *,
    estate,
    template: str,
    body: str,
    recipient=None,
    address: str = "",
    channel: str = Notification.Channel.IN_APP,
    ticket=None,
) -> Notification:
    """Queue a message; delivery adapters pick pending rows up off the request path."""
    return Notification.objects.create(
        estate=estate,
        recipient=recipient,
        address=address,
        channel=channel,
        template=template,
        body=body,
        ticket=ticket,
    )


def owner_tell(*, ticket, template: str, body: str) -> list[Notification]:
    """Tell the person who reported a ticket how it stands, where they will see it.

    In the app inbox if they have a login, and by WeChat template message if they follow the estate's account;
    with neither, by SMS to the ticket's contact phone, so nobody who reported something is left guessing.
    """
    resident = ticket.requester
    routes = []  # (channel, recipient, address)
    if resident is not None and resident.user_id:
        routes.append((Notification.Channel.IN_APP, resident.user, ""))
    openid = bound_openid(estate_id=ticket.estate_id, resident=resident) if resident is not None else None
    if openid:
        routes.append((Notification.Channel.WECHAT, None, openid))
    if not routes and ticket.contact_phone:
        routes.append((Notification.Channel.SMS, None, ticket.contact_phone))
    return [
        notification_add(
            estate=ticket.estate,
            channel=channel,
            recipient=recipient,
            address=address,
            template=template,
            body=body,
            ticket=ticket,
        )
        for channel, recipient, address in routes
    ]


@dataclass
class DeliveryReport:
    shown: int = 0  # in-app messages handed to the inbox
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    waiting: int = 0  # channel not configured: kept pending

    def as_dict(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in ("shown", "sent", "retrying", "failed", "waiting")}


def _due(now: datetime):
    return Notification.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now), status=Notification.Status.PENDING
    )


def _in_app_deliver(now: datetime) -> int:
    """In-app messages are delivered by being in the recipient's inbox, which they are from the moment they
    are written: mark them sent at once. Left pending, they would sit among the undeliverable in the admin
    and in every sweep; whether the person has seen one is `read_at`'s business, not `status`'s."""
    return (
        _due(now)
        .filter(channel=Notification.Channel.IN_APP)
        .update(status=Notification.Status.SENT, sent_at=now, next_attempt_at=None)
    )


def _claim(now: datetime, limit: int) -> list[Notification]:
    """Take up to `limit` due rows for this worker alone.

    On PostgreSQL, skip_locked lets concurrent workers pick disjoint rows without waiting; pushing
    next_attempt_at past the batch keeps them ours after the short transaction commits, so no lock is held
    while we talk to gateways. SQLite has one writer (IMMEDIATE transactions), so claims queue instead.
    """
    with transaction.atomic():
        ids = list(
            _due(now)
            .exclude(channel=Notification.Channel.IN_APP)
            .order_by("pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        Notification.objects.filter(pk__in=ids).update(next_attempt_at=now + CLAIM_FOR)
    return list(Notification.objects.filter(pk__in=ids).select_related("estate", "ticket").order_by("pk"))


def _finish(notification: Notification, **fields) -> None:
    # Conditional: an admin may have re-queued or changed the row while we were sending.
    Notification.objects.filter(pk=notification.pk, status=Notification.Status.PENDING).update(**fields)


def _deliver_one(notification: Notification, now: datetime, report: DeliveryReport) -> None:
    attempts = notification.attempts + 1
    try:
        SENDERS[notification.channel](notification)
    except ChannelUnavailable as exc:
        report.waiting += 1
        _finish(notification, last_error=str(exc), next_attempt_at=now + UNAVAILABLE_RECHECK)
        return
    except DeliveryError as exc:
        error, permanent = str(exc), exc.permanent
    except Exception as exc:
        # A bug in a sender must not stop the other rows. Log the type only: the message could hold the body.
        log.error(
            "notification %s (%s): sender crashed with %s",
            notification.pk,
            notification.channel,
            type(exc).__name__,
        )
        error, permanent = f"{type(exc).__name__}", False
    else:
        report.sent += 1
        _finish(
            notification,
            status=Notification.Status.SENT,
            sent_at=now,
            attempts=attempts,
            last_error="",
            next_attempt_at=None,
        )
        return
    if permanent or attempts >= MAX_ATTEMPTS:
        report.failed += 1
        log.warning(
            "notification %s (%s) failed after %s attempts: %s", notification.pk, notification.channel, attempts, error
        )
        _finish(
            notification, status=Notification.Status.FAILED, attempts=attempts, last_error=error, next_attempt_at=None
        )
    else:
        report.retrying += 1
        log.info(
            "notification %s (%s) attempt %s failed, will retry: %s",
            notification.pk,
            notification.channel,
            attempts,
            error,
        )
        _finish(notification, attempts=attempts, last_error=error, next_attempt_at=now + RETRY_AFTER[attempts - 1])


def notifications_deliver(*, now: datetime | None = None, limit: int = 100) -> DeliveryReport:
    """Send up to `limit` due pending messages, each through its channel's adapter.

    Sent rows get `sent_at`; a failure is recorded in `last_error` and retried after RETRY_AFTER, and is
    final after MAX_ATTEMPTS or when the peer refuses the message outright. A channel that is not configured
    keeps its rows pending with the reason. Rows are claimed before sending, so a row is sent by one worker,
    once; a worker dying between the send and the bookkeeping is the one case that sends twice.
    """
    now = now or timezone.now()
    report = DeliveryReport(shown=_in_app_deliver(now))
    for notification in _claim(now, limit):
        _deliver_one(notification, now, report)
    return report


def notifications_requeue(*, notifications) -> int:
    """Give failed messages a fresh set of attempts (after someone fixed the number or the account)."""
    return notifications.filter(status=Notification.Status.FAILED).update(
        status=Notification.Status.PENDING, attempts=0, next_attempt_at=None
    )
