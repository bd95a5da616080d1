"""The network's themes (axes of its partnership conventions), tagging organisations, persons
and actions; the coordinator adds, renames and archives them (coordination/themes.py)."""

from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db

THEME_CODE_LENGTH = 40
THEME_NAME_LENGTH = 80


class Theme(StrEnum):
    """The built-in themes every installation starts with (codes stored in `themes.code`)."""

    ACCESS_TO_RIGHTS = "access_to_rights"
    INCOME = "income"
    HOUSING = "housing"
    HEALTH = "health"
    MENTAL_HEALTH = "mental_health"
    ADDICTION = "addiction"
    EMPLOYMENT = "employment"
    YOUTH = "youth"
    PARENTING = "parenting"
    OLDER_PEOPLE = "older_people"
    DISABILITY = "disability"
    MOBILITY = "mobility"
    FOOD = "food"
    JUSTICE = "justice"
    DOMESTIC_VIOLENCE = "domestic_violence"


# The names the migration seeds; while a built-in keeps this name, it reads in the user's
# language (the catalogue's label), and once renamed, as the network wrote it.
BUILTIN_NAMES = {
    Theme.ACCESS_TO_RIGHTS: "Accès aux droits",
    Theme.INCOME: "Ressources et minima sociaux",
    Theme.HOUSING: "Logement",
    Theme.HEALTH: "Santé",
    Theme.MENTAL_HEALTH: "Santé mentale",
    Theme.ADDICTION: "Addictions",
    Theme.EMPLOYMENT: "Emploi et formation",
    Theme.YOUTH: "Jeunesse",
    Theme.PARENTING: "Soutien à la parentalité",
    Theme.OLDER_PEOPLE: "Personnes âgées",
    Theme.DISABILITY: "Handicap",
    Theme.MOBILITY: "Mobilité",
    Theme.FOOD: "Aide alimentaire",
    Theme.JUSTICE: "Justice",
    Theme.DOMESTIC_VIOLENCE: "Violences conjugales et intrafamiliales",
}


class NetworkTheme(db.Model):
    """One theme of the network: a stable code, a name, a place in lists, maybe archived."""

    __tablename__ = "themes"
    # Two themes of a network never read the same; two networks may each add "Mobilité douce".
    __table_args__ = (UniqueConstraint("network_id", "name_key"),)

    code: Mapped[str] = mapped_column(String(THEME_CODE_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(THEME_NAME_LENGTH))
    # The name folded (no case, no accents), for the uniqueness above.
    name_key: Mapped[str] = mapped_column(String(THEME_NAME_LENGTH))
    archived: Mapped[bool] = mapped_column(default=False, server_default=false())
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    # The network that added it; None for the built-in themes the whole département shares.
    network_id: Mapped[int | None] = mapped_column(ForeignKey("networks.id"))
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    def __repr__(self):
        return f"<NetworkTheme {self.code} {self.name!r}>"


def theme_column(**kwargs):
    """A column holding a theme's code (a plain string, checked against `themes`)."""
    return mapped_column(String(THEME_CODE_LENGTH), ForeignKey("themes.code"), **kwargs)


class Themed:
    """Themes kept as rows of `theme_rows`, read and written as a list of codes."""

    theme_row_class = None  # the model of one row, set by each themed model

    @property
    def themes(self):
        """The themes' codes, in a stable order."""
        return [row.theme for row in self.theme_rows]

    @themes.setter
    def themes(self, themes):
        """Replace the themes, keeping the rows that stay."""
        wanted = {str(theme) for theme in themes}
        self.theme_rows = [row for row in self.theme_rows if row.theme in wanted]
        kept = {row.theme for row in self.theme_rows}
        self.theme_rows += [self.theme_row_class(theme=theme) for theme in sorted(wanted - kept)]
