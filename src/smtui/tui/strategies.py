"""The scoring strategies the dashboard can swap between, and the score loader for one. No Textual.

Swapping is for this dashboard run only: the default stays ``[app] default_strategy`` in the
config, which smtui never rewrites.
"""

from __future__ import annotations

import copy

from smtui.models import Record
from smtui.tui import data

TYPE_CHECKING = False
if TYPE_CHECKING:
    from smtui.plugins import Registry


class StrategyInfo(Record):
    """A registered strategy as the picker shows it; ``plugin`` is the id of its plugin."""

    __slots__ = ("description", "name", "plugin", "title")

    def __init__(self, name: str, title: str, description: str, plugin: str) -> None:
        self.name = name
        self.title = title
        self.description = description
        self.plugin = plugin


def list_strategies(registry: Registry) -> list[StrategyInfo]:
    """Every registered strategy, by title."""
    found = [
        StrategyInfo(
            name,
            cls.title or name,
            cls.description,
            registry.owners.get(("scorer", name), ""),
        )
        for name, cls in registry.scorers.items()
    ]
    found.sort(key=lambda info: (info.title.lower(), info.name))
    return found


def score_loader(name: str) -> data.Loader:
    """The score panel's loader, scoring with strategy ``name`` instead of the default."""

    def load(conn: object, ctx: data.DashboardContext, now: int) -> data.ScoreView:
        config = copy.copy(ctx.config)
        config.default_strategy = name
        return data.load_score(conn, data.DashboardContext(config, ctx.zone), now)  # type: ignore[arg-type]

    return load
