"""What keeps the open dashboard cheap (see docs/performance.md): the clock repaints only the
timer, a reload leaves what did not change alone, and the footer is rebuilt only when the keys
that apply change."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

import pytest
from rich.text import Text
from textual.app import App
from textual.content import Content
from textual.widgets import DataTable, Static

from smtui import clock
from smtui.config import Config
from smtui.core import sessions
from smtui.store.db import connect
from smtui.tui import data
from smtui.tui.app import SmtuiApp
from smtui.tui.data import RecentRow, RecentView
from smtui.tui.widgets import PanelBody, RecentPanel, SessionPanel, text_shape

from .conftest import T0

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from datetime import tzinfo
    from pathlib import Path

    from textual.app import ComposeResult
    from textual.pilot import Pilot


def run(scenario: Any) -> None:
    asyncio.run(scenario)


@pytest.fixture
def updates(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, bool]]]:
    """Every ``Static.update`` of a panel body: (plain text, whether it asked for a layout)."""
    seen: list[tuple[str, bool]] = []
    original = Static.update

    def spy(self: Static, content: Any = "", *, layout: bool = True) -> None:
        if isinstance(self, PanelBody):
            seen.append((str(content), layout))
        original(self, content, layout=layout)

    monkeypatch.setattr(Static, "update", spy)
    yield seen


class BodyApp(App[None]):
    def compose(self) -> ComposeResult:
        yield PanelBody()


def test_text_shape_is_the_width_of_each_line() -> None:
    assert text_shape(Content("ab\n\ncdé")) == (2, 0, 3)
    assert text_shape(Content.assemble(("Timebox", "bold"), " 25m")) == (11,)


def test_a_panel_body_updates_only_what_changed(updates: list[tuple[str, bool]]) -> None:
    async def scenario() -> None:
        async with BodyApp().run_test() as pilot:
            body = pilot.app.query_one(PanelBody)
            body.show(Content("12m left"))
            body.show(Content("12m left"))  # the same: nothing to do
            body.show(Content.styled("12m left", "bold"))  # same text, new style: repaint
            body.show(Content("11m left"))  # same shape: repaint, no layout
            body.show(Content("9m left"))  # narrower: layout
            body.show(Content("9m left\nPAUSED"))  # a line more: layout
            await pilot.pause()
            assert str(body.visual) == "9m left\nPAUSED"

    run(scenario())
    assert updates == [
        ("12m left", True),
        ("12m left", False),
        ("11m left", False),
        ("9m left", True),
        ("9m left\nPAUSED", True),
    ]


def recent(*rows: tuple[int, str, int | None]) -> RecentView:
    """Rows of (id, status, active seconds)."""
    return RecentView(
        [
            RecentRow(
                row_id,
                at=T0 - row_id * 3600,
                status=status,
                platform="linkedin",
                intent="prospecting",
                active_s=active,
                kinds=(),
            )
            for row_id, status, active in rows
        ],
        T0 - 12 * 3600,
    )


class RecentApp(App[None]):
    def __init__(self, zone: tzinfo) -> None:
        super().__init__()
        self.zone = zone

    def compose(self) -> ComposeResult:
        yield RecentPanel(self.zone, id="recent")


def test_the_latest_activity_changes_cells_in_place_when_the_rows_stay(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from datetime import UTC

    calls: list[str] = []
    for name in ("clear", "add_row", "update_cell"):
        original = getattr(DataTable, name)

        def spy(
            self: Any, *args: Any, _name: str = name, _original: Any = original, **kw: Any
        ) -> Any:
            calls.append(_name)
            return _original(self, *args, **kw)

        monkeypatch.setattr(DataTable, name, spy)

    async def scenario() -> None:
        async with RecentApp(UTC).run_test(size=(80, 12)) as pilot:
            panel = pilot.app.query_one(RecentPanel)
            table: DataTable[Text] = panel.query_one(DataTable)
            panel.show(recent((1, data.RUNNING, 600), (2, data.PLAYTIME, 900)), T0)
            assert calls == ["clear", "add_row", "add_row"]
            calls.clear()
            table.move_cursor(row=1)
            # A minute later: only the running row's time changed.
            panel.show(recent((1, data.RUNNING, 660), (2, data.PLAYTIME, 900)), T0 + 60)
            assert calls == ["update_cell"]
            assert str(table.get_row_at(0)[3]) == "11m"
            assert table.cursor_row == 1  # the reader's place is kept
            calls.clear()
            panel.show(recent((1, data.RUNNING, 660), (2, data.PLAYTIME, 900)), T0 + 61)
            assert calls == []
            # A new row: the table is built again.
            panel.show(recent((3, data.RUNNING, 0), (1, data.PRODUCTIVE, 700)), T0 + 62)
            assert calls == ["clear", "add_row", "add_row"]
            assert "productive" in panel.text
            await pilot.pause()

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


def test_the_footer_is_rebuilt_only_when_the_running_state_changes(
    tmp_path: Path, frozen: int, updates: list[tuple[str, bool]]
) -> None:
    db_path = str(tmp_path / "test.db")
    conn = connect(db_path)
    sessions.start(conn, "linkedin", "prospecting", at=T0 - 600, timebox_s=25 * 60)
    app = SmtuiApp(
        db_path, Config(str(tmp_path / "config.toml"), timezone="UTC"), cursor_blink=False
    )
    refreshes: list[int] = []
    original = app.refresh_bindings
    app.refresh_bindings = lambda: (refreshes.append(app._generation), original())[1]  # type: ignore[method-assign]

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, lambda: app.running_session is not None)
            assert len(refreshes) == 1  # unknown -> running
            for _ in range(3):  # a minute of the session, three times: same keys
                clock.freeze(clock.now() + 60)
                app.reload()
                await settle(pilot, lambda: app._shown.get(data.SESSION) == app._generation)
            assert len(refreshes) == 1
            sessions.stop(conn)
            app.reload()
            await settle(pilot, lambda: app.running_session is None)
            assert len(refreshes) == 2  # running -> idle: start is on, stop and pause dimmed

    try:
        run(scenario())
    finally:
        conn.close()


def test_the_clock_repaints_the_timer_not_the_lines_under_it(
    tmp_path: Path, frozen: int, updates: list[tuple[str, bool]]
) -> None:
    db_path = str(tmp_path / "test.db")
    conn = connect(db_path)
    sessions.start(conn, "linkedin", "prospecting", at=T0 - 600, timebox_s=25 * 60)
    conn.close()
    app = SmtuiApp(
        db_path, Config(str(tmp_path / "config.toml"), timezone="UTC"), cursor_blink=False
    )

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, lambda: app.running_session is not None)
            panel = app.query_one(SessionPanel)
            panel.tick(T0 + 1)  # 14m 59s left: "14m left"
            updates.clear()
            for second in range(2, 5):  # three ticks inside the same minute
                panel.tick(T0 + second)
            assert panel.timer_text == "0:10:04"
            assert updates == []
            panel.tick(T0 + 61)  # a minute less in the timebox
            assert [(text.splitlines()[1], layout) for text, layout in updates] == [
                ("Timebox 25m · 13m left", False)
            ]

    run(scenario())
