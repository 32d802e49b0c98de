"""``smtui goals [add|list|show|rm]``: targets with pace and streaks, always in view."""

from __future__ import annotations

from smtui import clock
from smtui.cli.listing import parse_id
from smtui.cli.output import as_json, confirm, table
from smtui.core import goals
from smtui.core.timespec import format_clock
from smtui.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from smtui.cli.context import Context
    from smtui.core.goals import GoalProgress, GoalStreak

STATUS_MARK = {
    goals.MET: "met",
    goals.ON_TRACK: "on track",
    goals.BEHIND: "BEHIND",
    goals.OVER: "OVER",
}


def status_text(p: GoalProgress) -> str:
    """``BEHIND`` reads wrong for a budget: spending faster than its line is ``over pace``."""
    if p.status == goals.BEHIND and p.goal.direction == "at_most":
        return "over pace"
    return STATUS_MARK.get(p.status, p.status)


def cmd_add(ctx: Context) -> int:
    args = ctx.args
    if not args.measure or not args.target:
        raise UsageError(
            "a goal needs --measure and --target",
            'e.g. smtui goals add "5 qualified prospects a week" -m outcomes'
            " -s prospect_qualified -t 5",
        )
    subject = args.subject or ""
    if args.measure == "outcomes" and subject:
        subject = ctx.resolve_kind(subject).name
    goal = goals.add_goal(
        ctx.conn,
        name=args.name,
        measure=args.measure,
        target=goals.parse_target(args.measure, args.target),
        period=args.period,
        direction="at_most" if args.at_most else "at_least",
        subject=subject,
        platform=ctx.resolve_platform(args.platform) if args.platform else None,
        known_kinds=set(ctx.registry.outcome_kinds) if subject else None,
    )
    ctx.out(f"Added goal #{goal.id}: {goal.name}")
    return 0


def _record(p: GoalProgress, found: GoalStreak) -> dict[str, Any]:
    record = p.goal.as_dict()
    record.update(
        value=p.value,
        expected_by_now=p.expected_by_now,
        needed_per_day=p.needed_per_day,
        days_left=p.days_left,
        status=p.status,
        urgency=p.urgency,
        safety_days=p.safety_days,
        period_start=p.start,
        period_end=p.end,
        elapsed=p.elapsed,
        bare_minimum=p.bare_minimum,
        streak=found.as_dict(),
    )
    return record


def _today_text(p: GoalProgress) -> str:
    """The bare minimum for today: still to do, or (a budget) still allowed."""
    amount = goals.format_value(p.goal.measure, p.bare_minimum)
    return f"{amount} left" if p.goal.direction == "at_most" else amount


def _row(p: GoalProgress, found: GoalStreak) -> list[object]:
    measure = p.goal.measure
    sign = "≤" if p.goal.direction == "at_most" else "≥"
    return [
        p.goal.id,
        p.goal.name,
        f"{goals.format_value(measure, p.value)} / {sign}{goals.format_value(measure, p.target)}",
        goals.format_value(measure, p.expected_by_now),
        f"{goals.format_value(measure, p.needed_per_day)}/day",
        _today_text(p),
        goals.streak_text(found, p.goal.period),
        status_text(p),
    ]


def _with_streaks(ctx: Context, found: list[GoalProgress]) -> list[tuple[GoalProgress, GoalStreak]]:
    now = clock.now()
    return [
        (p, goals.streak(ctx.conn, p.goal, now, ctx.zone, ctx.config.week_start)) for p in found
    ]


def cmd_list(ctx: Context) -> int:
    found = _with_streaks(
        ctx, goals.progress_all(ctx.conn, clock.now(), ctx.zone, ctx.config.week_start)
    )
    if ctx.args.format == "json":
        ctx.out(as_json([_record(p, run) for p, run in found]))
    elif not found:
        ctx.out(
            'No goals yet. Add one: smtui goals add "5 qualified prospects a week"'
            " -m outcomes -s prospect_qualified -t 5"
        )
    else:
        ctx.out(
            table(
                [
                    "id",
                    "goal",
                    "progress",
                    "expected now",
                    "pace needed",
                    "today",
                    "streak",
                    "status",
                ],
                [_row(p, run) for p, run in found],
            )
        )
    return 0


cmd_goals = cmd_list  # `smtui goals` alone lists them


def cmd_show(ctx: Context) -> int:
    goal = goals.get_goal(ctx.conn, parse_id(ctx.args.id, "goal"))
    p = goals.progress(ctx.conn, goal, clock.now(), ctx.zone, ctx.config.week_start)
    found = goals.streak(ctx.conn, goal, clock.now(), ctx.zone, ctx.config.week_start)
    if ctx.args.format == "json":
        ctx.out(as_json(_record(p, found)))
        return 0
    measure = goal.measure

    def fmt(value: float) -> str:
        return goals.format_value(measure, value)

    direction = "at most" if goal.direction == "at_most" else "at least"
    scope = f" on {goal.platform}" if goal.platform else ""
    subject = f" ({goal.subject})" if goal.subject else ""
    lines = [
        f"Goal #{goal.id}: {goal.name}",
        f"  {direction} {fmt(goal.target)} of {measure}{subject} per {goal.period}{scope}",
        f"  this {goal.period}: {format_clock(p.start, ctx.zone, with_date=True)[:10]} to "
        f"{format_clock(p.end - 1, ctx.zone, with_date=True)[:10]}, {p.elapsed:.0%} gone,"
        f" {p.days_left} day(s) left",
        f"  so far {fmt(p.value)}; expected by now {fmt(p.expected_by_now)}",
        f"  {'budget left' if goal.direction == 'at_most' else 'needed'} per day:"
        f" {fmt(p.needed_per_day)}",
        f"  {'may still use today' if goal.direction == 'at_most' else 'bare minimum today'}:"
        f" {fmt(p.bare_minimum)}",
        f"  streak: {goals.streak_text(found, goal.period)} met in a row",
        f"  status: {status_text(p)}"
        + (f" ({p.safety_days:+.1f} days of pace)" if p.safety_days is not None else ""),
    ]
    ctx.out("\n".join(lines))
    return 0


def cmd_rm(ctx: Context) -> int:
    goal = goals.get_goal(ctx.conn, parse_id(ctx.args.id, "goal"))
    confirm(f"Delete goal #{goal.id} ({goal.name})?", ctx.args.yes)
    goals.delete_goal(ctx.conn, goal.id)
    ctx.out(f"Deleted goal #{goal.id}")
    return 0
