"""`make bench`: build a network, serve it and the floor with gunicorn, drive both with wrk.

Prints, per database (SQLite, and PostgreSQL when `DATABASE_URL` is set) and per scenario,
requests/s, p50 and p95 latency, the ratio to the floor measured in the same run, the growth
(the rate at the full size over the rate at the small size), SQL queries per request, and the
workers' memory; then the writes and the long reliability scenarios. Machines here are noisy:
only the ratios measured side by side mean something.
"""

import argparse
import dataclasses
import os
import shutil
import signal
import sys
import tempfile
from datetime import date
from pathlib import Path

from .runs import print_reliability, reliability_scenarios, write_scenario
from .scenarios import (
    ADMIN,
    COORDINATOR,
    PARTNER,
    REFERENT,
    SCENARIOS,
    queries_per_request,
    targets,
    verdict,
)
from .serving import (
    free_port,
    fresh_postgresql,
    machine,
    prepare_database,
    session_cookie,
    start_gunicorn,
    worker_rss_mb,
    wrk,
)

MIN_GROWTH = 0.85  # quality.md: each page at full size keeps 0.85 of its small-database rate


@dataclasses.dataclass
class Run:
    """What one database of one size measured."""

    persons: int
    demo_seconds: float
    floor_rps: float
    rows: list  # (scenario, wrk figures, ratio to the floor, SQL statements a request)
    rss: list
    written: dict | None = None
    survived: dict | None = None


def environment(database_url, persons):
    """A fresh instance folder and, for PostgreSQL, a fresh database, for one run."""
    workdir = Path(tempfile.mkdtemp(prefix="maillage-bench-"))
    env = {**os.environ, "MAILLAGE_INSTANCE_PATH": str(workdir), "SECRET_KEY": "b" * 48}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = fresh_postgresql(database_url, f"bench_{persons}")
    return env, workdir


def chosen(only, name, path=""):
    """Tell whether `--only` asks for a scenario (every scenario without `--only`)."""
    return not only or any(word.lower() in f"{name} {path}".lower() for word in only)


def measure(database_url, persons, seconds, full, only=()):
    """Build a database of `persons`, serve it beside the floor, run every page scenario (or
    those `--only` names); with `full`, the writes and the reliability scenarios too."""
    env, workdir = environment(database_url, persons)
    demo_seconds = prepare_database(env, persons)
    floor_port, app_port = free_port(), free_port()
    floor = start_gunicorn("bench.floor:app", env, floor_port)
    server = start_gunicorn("app:app", env, app_port)
    base = f"http://127.0.0.1:{app_port}"
    try:
        cookies = {login: session_cookie(base, login)
                   for login in (ADMIN, COORDINATOR, REFERENT, PARTNER)}  # fmt: skip
        ids = targets(env)
        floor_rps = wrk(f"http://127.0.0.1:{floor_port}/", seconds, {})["rps"]
        rows = []
        for template in SCENARIOS:
            if not chosen(only, template.name, template.path):
                continue
            scenario = dataclasses.replace(
                template, path=template.path.format(**ids), name=template.name.format(**ids)
            )
            headers = dict(scenario.headers)
            if scenario.login:
                headers["Cookie"] = cookies[scenario.login]
            # Counting the statements in process first also warms what the page keeps in the
            # database (the dashboard's figures): wrk then measures the page as it is served,
            # not the one computation after a restart (bench.profile times that one).
            queries = queries_per_request(env, scenario)
            figures = wrk(base + scenario.path, seconds, headers)
            rows.append((scenario, figures, figures["rps"] / floor_rps, queries))
        run = Run(persons, demo_seconds, floor_rps, rows, worker_rss_mb(server.pid))
        if full and chosen(only, "writes"):
            run.written = write_scenario(env, base, app_port, seconds)
        if full and chosen(only, "reliability"):
            run.survived = reliability_scenarios(env, base, ids["helene"], seconds)
    finally:
        for process in (floor, server):
            process.send_signal(signal.SIGTERM)
            process.wait()
        shutil.rmtree(workdir, ignore_errors=True)
    return run


def print_run(database, small, big, seconds):
    """The table of one database: the full-size run, with its growth from the small one."""
    print(f"\n## Bench {date.today().isoformat()}: {database}, {big.persons} persons, "
          f"{machine()}, gunicorn 2 workers, wrk 16 connections, "
          f"{seconds} s a scenario\n")  # fmt: skip
    print(f"Floor: {big.floor_rps:.0f} requests/s ({small.floor_rps:.0f} in the small run). "
          f"`demo-data --persons {big.persons}`: {big.demo_seconds:.1f} s (target 120 s: "
          f"{'ok' if big.demo_seconds <= 120 else 'MISSED'}). Worker RSS after the run: "
          f"{', '.join(f'{size:.0f} MB' for size in big.rss)} (target 150 MB: "
          f"{'ok' if max(big.rss, default=0) <= 150 else 'MISSED'}).\n")  # fmt: skip
    print(f"| scenario | req/s | p50 ms | p95 ms | × floor | growth {big.persons} / "
          f"{small.persons} | SQL/request | errors | target |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for (scenario, figures, ratio, queries), small_row in zip(big.rows, small.rows, strict=True):
        # A scenario that answered nothing at the small size has no growth to speak of.
        growth = figures["rps"] / small_row[1]["rps"] if small_row[1]["rps"] else 0.0
        verdicts = [verdict(scenario, ratio, figures["p95"])]
        verdicts.append("" if growth >= MIN_GROWTH else "growth MISSED")
        verdicts.append("" if queries <= 10 else "SQL MISSED")
        errors = int(figures["errors"] + figures["non2xx"])
        print(f"| {scenario.name} | {figures['rps']:.0f} | {figures['p50']:.1f} | "
              f"{figures['p95']:.1f} | {ratio:.2f} | {growth:.2f} | {queries} | {errors} | "
              f"{', '.join(word for word in verdicts if word) or 'ok'} |")  # fmt: skip
    written = big.written
    if written is not None:
        print_writes(written)
    if big.survived is not None:
        print_reliability(big.survived)


def print_writes(written):
    """The write scenario's line of the table."""
    kept = not written["server_errors"] and not written["lost"]
    print(f"| htmx status change of an action (write + log + audit), 16 professionals, 20 shared "
          f"and 200 own actions; {written['conflicts']} conflicts answered 409, "
          f"{written['lost']} lost or doubled | {written['writes']:.0f} writes | "
          f"{written['p50']:.1f} | {written['p95']:.1f} | | | | {written['server_errors']} | "
          f"{'ok' if kept and written['writes'] >= 150 else 'MISSED'} |")  # fmt: skip


def main():
    """Run every scenario on each database, at the small and the full size; print the tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000, help="persons of the growth base")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="only the scenarios whose name or path holds this word ('writes' and "
        "'reliability' name those scenarios); repeat it for several",
    )
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgresql"],
        help="measure only this database (PostgreSQL needs DATABASE_URL)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    databases = [("SQLite", None)]
    if os.environ.get("DATABASE_URL"):
        databases.append(("PostgreSQL", os.environ["DATABASE_URL"]))
    if args.database:
        databases = [pair for pair in databases if pair[0].lower() == args.database]
    for database, url in databases:
        small = measure(url, args.small, args.seconds, full=False, only=args.only)
        big = measure(url, args.persons, args.seconds, full=True, only=args.only)
        print_run(database, small, big, args.seconds)


if __name__ == "__main__":
    main()
