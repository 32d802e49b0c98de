"""Errors a user can act on.

Every error smtui shows a user is a :class:`SmtuiError`: a short title, a message that says
what was wrong, and a hint that says how to fix it. The command line prints them as one line
on stderr; the dashboard shows them in a toast. Kept free of imports so the fast commands
can raise them cheaply.
"""

from __future__ import annotations


class SmtuiError(Exception):
    """An error caused by input or state the user can fix; never shown with a traceback."""

    title = "Error"
    exit_code = 1

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class UsageError(SmtuiError):
    """A command line argument or option value was wrong."""

    title = "Invalid input"
    exit_code = 2


class NotFoundError(SmtuiError):
    """A session, outcome or goal the user named does not exist."""

    title = "Not found"


class StateError(SmtuiError):
    """The action does not fit the current state (e.g. nothing running to stop)."""

    title = "Not possible now"


class StoreError(SmtuiError):
    """The database could not be opened, migrated or written."""

    title = "Database problem"


class ConfigError(SmtuiError):
    """The configuration file is invalid."""

    title = "Configuration problem"
