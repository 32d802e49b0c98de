"""Messages worker threads post to the app thread (the only thread that touches widgets)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from collections.abc import Sequence


class PanelsLoaded(Message):
    """Loaders finished: for each panel, ``(panel, data, error)``, the data to show or the error
    to show instead. One message for every panel read together: they are drawn in one go.

    ``generation`` numbers the reload that produced it, so a slow, superseded reload can never
    overwrite newer data; ``now`` is when they were read.
    """

    def __init__(
        self, generation: int, now: int, results: Sequence[tuple[str, object, str | None]]
    ) -> None:
        super().__init__()
        self.generation = generation
        self.now = now
        self.results = results


class DatabaseChanged(Message):
    """Something (this app, the command line, another terminal) committed to the database."""

    def can_replace(self, message: Message) -> bool:
        """A burst of changes needs one reload, not one each."""
        return isinstance(message, DatabaseChanged)


class PluginsLoaded(Message):
    """The Plugins screen's worker loaded the plugins: ``data`` is a ``PluginsView``, or
    ``error`` says why the plugins could not be loaded at all. ``panels_only`` when only the
    panels are to be read again (the health table stays as it is)."""

    def __init__(
        self,
        generation: int,
        data: object = None,
        error: str | None = None,
        *,
        panels_only: bool = False,
    ) -> None:
        super().__init__()
        self.generation = generation
        self.data = data
        self.error = error
        self.panels_only = panels_only


class PluginPanelLoaded(Message):
    """One plugin panel answered (``data``, a ``PanelLines``) or failed (``error``)."""

    def __init__(
        self, name: str, generation: int, now: int, data: object = None, error: str | None = None
    ) -> None:
        super().__init__()
        self.name = name
        self.generation = generation
        self.now = now
        self.data = data
        self.error = error
