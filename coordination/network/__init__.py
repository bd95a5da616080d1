"""The network's own settings, kept by its coordinator: its themes."""

from flask import Blueprint

bp = Blueprint("network", __name__)

# The views register themselves on bp when imported.
from . import switch, themes  # noqa: E402, F401
