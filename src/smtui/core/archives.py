"""Zip archives as folders of files: each member unpacked to disk, to be detected and imported.

Platforms (and people) hand exports over zipped. A zip that a source reads as a whole (Studio's
export zip, the Mastodon account archive) goes to that source; any other zip is opened here and
its members are imported one by one, like the files of a folder. Sources read paths, so each
member is copied to a private temporary folder, streamed (a large member never sits in memory)
and dated as the archive dates it, since that time stands in for the export time when a file
does not say. Errors name the member as ``archive.zip, file "member"``.
"""

from __future__ import annotations

import os
import shutil
import time

from smtui.sources.errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from zipfile import ZipInfo

ZIP_SIGNATURE = b"PK\x03\x04"
# Office documents (.xlsx, .docx) are zips too; their parts are not exports of their own.
_OFFICE_PART = "[Content_Types].xml"


class Member:
    """One file unpacked from an archive: its name in the archive and where it is on disk."""

    __slots__ = ("name", "path")

    def __init__(self, name: str, path: str) -> None:
        self.name = name
        self.path = path


def member_label(archive: str, member: str) -> str:
    """How errors and summaries name a member: ``exports.zip, file "posts.csv"``."""
    return f'{archive}, file "{member}"'


def is_plain_zip(head: bytes, path: str) -> bool:
    """True for a zip archive that is not an Office document (an unknown ``.xlsx`` stays one
    file, so the error says what it is rather than listing its XML parts)."""
    if not head.startswith(ZIP_SIGNATURE):
        return False
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return _OFFICE_PART not in archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def unpack(path: str, label: str, into: str) -> Iterator[Member]:
    """Copy each file of the zip at ``path`` into the folder ``into``, in name order.

    Folders, hidden files and macOS resource forks (``__MACOSX/``) are left out, as in a folder
    walk. ``label`` is how the archive itself is named in errors. Raises :class:`InputError`
    for an archive (or member) that cannot be read.
    """
    import zipfile

    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError(label, "a readable zip archive", got=str(exc)) from exc
    with archive:
        infos = sorted(
            (info for info in archive.infolist() if _is_export(info)),
            key=lambda info: info.filename,
        )
        if not infos:
            raise InputError(label, "a zip archive holding export files", got="no files in it")
        for index, info in enumerate(infos):
            name = member_label(label, info.filename)
            folder = os.path.join(into, str(index))
            os.makedirs(folder, exist_ok=True)
            target = os.path.join(folder, os.path.basename(info.filename))
            try:
                with archive.open(info) as source, open(target, "wb") as copy:
                    shutil.copyfileobj(source, copy, 1024 * 1024)
            except (OSError, zipfile.BadZipFile, RuntimeError) as exc:  # RuntimeError: encrypted
                raise InputError(name, "a member that can be unpacked", got=str(exc)) from exc
            stamp = _zip_time(info)
            os.utime(target, (stamp, stamp))
            yield Member(info.filename, target)


def _is_export(info: ZipInfo) -> bool:
    name = info.filename
    if info.is_dir() or name.startswith("__MACOSX/"):
        return False
    return not any(part.startswith(".") for part in name.split("/") if part)


def _zip_time(info: ZipInfo) -> float:
    """The member's modification time: zips record local wall-clock time, as ``unzip`` reads it."""
    try:
        return time.mktime((*info.date_time, 0, 0, -1))
    except (OverflowError, ValueError):
        return time.time()
