"""``smtui report``: a day, week or month at a glance, for people or scripts."""

from __future__ import annotations

from smtui import clock

TYPE_CHECKING = False
if TYPE_CHECKING:
    from smtui.cli.context import Context


def cmd_report(ctx: Context) -> int:
    from smtui.cli.commands_score import compute
    from smtui.core.periods import period_bounds
    from smtui.core.report import build_report, render

    args = ctx.args
    at = (ctx.when(at=args.at) if args.at else None) or clock.now()
    start, end = period_bounds(args.period, at, ctx.zone, ctx.config.week_start)
    score = compute(ctx, args.strategy, start, end)
    report = build_report(
        ctx.conn,
        args.period,
        at,
        ctx.zone,
        ctx.config.week_start,
        score=score,
        kinds=ctx.registry.outcome_kinds,
    )
    ctx.out(render(report, args.format, ctx.zone))
    return 0
