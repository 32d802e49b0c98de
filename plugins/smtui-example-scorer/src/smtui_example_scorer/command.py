"""``smtui conversations``: the conversations of the last few days, who and where.

A plugin command gets smtui's database connection, configuration and time zone through its
:class:`~smtui.api.CommandContext`; it reads the ``outcomes`` table and prints with
``context.out`` (never ``print``), so smtui can capture and test the output.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING

from smtui.api import Command, PluginError

from smtui_example_scorer.strategy import DEFAULT_KINDS, ConversationsPerHour

if TYPE_CHECKING:
    import argparse

    from smtui.api import CommandContext


class ConversationsCommand(Command):
    name = "conversations"
    help = "list the conversations (moved off social, leads, calls booked) of the last days"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--days", type=int, default=7, help="how many days back to look (default: 7)"
        )

    def run(self, args: argparse.Namespace, context: CommandContext) -> int:
        if args.days < 1:
            raise PluginError("--days must be 1 or more", title="Conversations")
        table = context.config.scoring.get(ConversationsPerHour.name, {})
        kinds = tuple(table.get("kinds") or DEFAULT_KINDS)
        since = int(time.time()) - args.days * 86400
        marks = ", ".join("?" for _ in kinds)
        rows = context.conn.execute(
            "SELECT occurred_at, kind, coalesce(platform, ''), contact FROM outcomes"
            f" WHERE kind IN ({marks}) AND occurred_at >= ? ORDER BY occurred_at, id",
            (*kinds, since),
        ).fetchall()
        context.out(f"Conversations in the last {args.days} days: {len(rows)}")
        for occurred_at, kind, platform, contact in rows:
            when = datetime.fromtimestamp(occurred_at, context.zone).strftime("%Y-%m-%d %H:%M")
            context.out(f"  {when}  {kind:<17} {platform:<10} {contact}".rstrip())
        return 0
