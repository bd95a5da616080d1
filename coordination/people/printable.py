"""The plan in plain words, printed for the person (nothing restricted, no internal remark)."""

from flask import render_template
from flask_login import current_user

from .. import access, audit
from ..access import Level, load_person
from ..clock import today, utcnow
from ..orientations.notices import printed_sentence
from ..orientations.queries import of_person
from . import bp
from .cards import card
from .plan import actions_of, next_meeting, reviews_of


@bp.route("/people/<id:person_id>/plan")
@access.signed_in
def printable_plan(person_id):
    """What each partner agreed to do for the person, to hand over on paper."""
    person, person_access = load_person(person_id, minimum=Level.IDENTIFIED)
    access.require(access.can(current_user, "print_plan", person), status=404)
    audit.record("plan_printed", subject=person, person_id=person.id)
    grouped = {}
    for action, organisation, _assignee in actions_of(person):
        grouped.setdefault(organisation, []).append(action)
    return render_template(
        "people/plan_print.html",
        card=card(person, person_access.level),
        by_organisation=grouped,
        next_meeting=next_meeting(reviews_of(person), utcnow()),
        orientations=[printed_sentence(row) for row in reversed(of_person(person.id))],
        today=today(),
    )
