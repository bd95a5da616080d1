"""Maillage: the intranet of a local social-action partnership network."""

import os

from flask import Flask
from flask_migrate import Migrate
from jinja2 import StrictUndefined
from werkzeug.routing import IntegerConverter

from . import (
    access,
    actions,
    admin,
    audit,
    auth,
    cli,
    config,
    dashboard,
    db,
    directory,
    errors,
    forms,
    i18n,
    labels,
    main,
    meetings,
    navigation,
    network,
    notifications,
    orientations,
    people,
    projects,
    security,
    steering,
    themes,
)
from .auth import provider, sessions
from .htmx import HTMX_CONFIG

# The areas, in the order their pages are registered.
AREAS = (
    auth,
    main,
    people,
    meetings,
    actions,
    projects,
    dashboard,
    notifications,
    orientations,
    directory,
    admin,
    network,
    steering,
)

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

    for area in AREAS:
        area.init_app(app)
    cli.init_app(app)
    return app
