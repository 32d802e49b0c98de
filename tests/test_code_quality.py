"""The code stays lint-clean and type-checked: part of the suite, so CI enforces it."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT

# Everything with Python in it; plugins/ holds separately installable packages.
LINTED = [name for name in ("src", "tests", "bench", "plugins") if (ROOT / name).is_dir()]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_ruff_lint() -> None:
    result = run("ruff", "check", *LINTED)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = run("ruff", "format", "--check", *LINTED)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict() -> None:
    result = run("mypy", "src/smtui")
    assert result.returncode == 0, result.stdout + result.stderr
