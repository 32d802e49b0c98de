"""The command line end to end, in-process: output, exit codes and one-line errors."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from smtui import clock

from .conftest import T0


def db(home: Path) -> sqlite3.Connection:
    return sqlite3.connect(home / "smtui.db")


def test_full_session_cycle(cli: Any, smtui_home: Path, frozen: int) -> None:
    r = cli("start", "linkedin", "prospecting", "-t", "25m", "--tag", "q1")
    assert r.code == 0 and r.out.strip() == "Started #1 linkedin prospecting, timebox 25m"
    clock.freeze(T0 + 300)
    assert (
        cli("log", "qualified", "-c", "@ana").out.strip()
        == "Logged prospect_qualified with @ana on session #1"
    )
    assert cli("pause").code == 0
    clock.freeze(T0 + 400)
    short = cli("status", "-f", "short").out.strip()
    assert short == "⏸ linkedin prospecting 0:05:00 ✓1 ⏳20m"
    cli("resume")
    clock.freeze(T0 + 1900)
    r = cli("stop", "-o", "moved_off_social")
    assert r.out.strip() == (
        "Stopped #1 linkedin prospecting after 0:30:00"
        " (2 outcomes: prospect_qualified, moved_off_social)"
    )
    rows = db(smtui_home).execute("SELECT kind, session_id FROM outcomes ORDER BY id").fetchall()
    assert rows == [("prospect_qualified", 1), ("moved_off_social", 1)]


def test_stop_without_outcome_says_playtime(cli: Any, frozen: int) -> None:
    cli("start", "x")
    clock.freeze(T0 + 65)
    assert cli("stop").out.strip() == "Stopped #1 x after 0:01:05 (no outcome: playtime)"


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (("stop",), "no session is running to stop", 1),
        (("pause",), "no session is running to pause", 1),
        (("start", "linkdin"), "unknown platform 'linkdin' (did you mean 'linkedin'?", 2),
        (("start", "x", "-t", "25"), "bad timebox '25': a unit is needed", 2),
        (("start", "x", "-t", "soon"), "bad timebox 'soon'", 2),
        (("start", "x", "--at", "25:99"), "bad --at time '25:99'", 2),
        (("log", "leed", "--no-session"), "unknown outcome kind 'leed' (did you mean 'lead'?", 2),
        (("log", "lead"), "no session is running to log this outcome against", 1),
        (("log", "deal", "-v", "lots", "--no-session"), "bad amount 'lots'", 2),
        (("log", "contact_found", "refferer", "--no-session"), "did you mean 'referrer'?", 2),
        (("sessions", "show", "42"), "no session #42", 1),
        (("sessions", "rm", "abc", "--yes"), "bad session id 'abc'", 2),
    ],
)
def test_user_errors_are_one_clear_line(
    cli: Any, frozen: int, args: tuple[str, ...], message: str, code: int
) -> None:
    r = cli(*args)
    assert r.code == code
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("smtui: error: ")
    assert message in lines[0]
    assert "Traceback" not in r.err


def test_second_start_is_refused(cli: Any, frozen: int) -> None:
    cli("start", "x")
    r = cli("start", "bluesky")
    assert r.code == 1 and "session #1 (x) is already running" in r.err


def test_backdating_with_at_and_ago(cli: Any, smtui_home: Path, frozen: int) -> None:
    assert "from 09:30" in cli("start", "linkedin", "--at", "09:30").out
    clock.freeze(T0 + 600)
    cli("stop", "--ago", "5m")
    row = db(smtui_home).execute("SELECT started_at, ended_at FROM sessions").fetchone()
    assert row == (T0 - 1800, T0 + 300)


def test_log_deal_with_value_and_default_currency(cli: Any, smtui_home: Path, frozen: int) -> None:
    r = cli("log", "deal", "-v", "2,500", "--no-session", "--platform", "twitter")
    assert r.out.strip() == "Logged deal worth 2,500.00 EUR without a session"
    row = db(smtui_home).execute("SELECT amount_minor, currency, platform FROM outcomes").fetchone()
    assert row == (250000, "EUR", "x")


def test_status_text_and_json(cli: Any, frozen: int) -> None:
    assert "No session running" in cli("status").out
    assert cli("status", "-f", "short").out == "\n"
    cli("start", "bluesky", "engagement", "-t", "10m")
    clock.freeze(T0 + 900)
    text = cli("status").out
    assert "#1 bluesky engagement  0:15:00  (running)" in text
    assert "timebox 10m: 5m over" in text
    data = json.loads(cli("status", "--format", "json").out)
    assert data["running"]["active_s"] == 900
    assert data["running"]["timebox_left_s"] == -300
    assert data["today"]["running_s"] == 900


def test_cancel(cli: Any, smtui_home: Path, frozen: int) -> None:
    cli("start", "x")
    assert cli("cancel").out.startswith("Cancelled #1 x")
    assert db(smtui_home).execute("SELECT count(*) FROM sessions").fetchone()[0] == 0


def test_sessions_add_list_show_edit_rm(cli: Any, smtui_home: Path, frozen: int) -> None:
    assert cli("sessions", "add", "linkedin", "content", "--from", "08:00", "-d", "45m").code == 0
    cli("log", "expertise_shown", "--session", "1")
    listing = cli("sessions", "list", "--period", "day").out
    assert "linkedin" in listing and "productive" in listing and "0:45:00" in listing
    records = json.loads(cli("sessions", "list", "-f", "json").out)
    assert records[0]["active_s"] == 2700 and records[0]["verdict"] == "productive"
    assert "expertise_shown" in cli("sessions", "show", "1").out
    assert cli("sessions", "edit", "1", "--to", "09:00", "--intent", "learning").code == 0
    row = db(smtui_home).execute("SELECT ended_at, intent FROM sessions").fetchone()
    assert row == (T0 - 3600, "learning")
    r = cli("sessions", "rm", "1")  # no terminal to confirm on
    assert r.code == 2 and "add --yes" in r.err
    assert cli("sessions", "rm", "1", "--yes").code == 0
    assert db(smtui_home).execute("SELECT count(*) FROM sessions").fetchone()[0] == 0


def test_outcomes_list_csv_escapes_formulas(cli: Any, frozen: int) -> None:
    cli("log", "lead", "--no-session", "-c", "=HYPERLINK(1)")
    out = cli("outcomes", "list", "-f", "csv").out
    assert "'=HYPERLINK(1)" in out
    assert cli("outcomes", "rm", "1", "-y").code == 0
    assert cli("outcomes", "list").out.strip() == "(none)"


def test_version_and_help(cli: Any) -> None:
    from smtui import __version__

    assert cli("--version").out.strip() == f"smtui {__version__}"
    r = cli("--help")
    assert r.code == 0 and "start" in r.out and "report" in r.out
    r = cli("start", "--help")
    assert r.code == 0 and "--timebox" in r.out


def test_argparse_errors_exit_2(cli: Any) -> None:
    r = cli("status", "--format", "xml")
    assert r.code == 2 and "invalid choice" in r.err


def test_db_flag_and_env(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, frozen: int
) -> None:
    target = tmp_path / "elsewhere.db"
    cli("--db", str(target), "start", "x")
    assert sqlite3.connect(target).execute("SELECT count(*) FROM sessions").fetchone()[0] == 1
    monkeypatch.setenv("SMTUI_DB", str(target))
    assert "#1 x" in cli("status").out


def test_dashboard_needs_a_terminal(cli: Any) -> None:
    r = cli()
    assert r.code == 2 and "needs a terminal" in r.err


def test_score_list_shows_strategies_with_their_options(cli: Any) -> None:
    out = cli("score", "--list").out
    assert out.startswith("checklist: Checklist\n  Share of session time")


def test_import_formats_lists_sources_with_the_options_config_accepts(cli: Any) -> None:
    out = cli("import", "--formats").out
    assert "x_content: X post analytics (account_analytics_content export) [x]" in out
    assert "options in [sources.<name>] with type = 'csv':" in out
    assert "    platform (a string, required): the platform the posts are on" in out
    assert "    timezone (a string, default 'UTC')" in out


def test_import_without_paths_says_what_to_do(cli: Any) -> None:
    r = cli("import")
    assert r.code == 2 and "nothing to import" in r.err and "--formats" in r.err
