"""``smtui score``: rate a session or a period with a scoring strategy."""

from __future__ import annotations

from smtui import clock
from smtui.cli.output import as_json
from smtui.errors import StateError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from smtui.cli.context import Context
    from smtui.scoring import Score


def window_for(ctx: Context, period: str, at: str | None) -> tuple[int, int]:
    """``[start, end)`` to score: the latest session, or the period containing ``--at``."""
    now = clock.now()
    if period == "session":
        row = ctx.conn.execute(
            "SELECT started_at, coalesce(ended_at, ?) FROM sessions"
            " ORDER BY started_at DESC LIMIT 1",
            (now,),
        ).fetchone()
        if row is None:
            raise StateError("there is no session to score yet", "start one with `smtui start`")
        return int(row[0]), max(int(row[1]), int(row[0]) + 1)
    from smtui.core.periods import period_bounds

    instant = ctx.when(at=at) if at else now
    return period_bounds(period, instant or now, ctx.zone, ctx.config.week_start)


def compute(ctx: Context, strategy_name: str | None, start: int, end: int) -> Score:
    from smtui.core.score import make_strategy, score_range

    strategy = make_strategy(ctx.registry, strategy_name or ctx.config.default_strategy, ctx.config)
    return score_range(ctx.conn, strategy, start, end, clock.now())


def render_score(score: Score) -> str:
    lines = [f"{score.strategy}: {score.label}"]
    lines.extend(f"  {item}: {value}" for item, value in score.breakdown)
    return "\n".join(lines)


def cmd_score(ctx: Context) -> int:
    args = ctx.args
    if args.list:
        from smtui.cli.describe import describe_plugins

        ctx.out(describe_plugins(ctx.registry.scorers, "scoring"))
        return 0
    start, end = window_for(ctx, args.period, args.at)
    score = compute(ctx, args.strategy, start, end)
    if args.format == "json":
        data = score.as_dict()
        data.update(start=start, end=end)
        ctx.out(as_json(data))
    else:
        ctx.out(render_score(score))
    return 0
