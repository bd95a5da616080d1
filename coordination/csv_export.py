"""Spreadsheet exports: CSV (UTF-8 with its BOM, `;`, streamed) and .xlsx (text cells stay text).

CSV cannot say "this cell is text": LibreOffice and Excel turn `01000` into the number 1000 unless
the reader asks for it (LibreOffice: "Format quoted field as text", which works because every
text cell is quoted here). The .xlsx export says it in the file, so postal codes, phone numbers
and references read right with the default settings of every spreadsheet.
"""

import csv
import io
import re
from datetime import date, datetime

from flask import Response, stream_with_context
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A sign followed by digits, spaces and punctuation only ("+33 3 86 00 00 00", "-12,5"): a
# spreadsheet may compute it, but it cannot call a function or another program, so it needs no
# mark, and the reader sees the phone number as typed.
PLAIN_NUMBER = re.compile(r"[+\-][0-9 .,/()+\-]*")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """Keep spreadsheets from running a cell as a formula (CSV injection); numbers stay numbers."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_response(header, rows, filename):
    """Stream rows as a CSV file, a line at a time: memory stays flat however many rows.

    `rows` must be lazy (a generator function's generator): its queries run while streaming,
    after the request's own transaction has ended.
    """

    def lines():
        """The CSV's text, a batch of rows at a time."""
        buffer = io.StringIO()
        # Text quoted, numbers bare: a reader who imports quoted fields as text keeps `01000`.
        writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_NONNUMERIC)
        buffer.write("\ufeff")  # the BOM tells spreadsheet software the file is UTF-8
        writer.writerow(header)
        for row in rows:
            writer.writerow([neutralise(value) for value in row])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()

    return Response(
        stream_with_context(lines()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def xlsx_cell(sheet, value):
    """A cell whose text is stored as text: never a formula, never turned into a number."""
    if isinstance(value, datetime | date):
        value = value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return WriteOnlyCell(sheet, value=value)
    text = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl would store "=..." as a formula; a string cell never runs
    return cell


def xlsx_response(header, rows, filename, title):
    """The same rows as an .xlsx workbook (written row by row by openpyxl's write-only mode)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    titles = []
    for name in header:
        cell = xlsx_cell(sheet, name)
        cell.font = bold
        titles.append(cell)
    sheet.append(titles)
    for row in rows:
        sheet.append([xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return Response(
        buffer.getvalue(),
        mimetype=XLSX_MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
