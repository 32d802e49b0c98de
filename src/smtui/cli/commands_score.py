"""``smtui score``: rate a session, a period or any range with a scoring strategy."""

from __future__ import annotations

from smtui import clock
from smtui.cli.output import as_json
from smtui.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from smtui.cli.context import Context
    from smtui.scoring import Score


def window_for(ctx: Context) -> tuple[int, int]:
    """``[start, end)`` the arguments name: one of ``--session ID``, ``-p PERIOD``, ``--day``,
    ``--week``, ``--month`` or ``--from/--to`` (default: the day of ``--at``, or today)."""
    from smtui.core import windows

    args = ctx.args
    now = clock.now()
    flags = [name for name in ("day", "week", "month") if getattr(args, name)]
    chosen = [
        *(["--session"] if args.session else []),
        *([f"--period {args.period}"] if args.period else []),
        *(f"--{name}" for name in flags),
        *(["--from/--to"] if args.start or args.end else []),
    ]
    if len(chosen) > 1:
        raise UsageError(
            f"choose one window to score, not {' and '.join(chosen)}",
            "e.g. --week, --session 12 or --from 2026-03-01 --to 2026-03-31",
        )
    if args.session:
        from smtui.cli.listing import parse_id

        return windows.session_window(ctx.conn, parse_id(args.session, "session"), now)
    if args.period == "session":
        return windows.session_window(ctx.conn, None, now)
    if args.start or args.end:
        return windows.range_window(args.start, args.end, ctx.zone, now)
    period = args.period or (flags[0] if flags else "day")
    instant = ctx.when(at=args.at) if args.at else now
    return windows.period_window(period, instant or now, ctx.zone, ctx.config.week_start)


def compute(ctx: Context, strategy_name: str | None, start: int, end: int) -> Score:
    from smtui.core.score import make_strategy, score_range

    strategy = make_strategy(ctx.registry, strategy_name or ctx.config.default_strategy, ctx.config)
    return score_range(ctx.conn, strategy, start, end, clock.now())


def render_score(score: Score) -> str:
    value = "-" if score.value is None else f"{score.value:.6g}"
    lines = [f"{score.strategy}: {score.label}", f"  value: {value} {score.unit}".rstrip()]
    lines.extend(f"  {item}: {value}" for item, value in score.breakdown)
    return "\n".join(lines)


def cmd_score(ctx: Context) -> int:
    args = ctx.args
    if args.list:
        from smtui.cli.describe import describe_plugins

        text = describe_plugins(ctx.registry.scorers, "scoring")
        default = ctx.config.default_strategy
        ctx.out(f"{text}\n\ndefault strategy ([app] default_strategy): {default}")
        return 0
    start, end = window_for(ctx)
    score = compute(ctx, args.strategy, start, end)
    if args.format == "json":
        from datetime import datetime

        data = score.as_dict()
        data.update(
            start=start,
            end=end,
            start_local=datetime.fromtimestamp(start, ctx.zone).isoformat(timespec="seconds"),
            end_local=datetime.fromtimestamp(end, ctx.zone).isoformat(timespec="seconds"),
        )
        ctx.out(as_json(data))
    else:
        ctx.out(render_score(score))
    return 0
