"""``smtui sessions list|show|add|edit|rm``."""

from __future__ import annotations

from smtui import clock
from smtui.cli.listing import parse_id, parse_limit, period_window
from smtui.cli.output import as_json, confirm, rows_out
from smtui.core import outcomes, sessions
from smtui.core.timespec import format_clock, format_duration, format_hms, parse_duration
from smtui.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from smtui.cli.context import Context
    from smtui.models import Session


def _outcome_counts(ctx: Context, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = ctx.conn.execute(
        f"SELECT session_id, count(*) FROM outcomes WHERE session_id IN ({marks})"
        " GROUP BY session_id",
        ids,
    )
    return {row[0]: row[1] for row in rows}


def verdict(session: Session, outcome_count: int) -> str:
    """``running``, ``productive`` or ``playtime``: the one word the whole product is about."""
    if session.running:
        return "running"
    return "productive" if outcome_count else "playtime"


def session_record(session: Session, now: int, outcome_count: int) -> dict[str, Any]:
    record = session.as_dict()
    record["tags"] = list(session.tags)
    record.update(
        active_s=session.active_seconds(now),
        outcomes=outcome_count,
        verdict=verdict(session, outcome_count),
    )
    return record


def cmd_list(ctx: Context) -> int:
    args = ctx.args
    start, end = period_window(ctx, args.period)
    platform = args.platform.lower() if args.platform else None
    found = sessions.list_sessions(
        ctx.conn, since=start, until=end, platform=platform, limit=parse_limit(args.limit)
    )
    counts = _outcome_counts(ctx, [s.id for s in found])
    now = clock.now()
    rows = []
    for s in found:
        count = counts.get(s.id, 0)
        end_text = format_clock(s.ended_at, ctx.zone) if s.ended_at else "now"
        rows.append(
            [
                s.id,
                format_clock(s.started_at, ctx.zone, with_date=True)[:10],
                f"{format_clock(s.started_at, ctx.zone)}-{end_text}",
                s.platform,
                s.intent,
                format_hms(s.active_seconds(now)),
                count,
                verdict(s, count),
                ",".join(s.tags),
            ]
        )
    headers = ["id", "date", "time", "platform", "intent", "active", "outcomes", "verdict", "tags"]
    records = [session_record(s, now, counts.get(s.id, 0)) for s in found]
    ctx.out(rows_out(args.format, headers, rows, records))
    return 0


def cmd_show(ctx: Context) -> int:
    session = sessions.get(ctx.conn, parse_id(ctx.args.id, "session"))
    now = clock.now()
    found = outcomes.list_outcomes(ctx.conn, session_id=session.id)
    pauses = ctx.conn.execute(
        "SELECT started_at, ended_at FROM pauses WHERE session_id = ? ORDER BY started_at",
        (session.id,),
    ).fetchall()
    if ctx.args.format == "json":
        record = session_record(session, now, len(found))
        record["pauses"] = [{"started_at": p[0], "ended_at": p[1]} for p in pauses]
        record["outcome_list"] = [o.as_dict() for o in reversed(found)]
        ctx.out(as_json(record))
        return 0
    zone = ctx.zone
    end_text = (
        format_clock(session.ended_at, zone, with_date=True) if session.ended_at else "running"
    )
    lines = [
        f"Session #{session.id}: {session.platform} {session.intent}".rstrip(),
        f"  from {format_clock(session.started_at, zone, with_date=True)} to {end_text}",
        f"  active {format_hms(session.active_seconds(now))}, paused "
        f"{format_duration(session.paused_seconds(session.ended_at or now))}"
        + (f", timebox {format_duration(session.timebox_s)}" if session.timebox_s else ""),
        f"  verdict: {verdict(session, len(found))}",
    ]
    if session.tags:
        lines.append("  tags: " + ", ".join(session.tags))
    if session.note:
        lines.append("  note: " + session.note.replace("\n", "\n        "))
    for start, end in pauses:
        lines.append(
            f"  pause {format_clock(start, zone)}-{format_clock(end, zone) if end else 'now'}"
        )
    for o in reversed(found):
        extra = " ".join(x for x in (o.detail, o.contact) if x)
        money = (
            f" {outcomes.format_money(o.amount_minor, o.currency)}"
            if o.amount_minor is not None
            else ""
        )
        lines.append(
            f"  outcome #{o.id} {format_clock(o.occurred_at, zone)} {o.kind}"
            f" {extra}{money}".rstrip()
        )
    ctx.out("\n".join(lines))
    return 0


def _instant(ctx: Context, text: str | None) -> int | None:
    return ctx.when(at=text) if text else None


def cmd_add(ctx: Context) -> int:
    args = ctx.args
    if not args.start:
        raise UsageError(
            "--from is required", "e.g. --from 09:30 --to 10:15, or --from 09:30 -d 45m"
        )
    start = _instant(ctx, args.start)
    assert start is not None
    if args.end and args.duration:
        raise UsageError("give either --to or --duration, not both")
    if args.duration:
        end = start + parse_duration(args.duration)
    elif args.end:
        end = _instant(ctx, args.end) or 0
    else:
        raise UsageError("say when it ended", "add --to TIME or --duration 45m")
    session = sessions.add(
        ctx.conn,
        ctx.resolve_platform(args.platform),
        args.intent or "",
        start,
        end,
        tags=args.tag,
        note=args.note or "",
    )
    ctx.out(
        f"Added #{session.id} {session.platform} {session.intent} "
        f"({format_hms(session.active_seconds(end))})".replace("  ", " ")
    )
    return 0


def cmd_edit(ctx: Context) -> int:
    args = ctx.args
    changes: dict[str, Any] = {}
    if args.platform:
        changes["platform"] = ctx.resolve_platform(args.platform)
    if args.intent is not None:
        changes["intent"] = args.intent
    if args.start:
        changes["started_at"] = _instant(ctx, args.start)
    if args.end:
        changes["ended_at"] = _instant(ctx, args.end)
    if args.timebox:
        changes["timebox_s"] = (
            None if args.timebox == "none" else parse_duration(args.timebox, what="timebox")
        )
    if args.note is not None:
        changes["note"] = args.note
    if args.tag:
        changes["tags"] = args.tag
    if not changes:
        raise UsageError(
            "nothing to change", "give at least one option, see `smtui sessions edit -h`"
        )
    session = sessions.edit(ctx.conn, parse_id(args.id, "session"), **changes)
    ctx.out(f"Updated #{session.id} {session.platform} {session.intent}".rstrip())
    return 0


def cmd_rm(ctx: Context) -> int:
    session_id = parse_id(ctx.args.id, "session")
    session = sessions.get(ctx.conn, session_id)
    confirm(
        f"Delete session #{session.id} ({session.platform} {session.intent})?".replace(" )", ")"),
        ctx.args.yes,
    )
    sessions.delete(ctx.conn, session_id)
    ctx.out(f"Deleted session #{session_id}; its outcomes are kept without a session")
    return 0
