"""The hooks smtui calls on plugins (pluggy project name ``smtui``).

Registration hooks hand the plugin a ``register`` callback instead of collecting return values,
so smtui knows which plugin registered which name and can reject duplicates with a message
naming both. Event hooks are fire-and-forget: smtui calls every implementation on its own,
after the action has been committed, and an implementation that raises is reported and
skipped, never allowed to undo or block the action. Hooks only ever gain arguments; none is
renamed or removed. ``docs/plugins/hooks.md`` documents each one with this exact signature
(a test keeps the two in step).
"""

from __future__ import annotations

from collections.abc import Callable

import pluggy

from smtui.core.goals import Goal, GoalProgress
from smtui.core.kinds import OutcomeKind
from smtui.extensions import Command, Panel
from smtui.models import Outcome, Session
from smtui.scoring import ScoringStrategy
from smtui.sources.base import DataSource

hookspec = pluggy.HookspecMarker("smtui")
hookimpl = pluggy.HookimplMarker("smtui")


@hookspec
def register_outcome_kinds(register: Callable[[OutcomeKind], None]) -> None:
    """Call ``register(kind)`` for each :class:`OutcomeKind` the plugin adds."""


@hookspec
def register_sources(register: Callable[[type[DataSource]], None]) -> None:
    """Call ``register(cls)`` for each :class:`DataSource` subclass the plugin adds."""


@hookspec
def register_scorers(register: Callable[[type[ScoringStrategy]], None]) -> None:
    """Call ``register(cls)`` for each :class:`ScoringStrategy` subclass the plugin adds."""


@hookspec
def register_commands(register: Callable[[type[Command]], None]) -> None:
    """Call ``register(cls)`` for each :class:`Command` subclass: a new ``smtui`` subcommand."""


@hookspec
def register_panels(register: Callable[[type[Panel]], None]) -> None:
    """Call ``register(cls)`` for each :class:`Panel` subclass (provisional)."""


@hookspec
def session_started(session: Session) -> None:
    """A session started (from the command line, the dashboard or any other front end)."""


@hookspec
def session_stopped(session: Session, outcomes: list[Outcome]) -> None:
    """A session stopped; ``outcomes`` are all it achieved (empty for playtime)."""


@hookspec
def outcome_logged(outcome: Outcome) -> None:
    """An outcome was logged, with or without a session."""


@hookspec
def goal_met(goal: Goal, progress: GoalProgress) -> None:
    """A goal was met in its current period; called once per goal and period."""
