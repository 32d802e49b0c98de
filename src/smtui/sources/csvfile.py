"""Reading CSV exports as they really arrive: any encoding, delimiter, preamble and line ending.

Real exports come as UTF-8, UTF-8 with a BOM or UTF-16 with a BOM; spreadsheets re-save them
with ``;`` delimiters and ``sep=,`` hint lines; some put a description sentence above the header.
So the header is *found* (the first row holding every wanted column, under the delimiter that
makes it so) rather than assumed to be line 1, and rows are streamed with the line number where
each starts, for error messages a user can follow.
"""

from __future__ import annotations

import codecs
import csv
import io
import re

from smtui.sources.base import SNIFF_BYTES
from smtui.sources.errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

# Delimiters tried when none is configured, in order of preference for ties.
DELIMITERS = (",", ";", "\t", "|")
# How many rows above the header a file may carry (titles, descriptions, blank lines).
MAX_PREAMBLE_ROWS = 10
_ENCODING_NAMES = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "utf-16": "UTF-16"}


class TableLayout:
    """Where the table in a CSV file starts: its delimiter and the index of its header row."""

    __slots__ = ("delimiter", "header_row")

    def __init__(self, delimiter: str, header_row: int) -> None:
        self.delimiter = delimiter
        self.header_row = header_row

    def __repr__(self) -> str:
        return f"TableLayout({self.delimiter!r}, {self.header_row})"


def read_head(path: str) -> bytes:
    """The first :data:`SNIFF_BYTES` of ``path``, or an :class:`InputError` saying why not."""
    try:
        with open(path, "rb") as handle:
            return handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise InputError(path, "a readable file", got=exc.strerror or str(exc)) from exc


def detect_encoding(head: bytes) -> str:
    """``utf-8-sig``, ``utf-16`` or ``utf-8`` from the byte order mark, if any."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8"


def normalise_encoding(name: str) -> str:
    """The codec for a configured encoding (UTF-8 also accepts a BOM); LookupError if unknown."""
    canonical = codecs.lookup(name).name
    return "utf-8-sig" if canonical == "utf-8" else canonical


def looks_binary(head: bytes, encoding: str) -> bool:
    """True for spreadsheets, archives, images: NUL bytes never occur in 8-bit text."""
    return "16" not in encoding and "32" not in encoding and b"\x00" in head


def decode_head(head: bytes, encoding: str) -> str:
    """A file's first bytes as text; a character cut off at the end is dropped."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    return decoder.decode(head, final=False)


def normalise(name: str) -> str:
    """Header names compare case-insensitively with whitespace collapsed (exports vary both)."""
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def field_key(name: str) -> str:
    """A header as a key for ``extra``: ``Impressions (organic)`` -> ``impressions_organic``.

    Letters and digits are kept (lower-cased), every run of anything else becomes one ``_``;
    platform-specific columns stored as they come get predictable names this way.
    """
    out: list[str] = []
    for char in normalise(name):
        if char.isalnum():
            out.append(char)
        elif out and out[-1] != "_":
            out.append("_")
    return "".join(out).strip("_")


def header_keys(cells: Iterable[str]) -> list[str]:
    """Normalised, unique names for a header row: a repeated ``Views`` becomes ``views.1``."""
    seen: dict[str, int] = {}
    keys: list[str] = []
    for cell in cells:
        key = normalise(cell)
        count = seen.get(key, 0)
        seen[key] = count + 1
        keys.append(f"{key}.{count}" if count else key)
    return keys


def _sep_hint(text: str) -> str | None:
    """The delimiter named by an Excel ``sep=;`` first line, if there is one."""
    first = text.lstrip("\ufeff").split("\n", 1)[0].split("\r", 1)[0].strip().strip('"')
    if len(first) == 5 and first[:4].casefold() == "sep=":
        return first[4]
    return None


def _rows(text: str, delimiter: str, limit: int) -> list[list[str]]:
    """The first ``limit`` rows of ``text``, up to any CSV error (a quote still open where the
    head ends, say)."""
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            rows.append(row)
            if len(rows) >= limit:
                break
    except csv.Error:
        pass
    return rows


def find_header(text: str, wanted: set[str], delimiter: str | None = None) -> TableLayout | None:
    """The layout whose header row contains every normalised name in ``wanted``, or None.

    ``text`` is the decoded head of the file. A configured ``delimiter`` is the only one tried;
    otherwise an Excel ``sep=`` line decides, and failing that each of :data:`DELIMITERS`.
    """
    hint = _sep_hint(text)
    start = 1 if hint is not None else 0
    candidates = (delimiter,) if delimiter else (hint,) if hint else DELIMITERS
    best: TableLayout | None = None
    for candidate in candidates:
        rows = _rows(text, candidate, start + MAX_PREAMBLE_ROWS)
        for index in range(start, len(rows)):
            if wanted <= set(header_keys(rows[index])):
                if best is None or index < best.header_row:
                    best = TableLayout(candidate, index)
                break
    return best


def first_row(text: str, delimiter: str | None = None) -> list[str]:
    """The first non-blank row of ``text`` (after a ``sep=`` line), to show in error messages."""
    hint = _sep_hint(text)
    chosen = delimiter or hint
    if chosen is None:
        line = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
        try:
            chosen = csv.Sniffer().sniff(line, delimiters="".join(DELIMITERS)).delimiter
        except csv.Error:
            chosen = ","
    rows = _rows(text, chosen, MAX_PREAMBLE_ROWS + 1)[1 if hint else 0 :]
    return next((row for row in rows if any(cell.strip() for cell in row)), [])


def read_table(
    path: str, encoding: str, layout: TableLayout, *, config_table: str = ""
) -> Iterator[tuple[int, list[str]]]:
    """Stream ``(line, cells)`` for the header row and then each non-blank data row.

    ``line`` is the 1-based line where the row starts (a quoted cell may span lines). Bytes
    that are not text in ``encoding`` raise an :class:`InputError` at the line holding them;
    ``config_table`` (``[sources.posts]``) is named in the hint on how to fix that. A file that
    ends in the middle of a row (cut short) raises one once its rows are read
    (:func:`check_ending`).
    """
    try:
        handle = open(path, encoding=encoding, errors="surrogateescape", newline="")  # noqa: SIM115
    except OSError as exc:
        raise InputError(path, "a readable file", got=exc.strerror or str(exc)) from exc
    with handle:
        reader = csv.reader(handle, delimiter=layout.delimiter)
        index = -1
        width = 0
        uneven = 0  # data rows whose width is not the header's
        last_line, last_row = 0, None
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise csv_error(path, exc, line) from exc
            index += 1
            if not any(row):
                last_row = None  # a blank line ends the file cleanly
                continue
            last_line, last_row = line, row
            if index < layout.header_row:
                continue
            _check_text(row, path, line, encoding, config_table)
            if index == layout.header_row:
                row[0] = row[0].lstrip("\ufeff")
                width = len(row)
            elif len(row) != width:
                uneven += 1
            yield line, row
        ended = reader.line_num
    if last_row is not None and index > layout.header_row:
        # A short last row is a sign of a cut only where the other rows are whole.
        ragged = uneven > (len(last_row) != width)
        last = (last_line, last_row)
        check_ending(path, encoding, layout.delimiter, last, ended, 0 if ragged else width)


def csv_error(path: str, error: csv.Error, line: int) -> InputError:
    """The :class:`InputError` for a row the csv module could not read.

    The csv module refuses a field over its size limit; what that usually means is a quote
    that never closes, swallowing the rest of the file into one field, so the error says so.
    """
    message = str(error)
    if message.startswith("field larger than field limit"):
        return InputError(
            path,
            f"a field of at most {csv.field_size_limit():,} characters",
            got="a longer one",
            line=line,
            hint="a quote that never closes takes in the rest of the file:"
            " check the quotes from this line on",
        )
    return InputError(path, "well-formed CSV", got=message, line=line)


# How much of the end of a file is read to look at its last row.
_TAIL_BYTES = 256 * 1024
_PHYSICAL_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def check_ending(
    path: str,
    encoding: str,
    delimiter: str,
    last: tuple[int, list[str]],
    ended: int,
    width: int = 0,
) -> None:
    """Refuse a file that ends in the middle of its last row: an interrupted download or copy.

    ``last`` is the last row read and the line it starts on, ``ended`` the line the reader
    stopped on. The row is cut when the file ends inside a quoted cell (the csv module hands
    such a row over as if it were whole), or when it has fewer cells than ``width`` and no line
    break follows it (pass 0 where short rows are normal). Raises :class:`InputError`.
    """
    start, cells = last
    tail = _tail(path, encoding)
    if tail is None:
        return
    lines = _PHYSICAL_LINES.findall(tail)
    count = ended - start + 1
    if len(lines) > count and _open_quote("".join(lines[-count:]), delimiter):
        raise InputError(
            path,
            "a closing quote before the end of the file",
            got="the end of the file inside a quoted cell (it was cut short)",
            line=start,
            hint="download or export the file again",
        )
    if width and len(cells) < width and not tail.endswith(("\n", "\r")):
        raise InputError(
            path,
            f"{width} fields like the header",
            got=f"{len(cells)}, and then the end of the file (it was cut short)",
            line=start,
            hint="download or export the file again",
        )


def _tail(path: str, encoding: str) -> str | None:
    """The last bytes of the file as text (None when it cannot be read again)."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(2)
            size = handle.seek(0, 2)
            offset = max(0, size - _TAIL_BYTES)
            if "16" in encoding:  # whole code units, in the byte order the BOM gives
                offset -= offset % 2
                encoding = "utf-16-be" if start == codecs.BOM_UTF16_BE else "utf-16-le"
            handle.seek(offset)
            data = handle.read()
    except OSError:
        return None
    return data.decode(encoding, errors="replace")


def _open_quote(text: str, delimiter: str) -> bool:
    """True when CSV ``text`` (one record) ends inside a quoted cell, reading quotes the way
    the csv module does: a quote opens a cell only at its start, ``""`` inside is a quote."""
    quoted = False
    at_start = True
    pending = False  # a quote seen inside a quoted cell: closing, or the first of ""
    for char in text:
        if quoted:
            if pending:
                pending = False
                if char == '"':
                    continue
                quoted = False  # that quote closed the cell; this character follows it
            elif char == '"':
                pending = True
                continue
            else:
                continue
        if char == '"' and at_start:
            quoted, at_start = True, False
        else:
            at_start = char in (delimiter, "\n", "\r")
    return quoted and not pending


def _check_text(row: list[str], path: str, line: int, encoding: str, config_table: str) -> None:
    """Refuse a row holding bytes the encoding could not decode (kept as lone surrogates)."""
    for cell in row:
        if cell.isascii():
            continue
        try:
            cell.encode("utf-8")
        except UnicodeEncodeError as exc:
            byte = ord(cell[exc.start]) - 0xDC00
            shown = _ENCODING_NAMES.get(encoding, encoding)
            found = f"the byte 0x{byte:02X}" if 0x80 <= byte <= 0xFF else "an invalid character"
            if config_table:  # a mapped CSV: its table takes an encoding
                hint = 'save it as UTF-8, or set encoding = "cp1252" (or its real encoding)'
                hint += f" in {config_table}"
            else:  # a platform's export: only the platform's own encoding is read
                hint = 'export it again, or save it as UTF-8 ("CSV UTF-8" in a spreadsheet)'
            raise InputError(
                path,
                f"{shown} text",
                got=f"{found} (the file is in another encoding)",
                line=line,
                hint=hint,
            ) from None
