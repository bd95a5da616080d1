"""The coordinator's dashboard: figures computed by hand on a small network, the export agrees."""

import csv
import io
import re
import statistics
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select
from werkzeug.test import EnvironBuilder, run_wsgi_app

from coordination.clock import today, utcnow
from coordination.db import db
from coordination.models import (
    Action,
    ActionStatus,
    Attendance,
    Evaluation,
    Meeting,
    MeetingInvitation,
    MeetingSeries,
    MeetingStatus,
    Organisation,
    RenderedPiece,
    Role,
    Theme,
)
from tests.factories import (
    make_action,
    make_charter,
    make_organisation,
    make_person,
    make_signature,
    make_user,
)
from tests.helpers import counted_queries, sign_in, text

S = ActionStatus


def held_meeting(days_ago, attendance, series=None):
    """A closed meeting `days_ago`, with each organisation's attendance."""
    starts = (utcnow() - timedelta(days=days_ago)).replace(hour=8, minute=0)
    meeting = Meeting(
        title="Rencontre",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        status=MeetingStatus.CLOSED,
        series_id=series.id if series else None,
    )
    meeting.invitations = [
        MeetingInvitation(organisation_id=o.id, attendance=a) for o, a in attendance
    ]
    db.session.add(meeting)
    db.session.commit()
    return meeting


@pytest.fixture
def network(organisation):
    """Two partners, two meetings, eight actions whose figures are worked out by hand."""
    caf, cmp = make_organisation(name="CAF de l'Yonne"), make_organisation(name="CMP adultes")
    series = MeetingSeries(
        title="Jovinien",
        interval_months=2,
        weekday=4,
        week_of_month=2,
        start_time=utcnow().time(),
        first_month=today(),
    )
    db.session.add(series)
    db.session.commit()
    first = held_meeting(100, [(caf, Attendance.PRESENT), (cmp, Attendance.ABSENT)], series)
    second = held_meeting(40, [(caf, Attendance.PRESENT), (cmp, Attendance.PRESENT)], series)
    person = make_person(make_user(organisation=organisation), last_name="Durand")
    day_one, day_two = (m.starts_at.date() for m in (first, second))

    def done(owner, meeting_day, meeting, after, due_after, **fields):
        return make_action(
            person,
            owner,
            status=S.DONE,
            meeting_id=meeting.id,
            done_on=meeting_day + timedelta(days=after),
            due_on=meeting_day + timedelta(days=due_after),
            **fields,
        )

    done(caf, day_one, first, 20, 30, evaluation=Evaluation.ACHIEVED, theme=Theme.INCOME)
    done(caf, day_one, first, 50, 30, evaluation=Evaluation.PARTLY)
    done(caf, day_two, second, 10, 30)
    make_action(person, caf, status=S.IN_PROGRESS, due_in_days=-5)
    make_action(person, cmp, status=S.BLOCKED, due_in_days=10)
    make_action(person, cmp, status=S.PLANNED, due_in_days=-3)
    done(cmp, day_two, second, 30, 20, evaluation=Evaluation.NOT_ACHIEVED)
    make_action(person, cmp, status=S.CANCELLED, due_in_days=-60)
    return {
        "caf": caf,
        "cmp": cmp,
        "series": series,
        "person": person,
        "first": first,
        "second": second,
    }


def row(page, name):
    """The cells of a table row, by the name in its header cell, as plain text."""
    match = re.search(
        rf"<tr[^>]*>\s*<th scope=\"row(?:group)?\"[^>]*>{re.escape(name)}</th>(.*?)</tr>",
        page,
        re.S,
    )
    assert match, f"no row for {name}"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


def test_every_figure_is_right(client, login_as, network):
    login_as(Role.COORDINATOR)
    page = text(client.get("/dashboard"))
    # open, overdue, blocked, done, median days, done in time, participation
    assert row(page, "CAF de l&#39;Yonne") == ["1", "1", "0", "3", "20", "67 %", "100 % (2/2)"]
    assert row(page, "CMP adultes") == ["2", "1", "1", "1", "30", "0 %", "50 % (1/2)"]
    assert row(page, "The whole network") == ["3", "2", "1", "4", "25", "50 %", "75 % (3/4)"]


def test_each_figure_links_to_its_actions(client, login_as, network):
    login_as(Role.COORDINATOR)
    page = text(client.get("/dashboard"))
    links = re.findall(r'href="(/actions\?[^"]*)"', page.replace("&amp;", "&"))
    overdue = [
        link
        for link in links
        if f"organisation={network['cmp'].id}" in link and "due=overdue" in link
    ]
    assert overdue, "the overdue figure of the CMP links to its actions"
    listed = text(client.get(overdue[0]))
    assert "1 action" in listed and network["person"].reference in listed


def test_filters_by_partner_theme_and_series(client, login_as, network):
    login_as(Role.COORDINATOR)
    caf_only = text(client.get(f"/dashboard?organisation={network['caf'].id}"))
    assert "CMP adultes" not in caf_only.split("Follow-up per partner")[1].split("</table>")[0]
    income = text(client.get("/dashboard?theme=income"))
    assert row(income, "The whole network")[3] == "1"  # one done action of that theme
    series = text(client.get(f"/dashboard?series={network['series'].id}"))
    assert row(series, "The whole network")[3] == "4"  # the done ones came from its meetings


def test_evaluations_by_horizon_partner_and_theme(client, login_as, network):
    login_as(Role.COORDINATOR)
    page = text(client.get("/dashboard"))
    assert "Evaluation outcomes by horizon" in page and "<svg" in page
    evaluated = page.split("Did the actions reach their aim?")[1]
    caf = row(evaluated, "CAF de l&#39;Yonne")
    assert caf[0].startswith("short term") and caf[1:] == ["1", "1", "0"]
    assert "Income" in evaluated or "Ressources" in evaluated


def test_the_trend_counts_each_month(client, login_as, network):
    login_as(Role.COORDINATOR)
    trend = text(client.get("/dashboard")).split('id="trend-title"')[1].split("</table>")[0]
    months = re.findall(r'<th scope="row">[^<]+</th><td>(\d+)</td><td>(\d+)</td>', trend)
    first = network["first"].starts_at.date()
    second = network["second"].starts_at.date()
    done_on = [first + timedelta(days=20), first + timedelta(days=50)]
    done_on += [second + timedelta(days=10), second + timedelta(days=30)]

    def position(day):
        """Where a day's month stands among the twelve, the current month last."""
        current = today()
        return 11 - (current.year * 12 + current.month - day.year * 12 - day.month)

    expected = [[0, 0] for _ in range(12)]
    expected[position(today())][0] = 8  # every action was agreed today
    for day in done_on:
        expected[position(day)][1] += 1
    assert [[int(agreed), int(done)] for agreed, done in months] == expected


def test_the_trend_counts_months_in_paris_time(client, login_as, network):
    login_as(Role.COORDINATOR)
    first_of_month = today().replace(day=1)
    # 23:30 UTC on the last day of the previous month is already this month in Paris.
    late_evening = datetime.combine(first_of_month - timedelta(days=1), time(23, 30), tzinfo=UTC)
    make_action(network["person"], network["caf"], created_at=late_evening)
    trend = text(client.get("/dashboard")).split('id="trend-title"')[1].split("</table>")[0]
    agreed = [int(a) for a, _d in re.findall(r"<td>(\d+)</td><td>(\d+)</td>", trend)]
    assert agreed[-2:] == [0, 9]


def test_the_directory_health(client, login_as, network):
    login_as(Role.COORDINATOR)
    version = make_charter()
    make_signature(version, network["caf"])
    active = db.session.execute(select(Organisation).where(Organisation.active)).scalars().all()
    for organisation in active:
        organisation.confirmed_at = utcnow() - timedelta(days=30)
    network["cmp"].confirmed_at = utcnow() - timedelta(days=400)
    db.session.commit()
    health = text(client.get("/dashboard")).split('id="directory-title"')[1]
    assert "1 entry to be checked" in health
    # every active organisation is a member of the one network here; the CAF signed
    assert f"{len(active) - 1} members have not signed the network's charter" in health


def test_the_export_gives_the_same_figures(client, login_as, network):
    login_as(Role.COORDINATOR)
    page = text(client.get("/dashboard"))
    response = client.get("/dashboard/export.csv")
    assert response.mimetype == "text/csv" and response.data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert "Durand" not in response.data.decode("utf-8-sig")  # references only
    for name in ("CAF de l'Yonne", "CMP adultes"):
        mine = [r for r in rows if r["Partner"] == name]
        still_open = [r for r in mine if r["Status"] in ("Planned", "In progress", "Blocked")]
        done = [r for r in mine if r["Done on"]]
        days = [int(r["Days from meeting to done"]) for r in done]
        in_time = [r for r in done if r["Done in time"] == "yes"]
        expected = [
            str(len(still_open)),
            str(sum(r["Overdue"] == "yes" for r in mine)),
            str(sum(r["Status"] == "Blocked" for r in mine)),
            str(len(done)),
            f"{statistics.median(days):.0f}",
            f"{round(100 * len(in_time) / len(done))} %",
        ]
        assert row(page, name.replace("'", "&#39;"))[:6] == expected


def test_the_export_is_streamed(app, client, login_as, network):
    login_as(Role.COORDINATOR)
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    environ = EnvironBuilder(
        path="/dashboard/export.csv", headers={"Cookie": f"{cookie.key}={cookie.value}"}
    ).get_environ()
    body, status, headers = run_wsgi_app(app.wsgi_app, environ, buffered=False)
    assert status.startswith("200") and "Content-Length" not in headers
    first = next(body)  # a first chunk is sent before the other rows are read
    rest = b"".join(body)
    body.close()
    rows = list(csv.reader(io.StringIO((first + rest).decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 9


def test_no_identity_anywhere(client, login_as, network):
    login_as(Role.COORDINATOR)
    for path in ("/dashboard", "/dashboard/report", "/dashboard/export.csv"):
        assert "Durand" not in client.get(path).get_data(as_text=True)


def test_the_query_count_does_not_grow(app, client, login_as, network, organisation):
    app.config["DASHBOARD_CACHE_SECONDS"] = 0  # compute the figures on every view
    login_as(Role.COORDINATOR)
    counts = []
    for extra in (0, 40):
        for number in range(extra):
            make_action(network["person"], make_organisation(name=f"Partenaire {number}"))
        client.get("/dashboard")
        with counted_queries(app) as statements:
            assert client.get("/dashboard").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-05-01&end=2026-01-01", "The end date is before the start date"),
        ("start=1990-01-01&end=2040-01-01", "ten years at most"),
        ("organisation=999999", "Not a valid choice"),
        ("theme=astrology", "Not a valid choice"),
        ("series=abc", "Not a valid choice"),
        ("start=31/02/2026", "Write a real date"),
    ],
)
def test_bad_filters_are_explained(client, login_as, network, query, message):
    login_as(Role.COORDINATOR)
    for path in ("/dashboard", "/dashboard/report", "/dashboard/export.csv"):
        assert client.get(f"{path}?{query}").status_code == 200
    page = text(client.get(f"/dashboard?{query}"))
    assert message in page and "Some filters are not valid" in page
    assert row(page, "The whole network")[0] == "3"  # the default scope is shown meanwhile


def test_the_report_prints_the_same_figures(client, login_as, network):
    login_as(Role.COORDINATOR)
    report = text(client.get("/dashboard/report"))
    assert "steering committee" in report
    assert row(report, "CMP adultes") == ["2", "1", "1", "1", "30", "0 %", "50 % (1/2)"]


def test_figures_are_kept_until_an_action_changes(app, client, login_as, network):
    coordinator = login_as(Role.COORDINATOR)
    with counted_queries(app) as first:
        client.get("/dashboard")
    with counted_queries(app) as again:
        assert row(text(client.get("/dashboard")), "The whole network")[0] == "3"
    assert len(again) < len(first) - 5  # kept: no figure computed again
    make_action(network["person"], network["caf"], status=S.PLANNED)
    assert row(text(client.get("/dashboard")), "The whole network")[0] == "4"
    coordinator.language = "fr"
    db.session.commit()
    assert "Tout le réseau" in text(client.get("/dashboard"))  # each language has its own


def test_figures_are_shared_by_every_worker(app, make_app, client, login_as, network):
    """A second application (another worker or server) reads the figures the first kept."""
    coordinator = login_as(Role.COORDINATOR)
    with counted_queries(app) as first:
        client.get("/dashboard")
    other = make_app()
    other_client = other.test_client()
    sign_in(other_client, coordinator.email)
    with counted_queries(other) as again:
        assert row(text(other_client.get("/dashboard")), "The whole network")[0] == "3"
    assert len(again) < len(first) - 5  # not computed again by the second worker
    assert db.session.execute(select(RenderedPiece.key)).scalars().all() != []


def test_figures_are_computed_again_when_an_action_changes_status(client, login_as, network):
    from coordination.actions import changes

    coordinator = login_as(Role.COORDINATOR)
    client.get("/dashboard")
    assert len(db.session.execute(select(RenderedPiece.key)).all()) == 1
    action = db.session.execute(select(Action).where(Action.status == S.IN_PROGRESS)).scalar_one()
    changes.change_status(action, coordinator, S.DONE, "", None, action.version, "done-now")
    db.session.commit()
    client.get("/dashboard")
    # the stamp moved (a log row): a new piece, not the one kept before the change
    assert len(db.session.execute(select(RenderedPiece.key)).all()) == 2


def test_a_piece_is_never_served_to_a_reader_of_another_role(app, network, organisation):
    from flask_login import login_user

    from coordination.dashboard.cache import kept

    made = []

    def make():
        made.append(1)
        return "figures"

    for role in (Role.COORDINATOR, Role.COORDINATOR, Role.PROFESSIONAL, Role.ADMIN):
        reader = make_user(role=role, organisation=organisation)
        with app.test_request_context("/dashboard"):
            login_user(reader)
            assert kept("scope", True, make) == "figures"
            db.session.commit()
    # the second coordinator reads the first one's piece; each other role gets its own
    assert len(made) == 3


def kept_for(app, reader, make):
    """The dashboard's `kept` for one reader, as a request of theirs would call it."""
    from flask_login import login_user

    from coordination.dashboard.cache import kept

    with app.test_request_context("/dashboard"):
        login_user(reader)
        page = kept("scope", True, make)
        db.session.commit()
    return page


def claim_rows():
    """The rows that say someone is working out figures."""
    return db.session.execute(select(RenderedPiece).where(RenderedPiece.html == "")).all()


def test_readers_wait_for_the_figures_another_is_working_out(app, organisation):
    """Of readers who find the figures missing at once, one works them out, the others wait."""
    import threading

    from flask_login import login_user

    from coordination.dashboard import cache

    reader = make_user(role=Role.COORDINATOR, organisation=organisation)
    with app.test_request_context("/dashboard"):
        login_user(reader)
        key = cache.piece_key("scope", True)
        assert cache.claimed(key)  # another worker started on them
        assert not cache.claimed(key)  # a live claim is not taken twice

    def the_other_worker_finishes():
        with app.app_context():
            cache.keep(key, "their figures", 60)
            cache.release(key)

    threading.Timer(0.3, the_other_worker_finishes).start()
    made = []
    assert kept_for(app, reader, lambda: made.append(1) or "mine") == "their figures"
    assert made == []
    assert claim_rows() == []


def test_a_claim_left_by_a_crashed_worker_stops_blocking(app, organisation):
    from flask_login import login_user

    from coordination.dashboard import cache

    reader = make_user(role=Role.COORDINATOR, organisation=organisation)
    with app.test_request_context("/dashboard"):
        login_user(reader)
        key = cache.piece_key("scope", True)
        stale = RenderedPiece(key=cache.claim_of(key), html="", expires_at=utcnow())
        db.session.add(stale)
        db.session.commit()
    assert kept_for(app, reader, lambda: "figures") == "figures"  # no wait for a dead claim
    assert claim_rows() == []


def test_the_claim_is_released_when_the_figures_fail(app, organisation):
    reader = make_user(role=Role.COORDINATOR, organisation=organisation)

    def broken():
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        kept_for(app, reader, broken)
    assert claim_rows() == []
    assert kept_for(app, reader, lambda: "figures") == "figures"
