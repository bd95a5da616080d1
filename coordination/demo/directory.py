"""Demo directory: missions, services, contacts, freshness and the charter of the network."""

from datetime import date, timedelta

from sqlalchemy import select

from ..clock import utcnow
from ..db import db
from ..directory.entries import refresh_search_text
from ..forms import web_address
from ..models import (
    CharterSignature,
    CharterVersion,
    Contact,
    Network,
    Organisation,
    Service,
    ServiceAccess,
    Theme,
    User,
    network_members,
)
from .names import FIRST_NAMES, LAST_NAMES
from .network import CORE_ORGANISATIONS

T = Theme
WALK_IN, APPOINTMENT, BOTH = ServiceAccess.WALK_IN, ServiceAccess.APPOINTMENT, ServiceAccess.BOTH

# key: (missions, street, phone, themes, [(service, description, eligibility, access, referral)])
CORE_ENTRIES = {
    "ccas": (
        "Accueil, information et orientation des habitants ; aides sociales légales et "
        "facultatives ; domiciliation ; accompagnement des bénéficiaires du RSA.",
        "3 quai du 1er Dragons", "03 86 92 48 00",
        [T.ACCESS_TO_RIGHTS, T.INCOME, T.HOUSING, T.FOOD],
        [("Accueil social", "Écoute, information, ouverture des droits, orientation.",
          "Habitants de Joigny.", WALK_IN, False),
         ("Domiciliation administrative", "Une adresse pour recevoir son courrier.",
          "Personnes sans domicile stable ayant un lien avec la commune.", APPOINTMENT, False),
         ("Secours d'urgence", "Aide financière ponctuelle, bons alimentaires.",
          "Ménages en difficulté, après évaluation.", APPOINTMENT, True)],
    ),
    "cd": (
        "Action sociale de proximité, protection de l'enfance, insertion des bénéficiaires du "
        "RSA, autonomie des personnes âgées et handicapées.",
        "12 rue Saint-Jacques", "03 86 72 89 00",
        [T.ACCESS_TO_RIGHTS, T.PARENTING, T.INCOME, T.OLDER_PEOPLE],
        [("Service social départemental", "Accompagnement social global des familles.",
          "Tout public du territoire.", APPOINTMENT, False),
         ("Protection maternelle et infantile", "Consultations des jeunes enfants, suivi de "
          "grossesse, soutien à la parentalité.", "Familles avec enfants de moins de 6 ans.",
          BOTH, False)],
    ),
    "caf": (
        "Prestations familiales, aides au logement, RSA et prime d'activité ; travail social "
        "auprès des familles allocataires.",
        "2 rue du Pont", "32 30",
        [T.INCOME, T.HOUSING, T.PARENTING, T.ACCESS_TO_RIGHTS],
        [("Accueil sur rendez-vous", "Ouverture et calcul des droits, dossiers en attente.",
          "Allocataires et futurs allocataires.", APPOINTMENT, False),
         ("Travail social CAF", "Séparation, décès, impayés de loyer : accompagnement des "
          "familles.", "Familles allocataires.", APPOINTMENT, True)],
    ),
    "carsat": (
        "Service social de l'Assurance maladie : arrêt de travail long, sortie d'hospitalisation, "
        "prévention de la désinsertion professionnelle.",
        "8 avenue Gambetta", "36 46",
        [T.HEALTH, T.EMPLOYMENT, T.ACCESS_TO_RIGHTS],
        [("Accompagnement des assurés malades", "Maintien dans l'emploi, accès aux droits.",
          "Assurés du régime général.", APPOINTMENT, False)],
    ),
    "ch": (
        "Urgences, médecine, chirurgie ; service social hospitalier ; permanence d'accès aux soins "
        "de santé (PASS).",
        "3 quai de l'Hôpital", "03 86 92 33 33",
        [T.HEALTH, T.ACCESS_TO_RIGHTS],
        [("Permanence d'accès aux soins de santé (PASS)", "Soins et ouverture des droits pour les "
          "personnes sans couverture.", "Personnes sans droits ouverts.", WALK_IN, False),
         ("Service social hospitalier", "Préparer la sortie, ouvrir les droits.",
          "Patients hospitalisés et leurs proches.", APPOINTMENT, False)],
    ),
    "cmp": (
        "Consultations de psychiatrie adulte gratuites : infirmiers, psychologues, psychiatres ; "
        "suivi ambulatoire.",
        "14 rue Montant-au-Palais", "03 86 62 15 40",
        [T.MENTAL_HEALTH, T.HEALTH],
        [("Premier rendez-vous infirmier", "Évaluation et orientation.",
          "Adultes du secteur.", APPOINTMENT, False)],
    ),
    "msp": (
        "Médecins généralistes, infirmiers, kinésithérapeutes ; prévention, éducation à la santé.",
        "5 rue des Jardins", "03 86 62 40 10",
        [T.HEALTH],
        [("Consultations de médecine générale", "Soins de premier recours.",
          "Tout public.", APPOINTMENT, False)],
    ),
    "clic": (
        "Information et coordination gérontologique pour les plus de 60 ans et leurs aidants.",
        "1 place du Pilori", "03 86 91 44 20",
        [T.OLDER_PEOPLE, T.ACCESS_TO_RIGHTS],
        [("Évaluation à domicile", "Aides à domicile, APA, adaptation du logement.",
          "Personnes de plus de 60 ans.", APPOINTMENT, False)],
    ),
    "mdph": (
        "Accueil, information et évaluation des besoins de compensation du handicap : AAH, PCH, "
        "RQTH, orientations.",
        "10 route de Saint-Georges", "03 86 72 21 70",
        [T.DISABILITY, T.ACCESS_TO_RIGHTS],
        [("Accueil et aide au dossier", "Comprendre et remplir le dossier MDPH.",
          "Personnes handicapées et leurs proches.", BOTH, False)],
    ),
    "ml": (
        "Accompagnement des jeunes de 16 à 25 ans vers l'emploi, la formation, le logement et la "
        "santé ; Contrat d'engagement jeune.",
        "7 rue Gabriel Cortel", "03 86 62 08 62",
        [T.YOUTH, T.EMPLOYMENT, T.MOBILITY],
        [("Contrat d'engagement jeune", "Accompagnement intensif et allocation.",
          "Jeunes de 16 à 25 ans sans emploi ni formation.", APPOINTMENT, False),
         ("Permanence sans rendez-vous", "Premier accueil.", "Jeunes de 16 à 25 ans.",
          WALK_IN, False)],
    ),
    "spip": (
        "Suivi des personnes placées sous main de justice, aménagements de peine, préparation à la "
        "sortie de détention.",
        "22 rue Dans-le-Château", "03 86 51 57 30",
        [T.JUSTICE, T.HOUSING, T.EMPLOYMENT],
        [("Suivi en milieu ouvert", "Mesures et obligations fixées par le juge.",
          "Personnes suivies par la justice.", APPOINTMENT, True)],
    ),
    "pjj": (
        "Mesures éducatives pour les mineurs confiés par le juge des enfants.",
        "16 rue de Preuilly", "03 86 18 33 10",
        [T.JUSTICE, T.YOUTH, T.PARENTING],
        [("Milieu ouvert", "Accompagnement éducatif des mineurs et de leur famille.",
          "Mineurs sur décision judiciaire.", APPOINTMENT, True)],
    ),
    "udaf": (
        "Mesures de protection juridique des majeurs, aide à la gestion du budget familial, point "
        "conseil budget.",
        "6 rue Paul Bert", "03 86 52 46 90",
        [T.INCOME, T.ACCESS_TO_RIGHTS, T.OLDER_PEOPLE],
        [("Point conseil budget", "Conseil gratuit pour faire face aux difficultés financières.",
          "Tout public.", BOTH, False)],
    ),
    "crf": (
        "Aide alimentaire, vestiboutique, maraude, accompagnement aux démarches.",
        "19 faubourg de Paris", "03 86 62 00 75",
        [T.FOOD, T.ACCESS_TO_RIGHTS],
        [("Distribution alimentaire", "Colis le mardi et le vendredi.",
          "Sur orientation d'un travailleur social.", WALK_IN, True)],
    ),
    "aaf": (
        "Prévention et soins en addictologie (CSAPA) : consultations gratuites et anonymes, aide "
        "aux proches.",
        "4 rue Saint-Thibault", "03 86 62 28 21",
        [T.ADDICTION, T.HEALTH],
        [("Consultation jeunes consommateurs", "Écoute et évaluation, gratuit et anonyme.",
          "Jeunes de 12 à 25 ans et leur entourage.", APPOINTMENT, False)],
    ),
    "rs": (
        "Logement temporaire meublé avec accompagnement social pour les personnes en difficulté "
        "d'accès au logement.",
        "28 avenue de Sens", "03 86 62 51 80",
        [T.HOUSING, T.ACCESS_TO_RIGHTS],
        [("Admission en résidence sociale", "Logement temporaire de 6 à 24 mois.",
          "Personnes isolées ou couples, sur orientation SIAO.", APPOINTMENT, True)],
    ),
}  # fmt: skip

GENERATED_SERVICE = (
    "Accueil et orientation",
    "Premier accueil et orientation vers les partenaires.",
)
FUNCTIONS = [
    "Assistante sociale", "Conseiller en insertion", "Chef de service", "Infirmière",
    "Éducateur spécialisé", "Chargée d'accueil", "Directrice", "Coordinatrice",
]  # fmt: skip
# Most entries were confirmed this year; some were never, some long ago ("to be checked").
CONFIRMED_DAYS_AGO = [12, 40, 95, 150, 200, 300, None, 420, 30, 60, 500, 75, 110, 20, 250, 5]

CHARTER_V1 = """Les partenaires du réseau jovinien s'engagent à :

1. Assurer la continuité du service rendu aux personnes qu'ils accompagnent.
2. Construire des réponses coordonnées, chacun dans le respect de ses missions.
3. Partager leurs compétences et se faire connaître des autres partenaires.
4. Échanger les informations générales utiles, dans le respect du secret professionnel.
5. Promouvoir les dispositifs nouveaux et conduire des actions communes."""

CHARTER_V2 = (
    CHARTER_V1
    + """
6. Ne partager une information sur une personne qu'avec son consentement, et seulement ce qui
   est strictement nécessaire.
7. Tenir à jour leur fiche dans l'annuaire du réseau."""
)


def build(rng):
    """Describe every organisation, then publish the charter and record signatures."""
    now = utcnow()
    core = dict(zip([key for key, _n, _k in CORE_ORGANISATIONS], core_entries(), strict=True))
    members = first_member_by_organisation()
    organisations = db.session.execute(select(Organisation).order_by(Organisation.id)).scalars()
    for number, entry in enumerate(organisations):
        key = next((k for k, value in core.items() if value.id == entry.id), None)
        describe(entry, key, rng)
        days = (
            CONFIRMED_DAYS_AGO[number % len(CONFIRMED_DAYS_AGO)]
            if key
            else rng.choice(CONFIRMED_DAYS_AGO)
        )
        if days is not None and entry.id in members:
            entry.confirmed_at = now - timedelta(days=days)
            entry.confirmed_by_id = members[entry.id]
        refresh_search_text(entry)
    db.session.flush()
    sign_charters(rng)


def core_entries():
    """The core organisations, in the order of CORE_ORGANISATIONS."""
    names = [name for _key, name, _kind in CORE_ORGANISATIONS]
    by_name = {
        entry.name: entry
        for entry in db.session.execute(
            select(Organisation).where(Organisation.name.in_(names))
        ).scalars()
    }
    return [by_name[name] for name in names]


def first_member_by_organisation():
    """One member's id per organisation, to sign the confirmations."""
    rows = db.session.execute(select(User.organisation_id, User.id).order_by(User.id.desc()))
    return dict(rows.all())


def describe(entry, key, rng):
    """Fill an entry with missions, address, services and contacts."""
    if key in CORE_ENTRIES:
        missions, street, phone, themes, services = CORE_ENTRIES[key]
    else:
        missions = f"{entry.name} : accueil, accompagnement et orientation des habitants."
        street, phone = f"{rng.randint(1, 60)} rue de la République", "03 86 00 00 00"
        themes = rng.sample(list(Theme), 2)
        services = [(*GENERATED_SERVICE, "Tout public.", BOTH, False)]
    entry.missions, entry.address, entry.phone = missions, street, phone
    entry.postal_code, entry.city = "89300", "Joigny"
    entry.area_served = "Jovinien (19 communes)"
    entry.email = f"contact@{entry.id}.maillage.example"
    if key == "ccas":  # what national directories know it by; an address typed with accents
        entry.siret = "21890206800012"
        entry.website = web_address("https://www.ville-joigny.example/solidarité/ccas")
    entry.themes = themes
    for name, description, eligibility, access, referral in services:
        entry.services.append(
            Service(name=name, description=description, eligibility=eligibility, access=access,
                    referral_needed=referral, opening_hours="Du lundi au vendredi, 9 h – 12 h et "
                    "13 h 30 – 17 h", languages="français", cost="Gratuit", phone=phone)
        )  # fmt: skip
    for _ in range(2 if key else 1):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        entry.contacts.append(Contact(name=name, function=rng.choice(FUNCTIONS), phone=phone))


def sign_charters(rng):
    """Each network's charter: Joigny's in two versions (most partners signed the first, fewer
    the second so far), the others' in one, signed by most of their members."""
    networks = db.session.execute(select(Network).order_by(Network.id)).scalars().all()
    core_count = len(CORE_ORGANISATIONS)
    core_ids = set(
        db.session.execute(select(Organisation.id).order_by(Organisation.id).limit(core_count))
        .scalars()
        .all()
    )
    for number, network in enumerate(networks):
        members = db.session.execute(
            select(network_members.c.organisation_id)
            .where(network_members.c.network_id == network.id)
            .order_by(network_members.c.organisation_id)
        ).scalars()
        if number == 0:
            sign_first_network(network, members, core_ids, rng)
        else:
            sign_other_network(network, members, core_ids, rng)


def charter_title(network):
    """'Charte partenariale du réseau sénonais' for the 'Réseau sénonais'."""
    return f"Charte partenariale du {network.name[:1].lower()}{network.name[1:]}"


def sign_first_network(network, members, core_ids, rng):
    """Versions 1 and 2 of the first network's charter and their signatures."""
    first = CharterVersion(network_id=network.id, number=1, title=charter_title(network),
                           text=CHARTER_V1, published_on=date(2024, 9, 13))  # fmt: skip
    second = CharterVersion(network_id=network.id, number=2, title=charter_title(network),
                            text=CHARTER_V2, published_on=date(2026, 9, 11))  # fmt: skip
    db.session.add_all([first, second])
    db.session.flush()
    for position, organisation_id in enumerate(members):
        core = organisation_id in core_ids
        if (core and position not in {4, 13}) or (not core and rng.random() < 0.5):
            db.session.add(signature(first, organisation_id, date(2024, 10, 4), rng))
            if (core and position % 2 == 0) or (not core and rng.random() < 0.3):
                db.session.add(signature(second, organisation_id, date(2026, 10, 2), rng))


def sign_other_network(network, members, core_ids, rng):
    """One version of another network's charter, signed by most of its members."""
    text = CHARTER_V2.replace(
        "du réseau jovinien", charter_title(network).removeprefix("Charte partenariale ")
    )
    version = CharterVersion(network_id=network.id, number=1, title=charter_title(network),
                             text=text, published_on=date(2025, 3, 14))  # fmt: skip
    db.session.add(version)
    db.session.flush()
    for organisation_id in members:
        if rng.random() < (0.9 if organisation_id in core_ids else 0.6):
            db.session.add(signature(version, organisation_id, date(2025, 4, 8), rng))


def signature(version, organisation_id, signed_on, rng):
    """A signature by a named director."""
    return CharterSignature(
        version_id=version.id,
        organisation_id=organisation_id,
        signed_on=signed_on,
        signatory_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        signatory_function=rng.choice(["Directrice", "Directeur", "Présidente", "Président"]),
    )
