"""The dashboard's terminal driver: Textual's Linux driver with an input thread that sleeps.

The dashboard stays open all day. Textual's input thread wakes ten times a second whether or
not anything was typed: to notice that it should stop, and to give up on an escape sequence
that never finished (a lone Escape key). Over a day that is a third of what the open
dashboard costs (see docs/performance.md). This driver's thread waits for input with no time
limit instead, unless a sequence is pending (then as long as the parser wants), and is woken
at once through a pipe when it is asked to stop. Everything else is Textual's own driver.

The thread's body follows Textual 8.2.8's ``LinuxDriver.run_input_thread`` (the version
smtui pins) line for line, but for those two points.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import threading
from codecs import getincrementaldecoder
from typing import TYPE_CHECKING, Any

from textual._loop import loop_last
from textual._parser import ParseError
from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

if TYPE_CHECKING:
    from textual.app import App


class _WakingEvent(threading.Event):
    """The driver's exit event: setting it also wakes the input thread's wait."""

    def __init__(self, wake: int) -> None:
        super().__init__()
        self._wake: int | None = wake

    def set(self) -> None:
        super().set()
        if self._wake is not None:
            with contextlib.suppress(OSError):  # gone already: nothing to wake
                os.write(self._wake, b"x")

    def detach(self) -> None:
        """Stop waking anyone (the pipe is about to be closed)."""
        self._wake = None


class QuietLinuxDriver(LinuxDriver):
    """:class:`LinuxDriver` whose input thread wakes only when there is something to do."""

    def __init__(self, app: App[Any], **options: Any) -> None:
        super().__init__(app, **options)
        self._wake_read, self._wake_write = os.pipe()
        self.exit_event: _WakingEvent = _WakingEvent(self._wake_write)

    def run_input_thread(self) -> None:
        """Wait for input and dispatch events."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        selector.register(self._wake_read, selectors.EVENT_READ)

        fileno = self.fileno
        wake = self._wake_read
        EVENT_READ = selectors.EVENT_READ

        parser = XTermParser(self._debug)
        feed = parser.feed
        tick = parser.tick

        utf8_decoder = getincrementaldecoder("utf-8")().decode
        decode = utf8_decoder
        read = os.read

        def process_selector_events(
            selector_events: list[tuple[selectors.SelectorKey, int]],
            final: bool = False,
        ) -> None:
            for last, (selector_key, mask) in loop_last(selector_events):
                if selector_key.fd == wake:
                    os.read(wake, 1024)
                    continue
                if mask & EVENT_READ:
                    unicode_data = decode(read(fileno, 1024 * 4), final=final and last)
                    if not unicode_data:
                        # This can occur if the stdin is piped
                        break
                    for event in feed(unicode_data):
                        self.process_message(event)
            for event in tick():
                self.process_message(event)

        def timeout() -> float | None:
            """How long to wait: for ever, unless the parser waits on a sequence's end."""
            due = parser._timeout_time
            return None if due is None else max(0.0, due - get_time())

        try:
            while not self.exit_event.is_set():
                process_selector_events(selector.select(timeout()))
            selector.unregister(self.fileno)
            process_selector_events(selector.select(0.1), final=True)

        finally:
            selector.close()
            try:
                for _event in feed(""):
                    pass
            except (EOFError, ParseError):
                pass

    def close(self) -> None:
        super().close()
        self.exit_event.detach()
        for end in (self._wake_read, self._wake_write):
            with contextlib.suppress(OSError):
                os.close(end)
