"""The themes (axes of the partnership conventions) shared by organisations, persons and actions."""

from enum import StrEnum


class Theme(StrEnum):
    """An axis of the network's work, used to tag organisations, persons and actions."""

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


class Themed:
    """Themes kept as rows of `theme_rows`, read and written as a list of Theme."""

    theme_row_class = None  # the model of one row, set by each themed model

    @property
    def themes(self):
        """The themes, in a stable order."""
        return [row.theme for row in self.theme_rows]

    @themes.setter
    def themes(self, themes):
        """Replace the themes, keeping the rows that stay."""
        wanted = set(themes)
        self.theme_rows = [row for row in self.theme_rows if row.theme in wanted]
        kept = {row.theme for row in self.theme_rows}
        self.theme_rows += [self.theme_row_class(theme=theme) for theme in sorted(wanted - kept)]
