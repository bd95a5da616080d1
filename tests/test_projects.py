"""Collective projects: the projects area, collective actions, and a project carried from
meeting to meeting."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from coordination.clock import today, utcnow
from coordination.db import db
from coordination.models import (
    Action,
    ActionStatus,
    Meeting,
    MeetingInvitation,
    Project,
    ProjectEntry,
    ProjectStatus,
    Role,
)
from tests.factories import (
    first_network_id,
    make_collective_action,
    make_network,
    make_organisation,
    make_project,
    make_user,
    reload,
)
from tests.helpers import csrf_token, post_form, sign_in, text


def project_fields(lead, **fields):
    """A complete project form."""
    return {
        "title": "Jardins familiaux",
        "theme": "food",
        "lead_organisation_id": lead.id,
        "contributors": [],
        "aim": "Des parcelles pour les familles du quartier.",
        "starts_on": "2026-03-01",
        "ends_on": "2026-12-31",
    } | fields


def make_meeting(organisations, days):
    """A planned meeting `days` from now inviting `organisations`."""
    starts = utcnow().replace(second=0, microsecond=0) + timedelta(days=days)
    meeting = Meeting(title="Rencontre partenariale", starts_at=starts,
                      ends_at=starts + timedelta(hours=2))  # fmt: skip
    meeting.invitations = [MeetingInvitation(organisation_id=o.id) for o in organisations]
    db.session.add(meeting)
    db.session.commit()
    return meeting


# --- The projects area ---------------------------------------------------------------------


def test_a_professional_creates_a_project_and_it_has_a_history(client, login_as, organisation):
    caf = make_organisation(name="CAF de l'Yonne")
    login_as(Role.PROFESSIONAL)
    response = post_form(client, "/projects/new", project_fields(organisation,
                         contributors=[caf.id]))  # fmt: skip
    assert response.status_code == 303
    project = db.session.execute(select(Project)).scalar_one()
    assert project.status == ProjectStatus.IDEA
    assert [o.name for o in project.contributors] == ["CAF de l'Yonne"]
    page = text(client.get(response.location))
    assert "Jardins familiaux" in page and "CAF de l&#39;Yonne" in page
    assert "Project created" in page or "Projet créé" in page
    listing = text(client.get("/projects"))
    assert "Jardins familiaux" in listing


def test_every_member_organisation_reads_a_project_only_the_lead_changes_it(client, app):
    lead = make_organisation(name="Mission Locale")
    project = make_project(lead, title="Action mobilité")
    other = make_user(organisation=make_organisation(name="SPIP"))
    sign_in(client, other.email)
    assert client.get(f"/projects/{project.id}").status_code == 200
    assert client.get(f"/projects/{project.id}/edit").status_code == 403
    member = make_user(organisation=lead)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    sign_in(client, member.email)
    assert client.get(f"/projects/{project.id}/edit").status_code == 200


def test_status_changes_are_kept_and_abandoning_says_why(client, login_as, organisation):
    login_as(Role.COORDINATOR)
    project = make_project(organisation, status=ProjectStatus.PREPARING)
    path = f"/projects/{project.id}/status"
    response = post_form(client, path, {"status": "abandoned", "reason": "", "version": 1},
                         form_page=f"/projects/{project.id}")  # fmt: skip
    assert response.status_code == 422
    assert "Say why the project is abandoned." in text(response)
    response = post_form(client, path, {"status": "running", "version": 1},
                         form_page=f"/projects/{project.id}")  # fmt: skip
    assert response.status_code == 303
    assert reload(project).status == ProjectStatus.RUNNING
    entry = db.session.execute(select(ProjectEntry).order_by(ProjectEntry.id.desc())).scalar()
    assert (entry.from_status, entry.to_status) == ("preparing", "running")


# --- Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize("lead", ["nonexistent", "archived", "garbage"])
def test_a_project_led_outside_the_network_is_refused(client, login_as, organisation, lead):
    archived = make_organisation(name="Ancienne association", active=False)
    login_as(Role.PROFESSIONAL)
    lead_id = {"nonexistent": 99999, "archived": archived.id, "garbage": "abc"}[lead]
    response = post_form(client, "/projects/new",
                         project_fields(organisation, lead_organisation_id=lead_id))  # fmt: skip
    assert response.status_code == 422
    page = text(response)
    assert "Choose an active organisation of the network." in page
    assert 'id="lead_organisation_id-error"' in page
    assert "Des parcelles pour les familles du quartier." in page  # nothing typed is lost
    assert db.session.execute(select(Project)).first() is None


def test_a_contributor_outside_the_network_is_refused(client, login_as, organisation):
    archived = make_organisation(name="Ancienne association", active=False)
    login_as(Role.PROFESSIONAL)
    response = post_form(client, "/projects/new",
                         project_fields(organisation, contributors=[archived.id]))  # fmt: skip
    assert response.status_code == 422
    assert 'id="contributors-error"' in text(response)


def test_an_end_before_the_start_is_refused(client, login_as, organisation):
    login_as(Role.PROFESSIONAL)
    response = post_form(client, "/projects/new", project_fields(organisation,
                         starts_on="2026-06-01", ends_on="2026-05-01"))  # fmt: skip
    assert response.status_code == 422
    page = text(response)
    assert "The end cannot be before the start." in page and 'id="ends_on-error"' in page
    assert 'value="2026-05-01"' in page or "01/05/2026" in page


def test_a_title_of_ten_thousand_characters_is_refused(client, login_as, organisation):
    login_as(Role.PROFESSIONAL)
    long_title = "É" * 10_000
    response = post_form(client, "/projects/new", project_fields(organisation, title=long_title))
    assert response.status_code == 422
    page = text(response)
    assert 'id="title-error"' in page and "200" in page
    assert long_title in page
    assert db.session.execute(select(Project)).first() is None


def test_a_status_change_from_a_stale_view_is_refused(client, login_as, organisation):
    login_as(Role.COORDINATOR)
    project = make_project(organisation, status=ProjectStatus.PREPARING)
    page = f"/projects/{project.id}"
    first = post_form(client, page + "/status", {"status": "running", "version": 1},
                      form_page=page)  # fmt: skip
    assert first.status_code == 303
    stale = post_form(client, page + "/status",
                      {"status": "abandoned", "reason": "Plus de local", "version": 1},
                      form_page=page)  # fmt: skip
    assert stale.status_code == 409
    body = text(stale)
    assert "Someone changed this project meanwhile" in body
    assert "Plus de local" in body  # what was typed is still there
    assert reload(project).status == ProjectStatus.RUNNING


def test_a_stale_edit_keeps_what_was_typed(client, login_as, organisation):
    login_as(Role.COORDINATOR)
    project = make_project(organisation)
    path = f"/projects/{project.id}/edit"
    post_form(client, path, project_fields(organisation, title="Premier", version=1))
    response = post_form(client, path, project_fields(organisation, title="Second", version=1))
    assert response.status_code == 409
    assert 'value="Second"' in text(response)
    assert reload(project).title == "Premier"


def test_a_collective_action_with_a_person_attached_is_refused(client, login_as, organisation):
    from tests.factories import make_person

    user = login_as(Role.COORDINATOR)
    person = make_person(user)
    project = make_project(organisation)
    page = f"/projects/{project.id}"
    response = post_form(client, page + "/actions", {
        "title": "Aider Mme Durand", "owner_organisation_id": organisation.id,
        "due_on": (today() + timedelta(days=20)).isoformat(), "horizon": "short",
        "person_id": person.id,
    }, form_page=page)  # fmt: skip
    assert response.status_code == 422
    body = text(response)
    assert "A collective action involves no person" in body
    assert 'value="Aider Mme Durand"' in body
    assert db.session.execute(select(Action)).first() is None


def test_the_database_refuses_an_action_with_both_or_neither(app, organisation):
    from sqlalchemy.exc import IntegrityError

    from tests.factories import make_person

    person = make_person(make_user(organisation=organisation))
    project = make_project(organisation)
    for fields in ({"person_id": person.id, "project_id": project.id}, {}):
        db.session.add(Action(owner_organisation_id=organisation.id, title="x",
                              due_on=today(), **fields))  # fmt: skip
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


# --- Collective actions in a partner's follow-up -------------------------------------------


def test_collective_actions_are_in_my_actions_marked_collective(client, login_as, organisation):
    project = make_project(make_organisation(name="CAF"), title="Épicerie sociale")
    make_collective_action(project, organisation, title="Trouver un local", due_in_days=-3)
    login_as(Role.PROFESSIONAL)
    page = text(client.get("/actions"))
    assert "Trouver un local" in page and "Épicerie sociale" in page
    assert "Collective" in page or "Collective" in page
    late = text(client.get("/actions?due=overdue"))
    assert "Trouver un local" in late
    home = text(client.get("/"))
    assert "1 late action" in home or "1 action en retard" in home


def test_a_collective_action_page_is_read_by_every_member(client, organisation):
    project = make_project(organisation, title="Épicerie sociale")
    action = make_collective_action(project, organisation, title="Trouver un local")
    reader = make_user(organisation=make_organisation(name="SPIP"))
    sign_in(client, reader.email)
    response = client.get(f"/actions/{action.id}")
    assert response.status_code == 200
    assert "Épicerie sociale" in text(response)
    # Not theirs: they read, they do not change it.
    token = csrf_token(client, f"/actions/{action.id}")
    refused = client.post(f"/actions/{action.id}/notes", data={"csrf_token": token, "note": "x"})
    assert refused.status_code == 403


def test_the_owner_moves_a_collective_action_along(client, login_as, organisation):
    project = make_project(organisation)
    action = make_collective_action(project, organisation)
    login_as(Role.PROFESSIONAL)
    path = f"/actions/{action.id}"
    response = post_form(client, path + "/status", {"status": "in_progress", "version": 1},
                         form_page=path)  # fmt: skip
    assert response.status_code == 303
    response = post_form(client, path + "/notes", {"note": "Local visité"}, form_page=path)
    assert response.status_code == 303
    assert "Local visité" in text(client.get(path))
    assert reload(action).status == ActionStatus.IN_PROGRESS


def test_collective_actions_are_in_the_reminders(app, runner, organisation, smtp_server):
    url, inbox = smtp_server
    app.config["SMTP_URL"] = url
    make_user(organisation=organisation, email="agent@ccas.example", language="en")
    project = make_project(make_organisation(name="CAF"), title="Économies d'énergie")
    make_collective_action(project, organisation, title="Atelier éco-gestes", due_in_days=-2)
    make_collective_action(project, organisation, title="Réunion bailleurs", due_in_days=4)
    result = runner.invoke(args=["send-reminders"])
    assert "1 reminder(s) written" in result.output, result.output
    body = inbox.messages[0].get_content()
    assert "collective, Économies d'énergie: Atelier éco-gestes" in body
    assert "Réunion bailleurs" in body
    assert "1 late, 1 due within 7 days" in inbox.messages[0]["Subject"]


def test_the_dashboard_export_names_the_project(client, login_as, organisation):
    project = make_project(organisation, title="Mobilité")
    make_collective_action(project, organisation, title="Permis solidaire", due_in_days=-1)
    login_as(Role.COORDINATOR)
    response = client.get("/dashboard/export.csv")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Permis solidaire" in body


# --- A project carried across three meetings -----------------------------------------------


def meeting_action(client, meeting, project, key, fragment=True, **fields):
    """The inline collective action form of part 2, as htmx sends it."""
    data = {
        "title": "Trouver un local",
        "owner_organisation_id": "",
        "due_on": (today() + timedelta(days=40)).isoformat(),
        "horizon": "short",
        "key": key,
    } | fields
    token = csrf_token(client, f"/meetings/{meeting.id}")
    prefixed = {f"p{project.id}-{name}": value for name, value in data.items()}
    return client.post(f"/meetings/{meeting.id}/projects/{project.id}/actions",
                       data={"csrf_token": token, **prefixed},
                       headers={"HX-Request": "true"} if fragment else {})  # fmt: skip


def close(client, meeting):
    """Close a meeting through its button."""
    token = csrf_token(client, f"/meetings/{meeting.id}")
    response = client.post(f"/meetings/{meeting.id}/close", data={"csrf_token": token})
    assert response.status_code == 303


def test_a_project_carried_across_three_meetings(client, login_as, organisation):
    caf = make_organisation(name="CAF de l'Yonne")
    first, second, third = (make_meeting([organisation, caf], days) for days in (-60, -30, 2))
    coordinator = login_as(Role.COORDINATOR)

    # First meeting: the project is started.
    response = post_form(client, f"/meetings/{first.id}/projects", {
        "project-title": "Épicerie sociale", "project-theme": "food",
        "project-lead_organisation_id": organisation.id,
        "project-aim": "Une épicerie à prix réduits.",
    }, form_page=f"/meetings/{first.id}")  # fmt: skip
    assert response.status_code == 303
    project = db.session.execute(select(Project)).scalar_one()
    assert project.status == ProjectStatus.PREPARING
    close(client, first)
    assert "Épicerie sociale" in text(client.get(f"/meetings/{first.id}/minutes"))

    # Second meeting: part 2 starts from it; two collective actions are agreed, progress noted.
    assert "Épicerie sociale" in text(client.get(f"/meetings/{second.id}/agenda"))
    one = meeting_action(client, second, project, "k1", title="Trouver un local",
                         owner_organisation_id=caf.id)  # fmt: skip
    assert one.status_code == 200 and "Trouver un local" in text(one)
    two = meeting_action(client, second, project, "k2", title="Recenser les familles",
                         owner_organisation_id=organisation.id)  # fmt: skip
    assert "Trouver un local" in text(two) and "Recenser les familles" in text(two)
    meeting_action(client, second, project, "k2", title="Recenser les familles",
                   owner_organisation_id=organisation.id)  # a double click: once  # fmt: skip
    token = csrf_token(client, f"/meetings/{second.id}")
    noted = client.post(f"/meetings/{second.id}/projects/{project.id}/progress",
                        data={"csrf_token": token, f"p{project.id}-note": "Local en vue rue Carnot",
                              f"p{project.id}-key": "n1"},
                        headers={"HX-Request": "true"})  # fmt: skip
    assert noted.status_code == 200 and "Local en vue rue Carnot" in text(noted)
    close(client, second)
    minutes = text(client.get(f"/meetings/{second.id}/minutes"))
    assert "Trouver un local" in minutes and "Recenser les familles" in minutes
    assert "Local en vue rue Carnot" in minutes
    actions = db.session.execute(select(Action).order_by(Action.id)).scalars().all()
    assert len(actions) == 2 and all(a.person_id is None for a in actions)
    assert {a.meeting_id for a in actions} == {second.id}

    # Between the meetings, the CAF does its part.
    agent = make_user(organisation=caf)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    sign_in(client, agent.email)
    path = f"/actions/{actions[0].id}"
    for status, version in (("in_progress", 1), ("done", 2)):
        moved = post_form(client, path + "/status", {"status": status, "version": version},
                          form_page=path)  # fmt: skip
        assert moved.status_code == 303
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    sign_in(client, coordinator.email)

    # Third meeting: part 2 shows the project, one action done, the other still open.
    live = text(client.get(f"/meetings/{third.id}"))
    block = live[live.index(f'id="meeting-project-{project.id}"') :]
    block = block[: block.index("</article>")]
    done_line = block[block.index("Trouver un local") :]
    assert "badge-ok" in done_line[: done_line.index("</li>")]
    open_line = block[block.index("Recenser les familles") :]
    assert "badge-ok" not in open_line[: open_line.index("</li>")]
    history = text(client.get(f"/projects/{project.id}"))
    assert "Local en vue rue Carnot" in history


# --- Dashboard and report ------------------------------------------------------------------


def test_dashboard_figures_on_a_hand_built_dataset(client, login_as, organisation):
    from coordination.clock import today as day
    from coordination.projects.figures import by_status_and_axis, collective_by_partner

    caf = make_organisation(name="CAF")
    grocery = make_project(caf, title="Épicerie", theme="food", status=ProjectStatus.RUNNING)
    make_project(caf, title="Jardins", theme="food", status=ProjectStatus.IDEA)
    make_project(organisation, title="Mobilité", theme="mobility", status=ProjectStatus.RUNNING)
    make_project(organisation, title="Centre social", status=ProjectStatus.ABANDONED,
                 status_reason="Pas de financement")  # fmt: skip
    make_collective_action(grocery, caf, due_in_days=-3)  # late
    make_collective_action(grocery, caf, due_in_days=10)  # within 30 days
    make_collective_action(grocery, caf, due_in_days=90)  # later
    make_collective_action(grocery, organisation, due_in_days=-1, status=ActionStatus.DONE)
    make_collective_action(grocery, organisation, due_in_days=-8, status=ActionStatus.CANCELLED)

    table, totals = by_status_and_axis(first_network_id())
    assert table == [
        ("food", {ProjectStatus.RUNNING: 1, ProjectStatus.IDEA: 1}),
        ("mobility", {ProjectStatus.RUNNING: 1}),
        (None, {ProjectStatus.ABANDONED: 1}),
    ]
    assert totals[ProjectStatus.RUNNING] == 2 and totals[ProjectStatus.DONE] == 0
    partners = {row.name: row for row in collective_by_partner(day(), first_network_id())}
    assert (partners["CAF"].late, partners["CAF"].soon, partners["CAF"].later) == (1, 1, 1)
    assert partners["CCAS de Joigny"].done == 1 and partners["CCAS de Joigny"].late == 0

    login_as(Role.COORDINATOR)
    page = text(client.get("/dashboard"))
    assert 'id="projects-by-axis"' in page and 'id="collective-by-partner"' in page
    report = text(client.get("/dashboard/report"))
    assert "Centre social" in report and "Pas de financement" in report
    assert "Mobilité" in report


def test_a_networks_dashboard_counts_only_its_members_projects(client, login_as, organisation):
    from coordination.clock import today as day
    from coordination.projects.figures import by_status_and_axis, collective_by_partner

    elsewhere = make_organisation(name="Centre social de Sens", networks=[])
    make_network("Réseau sénonais", members=[elsewhere])
    away = make_project(elsewhere, title="Garage solidaire", theme="mobility",
                        status=ProjectStatus.RUNNING)  # fmt: skip
    make_collective_action(away, elsewhere, due_in_days=-3)
    make_project(organisation, title="Mobilité", theme="mobility", status=ProjectStatus.RUNNING)
    table, _totals = by_status_and_axis(first_network_id())
    assert table == [("mobility", {ProjectStatus.RUNNING: 1})]
    assert collective_by_partner(day(), first_network_id()) == []
    login_as(Role.COORDINATOR)
    assert "Centre social de Sens" not in text(client.get("/dashboard"))
    assert "Garage solidaire" not in text(client.get("/dashboard/report"))


def test_a_bad_collective_action_at_the_meeting_keeps_what_was_typed(
    client, login_as, organisation
):
    caf = make_organisation(name="CAF de l'Yonne")
    meeting = make_meeting([organisation, caf], 2)
    project = make_project(organisation, title="Épicerie sociale")
    login_as(Role.COORDINATOR)
    archived = make_organisation(name="Ancienne association", active=False)
    fragment = meeting_action(client, meeting, project, "k1", title="Trouver un local",
                              owner_organisation_id=archived.id)  # fmt: skip
    assert fragment.status_code == 422
    body = text(fragment)
    assert body.lstrip().startswith(f'<article id="meeting-project-{project.id}"')
    assert "Choose an active organisation of the network." in body
    assert 'value="Trouver un local"' in body
    page = meeting_action(client, meeting, project, "k2", fragment=False, title="x" * 400,
                          owner_organisation_id=caf.id)  # fmt: skip
    assert page.status_code == 422
    assert "x" * 400 in text(page) and "<html" in text(page)
    person = meeting_action(client, meeting, project, "k3", owner_organisation_id=caf.id,
                            person_id="12")  # fmt: skip
    assert person.status_code == 422
    assert "A collective action involves no person" in text(person)
    assert db.session.execute(select(Action)).first() is None


def test_a_closed_meeting_takes_no_more_progress(client, login_as, organisation):
    meeting = make_meeting([organisation], -2)
    project = make_project(organisation)
    login_as(Role.COORDINATOR)
    close(client, meeting)
    token = csrf_token(client, f"/meetings/{meeting.id}")
    response = client.post(f"/meetings/{meeting.id}/projects/{project.id}/progress",
                           data={"csrf_token": token, f"p{project.id}-note": "Trop tard",
                                 f"p{project.id}-key": "n1"})  # fmt: skip
    assert response.status_code == 409


def test_demo_data_holds_the_joigny_projects(runner, client):
    assert runner.invoke(args=["demo-data", "--persons", "200"]).exit_code == 0
    projects = db.session.execute(select(Project)).scalars().all()
    assert len(projects) == 6
    assert {p.status for p in projects} == set(ProjectStatus)
    collective = db.session.execute(select(Action).where(Action.project_id.is_not(None)))
    states = {a.status for a in collective.scalars()}
    assert {ActionStatus.DONE, ActionStatus.PLANNED, ActionStatus.IN_PROGRESS} <= states
    from coordination.demo.network import DEMO_PASSWORD, demo_logins

    caf_login = next(email for email, _role, _o in demo_logins() if email.startswith("caf@"))
    sign_in(client, caf_login, DEMO_PASSWORD)
    page = text(client.get("/actions"))
    assert "Définir des critères d&#39;accès communs" in page


def test_a_project_whose_lead_was_archived_since_can_still_be_edited(client, login_as):
    lead = make_organisation(name="Ancienne association")
    project = make_project(lead, title="Jardins")
    lead.active = False
    db.session.commit()
    login_as(Role.COORDINATOR)
    path = f"/projects/{project.id}/edit"
    assert "Ancienne association" in text(client.get(path))
    response = post_form(client, path, project_fields(lead, title="Jardins partagés", version=1))
    assert response.status_code == 303
    assert reload(project).title == "Jardins partagés"
