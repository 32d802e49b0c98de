"""Best time to post: the engagement rate of your own posts by weekday and hour, in your zone.

Each cell of the week grid (Monday to Sunday, 00 to 23 local time) holds the posts published
then, and the engagement rate over them with the one definition smtui uses everywhere:
Σ engagements ÷ Σ impressions over the posts that report engagements and more than zero
impressions (:data:`smtui.core.metrics.ENGAGEMENT_RATE_FORMULA`). A cell whose rate rests on
fewer posts than ``min_posts`` shows the count but no rate: a single lucky post is not a
best time. One grid per platform, and one for all of them together.

The sums come from the hourly buckets of the ``post_totals`` summary table: a UTC hour falls
on one local hour whenever the zone is a whole number of hours from UTC, which holds between
DST changes (found here, so each stretch of one offset is read with its own offset). Only
what the buckets cannot place (the ends of the range short of a whole hour, a zone such as
Asia/Kolkata) is read from the posts themselves.
"""

from __future__ import annotations

from datetime import datetime

from smtui.core.totals import POST_SUM_SQL
from smtui.models import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from datetime import tzinfo

HOUR = 3600
WEEK_HOURS = 168
DEFAULT_MIN_POSTS = 3
ALL = "all"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# The local hour of the week (0 = Monday 00:00) of an instant shifted by its UTC offset: the
# epoch began on a Thursday, 72 hours into its week.
_HOW = "((({column} + :offset) / 3600 + 72) % 168)"
# ``{name}`` is ``platform`` for a grid per platform, or a constant for one grid of all
# (grouping by the hour alone sorts far fewer groups: a year's report wants only that one).
# The buckets are grouped by their UTC second of the week (a whole hour), placed on the local
# week afterwards: a plain column expression makes SQLite's grouping sort about twice as fast.
_BUCKETS_SQL = (
    "SELECT {name}, start % 604800 AS how, sum(posts), sum(rated_posts),"
    " sum(rated_engagements), sum(rated_impressions) FROM post_totals"
    " WHERE span = 3600 AND start >= :start AND start < :end{platform} GROUP BY 1, 2"
)
_ROWS_SQL = (
    f"SELECT {{name}}, {_HOW.format(column='published_at')} AS how, count(*),"
    f" sum({POST_SUM_SQL['rated_posts']}), sum({POST_SUM_SQL['rated_engagements']}),"
    f" sum({POST_SUM_SQL['rated_impressions']}) FROM posts"
    " WHERE published_at >= :start AND published_at < :end{platform} GROUP BY 1, 2"
)


class Cell(Record):
    """One weekday and hour: the posts published then and their engagement rate.

    ``rated_posts`` are the posts behind the rate; ``rate`` is None when they are fewer than
    the minimum asked for (or report no impressions).
    """

    __slots__ = ("engagements", "hour", "impressions", "posts", "rate", "rated_posts", "weekday")

    def __init__(self, weekday: int, hour: int) -> None:
        self.weekday = weekday
        self.hour = hour
        self.posts = 0
        self.rated_posts = 0
        self.engagements = 0
        self.impressions = 0
        self.rate: float | None = None

    @property
    def label(self) -> str:
        """``Tue 09:00``."""
        return f"{WEEKDAYS[self.weekday]} {self.hour:02d}:00"


class BestTimes(Record):
    """The week grids of ``[start, end)``: ``grids[platform]`` lists 168 cells, Monday 00:00
    first; ``grids["all"]`` sums every platform (left out when one platform was asked for)."""

    __slots__ = ("end", "grids", "min_posts", "start", "zone")

    def __init__(
        self, start: int, end: int, zone: str, min_posts: int, grids: dict[str, list[Cell]]
    ) -> None:
        self.start = start
        self.end = end
        self.zone = zone
        self.min_posts = min_posts
        self.grids = grids

    def best(self, platform: str | None = None, limit: int = 5) -> list[Cell]:
        """The cells with the highest known rate, most posts first on a tie (of ``platform``,
        else of all platforms, else of the one platform read)."""
        grid = self.grids.get(platform or ALL) or next(iter(self.grids.values()), [])
        cells = [cell for cell in grid if cell.rate is not None]
        cells.sort(key=lambda c: (-(c.rate or 0.0), -c.rated_posts, c.weekday, c.hour))
        return cells[:limit]


def offset_segments(start: int, end: int, zone: tzinfo) -> list[tuple[int, int, int]]:
    """``[(a, b, utc offset in seconds)]`` covering ``[start, end)``, one per stretch of a
    single offset; a change is found to the second (a day's steps, then halving)."""

    def offset(instant: int) -> int:
        delta = datetime.fromtimestamp(instant, zone).utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    segments: list[tuple[int, int, int]] = []
    begin, current = start, offset(start)
    good = start  # the latest instant known to have the current offset
    while good < end - 1:
        step = min(end - 1, good + 86_400)
        if offset(step) == current:
            good = step
            continue
        low, high = good, step  # offset(low) is the current one, offset(high) is not
        while high - low > 1:
            middle = (low + high) // 2
            if offset(middle) == current:
                low = middle
            else:
                high = middle
        segments.append((begin, high, current))
        begin, current, good = high, offset(high), high
    segments.append((begin, end, current))
    return segments


def _pieces(start: int, end: int, zone: tzinfo) -> list[tuple[bool, int, int, int]]:
    """``(from buckets?, a, b, offset)``: whole hours of a whole-hour offset from the summary
    table, the rest from the posts."""
    out: list[tuple[bool, int, int, int]] = []
    for a, b, shift in offset_segments(start, end, zone):
        if shift % HOUR:
            out.append((False, a, b, shift))
            continue
        first, last = -(-a // HOUR) * HOUR, b // HOUR * HOUR
        if first >= last:
            out.append((False, a, b, shift))
            continue
        out.append((True, first, last, shift))
        if a < first:
            out.append((False, a, first, shift))
        if last < b:
            out.append((False, last, b, shift))
    return out


def best_times(
    conn: sqlite3.Connection,
    start: int,
    end: int,
    zone: tzinfo,
    *,
    platform: str | None = None,
    min_posts: int = DEFAULT_MIN_POSTS,
    per_platform: bool = True,
) -> BestTimes:
    """The week grids of the posts published in ``[start, end)``, hours local to ``zone``.

    ``per_platform=False`` reads only the grid of all platforms (cheaper over a long range).
    """
    if min_posts < 1:
        from smtui.errors import UsageError

        raise UsageError(f"bad minimum of posts {min_posts}", "use 1 or more")
    sums: dict[tuple[str, int], list[int]] = {}
    where = "" if platform is None else " AND platform = :platform"
    name_sql = "platform" if per_platform or platform is not None else f"'{ALL}'"
    for from_buckets, a, b, shift in _pieces(start, end, zone):
        sql = (_BUCKETS_SQL if from_buckets else _ROWS_SQL).format(platform=where, name=name_sql)
        params = {"start": a, "end": b, "offset": shift, "platform": platform}
        for name, found, posts, rated, engagements, impressions in conn.execute(sql, params):
            how = ((found + shift) // HOUR + 72) % WEEK_HOURS if from_buckets else found
            entry = sums.setdefault((name, how), [0, 0, 0, 0])
            entry[0] += posts
            entry[1] += rated
            entry[2] += engagements
            entry[3] += impressions
    grids: dict[str, list[Cell]] = {}
    keys = (ALL,) if platform is None and per_platform else ()
    for (name, how), values in sorted(sums.items()):
        for key in (name, *keys):
            grid = grids.get(key)
            if grid is None:
                grid = grids[key] = [Cell(i // 24, i % 24) for i in range(WEEK_HOURS)]
            cell = grid[how]
            cell.posts += values[0]
            cell.rated_posts += values[1]
            cell.engagements += values[2]
            cell.impressions += values[3]
    for grid in grids.values():
        for cell in grid:
            if cell.rated_posts >= min_posts and cell.impressions > 0:
                cell.rate = cell.engagements / cell.impressions
    zone_name = str(getattr(zone, "key", None) or zone)
    ordered = dict(sorted(grids.items(), key=lambda kv: (kv[0] != ALL, kv[0])))
    return BestTimes(start, end, zone_name, min_posts, ordered)
