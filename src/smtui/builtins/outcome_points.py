"""The ``outcomes`` scoring strategy (seeds 003, 004): weighted outcome points per hour.

Every outcome of the window earns its kind's weight in points; the score is the points per
hour of session time. Deals and moves off social weigh most by default (10 and 5), because
revenue and conversations taken off the platform are the two results social work exists for.
Likes, impressions, followers and the other post metrics are not outcomes: they earn nothing
unless the user gives them a weight, which then counts per like, per follower gained, ...

    points = Σ over kinds (outcomes of the kind × its weight)
           + Σ over weighted metrics (the metric summed over the window's posts × its weight)
           + followers gained × the weight of ``followers``
    score  = points ÷ hours of session time in the window (a running session's time counts)
"""

from __future__ import annotations

import math
from typing import ClassVar

from smtui.api import Option, Score, ScoringStrategy, format_duration, hookimpl
from smtui.core.kinds import BUILTIN_KINDS, closest
from smtui.core.score_totals import (
    NEEDS_FOLLOWERS,
    NEEDS_POSTS,
    POST_METRIC_COLUMNS,
    TotalsStrategy,
    WindowTotals,
    number_text,
)
from smtui.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    from smtui.api import OutcomeKind

FOLLOWERS = "followers"
# What a user may weigh besides outcome kinds, all worth nothing by default.
VANITY: tuple[str, ...] = (*POST_METRIC_COLUMNS, FOLLOWERS)
WHERE = "[scoring.outcomes].weights"


def _checked_weights(table: Any) -> dict[str, float]:
    """The ``weights`` table as names to finite numbers; a ConfigError names a bad entry."""
    if not isinstance(table, dict):
        raise ConfigError(f"{WHERE} must be a table such as {{ deal = 10 }}")
    weights: dict[str, float] = {}
    for name, value in table.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(
                f"{WHERE}.{name} must be a number, not {value!r}", "e.g. deal = 10 or likes = 0.01"
            )
        if not math.isfinite(value):
            raise ConfigError(f"{WHERE}.{name} must be a finite number, not {value!r}")
        weights[str(name)] = float(value)
    return weights


class OutcomePointsStrategy(TotalsStrategy):
    name = "outcomes"
    title = "Outcome points"
    description = (
        "Weighted outcome points per hour of session time; deals and moves off social weigh"
        " most, likes and followers nothing unless weighted."
    )
    options: ClassVar[tuple[Option, ...]] = (
        Option(
            "weights",
            dict,
            default={},
            help="points per outcome kind, or per unit of a post metric or of followers gained"
            " (likes = 0.01); kinds left out keep their built-in weight, metrics count 0",
        ),
    )

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self.weights = _checked_weights(self.option_values.get("weights") or {})
        self.kind_weights = {name: float(kind.weight) for name, kind in BUILTIN_KINDS.items()}
        needs: set[str] = set()
        if any(self.weights.get(metric) for metric in POST_METRIC_COLUMNS):
            needs.add(NEEDS_POSTS)
        if self.weights.get(FOLLOWERS):
            needs.add(NEEDS_FOLLOWERS)
        self.needs = frozenset(needs)

    def use_kinds(self, kinds: Mapping[str, OutcomeKind]) -> None:
        """Take the default weights of the registered kinds, and refuse a weight for a name
        that is neither a kind nor a metric (a typo would silently count nothing)."""
        self.kind_weights = {name: float(kind.weight) for name, kind in kinds.items()}
        known = [*self.kind_weights, *VANITY]
        for name in self.weights:
            if name not in known:
                guess = closest(name, known)
                hint = f"did you mean {guess!r}?" if guess else "use an outcome kind or a metric"
                raise ConfigError(f"{WHERE}: unknown outcome kind or metric {name!r}", hint)

    def weight(self, name: str) -> float:
        """Points for one outcome of kind ``name`` (or one unit of a metric)."""
        if name in self.weights:
            return self.weights[name]
        if name in VANITY:
            return 0.0
        return self.kind_weights.get(name, 1.0)

    def score_totals(self, totals: WindowTotals) -> Score:
        breakdown: list[tuple[str, str]] = []
        points = 0.0
        for kind, count in totals.kinds().items():
            weight = self.weight(kind)
            points += count * weight
            breakdown.append(
                (kind, f"{count} × {number_text(weight)} = {number_text(count * weight)}")
            )
        for metric in VANITY:
            weight = self.weight(metric)
            if not weight:
                continue
            if metric == FOLLOWERS:
                amount = sum(change or 0 for _, change in (totals.followers or {}).values())
                label = "followers gained"
            else:
                amount = totals.post_total(metric)
                label = metric.replace("_", " ")
            points += amount * weight
            breakdown.append(
                (label, f"{amount:,} × {number_text(weight)} = {number_text(amount * weight)}")
            )
        seconds = totals.seconds()
        breakdown = [
            ("Points", number_text(points)),
            ("Session time", format_duration(seconds)),
            ("Formula", "points ÷ hours of session time"),
            *breakdown,
            ("Weights", self._weights_text(totals)),
        ]
        if seconds:
            value: float | None = points / (seconds / 3600)
            label = f"{value:.1f} points/h"
        else:
            value = None
            label = f"{number_text(points)} points, no session time" if points else "no sessions"
        return Score(self.name, value, label, breakdown, unit="points/h")

    def _weights_text(self, totals: WindowTotals) -> str:
        """The weights that decided this score: every kind seen, every metric weighed."""
        names = [*totals.kinds(), *(name for name in self.weights if name not in totals.kinds())]
        shown = [f"{name} {number_text(self.weight(name))}" for name in names]
        unweighed = [metric for metric in ("likes", FOLLOWERS) if not self.weight(metric)]
        if unweighed:
            shown.append(f"{', '.join(unweighed)} 0")
        return ", ".join(shown)


@hookimpl
def register_scorers(register: Callable[[type[ScoringStrategy]], None]) -> None:
    register(OutcomePointsStrategy)
