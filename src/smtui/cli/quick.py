"""The everyday commands: start, stop, pause, resume, cancel, status, log.

These run from shell prompts and tmux status bars many times a day, so they import only what
the store needs; time zones, plugins and config parsing load only when an argument asks for
them (``--at``, an unknown platform or outcome kind, a config file that changed) or when an
installed plugin listens to the event a command emits (:mod:`smtui.core.events`).
"""

from __future__ import annotations

from smtui.core import sessions
from smtui.core.timespec import format_duration, format_hms

TYPE_CHECKING = False
if TYPE_CHECKING:
    from smtui.cli.context import Context
    from smtui.models import Session


def _label(session: Session) -> str:
    return f"{session.platform} {session.intent}".strip()


def cmd_start(ctx: Context) -> int:
    args = ctx.args
    platform = ctx.resolve_platform(args.platform)
    timebox_s = None
    if args.timebox:
        from smtui.core.timespec import parse_duration

        timebox_s = parse_duration(args.timebox, what="timebox")
    session = sessions.start(
        ctx.conn,
        platform,
        args.intent or "",
        at=ctx.when(args.at, args.ago),
        timebox_s=timebox_s,
        tags=args.tag,
        note=args.note or "",
    )
    extra = f", timebox {format_duration(timebox_s)}" if timebox_s else ""
    if args.at or args.ago:
        from smtui.core.timespec import format_clock

        extra += f", from {format_clock(session.started_at, ctx.zone)}"
    ctx.out(f"Started #{session.id} {_label(session)}{extra}")
    from smtui.core import events

    events.after_start(ctx.config, session)
    return 0


def _outcome_kinds_of(ctx: Context, session_id: int) -> list[str]:
    rows = ctx.conn.execute(
        "SELECT kind FROM outcomes WHERE session_id = ? ORDER BY occurred_at, id", (session_id,)
    )
    return [row[0] for row in rows]


def cmd_stop(ctx: Context) -> int:
    args = ctx.args
    kinds = [ctx.resolve_kind(name).name for name in args.outcome]
    session = sessions.stop(
        ctx.conn, at=ctx.when(args.at, args.ago), note=args.note, outcome_kinds=kinds
    )
    assert session.ended_at is not None
    achieved = _outcome_kinds_of(ctx, session.id)
    if achieved:
        verdict = f"{len(achieved)} outcome{'s' if len(achieved) != 1 else ''}: " + ", ".join(
            achieved
        )
    else:
        verdict = "no outcome: playtime"
    ctx.out(
        f"Stopped #{session.id} {_label(session)} after "
        f"{format_hms(session.active_seconds(session.ended_at))} ({verdict})"
    )
    from smtui.core import events

    events.after_stop(ctx.conn, ctx.config, session, added=len(kinds))
    return 0


def cmd_pause(ctx: Context) -> int:
    session = sessions.pause(ctx.conn, at=ctx.when(ctx.args.at, ctx.args.ago))
    assert session.paused_since is not None
    ctx.out(
        f"Paused #{session.id} {_label(session)} at"
        f" {format_hms(session.active_seconds(session.paused_since))}"
    )
    return 0


def cmd_resume(ctx: Context) -> int:
    from smtui import clock

    session = sessions.resume(ctx.conn, at=ctx.when(ctx.args.at, ctx.args.ago))
    ctx.out(
        f"Resumed #{session.id} {_label(session)} at"
        f" {format_hms(session.active_seconds(clock.now()))}"
    )
    return 0


def cmd_cancel(ctx: Context) -> int:
    session = sessions.cancel(ctx.conn)
    ctx.out(f"Cancelled #{session.id} {_label(session)}; outcomes logged during it are kept")
    return 0


def cmd_log(ctx: Context) -> int:
    from smtui.core import outcomes
    from smtui.errors import UsageError

    args = ctx.args
    kind = ctx.resolve_kind(args.kind)
    detail = (args.detail or "").strip().lower().replace(" ", "_").replace("-", "_")
    if detail and kind.details and detail not in kind.details:
        from smtui.core.kinds import closest

        guess = closest(detail, kind.details)
        raise UsageError(
            f"{kind.name} takes one of {', '.join(kind.details)}, not {args.detail!r}",
            f"did you mean {guess!r}?" if guess else "leave it out if none fits",
        )
    if not kind.details:
        detail = (args.detail or "").strip()
    amount = currency = None
    if args.value is not None:
        amount = outcomes.parse_money(args.value)
        currency = (args.currency or ctx.config.currency).upper()
    elif args.currency:
        raise UsageError("--currency needs --value")
    if args.no_session and args.session:
        raise UsageError("give either --session or --no-session, not both")
    target: int | str | None = outcomes.RUNNING
    if args.no_session:
        target = None
    elif args.session:
        if not str(args.session).isdigit():
            raise UsageError(
                f"bad session id {args.session!r}", "use the number shown by `smtui sessions list`"
            )
        target = int(args.session)
    platform = None
    if args.platform:
        platform = ctx.resolve_platform(args.platform)
    outcome = outcomes.log(
        ctx.conn,
        kind.name,
        session=target,
        at=ctx.when(args.at, args.ago),
        detail=detail,
        platform=platform,
        contact=args.contact or "",
        amount_minor=amount,
        currency=currency,
        note=args.note or "",
    )
    parts = [f"Logged {outcome.kind}"]
    if outcome.detail:
        parts.append(f"({outcome.detail})")
    if outcome.contact:
        parts.append(f"with {outcome.contact}")
    if outcome.amount_minor is not None:
        parts.append(f"worth {outcomes.format_money(outcome.amount_minor, outcome.currency)}")
    parts.append(f"on session #{outcome.session_id}" if outcome.session_id else "without a session")
    ctx.out(" ".join(parts))
    from smtui.core import events

    events.after_log(ctx.conn, ctx.config, outcome)
    return 0


def cmd_status(ctx: Context) -> int:
    from smtui import clock

    now = clock.now()
    session = sessions.running(ctx.conn)
    fmt = ctx.args.format
    if fmt == "short":
        ctx.out(_short_status(ctx, session, now))
        return 0
    if fmt == "json":
        from smtui.cli.status import status_json

        ctx.out(status_json(ctx, session, now))
        return 0
    from smtui.cli.status import status_text

    ctx.out(status_text(ctx, session, now))
    return 0


def _short_status(ctx: Context, session: Session | None, now: int) -> str:
    """One line for a shell prompt or tmux status bar; empty when nothing runs."""
    if session is None:
        return ""
    count = ctx.conn.execute(
        "SELECT count(*) FROM outcomes WHERE session_id = ?", (session.id,)
    ).fetchone()[0]
    parts = ["⏸" if session.paused else "▶", session.platform]
    if session.intent:
        parts.append(session.intent)
    parts.append(format_hms(session.active_seconds(now)))
    if count:
        parts.append(f"✓{count}")
    left = session.timebox_left(now)
    if left is not None:
        parts.append(f"⏳{format_duration(left)}" if left >= 0 else f"⏰+{format_duration(left)}")
    return " ".join(parts)
