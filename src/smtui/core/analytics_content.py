"""Content insights: how posts perform by length, link, hashtags, media and weekday.

Every post published in the range falls in one group of each dimension:

- **length**: characters of its text, in :data:`LENGTH_BUCKETS`;
- **link**: whether its text holds a web link (``http://``, ``https://`` or ``www.``);
- **hashtags**: how many ``#`` signs its text holds (0, 1-2, 3-5, 6 or more);
- **media**: its kind as the platform export says it (``post``, ``photo``, ``video``, ``reel``,
  ``reply``, ...; ``unknown`` when the export does not say);
- **weekday**: the local day it was published on.

Each group has its posts, their average engagements and impressions, and the engagement rate
with smtui's one definition (Σ engagements ÷ Σ impressions over the posts reporting both);
a group with fewer rated posts than the minimum shows no rate, as in the best times.
"""

from __future__ import annotations

from smtui.core.totals import POST_SUM_SQL
from smtui.models import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from datetime import tzinfo

# (lowest length, label): a text of n characters falls in the last bucket starting at or below n.
LENGTH_BUCKETS: tuple[tuple[int, str], ...] = (
    (0, "no text"),
    (1, "1-100"),
    (101, "101-280"),
    (281, "281-700"),
    (701, "701-1300"),
    (1301, "1301+"),
)
HASHTAG_BUCKETS: tuple[tuple[int, str], ...] = ((0, "0"), (1, "1-2"), (3, "3-5"), (6, "6+"))
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DIMENSIONS: tuple[str, ...] = ("length", "link", "hashtags", "media", "weekday")


def _bucket_sql(expression: str, buckets: tuple[tuple[int, str], ...]) -> str:
    """A CASE giving the index of the bucket ``expression`` falls in."""
    cases = " ".join(
        f"WHEN {expression} >= {low} THEN {index}"
        for index, (low, _) in reversed(list(enumerate(buckets)))
    )
    return f"CASE {cases} ELSE 0 END"


_LINK = (
    "(instr(lower(text), 'http://') + instr(lower(text), 'https://')"
    " + instr(lower(text), 'www.') > 0)"
)
_HASHTAGS = "(length(text) - length(replace(text, '#', '')))"
_SQL = f"""
SELECT {_bucket_sql("length(text)", LENGTH_BUCKETS)} AS length_bucket,
       {_LINK} AS link,
       {_bucket_sql(_HASHTAGS, HASHTAG_BUCKETS)} AS hashtags,
       CASE WHEN kind = '' THEN 'unknown' ELSE kind END AS media,
       ((published_at + :offset) / 86400 + 3) % 7 AS weekday,
       count(*), sum({POST_SUM_SQL["rated_posts"]}), sum({POST_SUM_SQL["rated_engagements"]}),
       sum({POST_SUM_SQL["rated_impressions"]}), sum(coalesce(engagements, 0)),
       sum(engagements IS NOT NULL), sum(coalesce(impressions, 0)), sum(impressions IS NOT NULL)
FROM posts
WHERE published_at >= :start AND published_at < :end{{platform}}
GROUP BY 1, 2, 3, 4, 5
"""


class Group(Record):
    """One group of one dimension (``name`` is its label)."""

    __slots__ = (
        "engagements",
        "impressions",
        "name",
        "posts",
        "rate",
        "rated_engagements",
        "rated_impressions",
        "rated_posts",
        "with_engagements",
        "with_impressions",
    )

    def __init__(self, name: str) -> None:
        self.name = name
        self.posts = 0
        self.rated_posts = 0
        self.rated_engagements = 0
        self.rated_impressions = 0
        self.engagements = 0
        self.with_engagements = 0
        self.impressions = 0
        self.with_impressions = 0
        self.rate: float | None = None

    @property
    def mean_engagements(self) -> float | None:
        """Average engagements over the posts that report them."""
        return self.engagements / self.with_engagements if self.with_engagements else None

    @property
    def mean_impressions(self) -> float | None:
        return self.impressions / self.with_impressions if self.with_impressions else None


class ContentInsights(Record):
    """``dimensions[name]`` lists the groups of each of :data:`DIMENSIONS`, in a fixed order."""

    __slots__ = ("dimensions", "end", "min_posts", "platform", "posts", "start")

    def __init__(
        self,
        start: int,
        end: int,
        platform: str | None,
        min_posts: int,
        posts: int,
        dimensions: dict[str, list[Group]],
    ) -> None:
        self.start = start
        self.end = end
        self.platform = platform
        self.min_posts = min_posts
        self.posts = posts
        self.dimensions = dimensions


def content_insights(
    conn: sqlite3.Connection,
    start: int,
    end: int,
    zone: tzinfo,
    *,
    platform: str | None = None,
    min_posts: int = 3,
) -> ContentInsights:
    """Posts of ``[start, end)`` (one platform when given) grouped by each dimension.

    The weekday is local to ``zone``, stretch by stretch of one UTC offset (DST changes).
    """
    from smtui.core.analytics_times import offset_segments

    groups: dict[str, dict[str, Group]] = {name: {} for name in DIMENSIONS}
    where = "" if platform is None else " AND platform = :platform"
    total = 0
    for a, b, shift in offset_segments(start, end, zone):
        params = {"start": a, "end": b, "offset": shift, "platform": platform}
        for row in conn.execute(_SQL.format(platform=where), params):
            length, link, hashtags, media, weekday, *sums = row
            total += sums[0]
            names = {
                "length": LENGTH_BUCKETS[length][1],
                "link": "with link" if link else "no link",
                "hashtags": HASHTAG_BUCKETS[hashtags][1],
                "media": media,
                "weekday": WEEKDAYS[weekday],
            }
            for dimension, name in names.items():
                group = groups[dimension].get(name)
                if group is None:
                    group = groups[dimension][name] = Group(name)
                _add(group, sums)
    for found in groups.values():
        for group in found.values():
            if group.rated_posts >= min_posts and group.rated_impressions > 0:
                group.rate = group.rated_engagements / group.rated_impressions
    return ContentInsights(
        start, end, platform, min_posts, total, {k: _ordered(k, v) for k, v in groups.items()}
    )


def _add(group: Group, sums: list[int]) -> None:
    group.posts += sums[0]
    group.rated_posts += sums[1]
    group.rated_engagements += sums[2]
    group.rated_impressions += sums[3]
    group.engagements += sums[4]
    group.with_engagements += sums[5]
    group.impressions += sums[6]
    group.with_impressions += sums[7]


def _ordered(dimension: str, found: dict[str, Group]) -> list[Group]:
    """Groups in their natural order (buckets, weekdays), media by posts."""
    order = {
        "length": [label for _, label in LENGTH_BUCKETS],
        "hashtags": [label for _, label in HASHTAG_BUCKETS],
        "weekday": list(WEEKDAYS),
        "link": ["with link", "no link"],
    }.get(dimension)
    if order is None:
        return sorted(found.values(), key=lambda g: (-g.posts, g.name))
    return [found[name] for name in order if name in found]
