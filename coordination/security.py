"""Request ids, security headers, CSRF and per-IP rate limits, applied to every response."""

import re
import secrets
from urllib.parse import urlsplit

from flask import abort, current_app, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from . import audit

csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

STATIC_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}

# A request id from the reverse proxy is kept only when it looks like one.
REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,32}$")


def init_app(app):
    """Install the proxy fix, CSRF, the rate limiter and the security headers."""
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.before_request(refuse_cross_site)  # before the CSRF check: a token does not excuse it
    csrf.init_app(app)
    limiter.init_app(app)
    app.after_request(add_security_headers)


def assign_request_id():
    """Give the request an id shown on error pages and kept in audit events."""
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if REQUEST_ID.match(incoming) else secrets.token_hex(8)


# Browsers say where a request comes from; these values mean "this site" or "typed by hand".
SAME_SITE_FETCHES = {"same-origin", "none"}


def is_cross_site():
    """Tell whether the browser says the request comes from another site: Sec-Fetch-Site, or an
    Origin that is not this host (compared by host, as the reverse proxy may change the scheme)."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in SAME_SITE_FETCHES:
        return True
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    try:
        host = urlsplit(origin).netloc
    except ValueError:
        return True
    return origin == "null" or host.lower() != request.host.lower()


def refuse_cross_site():
    """Refuse a change sent from another site, even carrying a valid CSRF token (a token can
    leak; the browser's own word about the origin cannot be forged by a page)."""
    if request.method in {"GET", "HEAD", "OPTIONS"} or not is_cross_site():
        return
    audit.record("access_denied", "denied", detail=f"cross-site {request.method} {request.path}")
    abort(403)


def add_security_headers(response):
    """Add the security headers to every response, errors and fragments included."""
    for name, value in STATIC_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers["X-Request-ID"] = g.get("request_id", "")
    if current_app.config["ENV_NAME"] == "production":
        response.headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    if request.endpoint != "static":
        # Case data must never stay in a shared office computer's cache.
        response.headers["Cache-Control"] = "no-store"
    return response


def safe_next(target):
    """Return target when it is a path on this site, else None (no open redirect)."""
    if not target or len(target) > 2000 or not target.startswith("/"):
        return None
    if target.startswith("//") or "\\" in target or not target.isprintable():
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
