"""The real ``smtui`` in a real terminal: tmux runs the installed command, keys go in with
``send-keys``, the screen comes back with ``capture-pane``, and the database says what happened.

tmux is required: CI installs it (``.ci/run``), and without it this test fails rather than
skips, so a missing tool can never pass for a working dashboard.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from smtui.core.kinds import BUILTIN_KINDS

from .conftest import subprocess_env

KEY_PAUSE_S = 0.2  # a burst of keys can lose some (Tab especially): send them one by one
TIMEOUT_S = 30.0


def smtui_command() -> list[str]:
    """The installed ``smtui`` script next to this Python, else ``python -m smtui``."""
    script = Path(sys.executable).with_name("smtui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "smtui"]


class Terminal:
    """One program in a detached 80x24 tmux pane, on a tmux server of its own whose socket
    is in ``folder`` (the user's tmux sessions are never touched)."""

    def __init__(self, tmux: str, env: dict[str, str], folder: str) -> None:
        self.tmux = tmux
        self.env = env
        self.socket = os.path.join(folder, "tmux.sock")
        self.target = "e2e"

    def run(self, *args: str) -> str:
        result = subprocess.run(
            [self.tmux, "-S", self.socket, *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=TIMEOUT_S,
        )
        assert result.returncode == 0, f"tmux {args[0]} failed: {result.stderr}"
        return result.stdout

    def start(self, cmd: list[str]) -> None:
        # `exec`: the pane's process is smtui itself; remain-on-exit keeps its exit status.
        command = "exec " + shlex.join(cmd)
        self.run(
            *("new-session", "-d", "-s", self.target, "-x", "80", "-y", "24", command),
            *(";", "set-option", "-t", self.target, "remain-on-exit", "on"),
        )

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.target)

    def wait_for(self, text: str, *, gone: bool = False, timeout: float = TIMEOUT_S) -> str:
        """Poll the screen until ``text`` is on it (or, with ``gone``, no longer on it)."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if (text in screen) != gone:
                return screen
            if time.monotonic() > deadline:
                state = "still on" if gone else "not on"
                pytest.fail(f"{text!r} {state} the screen after {timeout:.0f} s:\n{screen}")
            time.sleep(0.1)

    def keys(self, *keys: str) -> None:
        """Press ``keys`` (tmux key names) one at a time."""
        for key in keys:
            self.run("send-keys", "-t", self.target, key)
            time.sleep(KEY_PAUSE_S)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", self.target, "-l", text)
        time.sleep(KEY_PAUSE_S)

    def exit_status(self, timeout: float = TIMEOUT_S) -> int:
        """Wait for the program to end; its exit status."""
        deadline = time.monotonic() + timeout
        while True:
            shown = self.run(
                *("display-message", "-p", "-t", self.target),
                "#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}",
            )
            dead, status, signal = shown.strip().split(":")
            if dead == "1":
                # tmux 3.3 leaves the status empty for a clean exit (0).
                assert not signal, f"smtui was killed by signal {signal}:\n{self.screen()}"
                return int(status or 0)
            if time.monotonic() > deadline:
                pytest.fail(f"smtui still running {timeout:.0f} s after q:\n{self.screen()}")
            time.sleep(0.1)

    def kill(self) -> None:
        subprocess.run(
            [self.tmux, "-S", self.socket, "kill-server"], capture_output=True, check=False
        )


def drive(terminal: Terminal, first_kind: str) -> None:
    """Start a session, log an outcome, stop it ticking ``first_kind``'s box, quit."""
    terminal.wait_for("to start a session")  # the idle session panel, data loaded
    terminal.wait_for("Loading…", gone=True)

    # Start: platform, intent and timebox through the start dialog.
    terminal.keys("s")
    terminal.wait_for("Start a session")
    terminal.type("linkedin")
    terminal.keys("Tab")
    terminal.type("prospecting")
    terminal.keys("Tab")
    terminal.type("25m")
    terminal.keys("Enter")
    terminal.wait_for("Start a session", gone=True)
    screen = terminal.wait_for("linkedin · prospecting")
    assert "Timebox 25m" in screen

    # Log an outcome: filter the kinds, Enter logs the highlighted one.
    terminal.keys("o")
    terminal.wait_for("Log an outcome")
    terminal.type("qualified")
    terminal.keys("Enter")
    terminal.wait_for("Log an outcome", gone=True)
    terminal.wait_for("Prospect qualified")

    # Stop with the checklist: tick the first box, then press the Stop button.
    terminal.keys("x")
    terminal.wait_for("what did it achieve?")
    terminal.wait_for(first_kind)
    terminal.keys("Home", "Space", "Tab", "Enter")
    terminal.wait_for("what did it achieve?", gone=True)
    terminal.wait_for("to start a session")

    terminal.keys("q")
    assert terminal.exit_status() == 0


@pytest.mark.slow
def test_start_log_stop_and_quit_in_a_real_terminal(smtui_home: Path) -> None:
    tmux = shutil.which("tmux")
    if tmux is None:
        pytest.fail("tmux is not installed: the end-to-end test needs it (apt-get install tmux)")
    # A short path for the socket (a Unix socket path must stay under about 100 bytes).
    folder = tempfile.mkdtemp(prefix="smtui-e2e-")
    terminal = Terminal(tmux, subprocess_env(smtui_home), folder)
    first_kind = next(iter(BUILTIN_KINDS.values()))  # the checklist's first box
    try:
        terminal.start(["env", f"SMTUI_HOME={smtui_home}", "TZ=UTC", *smtui_command()])
        drive(terminal, first_kind.question)
    finally:
        terminal.kill()
        shutil.rmtree(folder, ignore_errors=True)

    conn = sqlite3.connect(smtui_home / "smtui.db")
    try:
        rows = conn.execute("SELECT id, platform, intent, timebox_s, ended_at FROM sessions")
        sessions = rows.fetchall()
        outcomes = conn.execute("SELECT session_id, kind FROM outcomes ORDER BY kind").fetchall()
    finally:
        conn.close()
    assert len(sessions) == 1, sessions
    session_id, platform, intent, timebox_s, ended_at = sessions[0]
    assert (platform, intent, timebox_s) == ("linkedin", "prospecting", 25 * 60)
    assert ended_at is not None
    expected = sorted([first_kind.name, "prospect_qualified"])
    assert outcomes == [(session_id, kind) for kind in expected]
