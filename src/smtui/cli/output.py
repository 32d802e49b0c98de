"""Rendering rows for people (aligned tables) and for scripts (JSON, CSV)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> object:
    """Neutralise cells a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Plain aligned columns; numbers right-aligned."""
    cells = [[("" if value is None else str(value)) for value in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], len(value))
    numeric = [
        all(isinstance(row[i], int | float) or row[i] is None for row in rows) and bool(rows)
        for i in range(len(headers))
    ]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(widths[i]) if numeric[i] else v.ljust(widths[i]) for i, v in enumerate(values)
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, cells)])


def as_csv(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows([[csv_safe(v) for v in row] for row in rows])
    return buffer.getvalue().rstrip("\n")


def as_json(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)


def rows_out(
    fmt: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    records: list[dict[str, Any]],
) -> str:
    """One listing in the chosen format: ``table``, ``csv`` or ``json`` (full records)."""
    if fmt == "json":
        return as_json(records)
    if fmt == "csv":
        return as_csv(headers, rows)
    if not rows:
        return "(none)"
    return table(headers, rows)


def confirm(question: str, assume_yes: bool) -> None:
    """Ask before destroying anything; refuse when nobody can answer (no terminal)."""
    import sys

    from smtui.errors import UsageError

    if assume_yes:
        return
    if not sys.stdin.isatty():
        raise UsageError(f"{question} needs confirmation", "add --yes to confirm")
    answer = input(f"{question} [y/N] ").strip().lower()
    if answer not in ("y", "yes"):
        raise UsageError("not confirmed; nothing was changed")
