"""Messages worker threads post to the app thread (the only thread that touches widgets)."""

from __future__ import annotations

from textual.message import Message


class PanelLoaded(Message):
    """A panel's loader finished: ``data`` to show, or ``error`` to show instead.

    ``generation`` numbers the reload that produced it, so a slow, superseded reload can never
    overwrite newer data.
    """

    def __init__(
        self, panel: str, generation: int, now: int, data: object = None, error: str | None = None
    ) -> None:
        super().__init__()
        self.panel = panel
        self.generation = generation
        self.now = now
        self.data = data
        self.error = error


class DatabaseChanged(Message):
    """Something (this app, the command line, another terminal) committed to the database."""

    def can_replace(self, message: Message) -> bool:
        """A burst of changes needs one reload, not one each."""
        return isinstance(message, DatabaseChanged)
