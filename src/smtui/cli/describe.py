"""Help text for what plugins provide: each source or strategy with the options it declares.

The options come from the same declarations that validate ``[sources.<alias>]`` and
``[scoring.<name>]`` tables, so the help can never disagree with the config checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def describe_plugins(classes: Mapping[str, Any], table: str) -> str:
    """``name: title [platform]`` per class, its description, and its options below.

    ``table`` names the config table the options go in (``sources`` or ``scoring``).
    """
    lines: list[str] = []
    for name, cls in sorted(classes.items()):
        platform = getattr(cls, "platform", None)
        lines.append(f"{name}: {cls.title}" + (f" [{platform}]" if platform else ""))
        description = getattr(cls, "description", "")
        if description:
            lines.append(f"  {description}")
        options = [option for option in cls.options if option.name != "type"]
        if options:
            lines.append(
                f"  options in [{table}.<name>] with type = {name!r}:"
                if table == "sources"
                else f"  options in [{table}.{name}]:"
            )
            lines.extend(f"    {option.describe()}" for option in options)
    return "\n".join(lines)
