"""Per-platform metrics: every figure against numbers worked out by hand."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from smtui.core import measures, metrics
from smtui.core.metrics import (
    ENGAGEMENT_RATE_FORMULA,
    PlatformMetrics,
    compact,
    day_windows,
    excerpt,
    percent,
    platform_metrics,
    signed,
    summary_lines,
    top_posts,
)
from smtui.store.db import Transaction

DAY = 86_400
H = 3600
PARIS = ZoneInfo("Europe/Paris")
KOLKATA = ZoneInfo("Asia/Kolkata")


def utc(text: str) -> int:
    """Epoch seconds of ``YYYY-MM-DD HH:MM:SS`` in UTC."""
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


# Tuesday 2026-01-20 10:00 UTC (11:00 in Paris, winter time, UTC+1).
NOW = utc("2026-01-20 10:00:00")


def post(
    conn: sqlite3.Connection,
    platform: str,
    at: int | None,
    impressions: int | None = None,
    engagements: int | None = None,
    text: str = "",
) -> int:
    with Transaction(conn):
        cursor = conn.execute(
            "INSERT INTO posts (platform, external_id, published_at, impressions, engagements,"
            " text) VALUES (?, ?, ?, ?, ?, ?)",
            (platform, f"{platform}-{at}-{text}-{engagements}", at, impressions, engagements, text),
        )
    return int(cursor.lastrowid or 0)


def followers(
    conn: sqlite3.Connection, platform: str, account: str, at: int, count: int | None
) -> None:
    with Transaction(conn):
        conn.execute(
            "INSERT INTO account_snapshots (platform, account, taken_at, followers)"
            " VALUES (?, ?, ?, ?)",
            (platform, account, at, count),
        )


# --- the window --------------------------------------------------------------------------------


def test_the_window_is_the_last_30_local_days_today_included() -> None:
    windows = day_windows(NOW, PARIS)
    assert len(windows) == 30
    # Today in Paris: 2026-01-20 00:00 CET = 2026-01-19 23:00 UTC, to the next midnight.
    assert windows[-1] == (utc("2026-01-19 23:00:00"), utc("2026-01-20 23:00:00"))
    # 29 days earlier: 2025-12-22.
    assert windows[0][0] == utc("2025-12-21 23:00:00")
    assert all(a[1] == b[0] for a, b in pairwise(windows))


def test_a_dst_day_is_23_hours_long() -> None:
    # Europe springs forward on Sunday 2026-03-29: 00:00 CET (23:00 UTC the day before) to
    # 00:00 CEST (22:00 UTC).
    windows = day_windows(utc("2026-03-30 12:00:00"), PARIS, days=3)
    assert windows == [
        (utc("2026-03-27 23:00:00"), utc("2026-03-28 23:00:00")),
        (utc("2026-03-28 23:00:00"), utc("2026-03-29 22:00:00")),
        (utc("2026-03-29 22:00:00"), utc("2026-03-30 22:00:00")),
    ]
    with pytest.raises(ValueError):
        day_windows(NOW, PARIS, days=0)


# --- posts, impressions, engagements and the rate ---------------------------------------------


def test_engagement_rate_counts_only_posts_reporting_both(conn: sqlite3.Connection) -> None:
    day = utc("2026-01-15 12:00:00")
    post(conn, "linkedin", day, impressions=1000, engagements=30)
    post(conn, "linkedin", day + 60, impressions=None, engagements=5)  # no impressions
    post(conn, "linkedin", day + 120, impressions=0, engagements=2)  # zero impressions
    post(conn, "linkedin", day + 180, impressions=500, engagements=None)  # no engagements
    post(conn, "linkedin", day + 240, impressions=200, engagements=9)
    post(conn, "linkedin", NOW - 40 * DAY, impressions=9999, engagements=9999)  # too old

    report = platform_metrics(conn, NOW, PARIS)

    linkedin = report.get("linkedin")
    assert linkedin is not None
    assert linkedin.posts == 5
    assert linkedin.impressions == 1000 + 0 + 500 + 200  # what was reported
    assert linkedin.engagements == 30 + 5 + 2 + 9
    # engagements / impressions over the two posts reporting both (impressions > 0):
    # (30 + 9) / (1000 + 200) = 39 / 1200 = 3.25 %
    assert linkedin.rated_engagements == 39
    assert linkedin.rated_impressions == 1200
    assert linkedin.engagement_rate == pytest.approx(0.0325)
    # The goal measure is the same number.
    start, end = report.start, report.end
    assert measures.measure_value(
        conn, "engagement_rate", "", "linkedin", start, end, NOW
    ) == pytest.approx(0.0325)
    assert ENGAGEMENT_RATE_FORMULA == "engagements / impressions"


def test_unknown_figures_stay_unknown(conn: sqlite3.Connection) -> None:
    # Mastodon reports no impressions: impressions and the rate are unknown, not zero.
    post(conn, "mastodon", NOW - H, impressions=None, engagements=12)
    mastodon = platform_metrics(conn, NOW, PARIS).get("mastodon")
    assert mastodon is not None
    assert (mastodon.posts, mastodon.impressions, mastodon.engagements) == (1, None, 12)
    assert mastodon.engagement_rate is None
    assert mastodon.followers is None and mastodon.followers_change is None


# --- the trend, day by day in the user's zone --------------------------------------------------


def test_trend_buckets_are_local_days_in_paris(conn: sqlite3.Connection) -> None:
    # Local midnight of 2026-01-19 is 2026-01-18 23:00 UTC.
    post(conn, "x", utc("2026-01-18 22:59:59"), engagements=1)  # 23:59:59 on the 18th
    post(conn, "x", utc("2026-01-18 23:00:00"), engagements=10)  # 00:00:00 on the 19th
    post(conn, "x", utc("2026-01-19 22:59:59"), engagements=100)  # 23:59:59 on the 19th
    post(conn, "x", utc("2026-01-19 23:00:00"), engagements=1000)  # 00:00 today (the 20th)
    post(conn, "x", utc("2025-12-21 22:59:59"), engagements=5000)  # a second before the window
    post(conn, "x", utc("2025-12-21 23:00:00"), engagements=7)  # the window's first second

    x = platform_metrics(conn, NOW, PARIS).get("x")

    assert x is not None
    assert len(x.trend) == 30
    assert x.trend[-1] == 1000  # today
    assert x.trend[-2] == 110  # the 19th
    assert x.trend[-3] == 1  # the 18th
    assert x.trend[0] == 7  # 2025-12-22, the first day
    assert sum(x.trend) == x.engagements == 1118
    assert x.posts == 5


def test_trend_buckets_follow_a_half_hour_zone(conn: sqlite3.Connection) -> None:
    # Kolkata is UTC+5:30: the 20th starts at 2026-01-19 18:30 UTC, inside a UTC hour, so the
    # summary table's hours are completed from the rows themselves.
    post(conn, "bluesky", utc("2026-01-19 18:29:59"), engagements=2)  # 23:59:59 on the 19th
    post(conn, "bluesky", utc("2026-01-19 18:30:00"), engagements=3)  # 00:00 on the 20th
    post(conn, "bluesky", utc("2026-01-19 18:59:00"), engagements=4)  # 00:29 on the 20th
    post(conn, "bluesky", utc("2026-01-20 09:00:00"), engagements=5)  # 14:30 on the 20th
    bluesky = platform_metrics(conn, NOW, KOLKATA).get("bluesky")
    assert bluesky is not None
    assert bluesky.trend[-2:] == [2, 3 + 4 + 5]


def test_trend_across_the_spring_dst_change(conn: sqlite3.Connection) -> None:
    now = utc("2026-03-30 12:00:00")
    post(conn, "x", utc("2026-03-28 22:59:00"), engagements=1)  # 23:59 CET, the 28th
    post(conn, "x", utc("2026-03-28 23:00:00"), engagements=2)  # 00:00 CET, the 29th
    post(conn, "x", utc("2026-03-29 21:59:00"), engagements=4)  # 23:59 CEST, the 29th
    post(conn, "x", utc("2026-03-29 22:00:00"), engagements=8)  # 00:00 CEST, the 30th
    x = platform_metrics(conn, now, PARIS, days=3).get("x")
    assert x is not None
    assert x.trend == [1, 2 + 4, 8]


# --- followers ---------------------------------------------------------------------------------


def test_followers_and_their_change_per_account(conn: sqlite3.Connection) -> None:
    start = day_windows(NOW, PARIS)[0][0]
    # Account a: 100 before the window, then 110 and 130 in it: +30, now 130.
    followers(conn, "linkedin", "a", start - 10 * DAY, 100)
    followers(conn, "linkedin", "a", start + 5 * DAY, 110)
    followers(conn, "linkedin", "a", NOW - DAY, 130)
    followers(conn, "linkedin", "a", NOW - H, None)  # a snapshot without a count: ignored
    # Account b: first counted in the window at 50, then 45: -5 against its first count.
    followers(conn, "linkedin", "b", start + 2 * DAY, 50)
    followers(conn, "linkedin", "b", NOW - 2 * DAY, 45)
    # Account c: only counted before the window: 70 followers, no change known.
    followers(conn, "linkedin", "c", start - DAY, 70)
    # Account e: counted once, at the window's very first second: in it, no change.
    followers(conn, "linkedin", "e", start, 20)
    # Another platform's accounts do not mix in; its account counted only before the window
    # ("aa", listed first) still adds to its followers.
    followers(conn, "x", "aa", start - DAY, 300)
    followers(conn, "x", "d", NOW - DAY, 999)

    linkedin = platform_metrics(conn, NOW, PARIS).get("linkedin")

    assert linkedin is not None
    assert linkedin.followers == 130 + 45 + 70 + 20
    assert linkedin.followers_change == 30 - 5
    assert linkedin.posts == 0  # listed for its follower counts alone
    x = platform_metrics(conn, NOW, PARIS).get("x")
    assert x is not None
    assert (x.followers, x.followers_change) == (300 + 999, 0)
    end = day_windows(NOW, PARIS)[-1][1]
    assert measures.measure_value(conn, "followers_gained", "", "linkedin", start, end, NOW) == 25
    assert measures.measure_value(conn, "followers_gained", "", None, start, end, NOW) == 25
    accounts = {a.account: a for a in metrics.account_followers(conn, start, end, "linkedin")}
    assert {name: (a.followers, a.change) for name, a in accounts.items()} == {
        "a": (130, 30),
        "b": (45, -5),
        "c": (70, None),
        "e": (20, 0),
    }


def test_a_platform_with_only_old_data_is_left_out(conn: sqlite3.Connection) -> None:
    followers(conn, "threads", "t", NOW - 90 * DAY, 10)
    post(conn, "threads", NOW - 60 * DAY, impressions=10, engagements=1)
    assert platform_metrics(conn, NOW, PARIS).platforms == []


# --- top posts ---------------------------------------------------------------------------------


def test_top_posts_most_engagements_first_newest_on_a_tie(conn: sqlite3.Connection) -> None:
    first = post(conn, "linkedin", NOW - 3 * DAY, 1000, 40, "forty")
    older_tie = post(conn, "linkedin", NOW - 5 * DAY, 800, 25, "older tie")
    newer_tie = post(conn, "linkedin", NOW - 2 * DAY, 900, 25, "newer tie")
    post(conn, "linkedin", NOW - 1 * DAY, 700, 10, "ten")
    post(conn, "linkedin", NOW - 4 * DAY, 600, None, "no engagements")
    post(conn, "linkedin", NOW - 45 * DAY, 100, 500, "too old")
    post(conn, "x", NOW - DAY, 100, 400, "other platform")

    report = platform_metrics(conn, NOW, PARIS, top=3)
    linkedin = report.get("linkedin")

    assert linkedin is not None
    assert [p.id for p in linkedin.top_posts] == [first, newer_tie, older_tie]
    assert [p.text for p in linkedin.top_posts] == ["forty", "newer tie", "older tie"]
    assert linkedin.top_posts[0].engagement_rate == pytest.approx(0.04)


def test_top_posts_read_the_window_when_the_best_are_old(
    conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The platform's best posts of all time are outside the window: after TOP_SCAN of them
    # the window's own posts are read instead, with the same order.
    monkeypatch.setattr(metrics, "TOP_SCAN", 4)
    for index in range(6):
        post(conn, "x", NOW - (60 + index) * DAY, 10, 1000 + index, f"old {index}")
    recent = [
        post(conn, "x", NOW - (index + 1) * DAY, 10, 5 + index, f"new {index}")
        for index in range(4)
    ]
    start, end = day_windows(NOW, PARIS)[0][0], day_windows(NOW, PARIS)[-1][1]
    assert [p.id for p in top_posts(conn, "x", start, end, 3)] == [recent[3], recent[2], recent[1]]
    assert top_posts(conn, "x", start, end, 0) == []


def test_top_posts_use_indexes_not_the_table(conn: sqlite3.Connection) -> None:
    statements: list[str] = []
    post(conn, "x", NOW - DAY, 10, 5)
    conn.set_trace_callback(statements.append)
    platform_metrics(conn, NOW, PARIS)
    conn.set_trace_callback(None)
    assert statements
    for statement in statements:
        plan = " / ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + statement))
        for table in ("posts", "account_snapshots", "post_totals"):
            assert f"SCAN {table}" not in plan, (statement, plan)


# --- order of the platforms ----------------------------------------------------------------------


def test_target_platforms_first_then_the_most_engaging(conn: sqlite3.Connection) -> None:
    post(conn, "x", NOW - DAY, 10, 50)
    post(conn, "bluesky", NOW - DAY, 10, 80)
    post(conn, "mastodon", NOW - DAY, None, 5)
    post(conn, "linkedin", NOW - DAY, 10, 1)
    report = platform_metrics(conn, NOW, PARIS, first=("mastodon", "linkedin", "youtube"))
    assert [p.platform for p in report.platforms] == ["mastodon", "linkedin", "bluesky", "x"]


# --- words ---------------------------------------------------------------------------------------


def test_numbers_for_people() -> None:
    assert [compact(n) for n in (None, 0, 8084, 9999, 10_000, 158_460, 9_054_051, 2 * 10**9)] == [
        "—",
        "0",
        "8,084",
        "9,999",
        "10k",
        "158k",
        "9.05M",
        "2B",
    ]
    assert compact(12_345) == "12.3k"
    assert compact(-25_000) == "-25k"
    assert percent(0.0325) == "3.25%"
    assert percent(None) == "—"
    assert [signed(n) for n in (38, -4, 0, None, 1200)] == ["+38", "-4", "±0", "—", "+1,200"]
    assert excerpt("A long\nfirst line of text", 12) == "A long firs…"
    assert excerpt("short", 12) == "short"


def test_the_summary_names_the_formula() -> None:
    figures = PlatformMetrics(
        "linkedin",
        posts=3,
        impressions=12_000,
        engagements=420,
        rated_engagements=390,
        rated_impressions=12_000,
        followers=2647,
        followers_change=109,
    )
    assert summary_lines(figures, 30) == [
        ("Posts", "3 · impressions 12k · engagements 420"),
        ("Engagement rate", "3.25%  = engagements / impressions"),
        ("Followers", "2,647  +109 in 30 days"),
    ]
    unknown = PlatformMetrics("mastodon", posts=1, engagements=4)
    lines = dict(summary_lines(unknown, 30))
    assert lines["Engagement rate"] == "—  (engagements / impressions: no post reports both)"
    assert lines["Followers"] == "— (no follower counts imported)"


# --- the score panel reads posts only for a strategy that uses them ---------------------------


def test_a_strategy_that_never_reads_posts_is_not_handed_them(conn: sqlite3.Connection) -> None:
    from smtui.builtins.checklist import ChecklistStrategy
    from smtui.core.score import score_range
    from smtui.scoring import Score, ScoringStrategy, Window

    post(conn, "x", NOW - H, 10, 1)
    seen: dict[str, int] = {}

    class Counting(ScoringStrategy):
        name = "counting"

        def score(self, window: Window) -> Score:
            seen[type(self).__name__] = len(window.posts)
            return Score(self.name, None, "", [])

    class Blind(Counting):
        uses_posts = False

    for strategy in (Counting(), Blind()):
        score_range(conn, strategy, NOW - DAY, NOW + DAY, NOW)
    assert seen == {"Counting": 1, "Blind": 0}
    assert ChecklistStrategy.uses_posts is False  # the dashboard's default strategy
