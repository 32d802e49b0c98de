"""What a command needs, opened only when first used: args, config, database, zone, plugins."""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from datetime import tzinfo
    from typing import Any

    from smtui.config import Config
    from smtui.core.kinds import OutcomeKind
    from smtui.plugins import Registry


class Args:
    """Parsed arguments as attributes (the same shape from both parsers)."""

    def __init__(self, values: dict[str, object]) -> None:
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:  # options a command does not declare read as None
        return None


class Context:
    """Lazily opened resources shared by one command run."""

    def __init__(self, values: dict[str, object]) -> None:
        self.args = Args(values)
        self._config: Config | None = None
        self._conn: sqlite3.Connection | None = None
        self._zone: tzinfo | None = None
        self._registry: Registry | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            from smtui.config import load_config

            self._config = load_config(self.args.config)
            for warning in self._config.warnings:
                print(f"smtui: warning: {warning}", file=sys.stderr)
        return self._config

    @property
    def db_path(self) -> str:
        from smtui.paths import database_path

        return database_path(self.args.db or self.config.database)

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            from smtui.store.db import connect

            self._conn = connect(self.db_path)
        return self._conn

    @property
    def zone(self) -> tzinfo:
        if self._zone is None:
            from smtui.core.timespec import user_timezone

            self._zone = user_timezone(self.config.timezone)
        return self._zone

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            from smtui.plugins import load_registry

            self._registry = load_registry(self.config)
        return self._registry

    def resolve_kind(self, name: str) -> OutcomeKind:
        """The outcome kind meant by ``name``: built-ins first, plugins loaded only if needed."""
        from smtui.core.kinds import BUILTIN_KINDS, resolve_kind
        from smtui.errors import UsageError

        try:
            return resolve_kind(name, BUILTIN_KINDS)
        except UsageError:
            return resolve_kind(name, self.registry.outcome_kinds)

    def resolve_platform(self, name: str) -> str:
        """The canonical platform for ``name``, as ``core.platforms.resolve_platform`` decides."""
        from smtui.core.platforms import resolve_platform

        config = self.config
        return resolve_platform(
            name,
            self.conn,
            (*config.platforms, *config.target_platforms),
            lambda: [cls.platform for cls in self.registry.sources.values() if cls.platform],
        )

    def when(self, at: str | None = None, ago: str | None = None) -> int | None:
        """The instant given by ``--at``/``--ago``, or None for now (no time parsing needed)."""
        if at is None and ago is None:
            return None
        from smtui import clock
        from smtui.core.timespec import resolve_when

        return resolve_when(at, ago, clock.now(), self.zone)

    def out(self, text: str = "") -> None:
        print(text)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
