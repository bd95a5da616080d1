"""The write scenario of quality.md: professionals change statuses of shared and own actions.

Each client signs in as a professional of the CAF and, for the given seconds, moves actions
between "under way" and "blocked" through the list's htmx form, as a browser would: it reads
the version and the moves offered in the row the server answers, and re-reads the row after a
conflict. Afterwards the database must hold exactly one log row and one audit row per accepted
change: nothing lost, nothing doubled.
"""

import http.client
import random
import re
import threading
import time
import urllib.parse
from collections import Counter

from sqlalchemy import func, select

from coordination.db import db
from coordination.models import Action, ActionStatus, ActionUpdate, AuditEvent, UpdateKind, User

MOVE = re.compile(
    r'name="status" value="(\w+)">\s*<input type="hidden" name="version" value="(\d+)"'
)
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Client:
    """One professional's browser: a keep-alive connection, a session, a CSRF token."""

    def __init__(self, port, cookie):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = cookie
        self.token = None
        self.statuses = Counter()
        self.write_seconds = []

    def request(self, method, path, form=None):
        """Send a request as htmx does; the status and the body."""
        headers = {"Cookie": self.cookie, "HX-Request": "true"}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode()
        self.statuses[response.status] += 1
        return response.status, text

    def moves(self, action_id):
        """The moves the action's page offers now, as {status: version}."""
        _status, page = self.request("GET", f"/actions/{action_id}")
        self.token = self.token or TOKEN.search(page).group(1)
        return dict(MOVE.findall(page))

    def move(self, action_id, offered):
        """Make one move of those offered; the status code and the moves offered next."""
        wanted = "in_progress" if "in_progress" in offered else "blocked"
        form = {
            "csrf_token": self.token,
            "status": wanted,
            "version": offered[wanted],
            "key": f"{threading.get_ident()}-{time.perf_counter_ns()}",
            "note": "Pièce manquante au dossier" if wanted == "blocked" else "",
        }
        started = time.perf_counter()
        status, row = self.request("POST", f"/actions/{action_id}/status", form)
        self.write_seconds.append(time.perf_counter() - started)
        return status, dict(MOVE.findall(row))


def status_changes(port, cookies, shared, own, seconds):
    """Drive the clients for `seconds`: accepted changes and conflicts per action, response
    statuses, the time it took and the latencies of the writes."""
    accepted, conflicts, lock = Counter(), Counter(), threading.Lock()
    deadline = time.monotonic() + seconds

    def work(number, cookie):
        client, rng = Client(port, cookie), random.Random(number)  # noqa: S311 (not a secret)
        mine = own[number :: len(cookies)]
        known = {}
        while time.monotonic() < deadline:
            action_id = rng.choice(shared) if rng.random() < 0.3 else rng.choice(mine)
            offered = known.get(action_id) or client.moves(action_id)
            status, offered_next = client.move(action_id, offered)
            with lock:
                (accepted if status == 200 else conflicts)[action_id] += status in (200, 409)
            # After a conflict or a refusal, read the action again before the next move.
            known[action_id] = offered_next if status == 200 and offered_next else None
        clients.append(client)

    clients = []
    threads = [
        threading.Thread(target=work, args=(number, cookie))
        for number, cookie in enumerate(cookies)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    statuses = sum((client.statuses for client in clients), Counter())
    latencies = sorted(seconds for client in clients for seconds in client.write_seconds)
    return accepted, conflicts, statuses, elapsed, latencies


def pick_actions(email, shared=20, own=200):
    """Open actions of the account's organisation: some everyone moves, the others one each."""
    organisation = select(User.organisation_id).where(User.email == email).scalar_subquery()
    ids = (
        db.session.execute(
            select(Action.id)
            .where(
                Action.owner_organisation_id == organisation,
                Action.status.in_((ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)),
            )
            .order_by(Action.id)
            .limit(shared + own)
        )
        .scalars()
        .all()
    )
    return ids[:shared], ids[shared:]


def checkpoint():
    """The last log and audit rows before the run."""
    return tuple(
        db.session.execute(select(func.coalesce(func.max(model.id), 0))).scalar()
        for model in (ActionUpdate, AuditEvent)
    )


def lost_or_doubled(before, accepted):
    """Accepted changes without exactly one log row and one audit row each."""
    last_update, last_audit = before
    logged = Counter(
        dict(
            db.session.execute(
                select(ActionUpdate.action_id, func.count())
                .where(ActionUpdate.id > last_update, ActionUpdate.kind == UpdateKind.STATUS)
                .group_by(ActionUpdate.action_id)
            ).all()
        )
    )
    audited = db.session.execute(
        select(func.count()).where(
            AuditEvent.id > last_audit, AuditEvent.event == "action_status_changed"
        )
    ).scalar()
    mismatched = sum(abs(logged[action] - accepted[action]) for action in logged | accepted)
    return mismatched + abs(audited - sum(accepted.values()))
