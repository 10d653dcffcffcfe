"""Tickets per second through the service layer: ticket_create, one call per ticket, with its events.

    .venv/bin/python bench/create_tickets.py [--count 100000]                         # SQLite
    scripts/with-postgres .venv/bin/python bench/create_tickets.py [--count 100000]   # PostgreSQL

Each call is what the quick-entry page and the API do: validate, number the ticket (locked per
estate and day), look up the promise and the department, start the clocks, save, record the
`created` event — and for a sensitive complaint escalate to the supervisor with a notification.
Tickets are spread one a minute so numbers stay realistic (≤ 1,440 a day over three estates).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import Stats, configure, cpu_seconds, database_size, fresh_database, header, load_base, pick_profile  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    configure()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from guanjia.estates.models import CommonArea, Estate, Unit
    from guanjia.notify.models import Notification
    from guanjia.org.roles import Role
    from guanjia.people.models import Resident
    from guanjia.tickets.models import Event, Ticket
    from guanjia.tickets.services import ticket_create

    fresh_database()
    header(f"ticket_create × {args.count:,}")
    base = load_base()
    rng = random.Random(args.seed)

    estates = {e.id: e for e in Estate.objects.all()}
    units = Unit.objects.in_bulk()
    areas = CommonArea.objects.in_bulk()
    residents = Resident.objects.in_bulk()
    desk = {}  # estate id → front-desk users (their staff row cached, as a logged-in request has it)
    for user in get_user_model().objects.filter(staff__role=Role.FRONT_DESK).select_related("staff"):
        for estate_id in user.staff.estates.values_list("id", flat=True):
            desk.setdefault(estate_id, []).append(user)
    cum = []
    acc = 0.0
    for e in base.estates:
        acc += e.weight
        cum.append(acc)

    def arguments(at) -> dict:
        e = rng.choices(base.estates, cum_weights=cum)[0]
        request_type, category, urgency, text = pick_profile(rng)
        kw = dict(
            estate=estates[e.id],
            request_type=request_type,
            category=category,
            urgency=urgency,
            description=text,
            channel=rng.choice(("front_desk", "hotline", "app", "wechat")),
            user=rng.choice(desk[e.id]),
            now=at,
        )
        if rng.random() < 0.85:
            unit_id = rng.choice(e.units)
            kw["unit"] = units[unit_id]
            people = e.residents.get(unit_id)
            if people:
                kw["requester"] = residents[rng.choice(people)[0]]
        else:
            kw["common_area"] = areas[rng.choice(e.common_areas)]
        if request_type == "complaint" and rng.random() < 0.05:
            kw["sensitive"] = True  # escalated at once: supervisor looked up, notification queued
        return kw

    start = timezone.now() - timedelta(minutes=args.count + 10)
    per_call = []
    chunk_started = overall = time.perf_counter()
    cpu_started = cpu_overall = cpu_seconds()
    print(f"   {'tickets':>17}  {'seconds':>8}  {'tickets/s':>9}  {'CPU s':>7}  {'tickets/CPU s':>13}  load")
    for i in range(args.count):
        kw = arguments(start + timedelta(minutes=i))
        t = time.perf_counter()
        ticket_create(**kw)
        per_call.append(time.perf_counter() - t)
        if (i + 1) % args.chunk == 0 or i + 1 == args.count:
            now, cpu = time.perf_counter(), cpu_seconds()
            done = (i % args.chunk) + 1
            print(
                f"   {i + 2 - done:>7,}–{i + 1:<9,}  {now - chunk_started:8.1f}  {done / (now - chunk_started):9,.0f}"
                f"  {cpu - cpu_started:7.1f}  {done / (cpu - cpu_started):13,.0f}  {os.getloadavg()[0]:.1f}"
            )
            sys.stdout.flush()
            chunk_started, cpu_started = now, cpu
    elapsed = time.perf_counter() - overall
    cpu_total = cpu_seconds() - cpu_overall
    stats = Stats(per_call)

    tickets = Ticket.objects.count()
    events = Event.objects.count()
    notes = Notification.objects.count()
    # Queries per call, outside the timing: an ordinary repair, a complaint (working-day calendar),
    # a sensitive complaint (escalation).
    counts = {}
    for label, extra in (
        ("repair", dict(request_type="repair", category="water", urgency="normal")),
        ("complaint", dict(request_type="complaint", category="noise", urgency="normal")),
        ("sensitive complaint", dict(request_type="complaint", category="noise", urgency="normal", sensitive=True)),
    ):
        kw = arguments(timezone.now())
        kw.update(extra)
        with CaptureQueriesContext(connection) as ctx:
            ticket_create(**kw)
        counts[label] = len(ctx.captured_queries)

    print()
    print(f"   database            {connection.vendor} — {header_vendor()}")
    print(f"   tickets created     {args.count:,} in {elapsed:.1f} s = {args.count / elapsed:,.0f} tickets/s")
    print(
        f"   CPU time            {cpu_total:.1f} s = {args.count / cpu_total:,.0f} tickets per CPU second{_cpu_note()}"
    )
    print(f"   per ticket_create   {stats.ms()}  (wall)")
    print(f"   rows                {tickets:,} tickets, {events:,} events, {notes:,} notifications")
    print("   queries per call    " + ", ".join(f"{k}: {v}" for k, v in counts.items()))
    print(f"   size                {database_size()}")


def _cpu_note() -> str:
    from django.db import connection

    return " (python + postgres backend)" if connection.vendor == "postgresql" else " (python + SQLite, one process)"


def header_vendor() -> str:
    from _setup import vendor

    return vendor()


if __name__ == "__main__":
    main()
