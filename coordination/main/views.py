"""The home of each role, and the liveness probe."""

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text

from .. import access
from ..db import db
from ..models import Role

bp = Blueprint("main", __name__)


@bp.route("/")
@access.signed_in
def home():
    """Send each role to the screen it starts from."""
    if current_user.role == Role.ADMIN:
        return redirect(url_for("admin.users"))
    return render_template("main/home.html")


@bp.route("/healthz")
@access.public
def healthz():
    """Liveness for the reverse proxy: the app answers and the database responds."""
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")
