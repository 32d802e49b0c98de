"""The sums the built-in strategies score are the same whether read from the summary tables
(``load_totals``) or added up from the window's rows (``totals_of``), for any window."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smtui import clock
from smtui.core import outcomes, score, sessions
from smtui.core.score_totals import (
    FINISHED,
    LOOSE,
    NEEDS_POSTS,
    NEEDS_REACH,
    RUNNING,
    WindowTotals,
    totals_of,
)
from smtui.store.db import Transaction, connect

if TYPE_CHECKING:
    from pathlib import Path

M = 60
B = 1_772_600_400  # 2026-03-04 05:00 UTC: windows reach back before it and days past it
NOW = B + 3300 * M
NEEDS = frozenset({NEEDS_POSTS, NEEDS_REACH})


def fill(conn: sqlite3.Connection) -> None:
    """Sessions crossing every kind of edge, pauses, outcomes logged late or loose, posts."""
    clock.freeze(NOW)
    at = lambda minutes: B + minutes * M  # noqa: E731
    s1 = sessions.add(conn, "x", "prospecting", at(0), at(60))
    s2 = sessions.add(conn, "linkedin", "content", at(90), at(150))
    s3 = sessions.add(conn, "bluesky", "engagement", at(200), at(300))
    s4 = sessions.add(conn, "linkedin", "networking", at(400), at(3000))
    sessions.add(conn, "x", "listening", at(3100), at(3130))
    with Transaction(conn):
        conn.executemany(
            "INSERT INTO pauses (session_id, started_at, ended_at) VALUES (?, ?, ?)",
            [(s1.id, at(10), at(20)), (s3.id, at(250), at(260)), (s4.id, at(1400), at(1500))],
        )
        conn.executemany(
            "UPDATE sessions SET paused_s = ? WHERE id = ?",
            [(600, s1.id), (600, s3.id), (6000, s4.id)],
        )
    outcomes.log(conn, "lead", session=s1.id, at=at(30))
    outcomes.log(conn, "lead", session=s1.id, at=at(3150))  # logged long after
    outcomes.log(conn, "moved_off_social", session=s3.id, at=at(220))
    outcomes.log(conn, "deal", session=s3.id, at=at(310), amount_minor=50_000, currency="EUR")
    outcomes.log(conn, "trust_built", session=s4.id, at=at(420))
    outcomes.log(conn, "lead", session=None, at=at(170))
    outcomes.log(conn, "deal", session=None, at=at(350), amount_minor=7_000, currency="USD")
    assert s2.id
    sessions.start(conn, "linkedin", "prospecting", at=at(3200))
    outcomes.log(conn, "lead", at=at(3210))
    sessions.pause(conn, at=at(3250))
    posts = [
        ("a", "x", at(5), 1000, 40, 600, 10),
        ("b", "x", at(95), None, 7, None, None),
        ("c", "linkedin", at(205), 0, 3, 0, 1),
        ("d", "linkedin", at(1800), 5000, None, 4000, 50),
        ("e", "bluesky", at(3120), 300, 30, 250, 5),
    ]
    with Transaction(conn):
        conn.executemany(
            "INSERT INTO posts (external_id, platform, published_at, impressions, engagements,"
            " reach, likes) VALUES (?, ?, ?, ?, ?, ?, ?)",
            posts,
        )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    path: Path = tmp_path_factory.mktemp("totals") / "t.db"
    conn = connect(str(path))
    fill(conn)
    clock.freeze(None)
    return conn


def both(conn: sqlite3.Connection, start: int, end: int) -> tuple[WindowTotals, WindowTotals]:
    window = score.build_window(conn, start, end, NOW)
    return totals_of(window, NEEDS), score.load_totals(conn, start, end, NOW, NEEDS)


def comparable(totals: WindowTotals) -> dict[str, object]:
    """The totals without empty entries (a platform with no post in a bucket read as 0)."""
    data = totals.as_dict()
    data["time"] = {key: value for key, value in totals.time.items() if value != (0, 0)}
    return data


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (B - 100 * M, B + 4000 * M),  # everything
        (B + 30 * M, B + 250 * M),  # s1 and s3 cut, their pauses too
        (B + 15 * M, B + 1450 * M),  # starts inside s1's pause, ends inside s4's
        (B + 3140 * M, B + 3300 * M),  # the late loose-to-this-window lead, the running one
        (B + 500 * M, B + 600 * M),  # inside one long session
        (B + 3300 * M, B + 3400 * M),  # from now on: the running session is not in it yet
    ],
)
def test_both_ways_agree_on_chosen_windows(store: sqlite3.Connection, start: int, end: int) -> None:
    from_rows, from_tables = both(store, start, end)
    assert comparable(from_tables) == comparable(from_rows)


def test_where_outcomes_belong(store: sqlite3.Connection) -> None:
    totals = score.load_totals(store, B + 3140 * M, B + 3300 * M, NOW)
    # s1's late lead occurred here but its session is outside: loose; the running one's lead.
    assert totals.outcomes == {("lead", LOOSE): 1, ("lead", RUNNING): 1}
    everything = score.load_totals(store, B - 100 * M, B + 4000 * M, NOW)
    assert everything.outcome_count(FINISHED) == 5
    assert everything.outcome_count(LOOSE) == 2
    assert everything.revenue == {"EUR": (1, 50_000), "USD": (1, 7_000)}


def test_the_running_session_counts_to_now_without_its_open_pause(
    store: sqlite3.Connection,
) -> None:
    totals = score.load_totals(store, B + 3140 * M, B + 3400 * M, NOW)
    assert totals.time[("linkedin", RUNNING)] == (1, 50 * M)  # 3200 to the pause at 3250


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.integers(min_value=-120, max_value=3400),
    length=st.integers(min_value=1, max_value=3600),
)
def test_both_ways_agree_on_any_window(store: sqlite3.Connection, start: int, length: int) -> None:
    begin = B + start * M
    from_rows, from_tables = both(store, begin, begin + length * M)
    assert comparable(from_tables) == comparable(from_rows)
