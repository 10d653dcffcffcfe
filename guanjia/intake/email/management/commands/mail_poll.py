"""Poll every active service mailbox once; run it from cron or the task scheduler every minute or two."""

from __future__ import annotations

import imaplib

from django.core.management.base import BaseCommand, CommandError

from guanjia.intake.email.models import Mailbox
from guanjia.intake.email.services import mailbox_poll


class Command(BaseCommand):
    help = "收取所有启用的客服邮箱一次：新邮件建单，回复并入原工单，自动回复/退信/回环忽略。"

    def handle(self, *args, **options):
        unreachable = []
        for mailbox in Mailbox.objects.filter(active=True).select_related("estate").order_by("pk"):
            try:
                report = mailbox_poll(mailbox=mailbox)
            except (imaplib.IMAP4.error, OSError) as exc:  # one server down must not stop the others
                unreachable.append(str(mailbox))
                self.stderr.write(f"{mailbox} ({mailbox.estate.code}): {type(exc).__name__}: {exc}")
                continue
            self.stdout.write(f"{mailbox} ({mailbox.estate.code}): {report}")
            for uid, error in report.failed.items():
                self.stderr.write(f"{mailbox}: UID {uid} failed, will retry: {error}")
            for uid in report.given_up:
                self.stderr.write(f"{mailbox}: UID {uid} given up after repeated failures; left unread")
        if unreachable:
            raise CommandError(f"could not poll: {', '.join(unreachable)}")
