"""Session history, a page at a time, newest first. No Textual here.

Pages are keyed on the start time of the last row shown (sessions never overlap, so start
times are unique): each page is one index range scan plus one look-up of its outcome counts,
as fast on 100,000 sessions as on ten.
"""

from __future__ import annotations

from smtui.models import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3

    from smtui.models import Session

PAGE_SIZE = 100

RUNNING = "running"
PRODUCTIVE = "productive"
PLAYTIME = "playtime"


class HistoryRow(Record):
    """A session and how many outcomes it has."""

    __slots__ = ("outcomes", "session")

    def __init__(self, session: Session, outcomes: int) -> None:
        self.session = session
        self.outcomes = outcomes

    @property
    def status(self) -> str:
        if self.session.running:
            return RUNNING
        return PRODUCTIVE if self.outcomes else PLAYTIME


class HistoryPage(Record):
    """Rows of one page; ``more`` when older sessions follow; ``total`` sessions in all."""

    __slots__ = ("more", "rows", "total")

    def __init__(self, rows: list[HistoryRow], more: bool, total: int) -> None:
        self.rows = rows
        self.more = more
        self.total = total


def load_page(
    conn: sqlite3.Connection, before: int | None = None, limit: int = PAGE_SIZE
) -> HistoryPage:
    """The ``limit`` newest sessions that started before ``before`` (all when None)."""
    from smtui.core import sessions

    listed = sessions.list_sessions(conn, until=before, limit=limit + 1)
    more = len(listed) > limit
    listed = listed[:limit]
    counts: dict[int, int] = {}
    if listed:
        ids = [session.id for session in listed]
        marks = ",".join("?" * len(ids))
        counts = dict(
            conn.execute(
                f"SELECT session_id, count(*) FROM outcomes WHERE session_id IN ({marks})"
                " GROUP BY session_id",
                ids,
            ).fetchall()
        )
    total = conn.execute("SELECT count(*) FROM sessions").fetchone()[0]
    rows = [HistoryRow(session, counts.get(session.id, 0)) for session in listed]
    return HistoryPage(rows, more, total)
