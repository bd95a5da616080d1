"""person_grants always equals what the origin, the consent and the charter say."""

import itertools
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from coordination import grants
from coordination.clock import today
from coordination.db import db
from coordination.models import CharterSignature, CharterVersion, Consent, Network
from coordination.people import changes
from tests.factories import (
    first_network_id,
    make_network,
    make_organisation,
    make_person,
    make_user,
)

NUMBERS = itertools.count(1)

OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(
            ["consent", "signatories", "withdraw", "sign", "publish", "person", "membership"]
        ),
        st.integers(min_value=0, max_value=9),
        st.integers(min_value=0, max_value=9),
    ),
    max_size=25,
)


def apply(operation, world):
    """Run one change through the same functions the views call."""
    kind, a, b = operation
    person = world["persons"][a % len(world["persons"])]
    organisation = world["organisations"][b % len(world["organisations"])]
    author = world["authors"][b % 2]
    if kind in ("consent", "signatories"):
        changes.record_consent(
            person,
            author,
            [] if kind == "signatories" else [organisation],
            all_signatories=kind == "signatories",
            method="signed_form",
            given_on=today(),
            ends_on=today() + timedelta(days=30 + a),
        )
    elif kind == "withdraw":
        consents = [c for c in world_consents(person) if c.withdrawn_at is None]
        if consents and consents[-1].replaced_by_id is None:
            changes.withdraw_consent(consents[-1], author, "souhait")
    elif kind == "sign":
        network = world["networks"][a % 2]
        version = world["versions"][network.id][-1] if world["versions"][network.id] else None
        already = (
            version
            and db.session.execute(
                select(CharterSignature.id).where(
                    CharterSignature.version_id == version.id,
                    CharterSignature.organisation_id == organisation.id,
                )
            ).first()
        )
        if version and not already:
            db.session.add(
                CharterSignature(
                    version_id=version.id,
                    organisation_id=organisation.id,
                    signed_on=date(2026, 1, 1),
                    signatory_name="X",
                    signatory_function="Y",
                )
            )
            db.session.flush()
            grants.organisation_signed(organisation.id, network.id)
    elif kind == "publish":
        network = world["networks"][a % 2]
        versions = world["versions"][network.id]
        version = CharterVersion(network_id=network.id, number=len(versions) + 1, title="t",
                                 text="t", published_on=date(2026, 1, 1))  # fmt: skip
        db.session.add(version)
        db.session.flush()
        grants.charter_published(network.id)
        versions.append(version)
    elif kind == "membership":
        network = world["networks"][a % 2]
        if organisation in network.members:
            network.members.remove(organisation)
        else:
            network.members.append(organisation)
        db.session.flush()
        grants.members_changed(network.id, {organisation.id})
    elif kind == "person":
        world["persons"].append(
            changes.create_person(
                author, None, first_name="N", last_name="M", birth_year=None, contact=None
            )
        )
    db.session.flush()


def world_consents(person):
    """A person's consents, oldest first."""
    return (
        db.session.execute(
            select(Consent).where(Consent.person_id == person.id).order_by(Consent.id)
        )
        .scalars()
        .all()
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS)
def test_stored_grants_always_equal_the_recomputed_ones(app, operations):
    """Two networks sharing an organisation, each with its charter: whatever is consented,
    signed, published, joined or left, the stored grants are the recomputed ones."""
    first = db.session.get(Network, first_network_id())
    second = make_network(f"Réseau {next(NUMBERS)}")
    organisations = [
        make_organisation(networks=[first]),
        make_organisation(networks=[first, second]),
        make_organisation(networks=[second]),
    ]
    authors = [make_user(organisation=organisations[0]), make_user(organisation=organisations[2])]
    world = {
        "organisations": organisations,
        "authors": authors,
        "networks": [first, second],
        "persons": [make_person(authors[0]), make_person(authors[1], first_name="B")],
        "versions": {first.id: [], second.id: []},
    }
    for operation in operations:
        apply(operation, world)
        assert grants.stored_rows() == grants.expected_rows(), operation
    db.session.rollback()


def test_rebuild_repairs_the_table(app):
    author = make_user()
    person = make_person(author)
    changes.record_consent(
        person,
        author,
        [make_organisation()],
        method="signed_form",
        given_on=today(),
        ends_on=today() + timedelta(days=10),
    )
    expected = grants.expected_rows()
    db.session.execute(grants.PersonGrant.__table__.delete())
    assert grants.stored_rows() == set()
    grants.rebuild()
    assert grants.stored_rows() == expected
