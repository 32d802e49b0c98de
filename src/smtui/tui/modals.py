"""The small dialogs behind the action keys: start, stop, log an outcome.

They only collect what the user chose and hand it back with ``dismiss``; the app does the
database work in a worker, so a dialog never waits on a lock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from smtui.errors import SmtuiError
from smtui.models import Record

if TYPE_CHECKING:
    from collections.abc import Iterable

    from textual.app import ComposeResult

    from smtui.core.kinds import OutcomeKind


class StartRequest(Record):
    """What the start dialog collected; the platform is resolved against the store later."""

    __slots__ = ("intent", "platform", "timebox_s")

    def __init__(self, platform: str, intent: str, timebox_s: int | None) -> None:
        self.platform = platform
        self.intent = intent
        self.timebox_s = timebox_s


ResultT = TypeVar("ResultT")


class Dialog(ModalScreen[ResultT | None]):
    """A centred dialog; escape or Cancel closes it with None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]  # noqa: RUF012

    def __init__(self, *, cursor_blink: bool = True) -> None:
        super().__init__(classes="dialog-screen")
        self.cursor_blink = cursor_blink

    def on_mount(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = self.cursor_blink

    def action_cancel(self) -> None:
        self.dismiss(None)

    def buttons(self, confirm: str, confirm_id: str) -> Horizontal:
        return Horizontal(
            Button(confirm, variant="primary", id=confirm_id, compact=True),
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


class StartSessionDialog(Dialog[StartRequest]):
    """Platform, intent and an optional timebox; Enter in any field starts."""

    def __init__(
        self,
        platforms: Iterable[str],
        intents: Iterable[str],
        default_platform: str = "",
        *,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__(cursor_blink=cursor_blink)
        self.platforms = list(platforms)
        self.intents = list(intents)
        self.default_platform = default_platform

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="start-dialog"):
            yield Label("Start a session", classes="dialog-title")
            with Horizontal(classes="field"):
                yield Label("Platform", classes="field-label")
                yield Input(
                    self.default_platform,
                    placeholder="e.g. linkedin",
                    suggester=SuggestFromList(self.platforms, case_sensitive=False),
                    compact=True,
                    id="platform",
                )
            with Horizontal(classes="field"):
                yield Label("Intent", classes="field-label")
                yield Input(
                    placeholder="e.g. prospecting (optional)",
                    suggester=SuggestFromList(self.intents, case_sensitive=False),
                    compact=True,
                    id="intent",
                )
            with Horizontal(classes="field"):
                yield Label("Timebox", classes="field-label")
                yield Input(placeholder="e.g. 25m (optional)", compact=True, id="timebox")
            yield Static("", classes="dialog-error", id="start-error")
            yield self.buttons("Start", "start-confirm")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.confirm()

    def confirm(self) -> None:
        platform = self.query_one("#platform", Input).value.strip()
        intent = self.query_one("#intent", Input).value.strip()
        timebox = self.query_one("#timebox", Input).value.strip()
        error = self.query_one("#start-error", Static)
        if not platform:
            error.update("A platform is needed, e.g. linkedin.")
            self.query_one("#platform", Input).focus()
            return
        timebox_s: int | None = None
        if timebox:
            from smtui.core.timespec import parse_duration

            try:
                timebox_s = parse_duration(timebox, what="timebox")
            except SmtuiError as exc:
                error.update(Content(str(exc)))
                self.query_one("#timebox", Input).focus()
                return
        self.dismiss(StartRequest(platform, intent, timebox_s))


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
            yield self.buttons("Stop", "stop-confirm")

    def confirm(self) -> None:
        selected = set(self.query_one(SelectionList).selected)
        self.dismiss([kind.name for kind in self.kinds if kind.name in selected])


class LogOutcomeDialog(Dialog[str]):
    """Pick one outcome kind; Enter logs it."""

    def __init__(
        self, kinds: Iterable[OutcomeKind], target: str, *, cursor_blink: bool = True
    ) -> None:
        super().__init__(cursor_blink=cursor_blink)
        self.kinds = list(kinds)
        self.target = target

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="log-dialog"):
            yield Label(f"Log an outcome {self.target}", classes="dialog-title")
            yield OptionList(
                *(
                    Option(
                        Content.assemble(
                            (kind.label, "bold"), ("  " + kind.question, "$text-muted")
                        ),
                        id=kind.name,
                    )
                    for kind in self.kinds
                ),
                id="outcome-kind",
            )
            yield self.buttons("Log", "log-confirm")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def confirm(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            self.notify("Pick an outcome kind first.", severity="warning")
            return
        self.dismiss(options.get_option_at_index(options.highlighted).id)
