"""The dashboard benchmarks still run (with tiny settings: figures are not checked, only that
they are printed), and the start-up trace they rely on says what it claims."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest

from smtui.config import Config
from smtui.store.db import connect
from smtui.tui import startup_trace
from smtui.tui.app import SmtuiApp
from smtui.tui.widgets import Panel

from .conftest import PYTHON, ROOT, subprocess_env

if TYPE_CHECKING:
    from pathlib import Path

BENCH = ROOT / "bench"


def run_bench(home: Path, script: str, *args: str) -> str:
    if shutil.which("tmux") is None:
        pytest.fail("tmux is not installed: the dashboard benchmarks need it")
    result = subprocess.run(
        [PYTHON, str(BENCH / script), *args],
        env=subprocess_env(home),
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.slow
def test_the_idle_benchmark_runs(smtui_home: Path) -> None:
    out = run_bench(
        smtui_home, "dashboard_idle.py", "--seconds", "1", "--settle", "0", "--days", "7"
    )
    assert "Idle cost over 1 s" in out
    for row in ("minimal Textual app, 1 Hz clock", "smtui dashboard", "dashboard / floor"):
        assert row in out
    assert "MiB" in out
    assert "its target" in out


@pytest.mark.slow
@pytest.mark.parametrize("detect", ["trace", "screen"])
def test_the_first_screen_benchmark_runs(smtui_home: Path, detect: str) -> None:
    out = run_bench(
        smtui_home,
        "dashboard_first_screen.py",
        *("--runs", "1", "--warmup", "0", "--days", "30", "--detect", detect),
    )
    assert f"30-day demo database with a session running; 1 runs each, detected by {detect}" in out
    assert "minimal Textual app: first screen" in out
    assert "smtui: first screen (every panel's data)" in out
    assert ("smtui: first paint (panels loading)" in out) == (detect == "trace")
    assert "smtui's first screen / the floor:" in out


def test_the_startup_trace_marks_first_paint_then_every_panel_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trace = tmp_path / "trace"
    monkeypatch.setenv(startup_trace.ENV, str(trace))
    db_path = str(tmp_path / "test.db")
    connect(db_path).close()
    app = SmtuiApp(db_path, Config(str(tmp_path / "config.toml")), cursor_blink=False)
    loading_when_written: dict[str, list[str]] = {}
    write = startup_trace.write

    def spy(path: str, event: str) -> None:
        """Which panels still said "Loading…" when the event was written."""
        panels = app.query(Panel)
        loading_when_written[event] = [str(p.id) for p in panels if "Loading…" in p.text]
        write(path, event)

    monkeypatch.setattr(startup_trace, "write", spy)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(250):
                await pilot.pause(0.02)
                if startup_trace.FIRST_SCREEN in loading_when_written:
                    break

    asyncio.run(scenario())
    events = [line.split() for line in trace.read_text().splitlines()]  # EVENT WALL CPU
    assert [fields[0] for fields in events] == ["first-paint", "first-screen"]
    assert float(events[0][1]) <= float(events[1][1])  # wall-clock times
    assert 0 < float(events[0][2]) <= float(events[1][2])  # CPU seconds used
    assert loading_when_written["first-paint"]  # painted before the data came
    assert loading_when_written["first-screen"] == []


def test_no_trace_without_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(startup_trace.ENV, raising=False)
    assert startup_trace.trace_file() is None
    monkeypatch.setenv(startup_trace.ENV, "")
    assert startup_trace.trace_file() is None
    startup_trace.write(str(tmp_path / "missing-folder" / "trace"), "first-paint")  # no error
