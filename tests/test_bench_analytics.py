"""The scores and analytics benchmark still runs, on a tiny database (its figures are not
checked, only that each one is printed with its verdict)."""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

from .conftest import PYTHON, ROOT, subprocess_env

if TYPE_CHECKING:
    from pathlib import Path

SCRIPT = ROOT / "bench" / "analytics.py"
TINY = ("--sessions", "60", "--posts", "300", "--days", "20", "--runs", "2")


def test_the_analytics_benchmark_times_every_query_and_the_year_report(
    smtui_home: Path, tmp_path: Path
) -> None:
    env = subprocess_env(smtui_home)
    env["TMPDIR"] = str(tmp_path)  # the cached database goes here, not in the real temp dir
    result = subprocess.run(
        [PYTHON, str(SCRIPT), *TINY, "--quick", "--no-fail"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "Scores and analytics: 60 sessions, 300 posts over 20 days" in out
    assert "median of 2 runs" in out
    for strategy in ("checklist", "outcomes", "roi", "focus", "engagement"):
        for window in ("today", "this week"):
            row = next(line for line in out.splitlines() if f"score {strategy}, {window}" in line)
            assert row.rstrip().endswith(("ok", "TOO SLOW")), row
            assert "ms" in row
    assert "best times, 90 days, one platform" in out
    assert "return per focused hour, today" in out
    assert "bare SQL aggregation of the year" in out
    ratio = next(line for line in out.splitlines() if line.startswith("ratio "))
    assert float(ratio.split()[1].rstrip("x")) > 0
    assert list((tmp_path / "smtui-bench").glob("dashboard-s60-p300-d20-*.db"))
