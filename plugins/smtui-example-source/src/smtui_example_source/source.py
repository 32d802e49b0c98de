"""The ``scheduler_jsonl`` source: posts from a scheduling tool's JSON Lines export.

Many scheduling tools can export what they published as JSON Lines: one JSON object per line,
one line per post, one file per channel. This source reads that shape::

    {"post_id": "p-1042", "published_at": "2026-03-02T09:15:00Z", "text": "Three lessons...",
     "url": "https://www.linkedin.com/feed/update/urn:li:activity:7304", "stats": {"views": 1200,
     "reactions": 31, "replies": 4, "reposts": 2, "clicks": 7}}

(on one line in the file). ``post_id`` and ``published_at`` are required; ``published_at`` must
carry a time zone (``Z`` or ``+01:00``). ``stats`` is optional; its counts are renamed to smtui's
metrics (:data:`STAT_NAMES`) and any other stat is kept in the post's ``extra``.

The export does not say which platform or account the posts are on, so the user says it once,
in the config: ``[sources.<alias>] type = "scheduler_jsonl"`` with ``platform`` (required) and
``account`` (optional).
"""

from __future__ import annotations

import codecs
import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from smtui.api import DataSource, InputError, Option, PostRecord

if TYPE_CHECKING:
    from collections.abc import Iterator

# The tool's stat names and the smtui metric each one is.
STAT_NAMES: dict[str, str] = {
    "views": "impressions",
    "reactions": "likes",
    "replies": "comments",
    "reposts": "shares",
    "saves": "saves",
    "clicks": "link_clicks",
}

# Keys whose presence on the first line tells this format apart from any other JSON Lines.
SIGNATURE = ("post_id", "published_at")


class SchedulerJsonlSource(DataSource):
    """Posts and their numbers from a scheduling tool's JSON Lines export."""

    name = "scheduler_jsonl"
    title = "Scheduling tool JSON Lines export"
    options = (
        Option(
            "platform",
            str,
            required=True,
            help='the platform the exported channel posts to, e.g. "linkedin"',
        ),
        Option("account", str, default="", help="the account (handle) the posts belong to"),
    )

    def sniff(self, head: bytes, path: str) -> bool:
        """True when the first non-blank line is a JSON object with the signature keys.

        Only the first line is looked at (a first line longer than ``head`` is not
        recognised): the content decides, never the file name.
        """
        text = _decode(head)
        if text is None:
            return False
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                first = json.loads(line)
            except ValueError:
                return False
            return isinstance(first, dict) and all(key in first for key in SIGNATURE)
        return False

    def read(self, path: str) -> Iterator[PostRecord | InputError]:
        """One :class:`PostRecord` per line; an :class:`InputError` for each line it cannot read.

        Lines are read one at a time, so a large export never sits in memory whole. A file
        that is not UTF-8 text, or holds no line at all, is unreadable as a whole: that error
        is raised, not yielded.
        """
        platform = str(self.option_values["platform"]).strip().lower()
        account = str(self.option_values.get("account") or "")
        posts = 0
        with open(path, encoding="utf-8-sig") as handle:
            try:
                for number, line in enumerate(handle, start=1):
                    if line.strip():
                        posts += 1
                        yield _post(path, number, line, platform, account)
            except UnicodeDecodeError as exc:
                raise InputError(
                    path, "UTF-8 text, one JSON object per line", got="bytes that are not UTF-8"
                ) from exc
        if not posts:
            raise InputError(path, "one JSON object per line", got="an empty file")


def _decode(head: bytes) -> str | None:
    """The head as text, or None when it is not UTF-8 (binary data, UTF-16...)."""
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a character cut in two by the end of the head
            return head[: exc.start].decode("utf-8")
        return None


def _post(
    path: str, number: int, line: str, platform: str, account: str
) -> PostRecord | InputError:
    """The post on one line, or the error that says what is wrong with it."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return InputError(path, "a JSON object", got=f"invalid JSON ({exc.msg})", line=number)
    if not isinstance(item, dict):
        return InputError(path, "a JSON object", got=type(item).__name__, line=number)
    post_id = item.get("post_id")
    if isinstance(post_id, int) and not isinstance(post_id, bool):
        post_id = str(post_id)
    if not isinstance(post_id, str) or not post_id.strip():
        return InputError(path, "a post id", got=repr(post_id), line=number, column="post_id")
    published = _published_at(path, number, item.get("published_at"))
    if isinstance(published, InputError):
        return published
    stats = item.get("stats", {})
    if not isinstance(stats, dict):
        return InputError(path, "an object of counts", got=repr(stats), line=number, column="stats")
    metrics: dict[str, int | None] = {}
    extra: dict[str, Any] = {}
    for stat, value in stats.items():
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or value < 0
        ):
            return InputError(
                path,
                "a count (a whole number, 0 or more)",
                got=repr(value),
                line=number,
                column=f"stats.{stat}",
            )
        if stat in STAT_NAMES:
            metrics[STAT_NAMES[stat]] = value
        else:
            extra[stat] = value
    return PostRecord(
        platform,
        post_id.strip(),
        account=account,
        published_at=published,
        text=str(item.get("text") or ""),
        url=str(item.get("url") or ""),
        metrics=metrics,
        extra=extra,
    )


def _published_at(path: str, number: int, value: object) -> int | InputError:
    """``published_at`` as UTC epoch seconds; it must name its time zone."""
    expected = 'a date and time with its zone, like "2026-03-02T09:15:00Z"'
    if not isinstance(value, str):
        return InputError(path, expected, got=repr(value), line=number, column="published_at")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return InputError(path, expected, got=repr(value), line=number, column="published_at")
    if moment.tzinfo is None:
        return InputError(
            path, expected, got=f"{value!r}, which has no zone", line=number, column="published_at"
        )
    return int(moment.timestamp())
