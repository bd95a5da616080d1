"""Settings: defaults, then instance/config.py, then the environment, then the test seam."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Values that must never sign sessions in production.
WEAK_SECRET_KEYS = {"", "dev", "devkey", "secret", "changeme", "change-me", "test"}

DEFAULTS = {
    "ENV_NAME": "development",
    "SESSION_COOKIE_NAME": "maillage_session",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "SESSION_IDLE_TIMEOUT": timedelta(minutes=30),
    "SESSION_ABSOLUTE_TIMEOUT": timedelta(hours=10),
    # The idle clock is written at most this often, to keep reads from becoming writes.
    "SESSION_TOUCH_INTERVAL": timedelta(seconds=60),
    "LOGIN_FAILURES_BEFORE_DELAY": 5,
    "LOGIN_MAX_DELAY": timedelta(hours=1),
    "LOGIN_RATE_LIMIT": "30 per minute;300 per hour",
    "RATELIMIT_STORAGE_URI": "memory://",
    # Off: the limiter would stamp Retry-After on every answer of a limited route.
    "RATELIMIT_HEADERS_ENABLED": False,
    "TRUSTED_PROXIES": 0,
    # argon2id parameters; argon2-cffi's defaults are RFC 9106's low-memory profile.
    "PASSWORD_HASH_PARAMS": {},
    "RETENTION_MONTHS": 24,
    "AUDIT_RETENTION_MONTHS": 12,
    "SMTP_URL": None,
    "MAIL_FROM": "maillage@localhost",
    # Links in e-mails sent outside a request (reminders from cron).
    "BASE_URL": "http://127.0.0.1:5000",
    "REQUIRE_2FA": False,
    "BABEL_DEFAULT_LOCALE": "fr",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Paris",
    "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "coordination" / "translations"),
    "LANGUAGES": ("fr", "en"),
    # Large enough for a 1 MB field to reach the form validators and get a clear message.
    "MAX_FORM_MEMORY_SIZE": 4 * 1024 * 1024,
    # Large enough for an oversized spreadsheet to reach the importer and get a clear message.
    "MAX_CONTENT_LENGTH": 32 * 1024 * 1024,
    "WTF_CSRF_TIME_LIMIT": 3600,
    # Seconds the directory import waits for a file at a web address (HSDS, data·inclusion).
    "DIRECTORY_IMPORT_TIMEOUT": 10,
    "PAGE_SIZE": 50,
    # Lists count their matches up to this many, then say "more than" (searches stay fast).
    "COUNT_CAP": 1000,
    # How old the dashboard's attendance and directory figures may be (actions show at once).
    "DASHBOARD_CACHE_SECONDS": 60,
    # How long a writer waits for SQLite's lock before the request answers 503.
    "SQLITE_BUSY_TIMEOUT_MS": 5000,
}

# Environment variables read at start-up, and how to read them.
ENVIRONMENT = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "SMTP_URL": str,
    "MAIL_FROM": str,
    "BASE_URL": str,
    "REQUIRE_2FA": lambda value: value.lower() in {"1", "true", "yes", "on"},
    "RETENTION_MONTHS": int,
    "AUDIT_RETENTION_MONTHS": int,
    "DASHBOARD_CACHE_SECONDS": int,
    "DIRECTORY_IMPORT_TIMEOUT": int,
    "RATELIMIT_STORAGE_URI": str,
    "TRUSTED_PROXIES": int,
}


def load(app, test_config=None):
    """Fill app.config from defaults, instance/config.py, the environment and test_config."""
    app.config.from_mapping(DEFAULTS)
    if os.environ.get("MAILLAGE_ENV") == "production":
        app.config.update(ENV_NAME="production", SESSION_COOKIE_SECURE=True)
    if test_config is None:
        ensure_instance_config(app.instance_path)
        app.config.from_pyfile(str(Path(app.instance_path) / "config.py"), silent=True)
        for name, parse in ENVIRONMENT.items():
            if os.environ.get(name):
                app.config[name] = parse(os.environ[name])
    else:
        app.config.from_mapping(test_config)
    app.config.setdefault(
        "SQLALCHEMY_DATABASE_URI",
        database_uri(app.config.get("DATABASE_URL"), app.instance_path),
    )
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config["SQLALCHEMY_DATABASE_URI"])
    )
    check(app.config)


def database_uri(url, instance_path):
    """Return the SQLAlchemy URI: PostgreSQL through psycopg 3 when given, else instance SQLite."""
    if not url:
        return f"sqlite:///{Path(instance_path) / 'maillage.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def engine_options(uri):
    """Return engine options suited to the database kind (SQLite's are set per connection)."""
    return {} if uri.startswith("sqlite") else {"pool_pre_ping": True}


def check(config):
    """Refuse to start with settings that would be unsafe in production."""
    if config["ENV_NAME"] != "production":
        return
    if str(config.get("SECRET_KEY", "")).strip().lower() in WEAK_SECRET_KEYS:
        raise RuntimeError("SECRET_KEY is missing or weak; set a long random value.")
    if len(str(config["SECRET_KEY"])) < 32:
        raise RuntimeError("SECRET_KEY must be at least 32 characters long.")


def ensure_instance_config(instance_path):
    """Create instance/ and a config.py holding a generated SECRET_KEY, once."""
    path = Path(instance_path)
    path.mkdir(parents=True, exist_ok=True)
    config_file = path / "config.py"
    if config_file.exists() or os.environ.get("SECRET_KEY"):
        return
    content = (
        "# Generated on first run. Keep it secret; never commit it.\n"
        f"SECRET_KEY = {secrets.token_urlsafe(48)!r}\n"
    )
    try:
        # O_EXCL: several gunicorn workers starting at once must not overwrite each other.
        fd = os.open(config_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content)
