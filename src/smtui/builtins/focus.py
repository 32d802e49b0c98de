"""The ``focus`` scoring strategy (seed 001): time where the buyers are, without the shotgun.

    on-target share = time on the target platforms ÷ all session time
    effective platforms N = 1 ÷ Σ share²   (over every platform used; 1 when all time is on
                                             one, 4 when it is spread evenly over four)
    spread factor   = min(1, targets ÷ N) ^ spread_weight
    focus           = on-target share × spread factor

The effective number of platforms is the inverse of the Herfindahl–Hirschman concentration
index: it counts platforms by the time they took, so a two-minute look at X barely moves it
while an afternoon spread over five platforms does. Spreading over no more platforms than
there are targets costs nothing; beyond that the factor falls. Without target platforms all
time counts as on target and the spread factor compares with one platform: the score is then
how concentrated the time was.
"""

from __future__ import annotations

import math
from typing import ClassVar

from smtui.api import Option, Score, ScoringStrategy, format_duration, hookimpl
from smtui.core.platforms import ALIASES
from smtui.core.score_totals import TotalsStrategy, WindowTotals, number_text
from smtui.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


class FocusStrategy(TotalsStrategy):
    name = "focus"
    title = "Focus"
    description = (
        "Share of session time on your target platforms, times a factor that falls as time"
        " spreads over more platforms than you target."
    )
    uses_posts = False
    options: ClassVar[tuple[Option, ...]] = (
        Option(
            "target_platforms",
            list,
            default=[],
            help="the platforms where your buyers are (default: [app] target_platforms)",
        ),
        Option(
            "spread_weight",
            float,
            default=0.5,
            help="how hard spreading is penalised: 0 ignores it, 1 takes the factor whole",
        ),
    )

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        targets = self.option_values.get("target_platforms") or []
        if not all(isinstance(name, str) and name.strip() for name in targets):
            raise ConfigError(
                "[scoring.focus].target_platforms must be a list of platform names,"
                f" not {targets!r}"
            )
        names = (name.strip().lower() for name in targets)
        self.targets = tuple(dict.fromkeys(ALIASES.get(name, name) for name in names))
        weight = self.option_values.get("spread_weight")
        weight = 0.5 if weight is None else weight
        if not math.isfinite(weight) or weight < 0:
            raise ConfigError(f"[scoring.focus].spread_weight must be zero or more, not {weight}")
        self.spread_weight = float(weight)

    def score_totals(self, totals: WindowTotals) -> Score:
        by_platform = totals.seconds_by_platform()
        total = sum(by_platform.values())
        targets = self.targets
        breakdown: list[tuple[str, str]] = [
            (
                "Target platforms",
                ", ".join(targets) if targets else "none set: every platform counts as one",
            ),
        ]
        if total == 0:
            breakdown.append(("Session time", format_duration(0)))
            return Score(self.name, None, "no session time yet", breakdown, unit="share")
        on_target = (
            sum(s for name, s in by_platform.items() if name in targets) if targets else total
        )
        share = on_target / total
        shares = [seconds / total for seconds in by_platform.values() if seconds]
        effective = 1 / sum(part * part for part in shares)
        count = max(1, len(targets))
        factor = min(1.0, count / effective) ** self.spread_weight
        value = share * factor
        breakdown += [
            (
                "On target",
                f"{format_duration(on_target)} of {format_duration(total)} = {share:.1%}",
            ),
            ("Effective platforms", f"{effective:.2f} = 1 ÷ Σ share² over {len(shares)} used"),
            (
                "Spread factor",
                f"min(1, {count} ÷ {effective:.2f})^{number_text(self.spread_weight)}"
                f" = {factor:.3f}",
            ),
            ("Formula", "on-target share × spread factor"),
        ]
        breakdown += [
            (name, f"{format_duration(seconds)} ({seconds / total:.1%})")
            for name, seconds in by_platform.items()
        ]
        return Score(self.name, value, f"{value:.0%} focused", breakdown, unit="share")


@hookimpl
def register_scorers(register: Callable[[type[ScoringStrategy]], None]) -> None:
    register(FocusStrategy)
