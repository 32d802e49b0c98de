"""What each dashboard panel shows, read from the store.

Loaders run in worker threads, each with the connection its thread opened, and return plain
records that the app thread renders. They never import Textual, so they can be tested (and
reused by a later screen) without a terminal. One loader per panel: when one fails, only its
panel shows the error. Loaders that run plugin code (:data:`PLUGIN_LOADERS`) are kept apart, so
the dashboard can run them where a slow plugin holds up nothing else.
"""

from __future__ import annotations

import contextlib

from smtui.models import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable
    from datetime import tzinfo

    from smtui.config import Config
    from smtui.core.goals import GoalProgress
    from smtui.core.metrics import MetricsReport
    from smtui.core.summary import TimeSplit
    from smtui.models import Outcome, Session
    from smtui.plugins import Registry
    from smtui.scoring import Score

    Loader = Callable[[sqlite3.Connection, "DashboardContext", int], object]

RECENT_LIMIT = 20
# Newest outcomes read to label the recent sessions; bounds the work after a large import.
OUTCOME_SCAN_LIMIT = 500

# Panel ids: the DOM id of each panel and the key of its loader.
SESSION = "session"
TODAY = "today"
GOALS = "goals"
SCORE = "score"
RECENT = "recent"
METRICS = "metrics"


class DashboardContext(Record):
    """What the loaders and panels need besides the database: settings and the display zone."""

    __slots__ = ("config", "zone")

    def __init__(self, config: Config, zone: tzinfo) -> None:
        self.config = config
        self.zone = zone

    def day_bounds(self, now: int) -> tuple[int, int]:
        """UTC epoch ``[start, end)`` of the local day containing ``now``."""
        from smtui.core.periods import period_bounds

        return period_bounds("day", now, self.zone)


class RunningView(Record):
    """The running session (None when idle) and the outcomes logged in it so far."""

    __slots__ = ("outcomes", "session")

    def __init__(self, session: Session | None, outcomes: list[Outcome]) -> None:
        self.session = session
        self.outcomes = outcomes


class TodayView(Record):
    """Today's time split, measured against the daily budget when one is set."""

    __slots__ = ("budget_s", "split")

    def __init__(self, split: TimeSplit, budget_s: int | None) -> None:
        self.split = split
        self.budget_s = budget_s

    @property
    def budget_left_s(self) -> int | None:
        """Budget not yet used (negative when over), or None without a budget."""
        return None if self.budget_s is None else self.budget_s - self.split.total_s


class GoalsView(Record):
    """Every goal's progress in its current period, most urgent first."""

    __slots__ = ("progress",)

    def __init__(self, progress: list[GoalProgress]) -> None:
        self.progress = progress


class ScoreView(Record):
    """Today's score under the configured default strategy."""

    __slots__ = ("score", "title")

    def __init__(self, title: str, score: Score) -> None:
        self.title = title
        self.score = score


# Statuses of a row in the latest-activity table.
RUNNING = "running"
PRODUCTIVE = "productive"
PLAYTIME = "playtime"
OUTCOME = "outcome"


class RecentRow(Record):
    """One line of the latest activity: a session with its outcome kinds, or a lone outcome.

    ``status`` is ``running``, ``productive``, ``playtime`` (a finished session without any
    outcome) or ``outcome`` (an outcome logged outside any session). ``active_s`` is None for
    outcome rows.
    """

    __slots__ = ("active_s", "at", "id", "intent", "kinds", "platform", "status")

    def __init__(
        self,
        id: int,
        *,
        at: int,
        status: str,
        platform: str,
        intent: str,
        active_s: int | None,
        kinds: tuple[str, ...],
    ) -> None:
        self.id = id
        self.at = at
        self.status = status
        self.platform = platform
        self.intent = intent
        self.active_s = active_s
        self.kinds = kinds


class RecentView(Record):
    """The latest activity, newest first, and where today starts (to shorten today's times)."""

    __slots__ = ("rows", "today_start")

    def __init__(self, rows: list[RecentRow], today_start: int) -> None:
        self.rows = rows
        self.today_start = today_start


def load_running(conn: sqlite3.Connection, ctx: DashboardContext, now: int) -> RunningView:
    from smtui.core import outcomes, sessions

    session = sessions.running(conn)
    logged = outcomes.list_outcomes(conn, session_id=session.id) if session is not None else []
    logged.reverse()
    return RunningView(session, logged)


def load_today(conn: sqlite3.Connection, ctx: DashboardContext, now: int) -> TodayView:
    from smtui.core.summary import time_split

    start, end = ctx.day_bounds(now)
    return TodayView(time_split(conn, start, end, now), ctx.config.daily_budget_s)


def load_goals(conn: sqlite3.Connection, ctx: DashboardContext, now: int) -> GoalsView:
    from smtui.core.goals import progress_all

    return GoalsView(progress_all(conn, now, ctx.zone, ctx.config.week_start))


def plugin_registry(config: Config) -> Registry:
    """The plugin registry, loaded with a time limit: a plugin hanging on import fails the
    panels that need plugins, not the dashboard."""
    from smtui.plugins import load_registry, loaded_registry

    registry = loaded_registry(config)
    if registry is not None:
        return registry  # loaded already: no thread, no time limit needed
    from smtui.plugin_calls import LOAD_TIMEOUT_S, call_with_timeout, timeout_for

    return call_with_timeout(
        load_registry, config, timeout=timeout_for(LOAD_TIMEOUT_S), what="loading the plugins"
    )


def prepare(config: Config) -> None:
    """Load the code the loaders need (the plugins, the domain modules), reading nothing.

    The dashboard's database watch calls it while the first frame is drawn, which leaves the
    processor idle for a while: the first data is then read without waiting for imports.
    """
    import smtui.core.goals
    import smtui.core.metrics
    import smtui.core.outcomes
    import smtui.core.score
    import smtui.core.sessions
    import smtui.core.summary  # noqa: F401 - imported for later, not used here
    from smtui.errors import SmtuiError

    with contextlib.suppress(SmtuiError):  # the score panel says what went wrong, later
        plugin_registry(config)


def load_score(conn: sqlite3.Connection, ctx: DashboardContext, now: int) -> ScoreView:
    """Today's score; the strategy runs with the time limit of :func:`core.score.score_range`."""
    from smtui.core.score import make_strategy, score_range

    config = ctx.config
    strategy = make_strategy(plugin_registry(config), config.default_strategy, config)
    start, end = ctx.day_bounds(now)
    title = strategy.title or strategy.name
    return ScoreView(title, score_range(conn, strategy, start, end, now))


def load_recent(
    conn: sqlite3.Connection, ctx: DashboardContext, now: int, limit: int = RECENT_LIMIT
) -> RecentView:
    """The latest sessions with their outcomes, and outcomes logged outside any session."""
    from smtui.core import outcomes, sessions

    listed = sessions.list_sessions(conn, limit=limit)
    since = listed[-1].started_at if len(listed) == limit else None
    logged = outcomes.list_outcomes(conn, since=since, limit=OUTCOME_SCAN_LIMIT)
    kinds_by_session: dict[int, list[str]] = {}
    rows: list[RecentRow] = []
    shown_ids = {session.id for session in listed}
    for outcome in reversed(logged):
        if outcome.session_id in shown_ids:
            kinds_by_session.setdefault(outcome.session_id, []).append(outcome.kind)
        elif outcome.session_id is None:
            rows.append(
                RecentRow(
                    outcome.id,
                    at=outcome.occurred_at,
                    status=OUTCOME,
                    platform=outcome.platform or "",
                    intent="",
                    active_s=None,
                    kinds=(outcome.kind,),
                )
            )
    for session in listed:
        kinds = tuple(kinds_by_session.get(session.id, ()))
        status = RUNNING if session.running else PRODUCTIVE if kinds else PLAYTIME
        rows.append(
            RecentRow(
                session.id,
                at=session.started_at,
                status=status,
                platform=session.platform,
                intent=session.intent,
                active_s=session.active_seconds(now),
                kinds=kinds,
            )
        )
    rows.sort(key=lambda row: (row.at, row.status != OUTCOME, row.id), reverse=True)
    return RecentView(rows[:limit], ctx.day_bounds(now)[0])


def load_metrics(conn: sqlite3.Connection, ctx: DashboardContext, now: int) -> MetricsReport:
    """Each platform's metrics over the last 30 local days, target platforms first."""
    from smtui.core.metrics import platform_metrics

    return platform_metrics(conn, now, ctx.zone, first=tuple(ctx.config.target_platforms))


# Loaders that only read the store: fast, run one after the other in one worker.
LOADERS: dict[str, Loader] = {
    SESSION: load_running,
    TODAY: load_today,
    GOALS: load_goals,
    RECENT: load_recent,
    METRICS: load_metrics,
}

# Loaders that run plugin code (with time limits), in a worker of their own, so a slow
# plugin delays only its own panel.
PLUGIN_LOADERS: dict[str, Loader] = {
    SCORE: load_score,
}
