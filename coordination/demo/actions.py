"""Demo follow-up: about ten actions per person, with their log, in every state, in bulk.

A working network, not one in crisis: actions due are mostly done or abandoned (by the person
or by the organisation), those not yet due under way; about one open action in five is late and
a few are blocked, most of them around the quarter of persons whose situation is hard. Some are
evaluated. One named person (Karim Benali) has
200 actions across 20 organisations, the largest plan the bench measures.
"""

from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from ..clock import PARIS, today
from ..db import db
from ..models import (
    Action,
    ActionStatus,
    ActionUpdate,
    CancelReason,
    Evaluation,
    Organisation,
    Person,
    Role,
    UpdateKind,
    User,
)
from .meetings import ACTIONS, done_day, horizon
from .people import bulk, reset_sequences

ACTIONS_PER_PERSON = 10
HARD_SITUATIONS = 0.25  # the share of persons whose situation is hard (most late actions)
FLUSH_EVERY = 20_000
BLOCKED_REASONS = [
    "Pièces justificatives manquantes",
    "En attente d'une place",
    "La personne ne répond plus au téléphone",
]
NOTES = [
    "Appel à la personne : rendez-vous fixé.",
    "Dossier transmis au service instructeur.",
    "Point fait avec la référente.",
]
S = ActionStatus


class Writer:
    """Rows gathered and inserted in chunks, so that a million actions fit in memory."""

    def __init__(self):
        self.action_id = next_id(Action)
        self.actions, self.updates = [], []

    def add(self, action, updates):
        """Keep an action and its log; insert them when the chunk is full."""
        self.actions.append(action)
        self.updates += updates
        self.action_id += 1
        if len(self.actions) >= FLUSH_EVERY:
            self.flush()

    def flush(self):
        """Insert what is kept."""
        bulk(Action, self.actions)
        bulk(ActionUpdate, self.updates)
        self.actions, self.updates = [], []


def next_id(model):
    """The id after the highest one of a table."""
    return (db.session.execute(select(func.max(model.id))).scalar() or 0) + 1


def build(rng):
    """About ten actions per person, owned mostly by the core organisations."""
    organisations = db.session.execute(select(Organisation.id).order_by(Organisation.id))
    organisation_ids = organisations.scalars().all()
    core = organisation_ids[:16]
    authors = dict(
        db.session.execute(
            select(User.organisation_id, func.min(User.id))
            .where(User.role.not_in([Role.ADMIN, Role.STEERING]))
            .group_by(User.organisation_id)
        ).all()
    )
    persons = db.session.execute(
        select(Person.id, Person.origin_organisation_id).order_by(Person.id)
    ).all()
    writer = Writer()
    day = today()
    for person_id, origin in persons:
        hard = rng.random() < HARD_SITUATIONS
        for _ in range(rng.randint(0, 2 * ACTIONS_PER_PERSON)):
            owner = (
                origin
                if rng.random() < 0.3
                else rng.choice(core if rng.random() < 0.7 else organisation_ids)
            )
            writer.add(*history(writer.action_id, person_id, owner, authors, day, rng, hard))
    crowded_plan(writer, organisation_ids, authors, day, rng)
    writer.flush()
    reset_sequences(("actions", "action_updates"))


def crowded_plan(writer, organisation_ids, authors, day, rng):
    """Karim Benali: 200 actions across 20 organisations (the bench's largest plan)."""
    person_id = db.session.execute(
        select(Person.id)
        .where(Person.first_name == "Karim", Person.last_name == "Benali")
        .order_by(Person.id.desc())
        .limit(1)
    ).scalar()
    if person_id is None:
        return
    partners = organisation_ids[:20]
    for number in range(200):
        writer.add(
            *history(
                writer.action_id, person_id, partners[number % len(partners)], authors, day, rng
            )
        )


def history(action_id, person_id, owner, authors, day, rng, hard=False):
    """One action and its log: the older, the likelier done; late ones mostly in hard cases."""
    created = day - timedelta(days=rng.randint(1, 1000))
    due_on = created + timedelta(days=rng.choice([30, 60, 90, 180, 400]))
    status = pick_status(age(due_on, day), hard, rng)
    at = datetime.combine(created, time(10), tzinfo=PARIS)
    author = authors.get(owner)
    reason, cancel = "", None
    if status == S.BLOCKED:
        reason = rng.choice(BLOCKED_REASONS)
    elif status == S.CANCELLED:
        cancel = rng.choice(list(CancelReason))
        reason = (
            "La personne a déménagé"
            if cancel == CancelReason.ABANDONED_BY_PERSON
            else ("Plus de place dans le dispositif")
        )
    _owner_key, title, theme = rng.choice(ACTIONS)
    evaluated = status in (S.DONE, S.CANCELLED) and due_on < day and rng.random() < 0.5
    action = {
        "id": action_id,
        "person_id": person_id,
        "owner_organisation_id": owner,
        "title": title,
        "theme": theme,
        "due_on": due_on,
        "horizon": horizon(created, due_on),
        "status": status,
        "status_changed_at": at,
        "status_reason": reason,
        "cancel_reason": cancel,
        "created_at": at,
        "done_on": done_day(created, due_on, rng) if status == S.DONE else None,
        "evaluation": rng.choice(list(Evaluation)) if evaluated else None,
    }
    updates = []
    if status != S.PLANNED and author:
        updates.append(
            {
                "action_id": action_id,
                "kind": UpdateKind.STATUS,
                "author_id": author,
                "organisation_id": owner,
                "created_at": at + timedelta(days=7),
                "from_status": S.PLANNED,
                "to_status": status,
                "note": reason,
                "restricted": False,
            }
        )
    if author and rng.random() < 0.2:
        updates.append(
            {
                "action_id": action_id,
                "kind": UpdateKind.NOTE,
                "author_id": author,
                "organisation_id": owner,
                "created_at": at + timedelta(days=3),
                "from_status": None,
                "to_status": None,
                "note": rng.choice(NOTES),
                "restricted": rng.random() < 0.1,
            }
        )
    return action, updates


def age(due_on, day):
    """How long ago the action was due: the older, the likelier it was seen through."""
    if due_on >= day:
        return "coming"
    if due_on < day - timedelta(days=365):
        return "ancient"
    return "old" if due_on < day - timedelta(days=60) else "recent"


# The chance that an action due is still open (late), in a hard situation and in another.
STILL_OPEN = {"ancient": (0.03, 0.003), "old": (0.22, 0.02), "recent": (0.55, 0.08)}
# Statuses and their cumulative weights (46, 42, 9, 1, 2 for the coming ones): summed once,
# not on each of a million draws; the draws are the same as with the weights.
COMING = ([S.PLANNED, S.IN_PROGRESS, S.DONE, S.BLOCKED, S.CANCELLED], [46, 88, 97, 98, 100])
LATE = ([S.PLANNED, S.IN_PROGRESS, S.BLOCKED], [35, 85, 100])
SEEN_THROUGH = ([S.DONE, S.CANCELLED], [85, 100])


def pick_status(when, hard, rng):
    """A status as a working network's: open when not yet due, late now and then."""
    if when == "coming":
        statuses, weights = COMING
    elif rng.random() < STILL_OPEN[when][0 if hard else 1]:
        statuses, weights = LATE
    else:
        statuses, weights = SEEN_THROUGH
    return rng.choices(statuses, cum_weights=weights)[0]
