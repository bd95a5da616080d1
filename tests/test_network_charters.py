"""Each local network has its charter: its members sign it, its coordinators publish it, and a
consent to "all signatories" reaches the signatories of the charter of the networks of the
file's origin organisation, never those of another network."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from coordination import access, grants
from coordination.clock import today
from coordination.db import db
from coordination.models import CharterSignature, CharterVersion, Network, Role
from coordination.people import changes
from tests import factories
from tests.factories import (
    make_charter,
    make_network,
    make_organisation,
    make_person,
    make_signature,
    make_user,
)
from tests.helpers import post_form, sign_in, text


@pytest.fixture
def charters(app):
    """Joigny and Sens sharing the CAF; each network's charter, the CAF signed Joigny's only;
    a person of each network consenting to all signatories."""
    joigny = db.session.get(Network, factories.first_network_id())
    joigny.name = "Réseau jovinien"
    sens = make_network("Réseau sénonais", "Sens et alentours")
    ccas_joigny = make_organisation("CCAS de Joigny", networks=[joigny])
    ccas_sens = make_organisation("CCAS de Sens", networks=[sens])
    caf = make_organisation("CAF de l'Yonne", networks=[joigny, sens])
    joigny_charter = make_charter(1, title="Charte du réseau jovinien", network_id=joigny.id)
    sens_charter = make_charter(1, title="Charte du réseau sénonais", network_id=sens.id)
    for organisation in (ccas_joigny, caf):
        make_signature(joigny_charter, organisation)
    make_signature(sens_charter, ccas_sens)
    people = {}
    for key, origin in (("joigny", ccas_joigny), ("sens", ccas_sens)):
        author = make_user(organisation=origin)
        person = make_person(author, first_name=key.title())
        changes.record_consent(person, author, [], all_signatories=True, method="signed_form",
                               given_on=today(), ends_on=today() + timedelta(days=90))  # fmt: skip
        db.session.commit()
        people[key] = person
    return {
        "joigny": joigny, "sens": sens, "caf": caf, "ccas_joigny": ccas_joigny,
        "ccas_sens": ccas_sens, "person_joigny": people["joigny"],
        "person_sens": people["sens"], "sens_charter": sens_charter,
        "coordinator_joigny": make_user(Role.COORDINATOR, ccas_joigny, networks=[joigny]),
    }  # fmt: skip


def level_of(organisation, person):
    """What a professional of the organisation sees of the person."""
    reader = make_user(organisation=organisation)
    return access.levels(reader, [person.id])[person.id]


def test_all_signatories_means_the_signatories_of_the_persons_network(charters):
    caf, ccas_sens = charters["caf"], charters["ccas_sens"]
    assert level_of(caf, charters["person_joigny"]) == access.Level.IDENTIFIED
    # the CAF signed Joigny's charter, not Sens': a person of Sens stays pseudonymous to it
    assert level_of(caf, charters["person_sens"]) != access.Level.IDENTIFIED
    assert level_of(ccas_sens, charters["person_joigny"]) != access.Level.IDENTIFIED
    make_signature(charters["sens_charter"], caf)
    grants.organisation_signed(caf.id, charters["sens"].id)
    db.session.commit()
    assert level_of(caf, charters["person_sens"]) == access.Level.IDENTIFIED
    assert grants.stored_rows() == grants.expected_rows()


def test_a_new_version_in_one_network_leaves_the_other_networks_signatories(client, charters):
    caf = charters["caf"]
    make_signature(charters["sens_charter"], caf)
    grants.organisation_signed(caf.id, charters["sens"].id)
    db.session.commit()
    sign_in(client, charters["coordinator_joigny"].email)
    version_2 = {"title": "Charte, version 2", "text": "Engagements.", "published_on": "2026-09-11"}
    answer = post_form(client, "/charter/new", version_2)
    assert answer.status_code == 303
    # Joigny's signatories must sign version 2; the CAF keeps what Sens' charter gives it
    assert level_of(caf, charters["person_joigny"]) != access.Level.IDENTIFIED
    assert level_of(caf, charters["person_sens"]) == access.Level.IDENTIFIED
    assert grants.stored_rows() == grants.expected_rows()
    versions = db.session.execute(
        select(CharterVersion.network_id, func.max(CharterVersion.number)).group_by(
            CharterVersion.network_id
        )
    ).all()
    assert dict(versions) == {charters["joigny"].id: 2, charters["sens"].id: 1}


def test_each_network_reads_its_own_charter(client, charters):
    sign_in(client, charters["coordinator_joigny"].email)
    page = text(client.get("/charter"))
    assert "Charte du réseau jovinien" in page and "Réseau jovinien" in page
    assert "Charte du réseau sénonais" not in page
    assert "CCAS de Sens" not in page  # not a member: not asked to sign
    sens = text(client.get(f"/charter?network={charters['sens'].id}"))
    assert "Charte du réseau sénonais" in sens and "CCAS de Sens" in sens
    version = client.get(f"/charter/1?network={charters['sens'].id}")
    assert "Charte du réseau sénonais" in text(version)


@pytest.mark.parametrize("value", ["999999", "abc", "-1", "1 OR 1=1"])
def test_a_tampered_network_in_the_charter_url_is_a_404(client, charters, value):
    sign_in(client, charters["coordinator_joigny"].email)
    assert client.get("/charter", query_string={"network": value}).status_code == 404
    assert client.get("/charter/1", query_string={"network": value}).status_code == 404


def test_a_coordinator_does_not_publish_or_sign_another_networks_charter(client, charters):
    sign_in(client, charters["coordinator_joigny"].email)
    sens = charters["sens"].id
    publish = post_form(client, f"/charter/new?network={sens}",
                        {"title": "Prise de contrôle", "text": "x", "published_on": "2026-09-11"},
                        form_page="/charter/new")  # fmt: skip
    assert publish.status_code == 403
    sign = post_form(client, f"/charter/sign?network={sens}",
                     {"organisation_id": charters["caf"].id, "signed_on": "2026-09-11",
                      "signatory_name": "X", "signatory_function": "Y"},
                     form_page="/charter/sign")  # fmt: skip
    assert sign.status_code == 403
    assert db.session.execute(select(func.count()).select_from(CharterVersion)).scalar() == 2
    assert "Publish a new version" not in text(client.get(f"/charter?network={sens}"))


def test_only_members_of_the_network_sign_its_charter(client, charters):
    make_organisation("Mission locale du Jovinien", networks=[charters["joigny"]])
    sign_in(client, charters["coordinator_joigny"].email)
    form = text(client.get("/charter/sign"))
    assert "Mission locale du Jovinien" in form
    assert "CAF de l&#39;Yonne" not in form  # already signed
    assert "CCAS de Sens" not in form  # not a member
    signature = {"organisation_id": charters["ccas_sens"].id, "signed_on": "2026-09-11",
                 "signatory_name": "Claire Dubois", "signatory_function": "Directrice"}  # fmt: skip
    outsider = post_form(client, "/charter/sign", signature)
    assert outsider.status_code == 422
    assert "Claire Dubois" in text(outsider)  # what was typed is kept
    signed = select(func.count()).where(
        CharterSignature.organisation_id == charters["ccas_sens"].id
    )
    assert db.session.execute(signed).scalar() == 1  # Sens' signature only


def test_leaving_a_network_takes_its_charters_grants_away(client, charters):
    """The administrator takes the CAF out of Joigny: the CAF no longer sees Joigny's persons
    through Joigny's charter; nothing else moves."""
    joigny = charters["joigny"]
    members = [o.id for o in joigny.members if o.id != charters["caf"].id]
    sign_in(client, make_user(Role.ADMIN, charters["ccas_joigny"]).email)
    coordinators = [u.id for u in joigny.coordinators]
    answer = post_form(client, f"/admin/networks/{joigny.id}",
                       {"name": joigny.name, "territory": "", "members": members,
                        "coordinators": coordinators})  # fmt: skip
    assert answer.status_code == 303
    assert level_of(charters["caf"], charters["person_joigny"]) != access.Level.IDENTIFIED
    assert grants.stored_rows() == grants.expected_rows()


def test_the_dashboard_counts_the_networks_members_that_have_not_signed(client, charters):
    make_organisation("Mission locale du Jovinien", networks=[charters["joigny"]])
    sign_in(client, charters["coordinator_joigny"].email)
    page = text(client.get("/dashboard"))
    # of Joigny's members only the Mission locale has not signed; Sens' CCAS, which has not
    # signed Joigny's charter either, is not a member and is not counted
    assert "1 member has not signed the network's charter" in page


def test_a_new_version_starts_from_the_text_and_todays_date(client, charters):
    sign_in(client, charters["coordinator_joigny"].email)
    form = text(client.get("/charter/new"))
    assert "Charte du réseau jovinien" in form  # the previous version's title, to amend
    assert f'value="{today().isoformat()}"' in form
