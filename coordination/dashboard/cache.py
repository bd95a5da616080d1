"""The dashboard's rendered figures, kept a short while per filter and per language.

Computing them reads every action of the network (a second or more at a million actions),
while a coordinator and the steering committee look at the same few filters again and again.
A page is kept until an action is created or changed (the stamp moves), the day changes, or
DASHBOARD_CACHE_SECONDS pass (attendance and the directory's health may be that old).
Each worker keeps its own pages, the most recently used 64 of them.
"""

import threading
import time
from collections import OrderedDict

from flask import current_app
from flask_babel import get_locale
from sqlalchemy import func, select

from ..clock import today
from ..db import db
from ..models import Action, ActionUpdate

SIZE = 64


class Pages:
    """Rendered pages by key, each with the moment it expires; the oldest used go first."""

    def __init__(self):
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get_or_make(self, key, make, seconds):
        """The page kept under `key`, or `make()` kept for `seconds`."""
        now = time.monotonic()
        with self.lock:
            found = self.entries.get(key)
            if found and found[0] > now:
                self.entries.move_to_end(key)
                return found[1]
        page = make()  # outside the lock: two workers' threads may both compute, never wait
        with self.lock:
            self.entries[key] = (now + seconds, page)
            self.entries.move_to_end(key)
            while len(self.entries) > SIZE:
                self.entries.popitem(last=False)
        return page


def stamp():
    """What moves when an action is created or changed: the last action and the last log row."""
    return db.session.execute(
        select(
            select(func.max(Action.id)).scalar_subquery(),
            select(func.max(ActionUpdate.id)).scalar_subquery(),
        )
    ).one()


def kept(scope, valid, make):
    """The figures of a scope, rendered by `make()` or kept from a moment ago."""
    pages = current_app.extensions.setdefault("dashboard_pages", Pages())
    key = (str(get_locale()), scope, valid, today(), *stamp())
    return pages.get_or_make(key, make, current_app.config["DASHBOARD_CACHE_SECONDS"])
