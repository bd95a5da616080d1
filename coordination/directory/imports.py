"""Importing the directory from a spreadsheet: upload, preview every row, then decide."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.utils import secure_filename

from .. import access, audit, idempotency
from ..clock import utcnow
from ..db import db
from ..forms import redisplays_form
from ..labels import ORGANISATION_KIND_LABELS, THEME_LABELS
from ..models import Contact, DirectoryImport, Organisation, Role
from ..text import fold
from . import bp
from .csv_import import MAX_BYTES, FileProblem, decode, read
from .entries import refresh_search_text
from .forms import ImportForm


def existing_names():
    """The folded names already in the directory."""
    return {fold(name) for name in db.session.execute(select(Organisation.name)).scalars()}


def uploaded_text(form):
    """The uploaded file as text, or None with the reason next to the field."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        form.file.errors.append(_("Choose a CSV file."))
        return None
    try:
        text = decode(upload.read(MAX_BYTES + 1))
        read(text, set())  # the file's own problems (columns, encoding) stop it here
    except FileProblem as problem:
        form.file.errors.append(str(problem))
        return None
    return text


@bp.route("/directory/import", methods=["GET", "POST"])
@access.roles(Role.COORDINATOR, Role.ADMIN)
@redisplays_form
def import_csv():
    """Upload a CSV; its preview comes next, nothing is written before the decision."""
    access.require(access.can(current_user, "import_directory"))
    form = ImportForm()
    if form.validate_on_submit():
        text = uploaded_text(form)
        repeated = idempotency.first_answer(form.key.data) if text is not None else None
        if repeated:
            return idempotency.repeat_answer(repeated)
        if text is not None:
            name = secure_filename(request.files["file"].filename)[:200] or "import.csv"
            batch = DirectoryImport(user_id=current_user.id, filename=name, content=text)
            db.session.add(batch)
            db.session.flush()
            location = url_for("directory.import_preview", import_id=batch.id)
            idempotency.remember(form.key.data, location)
            db.session.commit()
            return redirect(location, 303)
    status = 422 if form.errors else 200
    return render_template(
        "directory/import.html",
        form=form,
        kinds=[str(label) for label in ORGANISATION_KIND_LABELS.values()],
        themes=[str(label) for label in THEME_LABELS.values()],
    ), status


def load_batch(import_id, for_update=False):
    """An upload of the current user (another user's is not found)."""
    statement = select(DirectoryImport).where(
        DirectoryImport.id == import_id, DirectoryImport.user_id == current_user.id
    )
    return db.one_or_404(statement.with_for_update() if for_update else statement)


@bp.route("/directory/import/<id:import_id>", methods=["GET", "POST"])
@access.roles(Role.COORDINATOR, Role.ADMIN)
def import_preview(import_id):
    """Show every row's problems; import the valid rows, or nothing."""
    batch = load_batch(import_id, for_update=request.method == "POST")
    report = read(batch.content, existing_names())
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
    count = import_rows(report.valid)
    batch.imported_at = utcnow()
    batch.imported_count = count
    audit.record("directory_imported", subject=batch, detail=f"{count} organisations")
    db.session.commit()
    flash(_("%(count)d organisations imported. Ask their members to check their entries.",
            count=count), "success")  # fmt: skip
    return redirect(url_for("directory.index"), 303)


def import_rows(rows):
    """Create an entry for each valid row, in the current transaction (all or nothing)."""
    for row in rows:
        values = row.values
        entry = Organisation(
            name=values["name"],
            kind=values["kind"],
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
