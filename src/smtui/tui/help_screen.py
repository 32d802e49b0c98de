"""The Help screen: every key, as the user's keymap has it, and what it does.

Keys come from the bindings themselves (the app's and each screen's), so the screen cannot
drift from what the keys do; the dashboard keys show the key of the ``[keymap]`` entry when
the user rebound one. The quick-log digits show the kind each digit logs right now.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from smtui.models import Record
from smtui.tui.screen_base import BoxScreen

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from textual.app import ComposeResult
    from textual.widget import Widget

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
    """Every section as text: its title, then a ``keys  what it does`` line per key."""
    lines: list[Content] = []
    for section in sections:
        if lines:
            lines.append(Content(""))
        lines.append(Content.styled(section.title, "bold $accent"))
        for keys, what in section.rows:
            lines.append(Content.assemble((f"  {keys:<{KEY_WIDTH}}", "bold"), what))
    return Content("\n").join(lines)


def split_in_two(sections: list[HelpSection]) -> tuple[list[HelpSection], list[HelpSection]]:
    """The sections in two columns of about the same height, in reading order."""
    heights = [len(section.rows) + 2 for section in sections]  # title and the gap after
    total = sum(heights)
    running = 0
    for index, height in enumerate(heights):
        if running + height / 2 >= total / 2:
            cut = max(index, 1)  # never an empty first column
            return sections[:cut], sections[cut:]
        running += height
    return sections, []


def section_widgets(section: HelpSection) -> list[Widget]:
    """A section: its title, then per key a row whose description wraps under itself."""
    widgets: list[Widget] = [Static(Content(section.title), classes="help-title")]
    for keys, what in section.rows:
        widgets.append(
            Horizontal(
                Static(Content(keys), classes="help-keys"),
                Static(Content(what), classes="help-what"),
                classes="help-row",
            )
        )
    return widgets


class HelpScreen(BoxScreen):
    """Every binding with its key and what it does; escape (or the help key) closes it.

    One column at 80 columns, scrolling; two side by side on wide screens (120 columns or
    more), so that at 160x48 every key shows at once.
    """

    DEFAULT_CSS = f"""
    #help-box {{
        scrollbar-size-vertical: 1;
    }}
    #help-columns {{
        layout: vertical;
        height: auto;
    }}
    HelpScreen.-wide #help-columns {{
        layout: horizontal;
    }}
    .help-column {{
        height: auto;
    }}
    HelpScreen.-narrow .help-column {{
        margin-bottom: 1;
    }}
    HelpScreen.-wide .help-column {{
        width: 1fr;
        margin-right: 2;
    }}
    .help-title {{
        color: $text-accent;
        text-style: bold;
        margin-top: 1;
    }}
    .help-title:first-child {{
        margin-top: 0;
    }}
    .help-row {{
        height: auto;
    }}
    .help-keys {{
        width: {KEY_WIDTH + 2};
        padding-left: 2;
        text-style: bold;
    }}
    .help-what {{
        width: 1fr;
    }}
    """
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]  # noqa: RUF012 - typed by Textual
    BINDINGS: ClassVar = [
        Binding("escape", "app.pop_screen", "Back", id="help.back"),
    ]

    def __init__(self, sections: list[HelpSection]) -> None:
        super().__init__(id="help-screen")
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box", classes="screen-box") as box:
            box.border_title = "Keys"
            with Horizontal(id="help-columns"):
                for column in split_in_two(self.sections):
                    with Vertical(classes="help-column"):
                        for section in column:
                            yield from section_widgets(section)
        yield Footer()

    @property
    def text(self) -> str:
        """Every key as the screen lists it: a title per section, a line per key."""
        return str(render_help(self.sections))
