"""Finding, loading and isolating plugins; the registry of what they add.

Built-ins (:data:`DEFAULT_PLUGINS`) and third-party plugins (entry points in the ``smtui``
group, the entry-point name being the plugin id) go through the same hooks. One broken plugin
must never break smtui, because ``smtui plugins`` and uninstalling have to keep working so the
user can remove it: every plugin is imported, registered and asked to register its kinds,
sources, scorers, commands and panels inside its own ``try``; a failure rolls back everything
that plugin added and becomes a :class:`PluginHealth` record plus one line on stderr.
``SMTUI_STRICT_PLUGINS=1`` re-raises instead, for plugin authors who want the traceback.
Event hooks are called one implementation at a time by :func:`call_event`, each failure
reported the same way and never failing the action that caused the event.

The user's disable list and ``SMTUI_LOAD_PLUGINS`` are applied from entry-point metadata,
before anything is imported, so a plugin that crashes on import can still be switched off.

Loading stays cheap for the commands and the dashboard that never import a file: the built-in
source plugins are listed by name and imported on first use (:mod:`smtui.source_table`), and
``importlib.metadata`` is not even imported when no distribution on ``sys.path`` declares an
``smtui`` entry point of its own.
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

import pluggy

from smtui import __version__, hookspecs, plugin_settings
from smtui.api import PluginError
from smtui.core.kinds import OutcomeKind, closest
from smtui.errors import SmtuiError
from smtui.extensions import Command, Panel, reserved_command_names
from smtui.models import Record
from smtui.plugin_settings import only_env, strict
from smtui.scoring import ScoringStrategy
from smtui.source_table import BUILTIN_SOURCES, Deferred, SourceTable
from smtui.sources.base import DataSource

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, MutableMapping

ENTRY_POINT_GROUP = plugin_settings.ENTRY_POINT_GROUP
LOAD_ENV = plugin_settings.LOAD_ENV
STRICT_ENV = plugin_settings.STRICT_ENV

DEFAULT_PLUGINS: tuple[str, ...] = (
    "smtui.builtins.outcome_kinds",
    "smtui.builtins.checklist",
    "smtui.builtins.outcome_points",
    "smtui.builtins.roi",
    "smtui.builtins.focus",
    "smtui.builtins.engagement_strategy",
    "smtui.builtins.csv_source",
    "smtui.builtins.x_export",
    "smtui.builtins.meta_export",
    "smtui.builtins.linkedin_export",
    "smtui.builtins.youtube_export",
    "smtui.builtins.tiktok_export",
    "smtui.builtins.mastodon_archive",
)

OK = "ok"
ERROR = "error"
DISABLED = "disabled"


class PluginsConfig(Protocol):
    """The part of the configuration plugin loading reads."""

    @property
    def plugins_disabled(self) -> tuple[str, ...]: ...


class PluginHealth(Record):
    """How loading one plugin went, for ``smtui plugins`` and the dashboard's plugin screen.

    ``status`` is ``ok``, ``error`` (``error`` says why) or ``disabled`` (``error`` says by
    what). ``provides`` lists what the plugin registered as ``category:name``.
    """

    __slots__ = (  # noqa: RUF023 - declaration order is the as_dict() and JSON order
        "plugin",
        "distribution",
        "version",
        "status",
        "error",
        "builtin",
        "hooks",
        "provides",
    )

    def __init__(
        self,
        plugin: str,
        distribution: str,
        version: str,
        status: str,
        error: str = "",
        *,
        builtin: bool = False,
        hooks: tuple[str, ...] = (),
        provides: tuple[str, ...] = (),
    ) -> None:
        self.plugin = plugin
        self.distribution = distribution
        self.version = version
        self.status = status
        self.error = error
        self.builtin = builtin
        self.hooks = hooks
        self.provides = provides


class Registry:
    """What the loaded plugins added, by name, plus a health record per plugin.

    ``owners`` maps ``(category, name)`` to the id of the plugin that registered it, with
    category one of ``outcome_kind``, ``source``, ``scorer``, ``command``, ``panel``.
    """

    __slots__ = (
        "commands",
        "health",
        "outcome_kinds",
        "owners",
        "panels",
        "pm",
        "scorers",
        "sources",
    )

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm
        self.outcome_kinds: dict[str, OutcomeKind] = {}
        self.sources = SourceTable()
        self.scorers: dict[str, type[ScoringStrategy]] = {}
        self.commands: dict[str, type[Command]] = {}
        self.panels: dict[str, type[Panel]] = {}
        self.owners: dict[tuple[str, str], str] = {}
        self.health: list[PluginHealth] = []

    def problems(self) -> list[PluginHealth]:
        """Health records of plugins that failed to load."""
        return [record for record in self.health if record.status == ERROR]


class _Candidate:
    """A plugin known from metadata only: nothing of it has been imported yet.

    ``sources`` lists, for a built-in source plugin, the sources it registers: it is then
    listed without being imported (see :mod:`smtui.source_table`).
    """

    __slots__ = ("builtin", "distribution", "load", "module", "plugin", "sources", "version")

    def __init__(
        self,
        plugin: str,
        distribution: str,
        version: str,
        load: Callable[[], object],
        *,
        builtin: bool,
        module: str = "",
        sources: tuple[str, ...] | None = None,
    ) -> None:
        self.plugin = plugin
        self.distribution = distribution
        self.version = version
        self.load = load
        self.builtin = builtin
        self.module = module
        self.sources = sources

    def health(self, status: str, error: str = "", **extra: Any) -> PluginHealth:
        return PluginHealth(
            self.plugin,
            self.distribution,
            self.version,
            status,
            error,
            builtin=self.builtin,
            **extra,
        )


def _builtin_candidates() -> Iterator[_Candidate]:
    for module in DEFAULT_PLUGINS:
        yield _Candidate(
            module.rpartition(".")[2],
            "smtui",
            __version__,
            partial(importlib.import_module, module),
            builtin=True,
            module=module,
            sources=BUILTIN_SOURCES.get(module),
        )


def _entry_point_candidates() -> Iterator[_Candidate]:
    """Third-party plugins from entry-point metadata (reading it imports no plugin code).

    smtui's own distribution may still advertise its built-ins as entry points; those are
    skipped, as the built-ins are loaded from :data:`DEFAULT_PLUGINS`.

    Importing ``importlib.metadata`` costs more than reading it: when it is not imported yet
    and a quick look at the ``entry_points.txt`` files on ``sys.path`` (the one ``smtui start``
    relies on, :mod:`smtui.core.events`) finds no third-party ``smtui`` entry point, there is
    nothing to read.
    """
    if "importlib.metadata" not in sys.modules:
        from smtui.core.events import _third_party_declared

        if not _third_party_declared():
            return
    from importlib import metadata

    for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if entry_point.module in DEFAULT_PLUGINS:
            continue
        dist = entry_point.dist
        yield _Candidate(
            entry_point.name,
            dist.name if dist is not None else "",
            dist.version if dist is not None else "",
            entry_point.load,
            builtin=False,
        )


def _skip_reason(candidate: _Candidate, disabled: set[str], only: set[str] | None) -> str:
    """Why ``candidate`` must not even be imported, or ``""`` if it may load."""
    names = {candidate.plugin, candidate.distribution} - {""}
    if names & disabled:
        return "disabled in the configuration"
    if not candidate.builtin and only is not None and not names & only:
        return f"not listed in {LOAD_ENV}"
    return ""


def _report(candidate: _Candidate, error: str) -> None:
    where = f" ({candidate.distribution} {candidate.version})" if candidate.distribution else ""
    sys.stderr.write(
        f"smtui: plugin {candidate.plugin!r}{where} not loaded: {error}"
        f" (see `smtui plugins`; {STRICT_ENV}=1 shows the traceback)\n"
    )


def _describe(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, SmtuiError) else f"{type(exc).__name__}: {exc}"


def _unknown_hooks(pm: pluggy.PluginManager, plugin: object) -> str:
    """A readable message naming the hooks ``plugin`` implements that smtui does not define."""
    known = [name for name, caller in vars(pm.hook).items() if caller.has_spec()]
    parts = []
    for caller in pm.get_hookcallers(plugin) or []:
        if not caller.has_spec():
            guess = closest(caller.name, known)
            parts.append(caller.name + (f" (did you mean {guess}?)" if guess else ""))
    return "unknown hook " + ", ".join(parts)


# hook name, registry category, what the hook must be given
_REGISTER_HOOKS: tuple[tuple[str, str, type], ...] = (
    ("register_outcome_kinds", "outcome_kind", OutcomeKind),
    ("register_sources", "source", DataSource),
    ("register_scorers", "scorer", ScoringStrategy),
    ("register_commands", "command", Command),
    ("register_panels", "panel", Panel),
)


def _check_command_name(name: str, plugin_id: str) -> None:
    """A plugin command must be one plain word that no built-in command already answers to."""
    if name != name.strip() or len(name.split()) != 1 or name.startswith("-"):
        raise PluginError(
            f"command name {name!r} from plugin {plugin_id!r} is not a single word",
            "use letters, digits and dashes, not starting with a dash",
        )
    if name in reserved_command_names():
        raise PluginError(
            f"command {name!r} from plugin {plugin_id!r} would shadow the built-in `smtui {name}`",
            "give the command another name",
        )


def _registered_name(hook: str, expected: type, item: object) -> str:
    """The name ``item`` registers under, after checking it is what ``hook`` accepts."""
    if expected is OutcomeKind:
        if not isinstance(item, OutcomeKind):
            raise PluginError(f"{hook} was given {item!r}, not an OutcomeKind instance")
        name = item.name
        what = repr(item)
    else:
        if not (isinstance(item, type) and issubclass(item, expected)) or item is expected:
            raise PluginError(f"{hook} was given {item!r}, not a subclass of {expected.__name__}")
        name = getattr(item, "name", "")
        what = item.__qualname__
    if not isinstance(name, str) or not name.strip():
        raise PluginError(f"{what} registered by {hook} has no name")
    return name


class _Loader:
    """One pass over all plugins, filling a :class:`Registry`."""

    def __init__(self, disabled: set[str], only: set[str] | None, strict: bool) -> None:
        pm = pluggy.PluginManager(ENTRY_POINT_GROUP)
        pm.add_hookspecs(hookspecs)
        self.registry = Registry(pm)
        self.disabled = disabled
        self.only = only
        self.strict = strict
        self.seen: dict[str, _Candidate] = {}

    def run(self) -> Registry:
        for candidate in _builtin_candidates():
            self.load(candidate)
        try:
            # Sorted, so which of two clashing plugins wins never depends on the file system.
            third_party = sorted(
                _entry_point_candidates(), key=lambda c: (c.plugin, c.distribution)
            )
        except Exception as exc:
            if self.strict:
                raise
            reading = _Candidate("(entry points)", "", "", lambda: None, builtin=False)
            self.fail(reading, f"cannot read installed plugin metadata: {_describe(exc)}")
            third_party = []
        for candidate in third_party:
            self.load(candidate)
        return self.registry

    def fail(self, candidate: _Candidate, error: str) -> None:
        self.registry.health.append(candidate.health(ERROR, error))
        _report(candidate, error)

    def load(self, candidate: _Candidate) -> None:
        reason = _skip_reason(candidate, self.disabled, self.only)
        if reason:
            self.registry.health.append(candidate.health(DISABLED, reason))
            return
        first = self.seen.get(candidate.plugin)
        if first is not None:
            owner = "smtui (built-in)" if first.builtin else first.distribution or "another"
            error = PluginError(
                f"plugin id {candidate.plugin!r} is already used by {owner}"
                f" plugin {first.plugin!r}",
                "uninstall one of the two",
            )
            if self.strict:
                raise error
            self.fail(candidate, str(error))
            return
        self.seen[candidate.plugin] = candidate
        if candidate.sources is not None:
            self.defer_sources(candidate, candidate.sources)
            return
        pm = self.registry.pm
        try:
            plugin = candidate.load()
            pm.register(plugin, name=candidate.plugin)
            try:
                pm.check_pending()
            except pluggy.PluginValidationError:
                message = _unknown_hooks(pm, plugin)
                pm.unregister(name=candidate.plugin)
                raise PluginError(message) from None
            provides = self.register_all(candidate.plugin)
        except Exception as exc:
            if pm.has_plugin(candidate.plugin):
                pm.unregister(name=candidate.plugin)
            if self.strict:
                raise
            self.fail(candidate, _describe(exc))
            return
        hooks = tuple(sorted(caller.name for caller in pm.get_hookcallers(plugin) or []))
        self.registry.health.append(candidate.health(OK, hooks=hooks, provides=provides))

    def defer_sources(self, candidate: _Candidate, names: tuple[str, ...]) -> None:
        """List a built-in source plugin's sources without importing it (it registers them
        when one is first used); its health record is the one loading it would give."""
        registry = self.registry
        for name in names:
            owner = registry.owners.get(("source", name))
            if owner is not None:  # pragma: no cover - built-ins load first, in a fixed order
                raise PluginError(f"source {name!r} is registered twice, by {owner!r} too")
        for name in names:
            registry.owners[("source", name)] = candidate.plugin
        check = partial(_registered_name, "register_sources", DataSource)
        registry.sources.defer(
            Deferred(candidate.plugin, candidate.module, names, check, self.deferred_failed)
        )
        registry.health.append(
            candidate.health(
                OK,
                hooks=("register_sources",),
                provides=tuple(f"source:{name}" for name in names),
            )
        )

    def deferred_failed(self, plugin_id: str, exc: BaseException) -> None:
        """A built-in source plugin failed when first used: it becomes an error record, as
        it would have when loading, and its sources are gone."""
        registry = self.registry
        candidate = self.seen[plugin_id]
        error = _describe(exc)
        registry.health = [
            candidate.health(ERROR, error) if record.plugin == plugin_id else record
            for record in registry.health
        ]
        for key in [key for key, owner in registry.owners.items() if owner == plugin_id]:
            del registry.owners[key]
        _report(candidate, error)

    def register_all(self, plugin_id: str) -> tuple[str, ...]:
        """Call each register hook of one plugin; commit its additions only if all succeed."""
        registry = self.registry
        staged: dict[tuple[str, str], object] = {}
        for hook_name, category, expected in _REGISTER_HOOKS:
            register = self.register_callback(plugin_id, hook_name, category, expected, staged)
            for impl in getattr(registry.pm.hook, hook_name).get_hookimpls():
                if impl.plugin_name != plugin_id:
                    continue
                if impl.wrapper or impl.hookwrapper:
                    raise PluginError(f"{hook_name} cannot be a wrapper")
                available = {"register": register}
                result = impl.function(**{arg: available[arg] for arg in impl.argnames})
                if result is not None:
                    raise PluginError(
                        f"{hook_name} returned {type(result).__name__};"
                        " it should call register(...) for each item and return nothing"
                    )
        targets: dict[str, MutableMapping[str, Any]] = {
            "outcome_kind": registry.outcome_kinds,
            "source": registry.sources,
            "scorer": registry.scorers,
            "command": registry.commands,
            "panel": registry.panels,
        }
        for (category, name), item in staged.items():
            targets[category][name] = item
            registry.owners[(category, name)] = plugin_id
        return tuple(f"{category}:{name}" for category, name in staged)

    def register_callback(
        self,
        plugin_id: str,
        hook_name: str,
        category: str,
        expected: type,
        staged: dict[tuple[str, str], object],
    ) -> Callable[[object], None]:
        """The ``register`` a hook receives: it checks each item and stages it for commit."""
        owners = self.registry.owners

        def register(item: object) -> None:
            name = _registered_name(hook_name, expected, item)
            if category == "command":
                _check_command_name(name, plugin_id)
            key = (category, name)
            owner = owners.get(key) or (plugin_id if key in staged else None)
            if owner is not None:
                raise PluginError(
                    f"{category.replace('_', ' ')} {name!r} from plugin {plugin_id!r}"
                    f" is already registered by plugin {owner!r}",
                    f"disable one of {owner!r} and {plugin_id!r}"
                    if owner != plugin_id
                    else "register each name once",
                )
            staged[key] = item

        return register


def call_event(registry: Registry, hook_name: str, arguments: Mapping[str, object]) -> list[str]:
    """Call each implementation of the event ``hook_name`` on its own; return what failed.

    Events are fire-and-forget: a failure is one line on stderr naming the plugin (and one
    entry of the returned list, for a front end that shows it another way), never an error of
    the action that caused the event. ``SMTUI_STRICT_PLUGINS=1`` re-raises instead.
    """
    failures: list[str] = []
    for impl in getattr(registry.pm.hook, hook_name).get_hookimpls():
        try:
            if impl.wrapper or impl.hookwrapper:
                raise PluginError(f"{hook_name} cannot be a wrapper")
            impl.function(**{arg: arguments[arg] for arg in impl.argnames})
        except Exception as exc:
            if strict():
                raise
            records = [r for r in registry.health if r.plugin == impl.plugin_name]
            where = (
                f" ({records[0].distribution} {records[0].version})"
                if records and records[0].distribution and not records[0].builtin
                else ""
            )
            failure = f"plugin {impl.plugin_name!r}{where} failed in {hook_name}: {_describe(exc)}"
            sys.stderr.write(
                f"smtui: {failure} (what you did was saved; {STRICT_ENV}=1 shows the traceback)\n"
            )
            failures.append(failure)
    return failures


_lock = threading.RLock()
_cache: tuple[tuple[object, ...], Registry] | None = None


def _registry_key(config: PluginsConfig | None) -> tuple[object, ...]:
    disabled = tuple(config.plugins_disabled) if config is not None else ()
    return (disabled, os.environ.get(LOAD_ENV), strict())


def loaded_registry(config: PluginsConfig | None = None) -> Registry | None:
    """The registry :func:`load_registry` would return, if it is loaded already; else None.

    Never waits and never loads anything: for callers that would otherwise load the plugins
    under a time limit, in a thread of their own, only to get the registry they have.
    """
    cache = _cache
    if cache is not None and cache[0] == _registry_key(config):
        return cache[1]
    return None


def load_registry(config: PluginsConfig | None = None) -> Registry:
    """Load every enabled plugin once per process (again only if the settings change)."""
    global _cache  # noqa: PLW0603 - one registry per process is the point
    disabled = tuple(config.plugins_disabled) if config is not None else ()
    key = _registry_key(config)
    with _lock:
        if _cache is None or _cache[0] != key:
            registry = _Loader(set(disabled), only_env(), strict()).run()
            _cache = (key, registry)
        return _cache[1]


def reset_registry() -> None:
    """Forget the loaded registry, so the next :func:`load_registry` loads plugins afresh."""
    global _cache  # noqa: PLW0603
    with _lock:
        _cache = None
