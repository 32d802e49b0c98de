"""Helpers for testing smtui plugins: ``from smtui import testing``.

A plugin's tests need the same few things smtui's own tests need: a real, migrated database in
a temporary folder, a clock that stands still, canned HTTP answers for sources that call an
API, and quick ways to put sessions and outcomes in the store and score them. Everything here
drives smtui's real code (the migrations, the import pipeline, option validation, the scoring
pipeline), so a plugin tested with it behaves the same once installed.

No pytest import and no Textual: the helpers are plain functions and context managers that
work under any test runner. ``httpx`` is imported only by :func:`fake_http`. See
``docs/plugins/testing.md`` for a walk-through.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from datetime import UTC, datetime

from smtui import clock
from smtui.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterable, Iterator, Mapping
    from typing import Any, TypeAlias

    import httpx

    from smtui.core.importing import ImportResult
    from smtui.models import Outcome, Session
    from smtui.plugins import Registry
    from smtui.scoring import Score, ScoringStrategy
    from smtui.sources.base import DataSource
    from smtui.sources.errors import InputError
    from smtui.sources.records import Record

    When: TypeAlias = int | str | datetime
    """An instant: epoch seconds, ``"2026-03-04 10:00"`` (UTC unless it says otherwise) or an
    aware :class:`~datetime.datetime`."""

__all__ = [
    "CliResult",
    "ConfigError",
    "FrozenClock",
    "add_session",
    "epoch",
    "fake_http",
    "fresh_registry",
    "frozen_clock",
    "import_paths",
    "log_outcome",
    "make_source",
    "make_strategy",
    "open_store",
    "read_source",
    "run_smtui",
    "score",
    "sniff",
    "temp_store",
]


# --- time ------------------------------------------------------------------------------------


def epoch(when: When) -> int:
    """``when`` as UTC epoch seconds, the unit smtui stores and plugins receive.

    Text is ISO 8601 (``"2026-03-04 10:00"``, ``"2026-03-04T10:00:00+01:00"``) and means UTC
    when it names no offset; a datetime must be aware, so a test never depends on the zone
    of the machine it runs on.
    """
    if isinstance(when, bool):
        raise TypeError(f"not a time: {when!r}")
    if isinstance(when, int):
        return when
    if isinstance(when, str):
        parsed = datetime.fromisoformat(when)
        when = parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
    if not isinstance(when, datetime):
        raise TypeError(f"not a time: {when!r}")
    if when.tzinfo is None:
        raise ValueError(f"{when!r} has no time zone: pass an aware datetime or a UTC string")
    return int(when.timestamp())


class FrozenClock:
    """The clock inside :func:`frozen_clock`: read it, set it, move it forward."""

    @property
    def now(self) -> int:
        return clock.now()

    def set(self, when: When) -> int:
        """Stop the clock at ``when``; returns it as epoch seconds."""
        at = epoch(when)
        clock.freeze(at)
        return at

    def advance(self, seconds: int = 0, *, minutes: int = 0, hours: int = 0) -> int:
        """Move the clock forward; returns the new time."""
        return self.set(clock.now() + seconds + 60 * minutes + 3600 * hours)


@contextlib.contextmanager
def frozen_clock(at: When) -> Iterator[FrozenClock]:
    """Stop smtui's clock at ``at`` for the duration of the block.

    Everything smtui timestamps (a session started without ``at``, ``now`` in a score) reads
    this clock. On leaving, the clock goes back to what it was before (running, or frozen by
    an outer block).
    """
    previous = clock._frozen
    frozen = FrozenClock()
    frozen.set(at)
    try:
        yield frozen
    finally:
        clock.freeze(previous)


# --- the store -------------------------------------------------------------------------------


def open_store(folder: str | os.PathLike[str]) -> sqlite3.Connection:
    """A migrated smtui database in ``folder`` (pytest's ``tmp_path`` is a good one).

    The connection is smtui's own (WAL, foreign keys, autocommit; writes go through one
    transaction each), so SQL a plugin runs behaves as it will for users. Close it yourself.
    """
    from smtui.store.db import connect

    return connect(os.path.join(os.fspath(folder), "smtui.db"))


@contextlib.contextmanager
def temp_store() -> Iterator[sqlite3.Connection]:
    """A migrated smtui database in a temporary folder, removed with everything in it."""
    with tempfile.TemporaryDirectory(prefix="smtui-test-") as folder:
        conn = open_store(folder)
        try:
            yield conn
        finally:
            conn.close()


def add_session(
    conn: sqlite3.Connection,
    start: When,
    minutes: float | None,
    *,
    platform: str = "linkedin",
    intent: str = "prospecting",
    outcomes: Iterable[str] = (),
    tags: Iterable[str] = (),
) -> Session:
    """Store a session of ``minutes`` from ``start``, with one outcome per kind in ``outcomes``.

    ``minutes=None`` starts a session that is still running (there can be one at most).
    smtui's own rules apply: sessions never overlap and never end after the clock's now, so
    freeze the clock after the sessions a test adds. Outcomes are recorded at the session's end
    (or at its start for a running one), as ``smtui stop -o KIND`` does; kinds are not checked,
    so a plugin's own kinds work without loading plugins.
    """
    from smtui.core import sessions

    started_at = epoch(start)
    if minutes is None:
        session = sessions.start(conn, platform, intent, at=started_at, tags=tags)
    else:
        ended_at = started_at + round(minutes * 60)
        session = sessions.add(conn, platform, intent, started_at, ended_at, tags=tags)
    at = session.ended_at if session.ended_at is not None else session.started_at
    for kind in outcomes:
        log_outcome(conn, kind, at, session=session)
    return session


def log_outcome(
    conn: sqlite3.Connection,
    kind: str,
    at: When,
    *,
    session: Session | int | None = None,
    detail: str = "",
    platform: str | None = None,
    contact: str = "",
    amount_minor: int | None = None,
    currency: str | None = None,
) -> Outcome:
    """Store one outcome of ``kind`` at ``at``, of ``session`` (a Session or id) or of none.

    The platform defaults to the session's. Money is in minor units (cents) with its currency.
    """
    from smtui.core import outcomes
    from smtui.core import sessions as sessions_store
    from smtui.store.db import Transaction

    session_id = session if isinstance(session, int) or session is None else session.id
    if platform is None and session_id is not None:
        platform = sessions_store.get(conn, session_id).platform
    with Transaction(conn):
        return outcomes.insert(
            conn,
            kind,
            at=epoch(at),
            session_id=session_id,
            detail=detail,
            platform=platform,
            contact=contact,
            amount_minor=amount_minor,
            currency=currency,
        )


# --- sources and strategies ------------------------------------------------------------------


def make_source(
    cls: type[DataSource], options: Mapping[str, Any] | None = None, alias: str | None = None
) -> DataSource:
    """An instance of ``cls`` configured as a ``[sources.<alias>]`` table would configure it.

    ``options`` is that table (without ``type``): it is validated against ``cls.options``
    exactly as ``smtui config validate`` and ``smtui import`` do, so a test sees the same
    :class:`ConfigError` (re-exported here for ``pytest.raises``) a user would.
    """
    from smtui.options import apply_options

    alias = alias or cls.name
    values = apply_options(cls.options, options or {}, f"[sources.{alias}]", ignore=("type",))
    return cls(values, alias)


def make_strategy(
    cls: type[ScoringStrategy], options: Mapping[str, Any] | None = None
) -> ScoringStrategy:
    """An instance of ``cls`` configured from ``options`` as a ``[scoring.<name>]`` table."""
    from smtui.options import apply_options

    return cls(apply_options(cls.options, options or {}, f"[scoring.{cls.name}]"))


def sniff(source: DataSource, path: str | os.PathLike[str]) -> bool:
    """Whether ``source`` recognises the file, given the same head of it smtui would give."""
    from smtui.sources.csvfile import read_head

    return source.sniff(read_head(os.fspath(path)), os.fspath(path))


def read_source(source: DataSource, path: str | os.PathLike[str]) -> list[Record | InputError]:
    """Everything ``source.read`` yields for the file: records and per-row errors, in order."""
    return list(source.read(os.fspath(path)))


def import_paths(
    conn: sqlite3.Connection,
    sources: DataSource | Iterable[DataSource],
    *paths: str | os.PathLike[str],
    skip_bad_rows: bool = False,
    dry_run: bool = False,
) -> list[ImportResult]:
    """Import files through smtui's real pipeline (detection, one transaction, idempotence).

    With one source, the files must be detected as that source; pass several to check that
    your format does not clash with another.
    """
    from smtui.core.importing import import_files
    from smtui.sources.base import DataSource

    candidates = [sources] if isinstance(sources, DataSource) else list(sources)
    return import_files(
        conn,
        [os.fspath(path) for path in paths],
        candidates,
        skip_bad_rows=skip_bad_rows,
        dry_run=dry_run,
    )


def score(
    strategy: ScoringStrategy | type[ScoringStrategy],
    conn: sqlite3.Connection,
    start: When,
    end: When,
    *,
    options: Mapping[str, Any] | None = None,
    now: When | None = None,
) -> Score:
    """Score ``[start, end)`` of the store with ``strategy``, as ``smtui score`` would.

    ``strategy`` is an instance, or a class configured from ``options`` (see
    :func:`make_strategy`). ``now`` (default: smtui's clock) is how far a running session
    counts. A strategy that raises becomes the same :class:`~smtui.api.PluginError` users see.
    """
    from smtui.core.score import score_range

    if isinstance(strategy, type):
        strategy = make_strategy(strategy, options)
    elif options is not None:
        raise TypeError("options only apply to a strategy class, not an instance")
    instant = clock.now() if now is None else epoch(now)
    return score_range(conn, strategy, epoch(start), epoch(end), instant)


# --- HTTP ------------------------------------------------------------------------------------


class _Routes:
    """The handler behind :func:`fake_http`: answers by ``"METHOD /path"`` and records."""

    def __init__(self, routes: Mapping[str, Any]) -> None:
        self.routes: dict[tuple[str, str], Any] = {}
        for key, answer in routes.items():
            method, _, path = key.strip().partition(" ")
            if not path.startswith("/"):
                raise ValueError(f"route {key!r} should read like 'GET /v1/posts'")
            self.routes[(method.upper(), path.strip())] = answer
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        import httpx

        self.requests.append(request)
        answer = self.routes.get((request.method, request.url.path))
        if answer is None:
            known = [f"{method} {path}" for method, path in self.routes]
            wanted = f"{request.method} {request.url.path}"
            return httpx.Response(
                404, json={"error": f"no fake route for {wanted}", "routes": known}
            )
        if callable(answer):
            response = answer(request)
            if not isinstance(response, httpx.Response):
                raise TypeError(f"route handler returned {response!r}, not an httpx.Response")
            return response
        if isinstance(answer, httpx.Response):  # a fresh copy: a body can be read only once
            body = answer.read()
            return httpx.Response(answer.status_code, headers=answer.headers, content=body)
        if isinstance(answer, tuple) and len(answer) == 2 and isinstance(answer[0], int):
            status, body = answer
            return _response(status, body)
        return _response(200, answer)


def _response(status: int, body: Any) -> httpx.Response:
    """A response with ``body`` sent as it is (text, bytes), as JSON, or empty (None)."""
    import httpx

    if isinstance(body, bytes):
        return httpx.Response(status, content=body)
    if isinstance(body, str):
        return httpx.Response(status, text=body)
    if body is None:
        return httpx.Response(status)
    return httpx.Response(status, json=body)


def fake_http(routes: Mapping[str, Any]) -> httpx.MockTransport:
    """An ``httpx.MockTransport`` answering canned responses by method and path.

    ``routes`` maps ``"GET /v1/posts"`` to the answer: a JSON-able value (status 200), a
    ``(status, body)`` pair (a dict or list is sent as JSON, text or bytes as they are, None
    as an empty body), an ``httpx.Response``, or a function of the request returning one. The
    query string is not part of the match; read it from the recorded request. Anything else
    gets a 404 naming the request. Every request is recorded in ``transport.requests``::

        transport = fake_http({"GET /v1/posts": [{"id": "1"}], "POST /v1/token": (401, None)})
        source = MySource(options, http=httpx.Client(transport=transport, base_url="https://x"))
        ...
        assert transport.requests[0].headers["authorization"] == "Bearer t0ken"
    """
    import httpx

    handler = _Routes(routes)
    transport = httpx.MockTransport(handler)
    transport.requests = handler.requests  # type: ignore[attr-defined]
    return transport


# --- plugins and the command line ----------------------------------------------------------


def fresh_registry() -> Registry:
    """Load every installed plugin afresh, as smtui does at start, and return the registry.

    For checking that an installed plugin loads and registers what it should, next to the
    built-ins and whatever else is installed: ``registry.scorers``, ``registry.sources``,
    ``registry.outcome_kinds``, ``registry.owners[("scorer", name)]`` (the plugin id) and
    ``registry.health`` (one record per plugin: status ``ok``, ``error`` or ``disabled``).
    ``SMTUI_LOAD_PLUGINS`` and ``SMTUI_STRICT_PLUGINS`` apply as usual; the user's config
    does not.
    """
    from smtui.plugins import load_registry, reset_registry

    reset_registry()
    return load_registry(None)


class CliResult:
    """What :func:`run_smtui` saw: the exit code and everything printed."""

    __slots__ = ("code", "err", "out")

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code = code
        self.out = out
        self.err = err

    def __repr__(self) -> str:
        return f"CliResult(code={self.code}, out={self.out!r}, err={self.err!r})"


def run_smtui(*args: str, env: Mapping[str, str] | None = None) -> CliResult:
    """Run ``smtui ARGS`` in this process and capture its exit code, stdout and stderr.

    Installed plugins load as they do for users (so a plugin under test must be installed,
    e.g. ``pip install -e .``). Point ``SMTUI_HOME`` (in ``env`` or the environment) at a
    temporary folder so the user's own database and config are never touched; ``env`` is
    applied for the call only.
    """
    from smtui.cli import main
    from smtui.plugins import reset_registry

    saved = {name: os.environ.get(name) for name in env or {}}
    os.environ.update(env or {})
    out, err = io.StringIO(), io.StringIO()
    reset_registry()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # --help and usage errors exit from argparse
                code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    finally:
        reset_registry()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return CliResult(code, out.getvalue(), err.getvalue())
