"""Long files readable: open actions first by partner, the rest folded; the default lists."""

from coordination.db import db
from coordination.models import ActionStatus, ActionUpdate, Role, UpdateKind
from tests.factories import make_action, make_organisation, make_person, make_user
from tests.helpers import text as body


def status_change(action, author, before, after):
    """A status change in the action's log."""
    db.session.add(ActionUpdate(action_id=action.id, kind=UpdateKind.STATUS, author_id=author.id,
                                organisation_id=author.organisation_id,
                                from_status=before, to_status=after))  # fmt: skip
    db.session.commit()


def test_open_actions_come_first_and_the_rest_is_folded_with_counts(client, login_as):
    referent = login_as(Role.PROFESSIONAL)
    caf = make_organisation(name="CAF")
    person = make_person(referent)
    make_action(person, caf, ActionStatus.IN_PROGRESS, title="Ouverte en cours")
    make_action(person, caf, ActionStatus.PLANNED, title="Ouverte en retard", due_in_days=-5)
    for number in range(3):
        make_action(person, caf, ActionStatus.DONE, title=f"Faite {number}")
    make_action(person, caf, ActionStatus.CANCELLED, title="Abandonnée")
    page = body(client.get(f"/people/{person.id}"))
    open_part = page[page.index('id="plan-open"') : page.index('id="plan-done"')]
    assert open_part.index("Ouverte en retard") < open_part.index("Ouverte en cours")  # late first
    assert "Faite" not in open_part and "Abandonnée" not in open_part
    assert "<summary>3 done actions</summary>" in page
    assert "<summary>1 cancelled action</summary>" in page
    # The person's rights come before the plan, not at the bottom.
    assert page.index("Who accessed the file") < page.index('id="plan-open"')


def test_the_timeline_says_from_what_to_what(client, login_as):
    referent = login_as(Role.PROFESSIONAL)
    person = make_person(referent)
    action = make_action(person, make_organisation(name="CAF"), ActionStatus.IN_PROGRESS)
    status_change(action, referent, ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)
    page = body(client.get(f"/people/{person.id}"))
    assert '<details class="folded" id="timeline">' in page
    assert "status: Planned → In progress" in page


def test_a_professional_lands_on_the_persons_their_organisation_follows(app, client, login_as):
    user = login_as(Role.PROFESSIONAL)
    other = make_organisation(name="CCAS")
    stranger = make_user(organisation=other, email="ccas@example.org")
    ours = make_person(stranger, first_name="Owned", last_name="Action")
    make_action(ours, user.organisation)  # the CAF owns one of their actions
    make_person(stranger, first_name="Not", last_name="Ours")
    make_person(user, first_name="Mine", last_name="Own")
    page = body(client.get("/people"))
    assert '<option value="organisation" selected>' in page
    assert "Mine" in page and "Ours" not in page
    # The CCAS's person with a CAF action is listed (under reference when not shared).
    assert ours.reference in page


def test_a_coordinator_lands_on_every_situation(client, login_as):
    login_as(Role.COORDINATOR)
    page = body(client.get("/people"))
    assert '<option value="all" selected>' in page
