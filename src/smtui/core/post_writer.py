"""Storing posts in chunks: one statement per thousand posts, with SQLite doing the comparing.

A million-row export cannot afford a ``SELECT`` and an ``INSERT`` or two per post, nor Python
comparing every stored post with the record: :class:`PostWriter` hands a chunk of posts to one
``INSERT ... ON CONFLICT DO UPDATE`` (an upsert), whose update clause holds the rules below and
whose ``WHERE`` leaves a post alone when nothing would change, so a re-import writes nothing.

The rules (what storing posts one by one always stored): a post is keyed on ``(platform,
external_id)``; an empty field never blanks a stored one and a day-only date never replaces an
exact time; a post's latest numbers (``metrics_at``, the metric columns, ``extra``, and the
``source`` that reported them) move only forward in time, a metric a record does not report
keeps the value known before, and the same numbers again change nothing. Numbers a newer
record replaces go to ``post_snapshots`` (a trigger moves them, whoever writes); numbers older
than a post's latest go there directly. ``post_history`` shows both: every set of numbers.

New posts reach the dashboard's summary (``post_totals``) a chunk at a time: while a writer is
open the per-row insert trigger is set aside (in the caller's transaction, so no other
connection ever sees the table without it) and each chunk's new rows are summed by one
statement per span. A post that comes twice in one chunk is stored by two chunks, so the
second copy updates a post already summed.
"""

from __future__ import annotations

import json
import sqlite3
from operator import itemgetter

from smtui.sources.records import METRIC_COLUMNS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import TracebackType
    from typing import Any

    from smtui.sources.records import PostRecord

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"

# Posts stored per chunk: large enough that the per-statement cost vanishes, small enough that
# a chunk's rows stay a few megabytes however long the texts.
CHUNK = 2000
# Values per ``IN (...)`` list: below the 999 parameters the oldest SQLite builds allow.
_IN_BATCH = 500

_METRIC_COUNT = len(METRIC_COLUMNS)
_NUMBERS = (*METRIC_COLUMNS, "extra")
_COLUMNS = (
    "platform",
    "external_id",
    "account",
    "published_at",
    "day_only",
    "kind",
    "text",
    "url",
    "source",
    "metrics_at",
    *_NUMBERS,
)
# The record's numbers are newer than (or as new as) the post's, and differ from them.
_NEWER = (
    "excluded.metrics_at IS NOT NULL AND (metrics_at IS NULL OR excluded.metrics_at >= metrics_at)"
)
_DIFFERENT = " OR ".join(f"coalesce(excluded.{n}, {n}) IS NOT {n}" for n in _NUMBERS)
_MOVES = f"({_NEWER} AND ({_DIFFERENT}))"
# The record's date replaces the stored one (never a day-only date over an exact time).
_DATE = (
    "(excluded.published_at IS NOT NULL AND (published_at IS NULL"
    " OR NOT (excluded.day_only AND NOT day_only)))"
)
_TEXTS = ("account", "kind", "text", "url")


def _upsert_sql() -> str:
    """The statement storing one record (see the module's rules)."""
    assignments = [
        *(f"{c} = CASE WHEN excluded.{c} <> '' THEN excluded.{c} ELSE {c} END" for c in _TEXTS),
        *(
            f"{c} = CASE WHEN {_DATE} THEN excluded.{c} ELSE {c} END"
            for c in ("published_at", "day_only")
        ),
        *(
            f"{c} = CASE WHEN {_MOVES} THEN excluded.{c} ELSE {c} END"
            for c in ("source", "metrics_at")
        ),
        *(
            f"{n} = CASE WHEN {_MOVES} THEN coalesce(excluded.{n}, {n}) ELSE {n} END"
            for n in _NUMBERS
        ),
    ]
    changes = [
        *(f"(excluded.{c} <> '' AND excluded.{c} <> {c})" for c in _TEXTS),
        f"({_DATE} AND (excluded.published_at IS NOT published_at"
        " OR excluded.day_only <> day_only))",
        _MOVES,
    ]
    marks = ", ".join("?" for _ in _COLUMNS)
    return (
        f"INSERT INTO posts ({', '.join(_COLUMNS)}) VALUES ({marks})"
        " ON CONFLICT (platform, external_id) DO UPDATE SET "
        + ", ".join(assignments)
        + " WHERE "
        + " OR ".join(changes)
    )


_UPSERT = _upsert_sql()
_INSERT = _UPSERT[: _UPSERT.index(" ON CONFLICT")]
# Numbers older than the post's latest: a snapshot of the history (the same time and source
# again replaces it). Parameters: the record's time, source and numbers, then its key and time.
_NUMBER_MARKS = ", ".join("?" for _ in _NUMBERS)
_OLDER = (
    f"INSERT INTO post_snapshots (post_id, captured_at, source, {', '.join(_NUMBERS)})"
    f" SELECT id, ?, ?, {_NUMBER_MARKS} FROM posts"
    " WHERE platform = ? AND external_id = ? AND metrics_at > ?"
    " ON CONFLICT (post_id, source, captured_at) DO UPDATE SET "
    + ", ".join(f"{n} = excluded.{n}" for n in _NUMBERS)
    + " WHERE "
    + " OR ".join(f"excluded.{n} IS NOT {n}" for n in _NUMBERS)
)
_INSERT_TRIGGER = "posts_totals_insert"


# One encoder for every row (``json.dumps`` with options builds a new one per call); sorted
# keys make equal dicts equal text, which is how an unchanged snapshot is recognised.
_encode = json.JSONEncoder(sort_keys=True, separators=(",", ":")).encode
_WHOLE_NUMBERS = {int}


def extra_json(extra: dict[str, Any]) -> str | None:
    """``extra`` as the JSON text stored in the ``extra`` columns (None when empty)."""
    return _encode(extra) if extra else None


class ExtraJson:
    """:func:`extra_json`, about three times faster on what exports repeat row after row: the
    same keys, every value a whole number. Those are written through a template made once
    per set of keys (the text is exactly what the encoder writes); anything else is encoded.
    """

    __slots__ = ("templates",)

    # Sets of keys remembered; a source that varies its keys without end gets no faster.
    LIMIT = 64

    def __init__(self) -> None:
        self.templates: dict[tuple[Any, ...], tuple[Callable[[Any], Any], str] | None] = {}

    def __call__(self, extra: dict[str, Any]) -> str | None:
        if not extra:
            return None
        keys = tuple(extra)
        try:
            plan = self.templates[keys]
        except KeyError:
            if len(self.templates) >= self.LIMIT:
                self.templates.clear()
            plan = self.templates[keys] = _template(keys)
        if plan is not None:
            values = plan[0](extra)
            if set(map(type, values)) == _WHOLE_NUMBERS:
                text: str = plan[1] % values
                return text
        return _encode(extra)


def _template(keys: tuple[Any, ...]) -> tuple[Callable[[Any], Any], str] | None:
    """A getter of the values in sorted key order and the JSON text with ``%d`` for each."""
    if not all(type(key) is str for key in keys):
        return None
    ordered = sorted(keys)
    fields = ",".join(f"{_encode(key).replace('%', '%%')}:%d" for key in ordered)
    if len(ordered) == 1:
        only = ordered[0]
        return (lambda extra: (extra[only],)), "{" + fields + "}"
    return itemgetter(*ordered), "{" + fields + "}"


class SecondaryIndexes:
    """The secondary indexes of ``posts``, set aside while an import loads mostly new posts
    into a table smaller than what it brings, and built again once, at the end.

    Building an index from a million posts costs a fraction of keeping it up to date post by
    post (about 4 µs a post against 17 µs on the 2-core development machine). The indexes are
    dropped and created in the import's transaction: other connections never see the table
    without them, and a failed import brings them back with everything else.
    """

    __slots__ = ("conn", "dropped")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.dropped: list[tuple[str, str]] = []

    def set_aside(self) -> None:
        """Drop the secondary indexes of ``posts`` (not its key), remembering them."""
        if self.dropped:
            return
        self.dropped = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'posts'"
            " AND sql IS NOT NULL ORDER BY name"
        ).fetchall()
        for name, _ in self.dropped:
            self.conn.execute(f'DROP INDEX "{name}"')

    def restore(self) -> None:
        """Build the indexes set aside again."""
        for _, sql in self.dropped:
            self.conn.execute(sql)
        self.dropped = []


class PostWriter:
    """Stores the posts of one file, a chunk at a time, for the source named ``source``.

    Use it as a context manager (or call :meth:`close`) inside the caller's transaction; call
    :meth:`add` for each post. ``new``, ``updated``, ``unchanged`` and ``snapshots`` (posts
    whose numbers were stored) count what was stored so far.
    """

    __slots__ = (
        "conn",
        "encode",
        "expected_rows",
        "first_id",
        "fresh",
        "indexes",
        "keys",
        "last_id",
        "new",
        "older",
        "pending",
        "snapshots",
        "source",
        "trigger",
        "unchanged",
        "updated",
    )

    def __init__(
        self,
        conn: sqlite3.Connection,
        source: str,
        *,
        indexes: SecondaryIndexes | None = None,
        expected_rows: int = 0,
    ) -> None:
        self.conn = conn
        self.source = source
        # A large load of new posts may set the secondary indexes aside (see SecondaryIndexes).
        self.indexes = indexes
        self.expected_rows = expected_rows
        self.fresh = True
        self.first_id = 0
        self.encode = ExtraJson()
        self.pending: list[tuple[Any, ...]] = []
        self.keys: set[tuple[str, str]] = set()
        # Per platform and time: whether some stored post has numbers newer than that time.
        self.older: dict[tuple[str, int], bool] = {}
        self.last_id: int | None = None
        self.trigger: str | None = None
        self.new = 0
        self.updated = 0
        self.unchanged = 0
        self.snapshots = 0

    def __enter__(self) -> PostWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()

    def add(self, post: PostRecord, captured_at: int) -> None:
        """Queue ``post`` with its numbers dated ``captured_at``; store the chunk when full."""
        platform = post.platform
        key = (platform, post.external_id)
        if key in self.keys:  # the same post again: store the first before comparing
            self.flush()
        extra = post.extra
        numbers = (*map(post.metrics.get, METRIC_COLUMNS), self.encode(extra) if extra else None)
        dated = captured_at if numbers.count(None) <= _METRIC_COUNT else None
        if dated is not None and (platform, dated) not in self.older:
            self.flush()  # what is queued may be newer: the check must see it
            self.older[(platform, dated)] = self._has_newer(platform, dated)
        self.keys.add(key)
        self.pending.append(
            (
                platform,
                key[1],
                post.account,
                post.published_at,
                1 if post.day_only else 0,
                post.kind,
                post.text,
                post.url,
                self.source,
                dated,
                *numbers,
            )
        )
        if len(self.pending) >= CHUNK:
            self.flush()

    def close(self) -> None:
        """Store what is still queued, drop the scratch table, put the insert trigger back."""
        self.flush()
        if self.last_id is not None:
            from smtui.store.migrations import NEW_POST_HOURS

            self.conn.execute(f"DROP TABLE IF EXISTS {NEW_POST_HOURS}")
        if self.trigger is not None:
            self.conn.execute(self.trigger)
            self.trigger = None

    def flush(self) -> None:
        """Store every queued post."""
        rows = self.pending
        if not rows:
            return
        self.pending = []
        self.keys = set()
        conn = self.conn
        if self.last_id is None:
            self._set_aside_trigger()
            self.last_id = conn.execute("SELECT coalesce(max(id), 0) FROM posts").fetchone()[0]
            self.first_id = self.last_id
        behind = self._behind(rows)
        changed = self._store([row for row in rows if (row[0], row[1]) not in behind])
        changed += self._store_late([row for row in rows if (row[0], row[1]) in behind])
        last_id = conn.execute("SELECT coalesce(max(id), 0) FROM posts").fetchone()[0]
        new = last_id - self.last_id
        if new:
            from smtui.store.migrations import summarise_new_posts_sql

            for statement in summarise_new_posts_sql():
                conn.execute(statement, (self.last_id, last_id) if "?" in statement else ())
        self.last_id = last_id
        # A full chunk of new posts, in a file that brings more than twice what is stored.
        bulk = new == len(rows) >= CHUNK and self.expected_rows > 2 * self.first_id
        if bulk and self.indexes is not None:
            self.indexes.set_aside()
        self.new += new
        self.updated += changed - new
        self.unchanged += len(rows) - changed

    def _store(self, rows: list[tuple[Any, ...]]) -> int:
        """Store ``rows`` (none behind the post's numbers); how many posts were new or changed.

        While every post has been new, a chunk is first tried as plain inserts (about a third
        cheaper than the upsert); the first post already stored sends the chunk, and all the
        ones after it, the upsert's way.
        """
        if not rows:
            return 0
        conn = self.conn
        numbered = [row for row in rows if row[9] is not None]
        if self.fresh:
            conn.execute("SAVEPOINT smtui_new_posts")
            try:
                conn.executemany(_INSERT, rows)
            except sqlite3.IntegrityError:
                conn.execute("ROLLBACK TO smtui_new_posts")
                self.fresh = False
            finally:
                conn.execute("RELEASE smtui_new_posts")
            if self.fresh:
                self.snapshots += len(numbered)
                return len(rows)
        stored = conn.executemany(_UPSERT, numbered).rowcount if numbered else 0
        self.snapshots += stored
        if len(numbered) < len(rows):
            stored += conn.executemany(_UPSERT, [row for row in rows if row[9] is None]).rowcount
        return stored

    def _store_late(self, rows: list[tuple[Any, ...]]) -> int:
        """Store posts whose stored numbers are newer than the record's (an old export imported
        after a newer one), one by one: the record's numbers join the history, its fields may
        still improve the post. How many changed."""
        changed = 0
        for row in rows:
            added = self.conn.execute(_OLDER, (row[9], self.source, *row[10:], *row[:2], row[9]))
            improved = self.conn.execute(_UPSERT, row)
            changed += added.rowcount > 0 or improved.rowcount > 0
            self.snapshots += added.rowcount
        return changed

    def _set_aside_trigger(self) -> None:
        """Drop the per-row insert trigger of ``post_totals`` until :meth:`close` (chunks are
        summed instead); a rollback brings it back with everything else."""
        if not self.conn.in_transaction:
            raise RuntimeError("PostWriter needs a transaction: no transaction is open")
        found = self.conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            (_INSERT_TRIGGER,),
        ).fetchone()
        if found is not None:
            self.conn.execute(f"DROP TRIGGER {_INSERT_TRIGGER}")
            self.trigger = found[0]

    def _behind(self, rows: list[tuple[Any, ...]]) -> set[tuple[str, str]]:
        """The keys of the stored posts in ``rows`` whose numbers are newer than the row's."""
        found: set[tuple[str, str]] = set()
        asked: dict[tuple[str, int], list[str]] = {}
        for row in rows:
            if row[9] is not None and self.older[(row[0], row[9])]:
                asked.setdefault((row[0], row[9]), []).append(row[1])
        for (platform, captured_at), ids in asked.items():
            for start in range(0, len(ids), _IN_BATCH):
                batch = ids[start : start + _IN_BATCH]
                marks = ", ".join("?" * len(batch))
                found.update(
                    (platform, external_id)
                    for (external_id,) in self.conn.execute(
                        "SELECT external_id FROM posts WHERE platform = ? AND metrics_at > ?"
                        f" AND external_id IN ({marks})",
                        (platform, captured_at, *batch),
                    )
                )
        return found

    def _has_newer(self, platform: str, captured_at: int) -> bool:
        """Whether a stored post of ``platform`` has numbers newer than ``captured_at``."""
        row = self.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM posts WHERE platform = ? AND metrics_at > ?)",
            (platform, captured_at),
        ).fetchone()
        return bool(row[0])
