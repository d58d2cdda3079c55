"""The rows of a bulk file, read as administrators have them.

``.csv`` (and any text file) with ``,`` ``;`` or a tab between the columns, as Excel saves it
in English or Danish: UTF-8 with or without a BOM, or Windows-1252 (a file of both is
refused, its first non-UTF-8 line named). ``.xlsx``: the first sheet. Columns
``employee,right[,action]`` or ``medarbejder;rettighed;handling``, in that order or named by a
header line in any case; actions ``grant``/``revoke`` or ``tildel``/``fjern``; rights by key or
by label (``flows.admin.grant.normalise_right``). Within limits of size, rows and columns. Blank lines and lines starting with ``#`` are skipped.

``load(path)`` gives the good rows and the bad ones (each with its line number); a file that
cannot be read at all raises ``SheetError`` with one message saying what was found and what
is expected.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from flows.admin.grant import normalise_right

# Column -> the header words that name it (English, Danish).
HEADERS = {
    "employee": ("employee", "medarbejder"),
    "right": ("right", "rettighed"),
    "action": ("action", "handling"),
}
COLUMNS = tuple(HEADERS)
# Action word (any case) -> grant | revoke.
VERBS = {"grant": "grant", "tildel": "grant", "revoke": "revoke", "fjern": "revoke"}
# Bounded work for bounded input: a bulk file of more is refused, with one message saying which
# limit and how to split it. 10,000 rows take hours against a portal; the columns read are three.
MAX_FILE_BYTES = 10_000_000
MAX_XLSX_UNPACKED = 20_000_000  # all members of an .xlsx, as its zip headers declare them (10,000 rows: ~2 MB)
MAX_ROWS = 10_000  # rows with something in them, the header line included
MAX_ROWS_READ = 10 * MAX_ROWS  # rows read at all, empty ones included (reading stops there: decision 0006)
MAX_COLUMNS = 20
SPLIT = f"split it into files of at most {MAX_ROWS:,} rows (each with the header line) and run them one after another"
DELIMITERS = (";", "\t", ",")  # Danish Excel first: a name may hold a comma, rarely a semicolon
EXPECTED = (
    "expected the columns employee,right[,action] or medarbejder;rettighed;handling "
    "(separated by , ; or tab; a header line is optional)"
)


class SheetError(ValueError):
    """The file cannot be read as a bulk file; the message says what was found and what is expected."""


@dataclass(frozen=True)
class Row:
    """One well-formed line of the file."""

    line: int
    employee: str
    right: str
    action: str = "grant"


@dataclass(frozen=True)
class BadRow:
    """A line that cannot be done as written (``text`` is the line as read)."""

    line: int
    text: str
    error: str


@dataclass(frozen=True)
class Malformed:
    """In place of a line's cells: the line could not be split into cells (``reason`` says why)."""

    reason: str


def _hidden(character: str) -> bool:
    """A control character (Unicode Cc: NUL, a tab or line break inside a cell, ...) or an
    invisible one (Cf: zero-width, bidi): no employee's e-mail, name or right holds one."""
    return unicodedata.category(character) in ("Cc", "Cf")


def _visible(text: str) -> str:
    """``text`` with its hidden characters written out (``\\x00``, ``\\u200b``), for messages."""
    return "".join(
        character.encode("unicode_escape").decode("ascii") if _hidden(character) else character for character in text
    )


# One valid multi-byte UTF-8 sequence (RFC 3629). Windows-1252 text (Danish names) practically
# never holds one, while every UTF-8 file with a letter beyond ASCII does.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
SAVE_AS_UTF8 = 'save the whole file again as "CSV UTF-8" from Excel'


def decode(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (a BOM dropped) when all of it is UTF-8, as Excel's
    "CSV UTF-8" is; Windows-1252 (Excel's "CSV") when none of it is, i.e. no byte sequence in it
    is a UTF-8 letter. A file of both is never guessed (one guess garbles the other's names):
    SheetError names the first line that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    bad_line = data.count(b"\n", 0, first_bad) + 1
    utf8 = _UTF8_SEQUENCE.search(data)
    if utf8:
        utf8_line = data.count(b"\n", 0, utf8.start()) + 1
        where = "other parts of it are" if utf8_line == bad_line else f"line {utf8_line} is"
        raise SheetError(
            f"line {bad_line} is not UTF-8 (byte 0x{data[first_bad]:02X}), though {where}: the file mixes two "
            f"encodings; {SAVE_AS_UTF8}, or retype line {bad_line}"
        )
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SheetError(
            f"line {line} holds the byte 0x{data[exc.start]:02X}, which is neither UTF-8 nor Windows-1252; "
            f"{SAVE_AS_UTF8}"
        ) from None


def _content_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def sniff_delimiter(text: str) -> str | None:
    """The column separator: the one a header line splits into known column names, else the
    first of ``; tab ,`` found on every line (up to 20), else the commonest; None if none occurs."""
    lines = _content_lines(text)[:20]
    if not lines:
        return None
    known = {word for words in HEADERS.values() for word in words}
    for delimiter in DELIMITERS:
        first = [cell.strip().lower() for cell in lines[0].split(delimiter)]
        if len(first) > 1 and known & set(first):
            return delimiter
    for delimiter in DELIMITERS:
        if all(delimiter in line for line in lines):
            return delimiter
    counts = {delimiter: sum(delimiter in line for line in lines) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else None


def _bounded(
    numbered: Iterable[tuple[int, list[str] | Malformed]], unit: str
) -> list[tuple[int, list[str] | Malformed]]:
    """The (number, cells) of ``numbered``, read no further than the row and column limits:
    SheetError at the first row beyond MAX_ROWS (counting rows with something in them) or
    MAX_ROWS_READ (counting every row), or at the first value beyond MAX_COLUMNS. Empty cells
    past the limit (Excel's padding, a run of separators) are dropped."""
    out: list[tuple[int, list[str] | Malformed]] = []
    filled = 0
    for number, cells in numbered:
        if number > MAX_ROWS_READ:
            raise SheetError(
                f"the file goes on past {unit} {MAX_ROWS_READ:,} (empty {unit}s counted, or only formatted ones); "
                f"it is read to {unit} {MAX_ROWS_READ:,} at most: delete the empty {unit}s below the data, or {SPLIT}"
            )
        if isinstance(cells, Malformed):
            out.append((number, cells))
            continue
        if len(cells) > MAX_COLUMNS:
            beyond = [index for index, cell in enumerate(cells) if index >= MAX_COLUMNS and cell.strip()]
            if beyond:
                raise SheetError(
                    f"{unit} {number} has a value in column {beyond[-1] + 1}; a bulk file has at most "
                    f"{MAX_COLUMNS} columns (it reads three: {', '.join(COLUMNS)}): delete the columns after "
                    "those, or copy the three into a new file"
                )
            cells = cells[:MAX_COLUMNS]
        if any(cell.strip() for cell in cells):
            filled += 1
            if filled > MAX_ROWS:
                raise SheetError(f"the file has more than {MAX_ROWS:,} rows (the limit); {SPLIT}")
        out.append((number, cells))
    return out


def csv_cells(text: str) -> list[tuple[int, list[str] | Malformed]]:
    """(line number, cells) of every line of a CSV text, the separator sniffed."""
    text = text.lstrip("\ufeff")
    delimiter = sniff_delimiter(text)
    if delimiter is None:
        first = (_content_lines(text) or [""])[0]
        raise SheetError(f"found one column on every line (first line: {first[:60]!r}); {EXPECTED}")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, skipinitialspace=True)

    def numbered() -> Iterator[tuple[int, list[str] | Malformed]]:
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield start, Malformed(f"malformed line: {exc}")
                continue
            yield start, cells

    return _bounded(numbered(), "line")


def xlsx_cells(path: Path) -> list[tuple[int, list[str] | Malformed]]:
    """(row number, cells) of the first sheet of an Excel workbook."""
    # On first use: `sesag bulk --help` and a CSV file need no openpyxl (decision 0013).
    from openpyxl import load_workbook

    def unreadable(exc: Exception) -> SheetError:
        return SheetError(f"{path.name} is not a readable .xlsx workbook ({exc}); {EXPECTED}")

    try:
        # zipfile inflates a member to no more than the size its header declares, so the
        # headers bound the work openpyxl can be made to do.
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise unreadable(exc) from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise SheetError(
            f"{path.name} unpacks to {unpacked / 1e6:.1f} MB; at most {MAX_XLSX_UNPACKED // 1_000_000} MB "
            f"of workbook is read: {SPLIT}, or save only the sheet with the rows as a new workbook"
        )
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise unreadable(exc) from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the rows as they are, not as <dimension ref> claims (it may say A1:XFD1048576)
        rows = (
            (number, ["" if value is None else str(value).strip() for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        return _bounded(rows, "row")
    finally:
        workbook.close()


def _header(line: int, cells: list[str]) -> list[str] | None:
    """The column order a header line names, None when the line is not a header."""
    lowered = [cell.strip().lower() for cell in cells]
    names = {word: column for column, words in HEADERS.items() for word in words}
    if not any(cell in names for cell in lowered):
        return None
    unknown = [cell for cell in lowered if cell and cell not in names]
    order = [names.get(cell, "") for cell in lowered]
    while order and order[-1] == "":
        order.pop()
    if unknown or "employee" not in order or "right" not in order or len(set(order)) != len(order):
        raise SheetError(f"line {line}: the header {' | '.join(cells)!r} is not one this tool reads; {EXPECTED}")
    return order


def _hidden_in(cells: list[str], order: list[str] | None) -> str | None:
    """Why a row with a control or invisible character in a cell cannot be done; None without."""
    names = order or list(COLUMNS)
    for index, cell in enumerate(cells):
        found = next((character for character in cell if _hidden(character)), None)
        if found is not None:
            column = names[index] if index < len(names) else f"column {index + 1}"
            return (
                f"the {column} cell holds a control or invisible character (U+{ord(found):04X}); "
                "retype the cell without it"
            )
    return None


def parse_cells(lines: list[tuple[int, list[str] | Malformed]]) -> tuple[list[Row], list[BadRow]]:
    """Split (line, cells) into good rows and bad rows (a cell with a control or invisible
    character makes its row a bad row: it is never sent to the portal)."""
    rows: list[Row] = []
    bad: list[BadRow] = []
    order: list[str] | None = None
    for line, cells in lines:
        if isinstance(cells, Malformed):
            bad.append(BadRow(line, "", cells.reason))
            continue
        cells = [cell.strip() for cell in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        text = _visible(" | ".join(cell for cell in cells))
        hidden = _hidden_in(cells, order)
        if hidden:
            bad.append(BadRow(line, text, hidden))
            continue
        if order is None:
            order = _header(line, cells)
            if order is not None:
                continue
            order = list(COLUMNS)
        while len(cells) > len(order) and cells[-1] == "":
            cells.pop()  # trailing separators
        if len(cells) < 2 or len(cells) > len(order):
            bad.append(
                BadRow(
                    line,
                    text,
                    f"expected {','.join(order)} ({len(order)} columns, the last optional); got {len(cells)} column(s)",
                )
            )
            continue
        values = dict(zip(order, cells, strict=False))
        employee = " ".join(values.get("employee", "").split())
        if not employee:
            bad.append(BadRow(line, text, "no employee given"))
            continue
        try:
            right = normalise_right(values.get("right", ""))
        except ValueError as exc:
            bad.append(BadRow(line, text, str(exc)))
            continue
        verb = (values.get("action") or "grant").strip().lower()
        if verb not in VERBS:
            bad.append(
                BadRow(line, text, f"unknown action {values.get('action')!r}; choose grant/tildel or revoke/fjern")
            )
            continue
        rows.append(Row(line, employee, right, VERBS[verb]))
    return rows, bad


def parse_text(text: str) -> tuple[list[Row], list[BadRow]]:
    """The rows of a CSV text (the separator sniffed)."""
    return parse_cells(csv_cells(text))


def load(path: Path) -> tuple[list[Row], list[BadRow]]:
    """The rows of the file at ``path`` (.xlsx by its name, else a CSV text)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xls", ".ods", ".numbers"):
        raise SheetError(f"{path.name} is a {suffix} file; save it as .xlsx or CSV from the spreadsheet. {EXPECTED}")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SheetError(
                f"{path.name} is {size / 1e6:.1f} MB; a bulk file may be at most {MAX_FILE_BYTES // 1_000_000} MB "
                f"(and {MAX_ROWS:,} rows): {SPLIT}"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise SheetError(f"cannot read {path}: {exc.strerror}") from None
    if suffix in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        return parse_cells(xlsx_cells(path))
    sample = data[:4096]
    if sample.count(b"\0") > max(2, len(sample) // 100):  # a stray NUL in a cell is that row's problem
        raise SheetError(f"{path.name} is not a text file (it holds binary data); {EXPECTED}")
    return parse_cells(csv_cells(decode(data)))
