"""Partnership meetings: series, the live page, the agenda, minutes, calendars."""

from flask import Blueprint

bp = Blueprint("meetings", __name__)

# The views register themselves on bp when imported.
from . import (  # noqa: E402, F401
    agenda,
    calendars,
    closing,
    followup,
    listing,
    live,
    live_actions,
    planning,
    preparation,
    replies,
    series,
)
