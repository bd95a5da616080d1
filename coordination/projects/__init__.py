"""Collective projects: what the network builds together, their collective actions, and
their progress recorded meeting after meeting."""

from flask import Blueprint

bp = Blueprint("projects", __name__)

# The views register themselves on bp when imported.
from . import figures, meeting, views  # noqa: E402, F401
