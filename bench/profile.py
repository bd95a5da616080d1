"""Where one page's time goes: `python -m bench.profile URL --as EMAIL`.

Serves the URL in process (the same application and database as `make run`, or the ones the
environment names: `MAILLAGE_INSTANCE_PATH`, `DATABASE_URL`), signed in through the real login
form, warms it up, then profiles a number of requests with cProfile. Prints the time a request,
the SQL statements it runs, the time spent per library (SQL driver, SQLAlchemy, Jinja and the
templates, Babel, Flask and Werkzeug, Maillage's own code) and the functions that cost most.
"""

import argparse
import cProfile
import pstats
import re
import time
from collections import defaultdict

DEMO_PASSWORD = "tilleul-ardoise-42"

# Where a function's own time is counted, by the path of its file (first match wins).
AREAS = [
    ("SQL driver", ("sqlite3", "psycopg")),
    ("SQLAlchemy", ("sqlalchemy",)),
    ("templates (Jinja)", ("jinja2", "markupsafe", "templates/", "<template>")),
    ("Babel and translations", ("babel", "gettext", "flask_babel")),
    ("Flask, Werkzeug and extensions", ("flask", "werkzeug", "wtforms", "limits", "itsdangerous")),
    ("Maillage", ("coordination",)),
]


def area_of(filename):
    """The area a file's functions count for."""
    for area, markers in AREAS:
        if any(marker in filename for marker in markers):
            return area
    return "other (Python)"


def signed_in_client(app, email, password):
    """A test client signed in through the login form."""
    client = app.test_client()
    if email:
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        answer = client.post(
            "/login", data={"email": email, "password": password, "csrf_token": token}
        )
        if answer.status_code != 303:
            raise SystemExit(f"could not sign in as {email}: {answer.status_code}")
    return client


def timed_statements(app, client, url, headers):
    """The SQL statements one request runs, each with its time in milliseconds."""
    from sqlalchemy import event

    from coordination.db import db

    statements = []
    with app.app_context():
        engine = db.engine

    def before(connection, _cursor, _statement, *_args):
        connection.info["started"] = time.perf_counter()

    def after(connection, _cursor, statement, *_args):
        spent = time.perf_counter() - connection.info.pop("started")
        statements.append((statement, spent * 1000))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        client.get(url, headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return statements


def main():
    """Profile a page and print where its time goes."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url", help="path of the page, e.g. /people/42")
    parser.add_argument("--as", dest="email", help="the account to sign in with")
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument("--requests", type=int, default=50, help="requests profiled")
    parser.add_argument("--htmx", action="store_true", help="ask for the htmx fragment")
    parser.add_argument("--top", type=int, default=25, help="functions listed")
    parser.add_argument("--sql", action="store_true", help="print the SQL statements, timed")
    args = parser.parse_args()

    from coordination import create_app

    app = create_app()
    client = signed_in_client(app, args.email, args.password)
    headers = {"HX-Request": "true"} if args.htmx else {}
    first = client.get(args.url, headers=headers)
    print(f"{args.url}: {first.status_code}, {len(first.get_data())} bytes")
    for _ in range(5):
        client.get(args.url, headers=headers)

    started = time.perf_counter()
    for _ in range(args.requests):
        client.get(args.url, headers=headers)
    plain = (time.perf_counter() - started) / args.requests
    statements = timed_statements(app, client, args.url, headers)

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.requests):
        client.get(args.url, headers=headers)
    profiler.disable()

    stats = pstats.Stats(profiler)
    per_area = defaultdict(float)
    for (filename, _line, _name), (_cc, _nc, own, _cum, _callers) in stats.stats.items():
        per_area[area_of(filename)] += own
    total = sum(per_area.values())
    print(f"{plain * 1000:.1f} ms a request without the profiler; {len(statements)} SQL statements")
    print("\nOwn time per area, under the profiler:")
    for area, seconds in sorted(per_area.items(), key=lambda item: -item[1]):
        share = seconds / total if total else 0
        print(f"  {area:34} {seconds / args.requests * 1000:7.2f} ms  {share:6.1%}")
    if args.sql:
        print("\nSQL statements (milliseconds each, one request):")
        for statement, milliseconds in statements:
            print(f"  {milliseconds:8.1f}  " + " ".join(statement.split())[:200])
    print()
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
