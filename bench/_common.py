"""Shared helpers for the benchmarks: timing subprocesses and printing comparison tables."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence

BIN = os.path.dirname(sys.executable)


def compile_bytecode() -> None:
    """Write smtui's ``.pyc`` files, as any normal install has them.

    Without them (``PYTHONDONTWRITEBYTECODE`` set, or a fresh editable install) every run
    would recompile every module and the figures would measure the compiler, not smtui.
    """
    import compileall

    import smtui

    for folder in smtui.__path__:
        compileall.compile_dir(folder, quiet=1)


def smtui_command() -> list[str]:
    """The installed console script (what users run), else ``python -m smtui``."""
    script = os.path.join(BIN, "smtui")
    return [script] if os.path.exists(script) else [sys.executable, "-m", "smtui"]


def time_runs(
    make_cmd: Callable[[int], Sequence[str]],
    runs: int,
    env: dict[str, str],
    before: Callable[[int], None] | None = None,
) -> list[float]:
    """Wall time in ms of ``runs`` runs; ``before(i)`` runs untimed before each one."""
    samples = []
    for i in range(runs):
        if before is not None:
            before(i)
        cmd = list(make_cmd(i))
        start = time.perf_counter()
        result = subprocess.run(
            cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
        )
        samples.append((time.perf_counter() - start) * 1000)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed: {result.stderr.decode()[:500]}")
    return samples


def summarise(samples: list[float]) -> tuple[float, float, float]:
    """Median and the 10th/90th percentiles."""
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return statistics.median(ordered), pick(0.1), pick(0.9)


def print_table(title: str, rows: list[tuple[str, list[float], float | None, str]]) -> None:
    """``rows``: (name, samples, floor median or None, target text)."""
    print(f"\n{title}")
    print(f"{'measurement':44} {'median':>9} {'p10..p90':>17} {'ratio':>7}  target")
    for name, samples, floor, target in rows:
        median, low, high = summarise(samples)
        ratio = f"{median / floor:.2f}x" if floor else "-"
        print(f"{name:44} {median:7.1f}ms {low:7.1f}..{high:7.1f} {ratio:>7}  {target}")
