"""How much the everyday commands cost next to a bare Python process reading the database.

Targets: ``start`` and ``stop`` within 1.2x the floor (a bare ``python`` that opens the
database and reads the running session) and flat at 100,000 sessions; ``status --format
short`` within 1.5x. Every figure is measured in the same run, on the same machine.

    python bench/cli_latency.py [--quick] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from _common import compile_bytecode, print_table, smtui_command, summarise, time_runs

FLOOR = (
    "import sqlite3, sys\n"
    "c = sqlite3.connect(sys.argv[1])\n"
    "c.execute('SELECT * FROM sessions WHERE ended_at IS NULL').fetchone()\n"
)


def fill(db: str, count: int) -> None:
    """``count`` finished, non-overlapping hourly sessions ending before now, written directly."""
    conn = sqlite3.connect(db)
    start = int(time.time()) - (count + 1) * 3600
    conn.executemany(
        "INSERT INTO sessions (platform, intent, started_at, ended_at, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            (
                ("linkedin", "x", "bluesky")[i % 3],
                "prospecting",
                start + i * 3600,
                start + i * 3600 + 1500,
                start,
                start,
            )
            for i in range(count)
        ),
    )
    conn.commit()
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs (about 20 s)")
    parser.add_argument("--runs", type=int, default=0)
    opts = parser.parse_args()
    runs = opts.runs or (8 if opts.quick else 40)
    compile_bytecode()
    smtui = smtui_command()
    rows = []
    for count in (0, 100_000):
        home = tempfile.mkdtemp(prefix="smtui-bench-")
        db = os.path.join(home, "smtui.db")
        env = {**os.environ, "SMTUI_HOME": home}
        subprocess.run([*smtui, "status"], env=env, check=True, stdout=subprocess.DEVNULL)
        if count:
            fill(db, count)
        floor_cmd = [sys.executable, "-c", FLOOR, db]
        floor = time_runs(lambda _, cmd=floor_cmd: cmd, runs, env)
        floor_median = summarise(floor)[0]
        # Each start needs a stop: time them interleaved, as a user runs them.
        stops: list[float] = []
        starts: list[float] = []
        for _ in range(runs):
            starts += time_runs(lambda _: [*smtui, "start", "linkedin", "prospecting"], 1, env)
            stops += time_runs(lambda _: [*smtui, "stop"], 1, env)
        subprocess.run(
            [*smtui, "start", "linkedin", "prospecting"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        short = time_runs(lambda _: [*smtui, "status", "--format", "short"], runs, env)
        subprocess.run([*smtui, "stop"], env=env, check=True, stdout=subprocess.DEVNULL)
        label = f"{count:,} sessions"
        cycle = [a + b for a, b in zip(starts, stops, strict=True)]
        rows += [
            (f"floor: python+sqlite3 read ({label})", floor, floor_median, "-"),
            (f"smtui start ({label})", starts, floor_median, "<= 1.20x"),
            (f"smtui stop ({label})", stops, floor_median, "<= 1.20x"),
            (f"start+stop cycle vs 2x floor ({label})", cycle, 2 * floor_median, "<= 1.20x"),
            (f"smtui status --format short ({label})", short, floor_median, "<= 1.50x"),
        ]
    print_table(f"CLI latency ({runs} runs each, wall time per process)", rows)


if __name__ == "__main__":
    main()
