"""Turning registered source classes and ``[sources.<alias>]`` tables into usable sources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smtui.errors import ConfigError
from smtui.options import apply_options

if TYPE_CHECKING:
    from smtui.plugins import Registry
    from smtui.sources.base import DataSource


def configured_sources(registry: Registry, tables: dict[str, dict[str, Any]]) -> list[DataSource]:
    """One instance per ``[sources.<alias>]`` table, plus every source that needs no options.

    Export formats (X, LinkedIn, ...) work without any configuration; sources that need
    settings (a CSV column mapping) exist only where the user wrote them. A configured table
    of a format (say, to name the account) replaces that format's default instance, so a file
    is never claimed twice.
    """
    from smtui.core.kinds import closest

    instances: list[DataSource] = []
    for alias, table in sorted(tables.items()):
        kind = table.get("type")
        cls = registry.sources.get(kind) if isinstance(kind, str) else None
        if cls is None:
            guess = closest(str(kind), list(registry.sources)) if kind else None
            hint = f"did you mean {guess!r}? " if guess else ""
            raise ConfigError(
                f"[sources.{alias}] type = {kind!r} is not an installed source",
                hint + "installed: " + ", ".join(sorted(registry.sources)),
            )
        values = apply_options(cls.options, table, f"[sources.{alias}]", ignore=("type",))
        instances.append(cls(values, alias))
    configured = {type(instance) for instance in instances}
    for name, cls in sorted(registry.sources.items()):
        if cls in configured:  # the user's table replaces the default: one claim per file
            continue
        if not any(option.required for option in cls.options):
            instances.append(cls(apply_options(cls.options, {}, f"[sources.{name}]"), None))
    return instances
