"""``smtui plugins``: what is installed and whether it loaded; install, uninstall, freeze.

Listing loads the plugins (that is what it reports on) and always exits 0, even when some
failed: it is a report, and it has to work precisely then. ``install``, ``uninstall`` and
``freeze`` read distribution metadata only and never import a plugin before pip has run, so
a plugin that crashes on import can always be removed.
"""

from __future__ import annotations

import sys

from smtui.errors import StateError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from smtui.cli.context import Context
    from smtui.plugin_packages import PluginDistribution

# Loading every plugin in a fresh process after pip ran; a plugin hanging on import stops it.
HEALTH_CHECK_TIMEOUT_S = 60.0


def _note(text: str) -> None:
    if text:
        print(f"smtui: {text}", file=sys.stderr)


def cmd_plugins(ctx: Context) -> int:
    """The health table (``--all`` adds built-ins and disabled plugins; ``--json`` for scripts)."""
    import contextlib
    import io

    from smtui.cli.output import as_json, table
    from smtui.plugin_listing import (
        HEALTH_COLUMNS,
        health_rows,
        hidden_note,
        problems_note,
        shown,
    )
    from smtui.plugins import load_registry

    args = ctx.args
    config = ctx.config
    # The table reports every failure, so the loader's own line per failure would repeat it.
    with contextlib.redirect_stderr(io.StringIO()):
        registry = load_registry(config)
    records = [health.as_dict() for health in registry.health]
    listed = shown(records, show_all=bool(args.all))
    if args.json or args.format == "json":
        ctx.out(as_json(listed))
    else:
        if listed:
            ctx.out(table(HEALTH_COLUMNS, health_rows(listed)))
        else:
            ctx.out("No plugins installed: smtui runs on its built-ins.")
        _note(hidden_note(records, show_all=bool(args.all)))
    _note(problems_note(records))
    return 0


def cmd_install(ctx: Context) -> int:
    from smtui import plugin_packages as packages

    args = ctx.args
    requirements = [packages.install_requirement(name) for name in args.names]
    for name, requirement in zip(args.names, requirements, strict=True):
        if name != requirement:
            _note(f"installing {requirement} (plugin distributions are named smtui-NAME)")
    before = packages.installed()
    if not packages.pip_available():
        raise packages.pip_missing("install", requirements, before)
    upgrade = ["--upgrade"] if args.upgrade else []
    code = packages.run(packages.pip_command("install", *upgrade, *requirements))
    if code != 0:
        raise StateError(f"pip could not install {' '.join(requirements)} (exit code {code})")
    return _report_installed(ctx, before, requirements)


def _report_installed(
    ctx: Context, before: list[PluginDistribution], requirements: list[str]
) -> int:
    """Load the plugins afresh and show the health of those the install added or changed."""
    from smtui.cli.output import table
    from smtui.plugin_listing import HEALTH_COLUMNS, health_rows, problems_note
    from smtui.plugin_packages import canonical, project_name

    records = _fresh_health(ctx)
    known = {(canonical(p.name), p.version) for p in before}
    asked = {canonical(name) for name in map(project_name, requirements) if name}

    def dist(record: dict[str, Any]) -> str:
        return canonical(str(record.get("distribution") or ""))

    touched = [
        record
        for record in records
        if not record.get("builtin")
        and ((dist(record), record.get("version")) not in known or dist(record) in asked)
    ]
    for name in sorted(asked - {dist(record) for record in records}):
        _note(
            f"warning: {name} provides no smtui plugin (no entry point in group smtui);"
            f" remove it with `{sys.executable} -m pip uninstall {name}`"
        )
    if not touched:
        ctx.out("Nothing new to load: the plugins installed are listed by `smtui plugins`.")
        return 0
    ctx.out(table(HEALTH_COLUMNS, health_rows(touched)))
    problems = problems_note(touched)
    if problems:
        raise StateError(f"installed, but {problems}")
    return 0


def _fresh_health(ctx: Context) -> list[dict[str, Any]]:
    """``smtui plugins --all --json`` in a new process: it sees what pip just installed."""
    import json
    import subprocess

    command = [sys.executable, "-m", "smtui"]
    if ctx.args.config:
        command += ["--config", str(ctx.args.config)]
    command += ["plugins", "--all", "--json"]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=HEALTH_CHECK_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        raise StateError(
            f"installed, but loading the plugins took over {HEALTH_CHECK_TIMEOUT_S:g} s",
            "a plugin may hang on import: see `smtui plugins`",
        ) from None
    try:
        records = json.loads(result.stdout)
    except ValueError:
        records = None
    if result.returncode != 0 or not isinstance(records, list):
        why = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise StateError(f"installed, but smtui could not load its plugins: {why}")
    return records


def cmd_uninstall(ctx: Context) -> int:
    from smtui import plugin_packages as packages
    from smtui.cli.output import confirm

    args = ctx.args
    plugins = packages.installed()
    chosen = packages.resolve_uninstall(list(args.names), plugins)
    names = [plugin.name for plugin in chosen]
    if not packages.pip_available():
        raise packages.pip_missing("uninstall", names, plugins)
    confirm(f"Uninstall {', '.join(plugin.label for plugin in chosen)}?", bool(args.yes))
    code = packages.run(packages.pip_command("uninstall", "--yes", *names))
    if code != 0:
        raise StateError(f"pip could not uninstall {' '.join(names)} (exit code {code})")
    for plugin in chosen:
        ctx.out(f"Uninstalled {plugin.label}")
    return 0


def cmd_freeze(ctx: Context) -> int:
    from smtui import plugin_packages as packages

    plugins = packages.installed()
    if not plugins:
        _note("no plugin is installed")
    for plugin in plugins:
        ctx.out(plugin.requirement())
    return 0
