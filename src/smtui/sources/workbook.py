"""Reading spreadsheet exports (``.xls`` and ``.xlsx``) as rows of cell values.

LinkedIn sends binary Excel 97-2003 ``.xls`` files (BIFF8 in an OLE container), users re-save
them as ``.xlsx``, and creator and TikTok exports are ``.xlsx``. python-calamine reads all of
them; it is imported only when a workbook is opened, so commands that import nothing pay
nothing for it. A file is taken for a workbook from its content, never its name: the OLE
signature of ``.xls``, or a zip archive holding ``xl/workbook.xml``; the sheet names then say
which export it is.

Cells come back typed: text as ``str``, numbers as ``float`` (``26.0``), Excel dates as
``date``/``datetime``. The ``cell_*`` functions turn them into smtui's values with the rules of
:mod:`smtui.sources.cells`, so a count written as text (``"1,234"``) reads like one written
as a number. Rows keep their spreadsheet positions (index 0 is row 1, column A), so errors
name the row a user sees.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from smtui.sources.cells import CellError, is_null, parse_count, parse_decimal, parse_timestamp
from smtui.sources.csvfile import header_keys, normalise
from smtui.sources.errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from types import TracebackType
    from typing import TypeAlias

    from python_calamine import CalamineWorkbook

Cell: TypeAlias = int | float | str | bool | date | datetime | time | timedelta

# The first bytes of an OLE2 compound file (.xls) and of a zip archive (.xlsx).
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
# How many rows above a header a sheet may carry (LinkedIn's description sentence, banners).
MAX_PREAMBLE_ROWS = 5


def sheet_names(head: bytes, path: str) -> tuple[str, ...]:
    """The names of the sheets in the workbook at ``path``; ``()`` when it is not one.

    For sniffing: it never raises. ``head`` (the file's first bytes) rules out anything that
    is neither an OLE file nor a zip archive without opening it; a zip must hold
    ``xl/workbook.xml`` (a zip of CSV files is not a workbook). The answer is cached by file
    identity, since every spreadsheet source asks about the same file in turn.
    """
    if not head.startswith((OLE_SIGNATURE, ZIP_SIGNATURE)):
        return ()
    try:
        status = os.stat(path)
    except OSError:
        return ()
    zipped = head.startswith(ZIP_SIGNATURE)
    return _sheet_names(os.path.realpath(path), zipped, status.st_size, status.st_mtime_ns)


@lru_cache(maxsize=32)
def _sheet_names(path: str, zipped: bool, size: int, mtime_ns: int) -> tuple[str, ...]:
    del size, mtime_ns  # part of the cache key only: a changed file is looked at again
    try:
        if zipped and not is_xlsx_zip(path):
            return ()
        from python_calamine import CalamineWorkbook

        with CalamineWorkbook.from_path(path) as book:
            return tuple(book.sheet_names)
    except BaseException as exc:  # an unreadable or foreign file is simply not a workbook
        _reraise_unless_unreadable(exc)
        return ()


def _reraise_unless_unreadable(error: BaseException) -> None:
    """Let Ctrl-C and exits through; swallow the errors of a file calamine cannot read.

    calamine's Rust code panics on some corrupt files, and pyo3 raises that as a
    ``PanicException``, which derives from BaseException rather than Exception.
    """
    if not isinstance(error, Exception) and type(error).__name__ != "PanicException":
        raise error


def is_xlsx_zip(path: str) -> bool:
    """True for a zip archive laid out as an Excel workbook (not, say, a zip of CSV files)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def has_sheets(names: Iterable[str], wanted: Iterable[str]) -> bool:
    """True when every sheet in ``wanted`` is among ``names`` (case and spacing ignored)."""
    present = {normalise(name) for name in names}
    return all(normalise(name) in present for name in wanted)


class Workbook:
    """An open workbook whose sheets are found by name, case-insensitively.

    Use it as a context manager so the file is closed even when reading fails half way.
    """

    __slots__ = ("_book", "path")

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            from python_calamine import CalamineWorkbook

            self._book: CalamineWorkbook = CalamineWorkbook.from_path(path)
        except BaseException as exc:
            _reraise_unless_unreadable(exc)
            raise InputError(
                path,
                "an Excel workbook (.xls or .xlsx)",
                got=f"a file that cannot be opened as one ({exc})",
                hint="export the file again, or open and re-save it in a spreadsheet program",
            ) from None

    def __enter__(self) -> Workbook:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._book.close()

    @property
    def sheet_names(self) -> list[str]:
        return list(self._book.sheet_names)

    def find(self, name: str) -> str | None:
        """The sheet's name as written in the file, or None when there is no such sheet."""
        wanted = normalise(name)
        return next((n for n in self._book.sheet_names if normalise(n) == wanted), None)

    def rows(self, name: str) -> list[list[Cell]]:
        """Every row of the sheet, from row 1 and column A (empty cells are ``""``)."""
        sheet = self.find(name)
        if sheet is None:
            raise InputError(
                self.path,
                f'a sheet named "{name}"',
                got="sheets " + ", ".join(f'"{n}"' for n in self._book.sheet_names),
            )
        try:
            return self._book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except BaseException as exc:
            _reraise_unless_unreadable(exc)
            raise InputError(
                self.path, f'a readable sheet "{sheet}"', got=f"an error: {exc}"
            ) from None


def sheet_label(path: str, sheet: str) -> str:
    """How errors name a sheet: ``page_content.xls, sheet "All posts"``."""
    return f'{path}, sheet "{sheet}"'


class SheetTable:
    """A table in a sheet: its header row and the rows below it, found by column names.

    ``file`` labels errors (see :func:`sheet_label`); ``header_row`` is the 0-based index of
    the header in ``rows``. Columns are looked up by normalised name (``header_keys``), so
    ``Impressions (total)`` and ``impressions  (Total)`` are the same column.
    """

    __slots__ = ("file", "header_row", "keys", "names", "positions", "rows")

    def __init__(self, file: str, rows: list[list[Cell]], header_row: int) -> None:
        self.file = file
        self.rows = rows
        self.header_row = header_row
        self.names = [cell_text(cell) for cell in rows[header_row]]
        self.keys = header_keys(self.names)
        self.positions = {key: index for index, key in enumerate(self.keys) if key}

    @classmethod
    def find(
        cls, file: str, rows: list[list[Cell]], wanted: Iterable[str], *, first_row: int = 0
    ) -> SheetTable | None:
        """The table whose header (within :data:`MAX_PREAMBLE_ROWS` of ``first_row``) has
        every column in ``wanted``, or None."""
        needed = {normalise(name) for name in wanted}
        for index in range(first_row, min(len(rows), first_row + MAX_PREAMBLE_ROWS + 1)):
            if needed <= set(header_keys(cell_text(cell) for cell in rows[index])):
                return cls(file, rows, index)
        return None

    def has(self, name: str) -> bool:
        return normalise(name) in self.positions

    def data(self) -> Iterator[tuple[int, list[Cell]]]:
        """``(row number as shown in the spreadsheet, cells)`` for each non-blank data row."""
        for index in range(self.header_row + 1, len(self.rows)):
            row = self.rows[index]
            if any(cell_text(cell).strip() for cell in row):
                yield index + 1, row

    def cell(self, row: list[Cell], name: str) -> Cell:
        """The cell under column ``name`` (``""`` when the column or the cell is missing)."""
        index = self.positions.get(normalise(name))
        return row[index] if index is not None and index < len(row) else ""

    def error(self, line: int, name: str, expected: str, cell: Cell) -> InputError:
        """The error for one bad cell, naming the row and the column as the file writes it."""
        index = self.positions.get(normalise(name))
        column = self.names[index].strip() if index is not None else name
        text = cell_text(cell)
        got = repr(text) if text.strip() else "an empty cell"
        return InputError(self.file, expected, got=got, line=line, column=column)

    def count(self, line: int, row: list[Cell], name: str) -> int | None:
        """A whole number from column ``name``; InputError naming the cell if it is not one."""
        cell = self.cell(row, name)
        try:
            return cell_count(cell)
        except CellError as exc:
            raise self.error(line, name, exc.expected, cell) from None

    def number(self, line: int, row: list[Cell], name: str) -> float | None:
        """A number (rates, averages) from column ``name``."""
        cell = self.cell(row, name)
        try:
            return cell_number(cell)
        except CellError as exc:
            raise self.error(line, name, exc.expected, cell) from None

    def day(self, line: int, row: list[Cell], name: str, date_format: str) -> int | None:
        """Midnight UTC of the date in column ``name`` (text in ``date_format``, or a date)."""
        cell = self.cell(row, name)
        try:
            return cell_day(cell, date_format)
        except CellError as exc:
            raise self.error(line, name, exc.expected, cell) from None


def cell_text(cell: Cell) -> str:
    """A cell as the text a spreadsheet shows: ``26.0`` is ``"26"``, a date is ISO."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, date | time):
        return cell.isoformat()
    return str(cell)


def cell_count(cell: Cell) -> int | None:
    """A whole number from a numeric cell (``26.0``) or a text one (``"1,234"``, ``""``)."""
    if isinstance(cell, str):
        return parse_count(cell)
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if isinstance(cell, float) and not cell.is_integer():
            raise CellError("a whole number")
        return int(cell)
    raise CellError("a whole number")


def cell_number(cell: Cell) -> float | None:
    """A number from a numeric cell or a text one; None for an empty cell or a null token."""
    if isinstance(cell, str):
        return parse_decimal(cell)
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return float(cell)
    raise CellError("a number")


def cell_day(cell: Cell, date_format: str) -> int | None:
    """Midnight UTC of a date cell: text in ``date_format`` (``%m/%d/%Y``) or an Excel date.

    Exports write dates as text, but a spreadsheet that re-saves the file may turn them into
    real dates; both read the same.
    """
    if isinstance(cell, date):  # datetime included
        return int(datetime(cell.year, cell.month, cell.day, tzinfo=UTC).timestamp())
    if isinstance(cell, str):
        if is_null(cell):
            return None
        parsed = parse_timestamp(cell, UTC, date_format)
        return None if parsed is None else parsed[0]
    raise CellError(f"a date in the format {date_format}")
