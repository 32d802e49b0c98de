"""Editing a goal: changed fields are validated together, the rest kept, nothing half-written."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from smtui.core.goals import add_goal, get_goal, update_goal
from smtui.errors import NotFoundError, UsageError

if TYPE_CHECKING:
    import sqlite3


def leads_goal(conn: sqlite3.Connection) -> int:
    goal = add_goal(
        conn,
        name="Two leads a week",
        measure="outcomes",
        subject="lead",
        target=2,
        period="week",
        platform="linkedin",
    )
    return goal.id


def test_changes_only_the_fields_given(conn: sqlite3.Connection, frozen: int) -> None:
    goal_id = leads_goal(conn)
    before = get_goal(conn, goal_id)
    updated = update_goal(conn, goal_id, name="  Three leads a week ", target=3)
    assert updated == get_goal(conn, goal_id)
    assert (updated.name, updated.target, updated.subject, updated.period, updated.platform) == (
        "Three leads a week",
        3.0,
        "lead",
        "week",
        "linkedin",
    )
    assert updated.created_at == before.created_at


def test_switching_the_measure_checks_the_subject_against_the_new_one(
    conn: sqlite3.Connection,
) -> None:
    goal_id = leads_goal(conn)
    with pytest.raises(UsageError, match="measure 'time_total' takes no subject"):
        update_goal(conn, goal_id, measure="time_total", target=3600)
    assert get_goal(conn, goal_id).measure == "outcomes"  # nothing written
    updated = update_goal(
        conn, goal_id, measure="time_total", subject="", target=3600, direction="at-most"
    )
    assert (updated.measure, updated.subject, updated.direction) == ("time_total", "", "at_most")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "  "}, "a goal needs a name"),
        ({"period": "weak"}, "unknown period 'weak'"),
        ({"direction": "sideways"}, "unknown direction 'sideways'"),
        ({"subject": "leed"}, "unknown outcome kind 'leed'"),
        ({"target": -1.0}, "bad target"),
        ({"measure": "engagement_rate", "subject": "", "target": 5.0}, "more than 100%"),
        ({"measure": "followers"}, "unknown measure 'followers'"),
    ],
)
def test_bad_changes_are_refused_and_leave_the_goal_as_it_was(
    conn: sqlite3.Connection, changes: dict[str, object], message: str
) -> None:
    goal_id = leads_goal(conn)
    before = get_goal(conn, goal_id)
    with pytest.raises(UsageError, match=message):
        update_goal(conn, goal_id, **changes)  # type: ignore[arg-type]
    assert get_goal(conn, goal_id) == before


def test_platform_can_be_cleared_or_changed(conn: sqlite3.Connection) -> None:
    goal_id = leads_goal(conn)
    assert update_goal(conn, goal_id, platform=" Bluesky ").platform == "bluesky"
    assert update_goal(conn, goal_id, name="x").platform == "bluesky"  # left out: kept
    assert update_goal(conn, goal_id, platform=None).platform is None
    assert get_goal(conn, goal_id).platform is None


def test_plugin_kinds_are_accepted_when_known(conn: sqlite3.Connection) -> None:
    goal_id = leads_goal(conn)
    with pytest.raises(UsageError):
        update_goal(conn, goal_id, subject="podcast_booked")
    updated = update_goal(
        conn, goal_id, subject="podcast_booked", known_kinds={"lead", "podcast_booked"}
    )
    assert updated.subject == "podcast_booked"


def test_an_unknown_goal_is_not_found(conn: sqlite3.Connection) -> None:
    with pytest.raises(NotFoundError, match="no goal #9"):
        update_goal(conn, 9, name="x")
