"""The windows smtui scores and reports: periods (the year too), ranges, sessions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from smtui import clock
from smtui.core import sessions
from smtui.core.windows import parse_instant, period_window, range_window, session_window
from smtui.errors import NotFoundError, StateError, UsageError

if TYPE_CHECKING:
    import sqlite3

BERLIN = ZoneInfo("Europe/Berlin")
NOW = int(datetime(2026, 4, 15, 12, tzinfo=UTC).timestamp())


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    return int(datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp())


def test_a_year_runs_from_local_new_year_to_the_next() -> None:
    assert period_window("year", utc(2026, 7, 1), BERLIN) == (
        utc(2025, 12, 31, 23),
        utc(2026, 12, 31, 23),
    )


def test_calendar_periods_follow_the_week_start() -> None:
    wednesday = utc(2026, 3, 25, 12)
    assert period_window("week", wednesday, UTC, 2) == (utc(2026, 3, 25), utc(2026, 4, 1))
    assert period_window("day", utc(2026, 3, 29, 12), BERLIN) == (
        utc(2026, 3, 28, 23),
        utc(2026, 3, 29, 22),
    )


def test_an_unknown_period_suggests_the_closest() -> None:
    with pytest.raises(UsageError) as caught:
        period_window("yaer", NOW, UTC)
    assert caught.value.hint == "did you mean 'year'?"


def test_a_date_as_the_end_of_a_range_includes_that_day() -> None:
    assert range_window("2026-03-01", "2026-03-31", BERLIN, NOW) == (
        utc(2026, 2, 28, 23),
        utc(2026, 3, 31, 22),  # midnight after March 31st, in summer time
    )
    assert range_window("2026-03-01 09:30", "2026-03-01 17:00", UTC, NOW) == (
        utc(2026, 3, 1, 9, 30),
        utc(2026, 3, 1, 17),
    )
    assert range_window("2026-04-15 08:00", None, UTC, NOW) == (utc(2026, 4, 15, 8), NOW)


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (None, "2026-03-01", "--to needs --from"),
        ("2026-03-10", "2026-03-01", "the range from '2026-03-10' to '2026-03-01' is empty"),
        ("2026-02-30", None, "bad --from date '2026-02-30'"),
        ("someday", None, "bad --from time 'someday'"),
    ],
)
def test_bad_ranges_are_refused(start: str | None, end: str | None, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        range_window(start, end, UTC, NOW)
    assert caught.value.message == message


def test_parse_instant_reads_dates_and_times_in_the_zone() -> None:
    assert parse_instant("2026-03-29", BERLIN, NOW, what="--from") == utc(2026, 3, 28, 23)
    assert parse_instant("2026-03-29", BERLIN, NOW, what="--to", end=True) == utc(2026, 3, 29, 22)
    assert parse_instant("2026-03-29T10:00+00:00", BERLIN, NOW, what="--from") == utc(
        2026, 3, 29, 10
    )


def test_a_session_window_ends_now_while_it_runs(conn: sqlite3.Connection) -> None:
    clock.freeze(NOW)
    with pytest.raises(StateError):
        session_window(conn, None, NOW)
    done = sessions.add(conn, "x", "", NOW - 3 * 3600, NOW - 2 * 3600)
    sessions.start(conn, "linkedin", "", at=NOW - 600)

    assert session_window(conn, done.id, NOW) == (NOW - 3 * 3600, NOW - 2 * 3600)
    assert session_window(conn, None, NOW) == (NOW - 600, NOW)
    with pytest.raises(NotFoundError):
        session_window(conn, 99, NOW)
