"""The words users read for codes stored in the database."""

from flask_babel import lazy_gettext as _l

from .models import OrganisationKind, Role

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.PROFESSIONAL: _l("Professional"),
}

ORGANISATION_KIND_LABELS = {
    OrganisationKind.PUBLIC_BODY: _l("Public body"),
    OrganisationKind.SOCIAL_SECURITY: _l("Social security fund"),
    OrganisationKind.HEALTH: _l("Health"),
    OrganisationKind.JUSTICE: _l("Justice"),
    OrganisationKind.EMPLOYMENT: _l("Employment"),
    OrganisationKind.HOUSING: _l("Housing"),
    OrganisationKind.ASSOCIATION: _l("Association"),
    OrganisationKind.OTHER: _l("Other"),
}


def choices(labels):
    """Turn a label mapping into (value, label) pairs for a select field."""
    return [(code.value, label) for code, label in labels.items()]


def label(code):
    """Return the label of a stored code, or the code itself when it has none."""
    for labels in (ROLE_LABELS, ORGANISATION_KIND_LABELS):
        if code in labels:
            return labels[code]
    return code


def init_app(app):
    """Let templates turn codes into words."""
    app.jinja_env.globals["label"] = label
