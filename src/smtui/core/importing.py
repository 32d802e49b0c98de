"""Importing export files: detect each file's format, store what it holds, all or nothing.

The whole import is one transaction: a bad row anywhere (unless the user asked to skip bad
rows) leaves the database exactly as it was. Re-importing is harmless: posts are keyed on
``(platform, external_id)``, a metrics snapshot is added only when the numbers changed, and
the latest numbers on a post move only forward in time, so importing an old export after a
new one fills in history without rolling the dashboard back.
"""

from __future__ import annotations

import json
import os
from functools import partial

from smtui import clock
from smtui.errors import NotFoundError, UsageError
from smtui.models import Record as _Slotted
from smtui.sources.csvfile import decode_head, detect_encoding, looks_binary, read_head
from smtui.sources.errors import InputError
from smtui.sources.records import METRIC_COLUMNS, AccountSnapshotRecord, PostRecord
from smtui.store.db import Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterator
    from typing import Any

    from smtui.sources.base import DataSource

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"

_METRICS_SQL = ", ".join(METRIC_COLUMNS)
_METRIC_MARKS = ", ".join("?" for _ in METRIC_COLUMNS)
_INSERT_POST = (
    "INSERT INTO posts (platform, external_id, account, published_at, day_only, kind, text, url,"
    f" source, metrics_at, {_METRICS_SQL}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {_METRIC_MARKS})"
)
# A metric the snapshot does not report keeps the value known before.
_UPDATE_LATEST = (
    "UPDATE posts SET metrics_at = ?, "
    + ", ".join(f"{column} = coalesce(?, {column})" for column in METRIC_COLUMNS)
    + " WHERE id = ?"
)
_PREVIOUS_SNAPSHOT = (
    f"SELECT {_METRICS_SQL}, extra FROM post_snapshots"
    " WHERE post_id = ? AND source = ? AND captured_at <= ? ORDER BY captured_at DESC LIMIT 1"
)
_UPSERT_SNAPSHOT = (
    f"INSERT INTO post_snapshots (post_id, captured_at, source, {_METRICS_SQL}, extra)"
    f" VALUES (?, ?, ?, {_METRIC_MARKS}, ?) ON CONFLICT (post_id, source, captured_at) DO UPDATE"
    " SET " + ", ".join(f"{column} = excluded.{column}" for column in (*METRIC_COLUMNS, "extra"))
)


class ImportResult(_Slotted):
    """What importing one file did: the format used and how many records were new or changed.

    ``detected`` is False when the format was forced by name. ``skipped_rows`` holds the error
    of each bad row left out (only with ``skip_bad_rows``). ``exported_at`` is the export time
    the source read from the file, if it knows one.
    """

    __slots__ = (  # noqa: RUF023 - declaration order is the order of as_dict()
        "path",
        "source",
        "format",
        "detected",
        "new",
        "updated",
        "unchanged",
        "skipped_rows",
        "snapshots",
        "exported_at",
        "dry_run",
    )

    def __init__(self, path: str, source: str, format: str, detected: bool) -> None:
        self.path = path
        self.source = source
        self.format = format
        self.detected = detected
        self.new = 0
        self.updated = 0
        self.unchanged = 0
        self.skipped_rows: list[InputError] = []
        self.snapshots = 0
        self.exported_at: int | None = None
        self.dry_run = False

    @property
    def skipped(self) -> int:
        return len(self.skipped_rows)

    def count(self, outcome: str) -> None:
        """Add one record to the ``new``, ``updated`` or ``unchanged`` count."""
        if outcome == NEW:
            self.new += 1
        elif outcome == UPDATED:
            self.updated += 1
        else:
            self.unchanged += 1

    def as_dict(self) -> dict[str, Any]:
        """Plain values only (for JSON output): skipped rows become line, column and reason."""
        values = super().as_dict()
        values["skipped"] = self.skipped
        values["skipped_rows"] = [
            {"line": e.line, "column": e.column, "reason": e.reason} for e in self.skipped_rows
        ]
        return values


class _DryRun(Exception):
    """Raised at the end of a dry run so the transaction rolls back."""


def import_files(
    conn: sqlite3.Connection,
    paths: list[str],
    sources: list[DataSource],
    *,
    source_name: str | None = None,
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    now: int | None = None,
) -> list[ImportResult]:
    """Import every file in ``paths`` (folders are walked) in one transaction.

    Each file's format is detected by asking every source in ``sources`` to sniff it, or is
    forced by ``source_name`` (a source's alias or name). On any error nothing is written and
    the error is raised. ``dry_run`` does all the work and reports it, then rolls back.
    Metrics are dated with the export time a source reports, else the file's modification
    time; ``now`` (default: the clock) stamps the ``sync_log`` rows.
    """
    started = clock.now() if now is None else now
    forced = _choose(sources, source_name) if source_name is not None else None
    plan = [(path, forced or _detect(path, sources)) for path in _files(paths)]
    results: list[ImportResult] = []
    try:
        with Transaction(conn):
            for path, source in plan:
                result = ImportResult(path, source.alias, source.name, detected=forced is None)
                _import_file(conn, path, source, result, skip_bad_rows)
                finished = clock.now() if now is None else now
                _log(conn, result, started, finished)
                results.append(result)
            if dry_run:
                raise _DryRun
    except _DryRun:
        for result in results:
            result.dry_run = True
    return results


def _files(paths: list[str]) -> Iterator[str]:
    """The files named, and those inside the folders named (hidden ones left out), in order."""
    seen: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            found = []
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found += [os.path.join(root, n) for n in sorted(names) if not n.startswith(".")]
            if not found:
                raise NotFoundError(f"no files to import in {path}")
        elif os.path.exists(path):
            found = [path]
        else:
            raise NotFoundError(f"no file or folder at {path}")
        for file in found:
            key = os.path.realpath(file)
            if key not in seen:
                seen.add(key)
                yield file


def _choose(sources: list[DataSource], name: str) -> DataSource:
    """The source the user named, by alias first, then by name if only one has it."""
    for source in sources:
        if source.alias == name:
            return source
    by_name = [source for source in sources if source.name == name]
    if len(by_name) == 1:
        return by_name[0]
    if by_name:
        aliases = ", ".join(source.alias for source in by_name)
        raise UsageError(f"several sources are of type {name!r}: {aliases}", "name one by alias")
    from smtui.core.kinds import closest

    known = sorted({source.alias for source in sources} | {source.name for source in sources})
    guess = closest(name, known)
    hint = f"did you mean {guess!r}?" if guess else f"known: {', '.join(known) or 'none'}"
    raise UsageError(f"unknown source {name!r}", hint)


def _detect(path: str, sources: list[DataSource]) -> DataSource:
    """The one source whose ``sniff`` recognises the file (each asked with a time limit)."""
    from smtui.api import PluginError
    from smtui.plugin_calls import SNIFF_TIMEOUT_S, call_with_timeout, timeout_for

    head = read_head(path)
    matches: list[DataSource] = []
    failures: list[str] = []
    timeout = timeout_for(SNIFF_TIMEOUT_S)
    for source in sources:
        what = f"source {source.alias!r}"
        try:
            if call_with_timeout(source.sniff, head, path, timeout=timeout, what=what):
                matches.append(source)
        except Exception as exc:  # a broken plugin must not stop other formats from matching
            # Say what the plugin raised, not the wrapper that carried it across threads.
            cause = exc.__cause__ if isinstance(exc, PluginError) and exc.__cause__ else exc
            failures.append(f"{source.alias} failed to check it: {cause}")
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = ", ".join(source.alias for source in matches)
        raise InputError(
            path,
            "a file only one format reads",
            got=f"one that {names} all read",
            hint="choose the source by name (--source)",
        )
    raise _unknown_format(path, head, sources, failures)


def _unknown_format(
    path: str, head: bytes, sources: list[DataSource], failures: list[str]
) -> InputError:
    looked = ", ".join(f"{s.alias} ({s.title or s.name})" for s in sources)
    hint = 'map its columns in a [sources.<name>] table with type = "csv"'
    encoding = detect_encoding(head)
    if not head:
        got = "an empty file"
    elif looks_binary(head, encoding):
        got = "binary data"
        hint = "export or save it as CSV, or " + hint
    else:
        lines = decode_head(head, encoding).lstrip("\ufeff").splitlines()
        first = next((line.strip() for line in lines if line.strip()), "")
        got = f"a header no source knows: {first[:80]!r}"
    if failures:
        hint += "; " + "; ".join(failures)
    return InputError(
        path,
        f"a format smtui knows (looked for: {looked or 'none, no sources loaded'})",
        got=got,
        hint=hint,
    )


def _import_file(
    conn: sqlite3.Connection,
    path: str,
    source: DataSource,
    result: ImportResult,
    skip_bad_rows: bool,
) -> None:
    """Store every record ``source`` reads from ``path``, counting what happened in ``result``."""
    from smtui.plugin_calls import READ_STALL_TIMEOUT_S, iterate_with_timeout, timeout_for

    modified = int(os.stat(path).st_mtime)
    items = iterate_with_timeout(
        partial(source.read, path),
        stall=timeout_for(READ_STALL_TIMEOUT_S),
        what=f"source {source.alias!r} reading {os.path.basename(path)}",
    )
    for item in items:
        if isinstance(item, InputError):
            if not skip_bad_rows:
                raise item
            result.skipped_rows.append(item)
            continue
        if isinstance(item, PostRecord):
            if item.captured_at is not None:
                result.exported_at = max(result.exported_at or 0, item.captured_at)
            captured_at = modified if item.captured_at is None else item.captured_at
            outcome, snapshot = _store_post(conn, item, source.alias, captured_at)
            result.snapshots += snapshot
        elif isinstance(item, AccountSnapshotRecord):
            outcome = _store_account_snapshot(conn, item, source.alias)
        else:
            raise TypeError(f"source {source.alias!r} yielded {type(item).__name__}, not a record")
        result.count(outcome)


def _extra_json(extra: dict[str, Any]) -> str | None:
    return json.dumps(extra, sort_keys=True, separators=(",", ":")) if extra else None


def _store_post(
    conn: sqlite3.Connection, post: PostRecord, source: str, captured_at: int
) -> tuple[str, bool]:
    """Insert or merge one post; return its outcome and whether a snapshot was added."""
    metrics = [post.metrics.get(column) for column in METRIC_COLUMNS]
    has_metrics = post.has_metrics
    snapshot = [*metrics, _extra_json(post.extra)]
    row = conn.execute(
        "SELECT id, account, published_at, day_only, kind, text, url, metrics_at FROM posts"
        " WHERE platform = ? AND external_id = ?",
        (post.platform, post.external_id),
    ).fetchone()
    if row is None:
        cursor = conn.execute(
            _INSERT_POST,
            (
                post.platform,
                post.external_id,
                post.account,
                post.published_at,
                int(post.day_only),
                post.kind,
                post.text,
                post.url,
                source,
                captured_at if has_metrics else None,
                *metrics,
            ),
        )
        if has_metrics:
            conn.execute(_UPSERT_SNAPSHOT, (cursor.lastrowid, captured_at, source, *snapshot))
        return NEW, has_metrics
    post_id, metrics_at = row[0], row[7]
    changes = _field_changes(post, row[1:7])
    if changes:
        assignments = ", ".join(f"{column} = ?" for column in changes)
        conn.execute(f"UPDATE posts SET {assignments} WHERE id = ?", (*changes.values(), post_id))
    added = has_metrics and _add_snapshot(conn, post_id, source, captured_at, snapshot)
    if added and (metrics_at is None or captured_at >= metrics_at):
        conn.execute(_UPDATE_LATEST, (captured_at, *metrics, post_id))
    return (UPDATED if changes or added else UNCHANGED), added


def _field_changes(post: PostRecord, stored: tuple[Any, ...]) -> dict[str, Any]:
    """The post columns the record improves on: values it has that differ from those stored.

    An empty field never blanks a stored one, and a day-only date never replaces a time.
    """
    account, published_at, day_only, kind, text, url = stored
    changes: dict[str, Any] = {}
    for column, old, new in (
        ("account", account, post.account),
        ("kind", kind, post.kind),
        ("text", text, post.text),
        ("url", url, post.url),
    ):
        if new and new != old:
            changes[column] = new
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


def _add_snapshot(
    conn: sqlite3.Connection, post_id: int, source: str, captured_at: int, values: list[Any]
) -> bool:
    """Record a post's metrics (then ``extra`` as JSON) at ``captured_at``, unless the source's
    last snapshot at or before that time says the same; True when a row was written."""
    previous = conn.execute(_PREVIOUS_SNAPSHOT, (post_id, source, captured_at)).fetchone()
    if previous is not None and list(previous) == values:
        return False
    conn.execute(_UPSERT_SNAPSHOT, (post_id, captured_at, source, *values))
    return True


def _store_account_snapshot(
    conn: sqlite3.Connection, snapshot: AccountSnapshotRecord, source: str
) -> str:
    """Insert or merge the account totals on their key (platform, account, taken_at).

    Several exports describe the same account and day (LinkedIn's content, followers and
    visitors files; TikTok's overview and viewers): each adds its values, key by key in
    ``extra``, and none erases what another brought, in whichever order they are imported.
    """
    key = (snapshot.platform, snapshot.account, snapshot.taken_at)
    row = conn.execute(
        "SELECT followers, following, posts, extra FROM account_snapshots"
        " WHERE platform = ? AND account = ? AND taken_at = ?",
        key,
    ).fetchone()
    counts = (snapshot.followers, snapshot.following, snapshot.posts)
    if row is None:
        conn.execute(
            "INSERT INTO account_snapshots (platform, account, taken_at, followers, following,"
            " posts, extra, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (*key, *counts, _extra_json(snapshot.extra), source),
        )
        return NEW
    stored_extra = json.loads(row[3]) if row[3] else {}
    values = (*counts, _extra_json({**stored_extra, **snapshot.extra}))
    merged = tuple(new if new is not None else old for new, old in zip(values, row, strict=True))
    if merged == tuple(row):
        return UNCHANGED
    conn.execute(
        "UPDATE account_snapshots SET followers = ?, following = ?, posts = ?, extra = ?,"
        " source = ? WHERE platform = ? AND account = ? AND taken_at = ?",
        (*merged, source, *key),
    )
    return UPDATED


def _log(conn: sqlite3.Connection, result: ImportResult, started: int, finished: int) -> None:
    """One ``sync_log`` row per file, written in the import's transaction."""
    conn.execute(
        "INSERT INTO sync_log (kind, source, target, started_at, finished_at, status,"
        " exported_at, rows_new, rows_updated, rows_unchanged, rows_skipped)"
        " VALUES ('import', ?, ?, ?, ?, 'ok', ?, ?, ?, ?, ?)",
        (
            result.source,
            os.path.abspath(result.path),
            started,
            finished,
            result.exported_at,
            result.new,
            result.updated,
            result.unchanged,
            result.skipped,
        ),
    )
