from __future__ import annotations

from guanjia.notify.models import Notification


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
