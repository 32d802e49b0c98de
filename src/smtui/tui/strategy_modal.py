"""The strategy picker: every registered scoring strategy, with what it rates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from smtui.tui.forms import describe_error
from smtui.tui.modals import Dialog
from smtui.tui.strategies import StrategyInfo, list_strategies

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from smtui.config import Config


class StrategiesLoaded(Message):
    def __init__(self, strategies: list[StrategyInfo] | None, error: str | None) -> None:
        super().__init__()
        self.strategies = strategies
        self.error = error


def strategy_option(info: StrategyInfo, current: str, default: str) -> Option:
    """The title, then the name and where it stands (in use, the default, which plugin), then
    what it rates. Every line starts at the left edge, so a long description wraps evenly."""
    marks = []
    if info.name == current:
        marks.append("in use")
    if info.name == default:
        marks.append("default")
    if info.plugin and info.plugin != info.name:
        marks.append(f"from {info.plugin}")
    lines = [
        Content.assemble(
            (info.title, "bold"),
            (f"  {info.name}", "$text-muted"),
            (f" ({', '.join(marks)})" if marks else "", "$text-muted"),
        )
    ]
    if info.description:
        lines.append(Content.styled(info.description, "$text-muted"))
    return Option(Content("\n").join(lines), id=info.name)


class StrategyDialog(Dialog[str]):
    """Pick the strategy the score panel uses until the dashboard closes."""

    DEFAULT_CSS = """
    #strategies {
        text-wrap: wrap;
    }
    """

    def __init__(self, config: Config, current: str, *, cursor_blink: bool = True) -> None:
        super().__init__(cursor_blink=cursor_blink)
        self.config = config
        self.current = current
        self.strategies: list[StrategyInfo] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="strategy-dialog"):
            yield Label("Score with which strategy?", classes="dialog-title")
            yield OptionList(
                Option("Loading the strategies…", disabled=True),
                id="strategies",
                classes="dialog-list",
            )
            yield Static(
                f"For this dashboard only: the config keeps {self.config.default_strategy!r}.",
                classes="dialog-hint",
            )
            yield Static("", classes="dialog-error", id="strategy-error")
            yield self.buttons("Use", "strategy-confirm")

    def on_mount(self) -> None:
        super().on_mount()
        self._load()

    @work(thread=True, exit_on_error=False)
    def _load(self) -> None:
        from smtui.tui.data import plugin_registry

        try:
            registry = plugin_registry(self.config)
            self.post_message(StrategiesLoaded(list_strategies(registry), None))
        except Exception as exc:
            self.post_message(StrategiesLoaded(None, describe_error(exc)))

    def on_strategies_loaded(self, message: StrategiesLoaded) -> None:
        if message.strategies is None:
            self.show_error(f"Could not load the strategies: {message.error}")
            return
        self.strategies = message.strategies
        options = self.query_one(OptionList)
        # A rule between strategies: their descriptions wrap over a few lines each.
        shown: list[Option | None] = []
        for info in self.strategies:
            if shown:
                shown.append(None)
            shown.append(strategy_option(info, self.current, self.config.default_strategy))
        options.set_options(shown)
        names = [info.name for info in self.strategies]
        options.highlighted = names.index(self.current) if self.current in names else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def confirm(self) -> None:
        option = self.query_one(OptionList).highlighted_option
        if option is None:
            self.show_error("No strategy to pick.")
            return
        self.dismiss(option.id)
