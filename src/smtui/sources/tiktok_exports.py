"""TikTok Studio and TikTok Business exports: finding the table, and dating its rows.

What the files look like (FORMATS.md section 6, from real exports): one file per analytics tab
(``Overview``, ``Content``, ``Viewers``, ``FollowerHistory`` and three more follower files), as
CSV (UTF-8 with a BOM, every field quoted) or as an ``.xlsx`` with one sheet of text cells.
Headers stay English in every UI language, but dates are localized and carry **no year**:
``"March 1"``, ``"8 de marzo"``, ``"18 января"``, ``"9月13日"``. Missing values are written
``undefined`` (Studio) or ``NAN`` / ``--`` (Business files, which do carry ``YYYY/MM/DD`` dates).

So the year is inferred: a date is the latest one with that month and day that is not after
the export day (with one day of grace for time zones). Daily series do better than row by row:
their rows are consecutive days, so the newest row is dated against the export day and every
older row against the row after it, which dates a 365-row window running from February 28 of
last year to February 27 of this year correctly. A Content row's video id holds its upload
time (its top 32 bits are Unix seconds), which dates the post exactly.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import pairwise

from smtui.models import Record
from smtui.sources.cells import CellError, is_null, parse_timestamp
from smtui.sources.csvfile import (
    DELIMITERS,
    MAX_PREAMBLE_ROWS,
    TableLayout,
    decode_head,
    detect_encoding,
    header_keys,
    looks_binary,
    read_head,
    read_table,
)
from smtui.sources.errors import InputError
from smtui.sources.workbook import (
    OLE_SIGNATURE,
    ZIP_SIGNATURE,
    Workbook,
    cell_text,
    sheet_label,
    sheet_names,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from datetime import tzinfo

PLATFORM = "tiktok"

# Table kinds, and the header columns that identify each (FORMATS.md section 11). A header
# matches when it has every column of one fingerprint; the follower detail files, whose
# columns are generic words, only when it has exactly those columns.
OVERVIEW = "overview"
CONTENT = "content"
VIEWERS = "viewers"
FOLLOWERS = "followers"
FOLLOWER_DETAILS = "follower_details"
FINGERPRINTS: dict[str, tuple[frozenset[str], ...]] = {
    OVERVIEW: (
        frozenset({"date", "video views", "profile views", "likes", "comments", "shares"}),
        frozenset({"date", "video views", "reached audience", "profile views"}),  # Business
    ),
    CONTENT: (
        frozenset({"time", "video title", "video link", "post time"}),
        frozenset({"video title", "video link", "post time", "video views"}),  # Business
    ),
    VIEWERS: (frozenset({"date", "total viewers", "new viewers", "returning viewers"}),),
    FOLLOWERS: (
        frozenset({"date", "followers", "difference in followers from previous day"}),
        frozenset({"date", "new followers", "total followers"}),  # Business "Audience"
    ),
}
EXACT_FINGERPRINTS: dict[str, tuple[frozenset[str], ...]] = {
    FOLLOWER_DETAILS: (
        frozenset({"date", "hour", "active followers"}),  # FollowerActivity
        frozenset({"gender", "distribution"}),  # FollowerGender
        frozenset({"top territories", "distribution"}),  # FollowerTopTerritories
    ),
}
HEADERS_SHOWN = {
    OVERVIEW: '"Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"',
    CONTENT: '"Time", "Video title", "Video link", "Post time", "Total likes", ...',
    VIEWERS: '"Date", "Total Viewers", "New Viewers", "Returning Viewers"',
    FOLLOWERS: '"Date", "Followers", "Difference in followers from previous day"',
    FOLLOWER_DETAILS: '"Gender", "Distribution" (or another follower file)',
}


def classify(header: Sequence[str]) -> str | None:
    """The TikTok table kind a header row belongs to, or None."""
    keys = frozenset(header_keys(header))
    for kind, fingerprints in FINGERPRINTS.items():
        if any(fingerprint <= keys for fingerprint in fingerprints):
            return kind
    for kind, fingerprints in EXACT_FINGERPRINTS.items():
        if keys in fingerprints:
            return kind
    return None


class TikTokTable(Record):
    """One TikTok table: its kind, its header and its data rows with their line numbers.

    ``file`` names the file (and the sheet, for a workbook) the way errors should show it.
    Rows are read eagerly: TikTok files hold at most a year of days, and daily series need
    every row before the first can be dated.
    """

    __slots__ = ("file", "header", "kind", "rows")

    def __init__(
        self, kind: str, file: str, header: list[str], rows: list[tuple[int, list[str]]]
    ) -> None:
        self.kind = kind
        self.file = file
        self.header = header
        self.rows = rows

    def columns(self) -> dict[str, int]:
        """Normalised header name -> index of its column."""
        return {key: index for index, key in enumerate(header_keys(self.header))}


def sniff_kind(head: bytes, path: str) -> str | None:
    """The kind of TikTok table in a file (CSV text or an ``.xlsx`` workbook), or None."""
    if head.startswith((OLE_SIGNATURE, ZIP_SIGNATURE)):
        if not sheet_names(head, path):
            return None
        try:
            status = os.stat(path)
        except OSError:
            return None
        return _workbook_kind(os.path.realpath(path), status.st_size, status.st_mtime_ns)
    encoding = detect_encoding(head)
    if not head or looks_binary(head, encoding):
        return None
    found = _csv_header(decode_head(head, encoding))
    return found[0] if found else None


def open_table(path: str, kinds: Sequence[str], wanted: str) -> TikTokTable:
    """The first table of one of ``kinds`` in ``path``; an :class:`InputError` otherwise.

    ``wanted`` describes the expected file for the error (``a TikTok Overview export``).
    """
    head = read_head(path)
    if not head:
        raise InputError(path, wanted, got="an empty file")
    if sheet_names(head, path):
        return _workbook_table(path, kinds, wanted)
    encoding = detect_encoding(head)
    if looks_binary(head, encoding):
        raise InputError(path, wanted, got="binary data", hint="use the CSV or .xlsx export")
    text = decode_head(head, encoding)
    found = _csv_header(text)
    if found is None or found[0] not in kinds:
        raise _wrong_header(path, kinds, wanted, _first_line(text))
    kind, layout = found
    rows = read_table(path, encoding, layout)
    _, header = next(rows)
    return TikTokTable(kind, path, header, list(rows))


def _csv_header(text: str) -> tuple[str, TableLayout] | None:
    """The kind and layout of the first TikTok header row in the head of a CSV file."""
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            for index, row in enumerate(reader):
                if index > MAX_PREAMBLE_ROWS:
                    break
                kind = classify(row)
                if kind is not None:
                    return kind, TableLayout(delimiter, index)
        except csv.Error:
            continue
    return None


def _first_line(text: str) -> str:
    lines = text.lstrip("\ufeff").splitlines()
    return next((line.strip() for line in lines if line.strip()), "")[:80]


def _wrong_header(path: str, kinds: Sequence[str], wanted: str, found: str) -> InputError:
    return InputError(
        path,
        f"{wanted} with the header {HEADERS_SHOWN[kinds[0]]}",
        got=f"a header {found!r}" if found else "no header",
        hint="export the tab again from TikTok Studio (Analytics, Download data)",
    )


def _workbook_tables(path: str) -> Iterator[TikTokTable]:
    """Each TikTok table in a workbook: TikTok writes one sheet of text cells per tab, and a
    spreadsheet that re-saved it may have typed some cells (shown as the CSV would write them).
    """
    with Workbook(path) as book:
        for sheet in book.sheet_names:
            rows = [[cell_text(cell) for cell in row] for row in book.rows(sheet)]
            for index, row in enumerate(rows[: MAX_PREAMBLE_ROWS + 1]):
                kind = classify(row)
                if kind is not None:
                    data = [
                        (number, cells)
                        for number, cells in enumerate(rows[index + 1 :], start=index + 2)
                        if any(cell.strip() for cell in cells)
                    ]
                    yield TikTokTable(kind, sheet_label(path, sheet), row, data)
                    break


@lru_cache(maxsize=32)
def _workbook_kind(path: str, size: int, mtime_ns: int) -> str | None:
    """The kind of the first TikTok table in a workbook (cached: four sources ask in turn)."""
    del size, mtime_ns  # part of the cache key only: a changed file is looked at again
    try:
        return next((table.kind for table in _workbook_tables(path)), None)
    except InputError:
        return None


def _workbook_table(path: str, kinds: Sequence[str], wanted: str) -> TikTokTable:
    tables = list(_workbook_tables(path))
    for table in tables:
        if table.kind in kinds:
            return table
    found = ", ".join(f"a TikTok {table.kind} table" for table in tables) or "no TikTok table"
    raise InputError(path, f"{wanted} (as a workbook)", got=f"a workbook with {found}")


# --- Dates ------------------------------------------------------------------------------

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "enero", "janeiro", "janvier", "januar", "jänner", "gennaio",
        "januari", "января", "январь", "січня", "stycznia", "ocak", "một"),
    2: ("february", "feb", "febrero", "fevereiro", "février", "februar", "febbraio",
        "februari", "февраля", "февраль", "лютого", "lutego", "şubat", "hai"),
    3: ("march", "mar", "marzo", "março", "mars", "märz", "maart", "maret", "mac", "марта",
        "март", "березня", "marca", "mart", "ba"),
    4: ("april", "apr", "abril", "avril", "aprile", "апреля", "апрель", "квітня", "kwietnia",
        "nisan", "tư", "bốn"),
    5: ("may", "mayo", "maio", "mai", "maggio", "mei", "мая", "май", "травня", "maja",
        "mayıs", "năm"),
    6: ("june", "jun", "junio", "junho", "juin", "juni", "giugno", "июня", "июнь", "червня",
        "czerwca", "haziran", "sáu"),
    7: ("july", "jul", "julio", "julho", "juillet", "juli", "luglio", "julai", "июля", "июль",
        "липня", "lipca", "temmuz", "bảy"),
    8: ("august", "aug", "agosto", "août", "augustus", "agustus", "ogos", "августа", "август",
        "серпня", "sierpnia", "ağustos", "tám"),
    9: ("september", "sep", "sept", "septiembre", "setiembre", "setembro", "septembre",
        "settembre", "сентября", "сентябрь", "вересня", "września", "eylül", "chín"),
    10: ("october", "oct", "octubre", "outubro", "octobre", "oktober", "ottobre", "октября",
         "октябрь", "жовтня", "października", "ekim", "mười"),
    11: ("november", "nov", "noviembre", "novembro", "novembre", "ноября", "ноябрь",
         "листопада", "listopada", "kasım", "mười một"),
    12: ("december", "dec", "diciembre", "dezembro", "décembre", "dezember", "dicembre",
         "desember", "disember", "декабря", "декабрь", "грудня", "grudnia", "aralık",
         "mười hai"),
}  # fmt: skip


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().strip()


MONTHS: dict[str, int] = {_fold(name): n for n, names in _MONTH_NAMES.items() for name in names}
# Words around the day and month: "8 de marzo", "18 tháng Tám", "the 1st of March".
_FILLERS = frozenset({"de", "del", "of", "the", "tháng", "le", "el"})
_CJK_DAY = re.compile(r"^(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?$")
_DAY_NUMBER = re.compile(r"^(\d{1,2})(?:st|nd|rd|th|er|o|a|e)?$")
_YEAR = re.compile(r"\d{4}")
_TOKEN_SPLIT = re.compile(r"[\s,./]+")
EXPECTED_DAY = 'a date like "March 1" or "8 de marzo" (TikTok writes no year)'


class MonthDay(Record):
    """A day of the year without its year, as TikTok Studio writes dates."""

    __slots__ = ("day", "month")

    def __init__(self, month: int, day: int) -> None:
        date(2000, month, day)  # ValueError for February 30 (2000 was a leap year)
        self.month = month
        self.day = day


def parse_month_day(text: str) -> MonthDay:
    """``"March 1"``, ``"1 March"``, ``"8 de marzo"``, ``"18 tháng Tám"``, ``"9月13日"``.

    Raises :class:`CellError` for anything else, including a date that has a year.
    """
    value = _fold(text)
    cjk = _CJK_DAY.match(value)
    if cjk:
        return _month_day(int(cjk.group(1)), int(cjk.group(2)))
    tokens = [token for token in _TOKEN_SPLIT.split(value) if token]
    numeric_month = "tháng" in tokens  # Vietnamese "18 tháng 8"
    words = [token for token in tokens if token not in _FILLERS]
    numbers = [m.group(1) for token in words if (m := _DAY_NUMBER.match(token))]
    names = [token for token in words if not _DAY_NUMBER.match(token)]
    if len(numbers) == 1 and names:
        month = MONTHS.get(" ".join(names))
        if month is not None:
            return _month_day(month, int(numbers[0]))
    elif len(numbers) == 2 and not names and numeric_month:
        return _month_day(int(numbers[1]), int(numbers[0]))
    raise CellError(EXPECTED_DAY)


def _month_day(month: int, day: int) -> MonthDay:
    try:
        return MonthDay(month, day)
    except ValueError:
        raise CellError(EXPECTED_DAY) from None


def parse_day(text: str, zone: tzinfo) -> date | MonthDay:
    """A day cell: a :class:`MonthDay` when it has no year, else the date it names.

    Business files write ``2025/10/31``; ISO and other full dates are read by
    :func:`~smtui.sources.cells.parse_timestamp`.
    """
    if is_null(text):
        raise CellError(EXPECTED_DAY)
    if not has_year(text):
        return parse_month_day(text)
    parsed = parse_timestamp(text, zone)
    if parsed is None:  # pragma: no cover - null tokens were refused above
        raise CellError(EXPECTED_DAY)
    return datetime.fromtimestamp(parsed[0], zone).date()


def has_year(text: str) -> bool:
    """True when a date cell carries its year (Business files, or a re-saved workbook)."""
    return _YEAR.search(text) is not None


def latest_on_or_before(day: MonthDay, limit: date) -> date:
    """The latest date falling on ``day`` that is not after ``limit``.

    February 29 goes back to the last leap year; every other day to within a year.
    """
    year = limit.year
    while True:
        try:
            candidate = date(year, day.month, day.day)
        except ValueError:  # February 29 in a common year
            candidate = None
        if candidate is not None and candidate <= limit:
            return candidate
        year -= 1


# Time zones put the local export day up to a day ahead of the day in the zone the file's
# time is read in, so a date one day after the export day still counts as "not in the future".
GRACE = timedelta(days=1)


def resolve_series(days: Sequence[date | MonthDay], export_day: date) -> list[date]:
    """The dates of a daily series' rows, in the order given.

    The newest row is dated against ``export_day`` (plus :data:`GRACE`), and each older row
    against the row after it, so a series of consecutive days keeps its order across a new
    year, even when it is longer than a year. Rows may run oldest or newest first.
    """
    order = range(len(days) - 1, -1, -1) if _oldest_first(days) else range(len(days))
    limit = export_day + GRACE
    resolved: list[date] = [export_day] * len(days)
    for index in order:
        day = days[index]
        resolved[index] = day if isinstance(day, date) else latest_on_or_before(day, limit)
        limit = resolved[index]
    return resolved


def _oldest_first(days: Sequence[date | MonthDay]) -> bool:
    """True when most steps between neighbouring rows go forward in the year."""
    ordinals = [date(2000, d.month, d.day).toordinal() for d in days]
    forward = backward = 0
    for before, after in pairwise(ordinals):
        step = (after - before) % 366
        if 0 < step <= 183:
            forward += 1
        elif step > 183:
            backward += 1
    return forward >= backward


# TikTok launched outside China in 2017; ids before that are not time-based ids.
_FIRST_UPLOAD = 1_483_228_800  # 2017-01-01


def upload_time(video_id: str) -> int | None:
    """Unix seconds at which the video was uploaded, from its id (top 32 of 64 bits)."""
    if not video_id.isdigit() or len(video_id) > 20:
        return None
    seconds = int(video_id) >> 32
    return seconds if seconds >= _FIRST_UPLOAD else None


def resolve_post_day(day: MonthDay, video_id: str, export_day: date, zone: tzinfo) -> date:
    """The publish date of a Content row: the date on ``day`` nearest the upload time the
    video id holds, else the latest one not after the export day."""
    uploaded = upload_time(video_id)
    if uploaded is not None:
        upload_day = datetime.fromtimestamp(uploaded, zone).date()
        if upload_day <= export_day + GRACE:
            candidates = []
            for year in (upload_day.year - 1, upload_day.year, upload_day.year + 1):
                try:
                    candidates.append(date(year, day.month, day.day))
                except ValueError:
                    continue
            if candidates:
                return min(candidates, key=lambda c: abs((c - upload_day).days))
    return latest_on_or_before(day, export_day + GRACE)


def video_id_from_link(link: str) -> str | None:
    """The id in ``https://www.tiktok.com/@user/video/7672373276106181908`` (or ``/photo/``)."""
    path = link.strip().split("?", 1)[0].split("#", 1)[0].rstrip("/")
    last = path.rsplit("/", 1)[-1]
    return last if last.isdigit() and "tiktok" in path.casefold() else None


def handle_from_link(link: str) -> str:
    """The account handle in a video link (``@user`` -> ``user``), or ``""``."""
    match = re.search(r"/@([^/?#]+)", link)
    return match.group(1) if match else ""
