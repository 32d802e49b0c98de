"""Opening the dashboard: what is done before Textual is even imported.

Starting the dashboard builds some fifty thousand objects (Textual's modules, the styles, the
widgets) and throws few of them away, yet the garbage collector keeps scanning them as they
pile up: about a tenth of the start (see docs/performance.md). So collection is off until the
first screen is up; the app then collects once and freezes what it built, which also keeps the
collector's later passes (while the dashboard sits open all day) to the objects made since.
"""

from __future__ import annotations

import gc

TYPE_CHECKING = False
if TYPE_CHECKING:
    from smtui.config import Config


def run_app(db_path: str, config: Config) -> None:
    """Open the dashboard on ``db_path`` until the user quits (a running session keeps running)."""
    gc.disable()
    try:
        from smtui.tui.app import SmtuiApp

        SmtuiApp(db_path, config, settle_memory=True).run()
    finally:
        gc.enable()
