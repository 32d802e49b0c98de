"""The ``checklist`` scoring strategy (seed 000): was the time spent on social media productive?

A finished session is productive when it achieved at least one outcome from the checklist
(identified or qualified a prospect, showed expertise, found a contact or an opportunity, ...);
otherwise it was playtime. The score is the share of session time that was productive. A
running session is not judged yet: its time is listed but left out of the share, so starting
a session never makes the score drop or rise before it has had a chance to achieve something.
"""

from __future__ import annotations

from smtui.api import Score, ScoringStrategy, Window, format_duration, hookimpl

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable


class ChecklistStrategy(ScoringStrategy):
    name = "checklist"
    title = "Checklist"
    description = "Share of session time spent in sessions that achieved at least one outcome."
    uses_posts = False

    def score(self, window: Window) -> Score:
        with_outcomes = {o.session_id for o in window.outcomes if o.session_id is not None}
        productive_s = playtime_s = running_s = 0
        productive = playtime = running = 0
        judged_ids: set[int] = set()
        for session in window.sessions:
            seconds = window.active_seconds(session)
            if session.ended_at is None:
                running_s += seconds
                running += 1
            elif session.id in with_outcomes:
                productive_s += seconds
                productive += 1
                judged_ids.add(session.id)
            else:
                playtime_s += seconds
                playtime += 1
        counted = sum(1 for o in window.outcomes if o.session_id in judged_ids)

        breakdown = [
            ("Productive time", format_duration(productive_s)),
            ("Playtime", format_duration(playtime_s)),
        ]
        if running:
            breakdown.append(("Running, not judged yet", format_duration(running_s)))
        sessions = f"{len(window.sessions)}: {productive} productive, {playtime} playtime"
        if running:
            sessions += f", {running} running"
        breakdown.append(("Sessions", sessions))
        breakdown.append(("Outcomes counted", str(counted)))
        uncounted = len(window.outcomes) - counted
        if uncounted:
            breakdown.append(("Outcomes outside finished sessions", str(uncounted)))

        judged_s = productive_s + playtime_s
        if not window.sessions:
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
