"""A roster file as a table of text cells: CSV as spreadsheets and HR tools write it, or the
first sheet of an ``.xlsx`` workbook.

CSV comes in UTF-8 with or without a BOM (sometimes Windows-1252 or UTF-16), separated by
commas, semicolons or tabs. A workbook is read in openpyxl's read-only mode, values only (a
formula gives the value Excel saved), so a big one streams instead of loading whole. Both
have the same bounds: the file's size (:data:`MAX_ROSTER_BYTES`), its columns
(:data:`MAX_COLUMNS`), and for a workbook what its zip may inflate to and Excel's own row
count, so a zip bomb or a forged row number is one sentence, not memory running out.

The cells are read lazily (:meth:`RosterTable.records`), so parsing a big CSV never holds a
second copy of it; the preview reads them again with another column mapping.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import partial
from pathlib import Path
from typing import Any

from app.errors import RippleError
from app.platform.inputs import MB, read_regular

#: The largest roster read (100,000 people are about 6 MB as CSV).
MAX_ROSTER_BYTES = 64 * MB
#: The most columns a roster's header may have (HR exports have a few dozen).
MAX_COLUMNS = 256
#: What a workbook's zip may inflate to at most, all parts together.
MAX_WORKBOOK_INFLATED = 4 * MAX_ROSTER_BYTES
#: Excel's own last row: a workbook claiming more rows is forged.
MAX_SHEET_ROWS = 1_048_576

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # password-protected .xlsx, or an old .xls

Records = Iterator[tuple[int, list[str]]]


@dataclass
class RosterTable:
    """A roster file's header and a way to read its rows again: ``records()`` yields (line or
    row number, cells) for every row after the header, blank ones included."""

    header: list[str]
    header_line: int
    unit: str  # "line" (CSV) or "row" (a workbook)
    records: Callable[[], Records]


def _read_bytes(source: bytes | str | Path) -> bytes:
    if isinstance(source, Path):
        return read_regular(source, "a roster", max_bytes=MAX_ROSTER_BYTES)
    if isinstance(source, str):
        return source.encode("utf-8")
    return source


def read_roster_table(source: bytes | str | Path) -> RosterTable:
    """The table in a roster file (a path, its bytes, or CSV text), or one sentence saying
    why it cannot be read; nothing is imported here."""
    data = _read_bytes(source)
    if data.startswith(_OLE):
        raise RippleError(
            "This roster is a password-protected workbook or an old Excel (.xls) file; save it "
            "without a password as .xlsx or CSV and import that."
        )
    if data.startswith(_ZIP):
        return _workbook_table(data)
    if isinstance(source, Path) and source.suffix.lower() in (".xlsx", ".xlsm"):
        # Named as a workbook but not one (damaged, or renamed): read as CSV, its first line
        # became a "column" and the preview asked for a name column that was never there.
        raise RippleError(f"“{source.name}” is not a workbook Ripple can read (it may be damaged, or another "
                          "kind of file renamed); open it in a spreadsheet, save it again as .xlsx or CSV, "
                          "and import that.")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RippleError("This file is not a CSV roster or an .xlsx workbook (it looks like another kind of file).")
    return _csv_table(_decode(data))


# ---------------------------------------------------------------- CSV


def _decode(data: bytes) -> str:
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise RippleError("This roster says it is UTF-16 text but is not; save it again as CSV (UTF-8).") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _sniff_delimiter(text: str) -> str:
    first = next((ln for ln in text[:65536].splitlines() if ln.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_records(text: str, delimiter: str, skip: int) -> Records:
    """(line, cells) for every record after the first ``skip`` lines. A record spanning
    lines is a quote left open (a name never holds a line break): its line is named."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    try:
        for raw in reader:
            line = reader.line_num
            if line != start:
                raise RippleError(
                    f"Line {start} of the roster opens a quote (\") that runs on to line {line}; "
                    f"check the quotes on line {start}."
                )
            start = line + 1
            if line > skip:
                yield line, raw
    except csv.Error as exc:
        if "end of data" in str(exc):
            raise RippleError(
                f"Line {start} of the roster opens a quote (\") that is never closed; check the quotes there."
            ) from None
        raise RippleError(
            f"Line {start} of the roster could not be read as CSV ({exc}); check the quotes there."
        ) from None


def _csv_table(text: str) -> RosterTable:
    if not text.strip():
        raise RippleError("The roster file is empty.")
    delimiter = _sniff_delimiter(text)
    for line, raw in _csv_records(text, delimiter, 0):
        if any(c.strip() for c in raw):
            header = _header(raw, line)
            return RosterTable(header, line, "line", partial(_csv_records, text, delimiter, line))
    raise RippleError("The roster file is empty.")


def _header(raw: list[str], line: int) -> list[str]:
    while raw and not raw[-1].strip():
        raw = raw[:-1]
    if len(raw) > MAX_COLUMNS:
        raise RippleError(
            f"The roster's header (line {line}) has {len(raw):,} columns; Ripple reads rosters of "
            f"up to {MAX_COLUMNS} columns."
        )
    return [c.strip() for c in raw]


# ---------------------------------------------------------------- workbooks


_UNREADABLE = ("Ripple cannot read this workbook (it may be damaged or not an .xlsx file); open it in "
               "a spreadsheet, save it again as .xlsx or CSV, and import that.")


def _check_zip(data: bytes) -> None:
    """Refuse, before openpyxl opens it, a workbook that is encrypted, damaged, or inflates
    beyond :data:`MAX_WORKBOOK_INFLATED` (the sizes a zip declares bound what it can inflate)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError):
        raise RippleError(_UNREADABLE) from None
    if any(info.flag_bits & 0x1 for info in infos):
        raise RippleError("This workbook is password-protected; save it without a password and import it again.")
    if sum(info.file_size for info in infos) > MAX_WORKBOOK_INFLATED:
        raise RippleError(
            f"This workbook unpacks to more than {MAX_WORKBOOK_INFLATED / MB:,.0f} MB, more than a roster "
            "can be; save the people's sheet alone as CSV and import that."
        )
    if "xl/workbook.xml" not in {info.filename for info in infos}:
        raise RippleError(_UNREADABLE)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _sheet_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) for the rows of the first sheet that have cells."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except RippleError:
        raise
    except Exception:  # openpyxl's errors on a damaged file are many and undocumented
        raise RippleError(_UNREADABLE) from None
    try:
        if not book.worksheets:
            raise RippleError("This workbook has no sheet to read people from.")
        sheet = book.worksheets[0]
        # The used range a file declares may be wrong either way (rows past it would be lost,
        # a forged "A1:XFD1048576" pads every row): read the cells that are there instead.
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_SHEET_ROWS:
                raise RippleError(f"This workbook's sheet has more than {MAX_SHEET_ROWS:,} rows, more than Excel allows.")
            if not values:  # a row the file leaves out
                continue
            end = min(len(values), MAX_COLUMNS + 1)  # one past the widest header: "more cells than the header"
            while end and values[end - 1] is None:
                end -= 1
            yield number, [_cell_text(v) for v in values[:end]]
    except RippleError:
        raise
    except Exception:
        raise RippleError(_UNREADABLE) from None
    finally:
        book.close()


def _workbook_table(data: bytes) -> RosterTable:
    _check_zip(data)
    rows = _sheet_rows(data)
    for number, raw in rows:
        if any(c.strip() for c in raw):
            header = _header(raw, number)
            body = list(rows)  # a workbook is read once; the preview reads the rows again from here
            return RosterTable(header, number, "row", body.__iter__)
    raise RippleError("The workbook's first sheet is empty.")
