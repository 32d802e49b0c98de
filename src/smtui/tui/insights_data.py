"""What the Insights screen shows, read from the store: the time of each recent day, the best
times to post, and the return per focused hour.

Loaders run in a worker thread with the connection it opened and return plain records; one
loader per section, so that when one fails only its section shows the error. They never import
Textual. Each is the analytics function the command line uses (``smtui report best-times``,
``smtui report returns``) or, for the days, the split the Today panel shows, one local day at
a time: the screen shows the same numbers as the rest of smtui.
"""

from __future__ import annotations

from smtui.models import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable
    from datetime import date

    from smtui.core.analytics_returns import Returns
    from smtui.core.analytics_times import BestTimes
    from smtui.core.summary import TimeSplit
    from smtui.tui.data import DashboardContext

    Loader = Callable[[sqlite3.Connection, DashboardContext, int], object]

# Section ids: the key of each loader and the stem of its widgets' DOM ids.
DAYS_SECTION = "days"
TIMES_SECTION = "times"
RETURNS_SECTION = "returns"

# The days of the chart and the window of the returns: the last four weeks, today included.
RECENT_DAYS = 28
# The best times rest on more posts: the year ``smtui report best-times`` reads by default.
BEST_TIMES_DAYS = 365


class DaySplits(Record):
    """One :class:`TimeSplit` per local day, oldest first, today last."""

    __slots__ = ("days", "splits")

    def __init__(self, days: list[date], splits: list[TimeSplit]) -> None:
        self.days = days
        self.splits = splits

    def hours(self, part: str) -> list[float]:
        """``productive``, ``playtime`` or ``running`` hours of each day (the chart's series)."""
        return [getattr(split, f"{part}_s") / 3600 for split in self.splits]

    @property
    def total(self) -> TimeSplit:
        """The sum of every day (a session over midnight counts once per day it touched)."""
        from smtui.core.summary import TimeSplit

        return TimeSplit(
            sum(split.productive_s for split in self.splits),
            sum(split.playtime_s for split in self.splits),
            sum(split.running_s for split in self.splits),
            sum(split.sessions for split in self.splits),
        )


def recent_start(ctx: DashboardContext, now: int, days: int = RECENT_DAYS) -> int:
    """The local midnight that starts the last ``days`` days (today is the last of them)."""
    from smtui.core.metrics import day_windows

    return day_windows(now, ctx.zone, days)[0][0]


def load_days(conn: sqlite3.Connection, ctx: DashboardContext, now: int) -> DaySplits:
    """Productive, playtime and running time of each of the last :data:`RECENT_DAYS` days.

    A session over midnight counts on both days, each its own part (as the Today panel does).
    """
    from smtui.core.metrics import day_windows
    from smtui.core.periods import local_date
    from smtui.core.summary import time_split

    windows = day_windows(now, ctx.zone, RECENT_DAYS)
    days = [local_date(start, ctx.zone) for start, _ in windows]
    splits = [time_split(conn, start, min(end, now), now) for start, end in windows]
    return DaySplits(days, splits)


def load_best_times(conn: sqlite3.Connection, ctx: DashboardContext, now: int) -> BestTimes:
    """The week grids of the posts of the last :data:`BEST_TIMES_DAYS` days, per platform and
    for all of them, cells below the default minimum of posts without a rate."""
    from smtui.core.analytics_times import best_times

    return best_times(conn, now - BEST_TIMES_DAYS * 86_400, now, ctx.zone)


def load_returns(conn: sqlite3.Connection, ctx: DashboardContext, now: int) -> Returns:
    """Return per focused hour by platform and intent over the chart's four weeks."""
    from smtui.core.analytics_returns import returns

    return returns(conn, recent_start(ctx, now), now, now)


# In the order the screen shows them (and reads them: the chart first).
LOADERS: dict[str, Loader] = {
    DAYS_SECTION: load_days,
    TIMES_SECTION: load_best_times,
    RETURNS_SECTION: load_returns,
}
