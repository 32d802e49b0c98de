"""smtui-example-source: import a scheduling tool's JSON Lines export into smtui.

This module is the plugin: the ``smtui`` entry point in ``pyproject.toml`` names it, and smtui
imports it and calls the hooks below. It imports only :mod:`smtui.api`, so it keeps working
when smtui reorganises its internals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smtui.api import hookimpl

from smtui_example_source.source import SchedulerJsonlSource

if TYPE_CHECKING:
    from collections.abc import Callable

    from smtui.api import DataSource

__all__ = ["SchedulerJsonlSource", "register_sources"]


@hookimpl
def register_sources(register: Callable[[type[DataSource]], None]) -> None:
    """Offer the ``scheduler_jsonl`` source; the user configures it in ``[sources.<alias>]``."""
    register(SchedulerJsonlSource)
