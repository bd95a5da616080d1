"""The plan in plain words, printed for the person (nothing restricted, no internal remark)."""

from dataclasses import dataclass, field

from flask import render_template
from flask_login import current_user

from .. import access, audit, glossary
from ..access import Level, load_person
from ..cards import card
from ..clock import today, utcnow
from ..models import ActionStatus
from ..orientations.notices import printed_sentence
from ..orientations.queries import of_person
from ..routing import route
from .plan import next_meeting
from .queries import actions_of, reviews_of


@dataclass
class PrintedPlan:
    """The person's actions in the four parts of the sheet, each a list of (action, partner)."""

    done: list = field(default_factory=list)
    under_way: list = field(default_factory=list)
    late: list = field(default_factory=list)
    planned: list = field(default_factory=list)
    # Done long ago: counted, not listed (a paper plan stays short).
    done_before: int = 0


# The done actions a printed plan lists, the latest ones.
DONE_LISTED = 10


def sorted_for_print(rows, day):
    """Split the actions: done (oldest first), late, under way, planned; cancelled ones left out."""
    plan = PrintedPlan()
    for action, organisation, _assignee in rows:
        if action.status == ActionStatus.CANCELLED:
            continue
        if action.status == ActionStatus.DONE:
            plan.done.append((action, organisation))
        elif action.is_overdue(day):
            plan.late.append((action, organisation))
        elif action.status == ActionStatus.PLANNED:
            plan.planned.append((action, organisation))
        else:
            plan.under_way.append((action, organisation))
    plan.done.sort(key=lambda row: (row[0].done_on or row[0].due_on, row[0].id))
    plan.done_before = max(len(plan.done) - DONE_LISTED, 0)
    plan.done = plan.done[plan.done_before :]
    for part in (plan.late, plan.under_way, plan.planned):
        part.sort(key=lambda row: (row[0].due_on, row[0].id))
    return plan


@route("/people/<id:person_id>/plan")
@access.signed_in
def printable_plan(person_id):
    """What each partner agreed to do for the person, to hand over on paper."""
    person, person_access = load_person(person_id, minimum=Level.IDENTIFIED)
    access.require(access.can(current_user, "print_plan", person), status=404)
    audit.record("plan_printed", subject=person, person_id=person.id)
    rows, day = actions_of(person), today()
    plan = sorted_for_print(rows, day)
    person_card = card(person, person_access.level)
    texts = [action.title for action, _o, _a in rows] + [name for _a, name, _u in rows]
    return render_template(
        "people/plan_print.html",
        card=person_card,
        plan=plan,
        words=glossary.explain([*texts, person_card.goals or ""]),
        next_meeting=next_meeting(reviews_of(person), utcnow()),
        orientations=[printed_sentence(row) for row in reversed(of_person(person.id))],
        today=day,
    )
