"""smtui-example-scorer: rate social media time by the conversations it brings.

This module is the plugin: the ``smtui`` entry point in ``pyproject.toml`` names it, and smtui
imports it and calls the hooks below. Each hook receives a ``register`` callback and calls it
once per thing it adds; smtui records which plugin added what, so a name clash or a failure
is reported with this plugin's name. It imports only :mod:`smtui.api`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smtui.api import OutcomeKind, hookimpl

from smtui_example_scorer.command import ConversationsCommand
from smtui_example_scorer.strategy import ConversationsPerHour

if TYPE_CHECKING:
    from collections.abc import Callable

    from smtui.api import Command, ScoringStrategy

__all__ = [
    "CALL_BOOKED",
    "ConversationsCommand",
    "ConversationsPerHour",
    "register_commands",
    "register_outcome_kinds",
    "register_scorers",
]

CALL_BOOKED = OutcomeKind(
    "call_booked",
    "Call booked",
    "Booked a call with someone met on social media",
    weight=3,
    description="a call or meeting is in the calendar",
)


@hookimpl
def register_outcome_kinds(register: Callable[[OutcomeKind], None]) -> None:
    """Add ``call_booked``: ``smtui log call_booked`` works once this plugin is installed."""
    register(CALL_BOOKED)


@hookimpl
def register_scorers(register: Callable[[type[ScoringStrategy]], None]) -> None:
    """Add the ``conversations`` strategy: ``smtui score -s conversations``."""
    register(ConversationsPerHour)


@hookimpl
def register_commands(register: Callable[[type[Command]], None]) -> None:
    """Add ``smtui conversations``."""
    register(ConversationsCommand)
