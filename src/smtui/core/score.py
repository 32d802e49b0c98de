"""The scoring pipeline: gather a window of time, pick a strategy, score it.

Strategies come from the plugin registry (built-in or third party) and never touch the
database: this module reads what they need, so every strategy sees the same data and can be
tested without a store. A plain strategy gets a :class:`~smtui.scoring.Window` (the sessions,
outcomes and posts themselves); one built on :class:`~smtui.core.score_totals.TotalsStrategy`
gets a :class:`~smtui.core.score_totals.WindowTotals` read from the summary tables, so a year
costs about what a day does.

A strategy option named like an ``[app]`` setting (``hourly_rate``, ``currency``,
``target_platforms``) takes that setting's value when its ``[scoring.<name>]`` table leaves
it out: one hourly rate serves every strategy unless one is told otherwise.
"""

from __future__ import annotations

from smtui.core.kinds import closest
from smtui.core.score_totals import (
    FINISHED,
    LOOSE,
    NEEDS_FOLLOWERS,
    NEEDS_POSTS,
    NEEDS_REACH,
    POST_SUMS,
    RUNNING,
    WindowTotals,
)
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


# [app] settings a strategy option of the same name falls back to.
APP_FALLBACKS: tuple[str, ...] = ("hourly_rate", "currency", "target_platforms")


# --- the window's sessions, outcomes and posts ----------------------------------------------

# The sessions overlapping [start, end): the finished ones from the latest one started before
# the window (finished sessions never overlap, so none earlier reaches it), and the running
# one. Written as a subquery, not a list of ids, so a window of any length fits in one statement.
_WINDOW_SESSIONS = """
SELECT id FROM sessions
WHERE started_at >= :lower AND started_at < :end AND ended_at > :start
UNION ALL
SELECT id FROM sessions WHERE ended_at IS NULL AND +started_at < :end
"""
_LOWER_SQL = (
    "SELECT started_at FROM sessions WHERE started_at < ? AND ended_at IS NOT NULL"
    " ORDER BY started_at DESC LIMIT 1"
)
_SESSION_COLUMNS = """
SELECT s.id, s.platform, s.intent, s.started_at, s.ended_at, s.timebox_s, s.paused_s,
       (SELECT p.started_at FROM pauses p WHERE p.session_id = s.id AND p.ended_at IS NULL),
       s.note,
       (SELECT group_concat(t.tag, char(31)) FROM session_tags t WHERE t.session_id = s.id)
FROM sessions s
"""
_OUTCOME_FIELDS = (
    "id, kind, occurred_at, session_id, detail, platform, contact, amount_minor, currency,"
    " note, origin"
)


def _window_params(conn: sqlite3.Connection, start: int, end: int) -> dict[str, int]:
    row = conn.execute(_LOWER_SQL, (start,)).fetchone()
    return {"start": start, "end": end, "lower": start if row is None else min(row[0], start)}


def build_window(
    conn: sqlite3.Connection, start: int, end: int, now: int, *, posts: bool = True
) -> Window:
    """Sessions overlapping ``[start, end)``, their outcomes, and what else happened in it.

    Outcomes are those of the window's sessions (even if logged later) plus any that occurred
    inside the window (including ones with no session); posts are those published in it
    (none when ``posts`` is False: for a strategy that does not read them).
    """
    from smtui.models import Outcome, Session

    params = _window_params(conn, start, end)
    sessions = [
        Session(
            row[0],
            row[1],
            row[2],
            row[3],
            ended_at=row[4],
            timebox_s=row[5],
            paused_s=row[6],
            paused_since=row[7],
            note=row[8],
            tags=tuple(sorted(str(row[9]).split("\x1f"))) if row[9] else (),
        )
        for row in conn.execute(
            f"{_SESSION_COLUMNS} WHERE s.id IN ({_WINDOW_SESSIONS}) ORDER BY s.started_at, s.id",
            params,
        )
    ]
    outcomes = [
        Outcome(*row)
        for row in conn.execute(
            f"SELECT {_OUTCOME_FIELDS} FROM outcomes WHERE session_id IN ({_WINDOW_SESSIONS})"
            f" UNION SELECT {_OUTCOME_FIELDS} FROM outcomes"
            " WHERE occurred_at >= :start AND occurred_at < :end ORDER BY 3, 1",
            params,
        )
    ]
    pauses: dict[int, list[tuple[int, int | None]]] = {session.id: [] for session in sessions}
    for session_id, pause_start, pause_end in conn.execute(
        f"SELECT session_id, started_at, ended_at FROM pauses"
        f" WHERE session_id IN ({_WINDOW_SESSIONS}) ORDER BY session_id, started_at",
        params,
    ):
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


# --- the window's sums ----------------------------------------------------------------------

# Each outcome of the window once, with where it belongs: to a finished or the running session
# of the window, or to neither. Money is summed for deals only, as the revenue measure does.
_OUTCOME_SUMS_SQL = f"""
WITH win(id, running) AS (
    SELECT id, 0 FROM sessions
    WHERE started_at >= :lower AND started_at < :end AND ended_at > :start
    UNION ALL
    SELECT id, 1 FROM sessions WHERE ended_at IS NULL AND +started_at < :end
),
found(id, kind, place, currency, amount_minor) AS (
    SELECT o.id, o.kind, CASE WHEN w.running THEN '{RUNNING}' ELSE '{FINISHED}' END,
           o.currency, o.amount_minor
    FROM win w JOIN outcomes o ON o.session_id = w.id
    UNION ALL
    SELECT o.id, o.kind, '{LOOSE}', o.currency, o.amount_minor
    FROM outcomes o
    WHERE o.occurred_at >= :start AND o.occurred_at < :end
      AND (o.session_id IS NULL OR o.session_id NOT IN (SELECT id FROM win))
)
SELECT kind, place, currency, count(*), sum(amount_minor) FROM found GROUP BY 1, 2, 3
"""
_REACH_SQL = (
    "SELECT platform, count(*), sum(engagements), sum(reach) FROM posts"
    " WHERE published_at >= ? AND published_at < ? AND engagements IS NOT NULL AND reach > 0"
    " GROUP BY platform"
)


def load_totals(
    conn: sqlite3.Connection,
    start: int,
    end: int,
    now: int,
    needs: frozenset[str] = frozenset(),
) -> WindowTotals:
    """The sums of ``[start, end)`` from the summary tables: what ``totals_of`` gives for the
    :func:`build_window` of the same range, without reading every row of it."""
    from smtui.core.summary import _split_rows

    time = {
        (platform, status): (count, seconds)
        for platform, status, count, seconds in _split_rows(conn, start, end, now)
    }
    outcomes: dict[tuple[str, str], int] = {}
    revenue: dict[str, tuple[int, int]] = {}
    params = _window_params(conn, start, end)
    for kind, place, currency, count, amount in conn.execute(_OUTCOME_SUMS_SQL, params):
        outcomes[(kind, place)] = outcomes.get((kind, place), 0) + count
        if kind == "deal" and currency and amount is not None:
            deals, total = revenue.get(currency, (0, 0))
            revenue[currency] = (deals + count, total + amount)
    totals = WindowTotals(start, end, now, time=time, outcomes=outcomes, revenue=revenue)
    if NEEDS_POSTS in needs:
        from smtui.core.totals import post_sums

        sums = post_sums(conn, [(start, end)], POST_SUMS)
        totals.posts = {platform: dict(values) for (_, platform), values in sums.items()}
    if NEEDS_REACH in needs:
        totals.reach = {
            platform: (count, engagements, reach)
            for platform, count, engagements, reach in conn.execute(_REACH_SQL, (start, end))
        }
    if NEEDS_FOLLOWERS in needs:
        from smtui.core.metrics import account_followers

        followers: dict[str, tuple[int, int | None]] = {}
        for account in account_followers(conn, start, end):
            count, change = followers.get(account.platform, (0, None))
            if account.change is not None:
                change = (change or 0) + account.change
            followers[account.platform] = (count + account.followers, change)
        totals.followers = followers
    return totals


# --- strategies -----------------------------------------------------------------------------


def make_strategy(
    registry: Registry, name: str, config: ScoringConfig | None = None
) -> ScoringStrategy:
    """The strategy registered as ``name``, configured from its ``[scoring.<name>]`` table
    (and the ``[app]`` settings its options fall back to, see :data:`APP_FALLBACKS`)."""
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
    _fill_from_app(cls, table, values, config)
    try:
        strategy = cls(values)
        use_kinds = getattr(strategy, "use_kinds", None)
        if callable(use_kinds):
            use_kinds(registry.outcome_kinds)
    except SmtuiError:
        raise
    except Exception as exc:
        raise _strategy_failed(name, exc) from exc
    return strategy


def _fill_from_app(
    cls: type[ScoringStrategy],
    table: Mapping[str, Any],
    values: dict[str, Any],
    config: object | None,
) -> None:
    """Options left out of the strategy's table take the ``[app]`` setting of the same name."""
    if config is None:
        return
    declared = {option.name: option for option in cls.options}
    for name in APP_FALLBACKS:
        option = declared.get(name)
        setting = getattr(config, name, None)
        if option is None or name in table or setting is None:
            continue
        if option.kind is list and isinstance(setting, tuple):
            setting = list(setting)
        if setting == [] and option.kind is list:
            continue  # an empty [app] list says nothing: keep the option's default
        values[name] = option.convert(setting, "[app]")


def score_range(
    conn: sqlite3.Connection, strategy: ScoringStrategy, start: int, end: int, now: int
) -> Score:
    """Score ``[start, end)`` with ``strategy``.

    The strategy runs with a time limit (:data:`~smtui.plugin_calls.SCORE_TIMEOUT_S`): one
    that crashes, hangs or returns anything but a Score becomes a PluginError.
    """
    from smtui.plugin_calls import SCORE_TIMEOUT_S, call_with_timeout, timeout_for

    score_totals = getattr(strategy, "score_totals", None)
    if callable(score_totals):
        needs = frozenset(getattr(strategy, "needs", frozenset()))
        function: Any = score_totals
        argument: object = load_totals(conn, start, end, now, needs)
    else:
        function = strategy.score
        argument = build_window(conn, start, end, now, posts=getattr(strategy, "uses_posts", True))
    score = call_with_timeout(
        function,
        argument,
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
