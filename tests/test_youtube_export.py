"""YouTube Studio exports: the real geography table and daily totals, and format-faithful
synthetic content tables, chart files and export zips (FORMATS.md section 5)."""

from __future__ import annotations

import calendar
import os
import zipfile
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smtui.builtins.youtube_export import (
    SOURCES,
    YouTubeChartSource,
    YouTubeTableSource,
    YouTubeTotalsSource,
    YouTubeZipSource,
    register_sources,
)
from smtui.core.importing import import_files
from smtui.errors import ConfigError
from smtui.options import apply_options
from smtui.sources.cells import CellError, parse_clock_duration
from smtui.sources.csvfile import read_head
from smtui.sources.errors import InputError
from smtui.sources.records import AccountSnapshotRecord, PostRecord
from smtui.sources.youtube_exports import DEFINITIONS, parse_day, zip_members

from .conftest import SHARED

if TYPE_CHECKING:
    import sqlite3
    from pathlib import Path

    from smtui.sources.base import DataSource

REAL = SHARED / "realdata"
GEOGRAPHY = REAL / "youtube" / "codingtrain_geography_Table_data.csv"
TOTALS = REAL / "youtube" / "codingtrain_Totals.csv"
NOW = 1_790_000_000
MTIME = 1_760_000_000

# The Content-dimension sample of FORMATS.md section 5, plus a video whose id starts with "-"
# (Studio writes it with a leading space) and one with no impressions data.
CONTENT_TABLE = (
    "Content,Video title,Video publish time,Duration,Views,Watch time (hours),Subscribers,"
    "Impressions,Impressions click-through rate (%)\n"
    "Total,,,,181588,243.645,97,50929,1.68\n"
    'UWQNrpakgcA,Consistency is the key #viralshorts ...,"Aug 28, 2025",9,30331,45.8772,14,'
    "456,3.51\n"
    ' -i5vAKwX_bY,"How I edit, in 60 seconds","Jan 2, 2026",58,1200,2.5,-1,,\n'
)
CONTENT_CHART = (
    "Date,Content,Video title,Video publish time,Duration,Views\n"
    '2026-05-18,UWQNrpakgcA,Consistency is the key #viralshorts ...,"Aug 28, 2025",9,120\n'
    '2026-05-18, -i5vAKwX_bY,"How I edit, in 60 seconds","Jan 2, 2026",58,7\n'
    '2026-05-19,UWQNrpakgcA,Consistency is the key #viralshorts ...,"Aug 28, 2025",9,95\n'
)
TOTALS_CSV = "Date,Views,Subscribers\n2026-05-18,127,2\n2026-05-19,95,0\n"
FOLDER = "Content 2026-05-18_2026-08-16 Sign2x"


def utc(year: int, month: int, day: int) -> int:
    return calendar.timegm((year, month, day, 0, 0, 0))


def write(path: Path, text: str, mtime: int = MTIME) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    os.utime(path, (mtime, mtime))
    return str(path)


def write_zip(path: Path, files: dict[str, str]) -> str:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    os.utime(path, (MTIME, MTIME))
    return str(path)


def read_all(source: DataSource, path: str | Path) -> list[Any]:
    return list(source.read(str(path)))


def matching(path: str | Path) -> list[str]:
    head = read_head(str(path))
    return [cls.name for cls in SOURCES if cls().sniff(head, str(path))]


def all_sources() -> list[DataSource]:
    return [cls() for cls in SOURCES]


def rows(conn: sqlite3.Connection, sql: str) -> list[tuple[Any, ...]]:
    return conn.execute(sql).fetchall()


# --- registration and detection ------------------------------------------------------------


def test_hook_registers_the_four_sources() -> None:
    registered: list[type] = []
    register_sources(registered.append)
    assert [cls.name for cls in registered] == [
        "youtube_table",
        "youtube_chart",
        "youtube_totals",
        "youtube_zip",
    ]
    assert hasattr(register_sources, "smtui_impl")  # a pluggy hookimpl


def test_real_samples_are_recognised_by_one_source_each() -> None:
    assert matching(GEOGRAPHY) == ["youtube_table"]
    assert matching(TOTALS) == ["youtube_totals"]


def test_no_false_detection_on_the_other_real_samples() -> None:
    others = [
        path for path in sorted(REAL.rglob("*")) if path.is_file() and path.parent.name != "youtube"
    ]
    assert len(others) > 20
    assert {str(path): matching(path) for path in others if matching(path)} == {}


def test_lookalike_headers_of_other_platforms_are_not_youtube(tmp_path: Path) -> None:
    lookalikes = {
        "x_overview.csv": "Date,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,"
        "Unfollows,Replies,Reposts,Profile visits,Create Post,Video views,Media views\n",
        "tiktok_overview.csv": '"Date","Video Views","Profile Views","Likes","Comments"\n',
        "tiktok_followers.csv": '"Date","Followers","Difference in followers from previous day"\n',
        "own.csv": "Post ID,Views,Likes\n1,2,3\n",
        "totals_row.csv": "Name,Amount\nTotal,3\n",
    }
    for name, text in lookalikes.items():
        assert matching(write(tmp_path / name, text)) == [], name


def test_detection_reads_content_not_the_file_name(tmp_path: Path) -> None:
    assert matching(write(tmp_path / "Totals.csv", CONTENT_TABLE)) == ["youtube_table"]
    assert matching(write(tmp_path / "Table data.csv", CONTENT_CHART)) == ["youtube_chart"]
    assert matching(write(tmp_path / "export.txt", TOTALS_CSV)) == ["youtube_totals"]


# --- the real files ------------------------------------------------------------------------


def test_real_geography_table_keeps_the_total_and_every_country() -> None:
    [snapshot] = read_all(YouTubeTableSource(), GEOGRAPHY)
    assert isinstance(snapshot, AccountSnapshotRecord)
    assert snapshot.platform == "youtube"
    table = snapshot.extra["geography_table"]
    # Total,15503810,0:04:34,1183689.3666
    assert table["total"] == {
        "views": 15503810,
        "average_view_duration_s": 274,
        "watch_time_s": 4261281720,  # 1183689.3666 hours
    }
    items = table["items"]
    assert len(items) == 201
    assert list(items)[:3] == ["US", "IN", "DE"]
    assert items["US"] == {
        "views": 2638475,
        "average_view_duration_s": 342,
        "watch_time_s": 902481803,
    }
    assert items["XK"] == {"views": 0, "watch_time_s": 0}  # empty duration: no data, not 0
    assert sum(item["views"] for item in items.values()) == 14344009  # Studio lists the top


def test_real_totals_become_daily_snapshots_that_add_up_to_the_table_total() -> None:
    days = read_all(YouTubeTotalsSource(), TOTALS)
    assert len(days) == 365
    assert all(isinstance(day, AccountSnapshotRecord) for day in days)
    assert days[0].taken_at == utc(2020, 12, 31)
    assert days[0].extra == {"day": "2020-12-31", "day_only": True, "views": 31964}
    assert days[-1].extra == {"day": "2021-12-30", "day_only": True, "views": 39142}
    assert sum(day.extra["views"] for day in days) == 15503810  # the geography Total row


def test_importing_the_real_files_is_idempotent(conn: sqlite3.Connection) -> None:
    results = import_files(conn, [str(GEOGRAPHY), str(TOTALS)], all_sources(), now=NOW)
    assert [(r.format, r.new) for r in results] == [("youtube_table", 1), ("youtube_totals", 365)]
    again = import_files(conn, [str(GEOGRAPHY), str(TOTALS)], all_sources(), now=NOW)
    assert [(r.new, r.updated, r.unchanged) for r in again] == [(0, 0, 1), (0, 0, 365)]
    assert rows(conn, "SELECT count(*) FROM account_snapshots WHERE platform = 'youtube'") == [
        (366,)
    ]


# --- Content tables: videos become posts ---------------------------------------------------


def test_content_table_rows_become_posts(tmp_path: Path) -> None:
    path = write(tmp_path / "Table data.csv", CONTENT_TABLE)
    items = read_all(YouTubeTableSource({"account": "Sign2x"}), path)
    total, first, second = (
        next(i for i in items if isinstance(i, AccountSnapshotRecord)),
        *[i for i in items if isinstance(i, PostRecord)],
    )
    assert first == PostRecord(
        "youtube",
        "UWQNrpakgcA",
        account="Sign2x",
        published_at=utc(2025, 8, 28),
        day_only=True,
        kind="video",
        text="Consistency is the key #viralshorts ...",
        url="https://www.youtube.com/watch?v=UWQNrpakgcA",
        metrics={
            "video_views": 30331,
            "watch_time_s": 165158,  # 45.8772 hours
            "impressions": 456,
            "follows": 14,
        },
        extra={
            "duration_s": 9,
            "subscribers_net": 14,
            "impressions_ctr": 0.0351,
            "impressions_ctr_definition": DEFINITIONS["impressions_ctr"],
        },
        captured_at=MTIME,
    )
    assert second.external_id == "-i5vAKwX_bY"  # the leading space of Studio's escaping gone
    assert second.text == "How I edit, in 60 seconds"
    assert second.metrics == {"video_views": 1200, "watch_time_s": 9000, "follows": -1}
    assert "impressions_ctr" not in second.extra
    assert total.account == "Sign2x"
    assert total.taken_at == MTIME
    assert total.extra["content_table"] == {
        "total": {
            "views": 181588,
            "watch_time_s": 877122,
            "subscribers_net": 97,
            "impressions": 50929,
            "impressions_ctr": 0.0168,
        }
    }
    assert total.extra["impressions_ctr_definition"] == DEFINITIONS["impressions_ctr"]


def test_content_table_from_an_export_folder_knows_channel_and_period(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    path = write(tmp_path / FOLDER / "Table data.csv", CONTENT_TABLE)
    [result] = import_files(conn, [path], all_sources(), now=NOW)
    as_of = utc(2026, 8, 17)  # the end of the period's last day
    assert (result.format, result.new, result.exported_at) == ("youtube_table", 3, as_of)
    assert rows(
        conn,
        "SELECT external_id, account, published_at, day_only, video_views, watch_time_s,"
        " impressions, follows, metrics_at FROM posts ORDER BY external_id",
    ) == [
        ("-i5vAKwX_bY", "Sign2x", utc(2026, 1, 2), 1, 1200, 9000, None, -1, as_of),
        ("UWQNrpakgcA", "Sign2x", utc(2025, 8, 28), 1, 30331, 165158, 456, 14, as_of),
    ]
    assert rows(conn, "SELECT account, taken_at FROM account_snapshots") == [("Sign2x", as_of)]
    [again] = import_files(conn, [path], all_sources(), now=NOW)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)


def test_other_dimensions_and_unknown_metrics(tmp_path: Path) -> None:
    path = write(
        tmp_path / "Table data.csv",
        "Traffic source,Views,Engaged views,Average percentage viewed (%),Stayed to watch (%),"
        "Average view duration,Estimated revenue (USD),Thumbs\n"
        "Total,1000,800,41.5,70.2,0:01:05,12.34,3.5\n"
        "Shorts feed,900,700,40.1,71,1:05,10.1,note\n",
    )
    [snapshot] = read_all(YouTubeTableSource(), path)
    table = snapshot.extra["traffic_source_table"]
    assert table["total"] == {
        "views": 1000,
        "engaged_views": 800,
        "average_percentage_viewed": 0.415,
        "stayed_to_watch": 0.702,
        "average_view_duration_s": 65,
        "estimated_revenue_usd": 12.34,
        "thumbs": 3.5,
    }
    assert table["items"]["Shorts feed"]["thumbs"] == "note"
    assert table["items"]["Shorts feed"]["average_view_duration_s"] == 65
    assert snapshot.extra["stayed_to_watch_definition"] == DEFINITIONS["stayed_to_watch"]


# --- chart and totals files ----------------------------------------------------------------


def test_content_chart_gives_daily_views_per_video_and_names_the_videos(tmp_path: Path) -> None:
    path = write(tmp_path / "Chart data.csv", CONTENT_CHART)
    items = read_all(YouTubeChartSource(), path)
    days = [i for i in items if isinstance(i, AccountSnapshotRecord)]
    videos = [i for i in items if isinstance(i, PostRecord)]
    assert [(d.taken_at, d.extra) for d in days] == [
        (
            utc(2026, 5, 18),
            {
                "day": "2026-05-18",
                "day_only": True,
                "content_daily": {"UWQNrpakgcA": {"views": 120}, "-i5vAKwX_bY": {"views": 7}},
            },
        ),
        (
            utc(2026, 5, 19),
            {
                "day": "2026-05-19",
                "day_only": True,
                "content_daily": {"UWQNrpakgcA": {"views": 95}},
            },
        ),
    ]
    assert [(v.external_id, v.published_at, v.metrics, v.has_metrics) for v in videos] == [
        ("UWQNrpakgcA", utc(2025, 8, 28), {}, False),
        ("-i5vAKwX_bY", utc(2026, 1, 2), {}, False),
    ]


def test_geography_chart(tmp_path: Path) -> None:
    path = write(
        tmp_path / "Chart data.csv",
        "Date,Geography,Views\n2021-01-01,US,10\n2021-01-01,DE,3\n2021-01-02,US,12\n",
    )
    days = read_all(YouTubeChartSource(), path)
    assert [d.extra["geography_daily"] for d in days] == [
        {"US": {"views": 10}, "DE": {"views": 3}},
        {"US": {"views": 12}},
    ]


def test_totals_resaved_in_a_spreadsheet(tmp_path: Path) -> None:
    # Excel's round trip: a BOM, CRLF line ends and day-first dates
    text = "\ufeffDate,Views,Watch time (hours)\r\n13-06-2025,1200,10.5\r\n14-06-2025,900,8\r\n"
    path = write(tmp_path / "Totals.csv", text)
    assert matching(path) == ["youtube_totals"]
    days = read_all(YouTubeTotalsSource(), path)
    assert [(d.taken_at, d.extra["views"], d.extra["watch_time_s"]) for d in days] == [
        (utc(2025, 6, 13), 1200, 37800),
        (utc(2025, 6, 14), 900, 28800),
    ]


# --- days: the date as written, dated at its midnight in the source's zone -------------------


def test_days_are_utc_midnights_unless_a_zone_is_configured(tmp_path: Path) -> None:
    """Studio writes bare dates and names no zone: the day is kept as written, flagged as a
    day, and dated at 00:00 UTC, or at midnight in the ``timezone`` option's zone."""
    path = write(tmp_path / FOLDER / "Totals.csv", TOTALS_CSV)
    table = write(tmp_path / FOLDER / "Table data.csv", CONTENT_TABLE)
    default = read_all(YouTubeTotalsSource(), path)
    options = apply_options(YouTubeTotalsSource.options, {"timezone": "America/Los_Angeles"}, "t")
    zoned = read_all(YouTubeTotalsSource(options, "studio"), path)
    videos = [i for i in read_all(YouTubeTableSource(options), table) if isinstance(i, PostRecord)]

    assert [(d.taken_at, d.extra["day"], d.extra["day_only"]) for d in default] == [
        (utc(2026, 5, 18), "2026-05-18", True),
        (utc(2026, 5, 19), "2026-05-19", True),
    ]
    # Pacific midnight is 07:00 UTC in summer, 08:00 UTC in winter; the days stay the same.
    assert [(d.taken_at, d.extra["day"]) for d in zoned] == [
        (utc(2026, 5, 18) + 7 * 3600, "2026-05-18"),
        (utc(2026, 5, 19) + 7 * 3600, "2026-05-19"),
    ]
    assert [(v.published_at, v.day_only) for v in videos] == [
        (utc(2025, 8, 28) + 7 * 3600, True),
        (utc(2026, 1, 2) + 8 * 3600, True),
    ]
    # The end of the export's period (2026-08-16) is midnight after it, in the same zone.
    assert {v.captured_at for v in videos} == {utc(2026, 8, 17) + 7 * 3600}
    assert zoned[0].exported_at == utc(2026, 8, 17) + 7 * 3600


def test_an_unknown_zone_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as caught:
        YouTubeZipSource({"timezone": "Pacific/Nowhere"}, "studio")
    assert caught.value.message == "sources.studio.timezone: unknown time zone 'Pacific/Nowhere'"


def test_bad_cells_name_line_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path / "Totals.csv",
        "Date,Views\n2025-06-13,12\n2025-13-45,1\n2025-06-15,1.5\n2025-06-16,3\n",
    )
    items = read_all(YouTubeTotalsSource(), path)
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert errors == [
        f"{path} line 3, column \"Date\": expected a date like 2025-06-13, got '2025-13-45'",
        f"{path} line 4, column \"Views\": expected a whole number, got '1.5'",
    ]
    assert [i.extra["views"] for i in items if isinstance(i, AccountSnapshotRecord)] == [12, 3]


def test_a_file_of_another_kind_is_refused_with_what_was_expected(tmp_path: Path) -> None:
    path = write(tmp_path / "Totals.csv", "Post ID,Views\n1,2\n")
    with pytest.raises(InputError) as caught:
        read_all(YouTubeTotalsSource(), path)
    assert caught.value.expected == "a YouTube Studio Totals.csv (Date, then metrics)"
    assert caught.value.got == "a header with Post ID, Views"


# --- the zip Studio delivers ---------------------------------------------------------------


def studio_zip(path: Path) -> str:
    return write_zip(
        path,
        {
            f"{FOLDER}/Chart data.csv": CONTENT_CHART,
            f"{FOLDER}/Table data.csv": CONTENT_TABLE,
            f"{FOLDER}/Totals.csv": TOTALS_CSV,
            "__MACOSX/._Totals.csv": "junk",
        },
    )


def test_zip_is_read_member_by_member(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = studio_zip(tmp_path / "export.zip")
    assert zip_members(path) == [
        f"{FOLDER}/Chart data.csv",
        f"{FOLDER}/Table data.csv",
        f"{FOLDER}/Totals.csv",
    ]
    assert matching(path) == ["youtube_zip"]
    items = read_all(YouTubeZipSource(), path)
    days = [i for i in items if isinstance(i, AccountSnapshotRecord)]
    posts = [i for i in items if isinstance(i, PostRecord)]
    assert [(d.account, d.taken_at) for d in days] == [
        ("Sign2x", utc(2026, 5, 18)),
        ("Sign2x", utc(2026, 5, 19)),
        ("Sign2x", utc(2026, 8, 17)),
    ]
    # the chart's and the totals' values of a day are one snapshot
    assert days[0].extra == {
        "day": "2026-05-18",
        "day_only": True,
        "content_daily": {"UWQNrpakgcA": {"views": 120}, "-i5vAKwX_bY": {"views": 7}},
        "views": 127,
        "subscribers_net": 2,
    }
    assert days[2].extra["period_start"] == "2026-05-18"
    assert days[2].extra["content_table"]["total"]["views"] == 181588
    # a video named by the chart and measured by the table is one post, with its metrics
    assert [(p.external_id, p.metrics.get("video_views")) for p in posts] == [
        ("UWQNrpakgcA", 30331),
        ("-i5vAKwX_bY", 1200),
    ]
    [result] = import_files(conn, [path], all_sources(), now=NOW)
    assert (result.format, result.new) == ("youtube_zip", 5)
    [again] = import_files(conn, [path], all_sources(), now=NOW)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 5)


def test_zip_errors_name_the_member(tmp_path: Path) -> None:
    path = write_zip(
        tmp_path / "export.zip",
        {"Totals.csv": "Date,Views\n2026-05-18,many\n", "Table data.csv": CONTENT_TABLE},
    )
    errors = [str(i) for i in read_all(YouTubeZipSource(), path) if isinstance(i, InputError)]
    assert errors == [
        f'{path}, file "Totals.csv" line 2, column "Views": expected a whole number, got \'many\''
    ]


def test_a_zip_with_other_files_is_not_a_studio_export(tmp_path: Path) -> None:
    mixed = write_zip(
        tmp_path / "mixed.zip", {"Totals.csv": TOTALS_CSV, "posts.csv": "Post ID,Text\n1,a\n"}
    )
    assert matching(mixed) == []
    with pytest.raises(InputError) as caught:
        read_all(YouTubeZipSource(), mixed)
    assert caught.value.got == "a zip holding other files"
    empty = write_zip(tmp_path / "empty.zip", {"notes.txt": "hello"})
    assert matching(empty) == []


# --- cells ---------------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=999), st.integers(0, 59), st.integers(0, 59))
def test_clock_durations(hours: int, minutes: int, seconds: int) -> None:
    assert parse_clock_duration(f"{hours}:{minutes:02}:{seconds:02}") == (
        hours * 3600 + minutes * 60 + seconds
    )
    assert parse_clock_duration(f"{minutes}:{seconds:02}") == minutes * 60 + seconds


@pytest.mark.parametrize("text", ["4", "0:4:34", "0:04:60", "1:2:3:4", "a:bc", "-0:01:00"])
def test_clock_durations_refuse_other_text(text: str) -> None:
    with pytest.raises(CellError):
        parse_clock_duration(text)
    assert parse_clock_duration("") is None


@given(st.dates())
def test_days_read_iso_first_and_day_first_as_a_fallback(day: Any) -> None:
    midnight = calendar.timegm(day.timetuple())
    if day.year >= 1000:
        assert parse_day(day.isoformat()) == midnight
        assert parse_day(day.strftime("%d-%m-%Y")) == midnight
