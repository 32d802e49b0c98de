"""What the dashboard costs while it sits open with a session running, next to a bare Textual app.

Targets, with a session running and nothing pressed: at most 0.4% of one core over 60 s and
at most 50 MiB resident. The floor is ``bench/minimal_textual_app.py`` (Textual's clock
example: a ``Digits`` updated once a second), measured over the same seconds.

Both run detached in tmux at 80x24 on a private tmux server. After their first screen and a
short settling time, CPU time (``utime + stime`` of every thread, ``/proc/PID/stat``, and of
the main thread alone) is read at the start and at the end of the window; memory is ``VmRSS``
(and the peak, ``VmHWM``) from ``/proc/PID/status`` at the end.

    python bench/dashboard_idle.py [--seconds 60] [--quick] [--days 90] [--no-session]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from _common import compile_bytecode, smtui_command
from _tmux import Pane, Tmux, cpu_seconds, memory_kib

HERE = os.path.dirname(os.path.abspath(__file__))
MINIMAL_APP = os.path.join(HERE, "minimal_textual_app.py")
CPU_TARGET = 0.4  # % of one core
RSS_TARGET_MIB = 50.0


def demo_database(home: str, days: int, running: bool) -> str:
    """A demo database of ``days`` days in ``home``, with a session running if ``running``."""
    db = os.path.join(home, "demo.db")
    env = {**os.environ, "SMTUI_HOME": home}
    smtui = smtui_command()
    subprocess.run(
        [*smtui, "--db", db, "demo", "--no-open", "--days", str(days)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    if running:
        # A long timebox: the timebox must not end (bell, toast) inside the window.
        subprocess.run(
            [*smtui, "--db", db, "start", "linkedin", "prospecting", "-t", "8h"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return db


def wait_for_trace(path: str, event: str, pane: Pane, timeout: float = 60.0) -> float:
    """Wait until the app wrote ``event`` to its startup trace; the wall time it wrote."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            with open(path, encoding="utf-8") as trace:
                for line in trace:  # EVENT WALL_TIME CPU_SECONDS
                    fields = line.split()
                    if len(fields) == 3 and fields[0] == event:
                        return float(fields[1])
        time.sleep(0.02)
    raise SystemExit(f"no {event!r} in {path} after {timeout:.0f} s; the screen:\n{pane.capture()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="measuring window (60)")
    parser.add_argument("--quick", action="store_true", help="a 10 s window")
    parser.add_argument("--settle", type=float, default=3.0, help="wait after the first screen")
    parser.add_argument("--days", type=int, default=90, help="days of demo data (90)")
    parser.add_argument("--no-session", action="store_true", help="measure with no session")
    opts = parser.parse_args()
    if opts.quick:
        opts.seconds = 10.0

    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="smtui-bench-idle-") as home:
        measure(opts, home)


def measure(opts: argparse.Namespace, home: str) -> None:
    db = demo_database(home, opts.days, running=not opts.no_session)
    tmux = Tmux(home)
    try:
        panes: dict[str, Pane] = {}
        for name, cmd in (
            ("minimal", [sys.executable, MINIMAL_APP]),
            ("smtui", [*smtui_command(), "--db", db]),
        ):
            trace = os.path.join(home, f"{name}.trace")
            env = {"SMTUI_HOME": home, "SMTUI_TRACE_STARTUP": trace}
            panes[name] = pane = tmux.start(name, cmd, env)
            wait_for_trace(trace, "first-screen", pane)
        if not opts.no_session:
            panes["smtui"].wait_for("prospecting")
        time.sleep(opts.settle)

        # The same window for both: they run side by side, each almost always asleep.
        # The main thread (the thread id is the pid) draws; the others read input and the
        # database.
        before = {name: cpu_seconds(pane.pid) for name, pane in panes.items()}
        main_before = {name: cpu_seconds(pane.pid, pane.pid) for name, pane in panes.items()}
        started = time.monotonic()
        time.sleep(opts.seconds)
        after = {name: cpu_seconds(pane.pid) for name, pane in panes.items()}
        main_after = {name: cpu_seconds(pane.pid, pane.pid) for name, pane in panes.items()}
        elapsed = time.monotonic() - started
        memory = {name: memory_kib(pane.pid) for name, pane in panes.items()}
        screen = panes["smtui"].capture()
    finally:
        tmux.kill_server()

    if not opts.no_session and "prospecting" not in screen:
        raise SystemExit(f"the dashboard no longer shows the running session:\n{screen}")
    cpu = {name: (after[name] - before[name]) / elapsed * 100 for name in panes}
    main_cpu = {name: (main_after[name] - main_before[name]) / elapsed * 100 for name in panes}
    rss = {name: memory[name]["VmRSS"] / 1024 for name in panes}
    peak = {name: memory[name]["VmHWM"] / 1024 for name in panes}
    state = "no session" if opts.no_session else "a session running"
    print(
        f"\nIdle cost over {elapsed:.0f} s, 80x24 in tmux, {state} "
        f"({opts.days}-day demo database), {os.cpu_count()} cores"
    )
    print(f"{'measurement':34} {'CPU, % of a core':>17} {'RSS':>10} {'peak RSS':>10}  target")
    rows = (
        ("minimal Textual app, 1 Hz clock", "minimal", ""),
        ("smtui dashboard", "smtui", f"<= {CPU_TARGET}%, <= {RSS_TARGET_MIB:.0f} MiB"),
    )
    for label, name, target in rows:
        print(f"{label:34} {cpu[name]:16.2f}% {rss[name]:6.1f} MiB {peak[name]:6.1f} MiB  {target}")
        others = cpu[name] - main_cpu[name]
        print(f"{'  main thread / other threads':34} {main_cpu[name]:9.2f}% / {others:.2f}%")
    cpu_ratio = f"{cpu['smtui'] / cpu['minimal']:.2f}x" if cpu["minimal"] else "-"
    print(f"{'dashboard / floor':34} {cpu_ratio:>17} {rss['smtui'] / rss['minimal']:9.2f}x")
    verdict = [
        f"CPU {'meets' if cpu['smtui'] <= CPU_TARGET else 'misses'} its target",
        f"RSS {'meets' if rss['smtui'] <= RSS_TARGET_MIB else 'misses'} its target",
    ]
    print(f"{'':34} {'; '.join(verdict)}")
    print(f"(CPU time is counted in ticks of {1000 / os.sysconf('SC_CLK_TCK'):.0f} ms)")


if __name__ == "__main__":
    main()
