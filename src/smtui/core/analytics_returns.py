"""Return per focused hour: what each platform and intent gave back for the time put in.

The time is the sessions' worked time inside the window (pauses out, a running session up to
now). What it produced:

- **outcomes**: those of the sessions (whenever logged), with the deals' money;
- **post results**: the posts published on the session's platform while the session ran
  (inside the window), with their latest impressions, engagements, link clicks and follows.

Each row is one platform and intent, with those sums per hour of its time. What no session
produced (outcomes logged without one, posts published outside any session) is summed per
platform in ``outside``, so nothing is dropped silently.
"""

from __future__ import annotations

from smtui.models import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3

RESULTS: tuple[str, ...] = ("impressions", "engagements", "link_clicks", "follows")

# Posts published in the window on a window session's platform while it ran.
_SESSION_POSTS_SQL = """
SELECT s.id, count(p.id), {sums}
FROM sessions s JOIN posts p
  ON p.platform = s.platform AND p.published_at >= max(s.started_at, :start)
 AND p.published_at < min(coalesce(s.ended_at, :now), :end)
WHERE s.id IN ({ids})
GROUP BY s.id
"""
_ALL_POSTS_SQL = (
    "SELECT platform, count(*), {sums} FROM posts"
    " WHERE published_at >= :start AND published_at < :end GROUP BY platform"
)


class ReturnRow(Record):
    """One platform and intent (``intent`` is ``""`` when none was given)."""

    __slots__ = (
        "intent",
        "outcomes",
        "platform",
        "posts",
        "results",
        "revenue",
        "seconds",
        "sessions",
    )

    def __init__(self, platform: str, intent: str) -> None:
        self.platform = platform
        self.intent = intent
        self.sessions = 0
        self.seconds = 0
        self.outcomes: dict[str, int] = {}
        self.revenue: dict[str, int] = {}
        self.posts = 0
        self.results: dict[str, int] = dict.fromkeys(RESULTS, 0)

    @property
    def hours(self) -> float:
        return self.seconds / 3600

    def per_hour(self, amount: float) -> float | None:
        """``amount`` per hour of this row's time (None without time)."""
        return amount / self.hours if self.seconds else None

    @property
    def outcome_count(self) -> int:
        return sum(self.outcomes.values())


class Returns(Record):
    """The rows of ``[start, end)``, most time first; ``outside`` holds, per platform (intent
    ``""``), what no session of the window produced."""

    __slots__ = ("end", "outside", "rows", "start")

    def __init__(
        self, start: int, end: int, rows: list[ReturnRow], outside: list[ReturnRow]
    ) -> None:
        self.start = start
        self.end = end
        self.rows = rows
        self.outside = outside


def returns(conn: sqlite3.Connection, start: int, end: int, now: int) -> Returns:
    """Time, outcomes and post results per platform and intent over ``[start, end)``."""
    from smtui.core.score import build_window

    window = build_window(conn, start, end, now, posts=False)
    rows: dict[tuple[str, str], ReturnRow] = {}
    row_of: dict[int, ReturnRow] = {}
    for session in window.sessions:
        key = (session.platform, session.intent)
        row = rows.get(key) or rows.setdefault(key, ReturnRow(*key))
        row.sessions += 1
        row.seconds += window.active_seconds(session)
        row_of[session.id] = row
    outside: dict[str, ReturnRow] = {}
    for outcome in window.outcomes:
        target = row_of.get(outcome.session_id) if outcome.session_id is not None else None
        if target is None:
            name = outcome.platform or ""
            target = outside.get(name) or outside.setdefault(name, ReturnRow(name, ""))
        target.outcomes[outcome.kind] = target.outcomes.get(outcome.kind, 0) + 1
        if outcome.kind == "deal" and outcome.amount_minor is not None and outcome.currency:
            money = target.revenue
            money[outcome.currency] = money.get(outcome.currency, 0) + outcome.amount_minor
    _posts(conn, start, end, now, row_of, outside)
    ordered = sorted(rows.values(), key=lambda r: (-r.seconds, r.platform, r.intent))
    others = sorted(outside.values(), key=lambda r: r.platform)
    return Returns(start, end, ordered, [r for r in others if r.posts or r.outcomes])


def _posts(
    conn: sqlite3.Connection,
    start: int,
    end: int,
    now: int,
    row_of: dict[int, ReturnRow],
    outside: dict[str, ReturnRow],
) -> None:
    """Give each row its sessions' posts; what is left of each platform's posts goes outside."""
    sums = ", ".join(f"coalesce(sum(p.{column}), 0)" for column in RESULTS)
    params = {"start": start, "end": end, "now": now}
    during: dict[str, list[int]] = {}
    ids = list(row_of)
    for first in range(0, len(ids), 500):
        chunk = ids[first : first + 500]
        sql = _SESSION_POSTS_SQL.format(sums=sums, ids=", ".join(str(i) for i in chunk))
        for session_id, count, *values in conn.execute(sql, params):
            row = row_of[session_id]
            row.posts += count
            taken = during.setdefault(row.platform, [0] * (1 + len(RESULTS)))
            taken[0] += count
            for index, (column, value) in enumerate(zip(RESULTS, values, strict=True)):
                row.results[column] += value
                taken[index + 1] += value
    plain = ", ".join(f"coalesce(sum({column}), 0)" for column in RESULTS)
    for platform, count, *values in conn.execute(_ALL_POSTS_SQL.format(sums=plain), params):
        taken = during.get(platform, [0] * (1 + len(RESULTS)))
        if count - taken[0] <= 0:
            continue
        row = outside.get(platform) or outside.setdefault(platform, ReturnRow(platform, ""))
        row.posts += count - taken[0]
        for index, (column, value) in enumerate(zip(RESULTS, values, strict=True)):
            row.results[column] += value - taken[index + 1]
