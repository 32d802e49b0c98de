"""The ``conversations`` scoring strategy: real conversations per focused hour on social media.

Time on social media pays when it turns into conversations that leave the feed: a chat moved
to email, a call or a meeting (``moved_off_social``), a lead (``lead``), a call booked
(``call_booked``, the outcome kind this plugin adds). This strategy counts those outcomes and
divides by the hours actually spent in sessions (pauses left out), then compares the rate
with the user's target. Everything it used is listed in the breakdown.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from smtui.api import Option, PluginError, Score, ScoringStrategy, format_duration

if TYPE_CHECKING:
    from smtui.api import Window

DEFAULT_KINDS = ("moved_off_social", "lead", "call_booked")


class ConversationsPerHour(ScoringStrategy):
    """Conversations (by default: moved off social, leads, calls booked) per focused hour."""

    name = "conversations"
    title = "Conversations per hour"
    description = "Conversations moved off social, leads and calls booked per focused hour."
    options = (
        Option(
            "target_per_hour",
            float,
            default=1.0,
            help="how many conversations an hour of social media should bring (more than 0)",
        ),
        Option(
            "kinds",
            list,
            default=list(DEFAULT_KINDS),
            help="the outcome kinds that count as a conversation",
        ),
    )

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        target = self.option_values.get("target_per_hour", 1.0)
        if not isinstance(target, int | float) or target <= 0:
            raise PluginError(
                f"[scoring.conversations] target_per_hour must be more than 0, not {target!r}",
                "e.g. target_per_hour = 1.5",
                title="Conversations per hour",
            )
        kinds = self.option_values.get("kinds") or list(DEFAULT_KINDS)
        if not all(isinstance(kind, str) for kind in kinds):
            raise PluginError(
                f"[scoring.conversations] kinds must be a list of outcome kinds, not {kinds!r}",
                'e.g. kinds = ["moved_off_social", "lead"]',
                title="Conversations per hour",
            )
        self.target = float(target)
        self.kinds: tuple[str, ...] = tuple(kinds)

    def score(self, window: Window) -> Score:
        counted = [outcome for outcome in window.outcomes if outcome.kind in self.kinds]
        focused_s = sum(window.active_seconds(session) for session in window.sessions)
        by_kind = {kind: sum(1 for o in counted if o.kind == kind) for kind in self.kinds}
        kinds_text = ", ".join(f"{n} {kind}" for kind, n in by_kind.items() if n)
        breakdown = [
            ("Conversations", f"{len(counted)}" + (f" ({kinds_text})" if kinds_text else "")),
            ("Focused time", format_duration(focused_s)),
            ("Target", f"{self.target:g} per hour"),
        ]
        if focused_s == 0:
            label = "no focused time yet" if not counted else "conversations, but no session time"
            return Score(self.name, None, label, breakdown, unit="per hour")
        hours = focused_s / 3600
        rate = len(counted) / hours
        breakdown.insert(2, ("Rate", f"{rate:.3g} per hour"))
        if rate >= self.target:
            verdict = "on target"
        else:
            missing = max(1, math.ceil(self.target * hours) - len(counted))
            verdict = f"below the target of {self.target:g}"
            breakdown.append(("To reach the target", f"{missing} more in the same time"))
        # The value as the dashboard prints it starts the label, so it is not shown twice.
        label = f"{rate:.3g} per hour, {verdict}"
        return Score(self.name, rate, label, breakdown, unit="per hour")
