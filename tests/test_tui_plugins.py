"""Plugins in the dashboard: time limits on plugin calls, the Plugins screen, plugin panels."""

from __future__ import annotations

import subprocess
import time
from typing import TYPE_CHECKING, Any

import pytest
from textual.widgets import Static

from smtui.config import Config
from smtui.plugin_calls import TIMEOUT_ENV
from smtui.plugin_listing import health_rows, shown
from smtui.plugins import DEFAULT_PLUGINS, load_registry
from smtui.store.db import connect
from smtui.tui import data
from smtui.tui.plugins_screen import NO_PANELS, PluginPanel, PluginsScreen
from smtui.tui.widgets import KeysFooter

from .conftest import PYTHON, subprocess_env
from .plugin_cli_fakes import BROKEN, GOOD, Site, isolated_site
from .test_tui import PANELS, Harness, run

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from textual.pilot import Pilot

SLEEP_S = 30

SLEEPY_SCORER = f"""
    import time
    from smtui import api

    class Sleepy(api.ScoringStrategy):
        name = "sleepy"
        title = "Sleepy"

        def score(self, window):
            time.sleep({SLEEP_S})

    @api.hookimpl
    def register_scorers(register):
        register(Sleepy)
"""

PANELS_PLUGIN = f"""
    import time
    from smtui.api import hookimpl
    from smtui.extensions import Panel

    class Signups(Panel):
        name = "signups"
        title = "Newsletter"

        def load(self, conn, now):
            sessions = conn.execute("SELECT count(*) FROM sessions").fetchone()[0]
            return [("Signups this week", "12"), ("Sessions", str(sessions))]

    class Crash(Panel):
        name = "crash"
        title = "Crashing"

        def load(self, conn, now):
            raise RuntimeError("panel exploded")

    class Hang(Panel):
        name = "hang"
        title = "Hanging"

        def load(self, conn, now):
            time.sleep({SLEEP_S})

    class Sloppy(Panel):
        name = "sloppy"
        title = "Sloppy [beta]"

        def load(self, conn, now):
            return "12 signups"

    @hookimpl
    def register_panels(register):
        for panel in (Signups, Crash, Hang, Sloppy):
            register(panel)
"""


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    yield from isolated_site(tmp_path, monkeypatch)


@pytest.fixture
def db_path(tmp_path: Path) -> Iterator[str]:
    path = str(tmp_path / "test.db")
    conn = connect(path)
    conn.execute(
        "INSERT INTO sessions (platform, intent, started_at, ended_at, created_at, updated_at)"
        " VALUES ('x', '', 1, 2, 1, 1)"
    )
    conn.close()
    yield path


def make_config(tmp_path: Path, **options: Any) -> Config:
    return Config(str(tmp_path / "config.toml"), timezone="UTC", **options)


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 5) -> None:
    """Let messages run until ``condition`` holds, whatever workers are still busy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause(0.02)
        if condition():
            return
    raise AssertionError("the dashboard did not reach the expected state in time")


# --- the score panel -------------------------------------------------------------------------


def test_a_hanging_scorer_fails_its_panel_while_the_others_render(
    site: Site, db_path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TIMEOUT_ENV, "2")
    site.install("smtui-sleepy", {"sleepy": "smtui_sleepy"}, {"smtui_sleepy": SLEEPY_SCORER})
    harness = Harness(db_path, make_config(tmp_path, default_strategy="sleepy"))
    others = [panel for panel in PANELS if panel != data.SCORE]

    async def scenario() -> None:
        async with harness.app.run_test() as pilot:
            shown_panels = harness.app._shown
            await wait_for(pilot, lambda: all(panel in shown_panels for panel in others))
            assert data.SCORE not in shown_panels  # the rest did not wait for the scorer
            await harness.settle(pilot)
            error = harness.panel(data.SCORE).error_text
            assert error == (
                "Could not load this panel\n"
                "scoring strategy 'sleepy' did not answer within 2 s (it may be stuck;"
                " raise SMTUI_PLUGIN_TIMEOUT if it is only slow, or disable its plugin"
                " under [plugins] disabled)"
            )
            for panel in others:
                assert harness.panel(panel).error_text is None

    run(scenario())


def test_a_broken_plugin_is_a_warning_pointing_to_the_plugins_screen(
    site: Site, db_path: str, tmp_path: Path
) -> None:
    site.install("smtui-broken", {"broken": "smtui_broken"}, {"smtui_broken": BROKEN})
    harness = Harness(db_path, make_config(tmp_path))

    async def scenario() -> None:
        async with harness.app.run_test(message_hook=harness.hook) as pilot:
            await harness.settle(pilot)
            assert harness.panel(data.SCORE).error_text is None  # the built-in still scores
            assert harness.toasts == [
                ("warning", "1 plugin failed to load (broken). Press P to see why and what to do.")
            ]
            harness.app.reload()
            await harness.settle(pilot)
            assert len(harness.toasts) == 1  # said once, not at every reload

    run(scenario())


# --- the Plugins screen ----------------------------------------------------------------------


def test_the_plugins_screen_shows_the_health_table_of_the_command_line(
    site: Site, db_path: str, tmp_path: Path
) -> None:
    site.install("smtui-news", {"news": "smtui_news"}, {"smtui_news": GOOD}, "1.2")
    site.install("smtui-broken", {"broken": "smtui_broken"}, {"smtui_broken": BROKEN}, "0.3")
    config = make_config(tmp_path)
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(size=(100, 30)) as pilot:
            await harness.settle(pilot)
            await pilot.press("P")
            screen = harness.app.screen
            assert isinstance(screen, PluginsScreen)
            await wait_for(pilot, lambda: bool(screen.records))
            records = [health.as_dict() for health in load_registry(config).health]
            expected = health_rows(shown(records, show_all=False))
            assert screen.table_text.splitlines() == [" | ".join(row) for row in expected]
            assert [row[0] for row in expected] == ["broken", "news"]
            assert "1 plugin failed to load (broken)" in screen.summary_text
            assert (
                f"{len(DEFAULT_PLUGINS)} built-in plugins not shown (a shows them)"
                in screen.summary_text
            )
            detail = str(screen.query_one("#plugin-detail", Static).visual)
            assert "RuntimeError: broken at import" in detail  # the highlighted first row

            await pilot.press("a")
            everything = health_rows(shown(records, show_all=True))
            assert screen.table_text.splitlines() == [" | ".join(row) for row in everything]
            assert str(screen.query_one("#plugin-panels-empty", Static).visual) == NO_PANELS

            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(harness.app.screen, PluginsScreen)

    run(scenario())


def test_plugin_panels_show_their_lines_or_their_own_error(
    site: Site, db_path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TIMEOUT_ENV, "2")
    site.install("smtui-panels", {"panels": "smtui_panels"}, {"smtui_panels": PANELS_PLUGIN})
    harness = Harness(db_path, make_config(tmp_path))

    async def scenario() -> None:
        async with harness.app.run_test(size=(100, 40)) as pilot:
            await harness.settle(pilot)
            harness.app.action_show_plugins()
            await pilot.pause()
            screen = harness.app.screen
            assert isinstance(screen, PluginsScreen)
            await wait_for(pilot, lambda: len(screen.panels) == 4)
            signups, sloppy = screen.panels["signups"], screen.panels["sloppy"]
            await wait_for(pilot, lambda: "Signups" in signups.text and sloppy.has_class("-failed"))
            assert not screen.panels["hang"].has_class(
                "-failed"
            )  # still waiting: it holds no other
            assert signups.text.splitlines() == ["Signups this week  12", "Sessions           1"]
            assert signups.border_title == "Newsletter · panels"
            assert sloppy.border_title == "Sloppy \\[beta] · panels"  # shown as written
            await harness.settle(pilot)
            errors = {name: panel.error_text for name, panel in screen.panels.items()}
            assert errors == {
                "signups": None,
                "crash": "Could not load this panel\npanel 'crash' of plugin 'panels' failed:"
                " RuntimeError: panel exploded (try again; if it keeps failing, disable its"
                " plugin under [plugins] disabled)",
                "hang": "Could not load this panel\npanel 'hang' of plugin 'panels' did not"
                " answer within 2 s (it may be stuck; raise SMTUI_PLUGIN_TIMEOUT if it is"
                " only slow, or disable its plugin under [plugins] disabled)",
                "sloppy": "Could not load this panel\npanel 'sloppy' of plugin 'panels'"
                " returned str, not a list of (label, value) pairs (report this to the"
                " plugin's author)",
            }
            assert all(isinstance(panel, PluginPanel) for panel in screen.panels.values())
            for panel in PANELS:  # the dashboard underneath is unaffected
                assert harness.panel(panel).error_text is None

    run(scenario())


def test_the_plugins_key_is_in_the_footer_the_palette_and_the_keymap(
    site: Site, db_path: str, tmp_path: Path
) -> None:
    harness = Harness(db_path, make_config(tmp_path, keymap={"plugins": "f2"}))

    async def scenario() -> None:
        async with harness.app.run_test() as pilot:
            await harness.settle(pilot)
            app = harness.app
            titles = {command.title for command in app.get_system_commands(app.screen)}
            assert "Plugins" in titles
            footer = app.screen.query_one(KeysFooter)
            assert ("show_plugins", "f2") in {(key.action, key.display) for key in footer.keys}
            await pilot.press("P")
            await pilot.pause()
            assert not isinstance(app.screen, PluginsScreen)  # rebound
            await pilot.press("f2")
            await pilot.pause()
            assert isinstance(app.screen, PluginsScreen)
            await pilot.press("f2")  # dashboard keys rest while another screen is open
            await pilot.pause()
            assert len(app.screen_stack) == 2

    run(scenario())


def test_plugin_screen_data_loads_without_textual(smtui_home: Path) -> None:
    probe = (
        "import sys, smtui.tui.plugin_data, smtui.plugin_listing; print('textual' in sys.modules)"
    )
    result = subprocess.run(
        [PYTHON, "-c", probe],
        env=subprocess_env(smtui_home),
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "False"
