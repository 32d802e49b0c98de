"""The records smtui stores: sessions and outcomes.

Plain slotted classes rather than dataclasses: ``import dataclasses`` pulls in ``inspect`` and
costs more than the whole ``smtui start`` budget, and these are used on that path. The
:class:`Record` base gives them a readable ``repr``, equality and ``as_dict``.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


# The post metrics stored in columns of ``posts`` and ``post_snapshots``, in table order;
# anything else a platform reports goes in ``extra``.
POST_METRICS: tuple[str, ...] = (
    "impressions",
    "reach",
    "engagements",
    "likes",
    "comments",
    "shares",
    "saves",
    "link_clicks",
    "profile_visits",
    "follows",
    "video_views",
    "watch_time_s",
)


class Record:
    """Equality, repr and dict conversion from ``__slots__``."""

    __slots__: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Field name to value, in declaration order (for JSON output and plugins)."""
        return {name: getattr(self, name) for name in self.__slots__}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.as_dict() == other.as_dict()

    __hash__ = None  # type: ignore[assignment]  # mutable records are not hashable

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.as_dict().items())
        return f"{type(self).__name__}({fields})"


class Session(Record):
    """A span of time on one platform with an intent; running while ``ended_at`` is None.

    ``paused_s`` is the total of closed pauses; ``paused_since`` is the start of the open
    pause, if the session is paused now.
    """

    __slots__ = (
        "ended_at",
        "id",
        "intent",
        "note",
        "paused_s",
        "paused_since",
        "platform",
        "started_at",
        "tags",
        "timebox_s",
    )

    def __init__(
        self,
        id: int,
        platform: str,
        intent: str,
        started_at: int,
        ended_at: int | None = None,
        timebox_s: int | None = None,
        paused_s: int = 0,
        paused_since: int | None = None,
        note: str = "",
        tags: tuple[str, ...] = (),
    ) -> None:
        self.id = id
        self.platform = platform
        self.intent = intent
        self.started_at = started_at
        self.ended_at = ended_at
        self.timebox_s = timebox_s
        self.paused_s = paused_s
        self.paused_since = paused_since
        self.note = note
        self.tags = tags

    @property
    def running(self) -> bool:
        return self.ended_at is None

    @property
    def paused(self) -> bool:
        return self.paused_since is not None

    def paused_seconds(self, now: int) -> int:
        """Time spent paused, counting an open pause up to ``now``."""
        open_pause = max(0, now - self.paused_since) if self.paused_since is not None else 0
        return self.paused_s + open_pause

    def active_seconds(self, now: int) -> int:
        """Time actually worked: wall time minus pauses, up to ``now`` for a running session."""
        end = self.ended_at if self.ended_at is not None else now
        return max(0, end - self.started_at - self.paused_seconds(end))

    def timebox_left(self, now: int) -> int | None:
        """Seconds left in the timebox (negative once over), or None without a timebox."""
        if self.timebox_s is None:
            return None
        return self.timebox_s - self.active_seconds(now)


class Outcome(Record):
    """Something a session achieved (or that happened without one, when ``session_id`` is None).

    Money is ``amount_minor`` in the currency's minor unit (cents) so sums are exact.
    """

    __slots__ = (
        "amount_minor",
        "contact",
        "currency",
        "detail",
        "id",
        "kind",
        "note",
        "occurred_at",
        "origin",
        "platform",
        "session_id",
    )

    def __init__(
        self,
        id: int,
        kind: str,
        occurred_at: int,
        session_id: int | None = None,
        detail: str = "",
        platform: str | None = None,
        contact: str = "",
        amount_minor: int | None = None,
        currency: str | None = None,
        note: str = "",
        origin: str = "manual",
    ) -> None:
        self.id = id
        self.kind = kind
        self.occurred_at = occurred_at
        self.session_id = session_id
        self.detail = detail
        self.platform = platform
        self.contact = contact
        self.amount_minor = amount_minor
        self.currency = currency
        self.note = note
        self.origin = origin
