"""The summary tables (schema v4): kept right by triggers, and read back exactly.

Every figure read through ``session_totals`` and ``post_totals`` is checked against the plain
query over the rows (the one smtui used before v4), on the demo's history and after every kind
of write, for local days, weeks, months and odd windows in zones whole hours, half hours and
three quarters of an hour away from UTC.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import date, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from smtui import clock
from smtui.core import demo, measures, outcomes, sessions
from smtui.core.periods import local_midnight, period_bounds
from smtui.core.summary import _split_rows
from smtui.core.totals import (
    POST_SUM_COLUMNS,
    SPANS,
    pieces,
    post_sums,
    post_totals_suspended,
)
from smtui.store import migrations
from smtui.store.db import Transaction, connect

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

H = 3600
DAY = 86_400
# 2026-03-04 10:00 UTC; the demo's history ends here.
NOW = 1772618400
TODAY = date(2026, 3, 4)
BERLIN = ZoneInfo("Europe/Berlin")
ZONES = ("UTC", "Europe/Berlin", "Asia/Kolkata", "Asia/Kathmandu", "America/New_York")

# The time split as one plain query over the rows: smtui's implementation before v4, kept here
# as the reference the summary-based one must match.
REFERENCE_SPLIT_SQL = """
WITH bound AS (
    SELECT coalesce(
        (SELECT max(started_at) FROM sessions WHERE started_at < :start), :start
    ) AS lo
),
candidates AS (
    SELECT s.id, s.platform, s.started_at, s.ended_at FROM sessions s, bound
    WHERE s.started_at >= bound.lo AND s.started_at < :end
    UNION ALL
    SELECT s.id, s.platform, s.started_at, s.ended_at FROM sessions s, bound
    WHERE s.ended_at IS NULL AND +s.started_at < bound.lo
),
clipped AS (
    SELECT c.id, c.platform,
           max(c.started_at, :start) AS a,
           min(coalesce(c.ended_at, :now), :end) AS b,
           CASE
               WHEN c.ended_at IS NULL THEN 'running'
               WHEN EXISTS (SELECT 1 FROM outcomes o WHERE o.session_id = c.id) THEN 'productive'
               ELSE 'playtime'
           END AS status
    FROM candidates c
    WHERE c.started_at >= :start OR coalesce(c.ended_at, :now) > :start
),
active AS (
    SELECT k.platform, k.status,
           max(0, k.b - k.a) - coalesce((
               SELECT sum(max(0, min(coalesce(p.ended_at, :now), k.b) - max(p.started_at, k.a)))
               FROM pauses p
               WHERE p.session_id = k.id AND p.started_at < k.b
           ), 0) AS active_s
    FROM clipped k
)
SELECT platform, status, count(*), coalesce(sum(max(0, active_s)), 0)
FROM active
GROUP BY platform, status
"""

REFERENCE_POSTS = {
    **{column: f"sum({column})" for column in POST_SUM_COLUMNS},
    "posts": "count(*)",
    "with_impressions": "count(impressions)",
    "with_engagements": "count(engagements)",
    "rated_posts": "sum(engagements IS NOT NULL AND impressions > 0)",
    "rated_engagements": (
        "sum(CASE WHEN engagements IS NOT NULL AND impressions > 0 THEN engagements END)"
    ),
    "rated_impressions": (
        "sum(CASE WHEN engagements IS NOT NULL AND impressions > 0 THEN impressions END)"
    ),
}


def reference_split(conn: sqlite3.Connection, start: int, end: int, now: int) -> set[tuple]:
    params = {"start": start, "end": end, "now": now}
    return {tuple(row) for row in conn.execute(REFERENCE_SPLIT_SQL, params)}


def reference_posts(
    conn: sqlite3.Connection, start: int, end: int, platform: str | None = None
) -> dict[str, dict[str, int]]:
    sums = ", ".join(REFERENCE_POSTS[column] for column in POST_SUM_COLUMNS)
    rows = conn.execute(
        f"SELECT platform, {sums} FROM posts WHERE published_at >= ? AND published_at < ?"
        " AND (? IS NULL OR platform = ?) GROUP BY platform",
        (start, end, platform, platform),
    )
    return {
        row[0]: {
            column: int(value or 0) for column, value in zip(POST_SUM_COLUMNS, row[1:], strict=True)
        }
        for row in rows
    }


def summed_posts(
    conn: sqlite3.Connection, start: int, end: int, platform: str | None = None
) -> dict[str, dict[str, int]]:
    found = post_sums(conn, [(start, end)], platform=platform)
    return {key[1]: sums for key, sums in found.items()}


def windows(zone_name: str, rng: random.Random) -> Iterator[tuple[int, int]]:
    """Local days, weeks, months, quarters of the history, and odd windows."""
    zone = ZoneInfo(zone_name)
    for back in range(0, 95, 3):
        day = TODAY - timedelta(days=back)
        yield local_midnight(day, zone), local_midnight(day + timedelta(days=1), zone)
    for period in ("week", "month", "quarter"):
        for back in (0, 40, 80):
            yield period_bounds(period, NOW - back * DAY, zone)
    for _ in range(25):
        start = NOW - rng.randrange(95 * DAY)
        yield start, start + rng.randrange(1, 20 * DAY)
    yield NOW - 10 * DAY, NOW + DAY  # past the present
    yield NOW - 30, NOW + 30


def expected_session_totals(conn: sqlite3.Connection) -> set[tuple]:
    """What session_totals must hold: the finished sessions, grouped from scratch."""
    rows: set[tuple] = set()
    for span in SPANS:
        rows |= {
            tuple(row)
            for row in conn.execute(
                f"SELECT {span}, s.started_at - ((s.started_at % {span}) + {span}) % {span},"
                " s.platform, EXISTS (SELECT 1 FROM outcomes o WHERE o.session_id = s.id),"
                " count(*), sum(max(0, s.ended_at - s.started_at - s.paused_s))"
                " FROM sessions s WHERE s.ended_at IS NOT NULL GROUP BY 2, 3, 4"
            )
        }
    return rows


def expected_post_totals(conn: sqlite3.Connection) -> set[tuple]:
    rows: set[tuple] = set()
    sums = ", ".join(f"coalesce({REFERENCE_POSTS[column]}, 0)" for column in POST_SUM_COLUMNS)
    for span in SPANS:
        rows |= {
            tuple(row)
            for row in conn.execute(
                f"SELECT {span}, published_at - ((published_at % {span}) + {span}) % {span},"
                f" platform, {sums} FROM posts WHERE published_at IS NOT NULL GROUP BY 2, 3"
            )
        }
    return rows


def stored(conn: sqlite3.Connection, table: str) -> set[tuple]:
    columns = (
        "span, start, platform, productive, sessions, active_s"
        if table == "session_totals"
        else f"span, start, platform, {', '.join(POST_SUM_COLUMNS)}"
    )
    return {tuple(row) for row in conn.execute(f"SELECT {columns} FROM {table}")}


def assert_consistent(conn: sqlite3.Connection) -> None:
    assert stored(conn, "session_totals") == expected_session_totals(conn)
    assert stored(conn, "post_totals") == expected_post_totals(conn)


def assert_reads_match(conn: sqlite3.Connection, seed: int, now: int = NOW) -> None:
    rng = random.Random(seed)
    for zone_name in ZONES:
        for start, end in windows(zone_name, rng):
            expected = reference_split(conn, start, end, now)
            assert set(_split_rows(conn, start, end, now)) == expected, (zone_name, start, end)
            assert summed_posts(conn, start, end) == reference_posts(conn, start, end)
            assert summed_posts(conn, start, end, "linkedin") == reference_posts(
                conn, start, end, "linkedin"
            )


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("totals") / "demo.db")
    clock.freeze(NOW)
    try:
        conn = connect(path)
        demo.generate(conn, today=TODAY, zone=BERLIN, days=95)
        conn.close()
    finally:
        clock.freeze(None)
    return path


@pytest.fixture
def demo_conn(demo_path: str, tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A private copy of the demo database (tests write to it)."""
    source = sqlite3.connect(demo_path)
    target = sqlite3.connect(tmp_path / "copy.db")
    source.backup(target)
    source.close()
    target.close()
    conn = connect(str(tmp_path / "copy.db"))
    clock.freeze(NOW)
    yield conn
    clock.freeze(None)
    conn.close()


# --- covering a window -----------------------------------------------------------------------


def test_pieces_of_a_paris_winter_day_are_a_day_plus_and_minus_an_hour() -> None:
    # 2026-01-15 in Paris (UTC+1): 2026-01-14 23:00 UTC to 2026-01-15 23:00 UTC.
    day = 1768435200  # 2026-01-15 00:00 UTC
    assert pieces(day - H, day + 23 * H) == [
        (0, 1, DAY, day, day + DAY),
        (0, 1, H, day - H, day),
        (0, -1, H, day + 23 * H, day + DAY),
    ]


def test_pieces_of_a_kathmandu_day_end_in_raw_rows() -> None:
    # UTC+5:45: the day starts at 18:15 UTC the day before.
    day = 1768435200
    start, end = day - 5 * H - 45 * 60, day + DAY - 5 * H - 45 * 60
    assert pieces(start, end, index=3) == [
        (3, 1, DAY, day, day + DAY),
        (3, 1, H, day - 6 * H, day),
        (3, -1, 0, day - 6 * H, start),
        (3, -1, H, day + 18 * H, day + DAY),
        (3, 1, 0, day + 18 * H, end),
    ]


def test_pieces_of_a_short_window_skip_the_day_level() -> None:
    # 10:00:50 to 12:00: a day less 22 hours would read more rows than two hours do.
    assert pieces(10 * H + 50, 12 * H) == [
        (0, 1, H, 10 * H, 12 * H),
        (0, -1, 0, 10 * H, 10 * H + 50),
    ]
    assert pieces(100, 200) == [(0, 1, 0, 100, 200)]
    assert pieces(200, 200) == []


def test_pieces_add_up_to_the_window_second_by_second() -> None:
    rng = random.Random(7)
    for _ in range(300):
        start = rng.randrange(-3 * DAY, 40 * DAY)
        end = start + rng.choice((0, 1, 59, H, DAY, 3 * DAY)) + rng.randrange(3 * DAY)
        # Sample seconds around every boundary involved: each is covered exactly once inside
        # the window and not at all outside it.
        marks = {start, end} | {value for piece in pieces(start, end) for value in piece[3:]}
        probes = {mark + delta for mark in marks for delta in (-1, 0, 1)}
        for second in probes:
            weight = sum(sign for _, sign, _, lo, hi in pieces(start, end) if lo <= second < hi)
            assert weight == (1 if start <= second < end else 0), (start, end, second)


# --- kept by the triggers --------------------------------------------------------------------


def test_the_demo_history_is_summarised_and_read_back_exactly(
    demo_conn: sqlite3.Connection,
) -> None:
    assert_consistent(demo_conn)
    assert demo_conn.execute("SELECT count(*) FROM session_totals").fetchone()[0] > 100
    assert_reads_match(demo_conn, seed=1)


def test_every_kind_of_write_keeps_the_totals_right(demo_conn: sqlite3.Connection) -> None:
    conn = demo_conn
    ids = [row[0] for row in conn.execute("SELECT id FROM sessions ORDER BY id")]
    playtime = conn.execute(
        "SELECT id FROM sessions s WHERE NOT EXISTS"
        " (SELECT 1 FROM outcomes o WHERE o.session_id = s.id) ORDER BY id LIMIT 3"
    ).fetchall()
    # An outcome makes a playtime session productive; deleting it makes it playtime again.
    logged = outcomes.log(conn, "lead", session=playtime[0][0], at=NOW - 60)
    assert_consistent(conn)
    outcomes.delete(conn, logged.id)
    assert_consistent(conn)
    # Moving an outcome from one session to another, and detaching it.
    with Transaction(conn):
        moved = conn.execute(
            "SELECT id, session_id FROM outcomes WHERE session_id IS NOT NULL LIMIT 1"
        ).fetchone()
        conn.execute("UPDATE outcomes SET session_id = ? WHERE id = ?", (playtime[1][0], moved[0]))
    assert_consistent(conn)
    with Transaction(conn):
        conn.execute("UPDATE outcomes SET session_id = NULL WHERE id = ?", (moved[0],))
    assert_consistent(conn)
    # Editing a session's times, platform and pauses; deleting sessions with outcomes.
    target = sessions.get(conn, ids[10])
    assert target.ended_at is not None
    sessions.edit(
        conn,
        target.id,
        platform="threads",
        started_at=target.started_at + 60,
        ended_at=target.ended_at - 30,
    )
    assert_consistent(conn)
    sessions.delete(conn, ids[11])
    productive = conn.execute("SELECT session_id FROM outcomes WHERE session_id IS NOT NULL")
    sessions.delete(conn, productive.fetchone()[0])
    assert_consistent(conn)
    # A running session is not in the totals until it stops; pauses fold into paused_s.
    clock.freeze(NOW + 3 * H)
    sessions.start(conn, "linkedin", "prospecting", at=NOW + H)
    sessions.pause(conn, at=NOW + H + 600)
    sessions.resume(conn, at=NOW + H + 900)
    outcomes.log(conn, "prospect_qualified")
    assert_consistent(conn)
    assert_reads_match(conn, seed=2, now=NOW + 3 * H)
    sessions.stop(conn, at=NOW + 2 * H, outcome_kinds=["lead"])
    sessions.start(conn, "x", "engagement", at=NOW + 2 * H + 60)
    sessions.pause(conn, at=NOW + 2 * H + 120)
    assert_consistent(conn)
    assert_reads_match(conn, seed=3, now=NOW + 3 * H)
    sessions.cancel(conn)
    sessions.add(conn, "bluesky", "", NOW + 2 * H + 60, NOW + 2 * H + 600)
    assert_consistent(conn)
    # Posts: new ones, new metrics, a new publication time or platform, deletion.
    with Transaction(conn):
        conn.execute(
            "INSERT INTO posts (platform, external_id, published_at, impressions, engagements)"
            " VALUES ('linkedin', 'new-1', ?, 100, 7), ('x', 'new-2', ?, NULL, 3),"
            " ('x', 'new-3', NULL, 5, 5), ('mastodon', 'new-4', ?, 0, 2)",
            (NOW - 100, NOW - 5000, NOW - 7000),
        )
        conn.execute("UPDATE posts SET impressions = 40, likes = 3 WHERE external_id = 'new-2'")
        conn.execute("UPDATE posts SET published_at = ? WHERE external_id = 'new-3'", (NOW - 50,))
        conn.execute("UPDATE posts SET platform = 'threads' WHERE external_id = 'new-1'")
        conn.execute("UPDATE posts SET published_at = NULL WHERE id = 1")
        conn.execute("DELETE FROM posts WHERE id IN (2, 3, 4)")
    assert_consistent(conn)
    assert_reads_match(conn, seed=4, now=NOW + 3 * H)


def test_a_finished_session_inside_the_running_one_is_counted_once(
    conn: sqlite3.Connection,
) -> None:
    # Editing a finished session can move it inside the running one (the summary module's
    # own test has the same case); both count, each once.
    base = NOW - 10 * H
    with Transaction(conn):
        conn.execute(
            "INSERT INTO sessions (platform, started_at, ended_at, created_at, updated_at)"
            " VALUES ('linkedin', ?, NULL, 0, 0), ('x', ?, ?, 0, 0)",
            (base, base + H, base + 2 * H),
        )
    for start, end in ((base + 30 * 60, base + 90 * 60), (base - H, NOW), (base + 3 * H, NOW)):
        assert set(_split_rows(conn, start, end, NOW)) == reference_split(conn, start, end, NOW)


def test_goal_measures_on_posts_read_the_summary(demo_conn: sqlite3.Connection) -> None:
    start, end = period_bounds("month", NOW, BERLIN)
    statements: list[str] = []
    demo_conn.set_trace_callback(statements.append)
    rate = measures.measure_value(demo_conn, "engagement_rate", "", "linkedin", start, end, NOW)
    likes = measures.measure_value(demo_conn, "post_metric", "likes", None, start, end, NOW)
    count = measures.measure_value(demo_conn, "posts", "", None, start, end, NOW)
    demo_conn.set_trace_callback(None)
    assert statements and all("post_totals" in sql for sql in statements)
    expected = reference_posts(demo_conn, start, end)
    assert count == sum(sums["posts"] for sums in expected.values())
    assert likes == sum(sums["likes"] for sums in expected.values())
    linkedin = expected["linkedin"]
    assert rate == pytest.approx(linkedin["rated_engagements"] / linkedin["rated_impressions"])


def test_the_summary_columns_are_the_migrations() -> None:
    assert POST_SUM_COLUMNS == migrations._POST_SUMS
    assert SPANS == migrations._SPANS


def _post_triggers(conn: sqlite3.Connection) -> list[str]:
    return [
        row[0]
        for row in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'posts'"
            " AND name LIKE 'posts_totals_%' ORDER BY name"
        )
    ]


def test_a_bulk_write_rebuilds_the_post_totals_once(demo_conn: sqlite3.Connection) -> None:
    conn = demo_conn
    triggers = _post_triggers(conn)
    assert len(triggers) == 5
    with Transaction(conn), post_totals_suspended(conn):
        assert _post_triggers(conn) == []  # no trigger runs per row in here
        conn.executemany(
            "INSERT INTO posts (platform, external_id, published_at, impressions, engagements)"
            " VALUES ('x', ?, ?, 100, 4)",
            [(f"bulk-{i}", NOW - i * 97) for i in range(500)],
        )
        conn.execute("UPDATE posts SET engagements = 9 WHERE id % 7 = 0")
        conn.execute("DELETE FROM posts WHERE id % 11 = 0")
    assert _post_triggers(conn) == triggers
    assert_consistent(conn)
    # The triggers work again afterwards.
    with Transaction(conn):
        conn.execute("UPDATE posts SET likes = 1000 WHERE id = 5")
    assert_consistent(conn)


def test_a_failed_bulk_write_leaves_everything_as_it_was(demo_conn: sqlite3.Connection) -> None:
    conn = demo_conn
    before = stored(conn, "post_totals")
    triggers = _post_triggers(conn)
    with pytest.raises(RuntimeError, match="no transaction"), post_totals_suspended(conn):
        pass  # outside a transaction: refused before touching anything
    with pytest.raises(sqlite3.IntegrityError), Transaction(conn), post_totals_suspended(conn):
        conn.execute("INSERT INTO posts (platform, external_id, published_at) VALUES ('x', 'a', 1)")
        conn.execute("INSERT INTO posts (platform, external_id, published_at) VALUES ('x', 'a', 2)")
    assert _post_triggers(conn) == triggers
    assert stored(conn, "post_totals") == before
