"""``smtui score`` over any window, ``smtui report`` for any period or range, and the
analytics under ``smtui report``: output, formats and errors, in-process."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest

from smtui import clock
from smtui.cli import parser, quickparse
from smtui.store.db import Transaction, connect

if TYPE_CHECKING:
    from pathlib import Path


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    return int(datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp())


NOW = utc(2026, 3, 18, 16)  # a Wednesday


@pytest.fixture
def week(cli: Any, smtui_home: Path) -> Any:
    """Monday: 1h linkedin prospecting with a deal; Tuesday: 30m x playtime; posts."""
    (smtui_home / "config.toml").write_text(
        '[app]\nhourly_rate = 100\ntarget_platforms = ["linkedin"]\n', encoding="utf-8"
    )
    clock.freeze(NOW)
    assert cli("sessions", "add", "linkedin", "prospecting", "--from", "2026-03-16 09:00",
               "-d", "1h").code == 0  # fmt: skip
    assert cli("log", "deal", "-v", "1200", "-s", "1", "--at", "2026-03-16 09:30").code == 0
    assert cli("sessions", "add", "x", "--from", "2026-03-17 10:00", "-d", "30m").code == 0
    conn = connect(str(smtui_home / "smtui.db"))
    with Transaction(conn):
        conn.executemany(
            "INSERT INTO posts (platform, external_id, published_at, impressions, engagements,"
            " text) VALUES (?, ?, ?, ?, ?, ?)",
            [
                ("linkedin", "a", utc(2026, 3, 16, 9, 15), 1000, 40, "=cmd|' /C calc'!A0"),
                ("linkedin", "b", utc(2026, 3, 9, 9, 15), 500, 30, "last week"),
                ("linkedin", "c", utc(2026, 3, 2, 9, 15), 500, 20, "two weeks ago"),
            ],
        )
    conn.close()
    yield cli
    clock.freeze(None)


# --- smtui score -----------------------------------------------------------------------------


def test_score_list_shows_every_strategy_with_its_options(cli: Any) -> None:
    out = cli("score", "--list").out
    for name in ("checklist:", "outcomes:", "roi:", "focus:", "engagement:"):
        assert any(line.startswith(name) for line in out.splitlines()), name
    assert "    hourly_rate (a number): what an hour of your time is worth" in out
    assert "    basis (a string, default 'impressions', one of" in out
    assert out.rstrip().endswith("default strategy ([app] default_strategy): checklist")


@pytest.mark.parametrize(
    ("args", "value"),
    [
        (("--week",), (1200 - 150) / 150),  # 1.5 h at 100 EUR an hour
        (("--day", "--at", "2026-03-16"), (1200 - 100) / 100),
        (("--session", "2"), -1.0),  # the x session earned nothing
        (("--from", "2026-03-17", "--to", "2026-03-18"), -1.0),
        (("--month",), (1200 - 150) / 150),
        (("-p", "year"), (1200 - 150) / 150),
    ],
)
def test_score_any_window(week: Any, args: tuple[str, ...], value: float) -> None:
    result = week("score", "-s", "roi", "-f", "json", *args)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["value"] == pytest.approx(value)
    assert data["strategy"] == "roi"
    assert {"item": "Hourly rate", "value": "100.00 EUR"} in data["breakdown"]


def test_score_json_names_the_window_in_the_local_zone(week: Any) -> None:
    data = json.loads(week("score", "--week", "-f", "json").out)
    assert (data["start"], data["end"]) == (utc(2026, 3, 16), utc(2026, 3, 23))
    assert data["start_local"] == "2026-03-16T00:00:00+00:00"


def test_score_text_shows_value_label_and_breakdown(week: Any) -> None:
    lines = week("score", "-s", "focus", "--week").out.splitlines()
    assert lines[0] == "focus: 50% focused"
    # 2/3 on linkedin × (1 target × Σ share²) ^ 0.5 = 2/3 × (4/9 + 1/9) ^ 0.5
    assert lines[1] == "  value: 0.496904 share"
    assert "  Target platforms: linkedin" in lines


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--week", "--month"), "choose one window to score, not --week and --month"),
        (("--session", "1", "-p", "day"), "choose one window to score, not --session and"),
        (("--session", "x1"), "bad session id 'x1'"),
        (("--session", "9"), "no session #9"),
        (("--to", "2026-03-01"), "--to needs --from"),
        (("-s", "rio"), "unknown scoring strategy 'rio' (did you mean 'roi'?"),
    ],
)
def test_score_errors_are_one_clear_line(week: Any, args: tuple[str, ...], message: str) -> None:
    result = week("score", *args)
    assert result.code != 0
    assert result.err.startswith(f"smtui: error: {message}")
    assert result.out == ""


# --- smtui report ----------------------------------------------------------------------------


def test_report_of_a_custom_range_with_streaks_and_best_times(week: Any) -> None:
    assert week("goals", "add", "weekly deal", "-m", "outcomes", "-s", "deal", "-t", "1").code == 0
    data = json.loads(
        week("report", "--from", "2026-03-01", "--to", "2026-03-18", "-f", "json").out
    )
    assert data["window"]["period"] == "range"
    assert data["window"]["days"] == 18
    assert data["score"]["strategy"] == "checklist"
    assert data["goals"][0]["streak"]["periods"] == 1
    assert data["goals"][0]["bare_minimum"] == 0
    # The three Monday posts at 09:15 make one cell: 90 engagements over 2000 impressions.
    assert data["best_times"] == [
        {"weekday": "Mon", "hour": 9, "rate": 0.045, "rated_posts": 3, "posts": 3}
    ]
    table = week("report", "--from", "2026-03-01", "--to", "2026-03-18").out
    assert table.splitlines()[0].startswith("Report: 2026-03-01 to 2026-03-18 (UTC, 18 days)")
    assert "Best times to post" in table


def test_report_of_a_year_lists_the_best_times(week: Any, smtui_home: Path) -> None:
    conn = connect(str(smtui_home / "smtui.db"))
    with Transaction(conn):  # a third Monday 09:00 post makes the cell count
        conn.execute(
            "INSERT INTO posts (platform, external_id, published_at, impressions, engagements)"
            " VALUES ('linkedin', 'd', ?, 500, 10)",
            (utc(2026, 2, 23, 9, 40),),
        )
    conn.close()
    data = json.loads(week("report", "-p", "year", "-f", "json").out)
    assert data["window"]["start"] == "2026-01-01T00:00:00+00:00"
    assert data["best_times"] == [
        {"weekday": "Mon", "hour": 9, "rate": 100 / 2500, "rated_posts": 4, "posts": 4}
    ]
    table = week("report", "-p", "year").out
    assert "  Mon 09:00  4.0%      4" in table


def test_report_csv_keeps_formulas_inert(week: Any) -> None:
    rows = list(csv.reader(io.StringIO(week("report", "-f", "csv").out, newline="")))
    texts = [row[2] for row in rows if row[1].endswith(".text")]
    assert texts == ["'=cmd|' /C calc'!A0"]
    risky = ("=", "+", "-", "@", "\t", "\r")
    assert [cell for row in rows for cell in row if cell.startswith(risky)] == []


# --- analytics -------------------------------------------------------------------------------


def test_best_times_for_one_platform_as_json_csv_and_text(week: Any) -> None:
    data = json.loads(week("report", "best-times", "--platform", "li", "-f", "json").out)
    assert list(data["grids"]) == ["linkedin"]
    monday_nine = data["grids"]["linkedin"][9]
    assert monday_nine == {
        "weekday": "Mon", "hour": 9, "posts": 3, "rated_posts": 3, "engagements": 90,
        "impressions": 2000, "rate": 0.045,
    }  # fmt: skip
    assert data["formula"] == "engagements / impressions"
    rows = list(csv.reader(io.StringIO(week("report", "best-times", "-f", "csv").out)))
    assert rows[0][:3] == ["platform", "weekday", "hour"]
    assert ["all", "Mon", "9", "3", "3", "90", "2000", "0.045"] in rows
    text = week("report", "best-times", "--min-posts", "4").out
    assert "'?' fewer than 4 posts reporting impressions" in text
    assert "Best: not enough posts yet" in text
    assert "Mon     .    .    .    .    .    .    .    .    .    ?" in text


def test_returns_and_content_run_in_every_format(week: Any) -> None:
    returns = json.loads(week("report", "returns", "-f", "json").out)
    (linkedin, x) = returns["rows"]
    assert (linkedin["platform"], linkedin["posts"], linkedin["engagements"]) == ("linkedin", 1, 40)
    assert linkedin["revenue"] == {"EUR": "1200.00"}
    assert x["outcomes_per_hour"] == 0
    assert "Return per focused hour" in week("report", "returns").out
    assert week("report", "returns", "-f", "csv").out.startswith("platform,intent,sessions")
    content = json.loads(week("report", "content", "-f", "json").out)
    assert content["posts"] == 3
    assert [g["group"] for g in content["dimensions"]["weekday"]] == ["Mon"]
    assert "Content insights, all platforms: 3 posts" in week("report", "content").out
    assert week("report", "content", "-f", "csv").out.startswith("dimension,group,posts")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("report", "best-times", "--days", "0"), "bad --days '0'"),
        (("report", "best-times", "--min-posts", "some"), "bad --min-posts 'some'"),
        (("report", "content", "--platform", "linkdin"), "unknown platform 'linkdin'"),
    ],
)
def test_analytics_errors(week: Any, args: tuple[str, ...], message: str) -> None:
    result = week(*args)
    assert result.code == 2
    assert result.err.startswith(f"smtui: error: {message}")


def test_the_new_options_parse_the_same_in_both_parsers() -> None:
    argv = ["score", "--week", "-s", "roi", "--from", "2026-03-01", "--to", "2026-03-02"]
    values = parser.parse(argv)
    assert (values["week"], values["start"], values["end"], values["strategy"]) == (
        True,
        "2026-03-01",
        "2026-03-02",
        "roi",
    )
    assert quickparse.parse(argv) == values
    assert parser.parse(["goals"])["subcommand"] is None
    assert parser.parse(["report", "best-times"])["subcommand"] == "best-times"
