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
        # Only the filters in use, so one kind is counted on the (kind, occurred_at) index.
        sql = "SELECT count(*) FROM outcomes WHERE occurred_at >= :start AND occurred_at < :end"
        if subject:
            sql += " AND kind = :subject"
        if platform is not None:
            sql += " AND platform = :platform"
        return _scalar(conn, sql, params)
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
        from smtui.core.metrics import followers_gained

        return float(followers_gained(conn, start, end, platform))
    # Posts: from the post_totals summary table (schema v4), whatever the size of the history.
    if measure not in ("posts", "engagement_rate") and subject not in POST_METRICS:
        # post_metric: the subject is a column name, so it is checked against the fixed list.
        raise UsageError(
            f"unknown post metric {subject!r}", "use one of: " + ", ".join(POST_METRICS)
        )
    from smtui.core.totals import post_sums

    columns = {
        "posts": ("posts",),
        "engagement_rate": ("rated_engagements", "rated_impressions"),
    }.get(measure, (subject,))
    sums = post_sums(conn, [(start, end)], columns, platform)
    total = {column: sum(row[column] for row in sums.values()) for column in columns}
    if measure == "engagement_rate":
        impressions = total["rated_impressions"]
        return total["rated_engagements"] / impressions if impressions else 0.0
    return float(total[columns[0]])
