"""Settings: defaults, then instance/config.py, then the environment, then the test seam."""

import os
import secrets
import time
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
    # Fetching an import from an address inside the server's network (an intranet directory).
    "DIRECTORY_IMPORT_PRIVATE_ADDRESSES": False,
    "PAGE_SIZE": 50,
    # Lists count their matches up to this many, then say "more than" (searches stay fast).
    "COUNT_CAP": 1000,
    # How old the dashboard's attendance and directory figures may be (actions show at once).
    "DASHBOARD_CACHE_SECONDS": 60,
    # How long a writer waits for SQLite's lock before the request answers 503.
    "SQLITE_BUSY_TIMEOUT_MS": 5000,
    # PostgreSQL: how long a statement waits for a lock, and runs at most, before the request
    # answers 503; both well below gunicorn's worker timeout (30 s), so that no request hangs
    # until its worker is killed. Commands run from the shell have no statement limit.
    "DATABASE_LOCK_TIMEOUT_MS": 3000,
    "DATABASE_STATEMENT_TIMEOUT_MS": 20000,
    # The audit chain's HMAC key (never in the database), and the keys it replaced, kept to
    # verify the rows they signed. Read from the environment or from files in instance/.
    "AUDIT_KEY": None,
    "AUDIT_PREVIOUS_KEYS": (),
    # Single sign-on through an OpenID Connect provider (ProConnect): off without a client id.
    "OIDC_DISCOVERY_URL": None,
    "OIDC_CLIENT_ID": None,
    "OIDC_CLIENT_SECRET": None,
    "OIDC_SCOPES": "openid email",
    "OIDC_ACR_VALUES": None,
    # ProConnect sends the client's secret in the token request's body (client_secret_post).
    "OIDC_TOKEN_AUTH_METHOD": "client_secret_post",
    "OIDC_PROVIDER_NAME": "ProConnect",
    # The name authenticator applications show next to the account.
    "TOTP_ISSUER": "Maillage",
}


def flag(value):
    """An on/off setting from the environment: 1, true, yes or on."""
    return value.lower() in {"1", "true", "yes", "on"}


# Environment variables read at start-up, and how to read them.
ENVIRONMENT = {
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "SMTP_URL": str,
    "MAIL_FROM": str,
    "BASE_URL": str,
    "DIRECTORY_IMPORT_PRIVATE_ADDRESSES": flag,
    "REQUIRE_2FA": flag,
    "RETENTION_MONTHS": int,
    "AUDIT_RETENTION_MONTHS": int,
    "DASHBOARD_CACHE_SECONDS": int,
    "DIRECTORY_IMPORT_TIMEOUT": int,
    "RATELIMIT_STORAGE_URI": str,
    "TRUSTED_PROXIES": int,
    "DATABASE_LOCK_TIMEOUT_MS": int,
    "DATABASE_STATEMENT_TIMEOUT_MS": int,
    "AUDIT_KEY": str,
    "AUDIT_PREVIOUS_KEYS": lambda value: tuple(value.replace(",", " ").split()),
    "OIDC_DISCOVERY_URL": str,
    "OIDC_CLIENT_ID": str,
    "OIDC_CLIENT_SECRET": str,
    "OIDC_SCOPES": str,
    "OIDC_ACR_VALUES": str,
    "OIDC_TOKEN_AUTH_METHOD": str,
    "OIDC_PROVIDER_NAME": str,
}

AUDIT_KEY_FILE = "audit.key"
AUDIT_PREVIOUS_KEYS_FILE = "audit-previous.keys"
MIN_AUDIT_KEY_LENGTH = 32


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
        load_audit_keys(app.config, app.instance_path)
    else:
        app.config.from_mapping(test_config)
    app.config.setdefault(
        "SQLALCHEMY_DATABASE_URI",
        database_uri(app.config.get("DATABASE_URL"), app.instance_path),
    )
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS",
        engine_options(app.config["SQLALCHEMY_DATABASE_URI"], app.config),
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


def engine_options(uri, config=DEFAULTS):
    """Return engine options suited to the database kind (SQLite's are set per connection).

    PostgreSQL gets its lock and statement timeouts as connection options: they hold from the
    first statement of every connection, whoever opens it, at no cost per request. Its JIT is
    off: compiling a plan took 123 of the 137 ms of the look-alike files' query on a person's
    page (100,000 persons), for statements that each read a few hundred rows at most.
    """
    if uri.startswith("sqlite"):
        return {}
    timeouts = (
        f"-c lock_timeout={int(config['DATABASE_LOCK_TIMEOUT_MS'])} "
        f"-c statement_timeout={int(config['DATABASE_STATEMENT_TIMEOUT_MS'])} "
        "-c jit=off"
    )
    return {"pool_pre_ping": True, "connect_args": {"options": timeouts}}


def check(config):
    """Refuse to start with settings that would be unsafe in production."""
    if config["ENV_NAME"] != "production":
        return
    if str(config.get("SECRET_KEY", "")).strip().lower() in WEAK_SECRET_KEYS:
        raise RuntimeError("SECRET_KEY is missing or weak; set a long random value.")
    if len(str(config["SECRET_KEY"])) < 32:
        raise RuntimeError("SECRET_KEY must be at least 32 characters long.")
    if len(config.get("AUDIT_KEY") or "") < MIN_AUDIT_KEY_LENGTH:
        raise RuntimeError("AUDIT_KEY must be at least 32 characters long.")


def load_audit_keys(config, instance_path):
    """Read the audit keys: the environment first, else instance/audit.key (generated on the
    first run, like SECRET_KEY) and instance/audit-previous.keys (one retired key a line)."""
    folder = Path(instance_path)
    if not config.get("AUDIT_KEY"):
        config["AUDIT_KEY"] = read_or_create_key(folder / AUDIT_KEY_FILE)
    if not config.get("AUDIT_PREVIOUS_KEYS"):
        previous = folder / AUDIT_PREVIOUS_KEYS_FILE
        if previous.exists():
            lines = previous.read_text(encoding="utf-8").split()
            config["AUDIT_PREVIOUS_KEYS"] = tuple(line for line in lines if line)


def read_or_create_key(path):
    """The key kept in a file of instance/, created once with a random value (mode 0600)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        # Another worker starting at the same moment may not have written it yet.
        for _attempt in range(100):
            key = path.read_text(encoding="utf-8").strip()
            if key:
                return key
            time.sleep(0.01)
        raise RuntimeError(f"{path} is empty: write a long random key in it.") from None
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


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
