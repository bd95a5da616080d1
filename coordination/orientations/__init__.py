"""Orientations between meetings: sending a person to a partner, the inbox, the answers."""

from flask import Blueprint

bp = Blueprint("orientations", __name__)

# The views register themselves on bp when imported.
from . import inbox, sending  # noqa: E402, F401
