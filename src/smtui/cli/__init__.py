"""The ``smtui`` command line.

Startup is kept lean: the everyday commands go through :mod:`smtui.cli.quickparse` and
:mod:`smtui.cli.quick` and never import argparse, pluggy or Textual; everything else is
imported only by the command that needs it. Plugins are loaded for the command line only when
it names a command no built-in answers to (:mod:`smtui.cli.plugin_commands`).
"""

from __future__ import annotations

import sys

from smtui.errors import SmtuiError


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 failed, 2 bad usage)."""
    args = sys.argv[1:] if argv is None else argv
    try:
        values = _parse(args)
        from smtui.cli.context import Context

        ctx = Context(values)
        try:
            return _dispatch(ctx)
        finally:
            ctx.close()
    except SmtuiError as exc:
        print(f"smtui: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("smtui: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `smtui sessions list | head`
        return 0


def _parse(args: list[str]) -> dict[str, object]:
    from smtui.cli.spec import BY_NAME, QUICK_COMMANDS

    # The everyday commands, and the dashboard (no command word at all), skip argparse.
    if any(word in QUICK_COMMANDS for word in args[:4]) or not any(w in BY_NAME for w in args):
        from smtui.cli import quickparse

        try:
            return quickparse.parse(args)
        except quickparse.Fallback:
            pass
    from smtui.cli import parser

    return parser.parse(args)


def _dispatch(ctx: object) -> int:
    from smtui.cli.context import Context

    assert isinstance(ctx, Context)
    command = ctx.args.command
    if command is None or command == "dashboard":
        from smtui.cli.commands_app import run_dashboard

        return run_dashboard(ctx)
    from smtui.cli.spec import QUICK_COMMANDS

    if command in QUICK_COMMANDS:
        from smtui.cli import quick

        return int(getattr(quick, f"cmd_{command}")(ctx))
    from smtui.cli.plugin_commands import PLUGIN_DEST

    plugin_command = getattr(ctx.args, PLUGIN_DEST)
    if plugin_command is not None:
        return int(plugin_command.run(ctx))
    import importlib

    module = importlib.import_module(f"smtui.cli.commands_{command}")
    action = str(ctx.args.subcommand or command).replace("-", "_")  # report best-times
    handler = getattr(module, f"cmd_{action}")
    return int(handler(ctx))
