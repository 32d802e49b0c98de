"""The metrics panel in the dashboard: a tab per platform, where it sits at 160x48 and 80x24."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

import pytest
from textual.widgets import Sparkline, TabbedContent, Tabs

from smtui.config import Config
from smtui.store.db import Transaction
from smtui.tui import data
from smtui.tui.app import SmtuiApp
from smtui.tui.metrics_panel import MetricsPanel, pane_id
from smtui.tui.metrics_tabs import PlatformPane
from smtui.tui.widgets import Panel

from .conftest import T0

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from textual.pilot import Pilot

DAY = 86_400
TALL = (160, 48)
SHORT = (80, 24)
ALL_PANELS = (data.SESSION, data.TODAY, data.GOALS, data.SCORE, data.RECENT, data.METRICS)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config(str(tmp_path / "config.toml"), timezone="UTC", target_platforms=("x",))


def add_post(conn: Any, platform: str, days_ago: float, impressions: int, engagements: int) -> None:
    with Transaction(conn):
        conn.execute(
            "INSERT INTO posts (platform, external_id, published_at, impressions, engagements,"
            " text) VALUES (?, ?, ?, ?, ?, ?)",
            (
                platform,
                f"{platform}-{days_ago}-{engagements}",
                int(T0 - days_ago * DAY),
                impressions,
                engagements,
                f"A {platform} post with {engagements} engagements",
            ),
        )


def add_history(conn: Any) -> None:
    """x: 2 posts (4000 impressions, 100 engagements); linkedin: 1 post and followers."""
    add_post(conn, "x", 1, 3000, 60)
    add_post(conn, "x", 3, 1000, 40)
    add_post(conn, "linkedin", 2, 2000, 90)
    with Transaction(conn):
        conn.executemany(
            "INSERT INTO account_snapshots (platform, account, taken_at, followers)"
            " VALUES ('linkedin', 'me', ?, ?)",
            [(T0 - 40 * DAY, 500), (T0 - DAY, 540)],
        )


class Harness:
    def __init__(self, db_path: str, config: Config) -> None:
        self.app = SmtuiApp(db_path, config, cursor_blink=False, poll_interval=0.05)

    @property
    def metrics(self) -> MetricsPanel:
        return self.app.query_one(f"#{data.METRICS}", MetricsPanel)

    def loaded(self) -> bool:
        return all(panel in self.app._shown for panel in ALL_PANELS)

    async def settle(
        self, pilot: Pilot[None], until: Callable[[], bool] | None = None, timeout: float = 5.0
    ) -> None:
        condition = until or self.loaded
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            await pilot.pause(0.02)
            busy = [w for w in self.app.workers if w.group != "poll" and not w.is_finished]
            if not busy and condition():
                await pilot.pause()
                return
        raise AssertionError("the dashboard did not reach the expected state in time")


def run(scenario: Any) -> None:
    asyncio.run(scenario)


def shown(app: SmtuiApp, panel_id: str) -> bool:
    """Displayed and given room on screen."""
    widget = app.query_one(f"#{panel_id}", Panel)
    return widget.display and widget.region.height > 0


def test_tall_screen_gives_metrics_a_row_with_a_tab_per_platform(
    db: Any, db_path: str, config: Config
) -> None:
    add_history(db)
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(size=TALL) as pilot:
            await harness.settle(pilot)
            app = harness.app
            assert app.query_one("#dashboard").has_class("-tall")
            assert all(shown(app, panel) for panel in ALL_PANELS)
            panel = harness.metrics
            assert panel.border_title == "Metrics · last 30 days"
            assert panel.has_class("-wide")  # figures beside the top posts
            tabs = panel.query_one(TabbedContent)
            # The configured target platform first, then the others.
            assert [pane.id for pane in panel.query(PlatformPane)] == [
                pane_id("x"),
                pane_id("linkedin"),
            ]
            assert tabs.active == pane_id("x")
            text = panel.text
            assert text.startswith("[x]\nEngagements per day · last 30 days")
            assert "Posts            2 · impressions 4,000 · engagements 100" in text
            assert "Engagement rate  2.50%  = engagements / impressions" in text
            assert "A x post with 60 engagements | 3,000 | 60 | 2.00%" in text
            sparkline = panel.query_one(f"#{pane_id('x')} Sparkline", Sparkline)
            assert list(sparkline.data or [])[-4:] == [40, 0, 60, 0]
            # The palette command takes the focus to the tabs; right goes to the next one.
            app.action_toggle_metrics()
            await pilot.pause()
            assert isinstance(app.focused, Tabs)
            await pilot.press("right")
            await harness.settle(pilot)
            assert tabs.active == pane_id("linkedin")
            assert "Followers        540  +40 in 30 days" in panel.text
            # At this size the command never hides anything.
            assert all(shown(app, panel) for panel in ALL_PANELS)

    run(scenario())


def test_short_screen_keeps_metrics_out_of_the_way_until_the_palette_asks(
    db: Any, db_path: str, config: Config
) -> None:
    add_history(db)
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(size=SHORT) as pilot:
            await harness.settle(pilot)
            app = harness.app
            titles = [command.title for command in app.get_system_commands(app.screen)]
            assert "Metrics" in titles
            assert not shown(app, data.METRICS)
            assert all(shown(app, panel) for panel in (data.GOALS, data.SCORE, data.RECENT))
            # Hidden, the panel keeps its report but builds no tab (nor imports their code).
            assert harness.metrics.report is not None and harness.metrics.tabs is None
            # Through the real command palette, by name.
            await pilot.press("ctrl+p")
            await pilot.pause(0.1)
            await pilot.press(*"Metrics")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await harness.settle(pilot, lambda: shown(app, data.METRICS))
            assert shown(app, data.METRICS)
            assert not any(shown(app, panel) for panel in (data.GOALS, data.SCORE, data.RECENT))
            assert shown(app, data.SESSION) and shown(app, data.TODAY)
            assert isinstance(app.focused, Tabs)
            # The panel has the room below the session and today: tabs, trend, figures and
            # the top posts all fit.
            assert harness.metrics.region.height == 24 - 1 - 8
            table = harness.metrics.query_one(f"#{pane_id('x')} DataTable")
            assert table.region.height >= 3
            # And back.
            app.action_toggle_metrics()
            await pilot.pause()
            assert not shown(app, data.METRICS)
            assert all(shown(app, panel) for panel in (data.GOALS, data.SCORE, data.RECENT))

    run(scenario())


def test_the_m_key_shows_and_hides_the_metrics_at_80x24(
    db: Any, db_path: str, config: Config
) -> None:
    add_history(db)
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(size=SHORT) as pilot:
            await harness.settle(pilot)
            app = harness.app
            assert not shown(app, data.METRICS)
            await pilot.press("m")
            await harness.settle(pilot, lambda: shown(app, data.METRICS))
            assert not shown(app, data.GOALS)
            await pilot.press("escape")  # focus leaves the tabs
            await pilot.press("m")
            await pilot.pause()
            assert not shown(app, data.METRICS) and shown(app, data.GOALS)

    run(scenario())


def test_an_empty_database_invites_an_import(db: Any, db_path: str, config: Config) -> None:
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(size=TALL) as pilot:
            await harness.settle(pilot)
            panel = harness.metrics
            assert panel.has_class("-empty")
            assert "No posts or follower counts in the last 30 days." in panel.text
            assert "smtui import PATH" in panel.text
            assert not panel.query(PlatformPane)

    run(scenario())


def test_new_data_from_another_connection_updates_the_tabs_and_keeps_the_chosen_one(
    db: Any, db_path: str, config: Config
) -> None:
    add_history(db)
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(size=TALL) as pilot:
            await harness.settle(pilot)
            panel = harness.metrics
            panel.select("linkedin")
            await pilot.pause()
            pane = panel.query_one(f"#{pane_id('linkedin')}", PlatformPane)
            # New numbers on the same platforms: the panes are updated in place.
            add_post(db, "linkedin", 0.5, 1000, 10)
            await harness.settle(pilot, lambda: "Posts            2 ·" in panel.text)
            assert panel.query_one(f"#{pane_id('linkedin')}", PlatformPane) is pane
            assert "Posts            2 · impressions 3,000 · engagements 100" in panel.text
            # A new platform: the tabs are rebuilt, the chosen one stays chosen.
            add_post(db, "bluesky", 1, 100, 50)
            await harness.settle(pilot, lambda: bool(panel.query(f"#{pane_id('bluesky')}")))
            assert [p.id for p in panel.query(PlatformPane)] == [
                pane_id("x"),
                pane_id("linkedin"),
                pane_id("bluesky"),
            ]
            assert panel.query_one(TabbedContent).active == pane_id("linkedin")
            assert panel.text.startswith("[linkedin]")

    run(scenario())


def test_a_failing_metrics_loader_shows_its_error_and_the_rest_renders(
    db: Any, db_path: str, config: Config
) -> None:
    add_history(db)
    harness = Harness(db_path, config)

    def broken(conn: Any, ctx: Any, now: int) -> object:
        raise RuntimeError("metrics exploded")

    harness.app.loaders[data.METRICS] = broken

    async def scenario() -> None:
        async with harness.app.run_test(size=TALL) as pilot:
            await harness.settle(pilot)
            panel = harness.metrics
            assert panel.error_text is not None
            assert "RuntimeError: metrics exploded" in panel.error_text
            assert panel.has_class("-failed")
            assert not panel.query(TabbedContent)  # no report: the tabs were never built
            for other in (data.SESSION, data.TODAY, data.GOALS, data.RECENT):
                assert harness.app.query_one(f"#{other}", Panel).error_text is None

    run(scenario())
