"""Measures, goal validation and storage, targets, and progress with pace."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from smtui import clock
from smtui.core import outcomes, sessions
from smtui.core.goals import (
    BEHIND,
    MET,
    ON_TRACK,
    OVER,
    Goal,
    GoalProgress,
    add_goal,
    delete_goal,
    format_value,
    get_goal,
    list_goals,
    parse_direction,
    parse_target,
    progress,
    progress_all,
)
from smtui.core.measures import MEASURES, POST_METRICS, measure_value
from smtui.errors import NotFoundError, UsageError
from smtui.store.db import Transaction

if TYPE_CHECKING:
    import sqlite3

BERLIN = ZoneInfo("Europe/Berlin")
M = 60
H = 3600
DAY = 24 * H


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    return int(datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp())


def insert_post(
    conn: sqlite3.Connection,
    platform: str,
    external_id: str,
    published_at: int,
    *,
    impressions: int | None,
    engagements: int | None,
    likes: int | None = None,
) -> None:
    with Transaction(conn):
        conn.execute(
            "INSERT INTO posts (platform, external_id, published_at, impressions, engagements,"
            " likes) VALUES (?, ?, ?, ?, ?, ?)",
            (platform, external_id, published_at, impressions, engagements, likes),
        )


def insert_snapshot(
    conn: sqlite3.Connection, platform: str, account: str, taken_at: int, followers: int | None
) -> None:
    with Transaction(conn):
        conn.execute(
            "INSERT INTO account_snapshots (platform, account, taken_at, followers)"
            " VALUES (?, ?, ?, ?)",
            (platform, account, taken_at, followers),
        )


# --- measures ---------------------------------------------------------------------------

B = 1_800_000_000
START, END = B, B + 12 * H
NOW = B + 10 * H


@pytest.fixture
def store(conn: sqlite3.Connection) -> sqlite3.Connection:
    clock.freeze(B + 13 * H)
    productive = sessions.add(conn, "linkedin", "prospecting", B, B + H)
    outcomes.log(conn, "lead", session=productive.id, at=B + 30 * M)
    sessions.add(conn, "x", "engagement", B + 2 * H, B + 2 * H + 30 * M)
    sessions.add(conn, "linkedin", "", B + 3 * H, B + 3 * H + 20 * M)
    sessions.start(conn, "bluesky", "content", at=B + 9 * H + 50 * M)

    outcomes.log(conn, "lead", session=None, at=B + 4 * H, platform="linkedin")
    outcomes.log(
        conn,
        "deal",
        session=None,
        at=B + 5 * H,
        platform="linkedin",
        amount_minor=120000,
        currency="EUR",
    )
    outcomes.log(
        conn, "deal", session=None, at=B + 6 * H, platform="x", amount_minor=30050, currency="USD"
    )
    outcomes.log(conn, "prospect_identified", session=None, at=B + 6 * H, platform="x")
    outcomes.log(conn, "lead", session=None, at=B - 1, platform="linkedin")
    outcomes.log(
        conn, "deal", session=None, at=END, platform="linkedin", amount_minor=99900, currency="EUR"
    )

    insert_post(conn, "linkedin", "p1", B + H, impressions=1000, engagements=50, likes=30)
    insert_post(conn, "x", "p2", B + 2 * H, impressions=500, engagements=40, likes=10)
    insert_post(conn, "linkedin", "p3", B + 3 * H, impressions=None, engagements=7)
    insert_post(conn, "linkedin", "p4", B - H, impressions=9999, engagements=999)

    insert_snapshot(conn, "linkedin", "", B - DAY, 100)
    insert_snapshot(conn, "linkedin", "", B + H, 110)
    insert_snapshot(conn, "linkedin", "", B + 5 * H, 125)
    insert_snapshot(conn, "linkedin", "", B + 13 * H, 200)
    insert_snapshot(conn, "x", "me", B + 2 * H, 50)
    insert_snapshot(conn, "x", "me", B + 6 * H, 48)
    insert_snapshot(conn, "x", "me", B + 7 * H, None)
    insert_snapshot(conn, "mastodon", "", B - H, 10)
    return conn


def value(
    conn: sqlite3.Connection, measure: str, subject: str = "", platform: str | None = None
) -> float:
    return measure_value(conn, measure, subject, platform, START, END, NOW)


def test_time_measures(store: sqlite3.Connection) -> None:
    # productive 1h; playtime 30m + 20m; running bluesky 10m up to NOW.
    assert value(store, "time_total") == 7200
    assert value(store, "productive_time") == 3600
    assert value(store, "playtime") == 3000
    assert value(store, "time_total", platform="linkedin") == 4800
    assert value(store, "playtime", platform="linkedin") == 1200
    assert value(store, "time_total", platform="bluesky") == 600
    assert value(store, "time_total", platform="mastodon") == 0


def test_outcome_measures(store: sqlite3.Connection) -> None:
    assert value(store, "outcomes") == 5
    assert value(store, "outcomes", "lead") == 2
    assert value(store, "outcomes", "deal") == 2
    assert value(store, "outcomes", platform="x") == 2
    assert value(store, "outcomes", "lead", platform="x") == 0


def test_revenue(store: sqlite3.Connection) -> None:
    assert value(store, "revenue") == 1500.50
    assert value(store, "revenue", "EUR") == 1200.0
    assert value(store, "revenue", "usd") == 300.50
    assert value(store, "revenue", platform="x") == 300.50


def test_post_measures(store: sqlite3.Connection) -> None:
    assert value(store, "posts") == 3
    assert value(store, "posts", platform="linkedin") == 2
    assert value(store, "post_metric", "impressions") == 1500
    assert value(store, "post_metric", "engagements") == 97
    assert value(store, "post_metric", "likes") == 40
    assert value(store, "post_metric", "reach") == 0
    # p3 has no impressions and is left out of the rate: (50 + 40) / (1000 + 500).
    assert value(store, "engagement_rate") == pytest.approx(0.06)
    assert value(store, "engagement_rate", platform="linkedin") == pytest.approx(0.05)
    assert value(store, "engagement_rate", platform="x") == pytest.approx(0.08)
    assert value(store, "engagement_rate", platform="mastodon") == 0.0


def test_post_metric_refuses_unknown_column(store: sqlite3.Connection) -> None:
    with pytest.raises(UsageError):
        value(store, "post_metric", "text) FROM posts; --")


def test_followers_gained(store: sqlite3.Connection) -> None:
    # linkedin: 125 (last in window) - 100 (last before it) = 25;
    # x: 48 - 50 (no earlier snapshot, so the first in the window) = -2;
    # mastodon has no snapshot in the window.
    assert value(store, "followers_gained") == 23
    assert value(store, "followers_gained", platform="linkedin") == 25
    assert value(store, "followers_gained", platform="x") == -2
    assert value(store, "followers_gained", platform="mastodon") == 0


def test_every_measure_is_computable(store: sqlite3.Connection) -> None:
    subjects = {"post_metric": "impressions"}
    for name in MEASURES:
        assert isinstance(value(store, name, subjects.get(name, "")), float)


def test_unknown_measure(store: sqlite3.Connection) -> None:
    with pytest.raises(UsageError) as info:
        value(store, "outcome")
    assert info.value.hint == "did you mean 'outcomes'?"


def test_post_metrics_are_the_posts_metric_columns(conn: sqlite3.Connection) -> None:
    columns = [row[1] for row in conn.execute("PRAGMA table_info(posts)")]
    start = columns.index("impressions")
    assert columns[start : start + len(POST_METRICS)] == list(POST_METRICS)


# --- goals: validation and storage -------------------------------------------------------


def test_add_list_get_delete(conn: sqlite3.Connection) -> None:
    clock.freeze(B)
    first = add_goal(
        conn,
        name=" Two leads ",
        measure="outcomes",
        subject="lead",
        target=2,
        period="Week",
        platform=" LinkedIn ",
    )
    second = add_goal(
        conn, name="Little play", measure="playtime", target=3600, period="day", direction="at-most"
    )
    assert first == Goal(
        first.id, "Two leads", "outcomes", "lead", "at_least", 2.0, "week", "linkedin", B
    )
    assert second.direction == "at_most"
    assert second.platform is None
    assert list_goals(conn) == [first, second]
    assert get_goal(conn, second.id) == second
    assert delete_goal(conn, first.id) == first
    assert list_goals(conn) == [second]
    with pytest.raises(NotFoundError):
        get_goal(conn, first.id)


@pytest.mark.parametrize(
    ("kwargs", "message", "hint"),
    [
        ({"measure": "outcome"}, "unknown measure 'outcome'", "did you mean 'outcomes'?"),
        ({"measure": "time_total", "subject": "lead"}, "takes no subject", ""),
        ({"measure": "post_metric"}, "needs a post metric", "impressions"),
        (
            {"measure": "post_metric", "subject": "impresions"},
            "unknown post metric",
            "did you mean 'impressions'?",
        ),
        (
            {"measure": "outcomes", "subject": "leed"},
            "unknown outcome kind",
            "did you mean 'lead'?",
        ),
        ({"measure": "outcomes", "subject": "newsletter_signup"}, "unknown outcome kind", ""),
        ({"target": -1}, "must be zero or more", ""),
        ({"measure": "engagement_rate", "target": 2.5}, "more than 100%", "2.5%"),
        ({"period": "weekly"}, "unknown period", "did you mean 'week'?"),
        ({"direction": "atmost"}, "unknown direction", "did you mean 'at_most'?"),
        ({"name": "  "}, "needs a name", ""),
        ({"measure": "revenue", "subject": "euro"}, "bad currency", "ISO 4217"),
    ],
)
def test_add_goal_validation(
    conn: sqlite3.Connection, kwargs: dict[str, object], message: str, hint: str
) -> None:
    args: dict[str, object] = {"name": "g", "measure": "time_total", "target": 1, "period": "day"}
    args.update(kwargs)
    with pytest.raises(UsageError) as info:
        add_goal(conn, **args)  # type: ignore[arg-type]
    assert message in info.value.message
    assert hint in info.value.hint
    assert list_goals(conn) == []


def test_plugin_outcome_kinds_are_accepted_when_known(conn: sqlite3.Connection) -> None:
    goal = add_goal(
        conn,
        name="signups",
        measure="outcomes",
        subject="newsletter_signup",
        target=3,
        period="week",
        known_kinds={"newsletter_signup", "lead"},
    )
    assert goal.subject == "newsletter_signup"
    revenue = add_goal(
        conn, name="money", measure="revenue", subject="eur", target=1000, period="month"
    )
    assert revenue.subject == "EUR"


def test_parse_direction() -> None:
    assert parse_direction("at least") == "at_least"
    assert parse_direction("AT_MOST") == "at_most"


# --- targets and formatting ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "text", "expected"),
    [
        ("time_total", "6h", 21600.0),
        ("productive_time", "90m", 5400.0),
        ("playtime", "1h30m", 5400.0),
        ("playtime", "0", 0.0),
        ("outcomes", "5", 5.0),
        ("posts", "2.5", 2.5),
        ("post_metric", "10,000", 10000.0),
        ("engagement_rate", "2.5%", 0.025),
        ("engagement_rate", "0.025", 0.025),
        ("revenue", "1200", 1200.0),
        ("revenue", "1,200.50", 1200.5),
    ],
)
def test_parse_target(measure: str, text: str, expected: float) -> None:
    assert parse_target(measure, text) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("measure", "text", "hint"),
    [
        ("time_total", "6", "unit"),
        ("outcomes", "-1", ""),
        ("outcomes", "five", "number"),
        ("engagement_rate", "2.5", "2.5%"),
        ("revenue", "-5", ""),
        ("outcome", "5", "did you mean 'outcomes'?"),
    ],
)
def test_parse_target_errors(measure: str, text: str, hint: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_target(measure, text)
    assert hint in str(info.value)


def test_format_value() -> None:
    assert format_value("time_total", 5400) == "1h 30m"
    assert format_value("playtime", 2880.4) == "48m"
    assert format_value("outcomes", 5.0) == "5"
    assert format_value("posts", 2.5) == "2.5"
    assert format_value("post_metric", 12345) == "12,345"
    assert format_value("engagement_rate", 0.025) == "2.50%"
    assert format_value("revenue", 1200.5) == "1,200.50"


# --- progress -----------------------------------------------------------------------------

# Week of Monday 2026-03-02 in Berlin (CET, UTC+1): it runs from 2026-03-01 23:00 UTC for
# exactly 7 * 24 h. "Now" is Wednesday 12:00 CET, 2.5 days in: elapsed = 2.5 / 7.
WEEK_START, WEEK_END = utc(2026, 3, 1, 23), utc(2026, 3, 8, 23)
WEDNESDAY_NOON = utc(2026, 3, 4, 11)


@pytest.fixture
def week(conn: sqlite3.Connection) -> sqlite3.Connection:
    """Monday 2h productive on linkedin, Tuesday 1h playtime on x: 3h in all."""
    clock.freeze(WEDNESDAY_NOON)
    monday = sessions.add(conn, "linkedin", "prospecting", utc(2026, 3, 2, 8), utc(2026, 3, 2, 10))
    outcomes.log(conn, "lead", session=monday.id, at=utc(2026, 3, 2, 9))
    sessions.add(conn, "x", "", utc(2026, 3, 3, 13), utc(2026, 3, 3, 14))
    return conn


def goal_progress(
    conn: sqlite3.Connection, measure: str, target: float, direction: str
) -> GoalProgress:
    goal = add_goal(
        conn,
        name=f"{measure} {direction} {target}",
        measure=measure,
        target=target,
        period="week",
        direction=direction,
    )
    return progress(conn, goal, WEDNESDAY_NOON, BERLIN)


def test_at_least_on_track(week: sqlite3.Connection) -> None:
    p = goal_progress(week, "time_total", 7 * H, "at_least")
    assert (p.start, p.end) == (WEEK_START, WEEK_END)
    assert p.value == 3 * H
    assert p.elapsed == pytest.approx(2.5 / 7)
    assert p.expected_by_now == pytest.approx(9000)  # 25200 * 2.5 / 7
    assert p.days_left == 5  # Wednesday to Sunday
    assert p.needed_per_day == pytest.approx(2880)  # (25200 - 10800) / 5
    assert p.safety_days == pytest.approx(0.5)  # (10800 - 9000) / (25200 / 7)
    assert p.status == ON_TRACK
    assert p.urgency == pytest.approx(14400 / 25200 / 5)
    assert p.completion == pytest.approx(10800 / 25200)


def test_at_least_behind(week: sqlite3.Connection) -> None:
    p = goal_progress(week, "time_total", 14 * H, "at_least")
    assert p.expected_by_now == pytest.approx(18000)  # 50400 * 2.5 / 7
    assert p.needed_per_day == pytest.approx(7920)  # (50400 - 10800) / 5
    assert p.safety_days == pytest.approx(-1.0)  # (10800 - 18000) / 7200
    assert p.status == BEHIND
    # share still to do per day left (39600 / 50400 / 5) + share behind (7200 / 50400)
    assert p.urgency == pytest.approx(0.3)


def test_at_least_met(week: sqlite3.Connection) -> None:
    p = goal_progress(week, "productive_time", 2 * H, "at_least")
    assert p.value == 2 * H
    assert p.status == MET
    assert p.needed_per_day == 0
    assert p.urgency == 0
    assert p.safety_days == pytest.approx((7200 - 7200 * 2.5 / 7) / (7200 / 7))


def test_at_most_on_track(week: sqlite3.Connection) -> None:
    p = goal_progress(week, "playtime", 7 * H, "at_most")
    assert p.value == H
    assert p.expected_by_now == pytest.approx(9000)
    assert p.needed_per_day == pytest.approx(4320)  # budget left: (25200 - 3600) / 5
    assert p.safety_days == pytest.approx(1.5)  # (9000 - 3600) / 3600
    assert p.status == ON_TRACK
    assert p.urgency == 0


def test_at_most_ahead_of_budget_line_is_behind(week: sqlite3.Connection) -> None:
    p = goal_progress(week, "playtime", 2 * H, "at_most")
    assert p.expected_by_now == pytest.approx(7200 * 2.5 / 7)
    assert p.needed_per_day == pytest.approx(720)  # (7200 - 3600) / 5
    assert p.safety_days == pytest.approx(-1.0)  # (2571.43 - 3600) / (7200 / 7)
    assert p.status == BEHIND
    assert p.urgency == pytest.approx((3600 - 7200 * 2.5 / 7) / 7200)


def test_at_most_over(week: sqlite3.Connection) -> None:
    p = goal_progress(week, "playtime", 30 * M, "at_most")
    assert p.status == OVER
    assert p.needed_per_day == 0
    assert p.urgency == pytest.approx(2.0)  # 1 + (3600 - 1800) / 1800


def test_progress_all_sorts_most_urgent_first(week: sqlite3.Connection) -> None:
    on_track = add_goal(week, name="a", measure="time_total", target=7 * H, period="week")
    met = add_goal(week, name="b", measure="productive_time", target=2 * H, period="week")
    behind = add_goal(week, name="c", measure="time_total", target=14 * H, period="week")
    over = add_goal(
        week, name="d", measure="playtime", target=30 * M, period="week", direction="at_most"
    )
    budget_behind = add_goal(
        week, name="e", measure="playtime", target=2 * H, period="week", direction="at_most"
    )
    within = add_goal(
        week, name="f", measure="playtime", target=7 * H, period="week", direction="at_most"
    )
    order = [p.goal.id for p in progress_all(week, WEDNESDAY_NOON, BERLIN)]
    # urgencies: over 2.0, behind 0.3, budget_behind 1/7, on_track 0.114, then the zeros by id
    assert order == [over.id, behind.id, budget_behind.id, on_track.id, met.id, within.id]


def test_day_goal_on_the_23_hour_day(conn: sqlite3.Connection) -> None:
    # Sunday 2026-03-29 in Berlin starts 2026-03-28 23:00 UTC and lasts 23 h. At 12:00 CEST
    # (10:00 UTC) 11 of its 23 hours are gone.
    now = utc(2026, 3, 29, 10)
    clock.freeze(now)
    insert_post(conn, "x", "a", utc(2026, 3, 28, 23, 30), impressions=10, engagements=1)
    insert_post(conn, "x", "b", utc(2026, 3, 29, 9), impressions=10, engagements=1)
    insert_post(
        conn, "x", "c", utc(2026, 3, 28, 22, 59), impressions=10, engagements=1
    )  # Saturday 23:59 CET
    goal = add_goal(conn, name="posts", measure="posts", target=23, period="day")
    p = progress(conn, goal, now, BERLIN)
    assert p.value == 2
    assert p.end - p.start == 23 * H
    assert p.elapsed == pytest.approx(11 / 23)
    assert p.expected_by_now == pytest.approx(11)
    assert p.days_left == 1
    assert p.needed_per_day == 21
    assert p.safety_days == pytest.approx(-9 / 23)
    assert p.status == BEHIND


def test_month_goal_days_left_counts_today(conn: sqlite3.Connection) -> None:
    # Monday 2026-03-30 12:00 CEST: March 30th and 31st are left.
    now = utc(2026, 3, 30, 10)
    clock.freeze(now)
    goal = add_goal(
        conn, name="leads", measure="outcomes", subject="lead", target=10, period="month"
    )
    p = progress(conn, goal, now, BERLIN)
    assert p.days_left == 2
    assert p.needed_per_day == 5
    assert p.status == BEHIND
    # March has 31 days: one day of pace is 10 / 31.
    assert p.safety_days == pytest.approx(-p.expected_by_now / (10 / 31))
