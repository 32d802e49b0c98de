"""Telling plugins what happened: a session started or stopped, an outcome logged, a goal met.

Events are fire-and-forget. They are emitted after the action's transaction committed; each
implementation is called on its own, and one that raises is reported as one line on stderr
naming the plugin (re-raised under ``SMTUI_STRICT_PLUGINS=1``), never undoing or failing what
the user did.

``smtui start``, ``stop`` and ``log`` emit events, and they must stay as cheap as a bare Python
process reading one row: no pluggy, no scan of installed distributions, just to learn that
nobody listens. So a small manifest in the data directory records which plugins implement
which event hooks. It is keyed by what changes when plugins are installed, removed or switched
off: the modification time of every ``sys.path`` directory (installing or removing a
distribution adds or removes its ``.dist-info`` folder there), smtui's version, the disable
list and ``SMTUI_LOAD_PLUGINS``; it also watches the files of the plugins that loaded, so an
edited plugin that gains an event hook is heard. A missing or stale manifest costs one
survey: a quick look for third-party ``smtui`` entry points and, only if there are any, a full
load of the plugins. Built-in plugins implement no event hook (a test keeps it so), which is
why the quick look is enough when there is no third-party plugin.
"""

from __future__ import annotations

import os
import sys

from smtui import __version__
from smtui.paths import user_data_dir
from smtui.plugin_settings import BUILTIN_PACKAGE, ENTRY_POINT_GROUP, LOAD_ENV

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Mapping
    from typing import Any, Protocol, TypeAlias, TypeGuard

    from smtui.models import Outcome, Session

    class EventsConfig(Protocol):
        """The part of the configuration events read (:class:`smtui.config.Config` has it)."""

        @property
        def plugins_disabled(self) -> tuple[str, ...]: ...

        @property
        def timezone(self) -> str: ...

        @property
        def week_start(self) -> int: ...

    Stamps: TypeAlias = tuple[tuple[str, int], ...]
    Hooks: TypeAlias = dict[str, tuple[str, ...]]

SESSION_STARTED = "session_started"
SESSION_STOPPED = "session_stopped"
OUTCOME_LOGGED = "outcome_logged"
GOAL_MET = "goal_met"
EVENT_HOOKS: tuple[str, ...] = (SESSION_STARTED, SESSION_STOPPED, OUTCOME_LOGGED, GOAL_MET)

MANIFEST_FILE = ".plugin-manifest"
_FORMAT = 1
# One manifest per sys.path layout, so `python -m smtui` run from a few folders in turn (each
# adds its working directory to sys.path) does not survey again at every switch.
_KEEP = 8
# A directory or file changed this recently may change again within the same timestamp tick
# without its mtime moving; a manifest keyed on it is not written yet (as in smtui.config).
_RACY_NS = 2_000_000_000


# --- emitting ---------------------------------------------------------------------------------


def emit(hook_name: str, config: EventsConfig, /, **arguments: object) -> list[str]:
    """Tell every plugin implementing the event ``hook_name``; return the failures.

    Call it after the action's transaction committed. Each failure has already been written to
    stderr; the list is for front ends that show it another way (the dashboard's toasts).
    """
    return _fire(hook_name, config, listeners(config), arguments)


def after_start(config: EventsConfig, session: Session) -> list[str]:
    """Events for a session that has just started."""
    return emit(SESSION_STARTED, config, session=session)


def after_stop(
    conn: sqlite3.Connection, config: EventsConfig, session: Session, *, added: int = 0
) -> list[str]:
    """Events for a session that has just stopped, ``added`` outcomes being recorded with it.

    Those outcomes are logged too (``outcome_logged``, before ``session_stopped``), and
    stopping may meet a goal.
    """
    heard = listeners(config)
    failures: list[str] = []
    if SESSION_STOPPED in heard or (added and OUTCOME_LOGGED in heard):
        from smtui.core.outcomes import list_outcomes

        achieved = sorted(list_outcomes(conn, session_id=session.id), key=lambda o: o.id)
        if added:
            for outcome in achieved[-added:]:
                failures += _fire(OUTCOME_LOGGED, config, heard, {"outcome": outcome})
        achieved.sort(key=lambda o: (o.occurred_at, o.id))
        failures += _fire(
            SESSION_STOPPED, config, heard, {"session": session, "outcomes": achieved}
        )
    return failures + _goals_met(conn, config, heard)


def after_log(conn: sqlite3.Connection, config: EventsConfig, outcome: Outcome) -> list[str]:
    """Events for an outcome that has just been logged (it may meet a goal)."""
    heard = listeners(config)
    failures = _fire(OUTCOME_LOGGED, config, heard, {"outcome": outcome})
    return failures + _goals_met(conn, config, heard)


def fire_goals_met(
    conn: sqlite3.Connection, config: EventsConfig, *, now: int | None = None
) -> list[str]:
    """``goal_met`` for each goal met in its current period and not yet told for that period.

    Cheap when no plugin listens (the manifest says so); call it after anything that can
    move a goal: a stop, a logged outcome, an import.
    """
    return _goals_met(conn, config, listeners(config), now)


def _fire(
    hook_name: str, config: EventsConfig, heard: Mapping[str, object], arguments: Mapping[str, Any]
) -> list[str]:
    if hook_name not in heard:
        return []
    from smtui import plugins

    return plugins.call_event(plugins.load_registry(config), hook_name, arguments)


def _goals_met(
    conn: sqlite3.Connection,
    config: EventsConfig,
    heard: Mapping[str, object],
    now: int | None = None,
) -> list[str]:
    """Record newly met goals, then tell plugins about the ones this process recorded.

    ``INSERT OR IGNORE`` on the (goal, period, event) key decides who fires: of two processes
    seeing the same goal met, only the one whose row went in tells the plugins.
    """
    if GOAL_MET not in heard:
        return []
    from smtui import clock
    from smtui.core.goals import MET, progress_all
    from smtui.core.timespec import user_timezone
    from smtui.errors import SmtuiError
    from smtui.plugin_settings import strict
    from smtui.store.db import Transaction

    when = clock.now() if now is None else now
    try:
        zone = user_timezone(config.timezone)
        met = [
            progress
            for progress in progress_all(conn, when, zone, config.week_start)
            if progress.status == MET
        ]
        fresh = []
        if met:
            with Transaction(conn):
                for progress in met:
                    cursor = conn.execute(
                        "INSERT OR IGNORE INTO goal_events (goal_id, period_start, event, fired_at)"
                        " VALUES (?, ?, ?, ?)",
                        (progress.goal.id, progress.start, GOAL_MET, when),
                    )
                    if cursor.rowcount == 1:
                        fresh.append(progress)
    except Exception as exc:  # the action is done: a goal that cannot be read must not fail it
        if strict():
            raise
        reason = str(exc) if isinstance(exc, SmtuiError) else f"{type(exc).__name__}: {exc}"
        failure = f"goals not checked for {GOAL_MET}: {reason}"
        sys.stderr.write(f"smtui: {failure}\n")
        return [failure]
    failures: list[str] = []
    for progress in fresh:
        failures += _fire(GOAL_MET, config, heard, {"goal": progress.goal, "progress": progress})
    return failures


# --- the manifest -----------------------------------------------------------------------------


def listeners(config: EventsConfig) -> Hooks:
    """Which enabled plugins implement which event hooks: ``{hook: (plugin id, ...)}``.

    Read from the manifest when it is current; otherwise surveyed and written again.
    """
    key = _key(config)
    manifest = _read_manifest()
    entry = manifest.get(key)
    if _valid(entry) and _unchanged(entry[0]):
        return dict(entry[1])
    hooks, watched = _survey(config)
    if not _racy((*key[2], *watched)):
        manifest.pop(key, None)
        manifest[key] = (watched, hooks)
        while len(manifest) > _KEEP:
            del manifest[next(iter(manifest))]
        _write_manifest(manifest)
    return hooks


def manifest_path() -> str:
    """Where the manifest lives: the data directory (next to the config cache)."""
    return os.path.join(user_data_dir(), MANIFEST_FILE)


def _stamp(path: str) -> tuple[str, int]:
    try:
        return path, os.stat(path).st_mtime_ns
    except OSError:
        return path, -1


def _key(config: EventsConfig) -> tuple[Any, ...]:
    stamps = tuple(_stamp(os.path.abspath(entry or ".")) for entry in _path_entries())
    return (
        _FORMAT,
        __version__,
        stamps,
        tuple(sorted(config.plugins_disabled)),
        os.environ.get(LOAD_ENV),
    )


def _path_entries() -> list[str]:
    """``sys.path`` as importlib.metadata reads it (where distributions are found)."""
    return [entry for entry in sys.path if isinstance(entry, str)]


def _valid(entry: object) -> TypeGuard[tuple[Stamps, Hooks]]:
    return (
        type(entry) is tuple
        and len(entry) == 2
        and type(entry[0]) is tuple
        and type(entry[1]) is dict
        and all(type(v) is tuple for v in entry[1].values())
    )


def _unchanged(watched: Stamps) -> bool:
    return all(type(item) is tuple and _stamp(item[0]) == item for item in watched)


def _racy(stamps: Stamps) -> bool:
    import time

    recent = time.time_ns() - _RACY_NS
    return any(mtime > recent for _, mtime in stamps)


def _read_manifest() -> dict[Any, Any]:
    import marshal

    try:
        with open(manifest_path(), "rb") as handle:
            data = marshal.loads(handle.read())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return data if type(data) is dict else {}


def _write_manifest(manifest: dict[Any, Any]) -> None:
    """Write atomically (a temporary file renamed over the old one); failing only means a survey
    next time, never an error."""
    import marshal
    from _thread import get_ident

    path = manifest_path()
    temp = f"{path}.{os.getpid()}.{get_ident()}.tmp"  # the dashboard writes from worker threads
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(fd, "wb") as handle:
            handle.write(marshal.dumps(manifest))
        os.replace(temp, path)
    except (OSError, ValueError):
        import contextlib

        with contextlib.suppress(OSError):
            os.unlink(temp)


def _survey(config: EventsConfig) -> tuple[Hooks, Stamps]:
    """Who implements which event hook, and the plugin files to watch, from a fresh load."""
    if not _third_party_declared():
        return {}, ()
    from smtui import plugins

    # A registry loaded earlier in this process may predate what the key saw; load afresh.
    plugins.reset_registry()
    registry = plugins.load_registry(config)
    found: dict[str, list[str]] = {}
    watched: list[tuple[str, int]] = []
    for record in registry.health:
        if record.status != plugins.OK:
            continue
        for hook in record.hooks:
            if hook in EVENT_HOOKS:
                found.setdefault(hook, []).append(record.plugin)
        source = _source_file(registry.pm.get_plugin(record.plugin))
        if source and not record.builtin:
            watched.append(_stamp(source))
    return {hook: tuple(ids) for hook, ids in found.items()}, tuple(watched)


def _source_file(plugin: object) -> str | None:
    """The file a plugin object was loaded from (a module, or an object defined in one)."""
    module = (
        plugin
        if hasattr(plugin, "__file__")
        else sys.modules.get(getattr(plugin, "__module__", "") or "")
    )
    source = getattr(module, "__file__", None)
    return os.path.abspath(source) if isinstance(source, str) else None


def _third_party_declared() -> bool:
    """Whether a distribution on ``sys.path`` declares an ``smtui`` entry point smtui does not ship.

    A cheap stand-in for ``importlib.metadata.entry_points()``, which costs more than ``smtui
    start`` as a whole: it reads ``entry_points.txt`` in each ``.dist-info`` and ``.egg-info``
    folder, where importlib.metadata finds them. When unsure (a zip or egg file on the path) it
    answers yes, which only means the full load decides.
    """
    for entry in _path_entries():
        folder = entry or "."
        try:
            with os.scandir(folder) as listing:
                names = [
                    item.name
                    for item in listing
                    if item.name.lower().endswith((".dist-info", ".egg-info"))
                ]
        except NotADirectoryError:
            return True
        except OSError:
            continue
        for name in names:
            if _declares_plugin(os.path.join(folder, name, "entry_points.txt")):
                return True
    return False


def _declares_plugin(path: str) -> bool:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return False
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("["):
            section = line.strip("[]").strip()
        elif section == ENTRY_POINT_GROUP and "=" in line and not line.startswith(("#", ";")):
            module = line.partition("=")[2].partition(":")[0].strip()
            if module != BUILTIN_PACKAGE and not module.startswith(BUILTIN_PACKAGE + "."):
                return True
    return False
