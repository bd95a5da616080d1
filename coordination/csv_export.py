"""CSV for spreadsheets: UTF-8 with its BOM, `;`, formula cells neutralised, streamed."""

import csv
import io

from flask import Response, stream_with_context

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Keep spreadsheets from running a cell as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(header, rows, filename):
    """Stream rows as a CSV file, a line at a time: memory stays flat however many rows.

    `rows` must be lazy (a generator function's generator): its queries run while streaming,
    after the request's own transaction has ended.
    """

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
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
