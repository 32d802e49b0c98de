"""What the dashboard's forms collect, and the one database action each turns into. No Textual.

A form hands back a plain request; the functions here turn it into an :data:`Action`, a
function of a connection that does the whole change as the domain functions do it (one
transaction) and returns the sentence to show. Actions run in worker threads
(:func:`run_action`), so a form never waits on a lock, and an error keeps the form open with
the reason (:func:`describe_error`).
"""

from __future__ import annotations

from smtui.errors import SmtuiError, UsageError
from smtui.models import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable, Collection, Iterable
    from datetime import tzinfo

    from smtui.config import Config
    from smtui.core.goals import Goal
    from smtui.core.kinds import OutcomeKind
    from smtui.models import Session

    Action = Callable[[sqlite3.Connection], str]


def run_action(db_path: str, action: Action) -> str:
    """Run ``action`` on a connection of its own (call it in a worker thread)."""
    from smtui.store.db import connect

    conn = connect(db_path)
    try:
        return action(conn)
    finally:
        conn.close()


def describe_error(exc: BaseException) -> str:
    """An error as the user reads it: smtui's own message and hint, or the exception's type."""
    if isinstance(exc, SmtuiError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def configured_platforms(config: Config) -> tuple[str, ...]:
    return (*config.platforms, *config.target_platforms)


def plugin_platforms(config: Config) -> Callable[[], list[str]]:
    """Platforms the installed sources read (asked only for a name nothing else knows)."""

    def listed() -> list[str]:
        from smtui.plugins import load_registry

        sources = load_registry(config).sources.values()
        return [cls.platform for cls in sources if cls.platform]

    return listed


def resolve_platform(conn: sqlite3.Connection, name: str, config: Config) -> str:
    from smtui.core.platforms import resolve_platform as resolve

    return resolve(name, conn, configured_platforms(config), plugin_platforms(config))


# --- sessions --------------------------------------------------------------------------------


class StartRequest(Record):
    """What the start dialog collected; the platform is resolved against the store later."""

    __slots__ = ("intent", "platform", "timebox_s")

    def __init__(self, platform: str, intent: str, timebox_s: int | None) -> None:
        self.platform = platform
        self.intent = intent
        self.timebox_s = timebox_s


def parse_local_time(text: str, zone: tzinfo, now: int, what: str) -> int:
    """A date-time (``2026-03-01 09:30``) or a clock time today (``09:30``) in ``zone``."""
    from datetime import datetime

    from dateutil import parser

    today = datetime.fromtimestamp(now, zone).replace(hour=0, minute=0, second=0, microsecond=0)
    try:
        parsed = parser.parse(text.strip(), default=today.replace(tzinfo=None))
    except (ValueError, OverflowError) as exc:
        raise UsageError(
            f"bad {what} time {text!r}", "use a date-time like 2026-03-01 09:30, or 09:30"
        ) from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return int(parsed.timestamp())


class SessionDraft(Record):
    """The session form as typed. Times are text in the user's zone, as shown."""

    __slots__ = ("end", "intent", "note", "platform", "start", "tags")

    def __init__(
        self, *, platform: str, intent: str, start: str, end: str, note: str, tags: str
    ) -> None:
        self.platform = platform
        self.intent = intent
        self.start = start
        self.end = end
        self.note = note
        self.tags = tags


def session_fields(session: Session, zone: tzinfo) -> SessionDraft:
    """The form's starting values for ``session``."""
    from smtui.core.timespec import format_clock

    return SessionDraft(
        platform=session.platform,
        intent=session.intent,
        start=format_clock(session.started_at, zone, with_date=True),
        end=""
        if session.ended_at is None
        else format_clock(session.ended_at, zone, with_date=True),
        note=session.note,
        tags=", ".join(session.tags),
    )


def edit_session_action(
    session: Session, draft: SessionDraft, config: Config, zone: tzinfo, now: int
) -> Action:
    """Save what changed in the form. Times are minute-precise as shown, so a time left as it
    was is not written back (its seconds stay)."""
    shown = session_fields(session, zone)

    def edit(conn: sqlite3.Connection) -> str:
        from smtui.core import sessions

        changes: dict[str, object] = {}
        if draft.platform.strip().lower() != shown.platform:
            changes["platform"] = resolve_platform(conn, draft.platform, config)
        if draft.intent.strip() != shown.intent:
            changes["intent"] = draft.intent.strip()
        if draft.start.strip() != shown.start:
            changes["started_at"] = parse_local_time(draft.start, zone, now, "start")
        if draft.end.strip() != shown.end:
            if session.ended_at is None:
                raise UsageError(
                    f"session #{session.id} is still running", "stop it to give it an end time"
                )
            changes["ended_at"] = parse_local_time(draft.end, zone, now, "end")
        if draft.note != shown.note:
            changes["note"] = draft.note
        if draft.tags.strip() != shown.tags:
            changes["tags"] = [draft.tags]
        if not changes:
            return f"Session #{session.id}: nothing changed"
        sessions.edit(conn, session.id, **changes)  # type: ignore[arg-type]
        return f"Saved session #{session.id}"

    return edit


def delete_session_action(session_id: int) -> Action:
    def delete(conn: sqlite3.Connection) -> str:
        from smtui.core import sessions

        gone = sessions.delete(conn, session_id)
        return f"Deleted session #{gone.id} ({gone.platform}); its outcomes are kept"

    return delete


# --- goals -----------------------------------------------------------------------------------


class GoalDraft(Record):
    """The goal form as typed; ``target`` is text in the measure's unit (``6h``, ``5``, ``2%``)."""

    __slots__ = ("at_most", "measure", "name", "period", "platform", "subject", "target")

    def __init__(
        self,
        *,
        name: str,
        measure: str,
        subject: str,
        target: str,
        period: str,
        at_most: bool,
        platform: str = "",
    ) -> None:
        self.name = name
        self.measure = measure
        self.subject = subject
        self.target = target
        self.period = period
        self.at_most = at_most
        self.platform = platform


def goal_fields(goal: Goal) -> GoalDraft:
    """The form's starting values for a stored goal."""
    from smtui.core.goals import format_value
    from smtui.core.measures import SECONDS, get_measure

    unit = get_measure(goal.measure).unit
    if unit == SECONDS:
        from smtui.core.timespec import format_duration

        target = format_duration(round(goal.target)) if goal.target else "0"
    else:
        target = format_value(goal.measure, goal.target).replace(",", "")
    return GoalDraft(
        name=goal.name,
        measure=goal.measure,
        subject=goal.subject,
        target=target,
        period=goal.period,
        at_most=goal.direction == "at_most",
        platform=goal.platform or "",
    )


# What a goal's target takes, by the unit of its measure: what it is, and examples.
TARGET_EXPECTED = {
    "seconds": ("a duration", "e.g. 6h, 45m or 1h30m"),
    "count": ("a number", "e.g. 5 or 2.5"),
    "fraction": ("a percentage", "e.g. 2% or 0.02"),
    "money": ("an amount", "e.g. 3000 or 1200.50"),
}


def target_hint(measure: str) -> str:
    """The examples a target field of ``measure`` shows while empty."""
    from smtui.core.measures import get_measure

    return TARGET_EXPECTED[get_measure(measure).unit][1]


def goal_target_error(measure: str, text: str) -> str | None:
    """What is wrong with a target as typed in the goal form, naming the field and what it
    takes (``Target 'many' is not a number (e.g. 5 or 2.5).``); None when it is fine.

    The form checks this before saving, so the cursor can go to the field at fault.
    """
    from smtui.core.goals import parse_target
    from smtui.core.measures import get_measure

    noun, examples = TARGET_EXPECTED[get_measure(measure).unit]
    shown = text.strip()
    if not shown:
        return f"Target is needed: {noun} ({examples})."
    try:
        parse_target(measure, shown)
    except UsageError as exc:
        # "bad target '-3': must be zero or more" read a number and says what is wrong with it
        _, _, why = exc.message.partition(": ")
        if why:
            return f"Target {shown!r}: {why} ({examples})."
        return f"Target {shown!r} is not {noun} ({examples})."
    return None


def check_goal_draft(draft: GoalDraft) -> tuple[str, str] | None:
    """The first field of the goal form at fault and what is wrong with it, or None.

    Only what needs no database: the name, a subject the measure requires, the target. The
    rest (a known kind or platform) is checked when saving, as on the command line.
    """
    from smtui.core.measures import SUBJECT_REQUIRED, get_measure

    if not draft.name.strip():
        return "name", "Name is needed, e.g. 5 qualified prospects a week."
    spec = get_measure(draft.measure)
    if spec.subject == SUBJECT_REQUIRED and not draft.subject.strip():
        return "subject", f"Subject is needed: which {spec.subject_label} the goal counts."
    problem = goal_target_error(draft.measure, draft.target)
    return ("target", problem) if problem else None


def save_goal_action(
    draft: GoalDraft, goal_id: int | None, config: Config, kinds: Collection[OutcomeKind]
) -> Action:
    """Add the goal (``goal_id`` None) or change goal ``goal_id`` to what the form says."""

    def save(conn: sqlite3.Connection) -> str:
        from smtui.core import goals

        measure = draft.measure
        if not measure:
            raise UsageError("pick what the goal measures")
        subject = draft.subject.strip()
        if measure == "outcomes" and subject:
            from smtui.core.kinds import resolve_kind

            subject = resolve_kind(subject, {kind.name: kind for kind in kinds}).name
        if not draft.target.strip():
            raise UsageError("a goal needs a target", "e.g. 5, 6h or 2%")
        target = goals.parse_target(measure, draft.target)
        platform = resolve_platform(conn, draft.platform, config) if draft.platform else None
        fields = {
            "name": draft.name,
            "measure": measure,
            "subject": subject,
            "target": target,
            "period": draft.period or "week",
            "direction": "at_most" if draft.at_most else "at_least",
            "platform": platform,
            "known_kinds": {kind.name for kind in kinds},
        }
        if goal_id is None:
            goal = goals.add_goal(conn, **fields)  # type: ignore[arg-type]
            return f"Added goal #{goal.id}: {goal.name}"
        goal = goals.update_goal(conn, goal_id, **fields)  # type: ignore[arg-type]
        return f"Saved goal #{goal.id}: {goal.name}"

    return save


def delete_goal_action(goal_id: int) -> Action:
    def delete(conn: sqlite3.Connection) -> str:
        from smtui.core import goals

        gone = goals.delete_goal(conn, goal_id)
        return f"Deleted goal #{gone.id} ({gone.name})"

    return delete


# --- outcomes --------------------------------------------------------------------------------


class LogRequest(Record):
    """An outcome to log: its kind, and for kinds with details or money, what was typed."""

    __slots__ = ("amount", "contact", "currency", "detail", "kind")

    def __init__(
        self,
        kind: str,
        *,
        detail: str = "",
        contact: str = "",
        amount: str = "",
        currency: str = "",
    ) -> None:
        self.kind = kind
        self.detail = detail
        self.contact = contact
        self.amount = amount
        self.currency = currency


def outcome_values(
    request: LogRequest, details: Iterable[str], takes_money: bool, default_currency: str
) -> dict[str, object]:
    """The keyword arguments of :func:`smtui.core.outcomes.log` for ``request``, checked."""
    from smtui.core.outcomes import parse_money

    values: dict[str, object] = {"contact": request.contact.strip()}
    allowed = tuple(details)
    detail = request.detail.strip()
    if allowed and detail:
        detail = detail.lower().replace(" ", "_").replace("-", "_")
        if detail not in allowed:
            raise UsageError(f"{request.kind} takes one of {', '.join(allowed)}, not {detail!r}")
    values["detail"] = detail
    amount = request.amount.strip()
    if amount:
        if not takes_money:
            raise UsageError(f"{request.kind} takes no amount")
        values["amount_minor"] = parse_money(amount)
        currency = (request.currency.strip() or default_currency).upper()
        if len(currency) != 3 or not currency.isalpha():
            raise UsageError(f"bad currency {currency!r}", "use a code such as EUR or USD")
        values["currency"] = currency
    return values
