"""The one place smtui reads the wall clock, so tests and the demo can freeze it."""

from __future__ import annotations

import time

_frozen: int | None = None


def now() -> int:
    """Current time as whole UTC epoch seconds (the unit the store uses)."""
    return _frozen if _frozen is not None else int(time.time())


def freeze(at: int | None) -> None:
    """Pin :func:`now` to ``at`` (epoch seconds); ``None`` lets the clock run again."""
    global _frozen  # noqa: PLW0603 - a process-wide test clock is the point
    _frozen = at
