"""``smtui demo``: a realistic, deterministic 90 days in a database of its own."""

from __future__ import annotations

import os
import sys

from smtui.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from smtui.cli.context import Context


def _remove_database(path: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def cmd_demo(ctx: Context) -> int:
    """Build the demo next to (never over) the user's data, then open the dashboard.

    Without ``--db`` the demo lives in its own file, rebuilt on every run so its dates follow
    today. With ``--db`` an existing file is only replaced with ``--force``. The database is
    built under a temporary name and moved into place, so a failure leaves nothing behind.
    """
    from datetime import datetime

    from smtui import clock
    from smtui.core.demo import generate
    from smtui.paths import demo_database_path
    from smtui.store.db import connect

    args = ctx.args
    days = str(args.days)
    if not days.isdigit() or not 1 <= int(days) <= 3660:
        raise UsageError(f"bad --days {args.days!r}", "use a whole number from 1 to 3660")
    explicit = args.db or os.environ.get("SMTUI_DB")
    path = explicit or demo_database_path()
    if explicit and os.path.exists(path) and not args.force:
        raise UsageError(
            f"{path} already exists", "add --force to replace it, or pick a new --db path"
        )
    building = path + ".building"
    _remove_database(building)
    conn = connect(building)
    try:
        today = datetime.fromtimestamp(clock.now(), ctx.zone).date()
        summary = generate(conn, today=today, zone=ctx.zone, days=int(days))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except BaseException:
        conn.close()
        _remove_database(building)
        raise
    conn.close()
    _remove_database(path)
    os.replace(building, path)
    _remove_database(building)
    ctx.out(
        f"Demo database {path}: {days} days, {summary.sessions} sessions, "
        f"{summary.outcomes} outcomes, {summary.posts} posts, {summary.goals} goals"
    )
    if args.no_open:
        ctx.out(f"Open it with: smtui --db {path}")
        return 0
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        ctx.out(f"Not a terminal, so not opening the dashboard; later: smtui --db {path}")
        return 0
    from smtui.cli.commands_app import run_dashboard

    return run_dashboard(ctx, path)
