"""Outgoing e-mail: written to an outbox with its cause, sent over SMTP after the commit."""

import logging
import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from flask import current_app
from sqlalchemy import select

from .clock import utcnow
from .db import db
from .models import OutgoingMail

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10


def queue(recipient, subject, body):
    """Write an e-mail to the outbox, in the current transaction."""
    db.session.add(OutgoingMail(recipient=recipient, subject=subject[:200], body=body))


def connect(url):
    """An SMTP connection from SMTP_URL: smtp://, smtp+starttls:// or smtps://, user:pass@host."""
    parts = urlsplit(url)
    port = parts.port or {"smtps": 465, "smtp+starttls": 587}.get(parts.scheme, 25)
    if parts.scheme == "smtps":
        server = smtplib.SMTP_SSL(parts.hostname, port, context=ssl.create_default_context(),
                                  timeout=10)  # fmt: skip
    else:
        server = smtplib.SMTP(parts.hostname, port, timeout=10)
        if parts.scheme == "smtp+starttls":
            server.starttls(context=ssl.create_default_context())
    if parts.username:
        server.login(unquote(parts.username), unquote(parts.password or ""))
    return server


def message(mail):
    """The e-mail of an outbox row."""
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = mail.recipient
    email["Subject"] = mail.subject
    email.set_content(mail.body)
    return email


def send_pending(limit=500):
    """Send what the outbox holds; return (sent, failed). Safe to run again and again."""
    url = current_app.config.get("SMTP_URL")
    if not url:
        return 0, 0
    pending = (
        db.session.execute(
            select(OutgoingMail)
            .where(OutgoingMail.sent_at.is_(None), OutgoingMail.attempts < MAX_ATTEMPTS)
            .order_by(OutgoingMail.id)
            .limit(limit)
        )
        .scalars()
        .all()
    )
    if not pending:
        return 0, 0
    sent = failed = 0
    try:
        server = connect(url)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("SMTP server unreachable: %s", error)
        return 0, len(pending)
    with server:
        for mail in pending:
            mail.attempts += 1
            try:
                server.send_message(message(mail))
                mail.sent_at = utcnow()
                sent += 1
            except smtplib.SMTPException as error:
                mail.last_error = str(error)[:300]
                failed += 1
    db.session.commit()
    return sent, failed
