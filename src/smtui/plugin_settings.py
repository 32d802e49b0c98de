"""The switches that decide which plugins load and how loudly they fail.

Kept apart from :mod:`smtui.plugins`, which imports pluggy, so the everyday commands can read
them (to know whether any plugin listens to their events) without paying for pluggy.
"""

from __future__ import annotations

import os

ENTRY_POINT_GROUP = "smtui"
LOAD_ENV = "SMTUI_LOAD_PLUGINS"
STRICT_ENV = "SMTUI_STRICT_PLUGINS"
# smtui's own plugins live here; an entry point into this package is never third-party.
BUILTIN_PACKAGE = "smtui.builtins"


def only_env() -> set[str] | None:
    """Plugin ids or distributions named by ``SMTUI_LOAD_PLUGINS``; None when it is unset."""
    raw = os.environ.get(LOAD_ENV)
    if raw is None:
        return None
    return {name.strip() for name in raw.split(",") if name.strip()}


def strict() -> bool:
    """Whether plugin failures re-raise (``SMTUI_STRICT_PLUGINS=1``) instead of being reported."""
    return os.environ.get(STRICT_ENV, "").strip().lower() in {"1", "true", "yes", "on"}
