"""Command-line tools: create-user and demo-data."""

from sqlalchemy import func, inspect, select

from coordination.clock import PARIS
from coordination.db import db
from coordination.demo.network import CORE_ORGANISATIONS, DEMO_PASSWORD, demo_logins
from coordination.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Attendance,
    CancelReason,
    CaseReview,
    Meeting,
    MeetingStatus,
    Organisation,
    Orientation,
    OrientationStatus,
    Person,
    Role,
    User,
)
from tests.helpers import sign_in


def count(model):
    """Rows of a model, read afresh."""
    db.session.rollback()
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_create_user_from_the_environment(runner, client, monkeypatch):
    monkeypatch.setenv("MAILLAGE_PASSWORD", "le premier compte du réseau")
    result = runner.invoke(
        args=[
            "create-user",
            "Admin@Example.org",
            "--name",
            "Thierry Lambert",
            "--role",
            "admin",
            "--organisation",
            "CCAS de Joigny",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Organisation created: CCAS de Joigny" in result.output
    user = db.session.execute(select(User)).scalar_one()
    assert user.email == "admin@example.org" and user.role == Role.ADMIN
    assert not user.must_change_password
    assert sign_in(client, "admin@example.org", "le premier compte du réseau").status_code == 303


def test_create_user_from_the_prompt(runner, monkeypatch):
    monkeypatch.delenv("MAILLAGE_PASSWORD", raising=False)
    password = "une phrase tapée deux fois"
    result = runner.invoke(
        args=[
            "create-user",
            "a@example.org",
            "--name",
            "A B",
            "--role",
            "professional",
            "--organisation",
            "CAF",
        ],
        input=f"{password}\n{password}\n",
    )
    assert result.exit_code == 0, result.output
    assert count(User) == 1


def test_create_user_refuses_weak_passwords_and_duplicates(runner, monkeypatch):
    monkeypatch.setenv("MAILLAGE_PASSWORD", "motdepasse123")
    args = [
        "create-user",
        "a@example.org",
        "--name",
        "A B",
        "--role",
        "admin",
        "--organisation",
        "CCAS",
    ]
    weak = runner.invoke(args=args)
    assert weak.exit_code != 0 and "trop courant" in weak.output  # French by default
    monkeypatch.setenv("MAILLAGE_PASSWORD", "une phrase bien assez longue")
    assert runner.invoke(args=args).exit_code == 0
    duplicate = runner.invoke(args=args)
    assert duplicate.exit_code != 0 and "utilise déjà" in duplicate.output
    assert count(User) == 1


def test_create_user_refuses_an_unknown_role(runner):
    result = runner.invoke(
        args=[
            "create-user",
            "a@example.org",
            "--name",
            "A",
            "--role",
            "root",
            "--organisation",
            "X",
        ]
    )
    assert result.exit_code != 0
    assert count(User) == 0


def test_demo_data_builds_a_network_and_prints_logins(runner, client):
    result = runner.invoke(args=["demo-data", "--persons", "200"])
    assert result.exit_code == 0, result.output
    assert count(Organisation) == len(CORE_ORGANISATIONS)
    kinds = set(db.session.execute(select(Organisation.kind)).scalars())
    assert len(kinds) >= 6
    for email, _role, _organisation in demo_logins():
        assert email in result.output
    assert DEMO_PASSWORD in result.output
    admin = demo_logins()[0][0]
    assert sign_in(client, admin, DEMO_PASSWORD).status_code == 303


def test_demo_data_holds_a_year_of_meetings(runner, client):
    assert runner.invoke(args=["demo-data", "--persons", "200"]).exit_code == 0
    everything = select(Meeting).where(Meeting.series_id.is_not(None))
    all_series = db.session.execute(everything).scalars().all()
    # Three networks, a series each; Joigny's (the first network) is looked at closely.
    assert len({meeting.series_id for meeting in all_series}) == 3
    first = min(meeting.network_id for meeting in all_series)
    series = everything.where(Meeting.network_id == first).order_by(Meeting.starts_at)
    meetings = db.session.execute(series).scalars().all()
    past = [m for m in meetings if m.status == MeetingStatus.CLOSED]
    assert 5 <= len(past) <= 7 and any(m.status == MeetingStatus.PLANNED for m in meetings)
    assert all(m.starts_at.astimezone(PARIS).month not in (7, 8) for m in meetings)
    present = [i for m in past for i in m.invitations if i.attendance == Attendance.PRESENT]
    assert 0.5 < len(present) / sum(len(m.invitations) for m in past) < 0.95
    assert count(CaseReview) >= 5 * len(past) and count(Action) >= 5 * len(past)
    statuses = set(db.session.execute(select(Action.status)).scalars())
    assert {ActionStatus.DONE, ActionStatus.BLOCKED, ActionStatus.IN_PROGRESS} <= statuses
    sign_in(client, "coordination@maillage.example", DEMO_PASSWORD)
    assert client.get(f"/meetings/{past[-1].id}/minutes").status_code == 200
    earlier = count(Meeting) - len(all_series)
    assert earlier == 200 // 50  # and the earlier meetings of a larger network, in bulk


def test_demo_data_holds_follow_up_in_every_state(runner):
    assert runner.invoke(args=["demo-data", "--persons", "300"]).exit_code == 0
    # The indexes dropped for the bulk insert are all back.
    indexes = {index["name"] for index in inspect(db.engine).get_indexes("actions")}
    assert {index.name for index in Action.__table__.indexes} <= indexes
    statuses = set(db.session.execute(select(Action.status)).scalars())
    assert statuses == set(ActionStatus)
    reasons = set(db.session.execute(select(Action.cancel_reason)).scalars()) - {None}
    assert reasons == set(CancelReason)
    assert count(ActionUpdate) > count(Action) // 2
    assert db.session.execute(select(func.count()).where(Action.evaluation.is_not(None))).scalar()
    named = select(func.max(Person.id)).where(
        Person.first_name == "Karim", Person.last_name == "Benali"
    )
    karim = db.session.execute(named).scalar()
    owners = db.session.execute(
        select(func.count(Action.id), func.count(Action.owner_organisation_id.distinct())).where(
            Action.person_id == karim
        )
    ).one()
    assert owners[0] >= 200 and owners[1] >= 16


def test_demo_data_scales_and_is_reproducible(runner, app):
    result = runner.invoke(args=["demo-data", "--persons", "10000", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert count(Organisation) == 30
    names = db.session.execute(select(User.email).order_by(User.id)).scalars().all()
    assert len(names) == len(set(names)) == 10 + 30 * 5  # the named accounts, then 5 each


def test_demo_data_only_fills_an_empty_database(runner):
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    users = count(User)
    again = runner.invoke(args=["demo-data"])
    assert again.exit_code != 0 and "already holds accounts" in again.output
    quiet = runner.invoke(args=["demo-data", "--if-empty"])
    assert quiet.exit_code == 0 and "Demo accounts" in quiet.output
    assert count(User) == users


def test_demo_data_shows_the_meeting_cycle(runner, client):
    from coordination.models import ActionFollowUp, SituationProposal, WrittenInput

    assert runner.invoke(args=["demo-data", "--persons", "200"]).exit_code == 0
    assert count(SituationProposal) == 1 and count(WrittenInput) == 1
    assert count(ActionFollowUp) >= 1
    upcoming = db.session.execute(
        select(Meeting)
        .where(Meeting.status == MeetingStatus.PLANNED)
        .order_by(Meeting.starts_at)
        .limit(1)
    ).scalar_one()
    sign_in(client, "coordination@maillage.example", DEMO_PASSWORD)
    page = client.get(f"/meetings/{upcoming.id}/preparation").get_data(as_text=True)
    assert "proposed by CCAS de Joigny" in page or "proposée par CCAS de Joigny" in page


def test_demo_data_holds_orientations_in_every_state(runner):
    assert runner.invoke(args=["demo-data", "--persons", "200"]).exit_code == 0
    statuses = set(db.session.execute(select(Orientation.status)).scalars())
    assert statuses == set(OrientationStatus)
    accepted = db.session.execute(
        select(Orientation).where(Orientation.status == OrientationStatus.ACCEPTED)
    ).scalar_one()
    assert accepted.action_id is not None
    durand = select(func.count()).where(
        Person.last_name.in_(["Durand", "durand"]), Person.birth_year == 1979
    )
    assert db.session.execute(durand).scalar() >= 2  # a duplicate file to spot
