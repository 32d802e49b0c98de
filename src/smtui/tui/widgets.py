"""The dashboard's panels and footer: each panel one widget, drawn line by line.

A panel shows its loader's record, or the error that stopped it. Rendering is split from the
widgets into small functions that turn a record into :class:`~textual.content.Content`, so
what a panel says can be checked without layout.

Why one widget per panel, drawn with Textual's line API: the dashboard stays open all day and
is started often. Every widget costs CSS matching, layout and a visit of the compositor on
every repaint, so a panel is a single widget that keeps its lines rendered, repaints only the
lines that changed (the running timer repaints only the digits that changed), and scrolls its
own lines when they do not fit (:class:`Panel`). The footer is one widget too
(:class:`KeysFooter`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual.binding import Binding
from textual.content import Content, Span
from textual.geometry import Region, Size
from textual.renderables.digits import DIGITS, DIGITS3X3, DIGITS3X3_BOLD
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import Visual
from textual.widget import Widget

from smtui.core.kinds import BUILTIN_KINDS
from smtui.core.timespec import format_duration, format_hms
from smtui.tui.data import (
    OUTCOME,
    PLAYTIME,
    PRODUCTIVE,
    RUNNING,
    GoalsView,
    RecentRow,
    RecentView,
    RunningView,
    ScoreView,
    TodayView,
)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import tzinfo

    from rich.style import Style
    from textual import events
    from textual.screen import Screen

    from smtui.core.goals import GoalProgress
    from smtui.models import Outcome, Session
    from smtui.scoring import Score

SPLIT_BAR_WIDTH = 30
GOAL_BAR_WIDTH = 8
LOADING = "Loading…"

# status: (symbol, word, style); the status names are those of smtui.core.goals.
GOAL_STATUS: dict[str, tuple[str, str, str]] = {
    "met": ("✓", "met", "$success"),
    "on_track": ("●", "on track", "$success"),
    "behind": ("▲", "behind", "$warning"),
    "over": ("✗", "over", "$error"),
}

RECENT_STATUS: dict[str, tuple[str, str]] = {
    RUNNING: ("running", "bold $accent"),
    PRODUCTIVE: ("productive", "$success"),
    PLAYTIME: ("PLAYTIME", "bold $error"),
    OUTCOME: ("outcome", "$success"),
}


def kind_label(kind: str) -> str:
    """A kind's human label (its name when no built-in kind matches)."""
    known = BUILTIN_KINDS.get(kind)
    return known.label if known is not None else kind


def split_cells(parts: list[int], scale: int, width: int) -> list[int]:
    """How many of ``width`` cells each part gets when ``scale`` fills them all.

    Cumulative rounding: the cells add up exactly to the rounded total, whatever the parts.
    """
    if scale <= 0:
        return [0 for _ in parts]
    cells: list[int] = []
    running_total = 0
    drawn = 0
    for part in parts:
        running_total += part
        edge = min(width, round(running_total * width / scale))
        cells.append(edge - drawn)
        drawn = edge
    return cells


# --- a panel: lines of text, rendered once, repainted where they changed ---------------------


def content_strips(content: Content, width: int, style: VisualStyle) -> list[Strip]:
    """``content``, a strip per line, each exactly ``width`` cells (cut with an ellipsis or
    padded) over ``style``: the few steps a panel's unwrapped lines need, not Textual's
    general text layout."""
    base = style.rich_style
    strips = []
    for line in content.split("\n", allow_blank=True):
        fitted = line.truncate(width, ellipsis=True) if line.cell_length > width else line
        segments = fitted.render_segments(style)
        strips.append(Strip(segments, fitted.cell_length).extend_cell_length(width, base))
    return strips


class Panel(Widget, can_focus=False):
    """A bordered panel showing its loader's data, or the error that kept it from loading.

    The content is kept as rendered lines (strips) for the width on show; :meth:`show_body`
    compares the new lines with those on show and repaints only the ones that differ, without
    a layout unless the number of lines changed (the panel's size is fixed by the grid, so
    only its scroll bar can depend on its content). Lines that do not fit scroll.
    """

    DEFAULT_CLASSES = "panel"
    # How a panel works; how it looks is the app's CSS (app.tcss).
    DEFAULT_CSS = """
    Panel {
        height: 100%;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    Panel.-failed {
        text-wrap: wrap;
    }
    """

    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(id=id)
        self.border_title = title
        self._body = Content(LOADING)
        self._error: str | None = None
        self._strips: list[Strip] = []
        self._strips_key: tuple[object, ...] | None = None

    # --- what it shows -----------------------------------------------------------------------

    def show(self, data: object, now: int) -> None:
        """Show freshly loaded ``data`` (read at ``now``) and clear any earlier error."""
        if self._error is not None:
            self._error = None
            self.remove_class("-failed")
            self._strips_key = None
        self.render_data(data, now)

    def render_data(self, data: object, now: int) -> None:
        raise NotImplementedError

    def show_body(self, content: Content) -> None:
        """Put ``content`` on show, repainting only the lines that changed."""
        if content.is_same(self._body):
            return
        self._body = content
        if self._error is None:
            self._update_strips()

    def show_error(self, message: str) -> None:
        self._error = message
        self.add_class("-failed")
        self._strips_key = None
        self._update_strips()

    @property
    def shown(self) -> Content:
        """What the panel draws: its body, or the error in its place."""
        if self._error is None:
            return self._body
        return Content.assemble(("Could not load this panel\n", "bold $error"), self._error)

    @property
    def error_text(self) -> str | None:
        """The error on show, if any (what a user reads; tests check it too)."""
        return None if self._error is None else self.shown.plain

    @property
    def text(self) -> str:
        """The panel body as plain text."""
        return self._body.plain

    # --- rendering ---------------------------------------------------------------------------

    def _text_width(self) -> int:
        """The cells a line has: the panel's width less its border, padding and scroll bar.

        Whether the scroll bar shows is foreseen from the number of lines, so the lines are
        rendered once for the width they end up with, not again when the bar appears.
        """
        styles = self.styles
        width = self._size.width - styles.gutter.width
        overflow = styles.overflow_y
        rows = self._size.height - styles.gutter.height
        if overflow == "scroll" or (overflow == "auto" and self._line_count() > rows):
            width -= styles.scrollbar_size_vertical
        return max(0, width)

    def _line_count(self) -> int:
        """How many lines the content takes (one per line of text: panels do not wrap)."""
        return self.shown.plain.count("\n") + 1

    def render_lines_for(self, width: int) -> list[Strip]:
        """The content's lines rendered ``width`` cells wide: a line each, cut with an
        ellipsis where too long (an error's text wraps instead, laid out by Textual)."""
        if self._error is not None:
            return Visual.to_strips(self, self.shown, width, None, self.visual_style, pad=True)
        return content_strips(self.shown, width, self.visual_style)

    def _current_strips(self) -> list[Strip]:
        """The rendered lines for the width and style on show, rendered again if they changed."""
        width = self._text_width()
        key = (width, self.visual_style, self.app.theme)
        if key != self._strips_key:
            self._strips_key = key
            self._strips = self.render_lines_for(width) if width else []
            self._fit_virtual_size(width)
        return self._strips

    def _update_strips(self) -> None:
        """Render the content again and repaint the lines that differ from those on show."""
        if not self.is_mounted or not self._size:
            self._strips_key = None
            self.refresh()
            return
        before = self._strips if self._strips_key is not None else None
        self._strips_key = None
        after = self._current_strips()
        if before is None or len(before) != len(after):
            self.refresh()
            return
        width = self._text_width()
        for index, (old, new) in enumerate(zip(before, after, strict=True)):
            if old != new:
                self.refresh(Region(0, self._row_of(index), width, 1))

    def _row_of(self, index: int) -> int:
        """Where line ``index`` of the content is drawn, in the panel's content area."""
        return index - self.scroll_offset.y

    def _fit_virtual_size(self, width: int) -> None:
        self._set_virtual_height(len(self._strips), width)

    def _set_virtual_height(self, height: int, width: int) -> None:
        """Scroll bars follow the number of lines: a layout only if one appears or goes."""
        size = Size(width, height)
        if size != self.virtual_size:
            self.set_reactive(Widget.virtual_size, size)
            self._scroll_update(size)

    def render_line(self, y: int) -> Strip:
        strips = self._current_strips()
        index = self.scroll_offset.y + y
        if 0 <= index < len(strips):
            return strips[index]
        return Strip.blank(self._text_width(), self.visual_style.rich_style)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips_key = None

    # --- scrolling its own lines (what Textual's ScrollView does) ----------------------------

    @property
    def is_scrollable(self) -> bool:
        return True

    @property
    def is_container(self) -> bool:
        return False

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        if self.show_vertical_scrollbar:
            self.vertical_scrollbar.position = new_value
        if round(old_value) != round(new_value):
            self.refresh()

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        if size_changed := self._size != size:
            self._set_dirty()
            self._strips_key = None
        if size_changed or container_size != self.container_size:
            self._scrollbar_changes.clear()
            self._size = size
            self._container_size = size - self.styles.gutter.totals
            self._current_strips()  # the virtual size follows the lines at this width
            self._scroll_update(self.virtual_size)
        return size_changed or self._container_size != container_size

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.virtual_size.height


# --- the running session ---------------------------------------------------------------------


def timebox_line(session: Session, now: int) -> Content:
    left = session.timebox_left(now)
    if left is None or session.timebox_s is None:
        return Content.styled("No timebox", "$text-muted")
    box = format_duration(session.timebox_s)
    if left >= 0:
        return Content.assemble(f"Timebox {box} · ", (f"{format_duration(left)} left", "bold"))
    return Content.assemble(f"Timebox {box} · ", (f"{format_duration(-left)} over", "bold $error"))


def outcomes_line(outcomes: list[Outcome], log_key: str) -> Content:
    if not outcomes:
        return Content.styled(f"No outcome yet: press {log_key} to log one", "$text-muted")
    labels = ", ".join(kind_label(outcome.kind) for outcome in outcomes)
    return Content.assemble(
        ("Outcomes ", "bold"), (str(len(outcomes)), "bold $success"), f" · {labels}"
    )


def render_session(
    session: Session, outcomes: list[Outcome], now: int, log_key: str = "o"
) -> Content:
    """The lines under the timer: where and why, the timebox, the outcomes so far."""
    head = [(session.platform, "bold")]
    if session.intent:
        head.append((f" · {session.intent}", ""))
    if session.paused:
        head.append(("  PAUSED ", "bold reverse $warning"))
    return Content("\n").join(
        [Content.assemble(*head), timebox_line(session, now), outcomes_line(outcomes, log_key)]
    )


def render_idle(start_key: str) -> Content:
    return Content.assemble(
        "No session running.\n\nPress ", (f" {start_key} ", "bold reverse"), " to start a session."
    )


def timer_rows(value: str, bold: bool) -> tuple[str, str, str]:
    """``value`` (``0:10:05``) in Textual's 3x3 digits: three rows, three cells a character."""
    font = DIGITS3X3_BOLD if bold else DIGITS3X3
    rows: tuple[list[str], list[str], list[str]] = ([], [], [])
    for character in value:
        position = DIGITS.find(character) * 3
        for row, glyph in zip(rows, font[position : position + 3], strict=True):
            row.append(glyph.ljust(3))
    return "".join(rows[0]), "".join(rows[1]), "".join(rows[2])


def changed_columns(before: str, after: str) -> tuple[int, int] | None:
    """The first and last character that differ between two timer values of one length."""
    changed = [index for index, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    return (changed[0], changed[-1]) if changed else None


class SessionPanel(Panel):
    """The running session with a large timer, or an invitation to start one.

    While a session runs, the timer takes the first three lines. Each second only the digits
    that changed are drawn again and repainted: a tick costs a few cells, not the panel (nor
    the screen).
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"session-panel--timer"}
    TIMER_ROWS = 3

    def __init__(self, keys: dict[str, str], *, id: str) -> None:
        """``keys`` maps the ``start`` and ``log`` binding ids to the keys shown in hints."""
        super().__init__("Session", id=id)
        self.keys = keys
        self.view: RunningView | None = None
        self.timer_text = "0:00:00"
        self._timer_strips: list[Strip] = []
        self._timer_key: tuple[object, ...] | None = None
        self._timer_style: Style | None = None
        self._timer_on = False
        self._body_key: tuple[object, ...] | None = None

    @property
    def session(self) -> Session | None:
        return self.view.session if self.view is not None else None

    def render_data(self, data: object, now: int) -> None:
        assert isinstance(data, RunningView)
        self.view = data
        self.tick(now)

    def tick(self, now: int) -> None:
        """Bring the timer and the timebox line up to ``now`` (called once a second)."""
        session = self.session
        self.set_class(session is None, "-idle")
        if session is None:
            self.remove_class("-paused", "-overtime")
            self._body_key = None
            self._show_timer(False)
            self.show_body(render_idle(self.keys.get("start", "s")))
            return
        assert self.view is not None
        left = session.timebox_left(now)
        self.set_class(session.paused, "-paused")
        self.set_class(left is not None and left < 0, "-overtime")
        self._set_timer(format_hms(session.active_seconds(now)))
        self._show_timer(True)
        # The lines under the timer change with the data, or when the timebox's minutes (or,
        # in its last minute, seconds) do: not worth building again every second otherwise.
        key = (
            self.view,
            None if left is None else format_duration(abs(left)),
            left is not None and left < 0,
        )
        if key != self._body_key:
            self._body_key = key
            log_key = self.keys.get("log", "o")
            self.show_body(render_session(session, self.view.outcomes, now, log_key))

    def _show_timer(self, on: bool) -> None:
        """The timer comes or goes: every line moves, so all of it is drawn again."""
        if on != self._timer_on:
            self._timer_on = on
            self._strips_key = None
            self.refresh()

    def _set_timer(self, value: str) -> None:
        before = self.timer_text
        if value == before:
            return
        self.timer_text = value
        if self._timer_key is None or not self._timer_on:
            return  # not on screen yet: drawn from scratch when it is
        span = changed_columns(before, value) if len(before) == len(value) else None
        if span is None:
            self.refresh(Region(0, 0, self._text_width(), self.TIMER_ROWS))
        else:
            first, last = span
            self.refresh(Region(first * 3, 0, (last - first + 1) * 3, self.TIMER_ROWS))

    @property
    def _timer_rows(self) -> int:
        return self.TIMER_ROWS if self._timer_on and self._error is None else 0

    def _current_timer(self, width: int) -> list[Strip]:
        style = self._timer_style
        if style is None:  # looked up once per change of style, not once a line a second
            style = self._timer_style = self.get_component_rich_style("session-panel--timer")
        key = (width, style, self.timer_text)
        if key != self._timer_key:
            self._timer_key = key
            base = self.visual_style.rich_style
            self._timer_strips = [
                Strip([Segment(row, base + style)]).extend_cell_length(width, base)
                for row in timer_rows(self.timer_text, bool(style.bold))
            ]
        return self._timer_strips

    def render_line(self, y: int) -> Strip:
        rows = self._timer_rows
        if y < rows:
            return self._current_timer(self._text_width())[y]
        return super().render_line(y - rows)

    def _row_of(self, index: int) -> int:
        return index + self._timer_rows  # under the timer; the panel never scrolls

    def _line_count(self) -> int:
        return super()._line_count() + self._timer_rows

    def _fit_virtual_size(self, width: int) -> None:
        self._set_virtual_height(len(self._strips) + self._timer_rows, width)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._timer_key = None
        self._timer_style = None


# --- today -----------------------------------------------------------------------------------


def render_today(view: TodayView) -> Content:
    """A bar of the day's split, the three parts, and the total against the budget."""
    split = view.split
    parts = [split.productive_s, split.playtime_s, split.running_s]
    scale = max(split.total_s, view.budget_s or 0)
    cells = split_cells(parts, scale, SPLIT_BAR_WIDTH)
    bar = Content.assemble(
        ("█" * cells[0], "$success"),
        ("█" * cells[1], "$error"),
        ("█" * cells[2], "$primary"),
        ("·" * (SPLIT_BAR_WIDTH - sum(cells)), "$text-muted"),
    )
    lines = [
        bar,
        Content.assemble(
            ("■ ", "$success"), f"Productive {format_duration(split.productive_s):>7}"
        ),
        Content.assemble(("■ ", "$error"), f"Playtime   {format_duration(split.playtime_s):>7}"),
        Content.assemble(("■ ", "$primary"), f"Running    {format_duration(split.running_s):>7}"),
        Content.assemble(
            ("  Total      ", "bold"), (f"{format_duration(split.total_s):>7}", "bold")
        ),
    ]
    left = view.budget_left_s
    if view.budget_s is None or left is None:
        lines.append(Content.styled("  No daily budget set", "$text-muted"))
    elif left >= 0:
        budget = format_duration(view.budget_s)
        lines.append(Content(f"  Budget {budget} · {format_duration(left)} left"))
    else:
        budget = format_duration(view.budget_s)
        over = Content.styled(f"{format_duration(-left)} over", "bold $error")
        lines.append(Content.assemble(f"  Budget {budget} · ", over))
    return Content("\n").join(lines)


class TodayPanel(Panel):
    def __init__(self, *, id: str) -> None:
        super().__init__("Today", id=id)

    def render_data(self, data: object, now: int) -> None:
        assert isinstance(data, TodayView)
        self.show_body(render_today(data))


# --- goals -----------------------------------------------------------------------------------


def goal_line(progress: GoalProgress) -> Content:
    """``● ████░░░░ Two leads a week · 1/2 · on track``, coloured by status."""
    from smtui.core.goals import format_value

    goal = progress.goal
    symbol, word, style = GOAL_STATUS.get(progress.status, ("?", progress.status, ""))
    completion = progress.completion
    filled = (
        GOAL_BAR_WIDTH
        if completion is None
        else min(GOAL_BAR_WIDTH, round(completion * GOAL_BAR_WIDTH))
    )
    value = format_value(goal.measure, progress.value)
    target = format_value(goal.measure, progress.target)
    return Content.assemble(
        (f"{symbol} ", style),
        ("█" * filled, style),
        ("░" * (GOAL_BAR_WIDTH - filled), "$text-muted"),
        (f" {goal.name}", "bold"),
        f" · {value}/{target} · ",
        (word, style),
    )


def render_goals(view: GoalsView) -> Content:
    if not view.progress:
        return Content.styled("No goals yet: add one with `smtui goals add`.", "$text-muted")
    return Content("\n").join(goal_line(progress) for progress in view.progress)


class GoalsPanel(Panel):
    def __init__(self, *, id: str) -> None:
        super().__init__("Goals", id=id)

    def render_data(self, data: object, now: int) -> None:
        assert isinstance(data, GoalsView)
        self.show_body(render_goals(data))


# --- score -----------------------------------------------------------------------------------


def score_value_text(score: Score) -> str:
    """The value alone (``73%``, ``4.2 points/h``), or ``""`` when the strategy has none."""
    if score.value is None:
        return ""
    if score.unit == "share":
        return f"{score.value:.0%}"
    return f"{score.value:.3g} {score.unit}".strip()


def render_pairs(pairs: Sequence[tuple[str, str]]) -> list[Content]:
    """``label  value`` lines, the labels muted and aligned (at most 24 cells wide)."""
    width = min(24, max((len(label) for label, _ in pairs), default=0))
    return [
        Content.assemble((f"{label:<{width}}", "$text-muted"), f"  {value}")
        for label, value in pairs
    ]


def render_score(score: Score) -> Content:
    """The verdict on the first line, then the breakdown that explains it."""
    value = score_value_text(score)
    head = score.label if not value or value in score.label else f"{value} · {score.label}"
    lines = [Content.styled(head, "bold $accent"), *render_pairs(score.breakdown)]
    return Content("\n").join(lines)


class ScorePanel(Panel):
    def __init__(self, *, id: str) -> None:
        super().__init__("Score", id=id)

    def render_data(self, data: object, now: int) -> None:
        assert isinstance(data, ScoreView)
        self.border_title = f"Score · {data.title}"
        self.show_body(render_score(data.score))


# --- latest activity -------------------------------------------------------------------------

RECENT_COLUMNS = ("When", "Platform", "Intent", "Time", "Status", "Outcomes")
# The widest a column may grow to (its cells are cut with an ellipsis beyond); the last column
# takes the room that is left. Time is right-aligned.
RECENT_MAX_WIDTHS = (11, 12, 16, 7, 10)
RIGHT_ALIGNED = frozenset({3})
STATUS_COLUMN = 4
COLUMN_GAP = 2


def when_text(instant: int, today_start: int, zone: tzinfo) -> str:
    """``14:05`` today, ``03-01 14:05`` on another day."""
    local = datetime.fromtimestamp(instant, zone)
    return local.strftime("%H:%M" if instant >= today_start else "%m-%d %H:%M")


class RecentCells(NamedTuple):
    """One row of the latest activity: its cells as text, and the style of its status."""

    cells: tuple[str, ...]
    status_style: str


def recent_cells(row: RecentRow, today_start: int, zone: tzinfo) -> RecentCells:
    word, style = RECENT_STATUS.get(row.status, (row.status, ""))
    active = "" if row.active_s is None else format_duration(row.active_s)
    kinds = ", ".join(kind_label(kind) for kind in row.kinds)
    cells = (when_text(row.at, today_start, zone), row.platform, row.intent, active, word, kinds)
    return RecentCells(cells, style)


def column_widths(rows: Sequence[tuple[str, ...]], width: int) -> list[int]:
    """Each column's width for ``rows`` in ``width`` cells: as wide as its widest cell (or
    header) up to its limit; the last column takes what is left.

    Measured here, from the rows themselves, at the moment they are drawn: the columns can
    never be narrower than cells already on screen.
    """
    widths = [
        min(limit, max([cell_len(title), *(cell_len(row[index]) for row in rows)]))
        for index, (title, limit) in enumerate(zip(RECENT_COLUMNS, RECENT_MAX_WIDTHS, strict=False))
    ]
    used = sum(widths) + COLUMN_GAP * len(widths)
    widths.append(max(0, width - used))
    return widths


def fit(text: str, width: int, *, right: bool = False) -> str:
    """``text`` in exactly ``width`` cells: cut with an ellipsis, or padded."""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…" if width > 0 else ""
    pad = " " * (width - length)
    return pad + text if right else text + pad


def table_line(cells: Sequence[str], widths: Sequence[int]) -> tuple[str, list[int]]:
    """The cells laid out in their columns, and where each column starts."""
    parts: list[str] = []
    starts: list[int] = []
    offset = 0
    for index, (cell, width) in enumerate(zip(cells, widths, strict=True)):
        starts.append(offset)
        parts.append(fit(cell, width, right=index in RIGHT_ALIGNED))
        offset += width + COLUMN_GAP
    return (" " * COLUMN_GAP).join(parts), starts


def render_recent_rows(rows: Sequence[RecentCells], width: int) -> tuple[Content, list[Content]]:
    """The header line and one line per row, laid out for ``width`` cells."""
    widths = column_widths([row.cells for row in rows], width)
    header, _ = table_line(RECENT_COLUMNS, widths)
    lines = []
    for row in rows:
        text, starts = table_line(row.cells, widths)
        status = STATUS_COLUMN
        span = Span(starts[status], starts[status] + widths[status], row.status_style)
        lines.append(Content(text, [span]))
    return Content.styled(header, "bold $text-primary"), lines


class RecentPanel(Panel, can_focus=True):
    """The latest sessions and outcomes; playtime stands out.

    A table drawn by the panel itself: the header stays put while the rows scroll under it
    (keys or wheel). The columns are measured from the rows when they are drawn.
    """

    BINDINGS: ClassVar = [
        Binding("up", "scroll_up", "Scroll up", show=False),
        Binding("down", "scroll_down", "Scroll down", show=False),
        Binding("home", "scroll_home", "Scroll home", show=False),
        Binding("end", "scroll_end", "Scroll end", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
    ]

    def __init__(self, zone: tzinfo, *, id: str) -> None:
        super().__init__("Latest sessions and outcomes", id=id)
        self.zone = zone
        self.rows: list[RecentCells] = []
        self._loaded = False

    def render_data(self, data: object, now: int) -> None:
        assert isinstance(data, RecentView)
        rows = [recent_cells(row, data.today_start, self.zone) for row in data.rows]
        if self._loaded and rows == self.rows:
            return
        self._loaded = True
        self.rows = rows
        self._body = Content("\n").join(" | ".join(row.cells) for row in rows)
        self._update_strips()

    def render_lines_for(self, width: int) -> list[Strip]:
        if self._error is not None or not self._loaded:
            return super().render_lines_for(width)
        header, lines = render_recent_rows(self.rows, width)
        if not lines:
            lines = [Content.styled("—  nothing yet", "$text-muted")]
        return content_strips(Content("\n").join([header, *lines]), width, self.visual_style)

    def render_line(self, y: int) -> Strip:
        """The header on the first line whatever the scroll, the rows under it."""
        if y == 0:
            strips = self._current_strips()
            if strips:
                return strips[0]
        return super().render_line(y)

    def _row_of(self, index: int) -> int:
        return 0 if index == 0 else index - self.scroll_offset.y

    def _line_count(self) -> int:
        if self._error is not None or not self._loaded:
            return super()._line_count()
        return 1 + max(1, len(self.rows))

    @property
    def text(self) -> str:
        """The rows as plain text, cells separated by `` | ``."""
        if not self.rows:
            return "— | nothing yet" if self._loaded else LOADING
        return self._body.plain


# --- the footer ------------------------------------------------------------------------------


class ShownKey(NamedTuple):
    """A key the footer shows, and where: cells ``start`` to ``end`` (excluded)."""

    key: str
    action: str
    display: str
    description: str
    enabled: bool
    tooltip: str
    start: int
    end: int


class KeysFooter(Widget, can_focus=False):
    """The keys of the screen on show, on one line: a click presses the key.

    What Textual's ``Footer`` shows (the bindings marked ``show``, dimmed when they cannot
    apply now, the command palette's key on the right), drawn by one widget instead of one
    per key, and drawn again only when the bindings change.
    """

    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[ShownKey] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.refresh()

    def render(self) -> Content:
        app = self.app
        active = self.screen.active_bindings
        parts: list[Content] = []
        keys: list[ShownKey] = []
        seen: set[str] = set()
        offset = 0

        def add(binding: Binding, enabled: bool, tooltip: str, *, lead: str = "") -> None:
            nonlocal offset
            display = app.get_key_display(binding)
            key_style = "bold $footer-key-foreground" if enabled else "bold dim"
            text_style = "$footer-description-foreground" if enabled else "dim"
            part = Content.assemble(
                lead, (display, key_style), (f" {binding.description}", text_style)
            )
            start = offset + cell_len(lead)
            offset += part.cell_length
            keys.append(
                ShownKey(
                    binding.key,
                    binding.action,
                    display,
                    binding.description,
                    enabled,
                    tooltip or binding.tooltip or binding.description,
                    start,
                    offset,
                )
            )
            parts.append(part)

        for _node, binding, enabled, tooltip in active.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            add(binding, enabled, tooltip, lead=" " if parts else "")
        palette = active.get(app.COMMAND_PALETTE_BINDING) if app.ENABLE_COMMAND_PALETTE else None
        if palette is not None:
            _node, binding, enabled, _tooltip = palette
            left = Content("").join(parts)
            room = self.size.width - left.cell_length - cell_len(binding.description) - 4
            offset += max(1, room)
            parts.append(Content(" " * max(1, room)))
            add(binding, enabled, binding.tooltip, lead="▏")
            parts[-1] = parts[-1].stylize("$foreground 20%", 0, 1)
        self.keys = keys
        return Content("").join(parts)

    def key_at(self, x: int) -> ShownKey | None:
        for key in self.keys:
            if key.start <= x < key.end:
                return key
        return None

    def on_click(self, event: events.Click) -> None:
        key = self.key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self.key_at(event.x)
        tooltip = key.tooltip if key is not None else None
        if tooltip != self.tooltip:
            self.tooltip = tooltip
