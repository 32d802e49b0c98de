"""The Insights screen's chart of time per day: productive, playtime and running hours stacked.

Drawn by Plotext through ``textual-plotext`` (Textualize's widget for it), which sizes the plot
to the widget and follows the app's theme for its background and axes. This module is the only
one that imports them: the Insights screen imports it when it is first shown, so neither the
dashboard's start nor the help screen pays for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.color import Color
from textual_plotext import PlotextPlot

if TYPE_CHECKING:
    from textual.theme import Theme

    from smtui.tui.insights_data import DaySplits

# The parts of each bar, bottom up, with the theme colour the Today panel gives each.
PARTS: tuple[tuple[str, str], ...] = (
    ("productive", "success"),
    ("playtime", "error"),
    ("running", "primary"),
)
# A label under the first day and every seventh day after it (one a week fits 80 columns).
LABEL_EVERY = 7
# Each bar takes this share of its day's columns, drawn with half blocks: at 80 columns
# (2.5 columns a day) that leaves a gap between days that whole blocks could not.
BAR_WIDTH = 0.6


def hour_ticks(highest: float) -> tuple[list[float], list[str]]:
    """Whole-hour ticks from 0 to just above ``highest``: every hour, or every 2, 4, ... hours
    so that at most six show."""
    top = max(1, int(highest) + (0 if highest == int(highest) else 1))
    step = 1
    while top / step > 5:
        step *= 2
    ticks = list(range(0, top + step, step))
    return [float(t) for t in ticks], [f"{t}h" for t in ticks]


class DaysChart(PlotextPlot):
    """Hours per day as stacked bars, oldest day left; :attr:`series` holds what is drawn."""

    DEFAULT_CSS = """
    DaysChart {
        height: 14;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.splits: DaySplits | None = None
        self.series: dict[str, list[float]] = {}

    def on_mount(self) -> None:
        # The bars take the theme's colours: drawn again when the theme changes.
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme: Theme) -> None:
        if self.splits is not None:
            self.show(self.splits)

    def show(self, splits: DaySplits) -> None:
        """Draw ``splits``: a bar per day, its parts stacked (running only while one runs)."""
        self.splits = splits
        self.series = {}
        for part, _ in PARTS:
            hours = splits.hours(part)
            if part != "running" or any(hours):
                self.series[part] = hours
        variables = self.app.theme_variables
        colours = [
            Color.parse(variables[colour]).rgb for part, colour in PARTS if part in self.series
        ]
        plt = self.plt
        plt.clear_data()
        positions = list(range(len(splits.days)))
        # Stacked by hand, top part first, each part of each day a bar of its own: Plotext's
        # stacked_bar draws a part of zero as blanks over the baseline row of the parts above.
        below = [0.0] * len(positions)
        layers = []
        for hours, colour in zip(self.series.values(), colours, strict=True):
            below = [base + part for base, part in zip(below, hours, strict=True)]
            layers.append((below, hours, colour))
        for tops, hours, colour in reversed(layers):
            for day in positions:
                if hours[day] > 0:
                    plt.bar(
                        [day],
                        [tops[day]],
                        color=colour,
                        width=BAR_WIDTH,
                        marker="hd",
                        reset_ticks=False,
                    )
        # Whole bars at both ends, not halves cut by the frame.
        plt.xlim(-BAR_WIDTH, len(positions) - 1 + BAR_WIDTH)
        labelled = positions[::LABEL_EVERY]
        if positions and positions[-1] not in labelled:
            labelled.append(positions[-1])
        plt.xticks(
            [float(p) for p in labelled],
            [splits.days[p].strftime("%b %d") for p in labelled],
        )
        totals = [sum(parts) for parts in zip(*self.series.values(), strict=True)]
        ticks, labels = hour_ticks(max(totals, default=0.0))
        plt.ylim(0, ticks[-1])
        plt.yticks(ticks, labels)
        self.refresh()
