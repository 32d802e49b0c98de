"""The ``checklist`` scoring strategy (seed 000): was the time spent on social media productive?

A finished session is productive when it achieved at least one outcome from the checklist
(identified or qualified a prospect, showed expertise, found a contact or an opportunity, ...);
otherwise it was playtime. The score is the share of session time that was productive. A
running session is not judged yet: its time is listed but left out of the share, so starting
a session never makes the score drop or rise before it has had a chance to achieve something.
"""

from __future__ import annotations

from smtui.api import Score, ScoringStrategy, format_duration, hookimpl
from smtui.core.score_totals import (
    FINISHED,
    PLAYTIME,
    PRODUCTIVE,
    RUNNING,
    TotalsStrategy,
    WindowTotals,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable


class ChecklistStrategy(TotalsStrategy):
    name = "checklist"
    title = "Checklist"
    description = "Share of session time spent in sessions that achieved at least one outcome."
    uses_posts = False

    def score_totals(self, totals: WindowTotals) -> Score:
        productive_s = totals.seconds(PRODUCTIVE)
        playtime_s = totals.seconds(PLAYTIME)
        running_s = totals.seconds(RUNNING)
        productive = totals.sessions(PRODUCTIVE)
        playtime = totals.sessions(PLAYTIME)
        running = totals.sessions(RUNNING)
        counted = totals.outcome_count(FINISHED)

        breakdown = [
            ("Productive time", format_duration(productive_s)),
            ("Playtime", format_duration(playtime_s)),
        ]
        if running:
            breakdown.append(("Running, not judged yet", format_duration(running_s)))
        sessions = f"{totals.sessions()}: {productive} productive, {playtime} playtime"
        if running:
            sessions += f", {running} running"
        breakdown.append(("Sessions", sessions))
        breakdown.append(("Outcomes counted", str(counted)))
        uncounted = totals.outcome_count() - counted
        if uncounted:
            breakdown.append(("Outcomes outside finished sessions", str(uncounted)))

        judged_s = productive_s + playtime_s
        if not totals.sessions():
            value, label = None, "no sessions yet"
        elif judged_s == 0:
            value = None
            label = "running, not judged yet" if running else "no session time yet"
        else:
            value = productive_s / judged_s
            label = f"{value:.0%} productive"
        return Score(self.name, value, label, breakdown, unit="share")


@hookimpl
def register_scorers(register: Callable[[type[ScoringStrategy]], None]) -> None:
    register(ChecklistStrategy)
