"""The plugin health table, as plain rows: one source for ``smtui plugins`` and the dashboard.

Records are the dicts of :meth:`smtui.plugins.PluginHealth.as_dict` (also what ``smtui plugins
--json`` prints, so a health report read back from another process goes through the same
functions). Nothing here imports Textual or any plugin's code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smtui.plugins import DISABLED, ERROR

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    HealthRecord = Mapping[str, Any]

HEALTH_COLUMNS: tuple[str, ...] = (
    "plugin",
    "distribution",
    "version",
    "status",
    "provides",
    "error",
)

# A category with more names than this is summed up as a count ("10 outcome kinds").
_NAMES_SHOWN = 3


def is_hidden_by_default(record: HealthRecord) -> bool:
    """Built-ins and disabled plugins are shown only on request (``--all``)."""
    return bool(record.get("builtin")) or record.get("status") == DISABLED


def shown(records: Iterable[HealthRecord], *, show_all: bool) -> list[HealthRecord]:
    """The records a listing shows: third-party plugins, or every one with ``show_all``."""
    return [r for r in records if show_all or not is_hidden_by_default(r)]


def provides_text(provides: Iterable[str]) -> str:
    """``scorer checklist; source csv, mailchimp; 10 outcome kinds`` from ``category:name``."""
    by_category: dict[str, list[str]] = {}
    for entry in provides:
        category, _, name = entry.partition(":")
        by_category.setdefault(category, []).append(name)
    parts = []
    for category, names in by_category.items():
        label = category.replace("_", " ")
        if len(names) > _NAMES_SHOWN:
            parts.append(f"{len(names)} {label}s")
        else:
            parts.append(f"{label} {', '.join(names)}")
    return "; ".join(parts)


def health_row(record: HealthRecord) -> list[str]:
    """One row of the table, in :data:`HEALTH_COLUMNS` order."""
    values = dict(record)
    values["provides"] = provides_text(record.get("provides") or ())
    return [str(values.get(column) or "") for column in HEALTH_COLUMNS]


def health_rows(records: Iterable[HealthRecord]) -> list[list[str]]:
    return [health_row(record) for record in records]


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def _failed(records: Iterable[HealthRecord]) -> list[str]:
    return [str(r.get("plugin")) for r in records if r.get("status") == ERROR]


def problems_summary(records: Iterable[HealthRecord]) -> str:
    """``2 plugins failed to load (a, b)``, or ``""`` when none did."""
    failed = _failed(records)
    if not failed:
        return ""
    return f"{_count(len(failed), 'plugin')} failed to load ({', '.join(failed)})"


def problems_note(records: Sequence[HealthRecord]) -> str:
    """:func:`problems_summary` and what to do about it, or ``""`` when every plugin loaded."""
    failed = _failed(records)
    if not failed:
        return ""
    one = failed[0] if len(failed) == 1 else "NAME"
    return (
        f'{problems_summary(records)}: switch it off with disabled = ["{one}"] under'
        f" [plugins] in the config file, or remove it with `smtui plugins uninstall {one}`"
    )


def hidden_note(
    records: Sequence[HealthRecord], *, show_all: bool, reveal: str = "--all shows them"
) -> str:
    """What the default listing leaves out, or ``""`` when it shows everything."""
    if show_all:
        return ""
    builtin = sum(1 for r in records if r.get("builtin"))
    disabled = sum(1 for r in records if not r.get("builtin") and r.get("status") == DISABLED)
    parts = [_count(builtin, "built-in plugin")] if builtin else []
    if disabled:
        parts.append(_count(disabled, "disabled plugin"))
    return f"{' and '.join(parts)} not shown ({reveal})" if parts else ""
