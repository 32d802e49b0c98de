"""The dashboard's panels: each shows one loader's record, or the error that stopped it.

Rendering is split from the widgets into small functions that turn a record into
:class:`~textual.content.Content`, so what a panel says can be checked without layout.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Digits, Static

from smtui.core.goals import BEHIND, MET, ON_TRACK, OVER, format_value
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

    from textual.app import ComposeResult

    from smtui.core.goals import GoalProgress
    from smtui.models import Outcome, Session
    from smtui.scoring import Score

SPLIT_BAR_WIDTH = 30
GOAL_BAR_WIDTH = 8

GOAL_STATUS: dict[str, tuple[str, str, str]] = {
    # status: (symbol, word, style)
    MET: ("✓", "met", "$success"),
    ON_TRACK: ("●", "on track", "$success"),
    BEHIND: ("▲", "behind", "$warning"),
    OVER: ("✗", "over", "$error"),
}

# Table cells are Rich text: theme variables do not reach them, so these are plain colours.
RECENT_STATUS: dict[str, tuple[str, str]] = {
    RUNNING: ("running", "bold cyan"),
    PRODUCTIVE: ("productive", "green"),
    PLAYTIME: ("PLAYTIME", "bold red"),
    OUTCOME: ("outcome", "green"),
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


def text_shape(content: Content) -> tuple[int, ...]:
    """The width of each line: text of the same shape takes the same room on screen."""
    return tuple(cell_len(line) for line in content.plain.split("\n"))


class PanelBody(Static):
    """A panel's text, shown with as little work as it takes.

    The panels are read again every minute while a session runs (and after every change), and
    ``Static.update`` lays the whole screen out again: text already on show is left alone, and
    text of the same shape (line count and widths) is only repainted.
    """

    def __init__(self, content: str = "Loading…") -> None:
        super().__init__(content, classes="panel-body")
        self.shown: Content | None = None

    def show(self, content: Content) -> None:
        before = self.shown
        if before is not None and before.is_same(content):
            return
        self.shown = content
        self.update(content, layout=before is None or text_shape(before) != text_shape(content))


class Panel(Vertical):
    """A bordered panel showing its loader's data, or the error that kept it from loading."""

    DEFAULT_CLASSES = "panel"

    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(id=id)
        self.border_title = title

    def compose(self) -> ComposeResult:
        yield from self.compose_body()
        yield Static("", classes="panel-error")

    def compose_body(self) -> ComposeResult:
        yield PanelBody()

    def show(self, data: object, now: int) -> None:
        """Show freshly loaded ``data`` (read at ``now``) and clear any earlier error."""
        self.remove_class("-failed")
        self.render_data(data, now)

    def render_data(self, data: object, now: int) -> None:
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        error = self.query_one(".panel-error", Static)
        error.update(Content.assemble(("Could not load this panel\n", "bold $error"), message))
        self.add_class("-failed")

    @property
    def error_text(self) -> str | None:
        """The error on show, if any (what a user reads; tests check it too)."""
        if not self.has_class("-failed"):
            return None
        return str(self.query_one(".panel-error", Static).visual)

    @property
    def text(self) -> str:
        """The panel body as plain text."""
        return str(self.query_one(".panel-body", Static).visual)


class SessionPanel(Panel):
    """The running session with a large timer, or an invitation to start one."""

    def __init__(self, keys: dict[str, str], *, id: str) -> None:
        """``keys`` maps the ``start`` and ``log`` binding ids to the keys shown in hints."""
        super().__init__("Session", id=id)
        self.keys = keys
        self.view: RunningView | None = None

    def compose_body(self) -> ComposeResult:
        yield Digits("0:00:00", id="timer")
        yield PanelBody()

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
            self.query_one(PanelBody).show(render_idle(self.keys.get("start", "s")))
            return
        assert self.view is not None
        left = session.timebox_left(now)
        self.set_class(session.paused, "-paused")
        self.set_class(left is not None and left < 0, "-overtime")
        self.query_one("#timer", Digits).update(format_hms(session.active_seconds(now)))
        # Mostly the same text as a second ago: PanelBody then leaves it alone.
        self.query_one(PanelBody).show(
            render_session(session, self.view.outcomes, now, self.keys.get("log", "o"))
        )

    @property
    def timer_text(self) -> str:
        return self.query_one("#timer", Digits).value


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
        self.query_one(PanelBody).show(render_today(data))


# --- goals -----------------------------------------------------------------------------------


def goal_line(progress: GoalProgress) -> Content:
    """``● ████░░░░ Two leads a week · 1/2 · on track``, coloured by status."""
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
        self.query_one(PanelBody).show(render_goals(data))


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
        self.query_one(PanelBody).show(render_score(data.score))


# --- latest activity -------------------------------------------------------------------------

RECENT_COLUMNS = ("When", "Platform", "Intent", "Time", "Status", "Outcomes")


def when_text(instant: int, today_start: int, zone: tzinfo) -> str:
    """``14:05`` today, ``03-01 14:05`` on another day."""
    local = datetime.fromtimestamp(instant, zone)
    return local.strftime("%H:%M" if instant >= today_start else "%m-%d %H:%M")


def recent_cells(row: RecentRow, today_start: int, zone: tzinfo) -> tuple[Text, ...]:
    word, style = RECENT_STATUS.get(row.status, (row.status, ""))
    active = "" if row.active_s is None else format_duration(row.active_s)
    kinds = ", ".join(kind_label(kind) for kind in row.kinds)
    return (
        Text(when_text(row.at, today_start, zone)),
        Text(row.platform),
        Text(row.intent),
        Text(active, justify="right"),
        Text(word, style=style),
        Text(kinds),
    )


class RecentPanel(Panel):
    """The latest sessions and outcomes; playtime stands out."""

    def __init__(self, zone: tzinfo, *, id: str) -> None:
        super().__init__("Latest sessions and outcomes", id=id)
        self.zone = zone
        # What the table shows: (row key, cells) per row, to change only what changed.
        self.shown: list[tuple[str, tuple[Text, ...]]] = []

    def compose_body(self) -> ComposeResult:
        table: DataTable[Text] = DataTable(cursor_type="row", classes="panel-body")
        table.add_columns(*RECENT_COLUMNS)
        yield table

    def render_data(self, data: object, now: int) -> None:
        assert isinstance(data, RecentView)
        rows = [
            (f"{row.status}-{row.id}", recent_cells(row, data.today_start, self.zone))
            for row in data.rows
        ] or [
            ("empty", (Text("—"), Text("nothing yet", style="dim"), *(Text("") for _ in range(4))))
        ]
        table: DataTable[Text] = self.query_one(DataTable)
        if [key for key, _ in rows] == [key for key, _ in self.shown]:
            # The same rows (a running session's minute went by): update the cells that
            # changed, in place, instead of building the table again.
            columns = list(table.columns)
            for (key, cells), (_, before) in zip(rows, self.shown, strict=True):
                for column, cell, old in zip(columns, cells, before, strict=True):
                    # Text equality ignores the base style: compare it too.
                    if cell != old or (cell.style, cell.justify) != (old.style, old.justify):
                        table.update_cell(key, column, cell, update_width=True)
        else:
            table.clear()
            for key, cells in rows:
                table.add_row(*cells, key=key)
        self.shown = rows

    @property
    def text(self) -> str:
        table: DataTable[Text] = self.query_one(DataTable)
        return "\n".join(
            " | ".join(str(cell) for cell in table.get_row_at(index))
            for index in range(table.row_count)
        )
