"""How far into a file this process has read, for progress bars over sources we do not control.

Sources open their files themselves (a plugin's included), so the importer cannot count bytes
as they pass. On Linux the kernel says, for every open descriptor, which file it is
(``/proc/self/fd``) and its offset (``/proc/self/fdinfo``): the furthest offset among the
descriptors open on a file is how much of it has been read. Elsewhere the answer is None and a
caller shows a count of records instead.
"""

from __future__ import annotations

import os

_FD_DIR = "/proc/self/fd"
_FDINFO = "/proc/self/fdinfo/{}"


class ReadPosition:
    """Call to get the bytes of ``path`` read so far (None when the system cannot say)."""

    __slots__ = ("fds", "target")

    def __init__(self, path: str) -> None:
        self.target = os.path.realpath(path)
        self.fds: list[str] = []

    def __call__(self) -> int | None:
        if not os.path.isdir(_FD_DIR):
            return None
        positions = [pos for pos in map(self._offset, self.fds) if pos is not None]
        if not positions:  # opened since we last looked, or closed and opened again
            self.fds = self._find()
            positions = [pos for pos in map(self._offset, self.fds) if pos is not None]
        return max(positions) if positions else None

    def _find(self) -> list[str]:
        found: list[str] = []
        try:
            names = os.listdir(_FD_DIR)
        except OSError:
            return found
        for name in names:
            try:
                if os.readlink(os.path.join(_FD_DIR, name)) == self.target:
                    found.append(name)
            except OSError:  # closed while we looked
                continue
        return found

    def _offset(self, fd: str) -> int | None:
        """The offset of descriptor ``fd`` if it is still open on the file."""
        try:
            if os.readlink(os.path.join(_FD_DIR, fd)) != self.target:
                return None
            with open(_FDINFO.format(fd), encoding="ascii") as info:
                for line in info:
                    if line.startswith("pos:"):
                        return int(line.split()[1])
        except (OSError, ValueError, IndexError):
            return None
        return None
