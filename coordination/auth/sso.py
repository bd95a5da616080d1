"""Single sign-on through an OpenID Connect provider (ProConnect first), with Authlib.

Only existing accounts sign in this way: the provider's account is linked to the Maillage
account of the same e-mail address at its first use, and by its (issuer, subject) afterwards;
nobody gets an account by signing in. Password sign-in stays. The second factor, when the
account has one, is asked afterwards as after a password. At logout the provider's session ends
too (RP-initiated logout with the ID token as hint).
"""

import logging
import secrets

from authlib.integrations.flask_client import OAuthError
from flask import current_app, flash, redirect, request, url_for
from flask import session as cookie
from flask_babel import gettext as _
from joserfc import jwt
from joserfc.jwk import KeySet
from requests import RequestException
from sqlalchemy import select

from .. import access, audit
from ..clock import utcnow
from ..db import db
from ..forms import normalise_email
from ..models import ExternalIdentity, User
from ..routing import route
from ..security import safe_next
from . import accounts, signin
from .provider import RANDOM_BYTES, client

log = logging.getLogger(__name__)

NEXT = "sso_next"


@route("/login/sso")
@access.public
def sso_login():
    """Go to the provider's sign-in page; it sends the browser back to sso_callback."""
    provider = client()
    if provider is None:
        return redirect(url_for("auth.login"))
    cookie[NEXT] = safe_next(request.args.get("next"))
    extra = {}
    if current_app.config.get("OIDC_ACR_VALUES"):
        extra["acr_values"] = current_app.config["OIDC_ACR_VALUES"]
    try:
        return provider.authorize_redirect(
            url_for("auth.sso_callback", _external=True),
            state=secrets.token_urlsafe(RANDOM_BYTES),
            nonce=secrets.token_urlsafe(RANDOM_BYTES),
            **extra,
        )
    except (OAuthError, RequestException, ValueError) as error:
        return unavailable(error)


@route("/login/sso/callback")
@access.public
def sso_callback():
    """The provider's answer: the code, exchanged for tokens, then the account it names."""
    provider = client()
    if provider is None:
        return redirect(url_for("auth.login"))
    try:
        # Checks the state, exchanges the code, verifies the ID token's signature and nonce.
        token = provider.authorize_access_token()
        claims = dict(token.get("userinfo") or {})
        extra = user_info(provider, token)
        if extra.get("sub", claims.get("sub")) != claims.get("sub"):
            raise ValueError("the userinfo endpoint names another subject than the ID token")
        claims = extra | claims  # the ID token's verified claims win
    except (OAuthError, RequestException, ValueError, KeyError) as error:
        return unavailable(error)
    user = linked_account(claims)
    if user is None or not accounts.may_try(user):
        reason = "no account" if user is None else "refused"
        audit.record("login_failure", "failed", user=user, subject=user,
                     detail=f"single sign-on: {reason}")  # fmt: skip
        db.session.commit()
        flash(_("No active Maillage account has the e-mail address of your %(provider)s "
                "account. Ask your network's administrator to create it.",
                provider=current_app.config["OIDC_PROVIDER_NAME"]), "error")  # fmt: skip
        return redirect(url_for("auth.login"), 303)
    return signin.proceed(user, cookie.pop(NEXT, None), "sso", token.get("id_token"))


def user_info(provider, token):
    """The userinfo endpoint's claims: JSON, or a JWT signed by the provider (ProConnect)."""
    endpoint = provider.load_server_metadata().get("userinfo_endpoint")
    if not endpoint:
        return {}
    response = provider.get(endpoint, token=token)
    response.raise_for_status()
    if response.headers.get("Content-Type", "").startswith("application/jwt"):
        keys = KeySet.import_key_set(provider.fetch_jwk_set())
        return dict(jwt.decode(response.text, keys).claims)
    return response.json()


def linked_account(claims):
    """The account the provider's claims name: by its link, else by e-mail (then linked)."""
    issuer, subject = str(claims.get("iss", "")), str(claims.get("sub", ""))
    if not (issuer and subject):
        return None
    link = db.session.execute(
        select(ExternalIdentity).where(
            ExternalIdentity.issuer == issuer, ExternalIdentity.subject == subject
        )
    ).scalar_one_or_none()
    if link is not None:
        link.last_used_at = utcnow()
        return db.session.get(User, link.user_id)
    if claims.get("email_verified") is False:
        return None  # an address the provider itself did not check links nothing
    user = accounts.find_by_email(normalise_email(str(claims.get("email") or "")))
    if user is None:
        return None
    db.session.add(ExternalIdentity(user_id=user.id, issuer=issuer[:255], subject=subject[:255],
                                    last_used_at=utcnow()))  # fmt: skip
    audit.record("external_identity_linked", user=user, subject=user, detail=issuer[:150])
    return user


def unavailable(error):
    """The provider could not be reached or answered wrongly: say so, keep the password way."""
    log.warning("single sign-on failed: %s", error)
    flash(_("%(provider)s did not answer as expected. Try again, or sign in with your "
            "password.", provider=current_app.config["OIDC_PROVIDER_NAME"]), "error")  # fmt: skip
    return redirect(url_for("auth.login"), 303)
