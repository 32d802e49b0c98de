"""What the Plugins screen shows: the health table and the panels plugins add.

Like :mod:`smtui.tui.data`, free of Textual and run in worker threads. Every call into plugin
code goes through :func:`smtui.plugin_calls.call_with_timeout`: a panel's ``load`` runs in a
thread of its own, with a database connection of its own (SQLite connections stay in the
thread that opened them), so one that hangs is abandoned with its connection and the screen
shows the error in its place.
"""

from __future__ import annotations

from smtui.models import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from smtui.config import Config
    from smtui.extensions import Panel


class PanelInfo(Record):
    """A panel a plugin registered: its name, the title to show and the plugin it comes from."""

    __slots__ = ("cls", "name", "plugin", "title")

    def __init__(self, name: str, title: str, plugin: str, cls: type[Panel]) -> None:
        self.name = name
        self.title = title
        self.plugin = plugin
        self.cls = cls


class PluginsView(Record):
    """Every plugin's health record (as :meth:`PluginHealth.as_dict`) and the panels to load."""

    __slots__ = ("panels", "records")

    def __init__(self, records: list[dict[str, Any]], panels: list[PanelInfo]) -> None:
        self.records = records
        self.panels = panels


class PanelLines(Record):
    """What a plugin panel returned: ``(label, value)`` lines."""

    __slots__ = ("lines",)

    def __init__(self, lines: list[tuple[str, str]]) -> None:
        self.lines = lines


def load_plugins(config: Config) -> PluginsView:
    """Load the plugins (with a time limit) and list their health and their panels."""
    from smtui.tui.data import plugin_registry

    registry = plugin_registry(config)
    panels = [
        PanelInfo(
            name,
            str(getattr(cls, "title", "") or name),
            registry.owners.get(("panel", name), ""),
            cls,
        )
        for name, cls in registry.panels.items()
    ]
    return PluginsView([health.as_dict() for health in registry.health], panels)


def load_panel(db_path: str, panel: PanelInfo, now: int) -> PanelLines:
    """One plugin panel's lines, read with the panel time limit."""
    from smtui.plugin_calls import PANEL_TIMEOUT_S, call_with_timeout, timeout_for

    return call_with_timeout(
        _run_panel,
        db_path,
        panel,
        now,
        timeout=timeout_for(PANEL_TIMEOUT_S),
        what=f"panel {panel.name!r} of plugin {panel.plugin!r}",
    )


def _run_panel(db_path: str, panel: PanelInfo, now: int) -> PanelLines:
    """In the plugin-call thread: open a connection there, ask the panel, check its answer."""
    from smtui.api import PluginError
    from smtui.store.db import connect

    conn = connect(db_path)
    try:
        lines = panel.cls().load(conn, now)
    finally:
        conn.close()
    if not isinstance(lines, list | tuple) or not all(
        isinstance(line, tuple | list) and len(line) == 2 for line in lines
    ):
        raise PluginError(
            f"panel {panel.name!r} of plugin {panel.plugin!r} returned {type(lines).__name__},"
            " not a list of (label, value) pairs",
            "report this to the plugin's author",
        )
    return PanelLines([(str(label), str(value)) for label, value in lines])
