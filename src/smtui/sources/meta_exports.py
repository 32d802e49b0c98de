"""Meta Business Suite post exports (Facebook Pages and Instagram), and what Meta files share.

Post exports (FORMATS.md sections 2a and 3a) are UTF-8 with a BOM, one row per post, lifetime
totals as of the export. The column set depends on the content in the date range and on the
export's vintage, columns move around between exports, Facebook writes ``Views`` twice and
some rows come short. So columns are looked up by name among known spellings, everything the
store has no column for is kept in ``extra`` under a stable key, and short rows are padded.

Times: post exports write ``03/18/2025 12:59`` with no zone, and Meta's daily series
(:mod:`smtui.sources.meta_series`) count US Pacific days. Meta documents neither; Pacific time
is the assumption for both, and the post sources let the user name another zone.
"""

from __future__ import annotations

from smtui.sources.cells import (
    CellError,
    is_null,
    parse_count,
    parse_decimal,
)
from smtui.sources.csv_mapping import ColumnMapping, RowReader
from smtui.sources.csvfile import (
    decode_head,
    detect_encoding,
    field_key,
    find_header,
    first_row,
    header_keys,
    looks_binary,
    normalise,
    read_head,
    read_table,
)
from smtui.sources.errors import InputError
from smtui.sources.records import PostRecord

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import tzinfo

# Meta's reporting day, and the zone assumed for post publish times (see the module docstring).
META_TIMEZONE = "America/Los_Angeles"

# Meta's post types -> smtui's kinds (others become their own slug: "Live" -> "live").
_KINDS = {
    "photos": "photo",
    "photo": "photo",
    "videos": "video",
    "video": "video",
    "reels": "reel",
    "links": "link",
    "text": "text",
    "status": "text",
    "multi-photo": "carousel",
    "ig image": "image",
    "ig carousel": "carousel",
    "ig reel": "reel",
    "ig video": "video",
    "ig story": "story",
}
_VIEWS = "Meta Views: times the post was on screen, repeats included (replaced Impressions)"


class PostExport:
    """What one Meta post export looks like: how to recognise it and where each field is.

    ``metrics`` lists ``(metric, header, definition)`` in order of preference: the first header
    present feeds the metric, and a non-empty definition is recorded in ``extra`` as
    ``<metric>_definition`` so nobody mistakes Meta's number for another platform's.
    ``extras`` renames columns whose spelling varies (``Duration (sec)``/``(secs)``) to one key;
    ``descriptive`` columns are words about the post, not numbers, and are left out.
    ``engagements_from`` names the metrics summed into engagements when the export has no total.
    """

    __slots__ = (
        "account_columns",
        "descriptive",
        "engagements_from",
        "extras",
        "fingerprint",
        "metrics",
        "platform",
        "text_columns",
        "title",
    )

    def __init__(
        self,
        platform: str,
        title: str,
        *,
        fingerprint: tuple[str, ...],
        account_columns: tuple[str, ...],
        text_columns: tuple[str, ...],
        metrics: tuple[tuple[str, str, str], ...],
        extras: dict[str, str],
        descriptive: frozenset[str],
        engagements_from: tuple[str, ...] = (),
    ) -> None:
        self.platform = platform
        self.title = title
        self.fingerprint = fingerprint
        self.account_columns = account_columns
        self.text_columns = text_columns
        self.metrics = metrics
        self.extras = extras
        self.descriptive = descriptive
        self.engagements_from = engagements_from


_COMMON_DESCRIPTIVE = frozenset(
    {"caption type", "languages", "custom labels", "funded content status"}
)
_DURATION = {"duration (sec)": "duration_s", "duration (secs)": "duration_s"}

FACEBOOK_POSTS = PostExport(
    "facebook",
    "Meta Business Suite Facebook post export",
    fingerprint=("post id", "page id", "publish time"),
    account_columns=("page id", "page name"),
    text_columns=("title", "description"),
    metrics=(
        ("impressions", "impressions", ""),
        ("impressions", "views", _VIEWS),
        ("reach", "reach", ""),
        ("engagements", "reactions, comments and shares", "reactions + comments + shares (Meta)"),
        ("likes", "reactions", "reactions of every kind, likes included (Facebook)"),
        ("comments", "comments", ""),
        ("shares", "shares", ""),
        ("link_clicks", "link clicks", ""),
        ("video_views", "3-second video views", "video plays of 3 seconds or more (Meta)"),
        ("watch_time_s", "seconds viewed", ""),
    ),
    extras=_DURATION,
    descriptive=_COMMON_DESCRIPTIVE | {"page name"},
)

INSTAGRAM_POSTS = PostExport(
    "instagram",
    "Meta Business Suite Instagram post export",
    fingerprint=("post id", "account id", "account username"),
    account_columns=("account id", "account username"),
    text_columns=("description",),
    metrics=(
        ("impressions", "impressions", ""),
        ("impressions", "views", _VIEWS),
        ("reach", "reach", ""),
        ("likes", "likes", ""),
        ("comments", "comments", ""),
        ("shares", "shares", ""),
        ("saves", "saves", ""),
        ("follows", "follows", ""),
        ("profile_visits", "profile visits", ""),
    ),
    extras=_DURATION,
    descriptive=_COMMON_DESCRIPTIVE | {"account username", "account name"},
    engagements_from=("likes", "comments", "shares", "saves"),
)


def post_kind(label: str) -> str:
    """smtui's kind for Meta's ``Post type`` (``Photos`` -> ``photo``, ``IG reel`` -> ``reel``)."""
    key = normalise(label)
    return _KINDS.get(key, field_key(key))


def text_head(head: bytes) -> tuple[str, str] | None:
    """``(encoding, decoded head)`` for a text file, None for an empty or binary one."""
    encoding = detect_encoding(head)
    if not head or looks_binary(head, encoding):
        return None
    return encoding, decode_head(head, encoding)


def sniff_posts(head: bytes, export: PostExport) -> bool:
    """True when the file's header holds every column of the export's fingerprint."""
    decoded = text_head(head)
    return decoded is not None and find_header(decoded[1], set(export.fingerprint)) is not None


def read_posts(path: str, export: PostExport, zone: tzinfo) -> Iterator[PostRecord | InputError]:
    """Every post in a Meta post export; a bad row is yielded as an InputError, in place."""
    head = read_head(path)
    decoded = text_head(head)
    if decoded is None:
        got = "an empty file" if not head else "binary data"
        raise InputError(path, f"a {export.title} (CSV)", got=got)
    encoding, text = decoded
    layout = find_header(text, set(export.fingerprint))
    if layout is None:
        found = ", ".join(cell.strip() for cell in first_row(text)) or "nothing"
        wanted = ", ".join(f'"{name}"' for name in export.fingerprint)
        raise InputError(
            path,
            f"a {export.title}: a header with {wanted} (case and order do not matter)",
            got=f"a header with {found}",
        )
    rows = read_table(path, encoding, layout)
    _, header = next(rows)
    reader = PostRowReader(export, header, file=path, zone=zone)
    for line, cells in rows:
        try:
            yield reader.post(line, cells)
        except InputError as exc:
            yield exc


class PostRowReader:
    """Turns the rows under one Meta post-export header into :class:`PostRecord` objects.

    The columns smtui stores go through a :class:`RowReader` built for the columns this file
    actually has; the rest is read here: account and text (which fall back across columns),
    and every other column into ``extra``.
    """

    __slots__ = (
        "account",
        "date",
        "definitions",
        "export",
        "extras",
        "file",
        "names",
        "positions",
        "rows",
        "text",
    )

    def __init__(self, export: PostExport, header: list[str], *, file: str, zone: tzinfo) -> None:
        keys = header_keys(header)
        positions = {key: index for index, key in enumerate(keys)}
        self.export = export
        self.file = file
        self.names = [cell.strip() for cell in header]
        self.positions = positions
        self.date = positions.get("date")
        columns = {"external_id": header[positions["post id"]]}
        for field, key in (("published_at", "publish time"), ("url", "permalink")):
            if key in positions:
                columns[field] = header[positions[key]]
        if "post type" in positions:
            columns["kind"] = header[positions["post type"]]
        used = {positions[normalise(name)] for name in columns.values()}
        self.definitions: dict[str, str] = {}
        for metric, key, definition in export.metrics:
            index = positions.get(key)
            if metric in columns or index is None or index in used:
                continue
            columns[metric] = header[index]
            used.add(index)
            if definition:
                self.definitions[metric] = definition
        self.rows = RowReader(
            ColumnMapping(columns, export.platform),
            header,
            file=file,
            platform=export.platform,
            zone=zone,
        )
        self.account = [positions[key] for key in export.account_columns if key in positions]
        self.text = [positions[key] for key in export.text_columns if key in positions]
        used.update(self.account, self.text)
        skipped = export.descriptive | {"date"}
        self.extras = [
            (index, key)
            for index, key in enumerate(keys)
            if index not in used and key not in skipped
        ]

    def post(self, line: int, cells: list[str]) -> PostRecord:
        """The post in one row; raises :class:`InputError` naming the line and column."""
        post = self.rows.post(line, cells)
        post.kind = post_kind(post.kind) if post.kind else ""
        post.account = next(
            (value for value in (self._cell(cells, i).strip() for i in self.account) if value), ""
        )
        texts = [self._cell(cells, i).strip() for i in self.text]
        post.text = "\n\n".join(dict.fromkeys(text for text in texts if text))
        post.extra = self._extra(line, cells)
        for metric, definition in self.definitions.items():
            if post.metrics.get(metric) is not None:
                post.extra[f"{metric}_definition"] = definition
        parts = [post.metrics.get(metric) for metric in self.export.engagements_from]
        if parts and post.metrics.get("engagements") is None and None not in parts:
            post.metrics["engagements"] = sum(part for part in parts if part is not None)
            post.extra["engagements_definition"] = (
                " + ".join(self.export.engagements_from)
                + " (added up by smtui: the export has no total)"
            )
        return post

    @staticmethod
    def _cell(cells: list[str], index: int) -> str:
        return cells[index] if index < len(cells) else ""

    def _extra(self, line: int, cells: list[str]) -> dict[str, object]:
        """Every other non-empty column: counts and decimals as numbers, anything else as text."""
        extra: dict[str, object] = {}
        date = "" if self.date is None else self._cell(cells, self.date)
        if not is_null(date) and normalise(date) != "lifetime":
            extra["period"] = date.strip()
        for index, key in self.extras:
            cell = self._cell(cells, index)
            if is_null(cell):
                continue
            base, dot, copy = key.rpartition(".")
            if dot and copy.isdigit():  # a repeated header such as the second "Views"
                if self._cell(cells, self.positions[base]).strip() == cell.strip():
                    continue
                name = f"{field_key(base)}_{int(copy) + 1}"
            else:
                name = self.export.extras.get(key) or field_key(key)
            if name in self.export.extras.values():
                extra[name] = self._count(line, index, cell)
            else:
                extra[name] = _number_or_text(cell)
        return extra

    def _count(self, line: int, index: int, cell: str) -> int | None:
        try:
            return parse_count(cell)
        except CellError as exc:
            raise InputError(
                self.file, exc.expected, got=repr(cell), line=line, column=self.names[index]
            ) from None


def _number_or_text(cell: str) -> object:
    """A column smtui does not know: a count, else a decimal, else the text as written."""
    for parse in (parse_count, parse_decimal):
        try:
            return parse(cell)
        except CellError:
            continue
    return cell.strip()
