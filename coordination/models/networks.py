"""Local networks of a département: each has its members, coordinators, series and meetings."""

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String, Table, event, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ..clock import utcnow
from ..db import db
from .accounts import User
from .directory import Organisation

NETWORK_NAME_LENGTH = 120
TERRITORY_LENGTH = 200
# The first network's name when the installation names none (the migration uses it too).
FIRST_NETWORK_NAME = "Réseau local"

network_coordinators = Table(
    "network_coordinators",
    db.metadata,
    Column("network_id", Integer, ForeignKey("networks.id"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True, index=True),
)

network_members = Table(
    "network_members",
    db.metadata,
    Column("network_id", Integer, ForeignKey("networks.id"), primary_key=True),
    Column(
        "organisation_id", Integer, ForeignKey("organisations.id"), primary_key=True, index=True
    ),
)


def member_ids(*network_ids):
    """SQL: the ids of the organisations belonging to any of these networks."""
    return select(network_members.c.organisation_id).where(
        network_members.c.network_id.in_(network_ids)
    )


class Network(db.Model):
    """A local network (réseau local, comité local): a name, a territory, its people."""

    __tablename__ = "networks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NETWORK_NAME_LENGTH), unique=True)
    territory: Mapped[str] = mapped_column(String(TERRITORY_LENGTH), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    members: Mapped[list[Organisation]] = relationship(
        secondary=network_members, order_by=Organisation.name
    )
    coordinators: Mapped[list[User]] = relationship(
        secondary=network_coordinators, order_by=User.name
    )

    def __repr__(self):
        return f"<Network {self.id} {self.name!r}>"


def sole_network_id(session):
    """The id of the only network, or None when there are none or several."""
    rows = session.execute(select(Network.id).order_by(Network.id).limit(2)).scalars().all()
    return rows[0] if len(rows) == 1 else None


@event.listens_for(Session, "before_flush")
def attach_to_network(session, _context, _instances):
    """A series or meeting saved without its network: a meeting takes its series' network;
    on a one-network installation, that network (several networks: the caller must say)."""
    from .meetings import Meeting, MeetingSeries

    pending = [
        obj
        for obj in session.new
        if isinstance(obj, Meeting | MeetingSeries) and obj.network_id is None
    ]
    for obj in pending:
        series = getattr(obj, "series", None)
        if series is None and getattr(obj, "series_id", None):
            series = session.get(MeetingSeries, obj.series_id)
        if series is not None and series.network_id is not None:
            obj.network_id = series.network_id
            continue
        with session.no_autoflush:
            only = sole_network_id(session)
        if only is None:
            raise ValueError(f"{obj!r} needs a network: this installation has several or none")
        obj.network_id = only


def count_networks():
    """How many networks the installation has."""
    return db.session.execute(select(func.count()).select_from(Network)).scalar_one()
