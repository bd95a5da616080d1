"""Importing the directory from a spreadsheet: preview every row, then all valid rows or none."""

import io
import re

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from coordination.db import db
from coordination.models import AuditEvent, DirectoryImport, Organisation, Role, Theme
from tests.factories import make_organisation, make_user
from tests.helpers import csrf_token, form_fields, sign_in, text

FRENCH_CSV = (
    "nom;type;missions;adresse;code postal;ville;téléphone;e-mail;site web;thèmes;contact;"
    "fonction du contact\n"
    "Maison départementale des solidarités;Organisme public;Accueil social;12 rue Haute;89300;"
    "Joigny;03 86 72 89 00;mds@example.org;https://mds.example.org;Parentalité, Logement;"
    "Sophie Moreau;Assistante sociale\n"
    "Épicerie sociale;association;Aide alimentaire;;;Joigny;;;;aide alimentaire;;\n"
)
ENGLISH_CSV = "name,kind,themes,website\nRed Cross unit,Association,Food aid,https://rc.example\n"


def upload(client, content, filename="reseau.csv"):
    """Send a file to the import form (encoded in memory: the test client's own encoder
    spools large bodies to a temporary file it never closes)."""
    token, keys = form_fields(client, "/directory/import")
    fields = {"csrf_token": token, **keys, "file": FileStorage(io.BytesIO(content), filename)}
    boundary, body = encode_multipart(fields)
    return client.post(
        "/directory/import",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def decide(client, response, choice):
    """Press a button of the preview page the upload redirected to."""
    preview = response.headers["Location"]
    token = csrf_token(client, preview)
    return client.post(preview, data={"csrf_token": token, "choice": choice})


def organisations():
    """Names in the directory, read afresh."""
    db.session.rollback()
    db.session.expire_all()
    return set(db.session.execute(select(Organisation.name)).scalars())


@pytest.fixture
def coordinator(login_as):
    """A signed-in coordinator."""
    return login_as(Role.COORDINATOR)


def test_a_french_spreadsheet_is_previewed_then_imported(client, coordinator):
    response = upload(client, FRENCH_CSV.encode("utf-8-sig"))
    assert response.status_code == 303
    preview = text(client.get(response.headers["Location"]))
    assert "2 rows can be imported" in preview
    assert "Maison départementale des solidarités" in preview
    assert "Maison départementale des solidarités" not in organisations()  # nothing yet
    done = decide(client, response, "import")
    assert done.status_code == 303
    assert {"Maison départementale des solidarités", "Épicerie sociale"} <= organisations()
    mds = db.session.execute(
        select(Organisation).where(Organisation.name.like("Maison%"))
    ).scalar_one()
    assert mds.themes == [Theme.HOUSING, Theme.PARENTING]
    assert mds.contacts[0].name == "Sophie Moreau"
    assert mds.confirmed_at is None  # members still have to confirm their entry
    assert "parentalite" in mds.search_text
    event = db.session.execute(
        select(AuditEvent).where(AuditEvent.event == "directory_imported")
    ).scalar_one()
    assert event.detail == "2 organisations"


def test_windows_1252_with_commas_and_english_headers(client, coordinator):
    response = upload(client, ENGLISH_CSV.encode("cp1252"))
    decide(client, response, "import")
    assert "Red Cross unit" in organisations()


def test_windows_1252_accents_are_read_right(client, coordinator):
    content = "nom;type\nCentre médico-psychologique;Santé\n".encode("cp1252")
    response = upload(client, content)
    decide(client, response, "import")
    assert "Centre médico-psychologique" in organisations()


def test_missing_column_is_reported_and_nothing_kept(client, coordinator):
    response = upload(client, b"nom;ville\nCCAS;Joigny\n")
    assert response.status_code == 422
    assert "Missing column(s): kind" in text(response)
    assert db.session.execute(select(func.count()).select_from(DirectoryImport)).scalar() == 0


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Structure A;Astrologie;;", "Unknown kind"),
        ("Structure A;Santé;javascript:alert(1);", "must start with https://"),
        ("Structure A;Santé;;contact@", "is not a valid e-mail"),
        ("Structure A;Santé;;;03 86 AB CD EF", "is not a phone number"),
        (";Santé;;", "The name is missing"),
        ("Structure A;Santé;;;;Chiromancie", "Unknown theme"),
    ],
)
def test_row_problems_are_listed_and_the_row_left_out(client, coordinator, row, message):
    content = f"nom;type;site web;e-mail;téléphone;thèmes\nStructure B;Santé;;;;\n{row}\n"
    response = upload(client, content.encode())
    preview = text(client.get(response.headers["Location"]))
    assert message in preview
    assert "1 row can be imported" in preview and "1 row has problems" in preview
    decide(client, response, "import")
    assert "Structure B" in organisations() and "Structure A" not in organisations()


def test_duplicate_names_in_the_file_and_in_the_directory(client, coordinator):
    make_organisation(name="CAF de l'Yonne")
    content = (
        "nom;type\ncaf de l'yonne;Organisme de sécurité sociale\n"
        "UDAF;association\nudaf;association\n"
    )
    response = upload(client, content.encode())
    preview = text(client.get(response.headers["Location"]))
    assert "is already in the directory" in preview
    assert "Same name as line 3" in preview
    decide(client, response, "import")
    assert (
        db.session.execute(
            select(func.count()).where(func.lower(Organisation.name) == "udaf")
        ).scalar()
        == 1
    )


def test_a_20_megabyte_file_gets_a_clear_message(client, coordinator):
    content = b"nom;type\n" + b"x" * (20 * 1024 * 1024)
    response = upload(client, content)
    assert response.status_code == 422
    assert "larger than 5 MB" in text(response)


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(range(256)),
        bytes(range(1, 32)) * 100,
    ],
)
def test_a_binary_file_is_refused(client, coordinator, content):
    response = upload(client, content, "tableur.xlsx")
    assert response.status_code == 422
    assert "not a CSV text file" in text(response)


def test_an_empty_or_missing_file(client, coordinator):
    assert "The file is empty" in text(upload(client, b"   \n"))
    token, keys = form_fields(client, "/directory/import")
    response = client.post("/directory/import", data={"csrf_token": token, **keys})
    assert response.status_code == 422
    assert "Choose a file, or give the web address" in text(response)


def test_ten_thousand_rows(client, coordinator):
    lines = ["nom;type;ville"] + [f"Association n°{n};association;Joigny" for n in range(10_000)]
    lines[5000] = "Association bizarre;Extraterrestre;Joigny"
    response = upload(client, "\n".join(lines).encode())
    preview = text(client.get(response.headers["Location"]))
    assert "9999 rows can be imported" in preview and "Extraterrestre" in preview
    decide(client, response, "import")
    assert len(organisations()) == 1 + 9999


def test_import_nothing_writes_nothing(client, coordinator):
    response = upload(client, FRENCH_CSV.encode())
    done = decide(client, response, "cancel")
    assert done.status_code == 303
    assert "Épicerie sociale" not in organisations()
    assert db.session.execute(select(func.count()).select_from(DirectoryImport)).scalar() == 0


def test_importing_twice_imports_once(client, coordinator):
    response = upload(client, FRENCH_CSV.encode())
    decide(client, response, "import")
    again = decide(client, response, "import")
    assert again.status_code == 200
    assert "This file was imported" in text(again)
    count = db.session.execute(
        select(func.count()).where(Organisation.name == "Épicerie sociale")
    ).scalar()
    assert count == 1


def test_an_unknown_choice_is_refused(client, coordinator):
    response = upload(client, FRENCH_CSV.encode())
    assert decide(client, response, "drop-tables").status_code == 400


def test_another_users_upload_is_not_found(app, client, coordinator, organisation):
    response = upload(client, FRENCH_CSV.encode())
    other = app.test_client()
    sign_in(other, make_user(role=Role.COORDINATOR, organisation=organisation).email)
    assert other.get(response.headers["Location"]).status_code == 404


def test_professionals_cannot_import(client, login_as):
    login_as(Role.PROFESSIONAL)
    assert client.get("/directory/import").status_code == 403


def test_the_export_reads_back_without_errors(client, coordinator):
    response = upload(client, FRENCH_CSV.encode())
    decide(client, response, "import")
    exported = client.get("/directory/export.csv").get_data()
    from coordination.directory.csv_import import decode, read

    report = read(decode(exported), set())
    assert report.invalid == []
    names = {row.values["name"] for row in report.valid}
    assert {"Maison départementale des solidarités", "Épicerie sociale"} <= names
    assert re.search(r"Parentalit|Parenting", exported.decode("utf-8-sig"))


def test_sirets_are_checked_and_kept(client, coordinator):
    make_organisation(name="CCAS d'Auxerre", siret="21890206800012")
    content = (
        "nom;type;siret\n"
        "Ressourcerie;association;802 954 785 00027\n"
        "Autre ressourcerie;association;80295478500027\n"
        "Faux numéro;association;12345678901234\n"
        "CCAS bis;Organisme public;21890206800012\n"
    )
    response = upload(client, content.encode())
    preview = text(client.get(response.headers["Location"]))
    assert "1 row can be imported" in preview
    assert "Same SIRET as line 2" in preview
    assert "“12345678901234” is not a valid SIRET" in preview
    assert "Another organisation of the directory has the SIRET 21890206800012" in preview
    decide(client, response, "import")
    db.session.expire_all()
    siret = db.session.execute(
        select(Organisation.siret).where(Organisation.name == "Ressourcerie")
    ).scalar_one()
    assert siret == "80295478500027"
