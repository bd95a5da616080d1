"""A person's coordinated plan: every partner's actions, the network, the timeline.

A fixed number of queries whatever the number of actions and organisations: each part is one
select of `queries.py`, grouped here in Python.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time

from ..clock import PARIS, utcnow
from ..models import OPEN_STATUSES, ActionStatus, MeetingStatus
from .queries import (
    actions_of,
    latest_updates,
    organisations_with_contacts,
    reviews_of,
)

TIMELINE_LENGTH = 40


@dataclass
class Plan:
    """What the plan page shows, grouped for the template."""

    # Open actions by partner (late ones first within each); done and cancelled ones apart,
    # folded on the page: a long file reads as what is still to do.
    by_organisation: dict = field(default_factory=dict)
    finished: list = field(default_factory=list)
    cancelled: list = field(default_factory=list)
    late: int = 0
    under_way: int = 0
    done: int = 0
    network: list = field(default_factory=list)
    next_meeting: object = None
    timeline: list = field(default_factory=list)
    # The person's latest consent, whichever organisations it covers (identified readers).
    consent: object = None


@dataclass(frozen=True)
class Partner:
    """An organisation of the person's network, as the plan names it."""

    id: int
    name: str
    phone: str


@dataclass(frozen=True)
class Event:
    """One line of the timeline."""

    at: datetime
    kind: str
    text: str
    link: str | None = None
    from_status: object = None
    to_status: object = None


def network_of(organisation_ids):
    """Each organisation around the person, with its phone and its first contact person."""
    network = {}
    for organisation_id, name, phone, contact in organisations_with_contacts(organisation_ids):
        network.setdefault(organisation_id, (Partner(organisation_id, name, phone), contact))
    return list(network.values())


def next_meeting(meetings, now):
    """The next planned meeting among those reviewing the situation."""
    coming = (m for m in meetings if m.starts_at >= now and m.status == MeetingStatus.PLANNED)
    return next(coming, None)


def plan_of(user, person, person_access, day, referents=()):
    """The plan at the reader's level: identity-related events only for identified readers."""
    plan = Plan()
    grouped = defaultdict(list)
    involved = set()
    for action, organisation, assignee in actions_of(person):
        involved.add(action.owner_organisation_id)
        if action.status in OPEN_STATUSES:
            grouped[organisation].append((action, assignee))
        elif action.status == ActionStatus.DONE:
            plan.finished.append((action, organisation, assignee))
        else:
            plan.cancelled.append((action, organisation, assignee))
        if action.status in OPEN_STATUSES and action.due_on < day:
            plan.late += 1
        elif action.status in OPEN_STATUSES:
            plan.under_way += 1
        elif action.status == ActionStatus.DONE:
            plan.done += 1
    for rows in grouped.values():
        rows.sort(key=lambda row: (not row[0].is_overdue(day), row[0].due_on))
    plan.by_organisation = dict(grouped)
    plan.finished.sort(key=lambda row: row[0].done_on or row[0].due_on, reverse=True)
    involved.add(person.origin_organisation_id)
    plan.network = network_of(involved)
    meetings, now = reviews_of(person), utcnow()
    plan.next_meeting = next_meeting(meetings, now)
    reviewed = [
        Event(m.starts_at, "review", "", f"/meetings/{m.id}/minutes")
        for m in meetings
        if m.starts_at < now
    ]
    consents = person_access.consents if person_access.identified else None
    plan.consent = latest(consents or [])
    plan.timeline = timeline(user, person, consents, reviewed, referents)
    return plan


def timeline(user, person, consents, reviewed, referents):
    """Meetings, follow-up and, for identified readers, consents and référents; newest first."""
    events = reviewed + update_events(user, person)
    if consents is not None:
        events += consent_events(consents)
        events += [Event(row.started_at, "referent", row.user.name) for row in referents]
    events.sort(key=lambda event: event.at, reverse=True)
    return events[:TIMELINE_LENGTH]


def update_events(user, person):
    """The latest entries of the follow-up the reader may read."""
    return [
        Event(
            update.created_at,
            update.kind,
            title,
            f"/actions/{update.action_id}",
            update.from_status,
            update.to_status,
        )
        for update, title in latest_updates(user, person, TIMELINE_LENGTH)
    ]


def latest(consents):
    """The consent that tells where sharing stands: the last one not replaced."""
    current = [consent for consent in consents if consent.replaced_by_id is None]
    return current[-1] if current else None


def consent_events(consents):
    """Consents given and withdrawn."""
    events = []
    for consent in consents:
        given = datetime.combine(consent.given_on, time(12), tzinfo=PARIS)
        events.append(Event(given, "consent_given", ""))
        if consent.withdrawn_at:
            events.append(Event(consent.withdrawn_at, "consent_withdrawn", ""))
    return events
