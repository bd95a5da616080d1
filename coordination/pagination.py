"""Reading the page number of a paginated list from the URL."""

from flask import current_app, request

from .db import db

# Beyond this, OFFSET would overflow the database's integers; nobody pages that far.
MAX_PAGE = 100_000


def page_number():
    """Return the requested page, clamped to a sane range (a tampered value is page 1)."""
    page = request.args.get("page", 1, type=int)
    return min(max(page, 1), MAX_PAGE)


def paginate(statement):
    """Paginate a select with the page from the URL and the configured page size."""
    return db.paginate(
        statement,
        page=page_number(),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
