"""``smtui plugins``: what is installed and whether it loaded."""

from __future__ import annotations

from smtui.cli.output import rows_out

TYPE_CHECKING = False
if TYPE_CHECKING:
    from smtui.cli.context import Context


def cmd_plugins(ctx: Context) -> int:
    registry = ctx.registry
    records = [health.as_dict() for health in registry.health]
    headers = ["plugin", "distribution", "version", "status", "error"]
    rows = [[r.get(h, "") for h in headers] for r in records]
    ctx.out(rows_out(ctx.args.format, headers, rows, records))
    return 0
