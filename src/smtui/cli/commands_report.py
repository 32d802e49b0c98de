"""``smtui report``: a period at a glance, and analytics of your posts and time.

``smtui report`` reports a day, week, month, quarter or year (or ``--from/--to``);
``report best-times``, ``report returns`` and ``report content`` are the analytics, each as a
table for people or JSON and CSV for scripts.
"""

from __future__ import annotations

from smtui import clock
from smtui.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from smtui.cli.context import Context


def _window(ctx: Context) -> tuple[str, int, int]:
    """``(period label, start, end)``: ``--from/--to`` (``range``), else the period of ``--at``."""
    from smtui.core import windows

    args = ctx.args
    now = clock.now()
    if args.start or args.end:
        return "range", *windows.range_window(args.start, args.end, ctx.zone, now)
    at = (ctx.when(at=args.at) if args.at else None) or now
    period = args.period or "week"
    return period, *windows.period_window(period, at, ctx.zone, ctx.config.week_start)


def _recent(ctx: Context) -> tuple[int, int]:
    """``--from/--to``, or the last ``--days`` days up to now (analytics of posts)."""
    from smtui.core import windows

    args = ctx.args
    now = clock.now()
    if args.start or args.end:
        return windows.range_window(args.start, args.end, ctx.zone, now)
    return now - _whole(args.days, "--days", 365) * 86_400, now


def _whole(text: object, what: str, default: int) -> int:
    if text is None:
        return default
    value = str(text).strip()
    if not value.isdigit() or int(value) == 0:
        raise UsageError(f"bad {what} {text!r}", "use a whole number above zero")
    return int(value)


def cmd_report(ctx: Context) -> int:
    from smtui.cli.commands_score import compute
    from smtui.core.report import build_report, render

    period, start, end = _window(ctx)
    score = compute(ctx, ctx.args.strategy, start, end)
    report = build_report(
        ctx.conn,
        period,
        start,
        ctx.zone,
        ctx.config.week_start,
        score=score,
        kinds=ctx.registry.outcome_kinds,
        window=(start, end),
    )
    ctx.out(render(report, ctx.args.format, ctx.zone).removesuffix("\n"))
    return 0


def cmd_best_times(ctx: Context) -> int:
    from smtui.cli.analytics_views import best_times_out
    from smtui.core.analytics_times import DEFAULT_MIN_POSTS, best_times

    args = ctx.args
    start, end = _recent(ctx)
    platform = ctx.resolve_platform(args.platform) if args.platform else None
    found = best_times(
        ctx.conn,
        start,
        end,
        ctx.zone,
        platform=platform,
        min_posts=_whole(args.min_posts, "--min-posts", DEFAULT_MIN_POSTS),
    )
    ctx.out(best_times_out(found, args.format, ctx.zone))
    return 0


def cmd_returns(ctx: Context) -> int:
    from smtui.cli.analytics_views import returns_out
    from smtui.core.analytics_returns import returns

    _, start, end = _window(ctx)
    ctx.out(returns_out(returns(ctx.conn, start, end, clock.now()), ctx.args.format, ctx.zone))
    return 0


def cmd_content(ctx: Context) -> int:
    from smtui.cli.analytics_views import content_out
    from smtui.core.analytics_content import content_insights

    args = ctx.args
    start, end = _recent(ctx)
    platform = ctx.resolve_platform(args.platform) if args.platform else None
    found = content_insights(ctx.conn, start, end, ctx.zone, platform=platform)
    ctx.out(content_out(found, args.format, ctx.zone))
    return 0
