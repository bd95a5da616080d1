"""Plain builders of test data, committed so that requests see them."""

from itertools import count

from coordination.auth.passwords import hash_password
from coordination.db import db
from coordination.models import Organisation, OrganisationKind, Role, User

PASSWORD = "une phrase de passe bien longue"
_numbers = count(1)


def make_organisation(name=None, kind=OrganisationKind.PUBLIC_BODY, **fields):
    """An organisation, committed."""
    organisation = Organisation(name=name or f"Organisation {next(_numbers)}", kind=kind, **fields)
    db.session.add(organisation)
    db.session.commit()
    return organisation


def make_user(role=Role.PROFESSIONAL, organisation=None, password=PASSWORD, **fields):
    """An account, committed; its password is PASSWORD unless given."""
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
    db.session.commit()
    return user


def reload(instance):
    """Forget what this test's session cached and read the row again."""
    db.session.rollback()  # ends the read snapshot, if one is open
    db.session.expire_all()  # rollback expires nothing when no transaction was open
    return db.session.get(type(instance), instance.id)
