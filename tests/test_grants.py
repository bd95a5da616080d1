"""person_grants always equals what the origin, the consent and the charter say."""

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from coordination import grants
from coordination.clock import today
from coordination.db import db
from coordination.models import CharterSignature, CharterVersion, Consent
from coordination.people import changes
from tests.factories import make_organisation, make_person, make_user

OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["consent", "signatories", "withdraw", "sign", "publish", "person"]),
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
    author = world["author"]
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
        version = world["versions"][-1] if world["versions"] else None
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
            grants.organisation_signed(organisation.id)
    elif kind == "publish":
        version = CharterVersion(
            number=len(world["versions"]) + 1, title="t", text="t", published_on=date(2026, 1, 1)
        )
        db.session.add(version)
        db.session.flush()
        grants.charter_published()
        world["versions"].append(version)
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
    organisations = [make_organisation() for _ in range(3)]
    author = make_user(organisation=organisations[0])
    world = {
        "organisations": organisations,
        "author": author,
        "persons": [make_person(author), make_person(author, first_name="B")],
        "versions": [],
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
