"""TikTok analytics exports, as four built-in sources (one per analytics tab).

- ``tiktok_overview`` (``Overview.csv``, or the Business overview): one account snapshot per
  day, the day's values (video views, profile views, likes, ...) in ``extra``.
- ``tiktok_content`` (``Content.csv``, or the Business content file): one post per video with
  its lifetime totals as of the export (likes, comments, shares, views; favorites as saves).
- ``tiktok_viewers`` (``Viewers.csv``): one snapshot per day, viewer counts in ``extra``.
- ``tiktok_followers`` (``FollowerHistory.csv``, or the Business audience file): followers
  per day. The other files of the ``Followers_<handle>`` folder (activity by hour, gender,
  territories) are recognised and store nothing, so the whole folder imports.

Days carry no year; :mod:`smtui.sources.tiktok_exports` infers it from the export day, which
is the ``Time`` column of Content files and otherwise the file's modification time (TikTok's
zips keep it). Days are stored as midnight in the source's ``timezone`` (UTC by default).
"""

from __future__ import annotations

import os
from datetime import date
from typing import ClassVar

from smtui.core.periods import local_date, local_midnight
from smtui.hookspecs import hookimpl
from smtui.options import Option, zone_option
from smtui.sources.base import DataSource
from smtui.sources.cells import CellError, parse_count, parse_timestamp
from smtui.sources.csvfile import field_key
from smtui.sources.errors import InputError
from smtui.sources.records import AccountSnapshotRecord, PostRecord
from smtui.sources.tiktok_exports import (
    CONTENT,
    FOLLOWER_DETAILS,
    FOLLOWERS,
    GRACE,
    OVERVIEW,
    PLATFORM,
    VIEWERS,
    MonthDay,
    TikTokTable,
    handle_from_link,
    has_year,
    latest_on_or_before,
    open_table,
    parse_day,
    resolve_post_day,
    resolve_series,
    sniff_kind,
    video_id_from_link,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from datetime import tzinfo
    from typing import Any

    from smtui.sources.records import Record

# Content columns (Studio and Business names) -> post metric.
CONTENT_METRICS = {
    "total likes": "likes",
    "likes": "likes",
    "total comments": "comments",
    "comments": "comments",
    "total shares": "shares",
    "shares": "shares",
    "total views": "video_views",
    "video views": "video_views",
    "add to favorites": "saves",
}
# Follower files: the column holding the follower total.
FOLLOWER_TOTALS = ("followers", "total followers")


class ExportTime:
    """When the file was exported, as far as the file system knows: its modification time."""

    __slots__ = ("day", "moment", "zone")

    def __init__(self, path: str, zone: tzinfo) -> None:
        self.moment = int(os.stat(path).st_mtime)
        self.day = local_date(self.moment, zone)
        self.zone = zone

    def captured_at(self, export_day: date) -> int:
        """The export moment for a file that names its export day: the modification time when
        it falls on that day (give or take a time zone), else the start of that day."""
        if abs(export_day - self.day) <= GRACE:
            return self.moment
        return local_midnight(export_day, self.zone)


class TikTokSource(DataSource):
    """What the four TikTok sources share: options, detection and row helpers."""

    platform = PLATFORM
    kinds: ClassVar[tuple[str, ...]] = ()
    wanted: ClassVar[str] = "a TikTok export"
    options = (
        Option("account", str, default="", help="the TikTok handle the files describe"),
        Option("timezone", str, default="UTC", help="time zone the files' days are in"),
    )

    def __init__(self, options: dict[str, Any] | None = None, alias: str | None = None) -> None:
        super().__init__(options, alias)
        self.account = str(self.option_values.get("account") or "").strip().lstrip("@")
        self.zone = zone_option(
            self.option_values.get("timezone") or "UTC", f"sources.{self.alias}"
        )

    def sniff(self, head: bytes, path: str) -> bool:
        return sniff_kind(head, path) in self.kinds

    def read(self, path: str) -> Iterator[Record | InputError]:
        table = open_table(path, self.kinds, self.wanted)
        yield from self.records(table, ExportTime(path, self.zone))

    def records(self, table: TikTokTable, export: ExportTime) -> Iterator[Record | InputError]:
        """The records in one table (subclasses)."""
        raise NotImplementedError

    def daily(
        self,
        table: TikTokTable,
        export: ExportTime,
        build: Callable[[int, list[str], int], Record | None],
    ) -> Iterator[Record | InputError]:
        """Date every row of a daily series (see :func:`resolve_series`), then ``build`` its
        record from ``(line, cells, taken_at)``; rows ``build`` returns None for are empty.
        Each snapshot says its day as ``extra["day"]`` and that only the day is known."""
        column = table.columns()["date"]
        rows: list[tuple[int, list[str], date | MonthDay | InputError]] = []
        for line, cells in table.rows:
            try:
                day: date | MonthDay | InputError = parse_day(_cell(cells, column), self.zone)
            except CellError as exc:
                day = _cell_error(table, line, cells, column, exc)
            rows.append((line, cells, day))
        dated = [day for _, _, day in rows if not isinstance(day, InputError)]
        days = iter(resolve_series(dated, export.day))
        for line, cells, day in rows:  # in file order, errors where their rows are
            if isinstance(day, InputError):
                yield day
                continue
            when = next(days)
            try:
                record = build(line, cells, local_midnight(when, self.zone))
            except InputError as exc:
                yield exc
                continue
            if isinstance(record, AccountSnapshotRecord):
                record.extra = {"day": when.isoformat(), "day_only": True, **record.extra}
            if record is not None:
                yield record

    def daily_values(self, table: TikTokTable, export: ExportTime) -> Iterator[Record | InputError]:
        """A snapshot per day with every column but the date in ``extra`` (``Video Views`` ->
        ``video_views``); days with no value at all are left out."""
        keys = {index: field_key(name) for index, name in enumerate(table.header)}
        date_column = table.columns()["date"]

        def build(line: int, cells: list[str], taken_at: int) -> Record | None:
            extra: dict[str, Any] = {}
            for index, key in keys.items():
                if index != date_column and key:
                    value = _count(table, line, cells, index)
                    if value is not None:
                        extra[key] = value
            if not extra:
                return None
            return AccountSnapshotRecord(PLATFORM, self.account, taken_at, extra=extra)

        return self.daily(table, export, build)


class TikTokOverviewSource(TikTokSource):
    """Overview.csv: the account's daily video views, profile views, likes, comments, shares."""

    name = "tiktok_overview"
    title = "TikTok Overview export (daily account values)"
    kinds = (OVERVIEW,)
    wanted = "a TikTok Overview export"

    def records(self, table: TikTokTable, export: ExportTime) -> Iterator[Record | InputError]:
        return self.daily_values(table, export)


class TikTokViewersSource(TikTokSource):
    """Viewers.csv: total, new and returning viewers per day."""

    name = "tiktok_viewers"
    title = "TikTok Viewers export (daily viewers)"
    kinds = (VIEWERS,)
    wanted = "a TikTok Viewers export"

    def records(self, table: TikTokTable, export: ExportTime) -> Iterator[Record | InputError]:
        return self.daily_values(table, export)


class TikTokFollowersSource(TikTokSource):
    """FollowerHistory.csv (or the Business audience file): followers per day.

    Only the total is stored: the importer keeps one ``extra`` per account and day, which the
    Overview's values already fill (the day-to-day difference follows from the totals).
    """

    name = "tiktok_followers"
    title = "TikTok Followers export (followers per day)"
    kinds = (FOLLOWERS, FOLLOWER_DETAILS)
    wanted = "a TikTok FollowerHistory export"

    def records(self, table: TikTokTable, export: ExportTime) -> Iterator[Record | InputError]:
        if table.kind == FOLLOWER_DETAILS:
            return iter(())  # activity by hour, gender, territories: nothing smtui stores
        columns = table.columns()
        total = next(columns[name] for name in FOLLOWER_TOTALS if name in columns)

        def build(line: int, cells: list[str], taken_at: int) -> Record | None:
            followers = _count(table, line, cells, total)
            if followers is None:
                return None
            return AccountSnapshotRecord(PLATFORM, self.account, taken_at, followers=followers)

        return self.daily(table, export, build)


class TikTokContentSource(TikTokSource):
    """Content.csv: each video's lifetime likes, comments, shares and views at export time."""

    name = "tiktok_content"
    title = "TikTok Content export (posts)"
    kinds = (CONTENT,)
    wanted = "a TikTok Content export"

    def records(self, table: TikTokTable, export: ExportTime) -> Iterator[Record | InputError]:
        columns = table.columns()
        metrics = {
            index: metric
            for key, index in columns.items()
            if (metric := CONTENT_METRICS.get(key)) is not None
        }
        for line, cells in table.rows:
            try:
                yield self._post(table, columns, metrics, export, line, cells)
            except InputError as exc:
                yield exc

    def _post(
        self,
        table: TikTokTable,
        columns: dict[str, int],
        metrics: dict[int, str],
        export: ExportTime,
        line: int,
        cells: list[str],
    ) -> PostRecord:
        link_column = columns["video link"]
        link = _cell(cells, link_column).strip()
        video_id = video_id_from_link(link)
        if video_id is None:
            raise InputError(
                table.file,
                "a TikTok video link like https://www.tiktok.com/@user/video/7672373276106181908",
                got=repr(link) if link else "an empty cell",
                line=line,
                column=table.header[link_column].strip(),
            )
        export_day, captured_at = export.day, None
        if "time" in columns:
            export_day = self._day(table, line, cells, columns["time"], export.day)
            captured_at = export.captured_at(export_day)
        published_at, day_only = self._published(table, line, cells, columns, video_id, export_day)
        return PostRecord(
            PLATFORM,
            video_id,
            account=self.account or handle_from_link(link),
            published_at=published_at,
            day_only=day_only,
            kind="photo" if "/photo/" in link else "video",
            text=_cell(cells, columns["video title"]).strip(),
            url=link,
            metrics={metric: _count(table, line, cells, i) for i, metric in metrics.items()},
            captured_at=captured_at,
        )

    def _day(
        self, table: TikTokTable, line: int, cells: list[str], column: int, limit: date
    ) -> date:
        """The date in a day cell; a year-less one is the latest not after ``limit``."""
        try:
            day = parse_day(_cell(cells, column), self.zone)
        except CellError as exc:
            raise _cell_error(table, line, cells, column, exc) from None
        return day if isinstance(day, date) else latest_on_or_before(day, limit + GRACE)

    def _published(
        self,
        table: TikTokTable,
        line: int,
        cells: list[str],
        columns: dict[str, int],
        video_id: str,
        export_day: date,
    ) -> tuple[int, bool]:
        """``(published_at, day_only)``: Studio writes a year-less day, Business a date-time."""
        column = columns["post time"]
        cell = _cell(cells, column)
        try:
            if has_year(cell):
                parsed = parse_timestamp(cell, self.zone)
                if parsed is not None:
                    return parsed
            day = parse_day(cell, self.zone)
        except CellError as exc:
            raise _cell_error(table, line, cells, column, exc) from None
        if not isinstance(day, date):
            day = resolve_post_day(day, video_id, export_day, self.zone)
        return local_midnight(day, self.zone), True


def _cell(cells: list[str], index: int) -> str:
    """The cell at ``index``; a short (ragged) row reads as empty there."""
    return cells[index] if index < len(cells) else ""


def _cell_error(
    table: TikTokTable, line: int, cells: list[str], column: int, exc: CellError
) -> InputError:
    cell = _cell(cells, column)
    return InputError(
        table.file,
        exc.expected,
        got=repr(cell) if cell.strip() else "an empty cell",
        line=line,
        column=table.header[column].strip(),
    )


def _count(table: TikTokTable, line: int, cells: list[str], column: int) -> int | None:
    """A whole number (``undefined``, ``NAN``, ``--`` and empty cells are None)."""
    try:
        return parse_count(_cell(cells, column))
    except CellError as exc:
        raise _cell_error(table, line, cells, column, exc) from None


SOURCES: tuple[type[TikTokSource], ...] = (
    TikTokOverviewSource,
    TikTokContentSource,
    TikTokViewersSource,
    TikTokFollowersSource,
)


@hookimpl
def register_sources(register: Callable[[type[DataSource]], None]) -> None:
    """Offer the TikTok export formats to every configuration (they need no options)."""
    for source in SOURCES:
        register(source)
