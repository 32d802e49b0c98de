"""Running a terminal program in a detached tmux pane and reading what its process costs.

Every pane lives on a private tmux server whose socket is in a folder of the benchmark's own
(``-S``), so the benchmarks never touch the user's tmux sessions and leave nothing behind;
the server is killed when the benchmark ends.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
from collections.abc import Mapping, Sequence

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def require_tmux() -> str:
    tmux = shutil.which("tmux")
    if tmux is None:
        raise SystemExit("tmux is needed: install it (e.g. apt-get install tmux)")
    return tmux


class Tmux:
    """A private tmux server; :meth:`start` opens detached panes on it."""

    def __init__(self, folder: str) -> None:
        self.tmux = require_tmux()
        self.socket = os.path.join(folder, "tmux.sock")

    def run(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            [self.tmux, "-S", self.socket, *args],
            capture_output=True,
            text=True,
            check=False,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)} failed: {result.stderr.strip()}")
        return result.stdout

    def start(
        self,
        session: str,
        cmd: Sequence[str],
        env: Mapping[str, str],
        width: int = 80,
        height: int = 24,
    ) -> Pane:
        """Run ``cmd`` with ``env`` (added to the current environment) in a new detached pane."""
        assignments = [f"{key}={value}" for key, value in env.items()]
        # `exec env ...`: the pane's process is the program itself, not a shell around it.
        line = "exec " + shlex.join(["env", *assignments, *cmd])
        # Keep a pane whose program died, so its last words can be read.
        self.run(
            *("new-session", "-d", "-s", session, "-x", str(width), "-y", str(height), line),
            *(";", "set-option", "-t", session, "remain-on-exit", "on"),
        )
        pid = int(self.run("display-message", "-p", "-t", session, "#{pane_pid}").strip())
        return Pane(self, session, pid)

    def kill_server(self) -> None:
        self.run("kill-server", check=False)


class Pane:
    def __init__(self, tmux: Tmux, session: str, pid: int) -> None:
        self.tmux = tmux
        self.session = session
        self.pid = pid

    def capture(self) -> str:
        return self.tmux.run("capture-pane", "-p", "-t", self.session)

    def wait_for(self, text: str, timeout: float = 30.0, interval: float = 0.05) -> float:
        """Poll the screen until it shows ``text``; the time it took, in seconds."""
        started = time.monotonic()
        while True:
            if text in self.capture():
                return time.monotonic() - started
            if time.monotonic() - started > timeout:
                raise RuntimeError(
                    f"{text!r} not on screen after {timeout:.0f} s:\n{self.capture()}"
                )
            time.sleep(interval)

    def send(self, *keys: str) -> None:
        self.tmux.run("send-keys", "-t", self.session, *keys)

    def kill(self) -> None:
        self.tmux.run("kill-session", "-t", self.session, check=False)


# --- what a process costs ----------------------------------------------------------------------


def cpu_seconds(pid: int, tid: int | None = None) -> float:
    """User plus system CPU time so far of every thread of ``pid`` (or of thread ``tid``)."""
    path = f"/proc/{pid}/stat" if tid is None else f"/proc/{pid}/task/{tid}/stat"
    with open(path, encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    # After the command name: state is field 3, utime field 14 and stime field 15 (1-based).
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def memory_kib(pid: int) -> dict[str, int]:
    """``VmRSS`` (resident now) and ``VmHWM`` (peak resident) of ``pid``, in KiB."""
    found = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0])
    return found
