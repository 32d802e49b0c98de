"""The week heatmap of the Insights screen: one cell per weekday and hour, coloured by the
engagement rate of the posts published then.

Colours run along the viridis scale (dark blue for the grid's lowest known rate, yellow for its
highest), which reads the same to most colour-blind eyes and on dark and light themes. A cell
whose rate rests on too few posts shows ``?`` and one without posts ``·``: they are not a
colour, so they cannot pass for a poor hour. One cell is *pointed at*: the best one at first,
then the one the arrow keys move to or the mouse is over; the screen's legend describes it
(posts, rated posts, rate) and so does the cell's tooltip.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding
from textual.color import Color, Gradient
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from smtui.core.analytics_times import WEEKDAYS

if TYPE_CHECKING:
    from textual.events import MouseMove

    from smtui.core.analytics_times import Cell

HOURS = 24
LABEL_WIDTH = 4  # "Mon "
# Columns per hour: at least 2 (80 columns), at most 6 (room for "12.5" and a gap).
MIN_CELL, MAX_CELL = 2, 6
# From this width a cell holds its rate in percent; from 3 a column between cells stays blank.
NUMBER_CELL = 4
VIRIDIS = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")
SCALE = Gradient(*((i / (len(VIRIDIS) - 1), colour) for i, colour in enumerate(VIRIDIS)))
UNKNOWN, EMPTY = "?", "·"


def percent(rate: float) -> str:
    return f"{rate * 100:.2f}%"


def posts_text(count: int) -> str:
    return f"{count} post" if count == 1 else f"{count} posts"


def describe_cell(cell: Cell, min_posts: int) -> str:
    """What a cell rests on, in one line: ``Tue 09:00 · 4 posts, 3 rated · 4.21%``."""
    if not cell.posts:
        return f"{cell.label} · no posts"
    rated = f"{posts_text(cell.posts)}, {cell.rated_posts} rated"
    if cell.rate is None:
        return f"{cell.label} · {rated} · under {min_posts} rated: no rate yet"
    return f"{cell.label} · {rated} · {percent(cell.rate)}"


def rate_colour(rate: float, low: float, high: float) -> Color:
    """The colour of ``rate`` on the scale from the grid's ``low`` to its ``high`` rate."""
    position = 1.0 if high <= low else (rate - low) / (high - low)
    return SCALE.get_color(position)


def scale_legend(low: float, high: float) -> Content:
    """``1.50% ■■■■■ 4.21%``: the scale over the grid's own range, lowest rate first."""
    blocks = [(" ", f"on {colour}") for colour in VIRIDIS]
    return Content.assemble(percent(low), " ", *blocks, " ", percent(high))


class WeekHeatmap(Widget, can_focus=True):
    """Seven rows of 24 hours under a row of hour labels; :attr:`pointed` is the index
    (``weekday * 24 + hour``) of the cell pointed at."""

    DEFAULT_CSS = """
    WeekHeatmap {
        height: 8;
        width: 1fr;
    }
    """
    BINDINGS: ClassVar = [
        Binding("left", "move(-1)", "Earlier hour", show=False),
        Binding("right", "move(1)", "Later hour", show=False),
        Binding("up", "move(-24)", "Day before", show=False),
        Binding("down", "move(24)", "Day after", show=False),
    ]

    pointed: reactive[int] = reactive(0)

    class Pointed(Message):
        """Another cell is pointed at."""

        def __init__(self, cell: Cell) -> None:
            super().__init__()
            self.cell = cell

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.grid: list[Cell] = []
        self.min_posts = 1
        self.low = self.high = 0.0

    def show(self, grid: list[Cell], min_posts: int, best: Cell | None) -> None:
        """Draw ``grid`` (168 cells, Monday 00:00 first), pointing at ``best`` if there is one."""
        self.grid = grid
        self.min_posts = min_posts
        rates = [cell.rate for cell in grid if cell.rate is not None]
        self.low, self.high = (min(rates), max(rates)) if rates else (0.0, 0.0)
        index = self.pointed if best is None else best.weekday * HOURS + best.hour
        self.set_reactive(WeekHeatmap.pointed, index)
        self.watch_pointed(index)
        self.refresh()

    @property
    def pointed_cell(self) -> Cell | None:
        return self.grid[self.pointed] if self.grid else None

    def watch_pointed(self, index: int) -> None:
        cell = self.pointed_cell
        if cell is None:
            return
        self.tooltip = describe_cell(cell, self.min_posts)
        self.post_message(self.Pointed(cell))
        self.refresh()

    def action_move(self, step: int) -> None:
        self.pointed = (self.pointed + step) % (7 * HOURS)

    # --- drawing -------------------------------------------------------------------------------

    @property
    def cell_width(self) -> int:
        return max(MIN_CELL, min(MAX_CELL, (self.size.width - LABEL_WIDTH) // HOURS))

    def cell_at(self, x: int, y: int) -> int | None:
        """The index of the cell at ``(x, y)`` in the widget, None off the cells."""
        hour = (x - LABEL_WIDTH) // self.cell_width
        if x < LABEL_WIDTH or not 0 <= hour < HOURS or not 1 <= y <= len(WEEKDAYS):
            return None
        return (y - 1) * HOURS + hour

    def on_mouse_move(self, event: MouseMove) -> None:
        index = self.cell_at(event.x, event.y)
        if index is not None and self.grid:
            self.pointed = index

    def render(self) -> Content:
        width = self.cell_width
        lines = [self._hours_line(width)]
        for weekday, name in enumerate(WEEKDAYS):
            parts: list[Content] = [Content.styled(f"{name:<{LABEL_WIDTH}}", "bold")]
            for hour in range(HOURS):
                parts.append(self._cell(weekday * HOURS + hour, width))
            lines.append(Content.assemble(*parts))
        return Content("\n").join(lines)

    def _hours_line(self, width: int) -> Content:
        """Every hour from 3 columns a cell; else every third hour."""
        every = 1 if width >= 3 else 3
        labels = "".join(
            f"{hour:02d}".ljust(width) if hour % every == 0 else " " * width
            for hour in range(HOURS)
        )
        return Content.styled(" " * LABEL_WIDTH + labels, "$text-muted")

    def _cell(self, index: int, width: int) -> Content:
        """A cell: its colour (and rate when there is room), ``?`` or ``·``; a blank column
        after it from 3 columns a cell; the cell pointed at reversed while the map has focus."""
        fill = width - 1 if width >= 3 else width
        gap = " " * (width - fill)
        cell = self.grid[index] if self.grid else None
        pointed = index == self.pointed and self.has_focus
        if cell is None or cell.rate is None:
            mark = EMPTY if cell is None or not cell.posts else UNKNOWN
            style = "$text-muted" if mark == UNKNOWN else "$text-disabled"
            if pointed:
                style += " reverse"
            return Content.assemble((mark.center(fill), style), gap)
        colour = rate_colour(cell.rate, self.low, self.high)
        text = f"{cell.rate * 100:.1f}" if width >= NUMBER_CELL else ""
        if len(text) > fill:
            text = f"{cell.rate * 100:.0f}"
        style = f"{colour.get_contrast_text().hex} on {colour.hex}"
        if pointed:
            style += " bold reverse"
        return Content.assemble((text.center(fill), style), gap)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    @property
    def text(self) -> str:
        """The map as plain text (what a test reads)."""
        return str(self.render())
