"""The dialogs behind the action keys: start, stop, log an outcome, confirm.

A dialog collects what the user chose. Dialogs that write (start, log, and the forms of the
goals and sessions screens) run the write in a worker thread on a connection of their own
(:meth:`Dialog.save`): on success they close, handing the app the sentence to show; on an
error they stay open and show it, so nothing typed is lost. A dialog never waits on a lock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypeVar

from rich.segment import Segment
from rich.style import Style
from textual import work
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widgets import Button, Checkbox, Input, Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from smtui.errors import SmtuiError
from smtui.tui.choices import fuzzy_rank
from smtui.tui.fields import FuzzyField
from smtui.tui.forms import LogRequest, StartRequest, describe_error, run_action

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from textual.app import ComposeResult
    from textual.widget import Widget

    from smtui.core.kinds import OutcomeKind
    from smtui.tui.choices import Choices
    from smtui.tui.forms import Action

__all__ = [
    "ConfirmDialog",
    "Dialog",
    "LogOutcomeDialog",
    "StartRequest",
    "StartSessionDialog",
    "StopSessionDialog",
]

ResultT = TypeVar("ResultT")


def field_row(label: str, field: Widget, *, id: str | None = None) -> Horizontal:
    """One line of a form: the label, then the field."""
    return Horizontal(Label(label, classes="field-label"), field, classes="field", id=id)


class Saved(Message):
    """A dialog's write finished: the ``message`` to show, or the ``error`` that stopped it."""

    def __init__(self, message: str | None, error: str | None) -> None:
        super().__init__()
        self.message = message
        self.error = error


class Dialog(ModalScreen[ResultT | None]):
    """A centred dialog; escape or Cancel closes it with None.

    Its look lives here (and in each dialog's own rules), not in the app's stylesheet: it is
    read the first time a dialog opens, never at startup. Dialogs are wider on wide screens.
    """

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
    }
    .dialog {
        width: 90%;
        max-width: 86;
        height: auto;
        max-height: 100%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    Dialog.-wide .dialog {
        max-width: 110;
    }
    .dialog-title {
        text-style: bold;
        width: 100%;
        padding-bottom: 1;
    }
    .field {
        height: auto;
        margin-bottom: 1;
    }
    .field-label {
        width: 10;
        color: $text-muted;
    }
    .field Input, .field Select, .field Checkbox {
        width: 1fr;
    }
    .compact-form .field {
        margin-bottom: 0;
    }
    .compact-form .field-label {
        padding-right: 1;
    }
    .dialog-hint {
        color: $text-muted;
    }
    .dialog-error {
        display: none;
        height: auto;
        color: $text-error;
    }
    .dialog-error.-shown {
        display: block;
    }
    .dialog-list {
        height: auto;
        max-height: 14;
    }
    Dialog.-tall .dialog-list {
        max-height: 30;
    }
    .dialog-buttons {
        height: auto;
        align-horizontal: right;
        padding-top: 1;
    }
    .dialog-buttons Button {
        margin-left: 2;
    }
    """
    # The dialogs' own size classes, whatever the app's: "-tall" (40 rows or more) shows
    # longer lists, "-wide" (120 columns or more) wider dialogs.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]  # noqa: RUF012 - typed by Textual
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, *, db_path: str = "", cursor_blink: bool = True) -> None:
        super().__init__()
        self.db_path = db_path
        self.cursor_blink = cursor_blink
        self.saving = False

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = self.cursor_blink

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_confirm(self) -> None:
        self.confirm()

    def buttons(
        self, confirm: str, confirm_id: str, *, variant: str = "primary", cancel: str = "Cancel"
    ) -> Horizontal:
        return Horizontal(
            Button(confirm, variant=variant, id=confirm_id, compact=True),  # type: ignore[arg-type]
            Button(cancel, id="cancel", compact=True),
            classes="dialog-buttons",
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self.confirm()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in any field of a form submits it."""
        event.stop()
        self.confirm()

    def confirm(self) -> None:
        raise NotImplementedError

    # --- errors and saving -------------------------------------------------------------------

    def show_error(self, message: str, focus: str | None = None) -> None:
        """Say what is wrong inside the dialog (and put the cursor where it is wrong).

        The error line takes room only while it says something.
        """
        error = self.query_one(".dialog-error", Static)
        error.update(Content(message))
        error.set_class(bool(message), "-shown")
        if focus is not None:
            self.query_one(focus).focus()

    @property
    def error_text(self) -> str:
        return str(self.query_one(".dialog-error", Static).visual)

    def save(self, action: Action) -> None:
        """Run ``action`` in a worker: close with its message, or stay open with its error."""
        if self.saving:
            return
        self.saving = True
        self.show_error("")
        self._save(action)

    @work(thread=True, group="dialog-save", exit_on_error=False)
    def _save(self, action: Action) -> None:
        try:
            done = run_action(self.db_path, action)
        except Exception as exc:
            if not isinstance(exc, SmtuiError):
                self.log.error(f"saving failed: {exc!r}")
            self.post_message(Saved(None, describe_error(exc)))
        else:
            self.post_message(Saved(done, None))

    def on_saved(self, message: Saved) -> None:
        message.stop()
        self.saving = False
        if message.error is not None:
            self.show_error(message.error)
        elif self.app.screen is self:
            self.dismiss(message.message)  # type: ignore[arg-type]


class StartSessionDialog(Dialog[str]):
    """Platform, intent and an optional timebox, starting from the last choice.

    Platform and intent are fuzzy fields over the known platforms and intents. Enter in any
    field starts the session; an error (a bad timebox, an unknown platform) stays in the dialog.
    """

    def __init__(
        self,
        choices: Choices,
        action_for: Callable[[StartRequest], Action],
        *,
        db_path: str,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__(db_path=db_path, cursor_blink=cursor_blink)
        self.choices = choices
        self.action_for = action_for

    def compose(self) -> ComposeResult:
        from smtui.core.timespec import format_duration

        last = self.choices.last
        timebox = format_duration(last.timebox_s) if last and last.timebox_s else ""
        with Vertical(classes="dialog", id="start-dialog"):
            yield Label("Start a session", classes="dialog-title")
            yield field_row(
                "Platform",
                FuzzyField(
                    self.choices.platforms,
                    last.platform if last else "",
                    placeholder="e.g. linkedin",
                    closed=True,
                    id="platform",
                ),
            )
            yield field_row(
                "Intent",
                FuzzyField(
                    self.choices.intents,
                    last.intent if last else "",
                    placeholder="e.g. prospecting (optional)",
                    id="intent",
                ),
            )
            yield field_row(
                "Timebox",
                Input(timebox, placeholder="e.g. 25m (optional)", compact=True, id="timebox"),
            )
            yield Static(
                "Tab takes the highlighted match · ↑↓ pick · Enter starts", classes="dialog-hint"
            )
            yield Static("", classes="dialog-error", id="start-error")
            yield self.buttons("Start", "start-confirm")

    def confirm(self) -> None:
        platform = self.query_one("#platform", Input).value.strip()
        intent = self.query_one("#intent", Input).value.strip()
        timebox = self.query_one("#timebox", Input).value.strip()
        if not platform:
            self.show_error("A platform is needed, e.g. linkedin.", "#platform")
            return
        timebox_s: int | None = None
        if timebox:
            from smtui.core.timespec import parse_duration

            try:
                timebox_s = parse_duration(timebox, what="timebox")
            except SmtuiError as exc:
                self.show_error(str(exc), "#timebox")
                return
        self.save(self.action_for(StartRequest(platform, intent, timebox_s)))


class Checklist(SelectionList[str]):
    """The stop checklist: space ticks a box, Enter stops the session with what is ticked.

    A question too long for the line wraps under itself, its box on its first line only.
    (SelectionList draws a box on every line and finds the option of a line by its number,
    which holds only while every option is one line: :meth:`render_line` finds it through the
    option list's line map instead.)
    """

    DEFAULT_CSS = """
    Checklist {
        text-wrap: wrap;
        text-overflow: fold;
    }
    """
    BINDINGS: ClassVar = [
        Binding("enter", "screen.confirm", "Stop", show=False, id="checklist.stop"),
    ]

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)
        try:
            index, line_offset = self._lines[self.scroll_offset.y + y]
        except IndexError:
            return line
        under = next(iter(line)).style or self.rich_style
        if line_offset:
            return Strip([Segment(" " * self._get_left_gutter_width(), under), *line])
        value = self.get_option_at_index(index).value
        component = "selection-list--button"
        if value in self.selected:
            component += "-selected"
        if self.highlighted == index:
            component += "-highlighted"
        on_option = Style(meta={"option": index})
        button = self.get_component_rich_style(component) + on_option
        side = Style.from_color(button.bgcolor, under.bgcolor) + on_option
        return Strip(
            [
                Segment(Checkbox.BUTTON_LEFT, side),
                Segment(Checkbox.BUTTON_INNER, button),
                Segment(Checkbox.BUTTON_RIGHT, side),
                Segment(" ", under),
                *line,
            ]
        )


class StopSessionDialog(Dialog[list[str]]):
    """The productivity checklist: tick what the session achieved; nothing ticked is playtime.

    The whole question of every kind shows (wrapped, not cut), and the dialog fits in 24 rows
    with its buttons: at 80x24 nothing scrolls.
    """

    def __init__(
        self, kinds: Iterable[OutcomeKind], summary: str, *, cursor_blink: bool = True
    ) -> None:
        super().__init__(cursor_blink=cursor_blink)
        self.kinds = list(kinds)
        self.summary = summary

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="stop-dialog"):
            yield Label(f"Stop {self.summary}: what did it achieve?", classes="dialog-title")
            yield Checklist(
                *((kind.question, kind.name) for kind in self.kinds),
                compact=True,
                id="outcome-kinds",
                classes="dialog-list",
            )
            yield Static(
                "Space ticks a box · Enter stops · nothing ticked = playtime",
                classes="dialog-hint",
            )
            yield Static("", classes="dialog-error")
            yield self.buttons("Stop", "stop-confirm")

    def confirm(self) -> None:
        selected = set(self.query_one(Checklist).selected)
        self.dismiss([kind.name for kind in self.kinds if kind.name in selected])


def kind_option(kind: OutcomeKind, digit: int | None) -> Option:
    """One line of the kind picker: the quick-log digit, the label, what it means."""
    return Option(
        Content.assemble(
            (f"{digit} " if digit else "  ", "bold $accent"),
            (kind.label, "bold"),
            ("  " + kind.question, "$text-muted"),
        ),
        id=kind.name,
    )


class LogOutcomeDialog(Dialog[str]):
    """Pick an outcome kind (type to filter), then its details when it has any.

    Every kind is offered, plugin ones included, with its quick-log digit. A kind with details
    (a role, a channel) or money (a deal) asks for them on a second step, with a contact;
    any other kind is logged as soon as it is picked.
    """

    DEFAULT_CSS = """
    #log-pick, #log-details {
        height: auto;
    }
    #log-kind {
        padding-bottom: 1;
    }
    #outcome-kind {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    #amount {
        width: 1fr;
    }
    #currency {
        width: 6;
        margin-left: 1;
    }
    """
    BINDINGS: ClassVar = [
        Binding("down", "move(1)", "Next kind", show=False, id="log.down"),
        Binding("up", "move(-1)", "Previous kind", show=False, id="log.up"),
    ]

    def __init__(
        self,
        choices: Choices,
        target: str,
        action_for: Callable[[LogRequest, OutcomeKind], Action],
        *,
        db_path: str,
        currency: str = "EUR",
        kind: str | None = None,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__(db_path=db_path, cursor_blink=cursor_blink)
        self.choices = choices
        self.target = target
        self.action_for = action_for
        self.currency = currency
        self.shown: list[OutcomeKind] = list(choices.kinds)
        self.chosen: OutcomeKind | None = choices.kind(kind) if kind else None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="log-dialog"):
            yield Label(f"Log an outcome {self.target}", classes="dialog-title")
            with Vertical(id="log-pick"):
                yield Input(
                    placeholder="Type to filter · ↑↓ move · Enter logs",
                    compact=True,
                    id="kind-filter",
                )
                yield OptionList(*self._options(), id="outcome-kind", classes="dialog-list")
            with Vertical(id="log-details"):
                yield Static("", id="log-kind")
                yield field_row(
                    "Detail",
                    FuzzyField([], placeholder="optional", closed=True, id="detail"),
                    id="detail-row",
                )
                yield field_row(
                    "Contact", Input(placeholder="who (optional)", compact=True, id="contact")
                )
                with Horizontal(classes="field", id="amount-row"):
                    yield Label("Amount", classes="field-label")
                    yield Input(placeholder="e.g. 1200.50", compact=True, id="amount")
                    yield Input(self.currency, compact=True, id="currency")
            yield Static("", classes="dialog-error", id="log-error")
            yield self.buttons("Log", "log-confirm")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#outcome-kind", OptionList).highlighted = 0
        if self.chosen is not None:
            self._ask_details(self.chosen)
        else:
            self.query_one("#log-details").display = False

    def _options(self) -> list[Option]:
        return [kind_option(kind, self.choices.digit_of(kind.name)) for kind in self.shown]

    # --- step 1: the kind --------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "kind-filter":
            return
        by_label = {kind.label: kind for kind in self.choices.kinds}
        by_name = {kind.name: kind for kind in self.choices.kinds}
        query = event.value
        ranked = fuzzy_rank(query, by_label) or fuzzy_rank(query, by_name)
        self.shown = [by_label.get(name) or by_name[name] for name in ranked]
        options = self.query_one("#outcome-kind", OptionList)
        options.set_options(self._options())
        options.highlighted = 0 if self.shown else None

    def action_move(self, step: int) -> None:
        if self.chosen is not None:  # the details step: up and down move between fields
            if step > 0:
                self.focus_next()
            else:
                self.focus_previous()
            return
        options = self.query_one("#outcome-kind", OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id != "outcome-kind":
            return
        event.stop()
        kind = self.choices.kind(str(event.option.id))
        if kind is not None:
            self._pick(kind)

    def _highlighted_kind(self) -> OutcomeKind | None:
        index = self.query_one("#outcome-kind", OptionList).highlighted
        if index is None or not 0 <= index < len(self.shown):
            return None
        return self.shown[index]

    def _pick(self, kind: OutcomeKind) -> None:
        if kind.details or kind.takes_money:
            self.chosen = kind
            self._ask_details(kind)
        else:
            self.save(self.action_for(LogRequest(kind.name), kind))

    # --- step 2: details ---------------------------------------------------------------------

    def _ask_details(self, kind: OutcomeKind) -> None:
        self.query_one("#log-pick").display = False
        self.query_one("#log-details").display = True
        self.query_one("#log-kind", Static).update(
            Content.assemble((kind.label, "bold"), ("  " + kind.question, "$text-muted"))
        )
        detail = self.query_one("#detail-field", FuzzyField)
        detail.candidates = list(kind.details)
        detail.input.placeholder = f"optional, e.g. {kind.details[0]}" if kind.details else ""
        self.query_one("#detail-row").display = bool(kind.details)
        self.query_one("#amount-row").display = kind.takes_money
        if kind.details:
            self.query_one("#detail", Input).focus()
        elif kind.takes_money:
            self.query_one("#amount", Input).focus()
        else:
            self.query_one("#contact", Input).focus()

    def confirm(self) -> None:
        if self.chosen is None:
            kind = self._highlighted_kind()
            if kind is None:
                self.show_error("No kind matches: clear the filter to see them all.")
                return
            self._pick(kind)
            return
        request = LogRequest(
            self.chosen.name,
            detail=self.query_one("#detail", Input).value,
            contact=self.query_one("#contact", Input).value,
            amount=self.query_one("#amount", Input).value if self.chosen.takes_money else "",
            currency=self.query_one("#currency", Input).value,
        )
        self.save(self.action_for(request, self.chosen))


class ConfirmDialog(Dialog[bool]):
    """A yes-or-no question before something that cannot be undone; ``y`` says yes."""

    BINDINGS: ClassVar = [
        Binding("y", "yes", "Yes", id="confirm.yes"),
        Binding("n", "cancel", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, detail: str = "", *, confirm: str = "Delete") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.confirm_label = confirm

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="confirm-dialog"):
            yield Label(Content(self.question), classes="dialog-title")
            if self.detail:
                yield Static(Content(self.detail), classes="dialog-hint")
            yield Static("", classes="dialog-error")
            yield self.buttons(
                f"{self.confirm_label} (y)", "confirm-yes", variant="error", cancel="Cancel (n)"
            )

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#cancel", Button).focus()

    def action_yes(self) -> None:
        self.dismiss(True)

    def confirm(self) -> None:
        self.dismiss(True)
