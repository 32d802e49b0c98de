"""Per-platform metrics for the dashboard's metrics panels (no Textual).

Over a window of the last ``days`` local days, today included, each platform with posts or
follower counts in it gets:

- **posts**: those published in the window (by ``published_at``), with their latest metrics;
- **impressions** and **engagements**: summed over those posts (None when no post reports any);
- **engagement rate** = ``engagements / impressions`` (:data:`ENGAGEMENT_RATE_FORMULA`), both
  summed over the posts that report engagements and more than zero impressions, so a post
  without impressions neither inflates nor dilutes it; the ``engagement_rate`` goal measure is
  the same number;
- **trend**: the engagements of the posts published on each local day of the window, oldest
  first, one value per day (what the sparkline draws);
- **followers**: per account, the latest count taken before the window ends, summed over the
  platform's accounts; **change**: per account with a count taken in the window, its last
  count in it minus its last count before it (or its first in it when there is none before),
  summed (the ``followers_gained`` goal measure);
- **top posts**: the window's posts with the most engagements, newest first on a tie.

Sums come from the ``post_totals`` summary table (:mod:`smtui.core.totals`); follower counts
and top posts from index seeks. A refresh costs about the same on a million posts as on a
hundred.
"""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

from smtui.core.periods import local_date, local_midnight
from smtui.core.totals import post_sums
from smtui.models import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterable
    from datetime import tzinfo

ENGAGEMENT_RATE_FORMULA = "engagements / impressions"
DEFAULT_DAYS = 30
TOP_POSTS = 5
# How far down a platform's best posts of all time to look for the window's best before
# reading the window's posts instead (a window whose posts are not among the best).
TOP_SCAN = 2000

_SUMS = (
    "posts",
    "with_impressions",
    "with_engagements",
    "impressions",
    "engagements",
    "rated_engagements",
    "rated_impressions",
)


def rate(engagements: int | None, impressions: int | None) -> float | None:
    """``engagements / impressions``, or None when either is unknown or impressions are 0."""
    if engagements is None or not impressions:
        return None
    return engagements / impressions


class TopPost(Record):
    """One of a platform's best posts in the window."""

    __slots__ = ("engagements", "id", "impressions", "platform", "published_at", "text", "url")

    def __init__(
        self,
        id: int,
        platform: str,
        published_at: int,
        text: str,
        url: str,
        impressions: int | None,
        engagements: int | None,
    ) -> None:
        self.id = id
        self.platform = platform
        self.published_at = published_at
        self.text = text
        self.url = url
        self.impressions = impressions
        self.engagements = engagements

    @property
    def engagement_rate(self) -> float | None:
        return rate(self.engagements, self.impressions)


class AccountFollowers(Record):
    """An account's latest follower count before the window ends, and its change in it.

    ``change`` is None when no count was taken in the window.
    """

    __slots__ = ("account", "change", "followers", "platform", "taken_at")

    def __init__(
        self, platform: str, account: str, followers: int, taken_at: int, change: int | None
    ) -> None:
        self.platform = platform
        self.account = account
        self.followers = followers
        self.taken_at = taken_at
        self.change = change


class PlatformMetrics(Record):
    """What one platform's panel shows (see the module docstring for each definition)."""

    __slots__ = (
        "engagements",
        "followers",
        "followers_change",
        "impressions",
        "platform",
        "posts",
        "rated_engagements",
        "rated_impressions",
        "top_posts",
        "trend",
    )

    def __init__(
        self,
        platform: str,
        *,
        posts: int = 0,
        impressions: int | None = None,
        engagements: int | None = None,
        rated_engagements: int = 0,
        rated_impressions: int = 0,
        trend: list[int] | None = None,
        followers: int | None = None,
        followers_change: int | None = None,
        top_posts: list[TopPost] | None = None,
    ) -> None:
        self.platform = platform
        self.posts = posts
        self.impressions = impressions
        self.engagements = engagements
        self.rated_engagements = rated_engagements
        self.rated_impressions = rated_impressions
        self.trend = trend if trend is not None else []
        self.followers = followers
        self.followers_change = followers_change
        self.top_posts = top_posts if top_posts is not None else []

    @property
    def engagement_rate(self) -> float | None:
        """:data:`ENGAGEMENT_RATE_FORMULA` over the posts reporting both; None without any."""
        return rate(self.rated_engagements, self.rated_impressions)


class MetricsReport(Record):
    """The metrics window (``days`` local days ending with today) and each platform's figures.

    ``day_starts`` are the local midnights the trend's values start at.
    """

    __slots__ = ("day_starts", "end", "platforms", "start")

    def __init__(
        self, start: int, end: int, day_starts: list[int], platforms: list[PlatformMetrics]
    ) -> None:
        self.start = start
        self.end = end
        self.day_starts = day_starts
        self.platforms = platforms

    @property
    def days(self) -> int:
        return len(self.day_starts)

    def get(self, platform: str) -> PlatformMetrics | None:
        return next((p for p in self.platforms if p.platform == platform), None)


def day_windows(now: int, zone: tzinfo, days: int = DEFAULT_DAYS) -> list[tuple[int, int]]:
    """``[start, end)`` of each of the last ``days`` local days, today last (DST-exact)."""
    if days < 1:
        raise ValueError(f"days must be 1 or more, not {days}")
    first = local_date(now, zone) - timedelta(days=days - 1)
    edges = [local_midnight(first + timedelta(days=offset), zone) for offset in range(days + 1)]
    return list(pairwise(edges))


# --- followers ---------------------------------------------------------------------------------

# Every (platform, account) with snapshots, one index seek each (a loose index scan), then
# four seeks per account: its latest count before the end (and when), its latest before the
# start, its first in the window.
_FOLLOWERS_SQL = """
WITH RECURSIVE acct(platform, account) AS (
    SELECT platform, min(account) FROM account_snapshots
    WHERE platform = coalesce(:platform, (SELECT min(platform) FROM account_snapshots))
    UNION ALL
    SELECT
        CASE WHEN (SELECT min(s.account) FROM account_snapshots s
                   WHERE s.platform = a.platform AND s.account > a.account) IS NOT NULL
             THEN a.platform
             ELSE (SELECT min(s.platform) FROM account_snapshots s WHERE s.platform > a.platform)
        END,
        coalesce(
            (SELECT min(s.account) FROM account_snapshots s
             WHERE s.platform = a.platform AND s.account > a.account),
            (SELECT min(s.account) FROM account_snapshots s
             WHERE s.platform = (SELECT min(t.platform) FROM account_snapshots t
                                 WHERE t.platform > a.platform))
        )
    FROM acct a
    WHERE a.platform IS NOT NULL AND (:platform IS NULL OR a.platform = :platform)
)
SELECT a.platform, a.account,
    (SELECT s.followers FROM account_snapshots s
     WHERE s.platform = a.platform AND s.account = a.account AND s.taken_at < :end
       AND s.followers IS NOT NULL
     ORDER BY s.taken_at DESC LIMIT 1),
    (SELECT s.taken_at FROM account_snapshots s
     WHERE s.platform = a.platform AND s.account = a.account AND s.taken_at < :end
       AND s.followers IS NOT NULL
     ORDER BY s.taken_at DESC LIMIT 1),
    (SELECT s.followers FROM account_snapshots s
     WHERE s.platform = a.platform AND s.account = a.account AND s.taken_at < :start
       AND s.followers IS NOT NULL
     ORDER BY s.taken_at DESC LIMIT 1),
    (SELECT s.followers FROM account_snapshots s
     WHERE s.platform = a.platform AND s.account = a.account AND s.taken_at >= :start
       AND s.taken_at < :end AND s.followers IS NOT NULL
     ORDER BY s.taken_at LIMIT 1)
FROM acct a
WHERE a.platform IS NOT NULL AND (:platform IS NULL OR a.platform = :platform)
"""


def account_followers(
    conn: sqlite3.Connection, start: int, end: int, platform: str | None = None
) -> list[AccountFollowers]:
    """Each account's latest follower count before ``end`` and its change in ``[start, end)``.

    Accounts with no count before ``end`` are left out.
    """
    params = {"start": start, "end": end, "platform": platform}
    out: list[AccountFollowers] = []
    for name, account, last, last_at, before, first_in in conn.execute(_FOLLOWERS_SQL, params):
        if last is None:
            continue
        change = None
        if last_at >= start:
            change = last - (before if before is not None else first_in)
        out.append(AccountFollowers(name, account, last, last_at, change))
    return out


def followers_gained(
    conn: sqlite3.Connection, start: int, end: int, platform: str | None = None
) -> int:
    """The change in followers over ``[start, end)``, summed over the accounts counted in it."""
    return sum(
        account.change
        for account in account_followers(conn, start, end, platform)
        if account.change is not None
    )


# --- top posts ---------------------------------------------------------------------------------

_BEST_FIRST_SQL = (
    "SELECT id, published_at FROM posts INDEXED BY posts_top"
    " WHERE platform = ? AND engagements IS NOT NULL"
    " ORDER BY engagements DESC, published_at DESC, id DESC LIMIT ?"
)
_WINDOW_BEST_SQL = (
    "SELECT id FROM posts INDEXED BY posts_published_at"
    " WHERE platform = ? AND published_at >= ? AND published_at < ? AND engagements IS NOT NULL"
    " ORDER BY engagements DESC, published_at DESC, id DESC LIMIT ?"
)
_POST_SQL = (
    "SELECT id, platform, published_at, text, url, impressions, engagements FROM posts WHERE id = ?"
)


def top_posts(
    conn: sqlite3.Connection, platform: str, start: int, end: int, limit: int = TOP_POSTS
) -> list[TopPost]:
    """The posts of ``platform`` published in ``[start, end)`` with the most engagements.

    Walks the platform's posts from the most engaging down (usually a few hundred index
    entries), and reads the window's posts from an index instead when the first
    :data:`TOP_SCAN` do not hold ``limit`` of them. Posts reporting no engagements are left
    out. Ties go to the newest post.
    """
    if limit <= 0:
        return []
    ids: list[int] = []
    cursor = conn.execute(_BEST_FIRST_SQL, (platform, TOP_SCAN))
    try:
        scanned = 0
        while len(ids) < limit:
            batch = cursor.fetchmany(64)
            if not batch:
                break
            scanned += len(batch)
            for post_id, published_at in batch:
                if published_at is not None and start <= published_at < end:
                    ids.append(post_id)
                    if len(ids) == limit:
                        break
    finally:
        cursor.close()
    if len(ids) < limit and scanned >= TOP_SCAN:
        ids = [row[0] for row in conn.execute(_WINDOW_BEST_SQL, (platform, start, end, limit))]
    return [TopPost(*conn.execute(_POST_SQL, (post_id,)).fetchone()) for post_id in ids]


# --- all together ------------------------------------------------------------------------------


def _order(platforms: Iterable[PlatformMetrics], first: tuple[str, ...]) -> list[PlatformMetrics]:
    """``first`` (the user's target platforms) in their order, then the most engaging."""
    rank = {name: index for index, name in enumerate(first)}
    return sorted(
        platforms,
        key=lambda p: (rank.get(p.platform, len(rank)), -(p.engagements or 0), p.platform),
    )


def platform_metrics(
    conn: sqlite3.Connection,
    now: int,
    zone: tzinfo,
    *,
    days: int = DEFAULT_DAYS,
    top: int = TOP_POSTS,
    first: tuple[str, ...] = (),
) -> MetricsReport:
    """Every platform's metrics over the last ``days`` local days (today included).

    Platforms with posts in the window or follower counts taken in it are listed: ``first``
    (the configured target platforms) in their order, then by engagements, most first.
    """
    windows = day_windows(now, zone, days)
    start, end = windows[0][0], windows[-1][1]
    by_day = post_sums(conn, windows, _SUMS)
    found: dict[str, PlatformMetrics] = {}
    for (index, name), sums in by_day.items():
        metrics = found.setdefault(name, PlatformMetrics(name, trend=[0] * len(windows)))
        metrics.posts += sums["posts"]
        if sums["with_impressions"]:
            metrics.impressions = (metrics.impressions or 0) + sums["impressions"]
        if sums["with_engagements"]:
            metrics.engagements = (metrics.engagements or 0) + sums["engagements"]
        metrics.rated_engagements += sums["rated_engagements"]
        metrics.rated_impressions += sums["rated_impressions"]
        metrics.trend[index] += sums["engagements"]
    accounts = account_followers(conn, start, end)
    for account in accounts:  # a platform with follower counts in the window is listed
        if account.change is not None and account.platform not in found:
            found[account.platform] = PlatformMetrics(account.platform, trend=[0] * len(windows))
    for account in accounts:
        listed = found.get(account.platform)
        if listed is None:
            continue  # nothing of this platform in the window
        listed.followers = (listed.followers or 0) + account.followers
        if account.change is not None:
            listed.followers_change = (listed.followers_change or 0) + account.change
    for listed in found.values():
        if listed.posts:
            listed.top_posts = top_posts(conn, listed.platform, start, end, top)
    day_starts = [window[0] for window in windows]
    return MetricsReport(start, end, day_starts, _order(found.values(), first))


# --- words and numbers for people ----------------------------------------------------------------


def compact(value: int | None) -> str:
    """``—`` unknown, ``8,084`` up to 9,999, then ``158.5k``, ``9.05M``, ``1.2B``."""
    if value is None:
        return "—"
    size = abs(value)
    if size < 10_000:
        return f"{value:,}"
    for limit, suffix in ((10**9, "B"), (10**6, "M"), (10**3, "k")):
        if size >= limit:
            scaled = value / limit
            digits = 2 if abs(scaled) < 10 else 1 if abs(scaled) < 100 else 0
            text = f"{scaled:.{digits}f}"
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            return f"{text}{suffix}"
    return f"{value:,}"  # pragma: no cover - every size above is caught


def percent(value: float | None) -> str:
    """``2.73%``; ``—`` when unknown."""
    return "—" if value is None else f"{value * 100:.2f}%"


def signed(value: int | None) -> str:
    """``+38``, ``-4``, ``±0``; ``—`` when unknown."""
    if value is None:
        return "—"
    if value == 0:
        return "±0"
    return f"{value:+,}"


def summary_lines(metrics: PlatformMetrics, days: int) -> list[tuple[str, str]]:
    """``(label, value)`` lines of a platform's figures, the rate's formula named."""
    rate_text = percent(metrics.engagement_rate)
    if metrics.engagement_rate is not None:
        rate_text += f"  = {ENGAGEMENT_RATE_FORMULA}"
    else:
        rate_text += f"  ({ENGAGEMENT_RATE_FORMULA}: no post reports both)"
    if metrics.followers is None:
        followers = "— (no follower counts imported)"
    elif metrics.followers_change is None:
        followers = f"{metrics.followers:,} (no count in the last {days} days)"
    else:
        followers = f"{metrics.followers:,}  {signed(metrics.followers_change)} in {days} days"
    return [
        (
            "Posts",
            f"{metrics.posts:,} · impressions {compact(metrics.impressions)}"
            f" · engagements {compact(metrics.engagements)}",
        ),
        ("Engagement rate", rate_text),
        ("Followers", followers),
    ]


def excerpt(text: str, width: int) -> str:
    """The first line of ``text``, cut to ``width`` characters with an ellipsis."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: max(0, width - 1)].rstrip() + "…"
