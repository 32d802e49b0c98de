"""The first dashboard: panels, keys and dialogs, driven with Pilot against a real database."""

from __future__ import annotations

import asyncio
import subprocess
import time
from datetime import UTC
from typing import TYPE_CHECKING, Any

import pytest
from textual.notifications import Notify

from smtui import clock
from smtui.config import BINDING_IDS, Config
from smtui.core import goals, outcomes, sessions
from smtui.core.kinds import BUILTIN_KINDS
from smtui.core.summary import TimeSplit
from smtui.store.db import connect
from smtui.tui import data
from smtui.tui.app import SmtuiApp
from smtui.tui.modals import LogOutcomeDialog, StartSessionDialog, StopSessionDialog
from smtui.tui.widgets import (
    GoalsPanel,
    Panel,
    RecentPanel,
    ScorePanel,
    SessionPanel,
    TodayPanel,
    split_cells,
)

from .conftest import PYTHON, T0, subprocess_env

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine
    from pathlib import Path

    from textual.message import Message
    from textual.pilot import Pilot

PANELS = (data.SESSION, data.TODAY, data.GOALS, data.SCORE, data.RECENT)
HOUR = 3600


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config(str(tmp_path / "config.toml"), timezone="UTC", daily_budget_s=2 * HOUR)


def run(scenario: Coroutine[Any, Any, None]) -> None:
    asyncio.run(scenario)


class Harness:
    """An app under test plus the notifications it raised."""

    def __init__(self, db_path: str, config: Config, **options: Any) -> None:
        self.app = SmtuiApp(db_path, config, cursor_blink=False, **options)
        self.toasts: list[tuple[str, str]] = []

    def hook(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.toasts.append((message.notification.severity, message.notification.message))

    def panel(self, panel_id: str) -> Panel:
        return self.app.query_one(f"#{panel_id}", Panel)

    def loaded(self) -> bool:
        return all(panel in self.app._shown for panel in PANELS)

    async def settle(
        self, pilot: Pilot[None], until: Callable[[], bool] | None = None, timeout: float = 5.0
    ) -> None:
        """Let workers and messages run until ``until`` holds (default: every panel loaded)."""
        condition = until or self.loaded
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            await pilot.pause(0.02)
            busy = [w for w in self.app.workers if w.group != "poll" and not w.is_finished]
            if not busy and condition():
                await pilot.pause()
                return
        raise AssertionError("the dashboard did not reach the expected state in time")


def add_history(conn: Any) -> None:
    """A productive hour, a playtime half-hour, and a session running for 10 minutes."""
    first = sessions.add(conn, "linkedin", "prospecting", T0 - 3 * HOUR, T0 - 2 * HOUR)
    outcomes.log(conn, "lead", session=first.id, at=T0 - 2 * HOUR - 60)
    sessions.add(conn, "x", "engagement", T0 - 90 * 60, T0 - HOUR)
    sessions.start(conn, "bluesky", "content", at=T0 - 600, timebox_s=25 * 60)
    outcomes.log(conn, "expertise_shown")


def lines(panel: Panel) -> list[str]:
    return panel.text.splitlines()


# --- whole screen ----------------------------------------------------------------------------


def test_starts_on_an_empty_database(db_path: str, config: Config, frozen: int) -> None:
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(size=(80, 24)) as pilot:
            await harness.settle(pilot)
            for panel in PANELS:
                assert harness.panel(panel).error_text is None, panel
            session = harness.app.query_one(SessionPanel)
            assert session.has_class("-idle")
            assert "Press  s  to start a session." in session.text
            today = lines(harness.app.query_one(TodayPanel))
            assert today[1:] == [
                "■ Productive      0s",
                "■ Playtime        0s",
                "■ Running         0s",
                "  Total           0s",
                "  Budget 2h 00m · 2h 00m left",
            ]
            assert "No goals yet" in harness.app.query_one(GoalsPanel).text
            assert lines(harness.app.query_one(ScorePanel))[0] == "no sessions yet"
            assert "nothing yet" in harness.app.query_one(RecentPanel).text

    run(scenario())
    conn = connect(db_path)
    assert sessions.running(conn) is None
    conn.close()


def test_shows_the_running_session_today_goals_score_and_history(
    db: Any, db_path: str, config: Config
) -> None:
    add_history(db)
    goals.add_goal(
        db, name="Two leads a week", measure="outcomes", subject="lead", target=2, period="week"
    )
    goals.add_goal(
        db,
        name="Max 20m playtime",
        measure="playtime",
        target=1200,
        period="day",
        direction="at_most",
    )
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(size=(80, 24)) as pilot:
            await harness.settle(pilot)
            session = harness.app.query_one(SessionPanel)
            assert session.timer_text == "0:10:00"
            assert lines(session) == [
                "bluesky · content",
                "Timebox 25m · 15m left",
                "Outcomes 1 · Expertise shown",
            ]
            # 60 + 30 + 10 minutes of a 2 h budget: 25 of 30 cells drawn.
            today = lines(harness.app.query_one(TodayPanel))
            assert today[0] == "█" * 25 + "·" * 5
            assert today[1:] == [
                "■ Productive  1h 00m",
                "■ Playtime       30m",
                "■ Running        10m",
                "  Total       1h 40m",
                "  Budget 2h 00m · 20m left",
            ]
            # 30 min of playtime against a 20 min cap is over: most urgent, listed first.
            goal_lines = lines(harness.app.query_one(GoalsPanel))
            assert goal_lines[0].startswith("✗ ████████ Max 20m playtime · 30m/20m · over")
            assert goal_lines[1].startswith("● ████░░░░ Two leads a week · 1/2 · on track")
            score = harness.app.query_one(ScorePanel)
            assert lines(score)[0] == "67% productive"
            assert score.border_title == "Score · Checklist"
            recent = lines(harness.app.query_one(RecentPanel))
            assert recent == [
                "09:50 | bluesky | content | 10m | running | Expertise shown",
                "08:30 | x | engagement | 30m | PLAYTIME | ",
                "07:00 | linkedin | prospecting | 1h 00m | productive | Lead",
            ]

    run(scenario())


def test_clock_ticks_while_a_session_runs(db: Any, db_path: str, config: Config) -> None:
    sessions.start(db, "linkedin", at=T0 - 600)
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test() as pilot:
            await harness.settle(pilot)
            session = harness.app.query_one(SessionPanel)
            assert session.timer_text == "0:10:00"
            clock.freeze(T0 + 5)
            await harness.settle(pilot, lambda: session.timer_text == "0:10:05")

    run(scenario())


# --- keys and dialogs ------------------------------------------------------------------------


def test_start_dialog_creates_a_running_session(db: Any, db_path: str, config: Config) -> None:
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(message_hook=harness.hook) as pilot:
            await harness.settle(pilot)
            await pilot.press("s")
            await pilot.pause()
            assert isinstance(harness.app.screen, StartSessionDialog)
            await pilot.press(*"linkedin", "tab", *"prospecting", "tab", *"25m", "enter")
            await harness.settle(pilot, lambda: harness.app.running_session is not None)
            running = sessions.running(db)
            assert running is not None
            assert (running.platform, running.intent, running.started_at, running.timebox_s) == (
                "linkedin",
                "prospecting",
                T0,
                1500,
            )
            session = harness.app.query_one(SessionPanel)
            assert session.timer_text == "0:00:00"
            assert lines(session)[:2] == ["linkedin · prospecting", "Timebox 25m · 25m left"]
            assert ("information", f"Started session #{running.id} on linkedin") in harness.toasts

    run(scenario())


def test_start_dialog_keeps_a_bad_timebox_open(db: Any, db_path: str, config: Config) -> None:
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test() as pilot:
            await harness.settle(pilot)
            await pilot.press("s")
            await pilot.pause()
            await pilot.press(*"x", "tab", "tab", *"soon", "enter")
            await pilot.pause()
            dialog = harness.app.screen
            assert isinstance(dialog, StartSessionDialog)
            assert "bad timebox 'soon'" in str(dialog.query_one("#start-error").visual)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(harness.app.screen, StartSessionDialog)

    run(scenario())
    assert sessions.running(db) is None


def test_a_domain_error_stays_in_the_start_dialog(db: Any, db_path: str, config: Config) -> None:
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(message_hook=harness.hook) as pilot:
            await harness.settle(pilot)
            await pilot.press("s")
            await pilot.pause()
            await pilot.press(*"linkdin", "enter")
            dialog = harness.app.screen
            assert isinstance(dialog, StartSessionDialog)
            await harness.settle(pilot, lambda: bool(dialog.error_text))
            assert harness.app.screen is dialog  # still open: nothing typed is lost
            assert "unknown platform 'linkdin'" in dialog.error_text
            assert "did you mean 'linkedin'?" in dialog.error_text
            assert harness.toasts == []

    run(scenario())
    assert sessions.running(db) is None


def test_p_pauses_and_resumes(db: Any, db_path: str, config: Config) -> None:
    running = sessions.start(db, "linkedin", at=T0 - 600)
    harness = Harness(db_path, config)

    def pauses() -> list[tuple[int, int | None]]:
        return db.execute(
            "SELECT started_at, ended_at FROM pauses WHERE session_id = ?", (running.id,)
        ).fetchall()

    async def scenario() -> None:
        async with harness.app.run_test() as pilot:
            await harness.settle(pilot)
            await pilot.press("p")
            panel = harness.app.query_one(SessionPanel)
            await harness.settle(pilot, lambda: panel.has_class("-paused"))
            assert pauses() == [(T0, None)]
            assert "PAUSED" in lines(panel)[0]
            clock.freeze(T0 + 60)
            await pilot.press("p")
            await harness.settle(pilot, lambda: not panel.has_class("-paused"))
            assert pauses() == [(T0, T0 + 60)]
            assert sessions.get(db, running.id).paused_s == 60
            assert panel.timer_text == "0:10:00"  # the paused minute does not count

    run(scenario())


def test_o_logs_an_outcome_in_the_running_session(db: Any, db_path: str, config: Config) -> None:
    running = sessions.start(db, "linkedin", at=T0 - 600)
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test() as pilot:
            await harness.settle(pilot)
            await pilot.press("o")
            await pilot.pause()
            assert isinstance(harness.app.screen, LogOutcomeDialog)
            await pilot.press(*["down"] * list(BUILTIN_KINDS).index("lead"), "enter")
            panel = harness.app.query_one(SessionPanel)
            await harness.settle(pilot, lambda: "Outcomes 1 · Lead" in panel.text)

    run(scenario())
    logged = outcomes.list_outcomes(db)
    assert [(o.kind, o.session_id, o.platform, o.occurred_at) for o in logged] == [
        ("lead", running.id, "linkedin", T0)
    ]


def test_x_with_two_boxes_ticked_records_two_outcomes(
    db: Any, db_path: str, config: Config
) -> None:
    running = sessions.start(db, "linkedin", at=T0 - 600)
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test() as pilot:
            await harness.settle(pilot)
            await pilot.press("x")
            await pilot.pause()
            assert isinstance(harness.app.screen, StopSessionDialog)
            await pilot.press("space", "down", "down", "space")
            await pilot.click("#stop-confirm")
            await harness.settle(
                pilot, lambda: harness.app.running_session is None and harness.app.state_known
            )
            assert harness.app.query_one(SessionPanel).has_class("-idle")
            recent = lines(harness.app.query_one(RecentPanel))
            assert recent == [
                "09:50 | linkedin |  | 10m | productive | Prospect identified, Expertise shown"
            ]

    run(scenario())
    stopped = sessions.get(db, running.id)
    assert stopped.ended_at == T0
    kinds = sorted(o.kind for o in outcomes.list_outcomes(db, session_id=running.id))
    assert kinds == ["expertise_shown", "prospect_identified"]


def test_x_with_nothing_ticked_is_playtime(db: Any, db_path: str, config: Config) -> None:
    running = sessions.start(db, "x", at=T0 - 600)
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(message_hook=harness.hook) as pilot:
            await harness.settle(pilot)
            await pilot.press("x")
            await pilot.pause()
            await pilot.click("#stop-confirm")
            await harness.settle(
                pilot, lambda: harness.app.running_session is None and harness.app.state_known
            )
            assert "PLAYTIME" in harness.app.query_one(RecentPanel).text
            assert "  Total          10m" in lines(harness.app.query_one(TodayPanel))
            assert ("information", f"Stopped session #{running.id}: playtime, no outcome") in (
                harness.toasts
            )

    run(scenario())
    assert sessions.get(db, running.id).ended_at == T0
    assert outcomes.list_outcomes(db) == []


def test_q_quits_and_leaves_the_session_running(db: Any, db_path: str, config: Config) -> None:
    running = sessions.start(db, "linkedin", at=T0 - 600)
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test() as pilot:
            await harness.settle(pilot)
            await pilot.press("q")
            await pilot.pause()
            assert harness.app.return_code == 0

    run(scenario())
    still = sessions.running(db)
    assert still is not None and still.id == running.id and still.ended_at is None


def test_keys_follow_the_user_keymap(db: Any, db_path: str, tmp_path: Path) -> None:
    config = Config(str(tmp_path / "config.toml"), timezone="UTC", keymap={"start": "n"})
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test() as pilot:
            await harness.settle(pilot)
            assert "Press  n  to start a session." in harness.app.query_one(SessionPanel).text
            await pilot.press("s")
            await pilot.pause()
            assert not isinstance(harness.app.screen, StartSessionDialog)
            await pilot.press("n")
            await pilot.pause()
            assert isinstance(harness.app.screen, StartSessionDialog)

    run(scenario())


def test_every_action_has_a_binding_id_and_a_palette_command(
    db: Any, db_path: str, config: Config
) -> None:
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test() as pilot:
            await harness.settle(pilot)
            app = harness.app
            titles = {command.title for command in app.get_system_commands(app.screen)}
            assert {
                "Start session",
                "Pause or resume session",
                "Stop session",
                "Log outcome",
                "Quick log",
                "Scoring strategy",
                "Goals",
                "Sessions history",
                "Import exports",
                "Plugins",
                "Help: keys",
                "Toggle dark/light theme",
                "Refresh",
            } <= titles

    run(scenario())
    ids = {binding.id for binding in SmtuiApp.BINDINGS}
    # Every id the [keymap] accepts, plus the quick-log digits (fixed keys).
    assert ids == set(BINDING_IDS) | {f"log.{digit}" for digit in range(1, 10)}


# --- reloading -------------------------------------------------------------------------------


def test_a_change_from_another_connection_shows_after_the_poll(
    db: Any, db_path: str, config: Config
) -> None:
    harness = Harness(db_path, config, poll_interval=0.1)

    async def scenario() -> None:
        async with harness.app.run_test() as pilot:
            await harness.settle(pilot)
            generation = harness.app._generation
            await pilot.pause(0.5)  # several polls, nothing committed: no reload
            assert harness.app._generation == generation
            sessions.start(db, "mastodon", "listening")
            await harness.settle(pilot, lambda: harness.app.running_session is not None)
            assert harness.app._generation == generation + 1
            assert lines(harness.app.query_one(SessionPanel))[0] == "mastodon · listening"

    run(scenario())


def test_a_failing_loader_shows_its_error_in_its_panel(
    db: Any, db_path: str, config: Config
) -> None:
    harness = Harness(db_path, config)

    def broken(*_args: object) -> object:
        raise RuntimeError("goal table exploded")

    harness.app.loaders[data.GOALS] = broken

    async def scenario() -> None:
        async with harness.app.run_test() as pilot:
            await harness.settle(pilot)
            goals_panel = harness.panel(data.GOALS)
            assert goals_panel.error_text == (
                "Could not load this panel\nRuntimeError: goal table exploded"
            )
            for panel in (data.SESSION, data.TODAY, data.SCORE, data.RECENT):
                assert harness.panel(panel).error_text is None

    run(scenario())


def test_an_unknown_strategy_shows_in_the_score_panel(
    db: Any, db_path: str, tmp_path: Path
) -> None:
    config = Config(str(tmp_path / "config.toml"), timezone="UTC", default_strategy="checklst")
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test() as pilot:
            await harness.settle(pilot)
            error = harness.panel(data.SCORE).error_text
            assert error is not None
            assert "unknown scoring strategy 'checklst'" in error
            assert "did you mean 'checklist'?" in error
            assert harness.panel(data.TODAY).error_text is None

    run(scenario())


# --- loaders and rendering without a terminal ------------------------------------------------


def test_recent_rows_mark_playtime_and_lone_outcomes(db: Any, config: Config) -> None:
    first = sessions.add(db, "linkedin", "prospecting", T0 - 3 * HOUR, T0 - 2 * HOUR)
    outcomes.log(db, "lead", session=first.id, at=T0 - 2 * HOUR - 60)
    second = sessions.add(db, "x", "", T0 - HOUR, T0 - HOUR + 300)
    lone = outcomes.log(
        db, "deal", session=None, at=T0 - 30 * 60, amount_minor=50000, currency="EUR"
    )
    ctx = data.DashboardContext(config, UTC)
    view = data.load_recent(db, ctx, T0)
    assert [(row.status, row.id, row.kinds, row.active_s) for row in view.rows] == [
        (data.OUTCOME, lone.id, ("deal",), None),
        (data.PLAYTIME, second.id, (), 300),
        (data.PRODUCTIVE, first.id, ("lead",), HOUR),
    ]
    assert view.today_start == T0 - 10 * HOUR


def test_today_view_counts_the_budget_left() -> None:
    view = data.TodayView(TimeSplit(productive_s=3000, playtime_s=1000, running_s=200), 4000)
    assert view.split.total_s == 4200
    assert view.budget_left_s == -200
    assert data.TodayView(TimeSplit(), None).budget_left_s is None


@pytest.mark.parametrize(
    ("parts", "scale", "width", "expected"),
    [
        ([60, 30, 10], 120, 30, [15, 7, 3]),  # edges at 15, 22.5 -> 22, 25
        ([1, 1, 1], 3, 10, [3, 4, 3]),
        ([0, 0, 0], 0, 10, [0, 0, 0]),
        ([5, 0, 5], 10, 4, [2, 0, 2]),
    ],
)
def test_split_cells_add_up_to_the_rounded_total(
    parts: list[int], scale: int, width: int, expected: list[int]
) -> None:
    assert split_cells(parts, scale, width) == expected


def test_panel_data_loads_without_textual(smtui_home: Path) -> None:
    probe = "import sys, smtui.tui.data; print('textual' in sys.modules)"
    result = subprocess.run(
        [PYTHON, "-c", probe],
        env=subprocess_env(smtui_home),
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "False"


def test_a_running_session_refreshes_the_panels_as_time_passes(
    db: Any, db_path: str, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("smtui.tui.app.RUNNING_REFRESH_S", 1)
    sessions.start(db, "linkedin", at=T0 - 600)
    harness = Harness(db_path, config, poll_interval=60)

    async def scenario() -> None:
        async with harness.app.run_test() as pilot:
            await harness.settle(pilot)
            generation = harness.app._generation
            clock.freeze(T0 + 60)
            today = harness.app.query_one(TodayPanel)
            await harness.settle(pilot, lambda: "■ Running        11m" in lines(today))
            assert harness.app._generation == generation + 1

    run(scenario())


def test_the_goal_statuses_are_those_of_the_goals() -> None:
    from smtui.core.goals import BEHIND, MET, ON_TRACK, OVER
    from smtui.tui.widgets import GOAL_STATUS

    assert set(GOAL_STATUS) == {MET, ON_TRACK, BEHIND, OVER}


# --- what the first screen costs (see docs/performance.md) -----------------------------------

FIRST_SCREEN_PROBE = """
import asyncio, sys
from smtui.config import Config
from smtui.tui.app import SmtuiApp

async def main():
    app = SmtuiApp(sys.argv[1], Config(sys.argv[2], timezone="UTC"), cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(250):
            await pilot.pause(0.02)
            if app._first_shown.is_set() and app.choices_loaded:
                break
        print(app._first_shown.is_set())
        print(" ".join(sorted(sys.modules)))

asyncio.run(main())
"""

# Modules the main screen does not show (imported when first used), and the parsers.
NOT_ON_THE_FIRST_SCREEN = (
    "smtui.tui.modals",
    "smtui.tui.forms",
    "smtui.tui.fields",
    "smtui.tui.goals_screen",
    "smtui.tui.sessions_screen",
    "smtui.tui.screen_base",
    "smtui.tui.import_screen",
    "smtui.tui.plugins_screen",
    "smtui.tui.help_screen",
    "smtui.tui.strategy_modal",
    "smtui.tui.metrics_tabs",
    "textual.widgets._data_table",
    "textual.widgets._tabbed_content",
    "textual.widgets._footer",
    "smtui.sources.x_exports",
    "smtui.sources.meta_exports",
    "smtui.sources.linkedin_exports",
    "smtui.sources.youtube_exports",
    "smtui.sources.tiktok_exports",
    "smtui.sources.csvfile",
    "smtui.sources.workbook",
    "argparse",
)


def test_the_first_screen_loads_only_what_it_shows(
    db: Any, db_path: str, tmp_path: Path, smtui_home: Path
) -> None:
    add_history(db)
    result = subprocess.run(
        [PYTHON, "-c", FIRST_SCREEN_PROBE, db_path, str(tmp_path / "config.toml")],
        env=subprocess_env(smtui_home),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    shown, modules = result.stdout.splitlines()
    assert shown == "True"
    loaded = set(modules.split())
    assert "smtui.tui.widgets" in loaded and "smtui.plugins" in loaded
    assert [name for name in NOT_ON_THE_FIRST_SCREEN if name in loaded] == []


def test_the_data_is_read_after_the_first_paint(db_path: str, config: Config, frozen: int) -> None:
    harness = Harness(db_path, config)
    painted_when_read: list[bool] = []

    def spy(loader: Any) -> Any:
        def read(conn: Any, ctx: Any, now: int) -> object:
            painted_when_read.append(harness.app._painted.is_set())
            return loader(conn, ctx, now)

        return read

    harness.app.loaders = {panel: spy(loader) for panel, loader in harness.app.loaders.items()}

    async def scenario() -> None:
        async with harness.app.run_test() as pilot:
            await harness.settle(pilot)

    run(scenario())
    assert painted_when_read and all(painted_when_read)


@pytest.mark.parametrize(("hold", "held"), [(30.0, [1]), (0.05, [0])])
def test_the_first_screen_is_drawn_once_the_score_is_in(
    db_path: str,
    config: Config,
    frozen: int,
    monkeypatch: pytest.MonkeyPatch,
    hold: float,
    held: list[int],
) -> None:
    """The panels that run plugin code come a moment after the others: their repaint waits,
    for a while at most (a slow plugin must not hold the other panels back)."""
    monkeypatch.setattr("smtui.tui.app.FIRST_SCREEN_HOLD_S", hold)
    harness = Harness(db_path, config)
    app = harness.app
    held_when_score_shown: list[int] = []
    show_score = app.plugin_loaders[data.SCORE]

    def slow_score(conn: Any, ctx: Any, now: int) -> object:
        time.sleep(0.3)
        return show_score(conn, ctx, now)

    app.plugin_loaders[data.SCORE] = slow_score
    original = app._show_panel

    def spy(panel_id: str, *args: Any) -> None:
        if panel_id == data.SCORE:
            held_when_score_shown.append(app._batch_count)
        original(panel_id, *args)

    app._show_panel = spy  # type: ignore[method-assign]

    async def scenario() -> None:
        async with app.run_test() as pilot:
            await harness.settle(pilot, app._first_shown.is_set)
            assert app._batch_count == 0  # released

    run(scenario())
    assert held_when_score_shown == held  # 1: the store's panels waited, unpainted


def test_a_loaded_plugin_registry_is_used_without_a_time_limit_thread(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smtui import plugin_calls, plugins

    plugins.reset_registry()
    loaded = data.plugin_registry(config)

    def no_thread(*_args: object, **_kw: object) -> object:
        raise AssertionError("a thread was started for a registry already loaded")

    monkeypatch.setattr(plugin_calls, "call_with_timeout", no_thread)
    assert data.plugin_registry(config) is loaded


def test_the_start_runs_without_garbage_collection_until_the_first_screen(
    monkeypatch: pytest.MonkeyPatch, config: Config
) -> None:
    import gc

    from smtui.tui import app as app_module
    from smtui.tui.launch import run_app

    seen: list[tuple[bool, bool]] = []

    def run(self: SmtuiApp) -> None:
        seen.append((gc.isenabled(), self._settle_memory))

    monkeypatch.setattr(SmtuiApp, "run", run)
    run_app(":memory:", config)
    assert seen == [(False, True)]
    assert gc.isenabled()
    gc.disable()
    try:
        app_module.settle_memory()  # what the app does once its first screen is up
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()


def test_the_footer_shows_the_keys_and_a_click_presses_one(
    db_path: str, config: Config, frozen: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smtui.tui.widgets import KeysFooter

    harness = Harness(db_path, config)
    rings: list[str] = []
    monkeypatch.setattr(SmtuiApp, "bell", lambda self: rings.append("bell"))

    async def scenario() -> None:
        app = harness.app
        async with app.run_test(size=(80, 24)) as pilot:
            await harness.settle(pilot)
            footer = app.query_one(KeysFooter)
            text = footer.render().plain
            assert text.startswith("s Start p Pause x Stop o Outcome g Goals P Plugins ? Help")
            assert text.endswith("▏^p palette") and len(text) == 80
            keys = {key.description: key for key in footer.keys}
            assert text[keys["Goals"].start : keys["Goals"].end] == "g Goals"
            # No session running: Pause cannot apply, so it is dimmed and only rings.
            assert not keys["Pause"].enabled and keys["Start"].enabled
            await pilot.click(KeysFooter, offset=(keys["Pause"].start, 0))
            assert rings == ["bell"] and len(app.screen_stack) == 1
            await pilot.hover(KeysFooter, offset=(keys["Goals"].start + 2, 0))
            assert footer.tooltip == "Goals with pace: add, edit, remove"
            await pilot.click(KeysFooter, offset=(keys["Start"].start + 1, 0))
            await harness.settle(pilot, lambda: isinstance(app.screen, StartSessionDialog))

    run(scenario())
