"""Storing posts in chunks: a handful of statements per thousand posts, not three per post.

A million-row export cannot afford a ``SELECT`` and two ``INSERT`` statements per post (about
65 µs a post on the 2-core development machine, most of it crossing between Python and SQLite
and journaling each statement). :class:`PostWriter` collects posts and stores a chunk at a
time: one look-up of the posts already known (on the ``(platform, external_id)`` unique
index) and one of their latest snapshots; new posts are written to a temporary table with
``executemany`` and copied into ``posts`` and ``post_snapshots`` by two ``INSERT ... SELECT``
statements; changed numbers go the same way; changed snapshots use ``executemany``.

What is stored is exactly what storing the posts one by one stores, in the same order: a post
is keyed on ``(platform, external_id)``; a snapshot is added only when the numbers differ from
the source's previous one; the latest numbers on a post move only forward in time; an empty
field never blanks a stored one and a day-only date never replaces an exact time. A post that
comes twice in one chunk is stored by two chunks, so the second copy sees the first.
"""

from __future__ import annotations

import json
from operator import itemgetter

from smtui.sources.records import METRIC_COLUMNS

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable, Iterable, Sequence
    from typing import Any, TypeAlias

    from smtui.sources.records import PostRecord

    # A stored post a record of the chunk reports numbers for: its id, the time of its latest
    # numbers, the record's time, the record's numbers (a snapshot's columns: the metrics, then
    # extra as JSON), and whether some of its fields were updated.
    _Known: TypeAlias = tuple[int, int | None, int, tuple[Any, ...], bool]

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"

# Posts stored per chunk: large enough that the per-statement cost vanishes, small enough that
# a chunk's rows stay a few megabytes however long the texts.
CHUNK = 2000
# Values per ``IN (...)`` list: below the 999 parameters the oldest SQLite builds allow.
_IN_BATCH = 500

_METRICS_SQL = ", ".join(METRIC_COLUMNS)
_METRIC_MARKS = ", ".join("?" for _ in METRIC_COLUMNS)
_METRIC_COUNT = len(METRIC_COLUMNS)
# New posts and new latest numbers go through temporary tables, then into posts with one
# statement per chunk: the triggers on posts (the dashboard's summary tables) then run inside
# one statement, instead of each row paying for a statement of its own (and its journal).
_POST_COLUMNS = (
    "id, platform, external_id, account, published_at, day_only, kind, text, url, source,"
    f" metrics_at, {_METRICS_SQL}"
)
_NEW_POSTS = "temp.smtui_new_posts"
_NEW_LATEST = "temp.smtui_new_latest"
_STAGING = (
    # A new post's row, and its snapshot's extra: the snapshot is copied from the same row.
    f"CREATE TEMP TABLE IF NOT EXISTS smtui_new_posts AS SELECT {_POST_COLUMNS}, '' AS extra"
    " FROM main.posts WHERE 0",
    "CREATE TEMP TABLE IF NOT EXISTS smtui_new_latest (id INTEGER PRIMARY KEY, metrics_at INTEGER,"
    + ", ".join(f" {column} INTEGER" for column in METRIC_COLUMNS)
    + ")",
)
_STAGE_POST = (
    f"INSERT INTO {_NEW_POSTS} ({_POST_COLUMNS}, extra)"
    f" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {_METRIC_MARKS}, ?)"
)
# Only a post that reports numbers has metrics_at, and a snapshot.
_SNAPSHOT_UPDATE = " SET " + ", ".join(
    f"{column} = excluded.{column}" for column in (*METRIC_COLUMNS, "extra")
)
_INSERT_POSTS = (
    f"INSERT INTO main.posts ({_POST_COLUMNS}) SELECT {_POST_COLUMNS} FROM {_NEW_POSTS}",
    f"INSERT INTO main.post_snapshots (post_id, captured_at, source, {_METRICS_SQL}, extra)"
    f" SELECT id, metrics_at, source, {_METRICS_SQL}, extra FROM {_NEW_POSTS}"
    " WHERE metrics_at IS NOT NULL"
    " ON CONFLICT (post_id, source, captured_at) DO UPDATE" + _SNAPSHOT_UPDATE,
)
_STAGE_LATEST = f"INSERT INTO {_NEW_LATEST} VALUES (?, ?, {_METRIC_MARKS})"
# A metric the snapshot does not report keeps the value known before.
_UPDATE_LATEST = (
    (
        f"UPDATE main.posts SET (metrics_at, {_METRICS_SQL}) = (SELECT new.metrics_at, "
        + ", ".join(f"coalesce(new.{column}, posts.{column})" for column in METRIC_COLUMNS)
        + f" FROM {_NEW_LATEST} AS new WHERE new.id = posts.id)"
        f" WHERE id IN (SELECT id FROM {_NEW_LATEST})"
    ),
)
# The fields after the first three are compared with a record's, in this order.
_STORED_POSTS = (
    "SELECT external_id, id, metrics_at, account, published_at, day_only, kind, text, url"
    " FROM posts WHERE platform = ? AND external_id IN ({marks})"
)
# The source's latest snapshot at or before a time, per post: SQLite takes the bare columns of
# a max() aggregate from the row holding the maximum.
_PREVIOUS_SNAPSHOTS = (
    f"SELECT post_id, max(captured_at), {_METRICS_SQL}, extra FROM post_snapshots"
    " WHERE source = ? AND captured_at <= ? AND post_id IN ({marks}) GROUP BY post_id"
)
_UPSERT_SNAPSHOT = (
    f"INSERT INTO post_snapshots (post_id, captured_at, source, {_METRICS_SQL}, extra)"
    f" VALUES (?, ?, ?, {_METRIC_MARKS}, ?) ON CONFLICT (post_id, source, captured_at) DO UPDATE"
    + _SNAPSHOT_UPDATE
)

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


class PostWriter:
    """Stores the posts of one file, a chunk at a time, for the source named ``source``.

    Call :meth:`add` for each post and :meth:`flush` at the end of the file; ``new``,
    ``updated``, ``unchanged`` and ``snapshots`` count what was stored so far.
    """

    __slots__ = (
        "conn",
        "encode",
        "keys",
        "new",
        "pending",
        "snapshots",
        "source",
        "staging",
        "unchanged",
        "updated",
    )

    def __init__(self, conn: sqlite3.Connection, source: str) -> None:
        self.conn = conn
        self.source = source
        self.encode = ExtraJson()
        self.pending: list[tuple[PostRecord, int]] = []
        self.keys: set[tuple[str, str]] = set()
        self.new = 0
        self.updated = 0
        self.unchanged = 0
        self.snapshots = 0
        self.staging = False

    def add(self, post: PostRecord, captured_at: int) -> None:
        """Queue ``post`` with its numbers dated ``captured_at``; store the chunk when full."""
        key = (post.platform, post.external_id)
        if key in self.keys:  # the same post again: store the first before comparing
            self.flush()
        self.keys.add(key)
        self.pending.append((post, captured_at))
        if len(self.pending) >= CHUNK:
            self.flush()

    def close(self) -> None:
        """Store what is still queued, and drop the temporary tables."""
        self.flush()
        if self.staging:
            for table in (_NEW_POSTS, _NEW_LATEST):
                self.conn.execute(f"DROP TABLE {table}")
            self.staging = False

    def _stage(
        self, sql: str, rows: list[tuple[Any, ...]], then: tuple[str, ...], table: str
    ) -> None:
        """Write ``rows`` to a temporary table with ``sql``, run ``then``, empty the table."""
        if not self.staging:
            for create in _STAGING:
                self.conn.execute(create)
            self.staging = True
        self.conn.executemany(sql, rows)
        for statement in then:
            self.conn.execute(statement)
        self.conn.execute(f"DELETE FROM {table}")

    def flush(self) -> None:
        """Store every queued post."""
        pending = self.pending
        if not pending:
            return
        self.pending = []
        self.keys = set()
        stored = self._stored(pending)
        fresh: list[tuple[PostRecord, int, tuple[Any, ...]]] = []
        known: list[_Known] = []
        updates: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        encode = self.encode
        for post, captured_at in pending:
            values = (*map(post.metrics.get, METRIC_COLUMNS), encode(post.extra))
            row = stored.get((post.platform, post.external_id))
            if row is None:
                fresh.append((post, captured_at, values))
                continue
            fields = (
                post.account,
                post.published_at,
                post.day_only,
                post.kind,
                post.text,
                post.url,
            )
            changes = None if fields == row[3:] else field_changes(post, row[3:])
            if changes:
                updates.setdefault(tuple(changes), []).append((*changes.values(), row[1]))
            # Worth a snapshot: some metric reported, or anything in extra (None is neither).
            if values.count(None) <= _METRIC_COUNT:
                known.append((row[1], row[2], captured_at, values, bool(changes)))
            elif changes:
                self.updated += 1
            else:
                self.unchanged += 1
        for columns, rows in updates.items():
            assignments = ", ".join(f"{column} = ?" for column in columns)
            self.conn.executemany(f"UPDATE posts SET {assignments} WHERE id = ?", rows)
        self._store_snapshots(known)
        self._insert(fresh)

    def _stored(
        self, pending: Sequence[tuple[PostRecord, int]]
    ) -> dict[tuple[str, str], tuple[Any, ...]]:
        """The stored rows of the posts in ``pending``, by ``(platform, external_id)``."""
        by_platform: dict[str, list[str]] = {}
        for post, _ in pending:
            by_platform.setdefault(post.platform, []).append(post.external_id)
        found: dict[tuple[str, str], tuple[Any, ...]] = {}
        for platform, ids in by_platform.items():
            for batch in _batches(ids):
                sql = _STORED_POSTS.format(marks=_marks(len(batch)))
                for row in self.conn.execute(sql, (platform, *batch)):
                    found[(platform, row[0])] = row
        return found

    def _store_snapshots(self, known: list[_Known]) -> None:
        """Add a snapshot for each known post whose numbers moved, and move its latest numbers
        forward when the snapshot is the newest."""
        by_time: dict[int, list[_Known]] = {}
        for item in known:
            by_time.setdefault(item[2], []).append(item)
        snapshots: list[tuple[Any, ...]] = []
        latest: list[tuple[Any, ...]] = []
        source = self.source
        for captured_at, items in by_time.items():  # one time a file, as a rule
            previous: dict[int, tuple[Any, ...]] = {}
            for batch in _batches([item[0] for item in items]):
                sql = _PREVIOUS_SNAPSHOTS.format(marks=_marks(len(batch)))
                previous.update(
                    (row[0], row[2:])
                    for row in self.conn.execute(sql, (source, captured_at, *batch))
                )
            for post_id, metrics_at, _, values, changed in items:
                if previous.get(post_id) == values:
                    if changed:
                        self.updated += 1
                    else:
                        self.unchanged += 1
                    continue
                self.updated += 1
                snapshots.append((post_id, captured_at, source, *values))
                if metrics_at is None or captured_at >= metrics_at:
                    latest.append((post_id, captured_at, *values[:_METRIC_COUNT]))
        if snapshots:
            self.conn.executemany(_UPSERT_SNAPSHOT, snapshots)
            self.snapshots += len(snapshots)
        if latest:
            self._stage(_STAGE_LATEST, latest, _UPDATE_LATEST, _NEW_LATEST)

    def _insert(self, posts: list[tuple[PostRecord, int, tuple[Any, ...]]]) -> None:
        """Insert new posts (ids chosen here, as SQLite would: after the largest) and the
        snapshots of those that report numbers."""
        if not posts:
            return
        next_id = self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM posts").fetchone()[0]
        source = self.source
        rows = [
            (
                post_id,
                post.platform,
                post.external_id,
                post.account,
                post.published_at,
                1 if post.day_only else 0,
                post.kind,
                post.text,
                post.url,
                source,
                captured_at if values.count(None) <= _METRIC_COUNT else None,
                *values,
            )
            for post_id, (post, captured_at, values) in enumerate(posts, next_id)
        ]
        self._stage(_STAGE_POST, rows, _INSERT_POSTS, _NEW_POSTS)
        self.new += len(rows)
        self.snapshots += sum(1 for row in rows if row[10] is not None)


def field_changes(post: PostRecord, stored: Sequence[Any]) -> dict[str, Any]:
    """The post columns the record improves on: values it has that differ from those stored
    (``stored`` is account, published_at, day_only, kind, text, url).

    An empty field never blanks a stored one, and a day-only date never replaces a time.
    """
    account, published_at, day_only, kind, text, url = stored
    changes: dict[str, Any] = {}
    if post.account and post.account != account:
        changes["account"] = post.account
    if post.kind and post.kind != kind:
        changes["kind"] = post.kind
    if post.text and post.text != text:
        changes["text"] = post.text
    if post.url and post.url != url:
        changes["url"] = post.url
    if _better_date(post, published_at, bool(day_only)):
        changes["published_at"] = post.published_at
        changes["day_only"] = int(post.day_only)
    return changes


def _better_date(post: PostRecord, published_at: int | None, day_only: bool) -> bool:
    """True when the record's publication date should replace the stored one."""
    if post.published_at is None:
        return False
    if published_at is None:
        return True
    if post.day_only and not day_only:
        return False
    return (post.published_at, post.day_only) != (published_at, day_only)


def _batches(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), _IN_BATCH):
        yield values[start : start + _IN_BATCH]


def _marks(count: int) -> str:
    return ", ".join("?" * count)
