"""``smtui config path|show|validate|init``."""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from smtui.cli.context import Context


def cmd_path(ctx: Context) -> int:
    from smtui.paths import config_path

    path = config_path(ctx.args.config)
    ctx.out(path)
    if not os.path.exists(path):
        print(
            "smtui: note: no file there yet; `smtui config init` writes a commented one",
            file=sys.stderr,
        )
    return 0


def cmd_show(ctx: Context) -> int:
    from smtui.config import render_effective

    ctx.out(render_effective(ctx.config))
    return 0


def cmd_validate(ctx: Context) -> int:
    from smtui.config import validate_file
    from smtui.paths import config_path

    path = config_path(ctx.args.config)
    errors, warnings = validate_file(ctx.args.config)
    if not errors:  # the file loads: now check the plugin tables against what plugins declare
        errors, warnings = validate_file(ctx.args.config, ctx.registry)
    for warning in warnings:
        print(f"smtui: warning: {warning}", file=sys.stderr)
    for error in errors:
        print(f"smtui: error: {error}", file=sys.stderr)
    if errors:
        return 1
    state = "valid" if os.path.exists(path) else "absent (defaults apply)"
    ctx.out(f"{path}: {state}" + (f", {len(warnings)} warning(s)" if warnings else ""))
    return 0


def cmd_init(ctx: Context) -> int:
    from smtui.config import init_file

    path = init_file(ctx.args.config)
    ctx.out(f"Wrote {path}; edit it to taste (every key is commented)")
    return 0
