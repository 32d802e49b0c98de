"""The Insights screen: where the time went, what it returned and when posts do best, drawn.

Three sections, each read by its own loader (:mod:`smtui.tui.insights_data`) in one worker that
starts once the screen is up, so the screen shows at once with a "Reading" line in each
section, and a loader that fails leaves an error line in its section only:

- **time per day**: the last four weeks as stacked bars of productive, playtime and running
  hours (:mod:`smtui.tui.insights_chart`, Plotext);
- **best time to post**: the week heatmap of the engagement rate per platform
  (:mod:`smtui.tui.insights_heatmap`), picked with the tabs or a key;
- **return per focused hour**: per platform and intent, the outcomes per hour of session
  time as a bar, with the time, engagements per hour and revenue.

At 80x24 the sections follow one another and the box scrolls; from 120 columns and 40 rows
(160x48) the returns sit beside the heatmap under a taller chart, all in view. The chart's
module (and Plotext with it) is imported when the screen is composed, never before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.bar import Bar
from rich.table import Table
from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Footer, Static, Tab, Tabs

from smtui import clock
from smtui.core.analytics_times import ALL
from smtui.core.metrics import ENGAGEMENT_RATE_FORMULA
from smtui.core.timespec import format_duration
from smtui.tui import insights_data
from smtui.tui.forms import describe_error
from smtui.tui.insights_data import (
    BEST_TIMES_DAYS,
    DAYS_SECTION,
    RETURNS_SECTION,
    TIMES_SECTION,
)
from smtui.tui.insights_heatmap import (
    EMPTY,
    UNKNOWN,
    WeekHeatmap,
    describe_cell,
    percent,
    posts_text,
    scale_legend,
)
from smtui.tui.screen_base import BoxScreen

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from smtui.core.analytics_returns import ReturnRow, Returns
    from smtui.core.analytics_times import BestTimes
    from smtui.tui.data import DashboardContext
    from smtui.tui.insights_chart import DaysChart
    from smtui.tui.insights_data import DaySplits, Loader

BAR_WIDTH = 10
# Theme colours of the parts of a day, as the Today panel and the chart show them.
PART_STYLES = (("productive", "$success"), ("playtime", "$error"), ("running", "$primary"))


class SectionLoaded(Message):
    """A section's data (``value``), or why it could not be read (``error``)."""

    def __init__(self, generation: int, section: str, value: object, error: str | None) -> None:
        super().__init__()
        self.generation = generation
        self.section = section
        self.value = value
        self.error = error


def days_legend(splits: DaySplits) -> Content:
    """The chart's legend with the four weeks' totals, and the productive share."""
    total = splits.total
    if not total.total_s:
        return Content("No sessions in the last four weeks.")
    parts: list[Content | tuple[str, str] | str] = []
    for part, style in PART_STYLES:
        seconds = getattr(total, f"{part}_s")
        if seconds or part != "running":
            parts += [("■ ", style), f"{part.capitalize()} {format_duration(seconds)}  "]
    share = total.productive_share
    if share is not None:
        parts.append(f"· {share:.0%} productive")
    return Content.assemble(*parts)


def returns_table(rows: list[ReturnRow], colour: str) -> Table:
    """One row per platform and intent, most time first: outcomes per hour as a number and
    a bar of ``colour`` (full for the best row)."""
    best = max((row.per_hour(row.outcome_count) or 0.0 for row in rows), default=0.0)
    table = Table(box=None, padding=(0, 1), pad_edge=False, expand=False, header_style="bold")
    # The one column that gives way on a narrow screen: its names end in an ellipsis.
    table.add_column("Platform · intent", min_width=12)
    table.add_column("Time", justify="right", no_wrap=True)
    table.add_column("Outcomes/h", justify="right", no_wrap=True)
    table.add_column("", width=BAR_WIDTH, no_wrap=True)
    table.add_column("Eng./h", justify="right", no_wrap=True)
    table.add_column("Revenue", justify="right", no_wrap=True)
    for row in rows:
        per_hour = row.per_hour(row.outcome_count) or 0.0
        engagements = row.per_hour(row.results["engagements"]) if row.posts else None
        table.add_row(
            Text(f"{row.platform} · {row.intent or '-'}", no_wrap=True, overflow="ellipsis"),
            format_duration(row.seconds),
            f"{per_hour:.1f}",
            Bar(best or 1.0, 0, per_hour, width=BAR_WIDTH, color=colour),
            "-" if engagements is None else f"{engagements:.0f}",
            money(row.revenue),
        )
    return table


def money(revenue: dict[str, int]) -> str:
    """The revenue per currency: ``3,000.00 EUR, 120.00 USD``."""
    from smtui.core.score_totals import money_text

    return ", ".join(money_text(minor, currency) for currency, minor in sorted(revenue.items()))


def outside_line(found: Returns) -> str:
    """What no session of the window produced, so that nothing goes unseen."""
    outcomes = sum(row.outcome_count for row in found.outside)
    posts = sum(row.posts for row in found.outside)
    if not outcomes and not posts:
        return ""
    return (
        f"Outside sessions (not above): {outcomes} outcome{'s' if outcomes != 1 else ''},"
        f" {posts_text(posts)}."
    )


class InsightsScreen(BoxScreen):
    """Charts of the time, the returns and the best times to post; escape goes back."""

    DEFAULT_CSS = """
    #insights-box {
        scrollbar-size-vertical: 1;
    }
    .insights-section {
        height: auto;
    }
    .insights-title {
        text-style: bold;
        color: $text-accent;
    }
    .insights-note {
        color: $text-muted;
    }
    .insights-note.-error {
        color: $error;
    }
    #insights-lower {
        height: auto;
        layout: vertical;
    }
    #days-section, #times-section {
        margin-bottom: 1;
    }
    #times-platforms {
        height: 2;
        margin-bottom: 1;
    }
    #returns-scroll {
        height: auto;
        scrollbar-size-vertical: 1;
    }
    #returns-table {
        width: 100%;
    }
    InsightsScreen.-wide.-tall #insights-box {
        overflow-y: hidden;
    }
    InsightsScreen.-wide.-tall #days-chart {
        height: 18;
    }
    InsightsScreen.-wide.-tall #insights-lower {
        layout: horizontal;
        height: 1fr;
    }
    InsightsScreen.-wide.-tall #times-section {
        width: 1fr;
        margin-right: 2;
    }
    InsightsScreen.-wide.-tall #returns-section {
        width: 1fr;
        height: 1fr;
    }
    InsightsScreen.-wide.-tall #returns-scroll {
        height: 1fr;
    }
    """
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]  # noqa: RUF012 - typed by Textual
    BINDINGS: ClassVar = [
        Binding("escape", "app.pop_screen", "Back", id="insights.back"),
        Binding(
            "p",
            "next_platform",
            "Platform",
            id="insights.platform",
            tooltip="Best time to post: the next platform (or the tabs with ← →)",
        ),
        Binding("r", "reload", "Refresh", id="insights.refresh", tooltip="Read the insights again"),
    ]

    def __init__(self, db_path: str, context: DashboardContext) -> None:
        super().__init__(id="insights-screen")
        self.db_path = db_path
        self.context = context
        self.loaders: dict[str, Loader] = dict(insights_data.LOADERS)
        self.shown: dict[str, object] = {}
        self.errors: dict[str, str] = {}
        self.best_times: BestTimes | None = None
        self.platforms: list[str] = []
        self.returns_drawn: Table | None = None
        self._generation = 0

    def compose(self) -> ComposeResult:
        from smtui.tui.insights_chart import DaysChart

        reading = "Reading…"
        with VerticalScroll(id="insights-box", classes="screen-box") as box:
            box.border_title = "Insights"
            with Vertical(id="days-section", classes="insights-section"):
                yield Static("Time per day · last 4 weeks", classes="insights-title")
                yield DaysChart(id="days-chart")
                yield Static(reading, id="days-note", classes="insights-note")
            with Horizontal(id="insights-lower"):
                with Vertical(id="times-section", classes="insights-section"):
                    yield Static(
                        f"Best time to post · last {BEST_TIMES_DAYS} days", classes="insights-title"
                    )
                    yield Tabs(id="times-platforms")
                    yield WeekHeatmap(id="times-map")
                    yield Static(reading, id="times-note", classes="insights-note")
                with Vertical(id="returns-section", classes="insights-section"):
                    yield Static("Return per focused hour · last 4 weeks", classes="insights-title")
                    with VerticalScroll(id="returns-scroll"):
                        yield Static(id="returns-table")
                    yield Static(reading, id="returns-note", classes="insights-note")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Read every section again, in a worker (a newer read supersedes an older one)."""
        self._generation += 1
        self._load(self._generation)

    def action_reload(self) -> None:
        self.reload()

    @work(thread=True, group="insights", exclusive=True, exit_on_error=False)
    def _load(self, generation: int) -> None:
        from smtui.store.db import connect

        try:
            conn = connect(self.db_path)
        except Exception as exc:
            for section in self.loaders:
                self.post_message(SectionLoaded(generation, section, None, describe_error(exc)))
            return
        try:
            now = clock.now()
            for section, loader in self.loaders.items():
                try:
                    value = loader(conn, self.context, now)
                except Exception as exc:
                    self.post_message(SectionLoaded(generation, section, None, describe_error(exc)))
                else:
                    self.post_message(SectionLoaded(generation, section, value, None))
        finally:
            conn.close()

    async def on_section_loaded(self, message: SectionLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        section = message.section
        note = self.query_one(f"#{section}-note", Static)
        if message.error is not None:
            self.errors[section] = message.error
            self.shown.pop(section, None)
            note.update(Content.assemble(("Could not read this section: ", "bold"), message.error))
            note.add_class("-error")
            return
        self.errors.pop(section, None)
        note.remove_class("-error")
        self.shown[section] = message.value
        # Each loader returns the record of its section (see insights_data.LOADERS).
        if section == DAYS_SECTION:
            self._show_days(cast("DaySplits", message.value))
        elif section == TIMES_SECTION:
            await self._show_best_times(cast("BestTimes", message.value))
        elif section == RETURNS_SECTION:
            self._show_returns(cast("Returns", message.value))

    # --- the sections ----------------------------------------------------------------------------

    @property
    def chart(self) -> DaysChart:
        from smtui.tui.insights_chart import DaysChart

        return self.query_one(DaysChart)

    @property
    def heatmap(self) -> WeekHeatmap:
        return self.query_one(WeekHeatmap)

    def _show_days(self, splits: DaySplits) -> None:
        self.chart.show(splits)
        self.query_one("#days-note", Static).update(days_legend(splits))

    async def _show_best_times(self, found: BestTimes) -> None:
        """A tab per grid (built again only when the platforms changed, keeping the one on
        show), then the map of the platform on show."""
        self.best_times = found
        tabs = self.query_one(Tabs)
        platforms = list(found.grids)
        if platforms != self.platforms:
            active = self.platform
            await tabs.clear()
            self.platforms = platforms
            for index, name in enumerate(platforms):
                await tabs.add_tab(Tab("All" if name == ALL else name, id=f"platform-{index}"))
            if active in platforms:
                tabs.active = f"platform-{platforms.index(active)}"
        tabs.display = bool(platforms)
        self.heatmap.display = bool(self.platforms)
        self._show_platform()

    @property
    def platform(self) -> str | None:
        """The platform whose heatmap is on show (``all`` for every platform together)."""
        active = self.query_one(Tabs).active
        if not active.startswith("platform-"):
            return None
        index = int(active.removeprefix("platform-"))
        return self.platforms[index] if index < len(self.platforms) else None

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        event.stop()
        self._show_platform()

    def action_next_platform(self) -> None:
        if len(self.platforms) > 1:
            self.query_one(Tabs).action_next_tab()

    def _show_platform(self) -> None:
        found = self.best_times
        if found is None:
            return
        if not found.grids:
            self.query_one("#times-note", Static).update(
                Content(
                    f"No posts in the last {BEST_TIMES_DAYS} days: import your analytics"
                    " exports to see when your posts do best."
                )
            )
            return
        platform = self.platform
        if platform is None:
            return  # the tabs are being built: the first one shows it
        best = found.best(platform, limit=3)
        self.heatmap.show(found.grids[platform], found.min_posts, best[0] if best else None)
        self._describe_times()

    def on_week_heatmap_pointed(self, message: WeekHeatmap.Pointed) -> None:
        message.stop()
        self._describe_times()

    def _describe_times(self) -> None:
        """The legend under the map: the colour scale, the marks, the cell pointed at, and the
        best cells."""
        found, platform, heatmap = self.best_times, self.platform, self.heatmap
        cell = heatmap.pointed_cell
        if found is None or platform is None or cell is None:
            return
        rate = f"Engagement rate = {ENGAGEMENT_RATE_FORMULA}"
        if heatmap.high > 0:
            scale = Content.assemble(rate, ": ", scale_legend(heatmap.low, heatmap.high))
        else:
            scale = Content(rate)
        marks = Content(
            f"{UNKNOWN} under {found.min_posts} rated posts · {EMPTY} no posts"
            f" · hours in {found.zone}"
        )
        best = found.best(platform, limit=3)
        best_text = (
            " · ".join(f"{c.label} {percent(c.rate or 0.0)}" for c in best)
            if best
            else f"none yet (a cell needs {found.min_posts} rated posts)"
        )
        self.query_one("#times-note", Static).update(
            Content("\n").join(
                [
                    scale,
                    marks,
                    Content.assemble(("▸ ", "$accent"), describe_cell(cell, found.min_posts)),
                    Content.assemble(("Best: ", "bold"), best_text),
                ]
            )
        )

    def _show_returns(self, found: Returns) -> None:
        table = self.query_one("#returns-table", Static)
        note = self.query_one("#returns-note", Static)
        table.display = bool(found.rows)
        self.returns_drawn = None
        if found.rows:
            self.returns_drawn = returns_table(found.rows, self.app.theme_variables["success"])
            table.update(self.returns_drawn)
        outside = outside_line(found)
        if not found.rows:
            outside = " ".join(["No sessions in the last four weeks.", outside]).strip()
        note.update(Content(outside))

    # --- what tests and the command palette read ----------------------------------------------

    def note_text(self, section: str) -> str:
        """The line(s) under a section: its legend, or its error."""
        return str(self.query_one(f"#{section}-note", Static).visual)

    @property
    def returns_text(self) -> str:
        """The returns table as plain text, at the width it is drawn."""
        if self.returns_drawn is None:
            return ""
        from io import StringIO

        from rich.console import Console

        width = self.query_one("#returns-table").size.width or 80
        console = Console(width=width, file=StringIO(), record=True)
        console.print(self.returns_drawn)
        return console.export_text()

    @property
    def loaded(self) -> bool:
        """Every section shows its data or its error."""
        return all(section in self.shown or section in self.errors for section in self.loaders)
