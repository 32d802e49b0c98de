"""The Sessions screen: the whole history, newest first; edit or delete a session.

The table fills a page at a time (:mod:`smtui.tui.history`): moving the cursor near the end
reads the next page, so a history of 100,000 sessions opens as fast as one of ten. Edits go
through :func:`smtui.core.sessions.edit` (overlaps and future times are refused, and the
reason stays in the form); deleting asks first and keeps the session's outcomes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from smtui import clock
from smtui.core.timespec import format_clock, format_duration
from smtui.errors import UsageError
from smtui.tui.fields import FuzzyField
from smtui.tui.forms import (
    SessionDraft,
    delete_session_action,
    edit_session_action,
    parse_local_time,
    session_fields,
)
from smtui.tui.history import PAGE_SIZE, PLAYTIME, PRODUCTIVE, RUNNING, HistoryRow, load_page
from smtui.tui.modals import Dialog, field_row
from smtui.tui.screen_base import StoreScreen

if TYPE_CHECKING:
    import sqlite3
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


class SessionsScreen(StoreScreen[HistoryRow]):
    """Every session, newest first, a page at a time."""

    NAME = "sessions"
    TITLE_TEXT = "Sessions"
    COLUMNS = SESSION_COLUMNS
    WHAT = "the history"
    PAGE = PAGE_SIZE
    BINDINGS: ClassVar = [
        Binding("escape", "app.pop_screen", "Back", id="sessions.back"),
        Binding("e", "edit", "Edit", id="sessions.edit", tooltip="Edit the highlighted session"),
        Binding(
            "d", "delete", "Delete", id="sessions.delete", tooltip="Delete the highlighted session"
        ),
        Binding("r", "reload", "Refresh", id="sessions.refresh", tooltip="Read the history again"),
    ]

    def read(
        self, conn: sqlite3.Connection, after: HistoryRow | None, limit: int | None
    ) -> tuple[list[HistoryRow], bool, int]:
        before = None if after is None else after.session.started_at
        page = load_page(conn, before, limit or PAGE_SIZE)
        return page.rows, page.more, page.total

    def cells(self, row: HistoryRow, now: int) -> tuple[Text, ...]:
        return history_cells(row, self.zone, now)

    def key(self, row: HistoryRow) -> int:
        return row.session.id

    def describe(self) -> None:
        if not self.rows:
            self.detail.update("No sessions yet.")
            return
        more = " · more load as you scroll" if self.more else ""
        self.detail.update(f"{len(self.rows)} of {self.total} sessions, newest first{more}")

    @property
    def highlighted_session(self) -> Session | None:
        row = self.highlighted_row
        return None if row is None else row.session

    # --- actions -------------------------------------------------------------------------------

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
        row = self.highlighted_row
        if row is None:
            self.notify("No session to delete.", severity="warning")
            return
        session = row.session
        when = format_clock(session.started_at, self.zone, with_date=True)
        length = format_duration(session.active_seconds(clock.now()))
        running = " It is running: deleting it drops it, as cancel does." if session.running else ""
        plural = "s are" if row.outcomes != 1 else " is"
        kept = (
            f" Its {row.outcomes} outcome{plural} kept, without a session." if row.outcomes else ""
        )
        self.confirm_write(
            f"Delete session #{session.id} ({session.platform}, {when}, {length})?",
            (running + kept).strip(),
            delete_session_action(session.id),
        )


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
            yield field_row(
                "Platform",
                FuzzyField(
                    self.choices.platforms, start.platform, closed=True, id="session-platform"
                ),
            )
            yield field_row(
                "Intent",
                FuzzyField(
                    self.choices.intents, start.intent, placeholder="optional", id="session-intent"
                ),
            )
            yield field_row(
                "Started",
                Input(
                    start.start, placeholder="YYYY-MM-DD HH:MM", compact=True, id="session-start"
                ),
            )
            yield field_row(
                "Ended",
                Input(
                    start.end,
                    placeholder="running: stop it to end it",
                    compact=True,
                    disabled=self.session.running,
                    id="session-end",
                ),
            )
            yield field_row(
                "Note",
                Input(start.note, placeholder="optional", compact=True, id="session-note"),
            )
            yield field_row(
                "Tags",
                Input(start.tags, placeholder="comma separated", compact=True, id="session-tags"),
            )
            yield Static(
                "Times are in your zone: 2026-03-04 09:30, or 09:30 for today.",
                classes="dialog-hint",
            )
            yield Static("", classes="dialog-error", id="session-error")
            yield self.buttons("Save", "session-confirm")

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
        draft = self.draft()
        now = clock.now()
        # A time that was changed must read as one: say so at its field, before saving.
        for what, typed, shown in (
            ("start", draft.start, self.start.start),
            ("end", draft.end, self.start.end),
        ):
            if typed.strip() != shown:
                try:
                    parse_local_time(typed, self.zone, now, what)
                except UsageError as exc:
                    self.show_error(str(exc), f"#session-{what}")
                    return
        self.save(edit_session_action(self.session, draft, self.config, self.zone, now))
