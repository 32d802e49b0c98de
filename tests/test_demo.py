"""The demo database: realistic, consistent, deterministic, never in the future."""

from __future__ import annotations

import itertools
import re
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from smtui import clock
from smtui.core import demo, goals, sessions
from smtui.core.kinds import BUILTIN_KINDS
from smtui.errors import StateError, UsageError
from smtui.models import POST_METRICS
from smtui.store.db import connect

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterator
    from pathlib import Path

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = date(2026, 3, 4)  # a Wednesday
# 2026-03-04 11:00 CET = 10:00 UTC: the demo is generated mid-morning.
NOW = int(datetime(2026, 3, 4, 10, 0, tzinfo=UTC).timestamp())
AGREED_MEASURES = {
    "time_total",
    "productive_time",
    "playtime",
    "outcomes",
    "posts",
    "post_metric",
    "engagement_rate",
    "followers_gained",
    "revenue",
}
TIMESTAMP_COLUMNS = {
    "sessions": ("started_at", "ended_at", "created_at", "updated_at"),
    "pauses": ("started_at", "ended_at"),
    "outcomes": ("occurred_at", "created_at"),
    "goals": ("created_at",),
    "posts": ("published_at", "metrics_at"),
    "post_history": ("captured_at",),
    "account_snapshots": ("taken_at",),
}
ENGAGEMENT_SUM = (
    "coalesce(likes, 0) + coalesce(comments, 0) + coalesce(shares, 0) + coalesce(saves, 0)"
    " + coalesce(link_clicks, 0)"
)


def generate_into(
    path: Path, *, now: int = NOW, today: date = TODAY, **kwargs: int
) -> tuple[sqlite3.Connection, demo.DemoSummary]:
    clock.freeze(now)
    try:
        conn = connect(str(path))
        return conn, demo.generate(conn, today=today, zone=BERLIN, **kwargs)
    finally:
        clock.freeze(None)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    """One generated database shared by the read-only tests."""
    conn, _ = generate_into(tmp_path_factory.mktemp("demo") / "demo.db")
    yield conn
    conn.close()


def scalar(conn: sqlite3.Connection, sql: str, *args: object) -> int:
    return int(conn.execute(sql, args).fetchone()[0] or 0)


def local(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, BERLIN)


# --- counts and summary ----------------------------------------------------------------------


def test_summary_matches_the_tables_and_counts_are_plausible(tmp_path: Path) -> None:
    conn, summary = generate_into(tmp_path / "d.db")
    count = {
        table: scalar(conn, f"SELECT count(*) FROM {table}")
        for table in ("sessions", "outcomes", "posts", "post_history", "account_snapshots")
    }
    playtime = scalar(
        conn,
        "SELECT count(*) FROM sessions s"
        " WHERE NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.session_id = s.id)",
    )
    assert summary.sessions == count["sessions"]
    assert summary.playtime_sessions == playtime
    assert summary.outcomes == count["outcomes"]
    assert summary.posts == count["posts"]
    assert summary.snapshots == count["post_history"] + count["account_snapshots"]
    assert summary.goals == scalar(conn, "SELECT count(*) FROM goals") == len(demo.GOALS)
    assert (summary.first_day, summary.last_day) == (date(2025, 12, 4), TODAY)
    # 64 weekdays at 1-4 sessions, 26 weekend days at 0-2.
    assert 120 <= count["sessions"] <= 260
    assert count["sessions"] * 0.6 <= count["outcomes"] <= count["sessions"] * 2.5
    assert 80 <= count["posts"] <= 220
    assert count["posts"] <= count["post_history"] <= 3 * count["posts"]
    # 4 platforms, 90 past mornings plus this morning's 06:00 snapshot.
    assert count["account_snapshots"] == 4 * 91


def test_every_weekday_has_a_session_and_weekends_are_quieter(
    demo_db: sqlite3.Connection,
) -> None:
    per_day = Counter(
        local(started).date() for (started,) in demo_db.execute("SELECT started_at FROM sessions")
    )
    past_days = [TODAY - timedelta(days=n) for n in range(1, 91)]
    weekdays = [d for d in past_days if d.weekday() < 5]
    weekends = [d for d in past_days if d.weekday() >= 5]
    assert all(1 <= per_day[d] <= 4 for d in weekdays)
    assert all(per_day[d] <= 2 for d in weekends)
    assert sum(per_day[d] for d in weekends) / len(weekends) < sum(
        per_day[d] for d in weekdays
    ) / len(weekdays)


# --- sessions --------------------------------------------------------------------------------


def test_sessions_never_overlap(demo_db: sqlite3.Connection) -> None:
    overlaps = scalar(
        demo_db,
        "SELECT count(*) FROM sessions a JOIN sessions b ON a.id < b.id"
        " WHERE a.started_at < b.ended_at AND b.started_at < a.ended_at",
    )
    assert overlaps == 0
    assert scalar(demo_db, "SELECT count(*) FROM sessions WHERE ended_at IS NULL") == 0


def test_paused_seconds_equal_the_closed_pauses_inside_each_session(
    demo_db: sqlite3.Connection,
) -> None:
    mismatched = scalar(
        demo_db,
        "SELECT count(*) FROM sessions s WHERE s.paused_s <>"
        " (SELECT coalesce(sum(p.ended_at - p.started_at), 0) FROM pauses p"
        "  WHERE p.session_id = s.id AND p.ended_at IS NOT NULL)",
    )
    assert mismatched == 0
    outside = scalar(
        demo_db,
        "SELECT count(*) FROM pauses p JOIN sessions s ON s.id = p.session_id"
        " WHERE p.ended_at IS NULL OR p.started_at <= s.started_at OR p.ended_at >= s.ended_at"
        "    OR p.ended_at <= p.started_at",
    )
    assert outside == 0
    pauses_overlapping = scalar(
        demo_db,
        "SELECT count(*) FROM pauses a JOIN pauses b ON a.session_id = b.session_id"
        " AND a.id < b.id WHERE a.started_at < b.ended_at AND b.started_at < a.ended_at",
    )
    assert pauses_overlapping == 0
    assert scalar(demo_db, "SELECT count(*) FROM sessions WHERE paused_s > 0") >= 10


def test_sessions_look_like_real_work(demo_db: sqlite3.Connection) -> None:
    rows = demo_db.execute(
        "SELECT platform, intent, started_at, ended_at - started_at - paused_s, timebox_s, note"
        " FROM sessions"
    ).fetchall()
    platforms = Counter(row[0] for row in rows)
    assert set(platforms) == {"linkedin", "bluesky", "mastodon", "x", "youtube"}
    assert platforms.most_common(1)[0][0] == "linkedin"
    assert 0 < platforms["youtube"] < platforms["x"]
    assert {row[1] for row in rows} == {
        "prospecting",
        "content",
        "engagement",
        "listening",
        "learning",
        "networking",
    }
    assert all(10 * 60 <= row[3] <= 75 * 60 for row in rows)
    timeboxed = [row for row in rows if row[4] is not None]
    assert len(rows) * 0.2 <= len(timeboxed) <= len(rows) * 0.5
    assert any(row[3] > row[4] for row in timeboxed), "some timeboxes are overrun"
    assert sum(1 for row in rows if row[5]) >= len(rows) * 0.2
    assert scalar(demo_db, "SELECT count(DISTINCT session_id) FROM session_tags") >= len(rows) / 3
    for _, _, started, *_ in rows:
        assert 7 <= local(started).hour <= 21


def test_playtime_is_about_a_third(demo_db: sqlite3.Connection) -> None:
    total, playtime = demo_db.execute(
        "SELECT count(*), sum(NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.session_id = s.id))"
        " FROM sessions s"
    ).fetchone()
    assert 0.20 <= playtime / total <= 0.45


# --- outcomes --------------------------------------------------------------------------------


def test_every_builtin_kind_is_present_with_valid_details(demo_db: sqlite3.Connection) -> None:
    rows = demo_db.execute("SELECT kind, detail, contact FROM outcomes").fetchall()
    assert {row[0] for row in rows} == set(BUILTIN_KINDS)
    for kind, detail, _ in rows:
        allowed = BUILTIN_KINDS[kind].details
        assert detail in allowed if allowed else detail == ""
    for kind in ("contact_found", "opportunity_found", "moved_off_social"):
        assert len({d for k, d, _ in rows if k == kind}) >= 2, kind
    contacts = {contact for _, _, contact in rows}
    assert "Maria Chen" in contacts
    assert any(c.startswith("@") for c in contacts)


def test_only_deals_carry_money_in_euros(demo_db: sqlite3.Connection) -> None:
    deals = demo_db.execute(
        "SELECT amount_minor, currency FROM outcomes WHERE kind = 'deal'"
    ).fetchall()
    assert len(deals) >= 3
    assert all(amount > 0 and amount % 100 == 0 and cur == "EUR" for amount, cur in deals)
    assert (
        scalar(
            demo_db,
            "SELECT count(*) FROM outcomes WHERE kind <> 'deal'"
            " AND (amount_minor IS NOT NULL OR currency IS NOT NULL)",
        )
        == 0
    )


def test_outcomes_belong_to_productive_sessions_or_to_none(demo_db: sqlite3.Connection) -> None:
    outside = scalar(
        demo_db,
        "SELECT count(*) FROM outcomes o JOIN sessions s ON s.id = o.session_id"
        " WHERE o.occurred_at < s.started_at OR o.occurred_at > s.ended_at"
        "    OR o.platform <> s.platform",
    )
    assert outside == 0
    loose = demo_db.execute(
        "SELECT kind FROM outcomes WHERE session_id IS NULL ORDER BY occurred_at"
    ).fetchall()
    assert 2 <= len(loose) <= 4
    assert ("deal",) in loose


# --- posts -----------------------------------------------------------------------------------


def test_posts_cover_four_platforms_with_platform_shaped_ids(demo_db: sqlite3.Connection) -> None:
    rows = demo_db.execute("SELECT platform, external_id, url, published_at FROM posts").fetchall()
    assert {row[0] for row in rows} == {"linkedin", "bluesky", "mastodon", "x"}
    shapes = {
        "linkedin": (
            r"urn:li:activity:\d{19}",
            r"https://www\.linkedin\.com/feed/update/urn:li:activity:\d{19}/",
        ),
        "x": (r"\d{19}", r"https://x\.com/\w+/status/\d{19}"),
        "mastodon": (r"\d{18}", r"https://mastodon\.social/@\w+/\d{18}"),
        "bluesky": (
            r"at://did:plc:[a-z2-7]{24}/app\.bsky\.feed\.post/[2-7a-z]{13}",
            r"https://bsky\.app/profile/[\w.]+/post/[2-7a-z]{13}",
        ),
    }
    for platform, external_id, url, published_at in rows:
        id_shape, url_shape = shapes[platform]
        assert re.fullmatch(id_shape, external_id), external_id
        assert re.fullmatch(url_shape, url), url
        assert external_id.rsplit("/", 1)[-1].rsplit(":", 1)[-1] in url
        if platform == "x":  # a snowflake: milliseconds since 2010-11-04 in the top bits
            ms = (int(external_id) >> 22) + 1_288_834_974_657
            assert ms // 1000 == published_at
        if platform == "linkedin":
            assert (int(external_id.rsplit(":", 1)[1]) >> 22) // 1000 == published_at
    assert len({(r[0], r[1]) for r in rows}) == len(rows)


def test_engagements_are_the_sum_of_interactions(demo_db: sqlite3.Connection) -> None:
    for table in ("posts", "post_history"):
        wrong = scalar(
            demo_db, f"SELECT count(*) FROM {table} WHERE engagements <> {ENGAGEMENT_SUM}"
        )
        assert wrong == 0, table
    assert scalar(demo_db, "SELECT count(*) FROM posts WHERE engagements IS NULL") == 0


def test_platforms_report_only_what_they_have(demo_db: sqlite3.Connection) -> None:
    assert (
        scalar(
            demo_db,
            "SELECT count(*) FROM posts WHERE platform IN ('bluesky', 'mastodon')"
            " AND (impressions IS NOT NULL OR reach IS NOT NULL)",
        )
        == 0
    )
    assert (
        scalar(
            demo_db,
            "SELECT count(*) FROM posts WHERE platform IN ('linkedin', 'x')"
            " AND impressions IS NULL",
        )
        == 0
    )
    assert (
        scalar(
            demo_db,
            "SELECT count(*) FROM posts WHERE platform = 'linkedin'"
            " AND (reach IS NULL OR reach > impressions)",
        )
        == 0
    )
    assert scalar(demo_db, "SELECT count(*) FROM posts WHERE video_views > 0") >= 3


def test_snapshots_show_growth_up_to_the_latest_values(demo_db: sqlite3.Connection) -> None:
    metrics = ", ".join(POST_METRICS)
    posts = {
        row[0]: row[1:]
        for row in demo_db.execute(f"SELECT id, published_at, metrics_at, {metrics} FROM posts")
    }
    history: dict[int, list[tuple[int, ...]]] = {}
    for row in demo_db.execute(
        f"SELECT post_id, captured_at, {metrics} FROM post_history ORDER BY post_id, captured_at"
    ):
        history.setdefault(row[0], []).append(row[1:])
    assert set(history) == set(posts)
    counts = Counter(len(snaps) for snaps in history.values())
    assert set(counts) == {1, 2, 3}
    for post_id, (published_at, metrics_at, *latest) in posts.items():
        snaps = history[post_id]
        assert published_at < snaps[0][0]
        assert metrics_at == snaps[-1][0]
        assert list(snaps[-1][1:]) == latest
        for earlier, later in itertools.pairwise(snaps):
            for before, after in zip(earlier[1:], later[1:], strict=True):
                assert (before is None) == (after is None)
                assert before is None or before <= after
    grew = sum(1 for snaps in history.values() if len(snaps) > 1 and snaps[0][3] < snaps[-1][3])
    assert grew >= len(posts) / 3


def test_favoured_slots_stand_out_for_a_best_time_heatmap(demo_db: sqlite3.Connection) -> None:
    rows = demo_db.execute(
        "SELECT published_at, engagements * 1.0 / impressions FROM posts"
        " WHERE platform = 'linkedin'"
    ).fetchall()
    hours = Counter(local(at).hour for at, _ in rows)
    assert hours.most_common(1)[0][0] == 8
    midweek = sum(1 for at, _ in rows if local(at).weekday() in (1, 2, 3))
    assert midweek / len(rows) >= 0.5
    best = [rate for at, rate in rows if local(at).hour == 8 and local(at).weekday() in (1, 2, 3)]
    other = [rate for at, rate in rows if local(at).hour not in (8, 9, 12)]
    assert best and other
    assert sum(best) / len(best) > 1.5 * sum(other) / len(other)
    # The goal "2% engagement on LinkedIn" is honestly reachable: the whole period is above it.
    overall = scalar_float(
        demo_db,
        "SELECT sum(engagements) * 1.0 / sum(impressions) FROM posts WHERE platform = 'linkedin'",
    )
    assert 0.02 < overall < 0.06


def scalar_float(conn: sqlite3.Connection, sql: str) -> float:
    return float(conn.execute(sql).fetchone()[0])


def test_followers_are_daily_and_grow(demo_db: sqlite3.Connection) -> None:
    for platform in ("linkedin", "bluesky", "mastodon", "x"):
        rows = demo_db.execute(
            "SELECT taken_at, followers, posts FROM account_snapshots WHERE platform = ?"
            " ORDER BY taken_at",
            (platform,),
        ).fetchall()
        days = [local(at).date() for at, _, _ in rows]
        assert days == [TODAY - timedelta(days=n) for n in range(90, -1, -1)]
        assert all(local(at).hour == 6 for at, _, _ in rows)
        assert rows[-1][1] > rows[0][1]
        if platform == "x":  # noisy: some days lose followers
            assert any(b[1] < a[1] for a, b in itertools.pairwise(rows))
        post_counts = [p for _, _, p in rows]
        assert post_counts == sorted(post_counts)
        published = scalar(
            demo_db,
            "SELECT count(*) FROM posts WHERE platform = ? AND published_at <= ?",
            platform,
            rows[-1][0],
        )
        assert post_counts[-1] - post_counts[0] <= published


# --- goals -----------------------------------------------------------------------------------


def test_goals_use_agreed_measures_in_both_directions(demo_db: sqlite3.Connection) -> None:
    rows = demo_db.execute(
        "SELECT measure, subject, direction, target, period, platform FROM goals"
    ).fetchall()
    assert {row[0] for row in rows} <= AGREED_MEASURES
    assert {row[2] for row in rows} == {"at_least", "at_most"}
    assert ("outcomes", "prospect_qualified", "at_least", 5.0, "week", None) in rows
    assert ("time_total", "", "at_most", 21600.0, "week", None) in rows
    assert ("outcomes", "moved_off_social", "at_least", 20.0, "month", None) in rows
    assert ("engagement_rate", "", "at_least", 0.02, "month", "linkedin") in rows
    assert any(r[0] == "revenue" and r[3] == 3000 and r[4] == "month" for r in rows)
    assert any(r[0] == "posts" and r[3] == 3 and r[4] == "week" for r in rows)


def test_current_period_mixes_good_and_bad_goals_in_plain_sql(
    demo_db: sqlite3.Connection,
) -> None:
    week_start = int(datetime(2026, 3, 2, tzinfo=BERLIN).timestamp())  # Monday
    month_start = int(datetime(2026, 3, 1, tzinfo=BERLIN).timestamp())
    week_elapsed = (NOW - week_start) / (7 * 86_400)
    # Scroll budget: time spent this week already runs ahead of 6 h spread over the week.
    spent = scalar(
        demo_db,
        "SELECT sum(ended_at - started_at - paused_s) FROM sessions WHERE started_at >= ?",
        week_start,
    )
    assert spent > 21_600 * week_elapsed
    # Moves off social this month are well short of 20.
    moved = scalar(
        demo_db,
        "SELECT count(*) FROM outcomes WHERE kind = 'moved_off_social' AND occurred_at >= ?",
        month_start,
    )
    assert moved < 20 * (NOW - month_start) / (31 * 86_400)
    # LinkedIn engagement this month is above 2 %.
    engaged, seen = demo_db.execute(
        "SELECT sum(engagements), sum(impressions) FROM posts"
        " WHERE platform = 'linkedin' AND published_at >= ?",
        (month_start,),
    ).fetchone()
    assert seen and engaged / seen >= 0.02


def test_goal_progress_has_a_behind_and_a_good_goal_each_day_of_a_week(tmp_path: Path) -> None:
    for offset in range(7):
        today = date(2026, 3, 2) + timedelta(days=offset)
        now = int(datetime(today.year, today.month, today.day, 11, tzinfo=BERLIN).timestamp())
        conn, _ = generate_into(tmp_path / f"{offset}.db", now=now, today=today)
        statuses = Counter(p.status for p in goals.progress_all(conn, now, BERLIN))
        conn.close()
        assert statuses[goals.BEHIND] + statuses[goals.OVER] >= 1, (today, statuses)
        assert statuses[goals.ON_TRACK] + statuses[goals.MET] >= 1, (today, statuses)


# --- time, determinism, refusal, speed -------------------------------------------------------


def latest_timestamp(conn: sqlite3.Connection) -> int:
    return max(
        scalar(conn, f"SELECT max({column}) FROM {table}")
        for table, columns in TIMESTAMP_COLUMNS.items()
        for column in columns
    )


def test_nothing_is_later_than_now(demo_db: sqlite3.Connection, tmp_path: Path) -> None:
    assert latest_timestamp(demo_db) <= NOW
    early = int(datetime(2026, 3, 4, 8, 40, tzinfo=BERLIN).timestamp())
    conn, summary = generate_into(tmp_path / "early.db", now=early)
    assert latest_timestamp(conn) <= early
    assert summary.sessions > 0
    # Asked for a "today" that has not come yet, the demo still stops at the clock.
    conn, _ = generate_into(tmp_path / "ahead.db", now=early, today=date(2026, 3, 20))
    assert latest_timestamp(conn) <= early


def test_today_holds_only_its_morning(tmp_path: Path) -> None:
    today_start = int(datetime(2026, 3, 4, tzinfo=BERLIN).timestamp())
    late = int(datetime(2026, 3, 5, 12, tzinfo=BERLIN).timestamp())
    full, _ = generate_into(tmp_path / "full.db", now=late)
    capped, _ = generate_into(tmp_path / "capped.db")
    assert latest_timestamp(full) < int(datetime(2026, 3, 5, tzinfo=BERLIN).timestamp())
    whole_day = full.execute(
        "SELECT started_at, ended_at FROM sessions WHERE started_at >= ? ORDER BY started_at",
        (today_start,),
    ).fetchall()
    morning = capped.execute(
        "SELECT started_at, ended_at FROM sessions WHERE started_at >= ? ORDER BY started_at",
        (today_start,),
    ).fetchall()
    assert whole_day, "a weekday always has a session"
    assert morning == [row for row in whole_day if row[1] <= NOW]
    before = "SELECT started_at, ended_at, platform FROM sessions WHERE started_at < ?"
    assert (
        full.execute(before, (today_start,)).fetchall()
        == capped.execute(before, (today_start,)).fetchall()
    )


def dump(conn: sqlite3.Connection) -> str:
    return "\n".join(conn.iterdump())


def test_same_inputs_give_identical_tables(tmp_path: Path) -> None:
    first, _ = generate_into(tmp_path / "a.db")
    second, _ = generate_into(tmp_path / "b.db")
    text = dump(first)
    assert 'INSERT INTO "sessions"' in text and 'INSERT INTO "post_snapshots"' in text
    assert text == dump(second)
    other, _ = generate_into(tmp_path / "c.db", seed=7)
    assert dump(other) != text


def test_refuses_a_database_that_already_has_sessions(conn: sqlite3.Connection) -> None:
    clock.freeze(NOW)
    try:
        sessions.add(conn, "linkedin", "prospecting", NOW - 3600, NOW - 1800)
        with pytest.raises(StateError) as caught:
            demo.generate(conn, today=TODAY, zone=BERLIN)
    finally:
        clock.freeze(None)
    assert "1 sessions" in caught.value.message
    assert "fresh" in caught.value.hint
    assert scalar(conn, "SELECT count(*) FROM sessions") == 1
    for table in ("outcomes", "posts", "goals", "account_snapshots", "pauses"):
        assert scalar(conn, f"SELECT count(*) FROM {table}") == 0, table


def test_refuses_a_second_run_and_a_non_positive_number_of_days(tmp_path: Path) -> None:
    conn, _ = generate_into(tmp_path / "d.db", days=3)
    clock.freeze(NOW)
    try:
        with pytest.raises(StateError):
            demo.generate(conn, today=TODAY, zone=BERLIN, days=3)
        with pytest.raises(UsageError):
            demo.generate(connect(str(tmp_path / "e.db")), today=TODAY, zone=BERLIN, days=0)
    finally:
        clock.freeze(None)


def test_a_short_demo_stays_inside_its_days(tmp_path: Path) -> None:
    conn, summary = generate_into(tmp_path / "short.db", days=3)
    first = int(datetime(2026, 3, 1, tzinfo=BERLIN).timestamp())
    earliest = min(
        scalar(conn, f"SELECT min({column}) FROM {table}")
        for table, columns in TIMESTAMP_COLUMNS.items()
        for column in columns
    )
    assert earliest >= first
    assert summary.first_day == date(2026, 3, 1)
    assert scalar(conn, "SELECT count(*) FROM account_snapshots") == 4 * 4
    # Even a few days show every kind of outcome, so every checklist line has an example.
    kinds = {kind for (kind,) in conn.execute("SELECT kind FROM outcomes WHERE session_id > 0")}
    assert kinds == set(BUILTIN_KINDS)


def test_generation_is_fast_and_scales_to_a_year(tmp_path: Path) -> None:
    started = time.perf_counter()
    _, quarter = generate_into(tmp_path / "q.db")
    assert time.perf_counter() - started < 1.0
    started = time.perf_counter()
    _, year = generate_into(tmp_path / "y.db", days=365)
    assert time.perf_counter() - started < 3.0
    assert 3 * quarter.sessions < year.sessions < 5 * quarter.sessions
    assert 3 * quarter.posts < year.posts < 5 * quarter.posts


def test_sessions_keep_to_local_daytime_across_a_dst_change(tmp_path: Path) -> None:
    # 2026-03-29 moves Berlin from CET to CEST; the 90 days before 2026-04-15 span it.
    now = int(datetime(2026, 4, 15, 12, tzinfo=BERLIN).timestamp())
    conn, _ = generate_into(tmp_path / "dst.db", now=now, today=date(2026, 4, 15))
    starts = [local(s) for (s,) in conn.execute("SELECT started_at FROM sessions")]
    assert all(7 <= at.hour <= 21 for at in starts)
    assert any(at.utcoffset() == timedelta(hours=1) for at in starts)
    assert any(at.utcoffset() == timedelta(hours=2) for at in starts)
    assert (
        scalar(
            conn,
            "SELECT count(*) FROM sessions a JOIN sessions b ON a.id < b.id"
            " WHERE a.started_at < b.ended_at AND b.started_at < a.ended_at",
        )
        == 0
    )
