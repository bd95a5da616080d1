"""The dashboard's orientation figures on a hand-built dataset, and the CSV export."""

from datetime import timedelta

from sqlalchemy import select

from coordination.clock import today, utcnow
from coordination.db import db
from coordination.models import DeclineReason, Orientation, OrientationStatus, Role
from coordination.orientations.figures import orientation_figures
from tests.factories import (
    make_organisation,
    make_orientation,
    make_person,
    make_service,
    make_user,
)
from tests.helpers import text


def dataset(organisation):
    """CCAS sends 6 orientations to the CAF, the Mission Locale sends 1 to the CCAS."""
    caf = make_organisation(name="CAF")
    mission = make_organisation(name="Mission Locale")
    caf_service, ccas_service = make_service(caf), make_service(organisation)
    sender = make_user(organisation=organisation)
    person = make_person(sender)
    now = utcnow()

    def sent(days_ago, status, answered_after=None, **fields):
        created = now - timedelta(days=days_ago)
        orientation = make_orientation(person, sender, caf_service)
        orientation.created_at = created
        orientation.status = status
        if answered_after is not None:
            orientation.first_answered_at = created + timedelta(days=answered_after)
            orientation.closed_at = orientation.first_answered_at
        for name, value in fields.items():
            setattr(orientation, name, value)
        return orientation

    sent(20, OrientationStatus.ACCEPTED, 2)
    sent(19, OrientationStatus.ACCEPTED, 4)
    sent(18, OrientationStatus.DECLINED, 6, decline_reason=DeclineReason.NO_CAPACITY)
    sent(17, OrientationStatus.DECLINED, 9, decline_reason=DeclineReason.NOT_ELIGIBLE)
    sent(35, OrientationStatus.EXPIRED, closed_at=now - timedelta(days=5))
    sent(3, OrientationStatus.UNDER_REVIEW, 1)
    make_orientation(make_person(make_user(organisation=mission)),
                     make_user(organisation=mission), ccas_service)  # fmt: skip
    db.session.commit()
    return caf, mission


def test_figures_per_partner(app, organisation):
    dataset(organisation)
    rows = {name: row for _id, name, row in orientation_figures(today() - timedelta(days=60),
                                                                 today())}  # fmt: skip
    assert set(rows) == {"CAF", "CCAS de Joigny", "Mission Locale"}
    caf_row = rows["CAF"]
    assert (caf_row.sent, caf_row.received, caf_row.accepted) == (0, 6, 2)
    assert caf_row.declined == {DeclineReason.NO_CAPACITY: 1, DeclineReason.NOT_ELIGIBLE: 1}
    assert (caf_row.expired, caf_row.waiting) == (1, 1)
    assert caf_row.median_days == 4.0  # answers after 1, 2, 4, 6, 9 days
    ccas = rows["CCAS de Joigny"]
    assert (ccas.sent, ccas.received, ccas.waiting, ccas.median_days) == (6, 1, 1, None)
    assert rows["Mission Locale"].sent == 1
    # The period counts orientations by their sending day: 30 days leave the expired one out.
    recent = {name: row for _id, name, row in orientation_figures(today() - timedelta(days=30),
                                                                   today())}  # fmt: skip
    assert recent["CAF"].received == 5 and recent["CAF"].expired == 0


def test_dashboard_and_export_show_them(app, client, login_as, organisation):
    dataset(organisation)
    login_as(Role.COORDINATOR)
    start = (today() - timedelta(days=60)).isoformat()
    page = text(client.get(f"/dashboard?start={start}&end={today().isoformat()}"))
    assert "Orientations between meetings" in page
    assert 'class="declined-no_capacity">1<' in page and 'class="median">4<' in page
    export = text(client.get(f"/dashboard/export.csv?start={start}&end={today().isoformat()}"))
    lines = [line for line in export.splitlines() if "Orientation from" in line]
    assert len(lines) == 7
    assert any("declined (no capacity)" in line for line in lines)
    references = {o.person.reference for o in db.session.execute(select(Orientation)).scalars()}
    assert all(any(reference in line for reference in references) for line in lines)
    assert "Durand" not in export
