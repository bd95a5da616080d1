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
