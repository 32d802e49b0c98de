"""The Import screen: a path with completion, a preview, then the import with its progress.

The preview is a dry run of :func:`smtui.core.importing.import_files` (all the work, then a
rollback): it shows each file's detected format and what would be new, updated or unchanged.
The import itself runs in a worker, through the same call as ``smtui import`` with the same
``progress`` callback, so smtui's own sources read inline as they do on the command line; the
bar moves over the records the preview counted. It is one transaction, as on the command
line: a bad row stops it with the file, line and column, and nothing is written.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Checkbox, DataTable, Footer, Label, ProgressBar, Static

from smtui.tui.fields import PathInput
from smtui.tui.forms import describe_error
from smtui.tui.screen_base import BoxScreen

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.app import ComposeResult

    from smtui.config import Config
    from smtui.core import importing

IMPORT_COLUMNS = ("File", "Format", "New", "Updated", "Unchanged", "Skipped")
FILE_WIDTH = 30


class ImportProgress(Message):
    """How many records the import has read so far, over all its files."""

    def __init__(self, done: int) -> None:
        super().__init__()
        self.done = done


class RecordCount:
    """The ``progress`` callback of :func:`~smtui.core.importing.import_files`, turned into a
    running count of records over every file (the importer reports each file from zero, a few
    times a second), handed to ``tell``."""

    def __init__(self, tell: Callable[[int], object]) -> None:
        self.tell = tell
        self.finished = 0  # records of the files already done

    def __call__(self, report: importing.ImportProgress) -> None:
        if report.done:
            self.finished += report.records
            self.tell(self.finished)
        else:
            self.tell(self.finished + report.records)


class ImportFinished(Message):
    """A preview (``dry_run``) or an import finished: its results, or the error."""

    def __init__(
        self, results: list[importing.ImportResult] | None, error: str | None, *, dry_run: bool
    ) -> None:
        super().__init__()
        self.results = results
        self.error = error
        self.dry_run = dry_run


def records_in(results: list[importing.ImportResult]) -> int:
    return sum(r.new + r.updated + r.unchanged + r.skipped for r in results)


def summary_text(results: list[importing.ImportResult], *, dry_run: bool) -> str:
    """``Would import 2 files: 120 new, 3 updated, 0 unchanged, 0 skipped``."""
    files = f"{len(results)} file{'s' if len(results) != 1 else ''}"
    counts = (
        f"{sum(r.new for r in results)} new, {sum(r.updated for r in results)} updated,"
        f" {sum(r.unchanged for r in results)} unchanged, {sum(r.skipped for r in results)} skipped"
    )
    if dry_run:
        return f"Would import {files}: {counts}. Nothing written yet."
    return f"Imported {files}: {counts}."


def short_name(path: str, width: int = FILE_WIDTH) -> str:
    """``path`` cut in the middle to ``width`` cells, keeping its end (the extension)."""
    if len(path) <= width:
        return path
    keep = width - 1
    return path[: keep - keep // 2] + "…" + path[-(keep // 2) :]


def result_cells(result: importing.ImportResult, base: str) -> tuple[Text, ...]:
    shown = os.path.relpath(result.path, base) if result.path.startswith(base) else result.path
    shown = short_name(shown)
    detected = "" if result.detected else " (chosen)"
    return (
        Text(shown),
        Text(result.format + detected),
        Text(str(result.new), justify="right"),
        Text(str(result.updated), justify="right"),
        Text(str(result.unchanged), justify="right"),
        Text(str(result.skipped), justify="right", style="yellow" if result.skipped else ""),
    )


class ImportScreen(BoxScreen):
    """Pick a file or folder, preview what it holds, import it."""

    DEFAULT_CSS = """
    .dialog-buttons {
        height: auto;
        align-horizontal: right;
        padding-top: 1;
    }
    .dialog-buttons Button {
        margin-left: 2;
    }
    #import-box Checkbox {
        margin: 1 0 0 0;
    }
    #import-status {
        height: auto;
        padding: 1 0;
    }
    #import-status.-error {
        color: $text-error;
    }
    #import-box ProgressBar {
        height: 1;
    }
    """

    BINDINGS: ClassVar = [
        Binding("escape", "app.pop_screen", "Back", id="import.back"),
        Binding(
            "ctrl+r",
            "preview",
            "Preview",
            id="import.preview",
            tooltip="Preview the import (dry run)",
        ),
        Binding(
            "ctrl+o",
            "run_import",
            "Import",
            id="import.run",
            tooltip="Import what the preview showed",
        ),
    ]

    def __init__(
        self,
        db_path: str,
        config: Config,
        changed: Callable[[], None],
        *,
        start_path: str = "",
        cursor_blink: bool = True,
    ) -> None:
        super().__init__(id="import-screen")
        self.db_path = db_path
        self.config = config
        self.changed = changed
        self.start_path = start_path
        self.cursor_blink = cursor_blink
        self.previewed: tuple[str, bool] | None = None
        self.preview: list[importing.ImportResult] = []
        self.results: list[importing.ImportResult] = []
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="import-box", classes="screen-box") as box:
            box.border_title = "Import analytics exports"
            yield Label("File or folder (the format is detected from the content)")
            yield PathInput(
                self.start_path,
                placeholder="e.g. ~/Downloads/export.csv · Tab completes",
                compact=True,
                id="import-path",
            )
            yield Checkbox(
                "Skip bad rows (import the rest and list them)", compact=True, id="import-skip"
            )
            yield Static("Enter previews: nothing is written until you import.", id="import-status")
            table: DataTable[Text] = DataTable(cursor_type="row", id="import-table")
            table.add_columns(*IMPORT_COLUMNS)
            yield table
            yield ProgressBar(show_eta=False, id="import-progress")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Preview", id="import-preview", compact=True)
                yield Button(
                    "Import", variant="primary", id="import-run", compact=True, disabled=True
                )
        yield Footer()

    def on_mount(self) -> None:
        path = self.query_one(PathInput)
        path.cursor_blink = self.cursor_blink
        path.focus()
        self.query_one(ProgressBar).display = False

    # --- what the user does ------------------------------------------------------------------

    @property
    def path(self) -> str:
        return os.path.expanduser(self.query_one(PathInput).value.strip())

    @property
    def skip_bad_rows(self) -> bool:
        return self.query_one(Checkbox).value

    def on_input_submitted(self, event: PathInput.Submitted) -> None:
        event.stop()
        self.action_preview()

    def on_input_changed(self, event: PathInput.Changed) -> None:
        self._preview_stale()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._preview_stale()

    def _preview_stale(self) -> None:
        if self.previewed is not None and self.previewed != (self.path, self.skip_bad_rows):
            self.previewed = None
            self.query_one("#import-run", Button).disabled = True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "import-preview":
            self.action_preview()
        elif event.button.id == "import-run":
            self.action_run_import()

    def action_preview(self) -> None:
        if self.busy:
            return
        path = self.path
        if not path:
            self._status("Type the path of an export file or a folder of them.", error=True)
            return
        self.busy = True
        self.previewed = None
        self.query_one("#import-run", Button).disabled = True
        self._status(f"Reading {path}…")
        self._run(path, self.skip_bad_rows, dry_run=True)

    def action_run_import(self) -> None:
        if self.busy:
            return
        if self.previewed != (self.path, self.skip_bad_rows):
            self._status("Preview first (Enter), then import.", error=True)
            return
        self.busy = True
        self.query_one("#import-run", Button).disabled = True
        bar = self.query_one(ProgressBar)
        bar.update(total=max(1, records_in(self.preview)), progress=0)
        bar.display = True
        self._status(f"Importing {self.path}…")
        self._run(self.path, self.skip_bad_rows, dry_run=False)

    # --- the worker --------------------------------------------------------------------------

    @work(thread=True, group="import", exclusive=True, exit_on_error=False)
    def _run(self, path: str, skip_bad_rows: bool, *, dry_run: bool) -> None:
        from smtui.core.importing import import_files
        from smtui.sources.configured import configured_sources
        from smtui.store.db import connect
        from smtui.tui.data import plugin_registry

        # A preview has nothing yet to measure a bar against; the import moves the bar.
        progress = None if dry_run else RecordCount(lambda n: self.post_message(ImportProgress(n)))
        try:
            sources = configured_sources(plugin_registry(self.config), self.config.sources)
            conn = connect(self.db_path)
            try:
                results = import_files(
                    conn,
                    [path],
                    sources,
                    dry_run=dry_run,
                    skip_bad_rows=skip_bad_rows,
                    progress=progress,
                )
                if not dry_run:
                    from smtui.core import events

                    events.fire_goals_met(conn, self.config)
            finally:
                conn.close()
        except Exception as exc:
            self.post_message(ImportFinished(None, describe_error(exc), dry_run=dry_run))
            return
        self.post_message(ImportFinished(results, None, dry_run=dry_run))

    def on_import_progress(self, message: ImportProgress) -> None:
        message.stop()
        self.query_one(ProgressBar).update(progress=message.done)

    def on_import_finished(self, message: ImportFinished) -> None:
        message.stop()
        self.busy = False
        bar = self.query_one(ProgressBar)
        if message.results is None:
            bar.display = False
            what = "Preview failed" if message.dry_run else "Import failed: nothing was written"
            self._status(f"{what}\n{message.error}", error=True)
            return
        self._show(message.results)
        if message.dry_run:
            self.preview = message.results
            self.previewed = (self.path, self.skip_bad_rows)
            run = self.query_one("#import-run", Button)
            run.disabled = False
            run.focus()
            self._status(summary_text(message.results, dry_run=True) + " Press Import to write it.")
            return
        bar.update(total=max(1, records_in(message.results)), progress=records_in(message.results))
        self.results = message.results
        self.previewed = None
        self._status(summary_text(message.results, dry_run=False))
        self.notify(summary_text(message.results, dry_run=False), markup=False)
        self.changed()

    def _show(self, results: list[importing.ImportResult]) -> None:
        table: DataTable[Text] = self.query_one(DataTable)
        table.clear()
        base = self.path if os.path.isdir(self.path) else os.path.dirname(self.path)
        for index, result in enumerate(results):
            table.add_row(*result_cells(result, base.rstrip(os.sep) + os.sep), key=str(index))
        for result in results:
            for error in result.skipped_rows[:20]:
                table.add_row(
                    Text(f"  skipped: {error}", style="yellow"), *(Text("") for _ in range(5))
                )

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#import-status", Static)
        status.update(Content.styled(text, "$text-error") if error else Content(text))
        status.set_class(error, "-error")

    @property
    def status_text(self) -> str:
        return str(self.query_one("#import-status", Static).visual)

    @property
    def table_text(self) -> str:
        table: DataTable[Text] = self.query_one(DataTable)
        return "\n".join(
            " | ".join(str(cell) for cell in table.get_row_at(index))
            for index in range(table.row_count)
        )
