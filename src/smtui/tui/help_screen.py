"""The Help screen: every key, as the user's keymap has it, and what it does.

Keys come from the bindings themselves (the app's and each screen's), so the screen cannot
drift from what the keys do; the dashboard keys show the key of the ``[keymap]`` entry when
the user rebound one. The quick-log digits show the kind each digit logs right now.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from smtui.models import Record

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from textual.app import ComposeResult

KEY_WIDTH = 10


class HelpSection(Record):
    """A titled list of ``(keys, what it does)`` rows."""

    __slots__ = ("rows", "title")

    def __init__(self, title: str, rows: list[tuple[str, str]]) -> None:
        self.title = title
        self.rows = rows


def binding_keys(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    """The keys ``binding`` answers to: the keymap's, when it names the binding's id."""
    keys = keymap.get(binding.id, "") if binding.id else ""
    return [key.strip() for key in (keys or binding.key).split(",") if key.strip()]


def binding_rows(
    bindings: Iterable[Binding],
    keymap: Mapping[str, str],
    display: Callable[[str], str],
) -> list[tuple[str, str]]:
    """One row per binding: its keys for display, and its tooltip (or description)."""
    rows = []
    for binding in bindings:
        keys = " ".join(display(key) for key in binding_keys(binding, keymap))
        rows.append((keys, binding.tooltip or binding.description))
    return rows


def render_help(sections: Iterable[HelpSection]) -> Content:
    lines: list[Content] = []
    for section in sections:
        if lines:
            lines.append(Content(""))
        lines.append(Content.styled(section.title, "bold $accent"))
        for keys, what in section.rows:
            lines.append(Content.assemble((f"  {keys:<{KEY_WIDTH}}", "bold"), what))
    return Content("\n").join(lines)


class HelpScreen(Screen[None]):
    """Every binding with its key and what it does; escape (or the help key) closes it."""

    BINDINGS: ClassVar = [
        Binding("escape", "app.pop_screen", "Back", id="help.back"),
    ]

    def __init__(self, sections: list[HelpSection]) -> None:
        super().__init__(id="help-screen")
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box", classes="screen-box") as box:
            box.border_title = "Keys"
            yield Static(render_help(self.sections), id="help-text")
        yield Footer()

    @property
    def text(self) -> str:
        return str(self.query_one("#help-text", Static).visual)
