"""Where the time went in a window: productive, playtime and running, per platform.

One SQL query does the work. It reads the sessions through the ``sessions_started_at`` index
and clips each session and each of its pauses to the window, so the cost grows with the
sessions in the window, not with the history. It relies on what :mod:`smtui.core.sessions`
guarantees: finished sessions never overlap, so the only one that can start before the window
and reach into it is the latest one started before it (plus the running session).

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

_SPLIT_SQL = """
WITH bound AS (
    SELECT coalesce(
        (SELECT max(started_at) FROM sessions WHERE started_at < :start), :start
    ) AS lo
),
candidates AS (
    SELECT s.id, s.platform, s.started_at, s.ended_at FROM sessions s, bound
    WHERE s.started_at >= bound.lo AND s.started_at < :end
    UNION ALL
    -- the running session, if it began even earlier; "+" keeps the planner on the tiny
    -- sessions_one_running index instead of walking started_at back to the first session
    SELECT s.id, s.platform, s.started_at, s.ended_at FROM sessions s, bound
    WHERE s.ended_at IS NULL AND +s.started_at < bound.lo
),
clipped AS (
    SELECT c.id, c.platform,
           max(c.started_at, :start) AS a,
           min(coalesce(c.ended_at, :now), :end) AS b,
           CASE
               WHEN c.ended_at IS NULL THEN 'running'
               WHEN EXISTS (SELECT 1 FROM outcomes o WHERE o.session_id = c.id) THEN 'productive'
               ELSE 'playtime'
           END AS status
    FROM candidates c
    WHERE c.started_at >= :start OR coalesce(c.ended_at, :now) > :start
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


def _split_rows(
    conn: sqlite3.Connection, start: int, end: int, now: int
) -> list[tuple[str, str, int, int]]:
    """``(platform, status, sessions, active seconds)`` for ``[start, end)``."""
    if end <= start:
        return []
    params = {"start": start, "end": end, "now": now}
    return [
        (platform, status, int(count), int(seconds))
        for platform, status, count, seconds in conn.execute(_SPLIT_SQL, params)
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
