"""The Goals screen: every goal with its progress and pace; add, edit and remove goals.

Progress comes from :func:`smtui.core.goals.progress_all`, the function ``smtui goals list``
uses, read in a worker. The form checks what needs no database before saving (a name, a
subject the measure requires, a target in the measure's unit), saying which field is wrong and
what it takes, with the cursor on it; then :func:`smtui.tui.forms.save_goal_action` validates
the rest as the command line does, and any error stays in the form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Checkbox, Input, Label, Select, Static

from smtui import clock
from smtui.core.goals import BEHIND, MET, ON_TRACK, OVER, format_value
from smtui.core.measures import MEASURES, SUBJECT_NONE, get_measure
from smtui.core.periods import PERIODS
from smtui.models import POST_METRICS
from smtui.tui.fields import FuzzyField
from smtui.tui.forms import (
    GoalDraft,
    check_goal_draft,
    delete_goal_action,
    goal_fields,
    save_goal_action,
    target_hint,
)
from smtui.tui.modals import Dialog, field_row
from smtui.tui.screen_base import StoreScreen

if TYPE_CHECKING:
    import sqlite3

    from textual.app import ComposeResult

    from smtui.config import Config
    from smtui.core.goals import Goal, GoalProgress
    from smtui.tui.choices import Choices

GOAL_COLUMNS = ("", "Goal", "Progress", "Status", "Pace", "Expected", "Period")
BAR_WIDTH = 8
# Below this many columns goal names are cut to NARROW_NAME_WIDTH, so that the status shows
# (the line under the table names the highlighted goal in full).
WIDE_SCREEN = 100
NARROW_NAME_WIDTH = 26
# Table cells are Rich text: theme variables do not reach them, so these are plain colours.
STATUS_CELLS: dict[str, tuple[str, str, str]] = {
    MET: ("✓", "met", "green"),
    ON_TRACK: ("●", "on track", "green"),
    BEHIND: ("▲", "behind", "yellow"),
    OVER: ("✗", "over", "bold red"),
}


def status_word(progress: GoalProgress) -> str:
    if progress.status == BEHIND and progress.goal.direction == "at_most":
        return "over pace"
    return STATUS_CELLS.get(progress.status, ("?", progress.status, ""))[1]


def goal_cells(progress: GoalProgress, name_width: int | None = None) -> tuple[Text, ...]:
    """One table row: bar, name, value of target, status, pace per day, expected by now, period.

    What matters most comes first, so it shows at 80 columns (with the name cut to
    ``name_width``); the rest scrolls into view.
    """
    goal = progress.goal
    symbol, _, style = STATUS_CELLS.get(progress.status, ("?", progress.status, ""))
    completion = progress.completion
    filled = BAR_WIDTH if completion is None else min(BAR_WIDTH, round(completion * BAR_WIDTH))
    bar = Text.assemble(
        (f"{symbol} ", style), ("█" * filled, style), ("░" * (BAR_WIDTH - filled), "dim")
    )
    sign = "≤" if goal.direction == "at_most" else "≥"
    measure = goal.measure
    pace_word = "left/day" if goal.direction == "at_most" else "/day"
    name = Text(goal.name)
    if name_width is not None:
        name.truncate(name_width, overflow="ellipsis")
    return (
        bar,
        name,
        Text(
            f"{format_value(measure, progress.value)} / {sign}{format_value(measure, goal.target)}"
        ),
        Text(status_word(progress), style=style),
        Text(f"{format_value(measure, progress.needed_per_day)} {pace_word}".replace(" /", "/")),
        Text(format_value(measure, progress.expected_by_now), justify="right"),
        Text(goal.period + (f" · {goal.platform}" if goal.platform else "")),
    )


def goal_summary(progress: GoalProgress) -> str:
    """The highlighted goal in one sentence, as ``smtui goals show`` tells it."""
    goal = progress.goal
    measure = goal.measure

    def fmt(value: float) -> str:
        return format_value(measure, value)

    direction = "at most" if goal.direction == "at_most" else "at least"
    subject = f" ({goal.subject})" if goal.subject else ""
    scope = f" on {goal.platform}" if goal.platform else ""
    pace = "budget left" if goal.direction == "at_most" else "needed"
    return (
        f"#{goal.id} {goal.name}: {direction} {fmt(goal.target)}"
        f" of {MEASURES[measure].label.lower()}{subject} per {goal.period}{scope}."
        f" So far {fmt(progress.value)}, expected"
        f" {fmt(progress.expected_by_now)} by now; {pace} {fmt(progress.needed_per_day)} a day"
        f" over {progress.days_left} day{'s' if progress.days_left != 1 else ''}."
    )


class GoalsScreen(StoreScreen["GoalProgress"]):
    """Goals, most urgent first, with progress, expected-by-now and pace."""

    NAME = "goals"
    TITLE_TEXT = "Goals"
    COLUMNS = GOAL_COLUMNS
    WHAT = "the goals"
    _drawn_wide = False
    BINDINGS: ClassVar = [
        Binding("escape", "app.pop_screen", "Back", id="goals.back"),
        Binding("a", "add", "Add", id="goals.add", tooltip="Add a goal"),
        Binding("e", "edit", "Edit", id="goals.edit", tooltip="Edit the highlighted goal"),
        Binding("d", "delete", "Remove", id="goals.delete", tooltip="Remove the highlighted goal"),
        Binding("r", "reload", "Refresh", id="goals.refresh", tooltip="Read the goals again"),
    ]

    def read(
        self, conn: sqlite3.Connection, after: GoalProgress | None, limit: int | None
    ) -> tuple[list[GoalProgress], bool, int]:
        from smtui.core.goals import progress_all

        found = progress_all(conn, clock.now(), self.zone, self.config.week_start)
        return found, False, len(found)

    def cells(self, row: GoalProgress, now: int) -> tuple[Text, ...]:
        return goal_cells(row, None if self._drawn_wide else NARROW_NAME_WIDTH)

    def key(self, row: GoalProgress) -> int:
        return row.goal.id

    @property
    def _wide(self) -> bool:
        return self.size.width >= WIDE_SCREEN

    def _add_rows(self, rows: list[GoalProgress]) -> None:
        self._drawn_wide = self._wide
        super()._add_rows(rows)

    def on_resize(self) -> None:
        """Names are cut on narrow screens only: draw them again when the width crosses."""
        if self.rows and self._wide != self._drawn_wide:
            self.redraw()

    def describe(self) -> None:
        if not self.rows:
            key = self.key_display("a")
            self.detail.update(
                Content(
                    f"No goals yet. Press {key} to add one, such as 5 qualified prospects a week."
                )
            )
            return
        row = self.highlighted_row
        if row is not None:
            self.detail.update(Content(goal_summary(row)))

    @property
    def progress(self) -> list[GoalProgress]:
        """Every goal shown, with its progress, most urgent first."""
        return self.rows

    @property
    def highlighted_goal(self) -> Goal | None:
        row = self.highlighted_row
        return None if row is None else row.goal

    # --- actions -------------------------------------------------------------------------------

    def _form(self, goal: Goal | None) -> GoalFormDialog:
        return GoalFormDialog(
            self.config,
            self.choices(),
            goal,
            db_path=self.db_path,
            cursor_blink=self.cursor_blink,
        )

    def action_add(self) -> None:
        self.app.push_screen(self._form(None), self.saved)

    def action_edit(self) -> None:
        goal = self.highlighted_goal
        if goal is None:
            key = self.key_display("a")
            self.notify(f"No goal to edit: press {key} to add one.", severity="warning")
            return
        self.app.push_screen(self._form(goal), self.saved)

    def action_delete(self) -> None:
        goal = self.highlighted_goal
        if goal is None:
            self.notify("No goal to remove.", severity="warning")
            return
        self.confirm_write(
            f"Remove goal #{goal.id}, {goal.name}?",
            "Its history stays in your sessions and outcomes.",
            delete_goal_action(goal.id),
        )


def subject_candidates(measure: str, choices: Choices, currency: str) -> list[str]:
    """What the subject of a goal on ``measure`` can be."""
    if measure == "outcomes":
        return [kind.name for kind in choices.kinds]
    if measure == "post_metric":
        return list(POST_METRICS)
    if measure == "revenue":
        return [currency]
    return []


class GoalFormDialog(Dialog[str]):
    """Add a goal, or edit one: name, measure, subject, target, period, at most, platform."""

    def __init__(
        self,
        config: Config,
        choices: Choices,
        goal: Goal | None = None,
        *,
        db_path: str,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__(db_path=db_path, cursor_blink=cursor_blink)
        self.config = config
        self.choices = choices
        self.goal = goal
        self.start = (
            goal_fields(goal)
            if goal is not None
            else GoalDraft(
                name="", measure="outcomes", subject="", target="", period="week", at_most=False
            )
        )

    def compose(self) -> ComposeResult:
        start = self.start
        title = f"Edit goal #{self.goal.id}" if self.goal is not None else "Add a goal"
        with Vertical(classes="dialog compact-form", id="goal-dialog"):
            yield Label(title, classes="dialog-title")
            yield field_row(
                "Name",
                Input(
                    start.name,
                    placeholder="e.g. 5 qualified prospects a week",
                    compact=True,
                    id="goal-name",
                ),
            )
            yield field_row(
                "Measure",
                Select(
                    [(f"{m.label} ({m.name})", m.name) for m in MEASURES.values()],
                    value=start.measure,
                    allow_blank=False,
                    compact=True,
                    id="goal-measure",
                ),
            )
            yield field_row(
                "Subject",
                FuzzyField(
                    subject_candidates(start.measure, self.choices, self.config.currency),
                    start.subject,
                    closed=True,
                    id="goal-subject",
                ),
                id="goal-subject-row",
            )
            yield field_row("Target", Input(start.target, compact=True, id="goal-target"))
            yield field_row(
                "Period",
                Select(
                    [(period, period) for period in PERIODS],
                    value=start.period,
                    allow_blank=False,
                    compact=True,
                    id="goal-period",
                ),
            )
            yield field_row(
                "",
                Checkbox(
                    "At most: a budget not to exceed",
                    start.at_most,
                    compact=True,
                    id="goal-at-most",
                ),
            )
            yield field_row(
                "Platform",
                FuzzyField(
                    self.choices.platforms,
                    start.platform,
                    placeholder="every platform (or one, e.g. linkedin)",
                    closed=True,
                    id="goal-platform",
                ),
            )
            yield Static("", classes="dialog-error", id="goal-error")
            yield self.buttons("Save", "goal-confirm")

    def on_mount(self) -> None:
        super().on_mount()
        self._measure_changed(self.start.measure)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "goal-measure" and isinstance(event.value, str):
            self._measure_changed(event.value)

    def _measure_changed(self, measure: str) -> None:
        spec = get_measure(measure)
        subject = self.query_one("#goal-subject-field", FuzzyField)
        subject.candidates = subject_candidates(measure, self.choices, self.config.currency)
        row = self.query_one("#goal-subject-row")
        row.display = spec.subject != SUBJECT_NONE
        required = "" if spec.subject == "required" else " (optional)"
        subject.input.placeholder = f"{spec.subject_label}{required}" if spec.subject_label else ""
        self.query_one("#goal-target", Input).placeholder = target_hint(measure)

    def draft(self) -> GoalDraft:
        measure = self.query_one("#goal-measure", Select).value
        period = self.query_one("#goal-period", Select).value
        spec_measure = measure if isinstance(measure, str) else ""
        subject_shown = self.query_one("#goal-subject-row").display
        return GoalDraft(
            name=self.query_one("#goal-name", Input).value,
            measure=spec_measure,
            subject=self.query_one("#goal-subject", Input).value if subject_shown else "",
            target=self.query_one("#goal-target", Input).value,
            period=period if isinstance(period, str) else "week",
            at_most=self.query_one("#goal-at-most", Checkbox).value,
            platform=self.query_one("#goal-platform", Input).value.strip(),
        )

    def confirm(self) -> None:
        draft = self.draft()
        fault = check_goal_draft(draft)
        if fault is not None:
            field, problem = fault
            self.show_error(problem, f"#goal-{field}")
            return
        goal_id = self.goal.id if self.goal is not None else None
        self.save(save_goal_action(draft, goal_id, self.config, self.choices.kinds))
