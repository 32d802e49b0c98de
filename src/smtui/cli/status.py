"""``smtui status`` in text and JSON: the running session and today's time split."""

from __future__ import annotations

from smtui.core.timespec import format_clock, format_duration, format_hms

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from smtui.cli.context import Context
    from smtui.models import Session


def _today(ctx: Context, now: int) -> Any:
    from smtui.core.periods import period_bounds
    from smtui.core.summary import time_split

    start, end = period_bounds("day", now, ctx.zone, ctx.config.week_start)
    return time_split(ctx.conn, start, end, now)


def _outcomes(ctx: Context, session_id: int) -> list[str]:
    rows = ctx.conn.execute(
        "SELECT kind FROM outcomes WHERE session_id = ? ORDER BY occurred_at, id", (session_id,)
    )
    return [row[0] for row in rows]


def status_text(ctx: Context, session: Session | None, now: int) -> str:
    lines: list[str] = []
    if session is None:
        lines.append("No session running. Start one: smtui start PLATFORM [INTENT] [-t 25m]")
    else:
        state = "paused" if session.paused else "running"
        lines.append(
            f"#{session.id} {session.platform} {session.intent}".rstrip()
            + f"  {format_hms(session.active_seconds(now))}  ({state})"
        )
        details = [f"started {format_clock(session.started_at, ctx.zone)}"]
        left = session.timebox_left(now)
        if left is not None:
            details.append(
                f"timebox {format_duration(session.timebox_s or 0)}: "
                + (
                    f"{format_duration(left)} left"
                    if left >= 0
                    else f"{format_duration(left)} over"
                )
            )
        kinds = _outcomes(ctx, session.id)
        details.append(f"outcomes: {', '.join(kinds)}" if kinds else "no outcome yet")
        if session.tags:
            details.append("tags: " + ", ".join(session.tags))
        lines.append("  " + " · ".join(details))
    split = _today(ctx, now)
    today = (
        f"Today: {format_duration(split.total_s)}: productive {format_duration(split.productive_s)}"
        f" · playtime {format_duration(split.playtime_s)}"
    )
    if split.running_s:
        today += f" · running {format_duration(split.running_s)}"
    budget = ctx.config.daily_budget_s
    if budget:
        left = budget - split.total_s
        today += f"  (budget {format_duration(budget)}: " + (
            f"{format_duration(left)} left)" if left >= 0 else f"{format_duration(left)} over)"
        )
    lines.append(today)
    return "\n".join(lines)


def status_json(ctx: Context, session: Session | None, now: int) -> str:
    from smtui.cli.output import as_json

    running: dict[str, Any] | None = None
    if session is not None:
        running = session.as_dict()
        running["tags"] = list(session.tags)
        running.update(
            active_s=session.active_seconds(now),
            paused=session.paused,
            timebox_left_s=session.timebox_left(now),
            outcomes=_outcomes(ctx, session.id),
        )
    split = _today(ctx, now)
    return as_json(
        {
            "now": now,
            "running": running,
            "today": {
                "total_s": split.total_s,
                "productive_s": split.productive_s,
                "playtime_s": split.playtime_s,
                "running_s": split.running_s,
                "sessions": split.sessions,
                "budget_s": ctx.config.daily_budget_s,
            },
        }
    )
