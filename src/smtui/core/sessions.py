"""Timed sessions: start, pause, resume, stop, cancel, add, edit, delete.

A running session is a row with no end, written the moment it starts, so a crash, a closed
terminal or a reboot never loses it; the database's unique index allows at most one. A pause
is a row too. Every function is one transaction: it either fully happens or not at all.

Lean on purpose (sqlite3 only): ``start``, ``stop``, ``pause`` and ``resume`` are meant to be
as cheap as a bare Python process reading one row.
"""

from __future__ import annotations

import sqlite3

from smtui import clock
from smtui.errors import NotFoundError, StateError, UsageError
from smtui.models import Session
from smtui.store.db import Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

_TAG_SEP = "\x1f"
_SELECT = f"""
SELECT s.id, s.platform, s.intent, s.started_at, s.ended_at, s.timebox_s, s.paused_s,
       (SELECT p.started_at FROM pauses p WHERE p.session_id = s.id AND p.ended_at IS NULL),
       s.note,
       (SELECT group_concat(t.tag, '{_TAG_SEP}') FROM session_tags t WHERE t.session_id = s.id)
FROM sessions s
"""


def _row_to_session(row: tuple[object, ...]) -> Session:
    tags = tuple(sorted(str(row[9]).split(_TAG_SEP))) if row[9] else ()
    return Session(
        id=row[0],  # type: ignore[arg-type]
        platform=row[1],  # type: ignore[arg-type]
        intent=row[2],  # type: ignore[arg-type]
        started_at=row[3],  # type: ignore[arg-type]
        ended_at=row[4],  # type: ignore[arg-type]
        timebox_s=row[5],  # type: ignore[arg-type]
        paused_s=row[6],  # type: ignore[arg-type]
        paused_since=row[7],  # type: ignore[arg-type]
        note=row[8],  # type: ignore[arg-type]
        tags=tags,
    )


def normalise_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Lower-case, ``#``-less, de-duplicated and sorted; commas split one argument into many."""
    out: set[str] = set()
    for raw in tags:
        for part in raw.split(","):
            tag = part.strip().lstrip("#").strip().lower()
            if tag:
                out.add(tag)
    return tuple(sorted(out))


def running(conn: sqlite3.Connection) -> Session | None:
    """The running session, or None."""
    row = conn.execute(_SELECT + " WHERE s.ended_at IS NULL").fetchone()
    return _row_to_session(row) if row else None


def get(conn: sqlite3.Connection, session_id: int) -> Session:
    """The session with this id; :class:`NotFoundError` if there is none."""
    row = conn.execute(_SELECT + " WHERE s.id = ?", (session_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no session #{session_id}", "list them with `smtui sessions list`")
    return _row_to_session(row)


def list_sessions(
    conn: sqlite3.Connection,
    *,
    since: int | None = None,
    until: int | None = None,
    platform: str | None = None,
    limit: int | None = None,
) -> list[Session]:
    """Sessions that overlap ``[since, until)``, newest first."""
    where: list[str] = []
    args: list[object] = []
    if since is not None:
        where.append("(s.ended_at IS NULL OR s.ended_at > ?)")
        args.append(since)
        # Finished sessions never overlap, so none started before the latest finished one
        # started before ``since`` reaches it: a lower bound that keeps the read to the
        # window's sessions (plus the running one, which an edit may have overlapped).
        where.append(
            "(s.started_at >= coalesce((SELECT f.started_at FROM sessions f"
            " WHERE f.started_at < ? AND f.ended_at IS NOT NULL"
            " ORDER BY f.started_at DESC LIMIT 1), ?)"
            " OR s.id = (SELECT r.id FROM sessions r WHERE r.ended_at IS NULL))"
        )
        args.extend((since, since))
    if until is not None:
        where.append("s.started_at < ?")
        args.append(until)
    if platform is not None:
        where.append("s.platform = ?")
        args.append(platform)
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY s.started_at DESC, s.id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    return [_row_to_session(row) for row in conn.execute(sql, args)]


def pauses_of(
    conn: sqlite3.Connection, session_ids: list[int]
) -> list[tuple[int, int, int | None]]:
    """``(session_id, started_at, ended_at)`` of every pause of these sessions, in order."""
    marks = ",".join("?" * len(session_ids))
    rows = conn.execute(
        f"SELECT session_id, started_at, ended_at FROM pauses WHERE session_id IN ({marks})"
        " ORDER BY session_id, started_at",
        session_ids,
    )
    return [(row[0], row[1], row[2]) for row in rows]


def _require_running(conn: sqlite3.Connection, action: str) -> Session:
    session = running(conn)
    if session is None:
        raise StateError(
            f"no session is running to {action}", "start one with `smtui start PLATFORM`"
        )
    return session


def _check_not_future(at: int, now: int, what: str) -> None:
    if at > now:
        raise UsageError(f"the {what} time is in the future", "use a time that has passed")


def _overlapping(
    conn: sqlite3.Connection, start: int, end: int | None, exclude: int | None = None
) -> Session | None:
    """A finished session that overlaps ``[start, end)``; ``end=None`` means open-ended.

    Sessions never overlap each other, so only two rows can matter: the last one starting
    before ``start`` (if it ends after it) and the first one starting inside the span. Both
    are index look-ups, which keeps ``smtui start`` flat however many sessions exist.
    """
    skip = -1 if exclude is None else exclude
    before = conn.execute(
        _SELECT + " WHERE s.started_at < ? AND s.id <> ? ORDER BY s.started_at DESC LIMIT 1",
        (start, skip),
    ).fetchone()
    if before is not None and before[4] is not None and before[4] > start:
        return _row_to_session(before)
    inside_sql = _SELECT + " WHERE s.started_at >= ? AND s.id <> ? AND s.ended_at > ?"
    args: list[object] = [start, skip, start]
    if end is not None:
        inside_sql += " AND s.started_at < ?"
        args.append(end)
    inside = conn.execute(inside_sql + " ORDER BY s.started_at LIMIT 1", args).fetchone()
    return _row_to_session(inside) if inside is not None else None


def _overlap_error(other: Session) -> UsageError:
    import time

    def local(instant: int | None) -> str:
        return (
            "now" if instant is None else time.strftime("%Y-%m-%d %H:%M", time.localtime(instant))
        )

    return UsageError(
        f"that time overlaps session #{other.id} ({other.platform}, "
        f"{local(other.started_at)} to {local(other.ended_at)})",
        "pick a time outside it or edit that session",
    )


def _write_tags(conn: sqlite3.Connection, session_id: int, tags: tuple[str, ...]) -> None:
    conn.execute("DELETE FROM session_tags WHERE session_id = ?", (session_id,))
    conn.executemany(
        "INSERT INTO session_tags (session_id, tag) VALUES (?, ?)",
        [(session_id, tag) for tag in tags],
    )


def start(
    conn: sqlite3.Connection,
    platform: str,
    intent: str = "",
    *,
    at: int | None = None,
    timebox_s: int | None = None,
    tags: Iterable[str] = (),
    note: str = "",
) -> Session:
    """Start a session now (or at ``at``); it is in the database before this returns."""
    now = clock.now()
    started_at = now if at is None else at
    _check_not_future(started_at, now, "start")
    platform = platform.strip().lower()
    if not platform:
        raise UsageError("a platform is needed", "e.g. `smtui start linkedin prospecting`")
    if timebox_s is not None and timebox_s <= 0:
        raise UsageError("the timebox must be more than zero")
    clean_tags = normalise_tags(tags)
    with Transaction(conn):
        current = running(conn)
        if current is not None:
            raise StateError(
                f"session #{current.id} ({current.platform}) is already running",
                "stop it with `smtui stop` or drop it with `smtui cancel`",
            )
        other = _overlapping(conn, started_at, None)
        if other is not None:
            raise _overlap_error(other)
        try:
            cursor = conn.execute(
                "INSERT INTO sessions (platform, intent, started_at, timebox_s, note,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (platform, intent.strip(), started_at, timebox_s, note, now, now),
            )
        except sqlite3.IntegrityError as exc:  # another process won the race
            raise StateError("another session started at the same moment") from exc
        session_id = int(cursor.lastrowid or 0)
        if clean_tags:
            _write_tags(conn, session_id, clean_tags)
    return Session(
        session_id,
        platform,
        intent.strip(),
        started_at,
        timebox_s=timebox_s,
        note=note,
        tags=clean_tags,
    )


def pause(conn: sqlite3.Connection, *, at: int | None = None) -> Session:
    """Pause the running session (the clock stops counting until resume)."""
    now = clock.now()
    when = now if at is None else at
    _check_not_future(when, now, "pause")
    with Transaction(conn):
        session = _require_running(conn, "pause")
        if session.paused_since is not None:
            raise StateError(
                f"session #{session.id} is already paused", "resume it with `smtui resume`"
            )
        if when < session.started_at:
            raise UsageError("the pause time is before the session started")
        conn.execute(
            "INSERT INTO pauses (session_id, started_at) VALUES (?, ?)", (session.id, when)
        )
        conn.execute("UPDATE sessions SET updated_at = ? WHERE id = ?", (now, session.id))
    session.paused_since = when
    return session


def _close_pause(conn: sqlite3.Connection, session: Session, when: int) -> None:
    """End the open pause at ``when`` and fold its length into ``paused_s``."""
    assert session.paused_since is not None
    if when < session.paused_since:
        raise UsageError("that time is before the pause started")
    conn.execute(
        "UPDATE pauses SET ended_at = ? WHERE session_id = ? AND ended_at IS NULL",
        (when, session.id),
    )
    session.paused_s += when - session.paused_since
    session.paused_since = None
    conn.execute("UPDATE sessions SET paused_s = ? WHERE id = ?", (session.paused_s, session.id))


def resume(conn: sqlite3.Connection, *, at: int | None = None) -> Session:
    """Resume the paused running session."""
    now = clock.now()
    when = now if at is None else at
    _check_not_future(when, now, "resume")
    with Transaction(conn):
        session = _require_running(conn, "resume")
        if session.paused_since is None:
            raise StateError(f"session #{session.id} is not paused")
        _close_pause(conn, session, when)
        conn.execute("UPDATE sessions SET updated_at = ? WHERE id = ?", (now, session.id))
    return session


def stop(
    conn: sqlite3.Connection,
    *,
    at: int | None = None,
    note: str | None = None,
    outcome_kinds: Iterable[str] = (),
) -> Session:
    """Stop the running session, optionally recording outcomes (one each) and a note.

    A session stopped with no outcome at all is playtime; that is shown, never hidden.
    """
    now = clock.now()
    when = now if at is None else at
    _check_not_future(when, now, "stop")
    with Transaction(conn):
        session = _require_running(conn, "stop")
        if when < session.started_at:
            raise UsageError("the stop time is before the session started")
        if session.paused_since is not None:
            _close_pause(conn, session, max(when, session.paused_since))
        if note:
            session.note = f"{session.note}\n{note}".strip() if session.note else note
        conn.execute(
            "UPDATE sessions SET ended_at = ?, note = ?, updated_at = ? WHERE id = ?",
            (when, session.note, now, session.id),
        )
        session.ended_at = when
        if outcome_kinds:
            from smtui.core import outcomes

            for kind in outcome_kinds:
                outcomes.insert(
                    conn, kind, session_id=session.id, platform=session.platform, at=when
                )
    return session


def cancel(conn: sqlite3.Connection) -> Session:
    """Drop the running session as if it never happened.

    Outcomes already logged during it are kept, detached from any session: what a user
    recorded is never thrown away silently.
    """
    with Transaction(conn):
        session = _require_running(conn, "cancel")
        conn.execute("DELETE FROM sessions WHERE id = ?", (session.id,))
    return session


def add(
    conn: sqlite3.Connection,
    platform: str,
    intent: str,
    started_at: int,
    ended_at: int,
    *,
    timebox_s: int | None = None,
    tags: Iterable[str] = (),
    note: str = "",
) -> Session:
    """Record a past session that was not timed live."""
    now = clock.now()
    _check_not_future(ended_at, now, "end")
    if ended_at <= started_at:
        raise UsageError("the session must end after it starts")
    platform = platform.strip().lower()
    if not platform:
        raise UsageError("a platform is needed")
    clean_tags = normalise_tags(tags)
    with Transaction(conn):
        other = _overlapping(conn, started_at, ended_at)
        current = running(conn)
        if other is None and current is not None and ended_at > current.started_at:
            other = current
        if other is not None:
            raise _overlap_error(other)
        cursor = conn.execute(
            "INSERT INTO sessions (platform, intent, started_at, ended_at, timebox_s, note,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (platform, intent.strip(), started_at, ended_at, timebox_s, note, now, now),
        )
        session_id = int(cursor.lastrowid or 0)
        if clean_tags:
            _write_tags(conn, session_id, clean_tags)
    return get(conn, session_id)


_UNSET = object()


def edit(
    conn: sqlite3.Connection,
    session_id: int,
    *,
    platform: str | None = None,
    intent: str | None = None,
    started_at: int | None = None,
    ended_at: int | None = None,
    timebox_s: int | object | None = _UNSET,
    note: str | None = None,
    tags: Iterable[str] | None = None,
) -> Session:
    """Change fields of a session; pauses are clipped to its new span."""
    now = clock.now()
    with Transaction(conn):
        session = get(conn, session_id)
        new_start = session.started_at if started_at is None else started_at
        if ended_at is not None and session.ended_at is None:
            raise StateError(
                f"session #{session_id} is still running", "stop it with `smtui stop --at TIME`"
            )
        new_end = session.ended_at if ended_at is None else ended_at
        _check_not_future(new_start, now, "start")
        if new_end is not None:
            _check_not_future(new_end, now, "end")
            if new_end <= new_start:
                raise UsageError("the session must end after it starts")
        other = _overlapping(conn, new_start, new_end, exclude=session_id)
        if other is not None:
            raise _overlap_error(other)
        if platform is not None:
            session.platform = platform.strip().lower()
            if not session.platform:
                raise UsageError("a platform is needed")
        if intent is not None:
            session.intent = intent.strip()
        if note is not None:
            session.note = note
        if timebox_s is not _UNSET:
            session.timebox_s = timebox_s  # type: ignore[assignment]
        if new_start != session.started_at or new_end != session.ended_at:
            _clip_pauses(conn, session_id, new_start, new_end)
        paused_s = conn.execute(
            "SELECT coalesce(sum(ended_at - started_at), 0) FROM pauses"
            " WHERE session_id = ? AND ended_at IS NOT NULL",
            (session_id,),
        ).fetchone()[0]
        conn.execute(
            "UPDATE sessions SET platform = ?, intent = ?, started_at = ?, ended_at = ?,"
            " timebox_s = ?, note = ?, paused_s = ?, updated_at = ? WHERE id = ?",
            (
                session.platform,
                session.intent,
                new_start,
                new_end,
                session.timebox_s,
                session.note,
                paused_s,
                now,
                session_id,
            ),
        )
        if tags is not None:
            _write_tags(conn, session_id, normalise_tags(tags))
    return get(conn, session_id)


def _clip_pauses(conn: sqlite3.Connection, session_id: int, start: int, end: int | None) -> None:
    """Keep pauses inside ``[start, end]`` after the session's span changed."""
    conn.execute(
        "DELETE FROM pauses WHERE session_id = ? AND (ended_at <= ? OR started_at >= ?)",
        (session_id, start, end if end is not None else 2**62),
    )
    conn.execute(
        "UPDATE pauses SET started_at = max(started_at, ?) WHERE session_id = ?",
        (start, session_id),
    )
    if end is not None:
        conn.execute(
            "UPDATE pauses SET ended_at = min(coalesce(ended_at, ?), ?) WHERE session_id = ?",
            (end, end, session_id),
        )


def delete(conn: sqlite3.Connection, session_id: int) -> Session:
    """Delete a session and its pauses; its outcomes stay, detached."""
    with Transaction(conn):
        session = get(conn, session_id)
        conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
    return session
