"""The Insights screen: opened with its key, read after it shows, each section from the core
functions, the heatmap's best cell and unknown cells, a failing section alone, and the charts
library kept off the dashboard's start."""

from __future__ import annotations

import asyncio
import subprocess
import threading
import time
from datetime import UTC
from typing import TYPE_CHECKING, Any

import pytest

from smtui.config import Config
from smtui.core import outcomes, sessions
from smtui.core.metrics import day_windows
from smtui.core.summary import time_split
from smtui.store.db import Transaction
from smtui.tui import insights_data
from smtui.tui.app import SmtuiApp
from smtui.tui.insights_data import RETURNS_SECTION, TIMES_SECTION
from smtui.tui.insights_heatmap import LABEL_WIDTH, WeekHeatmap
from smtui.tui.insights_screen import BAR_WIDTH, InsightsScreen

from .conftest import PYTHON, T0, subprocess_env

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Awaitable, Callable
    from pathlib import Path

    from textual.pilot import Pilot

    Check = Callable[[Pilot[None], InsightsScreen], Awaitable[None]]

HOUR = 3600
DAY = 86_400
# T0 is Wednesday 2026-03-04 10:00 UTC: the Monday, Tuesday and Thursday of the week before.
MONDAY = T0 - 9 * DAY - 10 * HOUR
TUESDAY = MONDAY + DAY
THURSDAY = MONDAY + 3 * DAY


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config(str(tmp_path / "config.toml"), timezone="UTC")


def post(conn: sqlite3.Connection, key: str, platform: str, at: int, engagements: int) -> None:
    """A post of 100 impressions with ``engagements``: its rate is ``engagements`` percent."""
    with Transaction(conn):
        conn.execute(
            "INSERT INTO posts (platform, external_id, published_at, impressions, engagements)"
            " VALUES (?, ?, ?, 100, ?)",
            (platform, key, at, engagements),
        )


def add_posts(conn: sqlite3.Connection) -> None:
    """LinkedIn: Tuesday 09:00 at 10% (3 posts, three weeks), Thursday 15:00 at 5% (3 posts),
    Monday 08:00 twice (too few for a rate). X: Monday 12:00 at 2% (3 posts)."""
    for week in range(3):
        back = week * 7 * DAY
        post(conn, f"tue{week}", "linkedin", TUESDAY - back + 9 * HOUR, 10)
        post(conn, f"thu{week}", "linkedin", THURSDAY - back + 15 * HOUR + 600, 5)
        post(conn, f"x{week}", "x", MONDAY - back + 12 * HOUR, 2)
    post(conn, "mon0", "linkedin", MONDAY + 8 * HOUR, 50)
    post(conn, "mon1", "linkedin", MONDAY - 7 * DAY + 8 * HOUR + 1800, 50)


def add_sessions(conn: sqlite3.Connection) -> None:
    """A productive hour two days ago, a playtime half-hour over last midnight, and a session
    running for 20 minutes."""
    first = sessions.add(conn, "linkedin", "prospecting", T0 - 2 * DAY, T0 - 2 * DAY + HOUR)
    outcomes.log(conn, "lead", session=first.id, at=T0 - 2 * DAY + HOUR - 60)
    midnight = T0 - 10 * HOUR
    sessions.add(conn, "x", "engagement", midnight - 900, midnight + 900)
    sessions.start(conn, "x", "content", at=T0 - 1200)


def busy(app: SmtuiApp) -> list[Any]:
    return [w for w in app.workers if w.group != "poll" and not w.is_finished]


async def settle(pilot: Pilot[None], until: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let workers and messages run until ``until`` holds and no worker is busy."""
    app = pilot.app
    assert isinstance(app, SmtuiApp)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause(0.02)
        if not busy(app) and until():
            await pilot.pause()
            return
    raise AssertionError(f"not reached in time; on {app.screen!r}, busy {busy(app)}")


async def open_insights(pilot: Pilot[None], key: str = "a") -> InsightsScreen:
    """From the dashboard (once it has its data), open the insights and wait for them."""
    app = pilot.app
    assert isinstance(app, SmtuiApp)
    await settle(pilot, lambda: app._first_shown.is_set() and app.state_known)
    await pilot.press(key)
    screen = app.screen
    assert isinstance(screen, InsightsScreen), screen
    await settle(pilot, lambda: screen.loaded)
    return screen


def make_app(db_path: str, config: Config) -> SmtuiApp:
    return SmtuiApp(db_path, config, cursor_blink=False, poll_interval=60)


def on_insights(
    db_path: str, config: Config, check: Check, size: tuple[int, int] = (80, 24), key: str = "a"
) -> None:
    """Run the app at ``size``, open the insights with ``key`` and, once read, ``check`` them."""
    app = make_app(db_path, config)

    async def scenario() -> None:
        async with app.run_test(size=size) as pilot:
            await check(pilot, await open_insights(pilot, key))

    asyncio.run(scenario())


# --- opening and closing ---------------------------------------------------------------------


def test_the_key_opens_the_insights_and_escape_closes_them(
    db: sqlite3.Connection, db_path: str, config: Config
) -> None:
    async def check(pilot: Pilot[None], screen: InsightsScreen) -> None:
        assert screen.errors == {}
        titles = [str(title.visual) for title in screen.query(".insights-title")]
        assert titles == [
            "Time per day · last 4 weeks",
            "Best time to post · last 365 days",
            "Return per focused hour · last 4 weeks",
        ]
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, InsightsScreen)
        assert len(pilot.app.screen_stack) == 1

    on_insights(db_path, config, check)


def test_the_key_follows_the_keymap_and_the_help_lists_it(
    db: sqlite3.Connection, db_path: str, tmp_path: Path
) -> None:
    config = Config(str(tmp_path / "c.toml"), timezone="UTC", keymap={"insights": "I"})

    async def check(pilot: Pilot[None], screen: InsightsScreen) -> None:
        app = pilot.app
        assert isinstance(app, SmtuiApp)
        sections = {section.title: section.rows for section in app.help_sections()}
        assert dict(sections["Dashboard"])["I"].startswith("Insights:")
        assert ("p", InsightsScreen.BINDINGS[1].tooltip) in sections["Insights screen"]

    on_insights(db_path, config, check, key="I")


# --- the sections ------------------------------------------------------------------------------


def test_the_chart_draws_the_split_of_each_day(
    db: sqlite3.Connection, db_path: str, config: Config
) -> None:
    add_sessions(db)
    windows = day_windows(T0, UTC, insights_data.RECENT_DAYS)
    expected = [time_split(db, start, min(end, T0), T0) for start, end in windows]

    async def check(pilot: Pilot[None], screen: InsightsScreen) -> None:
        series = screen.chart.series
        assert series == {
            "productive": [split.productive_s / HOUR for split in expected],
            "playtime": [split.playtime_s / HOUR for split in expected],
            "running": [split.running_s / HOUR for split in expected],
        }
        # Two days ago, the productive hour; yesterday and today, the half-hour's halves.
        assert series["productive"][-3:] == [1.0, 0.0, 0.0]
        assert series["playtime"][-2:] == [0.25, 0.25]
        assert series["running"][-1] == pytest.approx(1 / 3)
        assert screen.chart.splits is not None
        assert screen.chart.splits.days[-1].isoformat() == "2026-03-04"
        legend = screen.note_text("days")
        assert "Productive 1h 00m" in legend and "Playtime 30m" in legend
        assert "Running 20m" in legend and "67% productive" in legend

    on_insights(db_path, config, check)


def test_the_heatmap_points_at_the_best_cell_and_marks_the_unknown(
    db: sqlite3.Connection, db_path: str, config: Config
) -> None:
    add_posts(db)

    # 120 columns, 30 rows: the sections one under the other, 4 columns an hour.
    async def check(pilot: Pilot[None], screen: InsightsScreen) -> None:
        assert screen.platform == "all"
        heatmap = screen.heatmap
        assert heatmap.cell_width == 4
        rows = heatmap.text.splitlines()

        def cell(weekday: int, hour: int) -> str:
            start = LABEL_WIDTH + hour * 4
            return rows[1 + weekday][start : start + 3].strip()

        assert rows[2].startswith("Tue")
        assert cell(1, 9) == "10"  # Tuesday 09:00: 10.0%, cut to fit three columns
        assert cell(3, 15) == "5.0"
        assert cell(0, 12) == "2.0"
        assert cell(0, 8) == "?"  # two posts: no rate
        assert cell(6, 9) == "·"  # no posts
        legend = screen.note_text(TIMES_SECTION).splitlines()
        assert legend[0].startswith("Engagement rate = engagements / impressions: 2.00%")
        assert legend[0].endswith("10.00%")
        assert legend[1].startswith("? under 3 rated posts · · no posts")
        assert legend[2] == "▸ Tue 09:00 · 3 posts, 3 rated · 10.00%"
        assert legend[3] == "Best: Tue 09:00 10.00% · Thu 15:00 5.00% · Mon 12:00 2.00%"

    on_insights(db_path, config, check, (120, 30))


def test_hovering_a_cell_tells_how_many_posts_it_has(
    db: sqlite3.Connection, db_path: str, config: Config
) -> None:
    add_posts(db)

    async def check(pilot: Pilot[None], screen: InsightsScreen) -> None:
        heatmap = screen.heatmap
        # Bring the map into view, then point at Monday 08:00.
        heatmap.scroll_visible(animate=False, top=True)
        await pilot.pause()
        await pilot.hover(WeekHeatmap, offset=(LABEL_WIDTH + 8 * heatmap.cell_width + 1, 1))
        await pilot.pause()
        told = "Mon 08:00 · 2 posts, 2 rated · under 3 rated: no rate yet"
        assert heatmap.tooltip == told
        assert screen.note_text(TIMES_SECTION).splitlines()[2] == f"▸ {told}"

    on_insights(db_path, config, check, (120, 30))


def test_a_key_picks_the_platform_of_the_heatmap(
    db: sqlite3.Connection, db_path: str, config: Config
) -> None:
    add_posts(db)

    async def check(pilot: Pilot[None], screen: InsightsScreen) -> None:
        assert screen.platforms == ["all", "linkedin", "x"]
        await pilot.press("p")
        assert screen.platform == "linkedin"
        best = screen.note_text(TIMES_SECTION).splitlines()[3]
        assert best == "Best: Tue 09:00 10.00% · Thu 15:00 5.00%"
        await pilot.press("p")
        assert screen.platform == "x"
        lines = screen.note_text(TIMES_SECTION).splitlines()
        assert lines[2] == "▸ Mon 12:00 · 3 posts, 3 rated · 2.00%"
        assert lines[3] == "Best: Mon 12:00 2.00%"
        assert screen.heatmap.grid[12].posts == 3  # the map is X's: Monday 12:00

    on_insights(db_path, config, check)


def test_the_returns_show_each_platform_and_intent(
    db: sqlite3.Connection, db_path: str, config: Config
) -> None:
    add_sessions(db)

    async def check(pilot: Pilot[None], screen: InsightsScreen) -> None:
        drawn = screen.returns_text.splitlines()
        assert drawn[0].split() == [
            *("Platform", "·", "intent", "Time", "Outcomes/h", "Eng./h", "Revenue")
        ]
        # One outcome in one hour: the best row, its bar full.
        assert drawn[1].split()[:7] == [
            *("linkedin", "·", "prospecting", "1h", "00m", "1.0", "█" * BAR_WIDTH)
        ]
        assert [line.split()[:3] for line in drawn[2:]] == [
            ["x", "·", "engagement"],
            ["x", "·", "content"],
        ]

    on_insights(db_path, config, check, (160, 48))


# --- reading --------------------------------------------------------------------------------


def test_a_failing_section_shows_its_error_alone(
    db: sqlite3.Connection, db_path: str, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_posts(db)

    def broken(conn: sqlite3.Connection, ctx: Any, now: int) -> object:
        raise RuntimeError("the returns broke")

    monkeypatch.setitem(insights_data.LOADERS, RETURNS_SECTION, broken)

    async def check(pilot: Pilot[None], screen: InsightsScreen) -> None:
        assert screen.errors == {RETURNS_SECTION: "RuntimeError: the returns broke"}
        note = screen.note_text(RETURNS_SECTION)
        assert note == "Could not read this section: RuntimeError: the returns broke"
        assert screen.query_one("#returns-note").has_class("-error")
        assert "Could not" not in screen.note_text("days")
        assert screen.note_text(TIMES_SECTION).startswith("Engagement rate")

    on_insights(db_path, config, check)


def test_the_data_is_read_after_the_screen_shows(
    db: sqlite3.Connection, db_path: str, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    read_while_shown: list[bool] = []
    app = make_app(db_path, config)
    slow_days = insights_data.LOADERS[insights_data.DAYS_SECTION]

    def held(conn: sqlite3.Connection, ctx: Any, now: int) -> object:
        read_while_shown.append(isinstance(app.screen, InsightsScreen))
        release.wait(10)
        return slow_days(conn, ctx, now)

    monkeypatch.setitem(insights_data.LOADERS, insights_data.DAYS_SECTION, held)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, lambda: app._first_shown.is_set() and app.state_known)
            await pilot.press("a")
            screen = app.screen
            assert isinstance(screen, InsightsScreen)
            deadline = time.monotonic() + 5
            while not read_while_shown and time.monotonic() < deadline:
                await pilot.pause(0.02)
            # The loader is held in its thread while the app's loop runs: the screen is up,
            # each section saying it is being read.
            assert screen.note_text("days") == "Reading…"
            assert screen.note_text(RETURNS_SECTION) == "Reading…"
            assert not screen.loaded
            release.set()
            await settle(pilot, lambda: screen.loaded)
            assert screen.errors == {}

    asyncio.run(scenario())
    assert read_while_shown == [True]


def test_an_empty_store_says_what_is_missing(
    db: sqlite3.Connection, db_path: str, config: Config
) -> None:
    async def check(pilot: Pilot[None], screen: InsightsScreen) -> None:
        assert screen.note_text("days") == "No sessions in the last four weeks."
        assert screen.note_text(TIMES_SECTION).startswith("No posts in the last 365 days")
        assert screen.note_text(RETURNS_SECTION) == "No sessions in the last four weeks."
        assert not screen.heatmap.display
        assert screen.chart.series["productive"] == [0.0] * insights_data.RECENT_DAYS

    on_insights(db_path, config, check)


# --- what the dashboard's start imports -------------------------------------------------------

CHARTS_PROBE = """
import asyncio, sys
from smtui.config import Config
from smtui.tui.app import SmtuiApp

CHARTS = ("textual_plotext", "plotext", "smtui.tui.insights_screen", "smtui.tui.insights_chart")

async def main():
    app = SmtuiApp(sys.argv[1], Config(sys.argv[2], timezone="UTC"), cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(250):
            await pilot.pause(0.02)
            if app._first_shown.is_set():
                break
        print(app._first_shown.is_set(), [name for name in CHARTS if name in sys.modules])
        await pilot.press("a")
        for _ in range(250):
            await pilot.pause(0.02)
            if getattr(app.screen, "loaded", False):
                break
        print([name for name in CHARTS if name in sys.modules])

asyncio.run(main())
"""


def test_the_dashboard_starts_without_the_charts(
    db: sqlite3.Connection, db_path: str, tmp_path: Path, smtui_home: Path
) -> None:
    add_posts(db)
    result = subprocess.run(
        [PYTHON, "-c", CHARTS_PROBE, db_path, str(tmp_path / "config.toml")],
        env=subprocess_env(smtui_home),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    at_start, once_opened = result.stdout.splitlines()
    assert at_start == "True []"
    # The probe sees them once the screen is opened: it would see them at the start too.
    assert once_opened == str(
        ["textual_plotext", "plotext", "smtui.tui.insights_screen", "smtui.tui.insights_chart"]
    )


@pytest.mark.parametrize(
    ("highest", "ticks"),
    [
        (0.0, [0, 1]),
        (0.5, [0, 1]),
        (3.0, [0, 1, 2, 3]),
        (5.5, [0, 2, 4, 6]),
        (13.0, [0, 4, 8, 12, 16]),
    ],
)
def test_the_hour_ticks_are_whole_and_few(highest: float, ticks: list[int]) -> None:
    from smtui.tui.insights_chart import hour_ticks

    values, labels = hour_ticks(highest)
    assert values == [float(t) for t in ticks]
    assert labels == [f"{t}h" for t in ticks]


def test_reading_again_keeps_the_platform_on_show(
    db: sqlite3.Connection, db_path: str, config: Config
) -> None:
    add_posts(db)

    async def check(pilot: Pilot[None], screen: InsightsScreen) -> None:
        await pilot.press("p", "p")
        assert screen.platform == "x"
        post(db, "x3", "x", MONDAY + 12 * HOUR + 60, 8)  # a fourth Monday 12:00 post
        post(db, "b0", "bluesky", MONDAY + 7 * HOUR, 1)  # and a tab more, before x's
        generation = screen._generation
        await pilot.press("r")
        await settle(pilot, lambda: screen._generation == generation + 1 and screen.loaded)
        await pilot.pause(0.1)
        assert screen.platforms == ["all", "bluesky", "linkedin", "x"]
        assert screen.platform == "x"
        assert screen.heatmap.grid[12].posts == 4
        assert screen.note_text(TIMES_SECTION).splitlines()[3] == "Best: Mon 12:00 3.50%"

    on_insights(db_path, config, check)
