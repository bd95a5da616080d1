"""Reading the page number of a paginated list from the URL, and paginating rows."""

from dataclasses import dataclass
from math import ceil

from flask import current_app, request
from sqlalchemy import func, select

from .db import db

# Beyond this, OFFSET would overflow the database's integers; nobody pages that far.
MAX_PAGE = 100_000


def page_number():
    """Return the requested page, clamped to a sane range (a tampered value is page 1)."""
    page = request.args.get("page", 1, type=int)
    return min(max(page, 1), MAX_PAGE)


def paginate(statement):
    """Paginate a select of one entity with the page from the URL and the configured size,
    counting the matches up to the cap as `paginate_rows` does."""
    return paginate_rows(statement, entities=True)


@dataclass
class RowsPage:
    """A page of rows of several columns (Flask-SQLAlchemy's pages hold one entity).

    The total is counted only up to a cap: a search as you type must not count ten thousand
    matches on every keystroke. Past the cap, `capped` is set and the number of pages unknown.
    """

    items: list
    page: int
    per_page: int
    total: int
    has_next: bool
    capped: bool = False

    @property
    def pages(self):
        """How many pages there are (at least this one), or None past the counting cap."""
        if self.capped:
            return None
        return max(ceil(self.total / self.per_page), self.page if self.items else 1)

    @property
    def has_prev(self):
        """Tell whether a previous page exists."""
        return self.page > 1

    @property
    def prev_num(self):
        """The previous page's number."""
        return self.page - 1

    @property
    def next_num(self):
        """The next page's number."""
        return self.page + 1


def paginate_ids(statement, per_page=None):
    """Paginate a select of ids in one query while the page lies within the counting cap: the
    ids up to the cap are read at once (a search sorts all its matches anyway, so reading a
    thousand small keys costs about what reading a page does) and counted in Python."""
    per_page = per_page or current_app.config["PAGE_SIZE"]
    page, cap = page_number(), current_app.config["COUNT_CAP"]
    if page * per_page > cap:
        return paginate_rows(statement, per_page)
    ids = db.session.execute(statement.limit(cap + 1)).all()
    rows = ids[(page - 1) * per_page : page * per_page]
    has_next = len(ids) > page * per_page
    return RowsPage(rows, page, per_page, min(len(ids), cap), has_next, capped=len(ids) > cap)


def paginate_rows(statement, per_page=None, entities=False):
    """Paginate a select of several columns (or, with `entities`, of one entity): the page,
    then the count up to the cap.

    One row more than the page tells whether a next page exists; a first page that holds
    every match needs no count at all.
    """
    per_page = per_page or current_app.config["PAGE_SIZE"]
    page = page_number()
    result = db.session.execute(statement.limit(per_page + 1).offset((page - 1) * per_page))
    rows = result.unique().scalars().all() if entities else result.all()
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    if page == 1 and not has_next:
        return RowsPage(rows, page, per_page, len(rows), has_next)
    cap = current_app.config["COUNT_CAP"]
    counted = db.session.execute(
        select(func.count()).select_from(statement.order_by(None).limit(cap + 1).subquery())
    ).scalar_one()
    return RowsPage(rows, page, per_page, min(counted, cap), has_next, capped=counted > cap)
