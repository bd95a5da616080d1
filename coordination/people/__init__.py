"""Persons followed by the network: files, référents, journal, consent, rights."""

from flask import Blueprint

bp = Blueprint("people", __name__)

# The views register themselves on bp when imported.
from . import consents, duplicates, listing, printable, record, rights  # noqa: E402, F401
