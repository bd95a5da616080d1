"""Demo orientations between meetings, one in every state, and a duplicate file to spot."""

from datetime import timedelta

from sqlalchemy import select

from ..clock import utcnow
from ..db import db
from ..models import (
    Action,
    DeclineReason,
    OrientationStatus,
    Person,
    Service,
    Urgency,
    User,
)

# (person's last name, sender login, receiving organisation key, message, days ago, outcome)
ORIENTATIONS = [
    (
        "Durand",
        "referente.ccas",
        "caf",
        "Ouverture des droits RSA et prime d'activité.",
        18,
        OrientationStatus.ACCEPTED,
    ),
    (
        "Benali",
        "referente.ccas",
        "ml",
        "Accompagnement vers l'emploi et le permis de conduire.",
        15,
        DeclineReason.NO_CAPACITY,
    ),
    (
        "Lefèvre",
        "referente.ccas",
        "caf",
        "Révision de l'allocation logement.",
        12,
        OrientationStatus.SENT,
    ),
    (
        "Durand",
        "referente.ccas",
        "cmp",
        "Premier rendez-vous infirmier, à sa demande.",
        4,
        OrientationStatus.UNDER_REVIEW,
    ),
    ("Benali", "referente.ccas", "caf", "Ouverture des droits RSA.", 35, OrientationStatus.EXPIRED),
    ("Petit", "mission.locale", "ccas", "Aide alimentaire d'urgence.", 1, OrientationStatus.SENT),
]


def service_of(organisation):
    """The organisation's first service in the directory, made when it has none."""
    service = (
        db.session.execute(
            select(Service).where(Service.organisation_id == organisation.id).order_by(Service.id)
        )
        .scalars()
        .first()
    )
    if service is None:
        service = Service(
            organisation_id=organisation.id,
            name="Accueil et orientation",
            eligibility="Toute personne du territoire",
        )
        db.session.add(service)
        db.session.flush()
    return service


def build(core, domain):
    """Orientations in every state between the named persons' organisations."""
    from ..orientations import changes

    users = {
        user.email.split("@")[0]: user
        for user in db.session.execute(select(User).where(User.email.like(f"%@{domain}"))).scalars()
    }
    now = utcnow()
    for last_name, login, key, message, days, outcome in ORIENTATIONS:
        person = (
            db.session.execute(
                select(Person).where(Person.last_name == last_name).order_by(Person.id.desc())
            )
            .scalars()
            .first()
        )
        sender = users[login]
        orientation = changes.send(
            person,
            sender,
            service_of(core[key]),
            message,
            Urgency.URGENT if days < 2 else Urgency.NORMAL,
            "",
            None,
        )
        sent = now - timedelta(days=days)
        orientation.created_at = sent
        answered = sent + timedelta(days=3)
        receiver = next((u for u in users.values() if u.organisation_id == core[key].id), sender)
        if outcome == OrientationStatus.ACCEPTED:
            action = Action(
                person_id=person.id,
                owner_organisation_id=core[key].id,
                title="Instruire l'ouverture des droits",
                details=message,
                due_on=answered.date() + timedelta(days=30),
                created_by_id=receiver.id,
                status_changed_at=answered,
            )
            db.session.add(action)
            db.session.flush()
            answer(orientation, outcome, receiver, answered, action_id=action.id)
        elif isinstance(outcome, DeclineReason):
            answer(
                orientation, OrientationStatus.DECLINED, receiver, answered, decline_reason=outcome
            )
        elif outcome == OrientationStatus.UNDER_REVIEW:
            answer(orientation, outcome, receiver, answered, closed=False)
        elif outcome == OrientationStatus.EXPIRED:
            orientation.status, orientation.closed_at = outcome, sent + timedelta(days=30)
            orientation.reminders_sent = 2
        elif days >= 10:
            orientation.reminders_sent = 1
    duplicate(users)
    db.session.flush()


def answer(orientation, status, receiver, answered, closed=True, **values):
    """Record an answer given `answered` (demo history, so without telling anyone again)."""
    orientation.status = status
    orientation.answered_by_id = receiver.id
    orientation.first_answered_at = answered
    orientation.closed_at = answered if closed else None
    for name, value in values.items():
        setattr(orientation, name, value)


def duplicate(users):
    """The CAF opened a second file for Hélène Durand: both files warn of each other."""
    from ..people import changes

    author = users["caf"]
    changes.create_person(
        author,
        author,
        first_name="HELENE",
        last_name="durand",
        birth_year=1979,
        contact=None,
        goals="",
        themes=[],
    )
