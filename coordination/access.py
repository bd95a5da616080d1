"""THE access policy: which routes a user may reach, what they may do, which persons they see.

Every view declares a policy with one of the decorators below; `enforce` runs before every
request and refuses a route that declares none. Object-level questions go through `can`.
Persons are seen at one of three levels (access.md): `visible_clause` answers as SQL for every
list, search, counter and export, `levels` for a page of them, `person_access` for one person.
Nothing is cached in the session: a withdrawal or an expiry counts from the very next request.
Templates ask `may(verb, obj)`, never a role; the rules written once here are listed in RULES.
"""

import logging
from dataclasses import dataclass, field
from enum import StrEnum

from flask import (
    abort,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy import String, and_, case, cast, false, func, or_, select, true
from sqlalchemy.orm import aliased, joinedload

from . import audit
from .clock import today
from .db import db
from .grants import current_signatories
from .models import (
    PENDING_STATUSES,
    Action,
    ActionUpdate,
    Attendance,
    CaseReview,
    Consent,
    Meeting,
    MeetingInvitation,
    MeetingSeries,
    Network,
    NoteCategory,
    Organisation,
    Orientation,
    Person,
    PersonGrant,
    PersonNote,
    Project,
    Role,
    User,
    member_ids,
    network_coordinators,
    network_members,
)

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
# Where an account that must set up a second factor may go before it has.
ENROL_ENDPOINTS = {"auth.second_factor_setup", "auth.logout"}


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
        """Attach the policy to the view."""
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
    if must_enrol_second_factor(current_user) and endpoint not in ENROL_ENDPOINTS:
        return redirect(url_for("auth.second_factor_setup"))
    if current_user.role not in policy.roles:
        deny(f"route {endpoint}")
    return None


def second_factor_required(user, _obj=None):
    """With REQUIRE_2FA set, administrators and coordinators sign in with a second factor."""
    return bool(current_app.config["REQUIRE_2FA"]) and user.role in {Role.ADMIN, Role.COORDINATOR}


def must_enrol_second_factor(user):
    """An account that must set up its second factor before anything else."""
    return second_factor_required(user) and not user.has_second_factor


def deny(detail, status=403):
    """Record the denial in the audit log and answer with a generic error."""
    audit.record("access_denied", "denied", detail=detail)
    abort(status)


def require(allowed, detail="", status=403):
    """Continue when allowed; otherwise record the denial and stop the request."""
    if not allowed:
        deny(detail or request.endpoint or "", status)


def init_app(app):
    """Run the policy before every request; let templates ask `may(verb, obj)`."""
    app.before_request(enforce)
    app.jinja_env.globals["may"] = lambda verb, obj=None: can(current_user, verb, obj)


# --- Persons -------------------------------------------------------------------------------


class Level(StrEnum):
    """How much of a person a user may see (access.md)."""

    IDENTIFIED = "identified"
    PSEUDONYMOUS = "pseudonymous"
    NONE = "none"


@dataclass(frozen=True)
class PersonAccess:
    """A user's level for a person, why, and the consent that grants it if any; for an
    identified reader, every consent of the person too (oldest first: the file shows them)."""

    level: Level
    reason: str
    consent: Consent | None = None
    consents: list = field(default_factory=list)

    @property
    def identified(self):
        """Tell whether identity and journal may be shown."""
        return self.level == Level.IDENTIFIED


def active_consents(day):
    """SQL: consents giving access on a day (given, not ended, withdrawn or replaced)."""
    return and_(
        Consent.withdrawn_at.is_(None),
        Consent.replaced_by_id.is_(None),
        Consent.given_on <= day,
        Consent.ends_on >= day,
    )


def identified_clause(user, day, per_row=False):
    """SQL: the user is the référent, or their organisation holds a grant in force.

    Grants are derived from the origin organisation, the consent in force and the charter
    (coordination.grants); an expired consent's grant simply stops matching `day`.
    `per_row` asks for one index lookup per person instead of the organisation's whole list:
    cheaper when a search has already narrowed the persons to a few thousand.
    """
    if not follows_people(user):
        return false()
    granted = select(PersonGrant.person_id).where(
        PersonGrant.organisation_id == user.organisation_id, PersonGrant.ends_on >= day
    )
    if per_row:
        return or_(
            Person.referent_id == user.id,
            granted.where(PersonGrant.person_id == Person.id).exists(),
        )
    return or_(Person.referent_id == user.id, Person.id.in_(granted))


def pseudonymous_clause(user):
    """SQL: the user may follow the person under its reference (access.md): coordinators, an
    organisation owning one of the person's actions, or present at a meeting that reviewed it."""
    if not follows_people(user):
        return false()
    if follows_every_situation(user):
        return true()
    # Correlated EXISTS, not IN: an organisation may own a hundred thousand actions, and each
    # person is then one lookup in ix_actions_person_owner instead of a list built every time.
    owns_an_action = (
        select(Action.id)
        .where(
            Action.person_id == Person.id,
            Action.owner_organisation_id == user.organisation_id,
        )
        .exists()
    )
    # Nested, not joined: from the person's few reviews to their meetings' invitation. Joined,
    # SQLite may start from the organisation's thousands of invitations for every person.
    present_at_the_meeting = (
        select(MeetingInvitation.meeting_id)
        .where(
            MeetingInvitation.meeting_id == CaseReview.meeting_id,
            MeetingInvitation.organisation_id == user.organisation_id,
            MeetingInvitation.attendance == Attendance.PRESENT,
        )
        .exists()
    )
    was_present = (
        select(CaseReview.id)
        .where(CaseReview.person_id == Person.id, present_at_the_meeting)
        .exists()
    )
    # An orientation waiting for the organisation's answer (access.md, "Decisions made after
    # the first wave"): the reference until it is answered or expires.
    oriented_here = (
        select(Orientation.id)
        .where(
            Orientation.person_id == Person.id,
            Orientation.organisation_id == user.organisation_id,
            Orientation.status.in_(PENDING_STATUSES),
        )
        .exists()
    )
    return or_(owns_an_action, was_present, oriented_here)


def visible_clause(user, day, per_row=False):
    """SQL: the persons the user may see at all (the filter of every list, search, counter)."""
    return or_(identified_clause(user, day, per_row), pseudonymous_clause(user))


def found_by_name(user, day, by_reference):
    """SQL: a search word may match a person's name only where the identity is shared with the
    user; elsewhere only the reference (`by_reference`) matches: nobody finds a person by
    guessing a name."""
    return or_(by_reference, identified_clause(user, day, per_row=True))


def levels(user, person_ids, day=None):
    """The user's level for each of some persons (a page of a list), by person id."""
    day = day or today()
    ids = list(person_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(Person.id, level_column(user, day)).where(Person.id.in_(ids)))
    return {person_id: Level(value) for person_id, value in rows}


def level_column(user, day):
    """The user's level for the person of each row, as a column a query over `persons` selects
    (its value for `Level`), so that a list reads its rows and their levels in one statement."""
    return case(
        (identified_clause(user, day, per_row=True), Level.IDENTIFIED.value),
        (pseudonymous_clause(user), Level.PSEUDONYMOUS.value),
        else_=Level.NONE.value,
    )


def person_access(user, person):
    """The user's level for one person, and the reason shown on the page.

    A read request asks it more than once (the file, then the buttons it offers); it is worked
    out once per request there. A write may change it, so writes always work it out afresh.
    """
    if not (has_request_context() and request.method in {"GET", "HEAD"}):
        return work_out_person_access(user, person)
    known = g.setdefault("person_access", {})
    key = (user.id, person.id)
    if key not in known:
        known[key] = work_out_person_access(user, person)
    return known[key]


def work_out_person_access(user, person, level=None):
    """The user's level for one person (read from the database unless known) and its reason."""
    day = today()
    if level is None:
        level = levels(user, [person.id], day)[person.id]
    if level == Level.PSEUDONYMOUS:
        return PersonAccess(level, "pseudonymous")
    if level == Level.NONE:
        return PersonAccess(level, "none")
    if person.referent_id == user.id:
        reason = "referent"
    elif person.origin_organisation_id == user.organisation_id:
        reason = "origin"
    else:
        reason = "consent"
    return PersonAccess(level, reason, *consents_and_cover(user, person, day))


def consents_and_cover(user, person, day):
    """The person's active consent when it covers the user's organisation (else None), and
    all the person's consents, oldest first, in one statement."""
    # The user's organisation signed the current charter of a network of the file's origin.
    signatories = current_signatories().subquery()
    signed = (
        select(signatories.c.organisation_id)
        .join(network_members, network_members.c.network_id == signatories.c.network_id)
        .where(
            signatories.c.organisation_id == user.organisation_id,
            network_members.c.organisation_id == person.origin_organisation_id,
        )
    )
    covers = or_(
        Consent.organisations.any(Organisation.id == user.organisation_id),
        and_(Consent.all_signatories, signed.exists()),
    )
    rows = db.session.execute(
        select(Consent, and_(active_consents(day), covers))
        .where(Consent.person_id == person.id)
        .order_by(Consent.id)
    ).all()
    covering = [consent for consent, covered in rows if covered]
    return (covering[0] if covering else None), [consent for consent, _covered in rows]


def load_person(person_id, minimum=Level.PSEUDONYMOUS):
    """The person of the URL and the user's access; 404 (and an audit row) below `minimum`.

    Not-yours answers exactly like not-found: the existence of a file is itself sensitive.
    """
    # The person, their themes and the reader's level in one statement (the page shows all).
    found = (
        db.session.execute(
            select(Person, level_column(current_user, today()))
            .where(Person.id == person_id)
            .options(joinedload(Person.theme_rows))
        )
        .unique()
        .first()
    )
    if found is None:
        abort(404)
    person, level = found
    access = work_out_person_access(current_user, person, Level(level))
    if has_request_context() and request.method in {"GET", "HEAD"}:
        g.setdefault("person_access", {})[(current_user.id, person.id)] = access
    enough = access.level == Level.IDENTIFIED or (
        access.level == Level.PSEUDONYMOUS and minimum == Level.PSEUDONYMOUS
    )
    if not enough:
        audit.record("access_denied", "denied", person_id=person.id, detail=request.endpoint)
        abort(404)
    return person, access


def visible_notes(user, person, access):
    """SQL: the journal notes the user may read (none below the identified level).

    Restricted notes (health, justice) stay with their author's organisation and the référent,
    unless the consent covering the reader explicitly includes their category.
    """
    if not access.identified:
        return select(PersonNote).where(false())
    consent = access.consent
    readable = [
        PersonNote.category == NoteCategory.SOCIAL,
        PersonNote.organisation_id == user.organisation_id,
    ]
    if person.referent_id == user.id:
        readable.append(true())
    for category in (NoteCategory.HEALTH, NoteCategory.JUSTICE):
        if consent is not None and consent.covers_category(category):
            readable.append(PersonNote.category == category)
    return (
        select(PersonNote)
        .where(PersonNote.person_id == person.id, or_(*readable))
        .order_by(PersonNote.created_at.desc())
    )


def load_action(action_id, verb=None):
    """The action of a URL and its person, for a reader who may see the person (else 404),
    and who may `verb` it when a change is asked (else 403).

    An action tells something about its person: it is shown only to those who may follow the
    person, at least under its reference (access.md). A project's collective action involves
    no person: every member organisation reads it (person and access are then None).
    """
    action = db.session.get(Action, action_id)
    if action is None:
        abort(404)
    if action.person_id is None:
        require(reads_projects(current_user), "collective action")
        person, access = None, None
    else:
        person, access = load_person(action.person_id)
    if verb is not None:
        require(can(current_user, verb, action))
    return action, person, access


def readable_updates(user, person):
    """SQL condition: the log entries of the person's actions the user may read.

    A restricted entry (health, justice) stays with its author's organisation and the référent.
    A collective action (no person) has no référent.
    """
    if person is not None and person.referent_id == user.id:
        return true()
    return or_(
        ActionUpdate.restricted.is_(False), ActionUpdate.organisation_id == user.organisation_id
    )


# The "organisation" filter of coordinators' lists: the whole network.
WHOLE_NETWORK = -1


def listed_actions(user, organisation_filter=None):
    """SQL: the actions a list may show: the user's organisation's; coordinators, who follow
    every situation under its reference, may look at another organisation or the network."""
    if not looks_at_other_organisations(user) or not organisation_filter:
        return Action.owner_organisation_id == user.organisation_id
    if organisation_filter == WHOLE_NETWORK:
        current = current_network_id(user)
        return actions_of_network(current) if current is not None else false()
    return Action.owner_organisation_id == organisation_filter


def exported_notes(user, person, access):
    """SQL: the journal notes an export of everything held may list (access.md, "Decisions
    made after the first wave"): all of them for the référent; for another member of the
    origin organisation, the restricted ones only of their organisation and of the categories
    the consent covers — exactly what they may read."""
    return visible_notes(user, person, access)


def withheld_notes(user, person, access):
    """The restricted notes an export leaves out, counted by category: {category: count}."""
    shown = visible_notes(user, person, access).with_only_columns(PersonNote.id).order_by(None)
    rows = db.session.execute(
        select(PersonNote.category, func.count())
        .where(PersonNote.person_id == person.id, PersonNote.id.not_in(shown))
        .group_by(PersonNote.category)
    ).all()
    return dict(rows)


def owns_action(user, action):
    """Members (not administrators) of the organisation responsible for the action."""
    return user.role not in NOT_FOLLOWING and user.organisation_id == action.owner_organisation_id


def annotates_action(user, action):
    """The responsible organisation's members and the person's référent write in the log."""
    if action.person is None:  # a collective action: its organisation writes in its log
        return owns_action(user, action)
    return owns_action(user, action) or action.person.referent_id == user.id


def manages_person(user, person):
    """The référent and the origin organisation manage a person's file and consent."""
    return person.referent_id == user.id or person.origin_organisation_id == user.organisation_id


# --- Orientations ----------------------------------------------------------------------------


def organisation_sees_identity(organisation_id, person_id, day=None):
    """Whether the person's consent (or the origin) covers an organisation: the identity then
    travels with an orientation to it; otherwise the receiver reads the reference only."""
    day = day or today()
    granted = db.session.execute(
        select(PersonGrant.person_id).where(
            PersonGrant.person_id == person_id,
            PersonGrant.organisation_id == organisation_id,
            PersonGrant.ends_on >= day,
        )
    ).first()
    return granted is not None


def orientation_shows_identity(user, orientation):
    """Whether a reader of an orientation (inbox, page, export) sees the person's identity."""
    return person_access(user, orientation.person).identified


def orients_person(user, person):
    """Professionals and coordinators who see the identity orient an active person."""
    return (
        user.role in {Role.PROFESSIONAL, Role.COORDINATOR}
        and person.status == "active"
        and person_access(user, person).identified
    )


def answers_orientation(user, orientation):
    """The receiving organisation's members (not administrators) answer an orientation."""
    return user.role not in NOT_FOLLOWING and user.organisation_id == orientation.organisation_id


def reads_orientation(user, orientation):
    """The receiving and sending organisations' members, and coordinators, read it."""
    if user.role in NOT_FOLLOWING:
        return False
    return user.role == Role.COORDINATOR or user.organisation_id in {
        orientation.organisation_id,
        orientation.sender_organisation_id,
    }


def received_orientations(user):
    """SQL: the orientations of the user's inbox (sent to their organisation)."""
    if not follows_people(user):
        return false()
    return Orientation.organisation_id == user.organisation_id


def sent_orientations(user):
    """SQL: the orientations the user's organisation sent."""
    if not follows_people(user):
        return false()
    return Orientation.sender_organisation_id == user.organisation_id


def load_orientation(orientation_id, verb="read_orientation"):
    """The orientation of a URL for a reader who may `verb` it; else 404 and an audit row
    (an orientation tells that a person is followed, which is itself sensitive)."""
    # What its page shows is loaded with it, in one query: a template never reaches the database.
    shown = [Orientation.sender, Orientation.answered_by, Orientation.sender_organisation,
             Orientation.organisation, Orientation.service, Orientation.action]  # fmt: skip
    options = [joinedload(relationship) for relationship in shown]
    orientation = db.session.get(Orientation, orientation_id, options=options)
    if orientation is None:
        abort(404)
    if not can(current_user, verb, orientation):
        audit.record(
            "access_denied", "denied", person_id=orientation.person_id, detail=request.endpoint
        )
        abort(404)
    return orientation


# --- Who is who ------------------------------------------------------------------------------


# Roles that follow no person: administering and steering are not reasons to read a file.
NOT_FOLLOWING = (Role.ADMIN, Role.STEERING)
# Roles that take part in meetings (the steering role sees figures, never a meeting's content).
TAKING_PART = (Role.ADMIN, Role.COORDINATOR, Role.PROFESSIONAL)


def follows_people(user, _obj=None):
    """Accounts that follow persons: not administrators nor the steering role (access.md: an
    admin or steering account answers 404 on every person, whatever its organisation)."""
    return user.role not in NOT_FOLLOWING


def following_people():
    """SQL: the active accounts that follow persons (notified, reminded, named on actions)."""
    return and_(User.active.is_(True), User.role.not_in(NOT_FOLLOWING))


def home_endpoint(user):
    """Where a role starts: accounts for administrators, the figures for the steering role,
    the home page for the others."""
    if user.role == Role.ADMIN:
        return "admin.users"
    if user.role == Role.STEERING:
        return "steering.index"
    return None


def follows_every_situation(user, _obj=None):
    """Coordinators follow every situation of the network under its reference."""
    return user.role == Role.COORDINATOR


def default_person_list(user):
    """The tab of /people a user lands on: every situation for a coordinator, the persons
    their organisation follows for a professional (a CAF worker sees the CAF's persons)."""
    return "all" if follows_every_situation(user) else "organisation"


def followed_by_organisation(organisation_id):
    """SQL: the persons an organisation follows: it opened the file, its member is the
    référent, or it owns one of their actions."""
    referents = select(User.id).where(User.organisation_id == organisation_id)
    owned = select(Action.person_id).where(Action.owner_organisation_id == organisation_id)
    return or_(
        Person.origin_organisation_id == organisation_id,
        Person.referent_id.in_(referents),
        Person.id.in_(owned),
    )


def looks_at_other_organisations(user, _obj=None):
    """Coordinators may list another organisation's actions, or the whole network's (the one
    place this is decided: the filter offered, the query and the page follow it)."""
    return user.role == Role.COORDINATOR


def chairs_clause():
    """The accounts that may chair a meeting, as a clause on users: active coordinators (the
    same rule as the verb `run_meetings`)."""
    return and_(User.active.is_(True), User.role == Role.COORDINATOR)


def may_be_referent(user, _person=None):
    """Who may become a person's référent de parcours: an active account that follows people."""
    return user is not None and user.active and follows_people(user)


# --- Networks ------------------------------------------------------------------------------
# A network scopes meetings, series, the network's own themes and the dashboard; it grants
# nothing about a person (persons stay decided by organisations, référents and consent above).

# Where the network a coordinator chose to look at is kept between requests.
CHOSEN_NETWORK = "network_id"


def network_columns(user_id):
    """SQL columns, correlated to a column of user ids, listing the networks a user reaches:
    those they coordinate, those their organisation belongs to, every network. The session's
    row is read with them, so that no page spends a statement of its own on them."""
    member = aliased(User)  # its own: never taken for a users table of the outer query
    return (
        listed_ids(network_coordinators.c.network_id, network_coordinators.c.user_id == user_id),
        listed_ids(
            network_members.c.network_id,
            network_members.c.organisation_id == member.organisation_id,
            member.id == user_id,
        ),
        listed_ids(Network.id),
    )


def listed_ids(column, *conditions):
    """SQL: the column's values as one comma-separated string (either database)."""
    return (
        select(func.aggregate_strings(cast(column, String), ","))
        .where(*conditions)
        .scalar_subquery()
    )


def remember_networks(user, coordinated, members, every):
    """Keep for this request the networks read with the session's row (network_columns)."""

    def ids(listed):
        return sorted(int(value) for value in listed.split(",")) if listed else []

    g.setdefault("every_network", {})[None] = ids(every)
    g.setdefault("coordinated_networks", {})[user.id] = ids(coordinated)
    g.setdefault("organisation_networks", {})[user.organisation_id] = ids(members)


def read_once(name, key, statement):
    """The ids a statement selects, read once per request (under g.<name>[key])."""
    known = g.setdefault(name, {}) if has_request_context() else {}
    if key not in known:
        known[key] = list(db.session.execute(statement).scalars())
    return known[key]


def all_network_ids():
    """Every network's id, in order (read once per request)."""
    return read_once("every_network", None, select(Network.id).order_by(Network.id))


def coordinated_networks(user):
    """Ids of the networks a user coordinates, in order."""
    return read_once(
        "coordinated_networks",
        user.id,
        select(network_coordinators.c.network_id)
        .where(network_coordinators.c.user_id == user.id)
        .order_by(network_coordinators.c.network_id),
    )


def organisation_networks(organisation_id):
    """Ids of the networks an organisation belongs to, in order."""
    return read_once(
        "organisation_networks",
        organisation_id,
        select(network_members.c.network_id)
        .where(network_members.c.organisation_id == organisation_id)
        .order_by(network_members.c.network_id),
    )


def networks_of(user):
    """Ids of the networks a user reaches (ordered): those a coordinator coordinates, those
    a professional's organisation belongs to; every network for administrators and steering."""
    if not user.is_authenticated:
        return []
    if user.role in NOT_FOLLOWING:
        return all_network_ids()
    if user.role == Role.COORDINATOR:
        return coordinated_networks(user)
    return organisation_networks(user.organisation_id)


def current_network_id(user):
    """The network a coordinator's pages show: the one chosen (kept in the session, checked
    again on every request), else their first; None for other roles and a coordinator of none."""
    if user.role != Role.COORDINATOR:
        return None
    mine = networks_of(user)
    chosen = session.get(CHOSEN_NETWORK) if has_request_context() else None
    if chosen in mine:
        return chosen
    return mine[0] if mine else None


def choose_network(user, network_id):
    """Keep the network a coordinator chose; 404 for a network that is not theirs (a tampered
    form answers as if the network did not exist)."""
    require(network_id in networks_of(user), f"network {network_id}", status=404)
    session[CHOSEN_NETWORK] = network_id


def switches_networks(user, _obj=None):
    """A coordinator of several networks chooses which one the pages show."""
    return user.role == Role.COORDINATOR and len(networks_of(user)) > 1


def actions_of_network(network_id):
    """SQL on actions: a network's: agreed at one of its meetings or, outside any meeting (a
    file, an orientation, a project), owned by one of its members for a person whose origin
    organisation is a member too (for a project led by a member). A CAF in three networks
    thus counts its action for a person of Sens in Sens' network only, and its actions of each
    network's meetings in that network."""
    its_meetings = select(Meeting.id).where(Meeting.network_id == network_id)
    its_members = member_ids(network_id)
    its_persons = select(Person.id).where(Person.origin_organisation_id.in_(its_members))
    its_projects = select(Project.id).where(Project.lead_organisation_id.in_(its_members))
    # A CASE, not an OR: each action is checked where the figures' own index reads it. Given
    # an OR, SQLite's planner fetched every action of the network's persons one by one (four
    # seconds for the dashboard at a million actions instead of under one).
    return case(
        (Action.meeting_id.is_not(None), Action.meeting_id.in_(its_meetings)),
        else_=and_(
            Action.owner_organisation_id.in_(its_members),
            or_(Action.person_id.in_(its_persons), Action.project_id.in_(its_projects)),
        ),
    )


def own_networks(user):
    """The networks a user's pages start from (the directory lists their members first, the
    charter shown, the projects listed): a coordinator's current network; the networks of
    anyone else's organisation, in order (a one-network installation: that one)."""
    current = current_network_id(user)
    if current is not None:
        return [current]
    return organisation_networks(user.organisation_id)


def themes_in_reach(user):
    """The networks whose own themes a user's forms offer (besides the shared ones): a
    coordinator's current network; the networks of anyone else's organisation; all of them
    for administrators."""
    known = g.setdefault("themes_in_reach", {}) if has_request_context() else {}
    if user.id not in known:
        reach = networks_of(user) if user.role == Role.ADMIN else own_networks(user)
        known[user.id] = set(reach)
    return known[user.id]


def manages_theme(user, theme):
    """A coordinator changes their current network's own themes; the shared ones only on a
    one-network installation (renaming one would change every network's words)."""
    if user.role != Role.COORDINATOR:
        return False
    if theme is None:  # adding one: to the network the pages show
        return current_network_id(user) is not None
    if theme.network_id is None:
        return len(all_network_ids()) == 1
    return theme.network_id == current_network_id(user)


def meetings_in_reach(user):
    """SQL on meetings: those of the user's networks (coordinators), of their organisation's
    networks or to which it is invited (professionals), all (administrators), none (steering)."""
    if user.role == Role.ADMIN:
        return true()
    if user.role not in TAKING_PART:
        return false()
    in_networks = Meeting.network_id.in_(networks_of(user))
    if user.role == Role.COORDINATOR:
        return in_networks
    # An alias: the clause also filters queries that already join the invitations.
    invitation = aliased(MeetingInvitation)
    invited = (
        select(invitation.meeting_id)
        .where(
            invitation.meeting_id == Meeting.id,
            invitation.organisation_id == user.organisation_id,
        )
        .correlate(Meeting)
        .exists()
    )
    return or_(in_networks, invited)


def meetings_shown(user):
    """SQL on meetings: what the lists show: a coordinator's current network only."""
    current = current_network_id(user)
    if current is not None:
        return Meeting.network_id == current
    return meetings_in_reach(user)


def series_shown(user):
    """SQL on series: a coordinator's current network's; every series for the others who may
    see meetings (professionals see their organisation's networks')."""
    current = current_network_id(user)
    if current is not None:
        return MeetingSeries.network_id == current
    if user.role == Role.ADMIN:
        return true()
    if user.role not in TAKING_PART:
        return false()
    return MeetingSeries.network_id.in_(networks_of(user))


def reaches_meeting(user, meeting):
    """Whether a user may open a meeting at all (the same rule as `meetings_in_reach`), with
    the meeting's invitations already loaded."""
    if user.role == Role.ADMIN:
        return True
    if user.role not in TAKING_PART:
        return False
    if meeting.network_id in networks_of(user):
        return True
    invited = {invitation.organisation_id for invitation in meeting.invitations}
    return user.role == Role.PROFESSIONAL and user.organisation_id in invited


def check_meeting(meeting):
    """404 (and an audit row) for a meeting of another network: not-yours reads as not-found."""
    require(reaches_meeting(current_user, meeting), f"meeting {meeting.id}", status=404)
    return meeting


def check_series(series):
    """404 for a series of a network the coordinator does not coordinate."""
    allowed = current_user.role == Role.ADMIN or series.network_id in networks_of(current_user)
    require(allowed, f"series {series.id}", status=404)
    return series


def network_in_view(user):
    """The network a coordinator's new series or meeting belongs to: the one their pages show
    (404 when they coordinate none: there is nowhere to put it)."""
    current = current_network_id(user)
    require(current is not None, "no network", status=404)
    return current


def reads_steering_figures(user, _obj=None):
    """The steering role reads every network's figures, never a person nor a meeting."""
    return user.role == Role.STEERING


# --- Projects ------------------------------------------------------------------------------


def reads_projects(user, _obj=None):
    """Every member organisation of the network reads projects and their collective actions:
    no person data is involved (administering is not taking part, so not administrators)."""
    return user.role in {Role.PROFESSIONAL, Role.COORDINATOR}


def manages_project(user, project):
    """The coordinators of a network the lead organisation belongs to, and the members of the
    lead organisation, change a project."""
    if user.role == Role.COORDINATOR:
        led_by = member_ids(*networks_of(user)).where(
            network_members.c.organisation_id == project.lead_organisation_id
        )
        return db.session.execute(led_by).first() is not None
    return user.role == Role.PROFESSIONAL and user.organisation_id == project.lead_organisation_id


def projects_shown(user):
    """SQL on projects: those led by a member of the networks the user's lists show (a
    coordinator's current network, a professional's organisation's networks), and those the
    user's organisation leads or contributes to wherever they are."""
    led_nearby = Project.lead_organisation_id.in_(member_ids(*own_networks(user)))
    own = Project.lead_organisation_id == user.organisation_id
    return or_(led_nearby, own, Project.contributors.any(id=user.organisation_id))


# --- Changes ---------------------------------------------------------------------------------


def is_admin(user, _obj=None):
    """Administrators only."""
    return user.role == Role.ADMIN


def runs_the_network(user, _obj=None):
    """Coordinators and administrators."""
    return user.role in {Role.COORDINATOR, Role.ADMIN}


def manages_charter(user, network_id):
    """Administrators, and the network's coordinators, publish its charter and record who
    signed it."""
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.COORDINATOR and network_id in networks_of(user)


def charter_network(user, requested=None):
    """The network whose charter a page shows: the one asked for (404 when no network has that
    id: every charter may be read), else the reader's own, else the first network."""
    everyone = all_network_ids()
    if requested is not None:
        require(requested in everyone, "no network", status=404)
        return requested
    own = own_networks(user)
    require(bool(own or everyone), "no network", status=404)
    return own[0] if own else everyone[0]


def runs_the_network_or_member(user, organisation):
    """Coordinators and administrators, or a member of the organisation itself."""
    return runs_the_network(user) or user.organisation_id == organisation.id


# verb -> rule(user, object). A verb missing here is refused.
RULES = {
    "manage_accounts": is_admin,
    "reset_second_factor": is_admin,
    "turn_off_second_factor": lambda user, _obj=None: not second_factor_required(user),
    "read_audit": is_admin,
    "administer_organisation": is_admin,
    "create_organisation": runs_the_network,
    "edit_entry": runs_the_network_or_member,
    "import_directory": runs_the_network,
    "review_directory": runs_the_network,
    "manage_charter": manages_charter,
    "manage_glossary": runs_the_network,
    "follow_people": follows_people,
    "receive_notifications": follows_people,
    "follow_every_situation": follows_every_situation,
    "look_at_other_organisations": looks_at_other_organisations,
    "be_referent": may_be_referent,
    "create_person": lambda user, _obj=None: user.role in {Role.PROFESSIONAL, Role.COORDINATOR},
    "manage_person": manages_person,
    "run_meetings": lambda user, _obj=None: user.role == Role.COORDINATOR,
    "manage_themes": manages_theme,
    # A partner answers a convocation for its own organisation; the coordinator for any.
    "reply_for": lambda user, organisation_id: (
        user.role == Role.COORDINATOR
        or (user.role == Role.PROFESSIONAL and user.organisation_id == organisation_id)
    ),
    "propose_situation": lambda user, person: (
        user.role == Role.COORDINATOR or person_access(user, person).identified
    ),
    "write_note": lambda user, person: person_access(user, person).identified,
    "change_action_status": owns_action,
    "take_action": owns_action,
    "annotate_action": annotates_action,
    "evaluate_action": lambda user, action: (
        owns_action(user, action) or user.role == Role.COORDINATOR
    ),
    "reassign_action": lambda user, _action: user.role == Role.COORDINATOR,
    "edit_action": lambda user, action: owns_action(user, action) or user.role == Role.COORDINATOR,
    "read_projects": reads_projects,
    "create_project": reads_projects,
    "manage_project": manages_project,
    "add_collective_action": manages_project,
    "print_plan": lambda user, person: person_access(user, person).identified,
    "orient_person": orients_person,
    "answer_orientation": answers_orientation,
    "read_orientation": reads_orientation,
    "mark_same_person": lambda user, _person=None: user.role == Role.COORDINATOR,
    "switch_network": switches_networks,
    "read_steering_figures": reads_steering_figures,
    "manage_networks": is_admin,
}


def can(user, verb, obj=None):
    """Decide whether a user may do something to an object; every change asks here."""
    if not (user.is_authenticated and user.active):
        return False
    rule = RULES.get(verb)
    return rule is not None and rule(user, obj)
