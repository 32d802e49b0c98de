"""The scoring pipeline: gather a window of time, pick a strategy, score it.

Strategies come from the plugin registry (built-in or third party) and never touch the
database: this module reads what they need into a :class:`~smtui.scoring.Window`, so every
strategy sees the same data and can be tested without a store.
"""

from __future__ import annotations

from smtui.core import outcomes as outcomes_store
from smtui.core import sessions as sessions_store
from smtui.core.kinds import closest
from smtui.errors import SmtuiError, UsageError
from smtui.scoring import Score, ScoringStrategy, Window

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Mapping
    from typing import Any, Protocol

    from smtui.plugins import Registry

    class ScoringConfig(Protocol):
        """The part of the configuration scoring reads: ``[scoring.<name>]`` tables."""

        @property
        def scoring(self) -> Mapping[str, Mapping[str, Any]]: ...


def build_window(
    conn: sqlite3.Connection, start: int, end: int, now: int, *, posts: bool = True
) -> Window:
    """Sessions overlapping ``[start, end)``, their outcomes, and what else happened in it.

    Outcomes are those of the window's sessions (even if logged later) plus any that occurred
    inside the window (including ones with no session); posts are those published in it
    (none when ``posts`` is False: for a strategy that does not read them).
    """
    sessions = sessions_store.list_sessions(conn, since=start, until=end)
    sessions.reverse()
    ids = [session.id for session in sessions]
    outcomes = outcomes_store.for_window(conn, ids, start, end)
    pauses: dict[int, list[tuple[int, int | None]]] = {session_id: [] for session_id in ids}
    for session_id, pause_start, pause_end in sessions_store.pauses_of(conn, ids):
        pauses[session_id].append((pause_start, pause_end))
    if not posts:
        return Window(start, end, now, sessions, outcomes, [], pauses)
    cursor = conn.execute(
        "SELECT * FROM posts WHERE published_at >= ? AND published_at < ?"
        " ORDER BY published_at, id",
        (start, end),
    )
    columns = [column[0] for column in cursor.description]
    published = [dict(zip(columns, row, strict=True)) for row in cursor]
    return Window(start, end, now, sessions, outcomes, published, pauses)


def make_strategy(
    registry: Registry, name: str, config: ScoringConfig | None = None
) -> ScoringStrategy:
    """The strategy registered as ``name``, configured from its ``[scoring.<name>]`` table."""
    cls = registry.scorers.get(name)
    if cls is None:
        known = sorted(registry.scorers)
        guess = closest(name, known)
        listing = f"known strategies: {', '.join(known)}" if known else "no strategy is loaded"
        hint = f"did you mean {guess!r}? {listing}" if guess else listing
        raise UsageError(f"unknown scoring strategy {name!r}", hint)
    from smtui.options import apply_options

    table = config.scoring.get(name, {}) if config is not None else {}
    values = apply_options(cls.options, table, f"[scoring.{name}]")
    try:
        return cls(values)
    except SmtuiError:
        raise
    except Exception as exc:
        raise _strategy_failed(name, exc) from exc


def score_range(
    conn: sqlite3.Connection, strategy: ScoringStrategy, start: int, end: int, now: int
) -> Score:
    """Score ``[start, end)`` with ``strategy``.

    The strategy runs with a time limit (:data:`~smtui.plugin_calls.SCORE_TIMEOUT_S`): one
    that crashes, hangs or returns anything but a Score becomes a PluginError.
    """
    from smtui.plugin_calls import SCORE_TIMEOUT_S, call_with_timeout, timeout_for

    window = build_window(conn, start, end, now, posts=getattr(strategy, "uses_posts", True))
    score = call_with_timeout(
        strategy.score,
        window,
        timeout=timeout_for(SCORE_TIMEOUT_S),
        what=f"scoring strategy {strategy.name!r}",
        title=_FAILED_TITLE,
        hint=_FAILED_HINT,
    )
    if not isinstance(score, Score):
        raise _strategy_failed(
            strategy.name, TypeError(f"score() returned {type(score).__name__}, not a Score")
        )
    return score


_FAILED_TITLE = "Scoring strategy failed"
_FAILED_HINT = "pick another strategy, and report this to the plugin's author"


def _strategy_failed(name: str, exc: Exception) -> SmtuiError:
    """A plugin's bug as an error the user can act on, instead of a traceback."""
    from smtui.plugin_calls import failed

    return failed(f"scoring strategy {name!r}", exc, title=_FAILED_TITLE, hint=_FAILED_HINT)
