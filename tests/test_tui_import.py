"""The dashboard's import screen runs the import the command line runs.

It calls :func:`~smtui.core.importing.import_files` with the ``progress`` callback, so smtui's
own sources read inline (never through the watched thread kept for plugins), and its bar
follows the records the importer reports, file after file, up to the total the preview
counted.
"""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING, Any

import pytest
from textual.widgets import ProgressBar

from smtui.config import Config
from smtui.core import importing
from smtui.tui.import_screen import ImportProgress, ImportScreen, RecordCount

from .conftest import SHARED
from .test_import_cli import many_posts, write
from .test_tui import Harness, run

if TYPE_CHECKING:
    from pathlib import Path

    from textual.message import Message

FACEBOOK_EXPORT = SHARED / "realdata" / "facebook" / "Feb-01-2025_Mar-15-2025_613168031534769.csv"
X_POSTS = 3000  # enough for the importer to report a file before it is done


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config(str(tmp_path / "config.toml"), timezone="UTC")


def report(path: str, records: int, *, done: bool = False) -> importing.ImportProgress:
    return importing.ImportProgress(path, "x_content", 1000, None, records, done)


def test_the_count_runs_on_across_files() -> None:
    told: list[int] = []
    count = RecordCount(told.append)
    for progress in (
        report("a.csv", 0),
        report("a.csv", 1024),
        report("a.csv", 1500, done=True),
        report("b.csv", 0),
        report("b.csv", 20, done=True),
    ):
        count(progress)
    assert told == [0, 1024, 1500, 1500, 1520]


def test_the_import_reads_inline_and_its_bar_follows_the_importer(
    db: Any,
    db_path: str,
    config: Config,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    shutil.copy(FACEBOOK_EXPORT, folder / "a-facebook.csv")
    write(folder / "b-x.csv", many_posts(X_POSTS))
    total = 20 + X_POSTS

    def threaded(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a built-in source was read through the plugins' thread")

    monkeypatch.setattr("smtui.plugin_calls.iterate_with_timeout", threaded)
    monkeypatch.setattr(importing, "PROGRESS_EVERY_S", 0.0)
    counts: list[int] = []

    def hook(message: Message) -> None:
        if isinstance(message, ImportProgress):
            counts.append(message.done)

    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(size=(100, 30), message_hook=hook) as pilot:
            await harness.settle(pilot)
            await pilot.press("i")
            await harness.settle(pilot, lambda: isinstance(harness.app.screen, ImportScreen))
            screen = harness.app.screen
            assert isinstance(screen, ImportScreen)
            screen.query_one("#import-path").value = str(folder)  # type: ignore[attr-defined]
            screen.action_preview()
            await harness.settle(pilot, lambda: screen.previewed is not None, timeout=30)
            assert screen.status_text.startswith(f"Would import 2 files: {total} new")
            assert counts == []  # a preview moves no bar
            screen.action_run_import()
            await harness.settle(pilot, lambda: bool(screen.results), timeout=30)
            bar = screen.query_one(ProgressBar)
            assert (bar.progress, bar.total) == (total, total)
            assert screen.status_text == (
                f"Imported 2 files: {total} new, 0 updated, 0 unchanged, 0 skipped."
            )

    run(scenario())
    assert counts == sorted(counts)  # the count only moves forward, across both files
    assert counts[-1] == total
    assert 20 < counts[-2] < total  # the X file was reported while it was being read
    assert db.execute("SELECT count(*) FROM posts").fetchone() == (total,)
    assert [row[0] for row in db.execute("SELECT target FROM sync_log ORDER BY id")] == [
        os.path.abspath(folder / "a-facebook.csv"),
        os.path.abspath(folder / "b-x.csv"),
    ]


def test_a_failed_import_says_so_and_writes_nothing(
    db: Any, db_path: str, config: Config, tmp_path: Path
) -> None:
    posts = many_posts(3)
    path = write(tmp_path / "posts.csv", posts)
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(size=(100, 30)) as pilot:
            await harness.settle(pilot)
            await pilot.press("i")
            await harness.settle(pilot, lambda: isinstance(harness.app.screen, ImportScreen))
            screen = harness.app.screen
            assert isinstance(screen, ImportScreen)
            screen.query_one("#import-path").value = path  # type: ignore[attr-defined]
            screen.action_preview()
            await harness.settle(pilot, lambda: screen.previewed is not None)
            # The file changes between the preview and the import: a row goes bad.
            write(tmp_path / "posts.csv", [*posts, posts[-1].replace(",2,1,2,", ",lots,1,2,")])
            screen.action_run_import()
            await harness.settle(pilot, lambda: "Import failed" in screen.status_text)
            assert "nothing was written" in screen.status_text
            assert "line 5, column \"Impressions\": expected a whole number, got 'lots'" in (
                screen.status_text
            )
            assert not screen.query_one(ProgressBar).display

    run(scenario())
    assert db.execute("SELECT count(*) FROM posts").fetchone() == (0,)
