"""Best times to post, return per focused hour and content insights, against hand-made posts
and sessions (and, for the best times, against a plain count over every post)."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from smtui import clock
from smtui.core import outcomes, sessions
from smtui.core.analytics_content import content_insights
from smtui.core.analytics_returns import returns
from smtui.core.analytics_times import ALL, best_times, offset_segments
from smtui.store.db import Transaction

if TYPE_CHECKING:
    import sqlite3

BERLIN = ZoneInfo("Europe/Berlin")
KOLKATA = ZoneInfo("Asia/Kolkata")
H = 3600
M = 60


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    return int(datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp())


def post(
    conn: sqlite3.Connection,
    external_id: str,
    platform: str,
    at: int,
    *,
    impressions: int | None = 100,
    engagements: int | None = 5,
    text: str = "",
    kind: str = "",
    **metrics: int,
) -> None:
    columns = ["platform", "external_id", "published_at", "impressions", "engagements"]
    values: list[object] = [platform, external_id, at, impressions, engagements]
    columns += ["text", "kind", *metrics]
    values += [text, kind, *metrics.values()]
    with Transaction(conn):
        conn.execute(
            f"INSERT INTO posts ({', '.join(columns)}) VALUES ({', '.join('?' * len(values))})",
            values,
        )


# --- best times --------------------------------------------------------------------------------


def test_a_local_hour_stays_put_across_a_dst_change(conn: sqlite3.Connection) -> None:
    # Monday 09:00 in Berlin: 08:00 UTC in winter (CET), 07:00 UTC in summer (CEST).
    post(conn, "w1", "linkedin", utc(2026, 3, 23, 8), engagements=4)
    post(conn, "w2", "linkedin", utc(2026, 3, 16, 8), engagements=6)
    post(conn, "s1", "linkedin", utc(2026, 3, 30, 7), engagements=10)

    found = best_times(conn, utc(2026, 3, 1), utc(2026, 4, 6), BERLIN, min_posts=3)

    cell = found.grids["linkedin"][0 * 24 + 9]
    assert (cell.label, cell.posts, cell.rated_posts) == ("Mon 09:00", 3, 3)
    assert cell.rate == pytest.approx(20 / 300)
    assert found.grids["linkedin"][0 * 24 + 10].posts == 0
    assert found.best() == [found.grids[ALL][9]]


def test_cells_with_too_few_posts_have_no_rate(conn: sqlite3.Connection) -> None:
    post(conn, "a", "x", utc(2026, 3, 3, 14))  # Tuesday 15:00 in Berlin
    post(conn, "b", "x", utc(2026, 3, 10, 14))
    post(conn, "c", "x", utc(2026, 3, 17, 14), impressions=0)  # no impressions: not rated

    found = best_times(conn, utc(2026, 3, 1), utc(2026, 3, 22), BERLIN, min_posts=3)
    lenient = best_times(conn, utc(2026, 3, 1), utc(2026, 3, 22), BERLIN, min_posts=2)

    cell = found.grids["x"][1 * 24 + 15]
    assert (cell.posts, cell.rated_posts, cell.rate) == (3, 2, None)
    assert found.best() == []
    assert lenient.grids["x"][1 * 24 + 15].rate == pytest.approx(10 / 200)


def test_a_zone_half_an_hour_off_utc_reads_the_posts(conn: sqlite3.Connection) -> None:
    post(conn, "a", "x", utc(2026, 3, 4, 3, 45))  # 09:15 in Kolkata (UTC+05:30)
    post(conn, "b", "x", utc(2026, 3, 4, 4, 15))  # 09:45
    post(conn, "c", "x", utc(2026, 3, 4, 4, 35))  # 10:05

    found = best_times(conn, utc(2026, 3, 1), utc(2026, 3, 8), KOLKATA, min_posts=1)

    grid = found.grids["x"]
    assert (grid[2 * 24 + 9].posts, grid[2 * 24 + 10].posts) == (2, 1)


def test_ragged_window_ends_count_their_posts(conn: sqlite3.Connection) -> None:
    post(conn, "in", "x", utc(2026, 3, 4, 9, 10))
    post(conn, "out", "x", utc(2026, 3, 4, 9, 50))

    found = best_times(conn, utc(2026, 3, 4, 9, 5), utc(2026, 3, 4, 9, 40), UTC, min_posts=1)

    assert sum(cell.posts for cell in found.grids["x"]) == 1


def test_one_platform_only(conn: sqlite3.Connection) -> None:
    post(conn, "a", "x", utc(2026, 3, 4, 9))
    post(conn, "b", "linkedin", utc(2026, 3, 4, 9))

    found = best_times(conn, utc(2026, 3, 1), utc(2026, 3, 8), UTC, platform="x", min_posts=1)

    assert list(found.grids) == ["x"]
    assert found.best()[0].label == "Wed 09:00"


def test_the_grids_match_a_plain_count_over_every_post(conn: sqlite3.Connection) -> None:
    rng = random.Random(7)
    start, end = utc(2025, 9, 20, 5, 17), utc(2026, 4, 11, 19, 42)  # two DST changes
    rows = []
    for index in range(400):
        at = rng.randrange(start - 5 * 86_400, end + 5 * 86_400)
        impressions = rng.choice((None, 0, rng.randrange(1, 5000)))
        engagements = rng.choice((None, rng.randrange(0, 300)))
        platform = rng.choice(("x", "linkedin", "bluesky"))
        rows.append((platform, f"p{index}", at, impressions, engagements))
    with Transaction(conn):
        conn.executemany(
            "INSERT INTO posts (platform, external_id, published_at, impressions, engagements)"
            " VALUES (?, ?, ?, ?, ?)",
            rows,
        )

    found = best_times(conn, start, end, BERLIN, min_posts=1)

    expected: dict[tuple[str, int], list[int]] = {}
    for platform, _, at, impressions, engagements in rows:
        if not start <= at < end:
            continue
        local = datetime.fromtimestamp(at, BERLIN)
        how = local.weekday() * 24 + local.hour
        rated = engagements is not None and (impressions or 0) > 0
        for key in ((platform, how), (ALL, how)):
            entry = expected.setdefault(key, [0, 0, 0, 0])
            entry[0] += 1
            entry[1] += rated
            entry[2] += engagements if rated and engagements else 0
            entry[3] += impressions if rated and impressions else 0
    got = {
        (name, index): [cell.posts, cell.rated_posts, cell.engagements, cell.impressions]
        for name, grid in found.grids.items()
        for index, cell in enumerate(grid)
        if cell.posts
    }
    assert got == expected


def test_offset_segments_find_each_change_to_the_second() -> None:
    segments = offset_segments(utc(2026, 1, 1), utc(2027, 1, 1), BERLIN)
    assert segments == [
        (utc(2026, 1, 1), utc(2026, 3, 29, 1), 3600),
        (utc(2026, 3, 29, 1), utc(2026, 10, 25, 1), 7200),
        (utc(2026, 10, 25, 1), utc(2027, 1, 1), 3600),
    ]
    assert offset_segments(utc(2026, 3, 29, 1), utc(2026, 3, 30), BERLIN) == [
        (utc(2026, 3, 29, 1), utc(2026, 3, 30), 7200)
    ]


# --- return per focused hour -------------------------------------------------------------------


def test_returns_join_outcomes_and_posts_to_the_time_that_produced_them(
    conn: sqlite3.Connection,
) -> None:
    clock.freeze(utc(2026, 3, 5))
    day = utc(2026, 3, 4)
    first = sessions.add(conn, "linkedin", "prospecting", day + 9 * H, day + 10 * H)
    second = sessions.add(conn, "linkedin", "prospecting", day + 11 * H, day + 11 * H + 30 * M)
    sessions.add(conn, "x", "engagement", day + 13 * H, day + 13 * H + 30 * M)
    outcomes.log(conn, "lead", session=first.id, at=day + 9 * H + 5 * M)
    outcomes.log(
        conn, "deal", session=second.id, at=day + 11 * H, amount_minor=90_000, currency="EUR"
    )
    outcomes.log(conn, "lead", session=None, at=day + 15 * H, platform="x")
    post(conn, "during", "linkedin", day + 9 * H + 30 * M, impressions=900, engagements=45)
    post(conn, "other platform", "x", day + 9 * H + 30 * M, impressions=50, engagements=2)
    post(conn, "after", "linkedin", day + 16 * H, impressions=300, engagements=9)

    found = returns(conn, day, day + 24 * H, clock.now())

    linkedin, x = found.rows
    assert (linkedin.platform, linkedin.intent, linkedin.sessions) == ("linkedin", "prospecting", 2)
    assert linkedin.seconds == 90 * M
    assert linkedin.outcomes == {"lead": 1, "deal": 1}
    assert linkedin.revenue == {"EUR": 90_000}
    assert (linkedin.posts, linkedin.results["engagements"]) == (1, 45)
    assert linkedin.per_hour(linkedin.outcome_count) == pytest.approx(2 / 1.5)
    assert linkedin.per_hour(linkedin.results["engagements"]) == pytest.approx(30)
    assert (x.platform, x.posts, x.outcome_count) == ("x", 0, 0)
    outside = {row.platform: row for row in found.outside}
    assert outside["linkedin"].posts == 1 and outside["linkedin"].results["impressions"] == 300
    assert outside["x"].posts == 1 and outside["x"].outcomes == {"lead": 1}


def test_returns_of_an_empty_window(conn: sqlite3.Connection) -> None:
    found = returns(conn, utc(2026, 3, 4), utc(2026, 3, 5), utc(2026, 3, 6))
    assert (found.rows, found.outside) == ([], [])


# --- content insights --------------------------------------------------------------------------


def test_content_insights_group_posts_by_each_dimension(conn: sqlite3.Connection) -> None:
    monday = utc(2026, 3, 2, 12)
    post(conn, "a", "x", monday, text="short #one #two", kind="post", engagements=10)
    post(conn, "b", "x", monday + 60, text="see https://example.com", kind="photo")
    post(conn, "c", "x", monday + 120, text="x" * 300 + " www.example.org #a", kind="post")
    post(conn, "d", "linkedin", monday + 86_400, text="", kind="", impressions=None)
    post(conn, "e", "linkedin", utc(2026, 3, 1, 23, 30), text="#a #b #c #d #e #f #g")

    found = content_insights(conn, utc(2026, 3, 1), utc(2026, 3, 9), BERLIN, min_posts=2)

    def groups(dimension: str) -> dict[str, tuple[int, int]]:
        return {g.name: (g.posts, g.rated_posts) for g in found.dimensions[dimension]}

    assert found.posts == 5
    assert groups("length") == {"no text": (1, 0), "1-100": (3, 3), "281-700": (1, 1)}
    assert groups("link") == {"with link": (2, 2), "no link": (3, 2)}
    assert groups("hashtags") == {"0": (2, 1), "1-2": (2, 2), "6+": (1, 1)}
    assert groups("media") == {"post": (2, 2), "unknown": (2, 1), "photo": (1, 1)}
    # e is Monday 00:30 in Berlin (Sunday 23:30 UTC); d is Tuesday.
    assert groups("weekday") == {"Mon": (4, 4), "Tue": (1, 0)}
    link = {g.name: g for g in found.dimensions["link"]}
    assert link["with link"].rate == pytest.approx(10 / 200)
    assert link["no link"].rate == pytest.approx(15 / 200)
    photo = {g.name: g for g in found.dimensions["media"]}["photo"]
    assert (photo.rate, photo.mean_engagements) == (None, 5)  # one post is below the minimum


def test_content_insights_of_one_platform(conn: sqlite3.Connection) -> None:
    post(conn, "a", "x", utc(2026, 3, 2, 12), text="hi")
    post(conn, "b", "linkedin", utc(2026, 3, 2, 12), text="hello")

    found = content_insights(conn, utc(2026, 3, 1), utc(2026, 3, 9), UTC, platform="linkedin")

    assert found.posts == 1
    assert [g.name for g in found.dimensions["weekday"]] == ["Mon"]
