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
    ``pauses`` maps a session id to its pause intervals (an open pause ends ``None``), so time
    in a pause is left out exactly where it happened, as in every other total smtui shows.
    """

    __slots__ = ("end", "now", "outcomes", "pauses", "posts", "sessions", "start")

    def __init__(
        self,
        start: int,
        end: int,
        now: int,
        sessions: list[Session],
        outcomes: list[Outcome],
        posts: list[dict[str, Any]] | None = None,
        pauses: dict[int, list[tuple[int, int | None]]] | None = None,
    ) -> None:
        self.start = start
        self.end = end
        self.now = now
        self.sessions = sessions
        self.outcomes = outcomes
        self.posts = posts or []
        self.pauses = pauses

    def active_seconds(self, session: Session) -> int:
        """The session's worked time inside the window, its pauses clipped out."""
        session_end = self.now if session.ended_at is None else session.ended_at
        end = min(self.end, session_end)
        start = max(self.start, session.started_at)
        if end <= start:
            return 0
        if self.pauses is None:  # a hand-made window without pause intervals: prorate
            wall = session_end - session.started_at
            return round(session.active_seconds(self.now) * (end - start) / wall) if wall else 0
        paused = 0
        for pause_start, pause_end in self.pauses.get(session.id, ()):
            until = session_end if pause_end is None else pause_end
            paused += max(0, min(end, until) - max(start, pause_start))
        return end - start - paused


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
    # False when score() never reads ``window.posts``: the window then comes without them,
    # which spares reading every post of the day on a busy account (the dashboard scores
    # today after every change).
    uses_posts: ClassVar[bool] = True

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.option_values: dict[str, Any] = dict(options or {})

    def score(self, window: Window) -> Score:
        raise NotImplementedError
