"""Outcomes: what sessions achieved, logged while they run, afterwards, or imported."""

from __future__ import annotations

import sqlite3

from smtui import clock
from smtui.errors import NotFoundError, StateError, UsageError
from smtui.models import Outcome
from smtui.store.db import Transaction

# Column order of every SELECT here, matching Outcome's positional parameters.
_FIELDS = (
    "id",
    "kind",
    "occurred_at",
    "session_id",
    "detail",
    "platform",
    "contact",
    "amount_minor",
    "currency",
    "note",
    "origin",
)
_COLUMNS = ", ".join(_FIELDS)

# Marker for "attach to the running session" (the default when logging).
RUNNING = "running"


def _row(row: tuple[object, ...]) -> Outcome:
    return Outcome(*row)  # type: ignore[arg-type]


def parse_money(text: str) -> int:
    """Minor units (cents) from ``1200``, ``1,200.50`` or ``1200.5``; exact, never a float."""
    from decimal import Decimal, InvalidOperation

    cleaned = text.strip().replace(",", "").replace("_", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise UsageError(f"bad amount {text!r}", "use a number like 1200 or 1200.50") from exc
    if not value.is_finite() or value < 0:
        raise UsageError(f"bad amount {text!r}: must be zero or more")
    cents = value * 100
    if cents != cents.to_integral_value():
        raise UsageError(f"bad amount {text!r}: at most two decimals")
    return int(cents)


def format_money(amount_minor: int, currency: str | None) -> str:
    """``1,200.50 EUR``."""
    whole, cents = divmod(amount_minor, 100)
    return f"{whole:,}.{cents:02d} {currency or ''}".rstrip()


def insert(
    conn: sqlite3.Connection,
    kind: str,
    *,
    at: int,
    session_id: int | None = None,
    detail: str = "",
    platform: str | None = None,
    contact: str = "",
    amount_minor: int | None = None,
    currency: str | None = None,
    note: str = "",
    origin: str = "manual",
) -> Outcome:
    """Insert one outcome inside the caller's transaction (no validation of ``kind``)."""
    if (amount_minor is None) != (currency is None):
        raise UsageError("an amount needs a currency and a currency needs an amount")
    outcome = Outcome(
        0, kind, at, session_id, detail, platform, contact, amount_minor, currency, note, origin
    )
    fields = _FIELDS[1:]
    cursor = conn.execute(
        f"INSERT INTO outcomes ({', '.join(fields)}, created_at)"
        f" VALUES ({', '.join('?' * (len(fields) + 1))})",
        (*(getattr(outcome, name) for name in fields), clock.now()),
    )
    outcome.id = int(cursor.lastrowid or 0)
    return outcome


def log(
    conn: sqlite3.Connection,
    kind: str,
    *,
    session: int | str | None = RUNNING,
    at: int | None = None,
    detail: str = "",
    platform: str | None = None,
    contact: str = "",
    amount_minor: int | None = None,
    currency: str | None = None,
    note: str = "",
) -> Outcome:
    """Log an outcome of ``kind`` (already validated by the caller) as one transaction.

    ``session`` is :data:`RUNNING` (the running session; an error if none runs), a session id,
    or None for an outcome with no session. The platform defaults to the session's.
    """
    now = clock.now()
    when = now if at is None else at
    if when > now:
        raise UsageError("the outcome time is in the future", "use a time that has passed")
    with Transaction(conn):
        session_id: int | None = None
        if session == RUNNING:
            row = conn.execute(
                "SELECT id, platform FROM sessions WHERE ended_at IS NULL"
            ).fetchone()
            if row is None:
                raise StateError(
                    "no session is running to log this outcome against",
                    "start one, or log it without a session with --no-session"
                    " or against one with --session ID",
                )
            session_id, platform = row[0], platform or row[1]
        elif session is not None:
            row = conn.execute(
                "SELECT id, platform FROM sessions WHERE id = ?", (int(session),)
            ).fetchone()
            if row is None:
                raise NotFoundError(
                    f"no session #{session}", "list them with `smtui sessions list`"
                )
            session_id, platform = row[0], platform or row[1]
        return insert(
            conn,
            kind,
            at=when,
            session_id=session_id,
            detail=detail,
            platform=platform,
            contact=contact,
            amount_minor=amount_minor,
            currency=currency,
            note=note,
        )


def get(conn: sqlite3.Connection, outcome_id: int) -> Outcome:
    row = conn.execute(f"SELECT {_COLUMNS} FROM outcomes WHERE id = ?", (outcome_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no outcome #{outcome_id}", "list them with `smtui outcomes list`")
    return _row(row)


def list_outcomes(
    conn: sqlite3.Connection,
    *,
    since: int | None = None,
    until: int | None = None,
    kind: str | None = None,
    session_id: int | None = None,
    platform: str | None = None,
    limit: int | None = None,
) -> list[Outcome]:
    """Outcomes in ``[since, until)``, newest first."""
    where: list[str] = []
    args: list[object] = []
    for clause, value in (
        ("occurred_at >= ?", since),
        ("occurred_at < ?", until),
        ("kind = ?", kind),
        ("session_id = ?", session_id),
        ("platform = ?", platform),
    ):
        if value is not None:
            where.append(clause)
            args.append(value)
    sql = f"SELECT {_COLUMNS} FROM outcomes"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY occurred_at DESC, id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    return [_row(row) for row in conn.execute(sql, args)]


def for_window(
    conn: sqlite3.Connection, session_ids: list[int], start: int, end: int
) -> list[Outcome]:
    """Outcomes of these sessions (whenever logged) plus any that occurred in ``[start, end)``."""
    marks = ",".join("?" * len(session_ids))
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM outcomes"
        f" WHERE session_id IN ({marks}) OR (occurred_at >= ? AND occurred_at < ?)"
        " ORDER BY occurred_at, id",
        (*session_ids, start, end),
    )
    return [_row(row) for row in rows]


def delete(conn: sqlite3.Connection, outcome_id: int) -> Outcome:
    with Transaction(conn):
        outcome = get(conn, outcome_id)
        conn.execute("DELETE FROM outcomes WHERE id = ?", (outcome_id,))
    return outcome
