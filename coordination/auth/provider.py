"""The OpenID Connect provider's client (Authlib), one per app, when configured: used by the
single sign-on views (auth.sso) and by logout (RP-initiated logout)."""

import logging
import secrets

from authlib.integrations.flask_client import OAuth
from flask import current_app, url_for
from requests import RequestException

log = logging.getLogger(__name__)

CLIENT = "provider"
# ProConnect asks for at least 32 characters of state and nonce.
RANDOM_BYTES = 32


def init_app(app):
    """Register the provider when it is configured (OIDC_CLIENT_ID), one client per app."""
    if not app.config.get("OIDC_CLIENT_ID"):
        return
    oauth = OAuth(app)
    client_kwargs = {
        "scope": app.config["OIDC_SCOPES"],
        "token_endpoint_auth_method": app.config["OIDC_TOKEN_AUTH_METHOD"],
        "timeout": 10,
    }
    oauth.register(
        CLIENT,
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=app.config["OIDC_DISCOVERY_URL"],
        client_kwargs=client_kwargs,
    )
    app.extensions["sso"] = oauth
    app.jinja_env.globals["sso_provider_name"] = app.config["OIDC_PROVIDER_NAME"]


def client():
    """The provider's client, or None when single sign-on is not configured."""
    oauth = current_app.extensions.get("sso")
    return oauth.create_client(CLIENT) if oauth else None


def logout_url(id_token):
    """Where to send the browser after a local logout so that the provider's session ends too;
    None when the session did not come from the provider or it offers no logout."""
    provider = client()
    if provider is None or not id_token:
        return None
    try:
        logout = provider.create_logout_url(
            post_logout_redirect_uri=url_for("auth.login", _external=True),
            id_token_hint=id_token,
            state=secrets.token_urlsafe(RANDOM_BYTES),
        )
    except (RuntimeError, RequestException, ValueError) as error:
        log.warning("no logout at the provider: %s", error)
        return None
    return logout["url"]
