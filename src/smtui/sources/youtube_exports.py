"""YouTube Studio exports (Analytics -> Advanced mode -> Export current view), FORMATS.md
section 5: ``Table data.csv``, ``Chart data.csv`` and ``Totals.csv``, alone or in the zip
Studio delivers them in.

- ``Table data.csv``: one row per item of the chosen dimension (video, country, traffic
  source...), the first data row being ``Total``. With the ``Content`` dimension each row is a
  video and becomes a post with its metrics; with any other dimension the rows go, by item,
  into one account snapshot. The ``Total`` row is kept in that snapshot for reconciliation.
- ``Chart data.csv``: one row per day and item; one snapshot per day with the items' values.
- ``Totals.csv``: the channel's values per day; one snapshot per day.

Values are normalised: ``Watch time (hours)`` becomes whole seconds (``watch_time_s``),
``Average view duration`` (``0:04:34``) seconds, ``(%)`` columns fractions (``3.51`` ->
``0.0351``) with their definition recorded, counts integers. Video ids keep their case and lose
the space Studio puts before ids starting with ``-``. Dates are calendar days and the files
name no zone for them, so each day is kept as written (``extra["day"]``), flagged as day-only,
and dated at its midnight in the source's ``timezone`` (UTC unless configured).

The columns of a file depend on the metrics chosen in Studio, so every column is read by name;
a metric this module does not know is kept in ``extra`` under its header as a key. The file
names Studio gives its export (``Content 2026-05-18_2026-08-16 Channel``, the zip or the folder)
supply the channel and the period when present; the format is never taken from a name.
"""

from __future__ import annotations

import csv
import io
import os
import re
from datetime import UTC, date, datetime, timedelta

from smtui.sources.base import SNIFF_BYTES
from smtui.sources.cells import (
    CellError,
    is_null,
    parse_clock_duration,
    parse_count,
    parse_decimal,
    parse_id,
    parse_timestamp,
)
from smtui.sources.csvfile import (
    DELIMITERS,
    TableLayout,
    decode_head,
    detect_encoding,
    field_key,
    header_keys,
    looks_binary,
    read_head,
    read_table,
)
from smtui.sources.errors import InputError
from smtui.sources.records import AccountSnapshotRecord, PostRecord, merge_snapshots

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import tzinfo
    from typing import Any, TypeAlias
    from zipfile import ZipFile

    from smtui.sources.records import Record

    Item: TypeAlias = Record | InputError

PLATFORM = "youtube"
DAY = 86_400
TABLE, CHART, TOTALS = "table", "chart", "totals"
WHAT = {
    TABLE: "Table data.csv (one row per item, then a Total row)",
    CHART: "Chart data.csv (Date, a dimension, then metrics)",
    TOTALS: "Totals.csv (Date, then metrics)",
}

# How a column's cells are read.
COUNT, DECIMAL, HOURS, PERCENT, CLOCK, TEXT, DAY_TEXT = (
    "count",
    "decimal",
    "hours",
    "percent",
    "clock",
    "text",
    "day",
)

# Known columns (normalised header -> key in smtui, kind of value). Others are kept as found.
COLUMNS: dict[str, tuple[str, str]] = {
    "views": ("views", COUNT),
    "watch time (hours)": ("watch_time_s", HOURS),
    "average view duration": ("average_view_duration_s", CLOCK),
    "average percentage viewed (%)": ("average_percentage_viewed", PERCENT),
    "impressions": ("impressions", COUNT),
    "impressions click-through rate (%)": ("impressions_ctr", PERCENT),
    "subscribers": ("subscribers_net", COUNT),
    "subscribers gained": ("subscribers_gained", COUNT),
    "subscribers lost": ("subscribers_lost", COUNT),
    "engaged views": ("engaged_views", COUNT),
    "stayed to watch (%)": ("stayed_to_watch", PERCENT),
    "likes": ("likes", COUNT),
    "dislikes": ("dislikes", COUNT),
    "comments added": ("comments", COUNT),
    "shares": ("shares", COUNT),
    "unique viewers": ("unique_viewers", COUNT),
    "new viewers": ("new_viewers", COUNT),
    "returning viewers": ("returning_viewers", COUNT),
    "average views per viewer": ("average_views_per_viewer", DECIMAL),
    "estimated revenue (usd)": ("estimated_revenue_usd", DECIMAL),
    # Descriptions of a video, next to the Content dimension.
    "video title": ("title", TEXT),
    "video publish time": ("published", DAY_TEXT),
    "duration": ("duration_s", COUNT),
}
DESCRIPTIVE = frozenset({"video title", "video publish time", "duration"})
# Columns no other platform's export has: enough, with a dimension, to recognise YouTube.
YOUTUBE_ONLY = frozenset(
    {
        "watch time (hours)",
        "average view duration",
        "average percentage viewed (%)",
        "impressions click-through rate (%)",
        "subscribers",
        "subscribers gained",
        "subscribers lost",
        "engaged views",
        "stayed to watch (%)",
    }
)
# Dimensions Studio can export by (the first column of a table, the second of a chart).
DIMENSIONS = frozenset(
    {
        "content",
        "geography",
        "city",
        "subscription status",
        "subscription source",
        "traffic source",
        "external source",
        "device type",
        "operating system",
        "viewer age",
        "viewer gender",
        "playback location",
        "sharing service",
        "subtitles and cc",
        "video info language",
        "audio track",
        "youtube product",
        "content type",
        "playlist",
        "new and returning viewers",
        "end screen element",
        "card",
    }
)
DEFINITIONS = {
    "impressions_ctr": "views from impressions / impressions (YouTube Studio)",
    "average_percentage_viewed": "average share of a video watched per view (YouTube Studio)",
    "stayed_to_watch": "viewers who kept watching a Short / viewers shown it (YouTube Studio)",
}
# smtui post metrics from the keys above, for rows that are videos.
POST_METRICS = {
    "views": "video_views",
    "watch_time_s": "watch_time_s",
    "impressions": "impressions",
    "likes": "likes",
    "comments": "comments",
    "shares": "shares",
}
PUBLISHED_FORMAT = "%b %d, %Y"  # "Aug 28, 2025"
DAY_EXPECTED = "a date like 2025-06-13"

_EXPORT_NAME = re.compile(
    r"(?P<dimension>.+?) (?P<start>\d{4}-\d{2}-\d{2})_(?P<end>\d{4}-\d{2}-\d{2}) (?P<channel>.+)"
)
_VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{11}")


# --- recognising the three files ------------------------------------------------------------


def first_rows(head: bytes) -> tuple[str, str, list[list[str]]] | None:
    """``(encoding, delimiter, first two rows)`` of a CSV head; None for binary data.

    Studio writes commas; a copy re-saved in a spreadsheet may use another delimiter, so the
    first one that splits the header into several columns is taken.
    """
    encoding = detect_encoding(head)
    if not head or looks_binary(head, encoding):
        return None
    text = decode_head(head, encoding).lstrip("\ufeff")
    for delimiter in DELIMITERS:
        rows: list[list[str]] = []
        try:
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
                if any(cell.strip() for cell in row):
                    rows.append(row)
                if len(rows) == 2:
                    break
        except csv.Error:
            continue
        if rows and len(rows[0]) > 1:
            return encoding, delimiter, rows
    return None


def classify(rows: list[list[str]]) -> str | None:
    """Which Studio file a header (and the row below it) belongs to, or None.

    Specific on purpose (FORMATS.md section 11): a daily file needs its ``Date`` column and
    either a dimension after it (chart) or only YouTube's metric columns (totals); a table needs
    a dimension or a YouTube-only metric, and its ``Total`` row unless both are there.
    """
    keys = header_keys(rows[0])
    if len(keys) < 2 or not all(keys):
        return None
    first, second = keys[0], keys[1]
    metrics = [key for key in keys if key in COLUMNS and key not in DESCRIPTIVE]
    youtube_only = any(key in YOUTUBE_ONLY for key in keys)
    if not metrics:
        return None
    if first == "date":
        if second in DIMENSIONS:
            return CHART
        all_known = all(key in COLUMNS and key not in DESCRIPTIVE for key in keys[1:])
        if all_known and ("views" in keys or youtube_only):
            return TOTALS
        return None
    if first in COLUMNS:
        return None
    total_row = len(rows) > 1 and bool(rows[1]) and rows[1][0].strip() == "Total"
    dimension = first in DIMENSIONS
    if (total_row and (dimension or youtube_only)) or (dimension and youtube_only):
        return TABLE
    return None


def sniff_kind(head: bytes) -> str | None:
    """``table``, ``chart`` or ``totals`` for a Studio CSV's first bytes, else None."""
    found = first_rows(head)
    return None if found is None else classify(found[2])


# --- where a CSV comes from: a file, or a member of Studio's zip ---------------------------


class CsvInput:
    """One CSV file to read, on disk; ``label`` is how errors name it."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.label = path

    def head(self) -> bytes:
        return read_head(self.path)

    def rows(self, encoding: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
        """``(line, cells)`` for the header and each non-blank row."""
        return read_table(self.path, encoding, TableLayout(delimiter, 0))


class ZipMember(CsvInput):
    """A CSV inside a zip archive, read without unpacking it to disk."""

    def __init__(self, archive: ZipFile, path: str, member: str) -> None:
        super().__init__(path)
        self.archive = archive
        self.member = member
        self.label = f'{path}, file "{member}"'

    def head(self) -> bytes:
        with self.archive.open(self.member) as handle:
            return handle.read(SNIFF_BYTES)

    def rows(self, encoding: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
        with (
            self.archive.open(self.member) as raw,
            io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="") as text,
        ):
            reader = csv.reader(text, delimiter=delimiter)
            while True:
                line = reader.line_num + 1
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    raise InputError(
                        self.label, "well-formed CSV", got=str(exc), line=line
                    ) from None
                if any(cell.strip() for cell in row):
                    yield line, row


def zip_members(path: str) -> list[str]:
    """The CSV files in a zip archive, in name order (folders and macOS litter left out).

    The reusable part of reading Studio's zip: an importer that opens archives can hand each
    member to the source that recognises it, as :func:`read_zip` does for YouTube.
    """
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return []
    return sorted(
        name
        for name in names
        if name.casefold().endswith(".csv")
        and not name.endswith("/")
        and not name.startswith("__MACOSX/")
        and not os.path.basename(name).startswith(".")
    )


def zip_kinds(path: str) -> list[tuple[str, str]] | None:
    """``(member, kind)`` for each CSV in a zip when every one is a Studio file, else None."""
    import zipfile

    members = zip_members(path)
    if not members:
        return None
    found: list[tuple[str, str]] = []
    try:
        with zipfile.ZipFile(path) as archive:
            for member in members:
                kind = sniff_kind(ZipMember(archive, path, member).head())
                if kind is None:
                    return None
                found.append((member, kind))
    except (zipfile.BadZipFile, OSError, RuntimeError):  # RuntimeError: encrypted member
        return None
    return found


# --- the export's channel and period, from Studio's names ---------------------------------


class Export:
    """What Studio's naming says about an export: channel, period; and when it was true.

    ``as_of`` dates what covers the whole period (the table): the end of its last day when the
    period is known, else the time the file was written.
    """

    __slots__ = ("as_of", "channel", "period_end", "period_start", "zone")

    def __init__(
        self, path: str, member: str = "", account: str | None = None, zone: tzinfo = UTC
    ) -> None:
        self.zone = zone
        names = [os.path.splitext(os.path.basename(path))[0]]
        names.append(os.path.basename(os.path.dirname(member if member else path)))
        match = next((m for n in names if (m := _EXPORT_NAME.fullmatch(n.strip()))), None)
        self.channel = account or (match["channel"].strip() if match else "")
        self.period_start = match["start"] if match else None
        self.period_end = match["end"] if match else None
        if self.period_end is not None:
            self.as_of = _day(_next_day(self.period_end), zone)
        else:
            self.as_of = int(os.stat(path).st_mtime)

    def period(self) -> dict[str, str]:
        if self.period_start is None or self.period_end is None:
            return {}
        return {"period_start": self.period_start, "period_end": self.period_end}


def _day(iso: str, zone: tzinfo = UTC) -> int:
    """Midnight of an ISO day in ``zone``."""
    return int(datetime.fromisoformat(iso).replace(tzinfo=zone).timestamp())


def _iso(day: int, zone: tzinfo = UTC) -> str:
    """The ISO day a midnight (or any moment) falls on in ``zone``."""
    return datetime.fromtimestamp(day, zone).date().isoformat()


def _next_day(iso: str) -> str:
    return (date.fromisoformat(iso) + timedelta(days=1)).isoformat()


# --- reading cells ---------------------------------------------------------------------------


class _Columns:
    """The columns of one file after its key columns, each with its key and kind of value."""

    def __init__(self, header: list[str], skip: int, zone: tzinfo = UTC) -> None:
        self.zone = zone
        self.names = [name.strip() for name in header]
        self.read: list[tuple[int, str, str]] = []
        for index, key in enumerate(header_keys(header)):
            if index < skip:
                continue
            known = COLUMNS.get(key)
            self.read.append((index, *(known or (field_key(key), ""))))

    def values(self, label: str, line: int, cells: list[str]) -> dict[str, Any]:
        """Key -> value for the row (no value, no key); InputError naming a bad cell."""
        values: dict[str, Any] = {}
        for index, key, kind in self.read:
            cell = cells[index] if index < len(cells) else ""
            try:
                value = _value(cell, kind, self.zone)
            except CellError as exc:
                got = repr(cell) if cell.strip() else "an empty cell"
                raise InputError(
                    label, exc.expected, got=got, line=line, column=self.names[index]
                ) from None
            if value is not None:
                values[key] = value
        return values


def _value(cell: str, kind: str, zone: tzinfo = UTC) -> Any:
    if kind == COUNT:
        return parse_count(cell)
    if kind == DECIMAL:
        return parse_decimal(cell)
    if kind == HOURS:
        hours = parse_decimal(cell)
        return None if hours is None else round(hours * 3600)
    if kind == PERCENT:
        percent = parse_decimal(cell.strip().removesuffix("%"))
        return None if percent is None else round(percent / 100, 10)
    if kind == CLOCK:
        return parse_clock_duration(cell)
    if kind == DAY_TEXT:
        return _published(cell, zone)
    if kind == TEXT:
        return None if is_null(cell) else cell
    return _unknown(cell)


def _unknown(cell: str) -> Any:
    """A column this module does not know: a number if it is one, else the text."""
    if is_null(cell):
        return None
    for parse in (parse_count, parse_decimal):
        try:
            return parse(cell)
        except CellError:
            continue
    return cell.strip()


def _published(cell: str, zone: tzinfo = UTC) -> int | None:
    """Midnight in ``zone`` of ``Aug 28, 2025`` (other spellings are read as dates too)."""
    try:
        parsed = parse_timestamp(cell, zone, PUBLISHED_FORMAT)
    except CellError:
        parsed = parse_timestamp(cell, zone)
    return None if parsed is None else _day(_iso(parsed[0], zone), zone)


def parse_day(text: str, zone: tzinfo = UTC) -> int:
    """Midnight in ``zone`` of a Studio date: ISO ``2025-06-13``, or ``13-06-2025`` from a
    copy re-saved in a spreadsheet (only as a fallback: Studio itself writes ISO)."""
    for date_format in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            parsed = parse_timestamp(text, zone, date_format)
        except CellError:
            continue
        if parsed is not None:
            return parsed[0]
    raise CellError(DAY_EXPECTED)


def _definitions(values: dict[str, Any]) -> dict[str, str]:
    return {f"{key}_definition": DEFINITIONS[key] for key in values if key in DEFINITIONS}


# --- the three files -----------------------------------------------------------------------


def _open(source: CsvInput, kind: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and data rows of ``source``, which must be a Studio file of ``kind``."""
    head = source.head()
    found = first_rows(head)
    if found is None or classify(found[2]) != kind:
        if not head:
            got = "an empty file"
        elif found is None:
            got = "binary data"
        else:
            got = "a header with " + ", ".join(cell.strip() for cell in found[2][0])
        raise InputError(
            source.label,
            f"a YouTube Studio {WHAT[kind]}",
            got=got,
            hint="export it again from YouTube Studio, or import it with --source",
        )
    encoding, delimiter, _ = found
    rows = source.rows(encoding, delimiter)
    for _, header in rows:
        header[0] = header[0].lstrip("\ufeff")
        return header, rows
    raise InputError(source.label, f"a YouTube Studio {WHAT[kind]}", got="no header row")


def read_table_data(source: CsvInput, export: Export) -> Iterator[Item]:
    """``Table data.csv``: videos become posts; other items and the Total row a snapshot."""
    header, rows = _open(source, TABLE)
    dimension = field_key(header[0])
    columns = _Columns(header, 1, export.zone)
    total: dict[str, Any] | None = None
    items: dict[str, dict[str, Any]] = {}
    first = True
    for line, cells in rows:
        item = cells[0].strip()
        try:
            values = columns.values(source.label, line, cells)
            if first and item == "Total":
                total = values
            elif dimension == "content":
                yield _video(source.label, line, cells[0], values, export)
            else:
                items[item] = values
        except InputError as exc:
            yield exc
        first = False
    table: dict[str, Any] = {"total": total} if total is not None else {}
    if items:
        table["items"] = items
    if table:
        extra: dict[str, Any] = {f"{dimension}_table": table, **export.period()}
        extra.update(_definitions(total or next(iter(items.values()), {})))
        yield AccountSnapshotRecord(
            PLATFORM, export.channel, export.as_of, extra=extra, exported_at=export.as_of
        )


def _video(label: str, line: int, cell: str, values: dict[str, Any], export: Export) -> PostRecord:
    """A post from a Content row: Studio's metrics for the period, the rest in ``extra``."""
    try:
        video_id = parse_id(cell)
    except CellError as exc:
        got = repr(cell) if cell.strip() else "an empty cell"
        raise InputError(label, exc.expected, got=got, line=line, column="Content") from None
    metrics: dict[str, int | None] = {}
    extra: dict[str, Any] = {}
    for key, value in values.items():
        if key in POST_METRICS:
            metrics[POST_METRICS[key]] = value
        elif key not in ("title", "published"):
            extra[key] = value
    follows = values.get("subscribers_gained", values.get("subscribers_net"))
    if follows is not None:
        metrics["follows"] = follows
    extra.update(_definitions(values))
    extra.update(export.period())
    published = values.get("published")
    return PostRecord(
        PLATFORM,
        video_id,
        account=export.channel,
        published_at=published,
        day_only=published is not None,
        kind="video",
        text=values.get("title", ""),
        url=f"https://www.youtube.com/watch?v={video_id}" if _VIDEO_ID.fullmatch(video_id) else "",
        metrics=metrics,
        extra=extra,
        captured_at=export.as_of,
    )


def read_chart_data(source: CsvInput, export: Export) -> Iterator[Item]:
    """``Chart data.csv``: one snapshot per day with each item's values; with the Content
    dimension, the videos named (title, publication day) as posts without metrics."""
    header, rows = _open(source, CHART)
    dimension = field_key(header[1])
    columns = _Columns(header, 2, export.zone)
    days: dict[int, dict[str, dict[str, Any]]] = {}
    videos: dict[str, PostRecord] = {}
    for line, cells in rows:
        try:
            day = _read_day(source.label, line, header[0], cells[0], export.zone)
            values = columns.values(source.label, line, cells)
            item = cells[1].strip() if len(cells) > 1 else ""
            if dimension == "content":
                video = _video(source.label, line, item, values, export)
                video.metrics, video.extra, video.captured_at = {}, {}, None
                videos.setdefault(video.external_id, video)
                item = video.external_id
        except InputError as exc:
            yield exc
            continue
        daily = {k: v for k, v in values.items() if k not in ("title", "published", "duration_s")}
        days.setdefault(day, {})[item] = daily
    for day, items in sorted(days.items()):
        extra: dict[str, Any] = {
            "day": _iso(day, export.zone),
            "day_only": True,
            f"{dimension}_daily": items,
        }
        yield AccountSnapshotRecord(
            PLATFORM, export.channel, day, extra=extra, exported_at=export.as_of
        )
    yield from videos.values()


def read_totals(source: CsvInput, export: Export) -> Iterator[Item]:
    """``Totals.csv``: the channel's values, one snapshot per day."""
    header, rows = _open(source, TOTALS)
    columns = _Columns(header, 1, export.zone)
    for line, cells in rows:
        try:
            day = _read_day(source.label, line, header[0], cells[0], export.zone)
            values = columns.values(source.label, line, cells)
        except InputError as exc:
            yield exc
            continue
        extra = {"day": _iso(day, export.zone), "day_only": True, **values, **_definitions(values)}
        yield AccountSnapshotRecord(
            PLATFORM, export.channel, day, extra=extra, exported_at=export.as_of
        )


def _read_day(label: str, line: int, column: str, cell: str, zone: tzinfo) -> int:
    try:
        return parse_day(cell, zone)
    except CellError as exc:
        got = repr(cell) if cell.strip() else "an empty cell"
        raise InputError(label, exc.expected, got=got, line=line, column=column.strip()) from None


READERS = {TABLE: read_table_data, CHART: read_chart_data, TOTALS: read_totals}


def read_file(path: str, kind: str, account: str | None, zone: tzinfo = UTC) -> Iterator[Item]:
    """A Studio CSV on disk, of the ``kind`` its source recognised; days are dated at their
    midnight in ``zone``."""
    return READERS[kind](CsvInput(path), Export(path, account=account, zone=zone))


def read_zip(path: str, account: str | None, zone: tzinfo = UTC) -> Iterator[Item]:
    """Every Studio CSV in the zip: the days of ``Totals.csv`` and ``Chart data.csv`` merged
    into one snapshot per day, a video named in both the chart and the table stored once."""
    import zipfile

    kinds = zip_kinds(path)
    if kinds is None:
        raise InputError(
            path,
            "a zip of YouTube Studio exports (Table data.csv, Chart data.csv, Totals.csv)",
            got="a zip holding other files" if zip_members(path) else "no CSV files in it",
        )
    snapshots: list[AccountSnapshotRecord] = []
    posts: dict[str, PostRecord] = {}
    with zipfile.ZipFile(path) as archive:
        for member, kind in kinds:
            export = Export(path, member, account, zone)
            for item in READERS[kind](ZipMember(archive, path, member), export):
                if isinstance(item, AccountSnapshotRecord):
                    snapshots.append(item)
                elif isinstance(item, PostRecord):
                    if item.has_metrics or item.external_id not in posts:
                        posts[item.external_id] = item
                else:
                    yield item
    yield from merge_snapshots(snapshots)
    yield from posts.values()
