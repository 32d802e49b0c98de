"""What the Goals and Sessions screens share: the store they read, and writes in a worker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable

from smtui.tui.forms import describe_error, run_action

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import tzinfo

    from smtui.config import Config
    from smtui.tui.choices import Choices
    from smtui.tui.forms import Action


class WriteDone(Message):
    """A write started by a screen finished: ``message`` to show, or ``error``."""

    def __init__(self, message: str | None, error: str | None) -> None:
        super().__init__()
        self.message = message
        self.error = error


class StoreScreen(Screen[None]):
    """A full screen over the store: it reads in workers, and writes in a worker of its own.

    ``choices`` returns what the forms offer (platforms, intents, outcome kinds); ``changed``
    tells the app that this screen wrote, so the dashboard reloads at once.
    """

    def __init__(
        self,
        db_path: str,
        config: Config,
        zone: tzinfo,
        choices: Callable[[], Choices],
        changed: Callable[[], None],
        *,
        cursor_blink: bool = True,
        id: str,
    ) -> None:
        super().__init__(id=id)
        self.db_path = db_path
        self.config = config
        self.zone = zone
        self.choices = choices
        self.changed = changed
        self.cursor_blink = cursor_blink

    def reload(self) -> None:
        """Read what the screen shows again (the database changed)."""
        raise NotImplementedError

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

    @property
    def table_text(self) -> str:
        """The table as plain text, one ``a | b | c`` line per row."""
        table: DataTable[Text] = self.query_one(DataTable)
        return "\n".join(
            " | ".join(str(cell) for cell in table.get_row_at(index))
            for index in range(table.row_count)
        )
