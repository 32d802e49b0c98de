"""Instagram's past insights from Accounts Center → "Download your information" (JSON).

FORMATS.md section 3b, from real exports: the insights folder of the download holds
``posts.json`` (top-level key ``organic_insights_posts``), ``profiles_reached.json``
(``organic_insights_reach``), ``content_interactions.json``, ``audience_insights.json`` and
``live_videos.json``. Each is one object whose ``organic_insights_*`` key lists items, and each
item's numbers sit in ``string_map_data`` as ``{"<label>": {"href": "", "value": "3,781",
"timestamp": 0}}``. A post's creation time is ``"Creation timestamp": {"timestamp": <Unix
seconds>}`` and its caption ``media_map_data["Media thumbnail"].title``.

What the values look like, and what smtui makes of them:

- counts with thousands separators (``"3,781"``) become integers;
- percents (``"33%"``) become fractions (0.33);
- changes (``"+1,274% vs Jun 24 - Sep 21"``) become a fraction (12.74) and the period compared
  with, as written;
- periods (``"Sep 22 - Dec 20"``) have no year: it is inferred from the export time (the latest
  such period ending by then) and stored as ISO days;
- text is UTF-8 whose bytes were escaped one by one (``India\\u00e2\\u0080\\u0099s``) and is
  decoded back (``India’s``).

``posts.json`` gives posts with their lifetime metrics as of the export. They carry no post id,
so a post is keyed on its creation time (``created-<Unix seconds>``): the same download, or a
later one covering the same posts, updates them instead of adding new ones. Every other
insights file gives one account snapshot, taken at the export time, with the file's values in
``extra`` under the section's name (``organic_insights_reach`` -> ``insights_reach``). The
download does not say when it was made: the file's modification time stands for it, which is
the time the download's zip records for each file.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from smtui.sources.base import SNIFF_BYTES
from smtui.sources.cells import CellError, is_null, parse_count, parse_decimal
from smtui.sources.csvfile import field_key, normalise
from smtui.sources.errors import InputError
from smtui.sources.jsonfile import fix_mojibake, load_object
from smtui.sources.records import AccountSnapshotRecord, PostRecord, merge_snapshots

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any, TypeAlias

    Item: TypeAlias = PostRecord | AccountSnapshotRecord | InputError

PLATFORM = "instagram"
SECTION_PREFIX = "organic_insights_"
POSTS_SECTION = "organic_insights_posts"
WANTED = 'an Instagram insights file from "Download your information" (JSON)'
# The insights files of a download (names from real exports); in a zip, only these are read.
INSIGHTS_FILES = frozenset(
    {
        "posts.json",
        "profiles_reached.json",
        "content_interactions.json",
        "audience_insights.json",
        "live_videos.json",
    }
)
# Post labels (normalised) -> smtui post metrics.
POST_METRICS = {
    "impressions": "impressions",
    "accounts reached": "reach",
    "likes": "likes",
    "comments": "comments",
    "shares": "shares",
    "saves": "saves",
    "profile visits": "profile_visits",
    "follows": "follows",
}
ENGAGEMENTS_FROM = ("likes", "comments", "shares", "saves")
ENGAGEMENTS_DEFINITION = (
    "likes + comments + shares + saves (added up by smtui: the download has no total)"
)
PERCENT_DEFINITION = "a fraction (Instagram writes percents)"
CHANGE_DEFINITION = "change against the period compared with, as a fraction (+1.5 = +150%)"
CREATION = "creation timestamp"
THUMBNAIL = "media thumbnail"

_ZIP_SIGNATURE = b"PK\x03\x04"
_BOM = b"\xef\xbb\xbf"
# The file opens with its one section, a list of items: {"organic_insights_posts": [ ...
_SECTION_START = re.compile(rb'\A\{\s*"organic_insights_[a-z_]+"\s*:\s*\[')
_CHANGE = re.compile(r"^([+\-\u2212]?[\d.,\u00a0\u202f ]+)%\s+vs\.?\s+(.+)$")
_PERIOD = re.compile(r"^([^\W\d_]+\.? \d{1,2})\s*[-\u2013]\s*([^\W\d_]+\.? \d{1,2})$")
_PERCENT = re.compile(r"^[+\-]?[\d.,\u00a0\u202f ]+%$")


# --- recognising the files ----------------------------------------------------------------


def looks_like_insights(head: bytes) -> bool:
    """True for the start of an insights file: an object whose first key is an
    ``organic_insights_*`` list (FORMATS.md section 11)."""
    return _SECTION_START.match(head.removeprefix(_BOM).lstrip()) is not None


def insights_members(path: str) -> list[str]:
    """The insights files in a download zip, by content (the names only say where to look);
    ``[]`` for any other zip, or a file that is not a readable zip."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            found = []
            for info in archive.infolist():
                name = info.filename
                if info.is_dir() or name.rsplit("/", 1)[-1].casefold() not in INSIGHTS_FILES:
                    continue
                with archive.open(info) as handle:
                    if looks_like_insights(handle.read(SNIFF_BYTES)):
                        found.append(name)
            return sorted(found)
    except (OSError, zipfile.BadZipFile, RuntimeError):  # RuntimeError: encrypted member
        return []


def sniff(head: bytes, path: str) -> bool:
    """True for an insights JSON file, or a download zip holding one."""
    if head.startswith(_ZIP_SIGNATURE):
        return bool(insights_members(path))
    return looks_like_insights(head)


# --- reading -------------------------------------------------------------------------------


def read_file(path: str, account: str) -> Iterator[Item]:
    """The records in one insights file, or in every insights file of a download zip."""
    import os

    from smtui.sources.jsonfile import read_bytes

    data = read_bytes(path)
    if not data.startswith(_ZIP_SIGNATURE):
        exported_at = int(os.stat(path).st_mtime)
        yield from read_document(data, path, account, exported_at)
        return
    yield from _read_zip(path, account)


def _read_zip(path: str, account: str) -> Iterator[Item]:
    """Every insights file in the zip; the snapshots of one export merged into one."""
    import zipfile

    members = insights_members(path)
    if not members:
        raise InputError(path, f"a zip holding {WANTED}", got="a zip without insights files")
    snapshots: list[AccountSnapshotRecord] = []
    try:
        with zipfile.ZipFile(path) as archive:
            for member in members:
                info = archive.getinfo(member)
                data = archive.read(info)
                where = f'{path}, file "{member}"'
                for item in read_document(data, where, account, _zip_time(info)):
                    if isinstance(item, AccountSnapshotRecord):
                        snapshots.append(item)
                    else:
                        yield item
    except (OSError, zipfile.BadZipFile, RuntimeError) as exc:
        raise InputError(path, "a readable zip archive", got=str(exc)) from exc
    yield from merge_snapshots(snapshots)


def _zip_time(info: Any) -> int:
    """A member's time as the zip records it (local wall-clock time, as ``unzip`` reads it)."""
    import time

    try:
        return int(time.mktime((*info.date_time, 0, 0, -1)))
    except (OverflowError, ValueError):
        return int(time.time())


def read_document(data: bytes, where: str, account: str, exported_at: int) -> Iterator[Item]:
    """The records in one insights document: posts from ``organic_insights_posts``, one
    account snapshot for any other section. ``where`` names the file in errors."""
    document = load_object(data, where, WANTED)
    sections = [key for key in document if key.startswith(SECTION_PREFIX)]
    if not sections:
        keys = ", ".join(repr(key) for key in list(document)[:5]) or "none"
        raise InputError(
            where, f'{WANTED}, with an "organic_insights_..." list', got=f"keys {keys}"
        )
    reader = InsightsReader(where, account, exported_at)
    for section in sections:
        items = document[section]
        if not isinstance(items, list):
            yield reader.error(section, "a list of insights items", items)
            continue
        if section == POSTS_SECTION:
            yield from reader.posts(items)
        else:
            yield from reader.snapshot(section, items)


class InsightsReader:
    """Turns the items of one insights document into records, errors naming the JSON path."""

    __slots__ = ("account", "export_day", "exported_at", "where")

    def __init__(self, where: str, account: str, exported_at: int) -> None:
        self.where = where
        self.account = account
        self.exported_at = exported_at
        self.export_day = datetime.fromtimestamp(exported_at, UTC).date()

    def error(self, path: str, expected: str, value: object, got: str = "") -> InputError:
        """The error for the value at ``path`` (a JSON path), shown as ``got`` or by kind."""
        return InputError(self.where, expected, got=got or _shown(value), column=path)

    def posts(self, items: list[Any]) -> Iterator[PostRecord | InputError]:
        for index, item in enumerate(items):
            try:
                yield self.post(f"{POSTS_SECTION}[{index}]", item)
            except InputError as exc:
                yield exc

    def post(self, path: str, item: object) -> PostRecord:
        """One post: its creation time (the key), caption, metrics and any other value."""
        fields = self._fields(path, item)
        created = fields.pop(CREATION, None)
        stamp = created[1].get("timestamp") if created is not None else None
        if not _is_time(stamp):
            expected = 'the post\'s "Creation timestamp" in Unix seconds'
            if created is None:
                raise self.error(f"{path}.string_map_data", expected, None, got="no such entry")
            raise self.error(f"{path}.string_map_data.{created[0]}.timestamp", expected, stamp)
        assert isinstance(stamp, int)
        metrics: dict[str, int | None] = {}
        extra: dict[str, Any] = {}
        for key, (label, entry) in fields.items():
            where = f"{path}.string_map_data.{label}.value"
            metric = POST_METRICS.get(key)
            if metric is not None:
                metrics[metric] = self._count(where, entry.get("value"))
            else:
                extra.update(self._value(where, field_key(label), entry.get("value")))
        parts = [metrics.get(name) for name in ENGAGEMENTS_FROM]
        if None not in parts:
            metrics["engagements"] = sum(part for part in parts if part is not None)
            extra["engagements_definition"] = ENGAGEMENTS_DEFINITION
        return PostRecord(
            PLATFORM,
            f"created-{stamp}",
            account=self.account,
            published_at=stamp,
            text=_caption(item),
            metrics=metrics,
            extra=extra,
            captured_at=self.exported_at,
        )

    def snapshot(
        self, section: str, items: list[Any]
    ) -> Iterator[AccountSnapshotRecord | InputError]:
        """One snapshot for an account-level section (several items: a list of them)."""
        name = "insights_" + section.removeprefix(SECTION_PREFIX)
        found: list[dict[str, Any]] = []
        for index, item in enumerate(items):
            path = f"{section}[{index}]"
            try:
                fields = self._fields(path, item)
                values: dict[str, Any] = {}
                for label, entry in fields.values():
                    where = f"{path}.string_map_data.{label}.value"
                    values.update(self._value(where, field_key(label), entry.get("value")))
            except InputError as exc:
                yield exc
                continue
            found.append(values)
        if found:
            extra = {name: found[0] if len(found) == 1 else found}
            yield AccountSnapshotRecord(
                PLATFORM, self.account, self.exported_at, extra=extra, exported_at=self.exported_at
            )

    def _fields(self, path: str, item: object) -> dict[str, tuple[str, dict[str, Any]]]:
        """``string_map_data`` by normalised label: ``(label as written, entry)``."""
        data = item.get("string_map_data") if isinstance(item, dict) else None
        if not isinstance(data, dict):
            raise self.error(path, "an insights item with string_map_data", item)
        fields: dict[str, tuple[str, dict[str, Any]]] = {}
        for raw, entry in data.items():
            label = fix_mojibake(raw)
            if not isinstance(entry, dict):
                where = f"{path}.string_map_data.{label}"
                raise self.error(where, 'an entry like {"value": "3,781"}', entry)
            fields[normalise(label)] = (label, entry)
        return fields

    def _count(self, where: str, value: object) -> int | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.error(where, 'a count written as text, like "3,781"', value)
        try:
            return parse_count(value)
        except CellError as exc:
            raise self.error(where, f'{exc.expected}, like "3,781"', value) from None

    def _value(self, where: str, key: str, value: object) -> dict[str, Any]:
        """A value of a label smtui has no column for, under ``key``: a count, a percent as a
        fraction, a change and what it compares with, a period as ISO days, or the text."""
        if not isinstance(value, str):
            return {} if value is None else {key: value}
        text = fix_mojibake(value).strip()
        if is_null(text):
            return {}
        try:
            return {key: parse_count(text)}
        except CellError:
            pass
        if _PERCENT.match(text):
            return {key: self._fraction(where, text), f"{key}_definition": PERCENT_DEFINITION}
        change = _CHANGE.match(text)
        if change:
            return {
                key: self._fraction(where, change.group(1) + "%"),
                f"{key}_compared_with": change.group(2).strip(),
                f"{key}_definition": CHANGE_DEFINITION,
            }
        period = _PERIOD.match(text)
        if period:
            resolved = self._period(period.group(1), period.group(2))
            if resolved is not None:
                return {f"{key}_start": resolved[0], f"{key}_end": resolved[1]}
        return {key: text}

    def _fraction(self, where: str, text: str) -> float:
        number = text.strip().removesuffix("%").replace("\u2212", "-")
        try:
            parsed = parse_decimal(number)
        except CellError:
            raise self.error(where, 'a percentage like "33%"', text) from None
        if parsed is None:  # pragma: no cover - the patterns above need digits
            raise self.error(where, 'a percentage like "33%"', text)
        return round(parsed / 100, 10)

    def _period(self, first: str, last: str) -> tuple[str, str] | None:
        """ISO days of a year-less period: the latest one ending by the export day."""
        from smtui.sources.tiktok_exports import GRACE, latest_on_or_before, parse_month_day

        try:
            start_day, end_day = parse_month_day(first), parse_month_day(last)
        except CellError:
            return None
        end = latest_on_or_before(end_day, self.export_day + GRACE)
        start = latest_on_or_before(start_day, end)
        return start.isoformat(), end.isoformat()


def _is_time(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _caption(item: object) -> str:
    """``media_map_data["Media thumbnail"].title``, decoded; ``""`` when there is none."""
    media = item.get("media_map_data") if isinstance(item, dict) else None
    if not isinstance(media, dict):
        return ""
    for label, entry in media.items():
        if normalise(label) == THUMBNAIL and isinstance(entry, dict):
            title = entry.get("title")
            return fix_mojibake(title).strip() if isinstance(title, str) else ""
    return ""


def _shown(value: object) -> str:
    """A JSON value as an error shows it: short, and saying what kind it is."""
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    if isinstance(value, dict):
        return "an object" if value else "an empty object"
    if isinstance(value, list):
        return "a list"
    return repr(value)
