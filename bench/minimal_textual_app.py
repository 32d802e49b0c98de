"""The floor the dashboard is measured against: a minimal Textual app with a 1 Hz clock.

It is Textual's own clock example (a ``Digits`` widget updated once a second), so its idle
cost and start-up time are what any Textual app pays before doing anything of its own.

    python bench/minimal_textual_app.py

With ``SMTUI_TRACE_STARTUP=FILE`` set it appends the wall-clock and CPU times of its first
paint to FILE (as ``first-paint`` and ``first-screen`` lines), the way the dashboard does (see
``src/smtui/tui/startup_trace.py``), so both are timed alike.
"""

from __future__ import annotations

import os
import time
from datetime import datetime

from textual.app import App, ComposeResult
from textual.widgets import Digits


class ClockApp(App[None]):
    CSS = """
    Screen { align: center middle; }
    Digits { width: auto; }
    """

    def compose(self) -> ComposeResult:
        yield Digits("")

    def on_mount(self) -> None:
        self.update_clock()
        self.set_interval(1, self.update_clock)
        if os.environ.get("SMTUI_TRACE_STARTUP"):
            self.call_after_refresh(self._trace_first_paint)

    def update_clock(self) -> None:
        self.query_one(Digits).update(f"{datetime.now().time():%X}")

    def _trace_first_paint(self) -> None:
        # Its first paint is its whole first screen: both events, at the same moment.
        stamp = f"{time.time():.6f} {time.process_time():.6f}"
        with open(os.environ["SMTUI_TRACE_STARTUP"], "a", encoding="utf-8") as trace:
            trace.write(f"first-paint {stamp}\nfirst-screen {stamp}\n")


if __name__ == "__main__":
    ClockApp().run()
