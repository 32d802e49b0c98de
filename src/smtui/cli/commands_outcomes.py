"""``smtui outcomes list|rm``."""

from __future__ import annotations

from smtui.cli.listing import parse_id, parse_limit, period_window
from smtui.cli.output import confirm, rows_out
from smtui.core import outcomes
from smtui.core.timespec import format_clock

TYPE_CHECKING = False
if TYPE_CHECKING:
    from smtui.cli.context import Context


def cmd_list(ctx: Context) -> int:
    args = ctx.args
    start, end = period_window(ctx, args.period)
    kind = None
    if args.kind:
        kind = ctx.resolve_kind(args.kind).name
    found = outcomes.list_outcomes(
        ctx.conn,
        since=start,
        until=end,
        kind=kind,
        platform=args.platform.lower() if args.platform else None,
        limit=parse_limit(args.limit),
    )
    rows = [
        [
            o.id,
            format_clock(o.occurred_at, ctx.zone, with_date=True),
            o.kind,
            o.detail,
            o.contact,
            outcomes.format_money(o.amount_minor, o.currency) if o.amount_minor is not None else "",
            o.platform or "",
            f"#{o.session_id}" if o.session_id else "",
            o.note,
        ]
        for o in found
    ]
    headers = ["id", "when", "kind", "detail", "contact", "value", "platform", "session", "note"]
    ctx.out(rows_out(args.format, headers, rows, [o.as_dict() for o in found]))
    return 0


def cmd_rm(ctx: Context) -> int:
    outcome_id = parse_id(ctx.args.id, "outcome")
    outcome = outcomes.get(ctx.conn, outcome_id)
    confirm(f"Delete outcome #{outcome.id} ({outcome.kind})?", ctx.args.yes)
    outcomes.delete(ctx.conn, outcome_id)
    ctx.out(f"Deleted outcome #{outcome_id}")
    return 0
