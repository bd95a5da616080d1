"""Finding persons: my persons, my organisation's, all I may see; search as you type."""

from flask import request
from flask_login import current_user
from sqlalchemy import false, select, union
from sqlalchemy.orm import aliased

from .. import access, audit
from ..access import Level
from ..cards import list_card
from ..clock import today
from ..db import db
from ..htmx import render, wants_fragment
from ..models import Organisation, Person, PersonSearchToken, User
from ..pagination import paginate_ids
from ..routing import route
from ..text import name_tokens, prefix_range, search_words
from .consents import ending_soon_for
from .forms import PeopleFilterForm


def default_view(user):
    """The tab a user lands on (decided by the access policy)."""
    return access.default_person_list(user)


def matching_ids(user, form, day):
    """SQL: ids of the persons to list, scoped by the access policy, the tab and the search."""
    statement = select(Person.id)
    words = search_words(form.q.data if not form.q.errors else "")
    for word in words:
        # The matches drive the query: a few index ranges, whatever the size of the network.
        statement = statement.where(Person.id.in_(union(reference_starts(word), name_starts(word))))
    # The name check first: most namesakes are not shared with the reader, and SQLite tests
    # the conditions in this order, so they skip the longer visibility check (14 to 9 ms).
    for word in words:
        statement = statement.where(
            access.found_by_name(user, day, Person.id.in_(reference_starts(word)))
        )
    statement = statement.where(access.visible_clause(user, day, per_row=bool(words)))
    show = form.show.data if form.validate() else default_view(user)
    if show == "mine":
        statement = statement.where(Person.referent_id == user.id)
    elif show == "organisation":
        statement = statement.where(access.followed_by_organisation(user.organisation_id))
    return statement.order_by(Person.created_at.desc(), Person.id.desc())


def reference_starts(word):
    """SQL: ids of the persons whose reference starts with the word ("p-7k", or "7k")."""
    prefix = word.upper() if word.startswith("p-") else "P-" + word.upper()
    low, high = prefix_range(prefix)
    return select(Person.id).where(Person.reference >= low, Person.reference < high)


def name_starts(word):
    """SQL: ids of the persons with a word of the name starting with each part of the word."""
    parts = name_tokens(word)
    if not parts:
        return select(Person.id).where(false())
    matches = None
    for part in parts:
        low, high = prefix_range(part)
        tokens = select(PersonSearchToken.person_id).where(
            PersonSearchToken.token >= low, PersonSearchToken.token < high
        )
        matches = (
            tokens if matches is None else matches.where(PersonSearchToken.person_id.in_(tokens))
        )
    return matches


def page_cards(user, ids, day):
    """The cards of a page of persons, in the page's order, at the user's level for each."""
    referent = aliased(User)
    referent_organisation = aliased(Organisation)
    rows = db.session.execute(
        select(Person, referent.name, referent_organisation.name, access.level_column(user, day))
        .outerjoin(referent, referent.id == Person.referent_id)
        .outerjoin(referent_organisation, referent_organisation.id == referent.organisation_id)
        .where(Person.id.in_(ids))
    ).all()
    by_id = {person.id: (person, name, organisation, Level(level))
             for person, name, organisation, level in rows}  # fmt: skip
    return [list_card(*by_id[person_id]) for person_id in ids]


@route("/people")
@access.signed_in
def index():
    """List and search the persons the user may see, at the level they may see them."""
    form = PeopleFilterForm(request.args)
    if "show" not in request.args:
        form.show.data = default_view(current_user)
    day = today()
    page = paginate_ids(matching_ids(current_user, form, day))
    cards = page_cards(current_user, [row.id for row in page.items], day)
    audit.record("people_listed", detail=f"{len(cards)} shown")
    return render(
        "people/index.html",
        "people/_results.html",
        form=form,
        page=page,
        cards=cards,
        ending=ending_soon(current_user) if not wants_fragment() else [],
    )


def ending_soon(user):
    """The référent's persons whose consent ends within 30 days, the soonest first."""
    return db.session.execute(ending_soon_for(user)).all()
