"""What every benchmark shares: a throwaway database, a small company, a fast ticket filler, timing.

Import this module before anything from Django:

    from _setup import configure
    configure()            # settings, DEBUG off, SQLite in a temp dir unless DATABASE_URL is set
    ...

The developer's database is never touched: without DATABASE_URL the SQLite file lives in a fresh
temporary directory (removed at exit); with DATABASE_URL the database must be empty (as the one
`scripts/with-postgres` creates), unless GUANJIA_BENCH_REUSE_DB=1.
"""

from __future__ import annotations

import atexit
import json
import os
import platform
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE_SEED = 1
BASE_SCALE = 0.2  # demo company at 20 %: 3 estates, ≈530 units, ≈1,000 residents, 121 staff

_tmp_dir: str | None = None


# ---------------------------------------------------------------------------------------------
# Django and the database.
# ---------------------------------------------------------------------------------------------


def configure() -> None:
    """Settings for a benchmark run: DEBUG off (no query log growing in memory), quiet logging,
    every file under a temporary GUANJIA_DATA_DIR, the test client's host allowed."""
    global _tmp_dir
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["GUANJIA_DEBUG"] = "0"
    os.environ.setdefault("GUANJIA_LOG_LEVEL", "WARNING")
    os.environ["GUANJIA_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    # One PostgreSQL backend for the whole run (its CPU time is read from /proc, see cpu_seconds).
    os.environ["GUANJIA_DB_CONN_MAX_AGE"] = "86400"
    _tmp_dir = tempfile.mkdtemp(prefix="guanjia-bench-")
    atexit.register(shutil.rmtree, _tmp_dir, ignore_errors=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so a killed run still removes its files
    os.environ["GUANJIA_DATA_DIR"] = _tmp_dir
    os.mkdir(os.path.join(_tmp_dir, "static"))  # whitenoise warns about a missing STATIC_ROOT
    if not os.environ.get("DATABASE_URL"):
        os.environ["GUANJIA_SQLITE_PATH"] = os.path.join(_tmp_dir, "bench.sqlite3")

    import django

    django.setup()
    from django.conf import settings

    assert not settings.DEBUG, "benchmarks must run with DEBUG off"


def fresh_database() -> None:
    """Migrate the (empty) benchmark database."""
    from django.core.management import call_command
    from django.db import connection

    tables = connection.introspection.table_names()
    if tables and os.environ.get("GUANJIA_BENCH_REUSE_DB") != "1":
        raise SystemExit(
            f"refusing to run: the database at DATABASE_URL already has {len(tables)} tables. "
            "Run under scripts/with-postgres (a throwaway cluster), or set GUANJIA_BENCH_REUSE_DB=1."
        )
    call_command("migrate", verbosity=0, interactive=False)


def vendor() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SHOW server_version")
            return f"PostgreSQL {cur.fetchone()[0]}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor


def machine() -> str:
    import django

    cores = os.cpu_count()
    try:
        mem = subprocess.run(["free", "-g"], capture_output=True, text=True, check=False).stdout.splitlines()[1]
        mem_gb = mem.split()[1]
    except (OSError, IndexError):
        mem_gb = "?"
    return (
        f"{cores} cores, {mem_gb} GB RAM, Python {platform.python_version()}, Django {django.get_version()}, "
        f"{vendor()}, load average {os.getloadavg()[0]:.2f}, calibration {calibration() * 1000:.0f} ms CPU"
    )


def calibration() -> float:
    """CPU seconds for sum(range(10**6)): ≈10–15 ms on a current desktop core. Scales the figures."""
    best = float("inf")
    for _ in range(5):
        t = time.process_time()
        sum(range(10**6))
        best = min(best, time.process_time() - t)
    return best


def database_size() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "SELECT pg_size_pretty(pg_total_relation_size('tickets_ticket')), "
                "pg_size_pretty(pg_database_size(current_database()))"
            )
            table, db = cur.fetchone()
        return f"tickets_ticket with indexes {table}, database {db}"
    path = connection.settings_dict["NAME"]
    size = sum(os.path.getsize(p) for p in (path, f"{path}-wal") if os.path.exists(p))
    return f"SQLite file {size / 2**20:.0f} MB"


def header(title: str) -> None:
    print(f"== {title}")
    print(f"   {machine()}")
    sys.stdout.flush()


# ---------------------------------------------------------------------------------------------
# The base company: estates, units, residents, departments, staff.
# ---------------------------------------------------------------------------------------------


@dataclass
class EstateData:
    id: int
    code: str
    weight: float
    units: list[int]
    residents: dict[int, list[tuple[int, str, str]]]  # unit id → (resident id, name, phone)
    common_areas: list[int]
    departments: dict[str, int]  # Department.Kind → id
    staff_by_department: dict[str, list[int]]  # Department.Kind → staff ids (assignees)
    front_desk: list[int]  # staff ids (首问责任人)


@dataclass
class Base:
    estates: list[EstateData]
    weights: list[float] = field(default_factory=list)


ESTATE_WEIGHTS = {"HY": 0.5, "HQ": 0.2, "WX": 0.3}


def load_base() -> Base:
    """The demo company at BASE_SCALE (≈3 s on SQLite), read back into plain ids for the filler."""
    from guanjia.estates.models import CommonArea, Estate, Unit
    from guanjia.org.models import Department, Staff
    from guanjia.org.roles import Role
    from guanjia.people.models import Occupancy
    from guanjia.web.demo import demo_load

    demo_load(seed=BASE_SEED, scale=BASE_SCALE)
    estates = []
    for estate in Estate.objects.order_by("id"):
        residents: dict[int, list[tuple[int, str, str]]] = {}
        for unit_id, rid, name, phone in Occupancy.objects.filter(estate=estate, moved_out_on__isnull=True).values_list(
            "unit_id", "resident_id", "resident__name", "resident__phone"
        ):
            residents.setdefault(unit_id, []).append((rid, name, phone))
        by_department: dict[str, list[int]] = {}
        for sid, kind in Staff.objects.filter(estates=estate, department__isnull=False, active=True).values_list(
            "id", "department__kind"
        ):
            by_department.setdefault(kind, []).append(sid)
        estates.append(
            EstateData(
                id=estate.id,
                code=estate.code,
                weight=ESTATE_WEIGHTS.get(estate.code, 0.2),
                units=list(Unit.objects.filter(estate=estate).order_by("id").values_list("id", flat=True)),
                residents=residents,
                common_areas=list(CommonArea.objects.filter(estate=estate).values_list("id", flat=True)),
                departments=dict(Department.objects.filter(estate=estate).values_list("kind", "id")),
                staff_by_department=by_department,
                front_desk=list(
                    Staff.objects.filter(estates=estate, role=Role.FRONT_DESK).values_list("id", flat=True)
                ),
            )
        )
    return Base(estates=estates, weights=[e.weight for e in estates])


# ---------------------------------------------------------------------------------------------
# What tickets say: realistic requests, by type and category.
# ---------------------------------------------------------------------------------------------

# (request type, category, urgency, weight, descriptions)
PROFILES: tuple[tuple[str, str, str, int, tuple[str, ...]], ...] = (
    (
        "repair",
        "water",
        "normal",
        14,
        (
            "厨房水管漏水，楼下天花板有水渍",
            "卫生间地漏堵塞，排水很慢",
            "洗手台下水管接口漏水",
            "马桶水箱一直在流水，关不住",
            "阳台洗衣机排水口反水",
        ),
    ),
    ("repair", "water", "urgent", 3, ("家里水管爆裂，水漫到客厅了，请尽快派人", "楼道消防栓漏水，地面全是水")),
    (
        "repair",
        "electrical",
        "normal",
        9,
        (
            "客厅灯不亮，空开跳闸后合不上",
            "楼道声控灯坏了，晚上很黑",
            "卧室插座没电",
            "地下车库B1区几盏灯不亮",
        ),
    ),
    (
        "repair",
        "elevator",
        "urgent",
        4,
        ("电梯运行时有异响，抖得厉害", "电梯按钮失灵，按了不亮", "电梯门关不上，一直开开关关"),
    ),
    (
        "repair",
        "access_control",
        "normal",
        5,
        ("单元门禁刷卡没有反应", "人脸识别门禁识别不了，进不了门", "可视对讲没有声音"),
    ),
    ("repair", "building", "normal", 5, ("外墙渗水，卧室墙面发霉", "阳台地砖空鼓开裂", "窗户密封条老化，下雨往里渗水")),
    ("repair", "gas_heating", "normal", 3, ("空调外机噪音大，滴水到楼下", "地暖不热，分水器好像有问题")),
    ("repair", "facilities", "normal", 3, ("儿童游乐区秋千链条松了，有安全隐患", "小区健身器材螺丝脱落")),
    (
        "complaint",
        "noise",
        "normal",
        6,
        ("楼上晚上十一点后还在装修，噪音扰民", "隔壁狗叫一整晚，影响休息", "广场舞音响太吵"),
    ),
    ("complaint", "parking", "normal", 4, ("我的车位被别人占用，联系不上车主", "消防通道上长期停车")),
    ("complaint", "sanitation", "normal", 3, ("垃圾分类投放点满了没人清理，味道很大", "楼道里堆放杂物很久没清")),
    ("complaint", "staff_conduct", "normal", 1, ("门岗保安态度不好，说话很冲", "维修师傅上门迟到两个小时也没打电话")),
    (
        "inquiry",
        "fees",
        "normal",
        5,
        ("物业费账单金额有疑问，想核对一下", "停车费怎么线上缴纳", "能不能开物业费电子发票"),
    ),
    ("inquiry", "general", "normal", 3, ("小区什么时候停水检修", "快递柜在哪里", "装修需要办理什么手续")),
    ("business", "keys_visitors", "normal", 3, ("家里来客人，需要开访客通行", "钥匙锁在家里了，请帮忙联系开锁")),
    ("business", "move_in_out", "normal", 2, ("下周六搬家，需要预约货梯", "新业主办理入伙手续")),
    ("business", "decoration", "normal", 2, ("办理装修申请，需要哪些材料", "装修垃圾清运预约")),
    ("suggestion", "community", "normal", 1, ("建议周末组织亲子活动", "建议在中心花园多加几张长椅")),
    ("praise", "general", "normal", 1, ("表扬维修李师傅，修得又快又好", "感谢前台帮忙找回丢失的钥匙")),
)
CHANNELS = ("front_desk", "hotline", "app", "wechat", "wechat", "app", "hotline", "email")
PROFILE_CUM = []
_total = 0
for _p in PROFILES:
    _total += _p[3]
    PROFILE_CUM.append(_total)


def pick_profile(rng: random.Random) -> tuple[str, str, str, str]:
    request_type, category, urgency, _w, texts = rng.choices(PROFILES, cum_weights=PROFILE_CUM)[0]
    return request_type, category, urgency, rng.choice(texts)


def department_kind(category: str) -> str:
    from guanjia.tickets.taxonomy import department_for

    return department_for(category)


# ---------------------------------------------------------------------------------------------
# The filler: N tickets straight into the table.
# ---------------------------------------------------------------------------------------------

H = timedelta(hours=1)
DAY = timedelta(days=1)
DUE_SPREAD = timedelta(minutes=30)  # the due set's next checks lie in [now - 30 min, now]
ROUND_STEP = timedelta(minutes=30)  # each later sweep round moves `now` by this much


@dataclass
class FillResult:
    count: int
    open: int
    due: int
    now: datetime
    round_step: timedelta  # sweeping at now + k·round_step finds exactly `due` more tickets each step
    seconds: float
    kinds: dict[str, int]

    @property
    def rate(self) -> float:
        return self.count / self.seconds


def fill_tickets(
    base: Base,
    *,
    count: int,
    now: datetime,
    open_fraction: float = 1.0,
    due: int = 0,
    days: int = 365,
    seed: int = 1,
    batch: int = 10_000,
    progress: bool = True,
) -> FillResult:
    """Insert `count` tickets directly: one prepared INSERT with executemany on SQLite, COPY on PostgreSQL.

    Tickets are created over `days` days up to a day before `now`, numbered per estate and local day
    like ticket_number_next does (and TicketSequence is set to match). Closed tickets have every clock
    stopped and next_check_at NULL. Open tickets are in progress with a running resolve clock whose
    next moment is exactly `next_check_at`:

    * `due` of them have next_check_at in [now − 30 min, now]: a pending 80 % warning, a breach
      (level 0 → 1) or a second escalation (level 1 → 2), so the sweep fires and moves each forward;
    * the others lie in the future, evenly spaced so that every ROUND_STEP after `now` exactly `due`
      more become due (a fresh due set for a repeated sweep).

    Clock lengths are whatever puts the next moment there (as an estate's own ServicePolicy may);
    the marks and due columns agree with clocks.next_check(), which is checked on a sample.
    """
    from django.db import connection, transaction

    from guanjia.tickets.models import State, Ticket, TicketSequence
    from guanjia.tickets.workdays import LOCAL

    rng = random.Random(seed)
    started = time.perf_counter()
    n_open = count if open_fraction >= 1 else round(count * open_fraction)
    if due > n_open:
        raise ValueError("more due tickets than open ones")
    # 0 closed, 1 open and not due, 2 open and due.
    status = bytearray(count)
    open_idx = range(count) if n_open == count else rng.sample(range(count), n_open)
    for i in open_idx:
        status[i] = 1
    for i in rng.sample(list(open_idx), due) if due else ():
        status[i] = 2
    # The k-th not-due open ticket (in creation order) gets future slot slots[k]; due tickets
    # get past slots. Slot spacing makes each ROUND_STEP window hold exactly `due` tickets.
    n_future = n_open - due
    slots = array("i", range(n_future))
    _shuffle_array(slots, rng)
    future_gap = ROUND_STEP / due if due else (2 * DAY) / max(n_future, 1)
    past_gap = DUE_SPREAD / due if due else timedelta(0)

    fields = [f for f in Ticket._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    first = now - timedelta(days=days)
    span = (now - DAY) - first
    counters: dict[tuple[int, object], int] = {}
    kinds = {"closed": 0, "future_warn": 0, "future_breach": 0, "future_level1": 0}
    kinds |= {"due_warn": 0, "due_breach": 0, "due_level1": 0}
    estate_cum = []
    acc = 0.0
    for e in base.estates:
        acc += e.weight
        estate_cum.append(acc)
    future_k = 0
    due_k = 0
    samples: list[dict] = []

    def rows() -> Iterator[dict]:
        nonlocal future_k, due_k
        for i in range(count):
            estate = rng.choices(base.estates, cum_weights=estate_cum)[0]
            created = first + span * ((i + rng.random()) / count)
            day = created.astimezone(LOCAL).date()
            seq = counters[(estate.id, day)] = counters.get((estate.id, day), 0) + 1
            request_type, category, urgency, text = pick_profile(rng)
            kind = department_kind(category)
            row = dict(defaults)
            row.update(
                estate_id=estate.id,
                number=f"{estate.code}-{day:%Y%m%d}-{seq:04d}",
                request_type=request_type,
                category=category,
                urgency=urgency,
                channel=rng.choice(CHANNELS),
                description=text,
                first_contact_id=rng.choice(estate.front_desk) if estate.front_desk else None,
                department_id=estate.departments.get(kind),
                created_at=created,
                clock_marks={},
            )
            if rng.random() < 0.85 and estate.units:
                unit = rng.choice(estate.units)
                row["unit_id"] = unit
                people = estate.residents.get(unit)
                if people:
                    rid, name, phone = rng.choice(people)
                    row.update(requester_id=rid, contact_name=name, contact_phone=phone)
            elif estate.common_areas:
                row["common_area_id"] = rng.choice(estate.common_areas)
                row["channel"] = "patrol"
            assignees = estate.staff_by_department.get(kind)
            row["assignee_id"] = rng.choice(assignees) if assignees else None
            start = created.isoformat()
            ack_at = created + timedelta(minutes=rng.randint(2, 90))
            arrived = created + timedelta(minutes=rng.randint(30, 20 * 60))
            row.update(acknowledged_at=ack_at, arrived_at=arrived, ack_due_at=created + 2 * H)
            row["arrive_due_at"] = created + 24 * H
            marks = {"ack": {"start": start, "warned": False, "level": 0}}
            marks["arrive"] = {"start": start, "warned": False, "level": 0}
            if status[i] == 0:
                _closed_row(row, rng, created, arrived, marks, State)
                kinds["closed"] += 1
            else:
                if status[i] == 2:
                    target = now - past_gap * due_k
                    due_k += 1
                    prefix = "due"
                else:
                    target = now + future_gap * (slots[future_k] + 1)
                    future_k += 1
                    prefix = "future"
                how = _running_clock(row, rng, created, target, now, marks)
                kinds[f"{prefix}_{how}"] += 1
                row["state"] = State.IN_PROGRESS
                row["version"] = 4
            row["clock_marks"] = marks
            if status[i] and len(samples) < 2000 and rng.random() < 0.05:
                samples.append(row)
            yield row

    is_pg = connection.vendor == "postgresql"
    attnames = [f.attname for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    jsons = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    table = connection.ops.quote_name(Ticket._meta.db_table)
    it = rows()
    done = 0
    if is_pg:
        # COPY: the way PostgreSQL is meant to take a million rows.
        sql = f"COPY {table} ({columns}) FROM STDIN"
        replica = _is_superuser()
        while done < count:
            with transaction.atomic(), connection.cursor() as cur:
                if replica:
                    # Skip the per-row foreign-key triggers (≈9 lookups a ticket, 5× the whole COPY);
                    # every id comes from the base company, and _check_foreign_keys proves it after.
                    cur.execute("SET LOCAL session_replication_role = replica")
                with cur.copy(sql) as copy:
                    for _ in range(min(batch * 5, count - done)):
                        row = next(it)
                        copy.write_row(
                            [json.dumps(row[a], ensure_ascii=False) if a in jsons else row[a] for a in attnames]
                        )
                        done += 1
            _progress(progress, done, count, started)
    else:
        # One prepared INSERT with executemany, in transactions of `batch` rows. bulk_create is ~10×
        # slower here: SQLite's 999-parameter limit makes it 19 rows a statement, and Django's
        # per-value preparation costs ≈0.5 ms a ticket. Values are stored as Django stores them.
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(attnames))})"
        with connection.cursor() as cur:
            # Fill only: no fsync, a large page cache; back to the settings' values afterwards.
            cur.execute("PRAGMA synchronous=OFF")
            cur.execute("PRAGMA cache_size=-200000")
        try:
            while done < count:
                chunk = [_sqlite_values(next(it), attnames) for _ in range(min(batch, count - done))]
                with transaction.atomic(), connection.cursor() as cur:
                    cur.executemany(sql, chunk)
                done += len(chunk)
                _progress(progress, done, count, started)
        finally:
            with connection.cursor() as cur:
                cur.execute("PRAGMA synchronous=NORMAL")
                cur.execute("PRAGMA cache_size=-2000")
                cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    TicketSequence.objects.bulk_create(
        [TicketSequence(estate_id=e, day=d, last=n) for (e, d), n in counters.items()], batch_size=2000
    )
    if is_pg:
        with connection.cursor() as cur:
            # What autovacuum would have done by the time a real table got this big.
            cur.execute("VACUUM ANALYZE tickets_ticket")
    seconds = time.perf_counter() - started
    _check_samples(samples)
    _check_foreign_keys(Ticket)
    if progress:
        start = "\r" if sys.stdout.isatty() else ""
        print(f"{start}   filled {count:,} tickets in {seconds:.1f} s ({count / seconds:,.0f}/s)          ")
    return FillResult(count=count, open=n_open, due=due, now=now, round_step=ROUND_STEP, seconds=seconds, kinds=kinds)


def _sqlite_values(row: dict, attnames: list[str]) -> tuple:
    """A row as Django's SQLite backend writes it: aware datetimes as naive UTC text, JSON as text."""
    out = [row[a] for a in attnames]
    for i, v in enumerate(out):
        if v.__class__ is datetime:
            out[i] = str((v if v.tzinfo is UTC else v.astimezone(UTC)).replace(tzinfo=None))
        elif v.__class__ is dict:
            out[i] = json.dumps(v, ensure_ascii=False)
    return tuple(out)


def _closed_row(row: dict, rng: random.Random, created: datetime, arrived: datetime, marks: dict, State) -> None:
    start = created.isoformat()
    if rng.random() < 0.05:
        row.update(state=State.CANCELLED, closed_at=created + timedelta(minutes=rng.randint(5, 120)))
        row.update(acknowledged_at=None, arrived_at=None, version=2)
        return
    resolved = arrived + timedelta(minutes=rng.randint(20, 180))
    confirmed = resolved + timedelta(minutes=rng.randint(5, 120))
    closed = confirmed + timedelta(minutes=rng.randint(5, 60))
    row.update(
        state=State.CLOSED,
        resolved_at=resolved,
        confirmed_at=confirmed,
        closed_at=closed,
        resolve_due_at=created + 72 * H,
        callback_due_at=resolved + 48 * H,
        version=rng.randint(6, 9),
    )
    marks["resolve"] = {"start": start, "warned": False, "level": 0}
    marks["callback"] = {"start": resolved.isoformat(), "warned": False, "level": 0}


def _running_clock(row: dict, rng: random.Random, created: datetime, target: datetime, now: datetime, marks) -> str:
    """Set the resolve clock so that its next moment (clocks._next_moment) is exactly `target`.

    warn:   not yet warned, the 80 % point is `target`  → due = start + (target − start) / 0.8
    breach: warned, level 0, due at `target`            (only if the warning already fired by now)
    level1: warned, escalated once, the next step at `target` → due = target − 24 h
    """
    start = created.isoformat()
    to_target = target - created
    can_breach = created + (to_target * 4) / 5 <= now  # the 80 % warning has fired by now
    can_level1 = to_target >= 2 * DAY and target - DAY <= now  # step is 24 h and the breach already fired
    roll = rng.random()
    if can_level1 and roll < 0.2:
        how, due, warned, level = "level1", target - DAY, True, 1
    elif can_breach and roll < 0.6:
        how, due, warned, level = "breach", target, True, 0
    else:
        how, due, warned, level = "warn", created + to_target * 5 / 4, False, 0
    row.update(resolve_due_at=due, next_check_at=target, escalation_level=level)
    marks["resolve"] = {"start": start, "warned": warned, "level": level}
    return how


def _check_samples(samples: list[dict]) -> None:
    """The filler's next_check_at must be what the real clocks code computes."""
    from guanjia.tickets.models import Ticket
    from guanjia.tickets.services.clocks import next_check

    for row in samples:
        ticket = Ticket(**row)
        expected = next_check(ticket)
        if expected is None or abs((expected - row["next_check_at"]).total_seconds()) > 0.001:
            raise AssertionError(f"filler bug: {row['number']} next_check_at {row['next_check_at']} != {expected}")


def _is_superuser() -> bool:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        return bool(cur.fetchone()[0])


def _check_foreign_keys(model) -> None:
    """Every foreign key of the filled rows points at a row that exists (the COPY skipped the triggers)."""
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cur:
        for f in model._meta.concrete_fields:
            if not f.is_relation:
                continue
            parent = connection.ops.quote_name(f.related_model._meta.db_table)
            col = connection.ops.quote_name(f.column)
            cur.execute(
                f"SELECT count(*) FROM {table} t WHERE t.{col} IS NOT NULL "
                f"AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.id = t.{col})"
            )
            broken = cur.fetchone()[0]
            if broken:
                raise AssertionError(f"filler bug: {broken} tickets with a dangling {f.column}")


def _shuffle_array(values: array, rng: random.Random) -> None:
    for i in range(len(values) - 1, 0, -1):
        j = rng.randint(0, i)
        values[i], values[j] = values[j], values[i]


def _progress(enabled: bool, done: int, count: int, started: float) -> None:
    if not enabled:
        return
    elapsed = time.perf_counter() - started
    if sys.stdout.isatty():
        print(f"\r   filling … {done:,}/{count:,} ({done / elapsed:,.0f}/s)", end="", flush=True)
    elif done % 200_000 == 0:  # a log file: a line now and then
        print(f"   filling … {done:,}/{count:,} ({done / elapsed:,.0f}/s)", flush=True)


# ---------------------------------------------------------------------------------------------
# Timing.
# ---------------------------------------------------------------------------------------------


def cpu_seconds() -> float:
    """CPU time spent on the work so far: this process, plus the PostgreSQL backend serving it.

    The machine is shared: wall time includes waiting for a core, CPU time does not. The backend
    runs on the same machine (scripts/with-postgres), so /proc has its counters (10 ms ticks).
    """
    from django.db import connection

    spent = time.process_time()
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        pid = connection.connection.info.backend_pid
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        spent += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    return spent


@dataclass
class Stats:
    samples: list[float]  # seconds

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        if len(self.samples) < 2:
            return self.samples[0]
        return statistics.quantiles(self.samples, n=20, method="inclusive")[18]

    def ms(self) -> str:
        return f"median {self.median * 1000:8.1f} ms   p95 {self.p95 * 1000:8.1f} ms   (n={len(self.samples)})"


def measure(fn: Callable[[], object], *, n: int, warmup: int = 2) -> Stats:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return Stats(samples)
