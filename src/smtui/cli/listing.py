"""Helpers shared by the listing commands: period windows and id arguments."""

from __future__ import annotations

from smtui import clock
from smtui.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from smtui.cli.context import Context


def period_window(ctx: Context, period: str) -> tuple[int | None, int | None]:
    """``[start, end)`` of the current day/week/month/quarter; ``all`` is unbounded."""
    if period == "all":
        return None, None
    from smtui.core.periods import period_bounds

    return period_bounds(period, clock.now(), ctx.zone, ctx.config.week_start)


def parse_id(text: object, what: str) -> int:
    value = str(text).lstrip("#")
    if not value.isdigit():
        raise UsageError(f"bad {what} id {text!r}", "use the number shown in the listing")
    return int(value)


def parse_limit(text: object) -> int:
    value = str(text)
    if not value.isdigit() or int(value) == 0:
        raise UsageError(f"bad --limit {text!r}", "use a whole number above zero")
    return int(value)
