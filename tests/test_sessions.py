"""Sessions in the store: lifecycle, pauses, overlap rules and the one-running invariant."""

from __future__ import annotations

import sqlite3

import pytest

from smtui import clock
from smtui.core import outcomes, sessions
from smtui.errors import NotFoundError, StateError, UsageError

from .conftest import T0


def test_start_is_stored_immediately_and_read_back(conn: sqlite3.Connection, frozen: int) -> None:
    started = sessions.start(
        conn, "LinkedIn", "prospecting", timebox_s=1500, tags=["#Leads", "b2b,leads"]
    )
    other = sqlite3.connect(conn.execute("PRAGMA database_list").fetchone()[2])
    row = other.execute(
        "SELECT platform, intent, started_at, ended_at, timebox_s FROM sessions"
    ).fetchone()
    assert row == ("linkedin", "prospecting", T0, None, 1500)
    assert sessions.running(conn) == started
    assert started.tags == ("b2b", "leads")


def test_only_one_session_can_run(conn: sqlite3.Connection, frozen: int) -> None:
    sessions.start(conn, "x")
    with pytest.raises(StateError, match="already running"):
        sessions.start(conn, "bluesky")


def test_database_itself_refuses_a_second_running_session(conn: sqlite3.Connection) -> None:
    insert = (
        "INSERT INTO sessions (platform, started_at, created_at, updated_at) VALUES ('x', ?, 0, 0)"
    )
    conn.execute(insert, (100,))
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(insert, (200,))


def test_pause_resume_and_stop_count_only_active_time(
    conn: sqlite3.Connection, frozen: int
) -> None:
    sessions.start(conn, "linkedin", "content")
    clock.freeze(T0 + 600)
    sessions.pause(conn)
    with pytest.raises(StateError, match="already paused"):
        sessions.pause(conn)
    clock.freeze(T0 + 900)
    paused = sessions.running(conn)
    assert paused is not None and paused.paused and paused.active_seconds(T0 + 900) == 600
    sessions.resume(conn)
    clock.freeze(T0 + 1500)
    stopped = sessions.stop(conn)
    assert stopped.ended_at == T0 + 1500
    assert stopped.paused_s == 300
    assert stopped.active_seconds(T0 + 99999) == 1200
    assert conn.execute("SELECT started_at, ended_at FROM pauses").fetchall() == [
        (T0 + 600, T0 + 900)
    ]


def test_stop_while_paused_closes_the_pause(conn: sqlite3.Connection, frozen: int) -> None:
    sessions.start(conn, "x")
    clock.freeze(T0 + 100)
    sessions.pause(conn)
    clock.freeze(T0 + 400)
    stopped = sessions.stop(conn)
    assert stopped.paused_s == 300
    assert stopped.active_seconds(T0 + 400) == 100
    assert conn.execute("SELECT count(*) FROM pauses WHERE ended_at IS NULL").fetchone()[0] == 0


def test_stop_with_outcomes_records_them_in_the_same_transaction(
    conn: sqlite3.Connection, frozen: int
) -> None:
    session = sessions.start(conn, "bluesky")
    clock.freeze(T0 + 60)
    sessions.stop(conn, outcome_kinds=["lead", "trust_built"], note="good thread")
    found = outcomes.list_outcomes(conn, session_id=session.id)
    assert sorted(o.kind for o in found) == ["lead", "trust_built"]
    assert all(o.platform == "bluesky" and o.occurred_at == T0 + 60 for o in found)
    assert sessions.get(conn, session.id).note == "good thread"


def test_nothing_to_stop_pause_or_resume(conn: sqlite3.Connection) -> None:
    for action in (sessions.stop, sessions.pause, sessions.resume, sessions.cancel):
        with pytest.raises(StateError, match="no session is running"):
            action(conn)


def test_resume_when_not_paused(conn: sqlite3.Connection, frozen: int) -> None:
    sessions.start(conn, "x")
    with pytest.raises(StateError, match="not paused"):
        sessions.resume(conn)


def test_cancel_drops_session_but_keeps_outcomes(conn: sqlite3.Connection, frozen: int) -> None:
    sessions.start(conn, "x")
    outcomes.log(conn, "lead")
    sessions.cancel(conn)
    assert sessions.running(conn) is None
    assert conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
    kept = outcomes.list_outcomes(conn)
    assert [(o.kind, o.session_id) for o in kept] == [("lead", None)]


def test_backdated_start_and_future_refused(conn: sqlite3.Connection, frozen: int) -> None:
    with pytest.raises(UsageError, match="future"):
        sessions.start(conn, "x", at=T0 + 1)
    session = sessions.start(conn, "x", at=T0 - 1200)
    assert session.active_seconds(T0) == 1200


def test_overlaps_are_refused(conn: sqlite3.Connection, frozen: int) -> None:
    sessions.add(conn, "x", "", T0 - 3600, T0 - 1800)
    with pytest.raises(UsageError, match="overlaps session #1"):
        sessions.start(conn, "x", at=T0 - 2000)
    with pytest.raises(UsageError, match="overlaps"):
        sessions.add(conn, "x", "", T0 - 4000, T0 - 3000)
    with pytest.raises(UsageError, match="overlaps"):
        sessions.add(conn, "x", "", T0 - 7200, T0 - 100)
    # Touching end to start is not an overlap.
    sessions.add(conn, "x", "", T0 - 1800, T0 - 900)
    sessions.start(conn, "x", at=T0 - 900)


def test_add_refuses_overlap_with_running_session(conn: sqlite3.Connection, frozen: int) -> None:
    sessions.start(conn, "x", at=T0 - 600)
    with pytest.raises(UsageError, match="overlaps"):
        sessions.add(conn, "x", "", T0 - 900, T0 - 300)


def test_add_validates_span(conn: sqlite3.Connection, frozen: int) -> None:
    with pytest.raises(UsageError, match="end after it starts"):
        sessions.add(conn, "x", "", T0 - 100, T0 - 100)
    with pytest.raises(UsageError, match="future"):
        sessions.add(conn, "x", "", T0 - 100, T0 + 100)


def test_edit_changes_fields_and_clips_pauses(conn: sqlite3.Connection, frozen: int) -> None:
    sessions.start(conn, "x", at=T0 - 3600)
    clock.freeze(T0 - 3000)
    sessions.pause(conn)
    clock.freeze(T0 - 2400)
    sessions.resume(conn)
    clock.freeze(T0)
    stopped = sessions.stop(conn)
    assert stopped.paused_s == 600
    edited = sessions.edit(
        conn,
        stopped.id,
        started_at=T0 - 2700,
        platform="Bluesky",
        intent="learning",
        tags=["a"],
        timebox_s=900,
    )
    assert (edited.platform, edited.intent, edited.tags, edited.timebox_s) == (
        "bluesky",
        "learning",
        ("a",),
        900,
    )
    assert edited.paused_s == 300  # the pause now starts where the session does
    assert edited.active_seconds(T0) == 2400
    with pytest.raises(UsageError, match="end after it starts"):
        sessions.edit(conn, stopped.id, ended_at=T0 - 2800)


def test_edit_end_of_running_session_is_refused(conn: sqlite3.Connection, frozen: int) -> None:
    session = sessions.start(conn, "x", at=T0 - 100)
    with pytest.raises(StateError, match="still running"):
        sessions.edit(conn, session.id, ended_at=T0)


def test_delete_keeps_outcomes_detached(conn: sqlite3.Connection, frozen: int) -> None:
    session = sessions.add(conn, "x", "", T0 - 100, T0 - 50)
    outcomes.log(conn, "lead", session=session.id)
    sessions.delete(conn, session.id)
    with pytest.raises(NotFoundError):
        sessions.get(conn, session.id)
    assert [o.session_id for o in outcomes.list_outcomes(conn)] == [None]


def test_list_sessions_filters_by_window_and_platform(
    conn: sqlite3.Connection, frozen: int
) -> None:
    a = sessions.add(conn, "x", "", T0 - 7200, T0 - 6000)
    b = sessions.add(conn, "linkedin", "", T0 - 3600, T0 - 3000)
    c = sessions.start(conn, "x", at=T0 - 600)
    assert [s.id for s in sessions.list_sessions(conn)] == [c.id, b.id, a.id]
    assert [s.id for s in sessions.list_sessions(conn, since=T0 - 3100)] == [c.id, b.id]
    assert [s.id for s in sessions.list_sessions(conn, until=T0 - 3600)] == [a.id]
    assert [s.id for s in sessions.list_sessions(conn, platform="x", limit=1)] == [c.id]


def test_a_failed_action_changes_nothing(conn: sqlite3.Connection, frozen: int) -> None:
    sessions.start(conn, "x")
    before = list(conn.iterdump())
    with pytest.raises(StateError):
        sessions.start(conn, "linkedin")
    with pytest.raises(UsageError):
        sessions.stop(conn, at=T0 - 10)
    assert list(conn.iterdump()) == before
