"""The user's configuration file: read, validated, cached, explained.

``load_config`` runs on every command, ``smtui start`` included, so it is lean: a missing file
costs one ``stat``, and an unchanged file is read back from a ``marshal`` cache instead of being
parsed again, because ``import tomllib`` alone costs more than the whole of ``smtui start`` is
allowed to. The cache also remembers the few slow conversions (durations, did-you-mean
guesses), so a config that sets ``daily_budget`` does not pull in the duration parser either.

smtui validates what it owns (``[app]``, ``[plugins]``, ``[keymap]``, the top-level sections):
wrong types are a :class:`~smtui.errors.ConfigError` naming the key, unknown keys a warning with
a did-you-mean. ``[scoring.<name>]`` and ``[sources.<alias>]`` tables belong to strategies and
sources, which validate them with their declared options when they are used. Secrets are only
ever written as ``{ env = "VAR" }`` and are never resolved here. The user's file is only read,
never written; ``init_file`` creates one only where none exists.
"""

from __future__ import annotations

import os

from smtui import __version__
from smtui.errors import ConfigError, SmtuiError
from smtui.models import Record
from smtui.paths import config_path, user_data_dir

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, Protocol

    from smtui.scoring import ScoringStrategy
    from smtui.sources.base import DataSource

    class PluginTables(Protocol):
        """What :func:`validate_file` needs from the plugin registry."""

        @property
        def sources(self) -> Mapping[str, type[DataSource]]: ...

        @property
        def scorers(self) -> Mapping[str, type[ScoringStrategy]]: ...


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# The dashboard's binding ids that [keymap] may rebind (the ids of the dashboard's Bindings).
BINDING_IDS = (
    "start", "pause", "stop", "log", "strategy", "goals", "import", "plugins", "sessions", "help",
    "theme", "metrics", "insights", "refresh", "quit",
)  # fmt: skip
SECTIONS = ("app", "plugins", "keymap", "scoring", "sources")
PLUGINS_KEYS = ("disabled",)
EXAMPLE_FILE = "config.example.toml"
CACHE_FILE = ".config-cache"

_CACHE_FORMAT = 1
# A file changed less than this long ago may change again within the same timestamp tick
# without its stat changing, so it is not cached yet (the "racy clean" problem git solves alike).
_RACY_NS = 2_000_000_000
_SECRET_WORDS = ("password", "secret", "token")
_HIDDEN = '<hidden: write secrets as { env = "VAR" }>'


class Config(Record):
    """The effective settings: defaults overlaid with what the file says.

    ``raw`` is the parsed file as it is (``{}`` without one); ``warnings`` lists what was
    ignored, ready to show the user.
    """

    __slots__ = (  # noqa: RUF023  (declaration order is the order of as_dict and repr)
        "path",
        "exists",
        "timezone",
        "week_start",
        "daily_budget_s",
        "currency",
        "hourly_rate",
        "default_strategy",
        "target_platforms",
        "platforms",
        "database",
        "plugins_disabled",
        "keymap",
        "scoring",
        "sources",
        "warnings",
        "raw",
    )

    def __init__(
        self,
        path: str,
        exists: bool = False,
        *,
        timezone: str = "local",
        week_start: int = 0,
        daily_budget_s: int | None = None,
        currency: str = "EUR",
        hourly_rate: float | None = None,
        default_strategy: str = "checklist",
        target_platforms: tuple[str, ...] = (),
        platforms: tuple[str, ...] = (),
        database: str | None = None,
        plugins_disabled: tuple[str, ...] = (),
        keymap: dict[str, str] | None = None,
        scoring: dict[str, dict[str, Any]] | None = None,
        sources: dict[str, dict[str, Any]] | None = None,
        warnings: list[str] | None = None,
        raw: dict[str, Any] | None = None,
    ) -> None:
        self.path = path
        self.exists = exists
        self.timezone = timezone
        self.week_start = week_start
        self.daily_budget_s = daily_budget_s
        self.currency = currency
        self.hourly_rate = hourly_rate
        self.default_strategy = default_strategy
        self.target_platforms = target_platforms
        self.platforms = platforms
        self.database = database
        self.plugins_disabled = plugins_disabled
        self.keymap: dict[str, str] = keymap if keymap is not None else {}
        self.scoring: dict[str, dict[str, Any]] = scoring if scoring is not None else {}
        self.sources: dict[str, dict[str, Any]] = sources if sources is not None else {}
        self.warnings: list[str] = warnings if warnings is not None else []
        self.raw: dict[str, Any] = raw if raw is not None else {}


# --- public entry points ---------------------------------------------------------------------


def load_config(path: str | None = None) -> Config:
    """The configuration from ``path``, ``--config``, ``SMTUI_CONFIG`` or the user config dir.

    Raises :class:`ConfigError` for a file that cannot be read or parsed, or holds a wrong
    value; a missing file gives the defaults.
    """
    config, errors = _load(config_path(path))
    if errors:
        extra = len(errors) - 1
        hint = (
            f"{extra} more problem{'s' if extra > 1 else ''}: run `smtui config validate`"
            if extra
            else "fix the file, then check it with `smtui config validate`"
        )
        raise ConfigError(errors[0], hint)
    return config


def validate_file(
    path: str | None = None, registry: PluginTables | None = None
) -> tuple[list[str], list[str]]:
    """Every error and warning in the config file, for ``smtui config validate``.

    Goes further than :func:`load_config`: the time zone must exist, and with a plugin
    ``registry`` the default strategy, each ``[scoring.<name>]`` and ``[sources.<alias>]``
    table are checked against what the strategies and sources declare.
    """
    resolved = config_path(path)
    try:
        config, errors = _load(resolved)
    except ConfigError as exc:
        return [exc.message], []
    report = _Report(resolved, {})
    _check_timezone(config, report)
    if registry is not None:
        _check_plugin_tables(config, registry, report)
    return errors + report.errors, config.warnings + report.warnings


def render_effective(config: Config) -> str:
    """The effective settings as TOML (for ``smtui config show``).

    Unset optional values are left out. Secrets appear as written, i.e. ``{ env = "VAR" }``;
    a plain-text value under a secret-looking key is hidden rather than printed.
    """
    import tomli_w

    app: dict[str, Any] = {
        "timezone": config.timezone,
        "week_start": WEEKDAYS[config.week_start],
    }
    if config.daily_budget_s is not None:
        app["daily_budget"] = _duration_text(config.daily_budget_s)
    app["currency"] = config.currency
    if config.hourly_rate is not None:
        app["hourly_rate"] = config.hourly_rate
    app["default_strategy"] = config.default_strategy
    app["target_platforms"] = list(config.target_platforms)
    app["platforms"] = list(config.platforms)
    if config.database is not None:
        app["database"] = config.database
    document: dict[str, Any] = {
        "app": app,
        "plugins": {"disabled": list(config.plugins_disabled)},
        "keymap": dict(config.keymap),
    }
    if config.scoring:
        document["scoring"] = _hide_plain_secrets(config.scoring)
    if config.sources:
        document["sources"] = _hide_plain_secrets(config.sources)
    origin = config.path if config.exists else f"{config.path} (not found: defaults)"
    header = f"# smtui effective configuration\n# file: {_one_line(origin)}\n\n"
    return header + tomli_w.dumps(document)


def init_file(path: str | None = None) -> str:
    """Write the commented example config where the config is read from; return that path.

    Only if no file exists there: an existing file is never overwritten, whatever it holds.
    """
    target = config_path(path)
    if os.path.lexists(target):
        raise ConfigError(
            f"{target} already exists; it was left as it is",
            "edit it, or move it away first to start from the example",
        )
    template = example_text()
    parent = os.path.dirname(target)
    try:
        if parent:
            os.makedirs(parent, exist_ok=True)
        with open(target, "x", encoding="utf-8") as handle:  # "x": fails if it appeared meanwhile
            handle.write(template)
    except FileExistsError as exc:
        raise ConfigError(f"{target} already exists; it was left as it is") from exc
    except OSError as exc:
        raise ConfigError(f"cannot write {target}: {exc.strerror or exc}") from exc
    return target


def example_text() -> str:
    """The commented example configuration shipped with smtui."""
    from importlib import resources

    return resources.files("smtui").joinpath(EXAMPLE_FILE).read_text(encoding="utf-8")


# --- reading and caching ---------------------------------------------------------------------


def _load(path: str) -> tuple[Config, list[str]]:
    """The config at ``path`` and the list of its errors (a wrong value does not stop the rest)."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return Config(path), []
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    cache = _Cache(_cache_key(path, stat))
    hit = cache.lookup()
    if not hit:
        cache.raw, stat = _parse_file(path)
    report = _Report(path, cache.memo)
    config = _build(path, cache.raw, report)
    if not hit and _time_ns() - stat.st_mtime_ns >= _RACY_NS:
        cache.key = _cache_key(path, stat)
        cache.store()  # after _build, so the memo holds its slow conversions
    return config, report.errors


def _parse_file(path: str) -> tuple[dict[str, Any], os.stat_result]:
    """Read and parse the TOML file; the stat is taken from the open file, matching its content."""
    import tomllib

    try:
        with open(path, "rb") as handle:
            stat = os.fstat(handle.fileno())
            data = handle.read()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        text = data.decode("utf-8-sig")  # a byte order mark, as some editors write, is fine
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"{path} line {line}: not valid UTF-8 text", "save the file as UTF-8"
        ) from exc
    try:
        return tomllib.loads(text), stat
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(path, exc) from exc


def _toml_error(path: str, exc: ValueError) -> ConfigError:
    """``PATH line 3, column 9: msg`` from tomllib's ``msg (at line 3, column 9)``."""
    text = str(exc)
    message, found, where = text.rpartition(" (at ")
    hint = "fix the TOML syntax there (see https://toml.io)"
    if not found or not where.endswith(")"):
        return ConfigError(f"{path}: {text}", hint)
    where = where[:-1]
    place = where if where.startswith("line ") else f"at {where}"
    return ConfigError(f"{path} {place}: {message}", hint)


def _cache_key(path: str, stat: os.stat_result) -> tuple[object, ...]:
    return (
        _CACHE_FORMAT,
        os.path.abspath(path),
        stat.st_mtime_ns,
        stat.st_size,
        stat.st_ino,
        stat.st_ctime_ns,
        __version__,
    )


def _time_ns() -> int:
    import time

    return time.time_ns()


class _Cache:
    """The parsed file and the memo of slow conversions, kept in one marshal file.

    Any problem (missing, corrupt or foreign file, unwritable directory, a value marshal cannot
    hold such as a TOML date) only means parsing again; it is never an error.
    """

    __slots__ = ("file", "key", "memo", "raw")

    def __init__(self, key: tuple[object, ...]) -> None:
        self.key = key
        self.file = os.path.join(user_data_dir(), CACHE_FILE)
        self.raw: dict[str, Any] = {}
        self.memo: dict[Any, Any] = {}

    def lookup(self) -> bool:
        import marshal

        try:
            with open(self.file, "rb") as handle:
                entry = marshal.loads(handle.read())
        except (OSError, ValueError, EOFError, TypeError):
            return False
        if not (
            type(entry) is tuple
            and len(entry) == 3
            and entry[0] == self.key
            and type(entry[1]) is dict
            and type(entry[2]) is dict
        ):
            return False
        self.raw, self.memo = entry[1], entry[2]
        return True

    def store(self) -> None:
        import marshal

        try:
            blob = marshal.dumps((self.key, self.raw, self.memo))  # type: ignore[arg-type]
        except ValueError:
            return
        temp = f"{self.file}.{os.getpid()}.{id(blob)}.tmp"
        try:
            os.makedirs(os.path.dirname(self.file), exist_ok=True)
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with open(fd, "wb") as handle:
                handle.write(blob)
            os.replace(temp, self.file)
        except OSError:
            import contextlib

            with contextlib.suppress(OSError):
                os.unlink(temp)


# --- validation ------------------------------------------------------------------------------


class _Report:
    """Collects errors and warnings, each prefixed with the file, and memoises slow helpers."""

    __slots__ = ("errors", "label", "memo", "warnings")

    def __init__(self, label: str, memo: dict[Any, Any]) -> None:
        self.label = label
        self.memo = memo
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, text: str) -> None:
        self.errors.append(f"{self.label}: {text}")

    def warn(self, text: str) -> None:
        self.warnings.append(f"{self.label}: {text}")

    def unknown(self, what: str, name: str, known: tuple[str, ...]) -> None:
        """Warn about an unknown key or section, with the closest known name."""
        guess = self.closest(name, known)
        tip = f"did you mean {guess!r}?" if guess else f"known: {', '.join(known)}"
        self.warn(f"unknown {what} ({tip})")

    def closest(self, name: str, known: tuple[str, ...]) -> str | None:
        key = ("closest", name, known)
        if key not in self.memo:
            from smtui.core.kinds import closest

            self.memo[key] = closest(name, known)
        guess: str | None = self.memo[key]
        return guess

    def duration(self, text: str, what: str) -> int:
        """Seconds in ``text``; raises :class:`SmtuiError` from the duration parser."""
        key = ("duration", text)
        if key not in self.memo:
            from smtui.core.timespec import parse_duration

            self.memo[key] = parse_duration(text, what=what)
        seconds: int = self.memo[key]
        return seconds


def _build(path: str, raw: dict[str, Any], report: _Report) -> Config:
    """Check ``raw`` and turn it into a :class:`Config`; problems go to ``report``."""
    config = Config(path, exists=True, raw=raw, warnings=report.warnings)
    for name, value in raw.items():
        if name in APP_KEYS and not isinstance(value, dict):
            report.warn(f"{name} is outside any section and was ignored; move it under [app]")
        elif name not in SECTIONS:
            report.unknown(f"section [{name}]", name, SECTIONS)
        elif not isinstance(value, dict):
            report.error(f"{name} must be a table ([{name}]), not {_show(value)}")
    app = _section(raw, "app")
    for key in app:
        if key not in APP_KEYS:
            report.unknown(f"key [app] {key}", key, APP_KEYS)
    _read_app(app, config, report)
    plugins = _section(raw, "plugins")
    for key in plugins:
        if key not in PLUGINS_KEYS:
            report.unknown(f"key [plugins] {key}", key, PLUGINS_KEYS)
    if "disabled" in plugins:
        config.plugins_disabled = _names(
            plugins["disabled"], "[plugins] disabled", report, lower=False
        )
    config.keymap = _read_keymap(_section(raw, "keymap"), report)
    config.scoring = _tables(_section(raw, "scoring"), "scoring", report)
    config.sources = _tables(_section(raw, "sources"), "sources", report)
    for alias, table in config.sources.items():
        kind = table.get("type")
        if not isinstance(kind, str) or not kind.strip():
            found = "it is missing" if kind is None else f"not {_show(kind)}"
            report.error(f'[sources.{alias}] type must name a source such as "csv"; {found}')
    return config


def _read_app(app: dict[str, Any], config: Config, report: _Report) -> None:
    """Each known ``[app]`` key has its own reader, which sets the attribute or reports."""
    for key, reader in _APP_READERS.items():  # platforms before target_platforms
        if key in app:
            reader(app[key], config, report)


def _app_timezone(value: Any, config: Config, report: _Report) -> None:
    if _is_text(value):
        config.timezone = value.strip()
    else:
        report.error(f'[app] timezone must be an IANA zone name or "local", not {_show(value)}')


def _app_week_start(value: Any, config: Config, report: _Report) -> None:
    day = value.strip().lower() if isinstance(value, str) else None
    if day in WEEKDAYS:
        config.week_start = WEEKDAYS.index(day)
    else:
        report.error(f"[app] week_start must be one of monday..sunday, not {_show(value)}")


def _app_daily_budget(value: Any, config: Config, report: _Report) -> None:
    if not isinstance(value, str):
        report.error(
            f'[app] daily_budget must be a duration such as "2h" or "90m", not {_show(value)}'
        )
        return
    try:
        config.daily_budget_s = report.duration(value, "[app] daily_budget")
    except SmtuiError as exc:
        report.error(str(exc))


def _app_currency(value: Any, config: Config, report: _Report) -> None:
    if not (isinstance(value, str) and len(value) == 3 and value.isascii() and value.isalpha()):
        report.error(
            f'[app] currency must be a three-letter code such as "EUR", not {_show(value)}'
        )
    elif not value.isupper():
        report.error(f"[app] currency must be upper case, such as {value.upper()!r}")
    else:
        config.currency = value


def _app_hourly_rate(value: Any, config: Config, report: _Report) -> None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        config.hourly_rate = float(value)
    else:
        report.error(f"[app] hourly_rate must be a number of zero or more, not {_show(value)}")


def _app_default_strategy(value: Any, config: Config, report: _Report) -> None:
    if _is_text(value):
        config.default_strategy = value.strip()
    else:
        report.error(f"[app] default_strategy must be a strategy name, not {_show(value)}")


def _app_platforms(value: Any, config: Config, report: _Report) -> None:
    config.platforms = _names(value, "[app] platforms", report, lower=True)


def _app_target_platforms(value: Any, config: Config, report: _Report) -> None:
    """Names as sessions store them: lower case, aliases such as ``twitter`` made canonical."""
    from smtui.core.platforms import ALIASES, BUILTIN_PLATFORMS

    names = _names(value, "[app] target_platforms", report, lower=True)
    config.target_platforms = tuple(dict.fromkeys(ALIASES.get(name, name) for name in names))
    known = BUILTIN_PLATFORMS + config.platforms
    for name in config.target_platforms:
        if name not in known:
            guess = report.closest(name, known)
            tip = f"did you mean {guess!r}, or " if guess else ""
            report.warn(
                f"unknown platform {name!r} in [app] target_platforms"
                f" ({tip}add it to [app] platforms)"
            )


def _app_database(value: Any, config: Config, report: _Report) -> None:
    """``~`` is the home folder; a relative path is relative to the config file's folder."""
    if _is_text(value):
        base_dir = os.path.dirname(os.path.abspath(config.path))
        config.database = os.path.join(base_dir, os.path.expanduser(value.strip()))
    else:
        report.error(f"[app] database must be a file path, not {_show(value)}")


_APP_READERS = {
    "timezone": _app_timezone,
    "week_start": _app_week_start,
    "daily_budget": _app_daily_budget,
    "currency": _app_currency,
    "hourly_rate": _app_hourly_rate,
    "default_strategy": _app_default_strategy,
    "platforms": _app_platforms,
    "target_platforms": _app_target_platforms,
    "database": _app_database,
}
APP_KEYS = tuple(_APP_READERS)


def _read_keymap(keymap: dict[str, Any], report: _Report) -> dict[str, str]:
    bindings: dict[str, str] = {}
    for binding, key in keymap.items():
        if binding not in BINDING_IDS:
            report.unknown(f"key [keymap] {binding}", binding, BINDING_IDS)
        elif _is_text(key):
            bindings[binding] = key.strip()
        else:
            report.error(
                f'[keymap] {binding} must be a key name such as "ctrl+s", not {_show(key)}'
            )
    return bindings


def _tables(section: dict[str, Any], name: str, report: _Report) -> dict[str, dict[str, Any]]:
    """The ``[name.<entry>]`` sub-tables of a section; anything else there is an error."""
    tables: dict[str, dict[str, Any]] = {}
    for entry, value in section.items():
        if isinstance(value, dict):
            tables[entry] = value
        else:
            report.error(f"{name}.{entry} must be a table ([{name}.{entry}]), not {_show(value)}")
    return tables


def _names(value: Any, where: str, report: _Report, *, lower: bool) -> tuple[str, ...]:
    """A list of non-empty names, stripped (and lower-cased for platforms), without repeats."""
    if not isinstance(value, list) or not all(_is_text(item) for item in value):
        report.error(f'{where} must be a list of names such as ["linkedin"], not {_show(value)}')
        return ()
    names = (item.strip().lower() if lower else item.strip() for item in value)
    return tuple(dict.fromkeys(names))


def _section(raw: dict[str, Any], name: str) -> dict[str, Any]:
    value = raw.get(name, {})
    return value if isinstance(value, dict) else {}


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _show(value: Any) -> str:
    """A value as the user wrote it, roughly: TOML containers by kind, scalars as written."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value) if value.strip() else "an empty string"
    return str(value)


def _check_timezone(config: Config, report: _Report) -> None:
    from smtui.core.timespec import user_timezone

    try:
        user_timezone(config.timezone)
    except SmtuiError as exc:
        report.error(f"[app] timezone: {exc.message} ({exc.hint})")


def _check_plugin_tables(config: Config, registry: PluginTables, report: _Report) -> None:
    """Check strategy and source tables against the options their plugins declare."""
    from smtui.options import apply_options

    scorers = tuple(sorted(registry.scorers))
    if config.default_strategy not in registry.scorers:
        guess = report.closest(config.default_strategy, scorers)
        tip = f"did you mean {guess!r}?" if guess else f"known: {', '.join(scorers)}"
        report.error(f"[app] default_strategy {config.default_strategy!r} is unknown ({tip})")
    for name, table in config.scoring.items():
        strategy = registry.scorers.get(name)
        if strategy is None:
            report.unknown(f"strategy [scoring.{name}]", name, scorers)
            continue
        try:
            apply_options(strategy.options, table, f"[scoring.{name}]")
        except SmtuiError as exc:
            report.error(str(exc))
    sources = tuple(sorted(registry.sources))
    for alias, table in config.sources.items():
        kind = table.get("type")
        if not isinstance(kind, str):
            continue  # already reported by the loader
        source = registry.sources.get(kind)
        if source is None:
            guess = report.closest(kind, sources)
            tip = f"did you mean {guess!r}?" if guess else f"known: {', '.join(sources)}"
            report.error(f"[sources.{alias}] type {kind!r} is not an installed source ({tip})")
            continue
        try:
            apply_options(source.options, table, f"[sources.{alias}]", ignore=("type",))
        except SmtuiError as exc:
            report.error(str(exc))


# --- rendering -------------------------------------------------------------------------------


def _duration_text(seconds: int) -> str:
    """``7200`` -> ``2h``, ``5400`` -> ``1h30m``: exact, and read back by the duration parser."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{n}{unit}" for n, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if n]
    return "".join(parts) or "0s"


def _hide_plain_secrets(value: Any, key: str = "") -> Any:
    """A copy with plain-text values under secret-looking keys replaced by a placeholder."""
    if isinstance(value, dict):
        return {k: _hide_plain_secrets(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_hide_plain_secrets(v, key) for v in value]
    if isinstance(value, str) and _looks_secret(key):
        return _HIDDEN
    return value


def _looks_secret(key: str) -> bool:
    lowered = key.lower()
    return (
        any(word in lowered for word in _SECRET_WORDS)
        or lowered in ("key", "apikey")
        or lowered.endswith("_key")
    )


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")
