"""One clock sweep over many open tickets of which a few are due: the sweep's cost should follow
what is due, not how many tickets are open.

    .venv/bin/python bench/clock_sweep.py --open 100000                          # SQLite, 1 % due
    .venv/bin/python bench/clock_sweep.py --open 1000000                         # SQLite, 1 % due (+ 1,000-due rounds)
    scripts/with-postgres .venv/bin/python bench/clock_sweep.py --open 1000000   # PostgreSQL

Every ticket is open (in progress, a resolve clock running). `--due-fraction` of them (default 1 %)
have next_check_at ≤ now; the rest lie in the future, spaced so that moving `now` on by 30 minutes
makes exactly as many due again — each round sweeps a fresh due set. Due tickets are a mix of
pending 80 % warnings, breaches and second-level escalations, so the sweep writes events and
notifications as it would in production.

After the rounds at the full due count, rounds with `--fixed-due` tickets due (default 1,000) show
the cost at the same due count whatever the number of open tickets.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import configure, cpu_seconds, database_size, fill_tickets, fresh_database, header, load_base, measure  # noqa: E402

CPU_NOTE = {"postgresql": " (python + postgres backend)", "sqlite": " (one process)"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=100_000, help="open tickets")
    parser.add_argument("--due-fraction", type=float, default=0.01)
    parser.add_argument("--rounds", type=int, default=3, help="sweeps at the full due count")
    parser.add_argument("--fixed-due", type=int, default=1000, help="then sweeps with this many due (0: none)")
    parser.add_argument("--fixed-rounds", type=int, default=3)
    parser.add_argument("--batch", type=int, default=20_000, help="clock_sweep(batch=…): at least the due count")
    parser.add_argument("--select-runs", type=int, default=20)
    args = parser.parse_args()

    configure()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from guanjia.notify.models import Notification
    from guanjia.tickets.models import Event, Ticket
    from guanjia.tickets.services.clocks import clock_sweep

    due = round(args.open * args.due_fraction)
    if due > args.batch:
        raise SystemExit("--batch must be at least the due count, or one sweep leaves tickets due")
    fresh_database()
    header(f"clock_sweep over {args.open:,} open tickets, {due:,} due ({args.due_fraction:.1%})")
    base = load_base()
    now = timezone.now().replace(microsecond=0)
    fill = fill_tickets(base, count=args.open, now=now, open_fraction=1.0, due=due)
    print(f"   due kinds: {fill.kinds}")
    print(f"   size: {database_size()}")

    def due_select(at):
        # Exactly the sweep's first query (clocks.clock_sweep).
        return (
            Ticket.objects.filter(next_check_at__lte=at)
            .order_by("next_check_at")
            .values_list("id", flat=True)[: args.batch]
        )

    plan_opts = {"analyze": True, "buffers": True} if connection.vendor == "postgresql" else {}
    plan = due_select(now).explain(**plan_opts)
    uses_index = "ticket_next_check" in plan

    rounds: list[dict] = []
    offset = timedelta(0)  # how far `now` has moved

    def sweep_round(label: str, expect: int, step) -> None:
        nonlocal offset
        offset += step
        at = now + offset
        before = Ticket.objects.filter(next_check_at__lte=at).count()
        select = measure(lambda: list(due_select(at)), n=args.select_runs, warmup=1)
        events = Event.objects.count()
        t, cpu = time.perf_counter(), cpu_seconds()
        fired = clock_sweep(now=at, batch=args.batch)
        seconds, cpu = time.perf_counter() - t, cpu_seconds() - cpu
        after = Ticket.objects.filter(next_check_at__lte=at).count()
        handled = before - after
        r = dict(
            label=label,
            due=before,
            handled=handled,
            fired=fired,
            events=Event.objects.count() - events,
            seconds=seconds,
            cpu=cpu,
            select=select,
        )
        rounds.append(r)
        print(
            f"   {label:<10} due {before:>6,}  handled {handled:>6,}  fired {fired:>6,}  events +{r['events']:>6,}  "
            f"sweep {seconds:7.2f} s (CPU {cpu:6.2f} s) = {seconds / max(handled, 1) * 1000:5.2f} ms/ticket  "
            f"due SELECT median {select.median * 1000:6.2f} ms p95 {select.p95 * 1000:6.2f} ms"
        )
        if after:
            print(f"   !! {after:,} tickets still due after the sweep")
        sys.stdout.flush()

    print(f"   {'round':<10} (sweep time includes every fired event and notification; one transaction a ticket)")
    for i in range(args.rounds):
        sweep_round(f"{due:,} #{i + 1}", due, fill.round_step if i else timedelta(0))
    fixed = []
    if args.fixed_due and args.fixed_due != due and due:
        # The slots are evenly spaced: moving `now` by this fraction of a round step makes
        # `fixed_due` more tickets due (± 1 for rounding).
        step = fill.round_step * (args.fixed_due / due)
        for i in range(args.fixed_rounds):
            sweep_round(f"{args.fixed_due:,} #{i + 1}", args.fixed_due, step)
            fixed.append(rounds[-1])

    # Queries per handled ticket, measured on a separate (untimed) small round.
    at_step = fill.round_step * (min(100, due) / due) if due else fill.round_step
    offset += at_step
    with CaptureQueriesContext(connection) as ctx:
        handled_before = Ticket.objects.filter(next_check_at__lte=now + offset).count()
        clock_sweep(now=now + offset, batch=args.batch)
    queries = len(ctx.captured_queries) - 1

    main_rounds = rounds[: args.rounds]
    print()
    print(f"== summary: {connection.vendor}, {args.open:,} open tickets")
    print(f"   fill                {fill.count:,} tickets in {fill.seconds:.0f} s ({fill.rate:,.0f}/s)")
    med = statistics.median(r["seconds"] for r in main_rounds)
    per = statistics.median(r["seconds"] / max(r["handled"], 1) for r in main_rounds) * 1000
    cmed = statistics.median(r["cpu"] for r in main_rounds)
    print(
        f"   sweep, {due:,} due      median {med:.2f} s over {len(main_rounds)} rounds ({per:.2f} ms per due ticket), "
        f"CPU {cmed:.2f} s{CPU_NOTE[connection.vendor]}"
    )
    if fixed:
        fmed = statistics.median(r["seconds"] for r in fixed)
        fper = statistics.median(r["seconds"] / max(r["handled"], 1) for r in fixed) * 1000
        fcpu = statistics.median(r["cpu"] for r in fixed)
        print(
            f"   sweep, {args.fixed_due:,} due      median {fmed:.2f} s over {len(fixed)} rounds "
            f"({fper:.2f} ms per due ticket), CPU {fcpu:.2f} s"
        )
    sel = [s for r in main_rounds for s in r["select"].samples]
    print(
        f"   due SELECT alone    median {statistics.median(sel) * 1000:.2f} ms, p95 "
        f"{statistics.quantiles(sel, n=20, method='inclusive')[18] * 1000:.2f} ms ({due:,} ids)"
    )
    if fixed:
        fsel = [s for r in fixed for s in r["select"].samples]
        print(
            f"   due SELECT, {args.fixed_due:,} due median {statistics.median(fsel) * 1000:.2f} ms, p95 "
            f"{statistics.quantiles(fsel, n=20, method='inclusive')[18] * 1000:.2f} ms"
        )
    print(f"   queries per ticket  {queries / max(handled_before, 1):.1f} ({queries} for {handled_before} due tickets)")
    print(f"   rows written        {Event.objects.count():,} events, {Notification.objects.count():,} notifications")
    print(f"   index used          {'yes' if uses_index else 'NO'} (ticket_next_check)")
    print("   EXPLAIN of the due SELECT at the first round:")
    for line in plan.splitlines():
        print(f"     {line}")


if __name__ == "__main__":
    main()
