"""Calling plugin code with a time limit, so a hanging or crashing plugin only fails its call.

A plugin's ``score``, ``sniff``, ``read`` or panel ``load`` runs in a daemon thread; the caller
waits at most ``timeout`` seconds. On time-out the caller gets a :class:`~smtui.api.PluginError`
and carries on (the stuck thread is abandoned: Python cannot stop a thread, and a daemon thread
never keeps smtui from exiting). An exception from the plugin comes back as a ``PluginError``
naming the call, with the original as its ``__cause__``; a :class:`~smtui.errors.SmtuiError`
the plugin raised on purpose comes back unchanged, since its message is already meant for the
user.

``SMTUI_PLUGIN_TIMEOUT`` (seconds) replaces every default below: a user with a slow plugin can
raise it, and tests lower it.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import time
from typing import TYPE_CHECKING, Any, TypeVar

from smtui.api import PluginError
from smtui.errors import SmtuiError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

TIMEOUT_ENV = "SMTUI_PLUGIN_TIMEOUT"

SCORE_TIMEOUT_S = 10.0
"""A scoring strategy rating a window (it gets its data in memory: it has no I/O to wait on)."""
PANEL_TIMEOUT_S = 10.0
"""A plugin's dashboard panel reading what it shows."""
SNIFF_TIMEOUT_S = 10.0
"""A data source recognising a file from its first bytes."""
READ_STALL_TIMEOUT_S = 60.0
"""A data source reading a file: the longest wait for its next record, not for the whole file."""
LOAD_TIMEOUT_S = 30.0
"""Importing and registering every plugin (on a worker thread of the dashboard)."""

DEFAULT_HINT = "try again; if it keeps failing, disable its plugin under [plugins] disabled"

_T = TypeVar("_T")


def timeout_for(default: float) -> float:
    """``default``, unless ``SMTUI_PLUGIN_TIMEOUT`` holds a positive number of seconds."""
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    if raw:
        try:
            value = float(raw)
        except ValueError:
            return default
        if value > 0:
            return value
    return default


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def timed_out(what: str, timeout: float, *, title: str | None = None) -> PluginError:
    """The error for a plugin call that did not answer in time."""
    return PluginError(
        f"{what} did not answer within {timeout:g} s",
        f"it may be stuck; raise {TIMEOUT_ENV} if it is only slow,"
        " or disable its plugin under [plugins] disabled",
        title=title or f"{_capitalised(what)} timed out",
    )


def failed(
    what: str, exc: BaseException, *, title: str | None = None, hint: str = DEFAULT_HINT
) -> PluginError:
    """The error for a plugin call that raised ``exc`` (a bug, not a message for the user)."""
    return PluginError(
        f"{what} failed: {type(exc).__name__}: {exc}",
        hint,
        title=title or f"{_capitalised(what)} failed",
    )


def call_with_timeout(
    func: Callable[..., _T],
    /,
    *args: Any,
    timeout: float,
    what: str,
    title: str | None = None,
    hint: str = DEFAULT_HINT,
    **kwargs: Any,
) -> _T:
    """``func(*args, **kwargs)`` in a daemon thread, waiting at most ``timeout`` seconds.

    ``what`` names the call as a user reads it (``"scoring strategy 'slow'"``); ``title`` and
    ``hint`` replace the defaults of the error raised when the call fails or times out.
    """
    outcome: list[tuple[bool, Any]] = []
    done = threading.Event()

    def run() -> None:
        try:
            outcome.append((True, func(*args, **kwargs)))
        except BaseException as exc:  # handed over to the caller's thread
            outcome.append((False, exc))
        finally:
            done.set()

    threading.Thread(target=run, name=f"smtui plugin call: {what}", daemon=True).start()
    if not done.wait(timeout):
        raise timed_out(what, timeout, title=title)
    ok, value = outcome[0]
    if ok:
        return value  # type: ignore[no-any-return]
    if isinstance(value, SmtuiError):
        raise value
    raise failed(what, value, title=title, hint=hint) from value


class _Failure:
    """What the reading thread hands over when the plugin raised."""

    __slots__ = ("exc",)

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


_END = object()
_FLUSH_S = 0.05  # hand over what has been read at least this often, so a slow source streams
_BATCH = 256  # ... and in batches, so a fast source does not pay a queue round-trip per record


def iterate_with_timeout(
    produce: Callable[[], Iterable[_T]], *, stall: float, what: str
) -> Iterator[_T]:
    """The items of ``produce()``, read in a daemon thread; fail if none comes for ``stall`` s.

    The limit is on the wait between items, not on the whole iteration, so a large file read
    at a steady pace never times out. Stopping early (an error downstream) stops the reader.
    """
    batches: queue.Queue[Any] = queue.Queue(maxsize=8)
    stopped = threading.Event()

    def hand_over(item: object) -> bool:
        while not stopped.is_set():
            try:
                batches.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        batch: list[_T] = []
        flushed = time.monotonic()
        items: Iterator[_T] | None = None
        try:
            items = iter(produce())
            for item in items:
                batch.append(item)
                if len(batch) >= _BATCH or time.monotonic() - flushed >= _FLUSH_S:
                    if not hand_over(batch):
                        return
                    batch = []
                    flushed = time.monotonic()
            if batch and not hand_over(batch):
                return
            hand_over(_END)
        except BaseException as exc:  # handed over to the consumer's thread
            hand_over(_Failure(exc))
        finally:
            close = getattr(items, "close", None)
            if close is not None:  # a generator: let it close its file now, not at collection
                with contextlib.suppress(Exception):
                    close()

    threading.Thread(target=run, name=f"smtui plugin read: {what}", daemon=True).start()
    try:
        while True:
            try:
                got = batches.get(timeout=stall)
            except queue.Empty:
                raise timed_out(what, stall) from None
            if got is _END:
                return
            if isinstance(got, _Failure):
                if isinstance(got.exc, SmtuiError):
                    raise got.exc
                raise failed(what, got.exc) from got.exc
            yield from got
    finally:
        stopped.set()
