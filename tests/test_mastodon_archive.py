"""The Mastodon account archive: own posts from outbox.json, given as the file or the zip.

No real archive may be redistributed, so the fixture is built here item by item the way
Mastodon's BackupService and ActivityPub serializers write it (FORMATS.md section 8b): one
line of JSON, an ``@context`` list, ``totalItems`` that is the profile's post count rather than
the number of items, ``Create`` activities holding the whole Note (or Question, for a poll)
and ``Announce`` activities holding only the boosted post's address.
"""

from __future__ import annotations

import calendar
import json
import os
import zipfile
from typing import TYPE_CHECKING, Any

import pytest

from smtui.builtins.mastodon_archive import MastodonOutboxSource, register_sources
from smtui.builtins.tiktok_export import SOURCES as TIKTOK_SOURCES
from smtui.core.importing import import_files
from smtui.sources.csvfile import read_head
from smtui.sources.errors import InputError
from smtui.sources.mastodon_archive import html_to_text, load_archive
from smtui.sources.records import PostRecord

from .conftest import SHARED

if TYPE_CHECKING:
    import sqlite3
    from pathlib import Path

    from smtui.sources.base import DataSource

ACTOR = "https://mastodon.example/users/alice"
FOLLOWERS = ACTOR + "/followers"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
CONTEXT = [
    "https://www.w3.org/ns/activitystreams",
    {
        "ostatus": "http://ostatus.org#",
        "atomUri": "ostatus:atomUri",
        "inReplyToAtomUri": "ostatus:inReplyToAtomUri",
        "conversation": "ostatus:conversation",
        "sensitive": "as:sensitive",
        "toot": "http://joinmastodon.org/ns#",
        "votersCount": "toot:votersCount",
        "Hashtag": "as:Hashtag",
    },
]
EXPORTED = calendar.timegm((2024, 3, 1, 12, 0, 0))

FIRST_HTML = (
    '<p>Hello <a href="https://mastodon.example/tags/fediverse" class="mention hashtag"'
    ' rel="tag">#<span>fediverse</span></a> &amp; friends!</p><p>Read <a'
    ' href="https://example.org/a/very/long/path" rel="nofollow noopener noreferrer"'
    ' translate="no" target="_blank"><span class="invisible">https://</span><span'
    ' class="ellipsis">example.org/a/very/lo</span><span class="invisible">ng/path</span></a>'
    "<br />Thanks</p>"
)
REPLY_HTML = (
    '<p><span class="h-card" translate="no"><a href="https://other.example/@bob"'
    ' class="u-url mention">@<span>bob</span></a></span> agreed, 3 &lt; 4</p>'
)


def utc(year: int, month: int, day: int, hour: int, minute: int, second: int) -> int:
    return calendar.timegm((year, month, day, hour, minute, second))


def create(
    status: str,
    published: str,
    content: str,
    *,
    to: list[str] | None = None,
    cc: list[str] | None = None,
    kind: str = "Note",
    in_reply_to: str | None = None,
    **more: Any,
) -> dict[str, Any]:
    """A ``Create`` activity of one of alice's statuses, as the archive writes it."""
    uri = f"{ACTOR}/statuses/{status}"
    to = [PUBLIC] if to is None else to
    cc = [FOLLOWERS] if cc is None else cc
    note: dict[str, Any] = {
        "id": uri,
        "type": kind,
        "summary": None,
        "inReplyTo": in_reply_to,
        "published": published,
        "url": f"https://mastodon.example/@alice/{status}",
        "attributedTo": ACTOR,
        "to": to,
        "cc": cc,
        "sensitive": False,
        "atomUri": uri,
        "inReplyToAtomUri": in_reply_to,
        "conversation": "tag:mastodon.example,2022-11-08:objectId=1:objectType=Conversation",
        "content": content,
        "contentMap": {"en": content},
        "attachment": [],
        "tag": [],
        "replies": {
            "id": uri + "/replies",
            "type": "Collection",
            "first": {
                "type": "CollectionPage",
                "next": uri + "/replies?only_other_accounts=true&page=true",
                "partOf": uri + "/replies",
                "items": [],
            },
        },
        **more,
    }
    return {
        "id": uri + "/activity",
        "type": "Create",
        "actor": ACTOR,
        "published": published,
        "to": to,
        "cc": cc,
        "object": note,
    }


def announce(status: str, published: str, boosted: str) -> dict[str, Any]:
    """A boost: the object is only the address of the boosted post."""
    return {
        "id": f"{ACTOR}/statuses/{status}/activity",
        "type": "Announce",
        "actor": ACTOR,
        "published": published,
        "to": [PUBLIC],
        "cc": ["https://other.example/users/bob", FOLLOWERS],
        "object": boosted,
    }


def items() -> list[dict[str, Any]]:
    return [
        create("109306400934355017", "2022-11-08T03:07:14Z", FIRST_HTML),
        announce(
            "109306500000000001",
            "2022-11-08T03:30:00Z",
            "https://other.example/users/bob/statuses/1",
        ),
        create(
            "109310000000000002",
            "2022-11-08T19:00:05Z",
            REPLY_HTML,
            to=[FOLLOWERS],  # unlisted: the public is only in cc
            cc=[PUBLIC, "https://other.example/users/bob"],
            in_reply_to="https://other.example/users/bob/statuses/2",
        ),
        create(
            "109320000000000003",
            "2022-11-10T08:00:00Z",
            "<p>private note to bob</p>",
            to=["https://other.example/users/bob"],  # a direct message
            cc=[],
        ),
        create(
            "111900000000000004",
            "2024-02-12T09:15:00Z",
            "<p>Which day for the meetup?</p>",
            to=[FOLLOWERS],  # followers only
            cc=[],
            kind="Question",
            oneOf=[
                {"type": "Note", "name": "Tue", "replies": {"type": "Collection", "totalItems": 3}}
            ],
            likes={
                "id": f"{ACTOR}/statuses/111900000000000004/likes",
                "type": "Collection",
                "totalItems": 4,
            },
            shares={
                "id": f"{ACTOR}/statuses/111900000000000004/shares",
                "type": "Collection",
                "totalItems": 2,
            },
        ),
        announce(
            "111900000000000005", "2024-02-12T10:00:00Z", f"{ACTOR}/statuses/111900000000000004"
        ),
    ]


def outbox(entries: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    entries = items() if entries is None else entries
    return {
        "@context": CONTEXT,
        "id": "outbox.json",
        "type": "OrderedCollection",
        "totalItems": len(entries) - 1,  # the profile's count, not the number of items
        "orderedItems": entries,
    }


def write_outbox(path: Path, data: dict[str, Any] | None = None) -> str:
    path.write_text(json.dumps(outbox() if data is None else data, separators=(",", ":")))
    os.utime(path, (EXPORTED, EXPORTED))
    return str(path)


def write_archive(
    path: Path, data: dict[str, Any] | None = None, *, folder: str = "", with_outbox: bool = True
) -> str:
    """The zip Mastodon 4.1+ sends: media, outbox, likes, bookmarks, actor."""
    actor = {
        "@context": CONTEXT,
        "id": ACTOR,
        "type": "Person",
        "preferredUsername": "alice",
        "name": "Alice",
        "url": "https://mastodon.example/@alice",
        "outbox": "outbox.json",
        "likes": "likes.json",
        "bookmarks": "bookmarks.json",
    }
    collection = {"id": "likes.json", "type": "OrderedCollection", "orderedItems": []}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(folder + "media_attachments/files/109/306/original/a1.png", b"\x89PNG")
        if with_outbox:
            archive.writestr(folder + "outbox.json", json.dumps(data or outbox()))
        archive.writestr(folder + "likes.json", json.dumps(collection))
        archive.writestr(folder + "bookmarks.json", json.dumps(collection))
        archive.writestr(folder + "actor.json", json.dumps(actor))
    os.utime(path, (EXPORTED, EXPORTED))
    return str(path)


def read_all(path: str) -> tuple[list[PostRecord | InputError], MastodonOutboxSource]:
    source = MastodonOutboxSource()
    found: list[PostRecord | InputError] = []
    for item in source.read(path):
        assert isinstance(item, PostRecord | InputError)
        found.append(item)
    return found, source


EXPECTED = [
    PostRecord(
        "mastodon",
        "109306400934355017",
        account="@alice@mastodon.example",
        published_at=utc(2022, 11, 8, 3, 7, 14),
        kind="post",
        text="Hello #fediverse & friends!\n\nRead https://example.org/a/very/long/path\nThanks",
        url="https://mastodon.example/@alice/109306400934355017",
    ),
    PostRecord(
        "mastodon",
        "109310000000000002",
        account="@alice@mastodon.example",
        published_at=utc(2022, 11, 8, 19, 0, 5),
        kind="reply",
        text="@bob agreed, 3 < 4",
        url="https://mastodon.example/@alice/109310000000000002",
    ),
    PostRecord(
        "mastodon",
        "111900000000000004",
        account="@alice@mastodon.example",
        published_at=utc(2024, 2, 12, 9, 15, 0),
        kind="poll",
        text="Which day for the meetup?",
        url="https://mastodon.example/@alice/111900000000000004",
        metrics={"likes": 4, "shares": 2},
    ),
]


def test_hook_registers_the_source() -> None:
    registered: list[type] = []
    register_sources(registered.append)
    assert registered == [MastodonOutboxSource]
    assert hasattr(register_sources, "smtui_impl")
    assert MastodonOutboxSource.name == "mastodon_outbox"
    assert MastodonOutboxSource.platform == "mastodon"
    assert MastodonOutboxSource.options == ()


def test_own_posts_come_from_the_outbox(tmp_path: Path) -> None:
    posts, source = read_all(write_outbox(tmp_path / "outbox.json"))
    assert posts == EXPECTED
    # Boosts are other people's posts and direct messages are private: counted, not stored.
    assert source.last_summary.as_dict() == {"boosts": 2, "direct": 1, "other": 0, "posts": 3}


def test_the_archive_zip_reads_like_its_outbox(tmp_path: Path) -> None:
    archive = write_archive(tmp_path / "archive-20240301120000-0123456789abcdef.zip")
    posts, source = read_all(archive)
    assert posts == EXPECTED
    assert source.last_summary.boosts == 2
    nested = write_archive(tmp_path / "nested.zip", folder="archive/")
    assert read_all(nested)[0] == EXPECTED


def test_the_account_comes_from_actor_json_when_the_zip_has_it(tmp_path: Path) -> None:
    entries = items()
    for entry in entries:
        entry["actor"] = "https://mastodon.example/ap/users/1"  # not the /users/<name> form
        if isinstance(entry["object"], dict):
            entry["object"]["attributedTo"] = "https://mastodon.example/ap/users/1"
    plain, _ = read_all(write_outbox(tmp_path / "outbox.json", outbox(entries)))
    assert {p.account for p in plain if isinstance(p, PostRecord)} == {""}
    zipped, _ = read_all(write_archive(tmp_path / "archive.zip", outbox(entries)))
    assert {p.account for p in zipped if isinstance(p, PostRecord)} == {"@alice@mastodon.example"}


def test_importing_twice_never_duplicates_posts(conn: sqlite3.Connection, tmp_path: Path) -> None:
    archive = write_archive(tmp_path / "archive.zip")
    sources: list[DataSource] = [MastodonOutboxSource(), *(cls() for cls in TIKTOK_SOURCES)]
    [first] = import_files(conn, [archive], sources)
    assert (first.format, first.new, first.updated, first.unchanged) == ("mastodon_outbox", 3, 0, 0)
    assert first.snapshots == 1  # only the poll reports numbers
    extracted = write_outbox(tmp_path / "outbox.json")
    [again] = import_files(conn, [extracted], sources)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    assert conn.execute(
        "SELECT external_id, account, published_at, day_only, kind, likes, shares, comments,"
        " metrics_at FROM posts ORDER BY published_at"
    ).fetchall() == [
        (
            "109306400934355017",
            "@alice@mastodon.example",
            utc(2022, 11, 8, 3, 7, 14),
            0,
            "post",
            None,
            None,
            None,
            None,
        ),
        (
            "109310000000000002",
            "@alice@mastodon.example",
            utc(2022, 11, 8, 19, 0, 5),
            0,
            "reply",
            None,
            None,
            None,
            None,
        ),
        (
            "111900000000000004",
            "@alice@mastodon.example",
            utc(2024, 2, 12, 9, 15, 0),
            0,
            "poll",
            4,
            2,
            None,
            EXPORTED,
        ),
    ]


def test_a_time_without_its_zone_is_refused_with_its_json_path(tmp_path: Path) -> None:
    entries = items()
    entries[2]["object"]["published"] = "2022-11-08T19:00:05"
    posts, _ = read_all(write_outbox(tmp_path / "outbox.json", outbox(entries)))
    assert posts[0] == EXPECTED[0]
    error = posts[1]
    assert isinstance(error, InputError)
    assert error.column == "orderedItems[2].object.published"
    assert error.got == "'2022-11-08T19:00:05'"
    assert "time zone" in error.expected
    assert posts[2] == EXPECTED[2]


def test_broken_json_names_its_line(tmp_path: Path) -> None:
    text = json.dumps(outbox(), indent=1)
    path = tmp_path / "outbox.json"
    path.write_text(text[: len(text) // 2])
    source = MastodonOutboxSource()
    assert source.sniff(read_head(str(path)), str(path))
    with pytest.raises(InputError) as caught:
        list(source.read(str(path)))
    assert caught.value.line == text[: len(text) // 2].count("\n") + 1
    assert "valid JSON" in caught.value.expected


def test_a_zip_without_an_outbox_is_not_an_archive(tmp_path: Path) -> None:
    archive = write_archive(tmp_path / "media.zip", with_outbox=False)
    source = MastodonOutboxSource()
    assert not source.sniff(read_head(archive), archive)
    with pytest.raises(InputError, match=r"a zip without outbox\.json"):
        load_archive(archive)


def test_only_outboxes_are_claimed(tmp_path: Path) -> None:
    source = MastodonOutboxSource()

    def claims(path: str) -> bool:
        return source.sniff(read_head(path), path)

    assert claims(write_outbox(tmp_path / "outbox.json"))
    assert claims(write_outbox(tmp_path / "empty.json", outbox([])))
    likes = tmp_path / "likes.json"
    likes.write_text(
        '{"id":"likes.json","type":"OrderedCollection","orderedItems":["https://x/1"]}'
    )
    assert not claims(str(likes))
    samples = [
        str(p)
        for p in (SHARED / "realdata").rglob("*")
        if p.is_file() and not p.name.startswith("LICENSE")
    ]
    assert len(samples) >= 20
    assert [path for path in samples if claims(path)] == []
    # And the TikTok sources leave the archive alone.
    archive = write_archive(tmp_path / "archive.zip")
    head = read_head(archive)
    assert [cls.name for cls in TIKTOK_SOURCES if cls().sniff(head, archive)] == []


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>one</p><p>two</p>", "one\n\ntwo"),
        ("line<br>break<br/>again", "line\nbreak\nagain"),
        ("<p>a &amp; b &lt;i&gt; &#128512;</p>", "a & b <i> 😀"),
        ("<p>x</p><script>alert(1)</script><style>p{}</style><p>y</p>", "x\n\ny"),
        ("<p>unclosed <b>bold", "unclosed bold"),
        ("", ""),
    ],
)
def test_html_becomes_plain_text(html: str, text: str) -> None:
    assert html_to_text(html) == text
