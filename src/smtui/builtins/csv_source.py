"""The ``csv`` source: any CSV export, read through a column mapping the user writes.

For tools smtui has no importer for (Buffer, Hootsuite, Later, a spreadsheet of one's own)::

    [sources.buffer]
    type = "csv"
    platform = "linkedin"
    date_format = "%d/%m/%Y %H:%M"
    timezone = "Europe/Paris"
    columns = { external_id = "Post ID", published_at = "Date", text = "Text",
                impressions = "Impressions", likes = "Likes" }

A file is recognised as this source when its header has every mapped column.
"""

from __future__ import annotations

from smtui.errors import ConfigError
from smtui.hookspecs import hookimpl
from smtui.options import Option, zone_option
from smtui.sources.base import DataSource
from smtui.sources.csv_mapping import MAPPABLE_FIELDS, ColumnMapping, RowReader
from smtui.sources.csvfile import (
    decode_head,
    detect_encoding,
    find_header,
    first_row,
    looks_binary,
    normalise_encoding,
    read_head,
    read_table,
)
from smtui.sources.errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any

    from smtui.sources.records import Record


class CsvSource(DataSource):
    """Posts from a CSV file whose columns are named in ``[sources.<alias>] columns``."""

    name = "csv"
    title = "CSV with a column mapping"
    options = (
        Option("type", str, default="csv", help='always "csv" for this source'),
        Option("platform", str, required=True, help="the platform the posts are on, e.g. linkedin"),
        Option(
            "columns",
            dict,
            required=True,
            help="field = CSV column name; external_id is required, others optional: "
            + ", ".join(MAPPABLE_FIELDS[1:]),
        ),
        Option(
            "date_format",
            str,
            help="strptime format of published_at, e.g. %d/%m/%Y %H:%M (default: guess)",
        ),
        Option("timezone", str, default="UTC", help="time zone of dates written without one"),
        Option("delimiter", str, help="field separator (default: detected)"),
        Option("encoding", str, help="text encoding (default: UTF-8 or UTF-16 by byte order mark)"),
    )

    def __init__(self, options: dict[str, Any] | None = None, alias: str | None = None) -> None:
        super().__init__(options, alias)
        where = f"sources.{self.alias}"
        values = self.option_values
        platform = values.get("platform")
        if not isinstance(platform, str) or not platform.strip():
            raise ConfigError(f"{where}.platform is required", 'e.g. platform = "linkedin"')
        columns = values.get("columns")
        if not isinstance(columns, dict):
            raise ConfigError(
                f"{where}.columns is required",
                'e.g. columns = { external_id = "Post ID", impressions = "Impressions" }',
            )
        self.config_table = f"[{where}]"
        self.post_platform = platform.strip().casefold()
        self.mapping = ColumnMapping(columns, f"{where}.columns")
        self.date_format: str | None = values.get("date_format") or None
        self.zone = zone_option(values.get("timezone") or "UTC", where)
        self.delimiter = _delimiter(values.get("delimiter"), where)
        self.encoding = _encoding(values.get("encoding"), where)

    def sniff(self, head: bytes, path: str) -> bool:
        encoding = self.encoding or detect_encoding(head)
        if not head or looks_binary(head, encoding):
            return False
        text = decode_head(head, encoding)
        return find_header(text, self.mapping.wanted, self.delimiter) is not None

    def read(self, path: str) -> Iterator[Record | InputError]:
        head = read_head(path)
        if not head:
            raise InputError(path, "a CSV file with a header row", got="an empty file")
        encoding = self.encoding or detect_encoding(head)
        if looks_binary(head, encoding):
            raise InputError(
                path, "a CSV file", got="binary data", hint="export or save the file as CSV"
            )
        text = decode_head(head, encoding)
        layout = find_header(text, self.mapping.wanted, self.delimiter)
        if layout is None:
            found = first_row(text, self.delimiter)
            raise self.mapping.missing_error(path, found, self.config_table)
        rows = read_table(path, encoding, layout, config_table=self.config_table)
        _, header = next(rows)
        reader = RowReader(
            self.mapping,
            header,
            file=path,
            platform=self.post_platform,
            zone=self.zone,
            date_format=self.date_format,
        )
        for line, cells in rows:
            try:
                yield reader.post(line, cells)
            except InputError as exc:
                yield exc


def _delimiter(value: object, where: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) != 1 or value in '"\r\n':
        raise ConfigError(
            f"{where}.delimiter must be one character, not {value!r}", 'e.g. delimiter = ";"'
        )
    return value


def _encoding(value: object, where: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        return normalise_encoding(str(value))
    except LookupError:
        raise ConfigError(
            f"{where}.encoding: unknown encoding {value!r}", 'e.g. encoding = "cp1252"'
        ) from None


@hookimpl
def register_sources(register: Callable[[type[DataSource]], None]) -> None:
    """Offer the generic CSV source to every configuration."""
    register(CsvSource)
