"""A worker killed in the middle of a request, then the client retrying (quality.md,
"Reliability"), against a real gunicorn on the loopback: no duplicate row, no change without
its audit row, the chain intact. The short version; the long one belongs to `make bench`."""

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from coordination.db import db
from coordination.models import AuditEvent, PersonNote
from tests.conftest import TEST_AUDIT_KEY
from tests.factories import PASSWORD, make_person, make_user
from tests.test_locks import table_locked

ROOT = Path(__file__).resolve().parent.parent
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
KEY = re.compile(r'<input[^>]*name="key"[^>]*value="([^"]+)"')


def free_port():
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def workers(master):
    """The pids of a gunicorn master's workers."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def wait_until(check, seconds=20):
    """Poll until check() is true, or fail."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise AssertionError("timed out")


@pytest.fixture
def server(app, database_uri_for_test, tmp_path):
    """gunicorn serving this test's database with one worker; yields (base URL, master pid)."""
    port = free_port()
    uri = database_uri_for_test.replace("postgresql+psycopg://", "postgresql://")
    environment = os.environ | {
        "DATABASE_URL": uri,
        "SECRET_KEY": "kill-test-secret-key-that-is-long-enough-0123456789",
        "AUDIT_KEY": TEST_AUDIT_KEY,
        "MAILLAGE_INSTANCE_PATH": str(tmp_path),
    }
    command = [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}",
               "--timeout", "30", "--graceful-timeout", "1", "app:app"]  # fmt: skip
    master = subprocess.Popen(command, cwd=ROOT, env=environment, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: requests.get(f"{base}/healthz", timeout=2).ok)
        yield base, master.pid
    finally:
        master.terminate()
        master.wait(10)


def test_a_worker_killed_mid_request_then_a_retry_makes_one_note(app, server):
    base, master = server
    user = make_user()
    person = make_person(user)
    browser = requests.Session()
    token = TOKEN.search(browser.get(f"{base}/login", timeout=5).text).group(1)
    browser.post(f"{base}/login", timeout=10,
                 data={"csrf_token": token, "email": user.email, "password": PASSWORD})  # fmt: skip
    page = browser.get(f"{base}/people/{person.id}", timeout=5).text
    form = {"csrf_token": TOKEN.search(page).group(1), "key": KEY.search(page).group(1),
            "category": "social", "text": "Visite à domicile faite"}  # fmt: skip
    url = f"{base}/people/{person.id}/notes"
    outcome = []

    def post():
        try:
            outcome.append(browser.post(url, data=form, timeout=20, allow_redirects=False))
        except requests.RequestException as error:
            outcome.append(error)

    with table_locked(app, "person_notes"):
        sender = threading.Thread(target=post)
        sender.start()
        time.sleep(1.0)  # the worker now waits for the lock, in the middle of the request
        (worker,) = workers(master)
        os.kill(worker, signal.SIGKILL)
        sender.join()
    assert isinstance(outcome[0], requests.RequestException)  # the browser saw it die
    wait_until(lambda: workers(master) and requests.get(f"{base}/healthz", timeout=2).ok)
    retried = browser.post(url, data=form, timeout=20, allow_redirects=False)
    again = browser.post(url, data=form, timeout=20, allow_redirects=False)  # answer lost
    assert (retried.status_code, again.status_code) == (303, 303)
    db.session.rollback()
    notes = db.session.execute(select(func.count()).select_from(PersonNote)).scalar_one()
    audited = db.session.execute(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.event == "note_added")
    ).scalar_one()
    assert (notes, audited) == (1, 1)
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
