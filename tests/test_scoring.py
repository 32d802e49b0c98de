"""The scoring pipeline (window, strategy lookup, options) and the checklist strategy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import pluggy
import pytest

from smtui import clock, plugins
from smtui.api import Option, PluginError, Score, ScoringStrategy, Window
from smtui.builtins.checklist import ChecklistStrategy
from smtui.core import outcomes, score, sessions
from smtui.core.summary import time_split
from smtui.errors import ConfigError, UsageError
from smtui.models import Session
from smtui.store.db import connect

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterator
    from pathlib import Path

H = 3600
M = 60
DAY = 1_700_000_000 - 1_700_000_000 % (24 * H)  # a UTC midnight
NOW = DAY + 16 * H


class FakeConfig:
    """The attributes of smtui.config.Config that scoring reads."""

    def __init__(self, scoring: dict[str, dict[str, Any]] | None = None) -> None:
        self.plugins_disabled: tuple[str, ...] = ()
        self.scoring = scoring or {}


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    clock.freeze(NOW)
    connection = connect(str(tmp_path / "t.db"))
    yield connection
    connection.close()
    clock.freeze(None)


@pytest.fixture
def day(conn: sqlite3.Connection) -> dict[str, int]:
    """Three finished sessions of a day, with pauses and outcomes, and one loose outcome.

    s1 linkedin 09:00-10:00, paused 09:20-09:30: 50m worked, an outcome at 09:15 (productive)
    s2 x        10:30-11:00: 30m, no outcome (playtime)
    s3 bluesky  12:00-12:45: 45m, its outcome logged afterwards at 14:00 (productive)
    an outcome with no session at 11:30
    """
    s1 = sessions.start(conn, "linkedin", "prospecting", at=DAY + 9 * H)
    sessions.pause(conn, at=DAY + 9 * H + 20 * M)
    sessions.resume(conn, at=DAY + 9 * H + 30 * M)
    outcomes.log(conn, "prospect_identified", at=DAY + 9 * H + 15 * M)
    sessions.stop(conn, at=DAY + 10 * H)
    s2 = sessions.add(conn, "x", "engagement", DAY + 10 * H + 30 * M, DAY + 11 * H)
    s3 = sessions.add(conn, "bluesky", "content", DAY + 12 * H, DAY + 12 * H + 45 * M)
    outcomes.log(conn, "expertise_shown", session=s3.id, at=DAY + 14 * H)
    outcomes.log(conn, "lead", session=None, at=DAY + 11 * H + 30 * M)
    return {"s1": s1.id, "s2": s2.id, "s3": s3.id}


def checklist(conn: sqlite3.Connection, start: int, end: int, now: int = NOW) -> Score:
    return score.score_range(conn, ChecklistStrategy(), start, end, now)


def test_window_holds_overlapping_sessions_and_their_outcomes(
    conn: sqlite3.Connection, day: dict[str, int]
) -> None:
    sessions.add(conn, "reddit", "", DAY + 6 * H, DAY + 7 * H)
    outcomes.log(conn, "trust_built", session=None, at=DAY + 6 * H + 30 * M)
    conn.execute(
        "INSERT INTO posts (platform, external_id, published_at, impressions)"
        " VALUES ('x', 'in', ?, 100), ('x', 'out', ?, 5)",
        (DAY + 10 * H, DAY + 13 * H),
    )

    window = score.build_window(conn, DAY + 9 * H + 30 * M, DAY + 12 * H + 30 * M, NOW)

    assert [s.id for s in window.sessions] == [day["s1"], day["s2"], day["s3"]]
    assert [(o.kind, o.occurred_at) for o in window.outcomes] == [
        ("prospect_identified", DAY + 9 * H + 15 * M),  # before the window, session inside
        ("lead", DAY + 11 * H + 30 * M),  # no session, inside the window
        ("expertise_shown", DAY + 14 * H),  # logged after the window, session inside
    ]
    assert [(p["external_id"], p["impressions"]) for p in window.posts] == [("in", 100)]
    assert (window.start, window.end, window.now) == (
        DAY + 9 * H + 30 * M,
        DAY + 12 * H + 30 * M,
        NOW,
    )


def test_empty_window(conn: sqlite3.Connection) -> None:
    window = score.build_window(conn, DAY, DAY + 24 * H, NOW)

    assert (window.sessions, window.outcomes, window.posts) == ([], [], [])


def test_checklist_whole_day(conn: sqlite3.Connection, day: dict[str, int]) -> None:
    result = checklist(conn, DAY, DAY + 24 * H)

    # productive 50m + 45m = 5700 s, playtime 30m = 1800 s
    assert result.value == pytest.approx(5700 / 7500)
    assert result.label == "76% productive"
    assert result.strategy == "checklist"
    assert result.breakdown == [
        ("Productive time", "1h 35m"),
        ("Playtime", "30m"),
        ("Sessions", "3: 2 productive, 1 playtime"),
        ("Outcomes counted", "2"),
        ("Outcomes outside finished sessions", "1"),
    ]


def test_checklist_clips_sessions_to_the_window(
    conn: sqlite3.Connection, day: dict[str, int]
) -> None:
    result = checklist(conn, DAY + 9 * H + 30 * M, DAY + 12 * H + 30 * M)

    # Pauses are clipped where they happened, as in the time split: s1's pause (09:20-09:30)
    # ends as the window starts, so its last 30 minutes all count: 1800 s productive.
    # s2: all 1800 s of playtime; s3: 12:00-12:30, no pause: 1800 s productive.
    assert result.value == pytest.approx(3600 / 5400)
    assert result.label == "67% productive"
    split = time_split(conn, DAY + 9 * H + 30 * M, DAY + 12 * H + 30 * M, NOW)
    assert (split.productive_s, split.playtime_s) == (3600, 1800)
    assert result.breakdown[:3] == [
        ("Productive time", "1h 00m"),
        ("Playtime", "30m"),
        ("Sessions", "3: 2 productive, 1 playtime"),
    ]


def test_checklist_lists_a_running_session_but_does_not_judge_it(
    conn: sqlite3.Connection, day: dict[str, int]
) -> None:
    sessions.start(conn, "linkedin", "networking", at=DAY + 15 * H)
    outcomes.log(conn, "trust_built", at=DAY + 15 * H + 10 * M)
    now = DAY + 15 * H + 20 * M

    result = checklist(conn, DAY, DAY + 24 * H, now)

    assert result.value == pytest.approx(5700 / 7500)
    assert result.breakdown == [
        ("Productive time", "1h 35m"),
        ("Playtime", "30m"),
        ("Running, not judged yet", "20m"),
        ("Sessions", "4: 2 productive, 1 playtime, 1 running"),
        ("Outcomes counted", "2"),
        ("Outcomes outside finished sessions", "2"),
    ]


def test_checklist_with_only_a_running_session(conn: sqlite3.Connection) -> None:
    sessions.start(conn, "x", "", at=DAY + 15 * H)

    result = checklist(conn, DAY, DAY + 24 * H)

    assert result.value is None
    assert result.label == "running, not judged yet"
    assert ("Running, not judged yet", "1h 00m") in result.breakdown


def test_checklist_all_playtime_scores_zero(conn: sqlite3.Connection) -> None:
    sessions.add(conn, "x", "", DAY + 9 * H, DAY + 9 * H + 40 * M)

    result = checklist(conn, DAY, DAY + 24 * H)

    assert (result.value, result.label) == (0.0, "0% productive")


def test_checklist_without_sessions(conn: sqlite3.Connection) -> None:
    result = checklist(conn, DAY, DAY + 24 * H)

    assert (result.value, result.label) == (None, "no sessions yet")
    assert result.breakdown == [
        ("Productive time", "0s"),
        ("Playtime", "0s"),
        ("Sessions", "0: 0 productive, 0 playtime"),
        ("Outcomes counted", "0"),
    ]


def test_checklist_on_a_session_paused_for_its_whole_length() -> None:
    paused = Session(1, "x", "", DAY, DAY + H, paused_s=H)

    result = ChecklistStrategy().score(Window(DAY, DAY + 24 * H, NOW, [paused], []))

    assert (result.value, result.label) == (None, "no session time yet")


class Weighted(ScoringStrategy):
    name = "weighted"
    options: ClassVar[tuple[Option, ...]] = (
        Option("per_hour", float, default=1.0, help="points per hour"),
    )

    def score(self, window: Window) -> Score:
        hours = sum(window.active_seconds(s) for s in window.sessions) / H
        value = hours * self.option_values["per_hour"]
        return Score(self.name, value, f"{value:g} points", [])


class Crashing(ScoringStrategy):
    name = "crashing"

    def score(self, window: Window) -> Score:
        raise ZeroDivisionError("division by zero")


class Sloppy(ScoringStrategy):
    name = "sloppy"

    def score(self, window: Window) -> Score:
        return 0.5  # type: ignore[return-value]


def registry_with(*strategies: type[ScoringStrategy]) -> plugins.Registry:
    registry = plugins.Registry(pluggy.PluginManager("smtui"))
    registry.scorers.update({cls.name: cls for cls in strategies})
    return registry


def test_make_strategy_finds_the_builtin_checklist(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(plugins.LOAD_ENV, "")
    plugins.reset_registry()
    try:
        strategy = score.make_strategy(plugins.load_registry(), "checklist", FakeConfig())
    finally:
        plugins.reset_registry()

    assert isinstance(strategy, ChecklistStrategy)
    assert strategy.option_values == {}


def test_make_strategy_applies_the_scoring_table(conn: sqlite3.Connection) -> None:
    sessions.add(conn, "x", "", DAY + 9 * H, DAY + 10 * H + 30 * M)
    config = FakeConfig({"weighted": {"per_hour": 4}})

    strategy = score.make_strategy(registry_with(Weighted), "weighted", config)

    assert strategy.option_values == {"per_hour": 4.0}
    assert score.score_range(conn, strategy, DAY, DAY + 24 * H, NOW).value == 6.0
    assert score.make_strategy(registry_with(Weighted), "weighted").option_values == {
        "per_hour": 1.0
    }


def test_make_strategy_rejects_unknown_options() -> None:
    config = FakeConfig({"weighted": {"perhour": 4}})

    with pytest.raises(ConfigError) as caught:
        score.make_strategy(registry_with(Weighted), "weighted", config)

    assert caught.value.message == "unknown option [scoring.weighted].perhour"
    assert caught.value.hint == "did you mean 'per_hour'?"


def test_unknown_strategy_suggests_the_closest_and_lists_all() -> None:
    registry = registry_with(ChecklistStrategy, Weighted)

    with pytest.raises(UsageError) as caught:
        score.make_strategy(registry, "checklst", FakeConfig())

    assert caught.value.message == "unknown scoring strategy 'checklst'"
    assert caught.value.hint == "did you mean 'checklist'? known strategies: checklist, weighted"
    with pytest.raises(UsageError) as nothing_close:
        score.make_strategy(registry, "zzz", FakeConfig())
    assert nothing_close.value.hint == "known strategies: checklist, weighted"


@pytest.mark.parametrize(
    ("cls", "error"),
    [
        (Crashing, "scoring strategy 'crashing' failed: ZeroDivisionError: division by zero"),
        (
            Sloppy,
            "scoring strategy 'sloppy' failed: TypeError: score() returned float, not a Score",
        ),
    ],
)
def test_a_broken_strategy_becomes_a_plugin_error(
    conn: sqlite3.Connection, cls: type[ScoringStrategy], error: str
) -> None:
    strategy = score.make_strategy(registry_with(cls), cls.name, FakeConfig())

    with pytest.raises(PluginError) as caught:
        score.score_range(conn, strategy, DAY, DAY + 24 * H, NOW)

    assert caught.value.message == error
    assert caught.value.title == "Scoring strategy failed"
