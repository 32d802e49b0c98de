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

# --- v4: summary tables for the dashboard -----------------------------------------------------
#
# The dashboard reads today, this week, this month and this quarter many times a minute; on a
# large history (100,000 sessions, 1,000,000 posts) summing the rows themselves costs tens of
# milliseconds. These tables hold the same sums per platform and per UTC hour and UTC day
# (``span`` 3600 or 86400, ``start`` a multiple of it), kept up to date by triggers, so every
# writer (the domain functions, imports, the demo, a plugin, a test) keeps them right without
# knowing they exist. Readers (``smtui.core.totals``) cover a window with whole days, then whole
# hours, and read the rest (less than an hour at each end) from the rows themselves.
#
# session_totals: finished sessions by the bucket they *started* in, split by whether they have
# an outcome (productive) or not (playtime); active seconds are ``ended_at - started_at -
# paused_s``. A running session is never in it. post_totals: posts by ``published_at`` with the
# sums of their latest metrics (a missing metric counts 0), how many report impressions and
# engagements, and the engagements and impressions of the posts an engagement rate can use
# (engagements known and impressions above zero).

_SPANS = (86_400, 3_600)


def _floor(column: str, span: int) -> str:
    """SQL for the start of the ``span``-second bucket holding ``column`` (right for negatives)."""
    return f"({column} - (({column} % {span}) + {span}) % {span})"


def _add_session(ref: str, sign: str) -> str:
    """Statements adding (``sign`` ``+``) or removing (``-``) session ``ref`` from the totals."""
    productive = f"EXISTS (SELECT 1 FROM outcomes o WHERE o.session_id = {ref}.id)"
    active = f"max(0, {ref}.ended_at - {ref}.started_at - {ref}.paused_s)"
    return "".join(
        f"""
    INSERT INTO session_totals (span, start, platform, productive, sessions, active_s)
    VALUES ({span}, {_floor(f"{ref}.started_at", span)}, {ref}.platform, {productive},
            {sign}1, {sign}{active})
    ON CONFLICT (span, start, platform, productive) DO UPDATE
    SET sessions = sessions + excluded.sessions, active_s = active_s + excluded.active_s;"""
        for span in _SPANS
    ) + (_drop_empty("session_totals", "sessions", f"{ref}.started_at") if sign == "-" else "")


def _move_session(session_id: str, to_productive: int) -> str:
    """Statements moving a finished session between playtime and productive."""
    statements = ""
    for productive, sign in ((1 - to_productive, "-"), (to_productive, "+")):
        for span in _SPANS:
            statements += f"""
    INSERT INTO session_totals (span, start, platform, productive, sessions, active_s)
    SELECT {span}, {_floor("s.started_at", span)}, s.platform, {productive},
           {sign}1, {sign}max(0, s.ended_at - s.started_at - s.paused_s)
    FROM sessions s WHERE s.id = {session_id} AND s.ended_at IS NOT NULL
    ON CONFLICT (span, start, platform, productive) DO UPDATE
    SET sessions = sessions + excluded.sessions, active_s = active_s + excluded.active_s;"""
    started = f"(SELECT s.started_at FROM sessions s WHERE s.id = {session_id})"
    return statements + _drop_empty("session_totals", "sessions", started)


def _drop_empty(table: str, count: str, instant: str) -> str:
    """A statement deleting the now empty buckets of ``instant`` (nothing left in them)."""
    buckets = " OR ".join(f"(span = {span} AND start = {_floor(instant, span)})" for span in _SPANS)
    return f"""
    DELETE FROM {table} WHERE {count} = 0 AND ({buckets});"""


# The metrics columns of posts summed in post_totals (the order of models.POST_METRICS).
_V4_METRICS = (
    "impressions",
    "reach",
    "engagements",
    "likes",
    "comments",
    "shares",
    "saves",
    "link_clicks",
    "profile_visits",
    "follows",
    "video_views",
    "watch_time_s",
)
_POST_COUNTS = (
    "posts",
    "with_impressions",
    "with_engagements",
    "rated_posts",
    "rated_engagements",
    "rated_impressions",
)
_POST_SUMS = (*_POST_COUNTS, *_V4_METRICS)


def _post_values(ref: str) -> list[str]:
    """What post ``ref`` adds to each of :data:`_POST_SUMS`."""
    rated = f"({ref}.engagements IS NOT NULL AND coalesce({ref}.impressions, 0) > 0)"
    return [
        "1",
        f"({ref}.impressions IS NOT NULL)",
        f"({ref}.engagements IS NOT NULL)",
        rated,
        f"(CASE WHEN {rated} THEN {ref}.engagements ELSE 0 END)",
        f"(CASE WHEN {rated} THEN {ref}.impressions ELSE 0 END)",
        *(f"coalesce({ref}.{column}, 0)" for column in _V4_METRICS),
    ]


def _upsert_posts(ref: str, values: list[str]) -> str:
    """Statements adding ``values`` to the buckets of post ``ref`` (both spans)."""
    columns = ", ".join(_POST_SUMS)
    updates = ", ".join(f"{column} = {column} + excluded.{column}" for column in _POST_SUMS)
    return "".join(
        f"""
    INSERT INTO post_totals (span, start, platform, {columns})
    VALUES ({span}, {_floor(f"{ref}.published_at", span)}, {ref}.platform, {", ".join(values)})
    ON CONFLICT (span, start, platform) DO UPDATE SET {updates};"""
        for span in _SPANS
    )


def _add_post(ref: str, sign: str) -> str:
    """Statements adding (``+``) or removing (``-``) post ``ref`` from the totals."""
    statements = _upsert_posts(ref, [f"{sign}{value}" for value in _post_values(ref)])
    if sign == "-":
        statements += _drop_empty("post_totals", "posts", f"{ref}.published_at")
    return statements


def _change_post() -> str:
    """Statements adding a post's new numbers less its old ones (same platform and hour)."""
    deltas = [
        f"{new} - {old}" for new, old in zip(_post_values("NEW"), _post_values("OLD"), strict=True)
    ]
    return _upsert_posts("NEW", deltas)


def _backfill_sessions(span: int) -> str:
    return f"""
INSERT INTO session_totals (span, start, platform, productive, sessions, active_s)
SELECT {span}, {_floor("s.started_at", span)}, s.platform,
       EXISTS (SELECT 1 FROM outcomes o WHERE o.session_id = s.id) AS productive,
       count(*), sum(max(0, s.ended_at - s.started_at - s.paused_s))
FROM sessions s WHERE s.ended_at IS NOT NULL
GROUP BY 2, 3, 4;
"""


def _backfill_posts(span: int) -> str:
    sums = ", ".join(f"sum({value})" for value in _post_values("p"))
    return f"""
INSERT INTO post_totals (span, start, platform, {", ".join(_POST_SUMS)})
SELECT {span}, {_floor("p.published_at", span)}, p.platform, {sums}
FROM posts p WHERE p.published_at IS NOT NULL
GROUP BY 2, 3;
"""


_POST_TOTAL_COLUMNS = ",\n".join(f"    {column} INTEGER NOT NULL" for column in _POST_SUMS)
_SESSION_CHANGES = "started_at, ended_at, paused_s, platform"
_POST_CHANGES = ", ".join(("published_at", "platform", *_V4_METRICS))
_SAME_BUCKET = (
    "OLD.published_at IS NOT NULL AND NEW.published_at IS NOT NULL"
    " AND OLD.platform = NEW.platform"
    f" AND {_floor('OLD.published_at', _SPANS[-1])} = {_floor('NEW.published_at', _SPANS[-1])}"
)

V4_SUMMARIES = f"""
CREATE TABLE session_totals (
    span        INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    platform    TEXT    NOT NULL,
    productive  INTEGER NOT NULL,
    sessions    INTEGER NOT NULL,
    active_s    INTEGER NOT NULL,
    PRIMARY KEY (span, start, platform, productive)
) WITHOUT ROWID;

CREATE TABLE post_totals (
    span        INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    platform    TEXT    NOT NULL,
{_POST_TOTAL_COLUMNS},
    PRIMARY KEY (span, start, platform)
) WITHOUT ROWID;

CREATE TRIGGER sessions_totals_insert AFTER INSERT ON sessions
WHEN NEW.ended_at IS NOT NULL
BEGIN{_add_session("NEW", "+")}
END;

CREATE TRIGGER sessions_totals_update_old AFTER UPDATE OF {_SESSION_CHANGES} ON sessions
WHEN OLD.ended_at IS NOT NULL
BEGIN{_add_session("OLD", "-")}
END;

CREATE TRIGGER sessions_totals_update_new AFTER UPDATE OF {_SESSION_CHANGES} ON sessions
WHEN NEW.ended_at IS NOT NULL
BEGIN{_add_session("NEW", "+")}
END;

-- BEFORE: the session's outcomes are still attached (the foreign key detaches them next).
CREATE TRIGGER sessions_totals_delete BEFORE DELETE ON sessions
WHEN OLD.ended_at IS NOT NULL
BEGIN{_add_session("OLD", "-")}
END;

-- A finished session's first outcome makes it productive; losing its last makes it playtime.
CREATE TRIGGER outcomes_totals_insert AFTER INSERT ON outcomes
WHEN NEW.session_id IS NOT NULL
 AND (SELECT count(*) FROM (SELECT 1 FROM outcomes WHERE session_id = NEW.session_id LIMIT 2)) = 1
BEGIN{_move_session("NEW.session_id", 1)}
END;

CREATE TRIGGER outcomes_totals_delete AFTER DELETE ON outcomes
WHEN OLD.session_id IS NOT NULL
 AND NOT EXISTS (SELECT 1 FROM outcomes WHERE session_id = OLD.session_id)
BEGIN{_move_session("OLD.session_id", 0)}
END;

CREATE TRIGGER outcomes_totals_detach AFTER UPDATE OF session_id ON outcomes
WHEN OLD.session_id IS NOT NULL AND OLD.session_id IS NOT NEW.session_id
 AND NOT EXISTS (SELECT 1 FROM outcomes WHERE session_id = OLD.session_id)
BEGIN{_move_session("OLD.session_id", 0)}
END;

CREATE TRIGGER outcomes_totals_attach AFTER UPDATE OF session_id ON outcomes
WHEN NEW.session_id IS NOT NULL AND OLD.session_id IS NOT NEW.session_id
 AND (SELECT count(*) FROM (SELECT 1 FROM outcomes WHERE session_id = NEW.session_id LIMIT 2)) = 1
BEGIN{_move_session("NEW.session_id", 1)}
END;

CREATE TRIGGER posts_totals_insert AFTER INSERT ON posts
WHEN NEW.published_at IS NOT NULL
BEGIN{_add_post("NEW", "+")}
END;

-- New numbers on a post (what an import does most): one change per span. A post that moves
-- to another hour or platform leaves its old buckets and joins new ones.
CREATE TRIGGER posts_totals_update AFTER UPDATE OF {_POST_CHANGES} ON posts
WHEN {_SAME_BUCKET}
BEGIN{_change_post()}
END;

CREATE TRIGGER posts_totals_update_old AFTER UPDATE OF {_POST_CHANGES} ON posts
WHEN OLD.published_at IS NOT NULL AND NOT ({_SAME_BUCKET})
BEGIN{_add_post("OLD", "-")}
END;

CREATE TRIGGER posts_totals_update_new AFTER UPDATE OF {_POST_CHANGES} ON posts
WHEN NEW.published_at IS NOT NULL AND NOT ({_SAME_BUCKET})
BEGIN{_add_post("NEW", "+")}
END;

CREATE TRIGGER posts_totals_delete AFTER DELETE ON posts
WHEN OLD.published_at IS NOT NULL
BEGIN{_add_post("OLD", "-")}
END;
{"".join(_backfill_sessions(span) + _backfill_posts(span) for span in _SPANS)}
-- Posts in a time range whatever their platform: the less-than-an-hour ends of a window (a
-- zone half an hour off UTC), whose counts, impressions and engagements come from the index
-- alone, and the score's posts of the day. Then the top posts of a platform by engagements,
-- from the best down or (a window whose posts are not among the platform's best) over the
-- window, from the index alone.
CREATE INDEX posts_published ON posts (published_at, platform, impressions, engagements);
CREATE INDEX posts_top ON posts (platform, engagements, published_at);
DROP INDEX posts_published_at;
CREATE INDEX posts_published_at ON posts (platform, published_at, engagements);
-- Outcome goals of one kind (and revenue: kind 'deal') read their period from the index alone.
CREATE INDEX outcomes_kind ON outcomes (kind, occurred_at, platform, currency, amount_minor);
"""


# --- v5: the latest numbers live on the post; the history holds the earlier ones ----------------
#
# Until v4 every set of numbers an import brought was a row of post_snapshots, the latest one
# too, which the post also carried: a first import wrote each post twice. Now ``posts`` holds
# a post's latest numbers (``metrics_at``, the metric columns, ``extra``, and ``source``: the
# source that reported them), and ``post_snapshots`` only the numbers a post had before, or
# that an older export reports. A trigger moves the numbers a newer import replaces into the
# history, so every writer keeps it whole. ``post_history`` shows both as one table: every
# set of numbers a post has had, exactly what post_snapshots held until v4.
_SNAPSHOT_COLUMNS = f"post_id, captured_at, source, {', '.join(_V4_METRICS)}, extra"
_OLD_NUMBERS = ", ".join(f"OLD.{column}" for column in _V4_METRICS)

V5_LATEST_ON_POSTS = f"""
ALTER TABLE posts ADD COLUMN extra TEXT;
-- The latest numbers' source: the post's own when it has a snapshot then, else the first.
UPDATE posts SET source = (
    SELECT s.source FROM post_snapshots s
    WHERE s.post_id = posts.id AND s.captured_at = posts.metrics_at ORDER BY s.source LIMIT 1)
WHERE EXISTS (
    SELECT 1 FROM post_snapshots s WHERE s.post_id = posts.id AND s.captured_at = posts.metrics_at)
  AND NOT EXISTS (
    SELECT 1 FROM post_snapshots s WHERE s.post_id = posts.id AND s.captured_at = posts.metrics_at
      AND s.source = posts.source);
UPDATE posts SET extra = (
    SELECT s.extra FROM post_snapshots s
    WHERE s.post_id = posts.id AND s.captured_at = posts.metrics_at AND s.source = posts.source)
WHERE metrics_at IS NOT NULL;
DELETE FROM post_snapshots WHERE EXISTS (
    SELECT 1 FROM posts p
    WHERE p.id = post_snapshots.post_id AND p.metrics_at = post_snapshots.captured_at
      AND p.source = post_snapshots.source);

CREATE TRIGGER posts_history AFTER UPDATE OF metrics_at ON posts
WHEN OLD.metrics_at IS NOT NULL AND NEW.metrics_at > OLD.metrics_at
BEGIN
    INSERT INTO post_snapshots ({_SNAPSHOT_COLUMNS})
    VALUES (OLD.id, OLD.metrics_at, OLD.source, {_OLD_NUMBERS}, OLD.extra)
    ON CONFLICT (post_id, source, captured_at) DO NOTHING;
END;

CREATE VIEW post_history ({_SNAPSHOT_COLUMNS}) AS
    SELECT {_SNAPSHOT_COLUMNS} FROM post_snapshots
    UNION ALL
    SELECT id, metrics_at, source, {", ".join(_V4_METRICS)}, extra FROM posts
    WHERE metrics_at IS NOT NULL;
"""


def rebuild_post_totals_sql() -> list[str]:
    """Statements filling ``post_totals`` afresh from the posts (after a bulk write)."""
    return ["DELETE FROM post_totals", *(_backfill_posts(span).strip() for span in _SPANS)]


def _post_aggregates(ref: str) -> list[str]:
    """Aggregates over posts ``ref`` giving each of :data:`_POST_SUMS` (what summing
    :func:`_post_values` gives, with cheaper expressions: ``count`` and ``sum`` skip NULLs)."""
    rated = f"CASE WHEN {ref}.impressions > 0 THEN {ref}.engagements END"
    return [
        "count(*)",
        f"count({ref}.impressions)",
        f"count({ref}.engagements)",
        f"count({rated})",
        f"coalesce(sum({rated}), 0)",
        f"coalesce(sum(CASE WHEN {ref}.engagements IS NOT NULL THEN"
        f" CASE WHEN {ref}.impressions > 0 THEN {ref}.impressions END END), 0)",
        *(f"coalesce(sum({ref}.{column}), 0)" for column in _V4_METRICS),
    ]


NEW_POST_HOURS = "temp.smtui_new_post_hours"


def summarise_new_posts_sql() -> list[str]:
    """Statements adding the posts with ids in ``(?, ?]`` to ``post_totals``: what the insert
    trigger adds, for posts written while it was set aside. Only the statement holding ``?``
    takes the two ids. The hours are summed from the posts, the days from those hours."""
    columns = ", ".join(_POST_SUMS)
    adds = ", ".join(f"{column} = {column} + excluded.{column}" for column in _POST_SUMS)
    hour, day = _SPANS[-1], _SPANS[0]
    return [
        f"CREATE TEMP TABLE IF NOT EXISTS smtui_new_post_hours (start INTEGER, platform TEXT,"
        f" {', '.join(f'{column} INTEGER' for column in _POST_SUMS)})",
        f"DELETE FROM {NEW_POST_HOURS}",
        f"INSERT INTO {NEW_POST_HOURS} SELECT {_floor('p.published_at', hour)}, p.platform,"
        f" {', '.join(_post_aggregates('p'))} FROM posts p"
        " WHERE p.id > ? AND p.id <= ? AND p.published_at IS NOT NULL GROUP BY 1, 2",
        f"INSERT INTO post_totals (span, start, platform, {columns})"
        f" SELECT {hour}, start, platform, {columns} FROM {NEW_POST_HOURS} WHERE true"
        f" ON CONFLICT (span, start, platform) DO UPDATE SET {adds}",
        f"INSERT INTO post_totals (span, start, platform, {columns})"
        f" SELECT {day}, {_floor('start', day)}, platform,"
        f" {', '.join(f'sum({column})' for column in _POST_SUMS)} FROM {NEW_POST_HOURS}"
        f" WHERE true GROUP BY 2, 3 ON CONFLICT (span, start, platform) DO UPDATE SET {adds}",
    ]


# MIGRATIONS[n] upgrades a database at user_version n to n + 1.
MIGRATIONS: tuple[str, ...] = (
    V1_CORE,
    V2_ANALYTICS,
    V3_GOAL_EVENTS,
    V4_SUMMARIES,
    V5_LATEST_ON_POSTS,
)
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
