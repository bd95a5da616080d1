"""One creation per submitted form (quality.md: a double click, ten clicks at once, or a retry
after a worker died mid-request create one row).

Every create form carries a key generated into it (`forms.submission_key_field`). Right before
creating, the view claims the key in the same transaction as what it creates: the first claim
wins; a repeat finds the first one and answers where it led, creating nothing. On SQLite writes
queue behind BEGIN IMMEDIATE, so a repeat finds the committed claim; on PostgreSQL a concurrent
repeat waits on the primary key until the first commits, then finds it. A request that dies
before its commit leaves no claim, so its retry creates the row once.
"""

import hashlib
from datetime import timedelta

from flask import flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from .clock import utcnow
from .db import db
from .models import FormSubmission

# Repeats come within seconds; a day covers a retry after a night on a laptop's lid.
KEPT_FOR = timedelta(days=2)


def storage_key(key):
    """The key as stored: scoped to the account and the form, so that nobody can reach another
    account's answer with a key they saw, and two forms never share one."""
    scoped = f"{current_user.id}\x1f{request.endpoint}\x1f{key}"
    return hashlib.sha256(scoped.encode()).hexdigest()


def first_answer(key):
    """Claim a submission's key before creating; None when this is its first submission, else
    where the first one led (a path), and then nothing must be created."""
    stored = storage_key(key)
    claim = FormSubmission(key=stored, user_id=current_user.id, endpoint=request.endpoint)
    try:
        with db.session.begin_nested():
            db.session.add(claim)
    except IntegrityError:  # made before, or by a concurrent request that has just committed
        first = db.session.execute(
            select(FormSubmission.location).where(FormSubmission.key == stored)
        ).scalar_one()
        return first or request.path
    return None


def remember(key, location):
    """Note where this submission led, for its repeats to go there too."""
    claim = db.session.get(FormSubmission, storage_key(key))
    if claim is not None:
        claim.location = location[:500]


def forget_old(now=None):
    """Delete claims older than KEPT_FOR (from `flask purge`); return how many."""
    cutoff = (now or utcnow()) - KEPT_FOR
    return db.session.execute(
        delete(FormSubmission).where(FormSubmission.created_at < cutoff)
    ).rowcount


def repeat_answer(location):
    """The answer to a repeated submission: where the first one led, and why nothing new."""
    flash(_("This form had already been sent: nothing was created twice."), "info")
    return redirect(location, 303)
