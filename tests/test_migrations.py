"""Schema migrations: each version migrates from the one before with data in place."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from smtui.errors import StoreError
from smtui.store import db, migrations


def test_schema_version_constants_agree() -> None:
    assert db.SCHEMA_VERSION == migrations.SCHEMA_VERSION == len(migrations.MIGRATIONS)


def test_new_database_is_current_and_in_wal_mode(tmp_path: Path) -> None:
    conn = db.connect(str(tmp_path / "new.db"))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_v0_to_v1(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "a.db", isolation_level=None)
    assert migrations.migrate(conn, target=1) == 1
    assert {"sessions", "pauses", "outcomes", "goals", "session_tags"} <= _tables(conn)
    assert "posts" not in _tables(conn)


def test_v1_to_v2_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.migrate(conn, target=1)
    conn.execute(
        "INSERT INTO sessions (platform, intent, started_at, ended_at, created_at, updated_at)"
        " VALUES ('x', 'content', 10, 20, 10, 20)"
    )
    conn.execute(
        "INSERT INTO outcomes (kind, occurred_at, session_id, created_at)"
        " VALUES ('lead', 15, 1, 15)"
    )
    assert migrations.migrate(conn, target=2) == 2
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    assert {"posts", "post_snapshots", "account_snapshots", "sync_log"} <= _tables(conn)
    assert "goal_events" not in _tables(conn)
    assert conn.execute("SELECT platform, ended_at FROM sessions").fetchall() == [("x", 20)]
    assert conn.execute("SELECT kind, session_id FROM outcomes").fetchall() == [("lead", 1)]


def test_v2_to_v3_adds_goal_events_keyed_per_goal_and_period(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.migrate(conn, target=2)
    conn.execute(
        "INSERT INTO goals (name, measure, direction, target, period, created_at)"
        " VALUES ('Leads', 'outcomes', 'at_least', 2, 'week', 5)"
    )
    conn.execute("INSERT INTO posts (platform, external_id, published_at) VALUES ('x', '18', 100)")
    conn.close()

    upgraded = db.connect(str(path))

    assert upgraded.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
    assert upgraded.execute("SELECT name, target FROM goals").fetchall() == [("Leads", 2.0)]
    assert upgraded.execute("SELECT external_id FROM posts").fetchall() == [("18",)]
    insert = "INSERT OR IGNORE INTO goal_events VALUES (1, ?, 'goal_met', ?)"
    assert upgraded.execute(insert, (1000, 1)).rowcount == 1
    assert upgraded.execute(insert, (1000, 2)).rowcount == 0  # same goal, period, event
    assert upgraded.execute(insert, (2000, 3)).rowcount == 1  # the next period
    with pytest.raises(sqlite3.IntegrityError):  # only goals that exist
        upgraded.execute("INSERT INTO goal_events VALUES (9, 0, 'goal_met', 0)")
    upgraded.execute("DELETE FROM goals")
    assert upgraded.execute("SELECT count(*) FROM goal_events").fetchone()[0] == 0


def test_v3_to_v4_summarises_the_history_and_keeps_it_summarised(tmp_path: Path) -> None:
    path = tmp_path / "v3.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.migrate(conn, target=3)
    day = 86_400 * 20_000  # a UTC midnight
    conn.executemany(
        "INSERT INTO sessions (id, platform, started_at, ended_at, paused_s, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, 0, 0)",
        [
            (1, "linkedin", day + 3600, day + 5400, 300),  # 25m active, productive
            (2, "linkedin", day + 7200, day + 7800, 0),  # 10m, playtime
            (3, "x", day + 86_400 + 60, day + 86_400 + 660, 0),  # next day, 10m
            (4, "x", day + 90_000, None, 0),  # running: not summarised
        ],
    )
    conn.execute(
        "INSERT INTO outcomes (kind, occurred_at, session_id, created_at) VALUES ('lead', ?, 1, 0)",
        (day + 4000,),
    )
    conn.executemany(
        "INSERT INTO posts (platform, external_id, published_at, impressions, engagements, likes)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            ("linkedin", "a", day + 100, 1000, 30, 20),
            ("linkedin", "b", day + 3700, None, 5, None),  # no impressions: not rated
            ("linkedin", "c", day + 3800, 0, 2, 2),  # zero impressions: not rated
            ("x", "d", None, 50, 1, 1),  # no publication time: not summarised
        ],
    )
    conn.close()

    upgraded = db.connect(str(path))

    assert upgraded.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
    sessions_by_day = upgraded.execute(
        "SELECT start - ?, platform, productive, sessions, active_s FROM session_totals"
        " WHERE span = 86400 ORDER BY 1, 2, 3",
        (day,),
    ).fetchall()
    assert sessions_by_day == [
        (0, "linkedin", 0, 1, 600),
        (0, "linkedin", 1, 1, 1500),
        (86_400, "x", 0, 1, 600),
    ]
    posts_by_hour = upgraded.execute(
        "SELECT start - ?, posts, with_impressions, with_engagements, rated_posts,"
        " rated_engagements, rated_impressions, impressions, engagements, likes"
        " FROM post_totals WHERE span = 3600 ORDER BY 1",
        (day,),
    ).fetchall()
    assert posts_by_hour == [
        (0, 1, 1, 1, 1, 30, 1000, 1000, 30, 20),
        (3600, 2, 1, 2, 0, 0, 0, 0, 7, 2),
    ]
    indexes = {
        row[0] for row in upgraded.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
    }
    assert {"posts_published", "posts_top", "posts_published_at", "outcomes_kind"} <= indexes
    # From now on the triggers keep the totals: session 2 gets an outcome, post "a" goes.
    upgraded.execute(
        "INSERT INTO outcomes (kind, occurred_at, session_id, created_at) VALUES ('lead', ?, 2, 0)",
        (day + 7500,),
    )
    upgraded.execute("DELETE FROM posts WHERE external_id = 'a'")
    assert upgraded.execute(
        "SELECT productive, sessions, active_s FROM session_totals"
        " WHERE span = 86400 AND start = ? AND platform = 'linkedin'",
        (day,),
    ).fetchall() == [(1, 2, 2100)]
    assert upgraded.execute(
        "SELECT count(*) FROM post_totals WHERE start = ? AND span = 3600", (day,)
    ).fetchone() == (0,)


def test_v4_to_v5_keeps_the_latest_numbers_on_the_post_and_the_history_whole(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v4.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.migrate(conn, target=4)
    conn.executemany(
        "INSERT INTO posts (id, platform, external_id, source, metrics_at, likes)"
        " VALUES (?, 'x', ?, ?, ?, ?)",
        [(1, "a", "export", 200, 7), (2, "b", "export", 300, 3), (3, "c", "", None, None)],
    )
    snapshots = [
        (1, 100, "export", 5, '{"views":1}'),
        (1, 200, "export", 7, '{"views":2}'),
        (2, 300, "api", 3, None),  # the latest numbers came from another source
        (2, 250, "export", 2, None),
    ]
    conn.executemany(
        "INSERT INTO post_snapshots (post_id, captured_at, source, likes, extra)"
        " VALUES (?, ?, ?, ?, ?)",
        snapshots,
    )
    conn.close()

    upgraded = db.connect(str(path))

    history = "SELECT post_id, captured_at, source, likes, extra FROM post_history ORDER BY 1, 2"
    assert upgraded.execute(history).fetchall() == sorted(snapshots, key=lambda s: s[:2])
    assert upgraded.execute("SELECT id, source, extra FROM posts ORDER BY id").fetchall() == [
        (1, "export", '{"views":2}'),
        (2, "api", None),
        (3, "", None),
    ]
    assert upgraded.execute("SELECT count(*) FROM post_snapshots").fetchone() == (2,)
    # Newer numbers push the ones they replace into the history, whoever writes them.
    upgraded.execute("UPDATE posts SET metrics_at = 400, likes = 9, source = 'api' WHERE id = 1")
    assert upgraded.execute(history).fetchall()[:3] == [
        (1, 100, "export", 5, '{"views":1}'),
        (1, 200, "export", 7, '{"views":2}'),
        (1, 400, "api", 9, '{"views":2}'),
    ]


def test_failed_migration_leaves_database_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.migrate(conn, target=1)
    broken = (migrations.MIGRATIONS[0], "CREATE TABLE posts (id INTEGER);\nTHIS IS NOT SQL;\n")
    monkeypatch.setattr(migrations, "MIGRATIONS", broken)
    with pytest.raises(sqlite3.OperationalError):
        migrations.migrate(conn, target=2)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert "posts" not in _tables(conn)


def test_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    sqlite3.connect(path).execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer than this smtui"):
        db.connect(str(path))


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "e.db"
    path.write_bytes(b"this is a text file, not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open database"):
        db.connect(str(path))


def test_concurrent_first_opens_migrate_once(tmp_path: Path) -> None:
    path = str(tmp_path / "f.db")
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            db.connect(path).close()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert (
        sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0]
        == migrations.SCHEMA_VERSION
    )
