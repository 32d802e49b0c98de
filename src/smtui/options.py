"""Options declared once by a source or strategy, used everywhere they matter.

A plugin lists its :class:`Option` objects; smtui uses that one list to validate the
``[sources.<alias>]`` or ``[scoring.<name>]`` config table (unknown keys get a did-you-mean,
wrong types a precise message), to print ``--help`` text, and to build forms in the dashboard.
Secrets may only be given as ``{ env = "VAR" }``, never as plain text in the file.
"""

from __future__ import annotations

import os

from smtui.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import tzinfo
    from typing import Any

_TYPE_NAMES = {
    str: "a string",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "a table",
}


class Option:
    """One configurable setting of a plugin.

    ``kind`` is the Python type the TOML value must have (``float`` accepts integers too).
    """

    __slots__ = ("choices", "default", "help", "kind", "name", "required", "secret")

    def __init__(
        self,
        name: str,
        kind: type = str,
        *,
        default: Any = None,
        required: bool = False,
        secret: bool = False,
        choices: tuple[Any, ...] | None = None,
        help: str = "",
    ) -> None:
        self.name = name
        self.kind = kind
        self.default = default
        self.required = required
        self.secret = secret
        self.choices = choices
        self.help = help

    def __repr__(self) -> str:
        return f"Option({self.name!r}, {self.kind.__name__})"

    def describe(self) -> str:
        """One line for help texts: ``platform (a string, required): the platform ...``."""
        facts = [_TYPE_NAMES.get(self.kind, self.kind.__name__)]
        if self.secret:
            facts = ['a secret, written as { env = "VAR" }']
        if self.required:
            facts.append("required")
        elif self.default is not None:
            facts.append(f"default {self.default!r}")
        if self.choices is not None:
            facts.append("one of " + ", ".join(repr(c) for c in self.choices))
        return f"{self.name} ({', '.join(facts)})" + (f": {self.help}" if self.help else "")

    def convert(self, value: Any, where: str) -> Any:
        """Check one config value against this option and return it ready to use."""
        if self.secret:
            return resolve_secret(value, f"{where}.{self.name}")
        if self.kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, self.kind) or (self.kind is int and isinstance(value, bool)):
            expected = _TYPE_NAMES.get(self.kind, self.kind.__name__)
            raise ConfigError(
                f"{where}.{self.name} must be {expected}, not {type(value).__name__} {value!r}"
            )
        if self.choices is not None and value not in self.choices:
            allowed = ", ".join(repr(c) for c in self.choices)
            raise ConfigError(f"{where}.{self.name} is {value!r}; expected one of {allowed}")
        return value


def resolve_secret(value: Any, where: str) -> str:
    """The secret behind ``{ env = "VAR" }``; plain strings are refused so none sit in files."""
    if isinstance(value, dict) and set(value) == {"env"} and isinstance(value["env"], str):
        secret = os.environ.get(value["env"])
        if not secret:
            raise ConfigError(
                f"{where} reads the environment variable {value['env']}, which is not set",
                f"export {value['env']}=... before running smtui",
            )
        return secret
    raise ConfigError(
        f'{where} is a secret and must be written as {{ env = "VAR" }}',
        "keep the value in an environment variable, not in the config file",
    )


def zone_option(value: Any, where: str) -> tzinfo:
    """The time zone a source's ``timezone`` option names (``UTC`` or an IANA name)."""
    if not isinstance(value, str):
        raise ConfigError(f"{where}.timezone must be a string, not {value!r}")
    if value.strip().upper() == "UTC":
        from datetime import UTC

        return UTC
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(value.strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{where}.timezone: unknown time zone {value!r}", "use an IANA name like Europe/Paris"
        ) from None


def apply_options(
    options: tuple[Option, ...],
    table: Mapping[str, Any],
    where: str,
    *,
    ignore: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Validate a config table against declared options; return name -> value with defaults.

    Unknown keys are an error with a did-you-mean, because a misspelt option silently falling
    back to its default is the kind of bug users never find.
    """
    known = {option.name: option for option in options}
    for key in table:
        if key not in known and key not in ignore:
            from smtui.core.kinds import closest

            guess = closest(key, list(known))
            hint = (
                f"did you mean {guess!r}?"
                if guess
                else f"known: {', '.join(sorted(known)) or 'none'}"
            )
            raise ConfigError(f"unknown option {where}.{key}", hint)
    values: dict[str, Any] = {}
    for option in options:
        if option.name in table:
            values[option.name] = option.convert(table[option.name], where)
        elif option.required:
            raise ConfigError(f"{where}.{option.name} is required", option.help)
        else:
            values[option.name] = option.default
    return values
