"""Instagram's past insights from "Download your information" (FORMATS.md section 3b).

The fixtures in ``fixtures/instagram_dyi`` are written as FORMATS.md describes the real files:
one ``organic_insights_*`` list per file, numbers as strings in ``string_map_data`` entries
(``{"href": "", "value": "3,781", "timestamp": 0}``), the post's ``Creation timestamp`` in Unix
seconds, the caption in ``media_map_data["Media thumbnail"].title``, and text as UTF-8 bytes
escaped one by one (``India\\u00e2\\u0080\\u0099s``). Labels of the reach file other than those
FORMATS.md names are illustrative; the value spellings are the documented ones.
"""

from __future__ import annotations

import calendar
import importlib
import json
import os
import pkgutil
import shutil
import zipfile
from typing import TYPE_CHECKING, Any

import pytest

import smtui.builtins
from smtui.builtins.meta_export import InstagramInsightsSource, register_sources
from smtui.core.importing import import_files
from smtui.sources.csvfile import read_head
from smtui.sources.errors import InputError
from smtui.sources.records import AccountSnapshotRecord, PostRecord

from .conftest import ROOT, SHARED

if TYPE_CHECKING:
    import sqlite3
    from pathlib import Path

    from smtui.sources.base import DataSource

FIXTURES = ROOT / "tests" / "fixtures" / "instagram_dyi"
POSTS = FIXTURES / "posts.json"
REACH = FIXTURES / "profiles_reached.json"
ENGAGEMENTS = "likes + comments + shares + saves (added up by smtui: the download has no total)"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    return calendar.timegm((year, month, day, hour, minute, 0))


EXPORTED = utc(2024, 12, 21, 9, 30)  # the time the download was made (its files' time)


def copy(source: Path, target: Path, when: int = EXPORTED) -> str:
    shutil.copyfile(source, target)
    os.utime(target, (when, when))
    return str(target)


def read(path: str, account: str = "") -> list[Any]:
    return list(InstagramInsightsSource({"account": account}).read(path))


def builtin_sources() -> list[DataSource]:
    """Every built-in source that needs no options, as an import without a config has them."""
    found: list[type[DataSource]] = []
    for module in pkgutil.iter_modules(smtui.builtins.__path__, "smtui.builtins."):
        hook = getattr(importlib.import_module(module.name), "register_sources", None)
        if hook is not None:
            hook(found.append)
    return [cls() for cls in found if not any(option.required for option in cls.options)]


def claimed_by(path: str) -> list[str]:
    head = read_head(path)
    return [source.name for source in builtin_sources() if source.sniff(head, path)]


def download_zip(path: Path, members: dict[str, bytes], when: int = EXPORTED) -> str:
    """A download zip holding ``members``, each dated ``when`` (zips keep local time)."""
    import time

    stamp = time.localtime(when)[:6]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=stamp), data)
    return str(path)


def a_download(path: Path, posts: bytes | None = None, when: int = EXPORTED) -> str:
    """A download as Accounts Center zips it: the insights among other files of the account."""
    return download_zip(
        path,
        {
            "personal_information/personal_information.json": b'{"profile_user": []}',
            "media/posts/202409/17890_n.jpg": b"\xff\xd8\xff\xe0 not really a jpeg",
            "your_instagram_activity/messages/inbox/ana_1/message_1.json": b'{"messages": []}',
            "logged_information/past_instagram_insights/posts.json": posts or POSTS.read_bytes(),
            "logged_information/past_instagram_insights/profiles_reached.json": REACH.read_bytes(),
        },
        when,
    )


def test_hook_registers_the_source_which_needs_no_configuration() -> None:
    registered: list[type[DataSource]] = []
    register_sources(registered.append)
    assert InstagramInsightsSource in registered
    assert InstagramInsightsSource.platform == "instagram"
    assert [option.name for option in InstagramInsightsSource.options] == ["account"]
    assert not any(option.required for option in InstagramInsightsSource.options)


def test_posts_read_exactly_as_the_download_has_them(tmp_path: Path) -> None:
    path = copy(POSTS, tmp_path / "posts.json")
    newest, middle, oldest = read(path, account="@solarcafe")
    assert isinstance(oldest, PostRecord)
    assert oldest == PostRecord(
        "instagram",
        "created-1726835400",
        account="solarcafe",
        published_at=utc(2024, 9, 20, 12, 30),
        text="India’s first solar café — what we learned",
        metrics={
            "impressions": 3781,
            "reach": 2914,
            "likes": 412,
            "comments": 37,
            "shares": 18,
            "saves": 64,
            "profile_visits": 51,
            "follows": 9,
            "engagements": 412 + 37 + 18 + 64,
        },
        extra={"engagements_definition": ENGAGEMENTS},
        captured_at=EXPORTED,
    )
    assert middle.text == "Behind the scenes \U0001f3ac\nPart 2 tomorrow"  # emoji bytes decoded
    assert (middle.metrics["impressions"], middle.metrics["reach"]) == (1204, 1019)
    # A post without a thumbnail has no caption, and no Follows entry means none reported.
    assert (newest.external_id, newest.text, "follows" in newest.metrics) == (
        "created-1733047200",
        "",
        False,
    )
    assert not newest.day_only and newest.published_at == utc(2024, 12, 1, 10)


def test_account_insights_become_one_snapshot_at_the_export_time(tmp_path: Path) -> None:
    path = copy(REACH, tmp_path / "profiles_reached.json")
    [snapshot] = read(path)
    assert snapshot == AccountSnapshotRecord(
        "instagram",
        "",
        EXPORTED,
        extra={
            "insights_reach": {
                "accounts_reached": 3781,
                "accounts_reached_change": 12.74,
                "accounts_reached_change_compared_with": "Jun 24 - Sep 21",
                "accounts_reached_change_definition": (
                    "change against the period compared with, as a fraction (+1.5 = +150%)"
                ),
                "followers": 0.33,
                "followers_definition": "a fraction (Instagram writes percents)",
                "non_followers": 0.67,
                "non_followers_definition": "a fraction (Instagram writes percents)",
                "impressions": 12408,
                "date_range_start": "2024-09-22",
                "date_range_end": "2024-12-20",
            }
        },
        exported_at=EXPORTED,
    )


def test_a_period_without_a_year_is_the_latest_one_ending_by_the_export(tmp_path: Path) -> None:
    document = json.loads(REACH.read_text())
    entries = document["organic_insights_reach"][0]["string_map_data"]
    entries["Date range"]["value"] = "Nov 22 - Jan 20"
    path = tmp_path / "profiles_reached.json"
    path.write_text(json.dumps(document))
    os.utime(path, (utc(2026, 1, 21, 8), utc(2026, 1, 21, 8)))
    [snapshot] = read(str(path))
    values = snapshot.extra["insights_reach"]
    assert (values["date_range_start"], values["date_range_end"]) == ("2025-11-22", "2026-01-20")


def test_the_files_are_recognised_by_content_and_by_this_source_only(tmp_path: Path) -> None:
    renamed = copy(POSTS, tmp_path / "download-part-3.txt")
    reach = copy(REACH, tmp_path / "whatever.json")
    assert claimed_by(renamed) == ["instagram_insights"]
    assert claimed_by(reach) == ["instagram_insights"]
    assert claimed_by(a_download(tmp_path / "instagram-solarcafe.zip")) == ["instagram_insights"]


def test_no_real_sample_of_another_format_is_claimed() -> None:
    source = InstagramInsightsSource()
    samples = sorted(p for p in (SHARED / "realdata").rglob("*") if p.is_file())
    assert len(samples) >= 20
    for sample in samples:
        assert not source.sniff(read_head(str(sample)), str(sample)), sample


@pytest.mark.parametrize(
    "text",
    [
        b"",
        b'{"orderedItems": []}',
        b'{"profile_user": [{"string_map_data": {}}]}',
        b'[{"organic_insights_posts": []}]',
        b'{"title": "x", "organic_insights_posts": []}',
        b"Post ID,Account ID,Account username\n",
    ],
)
def test_other_json_and_text_is_not_claimed(tmp_path: Path, text: bytes) -> None:
    path = tmp_path / "other.json"
    path.write_bytes(text)
    assert not InstagramInsightsSource().sniff(text, str(path))


def test_a_zip_without_insights_is_not_claimed(tmp_path: Path) -> None:
    archive = download_zip(
        tmp_path / "other.zip",
        {"posts.json": b'{"posts": []}', "profiles_reached.json": b"not json"},
    )
    assert not InstagramInsightsSource().sniff(read_head(archive), archive)
    with pytest.raises(InputError) as caught:
        read(archive)
    assert caught.value.got == "a zip without insights files"


def test_the_download_zip_imports_once_and_a_later_one_updates(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    first = a_download(tmp_path / "first.zip")
    [result] = import_files(conn, [first], builtin_sources())
    [again] = import_files(conn, [first], builtin_sources())
    later_posts = POSTS.read_text().replace('"value": "412"', '"value": "430"')
    later = a_download(tmp_path / "later.zip", later_posts.encode(), when=EXPORTED + 86_400)
    [updated] = import_files(conn, [later], builtin_sources())

    assert (result.path, result.format, result.new, result.snapshots) == (
        first,
        "instagram_insights",
        4,
        3,
    )
    assert result.exported_at == EXPORTED
    assert (again.new, again.updated, again.unchanged) == (0, 0, 4)
    assert (updated.new, updated.updated, updated.unchanged) == (1, 1, 2)  # a day, a post
    assert conn.execute(
        "SELECT external_id, likes, engagements, metrics_at FROM posts ORDER BY published_at"
    ).fetchall() == [
        ("created-1726835400", 430, 549, EXPORTED + 86_400),
        ("created-1727690100", 96, 124, EXPORTED),
        ("created-1733047200", 40, 48, EXPORTED),
    ]
    assert conn.execute(
        "SELECT p.external_id, s.captured_at, s.likes FROM post_history s"
        " JOIN posts p ON p.id = s.post_id WHERE p.external_id = 'created-1726835400'"
        " ORDER BY s.captured_at"
    ).fetchall() == [
        ("created-1726835400", EXPORTED, 412),
        ("created-1726835400", EXPORTED + 86_400, 430),
    ]
    assert conn.execute("SELECT taken_at FROM account_snapshots ORDER BY 1").fetchall() == [
        (EXPORTED,),
        (EXPORTED + 86_400,),
    ]
    assert conn.execute("SELECT exported_at FROM sync_log ORDER BY id").fetchall() == [
        (EXPORTED,),
        (EXPORTED,),
        (EXPORTED + 86_400,),
    ]


def test_the_command_line_says_what_it_detected(cli: Any, tmp_path: Path) -> None:
    path = copy(POSTS, tmp_path / "posts.json")
    result = cli("import", path)
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines() == [
        f"Imported {path} (instagram_insights, detected): 3 new, 0 updated, 0 unchanged, 0 skipped",
        "Total: 1 file, 3 new, 0 updated, 0 unchanged, 0 skipped",
    ]


# --- bad input ---------------------------------------------------------------------------------


def posts_document() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(POSTS.read_text())
    return document


def write_json(path: Path, document: object) -> str:
    path.write_text(json.dumps(document, indent=2))
    os.utime(path, (EXPORTED, EXPORTED))
    return str(path)


def test_a_bad_number_names_its_json_path(tmp_path: Path) -> None:
    document = posts_document()
    document["organic_insights_posts"][1]["string_map_data"]["Likes"]["value"] = "lots"
    first, error, last = read(write_json(tmp_path / "posts.json", document))
    assert isinstance(first, PostRecord) and isinstance(last, PostRecord)
    assert isinstance(error, InputError)
    assert error.message == (
        f'{tmp_path / "posts.json"} column "organic_insights_posts[1].string_map_data.Likes.value":'
        " expected a whole number, like \"3,781\", got 'lots'"
    )


def test_a_post_without_its_creation_time_cannot_be_keyed(tmp_path: Path) -> None:
    document = posts_document()
    del document["organic_insights_posts"][0]["string_map_data"]["Creation timestamp"]
    document["organic_insights_posts"][2]["string_map_data"]["Creation timestamp"] = {
        "timestamp": 0
    }
    missing, good, zero = read(write_json(tmp_path / "posts.json", document))
    assert isinstance(good, PostRecord)
    assert (missing.column, missing.got) == (
        "organic_insights_posts[0].string_map_data",
        "no such entry",
    )
    assert (zero.column, zero.got) == (
        "organic_insights_posts[2].string_map_data.Creation timestamp.timestamp",
        "0",
    )
    assert 'the post\'s "Creation timestamp" in Unix seconds' in zero.expected


def test_an_item_of_another_shape_is_an_error_in_place(tmp_path: Path) -> None:
    document = posts_document()
    document["organic_insights_posts"].insert(1, ["not", "an", "item"])
    items = read(write_json(tmp_path / "posts.json", document))
    assert [type(item).__name__ for item in items] == [
        "PostRecord",
        "InputError",
        "PostRecord",
        "PostRecord",
    ]
    assert (items[1].column, items[1].got) == ("organic_insights_posts[1]", "a list")


def test_a_download_cut_short_names_where_it_stops_and_imports_nothing(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    text = POSTS.read_text()
    path = tmp_path / "posts.json"
    path.write_text(text[: len(text) * 2 // 3])
    with pytest.raises(InputError) as caught:
        import_files(conn, [str(path)], builtin_sources(), skip_bad_rows=True)
    error = caught.value
    assert error.line == text[: len(text) * 2 // 3].count("\n") + 1
    assert error.got is not None and error.got.startswith("the end of the file (it was cut short)")
    assert error.hint == "download the export again"
    assert conn.execute("SELECT count(*) FROM posts").fetchone() == (0,)


def test_a_file_in_another_encoding_is_refused_with_its_line(tmp_path: Path) -> None:
    text = POSTS.read_text().replace("\\u00c3\\u00a9", "\u00e9")  # café saved as Latin-1
    path = tmp_path / "posts.json"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(InputError) as caught:
        read(str(path))
    assert caught.value.got == "the byte 0xE9 (the file is in another encoding)"
    assert caught.value.line == text[: text.index("\u00e9")].count("\n") + 1
