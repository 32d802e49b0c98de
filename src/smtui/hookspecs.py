"""The hooks smtui calls on plugins (pluggy project name ``smtui``).

Registration hooks hand the plugin a ``register`` callback instead of collecting return values,
so smtui knows which plugin registered which name and can reject duplicates with a message
naming both. Hooks only ever gain arguments; none is renamed or removed.
"""

from __future__ import annotations

from collections.abc import Callable

import pluggy

from smtui.core.kinds import OutcomeKind
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
