"""Every key and screen of the dashboard beyond the panels: start and log dialogs with their
choices, quick log, strategy swap, goals, sessions, import, help, theme and the timebox alert.

Pilot tests drive the real app on a real database and check what the database holds after,
and what the user was told; the Textual-free helpers are tested on their own first.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from textual.widgets import Button, Checkbox, DataTable, Input, SelectionList, Static

from smtui import clock
from smtui.config import Config
from smtui.core import goals, outcomes, sessions
from smtui.core.kinds import BUILTIN_KINDS, OutcomeKind
from smtui.errors import UsageError
from smtui.tui import data
from smtui.tui.app import SmtuiApp
from smtui.tui.choices import (
    Choices,
    complete_path,
    completes,
    fuzzy_rank,
    last_choice,
    load_choices,
    most_used_kinds,
    recent_intents,
    used_platforms,
)
from smtui.tui.fields import FuzzyField, MatchList
from smtui.tui.forms import (
    GoalDraft,
    LogRequest,
    SessionDraft,
    check_goal_draft,
    edit_session_action,
    goal_fields,
    outcome_values,
    parse_local_time,
    save_goal_action,
)
from smtui.tui.goals_screen import GoalFormDialog, GoalsScreen
from smtui.tui.help_screen import HelpScreen, HelpSection, binding_keys, split_in_two
from smtui.tui.history import load_page
from smtui.tui.import_screen import ImportScreen, short_name
from smtui.tui.modals import (
    ConfirmDialog,
    LogOutcomeDialog,
    StartSessionDialog,
    StopSessionDialog,
)
from smtui.tui.plugins_screen import PluginsScreen
from smtui.tui.sessions_screen import SessionFormDialog, SessionsScreen
from smtui.tui.strategies import list_strategies, score_loader
from smtui.tui.strategy_modal import StrategyDialog
from smtui.tui.timebox import TimeboxWatch
from smtui.tui.widgets import ScorePanel, SessionPanel

from .conftest import PYTHON, SHARED, T0, subprocess_env
from .plugin_cli_fakes import isolated_site
from .test_tui import Harness, run

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable, Iterator

    from textual.pilot import Pilot

    from .test_plugins import Site

HOUR = 3600
DAY = 86400
FACEBOOK_EXPORT = SHARED / "realdata" / "facebook" / "Feb-01-2025_Mar-15-2025_613168031534769.csv"


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config(str(tmp_path / "config.toml"), timezone="UTC")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    yield from isolated_site(tmp_path, monkeypatch)


PLUGIN = """
    from smtui import api

    class Minutes(api.ScoringStrategy):
        name = "minutes"
        title = "Minutes on social"
        description = "How long you spent, nothing more."

        def score(self, window):
            total = sum(window.active_seconds(s) for s in window.sessions)
            return api.Score(self.name, total / 60, f"{total // 60} minutes", [], unit="min")

    @api.hookimpl
    def register_scorers(register):
        register(Minutes)

    @api.hookimpl
    def register_outcome_kinds(register):
        register(api.OutcomeKind("podcast_booked", "Podcast booked", "Booked a podcast guest spot"))
"""


def install_plugin(site: Site) -> None:
    site.install("smtui-extra", {"extra": "smtui_extra"}, {"smtui_extra": PLUGIN})


async def until(harness: Harness, pilot: Pilot[None], condition: Callable[[], bool]) -> None:
    await harness.settle(pilot, condition)


async def opened(harness: Harness, pilot: Pilot[None], key: str, screen: type) -> Any:
    """Press ``key`` and wait for ``screen`` to be on top (and its workers to finish)."""
    await pilot.press(key)
    await until(harness, pilot, lambda: isinstance(harness.app.screen, screen))
    return harness.app.screen


def field(screen: Any, selector: str) -> Input:
    return screen.query_one(selector, Input)


def uncovered(screen: Any, selector: str) -> bool:
    """The widget is whole on the screen and nothing is drawn over its middle."""
    widget = screen.query_one(selector)
    region = widget.region
    if not region or not screen.region.contains_region(region):
        return False
    at, _ = screen.get_widget_at(region.x + region.width // 2, region.y + region.height // 2)
    return bool(at is widget)


# --- fuzzy matching and the choices ----------------------------------------------------------


def test_fuzzy_rank_puts_exact_then_prefix_then_word_starts_then_scattered() -> None:
    candidates = ["youtube", "x", "linkedin", "mastodon", "threads", "guest_post", "tiktok"]
    assert fuzzy_rank("x", candidates) == ["x"]
    assert fuzzy_rank("t", candidates)[:2] == ["threads", "tiktok"]  # prefixes, in given order
    assert fuzzy_rank("post", candidates) == ["guest_post"]  # a word inside the name
    assert fuzzy_rank("lkd", candidates) == ["linkedin"]  # scattered letters
    assert fuzzy_rank("zz", candidates) == []
    assert fuzzy_rank("", candidates) == candidates
    assert fuzzy_rank("T", candidates, limit=1) == ["threads"]  # case does not matter


def test_only_a_prefix_is_a_safe_completion() -> None:
    assert completes("pro", "prospecting")
    assert completes("prospecting", "prospecting")
    assert not completes("post", "prospecting")  # p-o-s-t is in it, but it is another word


def test_the_last_choice_is_the_session_created_last(db: Any) -> None:
    assert last_choice(db) is None
    sessions.add(db, "linkedin", "prospecting", T0 - 5 * HOUR, T0 - 4 * HOUR, timebox_s=1500)
    sessions.add(db, "x", "engagement", T0 - 9 * HOUR, T0 - 8 * HOUR)  # older, created later
    last = last_choice(db)
    assert last is not None
    assert (last.platform, last.intent, last.timebox_s) == ("x", "engagement", None)


def test_platforms_and_intents_used_before_are_offered(db: Any, config: Config) -> None:
    config.platforms = ("substack",)
    config.target_platforms = ("bluesky",)
    sessions.add(db, "reddit", "listening", T0 - 5 * HOUR, T0 - 4 * HOUR)
    sessions.add(db, "substack", "writing", T0 - 3 * HOUR, T0 - 2 * HOUR)
    sessions.add(db, "reddit", "", T0 - 2 * HOUR, T0 - HOUR)
    assert used_platforms(db) == ["reddit", "substack"]
    assert recent_intents(db) == ["writing", "listening"]
    choices = load_choices(db, config, T0)
    assert choices.platforms[:4] == ["reddit", "bluesky", "substack", "linkedin"]
    assert len(choices.platforms) == len(set(choices.platforms))
    assert choices.intents[:3] == ["writing", "listening", "prospecting"]


def test_quick_kinds_are_the_most_used_of_90_days_then_the_checklist(db: Any) -> None:
    known = list(BUILTIN_KINDS)
    assert most_used_kinds(db, known, T0) == known[:9]
    for _ in range(3):
        outcomes.log(db, "lead", session=None)
    outcomes.log(db, "deal", session=None, amount_minor=100, currency="EUR")
    outcomes.log(db, "trust_built", session=None)
    for _ in range(5):  # plenty, but too long ago to count
        outcomes.log(db, "ally_promoted", session=None, at=T0 - 91 * DAY)
    outcomes.log(db, "retired_kind", session=None)  # a kind nothing knows any more
    quick = most_used_kinds(db, known, T0)
    assert quick[:3] == ["lead", "trust_built", "deal"]  # ties in checklist order
    assert quick[3:] == [k for k in known if k not in ("lead", "deal", "trust_built")][:6]
    assert len(quick) == 9


def test_plugin_kinds_are_offered_after_the_built_in_ones(db: Any, config: Config) -> None:
    extra = OutcomeKind("podcast_booked", "Podcast booked", "Booked a podcast")
    choices = load_choices(db, config, T0, {"podcast_booked": extra, **BUILTIN_KINDS})
    assert [kind.name for kind in choices.kinds] == [*BUILTIN_KINDS, "podcast_booked"]
    assert choices.kind("podcast_booked") is extra
    assert choices.quick_kind(1) is BUILTIN_KINDS["prospect_identified"]
    assert choices.quick_kind(10) is None
    assert choices.digit_of("deal") is None  # ten built-in kinds, nine digits


def test_complete_path_names_files_and_folders(tmp_path: Path, monkeypatch: Any) -> None:
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "x_2026.csv").write_text("a")
    (tmp_path / "exports" / "x_2025.csv").write_text("a")
    (tmp_path / "exports" / ".hidden").write_text("a")
    base = str(tmp_path)
    assert complete_path(f"{base}/exp") == f"{base}/exports{os.sep}"
    assert complete_path(f"{base}/exports/x") == f"{base}/exports/x_2025.csv"
    assert complete_path(f"{base}/exports/x_2026") == f"{base}/exports/x_2026.csv"
    assert complete_path(f"{base}/exports/x_2026.csv") is None  # nothing left to add
    assert complete_path(f"{base}/exports/.h") == f"{base}/exports/.hidden"
    assert complete_path(f"{base}/exports/") == f"{base}/exports/x_2025.csv"  # not .hidden
    assert complete_path(f"{base}/nowhere/x") is None
    assert complete_path("") is None
    monkeypatch.setenv("HOME", base)
    assert complete_path("~/exp") == f"~/exports{os.sep}"  # as typed, ~ kept


# --- the timebox alert -----------------------------------------------------------------------


def test_the_timebox_rings_once_when_it_runs_out_in_view() -> None:
    watch = TimeboxWatch()
    session = sessions_record(started_at=T0 - 590, timebox_s=600)
    assert watch.check(session, T0) is None  # 10 s left
    alert = watch.check(session, T0 + 10)
    assert alert is not None and alert.bell
    assert alert.message == (
        "The 10m timebox of the linkedin session #7 is up. Press x to stop it."
    )
    assert watch.check(session, T0 + 11) is None  # once per session
    assert watch.check(sessions_record(started_at=T0, timebox_s=None), T0 + 9999) is None


def test_a_timebox_that_ran_out_unseen_is_told_without_the_bell() -> None:
    watch = TimeboxWatch()
    alert = watch.check(sessions_record(started_at=T0 - 3600, timebox_s=1500), T0, "n")
    assert alert is not None and not alert.bell
    assert alert.message == (
        "The 25m timebox of the linkedin session #7 ran out 35m ago. Press n to stop it."
    )


def test_pauses_do_not_use_up_the_timebox() -> None:
    watch = TimeboxWatch()
    session = sessions_record(started_at=T0 - 700, timebox_s=600)
    session.paused_s = 200  # 500 s active
    assert watch.check(session, T0) is None


def sessions_record(*, started_at: int, timebox_s: int | None) -> Any:
    from smtui.models import Session

    return Session(7, "linkedin", "prospecting", started_at, timebox_s=timebox_s)


# --- forms without a terminal ----------------------------------------------------------------


def test_parse_local_time_takes_a_date_time_or_a_clock_time_today() -> None:
    from zoneinfo import ZoneInfo

    paris = ZoneInfo("Europe/Paris")
    assert parse_local_time("2026-03-01 09:30", UTC, T0, "start") == T0 - 3 * DAY - 30 * 60
    assert parse_local_time("09:30", UTC, T0, "start") == T0 - 30 * 60
    assert parse_local_time("11:00", paris, T0, "start") == T0  # 10:00 UTC is 11:00 in Paris
    with pytest.raises(UsageError, match="bad end time 'soon'"):
        parse_local_time("soon", UTC, T0, "end")


def test_an_edit_writes_only_what_changed(db: Any, config: Config) -> None:
    session = sessions.add(db, "x", "engagement", T0 - 2 * HOUR + 17, T0 - HOUR + 5, note="n")
    draft = SessionDraft(
        platform="X", intent="engagement", start="2026-03-04 08:00", end="2026-03-04 09:00",
        note="n", tags="",
    )  # fmt: skip
    assert edit_session_action(session, draft, config, UTC, T0)(db) == "Session #1: nothing changed"
    assert sessions.get(db, session.id) == session  # the seconds of its times were kept
    draft.intent = "listening"
    draft.tags = "#Client, demo"
    draft.end = "09:30"
    assert edit_session_action(session, draft, config, UTC, T0)(db) == "Saved session #1"
    edited = sessions.get(db, session.id)
    assert (edited.intent, edited.tags, edited.started_at, edited.ended_at) == (
        "listening",
        ("client", "demo"),
        session.started_at,
        T0 - 30 * 60,
    )


def test_outcome_values_check_details_and_money() -> None:
    deal = BUILTIN_KINDS["deal"]
    moved = BUILTIN_KINDS["moved_off_social"]
    assert outcome_values(LogRequest("deal", amount="1,200.50"), (), True, "eur") == {
        "contact": "",
        "detail": "",
        "amount_minor": 120050,
        "currency": "EUR",
    }
    assert outcome_values(
        LogRequest("moved_off_social", detail="Call", contact=" Ana "), moved.details, False, "EUR"
    ) == {"contact": "Ana", "detail": "call"}
    with pytest.raises(UsageError, match="moved_off_social takes one of email, call"):
        outcome_values(LogRequest("moved_off_social", detail="fax"), moved.details, False, "EUR")
    with pytest.raises(UsageError, match="bad amount 'lots'"):
        outcome_values(LogRequest("deal", amount="lots"), deal.details, True, "EUR")
    with pytest.raises(UsageError, match="lead takes no amount"):
        outcome_values(LogRequest("lead", amount="5"), (), False, "EUR")


def test_a_goal_form_round_trips_and_resolves_kind_prefixes(db: Any, config: Config) -> None:
    draft = GoalDraft(
        name="Qualify", measure="outcomes", subject="qualif", target="5", period="week",
        at_most=False, platform="li",
    )  # fmt: skip
    kinds = list(BUILTIN_KINDS.values())
    assert save_goal_action(draft, None, config, kinds)(db) == "Added goal #1: Qualify"
    goal = goals.get_goal(db, 1)
    assert (goal.subject, goal.target, goal.platform) == ("prospect_qualified", 5.0, "linkedin")
    shown = goal_fields(goal)
    assert (shown.target, shown.subject, shown.platform) == ("5", "prospect_qualified", "linkedin")
    budget = goals.add_goal(db, name="Budget", measure="time_total", target=6 * HOUR, period="week")
    assert goal_fields(budget).target == "6h 00m"
    assert goals.parse_target("time_total", goal_fields(budget).target) == 6 * HOUR


def test_the_goal_form_names_the_field_at_fault_and_what_it_takes() -> None:
    def fault(**changes: Any) -> tuple[str, str] | None:
        fields: dict[str, Any] = {"name": "Two leads", "measure": "outcomes", "subject": "",
                                  "target": "2", "period": "week", "at_most": False}  # fmt: skip
        return check_goal_draft(GoalDraft(**{**fields, **changes}))

    assert fault() is None
    assert fault(name=" ") == ("name", "Name is needed, e.g. 5 qualified prospects a week.")
    assert fault(measure="post_metric") == (
        "subject",
        "Subject is needed: which post metric the goal counts.",
    )
    assert fault(target="") == ("target", "Target is needed: a number (e.g. 5 or 2.5).")
    assert fault(target="many") == ("target", "Target 'many' is not a number (e.g. 5 or 2.5).")
    assert fault(target="-3") == ("target", "Target '-3': must be zero or more (e.g. 5 or 2.5).")
    assert fault(measure="time_total", target="lots") == (
        "target",
        "Target 'lots' is not a duration (e.g. 6h, 45m or 1h30m).",
    )
    assert fault(measure="revenue", target="a lot") == (
        "target",
        "Target 'a lot' is not an amount (e.g. 3000 or 1200.50).",
    )
    assert fault(measure="engagement_rate", target="high") == (
        "target",
        "Target 'high' is not a percentage (e.g. 2% or 0.02).",
    )
    assert fault(measure="engagement_rate", target="2.5%") is None
    assert fault(measure="time_total", target="0") is None


def test_history_pages_are_newest_first_with_outcome_counts(db: Any) -> None:
    for index in range(7):
        start = T0 - (index + 1) * HOUR
        added = sessions.add(db, "x", f"s{index}", start, start + 600)
        if index == 1:
            outcomes.log(db, "lead", session=added.id, at=start + 60)
            outcomes.log(db, "deal", session=added.id, at=start + 60)
    first = load_page(db, limit=3)
    assert [row.session.intent for row in first.rows] == ["s0", "s1", "s2"]
    assert [(row.outcomes, row.status) for row in first.rows][:2] == [
        (0, "playtime"),
        (2, "productive"),
    ]
    assert (first.more, first.total) == (True, 7)
    last = load_page(db, first.rows[-1].session.started_at, limit=4)
    assert [row.session.intent for row in last.rows] == ["s3", "s4", "s5", "s6"]
    assert last.more is False


def test_strategies_are_listed_by_title_and_one_can_score_instead(
    site: Site, db: Any, config: Config
) -> None:
    install_plugin(site)
    from smtui.plugins import load_registry

    listed = list_strategies(load_registry(config))
    assert [(s.name, s.title, s.plugin) for s in listed] == [
        ("checklist", "Checklist", "checklist"),
        ("engagement", "Engagement rate", "engagement_strategy"),
        ("focus", "Focus", "focus"),
        ("minutes", "Minutes on social", "extra"),
        ("outcomes", "Outcome points", "outcome_points"),
        ("roi", "Return on time", "roi"),
    ]
    sessions.add(db, "x", "", T0 - HOUR, T0 - HOUR + 900)
    view = score_loader("minutes")(db, data.DashboardContext(config, UTC), T0)
    assert isinstance(view, data.ScoreView)
    assert (view.title, view.score.label) == ("Minutes on social", "15 minutes")
    assert config.default_strategy == "checklist"  # the config is left alone


def test_help_uses_the_keymap_key_of_a_binding() -> None:
    from textual.binding import Binding

    binding = Binding("g", "show_goals", "Goals", id="goals")
    assert binding_keys(binding, {}) == ["g"]
    assert binding_keys(binding, {"goals": "G, f6"}) == ["G", "f6"]
    assert binding_keys(Binding("escape", "back", "Back"), {"goals": "x"}) == ["escape"]


def test_help_sections_split_in_two_columns_of_about_the_same_height() -> None:
    def sections(*sizes: int) -> list[HelpSection]:
        return [HelpSection(f"s{i}", [("k", "what")] * size) for i, size in enumerate(sizes)]

    def titles(columns: tuple[list[HelpSection], list[HelpSection]]) -> list[list[str]]:
        return [[section.title for section in column] for column in columns]

    assert titles(split_in_two(sections(14, 2, 3, 4, 5, 4))) == [
        ["s0", "s1"],
        ["s2", "s3", "s4", "s5"],
    ]
    assert titles(split_in_two(sections(3, 3, 3, 3))) == [["s0", "s1"], ["s2", "s3"]]
    assert titles(split_in_two(sections(30, 2))) == [["s0"], ["s1"]]
    assert titles(split_in_two(sections(5))) == [["s0"], []]  # never an empty first column


def test_short_names_keep_the_extension() -> None:
    assert short_name("a.csv") == "a.csv"
    cut = short_name("Feb-01-2025_Mar-15-2025_613168031534769.csv", 20)
    assert len(cut) == 20 and cut.endswith("769.csv") and "…" in cut


# --- start ----------------------------------------------------------------------------------


def test_start_offers_the_last_choice_and_starts_it_again(
    db: Any, db_path: str, config: Config
) -> None:
    sessions.add(db, "bluesky", "networking", T0 - 3 * HOUR, T0 - 2 * HOUR, timebox_s=45 * 60)
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(message_hook=harness.hook) as pilot:
            await harness.settle(pilot, lambda: harness.loaded() and harness.app.choices_loaded)
            dialog = await opened(harness, pilot, "s", StartSessionDialog)
            values = [field(dialog, f"#{name}").value for name in ("platform", "intent", "timebox")]
            assert values == ["bluesky", "networking", "45m"]
            await pilot.press("enter")
            await until(harness, pilot, lambda: harness.app.running_session is not None)
            assert ("information", "Started session #2 on bluesky") in harness.toasts

    run(scenario())
    running = sessions.running(db)
    assert running is not None
    assert (running.platform, running.intent, running.timebox_s) == ("bluesky", "networking", 2700)


def test_start_picks_platforms_and_intents_fuzzily(db: Any, db_path: str, config: Config) -> None:
    config.platforms = ("substack",)
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test() as pilot:
            await harness.settle(pilot, lambda: harness.loaded() and harness.app.choices_loaded)
            dialog = await opened(harness, pilot, "s", StartSessionDialog)
            await pilot.press(*"sbs")
            platform = dialog.query_one("#platform-field", FuzzyField)
            assert platform.matches[0] == "substack"
            assert platform.has_class("-open")  # the pick list shows while typing
            await pilot.press("tab")  # a closed field takes the best match
            assert field(dialog, "#platform").value == "substack"
            assert not platform.has_class("-open")
            await pilot.press(*"pos", "tab")  # an open field keeps new words as typed
            assert field(dialog, "#intent").value == "pos"
            await pilot.press("shift+tab")
            await pilot.press("ctrl+u", *"lis", "down", "down")  # the arrows pick: listening
            intent = dialog.query_one("#intent-field", FuzzyField)
            assert intent.highlighted == "listening"
            await pilot.press("enter")
            await until(harness, pilot, lambda: harness.app.running_session is not None)

    run(scenario())
    running = sessions.running(db)
    assert running is not None and (running.platform, running.intent) == ("substack", "listening")


def test_start_errors_stay_in_the_dialog(db: Any, db_path: str, config: Config) -> None:
    sessions.add(db, "x", "", T0 - HOUR, T0 - 60)
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(message_hook=harness.hook) as pilot:
            await harness.settle(pilot, lambda: harness.loaded() and harness.app.choices_loaded)
            dialog = await opened(harness, pilot, "s", StartSessionDialog)
            await pilot.press("ctrl+u", "enter")
            assert dialog.error_text == "A platform is needed, e.g. linkedin."
            await pilot.press(*"x", "tab", "tab", *"0m", "enter")
            assert "bad timebox '0m'" in dialog.error_text
            assert harness.app.screen is dialog
            assert harness.toasts == []

    run(scenario())
    assert sessions.running(db) is None


def test_the_start_dialog_shows_every_field_at_80x24_and_more_at_160x48(
    db: Any, db_path: str, config: Config
) -> None:
    sessions.add(db, "bluesky", "networking", T0 - 3 * HOUR, T0 - 2 * HOUR, timebox_s=45 * 60)
    harness = Harness(db_path, config)
    everything = ("#platform", "#intent", "#timebox", "#start-confirm", "#cancel")

    async def scenario() -> None:
        async with harness.app.run_test(size=(80, 24)) as pilot:
            await harness.settle(pilot, lambda: harness.loaded() and harness.app.choices_loaded)
            dialog = await opened(harness, pilot, "s", StartSessionDialog)
            platform = dialog.query_one("#platform-field", FuzzyField)
            matches = platform.query_one(MatchList)
            # The platform's pick list is open, four rows high, and hides no other field.
            assert platform.has_class("-open") and matches.region.height == 4
            assert [name for name in everything if not uncovered(dialog, name)] == []
            assert dialog.query_one("#start-dialog").max_scroll_y == 0  # nothing to scroll to
            await pilot.press("tab")  # the intent's list opens in its place
            intent = dialog.query_one("#intent-field", FuzzyField)
            assert intent.has_class("-open") and not platform.has_class("-open", "-kept")
            assert [name for name in everything if not uncovered(dialog, name)] == []
            # Leaving a pick list for a field or a button moves nothing below it.
            start = dialog.query_one("#start-confirm").region
            await pilot.press("tab")
            assert intent.has_class("-kept") and dialog.query_one("#start-confirm").region == start
            await pilot.press("escape")
            await pilot.resize_terminal(160, 48)
            dialog = await opened(harness, pilot, "s", StartSessionDialog)
            # Richer at 160x48: a wider dialog and eight matches at once.
            assert dialog.has_class("-tall", "-wide")
            assert dialog.query_one("#start-dialog").region.width > 86
            assert (
                dialog.query_one("#platform-field", FuzzyField).query_one(MatchList).region.height
                == 8
            )
            assert [name for name in everything if not uncovered(dialog, name)] == []

    run(scenario())


# --- log and quick log -----------------------------------------------------------------------


def test_log_filters_kinds_and_asks_a_deal_for_its_amount(
    db: Any, db_path: str, config: Config
) -> None:
    running = sessions.start(db, "linkedin", at=T0 - 600)
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(message_hook=harness.hook) as pilot:
            await harness.settle(pilot, lambda: harness.loaded() and harness.app.choices_loaded)
            dialog = await opened(harness, pilot, "o", LogOutcomeDialog)
            await pilot.press(*"dea")
            assert [kind.name for kind in dialog.shown] == ["deal"]
            await pilot.press("enter")
            assert dialog.chosen is not None and dialog.chosen.name == "deal"
            assert harness.app.focused is field(dialog, "#amount")
            await pilot.press(*"lots", "enter")
            await until(harness, pilot, lambda: bool(dialog.error_text))
            assert "bad amount 'lots'" in dialog.error_text
            assert outcomes.list_outcomes(db) == []  # nothing written
            await pilot.press("ctrl+u", *"1,200.50", "shift+tab", *"Acme", "enter")
            await until(harness, pilot, lambda: harness.app.screen is not dialog)
            assert ("information", f"Logged Deal in session #{running.id}") in harness.toasts

    run(scenario())
    [deal] = outcomes.list_outcomes(db)
    assert (deal.kind, deal.amount_minor, deal.currency, deal.session_id, deal.contact) == (
        "deal",
        120050,
        "EUR",
        running.id,
        "Acme",
    )


def test_log_takes_a_detail_and_a_contact(db: Any, db_path: str, config: Config) -> None:
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(message_hook=harness.hook) as pilot:
            await harness.settle(pilot, lambda: harness.loaded() and harness.app.choices_loaded)
            dialog = await opened(harness, pilot, "o", LogOutcomeDialog)
            assert "no session running" in dialog.target
            await pilot.press(*"moved", "enter", *"ca", "tab", *"Maria Chen", "enter")
            await until(harness, pilot, lambda: harness.app.screen is not dialog)
            assert ("information", "Logged Moved off social") in harness.toasts

    run(scenario())
    [moved] = outcomes.list_outcomes(db)
    assert (moved.kind, moved.detail, moved.contact, moved.session_id) == (
        "moved_off_social",
        "call",
        "Maria Chen",
        None,
    )


def test_plugin_kinds_can_be_logged(site: Site, db: Any, db_path: str, config: Config) -> None:
    install_plugin(site)
    sessions.start(db, "x", at=T0 - 60)
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test() as pilot:
            await harness.settle(pilot, lambda: harness.loaded() and harness.app.choices_loaded)
            dialog = await opened(harness, pilot, "o", LogOutcomeDialog)
            assert dialog.shown[-1].name == "podcast_booked"
            await pilot.press(*"podcast", "enter")
            await until(harness, pilot, lambda: harness.app.screen is not dialog)

    run(scenario())
    assert [o.kind for o in outcomes.list_outcomes(db)] == ["podcast_booked"]


def test_digits_log_the_most_used_kinds(db: Any, db_path: str, config: Config) -> None:
    running = sessions.start(db, "linkedin", at=T0 - 600)
    for _ in range(2):
        outcomes.log(db, "trust_built", session=None, at=T0 - DAY)
    outcomes.log(db, "moved_off_social", session=None, at=T0 - DAY)
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(message_hook=harness.hook) as pilot:
            await harness.settle(pilot, lambda: harness.loaded() and harness.app.choices_loaded)
            assert harness.app.choices.quick[:2] == ["trust_built", "moved_off_social"]
            await pilot.press("1")
            await until(harness, pilot, lambda: len(outcomes.list_outcomes(db)) == 4)
            assert ("information", f"Logged Trust built in session #{running.id}") in (
                harness.toasts
            )
            # A kind with details asks for them: straight to its second step.
            dialog = await opened(harness, pilot, "2", LogOutcomeDialog)
            assert dialog.chosen is not None and dialog.chosen.name == "moved_off_social"
            await pilot.press(*"email", "enter")
            await until(harness, pilot, lambda: harness.app.screen is not dialog)
            await pilot.press("9")
            await harness.settle(pilot)

    run(scenario())
    logged = [(o.kind, o.detail, o.session_id) for o in outcomes.list_outcomes(db, since=T0)]
    nine = [k for k in BUILTIN_KINDS if k not in ("trust_built", "moved_off_social")][6]
    assert sorted(logged) == sorted(
        [
            ("trust_built", "", running.id),
            ("moved_off_social", "email", running.id),
            (nine, "", running.id),
        ]
    )


def test_digits_wait_for_the_choices(db: Any, db_path: str, config: Config) -> None:
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(message_hook=harness.hook) as pilot:
            await harness.settle(pilot)
            harness.app.choices_loaded = False  # as in the first moment after opening
            await pilot.press("3")
            await harness.settle(pilot, lambda: bool(harness.toasts))
            assert harness.toasts == [
                ("information", "Still reading which kinds you use most; try again in a moment.")
            ]

    run(scenario())
    assert outcomes.list_outcomes(db) == []


def test_stopping_counts_outcomes_logged_while_it_ran(
    db: Any, db_path: str, config: Config
) -> None:
    running = sessions.start(db, "linkedin", at=T0 - 600)
    outcomes.log(db, "lead")
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(message_hook=harness.hook) as pilot:
            await harness.settle(pilot)
            await pilot.press("x")
            await pilot.pause()
            await pilot.click("#stop-confirm")
            await until(harness, pilot, lambda: harness.app.running_session is None)
            assert ("information", f"Stopped session #{running.id} with 1 outcome") in (
                harness.toasts
            )

    run(scenario())


def test_the_stop_dialog_fits_in_24_rows_with_every_question_whole(
    db: Any, db_path: str, config: Config
) -> None:
    running = sessions.start(db, "linkedin", at=T0 - 600)
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(size=(80, 24)) as pilot:
            await harness.settle(pilot)
            dialog = await opened(harness, pilot, "x", StopSessionDialog)
            checklist: SelectionList[str] = dialog.query_one(SelectionList)
            assert dialog.query_one("#stop-dialog").max_scroll_y == 0
            assert checklist.max_scroll_y == 0  # every question in view, nothing scrolls
            assert uncovered(dialog, "#stop-confirm") and uncovered(dialog, "#cancel")
            # A question too long for 80 columns wraps under itself, its box on the first line.
            lines = [checklist.render_line(y).text for y in range(checklist.size.height)]
            questions: list[str] = []
            for line in lines:
                if line.startswith(Checkbox.BUTTON_LEFT):
                    questions.append(line[4:].strip())
                else:
                    assert line.startswith("    "), line
                    questions[-1] += " " + line.strip()
            assert questions == [kind.question for kind in BUILTIN_KINDS.values()]
            assert len(lines) > len(questions)  # some did wrap
            # Space ticks a box; Enter stops with what is ticked.
            await pilot.press("down", "space", "enter")
            await until(harness, pilot, lambda: harness.app.running_session is None)

    run(scenario())
    assert [(o.kind, o.session_id) for o in outcomes.list_outcomes(db)] == [
        ("prospect_qualified", running.id)
    ]


# --- the scoring strategy --------------------------------------------------------------------


def test_c_swaps_the_score_panel_to_another_strategy(
    site: Site, db: Any, db_path: str, config: Config
) -> None:
    install_plugin(site)
    sessions.add(db, "x", "", T0 - HOUR, T0 - HOUR + 1200)
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(message_hook=harness.hook) as pilot:
            await harness.settle(pilot)
            score = harness.app.query_one(ScorePanel)
            assert score.border_title == "Score · Checklist"
            dialog = await opened(harness, pilot, "c", StrategyDialog)
            await until(harness, pilot, lambda: bool(dialog.strategies))
            assert [s.name for s in dialog.strategies] == [
                "checklist", "engagement", "focus", "minutes", "outcomes", "roi"
            ]  # fmt: skip
            await pilot.press("down", "down", "down", "enter")
            await until(harness, pilot, lambda: score.border_title == "Score · Minutes on social")
            assert score.text.splitlines()[0] == "20 minutes"
            assert harness.app.strategy == "minutes"
            assert (
                "information",
                "Scoring with minutes until you quit; the config's default stays checklist.",
            ) in harness.toasts
            harness.app.reload()  # a reload keeps the chosen strategy
            await harness.settle(pilot)
            assert score.border_title == "Score · Minutes on social"

    run(scenario())
    assert config.default_strategy == "checklist"
    assert not os.path.exists(config.path)  # nothing written to the config


# --- goals -----------------------------------------------------------------------------------


def test_goals_screen_lists_adds_edits_and_removes(db: Any, db_path: str, config: Config) -> None:
    outcomes.log(db, "lead", session=None)
    goals.add_goal(db, name="Budget", measure="time_total", target=6 * HOUR, period="week",
                   direction="at_most")  # fmt: skip
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(size=(100, 30), message_hook=harness.hook) as pilot:
            await harness.settle(pilot, lambda: harness.loaded() and harness.app.choices_loaded)
            screen = await opened(harness, pilot, "g", GoalsScreen)
            await harness.settle(pilot, lambda: bool(screen.progress))
            assert screen.table_text.splitlines() == [
                # Wednesday 10:00: 58 h of the week's 168 gone, five days left.
                "● ░░░░░░░░ | Budget | 0s / ≤6h 00m | on track | 1h 12m left/day | 2h 04m | week",
            ]
            # Add: name, measure (kept), subject, target, period (kept), platform.
            form = await opened(harness, pilot, "a", GoalFormDialog)
            await pilot.press(*"Two leads", "tab", "tab", *"lea", "tab", *"2", "enter")
            await until(harness, pilot, lambda: len(screen.progress) == 2)
            assert ("information", "Added goal #2: Two leads") in harness.toasts
            # Edit the highlighted one (the more urgent, first): a bad target stays in the form.
            await pilot.press("ctrl+home")
            form = await opened(harness, pilot, "e", GoalFormDialog)
            assert form.goal is not None and form.goal.name == "Two leads"
            target = field(form, "#goal-target")
            target.value = "many"
            await pilot.press("enter")
            await until(harness, pilot, lambda: bool(form.error_text))
            # Said before saving: which field, what it takes, and the cursor is put there.
            assert form.error_text == "Target 'many' is not a number (e.g. 5 or 2.5)."
            assert form.focused is target
            target.value = "3"
            await pilot.press("enter")
            await until(harness, pilot, lambda: harness.app.screen is screen)
            assert goals.get_goal(db, 2).target == 3
            # Remove, after saying yes.
            confirm = await opened(harness, pilot, "d", ConfirmDialog)
            assert "Remove goal #2, Two leads?" in confirm.question
            await pilot.press("n")
            await until(harness, pilot, lambda: harness.app.screen is screen)
            assert len(goals.list_goals(db)) == 2
            await opened(harness, pilot, "d", ConfirmDialog)
            await pilot.press("y")
            await until(harness, pilot, lambda: len(screen.progress) == 1)
            assert ("information", "Deleted goal #2 (Two leads)") in harness.toasts
            await pilot.press("escape")
            assert harness.app.screen is harness.app.screen_stack[0]

    run(scenario())
    assert [g.name for g in goals.list_goals(db)] == ["Budget"]


def test_the_goal_form_follows_the_measure(db: Any, db_path: str, config: Config) -> None:
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(size=(100, 30)) as pilot:
            await harness.settle(pilot, lambda: harness.loaded() and harness.app.choices_loaded)
            await opened(harness, pilot, "g", GoalsScreen)
            form = await opened(harness, pilot, "a", GoalFormDialog)
            from textual.widgets import Checkbox, Select

            form.query_one("#goal-measure", Select).value = "playtime"
            await pilot.pause()
            assert not form.query_one("#goal-subject-row").display  # playtime takes no subject
            assert field(form, "#goal-target").placeholder == "e.g. 6h, 45m or 1h30m"
            field(form, "#goal-name").value = "Little play"
            field(form, "#goal-target").value = "30m"
            form.query_one("#goal-period", Select).value = "day"
            form.query_one("#goal-at-most", Checkbox).value = True
            form.query_one("#goal-measure", Select).value = "post_metric"
            await pilot.pause()
            assert form.query_one("#goal-subject-row").display
            assert "impressions" in form.query_one("#goal-subject-field", FuzzyField).candidates
            form.query_one("#goal-measure", Select).value = "playtime"
            await pilot.pause()
            platform = field(form, "#goal-platform")
            platform.focus()
            await pilot.press("tab")  # an empty optional field is not filled in by Tab
            assert platform.value == ""
            platform.focus()
            await pilot.press("down", "tab")  # but a candidate picked with the arrows is
            assert platform.value == harness.app.choices.platforms[0]
            platform.value = ""
            await pilot.pause()  # its pick list, still shown below it, now offers them all
            await pilot.click("#goal-confirm")
            await until(harness, pilot, lambda: not isinstance(harness.app.screen, Dialog))

    from smtui.tui.modals import Dialog

    run(scenario())
    [goal] = goals.list_goals(db)
    assert (goal.measure, goal.subject, goal.target, goal.period, goal.direction) == (
        "playtime",
        "",
        1800,
        "day",
        "at_most",
    )


def test_goal_names_are_cut_at_80_columns_so_the_status_shows(
    db: Any, db_path: str, config: Config
) -> None:
    name = "20 conversations moved off social a month"
    goals.add_goal(db, name=name, measure="outcomes", subject="moved_off_social", target=20,
                   period="month")  # fmt: skip
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(size=(80, 24)) as pilot:
            await harness.settle(pilot)
            screen = await opened(harness, pilot, "g", GoalsScreen)
            await harness.settle(pilot, lambda: bool(screen.progress))
            assert screen.table_text.split(" | ")[1] == name[:25] + "…"
            table = screen.query_one(DataTable)
            to_status = list(table.columns.values())[:4]  # bar, goal, progress, status
            assert sum(c.get_render_width(table) for c in to_status) <= table.size.width
            assert screen.query_one("#goals-detail", Static).visual is not None
            assert name in str(screen.query_one("#goals-detail", Static).visual)
            await pilot.resize_terminal(160, 48)
            await harness.settle(pilot, lambda: screen.table_text.split(" | ")[1] == name)

    run(scenario())


# --- sessions --------------------------------------------------------------------------------


def add_sessions(conn: sqlite3.Connection, count: int) -> list[int]:
    ids = []
    for index in range(count):
        start = T0 - (index + 1) * HOUR
        ids.append(sessions.add(conn, "x", f"s{index}", start, start + 1800).id)
    return ids


def test_sessions_screen_edits_the_highlighted_session(
    db: Any, db_path: str, config: Config
) -> None:
    ids = add_sessions(db, 3)
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(size=(120, 30), message_hook=harness.hook) as pilot:
            await harness.settle(pilot, lambda: harness.loaded() and harness.app.choices_loaded)
            screen = await opened(harness, pilot, "l", SessionsScreen)
            await harness.settle(pilot, lambda: len(screen.rows) == 3)
            assert screen.table_text.splitlines()[0] == (
                "1 | 2026-03-04 09:00 | x | s0 | 30m | PLAYTIME | 0 |  | "
            )
            await pilot.press("down")
            form = await opened(harness, pilot, "e", SessionFormDialog)
            assert form.session.id == ids[1]
            # Overlapping the session before it: refused, and said in the form.
            field(form, "#session-end").value = "2026-03-04 09:10"
            await pilot.click("#session-confirm")
            await until(harness, pilot, lambda: bool(form.error_text))
            assert "overlaps session #1" in form.error_text
            field(form, "#session-end").value = "2026-03-04 08:45"
            field(form, "#session-platform").value = "bluesky"
            field(form, "#session-note").value = "replies to comments"
            field(form, "#session-tags").value = "client-a, #Weekly"
            await pilot.click("#session-confirm")
            await until(harness, pilot, lambda: harness.app.screen is screen)
            assert ("information", f"Saved session #{ids[1]}") in harness.toasts
            await harness.settle(pilot, lambda: screen.rows[1].session.platform == "bluesky")
            assert screen.highlighted_session is not None
            assert screen.highlighted_session.id == ids[1]  # the cursor stayed on it

    run(scenario())
    edited = sessions.get(db, ids[1])
    assert (edited.platform, edited.ended_at, edited.note, edited.tags) == (
        "bluesky",
        T0 - 75 * 60,
        "replies to comments",
        ("client-a", "weekly"),
    )


def test_a_bad_time_in_the_session_form_puts_the_cursor_on_it(
    db: Any, db_path: str, config: Config
) -> None:
    [first] = add_sessions(db, 1)
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(size=(80, 24), message_hook=harness.hook) as pilot:
            await harness.settle(pilot, lambda: harness.loaded() and harness.app.choices_loaded)
            screen = await opened(harness, pilot, "l", SessionsScreen)
            await harness.settle(pilot, lambda: len(screen.rows) == 1)
            form = await opened(harness, pilot, "e", SessionFormDialog)
            field(form, "#session-end").value = "soon"
            await pilot.press("enter")
            assert form.error_text == (
                "bad end time 'soon' (use a date-time like 2026-03-01 09:30, or 09:30)"
            )
            assert form.focused is field(form, "#session-end")
            assert harness.app.screen is form and harness.toasts == []

    run(scenario())
    assert sessions.get(db, first).ended_at == T0 - HOUR + 1800


def test_sessions_screen_deletes_after_asking_and_keeps_the_outcomes(
    db: Any, db_path: str, config: Config
) -> None:
    ids = add_sessions(db, 2)
    outcomes.log(db, "lead", session=ids[0], at=T0 - HOUR + 60)
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(message_hook=harness.hook) as pilot:
            await harness.settle(pilot)
            screen = await opened(harness, pilot, "l", SessionsScreen)
            await harness.settle(pilot, lambda: len(screen.rows) == 2)
            confirm = await opened(harness, pilot, "d", ConfirmDialog)
            assert confirm.question == "Delete session #1 (x, 2026-03-04 09:00, 30m)?"
            assert confirm.detail == "Its 1 outcome is kept, without a session."
            assert str(confirm.query_one("#cancel", Button).label) == "Cancel (n)"
            await pilot.press("escape")
            await until(harness, pilot, lambda: harness.app.screen is screen)
            assert len(sessions.list_sessions(db)) == 2
            await opened(harness, pilot, "d", ConfirmDialog)
            await pilot.press("y")
            await harness.settle(pilot, lambda: len(screen.rows) == 1)
            assert (
                "information",
                f"Deleted session #{ids[0]} (x); its outcomes are kept",
            ) in harness.toasts

    run(scenario())
    assert [s.id for s in sessions.list_sessions(db)] == [ids[1]]
    [lead] = outcomes.list_outcomes(db)
    assert lead.session_id is None


def test_a_long_history_loads_a_page_at_a_time(db: Any, db_path: str, config: Config) -> None:
    add_sessions(db, 230)
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test() as pilot:
            await harness.settle(pilot)
            screen = await opened(harness, pilot, "l", SessionsScreen)
            await harness.settle(pilot, lambda: bool(screen.rows))
            assert (len(screen.rows), screen.more, screen.total) == (100, True, 230)
            table = screen.query_one(DataTable)
            table.move_cursor(row=95)
            await harness.settle(pilot, lambda: len(screen.rows) == 200)
            table.move_cursor(row=195)
            await harness.settle(pilot, lambda: len(screen.rows) == 230)
            assert screen.more is False
            intents = [row.session.intent for row in screen.rows]
            assert intents == [f"s{index}" for index in range(230)]  # newest first, no repeats

    run(scenario())


# --- plugins -------------------------------------------------------------------------------


async def plugins_with_built_ins(harness: Harness, pilot: Pilot[None]) -> PluginsScreen:
    """The Plugins screen, loaded, listing the built-in plugins too."""
    await harness.settle(pilot)
    screen: PluginsScreen = await opened(harness, pilot, "P", PluginsScreen)
    await harness.settle(pilot, lambda: screen._loaded)
    await pilot.press("a")
    return screen


def test_every_plugin_shows_at_once_at_160x48(db: Any, db_path: str, config: Config) -> None:
    from smtui.plugins import DEFAULT_PLUGINS

    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(size=(160, 48)) as pilot:
            screen = await plugins_with_built_ins(harness, pilot)
            table = screen.query_one("#plugins-table", DataTable)
            await harness.settle(pilot, lambda: table.row_count >= len(DEFAULT_PLUGINS) > 11)
            await pilot.pause()
            assert table.max_scroll_y == 0  # a short screen scrolls them, a tall one need not

    run(scenario())


def test_without_plugin_panels_the_plugin_detail_shows_at_80x24(
    db: Any, db_path: str, config: Config
) -> None:
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(size=(80, 24)) as pilot:
            screen = await plugins_with_built_ins(harness, pilot)
            detail = screen.query_one("#plugin-detail", Static)
            await harness.settle(pilot, lambda: "provides" in str(detail.visual))
            assert not screen.panels  # nothing installed adds a panel: the table has the room
            assert detail.region.height >= 3 and screen.region.contains_region(detail.region)
            assert uncovered(screen, "#plugin-detail")

    run(scenario())


# --- import ----------------------------------------------------------------------------------


def test_import_previews_then_imports_with_progress(
    db: Any, db_path: str, config: Config, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    shutil.copy(FACEBOOK_EXPORT, folder / "facebook.csv")
    harness = Harness(db_path, config)

    def posts() -> int:
        return int(db.execute("SELECT count(*) FROM posts").fetchone()[0])

    async def scenario() -> None:
        async with harness.app.run_test(size=(100, 30), message_hook=harness.hook) as pilot:
            await harness.settle(pilot)
            screen = await opened(harness, pilot, "i", ImportScreen)
            await pilot.press(*str(tmp_path / "exp"), "tab")  # completes the folder
            assert field(screen, "#import-path").value == f"{folder}{os.sep}"
            await pilot.press("enter")
            await harness.settle(pilot, lambda: screen.previewed is not None)
            assert screen.status_text.startswith("Would import 1 file: 20 new, 0 updated")
            assert screen.table_text == "facebook.csv | facebook_posts | 20 | 0 | 0 | 0"
            assert posts() == 0  # a preview writes nothing
            await pilot.click("#import-run")
            await harness.settle(pilot, lambda: bool(screen.results))
            assert (
                screen.status_text == "Imported 1 file: 20 new, 0 updated, 0 unchanged, 0 skipped."
            )
            from textual.widgets import ProgressBar

            bar = screen.query_one(ProgressBar)
            assert (bar.progress, bar.total) == (20, 20)
            assert ("information", screen.status_text) in harness.toasts

    run(scenario())
    assert db.execute("SELECT count(*), min(platform) FROM posts").fetchone() == (20, "facebook")
    assert db.execute("SELECT count(*) FROM sync_log").fetchone()[0] == 1


def test_import_needs_a_fresh_preview_and_reports_errors(
    db: Any, db_path: str, config: Config, tmp_path: Path
) -> None:
    good = tmp_path / "facebook.csv"
    shutil.copy(FACEBOOK_EXPORT, good)
    unknown = tmp_path / "notes.csv"
    unknown.write_text("colour,shape\nred,round\n")
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(size=(100, 30)) as pilot:
            await harness.settle(pilot)
            screen = await opened(harness, pilot, "i", ImportScreen)
            path = field(screen, "#import-path")
            path.value = str(good)
            await pilot.press("enter")
            await harness.settle(pilot, lambda: screen.previewed is not None)
            assert screen.focused is screen.query_one("#import-run")  # Enter now imports
            path.focus()
            path.value = str(unknown)  # another file: the preview no longer applies
            await pilot.pause()
            assert screen.query_one("#import-run").disabled
            screen.action_run_import()
            assert screen.status_text == "Preview first (Enter), then import."
            await pilot.press("enter")
            await harness.settle(pilot, lambda: "Preview failed" in screen.status_text)
            assert "notes.csv" in screen.status_text
            assert "a header no source knows: 'colour,shape'" in screen.status_text
            path.value = str(tmp_path / "missing.csv")
            await pilot.press("enter")
            await harness.settle(pilot, lambda: "no file or folder at" in screen.status_text)

    run(scenario())
    assert db.execute("SELECT count(*) FROM posts").fetchone()[0] == 0


# --- help, theme, palette --------------------------------------------------------------------


def test_help_lists_every_key_as_the_keymap_has_it(db: Any, db_path: str, tmp_path: Path) -> None:
    config = Config(str(tmp_path / "c.toml"), timezone="UTC", keymap={"goals": "G"})
    outcomes.log(db, "lead", session=None)
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test() as pilot:
            await harness.settle(pilot, lambda: harness.loaded() and harness.app.choices_loaded)
            screen = await opened(harness, pilot, "f1", HelpScreen)
            lines = screen.text.splitlines()
            assert "  G         Goals with pace: add, edit, remove" in lines
            assert "  s         Start a session: platform, intent, timebox (last ones offered)" in (
                lines
            )
            assert "  1         Log Lead" in lines
            assert "  2         Log Prospect identified" in lines
            assert "  ^t        Switch between the dark and the light theme" in lines
            assert "  ? f1      This list of keys (again: close)" in lines
            for title in ("Goals screen", "Sessions screen", "Import screen", "Plugins screen"):
                assert title in lines
            assert "  a         Show or hide the built-in plugins" in lines
            await pilot.press("question_mark")
            await until(harness, pilot, lambda: not isinstance(harness.app.screen, HelpScreen))
            await pilot.press("G")
            await until(harness, pilot, lambda: isinstance(harness.app.screen, GoalsScreen))

    run(scenario())


def test_help_wraps_each_description_under_itself_and_is_two_columns_when_wide(
    db: Any, db_path: str, config: Config
) -> None:
    harness = Harness(db_path, config)

    def texts(screen: HelpScreen, selector: str) -> dict[str, Any]:
        return {str(w.visual): w for w in screen.query(selector)}

    async def scenario() -> None:
        async with harness.app.run_test(size=(80, 24)) as pilot:
            await harness.settle(pilot)
            screen = await opened(harness, pilot, "f1", HelpScreen)
            whats = texts(screen, ".help-what")
            stop = whats["Stop the session; tick what it achieved (none ticked = playtime)"]
            assert stop.region.height == 2  # wrapped, in its own column
            shown = [what for what in whats.values() if what.region]
            assert len({what.region.x for what in shown}) == 1 and stop.region.x == 14
            titles = texts(screen, ".help-title")
            assert titles["In dialogs"].region.x == titles["Dashboard"].region.x  # one column
            await pilot.resize_terminal(160, 48)
            await pilot.pause()
            assert stop.region.height == 1
            assert titles["In dialogs"].region.x > titles["Dashboard"].region.x + 60
            assert screen.query_one("#help-box").max_scroll_y == 0  # every key at once

    run(scenario())


def test_dialogs_and_screens_bring_their_own_look_when_they_open(
    db: Any, db_path: str, config: Config
) -> None:
    from smtui.tui import app as app_module

    rules = (Path(app_module.__file__).parent / "app.tcss").read_text()
    for selector in (".dialog {", ".field", "fuzzy", "#plugin", "#help", "#log-", "#strategies",
                     ".screen-detail", ".compact-form", "#outcome-kind"):  # fmt: skip
        assert selector not in rules
    harness = Harness(db_path, config)

    def read() -> set[str]:
        return {where for _, where in harness.app.stylesheet.source}

    async def scenario() -> None:
        async with harness.app.run_test(size=(80, 24)) as pilot:
            await harness.settle(pilot)
            assert "Dialog.DEFAULT_CSS" not in read()  # not parsed at startup
            await opened(harness, pilot, "s", StartSessionDialog)
            assert {"Dialog.DEFAULT_CSS", "FuzzyField.DEFAULT_CSS"} <= read()
            await pilot.press("escape")
            assert "BoxScreen.DEFAULT_CSS" not in read()
            await opened(harness, pilot, "g", GoalsScreen)
            assert "BoxScreen.DEFAULT_CSS" in read()

    run(scenario())


def test_ctrl_t_toggles_dark_and_light(db: Any, db_path: str, config: Config) -> None:
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test() as pilot:
            await harness.settle(pilot)
            assert harness.app.current_theme.dark
            await pilot.press("ctrl+t")
            assert harness.app.theme == "textual-light"
            await opened(harness, pilot, "g", GoalsScreen)
            await pilot.press("ctrl+t")  # on any screen
            assert harness.app.theme == "textual-dark"

    run(scenario())


def test_screens_add_their_keys_to_the_palette_and_block_dashboard_keys(
    db: Any, db_path: str, config: Config
) -> None:
    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test() as pilot:
            await harness.settle(pilot)
            app = harness.app
            screen = await opened(harness, pilot, "g", GoalsScreen)
            titles = {command.title for command in app.get_system_commands(screen)}
            assert {"Add a goal", "Edit the highlighted goal", "Remove the highlighted goal"} <= (
                titles
            )
            await pilot.press("s", "q")  # dashboard keys do nothing here
            assert app.screen is screen and app.is_running
            await pilot.press("escape")
            screen = await opened(harness, pilot, "l", SessionsScreen)
            titles = {command.title for command in app.get_system_commands(screen)}
            assert "Delete the highlighted session" in titles

    run(scenario())


def test_the_footer_fits_in_80_columns(db: Any, db_path: str, config: Config) -> None:
    from smtui.tui.widgets import KeysFooter

    harness = Harness(db_path, config)

    async def scenario() -> None:
        async with harness.app.run_test(size=(80, 24)) as pilot:
            await harness.settle(pilot)
            keys = harness.app.query_one(KeysFooter).keys
            shown = [key.description for key in keys if key.description]
            assert shown[:4] == ["Start", "Pause", "Stop", "Outcome"]
            assert shown[4:] == ["Goals", "Plugins", "Help", "Quit", "palette"]
            assert max(key.end for key in keys) <= 80

    run(scenario())


# --- the timebox, live -----------------------------------------------------------------------


def test_the_bell_rings_once_when_the_timebox_runs_out(
    db: Any, db_path: str, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions.start(db, "linkedin", at=T0 - 598, timebox_s=600)
    harness = Harness(db_path, config)
    rings: list[int] = []
    monkeypatch.setattr(SmtuiApp, "bell", lambda self: rings.append(clock.now()))

    async def scenario() -> None:
        async with harness.app.run_test(message_hook=harness.hook) as pilot:
            await harness.settle(pilot)
            assert rings == [] and harness.toasts == []
            clock.freeze(T0 + 3)
            session = harness.app.query_one(SessionPanel)
            await harness.settle(pilot, lambda: session.timer_text == "0:10:01")
            assert rings == [T0 + 3]
            assert harness.toasts == [
                ("warning", "The 10m timebox of the linkedin session #1 is up. Press x to stop it.")
            ]
            clock.freeze(T0 + 5)
            await harness.settle(pilot, lambda: session.timer_text == "0:10:03")
            harness.app.reload()
            await harness.settle(pilot)
            assert len(rings) == 1 and len(harness.toasts) == 1

    run(scenario())


def test_a_timebox_that_ran_out_while_closed_is_told_on_opening(
    db: Any, db_path: str, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions.start(db, "x", at=T0 - 40 * 60, timebox_s=25 * 60)
    harness = Harness(db_path, config)
    rings: list[int] = []
    monkeypatch.setattr(SmtuiApp, "bell", lambda self: rings.append(clock.now()))

    async def scenario() -> None:
        async with harness.app.run_test(message_hook=harness.hook) as pilot:
            await harness.settle(pilot, lambda: harness.loaded() and bool(harness.toasts))
            assert harness.toasts == [
                (
                    "warning",
                    "The 25m timebox of the x session #1 ran out 15m ago. Press x to stop it.",
                )
            ]
            assert rings == []

    run(scenario())


def test_r_reads_everything_again(db: Any, db_path: str, config: Config) -> None:
    harness = Harness(db_path, config, poll_interval=60)

    async def scenario() -> None:
        async with harness.app.run_test() as pilot:
            await harness.settle(pilot)
            generation = harness.app._generation
            with db:  # a change the poll (once a minute here) has not seen yet
                db.execute(
                    "INSERT INTO goals (name, measure, direction, target, period, created_at)"
                    " VALUES ('Posts', 'posts', 'at_least', 3, 'week', 0)"
                )
            await pilot.press("r")
            await harness.settle(pilot, lambda: "Posts" in harness.panel(data.GOALS).text)
            assert harness.app._generation == generation + 1

    run(scenario())


def test_the_helpers_load_without_textual(smtui_home: Path) -> None:
    modules = ("choices", "forms", "history", "strategies", "timebox")
    probe = (
        f"import sys, importlib; [importlib.import_module('smtui.tui.' + m) for m in {modules!r}];"
        " print('textual' in sys.modules)"
    )
    result = subprocess.run(
        [PYTHON, "-c", probe],
        env=subprocess_env(smtui_home),
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "False"


def test_choices_type_is_what_the_dialogs_expect(config: Config) -> None:
    app = SmtuiApp(":memory:", config)
    assert isinstance(app.choices, Choices)
    assert app.choices.platforms[0] == "linkedin"
    assert not app.choices_loaded
