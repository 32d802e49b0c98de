"""What the full screens share: the framed box, and the table of rows read from the store that
the Goals and Sessions screens are built on, with their writes in a worker.

Their look lives here, not in the app's stylesheet: it is read the first time such a screen
opens, never at startup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from smtui import clock
from smtui.tui.forms import describe_error, run_action
from smtui.tui.modals import ConfirmDialog

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable
    from datetime import tzinfo

    from textual.app import ComposeResult

    from smtui.config import Config
    from smtui.tui.choices import Choices
    from smtui.tui.forms import Action

RowT = TypeVar("RowT")
# Read the next page when the cursor comes this close to the last row.
LOAD_AHEAD = 10


def table_text(table: DataTable[Any]) -> str:
    """A table as plain text, one ``a | b | c`` line per row (what a test or a log reads)."""
    return "\n".join(
        " | ".join(str(cell) for cell in table.get_row_at(index))
        for index in range(table.row_count)
    )


class BoxScreen(Screen[None]):
    """A full screen whose content sits in a titled frame (``screen-box``) over the footer."""

    DEFAULT_CSS = """
    .screen-box {
        border: round $primary 60%;
        border-title-color: $text;
        border-title-style: bold;
        padding: 0 1;
        height: 1fr;
    }
    .screen-box DataTable {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    .screen-detail {
        height: auto;
        max-height: 4;
        color: $text-muted;
        padding-top: 1;
    }
    """


class WriteDone(Message):
    """A write started by a screen finished: ``message`` to show, or ``error``."""

    def __init__(self, message: str | None, error: str | None) -> None:
        super().__init__()
        self.message = message
        self.error = error


class RowsLoaded(Message):
    """Rows read for a table screen: to ``append`` to what is shown, or to replace it."""

    def __init__(
        self,
        generation: int,
        rows: list[Any] | None,
        error: str | None,
        *,
        more: bool = False,
        total: int = 0,
        append: bool = False,
    ) -> None:
        super().__init__()
        self.generation = generation
        self.rows = rows
        self.error = error
        self.more = more
        self.total = total
        self.append = append


class StoreScreen(BoxScreen, Generic[RowT]):
    """A table of rows read from the store in a worker, over a line about them; its forms and
    deletions write in a worker of its own.

    A subclass says what a row is (:meth:`read`, :meth:`cells`, :meth:`key`) and what the line
    says (:meth:`describe`); Enter or ``e`` edits the highlighted row. With a :attr:`PAGE` size
    the rows come a page at a time: moving the cursor near the end reads the next page. A
    reload keeps the cursor on the row it was on, and a reload that finishes after a newer one
    is dropped. ``choices`` returns what the forms offer (platforms, intents, outcome kinds);
    ``changed`` tells the app that this screen wrote, so the dashboard reloads at once.
    """

    NAME: ClassVar[str]
    """The screen's id stem: ``<NAME>-screen``, ``-box``, ``-table``, ``-detail``."""
    TITLE_TEXT: ClassVar[str]
    COLUMNS: ClassVar[tuple[str, ...]]
    WHAT: ClassVar[str]
    """What the rows are, for the loading and failure lines: ``the goals``."""
    PAGE: ClassVar[int | None] = None
    """Rows per read; None reads them all at once."""

    def __init__(
        self,
        db_path: str,
        config: Config,
        zone: tzinfo,
        choices: Callable[[], Choices],
        changed: Callable[[], None],
        *,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__(id=f"{self.NAME}-screen")
        self.db_path = db_path
        self.config = config
        self.zone = zone
        self.choices = choices
        self.changed = changed
        self.cursor_blink = cursor_blink
        self.rows: list[RowT] = []
        self.more = False
        self.total = 0
        self.fetching = False
        self._generation = 0

    # --- what a subclass says ----------------------------------------------------------------

    def read(
        self, conn: sqlite3.Connection, after: RowT | None, limit: int | None
    ) -> tuple[list[RowT], bool, int]:
        """Rows after ``after`` (from the start when None), at most ``limit`` (all when None);
        whether more follow; how many there are in all. Runs in a worker thread."""
        raise NotImplementedError

    def cells(self, row: RowT, now: int) -> tuple[Text, ...]:
        raise NotImplementedError

    def key(self, row: RowT) -> int:
        raise NotImplementedError

    def describe(self) -> None:
        """Update the line under the table (it follows the cursor, or counts the rows)."""
        raise NotImplementedError

    def action_edit(self) -> None:
        raise NotImplementedError

    # --- the screen ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id=f"{self.NAME}-box", classes="screen-box") as box:
            box.border_title = self.TITLE_TEXT
            table: DataTable[Text] = DataTable(cursor_type="row", id=f"{self.NAME}-table")
            table.add_columns(*self.COLUMNS)
            yield table
            yield Static(f"Loading {self.WHAT}…", id=f"{self.NAME}-detail", classes="screen-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one(DataTable)

    @property
    def detail(self) -> Static:
        return self.query_one(f"#{self.NAME}-detail", Static)

    @property
    def highlighted_row(self) -> RowT | None:
        index = self.table.cursor_row
        return self.rows[index] if 0 <= index < len(self.rows) else None

    # --- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read again as many rows as are shown (at least a page)."""
        self._generation += 1
        self.fetching = True
        limit = None if self.PAGE is None else max(self.PAGE, len(self.rows))
        self._load(self._generation, None, limit, append=False)

    def load_more(self) -> None:
        if self.fetching or not self.more or not self.rows:
            return
        self.fetching = True
        self._load(self._generation, self.rows[-1], self.PAGE, append=True)

    @work(thread=True, group="table-screen", exit_on_error=False)
    def _load(
        self, generation: int, after: RowT | None, limit: int | None, *, append: bool
    ) -> None:
        from smtui.store.db import connect

        try:
            conn = connect(self.db_path)
            try:
                rows, more, total = self.read(conn, after, limit)
            finally:
                conn.close()
        except Exception as exc:
            self.post_message(RowsLoaded(generation, None, describe_error(exc), append=append))
        else:
            self.post_message(
                RowsLoaded(generation, rows, None, more=more, total=total, append=append)
            )

    def on_rows_loaded(self, message: RowsLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self.fetching = False
        if message.rows is None:
            self.detail.update(
                Content.assemble(
                    (f"Could not load {self.WHAT}\n", "bold $error"), message.error or ""
                )
            )
            return
        table = self.table
        keep = None
        if not message.append:
            row = self.highlighted_row
            keep = None if row is None else self.key(row)
            table.clear()
            self.rows = []
        self._add_rows(message.rows)
        self.rows.extend(message.rows)
        self.more = message.more
        self.total = message.total
        if keep is not None:
            keys = [self.key(row) for row in self.rows]
            if keep in keys:
                table.move_cursor(row=keys.index(keep))
        self.describe()

    def _add_rows(self, rows: list[RowT]) -> None:
        now = clock.now()
        for row in rows:
            self.table.add_row(*self.cells(row, now), key=str(self.key(row)))

    def redraw(self) -> None:
        """Draw the rows shown again, without reading them (e.g. for another width)."""
        table = self.table
        cursor = table.cursor_row
        table.clear()
        self._add_rows(self.rows)
        table.move_cursor(row=cursor)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.describe()
        if self.PAGE is not None and event.cursor_row >= len(self.rows) - LOAD_AHEAD:
            self.load_more()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    def action_reload(self) -> None:
        self.reload()

    # --- writing -------------------------------------------------------------------------------

    def saved(self, message: str | None) -> None:
        """A form or a write of this screen succeeded: say so and show the change."""
        if message:
            self.notify(message, markup=False)
            self.changed()
            self.reload()

    @work(thread=True, group="screen-write", exit_on_error=False)
    def write(self, action: Action) -> None:
        try:
            done = run_action(self.db_path, action)
        except Exception as exc:
            self.post_message(WriteDone(None, describe_error(exc)))
        else:
            self.post_message(WriteDone(done, None))

    def on_write_done(self, message: WriteDone) -> None:
        message.stop()
        if message.error is not None:
            self.notify(message.error, severity="error", markup=False)
            return
        self.saved(message.message)

    def confirm_write(self, question: str, detail: str, action: Action) -> None:
        """Ask ``question`` first; run ``action`` only on yes."""

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(action)

        self.app.push_screen(ConfirmDialog(question, detail), answered)

    @property
    def table_text(self) -> str:
        """The table as plain text, one ``a | b | c`` line per row."""
        return table_text(self.table)

    def key_display(self, key: str) -> str:
        """How the footer shows ``key`` (for sentences that name a key)."""
        return self.app.get_key_display(Binding(key, ""))
