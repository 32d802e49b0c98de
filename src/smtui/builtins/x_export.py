"""X (Twitter) analytics exports as built-in sources: ``x_tweets``, ``x_daily``, ``x_content``,
``x_overview``.

Each reads one export format of FORMATS.md section 1, recognised from its header (never the
file name): the legacy tweet-level and daily files from analytics.twitter.com, and the current
``account_analytics_content`` (post level, 2025 and 2026 headers) and
``account_overview_analytics`` (account level, per day) files. What the columns mean and how
X writes dates and numbers lives in :mod:`smtui.sources.x_exports`.

Posts are keyed on their X id (kept as text), so importing an export again only adds a
metrics snapshot when the numbers moved. Daily files become one account snapshot per day,
dated at that day's midnight in the ``timezone`` option (X does not say which zone its day
buckets are in), with the day as written and ``day_only`` in ``extra``.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, ClassVar, TypeVar

from smtui.api import AccountSnapshotRecord, DataSource, InputError, Option, PostRecord, hookimpl
from smtui.options import zone_option
from smtui.sources.cells import CellError
from smtui.sources.x_exports import (
    CONTENT,
    CONTENT_MEASURES,
    DAILY,
    DAILY_MEASURES,
    OVERVIEW,
    OVERVIEW_MEASURES,
    PLATFORM,
    TWEET_MEASURES,
    TWEETS,
    Column,
    DayReader,
    Fingerprint,
    LinkAccounts,
    Measure,
    MeasureReader,
    cell_error,
    exact_time,
    find_column,
    fit_row,
    locate,
    open_table,
    parse_x_id,
    parse_x_time,
    time_from_id,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any

    from smtui.sources.records import Record

_T = TypeVar("_T")

_TIMEZONE = Option(
    "timezone",
    str,
    default="UTC",
    help="time zone of X's day columns (X does not say; your account's zone is likely)",
)
_ACCOUNT = Option(
    "account", str, default="", help="your X handle, for files whose rows do not name it"
)


class _XExport(DataSource):
    """What the four X formats share: detection by header fingerprint, and their options."""

    platform = PLATFORM
    fingerprint: ClassVar[Fingerprint]
    options: ClassVar[tuple[Option, ...]] = (_TIMEZONE, _ACCOUNT)

    def __init__(self, options: dict[str, Any] | None = None, alias: str | None = None) -> None:
        super().__init__(options, alias)
        zone_name = self.option_values.get("timezone") or "UTC"
        self.zone = zone_option(zone_name, f"sources.{self.alias}")
        self.account = str(self.option_values.get("account") or "").strip().lstrip("@")

    def sniff(self, head: bytes, path: str) -> bool:
        return locate(head, self.fingerprint) is not None

    def _table(self, path: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
        """The header and the data rows of ``path``."""
        rows = open_table(path, self.fingerprint)
        for _, header in rows:
            return header, rows
        raise InputError(path, f"an X {self.fingerprint.what} export", got="no header row")

    def _column(self, path: str, header: list[str], *names: str) -> Column:
        """A column the format cannot do without (the fingerprint guarantees it)."""
        column = find_column(header, *names)
        if column is None:  # pragma: no cover - sniffing found it in the same header
            raise InputError(path, f'a column "{names[0]}"')
        return column


class XTweetsSource(_XExport):
    """Legacy analytics.twitter.com tweet activity: one row per tweet with its metrics."""

    name = "x_tweets"
    title = "X tweet activity (legacy analytics.twitter.com export)"
    fingerprint = TWEETS
    options = (_ACCOUNT,)

    def read(self, path: str) -> Iterator[Record | InputError]:
        header, rows = self._table(path)
        width = len(header)
        ids = self._column(path, header, "tweet id")
        times = self._column(path, header, "time")
        links = self._column(path, header, "tweet permalink")
        texts = find_column(header, "tweet text")
        measures = MeasureReader(header, TWEET_MEASURES, path)
        accounts = LinkAccounts(self.account)
        for line, row in rows:
            try:
                cells = fit_row(row, width, path, line)
                post_id = _cell(path, line, ids, cells, parse_x_id)
                minute = _cell(path, line, times, cells, parse_x_time)
                metrics, extra = measures.read(line, cells)
            except InputError as exc:
                yield exc
                continue
            url = cells[links.index].strip()
            text = cells[texts.index] if texts is not None else ""
            yield PostRecord(
                PLATFORM,
                post_id,
                account=accounts(url),
                published_at=_to_the_second(post_id, minute),
                text=html.unescape(text) if "&" in text else text,  # X left &amp; etc. escaped
                url=url,
                metrics=metrics,
                extra=extra,
            )


class XContentSource(_XExport):
    """Current X analytics posts (``account_analytics_content``), 2025 and 2026 headers."""

    name = "x_content"
    title = "X post analytics (account_analytics_content export)"
    fingerprint = CONTENT

    def read(self, path: str) -> Iterator[Record | InputError]:
        header, rows = self._table(path)
        width = len(header)
        ids = self._column(path, header, "post id")
        days = self._column(path, header, "date")
        links = self._column(path, header, "post link", "link")
        texts = self._column(path, header, "post text")
        measures = MeasureReader(header, CONTENT_MEASURES, path)
        read_day = DayReader(self.zone)
        id_at, day_at, link_at, text_at = ids.index, days.index, links.index, texts.index
        accounts = LinkAccounts(self.account)
        # The hot loop of a million-row file: plain cells take the fast path inline.
        for line, row in rows:
            try:
                cells = row if len(row) == width else fit_row(row, width, path, line)
                post_id = cells[id_at]
                if not (post_id.isdecimal() and post_id.isascii()):
                    post_id = _cell(path, line, ids, cells, parse_x_id)
                try:
                    day = read_day(cells[day_at])
                except CellError as exc:
                    raise cell_error(path, line, days.name, cells[day_at], exc.expected) from None
                metrics, extra = measures.read(line, cells)
            except InputError as exc:
                yield exc
                continue
            url = cells[link_at].strip()
            exact = exact_time(post_id, day.number)
            yield PostRecord(
                PLATFORM,
                post_id,
                account=accounts(url),
                published_at=day.midnight if exact is None else exact,
                day_only=exact is None,
                text=cells[text_at],
                url=url,
                metrics=metrics,
                extra=extra,
            )


class _XDailySeries(_XExport):
    """A file of one row per day: each becomes an account snapshot at that day's midnight."""

    measures: ClassVar[tuple[Measure, ...]]

    def read(self, path: str) -> Iterator[Record | InputError]:
        header, rows = self._table(path)
        width = len(header)
        days = self._column(path, header, "date")
        measures = MeasureReader(header, self.measures, path, all_extra=True)
        read_day = DayReader(self.zone)
        for line, row in rows:
            try:
                cells = fit_row(row, width, path, line)
                day = _cell(path, line, days, cells, read_day)
                _, counts = measures.read(line, cells)
            except InputError as exc:
                yield exc
                continue
            extra = {"day": day.date.isoformat(), "day_only": True, **counts}
            yield AccountSnapshotRecord(PLATFORM, self.account, day.midnight, extra=extra)


class XDailySource(_XDailySeries):
    """Legacy analytics.twitter.com daily activity: account totals per day."""

    name = "x_daily"
    title = "X daily activity (legacy analytics.twitter.com export)"
    fingerprint = DAILY
    measures = DAILY_MEASURES


class XOverviewSource(_XDailySeries):
    """Current X analytics account overview (``account_overview_analytics``): totals per day."""

    name = "x_overview"
    title = "X account overview (account_overview_analytics export)"
    fingerprint = OVERVIEW
    measures = OVERVIEW_MEASURES


def _cell(path: str, line: int, column: Column, cells: list[str], parse: Callable[[str], _T]) -> _T:
    """``parse`` of one cell, or the InputError naming its line and column."""
    cell = cells[column.index]
    try:
        return parse(cell)
    except CellError as exc:
        raise cell_error(path, line, column.name, cell, exc.expected) from None


def _to_the_second(post_id: str, minute: int) -> int:
    """The tweet's time from its id when that falls in the minute the export wrote, so the
    legacy and current exports give a post the same time; else the minute."""
    exact = time_from_id(post_id)
    return exact if 0 <= exact - minute < 60 else minute


@hookimpl
def register_sources(register: Callable[[type[DataSource]], None]) -> None:
    """Offer the four X export formats (they need no configuration)."""
    for source in (XTweetsSource, XDailySource, XContentSource, XOverviewSource):
        register(source)
