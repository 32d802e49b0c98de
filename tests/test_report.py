"""The period report in its four formats, over a week with a DST change."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from smtui import clock
from smtui.core import outcomes, sessions
from smtui.core.goals import add_goal
from smtui.core.report import Report, build_report, render
from smtui.errors import UsageError
from smtui.scoring import Score
from smtui.store.db import Transaction, connect

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterator
    from pathlib import Path

BERLIN = ZoneInfo("Europe/Berlin")
H = 3600


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    return int(datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp())


# The week of Monday 2026-03-23 in Berlin: 2026-03-22 23:00 UTC (CET) to 2026-03-29 22:00 UTC
# (CEST), 167 hours. The report is made on Wednesday 2026-04-01 12:00 CEST.
NOW = utc(2026, 4, 1, 10)
AT = utc(2026, 3, 25, 12)


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    connection = connect(str(tmp_path / "t.db"))
    clock.freeze(NOW)
    yield connection
    clock.freeze(None)
    connection.close()


def post(
    conn: sqlite3.Connection,
    external_id: str,
    platform: str,
    published_at: int,
    *,
    engagements: int | None,
    impressions: int | None = None,
    text: str = "",
) -> None:
    with Transaction(conn):
        conn.execute(
            "INSERT INTO posts (platform, external_id, published_at, text, impressions,"
            " engagements) VALUES (?, ?, ?, ?, ?, ?)",
            (platform, external_id, published_at, text, impressions, engagements),
        )


@pytest.fixture
def week(conn: sqlite3.Connection) -> sqlite3.Connection:
    # Monday 09:00-09:30 CET on linkedin, no outcome: 30m playtime.
    sessions.add(conn, "linkedin", "", utc(2026, 3, 23, 8), utc(2026, 3, 23, 8, 30))
    # Sunday 01:30 CET to 03:30 CEST across the jump: one real hour, with a lead: productive.
    night = sessions.add(
        conn, "linkedin", "prospecting", utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 30)
    )
    outcomes.log(conn, "lead", session=night.id, at=utc(2026, 3, 29, 1))
    # Sunday 23:30 to Monday 00:30 CEST on x: 30 of its 60 minutes fall inside the week.
    sessions.add(conn, "x", "", utc(2026, 3, 29, 21, 30), utc(2026, 3, 29, 22, 30))

    outcomes.log(
        conn,
        "deal",
        session=None,
        at=utc(2026, 3, 25, 12),
        platform="linkedin",
        amount_minor=120050,
        currency="EUR",
    )
    outcomes.log(
        conn, "deal", session=None, at=utc(2026, 3, 26, 12), amount_minor=10000, currency="EUR"
    )
    outcomes.log(
        conn, "deal", session=None, at=utc(2026, 3, 26, 13), amount_minor=5000, currency="USD"
    )
    outcomes.log(conn, "newsletter_signup", session=None, at=utc(2026, 3, 27, 9))
    outcomes.log(conn, "lead", session=None, at=utc(2026, 3, 29, 22))  # Monday 00:00 CEST

    post(
        conn,
        "p1",
        "linkedin",
        utc(2026, 3, 24, 10),
        engagements=80,
        impressions=1000,
        text='=HYPERLINK("http://evil.example")',
    )
    post(
        conn,
        "p2",
        "x",
        utc(2026, 3, 25, 10),
        engagements=30,
        impressions=200,
        text="plain | pipe\nsecond line",
    )
    post(conn, "q1", "x", utc(2026, 3, 26, 10), engagements=1, text="@mention me")
    post(conn, "q2", "x", utc(2026, 3, 26, 11), engagements=2)
    post(conn, "q3", "x", utc(2026, 3, 26, 12), engagements=3)
    post(conn, "q4", "x", utc(2026, 3, 26, 13), engagements=4)
    post(conn, "q5", "x", utc(2026, 3, 26, 14), engagements=None)
    post(conn, "late", "x", utc(2026, 3, 29, 22), engagements=999)  # next week

    add_goal(conn, name="-Cheap wins", measure="outcomes", subject="lead", target=2, period="week")
    add_goal(conn, name="Revenue", measure="revenue", subject="EUR", target=1000, period="month")
    return conn


SCORE = Score(
    "checklist",
    50.0,
    "half of the time achieved something",
    [("productive", "1h 00m"), ("playtime", "1h 00m")],
    unit="%",
)


def report(conn: sqlite3.Connection, score: Score | None = SCORE) -> Report:
    return build_report(conn, "week", AT, BERLIN, score=score)


def test_report_numbers(week: sqlite3.Connection) -> None:
    r = report(week)
    assert (r.start, r.end, r.days) == (utc(2026, 3, 22, 23), utc(2026, 3, 29, 22), 7)
    assert r.end - r.start == 167 * H
    split = r.split
    assert (split.productive_s, split.playtime_s, split.running_s, split.sessions) == (
        3600,
        3600,
        0,
        3,
    )
    assert list(r.platforms) == ["linkedin", "x"]
    assert r.platforms["linkedin"].total_s == 5400
    assert r.platforms["x"].total_s == 1800
    assert r.outcomes == {"deal": 3, "lead": 1, "newsletter_signup": 1}
    assert r.kind_labels == {
        "deal": "Deal",
        "lead": "Lead",
        "newsletter_signup": "newsletter_signup",
    }
    assert r.revenue == {"EUR": 130050, "USD": 5000}
    assert [p["external_id"] for p in r.top_posts] == ["p1", "p2", "q4", "q3", "q2"]
    # Goals as they stood at the end of the week: the lead goal is at 1 of 2 with one day left;
    # the monthly revenue goal (March) is met with 1,300.50 EUR.
    lead_goal, revenue_goal = r.goals
    assert (lead_goal.goal.name, lead_goal.value, lead_goal.status) == ("-Cheap wins", 1, "behind")
    assert lead_goal.days_left == 1
    assert (revenue_goal.value, revenue_goal.status) == (1300.5, "met")


def test_json(week: sqlite3.Connection) -> None:
    text = render(report(week), "json", BERLIN)
    data = json.loads(text)
    assert text == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert data["window"] == {
        "period": "week",
        "start": "2026-03-23T00:00:00+01:00",
        "end": "2026-03-30T00:00:00+02:00",
        "days": 7,
        "zone": "Europe/Berlin",
        "generated_at": "2026-04-01T12:00:00+02:00",
    }
    assert data["time"] == {
        "productive_s": 3600,
        "playtime_s": 3600,
        "running_s": 0,
        "total_s": 7200,
        "sessions": 3,
        "productive_share": 0.5,
    }
    assert data["platforms"]["x"] == {
        "productive_s": 0,
        "playtime_s": 1800,
        "running_s": 0,
        "total_s": 1800,
        "sessions": 1,
        "productive_share": 0.0,
    }
    assert data["outcomes"]["deal"] == {"label": "Deal", "count": 3}
    assert data["revenue"] == {"EUR": "1300.50", "USD": "50.00"}
    assert data["top_posts"][0]["published_at"] == "2026-03-24T11:00:00+01:00"
    assert data["top_posts"][0]["engagement_rate"] == 0.08
    assert data["top_posts"][2]["engagement_rate"] is None
    assert data["goals"][0]["start"] == "2026-03-23T00:00:00+01:00"
    assert data["goals"][1]["end"] == "2026-04-01T00:00:00+02:00"
    assert data["score"]["strategy"] == "checklist"
    assert data["score"]["breakdown"][0] == {"item": "productive", "value": "1h 00m"}


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_csv(week: sqlite3.Connection) -> None:
    rows = rows_of(render(report(week), "csv", BERLIN))
    assert rows[0] == ["section", "item", "value"]
    assert all(len(row) == 3 for row in rows)
    assert ["window", "start", "2026-03-23T00:00:00+01:00"] in rows
    assert ["window", "end", "2026-03-30T00:00:00+02:00"] in rows
    assert ["time", "total_s", "7200"] in rows
    assert ["time", "productive_share", "0.5"] in rows
    assert ["platforms", "linkedin.total_s", "5400"] in rows
    assert ["outcomes", "newsletter_signup.count", "1"] in rows
    assert ["revenue", "EUR", "1300.50"] in rows
    assert ["goals", "2.status", "met"] in rows
    assert ["score", "breakdown.2.value", "1h 00m"] in rows


def test_csv_escapes_formulas(week: sqlite3.Connection) -> None:
    rows = rows_of(render(report(week), "csv", BERLIN))
    assert ["top_posts", "1.text", '\'=HYPERLINK("http://evil.example")'] in rows
    assert ["top_posts", "3.text", ""] in rows
    assert ["goals", "1.name", "'-Cheap wins"] in rows
    texts = {row[2] for row in rows if row[1].endswith(".text")}
    assert "'@mention me" not in texts  # q1 is sixth by engagements, not in the top five
    risky = ("=", "+", "-", "@", "\t", "\r")
    assert [cell for row in rows for cell in row if cell.startswith(risky)] == []


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("@mention me", "'@mention me"),
        ("+1 for this", "'+1 for this"),
        ("\tindented", "'\tindented"),
        ("\rcarriage", "'\rcarriage"),
        ("plain", "plain"),
    ],
)
def test_csv_escapes_each_risky_start(conn: sqlite3.Connection, text: str, escaped: str) -> None:
    post(conn, "only", "x", utc(2026, 3, 24, 10), engagements=1, text=text)
    rows = rows_of(render(report(conn, score=None), "csv", BERLIN))
    assert ["top_posts", "1.text", escaped] in rows


def section(text: str, title: str) -> list[str]:
    """The lines of one section of the table format, up to the blank line after it."""
    lines = text.splitlines()
    start = lines.index(title) + 1
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


def test_table(week: sqlite3.Connection) -> None:
    text = render(report(week), "table", BERLIN)
    lines = text.splitlines()
    assert lines[0] == "Week report: 2026-03-23 to 2026-03-29 (Europe/Berlin, 7 days)"
    assert lines[1] == "=" * len(lines[0])
    assert section(text, "Platforms") == [
        "  Platform    Time  Sessions  Productive  Playtime  Share",
        "  linkedin  1h 30m         2      1h 00m       30m  66.7%",
        "  x            30m         1          0s       30m   0.0%",
    ]
    assert section(text, "Time") == [
        "  Productive        1h 00m",
        "  Playtime          1h 00m",
        "  Running               0s",
        "  Total             2h 00m",
        "  Sessions               3",
        "  Productive share   50.0%",
    ]
    assert section(text, "Revenue") == [
        "  Currency    Amount",
        "  EUR       1,300.50",
        "  USD          50.00",
    ]
    goals = section(text, "Goals")
    assert goals[1].split("  ")[1] == "-Cheap wins (outcomes lead >= per week)"
    assert "behind" in goals[1]
    assert "1,300.50 EUR" in goals[2]
    posts = section(text, "Top posts")
    assert "plain | pipe second line" in posts[2]
    assert section(text, "Score (checklist): half of the time achieved something")[0] == (
        "  Value         50 %"
    )


def test_markdown(week: sqlite3.Connection) -> None:
    text = render(report(week), "md", BERLIN)
    lines = text.splitlines()
    assert lines[0] == "# Week report: 2026-03-23 to 2026-03-29 (Europe/Berlin, 7 days)"
    at = lines.index("## Platforms")
    assert lines[at + 1 : at + 6] == [
        "",
        "| Platform | Time | Sessions | Productive | Playtime | Share |",
        "|:---|---:|---:|---:|---:|---:|",
        "| linkedin | 1h 30m | 2 | 1h 00m | 30m | 66.7% |",
        "| x | 30m | 1 | 0s | 30m | 0.0% |",
    ]
    assert "| Productive share | 50.0% |" in lines
    assert any("plain \\| pipe second line" in line for line in lines)


def test_empty_report(conn: sqlite3.Connection) -> None:
    r = report(conn, score=None)
    table = render(r, "table", BERLIN)
    assert section(table, "Platforms") == ["  none"]
    assert "Score" not in table
    md = render(r, "md", BERLIN).splitlines()
    assert md[md.index("## Goals") + 2] == "_none_"
    data = json.loads(render(r, "json", BERLIN))
    assert (data["platforms"], data["goals"], data["top_posts"], data["score"]) == (
        {},
        [],
        [],
        None,
    )
    rows = rows_of(render(r, "csv", BERLIN))
    assert {row[0] for row in rows[1:]} == {"window", "time"}


def test_unknown_format(week: sqlite3.Connection) -> None:
    with pytest.raises(UsageError) as info:
        render(report(week), "jsn", BERLIN)
    assert info.value.hint == "did you mean 'json'?"


def test_report_on_the_fall_back_day_in_new_york(conn: sqlite3.Connection) -> None:
    new_york = ZoneInfo("America/New_York")
    clock.freeze(utc(2026, 11, 3))
    # 01:30 EST (the second 01:30) to 02:30 EST on Sunday 2026-11-01: one hour, that day.
    sessions.add(conn, "x", "", utc(2026, 11, 1, 6, 30), utc(2026, 11, 1, 7, 30))
    r = build_report(conn, "day", utc(2026, 11, 1, 6, 30), new_york)
    assert r.end - r.start == 25 * H
    assert r.split.playtime_s == 3600
    data = json.loads(render(r, "json", new_york))
    assert (data["window"]["start"], data["window"]["end"]) == (
        "2026-11-01T00:00:00-04:00",
        "2026-11-02T00:00:00-05:00",
    )
    assert render(r, "table", new_york).splitlines()[0] == (
        "Day report: 2026-11-01 (America/New_York, 1 day)"
    )
