"""The metrics panel: one tab per platform with a trend sparkline, figures and top posts.

What the figures mean (engagement rate = engagements / impressions, followers and their
change, the trend by publication day) is defined once, in :mod:`smtui.core.metrics`; this
module only draws them.

Where it goes. At 160x48 (any terminal 40 rows or taller: the ``-tall`` class the app's
vertical breakpoints put on the screen) the panel has a row of its own under the latest
activity, full width, with the sparkline and figures beside the top posts. At 80x24 the main
screen is already full, so the panel stays out of the way: the command palette's **Metrics**
command swaps it in for the goals, score and latest-activity panels (the running session and
today's split stay in view) and back again. There is no key for it, because key bindings are
limited to the ids the ``[keymap]`` config accepts. Inside the panel, the platform tabs take
focus like any tab strip: Tab to reach them, left and right to switch platform. One tab per
platform scales from one platform to ten without crowding either size; the tab a user chose
stays chosen across refreshes.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Sparkline, Static, TabbedContent, TabPane

from smtui.core.metrics import (
    MetricsReport,
    PlatformMetrics,
    TopPost,
    compact,
    excerpt,
    percent,
    summary_lines,
)
from smtui.tui.widgets import Panel

if TYPE_CHECKING:
    from datetime import tzinfo

    from textual.app import ComposeResult
    from textual.events import Resize

TOP_COLUMNS = ("Date", "Top posts", "Impr.", "Eng.", "Rate")
EXCERPT_WIDTH = 34
WIDE_EXCERPT_WIDTH = 44
# At this width and more the figures sit beside the top posts instead of above them.
WIDE = 110


def pane_id(platform: str) -> str:
    """A DOM id for a platform's tab (platform names are lower-case words, but be safe)."""
    return "metrics-" + "".join(ch if ch.isalnum() else "-" for ch in platform)


def published_text(instant: int, zone: tzinfo) -> str:
    return datetime.fromtimestamp(instant, zone).strftime("%m-%d")


def top_post_cells(post: TopPost, zone: tzinfo, width: int) -> tuple[Text, ...]:
    return (
        Text(published_text(post.published_at, zone)),
        Text(excerpt(post.text or post.url or "(no text)", width)),
        Text(compact(post.impressions), justify="right"),
        Text(compact(post.engagements), justify="right"),
        Text(percent(post.engagement_rate), justify="right"),
    )


def trend_label(metrics: PlatformMetrics, days: int) -> Content:
    trend = metrics.trend
    peak = compact(max(trend) if trend else 0)
    today = compact(trend[-1] if trend else 0)
    return Content.assemble(
        ("Engagements per day", "bold"),
        (f" · last {days} days · peak {peak} · today {today}", "$text-muted"),
    )


def render_summary(metrics: PlatformMetrics, days: int) -> Content:
    lines = summary_lines(metrics, days)
    width = max(len(label) for label, _ in lines)
    return Content("\n").join(
        Content.assemble((f"{label:<{width}}", "$text-muted"), "  ", value)
        for label, value in lines
    )


class PlatformPane(TabPane):
    """One platform's tab: the trend, the figures, the top posts."""

    def __init__(self, metrics: PlatformMetrics, days: int, zone: tzinfo) -> None:
        super().__init__(metrics.platform, id=pane_id(metrics.platform))
        self.metrics = metrics
        self.days = days
        self.zone = zone
        self.wide = False

    def compose(self) -> ComposeResult:
        with Horizontal(classes="metrics-pane"):
            with Vertical(classes="metrics-summary"):
                yield Static(classes="metrics-trend-label")
                yield Sparkline([], classes="metrics-trend")
                yield Static(classes="metrics-figures")
            table: DataTable[Text] = DataTable(
                cursor_type="row", zebra_stripes=False, classes="metrics-top"
            )
            table.add_columns(*TOP_COLUMNS)
            yield table

    def on_mount(self) -> None:
        self.show(self.metrics, self.days)

    def show(self, metrics: PlatformMetrics, days: int) -> None:
        self.metrics = metrics
        self.days = days
        self.query_one(".metrics-trend-label", Static).update(trend_label(metrics, days))
        self.query_one(".metrics-trend", Sparkline).data = list(metrics.trend)
        self.query_one(".metrics-figures", Static).update(render_summary(metrics, days))
        self.fill_table()

    def fill_table(self) -> None:
        table: DataTable[Text] = self.query_one(".metrics-top", DataTable)
        table.clear()
        width = WIDE_EXCERPT_WIDTH if self.wide else EXCERPT_WIDTH
        for post in self.metrics.top_posts:
            table.add_row(*top_post_cells(post, self.zone, width), key=str(post.id))
        if not self.metrics.top_posts:
            note = "no post with engagements" if self.metrics.posts else "no post"
            table.add_row(Text("—"), Text(note, style="dim"), *(Text("") for _ in range(3)))

    @property
    def text(self) -> str:
        """What the tab says, as plain text (tests read it)."""
        table: DataTable[Text] = self.query_one(".metrics-top", DataTable)
        rows = [
            " | ".join(str(cell) for cell in table.get_row_at(index))
            for index in range(table.row_count)
        ]
        return "\n".join(
            [
                str(self.query_one(".metrics-trend-label", Static).visual),
                str(self.query_one(".metrics-figures", Static).visual),
                *rows,
            ]
        )


class MetricsPanel(Panel):
    """The metrics per platform, a tab each; an invitation to import when there are none."""

    def __init__(self, zone: tzinfo, *, id: str) -> None:
        super().__init__("Metrics", id=id)
        self.zone = zone
        self.report: MetricsReport | None = None
        self._platforms: list[str] = []

    def compose_body(self) -> ComposeResult:
        yield Static("Loading…", classes="panel-body")
        yield TabbedContent(classes="metrics-tabs")

    def on_resize(self, event: Resize) -> None:
        wide = event.size.width >= WIDE
        if wide != self.has_class("-wide"):
            self.set_class(wide, "-wide")
            for pane in self.query(PlatformPane):
                pane.wide = wide
                pane.fill_table()

    def render_data(self, data: object, now: int) -> None:
        assert isinstance(data, MetricsReport)
        if data == self.report:
            return  # nothing changed: leave the screen alone
        self.report = data
        self.border_title = f"Metrics · last {data.days} days"
        body = self.query_one(".panel-body", Static)
        empty = not data.platforms
        self.set_class(empty, "-empty")
        body.update(
            Content.styled(
                f"No posts or follower counts in the last {data.days} days.\n"
                "Import your analytics exports with `smtui import PATH`.",
                "$text-muted",
            )
            if empty
            else ""
        )
        platforms = [metrics.platform for metrics in data.platforms]
        if platforms != self._platforms:
            self._platforms = platforms
            self.run_worker(self._rebuild(data), group="metrics-tabs", exclusive=True)
            return
        for metrics in data.platforms:
            self.query_one(f"#{pane_id(metrics.platform)}", PlatformPane).show(metrics, data.days)

    async def _rebuild(self, data: MetricsReport) -> None:
        """Replace the tabs (the platforms changed), keeping the chosen one if it is still there."""
        tabs = self.query_one(TabbedContent)
        chosen = tabs.active
        await tabs.clear_panes()
        wide = self.has_class("-wide")
        for metrics in data.platforms:
            pane = PlatformPane(metrics, data.days, self.zone)
            pane.wide = wide
            await tabs.add_pane(pane)
        ids = [pane_id(metrics.platform) for metrics in data.platforms]
        if chosen in ids:
            tabs.active = chosen

    @property
    def text(self) -> str:
        """The active platform's tab as plain text, or the message when there is none."""
        if not self._platforms:
            return str(self.query_one(".panel-body", Static).visual)
        tabs = self.query_one(TabbedContent)
        active = tabs.active
        if not active:
            return ""
        return (
            f"[{active.removeprefix('metrics-')}]\n"
            + self.query_one(f"#{active}", PlatformPane).text
        )

    def select(self, platform: str) -> None:
        """Show ``platform``'s tab."""
        self.query_one(TabbedContent).active = pane_id(platform)

    def focus_tabs(self) -> None:
        """Put the focus on the platform tabs (left and right then switch platform)."""
        from textual.widgets import Tabs

        if self._platforms:
            self.query_one(Tabs).focus()
        self.scroll_visible(animate=False)
