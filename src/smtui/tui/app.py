"""The dashboard app: panels, keys, and the threads that read and write the store.

Threads: the app thread draws and handles keys; every database access runs in a worker
thread with its own connection (``sqlite3`` connections must not cross threads), and results
come back as messages. One long-lived worker watches ``PRAGMA data_version`` on a dedicated
connection, once a second, and asks for a reload only when another connection committed: the
command line, another terminal, or this app's own write workers (which wake it at once). The
clock ticks once a second only while a session is running, and only updates the timer.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.containers import Grid
from textual.widgets import Footer
from textual.worker import get_current_worker

from smtui import clock
from smtui.core.kinds import BUILTIN_KINDS
from smtui.errors import SmtuiError, StateError
from smtui.tui import data
from smtui.tui.messages import DatabaseChanged, PanelLoaded
from smtui.tui.modals import LogOutcomeDialog, StartRequest, StartSessionDialog, StopSessionDialog
from smtui.tui.plugins_screen import PluginsScreen
from smtui.tui.widgets import (
    GoalsPanel,
    Panel,
    RecentPanel,
    ScorePanel,
    SessionPanel,
    TodayPanel,
    kind_label,
)

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable, Iterable

    from textual.app import ComposeResult
    from textual.screen import Screen
    from textual.timer import Timer

    from smtui.config import Config
    from smtui.models import Session

    Action = Callable[[sqlite3.Connection], str]

POLL_INTERVAL_S = 1.0
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
        "show_plugins",
        "refresh",
        "quit",
    }
)


class SmtuiApp(App[None]):
    """The smtui dashboard."""

    CSS_PATH = "app.tcss"
    TITLE = "smtui"
    # Binding ids are the names users rebind in the [keymap] section of the config file.
    BINDINGS: ClassVar = [
        Binding("s", "start_session", "Start", id="start"),
        Binding("p", "pause_resume", "Pause/resume", id="pause"),
        Binding("x", "stop_session", "Stop", id="stop"),
        Binding("o", "log_outcome", "Outcome", id="log"),
        Binding("P", "show_plugins", "Plugins", id="plugins"),
        Binding("r", "refresh", "Refresh", id="refresh"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(
        self,
        db_path: str,
        config: Config,
        *,
        poll_interval: float = POLL_INTERVAL_S,
        cursor_blink: bool = True,
    ) -> None:
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
        self._generation = 0
        self._shown: dict[str, int] = {}
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._clock: Timer | None = None
        self._refresh_timer: Timer | None = None
        self.set_keymap(dict(config.keymap))

    # --- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Grid(id="dashboard"):
            keys = {"start": self.key_for("start", "s"), "log": self.key_for("log", "o")}
            yield SessionPanel(keys, id=data.SESSION)
            yield TodayPanel(id=data.TODAY)
            yield GoalsPanel(id=data.GOALS)
            yield ScorePanel(id=data.SCORE)
            yield RecentPanel(self.context.zone, id=data.RECENT)
        yield Footer(compact=True)  # every dashboard key fits in 80 columns

    def key_for(self, binding_id: str, default: str) -> str:
        """The key a binding answers to, after the user's keymap, for display."""
        key = self.config.keymap.get(binding_id, default).split(",")[0].strip()
        return self.get_key_display(Binding(key, ""))

    def on_mount(self) -> None:
        self._clock = self.set_interval(1.0, self._tick, pause=True)
        self.call_after_refresh(self._start_background)

    def _start_background(self) -> None:
        self.reload()
        self._watch_database()

    def on_unmount(self) -> None:
        self._stopping.set()
        self._wake.set()

    # --- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read every panel again (in workers); a newer reload supersedes an older one."""
        self._generation += 1
        self._load(self._generation)
        self._load_plugin_backed(self._generation)
        for screen in self.screen_stack:
            if isinstance(screen, PluginsScreen):
                screen.reload_panels()

    @work(thread=True, group="load", exclusive=True, exit_on_error=False)
    def _load(self, generation: int) -> None:
        self._run_loaders(self.loaders, generation)

    @work(thread=True, group="load-plugins", exclusive=True, exit_on_error=False)
    def _load_plugin_backed(self, generation: int) -> None:
        """The panels that run plugin code, apart: a slow plugin holds up only its panel."""
        try:
            registry = data.plugin_registry(self.config)
        except SmtuiError as exc:
            now = clock.now()
            for panel in self.plugin_loaders:
                self.post_message(PanelLoaded(panel, generation, now, error=str(exc)))
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
        self._run_loaders(self.plugin_loaders, generation)

    def _run_loaders(self, loaders: dict[str, data.Loader], generation: int) -> None:
        """In a worker: run ``loaders`` on one connection, posting each panel's result."""
        from smtui.store.db import connect

        worker = get_current_worker()
        now = clock.now()
        try:
            conn = connect(self.db_path)
        except SmtuiError as exc:
            for panel in loaders:
                self.post_message(PanelLoaded(panel, generation, now, error=str(exc)))
            return
        try:
            for panel, loader in loaders.items():
                if worker.is_cancelled:
                    return
                try:
                    result = loader(conn, self.context, now)
                except SmtuiError as exc:
                    self.post_message(PanelLoaded(panel, generation, now, error=str(exc)))
                except Exception as exc:
                    self.log.error(f"panel {panel} failed", exc)
                    error = f"{type(exc).__name__}: {exc}"
                    self.post_message(PanelLoaded(panel, generation, now, error=error))
                else:
                    self.post_message(PanelLoaded(panel, generation, now, data=result))
        finally:
            conn.close()

    def on_panel_loaded(self, message: PanelLoaded) -> None:
        if message.generation < self._shown.get(message.panel, 0):
            return
        self._shown[message.panel] = message.generation
        panel = self.query_one(f"#{message.panel}", Panel)
        if message.error is not None:
            panel.show_error(message.error)
        else:
            panel.show(message.data, message.now)
        if message.panel == data.SESSION:
            view = message.data if isinstance(message.data, data.RunningView) else None
            self._session_changed(view.session if view is not None else None, message.error)
            self._schedule_refresh(message.now)
        elif message.panel == data.RECENT and isinstance(message.data, data.RecentView):
            sessions = [row for row in message.data.rows if row.status != data.OUTCOME]
            self.last_platform = sessions[0].platform if sessions else ""

    def _session_changed(self, session: Session | None, error: str | None) -> None:
        """Keep the clock and the enabled keys in step with the running session."""
        self.running_session = session
        self.state_known = error is None
        assert self._clock is not None
        if session is not None and not session.paused:
            self._clock.resume()
        else:
            self._clock.pause()
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
        self.query_one(SessionPanel).tick(clock.now())

    @work(thread=True, group="poll", exit_on_error=False)
    def _watch_database(self) -> None:
        """Post :class:`DatabaseChanged` whenever another connection commits."""
        from smtui.store.db import connect

        worker = get_current_worker()
        conn = connect(self.db_path)
        try:
            seen = conn.execute("PRAGMA data_version").fetchone()[0]
            while not (worker.is_cancelled or self._stopping.is_set()):
                self._wake.wait(self.poll_interval)
                self._wake.clear()
                version = conn.execute("PRAGMA data_version").fetchone()[0]
                if version != seen:
                    seen = version
                    self.post_message(DatabaseChanged())
        finally:
            conn.close()

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

    def action_refresh(self) -> None:
        self.reload()

    def action_show_plugins(self) -> None:
        if not isinstance(self.screen, PluginsScreen):
            self.push_screen(PluginsScreen(self.db_path, self.config))

    def action_start_session(self) -> None:
        from smtui.core.platforms import BUILTIN_INTENTS, BUILTIN_PLATFORMS

        config = self.config
        platforms = dict.fromkeys(
            (*config.target_platforms, *getattr(config, "platforms", ()), *BUILTIN_PLATFORMS)
        )
        dialog = StartSessionDialog(
            platforms, BUILTIN_INTENTS, self.last_platform, cursor_blink=self.cursor_blink
        )
        self.push_screen(dialog, self._start_chosen)

    def _start_chosen(self, request: StartRequest | None) -> None:
        if request is not None:
            self._write("start the session", self._start_action(request))

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
            if not kinds:
                return f"Stopped session #{session.id}: playtime, no outcome"
            plural = "s" if len(kinds) > 1 else ""
            return f"Stopped session #{session.id} with {len(kinds)} outcome{plural}"

        self._write("stop the session", stop)

    def action_log_outcome(self) -> None:
        session = self.running_session
        target = (
            f"for session #{session.id} ({session.platform})"
            if session is not None
            else "(no session running: logged on its own)"
        )
        dialog = LogOutcomeDialog(BUILTIN_KINDS.values(), target, cursor_blink=self.cursor_blink)
        self.push_screen(dialog, self._log_chosen)

    def _log_chosen(self, kind: str | None) -> None:
        if kind is None:
            return

        def log(conn: sqlite3.Connection) -> str:
            from smtui.core import outcomes, sessions

            running = sessions.running(conn)
            logged = outcomes.log(conn, kind, session=outcomes.RUNNING if running else None)
            from smtui.core import events

            self._plugins_failed(events.after_log(conn, self.config, logged))
            where = f" in session #{logged.session_id}" if logged.session_id else ""
            return f"Logged {kind_label(kind)}{where}"

        self._write("log the outcome", log)


def run_app(db_path: str, config: Config) -> None:
    """Open the dashboard on ``db_path`` until the user quits (a running session keeps running)."""
    SmtuiApp(db_path, config).run()
