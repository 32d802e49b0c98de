"""Opening the database and running one transaction per user action.

Imports only ``sqlite3`` and ``os`` so that the quick commands (``start``, ``stop``,
``status``) cost barely more than a bare Python process reading one row.
"""

from __future__ import annotations

import os
import sqlite3
from types import TracebackType

from smtui.errors import StoreError

# Bump together with migrations.MIGRATIONS; checked by tests/test_migrations.py.
SCHEMA_VERSION = 5
BUSY_TIMEOUT_S = 10.0


def connect(path: str, *, create: bool = True) -> sqlite3.Connection:
    """Open ``path`` ready for use: WAL, busy timeout, foreign keys, schema up to date.

    Autocommit mode (``isolation_level=None``): writes go through :class:`Transaction`, so every
    user action is exactly one ``BEGIN IMMEDIATE ... COMMIT``.
    """
    if path != ":memory:" and not os.path.exists(path):
        if not create:
            raise StoreError(f"no database at {path}", "run `smtui demo` or start a session first")
        parent = os.path.dirname(os.path.abspath(path))
        try:
            os.makedirs(parent, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create {parent}: {exc.strerror}") from exc
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        # Statement journals (every write that fires the summary triggers has one) and sorts
        # in memory, not in temporary files: it halves what the triggers cost an import.
        conn.execute("PRAGMA temp_store = MEMORY")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot open database {path}: {exc}", "is it an smtui database?") from exc
    if version != SCHEMA_VERSION:
        _upgrade(conn, path, version)
    return conn


def _upgrade(conn: sqlite3.Connection, path: str, version: int) -> None:
    """Bring an older (or brand new) database up to :data:`SCHEMA_VERSION`."""
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"database {path} has schema version {version}, newer than this smtui knows "
            f"({SCHEMA_VERSION})",
            "upgrade smtui",
        )
    from smtui.store.migrations import migrate

    migrate(conn)


class Transaction:
    """``with Transaction(conn):`` runs the block as one ``BEGIN IMMEDIATE`` transaction.

    IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading a read
    lock; the busy timeout makes the second one wait instead of failing. Any exception rolls
    everything back: a failed action leaves the database exactly as it was.
    """

    __slots__ = ("conn",)

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")
