"""Service-promise clocks under frozen time: warning at 80 %, breach, each escalation step, pause on hold,
and working days across a public holiday."""

from datetime import date, datetime, timedelta

import pytest

from guanjia.notify.models import Notification
from guanjia.tickets.models import Event, Holiday, HolidayYear, Ticket
from guanjia.tickets.services import (
    clock_sweep,
    ticket_accept,
    ticket_arrive,
    ticket_dispatch,
    ticket_hold,
    ticket_resume,
)
from guanjia.tickets.tests.conftest import MONDAY_9, SH, new_repair
from guanjia.tickets.workdays import add_working_days

pytestmark = pytest.mark.django_db


def kinds(ticket, *wanted):
    return list(ticket.events.filter(kind__in=wanted).values_list("kind", "detail__clock"))


def dispatched_emergency(hy):
    w = hy.world
    t = new_repair(w, urgency="emergency", description="水管爆了，水从天花板往下灌")
    return ticket_dispatch(ticket=t, assignee=w.li, user=w.wang.user, version=t.version, channel="page")


def test_emergency_repair_promises_30_minutes_on_site_and_same_day(hy):
    t = dispatched_emergency(hy)
    assert t.ack_due_at == MONDAY_9 + timedelta(minutes=5)
    assert t.arrive_due_at == MONDAY_9 + timedelta(minutes=30)
    assert t.resolve_due_at == datetime(2026, 11, 23, 23, 59, 59, tzinfo=SH)  # 急修不过夜


def test_warning_fires_at_80_percent_of_the_on_site_clock(hy, clock):
    t = dispatched_emergency(hy)
    clock.move_to(MONDAY_9 + timedelta(minutes=23))
    assert clock_sweep() == 0
    clock.move_to(MONDAY_9 + timedelta(minutes=24))
    clock_sweep()
    assert kinds(t, "warning", "breach") == [("warning", "arrive")]
    assert Notification.objects.filter(recipient=hy.world.li.user, template="clock_warning").count() == 1


def test_sweeping_twice_fires_nothing_twice(hy, clock):
    t = dispatched_emergency(hy)
    clock.move_to(MONDAY_9 + timedelta(minutes=25))
    first = clock_sweep()
    assert first >= 1 and clock_sweep() == 0
    assert t.events.filter(kind="warning").count() == 1


def test_emergency_repair_escalates_to_supervisor_after_30_minutes(hy, clock):
    t = dispatched_emergency(hy)
    clock.move_to(MONDAY_9 + timedelta(minutes=30))
    clock_sweep()
    escalation = t.events.get(kind=Event.Kind.ESCALATION, detail__clock="arrive")
    assert escalation.detail["level"] == 1 and escalation.detail["to"] == hy.sup.pk
    assert t.events.filter(kind=Event.Kind.BREACH, detail__clock="arrive").count() == 1
    assert Notification.objects.filter(recipient=hy.sup.user, template="clock_escalation", ticket=t).exists()


def test_each_escalation_step_reaches_the_next_person_up_the_chain(hy, clock):
    t = dispatched_emergency(hy)
    steps = []
    for minutes, expected in [(30, hy.sup), (60, hy.centre), (90, hy.estate_mgr)]:
        clock.move_to(MONDAY_9 + timedelta(minutes=minutes))
        clock_sweep()
        last = t.events.filter(kind=Event.Kind.ESCALATION, detail__clock="arrive").order_by("-id").first()
        steps.append((last.detail["level"], last.detail["to"]))
        assert Notification.objects.filter(recipient=expected.user, template="clock_escalation").exists()
    assert steps == [(1, hy.sup.pk), (2, hy.centre.pk), (3, hy.estate_mgr.pk)]
    t.refresh_from_db()
    assert t.escalation_level == 3


def test_arriving_in_time_stops_the_on_site_clock(hy, clock):
    w = hy.world
    t = dispatched_emergency(hy)
    t = ticket_accept(ticket=t, user=w.li.user, version=t.version, channel="app")
    clock.move_to(MONDAY_9 + timedelta(minutes=20))
    ticket_arrive(ticket=t, user=w.li.user, version=t.version, channel="app")
    clock.move_to(MONDAY_9 + timedelta(minutes=45))
    clock_sweep()
    assert kinds(t, "warning", "breach") == []


def test_clock_pauses_on_hold_and_resumes_shifted_by_the_pause(hy, clock):
    w = hy.world
    t = new_repair(w)  # normal repair: on site within 24 h
    t = ticket_dispatch(ticket=t, assignee=w.li, user=w.wang.user, version=t.version, channel="page")
    t = ticket_accept(ticket=t, user=w.li.user, version=t.version, channel="app")
    original_due = t.arrive_due_at
    clock.move_to(MONDAY_9 + timedelta(hours=1))
    t = ticket_hold(ticket=t, user=w.li.user, version=t.version, channel="app", reason="业主不在家，约明天")
    assert t.next_check_at is None
    clock.move_to(MONDAY_9 + timedelta(hours=30))  # past the original deadline while held
    assert clock_sweep() == 0
    t = ticket_resume(ticket=t, user=w.wang.user, version=t.version, channel="page")
    assert t.arrive_due_at == original_due + timedelta(hours=29)
    assert kinds(t, "warning", "breach") == []


def test_sweep_reads_only_tickets_that_are_due(hy, clock, django_assert_max_num_queries):
    for _ in range(30):
        new_repair(hy.world)  # normal repairs: nothing due for 1.6 hours
    clock.move_to(MONDAY_9 + timedelta(minutes=10))
    with django_assert_max_num_queries(1):
        assert clock_sweep() == 0


def test_complaint_statutory_limit_counts_working_days_across_national_day(hy, clock):
    # 2026-09-30 (Wed): National Day runs 10-01..10-07 with 09-20 and 10-10 as working Saturdays/Sundays.
    start = datetime(2026, 9, 30, 10, 0, tzinfo=SH)
    result = add_working_days(start, 3)
    # 10-01..10-07 are holidays; 10-08 (Thu), 10-09 (Fri), 10-10 (Sat, a working day)
    assert result.due.date() == date(2026, 10, 10)
    assert result.warning == ""


def test_admin_entered_holiday_counts_for_the_next_year(hy):
    HolidayYear.objects.create(year=2027, source="国务院办公厅通知")
    Holiday.objects.create(date=date(2027, 1, 1), name="元旦")
    result = add_working_days(datetime(2026, 12, 31, 10, 0, tzinfo=SH), 1)
    assert result.due.date() == date(2027, 1, 4)  # Fri 1 Jan is a holiday, then the weekend
    assert result.warning == ""


def test_unknown_year_falls_back_to_weekends_with_a_visible_warning(hy, clock):
    clock.move_to(datetime(2027, 3, 1, 9, 0, tzinfo=SH))
    t = new_repair(hy.world, request_type="complaint", category="staff_conduct", description="保安态度恶劣")
    assert t.statutory_due_at.astimezone(SH).date() == date(2027, 4, 12)  # 30 weekdays after Mon 1 Mar
    assert "2027" in t.calendar_warning and "周末" in t.calendar_warning


def test_major_complaint_resolves_in_7_working_days(hy, clock):
    t = new_repair(hy.world, request_type="complaint", category="noise", major=True, description="多户联名投诉噪音")
    # Monday 23 Nov + 7 working days = Wednesday 2 Dec
    assert t.resolve_due_at.astimezone(SH).date() == date(2026, 12, 2)
    assert t.ack_due_at == MONDAY_9 + timedelta(minutes=30)


def test_estate_policy_overrides_the_default_promise(hy):
    from guanjia.tickets.models import ServicePolicy

    ServicePolicy.objects.create(
        estate=hy.world.hy,
        request_type="repair",
        urgency="normal",
        ack_minutes=60,
        arrive_minutes=240,
        resolve_minutes=48 * 60,
    )
    t = new_repair(hy.world)
    assert (t.ack_due_at, t.arrive_due_at, t.resolve_due_at) == (
        MONDAY_9 + timedelta(hours=1),
        MONDAY_9 + timedelta(hours=4),
        MONDAY_9 + timedelta(hours=48),
    )
    assert Ticket.objects.count() == 1


def test_holiday_admin_warns_until_next_years_holidays_are_entered(hy, client):
    client.force_login(hy.world.boss.user)
    page = client.get("/admin/tickets/holiday/").content.decode()
    assert "2027 年的法定节假日尚未录入" in page
    response = client.post("/admin/tickets/holidayyear/add/", {"year": 2027, "source": "国办发明电"})
    assert response.status_code == 302
    assert "2027 年的法定节假日尚未录入" not in client.get("/admin/tickets/holiday/").content.decode()


def test_only_a_company_admin_edits_the_holiday_calendar(hy, client):
    client.force_login(hy.world.wang.user)
    assert client.get("/admin/tickets/holiday/").status_code == 200
    assert client.post("/admin/tickets/holiday/add/", {"date": "2027-01-01", "name": "元旦"}).status_code == 403
