"""The second factor's screens: the code at sign-in, setting it up, turning it off, new
recovery codes (the administrator's reset is in admin.users)."""

from flask import current_app, flash, redirect, render_template, url_for
from flask import session as cookie
from flask_babel import gettext as _
from flask_login import current_user

from .. import access, audit
from ..db import db
from ..forms import redisplays_form
from ..models import User
from ..routing import route
from ..security import limiter
from . import accounts, signin
from . import second_factor as totp
from .forms import CodeForm, EnrolForm

# The secret being set up waits in the signed cookie until a first code confirms it.
PENDING_SETUP = "second_factor_setup"


def code_rate_limit():
    """The per-address limit on codes, the same as on passwords."""
    return current_app.config["LOGIN_RATE_LIMIT"]


@route("/login/code", methods=["GET", "POST"])
@access.public
@redisplays_form
@limiter.limit(code_rate_limit, methods=["POST"])
def second_factor():
    """Second step of signing in: the authenticator's code, or a recovery code."""
    waiting = signin.pending()
    user = db.session.get(User, waiting["user"]) if waiting else None
    if user is None or not user.has_second_factor:
        return redirect(url_for("auth.login"))
    form = CodeForm()
    refused = False
    if form.validate_on_submit():
        if accounts.may_try(user) and totp.use_code(user, form.code.data):
            return signin.open_session(user, waiting["next"], waiting["method"] + "+totp",
                                       waiting.get("id_token"))  # fmt: skip
        if accounts.may_try(user) and totp.use_recovery_code(user, form.code.data):
            flash(_("You signed in with a recovery code: it cannot be used again."), "warning")
            return signin.open_session(user, waiting["next"], waiting["method"] + "+recovery",
                                       waiting.get("id_token"))  # fmt: skip
        if accounts.may_try(user):
            accounts.register_failure(user)
        audit.record("login_failure", "failed", user=user, subject=user, detail="wrong code")
        db.session.commit()
        refused = True
    status = 422 if form.errors or refused else 200
    return render_template("auth/second_factor.html", form=form, refused=refused), status


def setup_page(status=200, **forms):
    """The set-up page: the QR code of a new secret, or where the factor stands, with its
    forms (the one just submitted keeps what was typed and its message)."""
    user = current_user
    context = {
        "enrol_form": forms.get("enrol_form") or EnrolForm(formdata=None),
        "disable_form": forms.get("disable_form") or CodeForm(formdata=None),
        "codes_form": forms.get("codes_form") or CodeForm(formdata=None),
        "required": access.second_factor_required(user),
        "may_turn_off": access.can(user, "turn_off_second_factor"),
    }
    if user.has_second_factor:
        context["codes_left"] = totp.unused_recovery_codes(user)
    else:
        secret = cookie.get(PENDING_SETUP) or totp.new_secret()
        cookie[PENDING_SETUP] = secret
        uri = totp.provisioning_uri(user, secret)
        context |= {"secret": secret, "qr_code": totp.qr_code(uri)}
    return render_template("auth/second_factor_setup.html", **context), status


@route("/account/second-factor", methods=["GET", "POST"])
@access.signed_in
@redisplays_form
def second_factor_setup():
    """Set up the authenticator: scan the QR code, type the first code; recovery codes follow."""
    form = EnrolForm()
    secret = cookie.get(PENDING_SETUP)
    if current_user.has_second_factor or not form.validate_on_submit() or not secret:
        return setup_page(422 if form.errors else 200, enrol_form=form)
    step = totp.matching_step(secret, form.code.data)
    if step is None:
        form.code.errors.append(_("This code is not the one the application shows. Try again."))
        return setup_page(422, enrol_form=form)
    codes = totp.enable(current_user, secret, step)
    cookie.pop(PENDING_SETUP, None)
    db.session.commit()
    return render_template("auth/recovery_codes.html", codes=codes)


@route("/account/second-factor/disable", methods=["POST"])
@access.signed_in
@redisplays_form
def disable_second_factor():
    """Turn the second factor off, with a current code (not when the role requires it)."""
    form = CodeForm()
    access.require(access.can(current_user, "turn_off_second_factor"))
    if not form.validate_on_submit() or not totp.use_code(current_user, form.code.data):
        if form.code.data and not form.code.errors:
            form.code.errors.append(_("This code is not right, or was already used."))
        return setup_page(422, disable_form=form)
    totp.remove(current_user, "second_factor_disabled")
    db.session.commit()
    flash(_("The second factor is off: you sign in with your password alone."), "info")
    return redirect(url_for("auth.account"), 303)


@route("/account/second-factor/recovery-codes", methods=["POST"])
@access.signed_in
@redisplays_form
def new_recovery_codes():
    """Ten new recovery codes, with a current code; the previous ones stop working."""
    form = CodeForm()
    if not form.validate_on_submit() or not totp.use_code(current_user, form.code.data):
        if form.code.data and not form.code.errors:
            form.code.errors.append(_("This code is not right, or was already used."))
        return setup_page(422, codes_form=form)
    codes = totp.issue_recovery_codes(current_user)
    audit.record("recovery_codes_issued", subject=current_user)
    db.session.commit()
    return render_template("auth/recovery_codes.html", codes=codes)
