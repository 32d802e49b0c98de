"""A window of time as sums: what the built-in scoring strategies read.

A :class:`~smtui.scoring.Window` lists every session, outcome and post in it. The built-in
strategies only ever add those lists up (time per platform and kind of session, outcomes per
kind, money per currency, post metrics per platform), and over a year of history the lists
alone cost more than the rest of a report. So they score a :class:`WindowTotals` instead:

- :func:`totals_of` sums a Window (any hand-made window, a plugin's own tests);
- :func:`smtui.core.score.load_totals` reads the same sums from the summary tables and
  indexes, at a cost that does not grow with the window.

``tests/test_score_totals.py`` keeps the two equal on the same store, so a strategy gives the
same score whichever way its totals were made. A :class:`TotalsStrategy` is still a plain
:class:`~smtui.scoring.ScoringStrategy`: ``score(window)`` sums the window and scores that.
"""

from __future__ import annotations

from smtui.core.totals import POST_SUM_COLUMNS
from smtui.models import POST_METRICS, Record
from smtui.scoring import Score, ScoringStrategy, Window

PRODUCTIVE = "productive"
PLAYTIME = "playtime"
RUNNING = "running"
STATUSES: tuple[str, ...] = (PRODUCTIVE, PLAYTIME, RUNNING)

# Where an outcome of the window belongs: to a finished session of the window, to the running
# session, or to neither (logged without a session, or for a session outside the window).
FINISHED = "finished"
LOOSE = "loose"

# What a strategy may need beyond time and outcomes (``TotalsStrategy.needs``).
NEEDS_POSTS = "posts"
NEEDS_REACH = "reach"
NEEDS_FOLLOWERS = "followers"

# The sums kept per platform for the posts published in the window: the columns of the
# ``post_totals`` summary table (see smtui.core.totals.POST_SUM_SQL for each definition).
POST_METRIC_COLUMNS: tuple[str, ...] = POST_METRICS
POST_SUMS: tuple[str, ...] = POST_SUM_COLUMNS


class WindowTotals(Record):
    """The sums of ``[start, end)`` that the built-in strategies score.

    - ``time``: ``(platform, status) -> (sessions, active seconds)``, status ``productive``,
      ``playtime`` or ``running``; pauses and what lies outside the window left out.
    - ``outcomes``: ``(kind, where) -> count`` for the window's outcomes (those of its sessions,
      whenever logged, and any that occurred in it), ``where`` being ``finished``, ``running``
      or ``loose``.
    - ``revenue``: ``currency -> (deals, amount in minor units)`` of its ``deal`` outcomes.
    - ``posts``: ``platform -> {sum: value}`` (:data:`POST_SUMS`) of the posts published in it;
      None when not read.
    - ``reach``: ``platform -> (posts, engagements, reach)`` of its posts reporting
      engagements and a reach above zero; None when not read.
    - ``followers``: ``platform -> (followers, change)``: the accounts' latest follower counts
      before ``end`` summed, and their change in the window (None without a count in it);
      None when not read (a Window holds no follower counts).
    """

    __slots__ = (  # noqa: RUF023 - declaration order is the as_dict() order
        "start",
        "end",
        "now",
        "time",
        "outcomes",
        "revenue",
        "posts",
        "reach",
        "followers",
    )

    def __init__(
        self,
        start: int,
        end: int,
        now: int,
        *,
        time: dict[tuple[str, str], tuple[int, int]] | None = None,
        outcomes: dict[tuple[str, str], int] | None = None,
        revenue: dict[str, tuple[int, int]] | None = None,
        posts: dict[str, dict[str, int]] | None = None,
        reach: dict[str, tuple[int, int, int]] | None = None,
        followers: dict[str, tuple[int, int | None]] | None = None,
    ) -> None:
        self.start = start
        self.end = end
        self.now = now
        self.time = time if time is not None else {}
        self.outcomes = outcomes if outcomes is not None else {}
        self.revenue = revenue if revenue is not None else {}
        self.posts = posts
        self.reach = reach
        self.followers = followers

    # --- time ---

    def seconds(self, status: str | None = None, platform: str | None = None) -> int:
        """Active seconds, of one status and one platform when given."""
        return sum(
            seconds
            for (name, kind), (_, seconds) in self.time.items()
            if (status is None or kind == status) and (platform is None or name == platform)
        )

    def sessions(self, status: str | None = None) -> int:
        """How many sessions touched the window, of one status when given."""
        return sum(n for (_, kind), (n, _) in self.time.items() if status is None or kind == status)

    def seconds_by_platform(self) -> dict[str, int]:
        """Active seconds per platform, most first (ties by name)."""
        found: dict[str, int] = {}
        for (name, _), (_, seconds) in self.time.items():
            found[name] = found.get(name, 0) + seconds
        return dict(sorted(found.items(), key=lambda item: (-item[1], item[0])))

    # --- outcomes ---

    def outcome_count(self, where: str | None = None) -> int:
        """How many outcomes the window holds, only those ``where`` when given."""
        return sum(n for (_, place), n in self.outcomes.items() if where is None or place == where)

    def kinds(self) -> dict[str, int]:
        """Outcomes per kind, most first (ties by name)."""
        found: dict[str, int] = {}
        for (kind, _), n in self.outcomes.items():
            found[kind] = found.get(kind, 0) + n
        return dict(sorted(found.items(), key=lambda item: (-item[1], item[0])))

    # --- posts ---

    def post_total(self, column: str, platform: str | None = None) -> int:
        """One of :data:`POST_SUMS` over every platform (or one); 0 when posts were not read."""
        if self.posts is None:
            return 0
        return sum(
            sums.get(column, 0)
            for name, sums in self.posts.items()
            if platform is None or name == platform
        )


def _post_sums(post: dict[str, object]) -> dict[str, int]:
    """What one post adds to each of :data:`POST_SUMS` (``POST_SUM_SQL``'s definitions)."""

    def number(column: str) -> int:
        value = post.get(column)
        return int(value) if isinstance(value, int | float) else 0

    impressions = post.get("impressions")
    engagements = post.get("engagements")
    rated = engagements is not None and number("impressions") > 0
    sums = {
        "posts": 1,
        "with_impressions": int(impressions is not None),
        "with_engagements": int(engagements is not None),
        "rated_posts": int(rated),
        "rated_engagements": number("engagements") if rated else 0,
        "rated_impressions": number("impressions") if rated else 0,
    }
    for column in POST_METRIC_COLUMNS:
        sums[column] = number(column)
    return sums


def totals_of(window: Window, needs: frozenset[str] = frozenset()) -> WindowTotals:
    """The sums of a :class:`~smtui.scoring.Window` (what ``load_totals`` reads from a store).

    A session with an outcome in the window's list is productive once finished, as in the
    summary tables (the window lists every outcome of its sessions).
    """
    with_outcomes = {o.session_id for o in window.outcomes if o.session_id is not None}
    finished_ids: set[int] = set()
    running_ids: set[int] = set()
    time: dict[tuple[str, str], tuple[int, int]] = {}
    for session in window.sessions:
        if session.ended_at is None:
            running_ids.add(session.id)
            if session.started_at < window.start and window.now <= window.start:
                continue  # a window after now: the running session has no time in it yet
            status = RUNNING
        else:
            status = PRODUCTIVE if session.id in with_outcomes else PLAYTIME
            finished_ids.add(session.id)
        count, seconds = time.get((session.platform, status), (0, 0))
        time[(session.platform, status)] = (count + 1, seconds + window.active_seconds(session))
    outcomes: dict[tuple[str, str], int] = {}
    revenue: dict[str, tuple[int, int]] = {}
    for outcome in window.outcomes:
        if outcome.session_id in finished_ids:
            where = FINISHED
        elif outcome.session_id in running_ids:
            where = RUNNING
        else:
            where = LOOSE
        outcomes[(outcome.kind, where)] = outcomes.get((outcome.kind, where), 0) + 1
        if outcome.kind == "deal" and outcome.amount_minor is not None and outcome.currency:
            deals, amount = revenue.get(outcome.currency, (0, 0))
            revenue[outcome.currency] = (deals + 1, amount + outcome.amount_minor)
    posts: dict[str, dict[str, int]] | None = None
    reach: dict[str, tuple[int, int, int]] | None = None
    if NEEDS_POSTS in needs:
        posts = {}
        for post in window.posts:
            platform = str(post.get("platform") or "")
            sums = posts.setdefault(platform, dict.fromkeys(POST_SUMS, 0))
            for column, value in _post_sums(post).items():
                sums[column] += value
    if NEEDS_REACH in needs:
        reach = {}
        for post in window.posts:
            engagements, post_reach = post.get("engagements"), post.get("reach")
            if isinstance(engagements, int) and isinstance(post_reach, int) and post_reach > 0:
                platform = str(post.get("platform") or "")
                n, e, r = reach.get(platform, (0, 0, 0))
                reach[platform] = (n + 1, e + engagements, r + post_reach)
    return WindowTotals(
        window.start,
        window.end,
        window.now,
        time=time,
        outcomes=outcomes,
        revenue=revenue,
        posts=posts,
        reach=reach,
    )


class TotalsStrategy(ScoringStrategy):
    """A strategy that scores the window's sums (:class:`WindowTotals`), not its lists.

    Subclasses implement :meth:`score_totals` and say in ``needs`` what they read beyond time
    and outcomes (``posts``, ``reach``, ``followers``; it may depend on their options), and in
    ``uses_posts`` whether a Window made for them needs its posts. smtui's scoring pipeline
    reads the sums straight from the store for them.
    """

    needs: frozenset[str] = frozenset()

    def score(self, window: Window) -> Score:
        return self.score_totals(totals_of(window, self.needs))

    def score_totals(self, totals: WindowTotals) -> Score:
        raise NotImplementedError


# --- words and numbers for breakdowns -------------------------------------------------------


def money_text(minor: int, currency: str) -> str:
    """``1,300.50 EUR`` from minor units (cents)."""
    sign = "-" if minor < 0 else ""
    whole, cents = divmod(abs(minor), 100)
    return f"{sign}{whole:,}.{cents:02d} {currency}"


def amount_text(amount: float, currency: str) -> str:
    """``60.00 EUR`` from an amount in major units."""
    return f"{amount:,.2f} {currency}"


def number_text(value: float) -> str:
    """``12``, ``2.5``, ``0.333``: as few digits as say it (up to three decimals)."""
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
