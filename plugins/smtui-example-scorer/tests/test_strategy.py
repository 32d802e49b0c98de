"""The conversations strategy, scored on a real smtui store with a frozen clock."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from smtui import testing
from smtui.api import PluginError

from smtui_example_scorer import ConversationsPerHour

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterator

MONDAY = "2026-03-02 00:00"
TUESDAY = "2026-03-03 00:00"


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    """A migrated store, with the clock stopped on Monday evening."""
    with testing.temp_store() as conn, testing.frozen_clock("2026-03-02 20:00"):
        yield conn


def test_counts_conversations_per_focused_hour(conn: sqlite3.Connection) -> None:
    testing.add_session(
        conn, "2026-03-02 09:00", 60, outcomes=["moved_off_social", "prospect_qualified"]
    )
    testing.add_session(conn, "2026-03-02 14:00", 30, outcomes=["lead", "call_booked"])
    testing.add_session(conn, "2026-03-02 16:00", 30, platform="x")  # playtime

    score = testing.score(ConversationsPerHour, conn, MONDAY, TUESDAY)

    assert score.strategy == "conversations"
    assert score.value == pytest.approx(1.5)  # 3 conversations in 2 focused hours
    assert score.unit == "per hour"
    assert score.label == "1.5 per hour, on target"
    assert dict(score.breakdown) == {
        "Conversations": "3 (1 moved_off_social, 1 lead, 1 call_booked)",
        "Focused time": "2h 00m",
        "Rate": "1.5 per hour",
        "Target": "1 per hour",
    }


def test_below_target_says_how_many_more_were_needed(conn: sqlite3.Connection) -> None:
    testing.add_session(conn, "2026-03-02 09:00", 120, outcomes=["lead"])

    score = testing.score(
        ConversationsPerHour, conn, MONDAY, TUESDAY, options={"target_per_hour": 2}
    )

    assert score.value == pytest.approx(0.5)
    assert score.label == "0.5 per hour, below the target of 2"
    assert ("To reach the target", "3 more in the same time") in score.breakdown


def test_the_kinds_option_chooses_what_counts(conn: sqlite3.Connection) -> None:
    session = testing.add_session(conn, "2026-03-02 09:00", 60, outcomes=["lead"])
    testing.log_outcome(conn, "trust_built", "2026-03-02 09:30", session=session)

    score = testing.score(
        ConversationsPerHour, conn, MONDAY, TUESDAY, options={"kinds": ["trust_built"]}
    )

    assert score.value == pytest.approx(1.0)


def test_a_running_session_counts_up_to_now(conn: sqlite3.Connection) -> None:
    testing.add_session(conn, "2026-03-02 19:00", None, outcomes=["lead"])  # still running

    score = testing.score(ConversationsPerHour, conn, MONDAY, TUESDAY)

    assert dict(score.breakdown)["Focused time"] == "1h 00m"
    assert score.value == pytest.approx(1.0)


def test_no_session_time_gives_no_value(conn: sqlite3.Connection) -> None:
    assert testing.score(ConversationsPerHour, conn, MONDAY, TUESDAY).label == "no focused time yet"

    testing.log_outcome(conn, "lead", "2026-03-02 10:00")  # a lead with no session
    score = testing.score(ConversationsPerHour, conn, MONDAY, TUESDAY)

    assert score.value is None
    assert score.label == "conversations, but no session time"


def test_options_are_checked_like_the_config_file() -> None:
    with pytest.raises(testing.ConfigError, match="did you mean 'target_per_hour'"):
        testing.make_strategy(ConversationsPerHour, {"target_per_hr": 2})
    with pytest.raises(testing.ConfigError, match="must be a number"):
        testing.make_strategy(ConversationsPerHour, {"target_per_hour": "two"})
    with pytest.raises(PluginError, match="more than 0"):
        testing.make_strategy(ConversationsPerHour, {"target_per_hour": 0})
