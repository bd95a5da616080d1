"""The long versions of quality.md's reliability scenarios, against the bench's gunicorn.

- Duplicates: the same journal note sent ten times at once, round after round: one row each.
- Lock: another process holds the write lock (SQLite) or locks the notes table (PostgreSQL)
  past the time the application waits: every note answers 503 with Retry-After within a few
  seconds, never 500; sent again once the lock is gone, each lands once.
- Kill: a worker killed in the middle of a note, the browser sending it again: one note and one
  audit row per round, and `audit verify` passes at the end.
The short versions are tests/test_idempotency.py, tests/test_locks.py and tests/test_kill.py.
"""

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import requests
from sqlalchemy import func, select

from coordination.db import db
from coordination.models import AuditEvent, PersonNote
from tests.test_locks import table_locked

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ROOT = Path(__file__).resolve().parent.parent
KEY = re.compile(r'<input[^>]*name="key"[^>]*value="([^"]+)"')


def browser(base, email, password):
    """A signed-in requests session."""
    session = requests.Session()
    token = TOKEN.search(session.get(f"{base}/login", timeout=10).text).group(1)
    form = {"csrf_token": token, "email": email, "password": password}
    session.post(f"{base}/login", data=form, timeout=10)
    return session


def note_form(session, base, person, text):
    """The journal note form of the person's page, filled in, with its own submission key."""
    page = session.get(f"{base}/people/{person}", timeout=30).text
    return {"csrf_token": TOKEN.search(page).group(1), "key": KEY.search(page).group(1),
            "category": "social", "text": text}  # fmt: skip


def send(session, url, form, outcomes, timeout=30):
    """POST the form; keep the answer (or the error) and its latency."""
    started = time.monotonic()
    try:
        answer = session.post(url, data=form, timeout=timeout, allow_redirects=False)
    except requests.RequestException as error:
        answer = error
    outcomes.append((answer, time.monotonic() - started))


def at_once(session, url, form, times):
    """Send the same form `times` times at the same moment; the outcomes."""
    outcomes = []
    threads = [threading.Thread(target=send, args=(session, url, form, outcomes))
               for _ in range(times)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def notes_written(text_prefix):
    """Notes whose text starts with the prefix, counted per text."""
    rows = db.session.execute(
        select(PersonNote.text, func.count())
        .where(PersonNote.text.startswith(text_prefix))
        .group_by(PersonNote.text)
    ).all()
    db.session.rollback()
    return Counter(dict(rows))


def status_of(answer):
    """An HTTP status, or 0 when the connection died."""
    return answer.status_code if isinstance(answer, requests.Response) else 0


def duplicates(base, login, person, seconds):
    """Ten identical notes at once, round after round: rounds, rows doubled, 5xx."""
    session = browser(base, *login)
    url = f"{base}/people/{person}/notes"
    deadline, rounds, statuses = time.monotonic() + seconds, 0, Counter()
    while time.monotonic() < deadline:
        rounds += 1
        form = note_form(session, base, person, f"bench-dup-{os.getpid()}-{rounds}")
        statuses.update(status_of(answer) for answer, _ in at_once(session, url, form, 10))
    written = notes_written(f"bench-dup-{os.getpid()}-")
    doubled = sum(count - 1 for count in written.values()) + (rounds - len(written))
    return {"rounds": rounds, "doubled": doubled, "server_errors": server_errors(statuses)}


def server_errors(statuses):
    """5xx answers other than the 503 a busy lock deserves."""
    return sum(count for status, count in statuses.items() if status >= 500 and status != 503)


def lock(app, base, login, person, rounds, hold_seconds, workers=2):
    """As many notes as the server has workers, sent while the lock is held, then again after:
    503 + Retry-After fast, one row each in the end. (More at once would queue behind gunicorn's
    sync workers, which is the worker count's limit, not the lock's.)"""
    session = browser(base, *login)
    url = f"{base}/people/{person}/notes"
    slowest, refused, statuses, forms = 0.0, 0, Counter(), []
    for number in range(rounds):
        batch = [note_form(session, base, person, f"bench-lock-{os.getpid()}-{number}-{index}")
                 for index in range(workers)]  # fmt: skip
        outcomes = []
        threads = [threading.Thread(target=send, args=(session, url, form, outcomes))
                   for form in batch]  # fmt: skip
        with table_locked(app, "person_notes"):
            for thread in threads:
                thread.start()
            time.sleep(hold_seconds)  # longer than the application waits for a lock
        for thread in threads:
            thread.join()
        for answer, latency in outcomes:
            statuses[status_of(answer)] += 1
            slowest = max(slowest, latency)
            refused += status_of(answer) == 503 and not answer.headers.get("Retry-After")
        forms += batch
    after = [at_once(session, url, form, 1)[0][0] for form in forms]  # sent again, lock gone
    written = notes_written(f"bench-lock-{os.getpid()}-")
    return {
        "answers": dict(statuses),
        "slowest": slowest,
        "without_retry_after": refused,
        "recovered": all(status_of(answer) == 303 for answer in after),
        "wrong_rows": sum(abs(written[form["text"]] - 1) for form in forms),
        "server_errors": server_errors(statuses),
    }


def workers(master):
    """The pids of a gunicorn master's workers."""
    return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def wait_for(base, master, seconds=30):
    """Wait until the master has a worker again and it answers."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if workers(master) and requests.get(f"{base}/healthz", timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not come back after its worker was killed")


def kill(app, start_server, login, person, rounds):
    """Rounds of: a note stuck on the lock, its worker killed, the browser sending it again
    twice. One note and one audit row per round; the audit chain verified afterwards."""
    server, base = start_server()
    try:
        session = browser(base, *login)
        url = f"{base}/people/{person}/notes"
        with app.app_context():
            before = audit_rows("note_added")
        answers = Counter()
        for number in range(rounds):
            form = note_form(session, base, person, f"bench-kill-{os.getpid()}-{number}")
            outcomes = []
            with table_locked(app, "person_notes"):
                sender = threading.Thread(target=send, args=(session, url, form, outcomes))
                sender.start()
                time.sleep(1.0)  # the worker now waits for the lock, in the middle of the note
                for worker in workers(server.pid):
                    os.kill(worker, signal.SIGKILL)
                sender.join()
            answers[status_of(outcomes[0][0])] += 1
            wait_for(base, server.pid)
            for _ in range(2):  # the retry, then the same again as if its answer were lost
                answers[status_of(at_once(session, url, form, 1)[0][0])] += 1
        with app.app_context():
            written = notes_written(f"bench-kill-{os.getpid()}-")
            audited = audit_rows("note_added") - before
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait()
    verified = subprocess.run([Path(sys.executable).parent / "flask", "--app", "app", "audit",
                               "verify"], cwd=ROOT, capture_output=True)  # fmt: skip
    return {
        "rounds": rounds,
        "answers": dict(answers),
        "wrong_rows": sum(abs(count - 1) for count in written.values()) + rounds - len(written),
        "unaudited": abs(audited - sum(written.values())),
        "chain_ok": verified.returncode == 0,
    }


def audit_rows(event):
    """How many audit rows of this event exist."""
    count = select(func.count()).select_from(AuditEvent).where(AuditEvent.event == event)
    return db.session.execute(count).scalar_one()
