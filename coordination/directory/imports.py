"""Importing the directory from a spreadsheet (CSV), an Open Referral HSDS file or a
data·inclusion file: send or fetch it, preview every row, then import the valid rows or nothing."""

from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import secure_filename

from .. import access, audit, idempotency
from ..clock import utcnow
from ..db import db
from ..errors import error_response
from ..forms import redisplays_form
from ..labels import ORGANISATION_KIND_LABELS
from ..models import Contact, DirectoryImport, Organisation, Role
from ..routing import error_handler, route
from ..text import fold
from ..themes import choices as theme_choices
from . import data_inclusion, hsds_import, json_import
from .csv_import import MAX_BYTES, FileProblem, decode, read
from .entries import refresh_search_text
from .fetch import fetch
from .forms import ImportForm

READERS = {"hsds": hsds_import.read, "data-inclusion": data_inclusion.read}


def existing_names():
    """The folded names already in the directory."""
    return {fold(name) for name in db.session.execute(select(Organisation.name)).scalars()}


def existing_sirets():
    """The SIRETs already in the directory."""
    statement = select(Organisation.siret).where(Organisation.siret.is_not(None))
    return set(db.session.execute(statement).scalars())


def received(form):
    """The file sent, or fetched from the address given: (name, bytes, field), or None."""
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        name = secure_filename(upload.filename)[:200] or "import"
        return name, upload.read(json_import.MAX_JSON_BYTES + 1), form.file
    if form.url.data:
        try:
            raw = fetch(form.url.data)
        except FileProblem as problem:
            form.url.errors.append(str(problem))
            return None
        name = secure_filename(urlsplit(form.url.data).path.rsplit("/", 1)[-1])[:200]
        return name or "import.json", raw, form.url
    form.file.errors.append(_("Choose a file, or give the web address of one."))
    return None


def stored(raw):
    """The file's format and text, once its own problems (size, encoding, shape) are ruled out."""
    if not json_import.looks_like_json(raw):
        if len(raw) > MAX_BYTES:
            raise FileProblem(_("The file is larger than 5 MB. Split it into several files."))
        text = decode(raw)
        read(text, set())  # the file's own problems (columns, encoding) stop it here
        return "csv", text
    data = json_import.decode_json(raw)
    if data_inclusion.is_data_inclusion(data):
        data_inclusion.lists(data)
        return "data-inclusion", raw.decode("utf-8-sig")
    hsds_import.organizations(data)
    return "hsds", raw.decode("utf-8-sig")


def import_page(form, status):
    """The upload form, with what a file must look like."""
    return render_template(
        "directory/import.html",
        form=form,
        kinds=[str(label) for label in ORGANISATION_KIND_LABELS.values()],
        themes=[label for _code, label in theme_choices()],
    ), status


@error_handler(RequestEntityTooLarge)
def too_large(error):
    """A file over the request limit: the import form says so next to the field."""
    if request.endpoint != "directory.import_csv":
        return error_response(413)
    form = ImportForm(formdata=None)
    form.file.errors = [_("The file is larger than 20 MB. Ask for a smaller extract.")]
    return import_page(form, 413)


@route("/directory/import", methods=["GET", "POST"])
@access.roles(Role.COORDINATOR, Role.ADMIN)
@redisplays_form
def import_csv():
    """Send or fetch a file; its preview comes next, nothing is written before the decision."""
    access.require(access.can(current_user, "import_directory"))
    form = ImportForm()
    got = received(form) if form.validate_on_submit() else None
    if got is not None:
        name, raw, field = got
        try:
            kind, text = stored(raw)
        except FileProblem as problem:
            field.errors.append(str(problem))
        else:
            repeated = idempotency.first_answer(form.key.data)
            if repeated:
                return idempotency.repeat_answer(repeated)
            batch = DirectoryImport(
                user_id=current_user.id, filename=name, content=text, format=kind
            )
            db.session.add(batch)
            db.session.flush()
            location = url_for("directory.import_preview", import_id=batch.id)
            idempotency.remember(form.key.data, location)
            db.session.commit()
            return redirect(location, 303)
    return import_page(form, 422 if form.errors else 200)


def load_batch(import_id, for_update=False):
    """An upload of the current user (another user's is not found)."""
    statement = select(DirectoryImport).where(
        DirectoryImport.id == import_id, DirectoryImport.user_id == current_user.id
    )
    return db.one_or_404(statement.with_for_update() if for_update else statement)


@route("/directory/import/<id:import_id>", methods=["GET", "POST"])
@access.roles(Role.COORDINATOR, Role.ADMIN)
def import_preview(import_id):
    """Show every row's problems; import the valid rows, or nothing."""
    batch = load_batch(import_id, for_update=request.method == "POST")
    report = report_of(batch)
    if request.method == "GET" or batch.imported_at is not None:
        return render_template("directory/import_preview.html", batch=batch, report=report)
    choice = request.form.get("choice")
    if choice == "cancel":
        db.session.delete(batch)
        db.session.commit()
        flash(_("Nothing was imported."), "info")
        return redirect(url_for("directory.import_csv"), 303)
    if choice != "import":
        abort(400)
    try:
        message = import_batch(batch, report)
    except IntegrityError:
        # Someone added a look-alike between the preview and now: nothing is kept.
        db.session.rollback()
        flash(_("Nothing was imported: the directory changed meanwhile. Check the preview "
                "again."), "error")  # fmt: skip
        return redirect(url_for("directory.import_preview", import_id=import_id), 303)
    flash(message, "success")
    return redirect(url_for("directory.index"), 303)


def report_of(batch):
    """Every row of a stored file and its problems, read again (the directory may have moved)."""
    if batch.format == "csv":
        return read(batch.content, existing_names(), existing_sirets())
    return READERS[batch.format](batch.content)


def import_batch(batch, report):
    """Write the valid rows, mark the file imported and audit it; the message for the user."""
    if batch.format == "csv":
        created, refreshed = import_rows(report.valid), 0
    else:
        created, refreshed = json_import.import_rows(report.valid)
    batch.imported_at = utcnow()
    batch.imported_count = created + refreshed
    detail = f"{created + refreshed} organisations"
    if batch.format != "csv":
        detail += f" ({batch.format}, {refreshed} refreshed)"
    audit.record("directory_imported", subject=batch, detail=detail)
    db.session.commit()
    if batch.format == "csv":
        return _("%(count)d organisations imported. Ask their members to check their entries.",
                 count=created)  # fmt: skip
    return _("%(created)d organisations added and %(refreshed)d refreshed. Ask their members to "
             "check their entries.", created=created, refreshed=refreshed)  # fmt: skip


def import_rows(rows):
    """Create an entry for each valid row, in the current transaction (all or nothing)."""
    for row in rows:
        values = row.values
        entry = Organisation(
            name=values["name"],
            kind=values["kind"],
            siret=values.get("siret"),
            **{field: values.get(field, "") for field in ENTRY_FIELDS},
        )
        entry.themes = values["themes"]
        if values.get("contact_name"):
            entry.contacts.append(
                Contact(
                    name=values["contact_name"],
                    function=values.get("contact_function", ""),
                    phone=values.get("contact_phone", ""),
                    email=values.get("contact_email", ""),
                )
            )
        refresh_search_text(entry)
        db.session.add(entry)
    db.session.flush()
    return len(rows)


ENTRY_FIELDS = (
    "missions", "address", "postal_code", "city", "phone", "email", "website", "area_served",
)  # fmt: skip
