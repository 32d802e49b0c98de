"""Snapshots (pytest-textual-snapshot) of the dashboard and its screens at 80x24 and 160x48.

Every picture shows the demo's history (:func:`smtui.core.demo.generate`, 30 days up to a
fixed Wednesday afternoon) with the clock frozen at :data:`NOW`, so nothing in it depends on
the day the tests run: the running timer, today's split, the goals' pace and the metrics'
trend all derive from :data:`NOW`. The time zone is UTC (``TZ`` and the config), only the
built-in plugins load whatever is installed, the theme is Textual's dark one, the cursor does
not blink and the app runs no animations. Before a picture is taken, every worker but the
database poll has finished and the screen on show has its data (see :func:`settle`).

The pictures live in ``tests/__snapshots__/test_snapshots/``. When a snapshot fails, pytest
writes ``snapshot_report.html`` with the old and the new picture side by side. After a
deliberate change of the screens, look at the new pictures and accept them with::

    .venv/bin/python -m pytest -n0 tests/test_snapshots.py --snapshot-update

They were drawn by Textual 8.2.8 and Rich 15.0.0: another version of either may draw some
cells differently (or write the SVG differently), and then the pictures are taken again the
same way, and looked at.
"""

from __future__ import annotations

import datetime as dt
import time
from datetime import UTC
from typing import TYPE_CHECKING, Any

import pytest
from textual.widgets import DataTable, SelectionList

from smtui import clock, plugins
from smtui.config import Config
from smtui.core import demo, outcomes, sessions
from smtui.store.db import connect
from smtui.tui.app import SmtuiApp
from smtui.tui.fields import FuzzyField
from smtui.tui.goals_screen import GoalFormDialog, GoalsScreen
from smtui.tui.help_screen import HelpScreen
from smtui.tui.insights_screen import InsightsScreen
from smtui.tui.metrics_panel import MetricsPanel
from smtui.tui.metrics_tabs import PlatformPane
from smtui.tui.modals import StartSessionDialog, StopSessionDialog
from smtui.tui.plugins_screen import PluginsScreen
from smtui.tui.sessions_screen import SessionFormDialog, SessionsScreen
from smtui.tui.widgets import Panel

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterator
    from pathlib import Path

    from textual.pilot import Pilot

    SnapCompare = Callable[..., bool]
    RunBefore = Callable[[Pilot[None]], Awaitable[None]]
    Ready = Callable[[SmtuiApp], bool]

# 2026-03-04 14:30 UTC, a Wednesday: the demo has a productive and a playtime session earlier
# today, goals met, on track and behind, and posts on four platforms.
NOW = int(dt.datetime(2026, 3, 4, 14, 30, tzinfo=UTC).timestamp())
TODAY = dt.date(2026, 3, 4)
MINUTE = 60
SIZES = {"80x24": (80, 24), "160x48": (160, 48)}
# Built-ins report smtui's version: pinned, so that a release does not change the pictures.
PINNED_VERSION = "0.1.0"


# --- a fixed world ---------------------------------------------------------------------------


@pytest.fixture(params=list(SIZES))
def size(request: pytest.FixtureRequest) -> tuple[int, int]:
    return SIZES[request.param]


@pytest.fixture
def frozen_now() -> Iterator[int]:
    clock.freeze(NOW)
    yield NOW
    clock.freeze(None)


@pytest.fixture(autouse=True)
def only_builtin_plugins(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Whatever is installed, the app sees smtui's built-in plugins and nothing else."""
    monkeypatch.setenv("SMTUI_LOAD_PLUGINS", "")
    # SMTUI_LOAD_PLUGINS="" still lists installed plugins (as disabled): find none at all.
    monkeypatch.setattr(plugins, "_entry_point_candidates", lambda: iter(()))
    monkeypatch.setattr(plugins, "__version__", PINNED_VERSION)
    # The terminal's settings must not reach the pictures (Textual reads NO_COLOR in App()).
    monkeypatch.delenv("NO_COLOR", raising=False)
    plugins.reset_registry()  # loaded afresh, with the patches above
    yield
    plugins.reset_registry()  # and forgotten: later tests on this worker load the real ones


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config(str(tmp_path / "config.toml"), timezone="UTC", daily_budget_s=2 * 3600)


@pytest.fixture
def idle_db(tmp_path: Path, frozen_now: int) -> str:
    """The demo's 30 days up to :data:`NOW`, no session running."""
    path = str(tmp_path / "snapshot.db")
    conn = connect(path)
    try:
        demo.generate(conn, today=TODAY, zone=UTC, days=30)
    finally:
        conn.close()
    return path


@pytest.fixture
def running_db(idle_db: str) -> str:
    """The demo plus a LinkedIn session 18 minutes into a 25-minute timebox, one outcome."""
    conn = connect(idle_db)
    try:
        sessions.start(conn, "linkedin", "prospecting", at=NOW - 18 * MINUTE, timebox_s=25 * 60)
        outcomes.log(conn, "prospect_identified", session=outcomes.RUNNING, at=NOW - 5 * MINUTE)
    finally:
        conn.close()
    return idle_db


def make_app(db_path: str, config: Config) -> SmtuiApp:
    app = SmtuiApp(db_path, config, cursor_blink=False)
    app.theme = "textual-dark"  # not the $TEXTUAL_THEME of whoever runs the tests
    return app


# --- waiting until the screen is complete ----------------------------------------------------


def busy(app: SmtuiApp) -> list[str]:
    """Workers still running, apart from the database poll (which runs until the app quits)."""
    return [w.name or w.group for w in app.workers if w.group != "poll" and not w.is_finished]


def tables(app: SmtuiApp) -> Iterator[DataTable[Any]]:
    for screen in app.screen_stack:
        yield from screen.query(DataTable)


def tables_measured(app: SmtuiApp) -> bool:
    """Every table has measured its new rows (a table does that once its queue is idle)."""
    return not any(t._require_update_dimensions or t._updated_cells for t in tables(app))


def repaint_tables(app: SmtuiApp) -> None:
    """Draw every table afresh, from the column widths it has measured.

    Textual 8.2.8's DataTable caches the lines it draws without the column widths in the key,
    and measures new rows only when idle. If the screen is painted between ``add_row`` and that
    idle, a table that fills a fixed area (the latest sessions, the goals) keeps showing its
    rows cut to the header's widths until something else moves, e.g. the cursor. That paint
    race is rare and not what these pictures are about (it is a Textual bug): drop the cache.
    """
    for table in tables(app):
        table._clear_caches()
        table.refresh()


async def settle(pilot: Pilot[None], ready: Ready, timeout: float = 20.0) -> None:
    """Pause until no worker is busy and ``ready`` holds, then let the screen repaint."""
    app = pilot.app
    assert isinstance(app, SmtuiApp)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause(0.02)
        if not busy(app) and tables_measured(app) and ready(app):
            repaint_tables(app)
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()
            assert not busy(app) and ready(app), "the screen changed again while settling"
            # A toast would be in the picture until a real-time timeout: there must be none.
            assert not list(app._notifications), [n.message for n in app._notifications]
            return
    raise AssertionError(f"the screen did not load in time: busy {busy(app)}, on {app.screen!r}")


def dashboard_loaded(app: SmtuiApp) -> bool:
    """Every panel shows its data, the metrics have a tab per platform (once the panel is on
    screen: hidden at 80x24, it builds its tabs when shown), the keys are known."""
    panels = [*app.loaders, *app.plugin_loaders]
    if not all(panel in app._shown for panel in panels):
        return False
    failed = {panel.id: panel.error_text for panel in app.query(Panel) if panel.error_text}
    assert not failed, f"panels failed to load: {failed}"
    if not (app.choices_loaded and app.state_known):
        return False
    metrics = app.query_one(MetricsPanel)
    report = metrics.report
    if report is None:
        return False
    if not metrics.region:
        return True
    return len(metrics.query(PlatformPane)) == len(report.platforms) > 0


def on_dashboard(*keys: str, then: Ready | None = None) -> RunBefore:
    """A ``run_before``: wait for the dashboard, press ``keys``, wait until ``then`` holds."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot, dashboard_loaded)
        if keys:
            await pilot.press(*keys)
            await settle(pilot, then or (lambda app: True))

    return run_before


def showing(screen_type: type, loaded: Callable[[Any], bool] = lambda screen: True) -> Ready:
    """A screen of ``screen_type`` is on top and ``loaded(screen)`` holds."""

    def ready(app: SmtuiApp) -> bool:
        return isinstance(app.screen, screen_type) and loaded(app.screen)

    return ready


# --- the snapshots ---------------------------------------------------------------------------


def test_main_screen_with_a_running_session(
    snap_compare: SnapCompare, running_db: str, config: Config, size: tuple[int, int]
) -> None:
    """Timer and timebox, today's split, goals, score, latest sessions (and metrics at 160x48)."""
    app = make_app(running_db, config)
    assert snap_compare(app, terminal_size=size, run_before=on_dashboard())


def test_start_modal(
    snap_compare: SnapCompare, idle_db: str, config: Config, size: tuple[int, int]
) -> None:
    """No session running: the start dialog, offering the last platform, over the invitation."""

    def platform_open(dialog: StartSessionDialog) -> bool:
        # The platform field has the focus, its pick list open on the last platform.
        field = dialog.query_one("#platform-field", FuzzyField)
        return field.input.has_focus and field.has_class("-open") and field.value == "x"

    app = make_app(idle_db, config)
    run_before = on_dashboard("s", then=showing(StartSessionDialog, platform_open))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_stop_modal_checklist(
    snap_compare: SnapCompare, running_db: str, config: Config, size: tuple[int, int]
) -> None:
    """The seed-000 checklist: the first box ticked, the second one highlighted."""

    def first_ticked(dialog: StopSessionDialog) -> bool:
        checklist: SelectionList[str] = dialog.query_one(SelectionList)
        return checklist.selected == ["prospect_identified"] and checklist.highlighted == 1

    app = make_app(running_db, config)
    run_before = on_dashboard("x", "space", "down", then=showing(StopSessionDialog, first_ticked))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_goals_screen(
    snap_compare: SnapCompare, running_db: str, config: Config, size: tuple[int, int]
) -> None:
    """The demo's goals, most urgent first, with progress and pace; the first one told."""

    def listed(screen: GoalsScreen) -> bool:
        rows = screen.query_one(DataTable).row_count
        return len(screen.progress) == rows == len(demo.GOALS)

    app = make_app(running_db, config)
    run_before = on_dashboard("g", then=showing(GoalsScreen, listed))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_goal_form(
    snap_compare: SnapCompare, running_db: str, config: Config, size: tuple[int, int]
) -> None:
    """Adding a goal: the subject's pick list open under it, every other field in view."""

    def subject_open(form: GoalFormDialog) -> bool:
        field = form.query_one("#goal-subject-field", FuzzyField)
        return field.input.has_focus and field.has_class("-open")

    app = make_app(running_db, config)
    run_before = on_dashboard("g", "a", "tab", "tab", then=showing(GoalFormDialog, subject_open))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_session_form(
    snap_compare: SnapCompare, running_db: str, config: Config, size: tuple[int, int]
) -> None:
    """Editing the session before the running one, over the history: platform list open."""

    def platform_open(form: SessionFormDialog) -> bool:
        field = form.query_one("#session-platform-field", FuzzyField)
        return field.has_class("-open") and form.session.ended_at is not None

    async def run_before(pilot: Pilot[None]) -> None:
        await on_dashboard("l", then=showing(SessionsScreen, lambda s: bool(s.rows)))(pilot)
        await pilot.press("down", "e")
        await settle(pilot, showing(SessionFormDialog, platform_open))

    app = make_app(running_db, config)
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_plugins_screen_lists_the_built_ins(
    snap_compare: SnapCompare, running_db: str, config: Config, size: tuple[int, int]
) -> None:
    """After ``a``: every built-in plugin, loaded; no third-party plugin, whatever is installed."""

    def listed(screen: PluginsScreen) -> bool:
        rows = screen.query_one(DataTable).row_count
        return screen._loaded and screen.show_all and rows == len(plugins.DEFAULT_PLUGINS)

    app = make_app(running_db, config)
    run_before = on_dashboard("P", "a", then=showing(PluginsScreen, listed))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_help_screen(
    snap_compare: SnapCompare, running_db: str, config: Config, size: tuple[int, int]
) -> None:
    """Every key, with the quick-log digits the demo's outcomes make the most used."""

    def with_quick_log(screen: HelpScreen) -> bool:
        return "1         Log Prospect qualified" in screen.text

    app = make_app(running_db, config)
    run_before = on_dashboard("question_mark", then=showing(HelpScreen, with_quick_log))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_insights_screen(
    snap_compare: SnapCompare, running_db: str, config: Config, size: tuple[int, int]
) -> None:
    """After ``a``: the demo's four weeks as stacked bars, its best times (all platforms, the
    best cell pointed at) and its returns; at 80x24 the top of the scrolling box."""

    def charted(screen: InsightsScreen) -> bool:
        return screen.loaded and not screen.errors and bool(screen.chart.series)

    app = make_app(running_db, config)
    run_before = on_dashboard("a", then=showing(InsightsScreen, charted))
    assert snap_compare(app, terminal_size=size, run_before=run_before)
