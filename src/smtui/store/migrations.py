"""Forward-only schema migrations, one per ``PRAGMA user_version`` step.

Each entry turns version ``n`` into ``n + 1``. Entries are frozen once released: a change to the
schema is a new entry, never an edit of an old one, so every database can walk forward from any
version it is at. ``tests/test_migrations.py`` migrates each version from the one before it with
data in place.

Conventions: timestamps are UTC epoch seconds (INTEGER); money is integer minor units with an
ISO 4217 currency; ids from platforms are TEXT.
"""

from __future__ import annotations

import sqlite3

V1_CORE = """
CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY,
    platform    TEXT    NOT NULL CHECK (platform <> ''),
    intent      TEXT    NOT NULL DEFAULT '',
    started_at  INTEGER NOT NULL,
    ended_at    INTEGER CHECK (ended_at IS NULL OR ended_at >= started_at),
    timebox_s   INTEGER CHECK (timebox_s IS NULL OR timebox_s > 0),
    paused_s    INTEGER NOT NULL DEFAULT 0 CHECK (paused_s >= 0),
    note        TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
-- At most one running session, enforced by the database: every running row has the same
-- value (1) for this expression, so a second one violates the unique index.
CREATE UNIQUE INDEX sessions_one_running ON sessions ((ended_at IS NULL)) WHERE ended_at IS NULL;
CREATE INDEX sessions_started_at ON sessions (started_at);
CREATE INDEX sessions_platform ON sessions (platform, started_at);

CREATE TABLE session_tags (
    session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    tag         TEXT    NOT NULL CHECK (tag <> ''),
    PRIMARY KEY (session_id, tag)
) WITHOUT ROWID;
CREATE INDEX session_tags_tag ON session_tags (tag);

CREATE TABLE pauses (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    started_at  INTEGER NOT NULL,
    ended_at    INTEGER CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE UNIQUE INDEX pauses_one_open ON pauses (session_id) WHERE ended_at IS NULL;
CREATE INDEX pauses_session ON pauses (session_id, started_at);

CREATE TABLE outcomes (
    id            INTEGER PRIMARY KEY,
    session_id    INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
    kind          TEXT    NOT NULL CHECK (kind <> ''),
    detail        TEXT    NOT NULL DEFAULT '',
    platform      TEXT,
    occurred_at   INTEGER NOT NULL,
    contact       TEXT    NOT NULL DEFAULT '',
    amount_minor  INTEGER,
    currency      TEXT,
    note          TEXT    NOT NULL DEFAULT '',
    origin        TEXT    NOT NULL DEFAULT 'manual',
    created_at    INTEGER NOT NULL,
    CHECK ((amount_minor IS NULL) = (currency IS NULL))
);
CREATE INDEX outcomes_session ON outcomes (session_id);
CREATE INDEX outcomes_occurred_at ON outcomes (occurred_at, kind);

CREATE TABLE goals (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL CHECK (name <> ''),
    measure     TEXT    NOT NULL,
    subject     TEXT    NOT NULL DEFAULT '',
    direction   TEXT    NOT NULL CHECK (direction IN ('at_least', 'at_most')),
    target      REAL    NOT NULL CHECK (target >= 0),
    period      TEXT    NOT NULL CHECK (period IN ('day', 'week', 'month', 'quarter')),
    platform    TEXT,
    created_at  INTEGER NOT NULL
);
"""

# The metric columns shared by posts (latest values) and post_snapshots (history).
_POST_METRIC_COLUMNS = """
    impressions     INTEGER,
    reach           INTEGER,
    engagements     INTEGER,
    likes           INTEGER,
    comments        INTEGER,
    shares          INTEGER,
    saves           INTEGER,
    link_clicks     INTEGER,
    profile_visits  INTEGER,
    follows         INTEGER,
    video_views     INTEGER,
    watch_time_s    INTEGER"""

V2_ANALYTICS = f"""
CREATE TABLE posts (
    id            INTEGER PRIMARY KEY,
    platform      TEXT    NOT NULL,
    external_id   TEXT    NOT NULL,
    account       TEXT    NOT NULL DEFAULT '',
    published_at  INTEGER,
    day_only      INTEGER NOT NULL DEFAULT 0 CHECK (day_only IN (0, 1)),
    kind          TEXT    NOT NULL DEFAULT '',
    text          TEXT    NOT NULL DEFAULT '',
    url           TEXT    NOT NULL DEFAULT '',
    source        TEXT    NOT NULL DEFAULT '',
    metrics_at    INTEGER,{_POST_METRIC_COLUMNS},
    UNIQUE (platform, external_id)
);
CREATE INDEX posts_published_at ON posts (platform, published_at);

CREATE TABLE post_snapshots (
    post_id       INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    captured_at   INTEGER NOT NULL,
    source        TEXT    NOT NULL,{_POST_METRIC_COLUMNS},
    extra         TEXT,
    PRIMARY KEY (post_id, source, captured_at)
) WITHOUT ROWID;

CREATE TABLE account_snapshots (
    platform    TEXT    NOT NULL,
    account     TEXT    NOT NULL DEFAULT '',
    taken_at    INTEGER NOT NULL,
    followers   INTEGER,
    following   INTEGER,
    posts       INTEGER,
    source      TEXT    NOT NULL DEFAULT '',
    extra       TEXT,
    PRIMARY KEY (platform, account, taken_at)
) WITHOUT ROWID;

CREATE TABLE sync_log (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL CHECK (kind IN ('import', 'sync')),
    source          TEXT    NOT NULL,
    target          TEXT    NOT NULL DEFAULT '',
    started_at      INTEGER NOT NULL,
    finished_at     INTEGER,
    status          TEXT    NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
    exported_at     INTEGER,
    rows_new        INTEGER NOT NULL DEFAULT 0,
    rows_updated    INTEGER NOT NULL DEFAULT 0,
    rows_unchanged  INTEGER NOT NULL DEFAULT 0,
    rows_skipped    INTEGER NOT NULL DEFAULT 0,
    cursor          TEXT,
    error           TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX sync_log_source ON sync_log (source, started_at);
"""

# Which goal events have fired, per goal and period: the primary key makes the first writer
# the only one, so ``goal_met`` reaches plugins once per period even from two processes.
V3_GOAL_EVENTS = """
CREATE TABLE goal_events (
    goal_id       INTEGER NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
    period_start  INTEGER NOT NULL,
    event         TEXT    NOT NULL,
    fired_at      INTEGER NOT NULL,
    PRIMARY KEY (goal_id, period_start, event)
) WITHOUT ROWID;
"""

# MIGRATIONS[n] upgrades a database at user_version n to n + 1.
MIGRATIONS: tuple[str, ...] = (V1_CORE, V2_ANALYTICS, V3_GOAL_EVENTS)
SCHEMA_VERSION = len(MIGRATIONS)


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (``executescript`` would commit early)."""
    statements: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip() and not pending.strip().startswith("--"):
        raise ValueError(f"incomplete SQL statement in migration: {pending.strip()[:60]}")
    return statements


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Apply every migration above the database's version, up to ``target``; return it.

    Runs in one IMMEDIATE transaction and re-reads the version inside it, so two processes
    opening a new database at once migrate it exactly once, and a failure leaves it untouched.
    """
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        for step in range(version, target):
            for statement in _statements(MIGRATIONS[step]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {step + 1}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return max(version, target)
