"""Plugin distributions: which are installed (from metadata alone) and the pip commands that
install, remove and pin them.

Nothing here imports a plugin, so ``smtui plugins uninstall`` and ``freeze`` work when a plugin
crashes on import. pip is always the one of the Python running smtui (``python -m pip``), so a
plugin lands next to the smtui that will load it. Where that Python has no pip (uv tool
environments, some pipx and uv venvs), the caller gets the command of the installer that
manages the environment instead.

Names: plugin distributions are named ``smtui-NAME`` (see the architecture notes), so a bare
``NAME`` given to ``install`` means ``smtui-NAME`` (``smtui plugins install bluesky`` must not
install the unrelated ``bluesky`` package); paths, URLs and names already starting with
``smtui-`` go to pip as given. ``uninstall`` accepts a plugin id (what ``smtui plugins``
lists) or a distribution name, and only ever removes distributions that provide an ``smtui``
entry point, never smtui itself.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib import metadata

from smtui.errors import NotFoundError, SmtuiError, StateError, UsageError
from smtui.plugins import ENTRY_POINT_GROUP

PREFIX = "smtui-"
SELF = "smtui"

# A requirement that names a project: NAME, NAME[extras], NAME==1.0, NAME>=1 ...
_NAMED = re.compile(
    r"^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(\s*(?:\[[^\]]*\])?\s*(?:[<>=!~].*)?)$"
)


def canonical(name: str) -> str:
    """A project name as pip compares them (PEP 503): ``Smtui_Foo`` is ``smtui-foo``."""
    return re.sub(r"[-_.]+", "-", name).lower()


class PluginDistribution:
    """An installed distribution that provides at least one ``smtui`` entry point."""

    __slots__ = ("dist", "name", "plugins", "version")

    def __init__(
        self, name: str, version: str, plugins: tuple[str, ...], dist: metadata.Distribution
    ) -> None:
        self.name = name
        self.version = version
        self.plugins = plugins
        self.dist = dist

    def __repr__(self) -> str:
        return f"PluginDistribution({self.name!r}, {self.version!r}, {self.plugins!r})"

    @property
    def label(self) -> str:
        """``smtui-foo 1.0 (plugin foo)`` for messages."""
        plural = "s" if len(self.plugins) > 1 else ""
        return f"{self.name} {self.version} (plugin{plural} {', '.join(self.plugins)})"

    def requirement(self) -> str:
        """A ``pip install -r`` line reinstalling this exact distribution.

        ``name==version`` for an install from an index; for one from a folder, archive or
        version control (PEP 610 ``direct_url.json``), the same source pip installed it from.
        """
        import json

        raw = self.dist.read_text("direct_url.json")
        try:
            info = json.loads(raw) if raw else None
        except ValueError:
            info = None
        if not isinstance(info, dict) or not isinstance(info.get("url"), str):
            return f"{self.name}=={self.version}"
        url = info["url"]
        vcs = info.get("vcs_info")
        if isinstance(vcs, dict) and vcs.get("vcs") and vcs.get("commit_id"):
            return f"{self.name} @ {vcs['vcs']}+{url}@{vcs['commit_id']}"
        directory = info.get("dir_info")
        if isinstance(directory, dict) and directory.get("editable"):
            if url.startswith("file://"):
                from urllib.request import url2pathname

                return f"-e {url2pathname(url[len('file://') :])}"
            return f"-e {url}"
        return f"{self.name} @ {url}"


def installed() -> list[PluginDistribution]:
    """Third-party plugin distributions, by name, read from entry-point metadata only."""
    found: dict[str, tuple[metadata.Distribution, list[str]]] = {}
    for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = entry_point.dist
        if dist is None or canonical(dist.name) == SELF:
            continue
        found.setdefault(canonical(dist.name), (dist, []))[1].append(entry_point.name)
    return [
        PluginDistribution(dist.name, dist.version, tuple(sorted(set(names))), dist)
        for _, (dist, names) in sorted(found.items())
    ]


def project_name(requirement: str) -> str | None:
    """The project a requirement names (``smtui-foo`` in ``smtui-foo>=1``); None for a path,
    a URL or a pip option."""
    match = _NAMED.match(requirement.strip())
    if requirement.startswith("-") or match is None or _looks_like_path(requirement):
        return None
    return match.group(1)


def install_requirement(name: str) -> str:
    """What pip is given for ``name``: ``foo`` becomes ``smtui-foo``; anything else as given."""
    match = _NAMED.match(name.strip())
    if project_name(name) is None or match is None:
        return name
    project, rest = match.groups()
    if canonical(project) == SELF:
        raise UsageError("smtui is not a plugin", "upgrade smtui with the tool that installed it")
    if canonical(project).startswith(PREFIX):
        return name
    return f"{PREFIX}{project}{rest}"


def _looks_like_path(name: str) -> bool:
    return os.sep in name or "/" in name or name.startswith(".") or os.path.exists(name)


def resolve_uninstall(
    names: list[str], plugins: list[PluginDistribution]
) -> list[PluginDistribution]:
    """The installed distributions ``names`` mean (plugin ids or distribution names), in order."""
    chosen: dict[str, PluginDistribution] = {}
    for name in names:
        wanted = canonical(name)
        if wanted == SELF:
            raise UsageError(
                "smtui cannot uninstall itself", "remove it with the tool that installed it"
            )
        match = next(
            (
                plugin
                for plugin in plugins
                if canonical(plugin.name) in (wanted, PREFIX + wanted)
                or wanted in {canonical(p) for p in plugin.plugins}
            ),
            None,
        )
        if match is None:
            raise _not_installed(name, plugins)
        chosen[canonical(match.name)] = match
    return list(chosen.values())


def _not_installed(name: str, plugins: list[PluginDistribution]) -> SmtuiError:
    from smtui.plugins import DEFAULT_PLUGINS

    if canonical(name) in {canonical(module.rpartition(".")[2]) for module in DEFAULT_PLUGINS}:
        return UsageError(
            f"{name!r} is built into smtui and cannot be uninstalled",
            f'switch it off with disabled = ["{name}"] under [plugins] in the config file',
        )
    from smtui.core.kinds import closest

    known = sorted({p.name for p in plugins} | {i for p in plugins for i in p.plugins})
    guess = closest(name, known)
    if guess:
        hint = f"did you mean {guess!r}?"
    elif known:
        hint = f"installed: {', '.join(known)}"
    else:
        hint = "no plugin is installed"
    return NotFoundError(f"no installed smtui plugin is called {name!r}", hint)


# --- running pip -----------------------------------------------------------------------------


def pip_command(*args: str) -> list[str]:
    """``python -m pip ARGS`` for the Python running smtui."""
    return [sys.executable, "-m", "pip", *args]


def run(command: list[str], *, quiet: bool = False) -> int:
    """Run ``command`` (its output goes to the user unless ``quiet``); its exit code."""
    output = subprocess.DEVNULL if quiet else None
    try:
        return subprocess.run(command, stdout=output, stderr=output, check=False).returncode
    except OSError:
        return 127


def pip_available() -> bool:
    return run(pip_command("--version"), quiet=True) == 0


# --- where pip is missing --------------------------------------------------------------------

UV_TOOL = "uv tool"
PIPX = "pipx"
UV_VENV = "uv venv"


def _under(prefix: str, *parts: str) -> bool:
    path = os.path.normcase(os.path.abspath(prefix)).replace(os.sep, "/")
    return "/" + "/".join(parts) + "/" in path + "/"


def environment_manager(prefix: str | None = None) -> str:
    """What made the environment smtui runs in: ``uv tool``, ``pipx``, ``uv venv`` or ``""``."""
    prefix = sys.prefix if prefix is None else prefix
    if os.path.exists(os.path.join(prefix, "uv-receipt.toml")) or _under(prefix, "uv", "tools"):
        return UV_TOOL
    pipx_home = os.environ.get("PIPX_HOME")
    if (
        os.path.exists(os.path.join(prefix, "pipx_metadata.json"))
        or _under(prefix, "pipx", "venvs")
        or (pipx_home and os.path.abspath(prefix).startswith(os.path.abspath(pipx_home) + os.sep))
    ):
        return PIPX
    try:
        with open(os.path.join(prefix, "pyvenv.cfg"), encoding="utf-8") as cfg:
            if any(line.split("=")[0].strip() == "uv" for line in cfg):
                return UV_VENV
    except OSError:
        pass
    return ""


def alternatives(
    action: str, requirements: list[str], plugins: list[PluginDistribution], manager: str
) -> list[str]:
    """The commands that do ``action`` (install/uninstall) where pip is missing.

    A uv tool environment is rebuilt from its requirement list, so the command names every
    plugin that should remain, not just the new one.
    """
    keep = [p.name for p in plugins]
    if action == "install":
        wanted = [*keep, *(r for r in requirements if canonical(r) not in map(canonical, keep))]
    else:
        gone = {canonical(r) for r in requirements}
        wanted = [name for name in keep if canonical(name) not in gone]
    uv_tool = " ".join(["uv tool install smtui", *(f"--with {r}" for r in wanted)])
    pipx = f"pipx {'inject' if action == 'install' else 'uninject'} smtui {' '.join(requirements)}"
    uv_venv = f"uv pip {action} --python {sys.executable} {' '.join(requirements)}"
    commands = {UV_TOOL: [uv_tool], PIPX: [pipx], UV_VENV: [uv_venv]}
    return commands.get(manager, [uv_tool, pipx])


def pip_missing(
    action: str, requirements: list[str], plugins: list[PluginDistribution]
) -> StateError:
    """The one-line error saying pip is missing and which command to run instead."""
    manager = environment_manager()
    commands = alternatives(action, requirements, plugins, manager)
    if manager:
        instead = f"smtui runs in a {manager} environment: run `{commands[0]}`"
    else:
        instead = f"if uv installed smtui, run `{commands[0]}`; if pipx did, `{commands[1]}`"
    return StateError(f"cannot {action} plugins: the Python running smtui has no pip", instead)
