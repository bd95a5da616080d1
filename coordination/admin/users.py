"""Accounts: list, create, edit profile and role, deactivate, reactivate, reset the password
or the second factor."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms import SelectChoice

from .. import access, audit, idempotency, networks
from ..auth import accounts, second_factor
from ..auth.accounts import AccountError
from ..db import db
from ..forms import options, redisplays_form
from ..htmx import render
from ..models import Organisation, Role, User
from ..pagination import paginate
from ..routing import route
from ..text import like_pattern, search_words
from .forms import ConfirmForm, UserCreateForm, UserFilterForm, UserProfileForm


def organisation_choices():
    """Active organisations, by name, as (id, name) choices."""
    rows = db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.active.is_(True))
        .order_by(Organisation.name)
    ).all()
    return options((row.id, row.name) for row in rows)


def load_account(user_id):
    """The account named in the URL, when the admin may change it (404 when missing)."""
    user = db.get_or_404(User, user_id)
    access.require(access.can(current_user, "manage_accounts", user))
    return user


def filtered_users(form):
    """The select of accounts matching the valid filters of the form."""
    statement = select(User).order_by(User.name, User.id)
    if not form.validate():
        return statement.where(User.active.is_(True))
    for word in search_words(form.q.data or ""):
        statement = statement.where(User.search_text.like(like_pattern(word), escape="\\"))
    if form.organisation.data:
        statement = statement.where(User.organisation_id == int(form.organisation.data))
    if form.role.data:
        statement = statement.where(User.role == Role(form.role.data))
    if form.status.data != "all":
        statement = statement.where(User.active.is_(form.status.data == "active"))
    return statement


@route("/users")
@access.roles(Role.ADMIN)
def users():
    """List accounts; the table updates as filters change (htmx), the URL keeps them."""
    form = UserFilterForm(request.args)
    form.organisation.choices = [
        SelectChoice("", _("All organisations")),
        *(SelectChoice(str(choice.value), choice.label) for choice in organisation_choices()),
    ]
    page = paginate(filtered_users(form))
    return render("admin/users.html", "admin/_users_table.html", form=form, page=page)


@route("/users/new", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
@redisplays_form
def create_user():
    """Create an account with a temporary password, shown once."""
    form = UserCreateForm()
    form.organisation_id.choices = organisation_choices()
    form.networks.choices = networks.network_choices()
    if form.validate_on_submit():
        access.require(access.can(current_user, "manage_accounts"))
        repeated = idempotency.first_answer(form.key.data)
        if repeated:  # the temporary password was shown once; the account's page instead
            return idempotency.repeat_answer(repeated)
        try:
            user, password = accounts.create_user(
                form.email.data,
                form.name.data,
                db.session.get(Organisation, form.organisation_id.data),
                Role(form.role.data),
                language=form.language.data or None,
            )
            if user.role == Role.COORDINATOR:  # by default the only network, if there is one
                chosen = networks.by_ids(form.networks.data) or networks.default_networks()
                networks.assign_coordinator(user, chosen)
            idempotency.remember(form.key.data, url_for("admin.edit_user", user_id=user.id))
            db.session.commit()
        except (AccountError, IntegrityError):
            db.session.rollback()
            form.email.errors.append(_("An account already uses this e-mail address."))
        else:
            return render_template("admin/user_password.html", user=user, password=password)
    return render_template("admin/user_new.html", form=form), 422 if form.errors else 200


@route("/users/<id:user_id>", methods=["GET", "POST"])
@access.roles(Role.ADMIN)
@redisplays_form
def edit_user(user_id):
    """Show an account; change its name, organisation and role."""
    user = load_account(user_id)
    form = UserProfileForm(obj=user, networks=networks.coordinated_by(user))
    form.organisation_id.choices = organisation_choices()
    form.networks.choices = networks.network_choices()
    if form.validate_on_submit():
        try:
            accounts.change_role(user, Role(form.role.data))
        except AccountError as error:
            form.role.errors.append(str(error))
        else:
            user.name = form.name.data
            user.organisation_id = form.organisation_id.data
            networks.set_coordinated(user, networks.by_ids(form.networks.data))
            audit.record("user_updated", subject=user)
            db.session.commit()
            flash(_("Account saved."), "success")
            return redirect(url_for("admin.edit_user", user_id=user.id), 303)
    status = 422 if form.errors else 200
    return render_template(
        "admin/user_edit.html", user=user, form=form, confirm=ConfirmForm()
    ), status


@route("/users/<id:user_id>/deactivate", methods=["POST"])
@access.roles(Role.ADMIN)
def deactivate_user(user_id):
    """Close an account: it can no longer sign in and its sessions end now."""
    user = load_account(user_id)
    if ConfirmForm().validate_on_submit():
        try:
            accounts.deactivate(user)
            db.session.commit()
            flash(_("The account of %(name)s is deactivated.", name=user.name), "success")
        except AccountError as error:
            db.session.rollback()
            flash(str(error), "error")
    return redirect(url_for("admin.edit_user", user_id=user.id), 303)


def issue_temporary_password(user_id, issue):
    """Run issue(user) on the URL's account and show the temporary password it returns."""
    user = load_account(user_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("admin.edit_user", user_id=user.id), 303)
    password = issue(user)
    db.session.commit()
    return render_template("admin/user_password.html", user=user, password=password)


@route("/users/<id:user_id>/reactivate", methods=["POST"])
@access.roles(Role.ADMIN)
def reactivate_user(user_id):
    """Open a closed account again, with a temporary password shown once."""
    return issue_temporary_password(user_id, accounts.reactivate)


@route("/users/<id:user_id>/reset-password", methods=["POST"])
@access.roles(Role.ADMIN)
def reset_password(user_id):
    """Issue a temporary password for someone who lost theirs; their sessions end."""
    return issue_temporary_password(user_id, accounts.reset_password)


@route("/users/<id:user_id>/reset-second-factor", methods=["POST"])
@access.roles(Role.ADMIN)
def reset_second_factor(user_id):
    """Reset someone's second factor (a lost phone): audited; their sessions end, and they set
    a new one up at their next sign-in when their role requires one."""
    user = load_account(user_id)
    access.require(access.can(current_user, "reset_second_factor", user))
    if ConfirmForm().validate_on_submit() and user.has_second_factor:
        second_factor.reset(user)
        db.session.commit()
        flash(_("The second factor of %(name)s is reset.", name=user.name), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id), 303)
