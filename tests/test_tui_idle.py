"""What keeps the open dashboard cheap (see docs/performance.md): the clock repaints only the
digits that changed, a reload repaints only the lines that changed (without a layout), and the
footer is redrawn only when the keys that apply change."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC
from typing import TYPE_CHECKING, Any

import pytest
from textual.app import App
from textual.content import Content
from textual.geometry import Region
from textual.widget import Widget

from smtui import clock
from smtui.config import Config
from smtui.core import sessions
from smtui.store.db import connect
from smtui.tui import data
from smtui.tui.app import SmtuiApp
from smtui.tui.data import RecentRow, RecentView
from smtui.tui.widgets import (
    KeysFooter,
    Panel,
    RecentPanel,
    SessionPanel,
    changed_columns,
    timer_rows,
)

from .conftest import T0

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from datetime import tzinfo
    from pathlib import Path

    from textual.app import ComposeResult
    from textual.pilot import Pilot

Refresh = tuple[str, tuple[Region, ...], bool]


def run(scenario: Any) -> None:
    asyncio.run(scenario)


@pytest.fixture
def refreshes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Refresh]]:
    """Every refresh a panel asks for: (panel id, regions (none: all of it), layout)."""
    seen: list[Refresh] = []
    original = Widget.refresh

    def spy(self: Widget, *regions: Region, **options: Any) -> Any:
        if isinstance(self, Panel):
            seen.append((str(self.id), regions, bool(options.get("layout"))))
        return original(self, *regions, **options)

    monkeypatch.setattr(Widget, "refresh", spy)
    yield seen


class OnePanel(Panel):
    def render_data(self, data: object, now: int) -> None:
        assert isinstance(data, Content)
        self.show_body(data)


class PanelApp(App[None]):
    CSS = ".panel { height: 8; padding: 0 1; border: round white; }"

    def compose(self) -> ComposeResult:
        yield OnePanel("One", id="one")


def test_the_timer_font_and_what_changed_between_two_values() -> None:
    assert timer_rows("1:0", bold=True) == ("╺┓    ┏━┓", " ┃  : ┃ ┃", "╺┻╸   ┗━┛")
    assert changed_columns("0:10:59", "0:11:00") == (3, 6)
    assert changed_columns("0:10:05", "0:10:06") == (6, 6)
    assert changed_columns("0:10:05", "0:10:05") is None


def test_a_panel_repaints_only_the_lines_that_changed(refreshes: list[Refresh]) -> None:
    async def scenario() -> None:
        async with PanelApp().run_test(size=(40, 10)) as pilot:
            panel = pilot.app.query_one(OnePanel)
            panel.show(Content("12m left\nLeads 1\nPosts 2"), 0)
            await pilot.pause()
            refreshes.clear()
            panel.show(Content("12m left\nLeads 1\nPosts 2"), 0)  # the same: nothing to do
            assert refreshes == []
            panel.show(Content("11m left\nLeads 1\nPosts 2"), 0)  # one line: that line
            assert refreshes == [("one", (Region(0, 0, 36, 1),), False)]
            refreshes.clear()
            panel.show(Content.styled("11m left\nLeads 1\nPosts 2", "bold"), 0)  # all lines
            assert [regions for _, regions, _ in refreshes] == [
                (Region(0, y, 36, 1),) for y in range(3)
            ]
            refreshes.clear()
            panel.show(Content("11m left\nLeads 1\nPosts 2\nPAUSED"), 0)  # a line more
            assert refreshes[-1] == ("one", (), False)
            await pilot.pause()
            assert panel.text == "11m left\nLeads 1\nPosts 2\nPAUSED"
            assert not any(layout for _, _, layout in refreshes)

    run(scenario())


def test_a_panel_scrolls_lines_that_do_not_fit() -> None:
    async def scenario() -> None:
        async with PanelApp().run_test(size=(40, 10)) as pilot:
            panel = pilot.app.query_one(OnePanel)
            panel.show(Content("\n".join(f"goal {n}" for n in range(10))), 0)
            await pilot.pause()
            assert panel.virtual_size.height == 10
            assert panel.show_vertical_scrollbar  # 10 lines in 6 rows
            panel.scroll_to(y=4, animate=False, immediate=True)
            await pilot.pause()
            first = panel.render_line(0).text.strip()
            assert first == "goal 4"

    run(scenario())


def test_an_error_takes_the_panels_place_and_wraps(refreshes: list[Refresh]) -> None:
    async def scenario() -> None:
        async with PanelApp().run_test(size=(40, 10)) as pilot:
            panel = pilot.app.query_one(OnePanel)
            panel.show(Content("fine"), 0)
            await pilot.pause()
            panel.show_error("the goals table is locked by another program; try again soon")
            await pilot.pause()
            assert panel.has_class("-failed")
            assert panel.error_text == (
                "Could not load this panel\n"
                "the goals table is locked by another program; try again soon"
            )
            assert panel.text == "fine"  # the body is kept for when it loads again
            panel.show(Content("fine again"), 0)
            await pilot.pause()
            assert panel.error_text is None and not panel.has_class("-failed")
            assert panel.render_line(0).text.strip() == "fine again"

    run(scenario())


# --- the latest activity ---------------------------------------------------------------------


def recent(*rows: tuple[int, str, int | None], intent: str = "prospecting") -> RecentView:
    """Rows of (id, status, active seconds)."""
    return RecentView(
        [
            RecentRow(
                row_id,
                at=T0 - row_id * 3600,
                status=status,
                platform="linkedin",
                intent=intent,
                active_s=active,
                kinds=(),
            )
            for row_id, status, active in rows
        ],
        T0 - 12 * 3600,
    )


class RecentApp(App[None]):
    CSS = ".panel { border: round white; padding: 0 1; }"

    def __init__(self, zone: tzinfo) -> None:
        super().__init__()
        self.zone = zone

    def compose(self) -> ComposeResult:
        yield RecentPanel(self.zone, id="recent")


def test_the_latest_activity_repaints_only_the_rows_that_changed(
    refreshes: list[Refresh],
) -> None:
    rows = [(n, data.PLAYTIME, 900) for n in range(2, 12)]

    async def scenario() -> None:
        async with RecentApp(UTC).run_test(size=(80, 8)) as pilot:
            panel = pilot.app.query_one(RecentPanel)
            panel.show(recent((1, data.RUNNING, 600), *rows), T0)
            await pilot.pause()
            assert panel.virtual_size.height == 12  # the header and eleven rows
            panel.scroll_to(y=1, animate=False, immediate=True)  # the reader moved down
            await pilot.pause()
            refreshes.clear()
            # A minute later: only the running row's time changed (it is scrolled away).
            panel.show(recent((1, data.RUNNING, 660), *rows), T0 + 60)
            assert [regions for _, regions, _ in refreshes] == [(Region(0, 0, 75, 1),)]
            assert panel.text.splitlines()[0] == "09:00 | linkedin | prospecting | 11m | running | "
            assert panel.scroll_offset.y == 1  # the reader's place is kept
            refreshes.clear()
            panel.show(recent((1, data.RUNNING, 660), *rows), T0 + 61)
            assert refreshes == []
            # A new row: all of it is drawn again.
            panel.show(recent((0, data.RUNNING, 0), (1, data.PRODUCTIVE, 700), *rows), T0 + 62)
            assert refreshes[-1] == ("recent", (), False)
            assert "productive" in panel.text

    run(scenario())


def test_the_latest_activity_never_shows_cells_cut_to_an_earlier_width() -> None:
    """Textual 8.2.8's DataTable measured new rows only when idle and kept lines drawn before
    that: a repaint in between left cells cut to the header's width. The panel measures its
    columns from the rows when it draws them."""
    long_intent = "prospecting for the spring campaign"

    async def scenario() -> None:
        async with RecentApp(UTC).run_test(size=(100, 8)) as pilot:
            app = pilot.app
            panel = app.query_one(RecentPanel)
            await pilot.pause()
            panel.show(recent((1, data.PRODUCTIVE, 600), intent=long_intent), T0)
            app.export_screenshot()  # a repaint before the panel had a moment to itself
            await pilot.pause()
            screen = app.export_screenshot()
            assert "prospecting&#160;for…" in screen  # cut at the column's limit only
            assert panel.render_line(1).text.split()[:4] == [
                "09:00",
                "linkedin",
                "prospecting",
                "for…",
            ]

    run(scenario())


# --- the whole app ---------------------------------------------------------------------------


async def settle(pilot: Pilot[None], until: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause(0.02)
        app = pilot.app
        busy = [w for w in app.workers if w.group != "poll" and not w.is_finished]
        if not busy and until():
            await pilot.pause()
            return
    raise AssertionError("the dashboard did not reach the expected state in time")


def running_app(tmp_path: Path) -> SmtuiApp:
    db_path = str(tmp_path / "test.db")
    conn = connect(db_path)
    sessions.start(conn, "linkedin", "prospecting", at=T0 - 600, timebox_s=25 * 60)
    conn.close()
    return SmtuiApp(
        db_path, Config(str(tmp_path / "config.toml"), timezone="UTC"), cursor_blink=False
    )


def test_the_footer_is_redrawn_only_when_the_running_state_changes(
    tmp_path: Path, frozen: int
) -> None:
    app = running_app(tmp_path)
    refreshes: list[int] = []
    original = app.refresh_bindings
    app.refresh_bindings = lambda: (refreshes.append(app._generation), original())[1]  # type: ignore[method-assign]

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, lambda: app.running_session is not None)
            assert len(refreshes) == 1  # unknown -> running
            footer = app.query_one(KeysFooter)
            assert [key.enabled for key in footer.keys][:3] == [False, True, True]
            for _ in range(3):  # a minute of the session, three times: same keys
                clock.freeze(clock.now() + 60)
                app.reload()
                await settle(pilot, lambda: app._shown.get(data.SESSION) == app._generation)
            assert len(refreshes) == 1
            conn = connect(app.db_path)
            sessions.stop(conn)
            conn.close()
            app.reload()
            await settle(pilot, lambda: app.running_session is None)
            assert len(refreshes) == 2  # running -> idle: start is on, stop and pause dimmed
            await pilot.pause()
            assert [key.enabled for key in footer.keys][:3] == [True, False, False]

    run(scenario())


def test_the_clock_repaints_the_digits_that_changed_not_the_lines_under_them(
    tmp_path: Path, frozen: int, refreshes: list[Refresh]
) -> None:
    app = running_app(tmp_path)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, lambda: app.running_session is not None)
            panel = app.query_one(SessionPanel)
            assert panel.timer_text == "0:10:00"
            panel.tick(T0 + 1)  # 14m 59s left: "14m left"
            await pilot.pause()
            refreshes.clear()
            for second in range(2, 5):  # three ticks inside the same minute
                panel.tick(T0 + second)
            assert panel.timer_text == "0:10:04"
            # The last digit: three cells wide, the timer's three rows.
            assert refreshes == [("session", (Region(18, 0, 3, 3),), False)] * 3
            refreshes.clear()
            panel.tick(T0 + 61)  # 0:11:01, and a minute less in the timebox
            assert refreshes == [
                ("session", (Region(9, 0, 12, 3),), False),
                ("session", (Region(0, 4, 35, 1),), False),
            ]
            assert panel.text.splitlines()[1] == "Timebox 25m · 13m left"
            await pilot.pause()
            assert panel.render_line(0).text.startswith("┏━┓   ╺┓ ╺┓    ┏━┓╺┓ ")

    run(scenario())


# --- the terminal driver (a real terminal: tmux) ---------------------------------------------


def voluntary_switches(pid: int) -> int:
    """Times the threads of ``pid`` went to sleep so far (each wake-up ends in one)."""
    import os

    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{tid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("voluntary_ctxt_switches:"):
                    total += int(line.split()[1])
    return total


@pytest.mark.slow
def test_in_a_terminal_escape_works_quit_is_prompt_and_idle_threads_sleep(
    smtui_home: Path,
) -> None:
    """The dashboard's driver (driver.py): the input thread waits without waking ten times a
    second, yet a lone Escape still times out into a key, and quitting wakes it at once."""
    import shutil
    import tempfile

    from .conftest import subprocess_env
    from .test_e2e_tmux import Terminal, smtui_command

    tmux = shutil.which("tmux")
    assert tmux is not None, "tmux is needed (apt-get install tmux)"
    folder = tempfile.mkdtemp(prefix="smtui-driver-")
    terminal = Terminal(tmux, subprocess_env(smtui_home), folder)
    try:
        terminal.start(["env", f"SMTUI_HOME={smtui_home}", "TZ=UTC", *smtui_command()])
        terminal.wait_for("to start a session")
        terminal.wait_for("Loading…", gone=True)
        pid = int(terminal.run("display-message", "-p", "-t", terminal.target, "#{pane_pid}"))
        time.sleep(1.0)  # past the start: only the idle wake-ups remain
        before = voluntary_switches(pid)
        time.sleep(3.0)
        woke = voluntary_switches(pid) - before
        # The database watch wakes once a second; Textual's own input thread alone would add
        # some thirty (ten a second). The clock does not tick: no session runs.
        assert woke < 15, woke
        terminal.keys("g")
        terminal.wait_for("Goal")
        terminal.keys("Escape")  # a lone Escape: told apart from a sequence by a timeout
        terminal.wait_for("to start a session")
        started = time.monotonic()
        terminal.keys("q")
        assert terminal.exit_status() == 0
        assert time.monotonic() - started < 1.0
    finally:
        terminal.kill()
        shutil.rmtree(folder, ignore_errors=True)
