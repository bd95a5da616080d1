"""Administration: accounts, organisations and the audit log."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

# The views register themselves on bp when imported.
from . import audit_log, networks, organisations, users  # noqa: E402, F401
