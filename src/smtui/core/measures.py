"""What a goal can measure, and the value of each measure over a window.

Every measure is one number over ``[start, end)``, optionally for one platform, computed from
the store: session time from :mod:`smtui.core.summary`, outcomes by ``occurred_at``, posts by
``published_at`` (with their latest metrics), followers from account snapshots.
"""

from __future__ import annotations

from smtui.core.summary import split_by_platform
from smtui.errors import UsageError
from smtui.models import (
    POST_METRICS,  # the only metric names ever put into SQL text
    Record,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3

SECONDS = "seconds"
COUNT = "count"
FRACTION = "fraction"
MONEY = "money"

# How a measure uses ``goals.subject``.
SUBJECT_NONE = "none"
SUBJECT_OPTIONAL = "optional"
SUBJECT_REQUIRED = "required"


class Measure(Record):
    """A measure's name, label, unit, and what its subject is (``subject_label``), if any."""

    __slots__ = ("label", "name", "subject", "subject_label", "unit")

    def __init__(
        self, name: str, label: str, unit: str, subject: str = SUBJECT_NONE, subject_label: str = ""
    ) -> None:
        self.name = name
        self.label = label
        self.unit = unit
        self.subject = subject
        self.subject_label = subject_label

    @property
    def takes_subject(self) -> bool:
        return self.subject != SUBJECT_NONE


MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure("time_total", "Time spent", SECONDS),
        Measure("productive_time", "Productive time", SECONDS),
        Measure("playtime", "Playtime", SECONDS),
        Measure("outcomes", "Outcomes", COUNT, SUBJECT_OPTIONAL, "outcome kind"),
        Measure("posts", "Posts published", COUNT),
        Measure("post_metric", "Post metric", COUNT, SUBJECT_REQUIRED, "post metric"),
        Measure("engagement_rate", "Engagement rate", FRACTION),
        Measure("followers_gained", "Followers gained", COUNT),
        Measure("revenue", "Revenue", MONEY, SUBJECT_OPTIONAL, "currency"),
    )
}

_TIME_PARTS = {
    "time_total": "total_s",
    "productive_time": "productive_s",
    "playtime": "playtime_s",
}

_FOLLOWERS_SQL = """
WITH accounts AS (
    SELECT DISTINCT platform, account FROM account_snapshots
    WHERE taken_at >= :start AND taken_at < :end AND followers IS NOT NULL
      AND (:platform IS NULL OR platform = :platform)
)
SELECT coalesce(sum(last - base), 0) FROM (
    SELECT
        (SELECT s.followers FROM account_snapshots s
         WHERE s.platform = g.platform AND s.account = g.account AND s.followers IS NOT NULL
           AND s.taken_at >= :start AND s.taken_at < :end
         ORDER BY s.taken_at DESC LIMIT 1) AS last,
        coalesce(
            (SELECT s.followers FROM account_snapshots s
             WHERE s.platform = g.platform AND s.account = g.account AND s.followers IS NOT NULL
               AND s.taken_at < :start
             ORDER BY s.taken_at DESC LIMIT 1),
            (SELECT s.followers FROM account_snapshots s
             WHERE s.platform = g.platform AND s.account = g.account AND s.followers IS NOT NULL
               AND s.taken_at >= :start AND s.taken_at < :end
             ORDER BY s.taken_at LIMIT 1)
        ) AS base
    FROM accounts g
)
"""


def get_measure(name: str) -> Measure:
    """The measure called ``name``; a UsageError with a did-you-mean otherwise."""
    measure = MEASURES.get(name)
    if measure is not None:
        return measure
    from smtui.core.kinds import closest

    guess = closest(name, list(MEASURES))
    hint = f"did you mean {guess!r}?" if guess else "use one of: " + ", ".join(MEASURES)
    raise UsageError(f"unknown measure {name!r}", hint)


def _scalar(conn: sqlite3.Connection, sql: str, params: dict[str, object]) -> float:
    value = conn.execute(sql, params).fetchone()[0]
    return float(value or 0)


def measure_value(
    conn: sqlite3.Connection,
    measure: str,
    subject: str,
    platform: str | None,
    start: int,
    end: int,
    now: int,
) -> float:
    """The value of ``measure`` over ``[start, end)``, for ``platform`` only when given.

    Units: seconds for time, a count, a fraction (0.025 for 2.5 %), or major currency units.
    ``followers_gained`` is, per account, the last follower count in the window minus the
    last one before it (or the first one in it when there is none before), summed.
    """
    get_measure(measure)
    params: dict[str, object] = {
        "start": start,
        "end": end,
        "platform": platform,
        "subject": subject or None,
    }
    if measure in _TIME_PARTS:
        splits = split_by_platform(conn, start, end, now)
        if platform is not None:
            splits = {platform: splits[platform]} if platform in splits else {}
        part = _TIME_PARTS[measure]
        return float(sum(getattr(split, part) for split in splits.values()))
    if measure == "outcomes":
        return _scalar(
            conn,
            "SELECT count(*) FROM outcomes WHERE occurred_at >= :start AND occurred_at < :end"
            " AND (:subject IS NULL OR kind = :subject)"
            " AND (:platform IS NULL OR platform = :platform)",
            params,
        )
    if measure == "revenue":
        return _scalar(
            conn,
            "SELECT sum(amount_minor) / 100.0 FROM outcomes"
            " WHERE occurred_at >= :start AND occurred_at < :end AND kind = 'deal'"
            " AND amount_minor IS NOT NULL"
            " AND (:subject IS NULL OR currency = upper(:subject))"
            " AND (:platform IS NULL OR platform = :platform)",
            params,
        )
    if measure == "followers_gained":
        return _scalar(conn, _FOLLOWERS_SQL, params)
    posts_where = (
        " FROM posts WHERE published_at >= :start AND published_at < :end"
        " AND (:platform IS NULL OR platform = :platform)"
    )
    if measure == "posts":
        return _scalar(conn, "SELECT count(*)" + posts_where, params)
    if measure == "engagement_rate":
        row = conn.execute(
            "SELECT sum(engagements), sum(impressions)"
            + posts_where
            + " AND engagements IS NOT NULL AND impressions > 0",
            params,
        ).fetchone()
        return float(row[0]) / float(row[1]) if row[1] else 0.0
    # post_metric: the subject is a column name, so it is checked against the fixed list.
    if subject not in POST_METRICS:
        raise UsageError(
            f"unknown post metric {subject!r}", "use one of: " + ", ".join(POST_METRICS)
        )
    return _scalar(conn, f"SELECT sum({subject})" + posts_where, params)
