"""Meta's page-level exports in the Excel ``sep=,`` layout: daily series and ``Audience.csv``.

Both are UTF-16 with a BOM, open with an Excel ``sep=,`` hint line and give each table a title
line (FORMATS.md sections 2b, 2c and 3c of the real-data folder):

* a **daily series** (``Follows.csv``, ``Views.csv``, ...) is one table: the metric's title,
  then ``"Date","Primary"``. The title, not the file name (browsers add `` (1)``), says which
  metric it is. Each day becomes an account snapshot with the value in ``extra``.
* **Audience.csv** stacks several titled blocks separated by blank lines: ``Age & gender`` is a
  matrix of percents, ``Top countries``/``Top cities`` a row of names above a row of percents,
  and a ``Follows``-like block may be a daily series. The demographics become one snapshot, as
  fractions, taken when the file was saved (the export has no date of its own).

Days: the Facebook series write ``T01:00:00`` in US winter and ``T00:00:00`` in US summer, and
switch on the days US clocks change (FORMATS.md section 2b: on 2025-03-10 and 2025-11-03): a US
midnight written at the zone's summer offset. The time of day is an artefact, so the date part
is the day, and each day is dated at its start in Pacific time, Meta's home zone (Instagram's
series always write ``T00:00:00`` and say nothing more). See docs/importing.md.
"""

from __future__ import annotations

import csv
import io
import itertools

from smtui.sources.cells import CellError, parse_count, parse_decimal, parse_timestamp
from smtui.sources.csvfile import (
    TableLayout,
    field_key,
    find_header,
    header_keys,
    normalise,
    read_head,
    read_table,
)
from smtui.sources.errors import InputError
from smtui.sources.meta_exports import META_TIMEZONE, text_head
from smtui.sources.records import AccountSnapshotRecord

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import tzinfo

AUDIENCE_TITLE = "age & gender"
AUDIENCE_DEFINITION = "share of the audience in each group, as a fraction (Meta writes percents)"


def _is_sep_line(row: list[str]) -> bool:
    return "".join(row).replace(" ", "").casefold().startswith("sep=")


def _title(row: list[str]) -> str | None:
    """The text of a title row (one non-empty cell), or None."""
    cells = [cell.strip() for cell in row if cell.strip()]
    return cells[0] if len(cells) == 1 else None


# --- daily series -------------------------------------------------------------------------------


class DailyLayout:
    """Where a daily series' table is, and the metric its title line names."""

    __slots__ = ("encoding", "metric", "table", "title")

    def __init__(self, encoding: str, table: TableLayout, title: str) -> None:
        self.encoding = encoding
        self.table = table
        self.title = title
        self.metric = field_key(title)


def daily_layout(head: bytes) -> DailyLayout | None:
    """The layout of a daily series: an optional ``sep=,`` line, a one-cell title line, then a
    header starting ``"Date","Primary"``; None for anything else (``Audience.csv`` included).
    """
    decoded = text_head(head)
    if decoded is None:
        return None
    encoding, text = decoded
    table = find_header(text, {"date", "primary"})
    if table is None or table.header_row not in (1, 2):
        return None
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=table.delimiter)
    try:
        rows = list(itertools.islice(reader, table.header_row + 1))
    except csv.Error:
        return None
    if table.header_row != 1 + _is_sep_line(rows[0]):
        return None
    title = _title(rows[table.header_row - 1])
    if title is None or header_keys(rows[table.header_row])[:2] != ["date", "primary"]:
        return None
    return DailyLayout(encoding, table, title)


def read_daily_series(
    path: str, platform: str, account: str
) -> Iterator[AccountSnapshotRecord | InputError]:
    """One account snapshot per day of a daily series; a bad row is yielded as an InputError."""
    head = read_head(path)
    layout = daily_layout(head)
    if layout is None:
        raise InputError(
            path,
            'a Meta daily series: a "sep=," line, the metric\'s name, then "Date","Primary"',
            got="an empty file" if not head else "another layout",
        )
    rows = read_table(path, layout.encoding, layout.table)
    _, header = next(rows)
    days = DailyRows(path, header, layout.title, platform, account)
    for line, cells in rows:
        try:
            snapshot = days.snapshot(line, cells)
        except InputError as exc:
            yield exc
            continue
        if snapshot is not None:
            yield snapshot


class DailyRows:
    """Turns rows under a ``"Date","Primary"`` header into one snapshot per day.

    The value goes in ``extra`` under the metric's name (``Link clicks`` -> ``link_clicks``),
    and any further column under the metric and the column (``views_comparison``).
    ``Follows`` is the number of new follows that day, not a follower total, so it is an
    ``extra`` value like every other series and ``followers`` stays unknown. ``extra["day"]``
    is the day, ``extra["day_only"]`` says that only the day is known, and ``taken_at`` is
    the day's start, Pacific time.
    """

    __slots__ = ("account", "columns", "names", "path", "platform", "zone")

    def __init__(
        self, path: str, header: list[str], title: str, platform: str, account: str
    ) -> None:
        import zoneinfo

        metric = field_key(title)
        self.path = path
        self.platform = platform
        self.account = account
        self.zone = zoneinfo.ZoneInfo(META_TIMEZONE)
        self.names = [cell.strip() for cell in header]
        self.columns = [metric, metric] + [f"{metric}_{field_key(n)}" for n in self.names[2:]]

    def snapshot(self, line: int, cells: list[str]) -> AccountSnapshotRecord | None:
        """The day in one row (None when it has no value); InputError for a bad cell."""
        day, taken_at = _day(self.path, line, self.names[0], cells[0], self.zone)
        extra: dict[str, object] = {"day": day, "day_only": True}
        for index in range(1, min(len(cells), len(self.names))):
            value = _number(self.path, line, self.names[index], cells[index])
            if value is not None:
                extra[self.columns[index]] = value
        if len(extra) == 2:
            return None
        return AccountSnapshotRecord(self.platform, self.account, taken_at, extra=extra)


def _day(path: str, line: int, column: str, cell: str, zone: tzinfo) -> tuple[str, int]:
    """``(ISO day, start of that day in zone)`` from ``2025-01-01T01:00:00``: the date part
    only, since the time of day is an artefact of how Meta writes Pacific midnight."""
    from datetime import datetime

    value = cell.strip()
    day_text = value.split("T", 1)[0].split(" ", 1)[0]
    try:
        parsed = parse_timestamp(day_text, zone)
    except CellError:
        parsed = None
    if parsed is None:
        raise InputError(
            path,
            "a date like 2025-01-01T00:00:00",
            got=repr(cell) if value else "an empty cell",
            line=line,
            column=column,
        )
    day = datetime.fromtimestamp(parsed[0], zone).date().isoformat()
    return day, parsed[0]


def _number(path: str, line: int, column: str, cell: str) -> int | float | None:
    """A day's value: a count, or a decimal for the series that are averages."""
    for parse in (parse_count, parse_decimal):
        try:
            return parse(cell)
        except CellError:
            continue
    raise InputError(path, "a number", got=repr(cell), line=line, column=column)


# --- Audience.csv -------------------------------------------------------------------------------


def is_audience(head: bytes) -> bool:
    """True for ``Audience.csv``: an optional ``sep=,`` line, then the ``Age & gender`` title."""
    decoded = text_head(head)
    if decoded is None:
        return False
    reader = csv.reader(io.StringIO(decoded[1].lstrip("\ufeff"), newline=""))
    try:
        rows = [row for row in itertools.islice(reader, 3) if any(cell.strip() for cell in row)]
    except csv.Error:
        return False
    if rows and _is_sep_line(rows[0]):
        rows = rows[1:]
    title = _title(rows[0]) if rows else None
    return title is not None and normalise(title) == AUDIENCE_TITLE


def read_audience(
    path: str, platform: str, account: str
) -> Iterator[AccountSnapshotRecord | InputError]:
    """The demographics as one snapshot (``extra["audience_<block>"]``), plus any daily block.

    The snapshot is taken when the file was saved: the download time, as near to the export
    as the file tells.
    """
    import os

    head = read_head(path)
    decoded = text_head(head)
    if decoded is None or not is_audience(head):
        raise InputError(
            path,
            'a Meta Audience.csv: a "sep=," line, then blocks titled "Age & gender",'
            ' "Top countries", ...',
            got="an empty file" if not head else "another layout",
        )
    extra: dict[str, object] = {}
    for title, rows in _blocks(path, decoded[0]):
        if rows and header_keys(rows[0][1])[:2] == ["date", "primary"]:
            days = DailyRows(path, rows[0][1], title, platform, account)
            for line, cells in rows[1:]:
                try:
                    snapshot = days.snapshot(line, cells)
                except InputError as exc:
                    yield exc
                    continue
                if snapshot is not None:
                    yield snapshot
            continue
        try:
            extra[f"audience_{field_key(title)}"] = _shares(path, title, rows)
        except InputError as exc:
            yield exc
    if extra:
        extra["audience_definition"] = AUDIENCE_DEFINITION
        taken_at = int(os.stat(path).st_mtime)
        yield AccountSnapshotRecord(platform, account, taken_at, extra=extra)


Rows = list[tuple[int, list[str]]]


def _blocks(path: str, encoding: str) -> Iterator[tuple[str, Rows]]:
    """``(title, rows)`` for each block of a stacked file; rows carry their line numbers."""
    title: str | None = None
    rows: Rows = []
    for line, cells in _all_rows(path, encoding):
        if not any(cell.strip() for cell in cells):
            if title is not None:
                yield title, rows
            title, rows = None, []
        elif title is None:
            if _is_sep_line(cells):
                continue
            title = _title(cells)
            if title is None:
                raise InputError(path, "a block title (one cell)", got=repr(cells), line=line)
        else:
            rows.append((line, cells))
    if title is not None:
        yield title, rows


def _all_rows(path: str, encoding: str) -> Iterator[tuple[int, list[str]]]:
    """Every row with the line it starts on, blank rows included (they separate blocks)."""
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        reader = csv.reader(handle)
        while True:
            line = reader.line_num + 1
            try:
                yield line, next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputError(path, "well-formed CSV", got=str(exc), line=line) from exc


def _shares(path: str, title: str, rows: Rows) -> dict[str, object]:
    """A block of percents as fractions: a matrix (``"","Women","Men"`` above one row per age
    group) or names above one row of values (``Top countries``)."""
    if len(rows) >= 2 and not rows[0][1][0].strip() and len(rows[0][1]) > 1:
        _, header = rows[0]
        columns = [field_key(name) for name in header]
        matrix: dict[str, object] = {}
        for line, cells in rows[1:]:
            values = {
                columns[i]: share
                for i in range(1, min(len(cells), len(header)))
                if (share := _share(path, line, header[i].strip(), cells[i])) is not None
            }
            matrix[cells[0].strip()] = values
        return matrix
    if len(rows) == 2:
        (_, names), (line, cells) = rows
        return {
            name.strip(): share
            for name, cell in zip(names, cells, strict=False)
            if name.strip() and (share := _share(path, line, name.strip(), cell)) is not None
        }
    raise InputError(
        path,
        f'a row of names above a row of percents under "{title}"',
        got=f"{len(rows)} rows",
        line=rows[0][0] if rows else None,
    )


def _share(path: str, line: int, column: str, cell: str) -> float | None:
    """``"26.2"`` (a percent, ``%`` optional) as the fraction 0.262."""
    try:
        value = parse_decimal(cell.strip().removesuffix("%"))
    except CellError:
        raise InputError(
            path, "a percentage like 26.2", got=repr(cell), line=line, column=column
        ) from None
    return None if value is None else round(value / 100, 6)
