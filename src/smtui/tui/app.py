"""The dashboard app: panels, keys, and the threads that read and write the store.

Threads: the app thread draws and handles keys; every database access runs in a worker
thread with its own connection (``sqlite3`` connections must not cross threads), and results
come back as messages. One long-lived worker watches ``PRAGMA data_version`` on a dedicated
connection, once a second, and asks for a reload only when another connection committed: the
command line, another terminal, or this app's own write workers (which wake it at once). That
worker also reads the first screen's data, on the same connection, right after the first
paint: one connection (one schema parse) for the whole start. The clock ticks once a second
only while a session is running, and only updates the timer.

Start-up cost is kept down on purpose (see docs/performance.md): the dialogs, the other
screens and the metrics tabs are imported when first used, every panel is one widget, and the
footer is one widget.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.containers import Grid
from textual.screen import Screen
from textual.worker import get_current_worker

from smtui import clock
from smtui.errors import SmtuiError, StateError
from smtui.tui import data, startup_trace
from smtui.tui.choices import Choices, default_choices
from smtui.tui.messages import DatabaseChanged, PanelsLoaded
from smtui.tui.metrics_panel import MetricsPanel
from smtui.tui.timebox import TimeboxWatch
from smtui.tui.widgets import (
    GoalsPanel,
    KeysFooter,
    Panel,
    RecentPanel,
    ScorePanel,
    SessionPanel,
    TodayPanel,
)

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable, Iterable

    from textual.app import ComposeResult
    from textual.driver import Driver
    from textual.events import Resize
    from textual.timer import Timer

    from smtui.config import Config
    from smtui.core.kinds import OutcomeKind
    from smtui.models import Session
    from smtui.tui.forms import LogRequest, StartRequest
    from smtui.tui.help_screen import HelpSection

    Action = Callable[[sqlite3.Connection], str]

POLL_INTERVAL_S = 1.0
# From this many rows up, the metrics panel has a row of its own (160x48 has 48).
TALL_ROWS = 40
# The panels that run plugin code come a little after the others: the first screen waits this
# long at most for them, to be drawn once, whole.
FIRST_SCREEN_HOLD_S = 0.1
# While a session runs, today's totals, goals and score move with the clock: re-read them
# this often. Otherwise only the next local midnight makes what is shown out of date.
RUNNING_REFRESH_S = 60

# Actions that belong to the dashboard screen (not available while a dialog is open).
DASHBOARD_ACTIONS = frozenset(
    {
        "start_session",
        "pause_resume",
        "stop_session",
        "log_outcome",
        "quick_log",
        "pick_strategy",
        "show_goals",
        "show_import",
        "show_plugins",
        "show_sessions",
        "show_insights",
        "refresh",
        "quit",
    }
)


def settle_memory() -> None:
    """Collect what the start left behind, keep the collector off what stays (frozen: it is
    never scanned again), and turn collection back on."""
    import gc

    gc.collect()
    gc.freeze()
    gc.enable()


class DashboardScreen(Screen[None]):
    """The main screen. Its size class is on the panels' grid ("-tall": 40 rows or more, e.g.
    160x48, where the metrics panel has a row of its own), set when the grid is built, so the
    first frame is drawn once, not styled again when the terminal's size is first known."""

    VERTICAL_BREAKPOINTS: list[tuple[int, str]] | None = []  # noqa: RUF012 - none: see above

    def on_resize(self, event: Resize) -> None:
        for grid in self.query("#dashboard"):
            grid.set_class(event.size.height >= TALL_ROWS, "-tall")


class SmtuiApp(App[None]):
    """The smtui dashboard."""

    CSS_PATH = "app.tcss"
    # Screen classes for the other screens' CSS ("-tall": 40 rows or more, e.g. 160x48).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (TALL_ROWS, "-tall")]  # noqa: RUF012 - Textual's type
    TITLE = "smtui"
    # Binding ids are the names users rebind in the [keymap] section of the config file.
    BINDINGS: ClassVar = [
        # The tooltips are what the help screen says each key does. The footer shows the keys
        # of every day (they fit in 80 columns); the rest are in the help screen and palette.
        Binding(
            "s",
            "start_session",
            "Start",
            id="start",
            tooltip="Start a session: platform, intent, timebox (last ones offered)",
        ),
        Binding(
            "p",
            "pause_resume",
            "Pause",
            id="pause",
            tooltip="Pause the running session, or resume it",
        ),
        Binding(
            "x",
            "stop_session",
            "Stop",
            id="stop",
            tooltip="Stop the session; tick what it achieved (none ticked = playtime)",
        ),
        Binding(
            "o",
            "log_outcome",
            "Outcome",
            id="log",
            tooltip="Log an outcome of any kind, with detail, contact or amount",
        ),
        Binding(
            "c",
            "pick_strategy",
            "Score",
            id="strategy",
            show=False,
            tooltip="Score with another strategy until you quit (config unchanged)",
        ),
        Binding(
            "g", "show_goals", "Goals", id="goals", tooltip="Goals with pace: add, edit, remove"
        ),
        Binding(
            "l",
            "show_sessions",
            "Sessions",
            id="sessions",
            show=False,
            tooltip="Session history: edit, delete",
        ),
        Binding(
            "i",
            "show_import",
            "Import",
            id="import",
            show=False,
            tooltip="Import analytics exports: path, preview, then import",
        ),
        Binding(
            "a",
            "show_insights",
            "Insights",
            id="insights",
            show=False,
            tooltip="Insights: time per day, returns per hour, best time to post",
        ),
        Binding(
            "P",
            "show_plugins",
            "Plugins",
            id="plugins",
            tooltip="Installed plugins, whether they loaded, and their panels",
        ),
        Binding(
            "question_mark,f1",
            "help",
            "Help",
            id="help",
            tooltip="This list of keys (again: close)",
        ),
        Binding(
            "ctrl+t",
            "toggle_theme",
            "Theme",
            id="theme",
            show=False,
            tooltip="Switch between the dark and the light theme",
        ),
        Binding(
            "m",
            "toggle_metrics",
            "Metrics",
            id="metrics",
            show=False,
            tooltip="Metrics per platform: trend, engagement rate, followers, top posts",
        ),
        Binding(
            "r",
            "refresh",
            "Refresh",
            id="refresh",
            show=False,
            tooltip="Read everything again (changes show within a second anyway)",
        ),
        Binding(
            "q",
            "quit",
            "Quit",
            id="quit",
            tooltip="Quit the dashboard (a running session keeps running)",
        ),
        # Quick log: the digits log the most used kinds (the help screen lists which).
        *(
            Binding(
                str(digit),
                f"quick_log({digit})",
                f"Log #{digit}",
                id=f"log.{digit}",
                show=False,
                tooltip=f"Log outcome kind #{digit} of the quick-log list",
            )
            for digit in range(1, 10)
        ),
    ]

    def __init__(
        self,
        db_path: str,
        config: Config,
        *,
        poll_interval: float = POLL_INTERVAL_S,
        cursor_blink: bool = True,
        settle_memory: bool = False,
    ) -> None:
        """``settle_memory``: garbage collection was turned off to start (see launch.py):
        collect once and turn it back on when the first screen is up."""
        super().__init__()
        from smtui.core.timespec import user_timezone

        self.db_path = db_path
        self.config = config
        self.context = data.DashboardContext(config, user_timezone(config.timezone))
        self.loaders: dict[str, data.Loader] = dict(data.LOADERS)
        self.plugin_loaders: dict[str, data.Loader] = dict(data.PLUGIN_LOADERS)
        self._plugin_problems_told = False
        self.poll_interval = poll_interval
        self.cursor_blink = cursor_blink
        self.animation_level = "none"
        self.running_session: Session | None = None
        self.state_known = False
        self.last_platform = ""
        # What the start and log dialogs offer (read after every change); config until then.
        self.choices: Choices = default_choices(config)
        self.choices_loaded = False
        # The strategy the score panel uses: the config's default until the user picks another.
        self.strategy = config.default_strategy
        self._timebox = TimeboxWatch()
        self._generation = 0
        self._shown: dict[str, int] = {}
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._clock: Timer | None = None
        self._refresh_timer: Timer | None = None
        self._session_panel: SessionPanel | None = None
        self._stop_key_shown: str | None = None
        # The first screen: painted (then the data is read), the panels still to show, and
        # shown (every panel has its first data, or its error, on screen).
        self._painted = threading.Event()
        self._first_waiting = {*self.loaders, *self.plugin_loaders}
        self._first_shown = threading.Event()
        self._holding_paint = False
        self._settle_memory = settle_memory
        # SMTUI_TRACE_STARTUP (for the benchmarks): where to write when those happened.
        self._trace = startup_trace.trace_file()
        self.set_keymap(dict(config.keymap))

    # --- layout ------------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        return DashboardScreen(id="_default")

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver for this platform, but on Linux and macOS one whose input thread
        does not wake ten times a second while nothing is typed (see driver.py)."""
        driver = super().get_driver_class()
        from textual.drivers.linux_driver import LinuxDriver

        if driver is LinuxDriver:
            from smtui.tui.driver import QuietLinuxDriver

            return QuietLinuxDriver
        return driver

    def compose(self) -> ComposeResult:
        # Two grids: the clock's repaint each second concerns the first one only (Textual
        # visits every widget whose container overlaps what is repainted).
        with Grid(id="now"):
            keys = {"start": self.key_for("start", "s"), "log": self.key_for("log", "o")}
            yield SessionPanel(keys, id=data.SESSION)
            yield TodayPanel(id=data.TODAY)
        tall = "-tall" if self.size.height >= TALL_ROWS else ""
        with Grid(id="dashboard", classes=tall):
            yield GoalsPanel(id=data.GOALS)
            yield ScorePanel(id=data.SCORE)
            yield RecentPanel(self.context.zone, id=data.RECENT)
            # Its own row when the terminal is tall; at 80x24 the m key or the palette's
            # Metrics command swaps it in (see metrics_panel.py).
            yield MetricsPanel(self.context.zone, id=data.METRICS)
        yield KeysFooter()  # every dashboard key fits in 80 columns

    def key_for(self, binding_id: str, default: str) -> str:
        """The key a binding answers to, after the user's keymap, for display."""
        key = self.config.keymap.get(binding_id, default).split(",")[0].strip()
        return self.get_key_display(Binding(key, ""))

    @property
    def _stop_key(self) -> str:
        """The stop key, as the timebox alert names it (worked out once: asked every second)."""
        if self._stop_key_shown is None:
            self._stop_key_shown = self.key_for("stop", "x")
        return self._stop_key_shown

    def on_mount(self) -> None:
        self._session_panel = self.query_one(SessionPanel)
        self._clock = self.set_interval(1.0, self._tick, pause=True)
        # The database watch starts now: it gets ready while the first frame is drawn, and
        # reads the first data once it is.
        self._generation += 1
        self._watch_database(self._generation)
        self.call_after_refresh(self._first_paint_done)

    def _first_paint_done(self) -> None:
        self._painted.set()
        if self._trace:
            startup_trace.write(self._trace, startup_trace.FIRST_PAINT)

    def on_unmount(self) -> None:
        self._stopping.set()
        self._wake.set()

    # --- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read every panel again (in workers); a newer reload supersedes an older one."""
        self._generation += 1
        self._load(self._generation)
        self._reload_screens()

    def _reload_screens(self) -> None:
        """Screens over the dashboard that show the store read it again too."""
        if len(self.screen_stack) < 2:
            return
        # Only screens already opened can be on the stack: their modules are loaded.
        from smtui.tui.plugins_screen import PluginsScreen
        from smtui.tui.screen_base import StoreScreen

        for screen in self.screen_stack:
            if isinstance(screen, PluginsScreen):
                screen.reload_panels()
            elif isinstance(screen, StoreScreen):  # goals, sessions: read the store again
                screen.reload()

    @work(thread=True, group="load", exclusive=True, exit_on_error=False)
    def _load(self, generation: int) -> None:
        conn = self._connect(generation, [*self.loaders, *self.plugin_loaders])
        if conn is None:
            return
        try:
            self._read_everything(conn, generation)
        finally:
            conn.close()

    @work(thread=True, group="load-plugins", exclusive=True, exit_on_error=False)
    def _load_plugin_backed(self, generation: int) -> None:
        """The panels that run plugin code, alone (another strategy was picked)."""
        conn = self._connect(generation, list(self.plugin_loaders))
        if conn is None:
            return
        try:
            self._run_plugin_backed(conn, generation)
        finally:
            conn.close()

    def _connect(self, generation: int, panels: list[str]) -> sqlite3.Connection | None:
        """In a worker: a connection, or None after telling ``panels`` why there is none."""
        from smtui.store.db import connect

        try:
            return connect(self.db_path)
        except SmtuiError as exc:
            now = clock.now()
            self.post_message(
                PanelsLoaded(generation, now, [(panel, None, str(exc)) for panel in panels])
            )
            return None

    def _read_everything(self, conn: sqlite3.Connection, generation: int) -> None:
        """In a worker: the store's panels first (one message), then the panels that run
        plugin code (a slow plugin holds up only those), then what the dialogs offer."""
        self._run_loaders(conn, self.loaders, generation)
        self._run_plugin_backed(conn, generation)
        # Not needed to draw anything: read once the first screen is up.
        self._wait(self._first_shown, get_current_worker(), timeout=1.0)
        self._read_choices(conn)

    def _run_plugin_backed(self, conn: sqlite3.Connection, generation: int) -> None:
        try:
            registry = data.plugin_registry(self.config)
        except SmtuiError as exc:
            now = clock.now()
            errors = [(panel, None, str(exc)) for panel in self.plugin_loaders]
            self.post_message(PanelsLoaded(generation, now, errors))
            return
        problems = [health.as_dict() for health in registry.problems()]
        if problems and not self._plugin_problems_told:
            from smtui.plugin_listing import problems_summary

            self._plugin_problems_told = True
            key = self.key_for("plugins", "P")
            self.notify(
                f"{problems_summary(problems)}. Press {key} to see why and what to do.",
                title="Plugin problem",
                severity="warning",
                timeout=10,
                markup=False,
            )
        self._run_loaders(conn, dict(self.plugin_loaders), generation)

    def _read_choices(self, conn: sqlite3.Connection) -> None:
        """What the start and log dialogs and the quick-log digits offer (plugin kinds too)."""
        from smtui.tui.choices import load_choices

        kinds: dict[str, OutcomeKind] | None
        try:
            kinds = data.plugin_registry(self.config).outcome_kinds
        except SmtuiError:
            kinds = None  # the built-in kinds still work; the score panel says what failed
        try:
            choices = load_choices(conn, self.config, clock.now(), kinds)
        except SmtuiError:
            return  # the panels show the error; the dialogs keep what they had
        # One reference swapped at once: the app thread sees the old choices or the new ones.
        self.choices = choices
        self.choices_loaded = True

    def _run_loaders(
        self, conn: sqlite3.Connection, loaders: dict[str, data.Loader], generation: int
    ) -> None:
        """In a worker: run ``loaders`` on ``conn``; post their results in one message."""
        worker = get_current_worker()
        now = clock.now()
        results: list[tuple[str, object, str | None]] = []
        for panel, loader in loaders.items():
            if worker.is_cancelled:
                return
            try:
                results.append((panel, loader(conn, self.context, now), None))
            except SmtuiError as exc:
                results.append((panel, None, str(exc)))
            except Exception as exc:
                self.log.error(f"panel {panel} failed", exc)
                results.append((panel, None, f"{type(exc).__name__}: {exc}"))
        self.post_message(PanelsLoaded(generation, now, results))

    def on_panels_loaded(self, message: PanelsLoaded) -> None:
        for panel, result, error in message.results:
            self._show_panel(panel, message.generation, message.now, result, error)
        if self._first_waiting:
            self._first_waiting.difference_update(panel for panel, _, _ in message.results)
            self._first_screen_progress()

    def _first_screen_progress(self) -> None:
        """Draw the first screen in one frame: when only the panels that run plugin code are
        still to come, hold the repaint a moment (at most FIRST_SCREEN_HOLD_S) for them."""
        if not self._first_waiting:
            self._release_paint()
            self.call_after_refresh(self._first_screen_done)
        elif not self._holding_paint and self._first_waiting <= set(self.plugin_loaders):
            self._holding_paint = True
            self._begin_batch()
            self.set_timer(FIRST_SCREEN_HOLD_S, self._release_paint)

    def _release_paint(self) -> None:
        if self._holding_paint:
            self._holding_paint = False
            self._end_batch()

    def _first_screen_done(self) -> None:
        self._first_shown.set()
        if self._trace:
            startup_trace.write(self._trace, startup_trace.FIRST_SCREEN)
        if self._settle_memory:
            self._settle_memory = False
            self.call_later(settle_memory)

    def _show_panel(
        self, panel_id: str, generation: int, now: int, result: object, error: str | None
    ) -> None:
        if generation < self._shown.get(panel_id, 0):
            return
        self._shown[panel_id] = generation
        panel = self.query_one(f"#{panel_id}", Panel)
        if error is not None:
            panel.show_error(error)
        else:
            panel.show(result, now)
        if panel_id == data.SESSION:
            view = result if isinstance(result, data.RunningView) else None
            self._session_changed(view.session if view is not None else None, error)
            self._schedule_refresh(now)
            self._check_timebox(now)
        elif panel_id == data.RECENT and isinstance(result, data.RecentView):
            sessions = [row for row in result.rows if row.status != data.OUTCOME]
            self.last_platform = sessions[0].platform if sessions else ""

    def _session_changed(self, session: Session | None, error: str | None) -> None:
        """Keep the clock and the enabled keys in step with the running session."""
        keys_before = (self.state_known, self.running_session is not None)
        self.running_session = session
        self.state_known = error is None
        assert self._clock is not None
        if session is not None and not session.paused:
            self._clock.resume()
        else:
            self._clock.pause()
        # Only when what check_action answers changes: refreshing the bindings redraws the
        # footer, and the session panel reloads every minute while a session runs.
        if (self.state_known, session is not None) != keys_before:
            self.refresh_bindings()

    def _schedule_refresh(self, now: int) -> None:
        """Reload when time alone makes the panels stale: a running minute, or local midnight."""
        due = self.context.day_bounds(now)[1]
        if self.running_session is not None:
            due = min(due, now + RUNNING_REFRESH_S)
        if self._refresh_timer is not None:
            self._refresh_timer.stop()
        self._refresh_timer = self.set_timer(max(1, due - now), self.reload)

    def _tick(self) -> None:
        now = clock.now()
        panel = self._session_panel
        # A tick that lands while the app shuts down (the panel already gone) has nothing to
        # draw, and must not raise.
        if panel is not None and panel.is_attached:
            panel.tick(now)
        self._check_timebox(now)

    def _check_timebox(self, now: int) -> None:
        """Bell and toast once when the running session's timebox runs out (see timebox.py)."""
        session = self.running_session
        if session is None or session.timebox_s is None:
            return  # nothing to tell (and nothing to work out each second)
        alert = self._timebox.check(session, now, self._stop_key)
        if alert is None:
            return
        if alert.bell:
            self.bell()
        self.notify(alert.message, title="Timebox", severity="warning", timeout=15, markup=False)

    @work(thread=True, group="poll", exit_on_error=False)
    def _watch_database(self, first: int) -> None:
        """Read the first screen's data, then post :class:`DatabaseChanged` whenever another
        connection commits; one connection for both.

        It starts with the app: while the first frame is drawn (the processor is mostly idle
        then) it loads the code the loaders need and the plugins, and opens its connection;
        it reads nothing before that frame is on screen.
        """
        worker = get_current_worker()
        conn = self._connect(first, [*self.loaders, *self.plugin_loaders])
        if conn is None:
            return
        try:
            data.prepare(self.config)
        except Exception as exc:  # the loaders will say what is wrong, panel by panel
            self.log.error(f"preparing the loaders failed: {exc!r}")
        try:
            # Before the first read: a commit made while it runs is seen by the first poll.
            seen = conn.execute("PRAGMA data_version").fetchone()[0]
            if not self._wait(self._painted, worker):
                return
            try:
                self._read_everything(conn, first)
            except Exception as exc:  # the watch must go on whatever a panel did
                self.log.error(f"reading the first screen failed: {exc!r}")
            while not (worker.is_cancelled or self._stopping.is_set()):
                self._wake.wait(self.poll_interval)
                self._wake.clear()
                version = conn.execute("PRAGMA data_version").fetchone()[0]
                if version != seen:
                    seen = version
                    self.post_message(DatabaseChanged())
        finally:
            conn.close()

    def _wait(self, event: threading.Event, worker: Any, timeout: float | None = None) -> bool:
        """In a worker: wait for ``event`` (at most ``timeout`` s); False if the app is closing."""
        waited = 0.0
        while not event.wait(0.05):
            waited += 0.05
            if worker.is_cancelled or self._stopping.is_set():
                return False
            if timeout is not None and waited >= timeout:
                break
        return True

    def on_database_changed(self, message: DatabaseChanged) -> None:
        self.reload()

    # --- writing -----------------------------------------------------------------------------

    @work(thread=True, group="write", exit_on_error=False)
    def _write(self, what: str, action: Action) -> None:
        """Run one domain call on its own connection.

        Errors become toasts; success wakes the poll, which then reloads the panels.
        """
        from smtui.store.db import connect

        try:
            conn = connect(self.db_path)
            try:
                done = action(conn)
            finally:
                conn.close()
        except SmtuiError as exc:
            self.notify(str(exc), title=exc.title, severity="error", markup=False)
            return
        except Exception as exc:
            self.log.error(f"{what} failed", exc)
            message = f"{type(exc).__name__}: {exc}"
            self.notify(message, title=f"Could not {what}", severity="error", markup=False)
            return
        self.notify(done, markup=False)
        self._wake.set()

    def _plugins_failed(self, failures: list[str]) -> None:
        """Event hooks that raised: what the user did is saved, so a warning, not an error."""
        for failure in failures:
            self.notify(failure, title="Plugin problem", severity="warning", markup=False)

    # --- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dashboard keys are off under a dialog; keys that cannot apply now show dimmed."""
        if action not in DASHBOARD_ACTIONS:
            return True
        if len(self.screen_stack) > 1:
            return False
        if not self.state_known:
            return True
        running = self.running_session is not None
        if action == "start_session" and running:
            return None
        if action in ("pause_resume", "stop_session") and not running:
            return None
        return True

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Start session", "Start timing a session", self.action_start_session)
        yield SystemCommand(
            "Pause or resume session",
            "Pause the running session, or resume it",
            self.action_pause_resume,
        )
        yield SystemCommand(
            "Stop session",
            "Stop the running session and tick what it achieved",
            self.action_stop_session,
        )
        yield SystemCommand("Log outcome", "Log what a session achieved", self.action_log_outcome)
        yield SystemCommand(
            "Plugins",
            "Installed plugins, whether they loaded, and their panels",
            self.action_show_plugins,
        )
        yield SystemCommand(
            "Refresh", "Read everything from the database again", self.action_refresh
        )
        yield SystemCommand(
            "Quick log",
            "Log one of the most used outcome kinds (the digits 1 to 9)",
            self.action_quick_log_pick,
        )
        yield SystemCommand(
            "Scoring strategy",
            "Score with another strategy until you quit",
            self.action_pick_strategy,
        )
        yield SystemCommand("Goals", "Goals with pace: add, edit, remove", self.action_show_goals)
        yield SystemCommand(
            "Sessions history", "Every session: edit or delete", self.action_show_sessions
        )
        yield SystemCommand(
            "Import exports", "Import analytics exports with a preview", self.action_show_import
        )
        yield SystemCommand(
            "Insights",
            "Charts: time per day, return per focused hour, best time to post",
            self.action_show_insights,
        )
        yield SystemCommand("Help: keys", "Every key and what it does", self.action_help)
        yield SystemCommand(
            "Metrics",
            "Metrics per platform: trend, engagement rate, followers, top posts"
            " (on a short screen: show or hide them)",
            self.action_toggle_metrics,
        )
        yield SystemCommand(
            "Toggle dark/light theme", "Switch the colour theme", self.action_toggle_theme
        )
        if screen is not self.screen_stack[0]:
            # The keys of the screen on show (goals, sessions, import), by what they do.
            for binding in screen.BINDINGS:
                if not isinstance(binding, Binding):
                    continue
                method = getattr(screen, f"action_{binding.action}", None)
                if method is not None and binding.tooltip:
                    yield SystemCommand(binding.tooltip, binding.description, method)

    def action_refresh(self) -> None:
        self.reload()

    def action_show_plugins(self) -> None:
        from smtui.tui.plugins_screen import PluginsScreen

        if not isinstance(self.screen, PluginsScreen):
            self.push_screen(PluginsScreen(self.db_path, self.config))

    def action_start_session(self) -> None:
        from smtui.tui.modals import StartSessionDialog

        dialog = StartSessionDialog(
            self.choices, self._start_action, db_path=self.db_path, cursor_blink=self.cursor_blink
        )
        self.push_screen(dialog, self._written)

    def _written(self, message: str | None) -> None:
        """A dialog saved its change (in its own worker): say so, and reload at once."""
        if message:
            self.notify(message, markup=False)
            self._wake.set()

    def _start_action(self, request: StartRequest) -> Action:
        configured = (*getattr(self.config, "platforms", ()), *self.config.target_platforms)

        def plugin_platforms() -> list[str]:
            from smtui.plugins import load_registry

            sources = load_registry(self.config).sources.values()
            return [cls.platform for cls in sources if cls.platform]

        def start(conn: sqlite3.Connection) -> str:
            from smtui.core import sessions
            from smtui.core.platforms import resolve_platform

            platform = resolve_platform(request.platform, conn, configured, plugin_platforms)
            session = sessions.start(conn, platform, request.intent, timebox_s=request.timebox_s)
            from smtui.core import events

            self._plugins_failed(events.after_start(self.config, session))
            return f"Started session #{session.id} on {session.platform}"

        return start

    def action_pause_resume(self) -> None:
        def toggle(conn: sqlite3.Connection) -> str:
            from smtui.core import sessions

            session = sessions.running(conn)
            if session is None:
                raise StateError("no session is running to pause", "press s to start one")
            if session.paused:
                sessions.resume(conn)
                return f"Resumed session #{session.id}"
            sessions.pause(conn)
            return f"Paused session #{session.id}"

        self._write("pause or resume", toggle)

    def action_stop_session(self) -> None:
        session = self.running_session
        summary = f"{session.platform} session #{session.id}" if session else "the session"
        from smtui.core.kinds import BUILTIN_KINDS
        from smtui.tui.modals import StopSessionDialog

        dialog = StopSessionDialog(BUILTIN_KINDS.values(), summary, cursor_blink=self.cursor_blink)
        self.push_screen(dialog, self._stop_chosen)

    def _stop_chosen(self, kinds: list[str] | None) -> None:
        if kinds is None:
            return

        def stop(conn: sqlite3.Connection) -> str:
            from smtui.core import sessions

            session = sessions.stop(conn, outcome_kinds=kinds)
            from smtui.core import events

            self._plugins_failed(events.after_stop(conn, self.config, session, added=len(kinds)))
            # Outcomes logged while it ran count too: only a session with none is playtime.
            achieved = conn.execute(
                "SELECT count(*) FROM outcomes WHERE session_id = ?", (session.id,)
            ).fetchone()[0]
            if not achieved:
                return f"Stopped session #{session.id}: playtime, no outcome"
            plural = "s" if achieved > 1 else ""
            return f"Stopped session #{session.id} with {achieved} outcome{plural}"

        self._write("stop the session", stop)

    def action_log_outcome(self, kind: str | None = None) -> None:
        """The kind picker (or, for ``kind``, straight to its details)."""
        session = self.running_session
        target = (
            f"for session #{session.id} ({session.platform})"
            if session is not None
            else "(no session running: logged on its own)"
        )
        from smtui.tui.modals import LogOutcomeDialog

        dialog = LogOutcomeDialog(
            self.choices,
            target,
            self._log_action,
            db_path=self.db_path,
            currency=self.config.currency,
            kind=kind,
            cursor_blink=self.cursor_blink,
        )
        self.push_screen(dialog, self._written)

    def _log_action(self, request: LogRequest, kind: OutcomeKind) -> Action:
        def log(conn: sqlite3.Connection) -> str:
            from smtui.core import outcomes, sessions
            from smtui.tui.forms import outcome_values

            values = outcome_values(request, kind.details, kind.takes_money, self.config.currency)
            running = sessions.running(conn)
            logged = outcomes.log(
                conn,
                kind.name,
                session=outcomes.RUNNING if running else None,
                **values,  # type: ignore[arg-type]
            )
            from smtui.core import events

            self._plugins_failed(events.after_log(conn, self.config, logged))
            where = f" in session #{logged.session_id}" if logged.session_id else ""
            return f"Logged {kind.label}{where}"

        return log

    def action_quick_log(self, digit: int) -> None:
        """Log kind ``digit`` of the most used ones; a kind with details asks for them first."""
        if not self.choices_loaded:
            self.notify("Still reading which kinds you use most; try again in a moment.")
            return
        kind = self.choices.quick_kind(digit)
        if kind is None:
            self.notify(f"No outcome kind on {digit}.", severity="warning")
        elif kind.details or kind.takes_money:
            self.action_log_outcome(kind.name)
        else:
            from smtui.tui.forms import LogRequest

            self._write("log the outcome", self._log_action(LogRequest(kind.name), kind))

    def action_quick_log_pick(self) -> None:
        """From the command palette: the log dialog, whose list shows the digits."""
        self.action_log_outcome()

    # --- screens -----------------------------------------------------------------------------

    def action_pick_strategy(self) -> None:
        from smtui.tui.strategy_modal import StrategyDialog

        dialog = StrategyDialog(self.config, self.strategy, cursor_blink=self.cursor_blink)
        self.push_screen(dialog, self._strategy_chosen)

    def _strategy_chosen(self, name: str | None) -> None:
        """Score with ``name`` from now on: only the score panel is read again."""
        if not name or name == self.strategy:
            return
        from smtui.tui.strategies import score_loader

        self.strategy = name
        default = self.config.default_strategy
        self.plugin_loaders[data.SCORE] = data.load_score if name == default else score_loader(name)
        self._generation += 1
        self._load_plugin_backed(self._generation)
        self.notify(
            f"Scoring with {name} until you quit; the config's default stays {default}.",
            markup=False,
        )

    def _store_screen_options(self) -> dict[str, Any]:
        return {
            "choices": lambda: self.choices,
            "changed": self._wake.set,
            "cursor_blink": self.cursor_blink,
        }

    def action_show_goals(self) -> None:
        from smtui.tui.goals_screen import GoalsScreen

        self.push_screen(
            GoalsScreen(
                self.db_path, self.config, self.context.zone, **self._store_screen_options()
            )
        )

    def action_show_sessions(self) -> None:
        from smtui.tui.sessions_screen import SessionsScreen

        self.push_screen(
            SessionsScreen(
                self.db_path, self.config, self.context.zone, **self._store_screen_options()
            )
        )

    def action_show_import(self) -> None:
        from smtui.tui.import_screen import ImportScreen

        self.push_screen(
            ImportScreen(self.db_path, self.config, self._wake.set, cursor_blink=self.cursor_blink)
        )

    def action_show_insights(self) -> None:
        from smtui.tui.insights_screen import InsightsScreen

        self.push_screen(InsightsScreen(self.db_path, self.context))

    def action_toggle_metrics(self) -> None:
        """Short screen: swap the metrics in for goals, score and latest activity, or back.
        Tall screen (metrics always shown): go to their platform tabs."""
        grid = self.query_one("#dashboard", Grid)
        if grid.has_class("-tall"):
            grid.remove_class("-metrics")
        else:
            grid.toggle_class("-metrics")
        if grid.has_class("-metrics") or grid.has_class("-tall"):
            self.query_one(MetricsPanel).focus_tabs()

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def action_help(self) -> None:
        from smtui.tui.help_screen import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
        else:
            self.push_screen(HelpScreen(self.help_sections()))

    def help_sections(self) -> list[HelpSection]:
        """Every key, as the keymap has it, in the order the help screen lists them."""
        from smtui.tui.goals_screen import GoalsScreen
        from smtui.tui.help_screen import HelpSection, binding_rows
        from smtui.tui.import_screen import ImportScreen
        from smtui.tui.insights_screen import InsightsScreen
        from smtui.tui.plugins_screen import PluginsScreen
        from smtui.tui.sessions_screen import SessionsScreen

        def display(key: str) -> str:
            return self.get_key_display(Binding(key, ""))

        keymap = self.config.keymap
        own = [b for b in self.BINDINGS if isinstance(b, Binding)]
        dashboard = [b for b in own if not (b.id or "").startswith("log.")]
        quick = []
        for digit, name in enumerate(self.choices.quick, start=1):
            kind = self.choices.kind(name)
            if kind is not None:
                asks = " (asks for details)" if kind.details or kind.takes_money else ""
                quick.append((str(digit), f"Log {kind.label}{asks}"))
        sections = [
            HelpSection("Dashboard", binding_rows(dashboard, keymap, display)),
            HelpSection("Quick log: the kinds you logged most in 90 days", quick),
            HelpSection(
                "Everywhere",
                [
                    (display("ctrl+p"), "Command palette: every action by name"),
                    (display("escape"), "Close a dialog, or go back to the dashboard"),
                    (display("ctrl+q"), "Quit (a running session keeps running)"),
                ],
            ),
            HelpSection(
                "In dialogs",
                [
                    ("tab", "Next field; in a pick list, take the highlighted match"),
                    ("↑ ↓", "Move in a pick list"),
                    ("enter", "Confirm (start, log, save)"),
                    ("space", "Tick a box of the stop checklist"),
                ],
            ),
        ]
        for title, screen in (
            ("Goals screen", GoalsScreen),
            ("Sessions screen", SessionsScreen),
            ("Import screen", ImportScreen),
            ("Plugins screen", PluginsScreen),
            ("Insights screen", InsightsScreen),
        ):
            bindings = [b for b in screen.BINDINGS if isinstance(b, Binding)]
            sections.append(HelpSection(title, binding_rows(bindings, {}, display)))
        return sections
