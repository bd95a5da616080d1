"""Demo projects: six of the Joigny charter's collective projects, in various states, with
their collective actions and the progress noted at the last meetings."""

from datetime import timedelta

from sqlalchemy import func, select

from ..clock import today, utcnow
from ..db import db
from ..models import (
    Action,
    ActionStatus,
    Horizon,
    Meeting,
    MeetingStatus,
    Network,
    Project,
    ProjectEntry,
    ProjectEntryKind,
    ProjectStatus,
    Theme,
    User,
)

S = ProjectStatus
A = ActionStatus
# (title, axis, lead, contributors, status, reason, started days ago, aim, progress notes,
#  collective actions: (owner, title, status, due in days))
PROJECTS = [
    ("Épicerie sociale", Theme.FOOD, "ccas", ["caf", "crf"], S.RUNNING, "", 240,
     "Une épicerie à prix réduits, ouverte aux familles orientées par les partenaires.",
     ["Local trouvé rue Carnot ; ouverture prévue au printemps.",
      "Ouverture le samedi matin ; 40 familles inscrites."],
     [("ccas", "Trouver un local", A.DONE, -60),
      ("crf", "Convention avec la Banque alimentaire", A.IN_PROGRESS, 20),
      ("caf", "Définir des critères d'accès communs", A.PLANNED, -10)]),
    ("Actions collectives sur les économies d'énergie", Theme.HOUSING, "cd", ["ccas", "rs"],
     S.PREPARING, "", 60,
     "Des ateliers éco-gestes et un repérage des familles en précarité énergétique.",
     ["Deux bailleurs intéressés ; premier atelier à caler."],
     [("rs", "Organiser un atelier éco-gestes", A.PLANNED, 30),
      ("ccas", "Recenser les familles en précarité énergétique", A.IN_PROGRESS, -5)]),
    ("Femmes victimes de violences conjugales", Theme.DOMESTIC_VIOLENCE, "cd",
     ["ch", "crf", "spip"], S.RUNNING, "", 300,
     "Un parcours d'accueil coordonné, des urgences à l'hébergement.",
     ["Protocole signé avec les urgences ; permanence à lancer."],
     [("ch", "Protocole d'accueil aux urgences", A.DONE, -90),
      ("crf", "Ouvrir une permanence d'écoute mensuelle", A.PLANNED, 45)]),
    ("Action mobilité", Theme.MOBILITY, "ml", ["ccas"], S.IDEA, "", 0,
     "Permis solidaire et transport vers l'emploi pour les jeunes du Jovinien.", [], []),
    ("Actions logement avec la ville", Theme.HOUSING, "ccas", ["rs", "cd"], S.DONE, "", 400,
     "Un circuit commun pour les demandes urgentes de logement avec le service de la ville.",
     ["Circuit en place ; bilan présenté au comité de pilotage."],
     [("ccas", "Fiche de liaison avec la ville", A.DONE, -200),
      ("rs", "Réserver deux logements d'urgence", A.DONE, -150)]),
    ("Jardins familiaux", Theme.FOOD, "crf", ["ccas"], S.ABANDONED,
     "Le terrain proposé par la ville n'est plus disponible.", 180,
     "Des parcelles cultivées par les familles du quartier.", [], []),
]  # fmt: skip


def build(core, rng):
    """Write the projects, their history and collective actions (seeded, repeatable)."""
    coordinator = db.session.execute(
        select(User).where(User.email.like("coordination@%"))
    ).scalar_one()
    held = (
        db.session.execute(
            select(Meeting)
            .where(
                Meeting.status == MeetingStatus.CLOSED,
                Meeting.network_id == select(func.min(Network.id)).scalar_subquery(),
            )
            .order_by(Meeting.starts_at.desc())
            .limit(2)
        )
        .scalars()
        .all()
    )
    day, now = today(), utcnow()
    for (title, theme, lead, contributors, status, reason, started, aim, notes,
         actions) in PROJECTS:  # fmt: skip
        project = Project(
            title=title, theme=theme, lead_organisation_id=core[lead].id, aim=aim,
            status=status, status_reason=reason, created_by_id=coordinator.id,
            starts_on=day - timedelta(days=started) if started else None,
            ends_on=day + timedelta(days=rng.choice([180, 365])) if status != S.DONE else day,
            created_at=now - timedelta(days=started + 20),
        )  # fmt: skip
        project.contributors = [core[key] for key in contributors]
        db.session.add(project)
        db.session.flush()
        db.session.add(ProjectEntry(project_id=project.id, kind=ProjectEntryKind.CREATED,
                                    author_id=coordinator.id, to_status=S.IDEA,
                                    created_at=project.created_at))  # fmt: skip
        if status != S.IDEA:
            db.session.add(ProjectEntry(project_id=project.id, kind=ProjectEntryKind.STATUS,
                                        author_id=coordinator.id, from_status=S.IDEA,
                                        to_status=status, note=reason,
                                        created_at=now - timedelta(days=10)))  # fmt: skip
        for note, meeting in zip(notes, reversed(held), strict=False):
            db.session.add(ProjectEntry(project_id=project.id, kind=ProjectEntryKind.PROGRESS,
                                        author_id=coordinator.id, meeting_id=meeting.id,
                                        note=note, created_at=meeting.ends_at))  # fmt: skip
        for owner, action_title, action_status, due_in in actions:
            due_on = day + timedelta(days=due_in)
            db.session.add(collective_action(project, core[owner], action_title, action_status,
                                             due_on, coordinator, held))  # fmt: skip
    db.session.commit()


def collective_action(project, owner, title, status, due_on, coordinator, held):
    """One collective action, agreed at the last meeting held when there is one."""
    return Action(
        project_id=project.id, owner_organisation_id=owner.id, title=title, due_on=due_on,
        horizon=Horizon.SHORT, theme=project.theme, status=status, status_changed_at=utcnow(),
        done_on=min(due_on, today()) if status == ActionStatus.DONE else None,
        meeting_id=held[0].id if held else None, created_by_id=coordinator.id,
    )  # fmt: skip
