"""Mastodon account archives ("Request your archive"): the account's own posts, from outbox.json.

The archive (a zip since Mastodon 4.1, a ``.tar.gz`` before) holds ``outbox.json``, an
ActivityStreams ``OrderedCollection`` of every status the account wrote, ``actor.json`` (the
profile) and media (FORMATS.md section 8b). Each item is a ``Create`` whose object is the
full ``Note`` (or ``Question``, a poll), or an ``Announce`` (a boost) whose object is only the
boosted post's address. Boosts are other people's posts and direct messages are private
conversations, so neither becomes a post; they are counted in :class:`OutboxSummary`.

Older archives carry no engagement counts; newer servers add ``likes`` and ``shares``
collections with a ``totalItems`` to each Note, which become the post's likes and shares.
Note that ``totalItems`` of the outbox itself is the profile's post count, not the number of
items (1557 against 1586 in a real file), so it is not checked.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from smtui.models import Record
from smtui.sources.base import SNIFF_BYTES
from smtui.sources.errors import InputError
from smtui.sources.jsonfile import load_object, read_bytes
from smtui.sources.records import PostRecord

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

PLATFORM = "mastodon"
OUTBOX = "outbox.json"
ACTOR = "actor.json"
PUBLIC = frozenset({"https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"})
OWN_POST_TYPES = {"Note": "post", "Question": "poll", "Article": "article"}
WANTED = "a Mastodon outbox.json (or the account archive zip holding it)"

_ZIP_MAGIC = b"PK\x03\x04"
_COLLECTION = re.compile(rb'"type"\s*:\s*"OrderedCollection"')
_ITEMS = re.compile(rb'"orderedItems"\s*:\s*\[')
_ACTIVITY = re.compile(rb'"type"\s*:\s*"(?:Create|Announce)"')
_OUTBOX_ID = re.compile(rb'"id"\s*:\s*"outbox\.json"')
_STATUS_ID = re.compile(r"/(?:statuses|@[^/]+)/(\d+)/?$")
_ACTOR_PATH = re.compile(r"^https?://([^/]+)/users/([^/?#]+)/?$")


class OutboxSummary(Record):
    """What an outbox held besides the posts read from it, for the import report."""

    __slots__ = ("boosts", "direct", "other", "posts")

    def __init__(self) -> None:
        self.posts = 0
        self.boosts = 0
        self.direct = 0
        self.other = 0


def looks_like_outbox(head: bytes) -> bool:
    """True for the start of an ActivityStreams outbox of Create/Announce activities."""
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return (
        head.startswith(b"{")
        and _COLLECTION.search(head) is not None
        and _ITEMS.search(head) is not None
        and (_ACTIVITY.search(head) is not None or _OUTBOX_ID.search(head) is not None)
    )


def sniff_archive(head: bytes, path: str) -> bool:
    """True for an ``outbox.json``, or an archive zip whose ``outbox.json`` is one."""
    if not head.startswith(_ZIP_MAGIC):
        return looks_like_outbox(head)
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            member = _member(archive, OUTBOX)
            if member is None:
                return False
            with archive.open(member) as handle:
                return looks_like_outbox(handle.read(SNIFF_BYTES))
    except (OSError, zipfile.BadZipFile, RuntimeError):  # RuntimeError: encrypted member
        return False


def load_archive(path: str) -> tuple[dict[str, Any], dict[str, Any] | None, str]:
    """``(outbox, actor or None, file name for errors)`` from ``outbox.json`` or the archive zip.

    This is the helper for anything that holds the archive zip rather than the extracted
    file: the importer needs nothing special, because the source reads the zip it is given.
    """
    try:
        with open(path, "rb") as handle:
            magic = handle.read(len(_ZIP_MAGIC))
    except OSError as exc:
        raise InputError(path, "a readable file", got=exc.strerror or str(exc)) from exc
    if magic != _ZIP_MAGIC:
        return load_object(read_bytes(path), path, WANTED), None, path
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            member = _member(archive, OUTBOX)
            if member is None:
                raise InputError(path, WANTED, got="a zip without outbox.json")
            outbox_bytes = archive.read(member)
            actor_member = _member(archive, ACTOR)
            actor_bytes = archive.read(actor_member) if actor_member is not None else None
    except (OSError, zipfile.BadZipFile, RuntimeError) as exc:
        raise InputError(path, "a readable zip archive", got=str(exc)) from exc
    where = f"{path} [{member}]"
    outbox = load_object(outbox_bytes, where, WANTED)
    actor = None
    if actor_bytes is not None:
        actor = load_object(actor_bytes, f"{path} [{actor_member}]", "the archive's actor.json")
    return outbox, actor, where


def _member(archive: Any, name: str) -> str | None:
    """The archive member called ``name``, at the top level or the shallowest folder."""
    found = [n for n in archive.namelist() if n == name or n.endswith("/" + name)]
    return min(found, key=lambda n: n.count("/")) if found else None


def outbox_posts(
    outbox: dict[str, Any], actor: dict[str, Any] | None, where: str, summary: OutboxSummary
) -> Iterator[PostRecord | InputError]:
    """The account's own posts in an outbox; boosts, direct messages and other activities are
    only counted in ``summary``. A malformed item yields an :class:`InputError` whose column
    is the item's JSON path (``orderedItems[12].object.published``)."""
    if outbox.get("type") != "OrderedCollection" or not isinstance(
        outbox.get("orderedItems"), list
    ):
        raise InputError(where, WANTED, got="JSON without an OrderedCollection of orderedItems")
    account = _account(actor)
    for index, item in enumerate(outbox["orderedItems"]):
        path = f"orderedItems[{index}]"
        kind = item.get("type") if isinstance(item, dict) else None
        if kind == "Announce":
            summary.boosts += 1
            continue
        note = item.get("object") if isinstance(item, dict) and kind == "Create" else None
        if not isinstance(note, dict) or note.get("type") not in OWN_POST_TYPES:
            summary.other += 1
            continue
        if _is_direct(note):
            summary.direct += 1
            continue
        try:
            post = _post(note, item, account, where, f"{path}.object")
        except InputError as exc:
            yield exc
            continue
        summary.posts += 1
        yield post


def _post(
    note: dict[str, Any], activity: dict[str, Any], account: str, where: str, path: str
) -> PostRecord:
    uri = note.get("id")
    if not isinstance(uri, str) or not uri.strip():
        raise InputError(where, "the post's id (a URL)", got=repr(uri), column=f"{path}.id")
    url = note.get("url")
    url = url if isinstance(url, str) else ""
    match = _STATUS_ID.search(uri) or _STATUS_ID.search(url)
    metrics: dict[str, int | None] = {
        "comments": _total(note.get("replies")),
        "likes": _total(note.get("likes")),
        "shares": _total(note.get("shares")),
    }
    return PostRecord(
        PLATFORM,
        match.group(1) if match else uri.strip(),
        account=account or _account_from_url(activity.get("actor") or note.get("attributedTo")),
        published_at=_published(note, activity, where, path),
        kind=_kind(note),
        text=html_to_text(_content(note)),
        url=url,
        metrics={name: value for name, value in metrics.items() if value is not None},
    )


def _kind(note: dict[str, Any]) -> str:
    """``post``, ``reply`` (a Note answering another status), ``poll`` or ``article``."""
    kind = OWN_POST_TYPES[note["type"]]
    return "reply" if kind == "post" and note.get("inReplyTo") else kind


def _published(note: dict[str, Any], activity: dict[str, Any], where: str, path: str) -> int:
    """The post's time as epoch seconds; it must say its time zone (Mastodon writes ``Z``)."""
    from datetime import datetime

    value = note.get("published") or activity.get("published")
    expected = "a date-time with its time zone, like 2022-11-08T03:07:14Z"
    if not isinstance(value, str):
        raise InputError(where, expected, got=repr(value), column=f"{path}.published")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InputError(where, expected, got=repr(value), column=f"{path}.published") from None
    if moment.tzinfo is None:
        raise InputError(where, expected, got=repr(value), column=f"{path}.published")
    return int(moment.timestamp())


def _content(note: dict[str, Any]) -> str:
    content = note.get("content")
    if isinstance(content, str):
        return content
    languages = note.get("contentMap")
    if isinstance(languages, dict):
        return next((text for text in languages.values() if isinstance(text, str)), "")
    return ""


def _total(collection: object) -> int | None:
    """``totalItems`` of a collection object, when the server wrote one."""
    if isinstance(collection, dict):
        total = collection.get("totalItems")
        if isinstance(total, int) and not isinstance(total, bool) and total >= 0:
            return total
    return None


def _is_direct(note: dict[str, Any]) -> bool:
    """True for a direct message: addressed neither to the public nor to the followers."""
    audience = [*_addresses(note.get("to")), *_addresses(note.get("cc"))]
    return not any(a in PUBLIC or a.endswith("/followers") for a in audience)


def _addresses(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [a for a in value if isinstance(a, str)]
    return []


def _account(actor: dict[str, Any] | None) -> str:
    """``@user@host`` from ``actor.json``: its preferred username and the host of its id."""
    if not actor:
        return ""
    name = actor.get("preferredUsername")
    uri = actor.get("id")
    host = re.match(r"^https?://([^/]+)/", uri) if isinstance(uri, str) else None
    if isinstance(name, str) and name and host:
        return f"@{name}@{host.group(1)}"
    return _account_from_url(uri)


def _account_from_url(uri: object) -> str:
    """``@user@host`` from an actor address like ``https://host/users/user``, or ``""``."""
    match = _ACTOR_PATH.match(uri) if isinstance(uri, str) else None
    return f"@{match.group(2)}@{match.group(1)}" if match else ""


_BLOCKS = frozenset({"p", "div", "blockquote", "li", "pre", "h1", "h2", "h3", "h4", "ul", "ol"})
_HIDDEN = frozenset({"script", "style", "template"})


class _TextExtractor(HTMLParser):
    """Collects the text of a status: paragraphs become blank lines, ``<br>`` a new line.

    Mastodon shortens long links by hiding parts in ``invisible`` spans; every part is text
    here, so the full address survives.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS and self.parts:
            self.parts.append("\n\n")
        elif tag in _HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text from a status's sanitised HTML, entities decoded, tags dropped."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
