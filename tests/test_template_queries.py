"""No template reaches the database (issue 16): everything a page shows is loaded by its view,
once, before rendering; a lazy load inside a template would run one query per row.

Every demo account walks the pages it can reach from its home by following links, and each
SQL statement run while a template renders is reported with the page and the statement."""

import re
from collections import Counter, deque
from html import unescape

import pytest
from flask import before_render_template, request, template_rendered
from sqlalchemy import event

from coordination.db import db
from coordination.demo.network import DEMO_PASSWORD, demo_logins
from tests.helpers import sign_in

LINK = re.compile(r'href="(/[^"#]*)"')
# Downloads and pages that render no template, or that only an action should reach.
SKIPPED = re.compile(r"^/(static/|logout|calendar/)|\.(csv|json|ics|xlsx)(\?|$)|/export")
PAGES_PER_ACCOUNT = 80


@pytest.fixture
def rendering_queries(app):
    """The statements run while a template renders, as (page, template, statement)."""
    found, rendering = [], []

    def started(_app, template, **_context):
        rendering.append(template.name)

    def finished(_app, template, **_context):
        rendering.remove(template.name)

    def statement(_connection, _cursor, sql, *_args):
        if rendering:
            found.append((request.path, rendering[-1], " ".join(sql.split())[-160:]))

    before_render_template.connect(started, app)
    template_rendered.connect(finished, app)
    event.listen(db.engine, "before_cursor_execute", statement)
    yield found
    event.remove(db.engine, "before_cursor_execute", statement)
    before_render_template.disconnect(started, app)
    template_rendered.disconnect(finished, app)


def kind(path):
    """What page a link opens, whatever its ids and filters: /people/55?x=1 -> /people/N."""
    return re.sub(r"\d+", "N", path.split("?")[0])


def walk(client, limit):
    """Follow links from the home page, breadth first, two pages of each kind at most (so that
    the walk covers the kinds of pages, not one list's filters); the pages seen."""
    seen, kinds, queue = set(), Counter(), deque(["/"])
    while queue and len(seen) < limit:
        path = unescape(queue.popleft())
        if path in seen or SKIPPED.search(path) or kinds[kind(path)] >= 2:
            continue
        seen.add(path)
        kinds[kind(path)] += 1
        response = client.get(path)
        if response.mimetype == "text/html":
            queue.extend(LINK.findall(response.get_data(as_text=True)))
        response.close()
    return seen


ACCOUNTS = ["admin", "coordination", "referente.ccas", "caf", "pilotage"]


@pytest.mark.parametrize(
    "account", ACCOUNTS, ids=["admin", "coordinator", "referent", "partner", "steering"]
)
def test_no_template_queries_the_database(app, runner, client, rendering_queries, account):
    assert runner.invoke(args=["demo-data", "--persons", "60"]).exit_code == 0
    email = next(email for email, _role, _org in demo_logins() if email.startswith(account + "@"))
    sign_in(client, email, DEMO_PASSWORD)
    rendering_queries.clear()
    pages = walk(client, PAGES_PER_ACCOUNT)
    assert len(pages) > 5
    assert rendering_queries == []
