"""Telling the user once that a session's timebox ran out. No Textual here.

The dashboard asks :class:`TimeboxWatch` on every clock tick and after every reload. It
answers at most once per session (per dashboard run):

* the timebox runs out while the dashboard watches: ring the terminal bell and show a toast;
* the dashboard opens (or first hears of the session) when the timebox has already run out,
  as when it ran out while the dashboard was closed: a toast saying how long ago, without
  the bell, since the moment has passed and a bell on opening would only startle.

Pausing stops the timebox too: only active time counts.
"""

from __future__ import annotations

from smtui.core.timespec import format_duration
from smtui.models import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from smtui.models import Session


class TimeboxAlert(Record):
    """What to tell: ``message`` in a toast, with the terminal bell when ``bell``."""

    __slots__ = ("bell", "message")

    def __init__(self, message: str, *, bell: bool) -> None:
        self.message = message
        self.bell = bell


class TimeboxWatch:
    """Remembers which sessions were seen inside their timebox and which were told."""

    def __init__(self) -> None:
        self._inside: set[int] = set()
        self._told: set[int] = set()

    def check(self, session: Session | None, now: int, stop_key: str = "x") -> TimeboxAlert | None:
        """The alert due for ``session`` at ``now``, or None (nothing new to say)."""
        if session is None or session.timebox_s is None or session.id in self._told:
            return None
        left = session.timebox_left(now)
        if left is None:
            return None
        if left > 0:
            self._inside.add(session.id)
            return None
        self._told.add(session.id)
        box = format_duration(session.timebox_s)
        where = f"{session.platform} session #{session.id}"
        if session.id in self._inside:
            return TimeboxAlert(
                f"The {box} timebox of the {where} is up. Press {stop_key} to stop it.",
                bell=True,
            )
        return TimeboxAlert(
            f"The {box} timebox of the {where} ran out {format_duration(-left)} ago."
            f" Press {stop_key} to stop it.",
            bell=False,
        )
