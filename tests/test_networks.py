"""Several local networks on one installation: a coordinator sees only their networks'
meetings, agendas, dashboard and exports; an organisation in two networks sees its actions from
both; the switcher; bad input answers with a message or a 404, never a 500."""

import pytest
from sqlalchemy import select

from coordination.db import db
from coordination.models import (
    Action,
    Meeting,
    Network,
    NetworkTheme,
    Role,
    User,
)
from tests import factories
from tests.factories import make_network, make_organisation, make_person, make_user
from tests.helpers import post_form, sign_in, text
from tests.test_access import MATRIX, MEETING


@pytest.fixture
def two_networks(app):
    """Joigny (the first network) and Sens, sharing the CAF; a coordinator and a meeting each,
    each meeting with a situation, an action and an agenda item."""
    joigny = db.session.get(Network, factories.first_networks()[0].id)
    joigny.name = "Réseau jovinien"
    sens = make_network("Réseau sénonais", "Sens et alentours")
    ccas_joigny = make_organisation("CCAS de Joigny", networks=[joigny])
    ccas_sens = make_organisation("CCAS de Sens", networks=[sens])
    caf = make_organisation("CAF de l'Yonne", networks=[joigny, sens])
    coordinator_joigny = make_user(Role.COORDINATOR, ccas_joigny, networks=[joigny])
    coordinator_sens = make_user(Role.COORDINATOR, ccas_sens, networks=[sens])
    author_sens = make_user(organisation=ccas_sens)
    author_joigny = make_user(organisation=ccas_joigny)
    person_sens = make_person(author_sens, first_name="Sabine", last_name="Sénonaise")
    person_joigny = make_person(author_joigny, first_name="Jeanne", last_name="Jovinienne")
    objects_sens = factories.make_meeting_objects(
        person_sens, [ccas_sens, caf], author_sens, network_id=sens.id
    )
    author_sens.calendar_token_hash = None  # the factory gives its calendar token to one account
    objects_joigny = factories.make_meeting_objects(
        person_joigny, [ccas_joigny, caf], author_joigny, network_id=joigny.id
    )
    for objects, network in ((objects_sens, sens), (objects_joigny, joigny)):
        meeting = db.session.get(Meeting, objects["meeting"])
        meeting.title = f"Rencontre du {network.name}"
    db.session.commit()
    return {
        "joigny": joigny, "sens": sens, "caf": caf, "ccas_joigny": ccas_joigny,
        "ccas_sens": ccas_sens, "coordinator_joigny": coordinator_joigny,
        "coordinator_sens": coordinator_sens, "sens_objects": objects_sens,
        "joigny_objects": objects_joigny, "person_sens": person_sens,
    }  # fmt: skip


MEETING_ROUTES = sorted(endpoint for endpoint, row in MATRIX.items() if row[1].startswith(MEETING))


@pytest.mark.parametrize("endpoint", MEETING_ROUTES)
def test_a_coordinator_reaches_no_meeting_of_another_network(client, two_networks, endpoint):
    """The role × route matrix, for a coordinator and a meeting of another network: 404."""
    method, url, _allowed, _status, _public = MATRIX[endpoint]
    objects = two_networks["sens_objects"] | {"organisation": two_networks["caf"].id}
    objects |= {"project": factories.make_project(two_networks["caf"]).id}
    sign_in(client, two_networks["coordinator_joigny"].email)
    url = url.format(person=two_networks["person_sens"].id, **objects)
    if method == "POST":
        response = post_form(client, url, {}, form_page="/meetings")
    else:
        response = client.get(url)
    assert response.status_code == 404, endpoint


def test_a_coordinator_sees_only_their_network(client, two_networks):
    sign_in(client, two_networks["coordinator_joigny"].email)
    listing = text(client.get("/meetings"))
    assert "Rencontre du Réseau jovinien" in listing
    assert "Rencontre du Réseau sénonais" not in listing
    joigny_meeting = two_networks["joigny_objects"]["meeting"]
    assert client.get(f"/meetings/{joigny_meeting}").status_code == 200
    sens_series = two_networks["sens_objects"]["series"]
    assert client.get(f"/meetings/series/{sens_series}").status_code == 404
    joigny_series = two_networks["joigny_objects"]["series"]
    assert client.get(f"/meetings/series/{joigny_series}").status_code == 200


def test_the_dashboard_and_its_export_stay_in_the_network(app, client, two_networks):
    sens_action = db.session.get(Action, two_networks["sens_objects"]["action"])
    sens_action.title = "Action sénonaise"
    db.session.commit()
    # An orientation sent by Sens' CCAS (to the CAF, shared): Sens' figures, not Joigny's.
    sender = make_user(organisation=two_networks["ccas_sens"])
    service = factories.make_service(two_networks["caf"])
    factories.make_orientation(two_networks["person_sens"], sender, service)
    sign_in(client, two_networks["coordinator_joigny"].email)
    export = text(client.get("/dashboard/export.csv"))
    assert "Dossier FSL" in export  # Joigny's own action
    assert "Action sénonaise" not in export
    assert two_networks["person_sens"].reference not in export
    page = text(client.get("/dashboard"))
    assert "CCAS de Sens" not in page
    other = app.test_client()
    sign_in(other, two_networks["coordinator_sens"].email)
    assert "Action sénonaise" in text(other.get("/dashboard/export.csv"))


def test_an_organisation_in_two_networks_sees_its_actions_from_both(client, two_networks):
    caf = two_networks["caf"]
    for key in ("sens_objects", "joigny_objects"):
        action = db.session.get(Action, two_networks[key]["action"])
        action.owner_organisation_id = caf.id
        action.title = f"Action CAF {key}"
    db.session.commit()
    sign_in(client, make_user(organisation=caf).email)
    listing = text(client.get("/actions"))
    assert "Action CAF sens_objects" in listing and "Action CAF joigny_objects" in listing
    # Invited to both networks' meetings, it opens both.
    for key in ("sens_objects", "joigny_objects"):
        assert client.get(f"/meetings/{two_networks[key]['meeting']}").status_code == 200


def test_a_professional_outside_a_network_does_not_open_its_meetings(client, two_networks):
    sign_in(client, make_user(organisation=two_networks["ccas_joigny"]).email)
    sens_meeting = two_networks["sens_objects"]["meeting"]
    assert client.get(f"/meetings/{sens_meeting}").status_code == 404
    assert "Rencontre du Réseau sénonais" not in text(client.get("/meetings"))


def test_the_switcher_shows_one_network_at_a_time(client, two_networks):
    both = make_user(
        Role.COORDINATOR,
        two_networks["caf"],
        networks=[two_networks["joigny"], two_networks["sens"]],
    )
    sign_in(client, both.email)
    page = text(client.get("/meetings"))
    assert 'name="network_id"' in page
    assert "Rencontre du Réseau jovinien" in page and "Rencontre du Réseau sénonais" not in page
    sens = two_networks["sens"].id
    chosen = post_form(client, "/networks/current", {"network_id": sens, "next": "/meetings?"},
                       form_page="/meetings")  # fmt: skip
    assert chosen.status_code == 303 and chosen.headers["Location"].startswith("/meetings")
    page = text(client.get("/meetings"))
    assert "Rencontre du Réseau sénonais" in page and "Rencontre du Réseau jovinien" not in page
    # Both networks' meetings stay reachable by their address.
    assert client.get(f"/meetings/{two_networks['joigny_objects']['meeting']}").status_code == 200


def test_one_network_no_switcher(client, two_networks):
    sign_in(client, two_networks["coordinator_joigny"].email)
    assert 'name="network_id"' not in text(client.get("/meetings"))


@pytest.mark.parametrize("value", ["999999", "abc", "", "-1"])
def test_a_tampered_network_choice_is_a_404(client, two_networks, value):
    sign_in(client, two_networks["coordinator_joigny"].email)
    response = post_form(client, "/networks/current", {"network_id": value}, form_page="/meetings")
    assert response.status_code == 404


def test_choosing_a_network_one_does_not_coordinate_is_a_404(client, two_networks):
    sign_in(client, two_networks["coordinator_joigny"].email)
    chosen = {"network_id": two_networks["sens"].id}
    response = post_form(client, "/networks/current", chosen, form_page="/meetings")
    assert response.status_code == 404
    assert "Rencontre du Réseau sénonais" not in text(client.get("/meetings"))


def test_inviting_an_organisation_outside_the_network_is_explained(client, two_networks):
    sign_in(client, two_networks["coordinator_joigny"].email)
    outsider = two_networks["ccas_sens"]
    response = post_form(client, "/meetings/new", {
        "title": "Rencontre de mars", "day": "2027-03-12", "start_time": "09:00",
        "end_time": "11:00", "place": "Mairie", "chair_id": "0",
        "invited": [two_networks["ccas_joigny"].id, outsider.id]})  # fmt: skip
    assert response.status_code == 422
    assert "Not a member of this network: CCAS de Sens" in text(response)
    assert 'value="Rencontre de mars"' in text(response)
    assert not db.session.execute(
        select(Meeting).where(Meeting.title == "Rencontre de mars")
    ).first()
    series = post_form(client, "/meetings/series/new", {
        "title": "Série", "interval_months": "2", "week_of_month": "2", "weekday": "4",
        "start_time": "09:00", "duration_minutes": "150", "first_month": "2027-01-01",
        "invited": [outsider.id]})  # fmt: skip
    assert series.status_code == 422 and "Not a member of this network" in text(series)


def test_a_meeting_of_the_network_is_created_in_it(client, two_networks):
    sign_in(client, two_networks["coordinator_sens"].email)
    response = post_form(client, "/meetings/new", {
        "title": "Rencontre de Sens", "day": "2027-03-12", "start_time": "09:00",
        "end_time": "11:00", "place": "", "chair_id": "0",
        "invited": [two_networks["ccas_sens"].id, two_networks["caf"].id]})  # fmt: skip
    assert response.status_code == 303
    meeting = db.session.execute(
        select(Meeting).where(Meeting.title == "Rencontre de Sens")
    ).scalar_one()
    assert meeting.network_id == two_networks["sens"].id


def test_the_admin_manages_networks(client, two_networks):
    sign_in(client, make_user(Role.ADMIN, two_networks["ccas_joigny"]).email)
    assert client.get("/admin/networks/999999").status_code == 404
    caf, joigny = two_networks["caf"], two_networks["joigny"]
    created = post_form(client, "/admin/networks", {
        "name": "Réseau du Tonnerrois", "territory": "Tonnerre", "members": [caf.id],
        "coordinators": [two_networks["coordinator_joigny"].id]})  # fmt: skip
    assert created.status_code == 303
    network = db.session.execute(
        select(Network).where(Network.name == "Réseau du Tonnerrois")
    ).scalar_one()
    assert [o.id for o in network.members] == [caf.id]
    same_name = post_form(client, "/admin/networks", {"name": "réseau jovinien"})
    assert same_name.status_code == 422 and "A network already has this name." in text(same_name)
    tampered = post_form(client, f"/admin/networks/{joigny.id}", {
        "name": "Réseau jovinien", "members": ["999999"], "coordinators": ["abc"]})  # fmt: skip
    assert tampered.status_code == 422
    assert "is not a valid choice" in text(tampered)
    assert len(factories.reload(joigny).members) == 2  # nothing lost


def test_a_coordinator_assigned_to_a_network_that_does_not_exist(runner, two_networks, monkeypatch):
    monkeypatch.setenv("MAILLAGE_PASSWORD", "une phrase de passe bien longue pour Auxerre")
    result = runner.invoke(args=[
        "create-user", "coord@example.org", "--name", "Chloé Martin", "--role", "coordinator",
        "--organisation", "CCAS d'Auxerre", "--network", "Réseau auxerrois"])  # fmt: skip
    assert result.exit_code != 0
    assert "Aucun réseau ne s'appelle Réseau auxerrois" in result.output  # the network's language
    assert "Réseau jovinien" in result.output  # the existing ones are named
    result = runner.invoke(args=[
        "create-user", "coord@example.org", "--name", "Chloé Martin", "--role", "coordinator",
        "--organisation", "CCAS d'Auxerre", "--network", "Réseau sénonais"])  # fmt: skip
    assert result.exit_code == 0, result.output
    sens = factories.reload(two_networks["sens"])
    assert "coord@example.org" in [user.email for user in sens.coordinators]


def test_belonging_to_a_network_grants_nothing_about_a_person(client, two_networks):
    """A professional of the CAF, member of both networks, does not open Sens' person."""
    sign_in(client, make_user(organisation=two_networks["ccas_joigny"]).email)
    assert client.get(f"/people/{two_networks['person_sens'].id}").status_code == 404


def test_each_network_has_its_own_themes(client, two_networks):
    """A theme a coordinator adds is their network's: offered there, not in another network;
    the built-in themes stay shared, and with several networks nobody renames them alone."""
    sign_in(client, two_networks["coordinator_joigny"].email)
    added = post_form(client, "/themes", {"name": "Lutte contre l'isolement"})
    assert added.status_code == 303
    theme = db.session.get(NetworkTheme, "lutte_contre_l_isolement")
    assert theme.network_id == two_networks["joigny"].id
    shared = post_form(client, "/themes/housing", {"name": "Habitat", "version": 1},
                       form_page="/themes")  # fmt: skip
    assert shared.status_code == 403
    other = app_client(client)
    sign_in(other, two_networks["coordinator_sens"].email)
    assert "Lutte contre l&#39;isolement" not in text(other.get("/themes"))
    renamed = post_form(other, "/themes/lutte_contre_l_isolement", {"name": "X", "version": 1},
                        form_page="/themes")  # fmt: skip
    assert renamed.status_code == 404


def test_accounts_signed_in_at_once_each_read_their_own_networks(client, two_networks):
    """The networks a request reaches are read with its own session's row, never another
    account's: two professionals signed in at once are each offered their network's theme."""
    themes = {"joigny": "Mobilité jovinienne", "sens": "Mobilité sénonaise"}
    for network, name in themes.items():
        coordinator = app_client(client)
        sign_in(coordinator, two_networks[f"coordinator_{network}"].email)
        assert post_form(coordinator, "/themes", {"name": name}).status_code == 303
    browsers = {}
    for network in themes:
        professional = db.session.execute(
            select(User).where(
                User.organisation_id == two_networks[f"ccas_{network}"].id,
                User.role == Role.PROFESSIONAL,
            )
        ).scalar_one()
        browsers[network] = app_client(client)
        sign_in(browsers[network], professional.email)
    for network, browser in browsers.items():
        form = text(browser.get("/people/new"))
        assert all((name in form) == (other == network) for other, name in themes.items())


def test_two_networks_may_each_add_a_theme_of_the_same_name(client, two_networks):
    """Names are unique within a network (and against the shared themes), not across the
    département: Sens adds its own "Mobilité douce" after Joigny; each keeps its code."""
    sign_in(client, two_networks["coordinator_joigny"].email)
    assert post_form(client, "/themes", {"name": "Mobilité douce"}).status_code == 303
    again = post_form(client, "/themes", {"name": "MOBILITE douce"})
    assert again.status_code == 422  # twice in one network: refused next to the field
    assert "MOBILITE douce" in text(again)
    shared = post_form(client, "/themes", {"name": "Logement"})
    assert shared.status_code == 422  # a shared theme's name
    other = app_client(client)
    sign_in(other, two_networks["coordinator_sens"].email)
    assert post_form(other, "/themes", {"name": "Mobilité douce"}).status_code == 303
    rows = db.session.execute(
        select(NetworkTheme.code, NetworkTheme.network_id).where(
            NetworkTheme.name == "Mobilité douce"
        )
    ).all()
    assert sorted(network for _code, network in rows) == sorted(
        [two_networks["joigny"].id, two_networks["sens"].id]
    )
    assert len({code for code, _network in rows}) == 2


def app_client(client):
    """Another browser on the same application."""
    return client.application.test_client()


@pytest.mark.parametrize("value", ["999999", "abc"])
def test_an_admin_assigning_a_network_that_does_not_exist(client, two_networks, value):
    sign_in(client, make_user(Role.ADMIN, two_networks["ccas_joigny"]).email)
    coordinator = two_networks["coordinator_joigny"]
    fields = {"name": coordinator.name, "organisation_id": coordinator.organisation_id,
              "role": "coordinator"}  # fmt: skip
    response = post_form(client, f"/admin/users/{coordinator.id}", fields | {"networks": [value]})
    assert response.status_code == 422
    assert "This network does not exist (any more)" in text(response)
    assert [n.id for n in factories.reload(two_networks["joigny"]).coordinators] == [
        coordinator.id
    ]  # nothing lost
    sens = two_networks["sens"].id
    moved = post_form(client, f"/admin/users/{coordinator.id}", fields | {"networks": [sens]})
    assert moved.status_code == 303
    assert factories.reload(two_networks["joigny"]).coordinators == []
    assert coordinator.id in [u.id for u in factories.reload(two_networks["sens"]).coordinators]
    professional = post_form(client, f"/admin/users/{coordinator.id}",
                             fields | {"role": "professional", "networks": [sens]})  # fmt: skip
    assert professional.status_code == 422
    assert "Only a coordinator coordinates a network." in text(professional)


def test_projects_are_listed_and_followed_in_their_network(client, two_networks):
    """A network's list and its meetings' part 2 show the projects its members lead; the
    other network's coordinator does not change them."""
    from coordination.projects.queries import followed_projects

    joigny_project = factories.make_project(two_networks["ccas_joigny"], title="Jardin partagé")
    sens_project = factories.make_project(two_networks["ccas_sens"], title="Épicerie de Sens")
    sign_in(client, two_networks["coordinator_joigny"].email)
    listing = text(client.get("/projects"))
    assert "Jardin partagé" in listing
    assert "Épicerie de Sens" not in listing
    joigny_meeting = db.session.get(Meeting, two_networks["joigny_objects"]["meeting"])
    followed = [f.project.title for f in followed_projects(joigny_meeting)]
    assert followed == ["Jardin partagé"]
    form = {"title": "Repris", "lead_organisation_id": two_networks["ccas_sens"].id}
    refused = post_form(client, f"/projects/{sens_project.id}/edit", form,
                        form_page=f"/projects/{joigny_project.id}/edit")  # fmt: skip
    assert refused.status_code == 403
    assert db.session.get(type(sens_project), sens_project.id).title == "Épicerie de Sens"


def test_a_partner_sees_the_projects_it_contributes_to_elsewhere(client, two_networks):
    from coordination.models import Project

    project = factories.make_project(two_networks["ccas_sens"], title="Épicerie de Sens")
    db.session.get(Project, project.id).contributors.append(two_networks["ccas_joigny"])
    db.session.commit()
    sign_in(client, make_user(organisation=two_networks["ccas_joigny"]).email)
    assert "Épicerie de Sens" in text(client.get("/projects"))
