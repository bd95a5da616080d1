"""The partner directory ("who does what") and the partnership charter."""

from flask import Blueprint

bp = Blueprint("directory", __name__)

# The views register themselves on bp when imported.
from . import charter, edit, exports, glossary, imports, listing, services  # noqa: E402, F401
