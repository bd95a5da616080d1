"""The coordinator's follow-up review: figures per partner, trend, evaluations, exports."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__)

# The views register themselves on bp when imported.
from . import views  # noqa: E402, F401
