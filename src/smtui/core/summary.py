"""Where the time went in a window: productive, playtime and running, per platform.

Finished sessions that started inside the window come from the ``session_totals`` summary
table (schema v4, kept by triggers; see :mod:`smtui.core.totals`), so the cost does not grow
with the sessions in the window, let alone the history. Only the sessions that cross an edge
of the window are clipped to it row by row, with their pauses: the one that started before the
window and reaches into it, the one that started in it and runs past its end, and the running
session. That relies on what :mod:`smtui.core.sessions` guarantees: finished sessions never
overlap, so at most one finished session crosses each edge, and it is the latest finished one
started before that edge.

Lean (sqlite3 and the record base only): the dashboard and ``smtui status`` call it often.
"""

from __future__ import annotations

from smtui.models import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3

PRODUCTIVE = "productive"
PLAYTIME = "playtime"
RUNNING = "running"

# The sessions crossing an edge of the window (and the running one), clipped to it with their
# pauses: at most three rows, found by id.
_EDGES_SQL = """
WITH clipped AS (
    SELECT c.id, c.platform,
           max(c.started_at, :start) AS a,
           min(coalesce(c.ended_at, :now), :end) AS b,
           CASE
               WHEN c.ended_at IS NULL THEN 'running'
               WHEN EXISTS (SELECT 1 FROM outcomes o WHERE o.session_id = c.id) THEN 'productive'
               ELSE 'playtime'
           END AS status
    FROM sessions c
    WHERE c.id IN (:first, :last, :running) AND c.started_at < :end
      AND (c.started_at >= :start OR coalesce(c.ended_at, :now) > :start)
),
active AS (
    SELECT k.platform, k.status,
           max(0, k.b - k.a) - coalesce((
               SELECT sum(max(0, min(coalesce(p.ended_at, :now), k.b) - max(p.started_at, k.a)))
               FROM pauses p
               WHERE p.session_id = k.id AND p.started_at < k.b
           ), 0) AS active_s
    FROM clipped k
)
SELECT platform, status, count(*), coalesce(sum(max(0, active_s)), 0)
FROM active
GROUP BY platform, status
"""

# The latest finished session started before an instant (the only one that can cross it).
_LATEST_BEFORE_SQL = (
    "SELECT id, started_at, ended_at FROM sessions"
    " WHERE started_at < ? AND ended_at IS NOT NULL ORDER BY started_at DESC LIMIT 1"
)
# A finished session's whole contribution, as the summary table counts it.
_WHOLE_SQL = (
    "SELECT platform, EXISTS (SELECT 1 FROM outcomes o WHERE o.session_id = s.id),"
    " max(0, ended_at - started_at - paused_s) FROM sessions s WHERE id = ?"
)
# Finished sessions started in a piece of the window, counted whole and signed (a piece may be
# taken away): from the summary table (whole buckets) ...
_TOTALS_PIECE = (
    "SELECT ? * sessions AS n, ? * active_s AS secs, platform, productive FROM session_totals"
    " WHERE span = ? AND start >= ? AND start < ?"
)
# ... or from the rows (the ends of the window that are not whole hours).
_ROWS_PIECE = (
    "SELECT ? AS n, ? * max(0, s.ended_at - s.started_at - s.paused_s) AS secs,"
    " s.platform AS platform,"
    " EXISTS (SELECT 1 FROM outcomes o WHERE o.session_id = s.id) AS productive FROM sessions s"
    " WHERE 0 = ? AND s.started_at >= ? AND s.started_at < ? AND s.ended_at IS NOT NULL"
)


class TimeSplit(Record):
    """Active seconds in a window by kind of session, and how many sessions touched it.

    ``total_s`` is the sum of the three parts; time in pauses is in none of them.
    """

    __slots__ = ("playtime_s", "productive_s", "running_s", "sessions", "total_s")

    def __init__(
        self, productive_s: int = 0, playtime_s: int = 0, running_s: int = 0, sessions: int = 0
    ) -> None:
        self.productive_s = productive_s
        self.playtime_s = playtime_s
        self.running_s = running_s
        self.sessions = sessions
        self.total_s = productive_s + playtime_s + running_s

    def add(self, status: str, seconds: int, sessions: int) -> None:
        """Count ``sessions`` sessions of ``status`` that were active ``seconds`` in total."""
        if status == PRODUCTIVE:
            self.productive_s += seconds
        elif status == PLAYTIME:
            self.playtime_s += seconds
        else:
            self.running_s += seconds
        self.total_s += seconds
        self.sessions += sessions

    @property
    def productive_share(self) -> float | None:
        """Productive share of finished time (running time is not judged yet); None if none."""
        finished = self.productive_s + self.playtime_s
        return self.productive_s / finished if finished else None


def _started_inside(
    conn: sqlite3.Connection, start: int, end: int
) -> dict[tuple[str, bool], list[int]]:
    """``(platform, productive) -> [sessions, seconds]`` of the finished sessions started in
    ``[start, end)``, each counted whole."""
    from smtui.core.totals import pieces

    parts = pieces(start, end)
    inner = " UNION ALL ".join(_TOTALS_PIECE if span else _ROWS_PIECE for _, _, span, _, _ in parts)
    params = [value for _, sign, span, lo, hi in parts for value in (sign, sign, span, lo, hi)]
    sql = f"SELECT platform, productive, sum(n), sum(secs) FROM ({inner}) GROUP BY 1, 2"
    sums: dict[tuple[str, bool], list[int]] = {}
    for platform, productive, count, seconds in conn.execute(sql, params):
        entry = sums.setdefault((platform, bool(productive)), [0, 0])
        entry[0] += count
        entry[1] += seconds
    return sums


def _split_rows(
    conn: sqlite3.Connection, start: int, end: int, now: int
) -> list[tuple[str, str, int, int]]:
    """``(platform, status, sessions, active seconds)`` for ``[start, end)``."""
    if end <= start:
        return []
    sums = _started_inside(conn, start, end)
    first = conn.execute(_LATEST_BEFORE_SQL, (start,)).fetchone()
    last = conn.execute(_LATEST_BEFORE_SQL, (end,)).fetchone()
    if last is not None and not (last[1] >= start and last[2] > end):
        last = None  # it ends inside the window: already counted whole, and rightly so
    if last is not None:
        platform, productive, seconds = conn.execute(_WHOLE_SQL, (last[0],)).fetchone()
        entry = sums.setdefault((platform, bool(productive)), [0, 0])
        entry[0] -= 1
        entry[1] -= seconds
    running = conn.execute("SELECT id FROM sessions WHERE ended_at IS NULL").fetchone()
    params = {
        "start": start,
        "end": end,
        "now": now,
        "first": first[0] if first is not None else None,
        "last": last[0] if last is not None else None,
        "running": running[0] if running is not None else None,
    }
    rows: dict[tuple[str, str], list[int]] = {
        (platform, PRODUCTIVE if productive else PLAYTIME): entry
        for (platform, productive), entry in sums.items()
    }
    for platform, status, count, seconds in conn.execute(_EDGES_SQL, params):
        entry = rows.setdefault((platform, status), [0, 0])
        entry[0] += count
        entry[1] += seconds
    return [
        (platform, status, count, seconds)
        for (platform, status), (count, seconds) in rows.items()
        if count > 0
    ]


def split_by_platform(
    conn: sqlite3.Connection, start: int, end: int, now: int
) -> dict[str, TimeSplit]:
    """A :class:`TimeSplit` of ``[start, end)`` for each platform with a session in it."""
    by_platform: dict[str, TimeSplit] = {}
    for platform, status, count, seconds in _split_rows(conn, start, end, now):
        by_platform.setdefault(platform, TimeSplit()).add(status, seconds, count)
    return by_platform


def time_split(conn: sqlite3.Connection, start: int, end: int, now: int) -> TimeSplit:
    """Active time in ``[start, end)``: sessions and pauses clipped to it, a running one to ``now``.

    A finished session with at least one outcome is productive, one without is playtime.
    """
    total = TimeSplit()
    for _platform, status, count, seconds in _split_rows(conn, start, end, now):
        total.add(status, seconds, count)
    return total
