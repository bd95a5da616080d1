"""Telling the receiver and the sender what happens to an orientation (application and e-mail).

E-mails name the person by the reference only, like every e-mail of Maillage; they say whether
the identity is shared with the receiving organisation, which then reads it in the application.
"""

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from .. import access, mail
from ..db import db
from ..i18n import short_date
from ..labels import label
from ..models import Notification, NotificationKind, OrientationStatus
from ..notify import base_url, members


def tell(user, kind, orientation, subject_and_body):
    """A notification and an e-mail for one user, written in their language."""
    db.session.add(
        Notification(
            user_id=user.id,
            kind=kind,
            person_id=orientation.person_id,
            orientation_id=orientation.id,
        )
    )
    with force_locale(user.language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject, body = subject_and_body()
    mail.queue(user.email, subject, body)


def identity_sentence(orientation):
    """Whether the receiving organisation reads the identity, in words."""
    if access.organisation_sees_identity(orientation.organisation_id, orientation.person_id):
        return _("The person's consent covers your organisation: the identity is in Maillage.")
    return _("The person's consent does not cover your organisation: you see the reference only.")


def link(orientation):
    """The orientation's address in the application."""
    return f"{base_url()}/orientations/{orientation.id}"


def received(orientation):
    """Every member of the receiving organisation learns of a new orientation."""
    for user in members([orientation.organisation_id]).get(orientation.organisation_id, []):
        tell(
            user,
            NotificationKind.ORIENTATION_RECEIVED,
            orientation,
            lambda: received_mail(orientation),
        )


def received_mail(orientation):
    """Subject and text of the e-mail about a new orientation."""
    subject = _(
        "Orientation received: %(reference)s from %(organisation)s",
        reference=orientation.person.reference,
        organisation=orientation.sender_organisation.name,
    )
    lines = [
        _(
            "%(organisation)s orients %(reference)s to your organisation%(urgent)s.",
            organisation=orientation.sender_organisation.name,
            reference=orientation.person.reference,
            urgent=_(" (urgent)") if orientation.urgency == "urgent" else "",
        ),
        identity_sentence(orientation),
        "",
        _("Answer it: %(url)s", url=link(orientation)),
    ]
    return subject, "\n".join(lines)


def reminded(orientation, days):
    """The receiving organisation is reminded of an orientation still without an answer."""
    for user in members([orientation.organisation_id]).get(orientation.organisation_id, []):
        with force_locale(user.language or current_app.config["BABEL_DEFAULT_LOCALE"]):
            subject = _(
                "Reminder: orientation of %(reference)s without an answer for %(days)d days",
                reference=orientation.person.reference,
                days=days,
            )
            body = "\n".join(
                [
                    _(
                        "%(organisation)s oriented %(reference)s to your organisation on %(date)s.",
                        organisation=orientation.sender_organisation.name,
                        reference=orientation.person.reference,
                        date=short_date(orientation.created_at),
                    ),
                    _("Without an answer, it expires after 30 days and the sender is told."),
                    "",
                    _("Answer it: %(url)s", url=link(orientation)),
                ]
            )
        mail.queue(user.email, subject, body)


def answered(orientation):
    """The sender learns of every answer (under review, accepted, declined, expired)."""
    sender = orientation.sender
    if not sender.active:
        return
    kind = (
        NotificationKind.ORIENTATION_EXPIRED
        if orientation.status == OrientationStatus.EXPIRED
        else NotificationKind.ORIENTATION_ANSWERED
    )
    tell(sender, kind, orientation, lambda: answer_mail(orientation))


def answer_mail(orientation):
    """Subject and text of the e-mail telling the sender the answer."""
    subject = _(
        "Orientation of %(reference)s to %(organisation)s: %(answer)s",
        reference=orientation.person.reference,
        organisation=orientation.organisation.name,
        answer=label(orientation.status),
    )
    lines = [outcome_sentence(orientation), "", _("Details: %(url)s", url=link(orientation))]
    return subject, "\n".join(lines)


def outcome_sentence(orientation):
    """What became of an orientation, in plain words (e-mails, the plan, the printable plan)."""
    name = orientation.organisation.name
    if orientation.status == OrientationStatus.ACCEPTED:
        return _("%(organisation)s accepted and will act.", organisation=name)
    if orientation.status == OrientationStatus.DECLINED:
        reason = label(orientation.decline_reason)
        if orientation.answer_note:
            reason = f"{reason} — « {orientation.answer_note} »"
        return _("%(organisation)s declined: %(reason)s.", organisation=name, reason=reason)
    if orientation.status == OrientationStatus.EXPIRED:
        return _(
            "%(organisation)s did not answer within 30 days; the orientation expired.",
            organisation=name,
        )
    if orientation.status == OrientationStatus.UNDER_REVIEW:
        return _("%(organisation)s is looking at it.", organisation=name)
    return _("%(organisation)s has not answered yet.", organisation=name)


def printed_sentence(orientation):
    """For the person, in plain words: where they were sent, and what was answered."""
    where = orientation.organisation.name
    if orientation.service is not None:
        where = f"{where} ({orientation.service.name})"
    sent = _(
        "On %(date)s, you were sent to %(where)s.",
        date=short_date(orientation.created_at),
        where=where,
    )
    if orientation.status == OrientationStatus.ACCEPTED:
        answer = _("They accepted and will contact you.")
    elif orientation.status == OrientationStatus.DECLINED:
        answer = _(
            "They could not take you on (%(reason)s); your référent looks for another way.",
            reason=label(orientation.decline_reason),
        )
    elif orientation.status == OrientationStatus.EXPIRED:
        answer = _("They did not answer; your référent looks for another way.")
    else:
        answer = _("Their answer is awaited.")
    return f"{sent} {answer}"
