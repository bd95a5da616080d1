"""THE access policy: which routes a user may reach and what they may do. Deny by default.

Every view declares a policy with one of the decorators below; `enforce` runs before every
request and refuses a route that declares none. Object-level questions go through `can`.
"""

import logging
from dataclasses import dataclass

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from . import audit
from .models import Role

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Policy:
    """Who may reach a route: anyone, anyone signed in, or some roles."""

    name: str
    roles: frozenset = frozenset(Role)
    anonymous: bool = False


PUBLIC = Policy("public", anonymous=True)
SIGNED_IN = Policy("signed in")

# Flask's own endpoints, which no decorator can reach.
BUILTIN_POLICIES = {"static": PUBLIC}

# Where an account with a temporary password may go before choosing its own.
FIRST_PASSWORD_ENDPOINTS = {"auth.account", "auth.change_password", "auth.logout"}


def public(view):
    """Declare a route open to anonymous visitors."""
    view.access_policy = PUBLIC
    return view


def signed_in(view):
    """Declare a route open to every signed-in account."""
    view.access_policy = SIGNED_IN
    return view


def roles(*allowed):
    """Declare a route open to the given roles only."""
    policy = Policy("roles: " + ", ".join(sorted(allowed)), roles=frozenset(allowed))

    def declare(view):
        view.access_policy = policy
        return view

    return declare


def policy_for(endpoint):
    """Return the policy a route declares, or None when it declares none."""
    if endpoint in BUILTIN_POLICIES:
        return BUILTIN_POLICIES[endpoint]
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access_policy", None)


def may_visit(user, endpoint):
    """Tell whether a user may open a route (for navigation links)."""
    policy = policy_for(endpoint)
    if policy is None:
        return False
    if policy.anonymous:
        return True
    return user.is_authenticated and user.role in policy.roles


def enforce():
    """Before each request: apply the route's policy; deny when it has none."""
    endpoint = request.endpoint
    if endpoint is None:
        return None  # no route matched: the 404 or 405 follows
    policy = policy_for(endpoint)
    if policy is None:
        log.error("route %s declares no access policy; denied", endpoint)
        abort(403)
    if policy.anonymous:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if current_user.must_change_password and endpoint not in FIRST_PASSWORD_ENDPOINTS:
        return redirect(url_for("auth.account"))
    if current_user.role not in policy.roles:
        deny(f"route {endpoint}")
    return None


def deny(detail, status=403):
    """Record the denial in the audit log and answer with a generic error."""
    audit.record("access_denied", "denied", detail=detail)
    abort(status)


def is_admin(user, _obj=None):
    """Administrators only."""
    return user.role == Role.ADMIN


def runs_the_network(user, _obj=None):
    """Coordinators and administrators."""
    return user.role in {Role.COORDINATOR, Role.ADMIN}


def runs_the_network_or_member(user, organisation):
    """Coordinators and administrators, or a member of the organisation itself."""
    return runs_the_network(user) or user.organisation_id == organisation.id


# verb -> rule(user, object). A verb missing here is refused.
RULES = {
    "manage_accounts": is_admin,
    "read_audit": is_admin,
    "administer_organisation": is_admin,
    "create_organisation": runs_the_network,
    "edit_entry": runs_the_network_or_member,
    "import_directory": runs_the_network,
    "review_directory": runs_the_network,
    "manage_charter": runs_the_network,
}


def can(user, verb, obj=None):
    """Decide whether a user may do something to an object; every change asks here."""
    if not (user.is_authenticated and user.active):
        return False
    rule = RULES.get(verb)
    return rule is not None and rule(user, obj)


def require(allowed, detail="", status=403):
    """Continue when allowed; otherwise record the denial and stop the request."""
    if not allowed:
        deny(detail or request.endpoint or "", status)


def init_app(app):
    """Run the policy before every request; let templates ask `may(verb, obj)`."""
    app.before_request(enforce)
    app.jinja_env.globals["may"] = lambda verb, obj=None: can(current_user, verb, obj)
