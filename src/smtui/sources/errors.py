"""The error a source raises (or yields) when a file is not what it should be.

It names the file, the line and the column the way a user sees them in a spreadsheet, and says
what was expected and what was found, so the user can open the file and fix it:
``posts.csv line 14, column "Impressions": expected a whole number, got 'abc'``.
"""

from __future__ import annotations

from smtui.errors import SmtuiError


class InputError(SmtuiError):
    """A file (or one row of it) could not be imported.

    ``line`` is the 1-based line where the row starts (None for a problem with the whole file);
    ``column`` is the header name as written in the file. ``got`` is shown as given, so callers
    pass ``repr(cell)`` for a cell value and plain words ("an empty file") for a description.
    """

    title = "Cannot import"
    exit_code = 2  # bad input, like a bad argument; 1 is for state problems

    def __init__(
        self,
        file: str,
        expected: str,
        got: str | None = None,
        *,
        line: int | None = None,
        column: str | None = None,
        hint: str = "",
    ) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.expected = expected
        self.got = got
        super().__init__(f"{self.where}: {self.reason}", hint)

    @property
    def where(self) -> str:
        """``posts.csv line 14, column "Impressions"``: as precise as the problem allows."""
        where = self.file
        if self.line is not None:
            where += f" line {self.line}"
        if self.column is not None:
            where += f'{"," if self.line is not None else ""} column "{self.column}"'
        return where

    @property
    def reason(self) -> str:
        """What was wrong, without the location (for lists of skipped rows)."""
        return f"expected {self.expected}" + (f", got {self.got}" if self.got is not None else "")
