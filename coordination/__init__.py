"""Maillage: the intranet of a local social-action partnership network."""

import os

from flask import Flask
from flask_migrate import Migrate
from jinja2 import StrictUndefined
from werkzeug.routing import IntegerConverter

from . import (
    access,
    audit,
    cli,
    config,
    db,
    errors,
    forms,
    i18n,
    labels,
    navigation,
    security,
    steering,
    themes,
)
from .actions import bp as actions_bp
from .admin import bp as admin_bp
from .auth import provider, second_factor_views, sessions, sso  # noqa: F401 (routes join auth)
from .auth.views import bp as auth_bp
from .dashboard import bp as dashboard_bp
from .directory import bp as directory_bp
from .htmx import HTMX_CONFIG
from .main.views import bp as main_bp
from .meetings import bp as meetings_bp
from .network import bp as network_bp
from .network import switch as network_switch
from .notifications import bp as notifications_bp
from .orientations import bp as orientations_bp
from .people import bp as people_bp
from .projects import bp as projects_bp

# Batch mode: SQLite can only change a table by copying it.
migrate = Migrate(render_as_batch=True)


class IdConverter(IntegerConverter):
    """A database id in a URL: digits only, within range, else 404 (never a 500)."""

    regex = r"\d{1,10}"

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=2**31 - 1)


def create_app(test_config=None):
    """Build the application; test_config replaces instance/config.py and the environment."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("MAILLAGE_INSTANCE_PATH", str(config.ROOT / "instance")),
        template_folder=str(config.ROOT / "templates"),
        static_folder=str(config.ROOT / "static"),
    )
    config.load(app, test_config)
    app.url_map.converters["id"] = IdConverter

    db.init_app(app)
    migrate.init_app(app, db.db, directory=str(config.ROOT / "migrations"))
    i18n.init_app(app)
    labels.init_app(app)
    themes.init_app(app)
    navigation.init_app(app)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    if app.testing:
        app.jinja_env.undefined = StrictUndefined  # a missing variable fails the test
    app.jinja_env.globals["htmx_config"] = HTMX_CONFIG

    # Request hooks run in this order: request id, write intent, CSRF and rate limits,
    # access policy, session activity.
    app.before_request(security.assign_request_id)
    app.before_request(db.mark_unsafe_methods_as_writes)
    security.init_app(app)
    sessions.init_app(app)
    provider.init_app(app)
    access.init_app(app)
    app.before_request(sessions.touch)
    errors.init_app(app)
    forms.init_app(app)
    audit.init_app(app)  # registered last, so its after_request runs before the headers are set

    app.register_blueprint(auth_bp)
    app.register_blueprint(main_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(meetings_bp)
    app.register_blueprint(actions_bp)
    app.register_blueprint(projects_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(orientations_bp)
    app.register_blueprint(directory_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(network_bp)
    steering.init_app(app)
    network_switch.init_app(app)
    cli.init_app(app)
    return app
