from __future__ import annotations

import imaplib
import logging

from django_tasks import task

from guanjia.intake.email.models import Mailbox
from guanjia.intake.email.services import mailbox_poll

log = logging.getLogger(__name__)


@task()
def mail_poll_task() -> int:
    """Poll every active mailbox once; one unreachable server does not stop the others."""
    handled = 0
    for mailbox in Mailbox.objects.filter(active=True).select_related("estate").order_by("pk"):
        try:
            mailbox_poll(mailbox=mailbox)
            handled += 1
        except (imaplib.IMAP4.error, OSError):
            log.exception("mailbox %s unreachable", mailbox)
    return handled
