"""A running session survives its process being killed: it is in the database from the start."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

from .conftest import PYTHON, subprocess_env

CHILD = """
import sys, time
from smtui.cli import main
main(["start", "linkedin", "prospecting", "--ago", "7m"])
print("started", flush=True)
time.sleep(60)
"""


def test_sigkill_after_start_keeps_the_session(smtui_home: Path) -> None:
    env = subprocess_env(smtui_home)
    child = subprocess.Popen([PYTHON, "-c", CHILD], env=env, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip().startswith("Started #1 linkedin prospecting")
    assert child.stdout.readline().strip() == "started"
    began = int(time.time()) - 7 * 60
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    out = subprocess.run(
        [PYTHON, "-m", "smtui", "status", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    running = json.loads(out)["running"]
    assert running["platform"] == "linkedin"
    assert abs(running["started_at"] - began) <= 2  # its original start time, not the restart
    stop = subprocess.run(
        [PYTHON, "-m", "smtui", "stop"], env=env, capture_output=True, text=True, check=False
    )
    assert stop.returncode == 0 and "Stopped #1" in stop.stdout


def test_sigkill_in_the_middle_of_writes_loses_nothing_committed(smtui_home: Path) -> None:
    env = subprocess_env(smtui_home)
    writer = (
        "from smtui.store.db import connect\n"
        "from smtui.core import outcomes\n"
        "import sys\n"
        "c = connect(sys.argv[1])\n"
        "for i in range(100000):\n"
        "    outcomes.log(c, 'lead', session=None)\n"
        "    if i == 50: print('going', flush=True)\n"
    )
    path = str(smtui_home / "smtui.db")
    child = subprocess.Popen(
        [PYTHON, "-c", writer, path], env=env, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "going"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    import sqlite3

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    count = conn.execute("SELECT count(*) FROM outcomes").fetchone()[0]
    assert count > 50
    assert (
        conn.execute("SELECT max(id) FROM outcomes").fetchone()[0] == count
    )  # no gaps, no half rows
