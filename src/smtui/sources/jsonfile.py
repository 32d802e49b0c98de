"""Reading JSON exports (Mastodon's archive, Instagram's "Download your information").

A JSON export is read whole: these files are one object, not a stream of rows. What can go
wrong is the same for all of them, so it is said the same way: bytes that are not UTF-8, a
file cut short or edited by hand (the JSON syntax error, with its line), or JSON of another
shape. Fields are named by their path in the document (``orderedItems[12].published``), the
way a row's column is named in a CSV file.
"""

from __future__ import annotations

from smtui.sources.errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def read_bytes(path: str) -> bytes:
    """The whole file, or an :class:`InputError` saying why it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise InputError(path, "a readable file", got=exc.strerror or str(exc)) from exc


def load_object(data: bytes, where: str, wanted: str) -> dict[str, Any]:
    """The JSON object in ``data``; an :class:`InputError` naming the line of a syntax error.

    A file cut short (an interrupted download) ends inside the JSON, so it fails here with
    the line where the text stops, and nothing of it is imported.
    """
    import json

    if not data.strip():
        raise InputError(where, wanted, got="an empty file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        got = f"the byte 0x{data[exc.start]:02X} (the file is in another encoding)"
        raise InputError(where, f"{wanted} in UTF-8", got=got, line=line) from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        # An error on the last line of the text: the file stops there (a valid export ends
        # with a line holding only its closing brace).
        ended = "\n" not in text[exc.pos : len(text.rstrip())]
        got = "the end of the file (it was cut short)" if ended else exc.msg
        raise InputError(
            where,
            f"{wanted}: valid JSON",
            got=f"{got} at character {exc.colno}",
            line=exc.lineno,
            hint="download the export again" if ended else "",
        ) from None
    if not isinstance(value, dict):
        raise InputError(where, wanted, got=f"a JSON {type(value).__name__}")
    return value


def fix_mojibake(text: str) -> str:
    """Text Meta wrote as UTF-8 bytes escaped one by one (``India\\u00e2\\u0080\\u0099s``),
    decoded back (``India’s``); any other text as it is."""
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text
