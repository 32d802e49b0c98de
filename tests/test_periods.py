"""Period bounds in the user's zone, including DST change days and year ends."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from smtui.core.periods import days_in, parse_period, period_bounds
from smtui.errors import UsageError

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
HOUR = 3600


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    """Epoch seconds of a UTC date-time, written out by hand in the tests."""
    return int(datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp())


def test_day_in_winter_berlin() -> None:
    # 2026-03-04 12:00 CET (UTC+1) is 11:00 UTC; the day runs 23:00 UTC to 23:00 UTC.
    assert period_bounds("day", utc(2026, 3, 4, 11), BERLIN) == (
        utc(2026, 3, 3, 23),
        utc(2026, 3, 4, 23),
    )


def test_day_boundary_instant_belongs_to_the_next_day() -> None:
    start, end = period_bounds("day", utc(2026, 3, 4, 23), BERLIN)
    assert start == utc(2026, 3, 4, 23)
    assert end == utc(2026, 3, 5, 23)


def test_spring_forward_day_is_23_hours_in_berlin() -> None:
    # Sunday 2026-03-29: 02:00 CET jumps to 03:00 CEST.
    start, end = period_bounds("day", utc(2026, 3, 29, 10), BERLIN)
    assert start == utc(2026, 3, 28, 23)  # 00:00 CET
    assert end == utc(2026, 3, 29, 22)  # 00:00 CEST on the 30th
    assert end - start == 23 * HOUR


def test_fall_back_day_is_25_hours_in_berlin() -> None:
    # Sunday 2026-10-25: 03:00 CEST falls back to 02:00 CET.
    start, end = period_bounds("day", utc(2026, 10, 25, 12), BERLIN)
    assert start == utc(2026, 10, 24, 22)  # 00:00 CEST
    assert end == utc(2026, 10, 25, 23)  # 00:00 CET on the 26th
    assert end - start == 25 * HOUR


def test_early_hours_of_fall_back_day_in_berlin_land_on_that_day() -> None:
    # 01:30 CEST on the 25th is 23:30 UTC on the 24th: the UTC date is the day before.
    assert period_bounds("day", utc(2026, 10, 24, 23, 30), BERLIN)[0] == utc(2026, 10, 24, 22)
    # 02:30 happens twice (00:30 and 01:30 UTC); both are on the 25th.
    for instant in (utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30)):
        assert period_bounds("day", instant, BERLIN) == (
            utc(2026, 10, 24, 22),
            utc(2026, 10, 25, 23),
        )


def test_spring_forward_day_is_23_hours_in_new_york() -> None:
    # Sunday 2026-03-08: 02:00 EST jumps to 03:00 EDT.
    start, end = period_bounds("day", utc(2026, 3, 8, 17), NEW_YORK)
    assert start == utc(2026, 3, 8, 5)  # 00:00 EST
    assert end == utc(2026, 3, 9, 4)  # 00:00 EDT
    assert end - start == 23 * HOUR


def test_fall_back_day_is_25_hours_in_new_york() -> None:
    # Sunday 2026-11-01: 02:00 EDT falls back to 01:00 EST.
    start, end = period_bounds("day", utc(2026, 11, 1, 17), NEW_YORK)
    assert start == utc(2026, 11, 1, 4)  # 00:00 EDT
    assert end == utc(2026, 11, 2, 5)  # 00:00 EST
    assert end - start == 25 * HOUR


@pytest.mark.parametrize(
    "instant",
    [
        utc(2026, 11, 1, 5, 30),  # 01:30 EDT, the first 01:30
        utc(2026, 11, 1, 6, 30),  # 01:30 EST, the second 01:30
    ],
)
def test_session_at_0130_on_fall_back_day_lands_on_that_day_in_new_york(instant: int) -> None:
    assert period_bounds("day", instant, NEW_YORK) == (utc(2026, 11, 1, 4), utc(2026, 11, 2, 5))


def test_late_evening_before_fall_back_stays_on_previous_day_in_new_york() -> None:
    # 23:30 EDT on Oct 31 is 03:30 UTC on Nov 1.
    assert period_bounds("day", utc(2026, 11, 1, 3, 30), NEW_YORK) == (
        utc(2026, 10, 31, 4),
        utc(2026, 11, 1, 4),
    )


def test_week_starts_monday_by_default() -> None:
    # Wednesday 2026-03-04 -> Monday 2026-03-02 00:00 CET to Monday 2026-03-09 00:00 CET.
    assert period_bounds("week", utc(2026, 3, 4, 11), BERLIN) == (
        utc(2026, 3, 1, 23),
        utc(2026, 3, 8, 23),
    )


def test_week_starting_sunday() -> None:
    # Wednesday 2026-03-04 -> Sunday 2026-03-01 to Sunday 2026-03-08.
    assert period_bounds("week", utc(2026, 3, 4, 11), BERLIN, week_start=6) == (
        utc(2026, 2, 28, 23),
        utc(2026, 3, 7, 23),
    )
    # On a Sunday itself, the week begins that very day.
    assert period_bounds("week", utc(2026, 3, 8, 9), BERLIN, week_start=6)[0] == utc(2026, 3, 7, 23)
    # With Monday weeks that Sunday is the last day of the week before.
    assert period_bounds("week", utc(2026, 3, 8, 9), BERLIN)[0] == utc(2026, 3, 1, 23)


def test_week_across_spring_forward_is_167_hours() -> None:
    start, end = period_bounds("week", utc(2026, 3, 26, 12), BERLIN)
    assert start == utc(2026, 3, 22, 23)  # Monday 23rd 00:00 CET
    assert end == utc(2026, 3, 29, 22)  # Monday 30th 00:00 CEST
    assert end - start == 167 * HOUR
    assert days_in(start, end, BERLIN) == 7


def test_bad_week_start() -> None:
    with pytest.raises(UsageError):
        period_bounds("week", utc(2026, 3, 4), BERLIN, week_start=7)


def test_month_february_and_leap_february() -> None:
    assert period_bounds("month", utc(2026, 2, 14, 12), BERLIN) == (
        utc(2026, 1, 31, 23),
        utc(2026, 2, 28, 23),
    )
    start, end = period_bounds("month", utc(2024, 2, 29, 12), BERLIN)
    assert (start, end) == (utc(2024, 1, 31, 23), utc(2024, 2, 29, 23))
    assert days_in(start, end, BERLIN) == 29


def test_month_with_dst_change_ends_at_summer_midnight() -> None:
    assert period_bounds("month", utc(2026, 3, 31, 21, 59), BERLIN) == (
        utc(2026, 2, 28, 23),
        utc(2026, 3, 31, 22),
    )
    # 00:30 CEST on April 1st is 22:30 UTC on March 31st: already April.
    assert period_bounds("month", utc(2026, 3, 31, 22, 30), BERLIN)[0] == utc(2026, 3, 31, 22)


def test_quarters() -> None:
    # Q4 2026 in New York: Oct 1 00:00 EDT to Jan 1 2027 00:00 EST.
    assert period_bounds("quarter", utc(2026, 11, 15), NEW_YORK) == (
        utc(2026, 10, 1, 4),
        utc(2027, 1, 1, 5),
    )
    # Q1 2027 in Berlin: Jan 1 00:00 CET to Apr 1 00:00 CEST (DST begins March 28th 2027).
    assert period_bounds("quarter", utc(2027, 2, 1), BERLIN) == (
        utc(2026, 12, 31, 23),
        utc(2027, 3, 31, 22),
    )
    # Q3 2026: Jul 1 to Oct 1, both in summer time.
    assert period_bounds("quarter", utc(2026, 9, 30, 21), BERLIN) == (
        utc(2026, 6, 30, 22),
        utc(2026, 9, 30, 22),
    )


def test_year_boundary() -> None:
    # 23:30 CET on Dec 31st 2026 is still 2026; 00:30 on Jan 1st is 2027.
    assert period_bounds("day", utc(2026, 12, 31, 22, 30), BERLIN) == (
        utc(2026, 12, 30, 23),
        utc(2026, 12, 31, 23),
    )
    assert period_bounds("day", utc(2026, 12, 31, 23, 30), BERLIN) == (
        utc(2026, 12, 31, 23),
        utc(2027, 1, 1, 23),
    )
    # Friday Jan 1st 2027 is in the week from Monday Dec 28th 2026.
    assert period_bounds("week", utc(2026, 12, 31, 23, 30), BERLIN) == (
        utc(2026, 12, 27, 23),
        utc(2027, 1, 3, 23),
    )
    assert period_bounds("month", utc(2026, 12, 15), BERLIN) == (
        utc(2026, 11, 30, 23),
        utc(2026, 12, 31, 23),
    )


def test_days_in() -> None:
    start, end = period_bounds("day", utc(2026, 10, 25, 12), BERLIN)
    assert days_in(start, end, BERLIN) == 1  # 25 hours, still one day
    assert days_in(start, start, BERLIN) == 0
    assert days_in(start, start + 1, BERLIN) == 1
    assert days_in(start - 1, start + 1, BERLIN) == 2
    month_start, month_end = period_bounds("month", utc(2026, 3, 10), BERLIN)
    assert days_in(month_start, month_end, BERLIN) == 31


def test_parse_period() -> None:
    assert parse_period(" Week ") == "week"
    assert [parse_period(p) for p in ("day", "month", "quarter")] == ["day", "month", "quarter"]
    with pytest.raises(UsageError) as info:
        parse_period("weekly")
    assert "did you mean 'week'?" in info.value.hint
    with pytest.raises(UsageError) as info:
        parse_period("fortnight")
    assert info.value.hint == "use one of: day, week, month, quarter"
