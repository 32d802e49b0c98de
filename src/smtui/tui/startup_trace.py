"""An opt-in start-up trace, for the benchmarks: when the dashboard first painted, and when
its first data was on screen.

With ``SMTUI_TRACE_STARTUP=FILE`` set, the app appends ``EVENT UNIX_TIME CPU_S`` lines to FILE
(the wall-clock time, and the CPU time the process has used so far, all threads):
``first-paint`` after the first frame (panels still loading), ``first-screen`` after the frame
that shows every panel's first data (or its error). Unset, nothing is written and nothing is
read after start-up. ``bench/dashboard_first_screen.py`` uses it.
"""

from __future__ import annotations

import os
import time

ENV = "SMTUI_TRACE_STARTUP"
FIRST_PAINT = "first-paint"
FIRST_SCREEN = "first-screen"


def trace_file() -> str | None:
    """Where to write the trace, or None when tracing is off."""
    return os.environ.get(ENV) or None


def write(path: str, event: str) -> None:
    """Append ``event`` with the wall-clock and CPU times now (a failing write is ignored)."""
    try:
        with open(path, "a", encoding="utf-8") as trace:
            trace.write(f"{event} {time.time():.6f} {time.process_time():.6f}\n")
    except OSError:
        pass
