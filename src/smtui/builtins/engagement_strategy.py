"""The ``engagement`` scoring strategy: the classic engagement rate, for comparison.

Most social media tools lead with this number; smtui shows it next to the ones that measure
results, with its formula named. Three bases, the one most tools use first:

- ``impressions``: Σ engagements ÷ Σ impressions over the posts published in the window that
  report engagements and more than zero impressions. The very definition the metrics panels
  and the ``engagement_rate`` goal measure use (from the ``post_totals`` summary table), so
  the three never disagree.
- ``reach``: Σ engagements ÷ Σ reach over the posts that report engagements and a reach
  above zero.
- ``followers``: per post, engagements ÷ the platform's followers (the accounts' latest
  counts before the window ends, summed), averaged over the posts reporting engagements on
  platforms with a follower count.
"""

from __future__ import annotations

from typing import ClassVar

from smtui.api import Option, Score, ScoringStrategy, hookimpl
from smtui.core.score_totals import (
    NEEDS_FOLLOWERS,
    NEEDS_POSTS,
    NEEDS_REACH,
    TotalsStrategy,
    WindowTotals,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

BASES: tuple[str, ...] = ("impressions", "reach", "followers")
FORMULAS = {
    "impressions": "Σ engagements ÷ Σ impressions, over posts reporting both",
    "reach": "Σ engagements ÷ Σ reach, over posts reporting both",
    "followers": "mean over posts of engagements ÷ the platform's followers",
}
_NEEDS = {
    "impressions": frozenset({NEEDS_POSTS}),
    "reach": frozenset({NEEDS_POSTS, NEEDS_REACH}),
    "followers": frozenset({NEEDS_POSTS, NEEDS_FOLLOWERS}),
}

# (platform, posts behind the rate, numerator, denominator, rate)
Part = tuple[str, int, float, float, float]


class EngagementStrategy(TotalsStrategy):
    name = "engagement"
    title = "Engagement rate"
    description = (
        "The classic engagement rate of the window's posts, by impressions (default), reach"
        " or followers, for comparison with what most tools report."
    )
    options: ClassVar[tuple[Option, ...]] = (
        Option(
            "basis",
            str,
            default="impressions",
            choices=BASES,
            help="what engagements are divided by",
        ),
    )

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self.basis = self.option_values.get("basis") or "impressions"
        self.needs = _NEEDS[self.basis]

    def score_totals(self, totals: WindowTotals) -> Score:
        published = totals.post_total("posts")
        if self.basis == "followers":
            parts, value = self._by_followers(totals)
        else:
            parts = self._parts(totals)
            numerator = sum(part[2] for part in parts)
            denominator = sum(part[3] for part in parts)
            value = numerator / denominator if denominator else None
        rated = sum(part[1] for part in parts)
        breakdown = [
            ("Formula", FORMULAS[self.basis]),
            ("Basis", self.basis),
            ("Posts", f"{published:,} published, {rated:,} behind the rate"),
        ]
        breakdown += [
            (
                platform,
                f"{rate:.2%} = {numerator:,.0f} ÷ {denominator:,.0f} over {posts:,} posts"
                if self.basis != "followers"
                else f"{rate:.2%} over {posts:,} posts, {denominator:,.0f} followers",
            )
            for platform, posts, numerator, denominator, rate in parts
        ]
        if value is None:
            label = (
                "no posts in this window"
                if not published
                else f"no post reports engagements and {self.basis}"
            )
        else:
            label = f"{value:.2%} engagement by {self.basis}"
        return Score(self.name, value, label, breakdown, unit="share")

    def _parts(self, totals: WindowTotals) -> list[Part]:
        """Per platform for the impressions and reach bases, most posts first."""
        rows: list[tuple[str, int, int, int]]
        if self.basis == "reach":
            rows = [(name, n, e, r) for name, (n, e, r) in (totals.reach or {}).items()]
        else:
            rows = [
                (name, s["rated_posts"], s["rated_engagements"], s["rated_impressions"])
                for name, s in (totals.posts or {}).items()
            ]
        parts = [(name, n, float(e), float(d), e / d) for name, n, e, d in rows if n and d]
        return sorted(parts, key=lambda part: (-part[1], part[0]))

    def _by_followers(self, totals: WindowTotals) -> tuple[list[Part], float | None]:
        followers = totals.followers or {}
        parts: list[Part] = []
        for name, sums in (totals.posts or {}).items():
            count = sums["with_engagements"]
            base = followers.get(name, (0, None))[0]
            if count and base > 0:
                engagements = sums["engagements"]
                rate = engagements / base / count
                parts.append((name, count, float(engagements), float(base), rate))
        parts.sort(key=lambda part: (-part[1], part[0]))
        posts = sum(part[1] for part in parts)
        if not posts:
            return parts, None
        # Each post's engagements ÷ its platform's followers, averaged over every post: each
        # platform's mean weighted by its posts.
        value = sum(part[4] * part[1] for part in parts) / posts
        return parts, value


@hookimpl
def register_scorers(register: Callable[[type[ScoringStrategy]], None]) -> None:
    register(EngagementStrategy)
