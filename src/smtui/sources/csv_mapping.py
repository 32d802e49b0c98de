"""A column mapping: which CSV header feeds which field of a :class:`PostRecord`.

The generic CSV source builds one from the user's ``columns`` table; a platform importer can
build one from a fixed table and reuse the same row reading, null handling and error messages.
"""

from __future__ import annotations

from smtui.errors import ConfigError
from smtui.sources.cells import CellError, is_null, parse_count, parse_id, parse_timestamp
from smtui.sources.csvfile import header_keys, normalise
from smtui.sources.errors import InputError
from smtui.sources.records import METRIC_COLUMNS, PostRecord

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import tzinfo
    from typing import Any

# Post fields a mapping may fill, besides the metrics; ``external_id`` is required.
POST_FIELDS = ("external_id", "published_at", "text", "url", "kind", "account")
MAPPABLE_FIELDS = POST_FIELDS + METRIC_COLUMNS


class ColumnMapping:
    """Field name -> CSV header name, checked against the fields a post has."""

    __slots__ = ("headers",)

    def __init__(self, columns: Mapping[str, Any], where: str) -> None:
        from smtui.core.kinds import closest

        for field, header in columns.items():
            if field not in MAPPABLE_FIELDS:
                guess = closest(field, MAPPABLE_FIELDS)
                known = ", ".join(MAPPABLE_FIELDS)
                hint = f"did you mean {guess!r}?" if guess else f"known: {known}"
                raise ConfigError(f"{where} maps an unknown field {field!r}", hint)
            if not isinstance(header, str) or not header.strip():
                raise ConfigError(
                    f"{where}.{field} must be the name of a CSV column, not {header!r}"
                )
        if "external_id" not in columns:
            raise ConfigError(
                f"{where} must map external_id",
                'name the column holding the post id, e.g. external_id = "Post ID"',
            )
        self.headers: dict[str, str] = dict(columns)

    @property
    def wanted(self) -> set[str]:
        """The normalised header names a file must have to be read with this mapping."""
        return {normalise(header) for header in self.headers.values()}

    def missing_error(self, path: str, found: list[str], config_table: str) -> InputError:
        """The error for a file whose header lacks mapped columns, with did-you-means."""
        from smtui.core.kinds import closest

        present = set(header_keys(found))
        missing = [h for h in self.headers.values() if normalise(h) not in present]
        guesses = [
            f"{h!r} -> {guess!r}?"
            for h in missing
            if (guess := closest(h, [cell.strip() for cell in found])) is not None
        ]
        shown = ", ".join(cell.strip() for cell in found) or "nothing"
        hint = f"fix the column names in {config_table} columns"
        if guesses:
            hint += ": " + ", ".join(guesses)
        return InputError(
            path,
            "a header with the column"
            + ("s " if len(missing) > 1 else " ")
            + ", ".join(f'"{h}"' for h in missing),
            got=f"a header with {shown}",
            hint=hint,
        )


class RowReader:
    """Turns data rows under one header into :class:`PostRecord` objects."""

    __slots__ = ("date_format", "file", "indexes", "names", "platform", "width", "zone")

    def __init__(
        self,
        mapping: ColumnMapping,
        header: list[str],
        *,
        file: str,
        platform: str,
        zone: tzinfo,
        date_format: str | None = None,
    ) -> None:
        positions = {key: index for index, key in enumerate(header_keys(header))}
        self.indexes = {
            field: positions[normalise(name)] for field, name in mapping.headers.items()
        }
        self.names = [cell.strip() for cell in header]
        self.width = len(header)
        self.file = file
        self.platform = platform
        self.zone = zone
        self.date_format = date_format

    def post(self, line: int, cells: list[str]) -> PostRecord:
        """The post in one row; raises :class:`InputError` naming the line and column."""
        if len(cells) > self.width and any(cell.strip() for cell in cells[self.width :]):
            raise InputError(
                self.file, f"{self.width} fields like the header", got=str(len(cells)), line=line
            )
        values: dict[str, Any] = {}
        metrics: dict[str, int | None] = {}
        for field, index in self.indexes.items():
            cell = cells[index] if index < len(cells) else ""
            try:
                value = self._convert(field, cell)
            except CellError as exc:
                got = repr(cell) if cell.strip() else "an empty cell"
                raise InputError(
                    self.file, exc.expected, got=got, line=line, column=self.names[index]
                ) from None
            if field in METRIC_COLUMNS:
                metrics[field] = value
            else:
                values[field] = value
        when = values.pop("published_at", None)
        return PostRecord(
            self.platform,
            values.pop("external_id"),
            published_at=when[0] if when else None,
            day_only=when[1] if when else False,
            metrics=metrics,
            **values,
        )

    def _convert(self, field: str, cell: str) -> Any:
        if field in METRIC_COLUMNS:
            return parse_count(cell)
        if field == "external_id":
            return parse_id(cell)
        if field == "published_at":
            return parse_timestamp(cell, self.zone, self.date_format)
        if field == "text":
            return cell
        return "" if is_null(cell) else cell.strip()
