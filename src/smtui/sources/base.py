"""The contract every data source implements (re-exported by :mod:`smtui.api`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from collections.abc import Iterator

    from smtui.options import Option
    from smtui.sources.errors import InputError
    from smtui.sources.records import Record

# How much of a file :meth:`DataSource.sniff` sees: enough for a wide header below a preamble.
SNIFF_BYTES = 64 * 1024


class DataSource:
    """Turns one platform export format (or API) into records smtui stores.

    Subclasses set the class attributes and implement :meth:`sniff` and :meth:`read`. One
    instance is made per configured ``[sources.<alias>]`` table (or with defaults for export
    formats that need no configuration); ``self.option_values`` holds the validated option values.
    Sources never touch the database: :func:`smtui.core.importing.import_files` stores what
    :meth:`read` yields, in one transaction, so every source gets atomic, idempotent imports.
    """

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    platform: ClassVar[str | None] = None
    options: ClassVar[tuple[Option, ...]] = ()

    def __init__(self, options: dict[str, Any] | None = None, alias: str | None = None) -> None:
        self.option_values: dict[str, Any] = dict(options or {})
        self.alias = alias or self.name

    def sniff(self, head: bytes, path: str) -> bool:
        """True when ``head`` (the first :data:`SNIFF_BYTES` of ``path``) is in this format.

        Formats are detected from content, never from file names. ``head`` is raw bytes: check
        the byte order mark before decoding (real exports use UTF-8, UTF-8 with BOM and UTF-16).
        """
        return False

    def read(self, path: str) -> Iterator[Record | InputError]:
        """Stream the records in the file, one at a time (files can be large).

        For a row that cannot be read, *yield* an :class:`~smtui.sources.errors.InputError`
        naming its line and column and carry on: the importer stops at it, or skips it when the
        user asked to skip bad rows. *Raise* one when the whole file is unreadable (no header,
        wrong encoding, binary data).
        """
        raise NotImplementedError
