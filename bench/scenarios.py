"""The pages `make bench` measures, as whom, their targets (quality.md), and the ids they need."""

import re
from dataclasses import dataclass, field

from .serving import DEMO_PASSWORD, adopt

ADMIN = "admin@maillage.example"
COORDINATOR = "coordination@maillage.example"
REFERENT = "referente.ccas@maillage.example"
PARTNER = "caf@maillage.example"


@dataclass
class Scenario:
    """One page to measure, as whom, and the target it must reach."""

    name: str
    path: str
    login: str | None = None
    headers: dict = field(default_factory=dict)
    min_ratio: float | None = None
    max_p95_ms: float | None = None


SCENARIOS = [
    Scenario("login page, anonymous", "/login"),
    Scenario("account page, coordinator", "/account", COORDINATOR),
    Scenario("accounts list, admin (50 a page)", "/admin/users", ADMIN),
    Scenario(
        "accounts search as you type (htmx fragment)",
        "/admin/users?q=mar",
        ADMIN,
        {"HX-Request": "true"},
    ),
    Scenario("audit log, admin (50 a page)", "/admin/audit", ADMIN),
    Scenario(
        "directory search as you type, 'sante' (htmx fragment)",
        "/directory?q=sante",
        COORDINATOR,
        {"HX-Request": "true"},
    ),
    Scenario("partnership charter (300 organisations)", "/charter", COORDINATOR),
    Scenario(
        "a person's plan (Hélène Durand, {helene_actions} actions), as référent, audited",
        "/people/{helene}",
        REFERENT,
        min_ratio=0.30,
    ),
    Scenario(
        "a person's plan with 200 actions across 20 organisations, as référent",
        "/people/{karim}",
        REFERENT,
        min_ratio=0.15,
    ),
    Scenario(
        "my actions, CAF professional ({caf_open} open actions, 50 a page)",
        "/actions",
        PARTNER,
        min_ratio=0.25,
    ),
    Scenario(
        "person search 'helene', all I may see (htmx fragment)",
        "/people?show=all&q=helene",
        REFERENT,
        {"HX-Request": "true"},
        max_p95_ms=50,
    ),
    Scenario(
        "person search 'helene', coordinator (htmx fragment)",
        "/people?show=all&q=helene",
        COORDINATOR,
        {"HX-Request": "true"},
        max_p95_ms=50,
    ),
    Scenario("persons list, coordinator (100,000 under reference)", "/people", COORDINATOR),
    Scenario(
        "live meeting page, 12 situations and 40 actions, coordinator",
        "/meetings/{busy_meeting}?review={busy_review}",
        COORDINATOR,
        min_ratio=0.25,
    ),
    Scenario("meetings list and participation, coordinator", "/meetings", COORDINATOR),
    Scenario(
        "coordinator dashboard over the whole network", "/dashboard", COORDINATOR, max_p95_ms=150
    ),
]


def targets(env):
    """Ids the scenarios' URLs need, read from the demo database."""
    from sqlalchemy import func, select

    from coordination import create_app
    from coordination.db import db
    from coordination.models import OPEN_STATUSES, Action, CaseReview, Meeting, Person, User

    adopt(env)
    with create_app().app_context():
        referent = select(User.id).where(User.email == REFERENT).scalar_subquery()
        helene, karim = (
            # The named demo persons are made last: the highest id among namesakes.
            db.session.execute(
                select(func.max(Person.id)).where(
                    Person.search_name == name, Person.referent_id == referent
                )
            ).scalar_one()
            for name in ("helene durand", "karim benali")
        )
        # The most recent of the busy meetings of `demo-data` (12 situations, 40 actions).
        busy_meeting, busy_review = db.session.execute(
            select(Meeting.id, func.min(CaseReview.id))
            .join(CaseReview, CaseReview.meeting_id == Meeting.id)
            .group_by(Meeting.id)
            .having(func.count(CaseReview.id) == 12)
            .order_by(Meeting.starts_at.desc())
            .limit(1)
        ).one()
        partner = db.session.execute(select(User).where(User.email == PARTNER)).scalar_one()
        count = select(func.count()).select_from(Action)
        helene_actions = db.session.execute(count.where(Action.person_id == helene)).scalar()
        caf_open = db.session.execute(
            count.where(
                Action.owner_organisation_id == partner.organisation_id,
                Action.status.in_(OPEN_STATUSES),
            )
        ).scalar()
    return {
        "helene": helene,
        "busy_meeting": busy_meeting,
        "busy_review": busy_review,
        "karim": karim,
        "helene_actions": helene_actions,
        "caf_open": caf_open,
    }


def queries_per_request(env, scenario):
    """Count the SQL statements one request of the scenario runs, in process."""
    from sqlalchemy import event

    from coordination import create_app
    from coordination.db import db

    adopt(env)
    app = create_app()
    client = app.test_client()
    if scenario.login:
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        client.post("/login", data={"email": scenario.login, "password": DEMO_PASSWORD,
                                    "csrf_token": token})  # fmt: skip
    client.get(scenario.path, headers=scenario.headers)  # warm the caches
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    client.get(scenario.path, headers=scenario.headers)
    event.remove(engine, "before_cursor_execute", listener)
    # As the tests count them: transaction control, and PostgreSQL's lock that orders audit
    # rows, are not queries.
    return sum(1 for s in statements if not s.startswith(("BEGIN", "COMMIT", "SELECT pg_advisory")))


def verdict(scenario, ratio, p95):
    """'' when the scenario's own target is met (or it has none), else what was missed."""
    if scenario.min_ratio is not None and ratio < scenario.min_ratio:
        return f"{scenario.min_ratio:.2f} × MISSED"
    if scenario.max_p95_ms is not None and p95 > scenario.max_p95_ms:
        return f"p95 {scenario.max_p95_ms:.0f} ms MISSED"
    return ""
