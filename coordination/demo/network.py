"""Demo organisations and accounts: the fifteen partners of a network like Joigny's, and more."""

import unicodedata

from sqlalchemy import insert, select

from ..auth.passwords import hash_password
from ..clock import utcnow
from ..db import db
from ..models import (
    Network,
    Organisation,
    OrganisationKind,
    Role,
    User,
    network_coordinators,
    network_members,
)
from ..models.accounts import account_search_text
from .names import FIRST_NAMES, LAST_NAMES, TOWNS

DEMO_PASSWORD = "tilleul-ardoise-42"
DEMO_DOMAIN = "maillage.example"

K = OrganisationKind
# The partners named in the network's own documents (domain.md), plus the CCAS that hosts it.
CORE_ORGANISATIONS = [
    ("ccas", "CCAS de Joigny", K.PUBLIC_BODY),
    ("cd", "Conseil départemental de l'Yonne", K.PUBLIC_BODY),
    ("caf", "CAF de l'Yonne", K.SOCIAL_SECURITY),
    ("carsat", "Service social de la CARSAT Bourgogne-Franche-Comté", K.SOCIAL_SECURITY),
    ("ch", "Centre hospitalier de Joigny", K.HEALTH),
    ("cmp", "CMP adultes de Joigny", K.HEALTH),
    ("msp", "Maison de santé pluriprofessionnelle du Jovinien", K.HEALTH),
    ("clic", "CLIC du Jovinien", K.PUBLIC_BODY),
    ("mdph", "MDPH de l'Yonne", K.PUBLIC_BODY),
    ("ml", "Mission Locale du Jovinien", K.EMPLOYMENT),
    ("spip", "SPIP de l'Yonne, antenne de Joigny", K.JUSTICE),
    ("pjj", "PJJ, unité éducative de milieu ouvert d'Auxerre", K.JUSTICE),
    ("udaf", "UDAF de l'Yonne", K.ASSOCIATION),
    ("crf", "Croix-Rouge française, unité locale de Joigny", K.ASSOCIATION),
    ("aaf", "Association Addictions France, Yonne", K.ASSOCIATION),
    ("rs", "Résidence sociale Les Tilleuls", K.HOUSING),
    # The second town's network and the rural one (the CAF, the Département's services, the
    # MDPH, the CARSAT, the SPIP and the UDAF are shared by every network of the département).
    ("ccas_sens", "CCAS de Sens", K.PUBLIC_BODY),
    ("ml_sens", "Mission Locale du Sénonais", K.EMPLOYMENT),
    ("ch_sens", "Centre hospitalier de Sens", K.HEALTH),
    ("msa", "MSA Bourgogne", K.SOCIAL_SECURITY),
    ("cc_tonnerre", "Communauté de communes Le Tonnerrois en Bourgogne", K.PUBLIC_BODY),
    ("fs_tonnerre", "France Services de Tonnerre", K.PUBLIC_BODY),
]
# The département's local networks: (key, name, territory, host organisation, own members).
SHARED = ["cd", "caf", "carsat", "mdph", "spip", "udaf"]
NETWORKS = [
    ("joigny", "Réseau jovinien", "Joigny et le Jovinien", "ccas",
     ["ccas", "ch", "cmp", "msp", "clic", "ml", "pjj", "crf", "aaf", "rs"]),
    ("sens", "Réseau sénonais", "Sens et le Sénonais", "ccas_sens",
     ["ccas_sens", "ml_sens", "ch_sens", "aaf"]),
    ("tonnerre", "Réseau rural du Tonnerrois", "Tonnerre et ses communes rurales",
     "cc_tonnerre", ["msa", "cc_tonnerre", "fs_tonnerre", "crf"]),
]  # fmt: skip

# Named demo accounts printed by `make run`: (login, name, organisation key, role).
DEMO_ACCOUNTS = [
    ("admin", "Thierry Lambert", "ccas", Role.ADMIN),
    ("coordination", "Claire Dubois", "ccas", Role.COORDINATOR),
    ("referente.ccas", "Anne Martin", "ccas", Role.PROFESSIONAL),
    ("caf", "Julien Petit", "caf", Role.PROFESSIONAL),
    ("cmp", "Nadia Haddad", "cmp", Role.PROFESSIONAL),
    ("spip", "Olivier Roux", "spip", Role.PROFESSIONAL),
    ("mission.locale", "Léa Fournier", "ml", Role.PROFESSIONAL),
    ("coordination.sens", "Marc Lefèvre", "ccas_sens", Role.COORDINATOR),
    ("coordination.tonnerrois", "Sophie Garnier", "cc_tonnerre", Role.COORDINATOR),
    ("pilotage", "Isabelle Moreau", "cd", Role.STEERING),
]
# Which network each demo coordinator coordinates.
COORDINATES = {"coordination": "joigny", "coordination.sens": "sens",
               "coordination.tonnerrois": "tonnerre"}  # fmt: skip

GENERATED_KINDS = [
    ("Association d'aide à domicile de {town}", K.ASSOCIATION),
    ("Centre social de {town}", K.ASSOCIATION),
    ("Épicerie sociale de {town}", K.ASSOCIATION),
    ("Bailleur social Yonne Habitat, agence de {town}", K.HOUSING),
    ("CCAS de {town}", K.PUBLIC_BODY),
    ("France Travail, agence de {town}", K.EMPLOYMENT),
    ("Centre médico-psychologique de {town}", K.HEALTH),
    ("Maison France Services de {town}", K.PUBLIC_BODY),
    ("Secours populaire, comité de {town}", K.ASSOCIATION),
]


def ascii_slug(text):
    """'Hélène Da Silva' -> 'helene.da.silva', for demo e-mail addresses."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return ".".join(plain.lower().replace("'", " ").split())


def organisation_specs(count):
    """The core organisations, then generated ones until there are `count`."""
    specs = [(name, kind) for _key, name, kind in CORE_ORGANISATIONS]
    taken = {name for name, _kind in specs}
    number = 0
    while len(specs) < count:
        template, kind = GENERATED_KINDS[number % len(GENERATED_KINDS)]
        town = TOWNS[(number // len(GENERATED_KINDS)) % len(TOWNS)]
        round_ = number // (len(GENERATED_KINDS) * len(TOWNS))
        name = template.format(town=town) + (f" ({round_ + 1})" if round_ else "")
        if name not in taken:
            specs.append((name, kind))
            taken.add(name)
        number += 1
    return specs


def build(organisation_count, accounts_per_organisation, rng):
    """Insert organisations and accounts in bulk; return the organisations by core key."""
    now = utcnow()
    specs = organisation_specs(organisation_count)
    db.session.execute(
        insert(Organisation), [{"name": n, "kind": k, "created_at": now} for n, k in specs]
    )
    by_name = {o.name: o for o in db.session.execute(db.select(Organisation)).scalars()}
    core = {key: by_name[name] for key, name, _kind in CORE_ORGANISATIONS}
    password_hash = hash_password(DEMO_PASSWORD)
    rows = [
        account_row(f"{login}@{DEMO_DOMAIN}", name, core[key].id, role, password_hash, now)
        for login, name, key, role in DEMO_ACCOUNTS
    ]
    used = {row["email"] for row in rows}
    for organisation in by_name.values():
        for _ in range(accounts_per_organisation):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            email = unique_email(ascii_slug(name), used)
            rows.append(
                account_row(email, name, organisation.id, Role.PROFESSIONAL, password_hash, now)
            )
    db.session.execute(insert(User), rows)
    build_networks(core, [o.id for o in by_name.values()])
    return core


def build_networks(core, organisation_ids):
    """The three local networks: the first is the one the migration made (renamed), the
    generated organisations shared out between them; each with its coordinator."""
    first = db.session.execute(select(Network).order_by(Network.id).limit(1)).scalar_one()
    networks = {}
    for number, (key, name, territory, _host, own) in enumerate(NETWORKS):
        network = first if number == 0 else Network()
        network.name, network.territory = name, territory
        db.session.add(network)
        db.session.flush()
        networks[key] = network
        rows = [{"network_id": network.id, "organisation_id": core[k].id} for k in own + SHARED]
        db.session.execute(insert(network_members), rows)
    core_ids = {organisation.id for organisation in core.values()}
    others = [oid for oid in organisation_ids if oid not in core_ids]
    keys = list(networks)
    rows = [
        {"network_id": networks[keys[number % len(keys)]].id, "organisation_id": oid}
        for number, oid in enumerate(others)
    ]
    if rows:
        db.session.execute(insert(network_members), rows)
    for login, key in COORDINATES.items():
        user_id = db.session.execute(
            select(User.id).where(User.email == f"{login}@{DEMO_DOMAIN}")
        ).scalar_one()
        rows = [{"network_id": networks[key].id, "user_id": user_id}]
        db.session.execute(insert(network_coordinators), rows)
    return networks


def demo_networks():
    """The demo networks by key, with their member organisations' ids."""
    by_name = {n.name: n for n in db.session.execute(select(Network)).scalars()}
    members = {}
    for network_id, organisation_id in db.session.execute(select(network_members)):
        members.setdefault(network_id, []).append(organisation_id)
    return {
        key: (by_name[name], sorted(members.get(by_name[name].id, [])))
        for key, name, _territory, _host, _own in NETWORKS
    }


def account_row(email, name, organisation_id, role, password_hash, now):
    """One account, as a row for a bulk insert (which no ORM event sees: hence the folded
    search text here)."""
    return {
        "email": email,
        "name": name,
        "search_text": account_search_text(name, email),
        "organisation_id": organisation_id,
        "role": role,
        "password_hash": password_hash,
        "password_changed_at": now,
        "created_at": now,
    }


def unique_email(slug, used):
    """Return slug@domain, numbered when already taken, and remember it."""
    email, number = f"{slug}@{DEMO_DOMAIN}", 1
    while email in used:
        number += 1
        email = f"{slug}{number}@{DEMO_DOMAIN}"
    used.add(email)
    return email


def demo_logins():
    """The named demo accounts, as (e-mail, role, organisation name)."""
    names = {key: name for key, name, _kind in CORE_ORGANISATIONS}
    return [
        (f"{login}@{DEMO_DOMAIN}", role, names[key]) for login, _name, key, role in DEMO_ACCOUNTS
    ]


def demo_network_logins():
    """The demo networks as (name, territory, their coordinator's e-mail)."""
    logins = {key: login for login, key in COORDINATES.items()}
    return [
        (name, territory, f"{logins[key]}@{DEMO_DOMAIN}")
        for key, name, territory, _host, _own in NETWORKS
    ]
