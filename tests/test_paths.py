"""Where files go: the Linux fast path must agree with platformdirs."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from smtui import paths


@pytest.mark.skipif(sys.platform != "linux", reason="the fast path exists only on Linux")
@pytest.mark.parametrize(
    "env",
    [
        {"HOME": "/home/ann"},
        {"HOME": "/home/ann", "XDG_DATA_HOME": "/data", "XDG_CONFIG_HOME": "/conf"},
        {"HOME": "/home/ann", "XDG_DATA_HOME": "relative/ignored", "XDG_CONFIG_HOME": ""},
        {"HOME": "/root", "XDG_DATA_HOME": "   "},
    ],
)
def test_linux_dirs_match_platformdirs(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    monkeypatch.delenv("SMTUI_HOME")
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(var, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert paths.user_data_dir() == platformdirs.user_data_dir("smtui", appauthor=False)
    assert paths.user_config_dir() == platformdirs.user_config_dir("smtui", appauthor=False)


def test_overrides(monkeypatch: pytest.MonkeyPatch, smtui_home: Path) -> None:
    assert paths.database_path() == str(smtui_home / "smtui.db")
    assert paths.config_path() == str(smtui_home / "config.toml")
    assert paths.demo_database_path() == str(smtui_home / "demo.db")
    monkeypatch.setenv("SMTUI_DB", "/x/y.db")
    monkeypatch.setenv("SMTUI_CONFIG", "/x/c.toml")
    assert paths.database_path() == "/x/y.db"
    assert paths.config_path() == "/x/c.toml"
    assert paths.database_path("/cli.db") == "/cli.db"
    assert paths.config_path("/cli.toml") == "/cli.toml"
