"""The owner closes the loop: confirmation, rating, the 48-hour callback and what each outcome does."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from guanjia.notify.models import Notification
from guanjia.tickets.lifecycle import TransitionRefused
from guanjia.tickets.models import Callback, Rating, State
from guanjia.tickets.services import (
    callback_record,
    confirmation_code_send,
    ticket_accept,
    ticket_arrive,
    ticket_close,
    ticket_confirm,
    ticket_dispatch,
    ticket_rate,
    ticket_resolve,
)
from guanjia.tickets.tests.conftest import MONDAY_9, new_repair

pytestmark = pytest.mark.django_db


def png_signature():
    buf = io.BytesIO()
    Image.new("RGB", (200, 80), "white").save(buf, "PNG")
    return SimpleUploadedFile("signature.png", buf.getvalue(), content_type="image/png")


def resolved(hy, **kw):
    w = hy.world
    t = new_repair(w, **kw)
    t = ticket_dispatch(ticket=t, assignee=w.li, user=w.wang.user, version=t.version, channel="page")
    t = ticket_accept(ticket=t, user=w.li.user, version=t.version, channel="app")
    t = ticket_arrive(ticket=t, user=w.li.user, version=t.version, channel="app")
    return ticket_resolve(ticket=t, user=w.li.user, version=t.version, channel="app", work_done="更换角阀")


def pending_callback(t):
    return t.callbacks.get(outcome=Callback.Outcome.PENDING)


def test_resolution_schedules_a_callback_within_48_hours(hy):
    t = resolved(hy)
    callback = pending_callback(t)
    assert callback.due_at == MONDAY_9 + timedelta(hours=48) and t.callback_due_at == callback.due_at
    assert hy.world.chen_user.notifications.filter(template="ticket_resolved").exists()


def test_owner_signature_confirms_and_is_kept_as_an_image(hy):
    t = resolved(hy)
    t = ticket_confirm(ticket=t, user=hy.world.li.user, version=t.version, channel="app", signature=png_signature())
    assert t.state == State.CONFIRMED and t.signature.name.endswith(".png")


def test_confirmation_code_sent_by_sms_confirms_when_the_owner_types_it(hy):
    t = resolved(hy)
    code = confirmation_code_send(ticket=t, user=hy.world.li.user)
    sms = Notification.objects.get(template="confirm_code")
    assert code in sms.body and sms.address == "+8613812345678"
    t.refresh_from_db()
    with pytest.raises(ValidationError):
        ticket_confirm(
            ticket=t,
            user=hy.world.chen_user,
            version=t.version,
            channel="app",
            code="000000" if code != "000000" else "111111",
        )
    t = ticket_confirm(ticket=t, user=hy.world.chen_user, version=t.version, channel="app", code=code)
    assert t.state == State.CONFIRMED


def test_expired_confirmation_code_is_refused(hy, clock):
    t = resolved(hy)
    code = confirmation_code_send(ticket=t, user=hy.world.li.user)
    clock.shift(timedelta(hours=25))
    t.refresh_from_db()
    with pytest.raises(ValidationError, match="过期"):
        ticket_confirm(ticket=t, user=hy.world.chen_user, version=t.version, channel="app", code=code)
    t.refresh_from_db()
    assert t.state == State.RESOLVED


def test_owner_rates_once_with_scores_1_to_5(hy):
    t = resolved(hy)
    with pytest.raises(ValidationError):
        ticket_rate(ticket=t, user=hy.world.chen_user, speed=6, professionalism=5, attitude=5, channel="app")
    rating = ticket_rate(
        ticket=t, user=hy.world.chen_user, speed=5, professionalism=5, attitude=4, comment="师傅很专业", channel="app"
    )
    assert rating.overall == 5
    with pytest.raises(ValidationError, match="已评价"):
        ticket_rate(ticket=t, user=hy.world.chen_user, speed=1, professionalism=1, attitude=1, channel="app")
    assert Rating.objects.count() == 1


def test_satisfied_callback_closes_the_ticket_and_writes_the_service_report(hy, django_capture_on_commit_callbacks):
    t = resolved(hy)
    ticket_rate(ticket=t, user=hy.world.chen_user, speed=5, professionalism=5, attitude=5, channel="app")
    t.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        t = callback_record(
            callback=pending_callback(t),
            user=hy.world.wang.user,
            outcome="satisfied",
            notes="业主表示满意",
            version=t.version,
            channel="page",
        )
    assert t.state == State.CLOSED
    assert [e.to_state for e in t.events.filter(kind="transition")][-2:] == ["called_back", "closed"]
    t.refresh_from_db()
    with t.report.open("rb") as f:
        pdf = f.read()
    assert pdf.startswith(b"%PDF")
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert t.number in text and "服务报告" in text


def test_not_satisfied_reopens_to_the_same_technician_flagged_and_a_second_callback_follows(hy):
    w = hy.world
    t = resolved(hy)
    t = callback_record(
        callback=pending_callback(t),
        user=w.wang.user,
        outcome="not_satisfied",
        notes="还在漏水",
        version=t.version,
        channel="page",
    )
    assert (t.state, t.assignee, t.flagged, t.reopen_count) == (State.ASSIGNED, w.li, True, 1)
    assert t.resolved_at is None and t.resolve_due_at > MONDAY_9
    assert Notification.objects.filter(recipient=w.li.user, template="ticket_reopened").exists()
    t = ticket_accept(ticket=t, user=w.li.user, version=t.version, channel="app")
    t = ticket_arrive(ticket=t, user=w.li.user, version=t.version, channel="app")
    t = ticket_resolve(ticket=t, user=w.li.user, version=t.version, channel="app", work_done="更换整段水管")
    assert list(t.callbacks.values_list("attempt", "outcome")) == [(1, "not_satisfied"), (2, "pending")]


def test_unreachable_owner_is_retried_then_the_repair_closes_with_a_note(hy):
    w = hy.world
    t = resolved(hy)
    for attempt in (1, 2):
        t = callback_record(
            callback=pending_callback(t),
            user=w.wang.user,
            outcome="unreachable",
            notes="无人接听",
            version=t.version,
            channel="page",
        )
        assert t.state == State.RESOLVED and pending_callback(t).attempt == attempt + 1
    t = callback_record(
        callback=pending_callback(t),
        user=w.wang.user,
        outcome="unreachable",
        notes="无人接听",
        version=t.version,
        channel="page",
    )
    assert t.state == State.CLOSED
    assert "联系不上" in t.events.filter(action="close").get().reason


def test_complaint_closes_only_after_a_satisfied_callback(hy):
    w = hy.world
    t = resolved(hy, request_type="complaint", category="sanitation", description="楼道垃圾三天没人清")
    with pytest.raises(TransitionRefused, match="回访满意"):
        ticket_close(ticket=t, user=w.wang.user, version=t.version, channel="page")
    for _ in range(3):
        t = callback_record(
            callback=pending_callback(t),
            user=w.wang.user,
            outcome="unreachable",
            notes="无人接听",
            version=t.version,
            channel="page",
        )
    assert t.state == State.RESOLVED  # still open: the supervisor must reach the owner
    assert Notification.objects.filter(recipient=hy.sup.user, template="callback_unreachable").exists()


def test_callback_cannot_be_recorded_twice(hy):
    t = resolved(hy)
    cb = pending_callback(t)
    t = callback_record(
        callback=cb, user=hy.world.wang.user, outcome="unreachable", notes="", version=t.version, channel="page"
    )
    with pytest.raises(TransitionRefused):
        callback_record(
            callback=cb, user=hy.world.wang.user, outcome="satisfied", notes="", version=t.version, channel="page"
        )
