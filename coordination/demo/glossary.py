"""The demo network's glossary: the acronyms a person meets on a printed plan."""

from ..db import db
from ..models import GlossaryTerm

TERMS = {
    "CAF": "Caisse d'allocations familiales",
    "CCAS": "Centre communal d'action sociale",
    "CEJ": "Contrat d'engagement jeune",
    "CMP": "Centre médico-psychologique",
    "CPAM": "Caisse primaire d'assurance maladie",
    "CSS": "Complémentaire santé solidaire",
    "FSL": "Fonds de solidarité logement",
    "MDPH": "Maison départementale des personnes handicapées",
    "RSA": "Revenu de solidarité active",
    "SIAO": "Service intégré d'accueil et d'orientation",
    "SPIP": "Service pénitentiaire d'insertion et de probation",
    "UDAF": "Union départementale des associations familiales",
}


def build():
    """Write the glossary the demo coordinator keeps."""
    db.session.add_all(GlossaryTerm(acronym=k, meaning=v) for k, v in TERMS.items())
    db.session.flush()
