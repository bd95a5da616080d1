"""The plan printed for the person: done, late, under way, planned; the network's glossary."""

import re
from datetime import date, timedelta

import time_machine

from coordination.clock import today
from coordination.db import db
from coordination.models import ActionStatus, GlossaryTerm, Role
from tests.factories import make_action, make_organisation, make_person
from tests.helpers import post_form
from tests.helpers import text as body

PRINTED_ON = date(2026, 11, 30)


def glossary(**terms):
    """Put some terms in the network's glossary."""
    db.session.add_all(GlossaryTerm(acronym=k, meaning=v) for k, v in terms.items())
    db.session.commit()


def section(page, part_id):
    """The HTML of one part of the printed plan."""
    match = re.search(rf'<section class="print-part" id="{part_id}">(.*?)</section>', page, re.S)
    return match.group(1) if match else ""


@time_machine.travel("2026-11-30 10:00:00+00:00", tick=False)
def test_the_printed_plan_of_a_hand_built_person(client, login_as):
    referent = login_as(Role.PROFESSIONAL)
    caf, cmp_ = make_organisation(name="CAF de l'Yonne"), make_organisation(name="CMP Joigny")
    person = make_person(referent, goals="Trouver un logement grâce au FSL")
    day = today()
    make_action(person, caf, ActionStatus.IN_PROGRESS, title="Ouvrir les droits RSA",
                due_on=date(2025, 8, 24))  # fmt: skip
    make_action(person, cmp_, ActionStatus.DONE, title="Premier RDV au CMP",
                due_on=day, done_on=date(2026, 6, 2))  # fmt: skip
    make_action(person, caf, ActionStatus.DONE, title="Dossier CAF complet",
                due_on=day, done_on=date(2026, 3, 1))  # fmt: skip
    make_action(person, caf, ActionStatus.IN_PROGRESS, title="Suivre le CEJ", due_in_days=20)
    make_action(person, cmp_, ActionStatus.PLANNED, title="Bilan de santé", due_in_days=60)
    make_action(person, caf, ActionStatus.CANCELLED, title="Action abandonnée")
    glossary(FSL="Fonds de solidarité logement", RSA="Revenu de solidarité active",
             CEJ="Contrat d'engagement jeune", CMP="Centre médico-psychologique",
             SPIP="Service pénitentiaire d'insertion et de probation")  # fmt: skip
    page = body(client.get(f"/people/{person.id}/plan"))
    for heading in ("What is late", "What is under way", "What is planned", "What is done"):
        assert f">{heading}</h2>" in page
    late = section(page, "print-late")
    assert "Ouvrir les droits RSA" in late and "due on 24/08/2025, late" in late
    assert "Suivre le CEJ" in section(page, "print-under-way")
    assert "late" not in section(page, "print-under-way")
    assert "Bilan de santé" in section(page, "print-planned")
    done = section(page, "print-done")
    assert done.index("done on 01/03/2026") < done.index("done on 02/06/2026")  # in order
    assert "Ouvrir les droits RSA" not in done and "Action abandonnée" not in page
    words = section(page, "print-glossary")
    for acronym in ("FSL", "RSA", "CEJ", "CMP"):
        assert f"<dt>{acronym}</dt>" in words
    assert "SPIP" not in words  # only the acronyms the plan uses


@time_machine.travel("2026-11-30 10:00:00+00:00", tick=False)
def test_the_printed_plan_in_french(client, login_as):
    referent = login_as(Role.PROFESSIONAL, language="fr")
    person = make_person(referent, goals="retrouver un logement")
    make_action(person, make_organisation(name="CAF"), ActionStatus.PLANNED,
                due_on=date(2025, 8, 24))  # fmt: skip
    page = body(client.get(f"/people/{person.id}/plan"))
    assert "Ce qui est en retard" in page and "prévu pour le 24/08/2025, en retard" in page
    assert "Ce qui est fait" not in page  # nothing done: no such heading
    assert "«\u00a0retrouver un logement\u00a0»" in page


def test_the_coordinator_keeps_the_glossary(client, login_as):
    login_as(Role.COORDINATOR)
    response = post_form(
        client,
        "/glossary",
        {"terms": "FSL: Fonds de solidarité logement\nRSA = Revenu de solidarité active"},
    )
    assert response.status_code == 303
    page = body(client.get("/glossary"))
    assert "FSL: Fonds de solidarité logement" in page and "RSA: Revenu" in page


def test_a_glossary_line_not_understood_comes_back_as_typed(client, login_as):
    login_as(Role.COORDINATOR)
    typed = "FSL: Fonds de solidarité logement\nnothing to explain here"
    response = post_form(client, "/glossary", {"terms": typed})
    assert response.status_code == 422
    page = body(response)
    assert "Lines 2 are not understood" in page and "nothing to explain here" in page
    assert db.session.query(GlossaryTerm).count() == 0


def test_a_professional_reads_the_glossary_but_cannot_change_it(app, client, login_as):
    glossary(FSL="Fonds de solidarité logement")
    login_as(Role.PROFESSIONAL)
    page = body(client.get("/glossary"))
    assert "FSL: Fonds de solidarité logement" in page and "<textarea" not in page
    response = post_form(client, "/glossary", {"terms": ""}, form_page="/people")
    assert response.status_code == 403
    assert db.session.query(GlossaryTerm).count() == 1


def test_a_glossary_changed_meanwhile_is_not_overwritten(client, login_as):
    login_as(Role.COORDINATOR)
    form_version = "0" * 16
    response = post_form(client, "/glossary", {"terms": "CEJ: Contrat", "version": form_version})
    assert response.status_code == 409
    assert "changed the glossary meanwhile" in body(response)


def test_a_long_history_prints_the_latest_done_actions_and_counts_the_rest(client, login_as):
    referent = login_as(Role.PROFESSIONAL)
    person = make_person(referent)
    caf = make_organisation(name="CAF")
    for number in range(14):
        make_action(person, caf, ActionStatus.DONE, title=f"Étape {number:02d}",
                    done_on=date(2026, 1, 1) + timedelta(days=number))  # fmt: skip
    done = section(body(client.get(f"/people/{person.id}/plan")), "print-done")
    assert "4 actions done before these." in done
    assert "Étape 03" not in done and "Étape 04" in done and "Étape 13" in done
