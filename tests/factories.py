"""Plain builders of test data, committed so that requests see them."""

from datetime import date, timedelta
from itertools import count

from sqlalchemy import func, select

from coordination.auth.passwords import hash_password
from coordination.db import db
from coordination.directory.entries import refresh_search_text
from coordination.models import (
    CharterSignature,
    CharterVersion,
    Contact,
    DirectoryImport,
    Network,
    Organisation,
    OrganisationKind,
    Role,
    Service,
    User,
)
from coordination.models.networks import sole_network_id

PASSWORD = "une phrase de passe bien longue"
_numbers = count(1)


def first_networks():
    """The networks a new organisation or coordinator joins by default: the installation's
    only network (the migration makes one), as on a one-network installation."""
    only = sole_network_id(db.session)
    return [] if only is None else [db.session.get(Network, only)]


def first_network_id():
    """The id of the network the migration made (the lowest)."""
    return db.session.execute(select(func.min(Network.id))).scalar()


def make_organisation(name=None, kind=OrganisationKind.PUBLIC_BODY, networks=None, **fields):
    """An organisation, committed, a member of `networks` (by default the only network)."""
    organisation = Organisation(name=name or f"Organisation {next(_numbers)}", kind=kind, **fields)
    refresh_search_text(organisation)
    db.session.add(organisation)
    for network in first_networks() if networks is None else networks:
        network.members.append(organisation)
    db.session.commit()
    return organisation


def make_user(
    role=Role.PROFESSIONAL, organisation=None, password=PASSWORD, networks=None, **fields
):
    """An account, committed; its password is PASSWORD unless given. A coordinator coordinates
    `networks` (by default the only network)."""
    number = next(_numbers)
    fields.setdefault("email", f"user{number}@example.org")
    fields.setdefault("name", f"Camille Test{number}")
    user = User(
        role=role,
        organisation=organisation or make_organisation(),
        password_hash=hash_password(password),
        **fields,
    )
    db.session.add(user)
    if role == Role.COORDINATOR:
        for network in first_networks() if networks is None else networks:
            network.coordinators.append(user)
    db.session.commit()
    return user


def make_network(name, territory="", members=(), coordinators=()):
    """A network with its members and coordinators, committed."""
    network = Network(name=name, territory=territory)
    network.members = list(members)
    network.coordinators = list(coordinators)
    db.session.add(network)
    db.session.commit()
    return network


def reload(instance):
    """Forget what this test's session cached and read the row again."""
    db.session.rollback()  # ends the read snapshot, if one is open
    db.session.expire_all()  # rollback expires nothing when no transaction was open
    return db.session.get(type(instance), instance.id)


def make_charter(number=1, published_on=date(2025, 9, 12), **fields):
    """A version of a network's charter (by default the first network's), committed."""
    fields.setdefault("network_id", first_network_id())
    fields.setdefault("title", f"Charte partenariale, version {number}")
    fields.setdefault("text", "Les signataires s'engagent à la continuité du service.")
    version = CharterVersion(number=number, published_on=published_on, **fields)
    db.session.add(version)
    db.session.commit()
    return version


def make_signature(version, organisation, signed_on=date(2025, 10, 1), **fields):
    """An organisation's signature of a charter version, committed."""
    fields.setdefault("signatory_name", "Claire Dubois")
    fields.setdefault("signatory_function", "Directrice")
    signature = CharterSignature(
        version_id=version.id, organisation_id=organisation.id, signed_on=signed_on, **fields
    )
    db.session.add(signature)
    db.session.commit()
    return signature


def make_directory_objects(organisation, owner):
    """A contact, a service, a charter and an import of `owner`: ids for URL templates."""
    contact = Contact(organisation=organisation, name="Paul Girard", function="Accueil")
    service = Service(organisation=organisation, name="Accueil social")
    batch = DirectoryImport(user_id=owner.id, filename="a.csv", content="nom;type\nX;Santé\n")
    db.session.add_all([contact, service, batch])
    db.session.commit()
    return {
        "contact": contact.id,
        "service": service.id,
        "batch": batch.id,
        "charter": make_charter().number,
    }


def make_person(author, referent="author", first_name="Hélène", last_name="Durand", **fields):
    """A person opened by `author` (whose organisation is the origin), committed."""
    from coordination.people import changes

    fields.setdefault("birth_year", 1979)
    fields.setdefault("contact", "06 12 34 56 78")
    fields.setdefault("goals", "Retrouver un logement pour mes enfants.")
    fields.setdefault("themes", [])
    person = changes.create_person(
        author,
        author if referent == "author" else referent,
        first_name=first_name,
        last_name=last_name,
        **fields,
    )
    db.session.commit()
    return person


def make_consent(person, recorded_by, organisations=(), days=365, **fields):
    """A consent given today for `days` days, committed."""
    from coordination.clock import today
    from coordination.models import ConsentMethod
    from coordination.people import changes

    fields.setdefault("method", ConsentMethod.SIGNED_FORM)
    given = fields.pop("given_on", today())
    consent = changes.record_consent(
        person,
        recorded_by,
        list(organisations),
        given_on=given,
        ends_on=fields.pop("ends_on", given + timedelta(days=days)),
        **fields,
    )
    db.session.commit()
    return consent


def make_note(person, author, text, category="social"):
    """A journal note, committed."""
    from coordination.models import NoteCategory
    from coordination.people import changes

    note = changes.add_note(person, author, NoteCategory(category), text)
    db.session.commit()
    return note


def make_meeting_objects(person, organisations, calendar_owner, network_id=None):
    """A planned meeting in a month inviting `organisations`, with `person`'s situation, an
    action of the person's origin organisation and a scheme; ids for URL templates."""
    from coordination.clock import utcnow
    from coordination.meetings.calendars import token_digest
    from coordination.models import (
        Action,
        AgendaItem,
        AgendaPart,
        CaseReview,
        Meeting,
        MeetingInvitation,
        ReviewSource,
    )

    starts = utcnow().replace(second=0, microsecond=0) + timedelta(days=30)
    meeting = Meeting(title="Rencontre partenariale", starts_at=starts,
                      ends_at=starts + timedelta(hours=2),
                      network_id=network_id or first_network_id())  # fmt: skip
    meeting.invitations = [MeetingInvitation(organisation_id=o.id) for o in organisations]
    db.session.add(meeting)
    db.session.flush()
    review = CaseReview(meeting_id=meeting.id, person_id=person.id, source=ReviewSource.ADDED)
    item = AgendaItem(meeting_id=meeting.id, part=AgendaPart.SCHEME, title="Dispositif logement")
    db.session.add_all([review, item])
    db.session.flush()
    action = Action(person_id=person.id, meeting_id=meeting.id, case_review_id=review.id,
                    owner_organisation_id=person.origin_organisation_id, title="Dossier FSL",
                    due_on=starts.date() + timedelta(days=30))  # fmt: skip
    db.session.add(action)
    calendar_owner.calendar_token_hash = token_digest("calendar-token")
    db.session.commit()
    return {"meeting": meeting.id, "review": review.id, "item": item.id, "action": action.id,
            "token": "calendar-token",
            "series": make_series(organisations, network_id=network_id).id}  # fmt: skip


def make_series(organisations, title="Rencontres du Jovinien", **fields):
    """A monthly series inviting `organisations`, with its year of meetings, committed."""
    from datetime import time

    from coordination.clock import today
    from coordination.meetings.recurrence import generate
    from coordination.models import MeetingSeries

    fields = {"interval_months": 1, "weekday": 4, "week_of_month": 2, "start_time": time(9),
              "first_month": today().replace(day=1), "place": "Mairie"} | fields  # fmt: skip
    fields["network_id"] = fields.get("network_id") or first_network_id()
    series = MeetingSeries(title=title, **fields)
    series.invited = list(organisations)
    db.session.add(series)
    db.session.flush()
    generate(series)
    db.session.commit()
    return series


def make_action(person, owner, status=None, due_in_days=30, **fields):
    """An action for a person, owned by an organisation, committed."""
    from coordination.clock import today, utcnow
    from coordination.models import Action, ActionStatus

    action = Action(person_id=person.id, owner_organisation_id=owner.id,
                    title=fields.pop("title", "Ouvrir les droits RSA"),
                    due_on=fields.pop("due_on", today() + timedelta(days=due_in_days)),
                    status=status or ActionStatus.PLANNED, status_changed_at=utcnow(),
                    **fields)  # fmt: skip
    db.session.add(action)
    db.session.commit()
    return action


def make_project(lead, title="Épicerie sociale", status=None, **fields):
    """A project led by an organisation, committed."""
    from coordination.models import Project, ProjectStatus

    project = Project(title=title, lead_organisation_id=lead.id,
                      status=status or ProjectStatus.RUNNING, **fields)  # fmt: skip
    db.session.add(project)
    db.session.commit()
    return project


def make_collective_action(project, owner, status=None, due_in_days=30, **fields):
    """A collective action of a project, owned by an organisation, committed."""
    from coordination.clock import today, utcnow
    from coordination.models import Action, ActionStatus

    action = Action(project_id=project.id, owner_organisation_id=owner.id,
                    title=fields.pop("title", "Trouver un local"),
                    due_on=fields.pop("due_on", today() + timedelta(days=due_in_days)),
                    status=status or ActionStatus.PLANNED, status_changed_at=utcnow(),
                    **fields)  # fmt: skip
    db.session.add(action)
    db.session.commit()
    return action


def make_service(organisation, name="Accueil social", **fields):
    """A service of an organisation in the directory, committed."""
    from coordination.models import Service

    fields.setdefault("eligibility", "Toute personne résidant dans l'Yonne")
    service = Service(organisation=organisation, name=name, **fields)
    db.session.add(service)
    db.session.commit()
    return service


def make_orientation(person, sender, service, **fields):
    """An orientation of a person by `sender` to a service, as if sent through the form."""
    from coordination.models import Urgency
    from coordination.orientations import changes

    orientation = changes.send(person, sender, service, fields.pop("message", "Ouverture RSA"),
                               fields.pop("urgency", Urgency.NORMAL), fields.pop("agreed", ""),
                               None)  # fmt: skip
    for name, value in fields.items():
        setattr(orientation, name, value)
    db.session.commit()
    return orientation
