"""Commands added by plugins (``register_commands``): found, parsed and run in isolation.

Plugins are loaded for the command line only when it names a command that is not built in,
or asks for the top-level ``--help`` (which lists plugin commands too): every built-in
command, and ``--version``, run exactly as if no plugin were installed. Listing a plugin
command runs none of its code (its ``name`` and ``help`` are class attributes); only the
command being run is instantiated and asked for its arguments. A plugin's
:class:`~smtui.errors.SmtuiError` (such as :class:`~smtui.api.PluginError`) is printed as one
line, like smtui's own; any other exception from plugin code becomes one line naming the
plugin, with exit code 1, unless ``SMTUI_STRICT_PLUGINS=1`` asks for the traceback.
"""

from __future__ import annotations

import sys

from smtui.cli.spec import GLOBAL_OPTIONS
from smtui.errors import SmtuiError
from smtui.plugin_settings import STRICT_ENV, strict

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from typing import TypeVar

    from smtui.cli.context import Context
    from smtui.extensions import Command

    T = TypeVar("T")

# Where the parsed arguments carry the plugin command to run (never a plugin's own dest).
PLUGIN_DEST = "_smtui_plugin_command"
HELP_FLAGS = ("-h", "--help")


class PluginCommandError(SmtuiError):
    """Plugin code behind a command raised something other than an error for the user."""

    title = "Plugin problem"


class PluginCommand:
    """One plugin command: the class as registered and the plugin that registered it."""

    __slots__ = ("cls", "instance", "name", "plugin")

    def __init__(self, name: str, cls: type[Command], plugin: str) -> None:
        self.name = name
        self.cls = cls
        self.plugin = plugin
        self.instance: Command | None = None

    @property
    def description(self) -> str:
        """The command's help, naming the plugin it comes from."""
        text = str(getattr(self.cls, "help", "") or "").strip()
        return f"{text} (plugin {self.plugin})" if text else f"(plugin {self.plugin})"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Instantiate the command and let it declare its arguments."""

        def declare() -> None:
            self.instance = self.cls()
            self.instance.add_arguments(parser)

        self._guarded("declaring its arguments", declare)

    def run(self, ctx: Context) -> int:
        """Run the command with the parsed arguments; return its exit code."""
        import argparse

        from smtui.extensions import CommandContext

        instance = self.instance
        assert instance is not None, "add_arguments() comes first"
        values = {k: v for k, v in vars(ctx.args).items() if k not in (PLUGIN_DEST, "subcommand")}
        arguments = argparse.Namespace(**values)

        def run() -> int:
            code = instance.run(arguments, CommandContext(ctx))
            return 0 if code is None else int(code)

        return self._guarded("running", run)

    def _guarded(self, doing: str, call: Callable[[], T]) -> T:
        try:
            return call()
        except SmtuiError:
            raise
        except Exception as exc:
            if strict():
                raise
            raise PluginCommandError(
                f"plugin {self.plugin!r} failed {doing} `smtui {self.name}`:"
                f" {type(exc).__name__}: {exc}",
                f"{STRICT_ENV}=1 shows the traceback; `smtui plugins` lists what is installed",
            ) from None


def escape_help(text: str) -> str:
    """argparse %-formats help texts: a plugin's ``100%`` must not break ``smtui --help``."""
    return text.replace("%", "%%")


def escape_description(text: str) -> str:
    """argparse %-formats a description only when it mentions ``%(prog)``."""
    return escape_help(text) if "%(prog)" in text else text


def command_word(argv: list[str]) -> tuple[str | None, bool, str | None]:
    """The command ``argv`` names, whether help is asked before it, and the ``--config`` given.

    Only global options may come before the command; anything else (``--version``, a typo)
    ends the search, leaving argparse to deal with it. ``--config`` may also follow the
    command, as with built-in commands (the last one given wins).
    """
    takes_value = {flag for option in GLOBAL_OPTIONS for flag in option.flags if option.value}
    help_asked = False
    word: str | None = None
    index = 0
    while index < len(argv):
        token = argv[index]
        if token in HELP_FLAGS:
            help_asked = True
            index += 1
            continue
        if token.partition("=")[0] in takes_value:
            index += 1 if "=" in token else 2
            continue
        if not token.startswith("-"):
            word = token
        break
    return word, help_asked, _last_config(argv[: index + 1] if word is None else argv)


def _last_config(argv: list[str]) -> str | None:
    config: str | None = None
    for index, token in enumerate(argv):
        if token == "--":
            break
        if token == "--config" and index + 1 < len(argv):
            config = argv[index + 1]
        elif token.startswith("--config="):
            config = token.partition("=")[2]
    return config


def for_argv(argv: list[str]) -> tuple[dict[str, PluginCommand], str | None]:
    """The plugin commands ``argv`` needs (none for a built-in command) and the one it names."""
    from smtui.extensions import reserved_command_names

    word, help_asked, config_path = command_word(argv)
    if word is None and not help_asked:
        return {}, None
    if word is not None and word in reserved_command_names():
        return {}, None
    from smtui.config import load_config
    from smtui.plugins import load_registry

    try:
        config = load_config(config_path)
    except SmtuiError as exc:
        if word is not None:
            raise
        print(f"smtui: warning: plugin commands not listed: {exc}", file=sys.stderr)
        return {}, None
    registry = load_registry(config)
    commands = {
        name: PluginCommand(name, cls, registry.owners[("command", name)])
        for name, cls in sorted(registry.commands.items())
    }
    return commands, word
