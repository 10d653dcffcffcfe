"""Tickets per second through the owner API (POST /api/v1/requests/), served by gunicorn on loopback.

    .venv/bin/python bench/intake_api.py [--requests 400] [--repeat 3] [--workers N]                          # SQLite
    scripts/with-postgres .venv/bin/python bench/intake_api.py [--requests 400] [--repeat 3] [--workers N]    # PostgreSQL

Workers default to 2 × cores + 1 (gunicorn's rule of thumb); gunicorn's other settings are its defaults.

A fresh database (SQLite in a temporary GUANJIA_DATA_DIR, or the throwaway cluster of with-postgres) gets
the demo company; as many owners as the run needs get a login user and a DRF token, each with a unit of
their own. gunicorn then serves config.wsgi on 127.0.0.1 (sync workers, DEBUG off), and a thread pool of
1 or 8 clients posts owner messages, each for a different unit with a unique Idempotency-Key, so every
request is a new ticket (the same unit + category within 4 hours would be a follow-up instead; the
counts below show which it was). Every worker is warmed up first (the triage model loads lazily, ≈1 s).

Latency is per request, client side (connect → body read); tickets/s is successful requests over the
wall time of the run. At the end: the same Idempotency-Key posted by 8 clients at once must give one ticket.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import BASE_SEED, ROOT, Stats, configure, fresh_database, header  # noqa: E402

PATH = "/api/v1/requests/"
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 60.0  # seconds a single request may take before it counts as an error
READY_TIMEOUT = 90.0  # seconds gunicorn may take to answer its first request
WARMUP_ROUNDS = 8

# What owners type into the app: repairs, complaints, inquiries, errands — a few are public faults
# (lift, gate, water pressure) that the intake groups under a parent ticket per building.
OWNER_TEXTS: tuple[str, ...] = (
    "厨房水槽下面的水管在滴水，柜子里都湿了，麻烦派师傅来看看",
    "卫生间地漏堵了，洗澡的时候水排不下去",
    "马桶水箱一直流水，关不住，水费好贵",
    "阳台洗衣机排水口往外反水，地上全是水",
    "楼下说我家漏水到他家天花板了，请物业上门查一下",
    "客厅的灯不亮了，空开跳闸以后合不上去",
    "卧室两个插座都没电，其他房间正常",
    "家门口楼道的声控灯坏了好几天，晚上很黑",
    "热水器打不着火，可能是燃气那边的问题",
    "地暖不热，屋里只有十几度",
    "空调外机滴水滴到楼下阳台，邻居有意见",
    "卧室外墙渗水，墙角发霉了",
    "阳台地砖空鼓，踩上去有响声，还裂了一块",
    "窗户密封条老化，下雨往屋里渗水",
    "入户门锁坏了，钥匙拧不动",
    "电梯运行的时候抖得厉害，还有异响，老人不敢坐",
    "单元门禁刷卡没反应，进不了楼",
    "可视对讲没声音，快递员联系不上我",
    "最近家里水压特别低，洗澡都不行",
    "楼上每天晚上十一点以后还在装修，电钻声吵得没法睡",
    "隔壁家的狗叫了一整晚，影响休息，请物业协调",
    "小区广场舞音响太吵了，每天晚上八点到十点",
    "我的固定车位又被别人占了，联系不上车主",
    "消防通道上长期停着几辆车，太危险了",
    "垃圾分类投放点满了没人清理，味道很大",
    "楼道里邻居堆了很多纸箱杂物，好久没人清",
    "门岗保安说话态度很差，希望物业管一管",
    "维修师傅约了上午来，等到中午也没来，也没打电话",
    "小区里有人遛狗不拴绳，孩子被吓哭了",
    "物业费账单金额和去年不一样，想核对一下",
    "停车费可以在手机上交吗，在哪里交",
    "能不能开物业费的电子发票",
    "请问小区什么时候停水检修，要提前储水吗",
    "快递柜满了，快递一直放不进去",
    "想办理装修申请，需要准备哪些材料",
    "下周六搬家，需要预约货梯",
    "装修垃圾什么时候可以清运，要预约吗",
    "家里来客人，需要开一个访客车辆通行",
    "钥匙锁在家里了，能帮忙联系开锁师傅吗",
    "新买的房子，想办理入伙手续",
    "建议在中心花园多放几张长椅，老人散步没地方坐",
    "建议周末组织一些亲子活动",
    "表扬一下维修李师傅，修得又快又好",
    "感谢前台小王帮我找回了丢失的钥匙",
    "小区健身器材有个螺丝掉了，小孩玩有危险",
    "儿童游乐区秋千链条松了，请尽快修一下",
    "车库B1的几盏灯不亮，停车很不方便",
    "家里厨房的下水道反味，很臭",
)


# ---------------------------------------------------------------------------------------------
# Owners: a login user and a token for one current occupant of each unit the run will use.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Owner:
    unit: int
    token: str
    estate: str


def owners_create(count: int, *, seed: int) -> list[Owner]:
    """`count` owner logins with a token, each for a different unit (units shuffled with `seed`, all estates)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from rest_framework.authtoken.models import Token

    from guanjia.people.models import Occupancy, Resident

    rows = list(
        Occupancy.objects.filter(moved_out_on__isnull=True)
        .order_by("unit_id", "id")
        .values_list("unit_id", "resident_id", "estate__code")
    )
    by_unit: dict[int, list[tuple[int, str]]] = {}
    for unit_id, resident_id, code in rows:
        by_unit.setdefault(unit_id, []).append((resident_id, code))
    units = sorted(by_unit)
    random.Random(seed).shuffle(units)
    # (unit, resident, estate code): the unit's first current occupant, who may live in another picked unit
    # too (one login for both; dedupe is per unit, so each post is still a new ticket).
    picked = [(u, *by_unit[u][0]) for u in units[:count]]
    if len(picked) < count:
        raise SystemExit(f"only {len(picked)} occupied units, the run needs {count}: raise --scale")
    residents = sorted({r for _u, r, _c in picked})

    User = get_user_model()
    unusable = make_password(None)  # owners log in by token here; no password hashing for 2,000 users
    with transaction.atomic():
        User.objects.bulk_create(
            [User(username=f"bench-owner-{r}", password=unusable) for r in residents], batch_size=500
        )
        user_ids = dict(User.objects.filter(username__startswith="bench-owner-").values_list("username", "id"))
        for resident_id in residents:
            Resident.objects.filter(pk=resident_id).update(user_id=user_ids[f"bench-owner-{resident_id}"])
        tokens = {r: Token(key=Token.generate_key(), user_id=user_ids[f"bench-owner-{r}"]) for r in residents}
        Token.objects.bulk_create(tokens.values(), batch_size=500)
    return [Owner(unit=u, token=tokens[r].key, estate=c) for u, r, c in picked]


# ---------------------------------------------------------------------------------------------
# gunicorn: start, wait until it answers, find its workers, stop.
# ---------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@dataclass
class Server:
    proc: subprocess.Popen
    port: int
    workers: int
    access_log: Path
    output_log: Path

    def worker_pids(self) -> list[int]:
        """The master's children (the live workers), from /proc."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.proc.pid:
                pids.append(int(entry.name))
        return sorted(pids)

    def access_lines(self, offset: int) -> tuple[list[tuple[int, int, float, str]], int]:
        """(pid, status, server ms, method) for each request logged after `offset`, and the new offset."""
        with open(self.access_log, "rb") as f:
            f.seek(offset)
            data = f.read()
        lines = []
        for line in data.decode(errors="replace").splitlines():
            parts = line.split()  # gunicorn writes the pid as <1234>
            if len(parts) == 4 and parts[0].strip("<>").isdigit():
                lines.append((int(parts[0].strip("<>")), int(parts[1]), int(parts[2]) / 1000, parts[3]))
        return lines, offset + len(data)

    def access_offset(self) -> int:
        return self.access_log.stat().st_size if self.access_log.exists() else 0


def server_start(*, workers: int, log_dir: Path) -> Server:
    port = free_port()
    env = dict(os.environ)
    env["GUANJIA_DEBUG"] = "0"
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    # The server keeps the settings' own connection lifetime, not the benchmark process's.
    env.pop("GUANJIA_DB_CONN_MAX_AGE", None)
    env.pop("GUNICORN_CMD_ARGS", None)
    access_log, output_log = log_dir / "gunicorn-access.log", log_dir / "gunicorn-output.log"
    cmd = [
        str(Path(sys.executable).parent / "gunicorn"),
        "config.wsgi",
        "-b",
        f"{HOST}:{port}",
        "-w",
        str(workers),
        "--env",
        "DJANGO_SETTINGS_MODULE=config.settings.local",
        "--access-logfile",
        str(access_log),
        "--access-logformat",
        "%(p)s %(s)s %(D)s %(m)s",
    ]
    with open(output_log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(proc=proc, port=port, workers=workers, access_log=access_log, output_log=output_log)
    started = time.perf_counter()
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}:\n{output_log.read_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", PATH)
            status = conn.getresponse().status
            conn.close()
            print(f"   gunicorn pid {proc.pid} answered {status} after {time.perf_counter() - started:.1f} s")
            return server
        except OSError:
            pass
        if time.perf_counter() - started > READY_TIMEOUT:
            server_stop(server)
            raise SystemExit(f"gunicorn did not answer within {READY_TIMEOUT:.0f} s")
        time.sleep(0.1)


def server_stop(server: Server) -> None:
    if server.proc.poll() is not None:
        return
    server.proc.terminate()  # graceful: workers finish their request
    try:
        server.proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait(timeout=10)


# ---------------------------------------------------------------------------------------------
# CPU accounting (the machine is shared: wall time includes waiting for a core).
# ---------------------------------------------------------------------------------------------


def proc_cpu(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_backend_pids() -> list[int]:
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cur:
        cur.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        return [row[0] for row in cur.fetchall()]


@dataclass
class CpuSnapshot:
    gunicorn: dict[int, float]
    postgres: dict[int, float]
    client: float


def cpu_snapshot(server: Server) -> CpuSnapshot:
    return CpuSnapshot(
        gunicorn={p: proc_cpu(p) for p in server.worker_pids()},
        postgres={p: proc_cpu(p) for p in postgres_backend_pids()},
        client=time.process_time(),
    )


def cpu_delta(before: CpuSnapshot, after: CpuSnapshot) -> tuple[float, float, float]:
    """CPU seconds spent between two snapshots: gunicorn workers, PostgreSQL backends, this client."""

    def spent(a: dict[int, float], b: dict[int, float]) -> float:
        return sum(v - a.get(p, 0.0) for p, v in b.items())

    return spent(before.gunicorn, after.gunicorn), spent(before.postgres, after.postgres), after.client - before.client


# ---------------------------------------------------------------------------------------------
# The client.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    status: int  # 0: no HTTP answer (connection error, timeout)
    seconds: float
    body: dict | str


@dataclass(frozen=True)
class Job:
    owner: Owner
    text: str
    key: str


def post(port: int, job: Job, *, conn: http.client.HTTPConnection | None = None) -> Reply:
    body = json.dumps({"unit": job.owner.unit, "text": job.text}, ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Authorization": f"Token {job.owner.token}",
        "Idempotency-Key": job.key,
        "Accept": "application/json",
    }
    started = time.perf_counter()
    conn = conn or http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        conn.request("POST", PATH, body=body, headers=headers)
        response = conn.getresponse()
        raw = response.read()
        status = response.status
    except (OSError, http.client.HTTPException) as error:
        return Reply(status=0, seconds=time.perf_counter() - started, body=repr(error))
    finally:
        conn.close()
    seconds = time.perf_counter() - started
    try:
        parsed: dict | str = json.loads(raw)
    except ValueError:
        parsed = raw.decode(errors="replace")[:300]
    return Reply(status=status, seconds=seconds, body=parsed)


def drive(port: int, jobs: list[Job], *, concurrency: int, deadline: float) -> tuple[list[Reply | None], float]:
    """Post every job, `concurrency` at a time; jobs not started by `deadline` are skipped (None)."""
    replies: list[Reply | None] = [None] * len(jobs)
    counter = itertools.count()
    lock = threading.Lock()

    def client() -> None:
        while True:
            with lock:
                i = next(counter)
            if i >= len(jobs) or time.perf_counter() > deadline:
                return
            replies[i] = post(port, jobs[i])

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(1.0, deadline - time.perf_counter() + REQUEST_TIMEOUT + 5))
    return replies, time.perf_counter() - started


@dataclass
class RunResult:
    label: str
    concurrency: int
    replies: list[Reply | None]
    wall: float
    server_ms: list[float]
    pids: dict[int, int]  # worker pid → requests served
    cpu: tuple[float, float, float]
    load: float
    errors: list[str] = field(default_factory=list)

    @property
    def done(self) -> list[Reply]:
        return [r for r in self.replies if r is not None]

    @property
    def ok(self) -> list[Reply]:
        return [r for r in self.done if r.status in (200, 201) and isinstance(r.body, dict)]

    @property
    def created(self) -> int:
        return sum(1 for r in self.ok if r.status == 201 and r.body.get("created"))

    @property
    def follow_ups(self) -> int:
        return sum(1 for r in self.ok if not r.body.get("created"))

    @property
    def grouped(self) -> int:
        return sum(1 for r in self.ok if r.body.get("parent"))

    @property
    def failed(self) -> int:
        return len(self.done) - len(self.ok)

    @property
    def skipped(self) -> int:
        return sum(1 for r in self.replies if r is None)

    @property
    def rate(self) -> float:
        return len(self.ok) / self.wall if self.wall else 0.0

    @property
    def stats(self) -> Stats:
        return Stats([r.seconds for r in self.ok] or [float("nan")])


def make_jobs(owners: list[Owner], rng: random.Random, tag: str) -> list[Job]:
    return [Job(owner=o, text=rng.choice(OWNER_TEXTS), key=f"bench-{tag}-{uuid.uuid4()}") for o in owners]


def run(server: Server, owners: list[Owner], *, concurrency: int, rng: random.Random, label: str, limit: float):
    jobs = make_jobs(owners, rng, label)
    offset = server.access_offset()
    load = os.getloadavg()[0]
    before = cpu_snapshot(server)
    replies, wall = drive(server.port, jobs, concurrency=concurrency, deadline=time.perf_counter() + limit)
    after = cpu_snapshot(server)
    lines, _ = server.access_lines(offset)
    pids: dict[int, int] = {}
    for pid, _status, _ms, _method in lines:
        pids[pid] = pids.get(pid, 0) + 1
    result = RunResult(
        label=label,
        concurrency=concurrency,
        replies=replies,
        wall=wall,
        server_ms=[ms for _pid, _s, ms, method in lines if method == "POST"],
        pids=pids,
        cpu=cpu_delta(before, after),
        load=load,
    )
    for r in result.done:
        if r.status not in (200, 201):
            result.errors.append(f"{r.status}: {str(r.body)[:200]}")
    return result


def warm_up(server: Server, owners: list[Owner], rng: random.Random) -> tuple[int, list[str]]:
    """Post until every worker has served a POST (so each has loaded the triage model).

    Returns the owners used and the failed posts (reported, not measured)."""
    used = 0
    size = 2 * server.workers
    warmed: set[int] = set()
    errors: list[str] = []
    for round_no in range(1, WARMUP_ROUNDS + 1):
        batch = owners[used : used + size]
        if len(batch) < size:
            raise SystemExit("not enough owners left for the warm-up")
        used += size
        offset = server.access_offset()
        replies, wall = drive(
            server.port, make_jobs(batch, rng, "warm"), concurrency=size, deadline=time.perf_counter() + 120
        )
        lines, _ = server.access_lines(offset)
        bad = [r for r in replies if r is None or r.status not in (200, 201)]
        for r in bad:
            errors.append(f"{r.status}: {str(r.body)[:120]!r}" if r else "not sent")
        served = {pid for pid, status, _ms, method in lines if method == "POST" and status < 300}
        workers = set(server.worker_pids())
        slowest = max((r.seconds for r in replies if r), default=0)
        print(
            f"   warm-up round {round_no}: {size} posts in {wall:.1f} s (slowest {slowest * 1000:.0f} ms), "
            f"{len(workers & (warmed | served))}/{len(workers)} workers have served one, {len(bad)} failed"
        )
        warmed |= served
        if workers <= warmed:
            return used, errors
    print(f"   WARNING: after {WARMUP_ROUNDS} rounds not every worker served a request; measuring anyway")
    return used, errors


def retry_check(server: Server, owner: Owner, *, clients: int = 8) -> dict:
    """The same Idempotency-Key from `clients` clients at once: exactly one ticket, every answer its number."""
    from django.db import connections

    from guanjia.intake.models import IdempotencyKey
    from guanjia.tickets.models import Event, Ticket

    job = Job(owner=owner, text="卫生间天花板往下滴水，楼上好像漏水了", key=f"bench-retry-{uuid.uuid4()}")
    barrier = threading.Barrier(clients)
    replies: list[Reply | None] = [None] * clients

    def client(i: int) -> None:
        conn = http.client.HTTPConnection(HOST, server.port, timeout=REQUEST_TIMEOUT)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=30)
        replies[i] = post(server.port, job, conn=conn)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=REQUEST_TIMEOUT + 40)
    connections.close_all()
    tickets = list(Ticket.objects.filter(unit_id=owner.unit).values_list("number", flat=True))
    keys = IdempotencyKey.objects.filter(key=job.key).count()
    follow_up_notes = Event.objects.filter(ticket__unit_id=owner.unit, detail__follow_up=True).count()
    statuses = [r.status if r else None for r in replies]
    numbers = sorted({r.body.get("number") for r in replies if r and isinstance(r.body, dict)} - {None})
    return {
        "statuses": statuses,
        "numbers": numbers,
        "tickets_for_unit": tickets,
        "idempotency_rows": keys,
        "follow_up_notes": follow_up_notes,
        "ok": len(tickets) == 1
        and keys == 1
        and numbers == tickets
        and sorted(statuses) == [200] * (clients - 1) + [201],
    }


# ---------------------------------------------------------------------------------------------
# Report.
# ---------------------------------------------------------------------------------------------


def describe(result: RunResult) -> None:
    s = result.stats
    n = len(result.done)
    gun, pg, cli = result.cpu
    ok = max(len(result.ok), 1)
    server = Stats(result.server_ms or [float("nan")])
    print(
        f"   {result.label}: concurrency {result.concurrency}, {n} posts in {result.wall:.1f} s → "
        f"{result.rate:.1f} tickets/s; {s.ms()}; max {max((r.seconds for r in result.ok), default=0) * 1000:.0f} ms"
    )
    print(
        f"      created {result.created}, follow-ups {result.follow_ups}, grouped under a parent {result.grouped}, "
        f"errors {result.failed}, skipped {result.skipped}; load average at start {result.load:.2f}"
    )
    print(
        f"      server-side (gunicorn access log) median {server.median:.1f} ms, p95 {server.p95:.1f} ms, "
        f"max {max(server.samples):.0f} ms; "
        f"CPU per ticket: gunicorn {gun / ok * 1000:.1f} ms, postgres {pg / ok * 1000:.1f} ms, "
        f"client {cli / ok * 1000:.1f} ms; requests per worker {sorted(result.pids.values(), reverse=True)}"
    )
    for line in result.errors[:5]:
        print(f"      ERROR {line}")
    sys.stdout.flush()


def scan_output(path: Path) -> tuple[dict[str, int], dict[str, int]]:
    """Counts of the known trouble in gunicorn's output (workers' stderr included), and each exception
    (the last line of a traceback) with how often it occurred."""
    text = path.read_text(errors="replace") if path.exists() else ""
    counts = {  # each failed request logs one "Internal Server Error" and one chained Django error
        "Internal Server Error": text.count("Internal Server Error"),
        "database is locked": text.count("django.db.utils.OperationalError: database is locked"),
        "WORKER TIMEOUT": text.count("WORKER TIMEOUT"),
    }
    exceptions: dict[str, int] = {}
    inside = False
    for line in text.splitlines():
        if line.startswith("Traceback"):
            inside = True
        elif inside and line and not line[0].isspace() and not line.startswith(("The above", "During handling")):
            exceptions[line[:200]] = exceptions.get(line[:200], 0) + 1
            inside = False
    return counts, exceptions


def first_traceback(path: Path, *, frames: int = 14) -> list[str]:
    """The project's frames (guanjia/, config/) and the errors of the first traceback chain in gunicorn's output."""
    lines = path.read_text(errors="replace").splitlines() if path.exists() else []
    start = next((i for i, line in enumerate(lines) if line.startswith("Traceback")), None)
    if start is None:
        return []
    out: list[str] = []
    for i in range(start + 1, min(len(lines), start + 400)):
        line = lines[i]
        if line.startswith(("Internal Server Error", "[")):  # the next log record
            break
        if line.startswith('  File "') and ("/guanjia/" in line or "/config/" in line):
            out.append(line.strip().replace(str(ROOT) + "/", ""))
            if i + 1 < len(lines):
                out.append("    " + lines[i + 1].strip())
        elif line and not line[0].isspace() and not line.startswith(("Traceback", "The above", "During handling")):
            out.append(line[:200])
    return out[-2 * frames - 2 :]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="posts per measured run")
    parser.add_argument("--concurrency", default="1,8", help="comma-separated client counts")
    parser.add_argument("--repeat", type=int, default=1, help="measure each concurrency this many times")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument("--scale", type=float, default=1.0, help="demo company scale (1.0: ≈2,570 occupied units)")
    parser.add_argument("--max-seconds", type=float, default=600, help="per run: stop starting posts after this")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    levels = [int(c) for c in args.concurrency.split(",")]
    if args.requests <= 0 or args.repeat <= 0 or not all(1 <= c <= 64 for c in levels):
        raise SystemExit("--requests and --repeat must be positive, concurrency between 1 and 64")

    configure()
    import django
    import gunicorn
    from django.db import connection, connections

    from guanjia.tickets.models import Ticket
    from guanjia.web.demo import demo_load

    fresh_database()
    header(
        f"owner API intake: {args.requests} posts × concurrency {levels} × {args.repeat}, gunicorn -w {args.workers}"
    )
    print(
        f"   gunicorn {gunicorn.__version__} (sync workers), Django {django.get_version()}, client: http.client threads"
    )
    started = time.perf_counter()
    demo_load(seed=BASE_SEED, scale=args.scale)
    needed = WARMUP_ROUNDS * 2 * args.workers + args.requests * len(levels) * args.repeat + 1
    owners = owners_create(needed, seed=args.seed)
    by_estate: dict[str, int] = {}
    for o in owners:
        by_estate[o.estate] = by_estate.get(o.estate, 0) + 1
    print(
        f"   demo company (scale {args.scale}) and {len(owners)} owners with tokens in {time.perf_counter() - started:.1f} s; {by_estate}"
    )
    vendor = connection.vendor
    connections.close_all()  # the server's workers own the database from here

    rng = random.Random(args.seed)
    log_dir = Path(os.environ["GUANJIA_DATA_DIR"])
    server = server_start(workers=args.workers, log_dir=log_dir)
    results: list[RunResult] = []
    retry: dict = {}
    warm_errors: list[str] = []
    try:
        print(f"   workers {server.worker_pids()}")
        used, warm_errors = warm_up(server, owners, rng)
        for rep in range(1, args.repeat + 1):
            for c in levels:
                batch = owners[used : used + args.requests]
                used += args.requests
                result = run(server, batch, concurrency=c, rng=rng, label=f"c{c}#{rep}", limit=args.max_seconds)
                describe(result)
                results.append(result)
        retry = retry_check(server, owners[used])
        used += 1
    finally:
        server_stop(server)
        problems, exceptions = scan_output(server.output_log)
        for message, count in exceptions.items():
            print(f"   gunicorn output: {count} × {message}")
        for line in first_traceback(server.output_log):
            print(f"      | {line}")

    print("\n   retry check: one Idempotency-Key, 8 concurrent posts")
    print(f"      statuses {retry['statuses']}")
    print(
        f"      ticket numbers answered {retry['numbers']}; tickets for the unit in the database {retry['tickets_for_unit']}"
    )
    print(
        f"      idempotency rows {retry['idempotency_rows']}, follow-up notes {retry['follow_up_notes']} → {'OK' if retry['ok'] else 'FAILED'}"
    )

    connections.close_all()
    app_tickets = Ticket.objects.filter(channel="app")
    with_unit = app_tickets.filter(unit__isnull=False).count()
    parents = app_tickets.filter(unit__isnull=True).count()
    answered_created = sum(r.created for r in results)
    print(
        f"\n   database: {with_unit} owner tickets (warm-up + runs + retry check), {parents} public-fault parent "
        f"tickets opened by grouping; the runs answered 201 created {answered_created} times"
    )
    print(f"   gunicorn output: {problems}")
    categories: dict[str, list[int]] = {}  # category → [answers, grouped under a parent]
    for r in results:
        for reply in r.ok:
            row = categories.setdefault(f"{reply.body.get('request_type')}/{reply.body.get('category')}", [0, 0])
            row[0] += 1
            row[1] += bool(reply.body.get("parent"))
    mix = ", ".join(f"{c} {n}" + (f" ({g} grouped)" if g else "") for c, (n, g) in sorted(categories.items()))
    print(f"   what triage made of the measured posts: {mix}")
    if warm_errors:
        print(f"   warm-up (not measured): {len(warm_errors)} failed posts, e.g. {warm_errors[:3]}")

    print(
        f"\n   {'backend':<10} {'conc':>4} {'workers':>7} {'posts':>5} {'created':>7} {'follow':>6} {'errors':>6} "
        f"{'wall s':>7} {'tickets/s':>9} {'median ms':>9} {'p95 ms':>7} {'max ms':>7}"
    )
    for r in results:
        s = r.stats
        print(
            f"   {vendor:<10} {r.concurrency:>4} {args.workers:>7} {len(r.done):>5} {r.created:>7} {r.follow_ups:>6} "
            f"{r.failed:>6} {r.wall:>7.1f} {r.rate:>9.1f} {s.median * 1000:>9.1f} {s.p95 * 1000:>7.1f} "
            f"{max((x.seconds for x in r.ok), default=float('nan')) * 1000:>7.0f}"
        )
    if 1 in levels and 8 in levels:
        one = [r for r in results if r.concurrency == 1]
        eight = [r for r in results if r.concurrency == 8]
        rate1, rate8 = statistics.median(r.rate for r in one), statistics.median(r.rate for r in eight)
        med1, med8 = statistics.median(r.stats.median for r in one), statistics.median(r.stats.median for r in eight)
        p951, p958 = statistics.median(r.stats.p95 for r in one), statistics.median(r.stats.p95 for r in eight)
        print(
            f"\n   concurrency 8 vs 1: tickets/s ×{rate8 / rate1:.2f}, median latency ×{med8 / med1:.2f}, "
            f"p95 ×{p958 / p951:.2f}"
        )
    failed = sum(r.failed + r.skipped for r in results) + sum(problems.values())
    if failed or not retry.get("ok"):
        print("   RESULT: errors above — see the ERROR lines and the gunicorn output counts")
        sys.exit(1)


if __name__ == "__main__":
    main()
