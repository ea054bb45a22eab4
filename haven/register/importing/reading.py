"""Reading an import file (CSV in UTF-8, or Excel .xlsx) into rows of text, with plain problems."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

EXTRA_VALUES = "\x00extra"  # marks a row with more values than the header has columns


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: Iterator[tuple[int, dict[str, str]]]  # (row number as a spreadsheet shows it, values)


def _column_name(text: Any) -> str:
    return str(text or "").strip().lower().replace(" ", "_")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def sniff_kind(head: bytes) -> str:
    """'xlsx' or 'csv', by content, never by name."""
    return "xlsx" if head.startswith(b"PK\x03\x04") else "csv"


def open_table(path: Path, *, max_bytes: int) -> Table:
    """Open ``path`` and return its column names and a lazy iterator of its rows."""
    size = path.stat().st_size
    if size == 0:
        raise FileProblem("The file is empty.")
    if size > max_bytes:
        raise FileProblem(
            f"The file is {size / 1_000_000:.0f} MB; the largest file Haven imports is "
            f"{max_bytes / 1_000_000:.0f} MB. Split it into smaller files and import each."
        )
    with path.open("rb") as handle:
        head = handle.read(8)
    if sniff_kind(head) == "xlsx":
        return _open_xlsx(path)
    return _open_csv(path)


def _open_csv(path: Path) -> Table:
    handle: IO[str] = io.TextIOWrapper(path.open("rb"), encoding="utf-8-sig", errors="strict", newline="")
    # Check the whole file decodes before anything is read as rows: a bad byte late in the file
    # must not surface half-way through a check.
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    with path.open("rb") as raw:
        line = 1
        try:
            for block in iter(lambda: raw.read(1 << 20), b""):
                decoder.decode(block)
                line += block.count(b"\n")
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            raise FileProblem(
                f"The file is not in UTF-8 (a byte near line {line} cannot be read). In Excel choose "
                "'Save as' and 'CSV UTF-8 (Comma delimited)', or upload the .xlsx file."
            ) from error
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        handle.close()
        raise FileProblem("The file is empty.") from None
    except csv.Error as error:
        handle.close()
        raise FileProblem(f"The first line cannot be read as CSV ({error}).") from error
    columns = [_column_name(c) for c in header]

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for number, values in enumerate(reader, start=2):
                if not any(v.strip() for v in values):
                    continue
                row = {c: (values[i].strip() if i < len(values) else "") for i, c in enumerate(columns)}
                if any(v.strip() for v in values[len(columns) :]):
                    row[EXTRA_VALUES] = "yes"
                yield number, row
        finally:
            handle.close()

    return Table(columns=columns, rows=rows())


def _open_xlsx(path: Path) -> Table:
    import openpyxl  # imported here: only Excel uploads pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    # An open file, not the path: stored uploads are named *.upload, and openpyxl refuses a path
    # whose name does not end .xlsx. The content was already sniffed as a zip above.
    raw = path.open("rb")
    try:
        book = openpyxl.load_workbook(raw, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, InvalidFileException) as error:
        raw.close()
        raise FileProblem("The file looks like an Excel file but cannot be opened; save it again as .xlsx.") from error

    def close() -> None:
        book.close()
        raw.close()

    sheet = book.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    try:
        header = next(cells)
    except StopIteration:
        close()
        raise FileProblem("The first sheet of the workbook is empty.") from None
    columns = [_column_name(c) for c in header]
    while columns and not columns[-1]:
        columns.pop()

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for number, values in enumerate(cells, start=2):
                texts = [_cell_text(v) for v in values]
                if not any(texts):
                    continue
                yield number, {c: (texts[i] if i < len(texts) else "") for i, c in enumerate(columns)}
        finally:
            close()

    return Table(columns=columns, rows=rows())
