"""Time split: sessions and pauses clipped to a window, a running session up to now."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

from smtui import clock
from smtui.core import outcomes, sessions
from smtui.core.summary import TimeSplit, split_by_platform, time_split
from smtui.store.db import Transaction

if TYPE_CHECKING:
    import sqlite3

B = 1_800_000_000
M = 60
H = 3600
NOW = B + 5 * H + 30 * M


@pytest.fixture
def day(conn: sqlite3.Connection) -> sqlite3.Connection:
    """S1 linkedin B..B+2h, paused 30m-45m, with an outcome (productive);
    S2 x B+3h..B+4h, no outcome (playtime);
    S3 bluesky running since B+5h, paused since B+5h20m; now is B+5h30m."""
    clock.freeze(NOW)
    sessions.start(conn, "linkedin", "prospecting", at=B)
    sessions.pause(conn, at=B + 30 * M)
    sessions.resume(conn, at=B + 45 * M)
    outcomes.log(conn, "lead", at=B + H)
    sessions.stop(conn, at=B + 2 * H)
    sessions.add(conn, "x", "engagement", B + 3 * H, B + 4 * H)
    sessions.start(conn, "bluesky", "content", at=B + 5 * H)
    sessions.pause(conn, at=B + 5 * H + 20 * M)
    return conn


def parts(split: TimeSplit) -> tuple[int, int, int, int, int]:
    return (split.productive_s, split.playtime_s, split.running_s, split.total_s, split.sessions)


def test_whole_day(day: sqlite3.Connection) -> None:
    split = time_split(day, B - H, B + 6 * H, NOW)
    # S1: 2h - 15m pause = 6300; S2: 3600; S3: 30m - 10m open pause = 1200.
    assert parts(split) == (6300, 3600, 1200, 11100, 3)


def test_window_clips_sessions_and_the_running_one(day: sqlite3.Connection) -> None:
    split = time_split(day, B + H, B + 5 * H + 25 * M, NOW)
    # S1 from B+1h: 3600 (its pause is before the window); S2: 3600;
    # S3 B+5h..B+5h25m = 1500 minus the open pause from 5h20m clipped to 5h25m = 300.
    assert parts(split) == (3600, 3600, 1200, 8400, 3)


def test_pause_clipped_to_window(day: sqlite3.Connection) -> None:
    # Window 40m..60m inside S1; its pause 30m..45m overlaps it by 5 minutes.
    assert parts(time_split(day, B + 40 * M, B + H, NOW)) == (900, 0, 0, 900, 1)
    # Window 35m..50m: 15m window, 10m of it paused.
    assert parts(time_split(day, B + 35 * M, B + 50 * M, NOW)) == (300, 0, 0, 300, 1)


def test_gap_between_sessions_is_empty(day: sqlite3.Connection) -> None:
    # S1 ends exactly at B+2h and S2 starts exactly at B+3h: neither touches [2h, 3h).
    assert parts(time_split(day, B + 2 * H, B + 3 * H, NOW)) == (0, 0, 0, 0, 0)
    assert parts(time_split(day, B - 5 * H, B, NOW)) == (0, 0, 0, 0, 0)
    assert parts(time_split(day, B + H, B + H, NOW)) == (0, 0, 0, 0, 0)


def test_running_session_window_in_the_future_of_now(day: sqlite3.Connection) -> None:
    # The running session counts only up to now, even if the window reaches further.
    split = time_split(day, B + 5 * H, B + 9 * H, NOW)
    assert parts(split) == (0, 0, 1200, 1200, 1)


def test_split_by_platform(day: sqlite3.Connection) -> None:
    splits = split_by_platform(day, B - H, B + 6 * H, NOW)
    assert sorted(splits) == ["bluesky", "linkedin", "x"]
    assert parts(splits["linkedin"]) == (6300, 0, 0, 6300, 1)
    assert parts(splits["x"]) == (0, 3600, 0, 3600, 1)
    assert parts(splits["bluesky"]) == (0, 0, 1200, 1200, 1)
    assert splits["linkedin"].productive_share == 1.0
    assert splits["x"].productive_share == 0.0
    assert splits["bluesky"].productive_share is None


def test_productive_share() -> None:
    assert TimeSplit(productive_s=3000, playtime_s=1000, running_s=500).productive_share == 0.75
    assert TimeSplit().productive_share is None


def test_outcome_without_session_does_not_make_time_productive(conn: sqlite3.Connection) -> None:
    clock.freeze(B + 2 * H)
    sessions.add(conn, "x", "", B, B + H)
    outcomes.log(conn, "lead", session=None, at=B + 30 * M, platform="x")
    assert parts(time_split(conn, B, B + H, B + 2 * H)) == (0, 3600, 0, 3600, 1)


def _fill_history(conn: sqlite3.Connection, count: int) -> None:
    """Session i runs [B + i h, B + i h + 30m); every even one has an outcome."""
    with Transaction(conn):
        conn.executemany(
            "INSERT INTO sessions (id, platform, started_at, ended_at, created_at, updated_at)"
            " VALUES (?, 'linkedin', ?, ?, 0, 0)",
            ((i + 1, B + i * H, B + i * H + 30 * M) for i in range(count)),
        )
        conn.executemany(
            "INSERT INTO outcomes (session_id, kind, occurred_at, created_at)"
            " VALUES (?, 'lead', ?, 0)",
            ((i + 1, B + i * H) for i in range(0, count, 2)),
        )


@pytest.mark.slow
def test_fast_with_100000_sessions(conn: sqlite3.Connection) -> None:
    _fill_history(conn, 100_000)
    start, end = B + 50_000 * H + 15 * M, B + 50_010 * H + 15 * M
    now = B + 200_000 * H
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    began = time.perf_counter()
    split = time_split(conn, start, end, now)
    elapsed = time.perf_counter() - began
    conn.set_trace_callback(None)
    # No statement walks the sessions table or the open-ended started_at index: the window
    # is read from the summary table, its edges by id or by a bounded index range.
    for statement in statements:
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + statement)]
        assert not any(step in ("SCAN s", "SCAN sessions", "SCAN c") for step in plan), plan
    # Sessions 50000..50010 touch the window: the first and last by 15 minutes each, the nine
    # in between fully (30m). Even ones are productive: 50000 (15m), 50002..50008 (4 x 30m),
    # 50010 (15m) = 9000 s; odd ones 50001..50009 (5 x 30m) = 9000 s.
    assert parts(split) == (9000, 9000, 0, 18000, 11)
    assert elapsed < 0.05


def test_running_session_found_even_if_a_later_finished_one_overlaps_it(
    conn: sqlite3.Connection,
) -> None:
    # Editing a finished session can move it inside the running one; the running session
    # must still count although it is not the latest session started before the window.
    with Transaction(conn):
        conn.execute(
            "INSERT INTO sessions (platform, started_at, ended_at, created_at, updated_at)"
            " VALUES ('linkedin', ?, NULL, 0, 0), ('x', ?, ?, 0, 0)",
            (B, B + H, B + 2 * H),
        )
    split = time_split(conn, B + 3 * H, B + 4 * H, B + 4 * H)
    assert parts(split) == (0, 0, 3600, 3600, 1)
