"""Reading the summary tables: any time window as whole UTC days, whole hours and the rest.

``session_totals`` and ``post_totals`` (schema v4, kept by triggers) hold sums per platform and
per UTC day and UTC hour. A window ``[start, end)`` is covered by the whole days inside it, then
the whole hours inside what is left, and the rest (less than an hour at each end, nothing for a
local midnight in a zone a whole number of hours from UTC) is read from the rows themselves.
Local days in any zone, DST days included, are therefore exact, and a window costs a few
hundred summary rows at most, however many sessions or posts it holds.

Lean (sqlite3 only): :mod:`smtui.core.summary` reads it for ``smtui status``.
"""

from __future__ import annotations

from itertools import chain

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterable, Sequence
    from types import TracebackType

# The bucket lengths of the summary tables, longest first (see store.migrations, v4).
SPANS: tuple[int, ...] = (86_400, 3_600)

# A piece of a window: (window index, sign, span, start, end). Span 0 means "read the rows";
# sign -1 takes the piece away (a bucket that reaches past the window's edge).
Piece = tuple[int, int, int, int, int]


def pieces(start: int, end: int, index: int = 0) -> list[Piece]:
    """Cover ``[start, end)`` with whole buckets, longest first, and raw ends (span 0).

    Each edge is rounded to the *nearest* bucket boundary and the difference corrected at the
    next level, added or taken away: a local day in a zone one hour east of UTC is one day
    bucket plus the hour before it minus its last hour (3 rows, not 24).
    """
    out: list[Piece] = []

    def cover(lo: int, hi: int, sign: int, level: int) -> None:
        if lo >= hi:
            return
        if level == len(SPANS):
            out.append((index, sign, 0, lo, hi))
            return
        span = SPANS[level]
        first = (lo + span // 2) // span * span
        last = (hi + span // 2) // span * span
        if first >= last or (
            level + 1 < len(SPANS) and not _worth_it(lo, hi, first, last, span, SPANS[level + 1])
        ):
            cover(lo, hi, sign, level + 1)
            return
        out.append((index, sign, span, first, last))
        if lo < first:
            cover(lo, first, sign, level + 1)
        else:
            cover(first, lo, -sign, level + 1)
        if last < hi:
            cover(last, hi, sign, level + 1)
        else:
            cover(hi, last, -sign, level + 1)

    cover(start, end, 1, 0)
    return out


def _worth_it(lo: int, hi: int, first: int, last: int, span: int, finer: int) -> bool:
    """Whether buckets of ``span`` over ``[first, last)`` plus corrections read fewer rows than
    covering ``[lo, hi)`` with the ``finer`` buckets alone."""
    rows = (last - first) // span + (abs(lo - first) + abs(hi - last)) // finer
    return rows < (hi - lo) // finer


def windows_pieces(windows: Iterable[tuple[int, int]]) -> list[Piece]:
    """The pieces of several windows, each tagged with its position in ``windows``."""
    return list(chain.from_iterable(pieces(a, b, i) for i, (a, b) in enumerate(windows)))


# --- posts -----------------------------------------------------------------------------------

# The sums post_totals holds, and what each is for a post row (store.migrations, v4).
RATED = "(engagements IS NOT NULL AND coalesce(impressions, 0) > 0)"
POST_SUM_SQL: dict[str, str] = {
    "posts": "1",
    "with_impressions": "(impressions IS NOT NULL)",
    "with_engagements": "(engagements IS NOT NULL)",
    "rated_posts": RATED,
    "rated_engagements": f"(CASE WHEN {RATED} THEN engagements ELSE 0 END)",
    "rated_impressions": f"(CASE WHEN {RATED} THEN impressions ELSE 0 END)",
    **{
        column: f"coalesce({column}, 0)"
        for column in (
            "impressions",
            "reach",
            "engagements",
            "likes",
            "comments",
            "shares",
            "saves",
            "link_clicks",
            "profile_visits",
            "follows",
            "video_views",
            "watch_time_s",
        )
    },
}
POST_SUM_COLUMNS: tuple[str, ...] = tuple(POST_SUM_SQL)
# Pieces per statement: far below SQLite's limits on compound SELECTs and bound parameters.
_CHUNK = 120


def post_sums(
    conn: sqlite3.Connection,
    windows: Sequence[tuple[int, int]],
    columns: Sequence[str] = POST_SUM_COLUMNS,
    platform: str | None = None,
) -> dict[tuple[int, str], dict[str, int]]:
    """Sums of posts published in each window, per platform: ``(window index, platform) ->
    {column: sum}`` for the ``columns`` of :data:`POST_SUM_COLUMNS` (others are refused).

    A metric a post does not report counts as zero; ``with_impressions`` and
    ``with_engagements`` say how many posts reported one. Only ``platform`` when given.
    """
    unknown = [column for column in columns if column not in POST_SUM_SQL]
    if unknown:
        raise ValueError(f"not a post sum: {', '.join(unknown)}")
    where_platform = "" if platform is None else " AND platform = ?"
    summed = ", ".join(columns)
    raw = ", ".join(f"{POST_SUM_SQL[column]} AS {column}" for column in columns)
    totals_sql = (
        f"SELECT ? AS w, ? AS sign, platform, {summed} FROM post_totals"
        f" WHERE span = ? AND start >= ? AND start < ?{where_platform}"
    )
    rows_sql = (
        f"SELECT ? AS w, ? AS sign, platform, {raw} FROM posts"
        f" WHERE 0 = ? AND published_at >= ? AND published_at < ?{where_platform}"
    )
    outer = ", ".join(f"sum(sign * {column})" for column in columns)
    out: dict[tuple[int, str], dict[str, int]] = {}
    parts = windows_pieces(windows)
    for first in range(0, len(parts), _CHUNK):
        chunk = parts[first : first + _CHUNK]
        inner = " UNION ALL ".join(totals_sql if span else rows_sql for _, _, span, _, _ in chunk)
        params: list[object] = []
        for piece in chunk:
            params.extend(piece)
            if platform is not None:
                params.append(platform)
        sql = f"SELECT w, platform, {outer} FROM ({inner}) GROUP BY w, platform"
        for row in conn.execute(sql, params):
            if not any(row[2:]):
                continue  # what a bucket past the edge added was taken away again
            key = (row[0], row[1])
            sums = out.get(key)
            if sums is None:
                out[key] = dict(zip(columns, row[2:], strict=True))
            else:  # the same window in two chunks
                for column, value in zip(columns, row[2:], strict=True):
                    sums[column] += value
    return out


class post_totals_suspended:  # used like a function: `with post_totals_suspended(conn):`
    """Run a block that writes many posts without the per-row triggers, then rebuild.

    Each post written fires the triggers that keep ``post_totals``: about 10 µs a new post and
    15 to 30 µs a changed one on the 2-core development machine, while one rebuild from the
    posts costs 3 to 6 µs a post *stored*. So it pays when a write touches a good share of the
    posts stored, such as the first import of a large export; a small import into a large
    history is cheaper with the triggers. Must run inside the caller's transaction: the
    triggers are dropped and created again in it, so other connections never see the table
    without them, and an error anywhere rolls everything back, triggers included. (A class,
    not ``contextlib``: this module is on the ``smtui status`` path, which imports little.)
    """

    __slots__ = ("conn", "triggers")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.triggers: list[tuple[str, str]] = []

    def __enter__(self) -> None:
        conn = self.conn
        if not conn.in_transaction:
            raise RuntimeError(
                "post_totals_suspended() needs a transaction: no transaction is open"
            )
        self.triggers = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'posts'"
            " AND name LIKE 'posts_totals_%' ORDER BY name"
        ).fetchall()
        for name, _ in self.triggers:
            conn.execute(f'DROP TRIGGER "{name}"')

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            return  # the caller's transaction rolls back: the triggers come back with it
        from smtui.store.migrations import rebuild_post_totals_sql

        for statement in rebuild_post_totals_sql():
            self.conn.execute(statement)
        for _, sql in self.triggers:
            self.conn.execute(sql)
