"""The staff ticket list page and the API list over a million tickets: time per request, and SQL
queries per request at two page sizes (they must not grow with the page).

    .venv/bin/python bench/ticket_list.py [--count 1000000]                         # SQLite
    scripts/with-postgres .venv/bin/python bench/ticket_list.py [--count 1000000]   # PostgreSQL

A front-desk clerk of 和悦家园 (which holds half the tickets) is logged in with the test client:
requests go through the whole middleware stack, session and template/serializer, with no network.
The paginators (guanjia.web.paging) count at most 10,001 rows of the filtered queryset on every
request; that capped count and an exact COUNT(*) are measured on their own too.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import (  # noqa: E402
    Stats,
    configure,
    cpu_seconds,
    database_size,
    fill_tickets,
    fresh_database,
    header,
    load_base,
    measure,
)

SEARCH = "state=all&type=repair&category=water&q=漏水"
CASES = (
    ("page", "/tickets/?queue=estate"),
    ("page, page 200", "/tickets/?queue=estate&page=200"),
    ("page, search", f"/tickets/?queue=estate&{SEARCH}"),
    ("API", "/api/v1/tickets/"),
    ("API, page 200", "/api/v1/tickets/?page=200"),
    ("API, search", f"/api/v1/tickets/?{SEARCH}"),
)
ROW = re.compile(r'data-ticket="')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--open-fraction", type=float, default=0.1)
    parser.add_argument("-n", type=int, default=50, help="requests per case")
    parser.add_argument("--user", default="hy-front-desk-1")
    args = parser.parse_args()

    configure()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.http import QueryDict
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from guanjia.tickets import views
    from guanjia.tickets.selectors import TicketFilters, ticket_search

    fresh_database()
    header(f"ticket list over {args.count:,} tickets ({args.open_fraction:.0%} open)")
    base = load_base()
    fill = fill_tickets(base, count=args.count, now=timezone.now(), open_fraction=args.open_fraction)
    print(f"   size: {database_size()}")
    user = get_user_model().objects.get(username=args.user)
    client = Client()
    client.force_login(user)

    def rows_of(response) -> int:
        if response["Content-Type"].startswith("application/json"):
            return len(response.json()["results"])
        return len(ROW.findall(response.content.decode()))

    # -- time per request
    print(f"\n   as {args.user}; {args.n} requests per case after 2 warm-up requests")
    print(f"   {'case':<16} {'rows':>4}  {'median ms':>9}  {'p95 ms':>8}  {'CPU ms/req':>10}  {'queries':>7}  url")
    timings = {}
    for label, url in CASES:
        try:
            first = client.get(url)
        except Exception as error:  # a view still being written: say so, measure the rest
            print(f"   {label:<16} failed: {error!r}")
            continue
        if first.status_code != 200:
            print(f"   {label:<16} HTTP {first.status_code} — not measured")
            continue
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        n_queries = len(ctx.captured_queries)  # now: every request starts by clearing the query log
        samples = []
        cpu = cpu_seconds()
        for _ in range(args.n):
            t = time.perf_counter()
            client.get(url)
            samples.append(time.perf_counter() - t)
        cpu = (cpu_seconds() - cpu) / args.n
        stats = Stats(samples)
        timings[label] = (stats, cpu, n_queries)
        print(
            f"   {label:<16} {rows_of(first):>4}  {stats.median * 1000:9.1f}  {stats.p95 * 1000:8.1f}  "
            f"{cpu * 1000:10.1f}  {n_queries:>7}  {url}"
        )
        sys.stdout.flush()

    # -- queries per request at two page sizes
    print("\n   queries per request by page size (must be constant)")
    sizes = {}
    for size in (25, 100):
        saved = views.PAGE_SIZE
        views.PAGE_SIZE = size  # the page's size is a module constant; the API takes ?page_size=
        try:
            with CaptureQueriesContext(connection) as page_q:
                page = client.get("/tickets/?queue=estate")
            page_queries = list(page_q.captured_queries)
        finally:
            views.PAGE_SIZE = saved
        with CaptureQueriesContext(connection) as api_q:
            api = client.get(f"/api/v1/tickets/?page_size={size}")
        sizes[size] = (page_queries, page, list(api_q.captured_queries), api)
    print(f"   {'':<10} {'page size 25':>22} {'page size 100':>22}")
    for name, idx, resp in (("page", 0, 1), ("API", 2, 3)):
        cells = []
        for size in (25, 100):
            q, r = sizes[size][idx], sizes[size][resp]
            cells.append(f"{len(q)} queries, {rows_of(r) if r.status_code == 200 else '-'} rows")
        print(f"   {name:<10} {cells[0]:>22} {cells[1]:>22}")

    print("\n   the queries of one page request (page size 25), with their time:")
    for q in sizes[25][0]:
        print(f"     {float(q['time']) * 1000:8.1f} ms  {q['sql'][:150]}")
    print("\n   the queries of one API request (page size 25), with their time:")
    for q in sizes[25][2]:
        print(f"     {float(q['time']) * 1000:8.1f} ms  {q['sql'][:150]}")

    # -- the COUNT(*) on its own
    from guanjia.web.paging import CappedPaginator

    print("\n   an exact COUNT(*), the capped count the paginators run, and the page's SELECT, outside any request:")
    for label, params in (("default queue", "queue=estate"), ("search", SEARCH)):
        qs = ticket_search(user=user, filters=TicketFilters.from_params(QueryDict(params)))
        total = qs.count()
        count = measure(qs.count, n=10, warmup=1)
        first_page = measure(lambda qs=qs: list(qs[:25]), n=10, warmup=1)
        page_200 = measure(lambda qs=qs: list(qs[199 * 25 : 200 * 25]), n=10, warmup=1)
        capped = measure(lambda qs=qs: CappedPaginator(qs, 25).count, n=10, warmup=1)
        print(f"   {label:<14} {total:>9,} rows   COUNT(*)     {count.ms()}")
        print(f"   {'':<14} {'':>14}   capped count {capped.ms()}  (what the pages and the API run)")
        print(f"   {'':<14} {'':>14}   first page   {first_page.ms()}")
        print(f"   {'':<14} {'':>14}   page 200     {page_200.ms()}")
    qs = ticket_search(user=user, filters=TicketFilters.from_params(QueryDict("queue=estate")))
    opts = {"analyze": True} if connection.vendor == "postgresql" else {}
    print("\n   EXPLAIN COUNT(*) (default queue):")
    for line in _explain_count(qs, opts).splitlines():
        print(f"     {line}")
    print("   EXPLAIN first page (default queue):")
    for line in qs[:25].explain(**opts).splitlines():
        print(f"     {line}")

    print(f"\n== summary: {connection.vendor}, {args.count:,} tickets, fill {fill.seconds:.0f} s ({fill.rate:,.0f}/s)")
    for label, (stats, cpu, queries) in timings.items():
        print(f"   {label:<16} {stats.ms()}   CPU {cpu * 1000:.1f} ms/req   {queries} queries")


def _explain_count(qs, opts) -> str:
    """EXPLAIN of exactly the SQL that qs.count() (the paginators' count) sends."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        qs.count()
    sql = ctx.captured_queries[-1]["sql"]
    prefix = "EXPLAIN (ANALYZE) " if opts.get("analyze") else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cur:
        cur.execute(prefix + sql)
        return "\n".join(" ".join(str(c) for c in row) for row in cur.fetchall())


if __name__ == "__main__":
    main()
