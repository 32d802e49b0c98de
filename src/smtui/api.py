"""Everything a plugin author needs, in one import: ``from smtui import api``.

A plugin only ever imports this module, so smtui can reorganise its internals without breaking
plugins. It never imports Textual: sources and scorers run the same from the command line, in
tests and behind the dashboard. ``API_VERSION`` changes only when something here changes
incompatibly; hooks evolve by gaining arguments, never by renaming or removing them.
"""

from __future__ import annotations

from smtui.core.goals import Goal, GoalProgress
from smtui.core.kinds import OutcomeKind
from smtui.core.timespec import format_duration
from smtui.errors import SmtuiError
from smtui.extensions import Command, CommandContext, Panel
from smtui.hookspecs import hookimpl
from smtui.models import Outcome, Session
from smtui.options import Option
from smtui.scoring import Score, ScoringStrategy, Window
from smtui.sources.base import DataSource
from smtui.sources.errors import InputError
from smtui.sources.records import AccountSnapshotRecord, PostRecord

API_VERSION = "1"

__all__ = [
    "API_VERSION",
    "AccountSnapshotRecord",
    "Command",
    "CommandContext",
    "DataSource",
    "Goal",
    "GoalProgress",
    "InputError",
    "Option",
    "Outcome",
    "OutcomeKind",
    "Panel",
    "PluginError",
    "PostRecord",
    "Score",
    "ScoringStrategy",
    "Session",
    "Window",
    "format_duration",
    "hookimpl",
]


class PluginError(SmtuiError):
    """A plugin could not do its job: raise it with a message the user can act on.

    smtui shows the ``title`` as the heading of the toast or error line, so a plugin can name
    itself there (``title="Bluesky sync failed"``); the message says what went wrong and the
    hint what to do about it.
    """

    title = "Plugin problem"

    def __init__(self, message: str, hint: str = "", *, title: str | None = None) -> None:
        super().__init__(message, hint)
        if title is not None:
            self.title = title
