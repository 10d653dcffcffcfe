"""The service report (服务报告) kept with a closed ticket: timeline, photos, signature, rating, as PDF."""

from __future__ import annotations

import base64

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone, translation

from guanjia.tickets.models import Ticket


def _data_uri(field) -> str:
    if not field:
        return ""
    with field.open("rb") as f:
        data = f.read()
    kind = "png" if data[:4] == b"\x89PNG" else "jpeg"
    return f"data:image/{kind};base64,{base64.b64encode(data).decode()}"


def service_report_html(*, ticket: Ticket) -> str:
    events = ticket.events.select_related("actor").order_by("at", "id")
    photos = [{"stage": p.get_stage_display(), "src": _data_uri(p.image)} for p in ticket.photos.all()]
    with translation.override("zh-hans"):
        return render_to_string(
            "tickets/service_report.html",
            {
                "ticket": ticket,
                "events": events,
                "photos": photos,
                "signature": _data_uri(ticket.signature),
                "rating": getattr(ticket, "rating", None),
                "generated_at": timezone.localtime(),
            },
        )


def service_report_write(*, ticket_id: int) -> str:
    """Render the PDF (WeasyPrint; Chinese needs fonts-noto-cjk) and keep it on the ticket."""
    from weasyprint import HTML

    ticket = Ticket.objects.select_related("estate", "unit", "assignee", "requester", "rating").get(pk=ticket_id)
    pdf = HTML(string=service_report_html(ticket=ticket)).write_pdf()
    ticket.report.save(f"{ticket.number}.pdf", ContentFile(pdf), save=False)
    Ticket.objects.filter(pk=ticket.pk).update(report=ticket.report.name)
    return ticket.report.name
