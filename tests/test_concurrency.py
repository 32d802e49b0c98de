"""Two processes writing to one database at once: every row lands, no lock errors."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from .conftest import PYTHON, subprocess_env

WRITER = """
import sys
from smtui.store.db import connect
from smtui.core import outcomes
conn = connect(sys.argv[1])
sys.stdin.readline()  # start together
for i in range(500):
    outcomes.log(conn, "lead", session=None, note=f"{sys.argv[2]}-{i}")
print("done")
"""


def test_two_processes_log_500_outcomes_each(smtui_home: Path) -> None:
    path = str(smtui_home / "smtui.db")
    from smtui.store.db import connect

    connect(path).close()
    env = subprocess_env(smtui_home)
    procs = [
        subprocess.Popen(
            [PYTHON, "-c", WRITER, path, name],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = [proc.communicate(timeout=120) for proc in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert out.strip() == "done"
        assert "locked" not in err
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM outcomes").fetchone()[0] == 1000
    notes = {row[0] for row in conn.execute("SELECT note FROM outcomes")}
    assert notes == {f"{name}-{i}" for name in ("a", "b") for i in range(500)}


def test_racing_starts_leave_exactly_one_running(smtui_home: Path) -> None:
    env = subprocess_env(smtui_home)
    subprocess.run([PYTHON, "-m", "smtui", "status"], env=env, check=True, capture_output=True)
    procs = [
        subprocess.Popen(
            [PYTHON, "-m", "smtui", "start", platform],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for platform in ("x", "linkedin", "bluesky", "mastodon")
    ]
    codes = [proc.wait(timeout=60) for proc in procs]
    assert sorted(codes) == [0, 1, 1, 1]
    conn = sqlite3.connect(smtui_home / "smtui.db")
    assert conn.execute("SELECT count(*) FROM sessions WHERE ended_at IS NULL").fetchone()[0] == 1
