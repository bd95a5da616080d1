"""A summary sent by a beacon as the live page is left is seen by the page that follows.

Chromium sends the beacon alongside (or after) the reload's own request, so the server could
render the page before the text is saved. The page leaving sets a short-lived cookie naming the
situation and the version the beacon saves from (no text: nothing of the case is kept in the
browser); the next live page waits, briefly, for that save to land.
"""

import re
import time

from flask import request
from sqlalchemy import select

from ..db import db
from ..models import CaseReview

COOKIE = "maillage-saving"
PATTERN = re.compile(r"review-(\d{1,12})\.(\d{1,12})")
WAIT_SECONDS = 2.0
STEP_SECONDS = 0.05


def wait_for_beacon(meeting):
    """Wait (at most 2 s) until the situation the cookie names is past the version it gives."""
    match = PATTERN.fullmatch(request.cookies.get(COOKIE, ""))
    if match is None:
        return
    review_id, version = int(match.group(1)), int(match.group(2))
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        current = db.session.execute(
            select(CaseReview.version).where(
                CaseReview.id == review_id, CaseReview.meeting_id == meeting.id
            )
        ).scalar_one_or_none()
        db.session.commit()  # end the read: the next one sees what was committed since
        if current is None or current > version:
            break
        time.sleep(STEP_SECONDS)
    # Sessions keep objects across commits (expire_on_commit=False): read the saved text anew.
    db.session.expire_all()
