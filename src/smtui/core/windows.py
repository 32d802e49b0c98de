"""The windows of time smtui scores, reports and analyses: a session, a period, any range.

Periods are the calendar ones of :mod:`smtui.core.periods` plus ``year`` (reports and scores
only: goals keep to day, week, month and quarter), bounded by local midnights, so a day is 23
or 25 hours long on a DST change. A custom range is ``--from`` up to ``--to``; a bare date
there means that whole day: ``--from 2026-03-01 --to 2026-03-31`` is the 31 days of March.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from smtui.core.periods import local_date, local_midnight, period_bounds
from smtui.errors import NotFoundError, StateError, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from datetime import tzinfo

WINDOW_PERIODS: tuple[str, ...] = ("day", "week", "month", "quarter", "year")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
RANGE_HINT = "use a date like 2026-03-01 or a date-time like 2026-03-01 09:30"


def period_window(period: str, at: int, zone: tzinfo, week_start: int = 0) -> tuple[int, int]:
    """UTC ``[start, end)`` of the period (``year`` included) containing ``at`` in ``zone``."""
    if period == "year":
        year = local_date(at, zone).year
        return local_midnight(date(year, 1, 1), zone), local_midnight(date(year + 1, 1, 1), zone)
    if period not in WINDOW_PERIODS:
        from smtui.core.kinds import closest

        guess = closest(period, WINDOW_PERIODS)
        hint = f"did you mean {guess!r}?" if guess else "use one of: " + ", ".join(WINDOW_PERIODS)
        raise UsageError(f"unknown period {period!r}", hint)
    return period_bounds(period, at, zone, week_start)


def parse_instant(text: str, zone: tzinfo, now: int, *, what: str, end: bool = False) -> int:
    """The instant ``text`` names in ``zone``: a date-time, or a date's midnight (the next
    midnight when ``end``, so a date given as the end of a range is included whole)."""
    cleaned = text.strip()
    if _DATE.fullmatch(cleaned):
        try:
            day = date.fromisoformat(cleaned)
        except ValueError:
            raise UsageError(f"bad {what} date {text!r}", RANGE_HINT) from None
        return local_midnight(day + timedelta(days=1) if end else day, zone)
    from datetime import datetime

    from dateutil import parser

    today = datetime.fromtimestamp(now, zone).replace(hour=0, minute=0, second=0, microsecond=0)
    try:
        parsed = parser.parse(cleaned, default=today.replace(tzinfo=None))
    except (ValueError, OverflowError):
        raise UsageError(f"bad {what} time {text!r}", RANGE_HINT) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return int(parsed.timestamp())


def range_window(
    start_text: str | None, end_text: str | None, zone: tzinfo, now: int
) -> tuple[int, int]:
    """``[start, end)`` of ``--from``/``--to``; ``--to`` defaults to now."""
    if not start_text:
        raise UsageError("--to needs --from", "e.g. --from 2026-03-01 --to 2026-03-31")
    start = parse_instant(start_text, zone, now, what="--from")
    end = parse_instant(end_text, zone, now, what="--to", end=True) if end_text else now
    if end <= start:
        raise UsageError(
            f"the range from {start_text!r} to {end_text or 'now'!r} is empty",
            "--to must come after --from",
        )
    return start, end


def session_window(conn: sqlite3.Connection, session_id: int | None, now: int) -> tuple[int, int]:
    """``[start, end)`` of a session (the latest one when ``session_id`` is None); a running
    session's window ends now."""
    if session_id is None:
        row = conn.execute(
            "SELECT started_at, ended_at FROM sessions ORDER BY started_at DESC, id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            raise StateError("there is no session to score yet", "start one with `smtui start`")
    else:
        row = conn.execute(
            "SELECT started_at, ended_at FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no session #{session_id}", "list them with `smtui sessions list`")
    start, ended = int(row[0]), row[1]
    end = now if ended is None else int(ended)
    return start, max(end, start + 1)
