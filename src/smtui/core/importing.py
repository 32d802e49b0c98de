"""Importing export files: detect each file's format, store what it holds, all or nothing.

The whole import is one transaction: a bad row anywhere (unless the user asked to skip bad
rows) leaves the database exactly as it was. Re-importing is harmless: posts are keyed on
``(platform, external_id)``, a metrics snapshot is added only when the numbers changed, and
the latest numbers on a post move only forward in time, so importing an old export after a
new one fills in history without rolling the dashboard back.

Posts are stored a chunk at a time (:mod:`smtui.core.post_writer`), so a million-row export
costs a few thousand statements, not millions. A zip that no source reads as a whole is
opened and its members imported like the files of a folder (:mod:`smtui.core.archives`).
"""

from __future__ import annotations

import json
import os
import time
from contextlib import ExitStack, contextmanager
from functools import partial

from smtui import clock
from smtui.core.post_writer import (
    NEW,
    UNCHANGED,
    UPDATED,
    PostWriter,
    SecondaryIndexes,
    extra_json,
)
from smtui.errors import NotFoundError, UsageError
from smtui.models import Record as _Slotted
from smtui.sources.csvfile import decode_head, detect_encoding, looks_binary, read_head
from smtui.sources.errors import InputError
from smtui.sources.records import AccountSnapshotRecord, PostRecord
from smtui.store.db import Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable, Iterator
    from typing import Any

    from smtui.sources.base import DataSource
    from smtui.sources.records import Record

__all__ = ["NEW", "UNCHANGED", "UPDATED", "ImportProgress", "ImportResult", "import_files"]

# How many of each file's first records a result keeps, for a dry run's preview.
PREVIEW_RECORDS = 5
# SQLite's page cache during an import (KiB): index pages of a large table stay in memory
# instead of being read back for every chunk; small enough that importing a million posts
# peaks at about 44 MiB (the target is 50).
IMPORT_CACHE_KIB = 10 * 1024
# Bytes an export spends on a post, at most as a rule: a file's size over this is the fewest
# posts it likely holds (whether a large load of new posts is worth setting indexes aside).
_MAX_ROW_BYTES = 512
# How often a progress callback hears about a file being read, at most.
PROGRESS_EVERY_S = 0.1


class ImportResult(_Slotted):
    """What importing one file did: the format used and how many records were new or changed.

    ``detected`` is False when the format was forced by name. ``skipped_rows`` holds the error
    of each bad row left out (only with ``skip_bad_rows``). ``exported_at`` is the export time
    the source read from the file, else the file's modification time. ``preview`` holds the
    first few records read (:data:`PREVIEW_RECORDS`), for showing what a dry run would import.
    For a member of a zip, ``path`` names it as ``archive.zip, file "member"``.
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
        "preview",
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
        self.preview: list[Record] = []

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
        values["preview"] = [
            {"record": "post" if isinstance(r, PostRecord) else "account", **r.as_dict()}
            for r in self.preview
        ]
        return values


class ImportProgress(_Slotted):
    """How far the import of one file (``path``, as results name it) has got, for a progress
    bar.

    ``source`` is the alias of the source reading it. ``read_bytes`` is how much of the file it
    has read, when the system can tell (see :mod:`smtui.core.read_progress`), else None;
    ``records`` counts what it yielded so far. ``done`` is set once, when the file is finished.
    """

    __slots__ = ("path", "source", "total_bytes", "read_bytes", "records", "done")  # noqa: RUF023

    def __init__(
        self,
        path: str,
        source: str,
        total_bytes: int,
        read_bytes: int | None,
        records: int,
        done: bool,
    ) -> None:
        self.path = path
        self.source = source
        self.total_bytes = total_bytes
        self.read_bytes = read_bytes
        self.records = records
        self.done = done


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
    progress: Callable[[ImportProgress], None] | None = None,
) -> list[ImportResult]:
    """Import every file in ``paths`` (folders are walked, zips opened) in one transaction.

    Each file's format is detected by asking every source in ``sources`` to sniff it, or is
    forced by ``source_name`` (a source's alias or name). A zip no source reads as a whole is
    imported member by member. On any error nothing is written and the error is raised.
    ``dry_run`` does all the work and reports it, then rolls back. Metrics are dated with the
    export time a source reports, else the file's modification time; ``now`` (default: the
    clock) stamps the ``sync_log`` rows. ``progress``, if given, hears how far each file has
    got, a few times a second.
    """
    started = clock.now() if now is None else now
    forced = _choose(sources, source_name) if source_name is not None else None
    results: list[ImportResult] = []
    with ExitStack() as cleanup:
        plan = list(_plan(paths, sources, forced, cleanup))
        try:
            with _bulk_settings(conn), Transaction(conn):
                indexes = SecondaryIndexes(conn)
                for planned in plan:
                    result = ImportResult(
                        planned.label, planned.source.alias, planned.source.name, forced is None
                    )
                    _import_file(conn, planned, result, skip_bad_rows, progress, indexes)
                    finished = clock.now() if now is None else now
                    _log(conn, result, planned.target, started, finished)
                    results.append(result)
                indexes.restore()
                if dry_run:
                    raise _DryRun
        except _DryRun:
            for result in results:
                result.dry_run = True
    return results


class _Planned:
    """A file to import: where to read it, how to name it, which source reads it."""

    __slots__ = ("label", "path", "source", "target")

    def __init__(self, path: str, label: str, target: str, source: DataSource) -> None:
        self.path = path
        self.label = label  # in results and errors: the path, or 'archive.zip, file "member"'
        self.target = target  # in sync_log: the same, with the archive's absolute path
        self.source = source


# Zips inside zips are opened this deep at most (a zip can contain itself).
_MAX_ZIP_DEPTH = 3


def _plan(
    paths: list[str], sources: list[DataSource], forced: DataSource | None, cleanup: ExitStack
) -> Iterator[_Planned]:
    """Each file to import with the source that reads it; zips no source reads are unpacked
    (into a temporary folder ``cleanup`` removes) and their members planned in turn."""
    from smtui.core import archives

    unpacked: list[str] = []

    def folder() -> str:
        if not unpacked:
            import tempfile

            unpacked.append(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="smtui-")))
        return unpacked[0]

    def plan_file(path: str, label: str, target: str, depth: int) -> Iterator[_Planned]:
        head = read_head(path)
        unpackable = depth < _MAX_ZIP_DEPTH and archives.is_plain_zip(head, path)
        if forced is not None:  # the chosen source reads the file, or each file of the zip
            if not unpackable or _sniff(head, path, [forced])[0]:
                yield _Planned(path, label, target, forced)
                return
        else:
            claimed, failures = _sniff(head, path, sources)
            if len(claimed) > 1:
                names = ", ".join(source.alias for source in claimed)
                raise InputError(
                    label,
                    "a file only one format reads",
                    got=f"one that {names} all read",
                    hint="choose the source by name (--source)",
                )
            if claimed:
                yield _Planned(path, label, target, claimed[0])
                return
            if not unpackable:
                raise _unknown_format(label, head, sources, failures)
        into = os.path.join(folder(), str(len(os.listdir(folder()))))
        for member in archives.unpack(path, label, into):
            yield from plan_file(
                member.path,
                archives.member_label(label, member.name),
                archives.member_label(target, member.name),
                depth + 1,
            )

    for path in _files(paths):
        yield from plan_file(path, path, os.path.abspath(path), 0)


@contextmanager
def _bulk_settings(conn: sqlite3.Connection) -> Iterator[None]:
    """A larger page cache, and temporary data in files, while importing; the connection's own
    settings come back afterwards.

    Temporary data stays in the system's file cache all the same; kept in memory instead, the
    sorts that build the indexes after a large load (see ``SecondaryIndexes``) would hold every
    key of a million posts at once (80 MiB instead of 30 on the development machine).
    """
    temp_store = conn.execute("PRAGMA temp_store").fetchone()[0]
    cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute("PRAGMA temp_store = FILE")
    conn.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA temp_store = {int(temp_store)}")
        conn.execute(f"PRAGMA cache_size = {int(cache_size)}")


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


def _sniff(head: bytes, path: str, sources: list[DataSource]) -> tuple[list[DataSource], list[str]]:
    """The sources whose ``sniff`` recognises the file (each asked with a time limit), and
    what those that failed to answer said."""
    from smtui.api import PluginError
    from smtui.plugin_calls import SNIFF_TIMEOUT_S, call_with_timeout, timeout_for

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
    return matches, failures


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
    planned: _Planned,
    result: ImportResult,
    skip_bad_rows: bool,
    progress: Callable[[ImportProgress], None] | None,
    indexes: SecondaryIndexes,
) -> None:
    """Store every record the planned source reads, counting what happened in ``result``."""
    path, source = planned.path, planned.source
    stat = os.stat(path)
    modified = int(stat.st_mtime)
    items = _records(source, path)
    posts = PostWriter(
        conn, source.alias, indexes=indexes, expected_rows=stat.st_size // _MAX_ROW_BYTES
    )
    watch = _Watch(planned, progress) if progress is not None else None
    preview = result.preview
    exported_at = 0
    read = 0
    try:
        for item in items:
            read += 1
            if isinstance(item, PostRecord):
                captured_at = item.captured_at
                if captured_at is None:
                    captured_at = modified
                elif captured_at > exported_at:
                    exported_at = captured_at
                posts.add(item, captured_at)
            elif isinstance(item, InputError):
                if not skip_bad_rows:
                    raise item
                result.skipped_rows.append(_relabelled(item, planned))
                continue
            elif isinstance(item, AccountSnapshotRecord):
                if item.exported_at is not None and item.exported_at > exported_at:
                    exported_at = item.exported_at
                result.count(_store_account_snapshot(conn, item, source.alias))
            else:
                raise TypeError(
                    f"source {source.alias!r} yielded {type(item).__name__}, not a record"
                )
            if len(preview) < PREVIEW_RECORDS:
                preview.append(item)
            if watch is not None and not read & 1023:
                watch.tell(read)
        posts.close()
    except InputError as exc:
        relabelled = _relabelled(exc, planned)
        if relabelled is exc:
            raise
        raise relabelled from exc
    if watch is not None:
        watch.tell(read, done=True)
    result.new += posts.new
    result.updated += posts.updated
    result.unchanged += posts.unchanged
    result.snapshots += posts.snapshots
    # The export time the source read, else the file's time (which dates its metrics too).
    result.exported_at = exported_at or modified


def _records(source: DataSource, path: str) -> Iterator[Record | InputError]:
    """What ``source`` reads from ``path``. A plugin's source reads in a watched thread, so
    one that hangs fails the import instead of freezing it; smtui's own sources read inline,
    which spares a million-row file a million hand-overs between threads."""
    from smtui.plugin_calls import READ_STALL_TIMEOUT_S, iterate_with_timeout, timeout_for

    what = f"source {source.alias!r} reading {os.path.basename(path)}"
    if type(source).__module__.startswith(_BUILTIN_SOURCES):
        return _inline(source, path, what)
    return iterate_with_timeout(
        partial(source.read, path), stall=timeout_for(READ_STALL_TIMEOUT_S), what=what
    )


# Where smtui's own sources are defined (the built-in plugins).
_BUILTIN_SOURCES = "smtui.builtins."


def _inline(source: DataSource, path: str, what: str) -> Iterator[Record | InputError]:
    """``source.read(path)`` in this thread, a crash reported as a plugin thread reports it."""
    from smtui.errors import SmtuiError
    from smtui.plugin_calls import failed

    try:
        yield from source.read(path)
    except SmtuiError:
        raise
    except Exception as exc:
        raise failed(what, exc) from exc


def _relabelled(error: InputError, planned: _Planned) -> InputError:
    """``error`` naming the file as the user knows it (a zip member by archive and name)."""
    if error.file != planned.path or planned.label == planned.path:
        return error
    return InputError(
        planned.label,
        error.expected,
        error.got,
        line=error.line,
        column=error.column,
        hint=error.hint,
    )


class _Watch:
    """Tells a progress callback how far a file has got, at most every PROGRESS_EVERY_S."""

    __slots__ = ("label", "last", "position", "report", "source", "total")

    def __init__(self, planned: _Planned, report: Callable[[ImportProgress], None]) -> None:
        from smtui.core.read_progress import ReadPosition

        self.label = planned.label
        self.source = planned.source.alias
        self.report = report
        self.position = ReadPosition(planned.path)
        self.total = os.path.getsize(planned.path)
        self.last = time.monotonic()
        report(ImportProgress(self.label, self.source, self.total, self.position(), 0, False))

    def tell(self, records: int, *, done: bool = False) -> None:
        now = time.monotonic()
        if not done and now - self.last < PROGRESS_EVERY_S:
            return
        self.last = now
        read = self.total if done else self.position()
        self.report(ImportProgress(self.label, self.source, self.total, read, records, done))


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
            (*key, *counts, extra_json(snapshot.extra), source),
        )
        return NEW
    stored_extra = json.loads(row[3]) if row[3] else {}
    values = (*counts, extra_json({**stored_extra, **snapshot.extra}))
    merged = tuple(new if new is not None else old for new, old in zip(values, row, strict=True))
    if merged == tuple(row):
        return UNCHANGED
    conn.execute(
        "UPDATE account_snapshots SET followers = ?, following = ?, posts = ?, extra = ?,"
        " source = ? WHERE platform = ? AND account = ? AND taken_at = ?",
        (*merged, source, *key),
    )
    return UPDATED


def _log(
    conn: sqlite3.Connection, result: ImportResult, target: str, started: int, finished: int
) -> None:
    """One ``sync_log`` row per file, written in the import's transaction."""
    conn.execute(
        "INSERT INTO sync_log (kind, source, target, started_at, finished_at, status,"
        " exported_at, rows_new, rows_updated, rows_unchanged, rows_skipped)"
        " VALUES ('import', ?, ?, ?, ?, 'ok', ?, ?, ?, ?, ?)",
        (
            result.source,
            target,
            started,
            finished,
            result.exported_at,
            result.new,
            result.updated,
            result.unchanged,
            result.skipped,
        ),
    )
