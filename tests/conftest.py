"""Shared fixtures: an isolated smtui home, a fresh database, a frozen clock, a CLI runner."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from smtui import clock
from smtui.store.db import connect

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

# 2026-03-04 10:00:00 UTC, a Wednesday.
T0 = 1772618400


@pytest.fixture(autouse=True)
def smtui_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own config and data directory and a fixed time zone."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("SMTUI_HOME", str(home))
    monkeypatch.setenv("TZ", "UTC")
    for var in ("SMTUI_DB", "SMTUI_CONFIG", "SMTUI_LOAD_PLUGINS", "SMTUI_STRICT_PLUGINS"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture
def frozen() -> Iterator[int]:
    """Freeze the clock at :data:`T0`; tests move it with ``clock.freeze``."""
    clock.freeze(T0)
    yield T0
    clock.freeze(None)


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    """Where a dashboard test's database lives (the app opens it by this path)."""
    return str(tmp_path / "test.db")


@pytest.fixture
def db(db_path: str, frozen: int) -> Iterator[sqlite3.Connection]:
    """The test's own connection to the app's database (another connection, as a CLI would be)."""
    conn = connect(db_path)
    yield conn
    conn.close()


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A fresh, migrated database; the clock runs again afterwards, whatever the test froze."""
    connection = connect(str(tmp_path / "test.db"))
    yield connection
    clock.freeze(None)
    connection.close()


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> object:
    """Run ``smtui`` in-process: ``cli("start", "linkedin")`` returns code, stdout, stderr."""
    from smtui.cli import main

    def run(*args: str) -> Result:
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse usage errors and --help
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def subprocess_env(home: Path) -> dict[str, str]:
    """Environment for running smtui in a child process against ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMTUI_")}
    env.update(SMTUI_HOME=str(home), TZ="UTC", PYTHONPATH=str(ROOT / "src"))
    return env


PYTHON = sys.executable
