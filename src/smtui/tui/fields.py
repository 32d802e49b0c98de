"""Input fields with picking and completion: a fuzzy pick list, and a file system path.

:class:`FuzzyField` is an input over a short list of the candidates that match what is typed
(:func:`smtui.tui.choices.fuzzy_rank`), shown under it while the field has focus. The list is
part of the form, a few rows high (more on tall screens): it moves the fields below it down
rather than covering them, so every field of a form stays in view at 80x24. Leaving the field
leaves the list in place, dimmed, until another field's list opens. Up and down move in the
list; Tab takes the highlighted candidate and moves on; Enter submits the form, taking
the highlighted candidate only when the arrows chose it. A *closed* field (platforms) takes the
best match on Tab; an open one (intents, free text) only a candidate the typed text starts
(so typing a new intent and pressing Tab never turns it into another one).

:class:`PathInput` suggests the rest of a file or folder name as it is typed; Tab or the right
arrow takes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding
from textual.containers import Vertical
from textual.suggester import Suggester
from textual.widgets import Input, OptionList

from smtui.tui.choices import complete_path, completes, fuzzy_rank

if TYPE_CHECKING:
    from collections.abc import Iterable

    from textual import events
    from textual.app import ComposeResult

# Rows of matches shown at once, and how many matches the list holds (it scrolls).
MATCHES_SHOWN = 4
MATCHES_SHOWN_TALL = 8
MATCHES_KEPT = 16


class MatchList(OptionList, can_focus=False):
    """The candidates under a :class:`FuzzyField`; it never takes focus from the input."""


class FuzzyField(Vertical):
    """An input with a fuzzy pick list of ``candidates`` under it."""

    # Unscoped: the list is taller on tall screens (the screen's "-tall" class).
    SCOPED_CSS = False
    DEFAULT_CSS = f"""
    FuzzyField {{
        width: 1fr;
        height: auto;
    }}
    FuzzyField > MatchList {{
        display: none;
        height: auto;
        max-height: {MATCHES_SHOWN};
        background: $surface-lighten-1;
        scrollbar-size-vertical: 1;
    }}
    FuzzyField.-open > MatchList, FuzzyField.-kept > MatchList {{
        display: block;
    }}
    FuzzyField.-kept > MatchList {{
        color: $text-muted;
    }}
    FuzzyField.-kept > MatchList > .option-list--option-highlighted {{
        color: $text-muted;
        background: transparent;
        text-style: none;
    }}
    .-tall FuzzyField > MatchList {{
        max-height: {MATCHES_SHOWN_TALL};
    }}
    """
    BINDINGS: ClassVar = [
        Binding("down", "move(1)", "Next match", show=False, id="fuzzy.down"),
        Binding("up", "move(-1)", "Previous match", show=False, id="fuzzy.up"),
        Binding("tab", "complete", "Take the match", show=False, id="fuzzy.complete"),
    ]

    def __init__(
        self,
        candidates: Iterable[str],
        value: str = "",
        *,
        placeholder: str = "",
        closed: bool = False,
        id: str,
    ) -> None:
        super().__init__(id=f"{id}-field")
        self._candidates = list(candidates)
        self.closed = closed
        self.navigated = False
        self.matches: list[str] = []
        self._input = Input(value, placeholder=placeholder, compact=True, id=id)

    def compose(self) -> ComposeResult:
        yield self._input
        yield MatchList(compact=True)

    def on_mount(self) -> None:
        self._refilter()

    @property
    def input(self) -> Input:
        return self._input

    @property
    def candidates(self) -> list[str]:
        return self._candidates

    @candidates.setter
    def candidates(self, candidates: Iterable[str]) -> None:
        """Offer other candidates (the form changed what the field is about)."""
        self._candidates = list(candidates)
        if self.is_mounted:
            self._refilter()

    @property
    def value(self) -> str:
        return self._input.value

    @property
    def highlighted(self) -> str | None:
        """The candidate Tab would take now, if any."""
        index = self.query_one(MatchList).highlighted
        if index is None or not 0 <= index < len(self.matches):
            return None
        return self.matches[index]

    def _refilter(self) -> None:
        value = self._input.value.strip()
        if value in self.candidates:  # a whole name (as when offered again): offer the rest too
            self.matches = [value, *(c for c in self.candidates if c != value)]
        else:
            self.matches = fuzzy_rank(value, self.candidates, limit=MATCHES_KEPT)
        self.navigated = False
        options = self.query_one(MatchList)
        options.set_options(self.matches)
        options.highlighted = 0 if self.matches else None
        self._show_list()

    def _show_list(self) -> None:
        if self._input.has_focus:
            self.set_class(bool(self.matches), "-open")
            self.remove_class("-kept")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input is self._input:
            self._refilter()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        for other in self.screen.query(FuzzyField):
            if other is not self:
                other.remove_class("-open", "-kept")
        self._show_list()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """The list stays, dimmed, until another pick list opens: leaving the field never
        moves what is below it (a click on a button lands where it was aimed)."""
        if self.has_class("-open"):
            self.remove_class("-open")
            self.add_class("-kept")

    def action_move(self, step: int) -> None:
        options = self.query_one(MatchList)
        if not self.matches:
            return
        current = options.highlighted or 0
        if self.navigated:
            current = (current + step) % len(self.matches)
        self.navigated = True
        options.highlighted = current
        self._show_list()

    def take(self) -> bool:
        """Put the highlighted candidate in the input when this field would; True if it did."""
        choice = self.highlighted
        if choice is None or not (self._input.value.strip() or self.navigated):
            return False  # an empty field stays empty unless a candidate was picked
        if self.navigated or self.closed or completes(self._input.value, choice):
            if choice != self._input.value:
                with self._input.prevent(Input.Changed):
                    self._input.value = choice
                self._input.cursor_position = len(choice)
            self.navigated = False  # the list stays as it was: nothing below it moves
            return True
        return False

    def action_complete(self) -> None:
        self.take()
        self.screen.focus_next()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter takes the candidate the arrows chose; the form then reads the input."""
        if self.navigated:
            self.take()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.navigated = True
        self.query_one(MatchList).highlighted = event.option_index
        self.take()
        self._input.focus()


class PathSuggester(Suggester):
    """Suggests the rest of a file or folder name (:func:`smtui.tui.choices.complete_path`)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value)


class PathInput(Input):
    """A path, completed as it is typed; Tab takes the completion (or moves on without one)."""

    BINDINGS: ClassVar = [
        Binding("tab", "complete", "Complete the path", show=False, id="path.complete"),
    ]

    def __init__(self, value: str = "", **options: object) -> None:
        super().__init__(value, suggester=PathSuggester(), **options)  # type: ignore[arg-type]

    def action_complete(self) -> None:
        completion = complete_path(self.value) if self.cursor_at_end else None
        if completion:
            self.value = completion
            self.cursor_position = len(completion)
        else:
            self.screen.focus_next()
