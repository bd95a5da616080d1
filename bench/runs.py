"""The write and reliability scenarios of quality.md, run against the bench's gunicorn."""

from .scenarios import PARTNER, REFERENT
from .serving import DEMO_PASSWORD, adopt, free_port, session_cookie, start_gunicorn


def write_scenario(env, base, port, seconds):
    """Sixteen CAF professionals move 20 shared and 200 own actions: quality.md's writes."""
    from coordination import create_app

    from . import writes

    adopt(env)
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

    adopt(env)
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
