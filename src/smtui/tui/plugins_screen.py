"""The Plugins screen: the health table of ``smtui plugins`` and the panels plugins add.

The table's rows come from :mod:`smtui.plugin_listing`, the functions the command line uses,
so both always say the same. Loading runs in a worker thread with time limits
(:mod:`smtui.tui.plugin_data`); each plugin panel shows its own data or its own error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from smtui import clock
from smtui.errors import SmtuiError
from smtui.plugin_listing import (
    HEALTH_COLUMNS,
    health_rows,
    hidden_note,
    problems_note,
    provides_text,
    shown,
)
from smtui.plugins import DISABLED, ERROR, OK
from smtui.tui.messages import PluginPanelLoaded, PluginsLoaded
from smtui.tui.plugin_data import PanelLines, PluginsView, load_panel, load_plugins
from smtui.tui.screen_base import table_text
from smtui.tui.widgets import Panel, render_pairs

if TYPE_CHECKING:
    from collections.abc import Mapping

    from textual.app import ComposeResult

    from smtui.config import Config
    from smtui.tui.plugin_data import PanelInfo

# Table cells are Rich text: theme variables do not reach them, so these are plain colours.
STATUS_STYLES = {OK: "green", ERROR: "bold red", DISABLED: "dim"}
NO_PANELS = "No installed plugin adds a panel."


def _describe(exc: Exception) -> str:
    return str(exc) if isinstance(exc, SmtuiError) else f"{type(exc).__name__}: {exc}"


def plugin_detail(record: Mapping[str, Any]) -> Content:
    """Everything known of one plugin, for the line under the table."""
    head = f"{record.get('plugin')} ({record.get('distribution')} {record.get('version')})"
    lines = [Content.styled(head, "bold")]
    if record.get("error"):
        style = "$text-error" if record.get("status") == ERROR else "$text-muted"
        lines.append(Content.styled(str(record["error"]), style))
    provides = provides_text(record.get("provides") or ())
    if provides:
        lines.append(Content.assemble(("provides ", "$text-muted"), provides))
    hooks = ", ".join(record.get("hooks") or ())
    if hooks:
        lines.append(Content.assemble(("hooks ", "$text-muted"), hooks))
    return Content("\n").join(lines)


class PluginPanel(Panel):
    """A panel a plugin registered: its ``(label, value)`` lines, or the error it raised."""

    def __init__(self, info: PanelInfo, *, id: str) -> None:
        super().__init__("", id=id)
        title = f"{info.title} · {info.plugin}" if info.plugin else info.title
        self.border_title = Content(title)  # as written: a plugin's title is not markup
        self.info = info

    def render_data(self, data: object, now: int) -> None:
        assert isinstance(data, PanelLines)
        lines = render_pairs(data.lines) or [Content.styled("(nothing to show)", "$text-muted")]
        self.show_body(Content("\n").join(lines))


class PluginsScreen(Screen[None]):
    """Installed plugins, whether they loaded, what they provide, and their panels."""

    DEFAULT_CSS = """
    #plugins-health, #plugin-panels {
        border: round $primary 60%;
        border-title-color: $text;
        border-title-style: bold;
    }
    #plugins-health {
        padding: 0 1;
        height: auto;
        max-height: 60%;
    }
    #plugins-summary {
        height: auto;
        color: $text-muted;
    }
    #plugins-table {
        height: auto;
        max-height: 12;
        scrollbar-size-vertical: 1;
    }
    PluginsScreen.-tall #plugins-table {
        max-height: 24;
    }
    #plugin-panels {
        grid-size: 2;
        grid-gutter: 0 1;
        grid-rows: 8;
        height: 1fr;
        overflow-y: auto;
    }
    #plugin-panels.-empty {
        grid-size: 1;
        grid-rows: auto;
        height: auto;
        padding: 0 1;
    }
    PluginsScreen.-no-panels #plugins-health {
        height: 1fr;
        max-height: 100%;
    }
    #plugin-panels-empty {
        color: $text-muted;
    }
    #plugin-detail {
        height: auto;
        max-height: 5;
        padding-top: 1;
    }
    """
    # "-tall" (40 rows or more, e.g. 160x48): room for every plugin's row without scrolling.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]  # noqa: RUF012 - typed by Textual
    BINDINGS: ClassVar = [
        Binding("escape", "app.pop_screen", "Back", id="plugins.back"),
        Binding(
            "a",
            "toggle_all",
            "Built-ins",
            id="plugins.all",
            tooltip="Show or hide the built-in plugins",
        ),
        Binding("r", "reload", "Refresh", id="plugins.refresh", tooltip="Load the plugins again"),
    ]

    def __init__(self, db_path: str, config: Config) -> None:
        super().__init__(id="plugins-screen")
        self.db_path = db_path
        self.config = config
        self.show_all = False
        self.records: list[dict[str, Any]] = []
        self.panels: dict[str, PluginPanel] = {}
        self._generation = 0
        self._loaded = False

    def compose(self) -> ComposeResult:
        with Vertical(id="plugins-health") as health:
            health.border_title = "Installed plugins"
            yield Static("Loading the plugins…", id="plugins-summary")
            table: DataTable[Text] = DataTable(cursor_type="row", id="plugins-table")
            table.add_columns(*HEALTH_COLUMNS)
            yield table
            yield Static("", id="plugin-detail")
        with Grid(id="plugin-panels") as panels:
            panels.border_title = "Panels from plugins"
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    # --- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Load the health records and every plugin panel again (in workers)."""
        self._generation += 1
        self._load(self._generation, panels_only=False)

    def reload_panels(self) -> None:
        """Read the plugin panels again (the data changed); the health table stays."""
        if self._loaded:
            self._generation += 1
            self._load(self._generation, panels_only=True)

    @work(thread=True, group="plugins", exclusive=True, exit_on_error=False)
    def _load(self, generation: int, panels_only: bool) -> None:
        try:
            view = load_plugins(self.config)
        except Exception as exc:
            self.post_message(PluginsLoaded(generation, error=_describe(exc)))
            return
        self.post_message(PluginsLoaded(generation, data=view, panels_only=panels_only))

    @work(thread=True, group="plugin-panel", exit_on_error=False)
    def _load_panel(self, panel: PanelInfo, generation: int, now: int) -> None:
        """One panel per worker: a panel that hangs holds up no other."""
        try:
            lines = load_panel(self.db_path, panel, now)
        except Exception as exc:
            self.post_message(PluginPanelLoaded(panel.name, generation, now, error=_describe(exc)))
        else:
            self.post_message(PluginPanelLoaded(panel.name, generation, now, data=lines))

    async def on_plugins_loaded(self, message: PluginsLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        if message.error is not None:
            self.records = []
            self.query_one("#plugins-summary", Static).update(
                Content.assemble(("Could not load the plugins\n", "bold $error"), message.error)
            )
            self.query_one(DataTable).clear()
            for panel in self.panels.values():
                panel.show_error(message.error)
            return
        assert isinstance(message.data, PluginsView)
        self._loaded = True
        if not message.panels_only:
            self.records = message.data.records
            self._show_table()
        await self._place_panels(message.data.panels)
        now = clock.now()
        for info in message.data.panels:
            self._load_panel(info, message.generation, now)

    def on_plugin_panel_loaded(self, message: PluginPanelLoaded) -> None:
        message.stop()
        panel = self.panels.get(message.name)
        if panel is None or message.generation != self._generation:
            return
        if message.error is not None:
            panel.show_error(message.error)
        else:
            panel.show(message.data, message.now)

    # --- showing -----------------------------------------------------------------------------

    def _show_table(self) -> None:
        """The health table, from the same rows as ``smtui plugins`` (``--all`` with ``a``)."""
        listed = shown(self.records, show_all=self.show_all)
        table: DataTable[Text] = self.query_one(DataTable)
        table.clear()
        status_at = HEALTH_COLUMNS.index("status")
        for record, row in zip(listed, health_rows(listed), strict=True):
            cells = [Text(cell) for cell in row]
            cells[status_at].stylize(STATUS_STYLES.get(str(record.get("status")), ""))
            table.add_row(*cells, key=f"{record.get('plugin')}-{record.get('distribution')}")
        key = self.app.get_key_display(Binding("a", ""))
        notes = [
            problems_note(self.records),
            hidden_note(self.records, show_all=self.show_all, reveal=f"{key} shows them"),
        ]
        if not listed:
            notes.insert(0, "No plugins installed: smtui runs on its built-ins.")
        loaded = "1 plugin, loaded." if len(listed) == 1 else f"{len(listed)} plugins, all loaded."
        summary = "\n".join(note for note in notes if note) or loaded
        self.query_one("#plugins-summary", Static).update(Content(summary))

    async def _place_panels(self, panels: list[PanelInfo]) -> None:
        """One widget per plugin panel, created once; later loads only refresh them."""
        grid = self.query_one("#plugin-panels", Grid)
        if grid.children and [p.name for p in panels] == list(self.panels):
            return
        await grid.remove_children()
        self.panels = {
            panel.name: PluginPanel(panel, id=f"plugin-panel-{index}")
            for index, panel in enumerate(panels)
        }
        grid.set_class(not self.panels, "-empty")
        # Without panels, the health table and the detail under it take the whole screen.
        self.set_class(not self.panels, "-no-panels")
        if self.panels:
            await grid.mount_all(self.panels.values())
        else:
            await grid.mount(Static(NO_PANELS, id="plugin-panels-empty"))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The whole record of the highlighted plugin: its error is often wider than the table."""
        listed = shown(self.records, show_all=self.show_all)
        detail = self.query_one("#plugin-detail", Static)
        if not 0 <= event.cursor_row < len(listed):
            detail.update("")
            return
        detail.update(plugin_detail(listed[event.cursor_row]))

    # --- actions -----------------------------------------------------------------------------

    def action_toggle_all(self) -> None:
        self.show_all = not self.show_all
        if self.records:
            self._show_table()

    def action_reload(self) -> None:
        self.reload()

    # --- for tests and the app ---------------------------------------------------------------

    @property
    def table_text(self) -> str:
        """The table as plain text, one ``a | b | c`` line per row."""
        return table_text(self.query_one(DataTable))

    @property
    def summary_text(self) -> str:
        return str(self.query_one("#plugins-summary", Static).visual)
