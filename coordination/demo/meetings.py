"""Demo meetings: a year of rencontres partenariales, with attendance, situations and actions."""

from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from ..clock import PARIS, today, utcnow
from ..db import db
from ..meetings.recurrence import horizon_end, occurrence_meeting, occurrences
from ..models import (
    Action,
    ActionStatus,
    AgendaItem,
    AgendaPart,
    Attendance,
    CaseReview,
    Horizon,
    Meeting,
    MeetingInvitation,
    MeetingSeries,
    MeetingStatus,
    Network,
    NetworkTheme,
    Person,
    PersonStatus,
    ReviewSource,
    SituationProposal,
    Theme,
    User,
)
from ..text import fold
from .network import NETWORKS, demo_networks
from .people import analyse, bulk, reset_sequences

SUMMARIES = [
    "Situation de logement dégradée ; un dossier FSL est à instruire avant l'hiver.",
    "Ressources interrompues depuis deux mois : droits CAF à rouvrir.",
    "Isolement important, refus d'aide à domicile jusqu'ici ; la personne accepte une visite.",
    "Sortie d'hospitalisation sans solution de suivi ; coordination CMP et médecin traitant.",
    "Jeune sans ressources, hébergé chez un tiers ; inscription Mission Locale à faire.",
    "Dettes de loyer : plan d'apurement proposé par le bailleur, à accompagner.",
]
ACTIONS = [
    ("caf", "Rouvrir les droits RSA", Theme.INCOME),
    ("ccas", "Instruire la demande FSL", Theme.HOUSING),
    ("cmp", "Proposer un rendez-vous au CMP", Theme.MENTAL_HEALTH),
    ("ml", "Inscrire au Contrat d'engagement jeune", Theme.YOUTH),
    ("udaf", "Évaluer une mesure d'accompagnement budgétaire", Theme.INCOME),
    ("clic", "Visite à domicile pour un plan d'aide", Theme.OLDER_PEOPLE),
    ("rs", "Proposer une place en résidence sociale", Theme.HOUSING),
    ("spip", "Faire le point sur l'obligation de soins", Theme.JUSTICE),
    ("clic", "Proposer l'atelier collectif du jeudi", "isolement"),
]
# A theme of this network's own convention, added by its coordinator (/themes).
NETWORK_THEME = ("isolement", "Lutte contre l'isolement")


def add_network_theme():
    """The network's own theme, after the built-in ones."""
    code, name = NETWORK_THEME
    first = db.session.execute(select(func.min(Network.id))).scalar()  # Joigny's network
    db.session.add(
        NetworkTheme(code=code, name=name, name_key=fold(name), position=100, network_id=first)
    )
    db.session.flush()


SCHEMES = [
    "Épicerie sociale : ouverture du samedi matin",
    "Jardins familiaux : nouvelles parcelles",
    "Transport solidaire vers l'hôpital",
    "Permanence logement à la Maison France Services",
]
PRESENTING = ["udaf", "crf", "aaf", "ml", "clic", "mdph"]


# Each network's series: (title, place, weekday, the coordinator's login).
SERIES = {
    "joigny": ("Rencontre partenariale du Jovinien", "Mairie de Joigny, salle du conseil", 4,
               "coordination"),
    "sens": ("Comité local du Sénonais", "CCAS de Sens, salle Jean Cousin", 1,
             "coordination.sens"),
    "tonnerre": ("Comité rural du Tonnerrois", "France Services de Tonnerre", 3,
                 "coordination.tonnerrois"),
}  # fmt: skip


class Local(dict):
    """A network's own organisations by core key; another key reads as its host (the CCAS of
    Sens takes the actions Joigny's CCAS would)."""

    def __init__(self, organisations, host):
        super().__init__(organisations)
        self.host = host

    def __missing__(self, key):
        return self.host


def coordinator_of(login):
    """The demo coordinator with this login."""
    return db.session.execute(select(User).where(User.email.like(f"{login}@%"))).scalar_one()


def build(core, rng):
    """Each network's series every two months (none in July and August) over a year, the past
    meetings held and closed, the coming ones planned."""
    networks = demo_networks()
    hosts = {key: host for key, _name, _territory, host, _own in NETWORKS}
    for key, (title, place, weekday, login) in SERIES.items():
        network, member_ids = networks[key]
        members = set(member_ids)
        local = Local({k: o for k, o in core.items() if o.id in members}, core[hosts[key]])
        build_series(network, local, title, place, weekday, coordinator_of(login), rng,
                     cancel_one=key == "joigny")  # fmt: skip
    propose_named(core, coordinator_of("coordination"), networks["joigny"][0])


def build_series(network, local, title, place, weekday, coordinator, rng, cancel_one):
    """One network's series and its meetings of the year."""
    series = MeetingSeries(
        network_id=network.id,
        title=title,
        interval_months=2,
        weekday=weekday,
        week_of_month=2,
        start_time=time(9, 0),
        first_month=(today() - timedelta(days=365)).replace(day=1),
        skipped_months="7,8",
        place=place,
        created_by_id=coordinator.id,
    )
    series.invited = list(local.values())
    db.session.add(series)
    db.session.flush()
    persons = followed_persons(local)
    now, coming = utcnow(), []
    for number, (day, starts, ends) in enumerate(
        occurrences(series, series.first_month, horizon_end())
    ):
        meeting = occurrence_meeting(series, day, starts, ends)
        meeting.chair_id = coordinator.id
        db.session.add(meeting)
        db.session.flush()
        if ends < now and len(persons) >= 5:
            hold(meeting, local, persons, number, coordinator, rng)
        elif ends < now:
            meeting.status = MeetingStatus.CANCELLED
            meeting.cancelled_reason = "Pas de situation à examiner."
        else:
            coming.append(meeting)
    if cancel_one and len(coming) > 1:  # calendars show a cancelled meeting (STATUS:CANCELLED)
        coming[-1].status = MeetingStatus.CANCELLED
        coming[-1].cancelled_reason = "Salle indisponible ; la rencontre est reportée."


def followed_persons(core):
    """Persons followed by the core organisations, to discuss (the named ones last)."""
    return (
        db.session.execute(
            select(Person.id)
            .where(
                Person.origin_organisation_id.in_([o.id for o in core.values()]),
                Person.status == PersonStatus.ACTIVE,
            )
            .order_by(Person.id)
            .limit(400)
        )
        .scalars()
        .all()
    )


def hold(meeting, core, persons, number, coordinator, rng):
    """A past meeting: attendance, five situations with their actions, parts 2 and 3, closed."""
    for invitation in meeting.invitations:
        invitation.attendance = rng.choices(
            [Attendance.PRESENT, Attendance.EXCUSED, Attendance.ABSENT], weights=[75, 15, 10]
        )[0]
    organisations = list(dict(core).values())
    for position, person_id in enumerate(rng.sample(persons, 5)):
        review = CaseReview(
            meeting_id=meeting.id,
            person_id=person_id,
            position=position,
            source=rng.choice(list(ReviewSource)),
            summary=rng.choice(SUMMARIES),
            presented_by_id=rng.choice(organisations).id,
            created_by_id=coordinator.id,
        )
        db.session.add(review)
        db.session.flush()
        for key, title, theme in rng.sample(ACTIONS, rng.randint(1, 3)):
            db.session.add(agreed_action(meeting, review, core[key], title, theme, rng))
    db.session.add_all(
        [
            AgendaItem(
                meeting_id=meeting.id,
                part=AgendaPart.SCHEME,
                position=0,
                title=SCHEMES[number % len(SCHEMES)],
                notes="Présenté par le CCAS ; les partenaires relaient l'information.",
            ),
            AgendaItem(
                meeting_id=meeting.id,
                part=AgendaPart.PRESENTATION,
                position=1,
                title="Missions et modalités d'orientation",
                organisation_id=core[PRESENTING[number % len(PRESENTING)]].id,
            ),
        ]
    )
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = meeting.ends_at


def agreed_action(meeting, review, owner, title, theme, rng):
    """An action of a past meeting: older ones mostly done, some late or blocked."""
    held_on = meeting.starts_at.astimezone(PARIS).date()
    due_on = held_on + timedelta(days=rng.choice([30, 45, 60, 90, 180]))
    # Due already: mostly done, now and then late or blocked; else under way.
    weights = [4, 6, 86, 4] if due_on < today() else [45, 42, 10, 3]
    status = rng.choices(
        [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.BLOCKED],
        weights=weights,
    )[0]
    return Action(
        person_id=review.person_id,
        meeting_id=meeting.id,
        case_review_id=review.id,
        owner_organisation_id=owner.id,
        title=title,
        theme=theme,
        due_on=due_on,
        horizon=horizon(held_on, due_on),
        status=status,
        status_changed_at=meeting.ends_at,
        done_on=done_day(held_on, due_on, rng) if status == ActionStatus.DONE else None,
        created_at=meeting.ends_at,
    )


def horizon(created, due_on):
    """Short under three months, medium under a year, long beyond."""
    days = (due_on - created).days
    return Horizon.SHORT if days < 90 else Horizon.MEDIUM if days < 365 else Horizon.LONG


# (statuses, weights) of actions due over a year ago, two months ago, and of the others.


def done_day(start, due_on, rng):
    """When an action was done: mostly by its due date, one in four later, never after today."""
    span = max((due_on - start).days, 1)
    late = rng.random() < 0.25
    days = rng.randint(span, span + 60) if late else rng.randint(min(5, span), span)
    return min(start + timedelta(days=days), today())


def propose_named(core, coordinator, network):
    """Hélène Durand (a named demo person) is proposed for the next meeting by the CCAS: the
    coordinator's preparation shows it with its reason (never on the agenda blindly)."""
    person_id = db.session.execute(
        select(Person.id)
        .where(Person.first_name == "Hélène", Person.last_name == "Durand")
        .order_by(Person.id.desc())
        .limit(1)
    ).scalar_one()
    upcoming = db.session.execute(
        select(Meeting)
        .where(Meeting.starts_at > utcnow(), Meeting.network_id == network.id)
        .order_by(Meeting.starts_at)
        .limit(1)
    ).scalar_one()
    db.session.add(
        SituationProposal(
            meeting_id=upcoming.id,
            person_id=person_id,
            organisation_id=core["ccas"].id,
            proposed_by_id=coordinator.id,
        )
    )


# One past meeting per 50 persons (2,000 at 100,000, quality.md), each as large as a busy one.
PERSONS_PER_MEETING = 50
HISTORY_SITUATIONS = 12
HISTORY_ACTIONS = 40


def history(persons, rng):
    """The earlier meetings of a large network's territories, in bulk, before the demo series."""
    count = persons // PERSONS_PER_MEETING
    if not count:
        return
    networks = [(network.id, members) for network, members in demo_networks().values()]
    person_ids = (
        db.session.execute(select(Person.id).where(Person.status == PersonStatus.ACTIVE))
        .scalars()
        .all()
    )
    rows = {Meeting: [], MeetingInvitation: [], CaseReview: [], Action: []}
    meeting_id = next_id(Meeting)
    review_id = next_id(CaseReview)
    oldest = today() - timedelta(days=400)
    for number in range(count):
        held_on = oldest - timedelta(days=number * 1100 // count)
        network_id, organisation_ids = networks[number % len(networks)]
        invited = rng.sample(organisation_ids, min(16, len(organisation_ids)))
        situations = rng.sample(person_ids, min(HISTORY_SITUATIONS, len(person_ids)))
        territory = f"territoire {number % 19 + 1}"
        past_meeting(rows, (meeting_id, network_id), held_on, territory, invited, rng)
        past_situations(rows, meeting_id, review_id, held_on, situations, invited, rng)
        meeting_id += 1
        review_id += len(situations)
    for model, model_rows in rows.items():
        if model is Action:
            analyse(Meeting, CaseReview)  # the actions refer to both
        bulk(model, model_rows)
    reset_sequences(("meetings", "case_reviews", "actions"))


def next_id(model):
    """The id after the highest one of a table (bulk rows carry their ids)."""
    return (db.session.execute(select(func.max(model.id))).scalar() or 0) + 1


def past_meeting(rows, ids, held_on, territory, invited, rng):
    """A closed meeting of a territory and its attendance, as rows for a bulk insert."""
    meeting_id, network_id = ids
    starts = datetime.combine(held_on, time(9, 0), tzinfo=PARIS)
    rows[Meeting].append(
        {
            "id": meeting_id,
            "network_id": network_id,
            "title": f"Rencontre partenariale, {territory}",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2, minutes=30),
            "status": MeetingStatus.CLOSED,
            "closed_at": starts + timedelta(hours=3),
            "place": "Mairie",
        }
    )
    presence = [Attendance.PRESENT, Attendance.EXCUSED, Attendance.ABSENT]
    rows[MeetingInvitation] += [
        {
            "meeting_id": meeting_id,
            "organisation_id": organisation_id,
            "attendance": rng.choices(presence, weights=[75, 15, 10])[0],
        }
        for organisation_id in invited
    ]


def past_situations(rows, meeting_id, first_review_id, held_on, situations, invited, rng):
    """The situations of a past meeting and their actions (done), as rows for a bulk insert."""
    for position, person_id in enumerate(situations):
        rows[CaseReview].append(
            {
                "id": first_review_id + position,
                "meeting_id": meeting_id,
                "person_id": person_id,
                "position": position,
                "source": ReviewSource.OVERDUE,
                "summary": rng.choice(SUMMARIES),
                "presented_by_id": rng.choice(invited),
            }
        )
    for number in range(HISTORY_ACTIONS if situations else 0):
        position = number % len(situations)
        _key, title, theme = rng.choice(ACTIONS)
        due_on = held_on + timedelta(days=rng.choice([30, 60, 90, 180]))
        done_on = done_day(held_on, due_on, rng)
        rows[Action].append(
            {
                "person_id": situations[position],
                "meeting_id": meeting_id,
                "case_review_id": first_review_id + position,
                "owner_organisation_id": rng.choice(invited),
                "title": title,
                "theme": theme,
                "due_on": due_on,
                "horizon": horizon(held_on, due_on),
                "status": ActionStatus.DONE,
                "status_changed_at": datetime.combine(done_on, time(16), tzinfo=PARIS),
                "created_at": datetime.combine(held_on, time(11, 30), tzinfo=PARIS),
                "done_on": done_on,
            }
        )
