"""Small helpers shared by the tests: tokens, signing in, reading pages."""

import re
import threading
from contextlib import contextmanager

from flask import has_app_context
from sqlalchemy import event, update

from coordination.db import db
from coordination.models import User
from tests.factories import PASSWORD

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# The key a create form carries (one row per submission): `key`, or `prefix-key`.
SUBMISSION_KEY = re.compile(r'<input[^>]*name="((?:[\w-]+-)?key)"[^>]*value="([^"]+)"')


def csrf_token(client, path="/login"):
    """Open a page and return the CSRF token of its first form."""
    response = client.get(path)
    match = TOKEN.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client, email, password=PASSWORD, next_path=None):
    """Sign in through the real form; return the response."""
    token = csrf_token(client)
    url = "/login" + (f"?next={next_path}" if next_path else "")
    response = client.post(url, data={"email": email, "password": password, "csrf_token": token})
    if client.environ_base.get("HTTP_ACCEPT_LANGUAGE") == "en" and has_app_context():
        # Signed in, an account that never chose reads the network's language (French); the
        # assertions read English, so the test's accounts choose English as their browser.
        db.session.execute(
            update(User).where(User.email == email, User.language.is_(None)).values(language="en")
        )
        db.session.commit()
    return response


def form_fields(client, path):
    """Open a page: the CSRF token of its first form and the submission keys of its forms."""
    page = client.get(path).get_data(as_text=True)
    match = TOKEN.search(page)
    assert match, f"no CSRF token on {path}"
    keys = {}
    for name, value in SUBMISSION_KEY.findall(page):
        keys.setdefault(name, value)
    return match.group(1), keys


def post_form(client, path, data=None, form_page=None, **kwargs):
    """POST to path as a browser would from form_page (default: path itself): with its CSRF
    token and, unless given, the submission keys its forms carry."""
    token, keys = form_fields(client, form_page or path)
    return client.post(path, data={"csrf_token": token, **keys, **(data or {})}, **kwargs)


def text(response):
    """The body of a response as text."""
    return response.get_data(as_text=True)


@contextmanager
def counted_queries(app):
    """Count the SQL statements run inside the block (requests included)."""
    statements = []

    def count(_connection, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def post_at_once(app, client, url, forms, headers=None):
    """POST each form at the same moment from its own browser sharing the client's session;
    the status codes, in the order they came back."""
    cookie = client.get_cookie("maillage_session").value
    statuses = []

    def submit(form):
        browser = app.test_client()
        browser.set_cookie("maillage_session", cookie)
        statuses.append(browser.post(url, data=form, headers=headers).status_code)

    threads = [threading.Thread(target=submit, args=(form,)) for form in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses
