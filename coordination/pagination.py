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
    """Paginate a select of one entity with the page from the URL and the configured size."""
    return db.paginate(
        statement,
        page=page_number(),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )


@dataclass
class RowsPage:
    """A page of rows of several columns (Flask-SQLAlchemy's pages hold one entity)."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self):
        """How many pages there are."""
        return max(ceil(self.total / self.per_page), 1)

    @property
    def has_prev(self):
        """Tell whether a previous page exists."""
        return self.page > 1

    @property
    def has_next(self):
        """Tell whether a next page exists."""
        return self.page < self.pages

    @property
    def prev_num(self):
        """The previous page's number."""
        return self.page - 1

    @property
    def next_num(self):
        """The next page's number."""
        return self.page + 1


def paginate_rows(statement, per_page=None):
    """Paginate a select of several columns: the count, then the page."""
    per_page = per_page or current_app.config["PAGE_SIZE"]
    page = page_number()
    total = db.session.execute(
        select(func.count()).select_from(statement.order_by(None).subquery())
    ).scalar_one()
    rows = db.session.execute(statement.limit(per_page).offset((page - 1) * per_page)).all()
    return RowsPage(items=rows, page=page, per_page=per_page, total=total)
