"""The metrics panel's tabs: one per platform, with a trend sparkline, figures and top posts.

Imported only when the metrics panel is first on screen (:mod:`smtui.tui.metrics_panel`):
the tabs, the sparkline and the tables are the costliest widgets of the main screen, and at
80x24 the panel stays hidden until asked for. The rules these widgets need are here too, read
when the first tab is mounted, not at start-up.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Sparkline, Static, TabbedContent, TabPane

from smtui.core.metrics import compact, excerpt, percent, summary_lines

if TYPE_CHECKING:
    from datetime import tzinfo

    from rich.text import Text
    from textual.app import ComposeResult

    from smtui.core.metrics import MetricsReport, PlatformMetrics, TopPost

# (title, width) of the top posts' columns; the excerpt's width depends on the room.
TOP_COLUMNS = ("Date", "Top posts", "Impr.", "Eng.", "Rate")
NUMBER_WIDTH = 6
EXCERPT_WIDTH = 34
WIDE_EXCERPT_WIDTH = 44


def pane_id(platform: str) -> str:
    """A DOM id for a platform's tab (platform names are lower-case words, but be safe)."""
    return "metrics-" + "".join(ch if ch.isalnum() else "-" for ch in platform)


def published_text(instant: int, zone: tzinfo) -> str:
    return datetime.fromtimestamp(instant, zone).strftime("%m-%d")


def top_post_cells(post: TopPost, zone: tzinfo, width: int) -> tuple[Text, ...]:
    from rich.text import Text

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

    DEFAULT_CSS = """
    PlatformPane {
        padding: 0;
    }
    PlatformPane .metrics-pane {
        layout: vertical;
        height: 1fr;
    }
    PlatformPane.-wide .metrics-pane {
        layout: horizontal;
    }
    PlatformPane .metrics-summary {
        height: auto;
    }
    PlatformPane.-wide .metrics-summary {
        width: 1fr;
        max-width: 76;
        margin-right: 2;
    }
    PlatformPane .metrics-trend {
        height: 2;
    }
    PlatformPane .metrics-trend-label,
    PlatformPane .metrics-figures {
        height: auto;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    PlatformPane .metrics-top {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    """

    def __init__(self, metrics: PlatformMetrics, days: int, zone: tzinfo) -> None:
        super().__init__(metrics.platform, id=pane_id(metrics.platform))
        self.metrics = metrics
        self.days = days
        self.zone = zone
        self._table_wide: bool | None = None

    @property
    def wide(self) -> bool:
        return self.has_class("-wide")

    @wide.setter
    def wide(self, wide: bool) -> None:
        self.set_class(wide, "-wide")

    def compose(self) -> ComposeResult:
        with Horizontal(classes="metrics-pane"):
            with Vertical(classes="metrics-summary"):
                yield Static(classes="metrics-trend-label")
                yield Sparkline([], classes="metrics-trend")
                yield Static(classes="metrics-figures")
            yield DataTable(cursor_type="row", zebra_stripes=False, classes="metrics-top")

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
        """The top posts, in columns of fixed widths.

        Fixed, not measured: Textual 8.2.8's DataTable measures new rows only when idle and
        keeps the lines it drew before that, so a table measured from its rows can stay cut to
        its header's widths after a repaint that came in between.
        """
        table: DataTable[Text] = self.query_one(".metrics-top", DataTable)
        wide = self.wide
        width = WIDE_EXCERPT_WIDTH if wide else EXCERPT_WIDTH
        if wide != self._table_wide:
            self._table_wide = wide
            table.clear(columns=True)
            widths = (5, width, NUMBER_WIDTH, NUMBER_WIDTH, NUMBER_WIDTH)
            for title, column_width in zip(TOP_COLUMNS, widths, strict=True):
                table.add_column(title, width=column_width)
        else:
            table.clear()
        for post in self.metrics.top_posts:
            table.add_row(*top_post_cells(post, self.zone, width), key=str(post.id))
        if not self.metrics.top_posts:
            from rich.text import Text

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


class MetricsTabs(TabbedContent):
    """The tab strip and the platforms' panes."""

    DEFAULT_CSS = """
    MetricsTabs {
        height: 1fr;
    }
    """

    async def show_report(self, report: MetricsReport, zone: tzinfo, *, wide: bool) -> None:
        """Show ``report``: panes updated in place, or rebuilt when the platforms changed
        (keeping the chosen tab if it is still there)."""
        panes = list(self.query(PlatformPane))
        if [pane.metrics.platform for pane in panes] == [m.platform for m in report.platforms]:
            for pane, metrics in zip(panes, report.platforms, strict=True):
                pane.show(metrics, report.days)
            return
        chosen = self.active
        await self.clear_panes()
        for metrics in report.platforms:
            pane = PlatformPane(metrics, report.days, zone)
            pane.wide = wide
            await self.add_pane(pane)
        ids = [pane_id(metrics.platform) for metrics in report.platforms]
        if chosen in ids:
            self.active = chosen

    def set_wide(self, wide: bool) -> None:
        for pane in self.query(PlatformPane):
            if pane.wide != wide:
                pane.wide = wide
                pane.fill_table()

    @property
    def text(self) -> str:
        """The active platform's tab as plain text."""
        active = self.active
        if not active:
            return ""
        return (
            f"[{active.removeprefix('metrics-')}]\n"
            + self.query_one(f"#{active}", PlatformPane).text
        )
