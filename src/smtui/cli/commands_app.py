"""Opening the dashboard: the only command path that imports Textual."""

from __future__ import annotations

import sys

from smtui.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from smtui.cli.context import Context


def run_dashboard(ctx: Context, db_path: str | None = None) -> int:
    """Open the dashboard on ``db_path`` (default: the user's database)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(
            "the dashboard needs a terminal", "run `smtui status` or `smtui report` in scripts"
        )
    path = db_path or ctx.db_path
    from smtui.store.db import connect

    connect(path).close()  # create and migrate before the first paint
    from smtui.tui.launch import run_app

    run_app(path, ctx.config)
    return 0
