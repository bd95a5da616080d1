"""Plain builders of test data, committed so that requests see them."""

from datetime import date
from itertools import count

from coordination.auth.passwords import hash_password
from coordination.db import db
from coordination.directory.entries import refresh_search_text
from coordination.models import (
    CharterSignature,
    CharterVersion,
    Contact,
    DirectoryImport,
    Organisation,
    OrganisationKind,
    Role,
    Service,
    User,
)

PASSWORD = "une phrase de passe bien longue"
_numbers = count(1)


def make_organisation(name=None, kind=OrganisationKind.PUBLIC_BODY, **fields):
    """An organisation, committed."""
    organisation = Organisation(name=name or f"Organisation {next(_numbers)}", kind=kind, **fields)
    refresh_search_text(organisation)
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


def make_charter(number=1, published_on=date(2025, 9, 12), **fields):
    """A charter version, committed."""
    fields.setdefault("title", f"Charte partenariale, version {number}")
    fields.setdefault("text", "Les signataires s'engagent à la continuité du service.")
    version = CharterVersion(number=number, published_on=published_on, **fields)
    db.session.add(version)
    db.session.commit()
    return version


def make_signature(version, organisation, signed_on=date(2025, 10, 1), **fields):
    """An organisation's signature of a charter version, committed."""
    fields.setdefault("signatory_name", "Claire Dubois")
    fields.setdefault("signatory_function", "Directrice")
    signature = CharterSignature(
        version_id=version.id, organisation_id=organisation.id, signed_on=signed_on, **fields
    )
    db.session.add(signature)
    db.session.commit()
    return signature


def make_directory_objects(organisation, owner):
    """A contact, a service, a charter and an import of `owner`: ids for URL templates."""
    contact = Contact(organisation=organisation, name="Paul Girard", function="Accueil")
    service = Service(organisation=organisation, name="Accueil social")
    batch = DirectoryImport(user_id=owner.id, filename="a.csv", content="nom;type\nX;Santé\n")
    db.session.add_all([contact, service, batch])
    db.session.commit()
    return {
        "contact": contact.id,
        "service": service.id,
        "batch": batch.id,
        "charter": make_charter().number,
    }
