"""The full argparse parser, built from :mod:`smtui.cli.spec` plus the plugin commands needed."""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from smtui import __version__
from smtui.cli.plugin_commands import (
    PLUGIN_DEST,
    PluginCommand,
    escape_description,
    escape_help,
    for_argv,
)
from smtui.cli.spec import COMMANDS, GLOBAL_OPTIONS, Command, Opt, Pos

EPILOG = """\
everyday use:
  smtui start linkedin prospecting -t 25m   start a timed session
  smtui log prospect_qualified -c "@ana"     log what it achieved
  smtui stop                                 stop it (no outcome = playtime)
  smtui status -f short                      one line for a prompt or tmux

run `smtui COMMAND --help` for a command's options; `smtui` alone opens the dashboard.
"""


def _add_args(parser: argparse.ArgumentParser, args: tuple[Opt | Pos, ...]) -> None:
    for arg in args:
        if isinstance(arg, Pos):
            nargs = ("*" if arg.optional else "+") if arg.many else ("?" if arg.optional else None)
            parser.add_argument(arg.dest, nargs=nargs, metavar=arg.metavar, help=arg.help)
        elif not arg.value:
            parser.add_argument(*arg.flags, dest=arg.dest, action="store_true", help=arg.help)
        elif arg.repeat:
            parser.add_argument(
                *arg.flags,
                dest=arg.dest,
                action="append",
                default=[],
                metavar=arg.metavar,
                help=arg.help,
            )
        else:
            parser.add_argument(
                *arg.flags,
                dest=arg.dest,
                metavar=arg.metavar or None,
                choices=arg.choices,
                default=arg.default,
                help=arg.help,
            )


def _add_globals(parser: argparse.ArgumentParser) -> None:
    """Accept ``--db``/``--config`` after the command too, without resetting an earlier value."""
    for option in GLOBAL_OPTIONS:
        parser.add_argument(
            *option.flags,
            dest=option.dest,
            metavar=option.metavar,
            default=argparse.SUPPRESS,
            help=option.help,
        )


def _add_command(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], command: Command
) -> None:
    parser = subparsers.add_parser(command.name, help=command.help, description=command.description)
    _add_args(parser, command.args)
    if command.subcommands:
        nested = parser.add_subparsers(
            dest="subcommand", metavar="ACTION", required=not command.action_optional
        )
        for sub in command.subcommands:
            sub_parser = nested.add_parser(sub.name, help=sub.help, description=sub.description)
            _add_args(sub_parser, sub.args)
            _add_globals(sub_parser)
        if command.action_optional:
            _add_globals(parser)
    else:
        _add_globals(parser)
        parser.set_defaults(subcommand=None)


def _add_plugin_command(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    command: PluginCommand,
    *,
    named: bool,
) -> None:
    """A plugin's command; only the one being run is asked for its arguments (plugin code)."""
    parser = subparsers.add_parser(
        command.name,
        help=escape_help(command.description),
        description=escape_description(command.description),
    )
    _add_globals(parser)
    if named:
        command.add_arguments(parser)
    parser.set_defaults(subcommand=None, **{PLUGIN_DEST: command})


def build_parser(
    plugin_commands: Mapping[str, PluginCommand] | None = None, named: str | None = None
) -> argparse.ArgumentParser:
    """The whole command line, with ``plugin_commands`` after the built-in ones.

    ``named`` is the command the arguments name: of the plugin commands, only that one runs
    any plugin code to declare its arguments.
    """
    parser = argparse.ArgumentParser(
        prog="smtui",
        description="Tell real social media work from playtime: timed sessions, outcomes, goals.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"smtui {__version__}")
    _add_args(parser, GLOBAL_OPTIONS)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        _add_command(subparsers, command)
    for name, plugin_command in (plugin_commands or {}).items():
        _add_plugin_command(subparsers, plugin_command, named=name == named)
    return parser


def parse(argv: list[str]) -> dict[str, object]:
    """Parse ``argv``; argparse prints usage errors and help itself and exits.

    Plugins are loaded only when ``argv`` names a command that is not built in, or asks for
    the top-level help (see :mod:`smtui.cli.plugin_commands`).
    """
    plugin_commands, named = for_argv(argv)
    values = vars(build_parser(plugin_commands, named).parse_args(argv))
    values.setdefault("subcommand", None)
    return values
