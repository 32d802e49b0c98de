"""The dialogs behind the action keys: start, stop, log an outcome, confirm.

A dialog collects what the user chose. Dialogs that write (start, log, and the forms of the
goals and sessions screens) run the write in a worker thread on a connection of their own
(:meth:`Dialog.save`): on success they close, handing the app the sentence to show; on an
error they stay open and show it, so nothing typed is lost. A dialog never waits on a lock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import work
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from smtui.errors import SmtuiError
from smtui.tui.choices import fuzzy_rank
from smtui.tui.fields import FuzzyField
from smtui.tui.forms import LogRequest, StartRequest, describe_error, run_action

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from textual.app import ComposeResult

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


class Saved(Message):
    """A dialog's write finished: the ``message`` to show, or the ``error`` that stopped it."""

    def __init__(self, message: str | None, error: str | None) -> None:
        super().__init__()
        self.message = message
        self.error = error


class Dialog(ModalScreen[ResultT | None]):
    """A centred dialog; escape or Cancel closes it with None."""

    BINDINGS: ClassVar = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, *, db_path: str = "", cursor_blink: bool = True) -> None:
        super().__init__(classes="dialog-screen")
        self.db_path = db_path
        self.cursor_blink = cursor_blink
        self.saving = False

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = self.cursor_blink

    def action_cancel(self) -> None:
        self.dismiss(None)

    def buttons(self, confirm: str, confirm_id: str, *, variant: str = "primary") -> Horizontal:
        return Horizontal(
            Button(confirm, variant=variant, id=confirm_id, compact=True),  # type: ignore[arg-type]
            Button("Cancel", id="cancel", compact=True),
            classes="dialog-buttons",
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self.confirm()

    def confirm(self) -> None:
        raise NotImplementedError

    # --- errors and saving -------------------------------------------------------------------

    def show_error(self, message: str, focus: str | None = None) -> None:
        """Say what is wrong inside the dialog (and put the cursor where it is wrong)."""
        self.query_one(".dialog-error", Static).update(Content(message))
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
        self.query_one(".dialog-error", Static).update("")
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
            with Horizontal(classes="field"):
                yield Label("Platform", classes="field-label")
                yield FuzzyField(
                    self.choices.platforms,
                    last.platform if last else "",
                    placeholder="e.g. linkedin",
                    closed=True,
                    id="platform",
                )
            with Horizontal(classes="field"):
                yield Label("Intent", classes="field-label")
                yield FuzzyField(
                    self.choices.intents,
                    last.intent if last else "",
                    placeholder="e.g. prospecting (optional)",
                    id="intent",
                )
            with Horizontal(classes="field"):
                yield Label("Timebox", classes="field-label")
                yield Input(timebox, placeholder="e.g. 25m (optional)", compact=True, id="timebox")
            yield Static(
                "Tab takes the highlighted match · ↑↓ pick · Enter starts", classes="dialog-hint"
            )
            yield Static("", classes="dialog-error", id="start-error")
            yield self.buttons("Start", "start-confirm")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.confirm()

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


class StopSessionDialog(Dialog[list[str]]):
    """The productivity checklist: tick what the session achieved; nothing ticked is playtime."""

    def __init__(
        self, kinds: Iterable[OutcomeKind], summary: str, *, cursor_blink: bool = True
    ) -> None:
        super().__init__(cursor_blink=cursor_blink)
        self.kinds = list(kinds)
        self.summary = summary

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="stop-dialog"):
            yield Label(f"Stop {self.summary}: what did it achieve?", classes="dialog-title")
            yield SelectionList[str](
                *((kind.question, kind.name) for kind in self.kinds), id="outcome-kinds"
            )
            yield Static("Space ticks a box. Nothing ticked = playtime.", classes="dialog-hint")
            yield Static("", classes="dialog-error")
            yield self.buttons("Stop", "stop-confirm")

    def confirm(self) -> None:
        selected = set(self.query_one(SelectionList).selected)
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
                yield OptionList(*self._options(), id="outcome-kind")
            with Vertical(id="log-details"):
                yield Static("", id="log-kind")
                with Horizontal(classes="field", id="detail-row"):
                    yield Label("Detail", classes="field-label")
                    yield FuzzyField([], placeholder="optional", closed=True, id="detail")
                with Horizontal(classes="field"):
                    yield Label("Contact", classes="field-label")
                    yield Input(placeholder="who (optional)", compact=True, id="contact")
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
        detail.input.placeholder = "one of " + ", ".join(kind.details) if kind.details else ""
        self.query_one("#detail-row").display = bool(kind.details)
        self.query_one("#amount-row").display = kind.takes_money
        if kind.details:
            self.query_one("#detail", Input).focus()
        elif kind.takes_money:
            self.query_one("#amount", Input).focus()
        else:
            self.query_one("#contact", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.confirm()

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
            yield self.buttons(f"{self.confirm_label} (y)", "confirm-yes", variant="error")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#cancel", Button).focus()

    def action_yes(self) -> None:
        self.dismiss(True)

    def confirm(self) -> None:
        self.dismiss(True)
