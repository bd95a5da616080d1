"""Demo persons: référents, journals and consents in every state, named ones for the demo logins."""

import random
from contextlib import contextmanager
from datetime import timedelta
from operator import itemgetter

from sqlalchemy import select, text

from .. import grants
from ..clock import today, utcnow
from ..db import db
from ..models import (
    Consent,
    ConsentMethod,
    ConsentOrganisation,
    NoteCategory,
    Person,
    PersonGrant,
    PersonNote,
    PersonSearchToken,
    PersonStatus,
    PersonTheme,
    ReferentAssignment,
    Role,
    Theme,
    User,
)
from ..people.changes import REFERENCE_ALPHABET
from ..text import fold, identity_key, name_tokens
from .names import FIRST_NAMES, LAST_NAMES

GOALS = [
    "Retrouver un logement pour mes enfants avant l'été.",
    "Avoir un travail stable et passer le permis.",
    "Ne plus être seule face aux papiers.",
    "Me soigner et reprendre contact avec ma fille.",
    "Payer mes dettes de loyer et garder l'appartement.",
    "Faire une formation d'aide-soignante.",
    "Rester chez moi le plus longtemps possible.",
    "Trouver un hébergement en sortant de détention.",
]
NOTES = {
    NoteCategory.SOCIAL: [
        "Rendez-vous au CCAS : dossier RSA complet, en attente de la CAF.",
        "Visite à domicile : logement humide, enfants scolarisés.",
        "Appel de la bailleresse : impayé de trois mois.",
        "A obtenu un entretien à la Mission Locale.",
    ],
    NoteCategory.HEALTH: [
        "Suivi CMP depuis mars, traitement à poursuivre.",
        "Hospitalisation courte aux urgences, sortie sans solution de soins.",
    ],
    NoteCategory.JUSTICE: [
        "Obligation de soins fixée par le juge jusqu'en 2027.",
        "Sortie de détention prévue en juin.",
    ],
}
CHUNK = 5000


def references(count, rng):
    """Unique random references (P-XXXX), as the application makes them."""
    made = set()
    while len(made) < count:
        made.add("P-" + "".join(rng.choice(REFERENCE_ALPHABET) for _ in range(4)))
    return sorted(made, key=lambda _reference: rng.random())


def members_by_organisation():
    """Active professionals and coordinators, by organisation id."""
    rows = db.session.execute(
        select(User.organisation_id, User.id)
        .where(User.role.not_in([Role.ADMIN, Role.STEERING]))
        .order_by(User.id)
    )
    members = {}
    for organisation_id, user_id in rows:
        members.setdefault(organisation_id, []).append(user_id)
    return members


def bulk(model, rows):
    """Insert rows as fast as the database takes them: COPY on PostgreSQL, the driver's
    executemany in chunks on SQLite.

    The table, not the ORM: the ORM groups rows by the columns they leave empty and sends a
    statement per group, twenty times slower for a million actions. The driver, not
    SQLAlchemy's executemany: SQLAlchemy builds each row's parameters again through its
    compiled statement. The columns' own bind processors convert the values, and the columns a
    row leaves out get their defaults: what is stored is what SQLAlchemy would store.
    """
    if not rows:
        return
    connection = db.session.connection()
    dialect, table = connection.dialect, model.__table__
    # The row's columns and those with a default in Python (SQLAlchemy would insert both).
    names = [c.name for c in table.columns if c.name in rows[0] or c.default is not None]
    if dialect.name == "postgresql":
        # COPY streams the rows in one statement: several times faster than any INSERT.
        columns = ", ".join(dialect.identifier_preparer.quote(name) for name in names)
        cursor = connection.connection.driver_connection.cursor()
        with cursor, cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
            for row in driver_values(model, rows, names, dialect):
                copy.write_row(row)
        return
    insert = table.insert().compile(dialect=dialect, column_keys=names)
    batch = []
    for row in driver_values(model, rows, insert.positiontup, dialect):
        batch.append(row)
        if len(batch) == CHUNK:
            connection.exec_driver_sql(insert.string, batch)
            batch = []
    if batch:
        connection.exec_driver_sql(insert.string, batch)


def driver_values(model, rows, names, dialect):
    """Each row's values for the named columns, in their order, as the driver takes them."""
    plan = [(name, column_default(model.__table__.c[name]), bind_processor(model, name, dialect))
            for name in names]  # fmt: skip
    every = itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
    converted = [(place, process) for place, (_n, _d, process) in enumerate(plan) if process]

    for row in rows:
        try:
            found = list(every(row))
        except KeyError:  # a row leaving columns out: their defaults
            found = [row[name] if name in row else default() for name, default, _p in plan]
        for place, process in converted:
            found[place] = process(found[place])
        yield tuple(found)


def column_default(column):
    """What SQLAlchemy would insert for a column a row leaves out: its default, else NULL."""
    default = column.default
    if default is None:
        return lambda: None
    if default.is_callable:
        return lambda: default.arg(None)  # SQLAlchemy's wrapper of a callable taking no context
    return lambda: default.arg


def bind_processor(model, name, dialect):
    """The column type's conversion of a Python value for the driver (None: none needed)."""
    return model.__table__.c[name].type.dialect_impl(dialect).bind_processor(dialect)


@contextmanager
def loaded_in_bulk(*tables):
    """Bulk-insert the tables' rows first and build their secondary indexes afterwards:
    sorting a million entries once is much faster than keeping eight indexes in order row by
    row. On PostgreSQL, their foreign keys are added back afterwards too: one join checks
    every row at once, where each row's own check cost about as much as inserting it."""
    connection = db.session.connection()
    indexes = sorted((i for t in tables for i in t.indexes), key=lambda index: index.name)
    keys = foreign_keys(connection, tables)
    for index in indexes:
        index.drop(connection)
    for table, name, _definition in keys:
        connection.exec_driver_sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    yield
    for index in indexes:
        index.create(connection)
    for table, name, definition in keys:
        connection.exec_driver_sql(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def foreign_keys(connection, tables):
    """PostgreSQL: (table, name, definition) of the tables' foreign keys, as the database holds
    them (whatever migration named them). None on SQLite: there a key's check is a lookup in
    the same process, and taking a key off would rebuild the table."""
    if connection.dialect.name != "postgresql":
        return []
    return [
        (table.name, *row)
        for table in tables
        for row in connection.execute(
            text(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = CAST(:table AS regclass) AND contype = 'f' ORDER BY conname"
            ),
            {"table": table.name},
        )
    ]


def build(count, rng):
    """Create `count` persons across the network; return their ids."""
    members = members_by_organisation()
    organisation_ids = sorted(members)
    core = organisation_ids[:16]
    now, day = utcnow(), today()
    people, themes, assignments, notes, tokens = [], [], [], [], []
    for number, reference in enumerate(references(count, rng), start=1):
        origin = rng.choice(core) if rng.random() < 0.6 else rng.choice(organisation_ids)
        referent = rng.choice(members[origin]) if rng.random() < 0.9 else None
        people.append(person_row(number, reference, origin, referent, now, day, rng))
        tokens += [
            {"person_id": number, "token": token}
            for token in name_tokens(people[-1]["first_name"], people[-1]["last_name"])
        ]
        themes += [{"person_id": number, "theme": theme} for theme in rng.sample(list(Theme), 2)]
        if referent:
            assignments.append(
                {"person_id": number, "user_id": referent, "started_at": people[-1]["created_at"]}
            )
        if rng.random() < 0.2:
            notes.append(note_row(number, referent or members[origin][0], origin, now, rng))
    bulk(Person, people)
    bulk(PersonTheme, themes)
    bulk(ReferentAssignment, assignments)
    bulk(PersonNote, notes)
    bulk(PersonSearchToken, tokens)
    consents(people, organisation_ids, members, day, rng)
    reset_sequences()
    analyse(Person, Consent, ConsentOrganisation)  # the grants are worked out from them
    with loaded_in_bulk(PersonGrant.__table__):  # about a million grants
        grants.rebuild()
    return [row["id"] for row in people]


def person_row(number, reference, origin, referent, now, day, rng):
    """One person, as a row for a bulk insert."""
    named = rng.random() < 0.95
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    closed = rng.random() < 0.15
    return {
        "id": number,
        "reference": reference,
        "first_name": first if named else None,
        "last_name": last if named else None,
        "birth_year": rng.randint(1940, 2007) if named else None,
        "goals": rng.choice(GOALS) if named else "",
        "search_name": fold(f"{first} {last}") if named else "",
        "identity_key": identity_key(first, last) if named else "",
        "origin_organisation_id": origin,
        "referent_id": referent,
        "status": PersonStatus.CLOSED if closed else PersonStatus.ACTIVE,
        "closed_on": day - timedelta(days=rng.randint(10, 1000)) if closed else None,
        "closed_reason": "Situation stabilisée" if closed else None,
        "created_at": now - timedelta(days=rng.randint(30, 1100)),
        "contact": None,
    }


def note_row(person_id, author_id, organisation_id, now, rng):
    """One journal note; some are restricted (health, justice)."""
    category = rng.choices(list(NoteCategory), weights=[8, 1, 1])[0]
    return {
        "person_id": person_id,
        "author_id": author_id,
        "organisation_id": organisation_id,
        "category": category,
        "text": rng.choice(NOTES[category]),
        "created_at": now - timedelta(days=rng.randint(1, 300)),
    }


def consents(people, organisation_ids, members, day, rng):
    """Consents in every state: in force, ending soon, expired, withdrawn, none."""
    rows, covered = [], []
    for person in people:
        state = rng.choices(
            ["active", "ending", "expired", "withdrawn", "none"], weights=[45, 5, 10, 5, 35]
        )[0]
        if state == "none":
            continue
        consent_id = len(rows) + 1
        ends = {
            "active": day + timedelta(days=rng.randint(45, 330)),
            "ending": day + timedelta(days=rng.randint(1, 29)),
            "expired": day - timedelta(days=rng.randint(1, 200)),
            "withdrawn": day + timedelta(days=rng.randint(45, 330)),
        }[state]
        recorder = person["referent_id"] or members[person["origin_organisation_id"]][0]
        rows.append(consent_row(consent_id, person["id"], ends, state, recorder, rng))
        if not rows[-1]["all_signatories"]:
            for organisation_id in rng.sample(organisation_ids, rng.randint(2, 5)):
                covered.append({"consent_id": consent_id, "organisation_id": organisation_id})
    bulk(Consent, rows)
    bulk(ConsentOrganisation, covered)


def consent_row(consent_id, person_id, ends, state, recorder, rng):
    """One consent record."""
    oral = rng.random() < 0.2
    withdrawn = state == "withdrawn"
    return {
        "id": consent_id,
        "person_id": person_id,
        "all_signatories": rng.random() < 0.2,
        "covers_health": rng.random() < 0.2,
        "covers_justice": rng.random() < 0.1,
        "method": ConsentMethod.ORAL_WITH_WITNESS if oral else ConsentMethod.SIGNED_FORM,
        "witness_name": "Marie Collègue" if oral else None,
        "given_on": ends - timedelta(days=365),
        "ends_on": ends,
        "recorded_by_id": recorder,
        "recorded_at": utcnow() - timedelta(days=rng.randint(0, 300)),
        "withdrawn_at": utcnow() - timedelta(days=3) if withdrawn else None,
        "withdrawn_by_id": recorder if withdrawn else None,
        "withdrawal_reason": "La personne ne souhaite plus de partage" if withdrawn else None,
    }


def reset_sequences(tables=("persons", "consents", "person_notes", "referent_assignments")):
    """PostgreSQL: move id sequences past the ids given explicitly in bulk inserts."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in tables:
        # The table names are constants of the demo modules, never input.
        statement = (
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
        )
        db.session.execute(text(statement))


def analyse(*models):
    """PostgreSQL: give the planner the size of tables just filled in bulk. Its foreign-key
    checks plan their lookups with the statistics of the moment: on a table it still believes
    empty, each check of the next bulk insert scanned the whole table (80,000 actions
    referring to 24,000 case reviews: 59 s instead of under 2)."""
    if db.engine.dialect.name != "postgresql":
        return
    for model in models:
        db.session.execute(text(f"ANALYZE {model.__tablename__}"))


def random_generator(seed):
    """A generator of its own, so adding persons does not change the directory's data."""
    return random.Random(seed * 7919)


NAMED = [
    # (first, last, born, origin key, référent login, goals, themes, consent, notes)
    ("Hélène", "Durand", 1979, "ccas", "referente.ccas",
     "Retrouver un logement pour mes enfants avant l'été.", [Theme.HOUSING, Theme.PARENTING],
     ("active", ["caf", "cmp", "ml"], {"covers_health": True}),
     [("referente.ccas", NoteCategory.SOCIAL, "Dossier DALO déposé ; relance du bailleur."),
      ("cmp", NoteCategory.HEALTH, "Suivi au CMP depuis mars : rendez-vous tous les 15 jours.")]),
    ("Karim", "Benali", 1991, "ccas", "referente.ccas",
     "Avoir un travail stable et passer le permis.", [Theme.EMPLOYMENT, Theme.MOBILITY],
     ("ending", ["caf", "ml"], {}), []),
    ("Sylvie", "Lefèvre", 1958, "ccas", "referente.ccas",
     "Rester chez moi le plus longtemps possible.", [Theme.OLDER_PEOPLE],
     ("expired", ["caf"], {}), []),
    ("Jordan", "Petit", 2004, "ml", "mission.locale",
     "Faire une formation d'aide-soignant.", [Theme.YOUTH, Theme.EMPLOYMENT],
     ("withdrawn", ["ccas"], {}), []),
    (None, None, None, "ccas", "referente.ccas", "", [Theme.HOUSING], None, []),
    ("Mickaël", "Roux", 1985, "spip", "spip",
     "Trouver un hébergement en sortant de détention.", [Theme.JUSTICE, Theme.HOUSING],
     ("active", ["ccas", "cmp"], {"covers_justice": True}),
     [("spip", NoteCategory.JUSTICE, "Obligation de soins jusqu'en 2027.")]),
]  # fmt: skip


# Days from today to the end of each named person's consent.
NAMED_ENDS_IN = {"active": 200, "ending": 12, "expired": -40, "withdrawn": 200}


def named(core, domain):
    """Persons the demo accounts can open, one consent state each."""
    from ..people import changes

    users = {
        user.email.split("@")[0]: user
        for user in db.session.execute(select(User).where(User.email.like(f"%@{domain}"))).scalars()
    }
    day = today()
    for first, last, born, origin, referent, goals, themes, consent, notes in NAMED:
        author = users[referent]
        person = changes.create_person(
            author, author, first_name=first, last_name=last, birth_year=born, contact=None,
            goals=goals, themes=themes,
        )  # fmt: skip
        person.origin_organisation_id = core[origin].id
        if consent:
            state, keys, categories = consent
            ends = day + timedelta(days=NAMED_ENDS_IN[state])
            record = changes.record_consent(
                person, author, [core[key] for key in keys], method=ConsentMethod.SIGNED_FORM,
                given_on=ends - timedelta(days=365), ends_on=ends, **categories,
            )  # fmt: skip
            if state == "withdrawn":
                changes.withdraw_consent(record, author, "La personne ne souhaite plus de partage.")
        for login, category, note in notes:
            changes.add_note(person, users[login], category, note)
