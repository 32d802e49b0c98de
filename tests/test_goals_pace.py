"""Goal pace beyond progress: today's bare minimum, streaks of periods met, the batch reading
of past periods, ``goal_met`` once per period, and how ``smtui goals`` shows them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest

from smtui import clock
from smtui.core import events, outcomes, sessions
from smtui.core.goals import (
    STREAK_LIMIT,
    add_goal,
    measure_values,
    progress,
    streak,
    streak_text,
)
from smtui.core.measures import measure_value
from smtui.store.db import Transaction

if TYPE_CHECKING:
    import sqlite3
    from pathlib import Path

BERLIN = ZoneInfo("Europe/Berlin")
H = 3600
DAY = 24 * H


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    return int(datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp())


# Wednesday 2026-03-04 12:00 CET; the week (Monday start) began 2026-03-01 23:00 UTC.
WEDNESDAY_NOON = utc(2026, 3, 4, 11)
WEEK_START = utc(2026, 3, 1, 23)


def lead(conn: sqlite3.Connection, at: int) -> None:
    outcomes.log(conn, "lead", session=None, at=at)


# --- bare minimum --------------------------------------------------------------------------------


def test_bare_minimum_is_what_ends_today_on_the_line(conn: sqlite3.Connection) -> None:
    clock.freeze(WEDNESDAY_NOON)
    lead(conn, utc(2026, 3, 2, 9))
    goal = add_goal(conn, name="7 leads", measure="outcomes", target=7, period="week")

    p = progress(conn, goal, WEDNESDAY_NOON, BERLIN)

    # Tonight (Thursday 00:00 CET) 3 of 7 days are gone: the line is at 3 leads; 1 is done.
    assert p.bare_minimum == pytest.approx(2)


def test_bare_minimum_of_a_budget_is_what_today_may_still_use(conn: sqlite3.Connection) -> None:
    clock.freeze(WEDNESDAY_NOON)
    sessions.add(conn, "x", "", utc(2026, 3, 2, 8), utc(2026, 3, 2, 10))  # 2 h of playtime
    goal = add_goal(
        conn, name="7 h", measure="playtime", target=7 * H, period="week", direction="at_most"
    )

    p = progress(conn, goal, WEDNESDAY_NOON, BERLIN)

    assert p.bare_minimum == pytest.approx(3 * H - 2 * H)  # line at 3 h tonight, 2 h used


def test_bare_minimum_is_zero_once_ahead(conn: sqlite3.Connection) -> None:
    clock.freeze(WEDNESDAY_NOON)
    for hour in range(5):
        lead(conn, utc(2026, 3, 2, hour + 8))
    goal = add_goal(conn, name="7 leads", measure="outcomes", target=7, period="week")

    assert progress(conn, goal, WEDNESDAY_NOON, BERLIN).bare_minimum == 0


def test_bare_minimum_on_the_23_hour_day(conn: sqlite3.Connection) -> None:
    # Sunday 2026-03-29 in Berlin lasts 23 h; a day goal's line reaches the target tonight.
    now = utc(2026, 3, 29, 10)
    clock.freeze(now)
    lead(conn, utc(2026, 3, 29, 9))
    goal = add_goal(conn, name="3 a day", measure="outcomes", target=3, period="day")

    p = progress(conn, goal, now, BERLIN)

    assert p.end - p.start == 23 * H
    assert p.bare_minimum == pytest.approx(2)


# --- streaks -------------------------------------------------------------------------------------


def daily_leads(conn: sqlite3.Connection, days: list[int]) -> None:
    """A lead at 09:00 UTC on each of these days of March 2026."""
    for day in days:
        lead(conn, utc(2026, 3, day, 9))


def test_streak_counts_back_from_today_while_met(conn: sqlite3.Connection) -> None:
    clock.freeze(utc(2026, 3, 1))
    goal = add_goal(conn, name="a lead a day", measure="outcomes", target=1, period="day")
    now = utc(2026, 3, 10, 12)
    clock.freeze(now)
    daily_leads(conn, [2, 3, 5, 6, 7, 8, 9, 10])  # the 4th was missed

    found = streak(conn, goal, now, UTC)

    assert (found.periods, found.current, found.capped) == (6, True, False)  # the 5th to today
    assert found.since == utc(2026, 3, 5)
    assert streak_text(found, "day") == "6 days"


def test_streak_does_not_count_today_before_it_is_met(conn: sqlite3.Connection) -> None:
    clock.freeze(utc(2026, 3, 1))
    goal = add_goal(conn, name="a lead a day", measure="outcomes", target=1, period="day")
    now = utc(2026, 3, 10, 8)
    clock.freeze(now)
    daily_leads(conn, [8, 9])

    found = streak(conn, goal, now, UTC)

    assert (found.periods, found.current, found.since) == (2, False, utc(2026, 3, 8))


def test_streak_never_reaches_before_the_goal_was_made(conn: sqlite3.Connection) -> None:
    clock.freeze(utc(2026, 3, 6, 15))
    goal = add_goal(conn, name="a lead a day", measure="outcomes", target=1, period="day")
    now = utc(2026, 3, 10, 12)
    clock.freeze(now)
    daily_leads(conn, list(range(1, 11)))

    found = streak(conn, goal, now, UTC)

    assert (found.periods, found.since) == (5, utc(2026, 3, 6))  # the 6th to the 10th


def test_a_budget_streak_counts_finished_periods_within_it(conn: sqlite3.Connection) -> None:
    clock.freeze(utc(2026, 2, 1))
    goal = add_goal(
        conn, name="scroll", measure="playtime", target=H, period="week", direction="at_most"
    )
    clock.freeze(WEDNESDAY_NOON)
    # The week of 2026-02-09 went over budget (2 h); the two after it stayed within; the
    # current one has not ended.
    sessions.add(conn, "x", "", utc(2026, 2, 10, 8), utc(2026, 2, 10, 10))
    sessions.add(conn, "x", "", utc(2026, 2, 17, 8), utc(2026, 2, 17, 8, 30))
    sessions.add(conn, "x", "", utc(2026, 3, 2, 8), utc(2026, 3, 2, 10))

    found = streak(conn, goal, WEDNESDAY_NOON, BERLIN)

    assert (found.periods, found.current) == (2, False)
    assert found.since == utc(2026, 2, 15, 23)  # Monday 2026-02-16 00:00 CET
    assert streak_text(found, "week") == "2 weeks"


def test_streak_stops_at_its_limit(conn: sqlite3.Connection) -> None:
    clock.freeze(utc(2026, 1, 1))
    goal = add_goal(
        conn, name="quiet", measure="playtime", target=H, period="day", direction="at_most"
    )
    now = utc(2026, 3, 10, 12)
    clock.freeze(now)

    found = streak(conn, goal, now, UTC, limit=20)
    unlimited = streak(conn, goal, now, UTC)

    assert (found.periods, found.capped) == (20, True)
    assert streak_text(found, "day") == "20+ days"
    assert unlimited.periods == 68  # every finished day of 2026 so far (Jan 1st to Mar 9th)
    assert STREAK_LIMIT >= 68


def test_no_streak(conn: sqlite3.Connection) -> None:
    clock.freeze(utc(2026, 3, 1))
    goal = add_goal(conn, name="a lead a day", measure="outcomes", target=1, period="day")
    now = utc(2026, 3, 10, 12)
    clock.freeze(now)

    found = streak(conn, goal, now, UTC)

    assert (found.periods, found.since, streak_text(found, "day")) == (0, None, "none")


@pytest.mark.parametrize(
    ("measure", "subject", "platform"),
    [
        (measure, subject, platform)
        for measure, subject in [
            ("time_total", ""),
            ("productive_time", ""),
            ("playtime", ""),
            ("outcomes", ""),
            ("outcomes", "lead"),
            ("posts", ""),
            ("post_metric", "likes"),
            ("engagement_rate", ""),
            ("followers_gained", ""),
            ("revenue", ""),
            ("revenue", "eur"),
        ]
        for platform in (None, "linkedin")
    ],
)
def test_batch_reading_equals_one_period_at_a_time(
    conn: sqlite3.Connection, measure: str, subject: str, platform: str | None
) -> None:
    now = utc(2026, 3, 20)
    clock.freeze(now)
    for day in range(1, 15):
        start = utc(2026, 3, day, 9)
        on = "linkedin" if day % 2 else "x"
        done = sessions.add(conn, on, "", start, start + H)
        if day % 3:
            outcomes.log(conn, "lead", session=done.id, at=start + 60)
        if day % 4 == 1:
            outcomes.log(
                conn, "deal", session=None, at=start, amount_minor=day * 1000, currency="EUR",
                platform=on,
            )  # fmt: skip
        with Transaction(conn):
            conn.execute(
                "INSERT INTO posts (platform, external_id, published_at, impressions,"
                " engagements, likes) VALUES (?, ?, ?, ?, ?, ?)",
                (on, f"p{day}", start + 600, 100 * day, day, 2 * day),
            )
            conn.execute(
                "INSERT INTO account_snapshots (platform, account, taken_at, followers)"
                " VALUES (?, '', ?, ?)",
                (on, start, 100 + day * day),
            )
    goal = add_goal(
        conn, name="g", measure=measure, subject=subject, target=1, period="day",
        platform=platform,
    )  # fmt: skip
    windows = [(utc(2026, 3, day), utc(2026, 3, day + 1)) for day in range(1, 16)]
    windows.append((utc(2026, 3, 1), utc(2026, 3, 8)))

    batch = measure_values(conn, goal, windows, now)
    single = [
        measure_value(conn, goal.measure, goal.subject, goal.platform, a, b, now)
        for a, b in windows
    ]

    assert batch == pytest.approx(single)
    assert any(single)  # the data reaches every measure


# --- goal_met ------------------------------------------------------------------------------------


class Config:
    plugins_disabled: tuple[str, ...] = ()
    timezone = "UTC"
    week_start = 0


def test_goal_met_fires_once_per_goal_and_period(
    conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[tuple[str, int]] = []

    def fire(hook: str, config: object, heard: object, arguments: dict[str, Any]) -> list[str]:
        told.append((arguments["goal"].name, arguments["progress"].start))
        return []

    monkeypatch.setattr(events, "_fire", fire)
    heard = {events.GOAL_MET: ("listener",)}
    monday = utc(2026, 3, 2, 9)
    clock.freeze(monday)
    add_goal(conn, name="a lead a day", measure="outcomes", target=1, period="day")
    add_goal(conn, name="budget", measure="playtime", target=H, period="day", direction="at_most")

    assert events._goals_met(conn, Config(), heard, monday) == []
    assert told == []  # not met yet; a budget is never "met" while its period runs
    lead(conn, monday)
    events._goals_met(conn, Config(), heard, monday)
    clock.freeze(monday + 120)
    lead(conn, monday + 60)
    events._goals_met(conn, Config(), heard, monday + 120)
    assert told == [("a lead a day", utc(2026, 3, 2))]
    clock.freeze(monday + DAY)
    lead(conn, monday + DAY)
    events._goals_met(conn, Config(), heard, monday + DAY)
    events._goals_met(conn, Config(), heard, monday + DAY)
    assert told == [("a lead a day", utc(2026, 3, 2)), ("a lead a day", utc(2026, 3, 3))]
    rows = conn.execute("SELECT goal_id, period_start, event FROM goal_events ORDER BY 2")
    met = events.GOAL_MET
    assert rows.fetchall() == [(1, utc(2026, 3, 2), met), (1, utc(2026, 3, 3), met)]


# --- smtui goals ---------------------------------------------------------------------------------


@pytest.fixture
def with_goal(cli: Any, smtui_home: Path) -> Any:
    clock.freeze(utc(2026, 3, 1))
    assert cli("goals", "add", "A lead a day", "-m", "outcomes", "-s", "lead", "-t", "1",
               "-p", "day").code == 0  # fmt: skip
    for day in (7, 8, 9, 10):
        clock.freeze(utc(2026, 3, day, 9))
        assert cli("log", "lead", "--no-session").code == 0
    clock.freeze(utc(2026, 3, 10, 12))
    yield cli
    clock.freeze(None)


def test_goals_alone_lists_today_and_the_streak(with_goal: Any) -> None:
    out = with_goal("goals").out
    header, _, row = out.splitlines()[:3]
    assert header.split() == [
        "id", "goal", "progress", "expected", "now", "pace", "needed", "today", "streak", "status"
    ]  # fmt: skip
    assert "4 days" in row
    assert row.split()[-1] == "met"
    assert with_goal("goals", "list").out == out


def test_goals_json_has_the_bare_minimum_and_the_streak(with_goal: Any) -> None:
    (record,) = json.loads(with_goal("goals", "-f", "json").out)
    assert record["bare_minimum"] == 0
    assert record["streak"] == {
        "periods": 4,
        "since": utc(2026, 3, 7),
        "current": True,
        "capped": False,
    }


def test_goals_show_says_the_streak_and_today(with_goal: Any) -> None:
    out = with_goal("goals", "show", "1").out
    assert "  bare minimum today: 0" in out
    assert "  streak: 4 days met in a row" in out
