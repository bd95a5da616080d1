"""The steering role (pilotage départemental): every network's figures side by side and the
département's, on a hand-built two-network dataset; never a name nor a reference, in the page
or in its export; no person, no meeting."""

import csv
import io
from datetime import timedelta

import pytest

from coordination.clock import today, utcnow
from coordination.db import db
from coordination.models import (
    Action,
    ActionStatus,
    Attendance,
    Meeting,
    MeetingInvitation,
    MeetingStatus,
    Network,
    OrientationStatus,
    Role,
)
from tests import factories
from tests.factories import make_network, make_organisation, make_person, make_user
from tests.helpers import sign_in, text

NAMES = ("Jeanne", "Sabine", "Jovinienne", "Sénonaise", "Claire Dubois", "Marc Lefèvre")


def held_meeting(network, attendance):
    """A meeting held a month ago in a network, with the attendance given per organisation."""
    starts = utcnow() - timedelta(days=30)
    meeting = Meeting(title=f"Rencontre {network.name}", starts_at=starts,
                      ends_at=starts + timedelta(hours=2), network_id=network.id,
                      status=MeetingStatus.CLOSED)  # fmt: skip
    meeting.invitations = [
        MeetingInvitation(organisation_id=organisation.id, attendance=presence)
        for organisation, presence in attendance
    ]
    db.session.add(meeting)
    db.session.commit()
    return meeting


def action(person, meeting, owner, due_days_ago, done_days_ago=None, theme=None):
    """An action agreed at a meeting, due some days ago, maybe done."""
    done = today() - timedelta(days=done_days_ago) if done_days_ago is not None else None
    return factories.make_action(
        person, owner, status=ActionStatus.DONE if done else ActionStatus.IN_PROGRESS,
        due_on=today() - timedelta(days=due_days_ago), done_on=done, meeting_id=meeting.id,
        theme=theme)  # fmt: skip


@pytest.fixture
def dataset(app):
    """Joigny (the first network) and Sens, sharing the CAF."""
    joigny = db.session.get(Network, factories.first_network_id())
    joigny.name = "Réseau jovinien"
    sens = make_network("Réseau sénonais")
    ccas_joigny = make_organisation("CCAS de Joigny", networks=[joigny])
    ccas_sens = make_organisation("CCAS de Sens", networks=[sens])
    caf = make_organisation("CAF de l'Yonne", networks=[joigny, sens])
    worker_joigny = make_user(organisation=ccas_joigny, name="Claire Dubois")
    worker_sens = make_user(organisation=ccas_sens, name="Marc Lefèvre")
    jeanne = make_person(worker_joigny, first_name="Jeanne", last_name="Jovinienne")
    sabine = make_person(worker_sens, first_name="Sabine", last_name="Sénonaise")
    at_joigny = held_meeting(joigny, [(ccas_joigny, Attendance.PRESENT),
                                      (caf, Attendance.ABSENT)])  # fmt: skip
    at_sens = held_meeting(sens, [(ccas_sens, Attendance.PRESENT), (caf, Attendance.PRESENT)])
    action(jeanne, at_joigny, ccas_joigny, due_days_ago=10, done_days_ago=12, theme="housing")
    action(jeanne, at_joigny, caf, due_days_ago=5)  # overdue
    action(sabine, at_sens, caf, due_days_ago=20, done_days_ago=15, theme="income")  # late
    service = factories.make_service(caf)
    factories.make_orientation(jeanne, worker_joigny, service, status=OrientationStatus.ACCEPTED)
    factories.make_orientation(sabine, worker_sens, service)
    department = make_organisation("Conseil départemental", networks=[])
    steering = make_user(Role.STEERING, department, name="Isabelle Moreau")
    return {"steering": steering, "persons": [jeanne, sabine], "caf": caf}


def test_the_figures_side_by_side_and_added_up(client, dataset):
    sign_in(client, dataset["steering"].email)
    period = f"?start={(today() - timedelta(days=90)).isoformat()}&end={today().isoformat()}"
    page = text(client.get("/steering" + period))
    assert "Réseau jovinien" in page and "Réseau sénonais" in page and "All networks" in page
    export = client.get("/steering/export.csv" + period)
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff")),
                           delimiter=";"))  # fmt: skip
    header, by_measure = rows[0], {row[0]: row[1:] for row in rows[1:]}
    columns = {name: index for index, name in enumerate(header[1:])}
    joigny, sens, every = (
        columns[n] for n in ("Réseau jovinien", "Réseau sénonais", "All networks")
    )

    def cell(measure, column):
        return by_measure[measure][column]

    assert cell("Meetings held", joigny) == "1" and cell("Meetings held", every) == "2"
    assert cell("Participation (%)", joigny) == "50"
    assert cell("Participation (%)", sens) == "100"
    assert cell("Participation (%)", every) == "75"
    assert cell("Actions due in the period", joigny) == "2"
    assert cell("Done by their due date", joigny) == "1"
    assert cell("Done by their due date (%)", sens) == "0"
    assert cell("Actions due in the period", every) == "3"  # the CAF's counted once
    assert cell("Overdue today", joigny) == "1" and cell("Overdue today", sens) == "0"
    assert cell("Orientations answered", joigny) == "1"
    assert cell("Orientations sent", sens) == "1" and cell("Orientations answered", sens) == "0"
    assert cell("Orientations answered (%)", every) == "50"
    assert cell("Housing: actions due", joigny) == "1"
    assert cell("Income and minimum benefits: done by their due date", sens) == "0"
    # Figures only: no person's name nor reference, no account's name.
    for content in (page, export.get_data(as_text=True)):
        for person in dataset["persons"]:
            assert person.reference not in content
        for word in NAMES:
            assert word not in content


def test_the_steering_role_sees_no_person_and_no_meeting(client, dataset):
    sign_in(client, dataset["steering"].email)
    assert client.get("/").headers["Location"].endswith("/steering")
    for person in dataset["persons"]:
        assert client.get(f"/people/{person.id}").status_code == 404
    assert client.get("/meetings").status_code == 403
    meeting = db.session.execute(db.select(Meeting.id).limit(1)).scalar()
    assert client.get(f"/meetings/{meeting}").status_code == 403
    assert client.get(f"/meetings/{meeting}/minutes").status_code == 403
    assert client.get("/dashboard").status_code == 403
    assert client.get("/actions").status_code == 403
    action_id = db.session.execute(db.select(Action.id).limit(1)).scalar()
    assert client.get(f"/actions/{action_id}").status_code == 403
    listing = text(client.get("/people"))
    for person in dataset["persons"]:
        assert person.reference not in listing


def test_other_roles_do_not_open_the_steering_figures(client, dataset):
    sign_in(client, make_user(Role.COORDINATOR, dataset["caf"]).email)
    assert client.get("/steering").status_code == 403
    assert client.get("/steering/export.csv").status_code == 403
