"""The register written out, in constant memory whatever its length: CSV as a stream of byte
chunks (sent as they are made), XLSX through openpyxl's write-only mode into a file.

Spreadsheet safety: a cell starting with = + - @ (or a tab/CR) is a formula to Excel and
LibreOffice. CSV cells like that get a leading apostrophe (OWASP "CSV injection"); XLSX
cells are typed as text, so they show as written and never run.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any, BinaryIO

from exports.register import HEADERS

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A CSV chunk is sent once this many characters are buffered: few enough writes to the
# socket, little enough memory per request.
CSV_CHUNK_CHARS = 64 * 1024
# The byte-order mark makes Excel read the file as UTF-8 (supplier names are often not ASCII).
BOM = "\ufeff"

Row = list[Any]


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_chunks(rows: Iterable[Row]) -> Iterator[bytes]:
    """The CSV file as UTF-8 byte chunks of about CSV_CHUNK_CHARS, the first with the BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
        if buffer.tell() >= CSV_CHUNK_CHARS:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def register_csv(rows: Iterable[Row]) -> bytes:
    return b"".join(csv_chunks(rows))


def write_register_xlsx(rows: Iterable[Row], fileobj: BinaryIO) -> None:
    """The workbook into `fileobj`. Write-only mode streams each row to a temporary file as
    it is appended, so the rows are never all in memory; saving zips that file."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Assessment register")
    bold = Font(bold=True)
    header = []
    for title in HEADERS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            elif isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            cells.append(cell)
        sheet.append(cells)
    workbook.save(fileobj)


def register_xlsx(rows: Iterable[Row]) -> bytes:
    buffer = io.BytesIO()
    write_register_xlsx(rows, buffer)
    return buffer.getvalue()


def write_register(rows: Iterable[Row], file_format: str, fileobj: BinaryIO) -> None:
    """The register in `file_format` (csv or xlsx) into `fileobj`, as the worker writes it."""
    if file_format == "xlsx":
        write_register_xlsx(rows, fileobj)
        return
    for chunk in csv_chunks(rows):
        fileobj.write(chunk)


def counted(rows: Iterable[Row], on_progress: Callable[[int], None]) -> Iterator[Row]:
    """`rows`, calling on_progress(rows so far) after each."""
    for done, row in enumerate(rows, start=1):
        yield row
        on_progress(done)
