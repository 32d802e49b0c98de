"""Plugin calls with a time limit: a hanging or crashing plugin fails its call, nothing more."""

from __future__ import annotations

import subprocess
import threading
import time
from typing import TYPE_CHECKING, Any

import pytest

from smtui.api import PluginError
from smtui.core import score
from smtui.core.importing import import_files
from smtui.errors import NotFoundError
from smtui.plugin_calls import (
    TIMEOUT_ENV,
    call_with_timeout,
    iterate_with_timeout,
    timeout_for,
)
from smtui.scoring import ScoringStrategy
from smtui.sources.base import DataSource
from smtui.sources.records import PostRecord

from .conftest import PYTHON, T0, subprocess_env
from .plugin_cli_fakes import Site

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterator
    from pathlib import Path

    from smtui.scoring import Score, Window

# Long enough to be sure it is the time limit that ended the wait, short enough for a test.
SLEEP_S = 30


def test_a_call_returns_its_value() -> None:
    assert call_with_timeout(divmod, 7, 2, timeout=5, what="divmod") == (3, 1)
    assert call_with_timeout(int, "ff", base=16, timeout=5, what="int") == 255


def test_a_call_that_hangs_fails_after_the_time_limit() -> None:
    release = threading.Event()
    started = time.monotonic()
    with pytest.raises(PluginError) as caught:
        call_with_timeout(release.wait, SLEEP_S, timeout=0.2, what="scoring strategy 'slow'")
    elapsed = time.monotonic() - started
    release.set()
    assert 0.2 <= elapsed < 2
    assert caught.value.message == "scoring strategy 'slow' did not answer within 0.2 s"
    assert caught.value.title == "Scoring strategy 'slow' timed out"
    assert TIMEOUT_ENV in caught.value.hint


def test_an_exception_becomes_a_plugin_error_naming_the_call() -> None:
    def boom() -> None:
        raise ZeroDivisionError("division by zero")

    with pytest.raises(PluginError) as caught:
        call_with_timeout(boom, timeout=5, what="panel 'stats' of plugin 'news'")
    assert caught.value.message == (
        "panel 'stats' of plugin 'news' failed: ZeroDivisionError: division by zero"
    )
    assert caught.value.title == "Panel 'stats' of plugin 'news' failed"
    assert isinstance(caught.value.__cause__, ZeroDivisionError)


def test_an_error_meant_for_the_user_passes_unchanged() -> None:
    error = NotFoundError("no such account", "check [sources.news] account")

    def refuse() -> None:
        raise error

    with pytest.raises(NotFoundError) as caught:
        call_with_timeout(refuse, timeout=5, what="source 'news'")
    assert caught.value is error


@pytest.mark.parametrize(
    ("raw", "expected"), [(None, 10.0), ("0.5", 0.5), ("0", 10.0), ("soon", 10.0), (" 3 ", 3.0)]
)
def test_the_environment_can_change_every_time_limit(
    monkeypatch: pytest.MonkeyPatch, raw: str | None, expected: float
) -> None:
    if raw is None:
        monkeypatch.delenv(TIMEOUT_ENV, raising=False)
    else:
        monkeypatch.setenv(TIMEOUT_ENV, raw)
    assert timeout_for(10.0) == expected


# --- reading with a limit on each wait -------------------------------------------------------


def test_iterating_yields_everything_in_order() -> None:
    items = list(iterate_with_timeout(lambda: iter(range(1000)), stall=5, what="source 'n'"))
    assert items == list(range(1000))


def test_a_steady_slow_reader_never_times_out() -> None:
    def trickle() -> Iterator[int]:
        for index in range(5):
            time.sleep(0.05)
            yield index

    assert list(iterate_with_timeout(trickle, stall=0.5, what="source 't'")) == [0, 1, 2, 3, 4]


def test_a_reader_that_stalls_fails_after_the_limit() -> None:
    release = threading.Event()

    def stall() -> Iterator[int]:
        yield 1
        release.wait(SLEEP_S)
        yield 2

    started = time.monotonic()
    with pytest.raises(PluginError) as caught:
        list(iterate_with_timeout(stall, stall=0.3, what="source 'x' reading a.csv"))
    release.set()
    assert time.monotonic() - started < 3
    assert caught.value.message == "source 'x' reading a.csv did not answer within 0.3 s"


def test_a_reader_that_raises_midway_is_a_plugin_error() -> None:
    def broken() -> Iterator[int]:
        yield 1
        raise KeyError("column")

    with pytest.raises(PluginError) as caught:
        list(iterate_with_timeout(broken, stall=5, what="source 'b'"))
    assert caught.value.message == "source 'b' failed: KeyError: 'column'"


def test_stopping_early_closes_the_reader() -> None:
    closed = threading.Event()

    def endless() -> Iterator[int]:
        try:
            number = 0
            while True:
                number += 1
                yield number
        finally:
            closed.set()

    for item in iterate_with_timeout(endless, stall=5, what="source 'e'"):
        if item == 3:
            break
    assert closed.wait(5)


# --- scoring ---------------------------------------------------------------------------------


class Sleepy(ScoringStrategy):
    name = "sleepy"

    def score(self, window: Window) -> Score:
        time.sleep(SLEEP_S)
        raise AssertionError("never reached")


def test_a_strategy_past_its_time_limit_is_a_plugin_error(
    conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TIMEOUT_ENV, "0.2")
    started = time.monotonic()
    with pytest.raises(PluginError) as caught:
        score.score_range(conn, Sleepy({}), T0 - 3600, T0, T0)
    assert time.monotonic() - started < 3
    assert caught.value.message == "scoring strategy 'sleepy' did not answer within 0.2 s"
    assert caught.value.title == "Scoring strategy failed"


SLEEPY_PLUGIN = f"""
    import time
    from smtui import api

    class Sleepy(api.ScoringStrategy):
        name = "sleepy"

        def score(self, window):
            time.sleep({SLEEP_S})

    @api.hookimpl
    def register_scorers(register):
        register(Sleepy)
"""


def test_smtui_score_with_a_hanging_strategy_prints_one_line_and_exits(
    tmp_path: Path, smtui_home: Path
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    Site(site).install("smtui-sleepy", {"sleepy": "smtui_sleepy"}, {"smtui_sleepy": SLEEPY_PLUGIN})
    env = subprocess_env(smtui_home)
    env.update(PYTHONPATH=f"{site}:{env['PYTHONPATH']}", SMTUI_PLUGIN_TIMEOUT="0.5")
    started = time.monotonic()
    result = subprocess.run(
        [PYTHON, "-m", "smtui", "score", "-s", "sleepy"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=SLEEP_S,
    )
    assert time.monotonic() - started < 10
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "smtui: error: scoring strategy 'sleepy' did not answer within 0.5 s (it may be stuck;"
        " raise SMTUI_PLUGIN_TIMEOUT if it is only slow, or disable its plugin under"
        " [plugins] disabled)"
    ]


# --- importing -------------------------------------------------------------------------------


class Canned(DataSource):
    """Recognises every file; yields one post."""

    name = "canned"

    def sniff(self, head: bytes, path: str) -> bool:
        return True

    def read(self, path: str) -> Iterator[Any]:
        yield PostRecord("x", "1")


class HangsOnSniff(DataSource):
    name = "hangs"

    def sniff(self, head: bytes, path: str) -> bool:
        time.sleep(SLEEP_S)
        return True


class HangsOnRead(Canned):
    name = "stuck"

    def read(self, path: str) -> Iterator[Any]:
        yield PostRecord("x", "1")
        time.sleep(SLEEP_S)
        yield PostRecord("x", "2")


def test_a_source_that_hangs_recognising_a_file_does_not_stop_the_import(
    conn: sqlite3.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TIMEOUT_ENV, "0.2")
    path = tmp_path / "posts.txt"
    path.write_text("anything\n")

    [result] = import_files(conn, [str(path)], [HangsOnSniff(), Canned()], now=T0)

    assert (result.source, result.new) == ("canned", 1)


def test_a_source_that_stalls_reading_fails_the_import_and_writes_nothing(
    conn: sqlite3.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TIMEOUT_ENV, "0.3")
    path = tmp_path / "posts.txt"
    path.write_text("anything\n")

    with pytest.raises(PluginError) as caught:
        import_files(conn, [str(path)], [HangsOnRead()], now=T0)

    assert caught.value.message == "source 'stuck' reading posts.txt did not answer within 0.3 s"
    assert conn.execute("SELECT count(*) FROM posts").fetchone() == (0,)
