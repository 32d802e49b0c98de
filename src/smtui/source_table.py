"""The registry's import sources by name; the built-in ones are imported on first use.

smtui ships about twenty import sources whose parsers (and the libraries behind them) are
most of the code smtui loads, yet most commands and the dashboard never import a file. So the
built-in source plugins are not imported when the plugins load: :data:`BUILTIN_SOURCES` says
which names each one registers, the registry lists them from there, and the first look at one
of their classes imports its module and asks its ``register_sources`` hook for the classes,
exactly as loading it would have (a test keeps the names in step with the modules).

To everything else, :class:`SourceTable` is the mapping of names to :class:`DataSource`
classes it always was: iterating names, ``in`` and ``len`` import nothing; looking a class up,
``values()`` and ``items()`` import what they need.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterator, MutableMapping
from typing import TYPE_CHECKING

from smtui.plugin_settings import strict

if TYPE_CHECKING:
    from smtui.sources.base import DataSource

    SourceClass = type[DataSource]

# Built-in plugin module -> the sources its register_sources hook registers, in that order.
# These plugins implement no other hook.
BUILTIN_SOURCES: dict[str, tuple[str, ...]] = {
    "smtui.builtins.csv_source": ("csv",),
    "smtui.builtins.x_export": ("x_tweets", "x_daily", "x_content", "x_overview"),
    "smtui.builtins.meta_export": (
        "facebook_posts",
        "instagram_posts",
        "meta_daily",
        "meta_audience",
        "instagram_insights",
    ),
    "smtui.builtins.linkedin_export": (
        "linkedin_content",
        "linkedin_followers",
        "linkedin_visitors",
        "linkedin_creator",
    ),
    "smtui.builtins.youtube_export": (
        "youtube_table",
        "youtube_chart",
        "youtube_totals",
        "youtube_zip",
    ),
    "smtui.builtins.tiktok_export": (
        "tiktok_overview",
        "tiktok_content",
        "tiktok_viewers",
        "tiktok_followers",
    ),
    "smtui.builtins.mastodon_archive": ("mastodon_outbox",),
}


class Deferred:
    """A built-in source plugin not imported yet: its module and the names it registers.

    ``check`` validates one registered item and returns its name (the registry's own check);
    ``failed`` is told, once, why the module could not be imported or registered.
    """

    __slots__ = ("check", "failed", "module", "names", "plugin")

    def __init__(
        self,
        plugin: str,
        module: str,
        names: tuple[str, ...],
        check: Callable[[object], str],
        failed: Callable[[str, BaseException], None],
    ) -> None:
        self.plugin = plugin
        self.module = module
        self.names = names
        self.check = check
        self.failed = failed

    def load(self) -> dict[str, SourceClass]:
        """Import the module and collect what its ``register_sources`` hook registers."""
        module = importlib.import_module(self.module)
        found: dict[str, SourceClass] = {}

        def register(item: object) -> None:
            found[self.check(item)] = item  # type: ignore[assignment]

        module.register_sources(register=register)
        return found


class SourceTable(MutableMapping[str, "SourceClass"]):
    """Source name -> source class, in registration order; deferred names resolve on use."""

    def __init__(self) -> None:
        self._classes: dict[str, SourceClass | Deferred] = {}
        self._lock = threading.RLock()  # the dashboard looks classes up from worker threads

    def defer(self, deferred: Deferred) -> None:
        """List ``deferred``'s names now; import its module when one of them is looked up."""
        for name in deferred.names:
            self._classes[name] = deferred

    @property
    def pending(self) -> list[str]:
        """Names whose plugin module is not imported yet."""
        return [name for name, item in self._classes.items() if isinstance(item, Deferred)]

    def _resolve(self, deferred: Deferred) -> None:
        """Put the classes ``deferred``'s module registers in place of its names (or drop
        them, with the failure reported, when it cannot be imported)."""
        with self._lock:
            if deferred not in self._classes.values():
                return  # another thread got there first
            try:
                found = deferred.load()
            except Exception as exc:
                if strict():
                    raise
                found = {}
                deferred.failed(deferred.plugin, exc)
            resolved: dict[str, SourceClass | Deferred] = {}
            for name, item in self._classes.items():
                if item is not deferred:
                    resolved[name] = item
                elif name in found:
                    resolved[name] = found[name]
            for name, cls in found.items():  # one the list above has not caught up with
                resolved.setdefault(name, cls)
            self._classes = resolved

    def resolve_all(self) -> None:
        """Import every deferred plugin (for callers that look at every class)."""
        for item in list(self._classes.values()):
            if isinstance(item, Deferred):
                self._resolve(item)

    def __getitem__(self, name: str) -> SourceClass:
        item = self._classes[name]
        if isinstance(item, Deferred):
            self._resolve(item)
            item = self._classes[name]  # KeyError if its module failed or lost it
            assert not isinstance(item, Deferred)
        return item

    def __setitem__(self, name: str, cls: SourceClass) -> None:
        self._classes[name] = cls

    def __delitem__(self, name: str) -> None:
        del self._classes[name]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._classes))

    def __len__(self) -> int:
        return len(self._classes)

    def __contains__(self, name: object) -> bool:
        return name in self._classes

    def values(self) -> list[SourceClass]:  # type: ignore[override]
        self.resolve_all()
        return [self[name] for name in self._classes]

    def items(self) -> list[tuple[str, SourceClass]]:  # type: ignore[override]
        self.resolve_all()
        return [(name, self[name]) for name in self._classes]

    def __repr__(self) -> str:
        shown = {
            name: "(not imported yet)" if isinstance(item, Deferred) else item.__qualname__
            for name, item in self._classes.items()
        }
        return f"SourceTable({shown})"
