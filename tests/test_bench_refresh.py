"""The panel refresh benchmark still runs, on a tiny database (its figures are not checked)."""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

from smtui.store.db import connect

from .conftest import PYTHON, ROOT, subprocess_env

if TYPE_CHECKING:
    from pathlib import Path

SCRIPT = ROOT / "bench" / "dashboard_refresh.py"
TINY = ("--sessions", "60", "--posts", "300", "--days", "20", "--runs", "2")


def run_bench(home: Path, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = subprocess_env(home)
    env["TMPDIR"] = str(tmp)  # the cached database goes here, not in the real temp dir
    return subprocess.run(
        [PYTHON, str(SCRIPT), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_refresh_benchmark_builds_caches_and_times_every_panel(
    smtui_home: Path, tmp_path: Path
) -> None:
    first = run_bench(smtui_home, tmp_path, *TINY, "--no-fail")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "building" in first.stderr
    out = first.stdout
    assert "Dashboard panel loaders: 60 sessions, 300 posts over 20 days" in out
    for panel in ("session", "today", "goals", "recent", "metrics", "score"):
        assert any(line.split()[:1] == [panel] for line in out.splitlines()), panel
    assert "target < 16 ms" in out
    cached = list((tmp_path / "smtui-bench").glob("dashboard-s60-p300-d20-*.db"))
    assert len(cached) == 1
    conn = connect(str(cached[0]))
    try:
        counts = [
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("sessions", "posts", "post_snapshots", "goals")
        ]
        running = conn.execute("SELECT count(*) FROM sessions WHERE ended_at IS NULL")
        summarised = conn.execute("SELECT sum(posts) FROM post_totals WHERE span = 86400")
        assert counts[:3] == [60, 300, 300]
        assert counts[3] > 10  # every goal measure
        assert running.fetchone()[0] == 1
        assert summarised.fetchone()[0] == 300  # the post summary was rebuilt
    finally:
        conn.close()

    again = run_bench(smtui_home, tmp_path, *TINY, "--quick", "--no-fail")
    assert again.returncode == 0, again.stderr
    assert "building" not in again.stderr  # the cached database was reused


def test_the_refresh_benchmark_rejects_nonsense(smtui_home: Path, tmp_path: Path) -> None:
    result = run_bench(smtui_home, tmp_path, "--sessions", "1")
    assert result.returncode == 2
    assert "--sessions must be 2 or more" in result.stderr
