"""The plugin as installed: smtui finds it, loads it, and its command runs.

These tests need the plugin installed (``pip install -e '.[test]'``), since smtui finds plugins
through their entry points.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from smtui import testing

if TYPE_CHECKING:
    from pathlib import Path


def test_smtui_loads_the_plugin_and_what_it_registers() -> None:
    registry = testing.fresh_registry()

    (health,) = [record for record in registry.health if record.plugin == "example_scorer"]
    assert (health.status, health.error) == ("ok", "")
    assert registry.owners[("scorer", "conversations")] == "example_scorer"
    assert registry.owners[("outcome_kind", "call_booked")] == "example_scorer"
    assert registry.outcome_kinds["call_booked"].label == "Call booked"


def test_the_new_outcome_kind_can_be_logged_and_scored(tmp_path: Path) -> None:
    env = {"SMTUI_HOME": str(tmp_path)}

    assert testing.run_smtui("start", "linkedin", "prospecting", "--ago", "30m", env=env).code == 0
    logged = testing.run_smtui("log", "call_booked", "-c", "Maria Chen", env=env)
    assert logged.code == 0, logged.err
    assert testing.run_smtui("stop", env=env).code == 0
    result = testing.run_smtui("score", "-s", "conversations", "-p", "session", env=env)

    assert result.code == 0, result.err
    assert "conversations: 2 per hour, on target" in result.out


def test_the_conversations_command_lists_recent_conversations(tmp_path: Path) -> None:
    now = int(time.time())
    env = {"SMTUI_HOME": str(tmp_path)}
    conn = testing.open_store(tmp_path)  # the database smtui uses with this SMTUI_HOME
    try:
        testing.log_outcome(conn, "lead", now - 2 * 86400, platform="linkedin", contact="Ana")
        testing.log_outcome(conn, "call_booked", now - 3600, platform="x", contact="Bo")
        testing.log_outcome(conn, "lead", now - 30 * 86400, contact="Old")  # too long ago
        testing.log_outcome(conn, "trust_built", now - 60)  # not a conversation
    finally:
        conn.close()

    result = testing.run_smtui("conversations", env=env)
    longer = testing.run_smtui("conversations", "--days", "60", env=env)

    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "Conversations in the last 7 days: 2"
    assert "lead" in lines[1] and lines[1].endswith("Ana")
    assert "call_booked" in lines[2] and lines[2].endswith("Bo")
    assert longer.out.splitlines()[0] == "Conversations in the last 60 days: 3"
