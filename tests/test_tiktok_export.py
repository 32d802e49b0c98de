"""TikTok exports: the four tabs as CSV and .xlsx, year-less localized dates, nulls, detection.

No real TikTok file may be redistributed here, so the fixtures are written by the tests in the
exact layout FORMATS.md section 6 documents from real exports: UTF-8 with a BOM, every field
quoted, LF line ends and no newline at the end; headers in English whatever the UI language,
dates without a year in the UI language. Video ids and dates of the Content fixtures are
taken from real exports quoted in public test suites (Vietnamese, Russian and Japanese UIs),
so the rule "an id's top 32 bits are its upload time" is checked against real pairs.
"""

from __future__ import annotations

import calendar
import importlib
import os
import pkgutil
import zipfile
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

import smtui.builtins
from smtui.builtins.tiktok_export import (
    SOURCES,
    TikTokContentSource,
    TikTokFollowersSource,
    TikTokOverviewSource,
    TikTokViewersSource,
    register_sources,
)
from smtui.core.importing import import_files
from smtui.errors import ConfigError
from smtui.sources.base import DataSource
from smtui.sources.cells import CellError
from smtui.sources.csvfile import read_head
from smtui.sources.errors import InputError
from smtui.sources.records import AccountSnapshotRecord, PostRecord
from smtui.sources.tiktok_exports import (
    MonthDay,
    latest_on_or_before,
    parse_month_day,
    resolve_post_day,
    resolve_series,
    upload_time,
)

from .conftest import SHARED

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Sequence
    from pathlib import Path

    from smtui.sources.records import Record

REALDATA = SHARED / "realdata"
OVERVIEW_HEADER = ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"]
CONTENT_HEADER = [
    "Time",
    "Video title",
    "Video link",
    "Post time",
    "Total likes",
    "Total comments",
    "Total shares",
    "Total views",
]
VIEWERS_HEADER = ["Date", "Total Viewers", "New Viewers", "Returning Viewers"]
HISTORY_HEADER = ["Date", "Followers", "Difference in followers from previous day"]
EN_MONTHS = [calendar.month_name[m] for m in range(1, 13)]
ES_MONTHS = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> int:
    return calendar.timegm((year, month, day, hour, minute, second))


def day_of(year: int, month: int, day: int) -> dict[str, object]:
    """What a daily snapshot's ``extra`` says about its date: the day, and that it is a day."""
    return {"day": f"{year:04d}-{month:02d}-{day:02d}", "day_only": True}


def tiktok_csv(path: Path, rows: Sequence[Sequence[str]], exported: int) -> str:
    """A file as TikTok Studio writes it, last modified at ``exported`` (epoch seconds)."""
    text = "\n".join(",".join(f'"{cell}"' for cell in row) for row in rows)
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    os.utime(path, (exported, exported))
    return str(path)


def business_csv(path: Path, text: str, exported: int) -> str:
    """A TikTok Business style file: BOM, minimal quoting."""
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    os.utime(path, (exported, exported))
    return str(path)


def tiktok_xlsx(path: Path, sheet: str, rows: Sequence[Sequence[str]], exported: int) -> str:
    """A minimal .xlsx with one sheet of text cells, the way SheetJS writes TikTok's."""

    def cell(row: int, col: int, text: str) -> str:
        ref = f"{chr(ord('A') + col)}{row}"
        body = escape(text)
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{body}</t></is></c>'

    data = "".join(
        f'<row r="{r}">' + "".join(cell(r, c, text) for c, text in enumerate(row)) + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package'
            '.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            f'<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}">'
            f"<sheetData>{data}</sheetData></worksheet>"
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    os.utime(path, (exported, exported))
    return str(path)


def read_all(source: DataSource, path: str) -> list[Record | InputError]:
    return list(source.read(path))


def claimed_by(path: str, sources: Sequence[DataSource] | None = None) -> list[str]:
    """The names of the sources whose sniff recognises the file."""
    head = read_head(path)
    return [s.name for s in (sources or [cls() for cls in SOURCES]) if s.sniff(head, path)]


def snapshots(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    return conn.execute(
        "SELECT account, taken_at, followers, extra, source FROM account_snapshots"
        " WHERE platform = 'tiktok' ORDER BY taken_at"
    ).fetchall()


# --- Registration -------------------------------------------------------------------------


def test_hook_registers_the_four_sources() -> None:
    registered: list[type] = []
    register_sources(registered.append)
    assert [cls.name for cls in registered] == [
        "tiktok_overview",
        "tiktok_content",
        "tiktok_viewers",
        "tiktok_followers",
    ]
    assert hasattr(register_sources, "smtui_impl")
    assert all(cls.platform == "tiktok" for cls in registered)
    assert not any(option.required for cls in registered for option in cls.options)


def test_a_bad_timezone_option_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown time zone 'Mars/Olympus'"):
        TikTokOverviewSource({"timezone": "Mars/Olympus"}, alias="tt")


# --- Overview and Viewers -----------------------------------------------------------------


def test_overview_rows_become_daily_snapshots_across_the_new_year(tmp_path: Path) -> None:
    path = tiktok_csv(
        tmp_path / "Overview.csv",
        [
            OVERVIEW_HEADER,
            ["December 30", "1441", "52", "31", "2", "11"],
            ["December 31", "undefined", "77", "57", "-2", "6"],
            ["January 1", "8806", "137", "103", "1", "5"],
        ],
        exported=utc(2026, 1, 2, 9, 30),
    )
    assert read_all(TikTokOverviewSource(), path) == [
        AccountSnapshotRecord(
            "tiktok",
            "",
            utc(2025, 12, 30),
            extra={
                "day": "2025-12-30",
                "day_only": True,
                "video_views": 1441,
                "profile_views": 52,
                "likes": 31,
                "comments": 2,
                "shares": 11,
            },
        ),
        # "undefined" is no value, never zero; TikTok does write negative day values.
        AccountSnapshotRecord(
            "tiktok",
            "",
            utc(2025, 12, 31),
            extra={
                "day": "2025-12-31",
                "day_only": True,
                "profile_views": 77,
                "likes": 57,
                "comments": -2,
                "shares": 6,
            },
        ),
        AccountSnapshotRecord(
            "tiktok",
            "",
            utc(2026, 1, 1),
            extra={
                "day": "2026-01-01",
                "day_only": True,
                "video_views": 8806,
                "profile_views": 137,
                "likes": 103,
                "comments": 1,
                "shares": 5,
            },
        ),
    ]


def test_a_365_day_window_runs_from_last_year_to_yesterday(tmp_path: Path) -> None:
    """FORMATS.md: a 365-row file runs from Feb 28 of last year to Feb 27 of this year."""
    first = date(2025, 2, 28)
    days = [first + timedelta(days=n) for n in range(365)]
    rows = [
        [f"{EN_MONTHS[d.month - 1]} {d.day}", str(n), "0", "0", "0", "0"]
        for n, d in enumerate(days)
    ]
    path = tiktok_csv(
        tmp_path / "Overview.csv", [OVERVIEW_HEADER, *rows], exported=utc(2026, 2, 28, 8)
    )
    records = read_all(TikTokOverviewSource(), path)
    assert len(records) == 365
    taken = [r.taken_at for r in records if isinstance(r, AccountSnapshotRecord)]
    assert taken[0] == utc(2025, 2, 28)
    assert taken[-1] == utc(2026, 2, 27)
    assert taken == [utc(d.year, d.month, d.day) for d in days]


def test_days_are_midnight_in_the_configured_time_zone(tmp_path: Path) -> None:
    path = tiktok_csv(
        tmp_path / "Overview.csv",
        [OVERVIEW_HEADER, ["8 de marzo", "5", "0", "1", "0", "0"]],
        exported=utc(2025, 3, 9, 12),
    )
    [record] = read_all(
        TikTokOverviewSource({"timezone": "Europe/Paris", "account": "@kenh"}), path
    )
    assert isinstance(record, AccountSnapshotRecord)
    assert record.account == "kenh"
    assert record.taken_at == utc(2025, 3, 7, 23)  # midnight in Paris, UTC+1 in March


def test_business_overview_with_full_dates_and_nan(tmp_path: Path) -> None:
    path = business_csv(
        tmp_path / "overview.csv",
        "Date,Video views,Reached audience,Profile views,Likes,Shares,Comments,"
        "Phone number clicks ,Leads submission,Net growth,New followers,Lost followers\n"
        "2025/10/31,1200,900,15,80,4,6,NAN,NAN,3,5,2\n",
        exported=utc(2025, 11, 1),
    )
    [record] = read_all(TikTokOverviewSource(), path)
    assert record == AccountSnapshotRecord(
        "tiktok",
        "",
        utc(2025, 10, 31),
        extra={
            "day": "2025-10-31",
            "day_only": True,
            "video_views": 1200,
            "reached_audience": 900,
            "profile_views": 15,
            "likes": 80,
            "shares": 4,
            "comments": 6,
            "net_growth": 3,
            "new_followers": 5,
            "lost_followers": 2,
        },
    )


def test_viewers_keep_undefined_totals_out(tmp_path: Path) -> None:
    path = tiktok_csv(
        tmp_path / "Viewers.csv",
        [
            VIEWERS_HEADER,
            ["August 28", "undefined", "0", "0"],
            ["August 29", "undefined", "undefined", "undefined"],
            ["August 30", "1,204", "1,100", "104"],
        ],
        exported=utc(2025, 8, 31, 7),
    )
    assert read_all(TikTokViewersSource(), path) == [
        AccountSnapshotRecord(
            "tiktok",
            "",
            utc(2025, 8, 28),
            extra={"day": "2025-08-28", "day_only": True, "new_viewers": 0, "returning_viewers": 0},
        ),
        # August 29 holds no value at all: no snapshot.
        AccountSnapshotRecord(
            "tiktok",
            "",
            utc(2025, 8, 30),
            extra={
                "day": "2025-08-30",
                "day_only": True,
                "total_viewers": 1204,
                "new_viewers": 1100,
                "returning_viewers": 104,
            },
        ),
    ]


def test_overview_import_is_idempotent(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = tiktok_csv(
        tmp_path / "Overview.csv",
        [
            OVERVIEW_HEADER,
            ["August 31", "1441", "52", "31", "2", "11"],
            ["September 1", "2110", "77", "57", "1", "6"],
        ],
        exported=utc(2025, 9, 2, 10),
    )
    sources: list[DataSource] = [cls() for cls in SOURCES]
    [first] = import_files(conn, [path], sources)
    assert (first.format, first.new, first.updated, first.unchanged) == ("tiktok_overview", 2, 0, 0)
    [again] = import_files(conn, [path], sources)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    assert snapshots(conn) == [
        (
            "",
            utc(2025, 8, 31),
            None,
            '{"comments":2,"day":"2025-08-31","day_only":true,"likes":31,"profile_views":52,'
            '"shares":11,"video_views":1441}',
            "tiktok_overview",
        ),
        (
            "",
            utc(2025, 9, 1),
            None,
            '{"comments":1,"day":"2025-09-01","day_only":true,"likes":57,"profile_views":77,'
            '"shares":6,"video_views":2110}',
            "tiktok_overview",
        ),
    ]


# --- Followers ----------------------------------------------------------------------------


def test_follower_history_gives_followers_per_day(tmp_path: Path) -> None:
    path = tiktok_csv(
        tmp_path / "FollowerHistory.csv",
        [
            HISTORY_HEADER,
            ["August 31", "undefined", "35"],
            ["September 1", "10440", "46"],
            ["September 2", "10437", "-3"],
        ],
        exported=utc(2025, 9, 3),
    )
    assert read_all(TikTokFollowersSource(), path) == [
        AccountSnapshotRecord(
            "tiktok", "", utc(2025, 9, 1), followers=10440, extra=day_of(2025, 9, 1)
        ),
        AccountSnapshotRecord(
            "tiktok", "", utc(2025, 9, 2), followers=10437, extra=day_of(2025, 9, 2)
        ),
    ]


def test_business_audience_file_gives_total_followers(tmp_path: Path) -> None:
    path = business_csv(
        tmp_path / "audience.csv",
        "Date,New followers,Total followers,Reached audience,Engaged audience\n"
        "2025/10/30,--,NAN,--,--\n"
        "2025/10/31,5,1203,900,120\n",
        exported=utc(2025, 11, 1),
    )
    assert read_all(TikTokFollowersSource(), path) == [
        AccountSnapshotRecord(
            "tiktok", "", utc(2025, 10, 31), followers=1203, extra=day_of(2025, 10, 31)
        )
    ]


def test_a_followers_folder_imports_whole(conn: sqlite3.Connection, tmp_path: Path) -> None:
    """The activity, gender and territory files are recognised and store nothing, so
    importing the ``Followers_<handle>`` folder does not stop at them; the follower totals
    do not overwrite the Overview's values for the same days."""
    folder = tmp_path / "Followers_kenh"
    folder.mkdir()
    when = utc(2025, 9, 2, 12)
    tiktok_csv(
        folder / "FollowerHistory.csv", [HISTORY_HEADER, ["September 1", "10440", "46"]], when
    )
    tiktok_csv(
        folder / "FollowerActivity.csv",
        [["Date", "Hour", "Active followers"], ["September 1", "0", "112"]],
        when,
    )
    tiktok_csv(
        folder / "FollowerGender.csv",
        [["Gender", "Distribution"], ["Female", "0.59"], ["Male", "0.41"]],
        when,
    )
    tiktok_csv(
        folder / "FollowerTopTerritories.csv",
        [["Top territories", "Distribution"], ["BR", "0.62"], ["Others", "0.38"]],
        when,
    )
    overview = tiktok_csv(
        tmp_path / "Overview.csv",
        [OVERVIEW_HEADER, ["September 1", "2110", "77", "57", "1", "6"]],
        when,
    )
    sources: list[DataSource] = [cls() for cls in SOURCES]
    results = import_files(conn, [overview, str(folder)], sources)
    assert [(os.path.basename(r.path), r.format, r.new) for r in results] == [
        ("Overview.csv", "tiktok_overview", 1),
        ("FollowerActivity.csv", "tiktok_followers", 0),
        ("FollowerGender.csv", "tiktok_followers", 0),
        ("FollowerHistory.csv", "tiktok_followers", 0),
        ("FollowerTopTerritories.csv", "tiktok_followers", 0),
    ]
    assert results[3].updated == 1
    [(account, taken_at, followers, extra, _)] = snapshots(conn)
    assert (account, taken_at, followers) == ("", utc(2025, 9, 1), 10440)
    assert extra == (
        '{"comments":1,"day":"2025-09-01","day_only":true,"likes":57,"profile_views":77,'
        '"shares":6,"video_views":2110}'
    )


# --- Content --------------------------------------------------------------------------------


def test_content_posts_dated_by_video_id_vietnamese_ui(tmp_path: Path) -> None:
    link = "https://www.tiktok.com/@kenh/video/7672373276106181908"
    path = tiktok_csv(
        tmp_path / "Content.csv",
        [
            CONTENT_HEADER,
            [
                "18 tháng Tám",
                "Trồng nho #nongnghiep, #trainghiem",
                link,
                "10 tháng Tám",
                "5,431",
                "24",
                "461",
                "289568",
            ],
        ],
        exported=utc(2026, 8, 18, 15),
    )
    [post] = read_all(TikTokContentSource(), path)
    assert post == PostRecord(
        "tiktok",
        "7672373276106181908",
        account="kenh",
        published_at=utc(2026, 8, 10),
        day_only=True,
        kind="video",
        text="Trồng nho #nongnghiep, #trainghiem",
        url=link,
        metrics={"likes": 5431, "comments": 24, "shares": 461, "video_views": 289568},
        captured_at=utc(2026, 8, 18, 15),  # the file's time: it falls on the export day
    )


def test_content_ids_date_posts_even_when_the_file_time_is_a_year_off(tmp_path: Path) -> None:
    """Real Russian-UI rows: exported "18 января" (2026), posts from 7 to 14 January. The
    file was copied a year later, so the export day is misdated, but the ids are not."""
    base = "https://www.tiktok.com/@andrewaltair/video/"
    path = tiktok_csv(
        tmp_path / "Content.csv",
        [
            CONTENT_HEADER,
            [
                "18 января",
                "CES 2026",
                base + "7593820674163100946",
                "10 января",
                "529",
                "170",
                "122",
                "28590",
            ],
            [
                "18 января",
                "Grok",
                base + "7592618226463280400",
                "7 января",
                "1428",
                "93",
                "1087",
                "54239",
            ],
            ["18 января", "", base + "7595253593532288273", "14 января", "84", "4", "8", "5221"],
        ],
        exported=utc(2027, 3, 1),
    )
    posts = [p for p in read_all(TikTokContentSource(), path) if isinstance(p, PostRecord)]
    assert [p.published_at for p in posts] == [
        utc(2026, 1, 10),
        utc(2026, 1, 7),
        utc(2026, 1, 14),
    ]
    assert posts[2].text == ""
    assert {p.captured_at for p in posts} == {utc(2027, 1, 18)}  # start of the export day


def test_content_without_a_time_based_id_uses_the_export_day(tmp_path: Path) -> None:
    path = tiktok_csv(
        tmp_path / "Content.csv",
        [
            CONTENT_HEADER,
            [
                "8 de setembro",
                "Titulo normal",
                "https://www.tiktok.com/@x/video/1",
                "5 de setembro",
                "10",
                "0",
                "0",
                "479",
            ],
            [
                "3 de janeiro",
                "Virada",
                "https://www.tiktok.com/@x/photo/2",
                "30 de dezembro",
                "1",
                "0",
                "0",
                "16",
            ],
        ],
        exported=utc(2025, 9, 8, 20),
    )
    first, second = read_all(TikTokContentSource({"account": "me"}), path)
    assert isinstance(first, PostRecord)
    assert (first.published_at, first.captured_at) == (utc(2025, 9, 5), utc(2025, 9, 8, 20))
    assert first.account == "me"
    assert isinstance(second, PostRecord)
    # Exported on 3 January 2025 (the latest 3 January by the file time), posted before it.
    assert (second.published_at, second.captured_at) == (utc(2024, 12, 30), utc(2025, 1, 3))
    assert second.kind == "photo"


def test_business_content_has_times_and_favorites(tmp_path: Path) -> None:
    path = business_csv(
        tmp_path / "content.csv",
        "Video title,Video link,Post time,Video views,Likes,Comments,Shares,Add to Favorites\n"
        '"Launch, day 1",https://www.tiktok.com/@shop/video/7567469043711806733,'
        "2025/10/31 18:19:10,1500,120,NAN,7,33\n",
        exported=utc(2025, 11, 2),
    )
    [post] = read_all(TikTokContentSource({"timezone": "America/New_York"}), path)
    assert post == PostRecord(
        "tiktok",
        "7567469043711806733",
        account="shop",
        published_at=utc(2025, 10, 31, 22, 19, 10),  # 18:19:10 in New York (EDT, UTC-4)
        day_only=False,
        kind="video",
        text="Launch, day 1",
        url="https://www.tiktok.com/@shop/video/7567469043711806733",
        metrics={
            "video_views": 1500,
            "likes": 120,
            "comments": None,
            "shares": 7,
            "saves": 33,
        },
    )


def test_content_reimport_adds_a_snapshot_only_when_numbers_change(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    link = "https://www.tiktok.com/@example/video/7681870521679564053"

    def export(name: str, exported_on: str, likes: str, when: int) -> str:
        row = [exported_on, "退職後の住民税", link, "9月6日", likes, "24", "461", "289568"]
        return tiktok_csv(tmp_path / name, [CONTENT_HEADER, row], exported=when)

    sources: list[DataSource] = [cls() for cls in SOURCES]
    first = export("a.csv", "9月13日", "5,431", utc(2026, 9, 13, 1))
    [result] = import_files(conn, [first], sources)
    assert (result.new, result.snapshots, result.exported_at) == (1, 1, utc(2026, 9, 13, 1))
    [result] = import_files(conn, [first], sources)
    assert (result.new, result.updated, result.unchanged) == (0, 0, 1)
    later = export("b.csv", "9月20日", "6,002", utc(2026, 9, 20, 1))
    [result] = import_files(conn, [later], sources)
    assert (result.new, result.updated, result.snapshots) == (0, 1, 1)
    assert conn.execute(
        "SELECT external_id, published_at, day_only, likes, metrics_at FROM posts"
    ).fetchall() == [("7681870521679564053", utc(2026, 9, 6), 1, 6002, utc(2026, 9, 20, 1))]
    assert conn.execute(
        "SELECT captured_at, likes FROM post_history ORDER BY captured_at"
    ).fetchall() == [(utc(2026, 9, 13, 1), 5431), (utc(2026, 9, 20, 1), 6002)]


# --- Workbooks ------------------------------------------------------------------------------


def test_xlsx_exports_read_like_the_csv(tmp_path: Path) -> None:
    rows = [
        OVERVIEW_HEADER,
        ["December 31", "10", "1", "2", "0", "0"],
        ["January 1", "undefined", "2", "3", "1", "1"],
    ]
    when = utc(2026, 1, 2, 9)
    book = tiktok_xlsx(tmp_path / "Overview.xlsx", "Overview", rows, when)
    text = tiktok_csv(tmp_path / "Overview.csv", rows, when)
    assert claimed_by(book) == ["tiktok_overview"]
    from_book = read_all(TikTokOverviewSource(), book)
    assert from_book == read_all(TikTokOverviewSource(), text)
    assert [r.taken_at for r in from_book if isinstance(r, AccountSnapshotRecord)] == [
        utc(2025, 12, 31),
        utc(2026, 1, 1),
    ]


def test_xlsx_errors_name_the_sheet_and_row(tmp_path: Path) -> None:
    book = tiktok_xlsx(
        tmp_path / "FollowerHistory.xlsx",
        "FollowerHistory",
        [HISTORY_HEADER, ["28 August", "308209", "583"], ["29 August", "lots", "1"]],
        utc(2025, 8, 30),
    )
    good, bad = read_all(TikTokFollowersSource(), book)
    assert good == AccountSnapshotRecord(
        "tiktok", "", utc(2025, 8, 28), followers=308209, extra=day_of(2025, 8, 28)
    )
    assert isinstance(bad, InputError)
    assert str(bad).startswith(
        f'{book}, sheet "FollowerHistory" line 3, column "Followers": expected a whole number,'
        " got 'lots'"
    )


# --- Errors -------------------------------------------------------------------------------


def test_bad_cells_name_the_line_and_column(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = tiktok_csv(
        tmp_path / "Overview.csv",
        [
            OVERVIEW_HEADER,
            ["March 1", "12", "0", "1", "0", "0"],
            ["Marchtember 2", "13", "0", "1", "0", "0"],
            ["March 3", "14", "0", "1.5", "0", "0"],
        ],
        exported=utc(2025, 3, 4),
    )
    good, bad_date, bad_count = read_all(TikTokOverviewSource(), path)
    assert isinstance(good, AccountSnapshotRecord)
    assert isinstance(bad_date, InputError)
    assert (bad_date.line, bad_date.column, bad_date.got) == (3, "Date", "'Marchtember 2'")
    assert "March 1" in bad_date.expected
    assert isinstance(bad_count, InputError)
    assert (bad_count.line, bad_count.column, bad_count.expected) == (4, "Likes", "a whole number")
    with pytest.raises(InputError, match="line 3"):
        import_files(conn, [path], [TikTokOverviewSource()])
    assert conn.execute("SELECT count(*) FROM account_snapshots").fetchone() == (0,)
    [result] = import_files(conn, [path], [TikTokOverviewSource()], skip_bad_rows=True)
    assert (result.new, result.skipped) == (1, 2)


def test_a_row_without_a_video_link_is_an_error(tmp_path: Path) -> None:
    path = tiktok_csv(
        tmp_path / "Content.csv",
        [
            CONTENT_HEADER,
            ["March 3", "t", "https://example.com/watch", "March 1", "1", "2", "3", "4"],
        ],
        exported=utc(2025, 3, 3),
    )
    [error] = read_all(TikTokContentSource(), path)
    assert isinstance(error, InputError)
    assert (error.line, error.column) == (2, "Video link")
    assert error.expected.startswith("a TikTok video link")


def test_reading_another_file_names_the_expected_header(tmp_path: Path) -> None:
    path = tiktok_csv(
        tmp_path / "Viewers.csv", [VIEWERS_HEADER, ["March 1", "1", "1", "0"]], utc(2025, 3, 2)
    )
    with pytest.raises(InputError) as caught:
        read_all(TikTokOverviewSource(), path)
    assert '"Video Views", "Profile Views"' in caught.value.expected
    assert "Total Viewers" in str(caught.value.got)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="an empty file"):
        read_all(TikTokContentSource(), str(empty))


# --- Detection ------------------------------------------------------------------------------


def test_each_tab_is_claimed_by_exactly_one_source(tmp_path: Path) -> None:
    when = utc(2025, 9, 1)
    files = {
        "tiktok_overview": tiktok_csv(tmp_path / "o.csv", [OVERVIEW_HEADER], when),
        "tiktok_content": tiktok_csv(tmp_path / "c.csv", [CONTENT_HEADER], when),
        "tiktok_viewers": tiktok_csv(tmp_path / "v.csv", [VIEWERS_HEADER], when),
        "tiktok_followers": tiktok_csv(tmp_path / "f.csv", [HISTORY_HEADER], when),
    }
    for name, path in files.items():
        assert claimed_by(path) == [name]
    # A file re-saved by a spreadsheet: no BOM, no quotes, ";" between fields.
    resaved = tmp_path / "resaved.csv"
    resaved.write_text("Date;Video Views;Profile Views;Likes;Comments;Shares\r\nMarch 1;1;2;3;4;5")
    assert claimed_by(str(resaved)) == ["tiktok_overview"]
    # Words a follower detail file uses, in a longer header, are not a TikTok file.
    other = tmp_path / "other.csv"
    other.write_text("Gender,Distribution,Country\nF,0.5,FR\n")
    assert claimed_by(str(other)) == []


def test_no_real_sample_of_another_platform_is_claimed() -> None:
    samples = sorted(
        str(p) for p in REALDATA.rglob("*") if p.is_file() and not p.name.startswith("LICENSE")
    )
    assert len(samples) >= 20  # facebook, linkedin (.xls, .xlsx), youtube, bluesky, cassettes
    for path in samples:
        assert claimed_by(path) == [], path


def test_no_other_built_in_source_claims_tiktok_files(tmp_path: Path) -> None:
    """Every built-in source that needs no options, asked about each TikTok layout."""
    others: list[DataSource] = []
    for module in pkgutil.iter_modules(smtui.builtins.__path__, "smtui.builtins."):
        hook = getattr(importlib.import_module(module.name), "register_sources", None)
        if hook is None or module.name.endswith("tiktok_export"):
            continue
        found: list[type[DataSource]] = []
        hook(found.append)
        others += [cls() for cls in found if not any(o.required for o in cls.options)]
    when = utc(2025, 9, 1)
    layouts = [OVERVIEW_HEADER, CONTENT_HEADER, VIEWERS_HEADER, HISTORY_HEADER]
    for index, header in enumerate(layouts):
        path = tiktok_csv(tmp_path / f"{index}.csv", [header, ["March 1"] * len(header)], when)
        assert claimed_by(path, others) == [], header
    book = tiktok_xlsx(tmp_path / "o.xlsx", "Overview", [OVERVIEW_HEADER], when)
    assert claimed_by(book, others) == []


# --- Dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "month", "day"),
    [
        ("March 1", 3, 1),
        ("1 March", 3, 1),
        ("February 28", 2, 28),
        ("8 de marzo", 3, 8),
        ("8 de setembro", 9, 8),
        ("18 января", 1, 18),
        ("9月13日", 9, 13),
        ("9월 6일", 9, 6),
        ("18 tháng Tám", 8, 18),
        ("10 tháng Mười Một", 11, 10),
        ("18 tháng 8", 8, 18),
        ("1er mars", 3, 1),
        ("3. März", 3, 3),
        ("5 Ağustos", 8, 5),
        ("12 października", 10, 12),
        ("February 29", 2, 29),
    ],
)
def test_localized_days_without_a_year(text: str, month: int, day: int) -> None:
    assert parse_month_day(text) == MonthDay(month, day)


@pytest.mark.parametrize(
    "text", ["February 30", "Marchember 1", "", "13 March 2", "March", "1 2", "2025-03-01"]
)
def test_what_is_not_a_day_without_a_year(text: str) -> None:
    with pytest.raises(CellError, match="March 1"):
        parse_month_day(text)


def test_february_29_goes_back_to_the_last_leap_year() -> None:
    assert latest_on_or_before(MonthDay(2, 29), date(2026, 3, 1)) == date(2024, 2, 29)
    assert latest_on_or_before(MonthDay(2, 29), date(2024, 2, 29)) == date(2024, 2, 29)
    assert latest_on_or_before(MonthDay(12, 31), date(2026, 1, 2)) == date(2025, 12, 31)


def test_series_newest_first_are_dated_too() -> None:
    days = [MonthDay(1, 2), MonthDay(1, 1), MonthDay(12, 31), MonthDay(12, 30)]
    assert resolve_series(days, date(2026, 1, 3)) == [
        date(2026, 1, 2),
        date(2026, 1, 1),
        date(2025, 12, 31),
        date(2025, 12, 30),
    ]


def test_video_ids_hold_their_upload_time() -> None:
    # Japanese UI, real pair: uploaded 5 September 2026 11:20 JST, posted "9月6日".
    assert upload_time("7681870521679564053") == utc(2026, 9, 5, 2, 20, 58)
    assert upload_time("1") is None
    assert upload_time("not-an-id") is None
    from datetime import UTC

    day = resolve_post_day(MonthDay(9, 6), "7681870521679564053", date(2026, 9, 13), UTC)
    assert day == date(2026, 9, 6)


reference_days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


@given(reference_days, st.integers(1, 12), st.integers(1, 31))
def test_inferred_year_is_never_after_the_export_day(limit: date, month: int, day: int) -> None:
    try:
        wanted = MonthDay(month, day)
    except ValueError:
        return  # no such day in any year
    found = latest_on_or_before(wanted, limit)
    assert (found.month, found.day) == (month, day)
    assert found <= limit
    # The latest such date: none falls between it and the limit.
    longest = timedelta(days=8 * 366) if (month, day) == (2, 29) else timedelta(days=366)
    assert limit - found < longest


@given(reference_days, st.integers(0, 365))
def test_any_day_of_the_past_year_is_recovered(limit: date, back: int) -> None:
    real = limit - timedelta(days=back)
    if (real.month, real.day) != (2, 29) and real.replace(year=real.year + 1) <= limit:
        return  # a year back to the day: "March 1" then means this year's March 1
    assert latest_on_or_before(MonthDay(real.month, real.day), limit) == real


@given(
    reference_days,
    st.integers(0, 300),
    st.integers(1, 800),
    st.booleans(),
    st.booleans(),
)
def test_consecutive_days_are_recovered_exactly(
    export: date, gap: int, length: int, newest_first: bool, export_in_zone_ahead: bool
) -> None:
    """Any run of consecutive days ending up to 300 days before the export (even one longer
    than a year), in either order, gets its years back; also when the export day read from
    the file time is a day behind the local day the rows were written in."""
    newest = export - timedelta(days=gap)
    real = [newest - timedelta(days=n) for n in range(length)][::-1]
    if newest_first:
        real.reverse()
    written = [MonthDay(d.month, d.day) for d in real]
    file_day = export - timedelta(days=1) if export_in_zone_ahead and gap == 0 else export
    assert resolve_series(written, file_day) == real


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)), st.booleans())
def test_written_days_parse_back(day: date, spanish: bool) -> None:
    text = (
        f"{day.day} de {ES_MONTHS[day.month - 1]}"
        if spanish
        else f"{EN_MONTHS[day.month - 1]} {day.day}"
    )
    assert parse_month_day(text) == MonthDay(day.month, day.day)
