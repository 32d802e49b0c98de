"""The metrics panel: one tab per platform with a trend sparkline, figures and top posts.

What the figures mean (engagement rate = engagements / impressions, followers and their
change, the trend by publication day) is defined once, in :mod:`smtui.core.metrics`; the tabs
that draw them are in :mod:`smtui.tui.metrics_tabs`.

Where it goes. At 160x48 (any terminal 40 rows or taller: the ``-tall`` class the main
screen puts on the panels' grid) the panel has a row of its own under the latest
activity, full width, with the sparkline and figures beside the top posts. At 80x24 the main
screen is already full, so the panel stays out of the way: the ``m`` key (binding id
``metrics``) or the command palette's **Metrics** command swaps it in for the goals, score and
latest-activity panels (the running session and today's split stay in view) and back again.
Inside the panel, the platform tabs take focus like any tab strip: Tab to reach them, left and
right to switch platform. One tab per platform scales from one platform to ten without
crowding either size; the tab a user chose stays chosen across refreshes.

The tabs are built only once the panel is on screen: at 80x24 the report is kept until the
panel is swapped in, so a dashboard that never shows its metrics never pays for their widgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from smtui.tui.widgets import Panel

if TYPE_CHECKING:
    from datetime import tzinfo

    from textual.events import Resize

    from smtui.core.metrics import MetricsReport
    from smtui.tui.metrics_tabs import MetricsTabs

# At this width and more the figures sit beside the top posts instead of above them.
WIDE = 110


def pane_id(platform: str) -> str:
    """A DOM id for a platform's tab (platform names are lower-case words, but be safe)."""
    return "metrics-" + "".join(ch if ch.isalnum() else "-" for ch in platform)


def empty_message(days: int) -> Content:
    return Content.styled(
        f"No posts or follower counts in the last {days} days.\n"
        "Import your analytics exports with `smtui import PATH`.",
        "$text-muted",
    )


class MetricsPanel(Panel):
    """The metrics per platform, a tab each; an invitation to import when there are none.

    Lines of text like the other panels (the invitation, an error), until there is a report
    with platforms and the panel is on screen: then the tabs are mounted inside it.
    """

    def __init__(self, zone: tzinfo, *, id: str) -> None:
        super().__init__("Metrics", id=id)
        self.zone = zone
        self.report: MetricsReport | None = None
        self._focus_wanted = False
        self._tabs: MetricsTabs | None = None

    # A container once the tabs are mounted; until then, lines like any panel.

    @property
    def is_container(self) -> bool:
        return bool(self._nodes)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        if self._nodes:
            return Widget._size_updated(self, size, virtual_size, container_size, layout)
        return super()._size_updated(size, virtual_size, container_size, layout)

    @property
    def tabs(self) -> MetricsTabs | None:
        """The tabs, once built (their module is imported only then)."""
        return self._tabs

    @property
    def platforms(self) -> list[str]:
        report = self.report
        return [metrics.platform for metrics in report.platforms] if report else []

    def on_resize(self, event: Resize) -> None:
        wide = event.size.width >= WIDE
        if wide != self.has_class("-wide"):
            self.set_class(wide, "-wide")
            tabs = self.tabs
            if tabs is not None:
                tabs.set_wide(wide)

    def render_data(self, data: object, now: int) -> None:
        from smtui.core.metrics import MetricsReport

        assert isinstance(data, MetricsReport)
        if data == self.report:
            return  # nothing changed: leave the screen alone
        self.report = data
        self.border_title = f"Metrics · last {data.days} days"
        empty = not data.platforms
        self.set_class(empty, "-empty")
        self.show_body(empty_message(data.days) if empty else Content(""))
        if self.tabs is not None or (not empty and self._on_screen()):
            self._build()

    def _on_screen(self) -> bool:
        return bool(self.region)  # displayed and laid out (not hidden by the CSS)

    def on_show(self) -> None:
        if self.report is not None and self.report.platforms:
            self._build()

    def _build(self) -> None:
        """Mount the tabs if needed and show the report in them (in a worker: mounting and
        replacing tab panes waits on Textual)."""
        self.run_worker(self._show_in_tabs(), group="metrics-tabs", exclusive=True)

    async def _show_in_tabs(self) -> None:
        from smtui.tui.metrics_tabs import MetricsTabs

        report = self.report
        if report is None:
            return
        tabs = self._tabs
        if tabs is None:
            tabs = self._tabs = MetricsTabs(classes="metrics-tabs")
            await self.mount(tabs)
        await tabs.show_report(report, self.zone, wide=self.has_class("-wide"))
        if self._focus_wanted:
            self._focus_wanted = False
            self._focus_tab_strip()

    @property
    def text(self) -> str:
        """The active platform's tab as plain text, or the message when there is none."""
        tabs = self.tabs
        if tabs is None or not self.platforms:
            return self._body.plain
        return tabs.text

    def select(self, platform: str) -> None:
        """Show ``platform``'s tab."""
        tabs = self.tabs
        if tabs is not None:
            tabs.active = pane_id(platform)

    def focus_tabs(self) -> None:
        """Put the focus on the platform tabs (left and right then switch platform)."""
        if self.tabs is None:
            self._focus_wanted = bool(self.platforms)
            if self._focus_wanted and self.report is not None:
                self._build()
        else:
            self._focus_tab_strip()
        self.scroll_visible(animate=False)

    def _focus_tab_strip(self) -> None:
        from textual.widgets import Tabs

        if self.platforms:
            self.query_one(Tabs).focus()
