"""`make bench`: build a network, serve it and the floor with gunicorn, drive both with wrk.

Prints, per scenario, requests/s, p50 and p95 latency, the ratio to the floor measured in the
same run, SQL queries per request, and the workers' memory. Machines here are noisy: only the
ratios measured side by side mean something.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEMO_PASSWORD = "tilleul-ardoise-42"
ADMIN = "admin@maillage.example"
COORDINATOR = "coordination@maillage.example"
REFERENT = "referente.ccas@maillage.example"
PARTNER = "caf@maillage.example"


@dataclass
class Scenario:
    """One page to measure, as whom, and the target it must reach."""

    name: str
    path: str
    login: str | None = None
    headers: dict = field(default_factory=dict)
    min_ratio: float | None = None
    max_p95_ms: float | None = None


SCENARIOS = [
    Scenario("login page, anonymous", "/login"),
    Scenario("account page, coordinator", "/account", COORDINATOR),
    Scenario("accounts list, admin (50 a page)", "/admin/users", ADMIN),
    Scenario(
        "accounts search as you type (htmx fragment)",
        "/admin/users?q=mar",
        ADMIN,
        {"HX-Request": "true"},
    ),
    Scenario("audit log, admin (50 a page)", "/admin/audit", ADMIN),
    Scenario(
        "directory search as you type, 'sante' (htmx fragment)",
        "/directory?q=sante",
        COORDINATOR,
        {"HX-Request": "true"},
    ),
    Scenario("partnership charter (300 organisations)", "/charter", COORDINATOR),
    Scenario(
        "a person's plan (Hélène Durand, {helene_actions} actions), as référent, audited",
        "/people/{helene}",
        REFERENT,
        min_ratio=0.30,
    ),
    Scenario(
        "a person's plan with 200 actions across 20 organisations, as référent",
        "/people/{karim}",
        REFERENT,
        min_ratio=0.15,
    ),
    Scenario(
        "my actions, CAF professional ({caf_open} open actions, 50 a page)",
        "/actions",
        PARTNER,
        min_ratio=0.25,
    ),
    Scenario(
        "person search 'helene', all I may see (htmx fragment)",
        "/people?show=all&q=helene",
        REFERENT,
        {"HX-Request": "true"},
        max_p95_ms=50,
    ),
    Scenario(
        "person search 'helene', coordinator (htmx fragment)",
        "/people?show=all&q=helene",
        COORDINATOR,
        {"HX-Request": "true"},
        max_p95_ms=50,
    ),
    Scenario("persons list, coordinator (100,000 under reference)", "/people", COORDINATOR),
    Scenario(
        "live meeting page, 12 situations and 40 actions, coordinator",
        "/meetings/{busy_meeting}?review={busy_review}",
        COORDINATOR,
        min_ratio=0.25,
    ),
    Scenario("meetings list and participation, coordinator", "/meetings", COORDINATOR),
    Scenario(
        "coordinator dashboard over the whole network", "/dashboard", COORDINATOR, max_p95_ms=150
    ),
]


def targets(env):
    """Ids the scenarios' URLs need, read from the demo database."""
    from sqlalchemy import func, select

    from coordination import create_app
    from coordination.db import db
    from coordination.models import OPEN_STATUSES, Action, CaseReview, Meeting, Person, User

    os.environ.update(env)
    with create_app().app_context():
        referent = select(User.id).where(User.email == REFERENT).scalar_subquery()
        helene, karim = (
            # The named demo persons are made last: the highest id among namesakes.
            db.session.execute(
                select(func.max(Person.id)).where(
                    Person.search_name == name, Person.referent_id == referent
                )
            ).scalar_one()
            for name in ("helene durand", "karim benali")
        )
        # The most recent of the busy meetings of `demo-data` (12 situations, 40 actions).
        busy_meeting, busy_review = db.session.execute(
            select(Meeting.id, func.min(CaseReview.id))
            .join(CaseReview, CaseReview.meeting_id == Meeting.id)
            .group_by(Meeting.id)
            .having(func.count(CaseReview.id) == 12)
            .order_by(Meeting.starts_at.desc())
            .limit(1)
        ).one()
        partner = db.session.execute(select(User).where(User.email == PARTNER)).scalar_one()
        count = select(func.count()).select_from(Action)
        helene_actions = db.session.execute(count.where(Action.person_id == helene)).scalar()
        caf_open = db.session.execute(
            count.where(
                Action.owner_organisation_id == partner.organisation_id,
                Action.status.in_(OPEN_STATUSES),
            )
        ).scalar()
    return {
        "helene": helene,
        "busy_meeting": busy_meeting,
        "busy_review": busy_review,
        "karim": karim,
        "helene_actions": helene_actions,
        "caf_open": caf_open,
    }


def write_scenario(env, base, port, seconds):
    """Sixteen CAF professionals move 20 shared and 200 own actions: quality.md's writes."""
    from coordination import create_app

    from . import writes

    os.environ.update(env)
    app = create_app()
    with app.app_context():
        shared, own = writes.pick_actions(PARTNER)
        before = writes.checkpoint()
    cookies = [session_cookie(base, PARTNER) for _ in range(16)]
    accepted, conflicts, statuses, elapsed, latencies = writes.status_changes(
        port, cookies, shared, own, seconds
    )
    with app.app_context():
        lost = writes.lost_or_doubled(before, accepted)
    return {
        "writes": sum(accepted.values()) / elapsed,
        "conflicts": sum(conflicts.values()),
        "server_errors": sum(count for status, count in statuses.items() if status >= 500),
        "lost": lost,
        "p50": 1000 * latencies[len(latencies) // 2],
        "p95": 1000 * latencies[int(len(latencies) * 0.95)],
    }


def reliability_scenarios(env, base, person, seconds):
    """quality.md's duplicate, lock and kill scenarios, long versions (bench/reliability.py)."""
    from coordination import create_app

    from . import reliability

    os.environ.update(env)
    app = create_app()
    login = (REFERENT, DEMO_PASSWORD)
    with app.app_context():
        waits_ms = app.config["SQLITE_BUSY_TIMEOUT_MS"]
        if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            waits_ms = app.config["DATABASE_LOCK_TIMEOUT_MS"]
        doubled = reliability.duplicates(base, login, person, seconds)
        locked = reliability.lock(app, base, login, person, 3, waits_ms / 1000 + 3)

    def one_worker():
        """A gunicorn of one worker, whose worker the scenario kills."""
        port = free_port()
        return start_gunicorn("app:app", env, port, workers=1), f"http://127.0.0.1:{port}"

    killed = reliability.kill(app, one_worker, login, person, 5)
    return {"waits_ms": waits_ms, "duplicates": doubled, "lock": locked, "kill": killed}


def print_reliability(kept):
    """The reliability lines under the speed table."""
    doubled, locked, killed = kept["duplicates"], kept["lock"], kept["kill"]
    print("\n| reliability (quality.md), long version | result | target |\n|---|---|---|")
    print(
        f"| the same note sent 10 times at once, {doubled['rounds']} rounds | "
        f"{doubled['doubled']} doubled or missing, {doubled['server_errors']} 5xx | "
        f"{'ok' if not doubled['doubled'] and not doubled['server_errors'] else 'MISSED'} |"
    )
    fast = locked["slowest"] <= kept["waits_ms"] / 1000 + 2
    good = (
        fast
        and locked["recovered"]
        and not (locked["wrong_rows"] or locked["server_errors"] or locked["without_retry_after"])
    )
    print(
        f"| a note per worker at once, 3 times, while another process holds the lock past the "
        f"{kept['waits_ms']} ms the application waits, then sent again | answers "
        f"{locked['answers']}, slowest {locked['slowest']:.1f} s, "
        f"{locked['without_retry_after']} without Retry-After, recovered: "
        f"{locked['recovered']}, {locked['wrong_rows']} rows lost or doubled | "
        f"{'ok' if good else 'MISSED'} |"
    )
    good = killed["chain_ok"] and not (killed["wrong_rows"] or killed["unaudited"])
    print(
        f"| a worker killed mid-note then the note sent again twice, {killed['rounds']} "
        f"rounds | answers {killed['answers']}, {killed['wrong_rows']} rows lost or "
        f"doubled, {killed['unaudited']} without audit, audit verify: "
        f"{'ok' if killed['chain_ok'] else 'FAILED'} | {'ok' if good else 'MISSED'} |"
    )


def free_port():
    """A free TCP port on the loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(command, env, **kwargs):
    """Run a command of the project's virtual environment; fail loudly."""
    return subprocess.run(command, env=env, cwd=ROOT, check=True, **kwargs)


def prepare_database(env, persons):
    """Migrate a fresh database and fill it with demo data; return the seconds it took."""
    run([BIN / "flask", "--app", "app", "db", "upgrade"], env, capture_output=True)
    started = time.perf_counter()
    run([BIN / "flask", "--app", "app", "demo-data", "--persons", str(persons)], env,
        capture_output=True)  # fmt: skip
    return time.perf_counter() - started


def fresh_postgresql(url):
    """Create an empty bench database next to the given one; return its URL."""
    import sqlalchemy as sa

    from coordination.config import database_uri

    base = sa.make_url(database_uri(url, ""))
    name = f"{base.database}_maillage_bench"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def start_gunicorn(target, env, port, workers=2):
    """Start gunicorn with two workers, as in production; wait until it answers."""
    process = subprocess.Popen(
        [
            BIN / "gunicorn",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            target,
        ],
        env=env,
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except urllib.error.HTTPError:
            return process  # the floor has no /healthz: it answers 404, so it is up
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn {target} did not start")


def session_cookie(base_url, email):
    """Sign in through the real form and return the Cookie header of the session."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base_url}/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"email": email, "password": DEMO_PASSWORD, "csrf_token": token})
    opener.open(f"{base_url}/login", data=form.encode())
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def wrk(url, seconds, headers):
    """Drive a URL with 16 connections; return requests/s, p50 and p95 in ms, errors."""
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "-s", str(ROOT / "bench" / "report.lua")]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    figures = dict(re.findall(r"(\w+)=([\d.]+)", output.split("BENCH", 1)[1]))
    return {key: float(value) for key, value in figures.items()}


def queries_per_request(env, scenario):
    """Count the SQL statements one request of the scenario runs, in process."""
    from sqlalchemy import event

    from coordination import create_app
    from coordination.db import db

    os.environ.update(env)
    app = create_app()
    client = app.test_client()
    if scenario.login:
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        client.post("/login", data={"email": scenario.login, "password": DEMO_PASSWORD,
                                    "csrf_token": token})  # fmt: skip
    client.get(scenario.path, headers=scenario.headers)  # warm the caches
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    client.get(scenario.path, headers=scenario.headers)
    event.remove(engine, "before_cursor_execute", listener)
    return len(statements)


def worker_rss_mb(master_pid):
    """Resident memory of each gunicorn worker, in MB."""
    sizes = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().split()
            if int(fields[3]) == master_pid:
                status = (stat.parent / "status").read_text()
                kilobytes = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
                sizes.append(kilobytes / 1024)
        except (OSError, AttributeError):
            continue
    return sizes


def verdict(scenario, ratio, p95):
    """'ok', 'MISSED' or '' against the scenario's target."""
    if scenario.min_ratio is not None:
        return "ok" if ratio >= scenario.min_ratio else "MISSED"
    if scenario.max_p95_ms is not None:
        return "ok" if p95 <= scenario.max_p95_ms else "MISSED"
    return ""


def machine():
    """Cores and memory of this machine, for the README."""
    memory = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)
    return f"{os.cpu_count()} cores, {int(memory) / 1024 / 1024:.0f} GB RAM"


def main():
    """Run every scenario and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="maillage-bench-"))
    env = {**os.environ, "MAILLAGE_INSTANCE_PATH": str(workdir), "SECRET_KEY": "b" * 48}
    database = "SQLite"
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = fresh_postgresql(os.environ["DATABASE_URL"])
        database = "PostgreSQL"
    demo_seconds = prepare_database(env, args.persons)

    floor_port, app_port = free_port(), free_port()
    floor = start_gunicorn("bench.floor:app", env, floor_port)
    server = start_gunicorn("app:app", env, app_port)
    base = f"http://127.0.0.1:{app_port}"
    try:
        logins = {ADMIN, COORDINATOR, REFERENT, PARTNER}
        cookies = {login: session_cookie(base, login) for login in logins}
        ids = targets(env)
        floor_rps = wrk(f"http://127.0.0.1:{floor_port}/", args.seconds, {})["rps"]
        rows = []
        for scenario in SCENARIOS:
            headers = dict(scenario.headers)
            if scenario.login:
                headers["Cookie"] = cookies[scenario.login]
            scenario.path = scenario.path.format(**ids)
            scenario.name = scenario.name.format(**ids)
            figures = wrk(base + scenario.path, args.seconds, headers)
            ratio = figures["rps"] / floor_rps
            rows.append((scenario, figures, ratio, queries_per_request(env, scenario)))
        written = write_scenario(env, base, app_port, args.seconds)
        rss = worker_rss_mb(server.pid)
        survived = reliability_scenarios(env, base, ids["helene"], args.seconds)
    finally:
        for process in (floor, server):
            process.send_signal(signal.SIGTERM)
            process.wait()

    print(f"\n## Bench {date.today().isoformat()}: {database}, {args.persons} persons, "
          f"{machine()}, gunicorn 2 workers, wrk 16 connections, "
          f"{args.seconds} s a scenario\n")  # fmt: skip
    print(f"Floor: {floor_rps:.0f} requests/s. `demo-data --persons {args.persons}`: "
          f"{demo_seconds:.1f} s. Worker RSS after the run: "
          f"{', '.join(f'{size:.0f} MB' for size in rss)}.\n")  # fmt: skip
    print("| scenario | req/s | p50 ms | p95 ms | × floor | SQL/request | errors | target |")
    print("|---|---|---|---|---|---|---|---|")
    for scenario, figures, ratio, queries in rows:
        errors = int(figures["errors"] + figures["non2xx"])
        print(f"| {scenario.name} | {figures['rps']:.0f} | {figures['p50']:.1f} | "
              f"{figures['p95']:.1f} | {ratio:.2f} | {queries} | {errors} | "
              f"{verdict(scenario, ratio, figures['p95'])} |")  # fmt: skip
    kept = not written["server_errors"] and not written["lost"]
    print(f"| htmx status change of an action (write + log + audit), 16 professionals, 20 shared "
          f"and 200 own actions; {written['conflicts']} conflicts answered 409, "
          f"{written['lost']} lost or doubled | {written['writes']:.0f} writes | "
          f"{written['p50']:.1f} | {written['p95']:.1f} | | | {written['server_errors']} | "
          f"{'ok' if kept and written['writes'] >= 150 else 'MISSED'} |")  # fmt: skip
    print_reliability(survived)
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
