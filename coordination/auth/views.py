"""Sign in, sign out, and the account page (password and language)."""

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import refresh as refresh_locale
from flask_login import current_user

from .. import access, audit
from ..db import db
from ..forms import redisplays_form
from ..routing import route
from ..security import limiter, safe_next
from . import accounts, provider, sessions, signin
from .forms import ChangePasswordForm, LanguageForm, LoginForm
from .passwords import context_words, policy_problem, verify_password


def login_rate_limit():
    """The per-IP limit on sign-in attempts, from the configuration."""
    return current_app.config["LOGIN_RATE_LIMIT"]


@route("/login", methods=["GET", "POST"])
@access.public
@redisplays_form
@limiter.limit(login_rate_limit, methods=["POST"])
def login():
    """Sign in with an e-mail address and a password."""
    next_path = safe_next(request.args.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(next_path or url_for("main.home"))
    form = LoginForm()
    refused = False
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            return signin.proceed(user, next_path, "password")
        db.session.commit()  # keep the failure count and its audit row
        refused = True
    status = 422 if form.errors or refused else 200
    return render_template("auth/login.html", form=form, refused=refused), status


@route("/logout", methods=["POST"])
@access.signed_in
def logout():
    """Sign out: the session row is revoked, so the cookie is useless from now on; a session
    opened through the identity provider ends there too."""
    row = g.get("user_session")
    id_token = row.id_token if row is not None else None
    audit.record("logout", subject=current_user)
    sessions.end_current("logout")
    db.session.commit()
    flash(_("You are signed out."), "info")
    return redirect(provider.logout_url(id_token) or url_for("auth.login"), 303)


@route("/account")
@access.signed_in
def account():
    """Show the account page: password and language."""
    language_form = LanguageForm(language=current_user.language or "fr")
    return render_account(ChangePasswordForm(formdata=None), language_form)


def render_account(password_form, language_form, status=200):
    """Render the account page with both forms."""
    return render_template(
        "auth/account.html", password_form=password_form, language_form=language_form
    ), status


@route("/account/password", methods=["POST"])
@access.signed_in
@redisplays_form
def change_password():
    """Change one's password; every other session of the account ends."""
    form = ChangePasswordForm()
    language_form = LanguageForm(formdata=None, language=current_user.language or "fr")
    if not form.validate_on_submit():
        return render_account(form, language_form, 422)
    if not verify_password(current_user.password_hash, form.current_password.data):
        form.current_password.errors.append(_("This is not your current password."))
        return render_account(form, language_form, 422)
    words = context_words(current_user.email, current_user.name, current_user.organisation.name)
    problem = policy_problem(form.new_password.data, words)
    if problem:
        form.new_password.errors.append(problem)
        return render_account(form, language_form, 422)
    user = current_user._get_current_object()
    accounts.change_own_password(user, form.new_password.data)
    sessions.start(user)  # this browser continues in a brand-new session
    db.session.commit()
    flash(_("Your password has been changed. Your other sessions are closed."), "success")
    return redirect(url_for("auth.account"), 303)


@route("/account/language", methods=["POST"])
@access.signed_in
def change_language():
    """Choose the interface language."""
    form = LanguageForm()
    if not form.validate_on_submit():
        return render_account(ChangePasswordForm(formdata=None), form, 422)
    current_user.language = form.language.data
    audit.record("language_changed", subject=current_user, detail=form.language.data)
    db.session.commit()
    refresh_locale()  # the confirmation below is already in the chosen language
    flash(_("Language saved."), "success")
    return redirect(url_for("auth.account"), 303)
