"""Calendar periods (day, week, month, quarter) as UTC epoch ranges in the user's zone.

A period is bounded by local midnights, built as zone-aware datetimes and only then turned
into epoch seconds, so a day is 23 or 25 hours long on a DST change and a session at 01:30
on the fall-back night lands on the day it happened.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from smtui.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import tzinfo

PERIODS: tuple[str, ...] = ("day", "week", "month", "quarter")


def parse_period(text: str) -> str:
    """The period named by ``text`` (case and spaces ignored); a UsageError otherwise."""
    name = text.strip().lower()
    if name in PERIODS:
        return name
    from smtui.core.kinds import closest

    guess = closest(name, PERIODS)
    hint = f"did you mean {guess!r}?" if guess else "use one of: " + ", ".join(PERIODS)
    raise UsageError(f"unknown period {text!r}", hint)


def local_midnight(day: date, zone: tzinfo) -> int:
    """Epoch seconds at which ``day`` begins in ``zone``.

    ``fold=0`` picks the earlier reading of an ambiguous time and, for a midnight skipped by a
    DST jump, the instant the day actually starts.
    """
    return int(datetime(day.year, day.month, day.day, tzinfo=zone).timestamp())


def local_date(instant: int, zone: tzinfo) -> date:
    """The calendar date of ``instant`` in ``zone``."""
    return datetime.fromtimestamp(instant, zone).date()


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_dates(period: str, day: date, week_start: int = 0) -> tuple[date, date]:
    """First day of the period containing ``day`` and first day of the next one."""
    if period == "day":
        return day, day + timedelta(days=1)
    if period == "week":
        if not 0 <= week_start <= 6:
            raise UsageError(f"bad week start {week_start}", "use 0 (Monday) to 6 (Sunday)")
        first = day - timedelta(days=(day.weekday() - week_start) % 7)
        return first, first + timedelta(days=7)
    if period == "month":
        first = day.replace(day=1)
        return first, _add_months(first, 1)
    if period == "quarter":
        first = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return first, _add_months(first, 3)
    return period_dates(parse_period(period), day, week_start)


def period_bounds(period: str, at: int, zone: tzinfo, week_start: int = 0) -> tuple[int, int]:
    """UTC epoch ``[start, end)`` of the day, week, month or quarter containing ``at`` in ``zone``.

    ``week_start`` is 0 for Monday up to 6 for Sunday.
    """
    first, after = period_dates(period, local_date(at, zone), week_start)
    return local_midnight(first, zone), local_midnight(after, zone)


def days_in(start: int, end: int, zone: tzinfo) -> int:
    """How many local calendar days ``[start, end)`` touches (0 when empty)."""
    if end <= start:
        return 0
    return (local_date(end - 1, zone) - local_date(start, zone)).days + 1
