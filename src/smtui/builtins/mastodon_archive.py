"""The Mastodon account archive as a built-in source: post history from ``outbox.json``.

Give it the archive zip as downloaded or the extracted ``outbox.json``; either is recognised
from its content. Posts are keyed on the status id, as the Mastodon API reports it, so the
archive and the API fill the same posts. Archives hold no engagement counts before Mastodon
added ``likes``/``shares`` totals to Notes; where present they are stored.
"""

from __future__ import annotations

from smtui.hookspecs import hookimpl
from smtui.sources.base import DataSource
from smtui.sources.mastodon_archive import (
    PLATFORM,
    OutboxSummary,
    load_archive,
    outbox_posts,
    sniff_archive,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from smtui.sources.errors import InputError
    from smtui.sources.records import Record


class MastodonOutboxSource(DataSource):
    """Own posts (not boosts, not direct messages) from a Mastodon account archive.

    ``last_summary`` says, after a read, how many boosts and direct messages were left out.
    """

    name = "mastodon_outbox"
    title = "Mastodon account archive (outbox.json)"
    platform = PLATFORM

    def __init__(self, options: dict[str, object] | None = None, alias: str | None = None) -> None:
        super().__init__(options, alias)
        self.last_summary = OutboxSummary()

    def sniff(self, head: bytes, path: str) -> bool:
        return sniff_archive(head, path)

    def read(self, path: str) -> Iterator[Record | InputError]:
        outbox, actor, where = load_archive(path)
        self.last_summary = summary = OutboxSummary()
        yield from outbox_posts(outbox, actor, where, summary)


@hookimpl
def register_sources(register: Callable[[type[DataSource]], None]) -> None:
    """Offer the Mastodon archive source to every configuration (it needs no options)."""
    register(MastodonOutboxSource)
