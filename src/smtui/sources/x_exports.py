"""Reading X (Twitter) analytics exports: what each column means, and X's dates and numbers.

Four formats (FORMATS.md section 1, from real files):

- legacy analytics.twitter.com tweet activity (``tweet_activity_metrics_*.csv``): one row per
  tweet, every field quoted, counts written as floats (``"424.0"``), ``engagement rate`` a
  fraction, ``promoted *`` columns ``"-"`` when the tweet was not promoted, ``time`` like
  ``2021-12-31 15:59 +0000``;
- legacy daily activity (``daily_tweet_activity_metrics_*.csv``): the same columns per day, with
  ``Date`` in ISO form and ``Tweets published``;
- current ``account_analytics_content_*.csv``: one row per post, minimal quoting, plain ints, the
  day only, as ``Thu Mar 20 2025`` (early 2025) or ``Sat, Aug 22, 2026`` (2026), with columns
  renamed between the two (``Link``/``Post Link``, ``Share``/``Shares``, ``Url clicks``/
  ``URL Clicks``);
- current ``account_overview_analytics.csv``: account totals per day, dated like the 2026 posts.

Columns are found by name (any order, any case; X's renames listed as aliases), once per file.
Where X's words differ from smtui's metric columns, the mapping is: replies -> ``comments``,
retweets and reposts -> ``shares``, bookmarks -> ``saves``, (user) profile clicks/visits ->
``profile_visits``, url clicks -> ``link_clicks``, (new) follows -> ``follows``. Everything else
goes to ``extra`` under the keys below; X's own ``Shares`` (a post sent through the share menu:
copy link, direct message) is ``share_menu_shares`` there, so it never mixes with reposts.

The current exports give only the day a post went out, in an unknown time zone. X post ids are
Snowflake ids that carry their creation time to the millisecond, so the exact time is taken
from the id whenever it agrees with the day written (see :func:`time_from_id`).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from operator import itemgetter

from smtui.sources.cells import CellError, parse_count, parse_decimal, parse_id
from smtui.sources.csvfile import (
    check_ending,
    csv_error,
    decode_head,
    detect_encoding,
    find_header,
    first_row,
    header_keys,
    looks_binary,
    read_head,
    read_table,
)
from smtui.sources.errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from datetime import tzinfo

    from smtui.sources.csvfile import TableLayout

PLATFORM = "x"
ENGAGEMENT_RATE_DEFINITION = "engagements / impressions (X)"

# X's Snowflake epoch (2010-11-04 01:42:54.657 UTC) in milliseconds; an id's bits above the
# lowest 22 count milliseconds since then.
SNOWFLAKE_EPOCH_MS = 1288834974657
_UNIX_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_DAY_S = 86400

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_WEEKDAYS = {
    name: number for number, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
}
DAY_EXPECTED = "a date like 'Sat, Aug 22, 2026', 'Thu Mar 20 2025' or 2025-03-20"
TIME_EXPECTED = "a time like 2021-12-31 15:59 +0000"


# --- header fingerprints (FORMATS.md section 11) ---------------------------------------------


class Fingerprint:
    """The header names that identify one X format.

    ``required`` must all be present, one of ``one_of`` too (X renamed ``Link`` to ``Post
    Link``), and none of ``forbidden`` (names of look-alike exports from other platforms).
    """

    __slots__ = ("forbidden", "one_of", "required", "what")

    def __init__(
        self,
        what: str,
        required: Iterable[str],
        one_of: Iterable[str] = (),
        forbidden: Iterable[str] = (),
    ) -> None:
        self.what = what
        self.required = frozenset(required)
        self.one_of = tuple(one_of)
        self.forbidden = frozenset(forbidden)

    def wanted_sets(self) -> list[set[str]]:
        """Each set of names a header may hold to match (one per alternative)."""
        if not self.one_of:
            return [set(self.required)]
        return [{*self.required, alternative} for alternative in self.one_of]

    def describe(self) -> str:
        names = sorted(self.required) + ([" or ".join(self.one_of)] if self.one_of else [])
        return ", ".join(f'"{name}"' for name in names)


TWEETS = Fingerprint("legacy tweet activity", ("tweet id", "tweet permalink", "time"))
DAILY = Fingerprint("legacy daily activity", ("date", "tweets published"))
CONTENT = Fingerprint(
    "account_analytics_content",
    ("post id", "post text", "impressions", "date"),
    one_of=("post link", "link"),
    forbidden=("page id", "account id", "tweet id"),
)
OVERVIEW = Fingerprint(
    "account_overview_analytics", ("date", "impressions", "unfollows", "create post")
)


class Located:
    """Where an X table is in a file: its text encoding and layout."""

    __slots__ = ("encoding", "layout")

    def __init__(self, encoding: str, layout: TableLayout) -> None:
        self.encoding = encoding
        self.layout = layout


def locate(head: bytes, fingerprint: Fingerprint) -> Located | None:
    """The table matching ``fingerprint`` in a file's first bytes, or None."""
    encoding = detect_encoding(head)
    if not head or looks_binary(head, encoding):
        return None
    text = decode_head(head, encoding)
    for wanted in fingerprint.wanted_sets():
        layout = find_header(text, wanted)
        if layout is None:
            continue
        if fingerprint.forbidden and fingerprint.forbidden & set(_header_at(text, layout)):
            return None
        return Located(encoding, layout)
    return None


def _header_at(text: str, layout: TableLayout) -> list[str]:
    """The normalised names of the header row ``layout`` points at."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=layout.delimiter)
    for index, row in enumerate(reader):
        if index == layout.header_row:
            return header_keys(row)
    return []


def open_table(path: str, fingerprint: Fingerprint) -> Iterator[tuple[int, list[str]]]:
    """Stream ``(line, cells)`` of an X export: the header row first, then each data row.

    Raises :class:`InputError` when the file is not the format ``fingerprint`` describes.
    """
    head = read_head(path)
    if not head:
        raise InputError(path, f"an X {fingerprint.what} export", got="an empty file")
    located = locate(head, fingerprint)
    if located is None:
        encoding = detect_encoding(head)
        if looks_binary(head, encoding):
            got = "binary data"
        else:
            found = first_row(decode_head(head, encoding))
            got = "a header with " + (", ".join(cell.strip() for cell in found) or "nothing")
        raise InputError(
            path,
            f"an X {fingerprint.what} export, with the columns {fingerprint.describe()}",
            got=got,
            hint="export the file again from X analytics, or import it with --source",
        )
    return read_rows(path, located.encoding, located.layout)


def read_rows(path: str, encoding: str, layout: TableLayout) -> Iterator[tuple[int, list[str]]]:
    """:func:`~smtui.sources.csvfile.read_table`'s rows, without its check of every cell.

    That check looks for bytes that are not text in ``encoding``; here the file is decoded
    strictly instead, which finds them for free. On the first one, ``read_table`` reads the
    file again from the row after the last one handed over, and raises the error naming the
    line (the strict decoder works a block ahead, so it cannot say which line). On a valid
    file, a million rows cost a second less.
    """
    handed = 0
    try:
        handle = open(path, encoding=encoding, newline="")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise InputError(path, "a readable file", got=exc.strerror or str(exc)) from exc
    with handle:
        reader = csv.reader(handle, delimiter=layout.delimiter)
        header_row = layout.header_row
        index = -1
        ended = 0  # the line the previous row ended on
        line, row, width = 0, [], 0
        try:
            for row in reader:
                line = ended + 1
                ended = reader.line_num
                index += 1
                if index < header_row or not any(row):
                    continue
                if index == header_row:
                    row[0] = row[0].lstrip("\ufeff")
                    width = len(row)
                handed += 1
                yield line, row
            if handed > 1 and any(row):  # a file cut short ends inside its last row
                check_ending(path, encoding, layout.delimiter, (line, row), ended, width)
            return
        except csv.Error as exc:
            raise csv_error(path, exc, ended + 1) from exc
        except UnicodeDecodeError:
            pass
    for count, item in enumerate(read_table(path, encoding, layout)):
        if count >= handed:
            yield item


def fit_row(cells: list[str], width: int, file: str, line: int) -> list[str]:
    """``cells`` padded to the header's width; an error if it holds more values than that."""
    if len(cells) < width:
        return cells + [""] * (width - len(cells))
    if len(cells) > width and any(cell.strip() for cell in cells[width:]):
        raise InputError(
            file,
            f"{width} fields like the header",
            got=f"{len(cells)} (an unquoted comma in a text?)",
            line=line,
        )
    return cells


class Column:
    """Where one named column sits in a file's header (by name, never by position)."""

    __slots__ = ("index", "name")

    def __init__(self, index: int, name: str) -> None:
        self.index = index
        self.name = name


def find_column(header: list[str], *names: str) -> Column | None:
    """The first of ``names`` (normalised, in order of preference) present in ``header``."""
    keys = header_keys(header)
    for name in names:
        if name in keys:
            index = keys.index(name)
            return Column(index, header[index].strip())
    return None


def cell_error(file: str, line: int, column: str, cell: str, expected: str) -> InputError:
    """The error for one cell, shown the way the file has it."""
    got = repr(cell) if cell.strip() else "an empty cell"
    return InputError(file, expected, got=got, line=line, column=column)


# --- numeric columns ---------------------------------------------------------------------------


class Measure:
    """One numeric column of an X export: the names X has given it and where its value goes.

    ``key`` is a metric column name when ``metric`` is set, else a key of ``extra``. A rate is
    a fraction, stored with ``<key>_definition`` so the number can be read without this code.
    """

    __slots__ = ("definition", "key", "metric", "names")

    def __init__(self, key: str, *names: str, metric: bool = False, definition: str = "") -> None:
        self.key = key
        self.names = names
        self.metric = metric
        self.definition = definition

    @property
    def is_rate(self) -> bool:
        return bool(self.definition)

    def promoted(self) -> Measure:
        """The same measure for the paid reach of a promoted tweet (always kept in ``extra``)."""
        return Measure(
            f"promoted_{self.key}",
            *(f"promoted {name}" for name in self.names),
            definition=self.definition,
        )


_LEGACY_ORGANIC = (
    Measure("impressions", "impressions", metric=True),
    Measure("engagements", "engagements", metric=True),
    Measure("engagement_rate", "engagement rate", definition=ENGAGEMENT_RATE_DEFINITION),
    Measure("shares", "retweets", metric=True),
    Measure("comments", "replies", metric=True),
    Measure("likes", "likes", "favorites", metric=True),
    Measure("profile_visits", "user profile clicks", metric=True),
    Measure("link_clicks", "url clicks", metric=True),
    Measure("hashtag_clicks", "hashtag clicks"),
    Measure("detail_expands", "detail expands"),
    Measure("permalink_clicks", "permalink clicks"),
    Measure("app_opens", "app opens"),
    Measure("app_installs", "app installs"),
    Measure("follows", "follows", metric=True),
    Measure("email_tweet", "email tweet"),
    Measure("dial_phone", "dial phone"),
    Measure("media_views", "media views"),
    Measure("media_engagements", "media engagements"),
)
# 1a: the organic columns, then the same again for promoted reach.
TWEET_MEASURES = _LEGACY_ORGANIC + tuple(m.promoted() for m in _LEGACY_ORGANIC)
# 1b: the same per day, plus how many tweets went out that day.
DAILY_MEASURES = (Measure("posts_published", "tweets published"), *TWEET_MEASURES)
# 1c, both vintages (renamed columns compare equal once case is folded, or are listed twice).
CONTENT_MEASURES = (
    Measure("impressions", "impressions", metric=True),
    Measure("likes", "likes", metric=True),
    Measure("engagements", "engagements", metric=True),
    Measure("saves", "bookmarks", metric=True),
    Measure("share_menu_shares", "shares", "share"),
    Measure("follows", "new follows", metric=True),
    Measure("comments", "replies", metric=True),
    Measure("shares", "reposts", metric=True),
    Measure("profile_visits", "profile visits", metric=True),
    Measure("detail_expands", "detail expands"),
    Measure("link_clicks", "url clicks", metric=True),
    Measure("hashtag_clicks", "hashtag clicks"),
    Measure("permalink_clicks", "permalink clicks"),
)
# 1d: account totals per day (all of it lands in the snapshot's extra).
OVERVIEW_MEASURES = (
    Measure("impressions", "impressions"),
    Measure("likes", "likes"),
    Measure("engagements", "engagements"),
    Measure("saves", "bookmarks"),
    Measure("share_menu_shares", "shares"),
    Measure("follows", "new follows"),
    Measure("unfollows", "unfollows"),
    Measure("comments", "replies"),
    Measure("shares", "reposts"),
    Measure("profile_visits", "profile visits"),
    Measure("posts_published", "create post"),
    Measure("video_views", "video views"),
    Measure("media_views", "media views"),
)


class MeasureReader:
    """The numeric columns of one file, located once from its header and read row after row.

    Counts go to ``metrics`` (None kept: "not reported") or ``extra`` (None left out, so a
    tweet that was never promoted carries no ``promoted_*`` keys). Rates are fractions.
    Columns a file lacks are simply not reported. With ``all_extra`` every count goes to
    ``extra`` (for account snapshots, which have no metric columns).
    """

    __slots__ = (
        "count_cells",
        "extra_keys",
        "extras",
        "file",
        "metric_keys",
        "metrics",
        "names",
        "rates",
        "split",
    )

    def __init__(
        self,
        header: list[str],
        measures: Iterable[Measure],
        file: str,
        *,
        all_extra: bool = False,
    ) -> None:
        positions: dict[str, int] = {}
        for index, key in enumerate(header_keys(header)):
            positions.setdefault(key, index)
        self.file = file
        self.names = [cell.strip() for cell in header]
        self.metrics: list[tuple[int, str]] = []
        self.extras: list[tuple[int, str]] = []
        self.rates: list[tuple[int, str, str]] = []
        for measure in measures:
            found = next((positions[n] for n in measure.names if n in positions), None)
            if found is None:
                continue
            if measure.is_rate:
                self.rates.append((found, measure.key, measure.definition))
            elif measure.metric and not all_extra:
                self.metrics.append((found, measure.key))
            else:
                self.extras.append((found, measure.key))
        self.metric_keys = tuple(key for _, key in self.metrics)
        self.extra_keys = tuple(key for _, key in self.extras)
        # The metric cells, then the extra ones, picked in one call; None when rates make
        # every row go the general way.
        self.count_cells = (
            None if self.rates else _picker([index for index, _ in self.metrics + self.extras])
        )
        self.split = len(self.metrics)

    def read(self, line: int, cells: list[str]) -> tuple[dict[str, int | None], dict[str, object]]:
        """``(metrics, extra)`` of one (width-checked) row; InputError naming a bad cell.

        A row of plain digits (every row of the current exports) is read without a Python
        loop: the cells are picked, checked and converted by C code.
        """
        if self.count_cells is not None:
            picked = self.count_cells(cells)
            if "".join(picked).isdecimal():
                try:
                    counts = list(map(int, picked))
                except ValueError:  # an empty cell among the digits
                    return self._read_each(line, cells)
                extra: dict[str, object] = dict(
                    zip(self.extra_keys, counts[self.split :], strict=True)
                )
                # The metric counts come first: zip stops where they end.
                return dict(zip(self.metric_keys, counts, strict=False)), extra
        return self._read_each(line, cells)

    def _read_each(
        self, line: int, cells: list[str]
    ) -> tuple[dict[str, int | None], dict[str, object]]:
        """The general case: floats, nulls, separators, rates, and errors naming the column."""
        metrics: dict[str, int | None] = {}
        extra: dict[str, object] = {}
        index = -1
        expected = "a whole number"
        try:
            for index, key in self.metrics:
                metrics[key] = parse_x_count(cells[index])
            for index, key in self.extras:
                value = parse_x_count(cells[index])
                if value is not None:
                    extra[key] = value
            expected = "a fraction like 0.0707"
            for index, key, definition in self.rates:
                rate = parse_decimal(cells[index])
                if rate is not None:
                    extra[key] = rate
                    extra[f"{key}_definition"] = definition
        except CellError as exc:
            if exc.expected != "a number":
                expected = exc.expected
            raise cell_error(self.file, line, self.names[index], cells[index], expected) from None
        return metrics, extra


def _picker(indexes: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """A function returning the cells at ``indexes`` of a row, as a tuple (C speed)."""
    if len(indexes) >= 2:
        return itemgetter(*indexes)
    if indexes:
        only = indexes[0]
        return lambda cells: (cells[only],)
    return lambda cells: ()


def parse_x_count(text: str) -> int | None:
    """A count as X writes it: ``12``, ``424.0`` (legacy), ``1,234``; None for ``-`` or empty."""
    if text.isdecimal():
        return int(text)
    if text.endswith(".0") and text[:-2].isdecimal():
        return int(text[:-2])
    value = parse_count(text)
    if value is not None and value < 0:
        raise CellError("a whole number, not negative")
    return value


# --- ids, links and times ----------------------------------------------------------------------


def parse_x_id(text: str) -> str:
    """A tweet or post id: digits, kept as text (19 digits do not survive a float)."""
    if text.isdecimal() and text.isascii():
        return text
    value = parse_id(text)
    if not (value.isdecimal() and value.isascii()):
        raise CellError("a post id (digits only)")
    return value


def account_from_link(url: str) -> str:
    """The handle in ``https://x.com/<handle>/status/<id>`` (or twitter.com); "" if none."""
    marker = url.find("/status/")
    if marker <= 0:
        return ""
    before = url[:marker]
    handle = before[before.rfind("/") + 1 :]
    # x.com/i/status/<id> and x.com/i/web/status/<id> name no account.
    return "" if handle in ("i", "web") or "." in handle else handle


class LinkAccounts:
    """Handles from post links, remembering the last: the links of one file share a prefix, so
    most rows cost one ``startswith``. ``fallback`` (the configured handle) is for links that
    name no account."""

    __slots__ = ("fallback", "handle", "prefix")

    def __init__(self, fallback: str = "") -> None:
        self.fallback = fallback
        self.prefix = "\0"
        self.handle = ""

    def __call__(self, url: str) -> str:
        if url.startswith(self.prefix):
            return self.handle
        handle = account_from_link(url)
        if not handle:
            return self.fallback
        self.prefix = url[: url.find("/status/") + len("/status/")]
        self.handle = handle
        return handle


def time_from_id(post_id: str) -> int:
    """When X minted ``post_id``, in whole seconds since the Unix epoch (UTC).

    Snowflake ids (every tweet since November 2010) hold milliseconds since
    :data:`SNOWFLAKE_EPOCH_MS` in their bits above the lowest 22.
    """
    return ((int(post_id) >> 22) + SNOWFLAKE_EPOCH_MS) // 1000


def exact_time(post_id: str, day_number: int) -> int | None:
    """The time from ``post_id`` when it falls within a day of ``day_number`` (days since
    1970-01-01, the day X wrote in a zone it does not name); None when the id disagrees."""
    seconds = ((int(post_id) >> 22) + SNOWFLAKE_EPOCH_MS) // 1000
    return seconds if abs(seconds // _DAY_S - day_number) <= 1 else None


def parse_x_day(text: str) -> date:
    """The day in ``Sat, Aug 22, 2026`` (2026 exports), ``Thu Mar 20 2025`` (early 2025) or
    ``2021-08-01`` (legacy daily). The weekday must agree with the date: a mismatch means the
    day and month were swapped somewhere (a spreadsheet re-save, say)."""
    value = text.strip()
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise CellError(DAY_EXPECTED) from None
    parts = value.replace(",", " ").split()
    if len(parts) != 4:
        raise CellError(DAY_EXPECTED)
    weekday, month_name, day_text, year_text = parts
    month = _MONTHS.get(month_name.casefold())
    if (
        month is None
        or not (day_text.isdecimal() and len(day_text) <= 2)
        or not (year_text.isdecimal() and len(year_text) == 4)
    ):
        raise CellError(DAY_EXPECTED)
    try:
        day = date(int(year_text), month, int(day_text))
    except ValueError:
        raise CellError(DAY_EXPECTED) from None
    if _WEEKDAYS.get(weekday.casefold()) != day.weekday():
        raise CellError(f"{DAY_EXPECTED} (the weekday does not match the date)")
    return day


def parse_x_time(text: str) -> int:
    """Seconds since the epoch for a legacy ``time`` cell: ``2021-12-31 15:59 +0000``.

    X always wrote +0000; other offsets are honoured, and a time without one is UTC.
    """
    value = text.strip()
    offset = 0
    if len(value) == 22 and value[16] == " " and value[17] in "+-" and value[18:].isdecimal():
        offset = (int(value[18:20]) * 60 + int(value[20:22])) * 60
        if value[17] == "-":
            offset = -offset
        value = value[:16]
    if len(value) != 16 or value[4] != "-" or value[10] != " " or value[13] != ":":
        raise CellError(TIME_EXPECTED)
    try:
        moment = datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        raise CellError(TIME_EXPECTED) from None
    return int(moment.timestamp()) - offset


class Day:
    """One day as an X export wrote it: the date, its number (days since 1970-01-01) and the
    epoch seconds of its midnight in the zone the day is read in."""

    __slots__ = ("date", "midnight", "number")

    def __init__(self, day: date, zone: tzinfo) -> None:
        self.date = day
        self.number = day.toordinal() - _UNIX_EPOCH_ORDINAL
        if zone is UTC:
            self.midnight = self.number * _DAY_S
        else:
            self.midnight = int(datetime(day.year, day.month, day.day, tzinfo=zone).timestamp())


class DayReader:
    """Day cells to :class:`Day`, remembered: a file repeats each day on many rows."""

    __slots__ = ("days", "zone")

    # Enough for decades of days; cleared when full so memory stays bounded on any input.
    LIMIT = 20_000

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        self.days: dict[str, Day] = {}

    def __call__(self, text: str) -> Day:
        """The day in ``text``; CellError when it is not a day X writes."""
        found = self.days.get(text)
        if found is None:
            found = Day(parse_x_day(text), self.zone)
            if len(self.days) >= self.LIMIT:
                self.days.clear()
            self.days[text] = found
        return found
