"""The Goals screen: every goal with its progress and pace; add, edit and remove goals.

Progress comes from :func:`smtui.core.goals.progress_all`, the function ``smtui goals list``
uses, read in a worker. The form checks nothing itself: it hands what was typed to
:func:`smtui.tui.forms.save_goal_action`, which validates as the command line does, and any
error stays in the form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Checkbox, DataTable, Footer, Input, Label, Select, Static

from smtui import clock
from smtui.core.goals import BEHIND, MET, ON_TRACK, OVER, format_value
from smtui.core.measures import MEASURES, SUBJECT_NONE, get_measure
from smtui.core.periods import PERIODS
from smtui.models import POST_METRICS
from smtui.tui.fields import FuzzyField
from smtui.tui.forms import (
    GoalDraft,
    delete_goal_action,
    describe_error,
    goal_fields,
    save_goal_action,
)
from smtui.tui.modals import ConfirmDialog, Dialog
from smtui.tui.screen_base import StoreScreen

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import tzinfo

    from textual.app import ComposeResult

    from smtui.config import Config
    from smtui.core.goals import Goal, GoalProgress
    from smtui.tui.choices import Choices

GOAL_COLUMNS = ("", "Goal", "Progress", "Status", "Pace", "Expected", "Period")
BAR_WIDTH = 8
# Table cells are Rich text: theme variables do not reach them, so these are plain colours.
STATUS_CELLS: dict[str, tuple[str, str, str]] = {
    MET: ("✓", "met", "green"),
    ON_TRACK: ("●", "on track", "green"),
    BEHIND: ("▲", "behind", "yellow"),
    OVER: ("✗", "over", "bold red"),
}
TARGET_HINTS = {
    "seconds": "e.g. 6h or 45m",
    "count": "e.g. 5",
    "fraction": "e.g. 2%",
    "money": "e.g. 3000",
}


def status_word(progress: GoalProgress) -> str:
    if progress.status == BEHIND and progress.goal.direction == "at_most":
        return "over pace"
    return STATUS_CELLS.get(progress.status, ("?", progress.status, ""))[1]


def goal_cells(progress: GoalProgress) -> tuple[Text, ...]:
    """One table row: bar, name, value of target, status, pace per day, expected by now, period.

    What matters most comes first, so it shows at 80 columns; the rest scrolls into view.
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
    return (
        bar,
        Text(goal.name),
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


class GoalsLoaded(Message):
    def __init__(
        self, generation: int, progress: list[GoalProgress] | None, error: str | None
    ) -> None:
        super().__init__()
        self.generation = generation
        self.progress = progress
        self.error = error


class GoalsScreen(StoreScreen):
    """Goals, most urgent first, with progress, expected-by-now and pace."""

    BINDINGS: ClassVar = [
        Binding("escape", "app.pop_screen", "Back", id="goals.back"),
        Binding("a", "add", "Add", id="goals.add", tooltip="Add a goal"),
        Binding("e", "edit", "Edit", id="goals.edit", tooltip="Edit the highlighted goal"),
        Binding("d", "delete", "Remove", id="goals.delete", tooltip="Remove the highlighted goal"),
        Binding("r", "reload", "Refresh", id="goals.refresh", tooltip="Read the goals again"),
    ]

    def __init__(
        self,
        db_path: str,
        config: Config,
        zone: tzinfo,
        choices: Callable[[], Choices],
        changed: Callable[[], None],
        *,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__(
            db_path, config, zone, choices, changed, cursor_blink=cursor_blink, id="goals-screen"
        )
        self.progress: list[GoalProgress] = []
        self._generation = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="goals-box", classes="screen-box") as box:
            box.border_title = "Goals"
            table: DataTable[Text] = DataTable(cursor_type="row", id="goals-table")
            table.add_columns(*GOAL_COLUMNS)
            yield table
            yield Static("Loading the goals…", id="goals-detail", classes="screen-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    # --- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        self._generation += 1
        self._load(self._generation)

    @work(thread=True, group="goals", exclusive=True, exit_on_error=False)
    def _load(self, generation: int) -> None:
        from smtui.core.goals import progress_all
        from smtui.store.db import connect

        try:
            conn = connect(self.db_path)
            try:
                found = progress_all(conn, clock.now(), self.zone, self.config.week_start)
            finally:
                conn.close()
        except Exception as exc:
            self.post_message(GoalsLoaded(generation, None, describe_error(exc)))
        else:
            self.post_message(GoalsLoaded(generation, found, None))

    def on_goals_loaded(self, message: GoalsLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        detail = self.query_one("#goals-detail", Static)
        if message.progress is None:
            detail.update(
                Content.assemble(("Could not load the goals\n", "bold $error"), message.error or "")
            )
            return
        table: DataTable[Text] = self.query_one(DataTable)
        keep = self.highlighted_goal
        table.clear()
        self.progress = message.progress
        for progress in self.progress:
            table.add_row(*goal_cells(progress), key=str(progress.goal.id))
        if keep is not None:
            ids = [p.goal.id for p in self.progress]
            if keep.id in ids:
                table.move_cursor(row=ids.index(keep.id))
        self._describe()

    def _describe(self) -> None:
        detail = self.query_one("#goals-detail", Static)
        if not self.progress:
            key = self.app.get_key_display(Binding("a", ""))
            detail.update(
                Content(
                    f"No goals yet. Press {key} to add one, such as 5 qualified prospects a week."
                )
            )
            return
        index = self.query_one(DataTable).cursor_row
        if 0 <= index < len(self.progress):
            detail.update(Content(goal_summary(self.progress[index])))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._describe()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    @property
    def highlighted_goal(self) -> Goal | None:
        if not self.progress:
            return None
        index = self.query_one(DataTable).cursor_row
        return self.progress[index].goal if 0 <= index < len(self.progress) else None

    # --- actions -----------------------------------------------------------------------------

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
            self.notify("No goal to edit: press a to add one.", severity="warning")
            return
        self.app.push_screen(self._form(goal), self.saved)

    def action_delete(self) -> None:
        goal = self.highlighted_goal
        if goal is None:
            self.notify("No goal to remove.", severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(delete_goal_action(goal.id))

        self.app.push_screen(
            ConfirmDialog(
                f"Remove goal #{goal.id}, {goal.name}?",
                "Its history stays in your sessions and outcomes.",
            ),
            answered,
        )

    def action_reload(self) -> None:
        self.reload()


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
            with Horizontal(classes="field"):
                yield Label("Name", classes="field-label")
                yield Input(
                    start.name,
                    placeholder="e.g. 5 qualified prospects a week",
                    compact=True,
                    id="goal-name",
                )
            with Horizontal(classes="field"):
                yield Label("Measure", classes="field-label")
                yield Select(
                    [(f"{m.label} ({m.name})", m.name) for m in MEASURES.values()],
                    value=start.measure,
                    allow_blank=False,
                    compact=True,
                    id="goal-measure",
                )
            with Horizontal(classes="field", id="goal-subject-row"):
                yield Label("Subject", classes="field-label")
                yield FuzzyField(
                    subject_candidates(start.measure, self.choices, self.config.currency),
                    start.subject,
                    closed=True,
                    id="goal-subject",
                )
            with Horizontal(classes="field"):
                yield Label("Target", classes="field-label")
                yield Input(start.target, compact=True, id="goal-target")
            with Horizontal(classes="field"):
                yield Label("Period", classes="field-label")
                yield Select(
                    [(period, period) for period in PERIODS],
                    value=start.period,
                    allow_blank=False,
                    compact=True,
                    id="goal-period",
                )
            with Horizontal(classes="field"):
                yield Label("", classes="field-label")
                yield Checkbox(
                    "At most: a budget not to exceed",
                    start.at_most,
                    compact=True,
                    id="goal-at-most",
                )
            with Horizontal(classes="field"):
                yield Label("Platform", classes="field-label")
                yield FuzzyField(
                    self.choices.platforms,
                    start.platform,
                    placeholder="every platform (or one, e.g. linkedin)",
                    closed=True,
                    id="goal-platform",
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
        self.query_one("#goal-target", Input).placeholder = TARGET_HINTS.get(spec.unit, "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.confirm()

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
        goal_id = self.goal.id if self.goal is not None else None
        self.save(save_goal_action(self.draft(), goal_id, self.config, self.choices.kinds))
