"""The contract every scoring strategy implements (re-exported by :mod:`smtui.api`).

A strategy rates a window of time (a session, a day, a week, any range) from the sessions and
outcomes in it. Strategies are pure: the same window and options always give the same score,
and the breakdown lists the inputs used, so every number can explain itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from smtui.models import Outcome, Session
    from smtui.options import Option


class Window:
    """What a strategy scores: ``[start, end)`` with the sessions and outcomes inside it.

    Session time is clipped to the window and counted up to ``now`` for a running session.
    """

    __slots__ = ("end", "now", "outcomes", "posts", "sessions", "start")

    def __init__(
        self,
        start: int,
        end: int,
        now: int,
        sessions: list[Session],
        outcomes: list[Outcome],
        posts: list[dict[str, Any]] | None = None,
    ) -> None:
        self.start = start
        self.end = end
        self.now = now
        self.sessions = sessions
        self.outcomes = outcomes
        self.posts = posts or []

    def active_seconds(self, session: Session) -> int:
        """The session's worked time that falls inside the window (pauses prorated)."""
        end = min(self.end, self.now if session.ended_at is None else session.ended_at)
        start = max(self.start, session.started_at)
        if end <= start:
            return 0
        wall = (self.now if session.ended_at is None else session.ended_at) - session.started_at
        if wall <= 0:
            return 0
        return round(session.active_seconds(self.now) * (end - start) / wall)


class Score:
    """A strategy's verdict: a value, a short label, and the lines that explain it."""

    __slots__ = ("breakdown", "label", "strategy", "unit", "value")

    def __init__(
        self,
        strategy: str,
        value: float | None,
        label: str,
        breakdown: list[tuple[str, str]],
        unit: str = "",
    ) -> None:
        self.strategy = strategy
        self.value = value
        self.label = label
        self.breakdown = breakdown
        self.unit = unit

    def as_dict(self) -> dict[str, Any]:
        return {
            "strategy": self.strategy,
            "value": self.value,
            "unit": self.unit,
            "label": self.label,
            "breakdown": [{"item": item, "value": value} for item, value in self.breakdown],
        }


class ScoringStrategy:
    """Rates the time spent in a :class:`Window`.

    ``options`` declares the ``[scoring.<name>]`` config keys; validated values arrive in
    ``self.option_values``.
    """

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    description: ClassVar[str] = ""
    options: ClassVar[tuple[Option, ...]] = ()

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.option_values: dict[str, Any] = dict(options or {})

    def score(self, window: Window) -> Score:
        raise NotImplementedError
