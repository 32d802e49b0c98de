"""What plugins add besides sources and strategies: commands and dashboard panels.

Both are plain Python, free of argparse at import and of Textual entirely, so a plugin's
command runs the same from any shell and its panel can be tested without a terminal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    import argparse
    import sqlite3
    from datetime import tzinfo


class CommandContext:
    """What a plugin command gets to work with: the store, the config, the zone, output.

    ``conn`` opens the user's database on first use (migrated, one transaction per action
    through :class:`smtui.store.db.Transaction`); ``config`` is the loaded configuration;
    ``zone`` the user's time zone; ``out`` prints a line to standard output.
    """

    def __init__(self, ctx: Any) -> None:
        self._ctx = ctx

    @property
    def conn(self) -> sqlite3.Connection:
        return self._ctx.conn  # type: ignore[no-any-return]

    @property
    def config(self) -> Any:
        return self._ctx.config

    @property
    def zone(self) -> tzinfo:
        return self._ctx.zone  # type: ignore[no-any-return]

    def out(self, text: str = "") -> None:
        self._ctx.out(text)


def reserved_command_names() -> frozenset[str]:
    """Names a plugin command cannot take: every built-in command, and ``dashboard``."""
    from smtui.cli.spec import BY_NAME

    return frozenset({*BY_NAME, "dashboard"})


class Command:
    """A ``smtui`` subcommand added by a plugin (``smtui NAME ...``).

    Set ``name`` and ``help``; declare arguments in :meth:`add_arguments` (an argparse
    parser); do the work in :meth:`run` and return the exit code. Raise
    :class:`smtui.api.PluginError` for failures the user can act on: smtui prints it as one
    line, never a traceback. Built-in command names (:func:`reserved_command_names`) cannot be
    taken.
    """

    name: ClassVar[str] = ""
    help: ClassVar[str] = ""

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Declare the command's options and arguments (none by default)."""

    def run(self, args: argparse.Namespace, context: CommandContext) -> int:
        raise NotImplementedError


class Panel:
    """A dashboard panel added by a plugin (provisional: the shape may still gain fields).

    :meth:`load` runs in a worker thread with its own database connection and a timeout; it
    returns the lines to show as ``(label, value)`` pairs. An exception shows as an error in
    the panel; the rest of the dashboard carries on.
    """

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""

    def load(self, conn: sqlite3.Connection, now: int) -> list[tuple[str, str]]:
        raise NotImplementedError
