"""What a source hands to smtui: posts with their metrics, and account snapshots.

Sources never write to the database; they yield these records and the import pipeline
(:mod:`smtui.core.importing`) decides what is new, what changed and what to keep, so every
source gets idempotent, atomic imports for free.
"""

from __future__ import annotations

from smtui.models import POST_METRICS
from smtui.models import Record as _Slotted

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, TypeAlias

METRIC_COLUMNS = POST_METRICS
_METRIC_SET = frozenset(METRIC_COLUMNS)


class PostRecord(_Slotted):
    """One published post and its metrics as one export (or API call) reports them.

    ``external_id`` is the platform's id, kept as text (18-19 digit ids do not survive floats).
    ``published_at`` is UTC epoch seconds; ``day_only`` says the source knew only the day (the
    value is then midnight of that day in the source's zone). ``metrics`` maps names from
    :data:`METRIC_COLUMNS` to counts, None meaning "not reported", never zero. ``captured_at``
    is when the numbers were true (the export time) if the source knows it; otherwise the
    importer uses the file's modification time.
    """

    __slots__ = (  # noqa: RUF023 - declaration order is the order of as_dict()
        "platform",
        "external_id",
        "account",
        "published_at",
        "day_only",
        "kind",
        "text",
        "url",
        "metrics",
        "extra",
        "captured_at",
    )

    def __init__(
        self,
        platform: str,
        external_id: str,
        *,
        account: str = "",
        published_at: int | None = None,
        day_only: bool = False,
        kind: str = "",
        text: str = "",
        url: str = "",
        metrics: dict[str, int | None] | None = None,
        extra: dict[str, Any] | None = None,
        captured_at: int | None = None,
    ) -> None:
        metrics = dict(metrics) if metrics else {}
        if not _METRIC_SET.issuperset(metrics):
            unknown = metrics.keys() - _METRIC_SET
            raise ValueError(
                f"unknown post metrics {sorted(unknown)}: use {', '.join(METRIC_COLUMNS)},"
                " or put other metrics in extra"
            )
        self.platform = platform
        self.external_id = external_id
        self.account = account
        self.published_at = published_at
        self.day_only = day_only
        self.kind = kind
        self.text = text
        self.url = url
        self.metrics = metrics
        self.extra = dict(extra) if extra else {}
        self.captured_at = captured_at

    @property
    def has_metrics(self) -> bool:
        """True when the record reports at least one number worth a snapshot."""
        return bool(self.extra) or any(v is not None for v in self.metrics.values())


class AccountSnapshotRecord(_Slotted):
    """Account totals (followers, following, posts) on one platform at ``taken_at``.

    ``taken_at`` is when the numbers were true (for a daily series, the start of the day);
    ``exported_at`` is when the export holding them was made, if the source knows (a file
    name with the export time, say). A file of daily series says nothing about its export
    otherwise, so the importer then records the file's modification time, as it does for posts.
    """

    __slots__ = (  # noqa: RUF023 - declaration order is the order of as_dict()
        "platform",
        "account",
        "taken_at",
        "followers",
        "following",
        "posts",
        "extra",
        "exported_at",
    )

    def __init__(
        self,
        platform: str,
        account: str,
        taken_at: int,
        *,
        followers: int | None = None,
        following: int | None = None,
        posts: int | None = None,
        extra: dict[str, Any] | None = None,
        exported_at: int | None = None,
    ) -> None:
        self.platform = platform
        self.account = account
        self.taken_at = taken_at
        self.followers = followers
        self.following = following
        self.posts = posts
        self.extra = dict(extra or {})
        self.exported_at = exported_at


Record: TypeAlias = PostRecord | AccountSnapshotRecord


def merge_snapshots(snapshots: Iterable[AccountSnapshotRecord]) -> list[AccountSnapshotRecord]:
    """One snapshot per (platform, account, taken_at), oldest first, later values winning.

    A file can describe the same day in several places (LinkedIn's daily engagement and
    follower sheets, YouTube's totals and chart files in one zip); the importer stores one
    row per day, so a source merges them first: counts a later snapshot reports replace
    earlier ones, and the ``extra`` dicts are combined.
    """
    merged: dict[tuple[str, str, int], AccountSnapshotRecord] = {}
    for snapshot in snapshots:
        key = (snapshot.platform, snapshot.account, snapshot.taken_at)
        known = merged.get(key)
        if known is None:
            merged[key] = AccountSnapshotRecord(
                snapshot.platform,
                snapshot.account,
                snapshot.taken_at,
                followers=snapshot.followers,
                following=snapshot.following,
                posts=snapshot.posts,
                extra=snapshot.extra,
                exported_at=snapshot.exported_at,
            )
            continue
        for field in ("followers", "following", "posts"):
            value = getattr(snapshot, field)
            if value is not None:
                setattr(known, field, value)
        known.extra.update(snapshot.extra)
        if snapshot.exported_at is not None:
            known.exported_at = max(known.exported_at or 0, snapshot.exported_at)
    return sorted(merged.values(), key=lambda item: (item.taken_at, item.platform, item.account))
