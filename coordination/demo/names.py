"""Names for realistic demo data (fictional people)."""

FIRST_NAMES = [
    "Camille", "Nathalie", "Sophie", "Isabelle", "Sandrine", "Céline", "Aurélie", "Émilie",
    "Julie", "Hélène", "Valérie", "Karine", "Stéphanie", "Laetitia", "Amandine", "Agnès",
    "Nicolas", "Julien", "Thomas", "Sébastien", "Christophe", "Jérôme", "François", "Mehdi",
    "Karim", "Youssef", "Olivier", "Benoît", "Rachid", "Mamadou", "Grégory", "Cédric",
    "Fatima", "Aïcha", "Nadia", "Samira", "Léa", "Manon", "Chloé", "Inès", "Zoé", "Maëlle",
]  # fmt: skip

LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
    "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin",
    "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier",
    "Benali", "Diallo", "Traoré", "Nguyen", "Haddad", "Kaya", "Da Silva", "Ferreira",
]  # fmt: skip

TOWNS = [
    "Joigny", "Auxerre", "Sens", "Avallon", "Tonnerre", "Migennes", "Villeneuve-sur-Yonne",
    "Saint-Florentin", "Toucy", "Chablis", "Charny", "Aillant-sur-Tholon", "Brienon",
    "Cerisiers", "Saint-Julien-du-Sault", "Vermenton", "Seignelay", "Noyers", "Vézelay",
]  # fmt: skip
