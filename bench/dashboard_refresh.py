"""How long each dashboard panel takes to load from a large database.

Target: with 100,000 sessions and 1,000,000 posts (plus their snapshots) every panel
loader of the dashboard (``smtui.tui.data``: running, today, goals, score, recent, metrics)
stays under 16 ms, one frame at 60 Hz. Each loader runs on one connection, as the dashboard's
workers run them, several times; the median is printed in ms per panel with a verdict.

The database is built with direct ``executemany`` inserts (no domain calls: seconds, not
minutes) and cached under the temp directory, keyed by its size and shape, so only the first
run pays for it. History ends at a fixed instant (:data:`ANCHOR`, the clock is frozen there),
which keeps the cache valid from one day to the next. Its density is a stress, not a typical
user: by default 100,000 sessions and 1,000,000 posts over three years (about 90 sessions and
900 posts a day, on seven platforms with three accounts each), so each day, week and month the
panels read holds far more than anyone's real one; every goal measure is tracked, over weeks,
months and quarters.

    python bench/dashboard_refresh.py [--quick] [--sessions N] [--posts N] [--days N]
        [--runs N] [--tz ZONE] [--rebuild]

Exits with status 1 when a panel misses the target (``--no-fail`` only reports).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

TARGET_MS = 16.0
# Sunday 2025-12-28 20:00 UTC (21:00 in Paris): history ends here and the clock is frozen here.
# The end of a week, of a month and of a quarter: every goal period is nearly full, the
# heaviest case for the goals panel.
ANCHOR = 1766952000
DAY_S = 86_400
# Bump when the generated data changes shape, so cached databases are rebuilt.
BUILD_VERSION = 2

PLATFORMS = ("linkedin", "x", "bluesky", "mastodon", "youtube", "instagram", "threads")
PLATFORM_WEIGHTS = (30, 25, 15, 10, 5, 10, 5)
ACCOUNTS_PER_PLATFORM = 3
INTENTS = ("prospecting", "content", "engagement", "listening", "learning", "networking")
KINDS = (
    "prospect_identified",
    "prospect_qualified",
    "expertise_shown",
    "contact_found",
    "opportunity_found",
    "ally_promoted",
    "trust_built",
    "moved_off_social",
    "lead",
    "deal",
)
# Platforms whose exports report no impressions (their engagement rate is unknown).
NO_IMPRESSIONS = frozenset({"mastodon"})

# Goals beyond the demo's: every measure, on all platforms and over longer periods.
EXTRA_GOALS: tuple[tuple[str, str, str, str, float, str, str | None], ...] = (
    ("Posts a quarter", "posts", "", "at_least", 50_000, "quarter", None),
    ("Engagement a quarter", "engagement_rate", "", "at_least", 0.03, "quarter", None),
    ("Likes a month", "post_metric", "likes", "at_least", 100_000, "month", None),
    ("Video views a quarter", "post_metric", "video_views", "at_least", 10**6, "quarter", None),
    ("Followers a quarter", "followers_gained", "", "at_least", 2000, "quarter", None),
    ("Leads a quarter", "outcomes", "lead", "at_least", 500, "quarter", None),
    ("Time a quarter", "time_total", "", "at_most", 3_000_000, "quarter", None),
    ("X time a month", "time_total", "", "at_most", 400_000, "month", "x"),
)


# --- building the database -------------------------------------------------------------------


def cache_path(sessions: int, posts: int, days: int) -> str:
    """Where the database of this size is cached.

    The key holds the size, :data:`BUILD_VERSION` and a digest of the schema (every migration's
    text), so a changed schema or generator never reuses a stale database.
    """
    import hashlib

    from smtui.store.migrations import MIGRATIONS

    schema = hashlib.sha256("\n".join(MIGRATIONS).encode()).hexdigest()[:10]
    folder = os.path.join(tempfile.gettempdir(), "smtui-bench")
    name = f"dashboard-s{sessions}-p{posts}-d{days}-b{BUILD_VERSION}-{schema}.db"
    return os.path.join(folder, name)


def _sessions(
    rng: random.Random, count: int, first: int
) -> Iterator[tuple[int, str, str, int, int | None, int | None, int]]:
    """Non-overlapping sessions, evenly spread from ``first`` to :data:`ANCHOR`.

    The last one is still running (it started ten minutes before the anchor).
    """
    slot = (ANCHOR - 600 - first) / max(1, count - 1)
    for index in range(count):
        start = first + int(index * slot)
        if index == count - 1:
            yield (index + 1, PLATFORMS[0], INTENTS[0], ANCHOR - 600, None, 25 * 60, 0)
            return
        length = max(60, int(slot * rng.uniform(0.2, 0.8)))
        platform = rng.choices(PLATFORMS, PLATFORM_WEIGHTS)[0]
        timebox = rng.choice((None, 900, 1500, 2700))
        yield (index + 1, platform, rng.choice(INTENTS), start, start + length, timebox, 0)


def _post_rows(rng: random.Random, count: int, first: int) -> Iterator[tuple[object, ...]]:
    """Posts spread over the history, each with its latest metrics."""
    step = (ANCHOR - first) / count
    for index in range(count):
        platform = rng.choices(PLATFORMS, PLATFORM_WEIGHTS)[0]
        published = first + int(index * step)
        impressions = None if platform in NO_IMPRESSIONS else int(rng.lognormvariate(6.5, 1.0))
        likes = int(rng.lognormvariate(2.0, 1.0))
        comments = rng.randrange(0, 12)
        shares = rng.randrange(0, 6)
        video = rng.randrange(0, 5000) if platform in ("youtube", "instagram") else None
        yield (
            index + 1,
            platform,
            f"{platform[:2]}{index}",
            f"@{platform}-{rng.randrange(ACCOUNTS_PER_PLATFORM)}",
            published,
            "post",
            f"Post {index} about pipeline hygiene and the week's lessons",
            f"https://example.com/{platform}/{index}",
            "bench",
            published + 7 * DAY_S,
            impressions,
            likes + comments + shares,
            likes,
            comments,
            shares,
            video,
        )


def build(path: str, *, sessions: int, posts: int, days: int, seed: int = 4) -> None:
    """Write a database of this size to ``path`` (replaced atomically when done)."""
    from smtui.core.demo_story import GOALS
    from smtui.core.totals import post_totals_suspended
    from smtui.store.db import connect

    os.makedirs(os.path.dirname(path), exist_ok=True)
    partial = f"{path}.{os.getpid()}.partial"
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(partial + suffix):
            os.remove(partial + suffix)
    conn = connect(partial)
    conn.execute("PRAGMA synchronous = OFF")
    rng = random.Random(seed)
    first = ANCHOR - days * DAY_S
    conn.execute("BEGIN")
    session_rows = list(_sessions(rng, sessions, first))
    conn.executemany(
        "INSERT INTO sessions (id, platform, intent, started_at, ended_at, timebox_s, paused_s,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0)",
        session_rows,
    )
    pauses = [
        (row[0], row[3] + 60, row[3] + 120)
        for row in session_rows
        if row[4] is not None and row[4] - row[3] > 300 and row[0] % 10 == 0
    ]
    conn.executemany(
        "INSERT INTO pauses (session_id, started_at, ended_at) VALUES (?, ?, ?)", pauses
    )
    conn.executemany(
        "UPDATE sessions SET paused_s = 60 WHERE id = ?", [(row[0],) for row in pauses]
    )
    outcome_rows: list[tuple[object, ...]] = []
    for session_id, platform, _intent, start, end, _box, _paused in session_rows:
        if rng.random() < 0.4:
            continue  # playtime
        for _ in range(rng.choice((1, 1, 2))):
            kind = rng.choice(KINDS)
            amount = rng.randrange(10_000, 500_000) if kind == "deal" else None
            at = start + 30 if end is None else rng.randrange(start, end + 1)
            outcome_rows.append(
                (session_id, kind, platform, at, amount, "EUR" if amount else None, at)
            )
    for _ in range(max(1, sessions // 50)):  # outcomes logged outside any session
        at = first + rng.randrange(ANCHOR - first)
        outcome_rows.append((None, "lead", None, at, None, None, at))
    conn.executemany(
        "INSERT INTO outcomes (session_id, kind, platform, occurred_at, amount_minor, currency,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        outcome_rows,
    )
    # As a large import does: one rebuild of the post summary instead of a trigger per post.
    with post_totals_suspended(conn):
        conn.executemany(
            "INSERT INTO posts (id, platform, external_id, account, published_at, kind, text,"
            " url, source, metrics_at, impressions, engagements, likes, comments, shares,"
            " video_views) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _post_rows(rng, posts, first),
        )
    # One snapshot per post (what an import leaves behind), a week after publication.
    conn.execute(
        "INSERT INTO post_snapshots (post_id, captured_at, source, impressions, engagements,"
        " likes, comments, shares, video_views)"
        " SELECT id, metrics_at, source, impressions, engagements, likes, comments, shares,"
        " video_views FROM posts"
    )
    followers = [
        (platform, f"@{platform}-{account}", first + day * DAY_S + 6 * 3600)
        for platform in PLATFORMS
        for account in range(ACCOUNTS_PER_PLATFORM)
        for day in range(days)
    ]
    conn.executemany(
        "INSERT INTO account_snapshots (platform, account, taken_at, followers, following, posts,"
        " source) VALUES (?, ?, ?, ?, 100, 0, 'bench')",
        [
            (platform, account, taken_at, 1000 + (taken_at - first) // DAY_S * 3)
            for platform, account, taken_at in followers
        ],
    )
    conn.executemany(
        "INSERT INTO goals (name, measure, subject, direction, target, period, platform,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(*goal, first) for goal in (*GOALS, *EXTRA_GOALS)],
    )
    conn.execute("COMMIT")
    # No ANALYZE: a user's database has no statistics, so neither does this one.
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    os.replace(partial, path)


def cached_database(sessions: int, posts: int, days: int, *, rebuild: bool = False) -> str:
    """The database of this size, built on first use (or when ``rebuild``)."""
    path = cache_path(sessions, posts, days)
    if rebuild or not os.path.exists(path):
        print(f"building {path} ...", file=sys.stderr, flush=True)
        began = time.perf_counter()
        build(path, sessions=sessions, posts=posts, days=days)
        print(f"built in {time.perf_counter() - began:.1f} s", file=sys.stderr, flush=True)
    return path


# --- timing ------------------------------------------------------------------------------------


def time_loaders(path: str, zone: str, runs: int) -> list[tuple[str, list[float]]]:
    """Milliseconds of each loader, ``runs`` times, after one warm-up run each.

    The warm-up run loads what a dashboard has loaded long before its first refresh: the
    modules, the plugins, SQLite's page cache.
    """
    from smtui import clock
    from smtui.config import Config
    from smtui.core.timespec import user_timezone
    from smtui.store.db import connect
    from smtui.tui import data

    clock.freeze(ANCHOR)
    config = Config(
        os.path.join(os.path.dirname(path), "none.toml"), timezone=zone, daily_budget_s=4 * 3600
    )
    context = data.DashboardContext(config, user_timezone(zone))
    loaders = {**data.LOADERS, **data.PLUGIN_LOADERS}
    conn = connect(path)
    results: list[tuple[str, list[float]]] = []
    try:
        for name, loader in loaders.items():
            loader(conn, context, ANCHOR)
            samples = []
            for _ in range(runs):
                began = time.perf_counter()
                loader(conn, context, ANCHOR)
                samples.append((time.perf_counter() - began) * 1000)
            results.append((name, samples))
    finally:
        conn.close()
        clock.freeze(None)
    return results


def report(results: list[tuple[str, list[float]]], title: str) -> bool:
    """Print one line per panel; True when every median is under :data:`TARGET_MS`."""
    print(f"\n{title}")
    print(f"{'panel':10} {'median':>9} {'max':>9}  target < {TARGET_MS:g} ms")
    ok = True
    for name, samples in results:
        median = statistics.median(samples)
        passed = median < TARGET_MS
        ok = ok and passed
        verdict = "ok" if passed else "TOO SLOW"
        print(f"{name:10} {median:7.2f}ms {max(samples):7.2f}ms  {verdict}")
    total = sum(statistics.median(samples) for _, samples in results)
    print(f"{'all':10} {total:7.2f}ms")
    return ok


def large_database_options(
    description: str, argv: list[str] | None, timed: str
) -> tuple[argparse.Namespace, int, str]:
    """The options of a benchmark on the large database (its size, the runs of each ``timed``
    thing, the zone), the runs to make, and the cached database's path."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=3 * 365, help="how long the history is")
    parser.add_argument("--runs", type=int, default=0, help=f"timed runs per {timed}")
    parser.add_argument("--tz", default="Europe/Paris", help="the user's time zone")
    parser.add_argument("--rebuild", action="store_true", help="ignore the cached database")
    parser.add_argument("--no-fail", action="store_true", help="exit 0 even when too slow")
    opts = parser.parse_args(argv)
    if opts.sessions < 2 or opts.posts < 1 or opts.days < 1:
        parser.error("--sessions must be 2 or more, --posts and --days 1 or more")
    runs = opts.runs or (5 if opts.quick else 21)
    path = cached_database(opts.sessions, opts.posts, opts.days, rebuild=opts.rebuild)
    return opts, runs, path


def main(argv: list[str] | None = None) -> int:
    opts, runs, path = large_database_options((__doc__ or "").splitlines()[0], argv, "panel")
    results = time_loaders(path, opts.tz, runs)
    title = (
        f"Dashboard panel loaders: {opts.sessions:,} sessions, {opts.posts:,} posts over"
        f" {opts.days} days, {opts.tz}, median of {runs} runs"
    )
    ok = report(results, title)
    return 0 if ok or opts.no_fail else 1


if __name__ == "__main__":
    raise SystemExit(main())
