"""The Sessions screen: the whole history, newest first; edit or delete a session.

The table fills a page at a time (:mod:`smtui.tui.history`): moving the cursor near the end
reads the next page, so a history of 100,000 sessions opens as fast as one of ten. Edits go
through :func:`smtui.core.sessions.edit` (overlaps and future times are refused, and the
reason stays in the form); deleting asks first and keeps the session's outcomes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Footer, Input, Label, Static

from smtui import clock
from smtui.core.timespec import format_clock, format_duration
from smtui.tui.fields import FuzzyField
from smtui.tui.forms import (
    SessionDraft,
    delete_session_action,
    describe_error,
    edit_session_action,
    session_fields,
)
from smtui.tui.history import (
    PAGE_SIZE,
    PLAYTIME,
    PRODUCTIVE,
    RUNNING,
    HistoryPage,
    HistoryRow,
    load_page,
)
from smtui.tui.modals import ConfirmDialog, Dialog
from smtui.tui.screen_base import StoreScreen

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import tzinfo

    from textual.app import ComposeResult

    from smtui.config import Config
    from smtui.models import Session
    from smtui.tui.choices import Choices

SESSION_COLUMNS = (
    "#",
    "Started",
    "Platform",
    "Intent",
    "Time",
    "Status",
    "Outcomes",
    "Tags",
    "Note",
)
NOTE_WIDTH = 40
# Load the next page when the cursor comes this close to the last row.
LOAD_AHEAD = 10
# Table cells are Rich text: theme variables do not reach them, so these are plain colours.
STATUS_STYLES = {RUNNING: "bold cyan", PRODUCTIVE: "green", PLAYTIME: "bold red"}


def history_cells(row: HistoryRow, zone: tzinfo, now: int) -> tuple[Text, ...]:
    session = row.session
    note = session.note.splitlines()[0] if session.note else ""
    if len(note) > NOTE_WIDTH:
        note = note[: NOTE_WIDTH - 1] + "…"
    status = row.status
    return (
        Text(str(session.id), justify="right"),
        Text(format_clock(session.started_at, zone, with_date=True)),
        Text(session.platform),
        Text(session.intent),
        Text(format_duration(session.active_seconds(now)), justify="right"),
        Text(status.upper() if status == PLAYTIME else status, style=STATUS_STYLES.get(status, "")),
        Text(str(row.outcomes), justify="right"),
        Text(", ".join(session.tags)),
        Text(note),
    )


class HistoryLoaded(Message):
    """A page of history: ``append`` to what is shown, or replace it."""

    def __init__(
        self, generation: int, page: HistoryPage | None, error: str | None, *, append: bool
    ) -> None:
        super().__init__()
        self.generation = generation
        self.page = page
        self.error = error
        self.append = append


class SessionsScreen(StoreScreen):
    """Every session, newest first, a page at a time."""

    BINDINGS: ClassVar = [
        Binding("escape", "app.pop_screen", "Back", id="sessions.back"),
        Binding("e", "edit", "Edit", id="sessions.edit", tooltip="Edit the highlighted session"),
        Binding(
            "d", "delete", "Delete", id="sessions.delete", tooltip="Delete the highlighted session"
        ),
        Binding("r", "reload", "Refresh", id="sessions.refresh", tooltip="Read the history again"),
    ]

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
        super().__init__(
            db_path, config, zone, choices, changed, cursor_blink=cursor_blink, id="sessions-screen"
        )
        self.rows: list[HistoryRow] = []
        self.more = False
        self.total = 0
        self.fetching = False
        self._generation = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="sessions-box", classes="screen-box") as box:
            box.border_title = "Sessions"
            table: DataTable[Text] = DataTable(cursor_type="row", id="sessions-table")
            table.add_columns(*SESSION_COLUMNS)
            yield table
            yield Static("Loading the history…", id="sessions-status", classes="screen-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    # --- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read again as many rows as are shown (at least a page), keeping the cursor's session."""
        self._generation += 1
        self.fetching = True
        self._load(self._generation, None, max(PAGE_SIZE, len(self.rows)), append=False)

    def load_more(self) -> None:
        if self.fetching or not self.more or not self.rows:
            return
        self.fetching = True
        self._load(self._generation, self.rows[-1].session.started_at, PAGE_SIZE, append=True)

    @work(thread=True, group="sessions", exit_on_error=False)
    def _load(self, generation: int, before: int | None, limit: int, *, append: bool) -> None:
        from smtui.store.db import connect

        try:
            conn = connect(self.db_path)
            try:
                page = load_page(conn, before, limit)
            finally:
                conn.close()
        except Exception as exc:
            self.post_message(HistoryLoaded(generation, None, describe_error(exc), append=append))
        else:
            self.post_message(HistoryLoaded(generation, page, None, append=append))

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self.fetching = False
        status = self.query_one("#sessions-status", Static)
        if message.page is None:
            status.update(
                Content.assemble(
                    ("Could not load the history\n", "bold $error"), message.error or ""
                )
            )
            return
        table: DataTable[Text] = self.query_one(DataTable)
        now = clock.now()
        if not message.append:
            keep = self.highlighted_session
            table.clear()
            self.rows = []
        else:
            keep = None
        for row in message.page.rows:
            table.add_row(*history_cells(row, self.zone, now), key=str(row.session.id))
        self.rows.extend(message.page.rows)
        self.more = message.page.more
        self.total = message.page.total
        if keep is not None:
            ids = [row.session.id for row in self.rows]
            if keep.id in ids:
                table.move_cursor(row=ids.index(keep.id))
        self._status()

    def _status(self) -> None:
        status = self.query_one("#sessions-status", Static)
        if not self.rows:
            status.update("No sessions yet.")
            return
        shown = len(self.rows)
        more = " · more load as you scroll" if self.more else ""
        status.update(f"{shown} of {self.total} sessions, newest first{more}")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= len(self.rows) - LOAD_AHEAD:
            self.load_more()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    @property
    def highlighted_session(self) -> Session | None:
        if not self.rows:
            return None
        index = self.query_one(DataTable).cursor_row
        return self.rows[index].session if 0 <= index < len(self.rows) else None

    # --- actions -----------------------------------------------------------------------------

    def action_edit(self) -> None:
        session = self.highlighted_session
        if session is None:
            self.notify("No session to edit.", severity="warning")
            return
        dialog = SessionFormDialog(
            session,
            self.config,
            self.zone,
            self.choices(),
            db_path=self.db_path,
            cursor_blink=self.cursor_blink,
        )
        self.app.push_screen(dialog, self.saved)

    def action_delete(self) -> None:
        session = self.highlighted_session
        if session is None:
            self.notify("No session to delete.", severity="warning")
            return
        row = self.rows[self.query_one(DataTable).cursor_row]
        when = format_clock(session.started_at, self.zone, with_date=True)
        length = format_duration(session.active_seconds(clock.now()))
        running = " It is running: deleting it drops it, as cancel does." if session.running else ""
        plural = "s are" if row.outcomes != 1 else " is"
        kept = (
            f" Its {row.outcomes} outcome{plural} kept, without a session." if row.outcomes else ""
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(delete_session_action(session.id))

        self.app.push_screen(
            ConfirmDialog(
                f"Delete session #{session.id} ({session.platform}, {when}, {length})?",
                (running + kept).strip(),
            ),
            answered,
        )

    def action_reload(self) -> None:
        self.reload()


class SessionFormDialog(Dialog[str]):
    """Edit a session: platform, intent, start and end (in your zone), note, tags."""

    def __init__(
        self,
        session: Session,
        config: Config,
        zone: tzinfo,
        choices: Choices,
        *,
        db_path: str,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__(db_path=db_path, cursor_blink=cursor_blink)
        self.session = session
        self.config = config
        self.zone = zone
        self.choices = choices
        self.start = session_fields(session, zone)

    def compose(self) -> ComposeResult:
        start = self.start
        with Vertical(classes="dialog compact-form", id="session-dialog"):
            yield Label(f"Edit session #{self.session.id}", classes="dialog-title")
            with Horizontal(classes="field"):
                yield Label("Platform", classes="field-label")
                yield FuzzyField(
                    self.choices.platforms, start.platform, closed=True, id="session-platform"
                )
            with Horizontal(classes="field"):
                yield Label("Intent", classes="field-label")
                yield FuzzyField(
                    self.choices.intents, start.intent, placeholder="optional", id="session-intent"
                )
            with Horizontal(classes="field"):
                yield Label("Started", classes="field-label")
                yield Input(
                    start.start, placeholder="YYYY-MM-DD HH:MM", compact=True, id="session-start"
                )
            with Horizontal(classes="field"):
                yield Label("Ended", classes="field-label")
                yield Input(
                    start.end,
                    placeholder="running: stop it to end it",
                    compact=True,
                    disabled=self.session.running,
                    id="session-end",
                )
            with Horizontal(classes="field"):
                yield Label("Note", classes="field-label")
                yield Input(start.note, placeholder="optional", compact=True, id="session-note")
            with Horizontal(classes="field"):
                yield Label("Tags", classes="field-label")
                yield Input(
                    start.tags, placeholder="comma separated", compact=True, id="session-tags"
                )
            yield Static(
                "Times are in your zone: 2026-03-04 09:30, or 09:30 for today.",
                classes="dialog-hint",
            )
            yield Static("", classes="dialog-error", id="session-error")
            yield self.buttons("Save", "session-confirm")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.confirm()

    def draft(self) -> SessionDraft:
        return SessionDraft(
            platform=self.query_one("#session-platform", Input).value,
            intent=self.query_one("#session-intent", Input).value,
            start=self.query_one("#session-start", Input).value,
            end=self.query_one("#session-end", Input).value,
            note=self.query_one("#session-note", Input).value,
            tags=self.query_one("#session-tags", Input).value,
        )

    def confirm(self) -> None:
        action = edit_session_action(
            self.session, self.draft(), self.config, self.zone, clock.now()
        )
        self.save(action)
