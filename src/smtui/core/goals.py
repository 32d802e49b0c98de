"""Goals: a target on a measure over a period, with the pace it needs.

A goal is ``at_least`` (reach the target) or ``at_most`` (stay within a budget). Its progress
compares the value so far with a straight line from zero at the period's start to the target
at its end (Beeminder's "road"), and says what each remaining day needs to stay on it, how
many days of pace the value is ahead or behind (safety days), the bare minimum still to do
today to end the day on the line (for a budget: what today may still use), and how many
periods in a row the goal has been met (its streak).
"""

from __future__ import annotations

import math

from smtui import clock
from smtui.core.measures import (
    COUNT,
    FRACTION,
    MONEY,
    SECONDS,
    SUBJECT_NONE,
    SUBJECT_REQUIRED,
    get_measure,
    measure_value,
)
from smtui.core.periods import days_in, parse_period, period_bounds
from smtui.errors import NotFoundError, UsageError
from smtui.models import POST_METRICS, Record
from smtui.store.db import Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Collection
    from datetime import tzinfo

DIRECTIONS: tuple[str, ...] = ("at_least", "at_most")

MET = "met"
ON_TRACK = "on_track"
BEHIND = "behind"
OVER = "over"

_COLUMNS = "id, name, measure, subject, direction, target, period, platform, created_at"


class Goal(Record):
    """A stored goal; ``target`` is in the measure's unit (seconds for time)."""

    __slots__ = (
        "created_at",
        "direction",
        "id",
        "measure",
        "name",
        "period",
        "platform",
        "subject",
        "target",
    )

    def __init__(
        self,
        id: int,
        name: str,
        measure: str,
        subject: str,
        direction: str,
        target: float,
        period: str,
        platform: str | None,
        created_at: int,
    ) -> None:
        self.id = id
        self.name = name
        self.measure = measure
        self.subject = subject
        self.direction = direction
        self.target = target
        self.period = period
        self.platform = platform
        self.created_at = created_at


class GoalProgress(Record):
    """Where a goal stands in its current period.

    ``elapsed`` is the fraction of the period gone; ``expected_by_now`` is ``target * elapsed``;
    ``days_left`` counts local days including today; ``needed_per_day`` is what is still to
    do (``at_least``) or the budget left (``at_most``) spread over them; ``safety_days`` is how
    many days of pace the value is on the good side of the expected line (negative on the bad
    side; None for a zero target); ``urgency`` sorts goals, highest first. ``bare_minimum`` is
    what today still needs to end on the line (``at_least``), or what today may still use and
    end on it (``at_most``): the line's value at the end of today less the value, at least 0.
    """

    __slots__ = (
        "bare_minimum",
        "days_left",
        "elapsed",
        "end",
        "expected_by_now",
        "goal",
        "needed_per_day",
        "safety_days",
        "start",
        "status",
        "target",
        "urgency",
        "value",
    )

    def __init__(
        self,
        *,
        goal: Goal,
        value: float,
        start: int,
        end: int,
        elapsed: float,
        expected_by_now: float,
        needed_per_day: float,
        days_left: int,
        status: str,
        urgency: float,
        safety_days: float | None,
        bare_minimum: float = 0.0,
    ) -> None:
        self.goal = goal
        self.value = value
        self.target = goal.target
        self.start = start
        self.end = end
        self.elapsed = elapsed
        self.expected_by_now = expected_by_now
        self.needed_per_day = needed_per_day
        self.days_left = days_left
        self.status = status
        self.urgency = urgency
        self.safety_days = safety_days
        self.bare_minimum = bare_minimum

    @property
    def completion(self) -> float | None:
        """Value as a fraction of the target (None for a zero target)."""
        return self.value / self.target if self.target else None


def _did_you_mean(what: str, name: str, choices: Collection[str]) -> UsageError:
    from smtui.core.kinds import closest

    guess = closest(name, list(choices))
    hint = f"did you mean {guess!r}?" if guess else "use one of: " + ", ".join(sorted(choices))
    return UsageError(f"unknown {what} {name!r}", hint)


def parse_direction(text: str) -> str:
    """``at_least`` or ``at_most`` (``at-least`` and ``at least`` are accepted too)."""
    name = "_".join(text.strip().lower().replace("-", " ").split())
    if name in DIRECTIONS:
        return name
    raise _did_you_mean("direction", text, DIRECTIONS)


def _check_subject(measure: str, subject: str, known_kinds: Collection[str] | None) -> str:
    """The subject normalised for ``measure``; a UsageError when it does not fit."""
    spec = get_measure(measure)
    subject = subject.strip()
    if spec.subject == SUBJECT_NONE:
        if subject:
            raise UsageError(
                f"measure {measure!r} takes no subject (got {subject!r})",
                "leave the subject out, or pick a measure such as 'outcomes' or 'post_metric'",
            )
        return ""
    if not subject:
        if spec.subject == SUBJECT_REQUIRED:
            raise UsageError(
                f"measure {measure!r} needs a {spec.subject_label}",
                "use one of: " + ", ".join(POST_METRICS),
            )
        return ""
    if measure == "post_metric":
        subject = subject.lower()
        if subject not in POST_METRICS:
            raise _did_you_mean("post metric", subject, POST_METRICS)
    elif measure == "outcomes":
        if known_kinds is None:
            from smtui.core.kinds import BUILTIN_KINDS

            known_kinds = BUILTIN_KINDS
        if subject not in known_kinds:
            raise _did_you_mean("outcome kind", subject, known_kinds)
    elif measure == "revenue":
        subject = subject.upper()
        if len(subject) != 3 or not subject.isalpha():
            raise UsageError(
                f"bad currency {subject!r}", "use a three-letter ISO 4217 code such as EUR or USD"
            )
    return subject


def _check_target(measure: str, target: float) -> float:
    if not math.isfinite(target) or target < 0:
        raise UsageError(f"bad target {target!r}: must be zero or more")
    if get_measure(measure).unit == FRACTION and target > 1:
        raise UsageError(
            f"target {target:g} is more than 100% for {measure!r}",
            f"write a percentage like {target:g}% or a fraction like {target / 100:g}",
        )
    return float(target)


def add_goal(
    conn: sqlite3.Connection,
    *,
    name: str,
    measure: str,
    target: float,
    period: str,
    direction: str = "at_least",
    subject: str = "",
    platform: str | None = None,
    known_kinds: Collection[str] | None = None,
) -> Goal:
    """Validate and store a goal as one transaction.

    ``known_kinds`` are the outcome kinds an ``outcomes`` goal may name (the built-ins when
    None; pass the plugin registry's kinds to accept plugin ones).
    """
    clean_name = name.strip()
    if not clean_name:
        raise UsageError("a goal needs a name", 'e.g. --name "Two leads a week"')
    get_measure(measure)
    clean_period = parse_period(period)
    clean_direction = parse_direction(direction)
    clean_subject = _check_subject(measure, subject, known_kinds)
    clean_target = _check_target(measure, target)
    clean_platform = (platform or "").strip().lower() or None
    created_at = clock.now()
    with Transaction(conn):
        cursor = conn.execute(
            "INSERT INTO goals (name, measure, subject, direction, target, period, platform,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                clean_name,
                measure,
                clean_subject,
                clean_direction,
                clean_target,
                clean_period,
                clean_platform,
                created_at,
            ),
        )
    return Goal(
        int(cursor.lastrowid or 0),
        clean_name,
        measure,
        clean_subject,
        clean_direction,
        clean_target,
        clean_period,
        clean_platform,
        created_at,
    )


_KEEP: object = object()


def update_goal(
    conn: sqlite3.Connection,
    goal_id: int,
    *,
    name: str | None = None,
    measure: str | None = None,
    target: float | None = None,
    period: str | None = None,
    direction: str | None = None,
    subject: str | None = None,
    platform: str | object | None = _KEEP,
    known_kinds: Collection[str] | None = None,
) -> Goal:
    """Change fields of a goal as one transaction, validated as :func:`add_goal` validates.

    Fields left as None (``platform``: left out) keep their value. The goal is checked as a
    whole after the change, so switching the measure checks the subject and target against
    the new measure (``subject=""`` clears a subject the new measure does not take).
    ``platform=None`` makes the goal count every platform.
    """
    with Transaction(conn):
        goal = get_goal(conn, goal_id)
        clean_name = goal.name if name is None else name.strip()
        if not clean_name:
            raise UsageError("a goal needs a name", 'e.g. "Two leads a week"')
        clean_measure = goal.measure if measure is None else measure
        get_measure(clean_measure)
        clean_period = goal.period if period is None else parse_period(period)
        clean_direction = goal.direction if direction is None else parse_direction(direction)
        clean_subject = _check_subject(
            clean_measure, goal.subject if subject is None else subject, known_kinds
        )
        clean_target = _check_target(clean_measure, goal.target if target is None else target)
        if platform is _KEEP:
            clean_platform = goal.platform
        else:
            clean_platform = str(platform or "").strip().lower() or None
        conn.execute(
            "UPDATE goals SET name = ?, measure = ?, subject = ?, direction = ?, target = ?,"
            " period = ?, platform = ? WHERE id = ?",
            (
                clean_name,
                clean_measure,
                clean_subject,
                clean_direction,
                clean_target,
                clean_period,
                clean_platform,
                goal_id,
            ),
        )
    return Goal(
        goal_id,
        clean_name,
        clean_measure,
        clean_subject,
        clean_direction,
        clean_target,
        clean_period,
        clean_platform,
        goal.created_at,
    )


def _row(row: tuple[object, ...]) -> Goal:
    return Goal(*row)  # type: ignore[arg-type]


def list_goals(conn: sqlite3.Connection) -> list[Goal]:
    """Every goal, oldest first."""
    return [_row(row) for row in conn.execute(f"SELECT {_COLUMNS} FROM goals ORDER BY id")]


def get_goal(conn: sqlite3.Connection, goal_id: int) -> Goal:
    """The goal with this id; :class:`NotFoundError` if there is none."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM goals WHERE id = ?", (goal_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no goal #{goal_id}", "list them with `smtui goals list`")
    return _row(row)


def delete_goal(conn: sqlite3.Connection, goal_id: int) -> Goal:
    """Delete a goal and return it."""
    with Transaction(conn):
        goal = get_goal(conn, goal_id)
        conn.execute("DELETE FROM goals WHERE id = ?", (goal_id,))
    return goal


def _parse_number(text: str, what: str) -> float:
    cleaned = text.strip().replace(",", "").replace("_", "")
    try:
        value = float(cleaned)
    except ValueError:
        raise UsageError(f"bad {what} {text!r}", "use a number like 5 or 2.5") from None
    if not math.isfinite(value) or value < 0:
        raise UsageError(f"bad {what} {text!r}: must be zero or more")
    return value


def _is_zero(text: str) -> bool:
    try:
        return float(text) == 0
    except ValueError:
        return False


def parse_target(measure: str, text: str) -> float:
    """A target as typed (``6h``, ``5``, ``2.5%``, ``1200``) in the measure's stored unit."""
    unit = get_measure(measure).unit
    cleaned = text.strip()
    if unit == SECONDS:
        if _is_zero(cleaned):
            return 0.0
        from smtui.core.timespec import parse_duration

        return float(parse_duration(cleaned, what="target"))
    if unit == MONEY:
        from smtui.core.outcomes import parse_money

        return parse_money(cleaned) / 100
    if unit == FRACTION:
        if cleaned.endswith("%"):
            return _check_target(measure, _parse_number(cleaned[:-1], "target") / 100)
        return _check_target(measure, _parse_number(cleaned, "target"))
    return _parse_number(cleaned, "target")


def format_value(measure: str, value: float) -> str:
    """A value of ``measure`` for people: ``6h 00m``, ``5``, ``2.50%``, ``1,200.00``."""
    unit = get_measure(measure).unit
    if unit == SECONDS:
        from smtui.core.timespec import format_duration

        text = format_duration(round(value))
        return f"-{text}" if value <= -0.5 else text
    if unit == FRACTION:
        return f"{value * 100:.2f}%"
    if unit == MONEY:
        return f"{value:,.2f}"
    assert unit == COUNT
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def progress(
    conn: sqlite3.Connection, goal: Goal, now: int, zone: tzinfo, week_start: int = 0
) -> GoalProgress:
    """How ``goal`` stands in the period containing ``now`` (in ``zone``).

    Urgency is measured in shares of the target, so goals on different measures compare:
    ``at_least`` adds the share still to do per day left to the share it is behind the line;
    ``at_most`` is the share it is above the line, or 1 plus the overshoot once over.
    """
    start, end = period_bounds(goal.period, now, zone, week_start)
    value = measure_value(conn, goal.measure, goal.subject, goal.platform, start, end, now)
    target = goal.target
    elapsed = min(1.0, max(0.0, (now - start) / (end - start)))
    expected = target * elapsed
    today_start, today_end = period_bounds("day", now, zone)
    days_left = max(1, days_in(max(start, today_start), end, zone))
    line_tonight = target * min(1.0, max(0.0, (min(today_end, end) - start) / (end - start)))
    bare_minimum = max(0.0, line_tonight - value)
    needed_per_day = max(0.0, target - value) / days_left
    day_of_pace = target / days_in(start, end, zone)
    if goal.direction == "at_most":
        margin = expected - value
        if value > target:
            status = OVER
            urgency = 1.0 + ((value - target) / target if target else 1.0)
        else:
            status = ON_TRACK if value <= expected else BEHIND
            urgency = max(0.0, -margin) / target if target else 0.0
    else:
        margin = value - expected
        if value >= target:
            status, urgency = MET, 0.0
        else:
            status = ON_TRACK if value >= expected else BEHIND
            urgency = (target - value) / target / days_left + max(0.0, -margin) / target
    safety_days = margin / day_of_pace if day_of_pace else None
    return GoalProgress(
        goal=goal,
        value=value,
        start=start,
        end=end,
        elapsed=elapsed,
        expected_by_now=expected,
        needed_per_day=needed_per_day,
        days_left=days_left,
        status=status,
        urgency=urgency,
        safety_days=safety_days,
        bare_minimum=bare_minimum,
    )


def progress_all(
    conn: sqlite3.Connection, now: int, zone: tzinfo, week_start: int = 0
) -> list[GoalProgress]:
    """Progress of every goal, most urgent first (ties by goal id)."""
    results = [progress(conn, goal, now, zone, week_start) for goal in list_goals(conn)]
    results.sort(key=lambda p: (-p.urgency, p.goal.id))
    return results


# --- streaks ------------------------------------------------------------------------------------

# How far back a streak is followed: a streak this long shows as "100+".
STREAK_LIMIT = 100


class GoalStreak(Record):
    """How many periods in a row a goal has been met, counting back from now.

    Finished periods count when the goal was met in them (``at_least``: the value reached the
    target; ``at_most``: it stayed within it). The current period counts too once an
    ``at_least`` goal has met it (``current``); a budget is only met once its period is over.
    Periods before the one the goal was created in never count. ``since`` is the start of the
    streak's first period (None for no streak); ``capped`` says the count stopped at
    :data:`STREAK_LIMIT`.
    """

    __slots__ = ("capped", "current", "periods", "since")

    def __init__(self, periods: int, since: int | None, current: bool, capped: bool) -> None:
        self.periods = periods
        self.since = since
        self.current = current
        self.capped = capped


def was_met(goal: Goal, value: float) -> bool:
    """Whether ``value`` over a whole period meets ``goal``."""
    return value <= goal.target if goal.direction == "at_most" else value >= goal.target


def streak(
    conn: sqlite3.Connection,
    goal: Goal,
    now: int,
    zone: tzinfo,
    week_start: int = 0,
    *,
    limit: int = STREAK_LIMIT,
) -> GoalStreak:
    """The run of periods up to now in which ``goal`` was met.

    Past periods are read a batch at a time, a few first (most streaks are short), more while
    every one of a batch was met.
    """
    start, end = period_bounds(goal.period, now, zone, week_start)
    periods, since, current = 0, None, False
    if goal.direction == "at_least":
        value = measure_value(conn, goal.measure, goal.subject, goal.platform, start, end, now)
        if was_met(goal, value):
            periods, since, current = 1, start, True
    first = period_bounds(goal.period, goal.created_at, zone, week_start)[0]
    cursor, batch = start, 4
    while periods < limit:
        windows: list[tuple[int, int]] = []
        while len(windows) < min(batch, limit - periods):
            before, after = period_bounds(goal.period, cursor - 1, zone, week_start)
            if before < first:
                break
            windows.append((before, after))
            cursor = before
        if not windows:
            break
        for (before, _), value in zip(
            windows, measure_values(conn, goal, windows, now), strict=True
        ):
            if not was_met(goal, value):
                return GoalStreak(periods, since, current, False)
            periods, since = periods + 1, before
        batch *= 4
    return GoalStreak(periods, since, current, periods >= limit)


_OUTCOME_MEASURES = {
    "outcomes": "count(o.id)",
    "revenue": "coalesce(sum(o.amount_minor), 0) / 100.0",
}


def measure_values(
    conn: sqlite3.Connection, goal: Goal, windows: list[tuple[int, int]], now: int
) -> list[float]:
    """:func:`measure_value` of ``goal``'s measure over each window, reading post and outcome
    measures for all windows at once (``tests/test_goals_pace.py`` keeps them equal)."""
    measure, subject, platform = goal.measure, goal.subject, goal.platform
    if measure in _OUTCOME_MEASURES and windows:
        marks = ", ".join("(?, ?, ?)" for _ in windows)
        sql = (
            f"WITH w(i, a, b) AS (VALUES {marks})"
            f" SELECT w.i, {_OUTCOME_MEASURES[measure]} FROM w JOIN outcomes o"
            " ON o.occurred_at >= w.a AND o.occurred_at < w.b"
            " WHERE (? IS NULL OR o.platform = ?)"
        )
        params: list[object] = [v for i, (a, b) in enumerate(windows) for v in (i, a, b)]
        params += [platform, platform]
        if measure == "revenue":
            sql += " AND o.kind = 'deal' AND o.amount_minor IS NOT NULL"
            sql += " AND (? IS NULL OR o.currency = upper(?))"
            params += [subject or None, subject or None]
        elif subject:
            sql += " AND o.kind = ?"
            params.append(subject)
        found = dict(conn.execute(sql + " GROUP BY w.i", params).fetchall())
        return [float(found.get(index, 0) or 0) for index in range(len(windows))]
    if measure in ("posts", "post_metric", "engagement_rate") and windows:
        from smtui.core.totals import post_sums

        columns = {
            "posts": ("posts",),
            "engagement_rate": ("rated_engagements", "rated_impressions"),
        }.get(measure, (subject,))
        sums = post_sums(conn, windows, columns, platform)
        totals = [dict.fromkeys(columns, 0) for _ in windows]
        for (index, _), values in sums.items():
            for column in columns:
                totals[index][column] += values[column]
        if measure == "engagement_rate":
            return [
                t["rated_engagements"] / t["rated_impressions"] if t["rated_impressions"] else 0.0
                for t in totals
            ]
        return [float(t[columns[0]]) for t in totals]
    return [measure_value(conn, measure, subject, platform, a, b, now) for a, b in windows]


def streak_text(found: GoalStreak, period: str) -> str:
    """``3 weeks``, ``1 day``, ``100+ days``, ``none``."""
    if not found.periods:
        return "none"
    count = f"{found.periods}{'+' if found.capped else ''}"
    return f"{count} {period}{'' if found.periods == 1 and not found.capped else 's'}"
