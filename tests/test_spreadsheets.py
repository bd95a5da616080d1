"""The exports opened in LibreOffice Calc (headless), with the CSV options a user would set
(separator `;`, UTF-8), then read back cell by cell: text stays text, formulas never run."""

import os
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from coordination.models import Horizon, Role
from tests.factories import make_action, make_person, make_user
from tests.test_directory_export import entry_with_everything

SOFFICE = shutil.which("soffice")
# CI installs LibreOffice (.ci/run): there a missing soffice is a failure, not a skip.
pytestmark = pytest.mark.skipif(
    SOFFICE is None and not os.environ.get("CI"), reason="LibreOffice (soffice) is not installed"
)
# LibreOffice's CSV filter options: separator 59 (;), text delimiter 34 ("), charset 76 (UTF-8),
# from line 1, standard cell formats, French; then "format quoted field as text".
AS_A_USER_SETS_IT = "59,34,76,1,,1036,false,false"
QUOTED_AS_TEXT = "59,34,76,1,,1036,true,false"


def calc(tmp_path, paths, csv_options=None):
    """Open files in LibreOffice Calc and save them as .xlsx; return their first sheets' rows."""
    out = tmp_path / "out"
    command = [
        SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
        "--norestore", "--convert-to", "xlsx", "--outdir", str(out),
    ]  # fmt: skip
    if csv_options:
        command.append(f"--infilter=CSV:{csv_options}")
    subprocess.run([*command, *map(str, paths)], check=True, capture_output=True, timeout=180)
    sheets = {}
    for path in paths:
        sheet = load_workbook(out / f"{path.stem}.xlsx").active
        sheets[path.name] = [list(row) for row in sheet.iter_rows()]
    return sheets


def download(client, url, path):
    """Save an export to a file, as a browser would."""
    response = client.get(url)
    assert response.status_code == 200
    path.write_bytes(response.get_data())
    return path


def row_named(rows, start):
    """The row whose first cell starts with the given text."""
    return next(row for row in rows if str(row[0].value).startswith(start))


def test_the_directory_csv_in_calc(tmp_path, client, login_as):
    login_as(Role.PROFESSIONAL)
    entry_with_everything()
    csv_file = download(client, "/directory/export.csv", tmp_path / "annuaire.csv")
    rows = calc(tmp_path, [csv_file], AS_A_USER_SETS_IT)["annuaire.csv"]
    assert [cell.value for cell in rows[0][:3]] == ["name", "kind", "missions"]
    row = row_named(rows, "'=HYPERLINK")
    assert row[0].data_type == "s"  # the neutralised formula is text, not a formula
    assert row[2].value.startswith("'@SUM")
    assert (row[6].value, row[6].data_type) == ("+33 3 86 62 12 34", "s")  # no apostrophe
    assert row[11].value == "'-Paul Girard"
    assert row[5].value == "Joigny" and "Housing" in row[10].value
    # "Format quoted field as text": every text cell is quoted, so the postal code stays 01000.
    as_text = calc(tmp_path, [csv_file], QUOTED_AS_TEXT)["annuaire.csv"]
    assert row_named(as_text, "'=HYPERLINK")[4].value == "01000"
    assert row_named(as_text, "'=HYPERLINK")[15].value == "21890206800012"


def test_the_xlsx_exports_in_calc(tmp_path, client, login_as, organisation):
    coordinator = login_as(Role.COORDINATOR)
    entry_with_everything()
    person = make_person(make_user(organisation=organisation))
    make_action(person, organisation, title="=1+1", horizon=Horizon.SHORT)
    files = [
        download(client, "/directory/export.xlsx", tmp_path / "annuaire.xlsx"),
        download(client, "/dashboard/export.xlsx", tmp_path / "suivi.xlsx"),
    ]
    sheets = calc(tmp_path, files)
    row = row_named(sheets["annuaire.xlsx"], '=HYPERLINK("http')
    assert row[0].data_type == "s"  # text cells never run, with no mark to see
    assert (row[4].value, row[4].data_type) == ("01000", "s")
    assert (row[6].value, row[6].data_type) == ("+33 3 86 62 12 34", "s")
    assert row[11].value == "-Paul Girard"
    action = row_named(sheets["suivi.xlsx"], person.reference)
    assert action[0].value == person.reference
    assert (action[2].value, action[2].data_type) == ("=1+1", "s")
    assert coordinator
