"""LinkedIn analytics exports: the Page content, followers and visitors workbooks, and the
personal creator workbook (FORMATS.md section 4).

Page exports are Excel workbooks (``.xls`` as LinkedIn sends them, ``.xlsx`` once re-saved).
Dates are text cells ``MM/DD/YYYY`` in UTC, metrics numeric cells, empty metrics empty text.
Row 1 may be a description sentence (users often delete it), so headers are found by their
column names. What each sheet becomes:

- ``Metrics`` (content): one account snapshot per day, the day's values in ``extra``
  (``impressions_total``, ``clicks_organic``, ``engagement_rate_total`` as a fraction...).
- ``All posts`` (content): one post per row, keyed on its URN (``urn:li:activity:…``).
- ``New followers`` / ``Visitor metrics``: one snapshot per day with that day's new followers
  or page views; the demographic sheets become one snapshot at the export time.
- Creator workbook: daily impressions and engagements, follower counts (the total on the last
  day, walked back through the daily gains), top posts, period totals and demographics.

The account is the Page's vanity name (or the creator's name) taken from LinkedIn's file name
(``<page>_content_<epoch ms>.xls``), which also gives the export time; a ``[sources.<alias>]
account`` setting overrides it. The *format* is never taken from the name.
"""

from __future__ import annotations

import os
import re

from smtui.sources.cells import CellError
from smtui.sources.csvfile import field_key, normalise
from smtui.sources.errors import InputError
from smtui.sources.records import AccountSnapshotRecord, PostRecord, merge_snapshots
from smtui.sources.workbook import (
    SheetTable,
    Workbook,
    cell_count,
    cell_day,
    cell_number,
    cell_text,
    sheet_label,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from typing import Any, TypeAlias

    from smtui.sources.records import Record
    from smtui.sources.workbook import Cell

    Item: TypeAlias = Record | InputError

PLATFORM = "linkedin"
DAY = 86_400
# LinkedIn writes dates as text, month first (``03/14/2025``, creator files ``3/14/2025``).
DATE_FORMAT = "%m/%d/%Y"
DATE_EXAMPLE = "a date like 03/14/2025"

ENGAGEMENT_RATE_DEFINITION = (
    "(clicks + reactions + comments + reposts + follows) / impressions (LinkedIn; can exceed 1)"
)
CTR_DEFINITION = "clicks / impressions (LinkedIn; can exceed 1)"

# Sheet names that identify each workbook (FORMATS.md section 11).
CONTENT_SHEETS = ("Metrics", "All posts")
FOLLOWERS_SHEETS = ("New followers", "Location")
VISITORS_SHEETS = ("Visitor metrics",)
CREATOR_SHEETS = ("DISCOVERY", "ENGAGEMENT", "TOP POSTS")
DEMOGRAPHIC_SHEETS = ("Location", "Job function", "Seniority", "Industry", "Company size")

_PAGE_FILE = re.compile(
    r"(?P<page>.+)_(?:content|followers|visitors)_(?P<ms>\d{12,14})(?: ?\(\d+\))?", re.IGNORECASE
)
_CREATOR_FILES = (
    re.compile(r"Content_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}_(?P<name>.+?)(?: ?\(\d+\))?"),
    re.compile(
        r"AggregateAnalytics_(?P<name>.+)_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}(?: ?\(\d+\))?"
    ),
)
_POST_URN = re.compile(r"urn(?::|%3A)li(?::|%3A)(activity|share|ugcPost)(?::|%3A)(\d+)", re.I)
_URN_KINDS = {"activity": "activity", "share": "share", "ugcpost": "ugcPost"}


# --- file names: the account and the export time -------------------------------------------


def page_file_account(path: str) -> tuple[str, int | None]:
    """``(page vanity name, export time)`` from a Page export's file name, or ``("", None)``.

    LinkedIn names Page exports ``<vanity>_<kind>_<epoch milliseconds>.xls``; a browser's
    `` (1)`` for a second download is allowed.
    """
    stem = os.path.splitext(os.path.basename(path))[0]
    match = _PAGE_FILE.fullmatch(stem)
    if match is None:
        return "", None
    return match["page"], int(match["ms"]) // 1000


def creator_file_account(path: str) -> str:
    """The member's name from a creator export's file name (both known spellings), or ``""``."""
    stem = os.path.splitext(os.path.basename(path))[0]
    for pattern in _CREATOR_FILES:
        match = pattern.fullmatch(stem)
        if match is not None:
            return match["name"]
    return ""


def file_time(path: str) -> int:
    """When the file was written: the export time when nothing better is known."""
    return int(os.stat(path).st_mtime)


# --- posts: URNs and publication times -----------------------------------------------------


def post_urn(url: str) -> str | None:
    """The post's URN (``urn:li:activity:7306…``) from its link, or None if it has none."""
    match = _POST_URN.search(url)
    if match is None:
        return None
    return f"urn:li:{_URN_KINDS[match[1].casefold()]}:{match[2]}"


def published_at(urn: str, day: int | None) -> tuple[int | None, bool]:
    """``(publication time, day_only)`` from the export's date and the post's URN.

    LinkedIn ids carry their creation time in milliseconds in the bits above the lowest 22;
    when that time falls on the date the export gives, it is the exact publication time.
    Otherwise the date alone is used, flagged as day-only.
    """
    if day is None:
        return None, False
    moment = (int(urn.rsplit(":", 1)[1]) >> 22) // 1000
    if day <= moment < day + DAY:
        return moment, False
    return day, True


# --- Page content workbook ----------------------------------------------------------------


def read_content(path: str, account: str | None) -> Iterator[Item]:
    """Daily account metrics from ``Metrics`` and posts from ``All posts``."""
    page, exported_at = page_file_account(path)
    owner = account or page
    with Workbook(path) as book:
        metrics = _table(book, "Metrics", ("Date", "Impressions (total)"))
        posts = _table(book, "All posts", ("Post link", "Impressions"))
    yield from stamped(_daily_series(metrics, owner, _metrics_key), exported_at)
    yield from _content_posts(posts, owner, exported_at)


def _table(book: Workbook, sheet: str, wanted: tuple[str, ...]) -> SheetTable:
    """The table on ``sheet`` whose header has the ``wanted`` columns, or an InputError."""
    rows = book.rows(sheet)
    label = sheet_label(book.path, book.find(sheet) or sheet)
    table = SheetTable.find(label, rows, wanted)
    if table is None:
        first = next((r for r in rows if any(cell_text(c).strip() for c in r)), [])
        shown = " | ".join(cell_text(c).strip() for c in first if cell_text(c).strip())
        raise InputError(
            label,
            "a header row with " + ", ".join(f'"{name}"' for name in wanted),
            got=f"{shown[:120]!r}" if shown else "an empty sheet",
        )
    return table


def _metrics_key(name: str) -> str:
    """``Reposts (total)`` -> ``reposts_total``; older exports say ``Shares``."""
    key = field_key(name)
    return "reposts" + key[len("shares") :] if key.startswith("shares") else key


def _daily_series(
    table: SheetTable,
    account: str,
    key_for: Callable[[str], str],
    *,
    rate_definition: bool = True,
) -> Iterator[Item]:
    """One snapshot per dated row: every other column, by ``key_for(header)``, in ``extra``.

    Columns whose key mentions a rate hold fractions; all others are whole counts.
    """
    columns = [name for name in table.names if name.strip() and normalise(name) != "date"]
    for line, row in table.data():
        try:
            day = table.day(line, row, "Date", DATE_FORMAT)
            if day is None:
                raise table.error(line, "Date", DATE_EXAMPLE, "")
            extra: dict[str, Any] = day_extra(day)
            for name in columns:
                key = key_for(name)
                rate = "rate" in key.split("_")
                value = table.number(line, row, name) if rate else table.count(line, row, name)
                if value is not None:
                    extra[key] = value
        except InputError as exc:
            yield exc
            continue
        if rate_definition and any("rate" in key.split("_") for key in extra):
            extra["engagement_rate_definition"] = ENGAGEMENT_RATE_DEFINITION
        yield AccountSnapshotRecord(PLATFORM, account, day, extra=extra)


class _PostRow:
    """One ``All posts`` row, read; rows of the same post (organic and sponsored) add up."""

    __slots__ = ("counts", "extra", "kind", "post_types", "text", "url", "urn", "when")

    def __init__(self, urn: str, url: str) -> None:
        self.urn = urn
        self.url = url
        self.text = ""
        self.kind = ""
        self.when: tuple[int | None, bool] = (None, False)
        self.counts: dict[str, int | None] = {}
        self.extra: dict[str, Any] = {}
        self.post_types: list[str] = []

    def add(self, other: _PostRow) -> None:
        """Count in another row of the same post; a repeated row of the same type is a copy."""
        if all(t in self.post_types for t in other.post_types):
            return
        for key, value in other.counts.items():
            mine = self.counts.get(key)
            self.counts[key] = value if mine is None else mine + (value or 0)
        for key, value in other.extra.items():
            self.extra.setdefault(key, value)
        self.post_types += [t for t in other.post_types if t not in self.post_types]
        self.text = self.text or other.text
        self.kind = self.kind or other.kind
        if self.when[0] is None:
            self.when = other.when

    def record(self, account: str, captured_at: int | None) -> PostRecord:
        counts = self.counts
        parts = [counts.get(k) for k in ("clicks", "likes", "comments", "shares", "follows")]
        engagements = None if all(p is None for p in parts) else sum(p or 0 for p in parts)
        impressions = counts.get("impressions")
        extra = dict(self.extra)
        if self.post_types:
            extra["post_type"] = ", ".join(self.post_types)
        for key in ("clicks", "offsite_views"):
            if counts.get(key) is not None:
                extra[key] = counts[key]
        if len(self.post_types) > 1 and impressions:  # merged rows: the rates of the sums
            extra["engagement_rate"] = (engagements or 0) / impressions
            extra["ctr"] = (counts.get("clicks") or 0) / impressions
        if "engagement_rate" in extra:
            extra["engagement_rate_definition"] = ENGAGEMENT_RATE_DEFINITION
        if "ctr" in extra:
            extra["ctr_definition"] = CTR_DEFINITION
        metrics = {
            "impressions": impressions,
            "engagements": engagements,
            "likes": counts.get("likes"),
            "comments": counts.get("comments"),
            "shares": counts.get("shares"),
            "follows": counts.get("follows"),
            "video_views": counts.get("video_views"),
        }
        return PostRecord(
            PLATFORM,
            self.urn,
            account=account,
            published_at=self.when[0],
            day_only=self.when[1],
            kind=self.kind or "post",
            text=self.text,
            url=self.url,
            metrics=metrics,
            extra=extra,
            captured_at=captured_at,
        )


# ``All posts`` count columns -> where they go (``clicks``/``offsite_views`` end up in extra:
# LinkedIn's clicks count clicks on the post, the Page name and logo, not only on links).
_POST_COUNTS = (
    ("Impressions", "impressions"),
    ("Views", "video_views"),
    ("Offsite Views", "offsite_views"),
    ("Clicks", "clicks"),
    ("Likes", "likes"),
    ("Comments", "comments"),
    ("Reposts", "shares"),
    ("Shares", "shares"),
    ("Follows", "follows"),
)
_POST_TEXTS = (
    ("Campaign name", "campaign_name"),
    ("Posted by", "posted_by"),
    ("Audience", "audience"),
)


def _content_posts(table: SheetTable, account: str, captured_at: int | None) -> Iterator[Item]:
    posts: dict[str, _PostRow] = {}
    for line, row in table.data():
        try:
            post = _content_post(table, line, row)
        except InputError as exc:
            yield exc
            continue
        if post.urn in posts:
            posts[post.urn].add(post)
        else:
            posts[post.urn] = post
    for post in posts.values():
        yield post.record(account, captured_at)


def _content_post(table: SheetTable, line: int, row: list[Cell]) -> _PostRow:
    url = cell_text(table.cell(row, "Post link")).strip()
    urn = post_urn(url)
    if urn is None:
        raise table.error(
            line,
            "Post link",
            "a LinkedIn post link (https://www.linkedin.com/feed/update/urn:li:activity:…)",
            url,
        )
    post = _PostRow(urn, url)
    post.text = cell_text(table.cell(row, "Post title"))
    post.when = published_at(urn, table.day(line, row, "Created date", DATE_FORMAT))
    content_type = cell_text(table.cell(row, "Content Type")).strip().casefold()
    post.kind = content_type or "post"
    for header, key in _POST_COUNTS:
        if table.has(header):
            post.counts[key] = table.count(line, row, header)
    for header, key in (
        ("Engagement rate", "engagement_rate"),
        ("Click through rate (CTR)", "ctr"),
    ):
        rate = table.number(line, row, header)
        if rate is not None:
            post.extra[key] = rate
    for header, key in _POST_TEXTS:
        text = cell_text(table.cell(row, header)).strip()
        if text:
            post.extra[key] = text
    for header, key in (
        ("Campaign start date", "campaign_start"),
        ("Campaign end date", "campaign_end"),
    ):
        day = table.day(line, row, header, DATE_FORMAT)
        if day is not None:
            post.extra[key] = _iso_day(day)
    post_type = cell_text(table.cell(row, "Post type")).strip().casefold()
    if post_type:
        post.post_types.append(post_type)
    return post


def day_extra(day: int) -> dict[str, Any]:
    """What every daily snapshot says about its date: the day as written, and that only the
    day is known (the snapshot is dated at its midnight, UTC)."""
    return {"day": _iso_day(day), "day_only": True}


def _iso_day(day: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(day, UTC).date().isoformat()


# --- Page followers and visitors workbooks -------------------------------------------------


def read_followers(path: str, account: str | None) -> Iterator[Item]:
    """Daily new followers (``New followers``) and follower demographics."""
    page, exported_at = page_file_account(path)
    owner = account or page
    with Workbook(path) as book:
        daily = _table(book, "New followers", ("Date", "Total followers"))
        groups = _demographics(book, "Total followers")
    yield from stamped(
        _daily_series(daily, owner, _new_followers_key, rate_definition=False), exported_at
    )
    yield from stamped(
        _demographics_snapshot(groups, owner, exported_at, path, "follower_demographics"),
        exported_at,
    )


def stamped(items: Iterable[Item], exported_at: int | None) -> Iterator[Item]:
    """``items`` with the export time the file name gives set on each snapshot (a file of
    daily series says nothing else about when it was exported)."""
    for item in items:
        if exported_at is not None and isinstance(item, AccountSnapshotRecord):
            item.exported_at = exported_at
        yield item


def _new_followers_key(name: str) -> str:
    """``Organic followers`` -> ``new_followers_organic``: the columns are daily gains."""
    key = field_key(name)
    return "new_followers_" + key.removesuffix("_followers").removesuffix("followers").strip("_")


def read_visitors(path: str, account: str | None) -> Iterator[Item]:
    """Daily page views and unique visitors (``Visitor metrics``) and visitor demographics."""
    page, exported_at = page_file_account(path)
    owner = account or page
    with Workbook(path) as book:
        daily = _table(book, "Visitor metrics", ("Date", "Total page views (total)"))
        groups = _demographics(book, "Total views")
    yield from stamped(_daily_series(daily, owner, field_key, rate_definition=False), exported_at)
    yield from stamped(
        _demographics_snapshot(groups, owner, exported_at, path, "visitor_demographics"),
        exported_at,
    )


def _demographics(book: Workbook, count_column: str) -> list[Item | tuple[str, dict[str, int]]]:
    """Each demographic sheet as ``(key, {value: count})``, or the errors of its rows."""
    found: list[Item | tuple[str, dict[str, int]]] = []
    for sheet in DEMOGRAPHIC_SHEETS:
        if book.find(sheet) is None:
            continue
        table = _table(book, sheet, (count_column,))
        counts: dict[str, int] = {}
        label_column = next(i for i, key in enumerate(table.keys) if key != normalise(count_column))
        for line, row in table.data():
            label = cell_text(row[label_column]).strip() if label_column < len(row) else ""
            try:
                value = table.count(line, row, count_column)
            except InputError as exc:
                found.append(exc)
                continue
            if label and value is not None:
                counts[label] = value
        found.append((field_key(sheet), counts))
    return found


def _demographics_snapshot(
    groups: list[Item | tuple[str, dict[str, int]]],
    account: str,
    exported_at: int | None,
    path: str,
    key: str,
) -> Iterator[Item]:
    """One snapshot at the export time holding every demographic table."""
    tables: dict[str, dict[str, int]] = {}
    for group in groups:
        if isinstance(group, tuple):
            tables[group[0]] = group[1]
        else:
            yield group
    if tables:
        taken_at = exported_at if exported_at is not None else file_time(path)
        yield AccountSnapshotRecord(PLATFORM, account, taken_at, extra={key: tables})


# --- personal creator workbook -------------------------------------------------------------


def read_creator(path: str, account: str | None) -> Iterator[Item]:
    """Daily impressions, engagements and followers, top posts, period totals, demographics.

    Totals and demographics describe the whole period, so they are dated at its end (the
    file's time when the period is unknown). Snapshots of the same moment from several
    sheets are merged into one.
    """
    owner = account or creator_file_account(path)
    with Workbook(path) as book:
        sheets = {
            sheet: (sheet_label(path, name), book.rows(name))
            for sheet in ("DISCOVERY", "ENGAGEMENT", "TOP POSTS", "FOLLOWERS", "DEMOGRAPHICS")
            if (name := book.find(sheet)) is not None
        }
    items: list[Item] = []
    if "DISCOVERY" in sheets:
        items += _creator_discovery(*sheets["DISCOVERY"], owner)
    period_over = next(
        (item.taken_at for item in items if isinstance(item, AccountSnapshotRecord)), None
    )
    as_of = period_over if period_over is not None else file_time(path)
    if "ENGAGEMENT" in sheets:
        items += _creator_engagement(*sheets["ENGAGEMENT"], owner)
    if "TOP POSTS" in sheets:
        items += _creator_top_posts(*sheets["TOP POSTS"], owner, as_of)
    if "FOLLOWERS" in sheets:
        items += _creator_followers(*sheets["FOLLOWERS"], owner)
    if "DEMOGRAPHICS" in sheets:
        items += _creator_demographics(*sheets["DEMOGRAPHICS"], owner, as_of)
    yield from (item for item in items if isinstance(item, InputError))
    yield from merge_snapshots(item for item in items if isinstance(item, AccountSnapshotRecord))
    yield from (item for item in items if isinstance(item, PostRecord))


def _epoch_day(iso: str) -> int:
    from datetime import UTC, datetime

    return int(datetime.fromisoformat(iso).replace(tzinfo=UTC).timestamp())


def _label_rows(rows: list[list[Cell]]) -> Iterator[tuple[int, str, Cell]]:
    """``(row number, label in column A, value in column B)`` for rows with a label."""
    for index, row in enumerate(rows):
        label = cell_text(row[0]).strip() if row else ""
        if label:
            yield index + 1, label, row[1] if len(row) > 1 else ""


_DISCOVERY_COUNTS = ("impressions", "members_reached")


def _creator_discovery(label: str, rows: list[list[Cell]], account: str) -> Iterator[Item]:
    """``Overall Performance | 1/1/2025 - 1/31/2025`` then ``Impressions | n`` and the like."""
    extra: dict[str, Any] = {}
    for line, name, value in _label_rows(rows):
        if normalise(name) == "overall performance":
            period = _period(cell_text(value))
            if period is None:
                yield InputError(
                    label,
                    "a period like 1/1/2025 - 1/31/2025",
                    got=repr(cell_text(value)),
                    line=line,
                    column="B",
                )
                return
            extra["period_start"], extra["period_end"] = (_iso_day(day) for day in period)
            continue
        key = field_key(name)
        try:
            count = cell_count(value)
        except CellError as exc:
            if key in _DISCOVERY_COUNTS:  # rows added in later versions are kept if numeric
                got = repr(cell_text(value)) if cell_text(value).strip() else "an empty cell"
                yield InputError(label, exc.expected, got=got, line=line, column="B")
            continue
        if count is not None:
            extra["period_" + key] = count
    if "period_end" not in extra:
        yield InputError(label, 'a row "Overall Performance | <first day> - <last day>"')
        return
    taken_at = _epoch_day(extra["period_end"]) + DAY
    yield AccountSnapshotRecord(PLATFORM, account, taken_at, extra=extra)


def _period(text: str) -> tuple[int, int] | None:
    """The first and last day of ``1/1/2025 - 1/31/2025``."""
    parts = [part.strip() for part in text.split(" - ")]
    if len(parts) != 2:
        return None
    try:
        first, last = (cell_day(part, DATE_FORMAT) for part in parts)
    except CellError:
        return None
    if first is None or last is None or last < first:
        return None
    return first, last


def _creator_engagement(label: str, rows: list[list[Cell]], account: str) -> Iterator[Item]:
    """``Date | Impressions | Engagements``, one row per day."""
    table = SheetTable.find(label, rows, ("Date", "Impressions"))
    if table is None:
        yield InputError(label, 'a header row with "Date", "Impressions"')
        return
    yield from _daily_series(table, account, field_key, rate_definition=False)


def _creator_top_posts(
    label: str, rows: list[list[Cell]], account: str, as_of: int
) -> Iterator[Item]:
    """Two side-by-side tables (by engagements, by impressions); a post may be in both.

    The numbers are the period's, so they are dated at its end (``as_of``)."""
    table = SheetTable.find(label, rows, ("Post URL",))
    if table is None:
        yield InputError(label, 'a header row with "Post URL"')
        return
    starts = [i for i, key in enumerate(table.keys) if _base_key(key) == "post url"]
    found: dict[str, tuple[str, tuple[int | None, bool], dict[str, int | None]]] = {}
    for line, row in table.data():
        for start in starts:
            try:
                post = _top_post(table, line, row, start)
            except InputError as exc:
                yield exc
                continue
            if post is None:
                continue
            urn, url, when, metrics = post
            if urn in found:
                _, known_when, known = found[urn]
                known.update({k: v for k, v in metrics.items() if v is not None})
                found[urn] = (url, known_when if known_when[0] is not None else when, known)
            else:
                found[urn] = (url, when, metrics)
    for urn, (url, when, metrics) in found.items():
        yield PostRecord(
            PLATFORM,
            urn,
            account=account,
            published_at=when[0],
            day_only=when[1],
            url=url,
            metrics=metrics,
            captured_at=as_of,
        )


def _base_key(key: str) -> str:
    """A header key without the ``.1`` that tells repeated names apart (``post url.1``)."""
    return re.sub(r"\.\d+$", "", key)


def _top_post(
    table: SheetTable, line: int, row: list[Cell], start: int
) -> tuple[str, str, tuple[int | None, bool], dict[str, int | None]] | None:
    """The post in the table starting at column ``start`` of ``row``; None if that part is
    empty (the two tables can differ in length)."""
    url = cell_text(row[start]).strip() if start < len(row) else ""
    if not url:
        return None
    column = table.names[start].strip()
    urn = post_urn(url)
    if urn is None:
        raise InputError(
            table.file, "a LinkedIn post link", got=repr(url), line=line, column=column
        )
    day: int | None = None
    metrics: dict[str, int | None] = {}
    for index in range(start + 1, len(table.keys)):
        key = _base_key(table.keys[index])
        if not key or key == "post url":
            break
        cell = row[index] if index < len(row) else ""
        name = table.names[index].strip()
        try:
            if key.startswith("post publish date"):
                day = cell_day(cell, DATE_FORMAT)
            elif field_key(key) in ("engagements", "impressions"):
                metrics[field_key(key)] = cell_count(cell)
        except CellError as exc:
            got = repr(cell_text(cell)) if cell_text(cell).strip() else "an empty cell"
            raise InputError(table.file, exc.expected, got=got, line=line, column=name) from None
    return urn, url, published_at(urn, day), metrics


def _creator_followers(label: str, rows: list[list[Cell]], account: str) -> Iterator[Item]:
    """``Total followers on 1/31/2025: | n`` then ``Date | New followers`` daily gains.

    Follower counts are worked out for each day's start from the total, taken as the count at
    the end of the day it names (UNVERIFIED: no real file was seen), by taking back the gains
    of that day and the days between; the total itself is stored at the end of its day.
    """
    total: tuple[int, int] | None = None
    for line, name, value in _label_rows(rows[:5]):
        folded = normalise(name)
        if folded.startswith("total followers on"):
            day_text = name.strip()[len("total followers on") :].strip().rstrip(":").strip()
            try:
                day = cell_day(day_text, DATE_FORMAT)
                count = cell_count(value)
            except CellError as exc:
                yield InputError(label, exc.expected, got=repr(name), line=line, column="A")
                return
            if day is not None and count is not None:
                total = (day, count)
    table = SheetTable.find(label, rows, ("Date", "New followers"))
    if table is None:
        yield InputError(label, 'a header row with "Date", "New followers"')
        return
    gains: dict[int, int] = {}
    for line, row in table.data():
        try:
            day = table.day(line, row, "Date", DATE_FORMAT)
            if day is None:
                raise table.error(line, "Date", DATE_EXAMPLE, "")
            gained = table.count(line, row, "New followers")
        except InputError as exc:
            yield exc
            continue
        if gained is not None:
            gains[day] = gained
    counts = _follower_counts(gains, total)
    for day, gained in sorted(gains.items()):
        extra = {**day_extra(day), "new_followers": gained}
        yield AccountSnapshotRecord(PLATFORM, account, day, followers=counts.get(day), extra=extra)
    if total is not None:
        yield AccountSnapshotRecord(PLATFORM, account, total[0] + DAY, followers=total[1])


def _follower_counts(gains: dict[int, int], total: tuple[int, int] | None) -> dict[int, int]:
    """Followers at the start of each day, from the count at the end of ``total``'s day."""
    if total is None:
        return {}
    last_day, count = total
    counts: dict[int, int] = {}
    running = count
    for day in sorted((d for d in gains if d <= last_day), reverse=True):
        running -= gains[day]
        counts[day] = running
    running = count
    for day in sorted(d for d in gains if d > last_day):
        counts[day] = running
        running += gains[day]
    return counts


def _creator_demographics(
    label: str, rows: list[list[Cell]], account: str, as_of: int
) -> Iterator[Item]:
    """``Top Demographics | Value | Percentage`` as ``{category: [{value, share}]}``.

    Shares are fractions; ``< 1%`` has no exact share, so it keeps its text instead. The
    snapshot is dated ``as_of``, the end of the period.
    """
    table = SheetTable.find(label, rows, ("Top Demographics", "Value", "Percentage"))
    if table is None:
        yield InputError(label, 'a header row with "Top Demographics", "Value", "Percentage"')
        return
    audience: dict[str, list[dict[str, Any]]] = {}
    for line, row in table.data():
        category = field_key(cell_text(table.cell(row, "Top Demographics")))
        value = cell_text(table.cell(row, "Value")).strip()
        share_cell = table.cell(row, "Percentage")
        entry: dict[str, Any] = {"value": value}
        try:
            entry["share"] = _share(share_cell)
        except CellError:
            text = cell_text(share_cell).strip()
            if not text.startswith("<"):
                yield table.error(line, "Percentage", "a percentage like 2% or < 1%", share_cell)
                continue
            entry["share"] = None
            entry["share_text"] = text
        audience.setdefault(category, []).append(entry)
    yield AccountSnapshotRecord(PLATFORM, account, as_of, extra={"audience": audience})


def _share(cell: Cell) -> float | None:
    """``2%`` -> 0.02; a numeric cell is already a fraction (Excel's percent format)."""
    if isinstance(cell, str):
        text = cell.strip()
        if not text.endswith("%"):
            raise CellError("a percentage")
        number = cell_number(text[:-1])
        return None if number is None else number / 100
    return cell_number(cell)
