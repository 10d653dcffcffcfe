from __future__ import annotations

import smtplib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanjia.intake.email.services import staff_reply_send
from guanjia.tickets.selectors import ticket_for_user


@login_required
@require_POST
def ticket_mail_reply(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Answer the owner by mail from the ticket page; the message and the mail link land on the timeline."""
    ticket = ticket_for_user(user=request.user, ticket_id=ticket_id)
    try:
        staff_reply_send(ticket=ticket, user=request.user, body=request.POST.get("body", ""))
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect(f"/tickets/{ticket.pk}/")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except (smtplib.SMTPException, OSError):
        messages.error(request, _("邮件服务器暂时不可用，回复未发送，请稍后重试"))
    else:
        messages.success(request, _("已通过邮件回复业主"))
    return redirect(f"/tickets/{ticket.pk}/")
