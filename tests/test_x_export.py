"""X (Twitter) exports: the legacy tweet and daily files, and the current content (2025 and 2026
headers) and overview files, written here exactly as FORMATS.md section 1 documents them."""

from __future__ import annotations

import calendar
import os
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smtui.builtins.x_export import (
    XContentSource,
    XDailySource,
    XOverviewSource,
    XTweetsSource,
    register_sources,
)
from smtui.core.importing import import_files
from smtui.errors import ConfigError
from smtui.options import apply_options, zone_option
from smtui.sources.base import SNIFF_BYTES, DataSource
from smtui.sources.cells import CellError
from smtui.sources.errors import InputError
from smtui.sources.records import AccountSnapshotRecord, PostRecord
from smtui.sources.x_exports import (
    SNOWFLAKE_EPOCH_MS,
    DayReader,
    account_from_link,
    exact_time,
    parse_x_count,
    parse_x_day,
    parse_x_id,
    parse_x_time,
    time_from_id,
)

from .conftest import SHARED

if TYPE_CHECKING:
    import sqlite3
    from pathlib import Path

    from smtui.sources.records import Record

REALDATA = SHARED / "realdata"
NOW = 1_790_000_000

# --- the documented headers, verbatim -----------------------------------------------------------

TWEETS_HEADER = (
    '"Tweet id","Tweet permalink","Tweet text","time","impressions","engagements",'
    '"engagement rate","retweets","replies","likes","user profile clicks","url clicks",'
    '"hashtag clicks","detail expands","permalink clicks","app opens","app installs","follows",'
    '"email tweet","dial phone","media views","media engagements","promoted impressions",'
    '"promoted engagements","promoted engagement rate","promoted retweets","promoted replies",'
    '"promoted likes","promoted user profile clicks","promoted url clicks",'
    '"promoted hashtag clicks","promoted detail expands","promoted permalink clicks",'
    '"promoted app opens","promoted app installs","promoted follows","promoted email tweet",'
    '"promoted dial phone","promoted media views","promoted media engagements"'
)
DAILY_HEADER = (
    '"Date","Tweets published","impressions","engagements","engagement rate","retweets",'
    '"replies","likes","user profile clicks","url clicks","hashtag clicks","detail expands",'
    '"permalink clicks","app opens","app installs","follows","email tweet","dial phone",'
    '"media views","media engagements","promoted impressions","promoted engagements",'
    '"promoted engagement rate","promoted retweets","promoted replies","promoted likes",'
    '"promoted user profile clicks","promoted url clicks","promoted hashtag clicks",'
    '"promoted detail expands","promoted permalink clicks","promoted app opens",'
    '"promoted app installs","promoted follows","promoted email tweet","promoted dial phone",'
    '"promoted media views","promoted media engagements"'
)
CONTENT_2025_HEADER = (
    "Post id,Date,Post text,Link,Impressions,Likes,Engagements,Bookmarks,Share,New follows,"
    "Replies,Reposts,Profile visits,Detail expands,Url clicks,Hashtag clicks,Permalink clicks"
)
CONTENT_2026_HEADER = (
    "Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Shares,"
    "New follows,Replies,Reposts,Profile visits,Detail Expands,URL Clicks,Hashtag Clicks,"
    "Permalink Clicks"
)
OVERVIEW_HEADER = (
    "Date,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,Unfollows,Replies,Reposts,"
    "Profile visits,Create Post,Video views,Media views"
)

# Snowflake ids minted at known moments (milliseconds since 2010-11-04 01:42:54.657 UTC, shifted
# left 22 bits, plus a sequence number), worked out by hand for these tests.
ID_2021_12_31 = "1476946120528732851"  # 2021-12-31 15:59:30.123 UTC
ID_2021_12_30 = "1476479428224614405"  # 2021-12-30 09:05:02.007 UTC
ID_2025_03_20 = "1902783241778102391"  # 2025-03-20 18:04:11.500 UTC
ID_2025_03_19 = "1902261254353846273"  # 2025-03-19 07:30:00.000 UTC
ID_2026_08_22 = "2091159742096343193"  # 2026-08-22 13:45:09.042 UTC
ID_2026_08_21 = "2090622413833240578"  # 2026-08-21 02:10:00.001 UTC
ID_2026_08_02 = "2084059166929846275"  # 2026-08-02 23:30:00.000 UTC


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> int:
    return calendar.timegm((year, month, day, hour, minute, second))


def quoted(*cells: str) -> str:
    """A row the way the legacy exports write it: every field double-quoted."""
    return ",".join('"' + cell.replace('"', '""') + '"' for cell in cells)


def write(path: Path, lines: list[str], *, newline: str = "\n", bom: bool = False) -> str:
    data = newline.join(lines) + newline
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8"))
    os.utime(path, (NOW - 60, NOW - 60))
    return str(path)


def read_all(source: DataSource, path: str) -> list[Record | InputError]:
    return list(source.read(path))


def only_errors(items: list[Record | InputError]) -> list[InputError]:
    return [item for item in items if isinstance(item, InputError)]


def sniffs(source: DataSource, path: str) -> bool:
    with open(path, "rb") as handle:
        return source.sniff(handle.read(SNIFF_BYTES), path)


ALL_SOURCES: list[DataSource] = [
    XTweetsSource(),
    XDailySource(),
    XContentSource(),
    XOverviewSource(),
]

# --- fixtures: one file per format -------------------------------------------------------------

NOT_PROMOTED = ["-"] * 18


def tweets_lines() -> list[str]:
    """A legacy tweet activity export (2021): newest first, floats for counts 0-14."""
    return [
        TWEETS_HEADER,
        quoted(
            ID_2021_12_31,
            f"https://twitter.com/samrivera_io/status/{ID_2021_12_31}",
            'Pricing pages &amp; "discovery calls":\nwhat 12 calls taught me &lt;3',
            "2021-12-31 15:59 +0000",
            *("104.0", "4.0", "0.038461538461538464", "1.0", "0.0", "2.0", "1.0", "0.0"),
            *("0.0", "0.0", "0.0"),
            *("0", "0", "0", "0", "0", "0", "0"),
            *NOT_PROMOTED,
        ),
        quoted(
            ID_2021_12_30,
            f"https://twitter.com/samrivera_io/status/{ID_2021_12_30}",
            "A promoted one",
            "2021-12-30 09:05 +0000",
            *("2424.0", "60.0", "0.024752475247524754", "3.0", "2.0", "40.0", "5.0", "7.0"),
            *("1.0", "2.0", "0.0"),
            *("0", "0", "1", "0", "0", "12", "3"),
            *("1500", "30", "0.02", "1", "0", "20", "2", "5"),
            *("0", "1", "0", "0", "0", "1", "0", "0", "8", "2"),
        ),
        quoted(
            "20",  # a 2006 id, older than Snowflake: its time comes from the time column
            "https://twitter.com/jack/status/20",
            "just setting up my twttr",
            "2006-03-21 20:50 +0000",
            *("1.0", "0.0", "0.0", "0.0", "0.0", "0.0", "0.0", "0.0", "0.0", "0.0", "0.0"),
            *("0", "0", "0", "0", "0", "0", "0"),
            *NOT_PROMOTED,
        ),
    ]


def daily_lines() -> list[str]:
    """A legacy daily export: oldest first, ISO dates, plain ints."""
    organic = ("0", "0", "0", "0", "0", "0", "0", "0")  # permalink clicks .. media engagements
    return [
        DAILY_HEADER,
        quoted(
            "2021-08-01",
            "2",
            "345",
            "17",
            "0.04927536231884058",
            "1",
            "2",
            "9",
            "3",
            "1",
            "0",
            "1",
            *organic,
            *NOT_PROMOTED,
        ),
        quoted(
            "2021-08-02",
            "0",
            "80",
            "2",
            "0.025",
            "0",
            "0",
            "2",
            "0",
            "0",
            "0",
            "0",
            *organic,
            *NOT_PROMOTED,
        ),
    ]


def content_2025_lines() -> list[str]:
    """The early-2025 content export: CRLF, unquoted ``Thu Mar 20 2025`` dates."""
    return [
        CONTENT_2025_HEADER,
        f'{ID_2025_03_20},Thu Mar 20 2025,"Pricing, honestly",'
        f"https://x.com/samrivera_io/status/{ID_2025_03_20},1520,31,64,4,2,3,5,7,9,11,6,0,1",
        f"{ID_2025_03_19},Wed Mar 19 2025,@ana_builds agreed,"
        f"https://x.com/samrivera_io/status/{ID_2025_03_19},88,1,2,0,0,0,1,0,0,1,0,0,0",
    ]


def content_2026_lines() -> list[str]:
    """The 2026 content export: LF, quoted ``"Sat, Aug 22, 2026"`` dates, a multi-line text."""
    return [
        CONTENT_2026_HEADER,
        f'{ID_2026_08_22},"Sat, Aug 22, 2026","Three things, one thread:\n1. ""ship""\n2. learn",'
        f"https://x.com/samrivera_io/status/{ID_2026_08_22},"
        '"1,234",40,97,6,3,2,8,5,12,30,9,1,4',
        f'{ID_2026_08_21},"Fri, Aug 21, 2026",@ana_builds thanks!,'
        f"https://x.com/samrivera_io/status/{ID_2026_08_21},57,2,3,0,0,0,0,0,1,0,0,0,0",
        f'{ID_2026_08_02},"Sun, Aug 2, 2026",gm,'
        f"https://x.com/samrivera_io/status/{ID_2026_08_02},10,0,0,0,0,0,0,0,0,0,0,0,0",
    ]


def overview_lines() -> list[str]:
    """The account overview export: newest first, quoted ``"Fri, Mar 21, 2025"`` dates."""
    return [
        OVERVIEW_HEADER,
        '"Fri, Mar 21, 2025",4210,88,301,12,5,9,2,14,6,40,3,120,410',
        '"Thu, Mar 20, 2025",3900,70,250,8,4,6,1,10,5,33,2,95,380',
    ]


FIXTURES = {
    "x_tweets": tweets_lines,
    "x_daily": daily_lines,
    "x_content_2025": content_2025_lines,
    "x_content_2026": content_2026_lines,
    "x_overview": overview_lines,
}


# --- registration and detection -----------------------------------------------------------------


def test_hook_registers_the_four_sources() -> None:
    registered: list[type] = []
    register_sources(registered.append)
    assert [cls.name for cls in registered] == ["x_tweets", "x_daily", "x_content", "x_overview"]
    assert all(cls.platform == "x" for cls in registered)
    assert hasattr(register_sources, "smtui_impl")


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
@pytest.mark.parametrize(("newline", "bom"), [("\n", False), ("\r\n", False), ("\r\n", True)])
def test_each_file_is_claimed_by_exactly_one_x_source(
    tmp_path: Path, fixture: str, newline: str, bom: bool
) -> None:
    path = write(tmp_path / "renamed.csv", FIXTURES[fixture](), newline=newline, bom=bom)
    claimed = [source.name for source in ALL_SOURCES if sniffs(source, path)]
    assert claimed == [fixture.removesuffix("_2025").removesuffix("_2026")]


def test_no_x_source_claims_the_other_real_exports() -> None:
    files = sorted(p for p in REALDATA.rglob("*") if p.is_file())
    assert len(files) > 10  # the real samples are there
    for path in files:
        claimed = [source.name for source in ALL_SOURCES if sniffs(source, str(path))]
        assert claimed == [], path


def test_sniff_refuses_empty_binary_and_look_alike_files() -> None:
    for source in ALL_SOURCES:
        assert not source.sniff(b"", "a.csv")
        assert not source.sniff(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 64, "a.xls")
    # A Meta Facebook export has a Post ID too, but it is a page's, not an X post's.
    meta_like = b'"Post ID","Page ID","Post text",Link,Impressions,Date\n1,2,hi,u,3,Lifetime\n'
    assert not XContentSource().sniff(meta_like, "posts.csv")


# --- 1a legacy tweet activity -------------------------------------------------------------------


@pytest.mark.parametrize(("newline", "bom"), [("\n", False), ("\r\n", True)])
def test_legacy_tweets(tmp_path: Path, newline: str, bom: bool) -> None:
    path = write(tmp_path / "tweets.csv", tweets_lines(), newline=newline, bom=bom)
    first, promoted, oldest = read_all(XTweetsSource(), path)
    assert first == PostRecord(
        "x",
        ID_2021_12_31,
        account="samrivera_io",
        published_at=utc(2021, 12, 31, 15, 59, 30),  # the second from the id, in the minute
        day_only=False,
        text='Pricing pages & "discovery calls":\nwhat 12 calls taught me <3',
        url=f"https://twitter.com/samrivera_io/status/{ID_2021_12_31}",
        metrics={
            "impressions": 104,
            "engagements": 4,
            "shares": 1,
            "comments": 0,
            "likes": 2,
            "profile_visits": 1,
            "link_clicks": 0,
            "follows": 0,
        },
        extra={
            "engagement_rate": 0.038461538461538464,
            "engagement_rate_definition": "engagements / impressions (X)",
            "hashtag_clicks": 0,
            "detail_expands": 0,
            "permalink_clicks": 0,
            "app_opens": 0,
            "app_installs": 0,
            "email_tweet": 0,
            "dial_phone": 0,
            "media_views": 0,
            "media_engagements": 0,
        },
    )
    assert isinstance(promoted, PostRecord)
    assert promoted.published_at == utc(2021, 12, 30, 9, 5, 2)
    assert promoted.metrics["impressions"] == 2424
    assert promoted.metrics["follows"] == 1
    assert {k: v for k, v in promoted.extra.items() if k.startswith("promoted")} == {
        "promoted_impressions": 1500,
        "promoted_engagements": 30,
        "promoted_engagement_rate": 0.02,
        "promoted_engagement_rate_definition": "engagements / impressions (X)",
        "promoted_shares": 1,
        "promoted_comments": 0,
        "promoted_likes": 20,
        "promoted_profile_visits": 2,
        "promoted_link_clicks": 5,
        "promoted_hashtag_clicks": 0,
        "promoted_detail_expands": 1,
        "promoted_permalink_clicks": 0,
        "promoted_app_opens": 0,
        "promoted_app_installs": 0,
        "promoted_follows": 1,
        "promoted_email_tweet": 0,
        "promoted_dial_phone": 0,
        "promoted_media_views": 8,
        "promoted_media_engagements": 2,
    }
    assert isinstance(oldest, PostRecord)
    assert (oldest.external_id, oldest.account) == ("20", "jack")
    assert (oldest.published_at, oldest.day_only) == (utc(2006, 3, 21, 20, 50), False)


def test_legacy_tweets_2015_variant_says_favorites(tmp_path: Path) -> None:
    header = TWEETS_HEADER.replace('"likes"', '"favorites"').replace(
        '"promoted likes"', '"promoted favorites"'
    )
    path = write(tmp_path / "tweets.csv", [header, tweets_lines()[2]])
    [post] = read_all(XTweetsSource(), path)
    assert isinstance(post, PostRecord)
    assert (post.metrics["likes"], post.extra["promoted_likes"]) == (40, 20)


# --- 1b legacy daily ----------------------------------------------------------------------------


def test_legacy_daily(tmp_path: Path) -> None:
    path = write(tmp_path / "daily.csv", daily_lines())
    first, second = read_all(XDailySource(), path)
    assert first == AccountSnapshotRecord(
        "x",
        "",
        utc(2021, 8, 1),
        extra={
            "day": "2021-08-01",
            "day_only": True,
            "posts_published": 2,
            "impressions": 345,
            "engagements": 17,
            "engagement_rate": 0.04927536231884058,
            "engagement_rate_definition": "engagements / impressions (X)",
            "shares": 1,
            "comments": 2,
            "likes": 9,
            "profile_visits": 3,
            "link_clicks": 1,
            "hashtag_clicks": 0,
            "detail_expands": 1,
            "permalink_clicks": 0,
            "app_opens": 0,
            "app_installs": 0,
            "follows": 0,
            "email_tweet": 0,
            "dial_phone": 0,
            "media_views": 0,
            "media_engagements": 0,
        },
    )
    assert isinstance(second, AccountSnapshotRecord)
    assert second.taken_at == utc(2021, 8, 2)
    assert second.extra["engagement_rate"] == 0.025


def test_days_are_midnight_in_the_configured_zone(tmp_path: Path) -> None:
    options = apply_options(
        XDailySource.options, {"timezone": "America/New_York", "account": "@samrivera_io"}, "t"
    )
    source = XDailySource(options, "x_daily")
    first, _ = read_all(source, write(tmp_path / "daily.csv", daily_lines()))
    assert isinstance(first, AccountSnapshotRecord)
    assert (first.account, first.taken_at) == ("samrivera_io", utc(2021, 8, 1, 4))  # EDT
    assert first.extra["day"] == "2021-08-01"


def test_an_unknown_zone_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as caught:
        XOverviewSource({"timezone": "Mars/Olympus"}, "mine")
    assert caught.value.message == "sources.mine.timezone: unknown time zone 'Mars/Olympus'"


# --- 1c current content export, both vintages ---------------------------------------------------


def test_content_2025_vintage(tmp_path: Path) -> None:
    path = write(tmp_path / "content.csv", content_2025_lines(), newline="\r\n")
    first, reply = read_all(XContentSource(), path)
    assert first == PostRecord(
        "x",
        ID_2025_03_20,
        account="samrivera_io",
        published_at=utc(2025, 3, 20, 18, 4, 11),  # from the id: the file gives the day only
        day_only=False,
        text="Pricing, honestly",
        url=f"https://x.com/samrivera_io/status/{ID_2025_03_20}",
        metrics={
            "impressions": 1520,
            "likes": 31,
            "engagements": 64,
            "saves": 4,
            "follows": 3,
            "comments": 5,
            "shares": 7,
            "profile_visits": 9,
            "link_clicks": 6,
        },
        extra={
            "share_menu_shares": 2,
            "detail_expands": 11,
            "hashtag_clicks": 0,
            "permalink_clicks": 1,
        },
    )
    assert isinstance(reply, PostRecord)
    assert (reply.text, reply.published_at) == ("@ana_builds agreed", utc(2025, 3, 19, 7, 30))


def test_content_2026_vintage(tmp_path: Path) -> None:
    path = write(tmp_path / "content.csv", content_2026_lines())
    thread, reply, single_digit_day = read_all(XContentSource(), path)
    assert thread == PostRecord(
        "x",
        ID_2026_08_22,
        account="samrivera_io",
        published_at=utc(2026, 8, 22, 13, 45, 9),
        text='Three things, one thread:\n1. "ship"\n2. learn',
        url=f"https://x.com/samrivera_io/status/{ID_2026_08_22}",
        metrics={
            "impressions": 1234,  # written "1,234"
            "likes": 40,
            "engagements": 97,
            "saves": 6,
            "follows": 2,
            "comments": 8,
            "shares": 5,
            "profile_visits": 12,
            "link_clicks": 9,
        },
        extra={
            "share_menu_shares": 3,
            "detail_expands": 30,
            "hashtag_clicks": 1,
            "permalink_clicks": 4,
        },
    )
    assert isinstance(reply, PostRecord)
    assert reply.published_at == utc(2026, 8, 21, 2, 10)
    assert isinstance(single_digit_day, PostRecord)
    assert single_digit_day.published_at == utc(2026, 8, 2, 23, 30)


def test_a_post_id_that_disagrees_with_the_day_keeps_the_day_only(tmp_path: Path) -> None:
    options = apply_options(XContentSource.options, {"timezone": "Europe/Paris"}, "t")
    lines = [CONTENT_2026_HEADER, f'{ID_2025_03_20},"Sat, Aug 22, 2026",hi,,1,,,,,,,,,,,,']
    [post] = read_all(XContentSource(options, None), write(tmp_path / "c.csv", lines))
    assert isinstance(post, PostRecord)
    assert (post.published_at, post.day_only) == (utc(2026, 8, 21, 22), True)  # Paris midnight
    assert post.account == ""  # no link
    assert post.metrics == dict.fromkeys(
        ("likes", "engagements", "saves", "follows", "comments", "shares", "profile_visits"),
        None,
    ) | {"impressions": 1, "link_clicks": None}
    assert post.extra == {}


def test_columns_are_found_by_name_in_any_order_and_may_be_missing(tmp_path: Path) -> None:
    lines = [
        "Impressions,Post text,Date,Post id,Link",
        f"77,hi,Thu Mar 20 2025,{ID_2025_03_20},https://x.com/someone_else/status/1",
    ]
    [post] = read_all(XContentSource(), write(tmp_path / "c.csv", lines))
    assert isinstance(post, PostRecord)
    assert (post.external_id, post.account, post.metrics) == (
        ID_2025_03_20,
        "someone_else",
        {"impressions": 77},
    )


def test_content_import_is_idempotent_and_snapshots_changes(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    path = write(tmp_path / "account_analytics_content.csv", content_2026_lines())
    sources = ALL_SOURCES
    [first] = import_files(conn, [path], sources, now=NOW)
    assert (first.source, first.format, first.new, first.snapshots) == (
        "x_content",
        "x_content",
        3,
        3,
    )
    assert conn.execute(
        "SELECT platform, external_id, account, published_at, day_only, impressions, saves,"
        " shares, comments FROM posts ORDER BY external_id"
    ).fetchall() == [
        ("x", ID_2026_08_02, "samrivera_io", utc(2026, 8, 2, 23, 30), 0, 10, 0, 0, 0),
        ("x", ID_2026_08_21, "samrivera_io", utc(2026, 8, 21, 2, 10), 0, 57, 0, 0, 0),
        ("x", ID_2026_08_22, "samrivera_io", utc(2026, 8, 22, 13, 45, 9), 0, 1234, 6, 5, 8),
    ]
    [again] = import_files(conn, [path], sources, now=NOW + 60)
    assert (again.new, again.updated, again.unchanged, again.snapshots) == (0, 0, 3, 0)
    # A later export of the same posts: one post moved, the others did not.
    lines = content_2026_lines()
    lines[-1] = lines[-1].replace(",10,0,0,", ",25,1,0,")
    later = write(tmp_path / "account_analytics_content (1).csv", lines)
    os.utime(later, (NOW, NOW))
    [third] = import_files(conn, [later], sources, now=NOW + 120)
    assert (third.new, third.updated, third.unchanged, third.snapshots) == (0, 1, 2, 1)
    assert conn.execute("SELECT count(*) FROM posts").fetchone() == (3,)
    assert conn.execute(
        "SELECT captured_at, s.impressions, s.likes FROM post_history s JOIN posts p"
        " ON p.id = s.post_id WHERE external_id = ? ORDER BY captured_at",
        (ID_2026_08_02,),
    ).fetchall() == [(NOW - 60, 10, 0), (NOW, 25, 1)]


def test_legacy_and_current_exports_agree_on_a_post(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    """The same tweet in a 2021 legacy file and a current export is one post, one time."""
    legacy = write(tmp_path / "tweets.csv", tweets_lines()[:2])
    current = write(
        tmp_path / "content.csv",
        [
            CONTENT_2026_HEADER,
            f'{ID_2021_12_31},"Fri, Dec 31, 2021",Pricing pages,'
            f"https://x.com/samrivera_io/status/{ID_2021_12_31},200,5,9,0,0,0,0,1,1,0,0,0,0",
        ],
    )
    import_files(conn, [legacy], ALL_SOURCES, now=NOW)
    [result] = import_files(conn, [current], ALL_SOURCES, now=NOW + 1)
    assert result.source == "x_content"
    assert conn.execute("SELECT external_id, published_at, day_only FROM posts").fetchall() == [
        (ID_2021_12_31, utc(2021, 12, 31, 15, 59, 30), 0)
    ]


# --- 1d overview --------------------------------------------------------------------------------


def test_overview(tmp_path: Path) -> None:
    path = write(tmp_path / "account_overview_analytics.csv", overview_lines())
    newest, older = read_all(XOverviewSource(), path)
    assert newest == AccountSnapshotRecord(
        "x",
        "",
        utc(2025, 3, 21),
        extra={
            "day": "2025-03-21",
            "day_only": True,
            "impressions": 4210,
            "likes": 88,
            "engagements": 301,
            "saves": 12,
            "share_menu_shares": 5,
            "follows": 9,
            "unfollows": 2,
            "comments": 14,
            "shares": 6,
            "profile_visits": 40,
            "posts_published": 3,
            "video_views": 120,
            "media_views": 410,
        },
    )
    assert isinstance(older, AccountSnapshotRecord)
    assert older.taken_at == utc(2025, 3, 20)


def test_overview_import_is_idempotent(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = write(tmp_path / "account_overview_analytics.csv", overview_lines())
    [first] = import_files(conn, [path], ALL_SOURCES, now=NOW)
    assert (first.source, first.new) == ("x_overview", 2)
    # Account days only, and no export time in the file: the file's time is the export's.
    assert first.exported_at == NOW - 60
    assert conn.execute("SELECT exported_at FROM sync_log").fetchall() == [(NOW - 60,)]
    [again] = import_files(conn, [path], ALL_SOURCES, now=NOW + 1)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    assert conn.execute(
        "SELECT platform, account, taken_at, followers, source FROM account_snapshots"
        " ORDER BY taken_at"
    ).fetchall() == [
        ("x", "", utc(2025, 3, 20), None, "x_overview"),
        ("x", "", utc(2025, 3, 21), None, "x_overview"),
    ]


# --- bad input ----------------------------------------------------------------------------------


def test_bad_cells_name_line_column_and_expectation(tmp_path: Path) -> None:
    lines = content_2026_lines()
    # Line numbers count the lines of the multi-line text in row 1 (lines 2 to 4).
    lines[2] = lines[2].replace(",57,", ",lots,")
    lines[3] = lines[3].replace('"Sun, Aug 2, 2026"', '"Mon, Aug 2, 2026"')
    lines.append('1.90278E+18,"Sat, Aug 22, 2026",hi,,1,2,3,4,5,6,7,8,9,10,11,12,13')
    lines.append(
        f'{ID_2026_08_22},"Sat, Aug 22, 2026",an,unquoted,comma,https://x.com/a/status/1,1,2,3,4,5,6,7,8,9,1,2,3,4'
    )
    path = write(tmp_path / "content.csv", lines)
    items = read_all(XContentSource(), path)
    assert isinstance(items[0], PostRecord)
    assert [str(error) for error in only_errors(items)] == [
        f"{path} line 5, column \"Impressions\": expected a whole number, got 'lots'",
        f"{path} line 6, column \"Date\": expected a date like 'Sat, Aug 22, 2026',"
        " 'Thu Mar 20 2025' or 2025-03-20 (the weekday does not match the date),"
        " got 'Sun, Aug 2, 2026'".replace("Sun", "Mon"),
        f'{path} line 7, column "Post id": expected an id written out in full (a spreadsheet'
        " rounded it to scientific notation; use the original export), got '1.90278E+18'",
        f"{path} line 8: expected 17 fields like the header, got 19 (an unquoted comma in a text?)",
    ]


def test_a_bad_row_stops_the_import_and_writes_nothing(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    lines = overview_lines()
    lines[2] = lines[2].replace(",3900,", ",3.9k,")
    path = write(tmp_path / "overview.csv", lines)
    with pytest.raises(InputError) as caught:
        import_files(conn, [path], ALL_SOURCES, now=NOW)
    assert (caught.value.line, caught.value.column) == (3, "Impressions")
    assert conn.execute("SELECT count(*) FROM account_snapshots").fetchone() == (0,)
    [skipping] = import_files(conn, [path], ALL_SOURCES, now=NOW, skip_bad_rows=True)
    assert (skipping.new, skipping.skipped) == (1, 1)


def test_legacy_bad_cells(tmp_path: Path) -> None:
    lines = tweets_lines()
    lines[1] = lines[1].replace('"2021-12-31 15:59 +0000"', '"31/12/2021 15:59"')
    lines[2] = lines[2].replace('"0.024752475247524754"', '"2.5%"')
    path = write(tmp_path / "tweets.csv", lines)
    errors = only_errors(read_all(XTweetsSource(), path))
    assert [(e.line, e.column, e.expected) for e in errors] == [
        (2, "time", "a time like 2021-12-31 15:59 +0000"),
        (4, "engagement rate", "a fraction like 0.0707"),
    ]


def test_short_rows_are_padded(tmp_path: Path) -> None:
    lines = [OVERVIEW_HEADER, '"Fri, Mar 21, 2025",4210,88']
    [snapshot] = read_all(XOverviewSource(), write(tmp_path / "o.csv", lines))
    assert isinstance(snapshot, AccountSnapshotRecord)
    assert snapshot.extra == {
        "day": "2025-03-21",
        "day_only": True,
        "impressions": 4210,
        "likes": 88,
    }


def test_a_file_of_another_format_is_refused_whole(tmp_path: Path) -> None:
    path = write(tmp_path / "o.csv", overview_lines())
    with pytest.raises(InputError) as caught:
        read_all(XContentSource(), path)
    assert caught.value.expected.startswith("an X account_analytics_content export")
    assert caught.value.got is not None and caught.value.got.startswith("a header with Date,")
    empty = write(tmp_path / "e.csv", [])
    with pytest.raises(InputError):
        read_all(XTweetsSource(), empty)


# --- cells: examples ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thu Mar 20 2025", date(2025, 3, 20)),
        ("Sat, Aug 22, 2026", date(2026, 8, 22)),
        ("Sun, Aug 2, 2026", date(2026, 8, 2)),
        ("Fri, Mar 21, 2025", date(2025, 3, 21)),
        ("2021-08-01", date(2021, 8, 1)),
        (" sat, AUG 22, 2026 ", date(2026, 8, 22)),
    ],
)
def test_parse_x_day(text: str, expected: date) -> None:
    assert parse_x_day(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "-", "Lifetime", "Sat, Aug 32, 2026", "Sat, Foo 22, 2026", "Fri, Aug 22, 2026",
     "22-08-2026", "Sat, Aug 22, 26", "2026-02-30"],
)  # fmt: skip
def test_parse_x_day_refuses(text: str) -> None:
    with pytest.raises(CellError):
        parse_x_day(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-12-31 15:59 +0000", utc(2021, 12, 31, 15, 59)),
        ("2021-12-31 15:59 +0130", utc(2021, 12, 31, 14, 29)),
        ("2021-12-31 15:59 -0500", utc(2021, 12, 31, 20, 59)),
        ("2021-12-31 15:59", utc(2021, 12, 31, 15, 59)),
    ],
)
def test_parse_x_time(text: str, expected: int) -> None:
    assert parse_x_time(text) == expected


@pytest.mark.parametrize("text", ["", "2021-12-31", "12/31/2021 15:59", "2021-12-31 25:59 +0000"])
def test_parse_x_time_refuses(text: str) -> None:
    with pytest.raises(CellError):
        parse_x_time(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("424.0", 424), ("0", 0), ("1,234", 1234), ("-", None), ("", None), (" 7 ", 7)],
)
def test_parse_x_count(text: str, expected: int | None) -> None:
    assert parse_x_count(text) == expected


@pytest.mark.parametrize("text", ["-3", "4.5", "lots", "1.234"])
def test_parse_x_count_refuses(text: str) -> None:
    with pytest.raises(CellError):
        parse_x_count(text)


def test_ids_and_links() -> None:
    assert parse_x_id(" 1902783241778102391 ") == "1902783241778102391"
    with pytest.raises(CellError):
        parse_x_id("abc")
    with pytest.raises(CellError):
        parse_x_id("-")
    assert account_from_link("https://x.com/ana_builds/status/1") == "ana_builds"
    assert account_from_link("https://twitter.com/jack/status/20") == "jack"
    assert account_from_link("https://x.com/i/status/1") == ""
    assert account_from_link("https://x.com/i/web/status/1") == ""
    assert account_from_link("") == ""
    assert time_from_id(ID_2026_08_22) == utc(2026, 8, 22, 13, 45, 9)


# --- cells: properties --------------------------------------------------------------------------

DAYS = st.dates(min_value=date(2006, 3, 21), max_value=date(2099, 12, 31))


@given(DAYS)
def test_every_documented_day_spelling_reads_back(day: date) -> None:
    spellings = [
        day.strftime("%a %b %d %Y"),  # early 2025: Thu Mar 20 2025
        day.strftime("%a, %b %d, %Y"),  # 2026, zero-padded
        f"{day:%a}, {day:%b} {day.day}, {day:%Y}",  # 2026, as JavaScript writes it
        day.isoformat(),  # legacy daily
    ]
    assert [parse_x_day(text) for text in spellings] == [day] * 4


@given(DAYS, st.sampled_from(["UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo"]))
def test_a_day_is_its_midnight_in_the_zone(day: date, zone_name: str) -> None:
    zone = zone_option(zone_name, "sources.x")
    read = DayReader(zone)(f"{day:%a}, {day:%b} {day.day}, {day:%Y}")
    assert datetime.fromtimestamp(read.midnight, zone).replace(tzinfo=None) == datetime(
        day.year, day.month, day.day
    )
    assert read.number == (day - date(1970, 1, 1)).days


@given(st.datetimes(min_value=datetime(2006, 1, 1), max_value=datetime(2099, 12, 31)))
def test_legacy_times_read_back(moment: datetime) -> None:
    moment = moment.replace(second=0, microsecond=0, tzinfo=UTC)
    assert parse_x_time(f"{moment:%Y-%m-%d %H:%M} +0000") == int(moment.timestamp())


@given(st.integers(min_value=0, max_value=10**15))
def test_counts_read_back_however_x_writes_them(value: int) -> None:
    assert parse_x_count(str(value)) == value
    assert parse_x_count(f"{value}.0") == value
    assert parse_x_count(f"{value:,}") == value


@given(
    st.integers(min_value=SNOWFLAKE_EPOCH_MS, max_value=SNOWFLAKE_EPOCH_MS + (1 << 41) - 1),
    st.integers(min_value=0, max_value=(1 << 22) - 1),
)
def test_snowflake_ids_carry_their_time(ms: int, sequence: int) -> None:
    post_id = str(((ms - SNOWFLAKE_EPOCH_MS) << 22) | sequence)
    assert time_from_id(post_id) == ms // 1000
    day = datetime.fromtimestamp(ms / 1000, UTC).date()
    number = (day - date(1970, 1, 1)).days
    assert exact_time(post_id, number) == ms // 1000
    assert exact_time(post_id, number + 1) == ms // 1000  # a zone east of UTC
    far = day + timedelta(days=3)
    assert exact_time(post_id, (far - date(1970, 1, 1)).days) is None
