"""How long scores, analytics and a year report take on a large history.

Targets: with 100,000 sessions and 1,000,000 posts, every score and analytics query the
dashboard can show (each built-in strategy over today and this week, the best times to post
over the last 90 days, the return per focused hour of today) stays under 16 ms, one frame at
60 Hz; and a report of the whole year (score, goals with streaks, top posts and best times
included) costs under 1.3 times a bare SQL aggregation of the same year's rows (time per
platform and productive or not, outcomes per kind, posts per platform), both measured in the
same run so the machine's load weighs on both alike.

The database is the one ``bench/dashboard_refresh.py`` builds and caches (the same size flags);
the clock is frozen at its end. Each query runs on one connection, once to warm up and then
``--runs`` times; the median, the 10th to 90th percentiles and the verdict are printed.

    python bench/analytics.py [--quick] [--sessions N] [--posts N] [--days N] [--runs N]
        [--tz ZONE] [--rebuild] [--no-fail]

Exits with status 1 when a target is missed (``--no-fail`` only reports).
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

sys.path.insert(0, os.path.dirname(__file__))

from _common import summarise
from dashboard_refresh import ANCHOR, large_database_options

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable
    from datetime import tzinfo

FRAME_MS = 16.0
REPORT_RATIO = 1.3
STRATEGIES = ("checklist", "outcomes", "roi", "focus", "engagement")

# The year's rows summed straight from the tables: what a report would cost without the
# summary tables.
BARE_SQL = (
    "SELECT s.platform, EXISTS (SELECT 1 FROM outcomes o WHERE o.session_id = s.id), count(*),"
    " sum(max(0, coalesce(s.ended_at, :now) - s.started_at - s.paused_s)) FROM sessions s"
    " WHERE s.started_at >= :start AND s.started_at < :end GROUP BY 1, 2",
    "SELECT kind, currency, count(*), sum(amount_minor) FROM outcomes"
    " WHERE occurred_at >= :start AND occurred_at < :end GROUP BY 1, 2",
    "SELECT platform, count(*), sum(impressions), sum(engagements) FROM posts"
    " WHERE published_at >= :start AND published_at < :end GROUP BY 1",
)


class Config:
    """The settings the strategies read (an hourly rate for roi, targets for focus)."""

    def __init__(self, zone: str) -> None:
        self.timezone = zone
        self.week_start = 0
        self.hourly_rate = 60.0
        self.currency = "EUR"
        self.target_platforms = ("linkedin", "bluesky")
        self.plugins_disabled: tuple[str, ...] = ()
        self.scoring: dict[str, dict[str, object]] = {}


def sample(action: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds of ``runs`` calls after one warm-up call."""
    action()
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def dashboard_queries(
    conn: sqlite3.Connection, zone: tzinfo, config: Config
) -> dict[str, Callable[[], object]]:
    """Every score and analytics query the dashboard can show, by name."""
    from smtui.core.analytics_returns import returns
    from smtui.core.analytics_times import best_times
    from smtui.core.score import make_strategy, score_range
    from smtui.core.windows import period_window
    from smtui.plugins import load_registry

    registry = load_registry(config)
    day = period_window("day", ANCHOR, zone)
    week = period_window("week", ANCHOR, zone)
    queries: dict[str, Callable[[], object]] = {}
    for name in STRATEGIES:
        strategy = make_strategy(registry, name, config)
        for label, (start, end) in (("today", day), ("this week", week)):
            queries[f"score {name}, {label}"] = lambda s=strategy, a=start, b=end: score_range(
                conn, s, a, b, ANCHOR
            )
    quarter = (ANCHOR - 90 * 86_400, ANCHOR)
    month = (ANCHOR - 30 * 86_400, ANCHOR)
    queries["best times, 90 days, one platform"] = lambda: best_times(
        conn, *quarter, zone, platform="linkedin"
    )
    queries["best times, 90 days, all together"] = lambda: best_times(
        conn, *quarter, zone, per_platform=False
    )
    queries["best times, 30 days, every platform"] = lambda: best_times(conn, *month, zone)
    queries["return per focused hour, today"] = lambda: returns(conn, *day, ANCHOR)
    return queries


def year_report(conn: sqlite3.Connection, zone: tzinfo, config: Config) -> Callable[[], object]:
    """What ``smtui report -p year`` computes (its score with the default strategy)."""
    from smtui.core.report import build_report
    from smtui.core.score import make_strategy, score_range
    from smtui.core.windows import period_window
    from smtui.plugins import load_registry

    start, end = period_window("year", ANCHOR, zone)
    strategy = make_strategy(load_registry(config), "checklist", config)

    def run() -> object:
        score = score_range(conn, strategy, start, end, ANCHOR)
        return build_report(conn, "year", ANCHOR, zone, score=score, window=(start, end))

    return run


def bare_aggregation(conn: sqlite3.Connection, zone: tzinfo) -> Callable[[], object]:
    from smtui.core.windows import period_window

    start, end = period_window("year", ANCHOR, zone)
    params = {"start": start, "end": end, "now": ANCHOR}
    return lambda: [conn.execute(sql, params).fetchall() for sql in BARE_SQL]


def line(name: str, samples: list[float], verdict: str) -> str:
    median, low, high = summarise(samples)
    return f"{name:40} {median:8.2f}ms {low:8.2f}..{high:8.2f}  {verdict}"


def main(argv: list[str] | None = None) -> int:
    opts, runs, path = large_database_options((__doc__ or "").splitlines()[0], argv, "query")

    from smtui import clock
    from smtui.core.timespec import user_timezone
    from smtui.store.db import connect

    clock.freeze(ANCHOR)
    zone = user_timezone(opts.tz)
    config = Config(opts.tz)
    conn = connect(path)
    ok = True
    try:
        print(
            f"\nScores and analytics: {opts.sessions:,} sessions, {opts.posts:,} posts over"
            f" {opts.days} days, {opts.tz}, median of {runs} runs"
        )
        print(f"{'query':40} {'median':>10} {'p10..p90':>20}  target < {FRAME_MS:g} ms")
        for name, query in dashboard_queries(conn, zone, config).items():
            samples = sample(query, runs)
            fast = summarise(samples)[0] < FRAME_MS
            ok = ok and fast
            print(line(name, samples, "ok" if fast else "TOO SLOW"))
        report_ms = sample(year_report(conn, zone, config), runs)
        bare_ms = sample(bare_aggregation(conn, zone), runs)
        ratio = summarise(report_ms)[0] / summarise(bare_ms)[0]
        within = ratio < REPORT_RATIO
        ok = ok and within
        print(f"\nYear report against a bare SQL aggregation (target < {REPORT_RATIO:g}x)")
        print(line("bare SQL aggregation of the year", bare_ms, ""))
        print(line("year report", report_ms, ""))
        print(f"ratio {ratio:.2f}x  {'ok' if within else 'TOO SLOW'}")
    finally:
        conn.close()
        clock.freeze(None)
    return 0 if ok or opts.no_fail else 1


if __name__ == "__main__":
    raise SystemExit(main())
