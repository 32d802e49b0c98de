"""LinkedIn exports: the real Page content workbook (.xls and .xlsx), and format-faithful
synthetic followers, visitors and creator workbooks (FORMATS.md section 4)."""

from __future__ import annotations

import calendar
import os
import zipfile
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smtui.builtins.linkedin_export import (
    SOURCES,
    LinkedInContentSource,
    LinkedInCreatorSource,
    LinkedInFollowersSource,
    LinkedInVisitorsSource,
    register_sources,
)
from smtui.core.importing import import_files
from smtui.sources.cells import CellError
from smtui.sources.csvfile import field_key, read_head
from smtui.sources.errors import InputError
from smtui.sources.linkedin_exports import (
    CTR_DEFINITION,
    ENGAGEMENT_RATE_DEFINITION,
    creator_file_account,
    page_file_account,
    post_urn,
    published_at,
)
from smtui.sources.records import AccountSnapshotRecord, PostRecord
from smtui.sources.workbook import cell_count, cell_day, sheet_names

from .conftest import SHARED

if TYPE_CHECKING:
    import sqlite3
    from pathlib import Path

    from smtui.sources.base import DataSource

REAL = SHARED / "realdata"
XLS = REAL / "linkedin" / "pro-efficient-data-entry_content_1742193384396.xls"
XLSX = REAL / "linkedin" / "pro-efficient-data-entry_content_1742193384396.xlsx"
EXPORTED_AT = 1742193384  # the epoch milliseconds in the file name, in seconds
NOW = 1_760_000_000

METRICS_DESCRIPTION = (
    "Aggregated engagement metrics for your organic and sponsored posts over time. Date"
    " indicates when your posts were viewed by LinkedIn members. Data is delayed by up to 2"
    " days. All dates and times are in UTC."
)
POSTS_DESCRIPTION = (
    "Engagement metrics for individual posts. Created date indicates when your post was"
    " created. All dates and times are in UTC."
)
METRICS_HEADER = [
    "Date",
    "Impressions (organic)",
    "Impressions (sponsored)",
    "Impressions (total)",
    "Unique impressions (organic)",
    "Clicks (organic)",
    "Clicks (sponsored)",
    "Clicks (total)",
    "Reactions (organic)",
    "Reactions (sponsored)",
    "Reactions (total)",
    "Comments (organic)",
    "Comments (sponsored)",
    "Comments (total)",
    "Shares (organic)",  # older exports; current ones say Reposts
    "Shares (sponsored)",
    "Shares (total)",
    "Engagement rate (organic)",
    "Engagement rate (sponsored)",
    "Engagement rate (total)",
]
POSTS_HEADER = [
    "Post title",
    "Post link",
    "Post type",
    "Campaign name",
    "Posted by",
    "Created date",
    "Campaign start date",
    "Campaign end date",
    "Audience",
    "Impressions",
    "Views",
    "Offsite Views",
    "Clicks",
    "Click through rate (CTR)",
    "Likes",
    "Comments",
    "Reposts",
    "Follows",
    "Engagement rate",
    "Content Type",
]
VIDEO_ID = 7301482461681565696  # created 2025-03-01 06:04:33.849 UTC
LINK = "https://www.linkedin.com/feed/update/urn:li:activity:{}"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> int:
    return calendar.timegm((year, month, day, hour, minute, second))


# --- a minimal .xlsx writer (python-calamine only reads) -----------------------------------


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(ref: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    text = escape(str(value))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> str:
    """An Office Open XML workbook with inline strings: what Excel and LinkedIn write, minus
    styles and shared strings, which readers do not need."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    names = list(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(names) + 1)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{package}/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{overrides}</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}/'
            f'relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        entries = "".join(
            f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(names, 1)
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            f"<sheets>{entries}</sheets></workbook>",
        )
        links = "".join(
            f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(names) + 1)
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}/'
            f'relationships">{links}</Relationships>',
        )
        for i, name in enumerate(names, 1):
            rows = "".join(
                f'<row r="{r}">'
                + "".join(_cell(f"{_column(c)}{r}", value) for c, value in enumerate(row))
                + "</row>"
                for r, row in enumerate(sheets[name], 1)
            )
            archive.writestr(
                f"xl/worksheets/sheet{i}.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}">'
                f"<sheetData>{rows}</sheetData></worksheet>",
            )
    return str(path)


# --- helpers -------------------------------------------------------------------------------


def read_all(source: DataSource, path: str | Path) -> list[Any]:
    return list(source.read(str(path)))


def posts_of(items: list[Any]) -> list[PostRecord]:
    return [item for item in items if isinstance(item, PostRecord)]


def snapshots_of(items: list[Any]) -> list[AccountSnapshotRecord]:
    return [item for item in items if isinstance(item, AccountSnapshotRecord)]


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
        "linkedin_content",
        "linkedin_followers",
        "linkedin_visitors",
        "linkedin_creator",
    ]
    assert all(cls.platform == "linkedin" for cls in registered)
    assert hasattr(register_sources, "smtui_impl")  # a pluggy hookimpl


def test_real_content_workbooks_are_recognised_by_one_source_only() -> None:
    assert matching(XLS) == ["linkedin_content"]
    assert matching(XLSX) == ["linkedin_content"]
    assert sheet_names(read_head(str(XLS)), str(XLS)) == ("Metrics", "All posts")


def test_no_false_detection_on_the_other_real_samples() -> None:
    others = [
        path
        for path in sorted(REAL.rglob("*"))
        if path.is_file() and path.parent.name != "linkedin"
    ]
    assert len(others) > 20
    assert {str(path): matching(path) for path in others if matching(path)} == {}


def test_detection_reads_content_not_the_file_name(tmp_path: Path) -> None:
    disguised = tmp_path / "report.csv"
    disguised.symlink_to(XLS)  # the real file, under a misleading name (not a copy)
    assert matching(disguised) == ["linkedin_content"]
    followers = write_xlsx(tmp_path / "data.bin", followers_sheets())
    assert matching(followers) == ["linkedin_followers"]
    fake = tmp_path / "page_content_1742193384396.xlsx"
    fake.write_text("Date,Impressions (total)\n03/14/2025,5\n", encoding="utf-8")
    assert matching(fake) == []
    not_a_workbook = tmp_path / "csvs.xlsx"
    with zipfile.ZipFile(not_a_workbook, "w") as archive:
        archive.writestr("Metrics.csv", "Date\n")
    assert matching(not_a_workbook) == []


# --- the real content export ---------------------------------------------------------------


def test_xls_and_xlsx_give_identical_records() -> None:
    from_xls = read_all(LinkedInContentSource(), XLS)
    from_xlsx = read_all(LinkedInContentSource(), XLSX)
    assert len(from_xls) == 38
    assert from_xls == from_xlsx


def test_real_metrics_sheet_becomes_daily_snapshots() -> None:
    days = snapshots_of(read_all(LinkedInContentSource(), XLS))
    assert len(days) == 30
    assert {d.account for d in days} == {"pro-efficient-data-entry"}
    assert [d.taken_at for d in days] == [utc(2025, 2, 14) + 86400 * i for i in range(30)]
    assert sum(d.extra["impressions_total"] for d in days) == 306
    assert sum(d.extra["unique_impressions_organic"] for d in days) == 48
    assert sum(d.extra["clicks_total"] for d in days) == 5
    feb_19 = days[5].extra
    assert feb_19["day"] == "2025-02-19"
    assert feb_19["day_only"] is True
    assert (feb_19["impressions_total"], feb_19["reactions_total"]) == (15, 1)
    assert feb_19["engagement_rate_total"] == pytest.approx(1 / 15)
    assert isinstance(feb_19["impressions_total"], int)
    assert feb_19["reposts_total"] == 0
    assert feb_19["engagement_rate_definition"] == ENGAGEMENT_RATE_DEFINITION
    assert days[-1].followers is None


def test_real_posts_sheet_becomes_posts() -> None:
    posts = posts_of(read_all(LinkedInContentSource(), XLS))
    assert len(posts) == 8
    assert sum(p.metrics["impressions"] or 0 for p in posts) == 310
    assert [p.metrics["engagements"] for p in posts] == [2, 0, 0, 1, 2, 1, 2, 5]
    first, last = posts[0], posts[-1]
    assert first.external_id == "urn:li:activity:7306192134921981953"
    assert first.url == LINK.format(7306192134921981953)
    # 03/14/2025 in the file; the activity id carries the exact time of that day
    assert (first.published_at, first.day_only) == (utc(2025, 3, 14, 5, 59, 7), False)
    assert first.text.startswith("Here's hoping your Holi brims")
    assert first.text.endswith("#FestiveMood\xa0#JoyfulHoli")
    assert first.kind == "post"
    assert first.captured_at == EXPORTED_AT
    assert last.metrics == {
        "impressions": 98,
        "engagements": 5,  # 2 clicks + 3 likes
        "likes": 3,
        "comments": 0,
        "shares": 0,
        "follows": None,  # an empty cell is "not reported", never 0
        "video_views": None,
    }
    assert last.extra["clicks"] == 2
    assert last.extra["engagement_rate"] == pytest.approx(5 / 98)
    assert last.extra["ctr"] == pytest.approx(2 / 98)
    assert last.extra["engagement_rate_definition"] == ENGAGEMENT_RATE_DEFINITION
    assert last.extra["ctr_definition"] == CTR_DEFINITION
    assert last.extra["post_type"] == "organic"
    assert last.extra["posted_by"] == "Saheb Sinha"
    assert last.extra["audience"] == "All followers"


def test_importing_the_real_export_is_idempotent_across_xls_and_xlsx(
    conn: sqlite3.Connection,
) -> None:
    [first] = import_files(conn, [str(XLS)], all_sources(), now=NOW)
    assert (first.format, first.new, first.updated, first.unchanged) == (
        "linkedin_content",
        38,
        0,
        0,
    )
    assert first.exported_at == EXPORTED_AT
    [again] = import_files(conn, [str(XLSX)], all_sources(), now=NOW)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 38)
    assert rows(conn, "SELECT count(*), sum(impressions), sum(engagements) FROM posts") == [
        (8, 310, 13)
    ]
    assert rows(conn, "SELECT count(*), min(captured_at) FROM post_history") == [(8, EXPORTED_AT)]
    assert rows(conn, "SELECT count(*), min(account) FROM account_snapshots") == [
        (30, "pro-efficient-data-entry")
    ]


def test_the_account_option_overrides_the_file_name() -> None:
    source = LinkedInContentSource({"account": "Pro Efficient"})
    items = read_all(source, XLS)
    assert {item.account for item in items} == {"Pro Efficient"}


# --- synthetic content workbook: description rows, Shares, sponsored, video, errors --------


def metrics_row(day: str, impressions: int, clicks: int, rate: float) -> list[Any]:
    row: list[Any] = [day] + [0] * 19
    row[1] = row[3] = impressions
    row[5] = row[7] = clicks
    row[17] = row[19] = rate
    return row


def post_row(activity: int, day: str, **values: Any) -> list[Any]:
    row: list[Any] = [""] * len(POSTS_HEADER)
    row[0] = values.pop("title", "A post")
    row[1] = LINK.format(activity)
    row[2] = values.pop("post_type", "Organic")
    row[5] = day
    row[8] = "All followers"
    for header, value in values.items():
        row[POSTS_HEADER.index(header.replace("_", " "))] = value
    return row


def content_sheets(*posts: list[Any]) -> dict[str, list[list[Any]]]:
    return {
        "Metrics": [
            [METRICS_DESCRIPTION],
            list(METRICS_HEADER),
            metrics_row("03/01/2025", 40, 3, 0.1),
            metrics_row("03/02/2025", 2, 0, 0.0),
        ],
        "All posts": [[POSTS_DESCRIPTION], list(POSTS_HEADER), *posts],
    }


def test_description_rows_and_shares_headers(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "acme_content_1741000000000.xlsx", content_sheets())
    assert matching(path) == ["linkedin_content"]
    days = snapshots_of(read_all(LinkedInContentSource(), path))
    assert [(d.account, d.taken_at) for d in days] == [
        ("acme", utc(2025, 3, 1)),
        ("acme", utc(2025, 3, 2)),
    ]
    assert days[0].extra["impressions_total"] == 40
    assert days[0].extra["clicks_total"] == 3
    assert days[0].extra["reposts_total"] == 0  # "Shares (total)" in older exports
    assert "shares_total" not in days[0].extra
    assert days[0].extra["engagement_rate_total"] == 0.1


def test_video_and_sponsored_posts(tmp_path: Path) -> None:
    sheets = content_sheets(
        post_row(
            VIDEO_ID,
            "03/01/2025",
            Content_Type="Video",
            Impressions=200,
            Views=80,
            Clicks=10,
            Likes=6,
            Comments=2,
            Reposts=1,
            Follows=1,
            **{"Engagement rate": 0.1, "Click through rate (CTR)": 0.05},
        ),
        post_row(
            VIDEO_ID,
            "03/01/2025",
            post_type="Sponsored",
            Content_Type="Video",
            Impressions=300,
            Views=100,
            Offsite_Views=7,
            Clicks=20,
            Likes=4,
            Comments=0,
            Reposts=0,
            Follows=3,
            Campaign_name="Spring",
            **{
                "Campaign start date": "03/01/2025",
                "Campaign end date": "03/10/2025",
                "Engagement rate": 0.09,
                "Click through rate (CTR)": 0.0667,
            },
        ),
    )
    path = write_xlsx(tmp_path / "acme_content_1741000000000.xlsx", sheets)
    [video] = posts_of(read_all(LinkedInContentSource(), path))
    assert video.kind == "video"
    assert (video.published_at, video.day_only) == (utc(2025, 3, 1, 6, 4, 33), False)
    assert video.metrics == {
        "impressions": 500,
        "engagements": 47,  # clicks 30 + likes 10 + comments 2 + reposts 1 + follows 4
        "likes": 10,
        "comments": 2,
        "shares": 1,
        "follows": 4,
        "video_views": 180,
    }
    assert video.extra["post_type"] == "organic, sponsored"
    assert video.extra["offsite_views"] == 7
    assert video.extra["engagement_rate"] == pytest.approx(47 / 500)
    assert video.extra["ctr"] == pytest.approx(30 / 500)
    assert video.extra["campaign_name"] == "Spring"
    assert (video.extra["campaign_start"], video.extra["campaign_end"]) == (
        "2025-03-01",
        "2025-03-10",
    )
    assert video.captured_at == 1741000000


def test_a_created_date_the_id_disagrees_with_stays_day_only() -> None:
    urn = f"urn:li:activity:{VIDEO_ID}"
    assert published_at(urn, utc(2025, 3, 2)) == (utc(2025, 3, 2), True)
    assert published_at(urn, None) == (None, False)
    assert post_urn("https://www.linkedin.com/feed/update/urn%3Ali%3AugcPost%3A123/") == (
        "urn:li:ugcPost:123"
    )
    assert post_urn("https://www.linkedin.com/company/acme/") is None


def test_bad_rows_name_the_sheet_row_and_column(tmp_path: Path) -> None:
    sheets = content_sheets(
        post_row(VIDEO_ID, "03/01/2025", Impressions=5),
        post_row(VIDEO_ID + 1, "2025-03-01", Impressions=5),
        post_row(VIDEO_ID + 2, "03/01/2025", Impressions="lots"),
    )
    sheets["All posts"].append(["No link", "https://www.linkedin.com/company/acme/"])
    path = write_xlsx(tmp_path / "acme_content_1741000000000.xlsx", sheets)
    errors = [
        item for item in read_all(LinkedInContentSource(), path) if isinstance(item, InputError)
    ]
    assert [str(error) for error in errors] == [
        f'{path}, sheet "All posts" line 4, column "Created date": expected a date in the'
        " format %m/%d/%Y, got '2025-03-01'",
        f'{path}, sheet "All posts" line 5, column "Impressions": expected a whole number,'
        " got 'lots'",
        f'{path}, sheet "All posts" line 6, column "Post link": expected a LinkedIn post link'
        " (https://www.linkedin.com/feed/update/urn:li:activity:…),"
        " got 'https://www.linkedin.com/company/acme/'",
    ]


def test_a_bad_row_leaves_the_database_untouched(conn: sqlite3.Connection, tmp_path: Path) -> None:
    sheets = content_sheets(post_row(VIDEO_ID, "03/01/2025", Impressions=1.5))
    path = write_xlsx(tmp_path / "acme_content_1741000000000.xlsx", sheets)
    with pytest.raises(InputError) as caught:
        import_files(conn, [path], all_sources(), now=NOW)
    assert caught.value.line == 3
    assert caught.value.column == "Impressions"
    assert rows(conn, "SELECT count(*) FROM account_snapshots") == [(0,)]
    assert rows(conn, "SELECT count(*) FROM posts") == [(0,)]
    [skipping] = import_files(conn, [path], all_sources(), skip_bad_rows=True, now=NOW)
    assert (skipping.new, skipping.skipped) == (2, 1)


def test_a_sheet_without_its_header_is_refused(tmp_path: Path) -> None:
    sheets = content_sheets()
    sheets["Metrics"] = [["Something else"], ["Day", "Views"]]
    path = write_xlsx(tmp_path / "content.xlsx", sheets)
    with pytest.raises(InputError) as caught:
        read_all(LinkedInContentSource(), path)
    assert str(caught.value) == (
        f'{path}, sheet "Metrics": expected a header row with "Date", "Impressions (total)",'
        " got 'Something else'"
    )


def test_an_unreadable_workbook_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xls"
    broken.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert matching(broken) == []
    with pytest.raises(InputError) as caught:
        read_all(LinkedInContentSource(), broken)
    assert caught.value.expected == "an Excel workbook (.xls or .xlsx)"


# --- followers and visitors workbooks ------------------------------------------------------


def followers_sheets() -> dict[str, list[list[Any]]]:
    header = [
        "Date",
        "Sponsored followers",
        "Organic followers",
        "Auto-invited followers",
        "Total followers",
    ]
    return {
        "New followers": [header, ["03/01/2025", 0, 3, 1, 4], ["03/02/2025", 2, 5, 0, 7]],
        "Location": [["Location", "Total followers"], ["Paris, France", 120], ["Lyon", 40]],
        "Job function": [["Job function", "Total followers"], ["Engineering", 90]],
        "Seniority": [["Seniority", "Total followers"], ["Senior", 70]],
        "Industry": [["Industry", "Total followers"], ["Software Development", 66]],
        "Company size": [["Company size", "Total followers"], ["10001+", 12], ["1", 3]],
    }


def test_followers_export(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "acme_followers_1741000000000.xlsx", followers_sheets())
    assert matching(path) == ["linkedin_followers"]
    items = read_all(LinkedInFollowersSource(), path)
    assert items == [
        AccountSnapshotRecord(
            "linkedin",
            "acme",
            utc(2025, 3, 1),
            extra={
                "day": "2025-03-01",
                "day_only": True,
                "new_followers_sponsored": 0,
                "new_followers_organic": 3,
                "new_followers_auto_invited": 1,
                "new_followers_total": 4,
            },
            exported_at=1741000000,  # from the file name, on every snapshot
        ),
        AccountSnapshotRecord(
            "linkedin",
            "acme",
            utc(2025, 3, 2),
            extra={
                "day": "2025-03-02",
                "day_only": True,
                "new_followers_sponsored": 2,
                "new_followers_organic": 5,
                "new_followers_auto_invited": 0,
                "new_followers_total": 7,
            },
            exported_at=1741000000,
        ),
        AccountSnapshotRecord(
            "linkedin",
            "acme",
            1741000000,
            extra={
                "follower_demographics": {
                    "location": {"Paris, France": 120, "Lyon": 40},
                    "job_function": {"Engineering": 90},
                    "seniority": {"Senior": 70},
                    "industry": {"Software Development": 66},
                    "company_size": {"10001+": 12, "1": 3},
                }
            },
            exported_at=1741000000,
        ),
    ]
    [result] = import_files(conn, [path], all_sources(), now=NOW)
    assert (result.format, result.new, result.exported_at) == ("linkedin_followers", 3, 1741000000)
    assert conn.execute("SELECT exported_at FROM sync_log").fetchall() == [(1741000000,)]
    [again] = import_files(conn, [path], all_sources(), now=NOW)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)


def visitor_header() -> list[str]:
    header = ["Date"]
    for page in ("Overview", "Life", "Jobs", "Total"):
        for measure in ("page views", "unique visitors"):
            header += [f"{page} {measure} ({device})" for device in ("desktop", "mobile", "total")]
    return header


def test_visitors_export(tmp_path: Path) -> None:
    header = visitor_header()
    assert len(header) == 25
    day = ["03/01/2025", *range(1, 25)]
    sheets: dict[str, list[list[Any]]] = {
        "Visitor metrics": [header, day],
        "Location": [["Location", "Total views"], ["Berlin", 9], ["Paris", 11]],
        "Job function": [["Job function", "Total views"]],
        "Seniority": [["Seniority", "Total views"]],
        "Industry": [["Industry", "Total views"]],
        "Company size": [["Company size", "Total views"]],
    }
    path = write_xlsx(tmp_path / "visits.xlsx", sheets)
    assert matching(path) == ["linkedin_visitors"]
    os.utime(path, (1741100000, 1741100000))
    daily, demographics = read_all(LinkedInVisitorsSource({"account": "acme"}), path)
    assert daily.taken_at == utc(2025, 3, 1)
    assert daily.extra["overview_page_views_desktop"] == 1
    assert daily.extra["total_page_views_total"] == 21
    assert daily.extra["total_unique_visitors_total"] == 24
    assert len(daily.extra) == 26  # 24 measures, the day and day_only
    # no export time in this file's name: the file's own time
    assert demographics.taken_at == 1741100000
    assert demographics.extra["visitor_demographics"]["location"] == {"Berlin": 9, "Paris": 11}
    assert demographics.extra["visitor_demographics"]["industry"] == {}


# --- creator workbook ----------------------------------------------------------------------


def creator_sheets() -> dict[str, list[list[Any]]]:
    post_a = LINK.format(7306192134921981953)  # 2025-03-14 05:59:07 UTC
    post_b = LINK.format(7305537171719864321)  # 2025-03-12 10:36:32 UTC
    return {
        "DISCOVERY": [
            ["Overall Performance", "3/1/2025 - 3/14/2025"],
            ["Impressions", "1,250"],  # the 2026 format stores numbers as text
            ["Members reached", 800],
        ],
        "ENGAGEMENT": [
            ["Date", "Impressions", "Engagements"],
            ["3/13/2025", "300", "12"],
            ["3/14/2025", 500, 20],
        ],
        "TOP POSTS": [
            ["Maximum of 50 posts available to include in this list"],
            [],
            [
                "Post URL",
                "Post publish date",
                "Engagements",
                None,
                "Post URL",
                "Post publish date",
                "Impressions",
            ],
            [post_a, "3/14/2025", 30, None, post_b, "3/12/2025", 900],
            [post_b, "3/12/2025", 25, None, post_a, "3/14/2025", 700],
            [None, None, None, None, LINK.format(VIDEO_ID), "3/1/2025", "50"],
        ],
        "FOLLOWERS": [
            ["Total followers on 3/14/2025:", "1,000"],
            [],
            ["Date", "New followers"],
            ["3/13/2025", 4],
            ["3/14/2025", 6],
        ],
        "DEMOGRAPHICS": [
            ["Top Demographics", "Value", "Percentage"],
            ["Job titles", "Software Engineer", "2%"],
            ["Job titles", "Founder", "< 1%"],
            ["Locations", "Paris", 0.25],
        ],
    }


def test_creator_file_names_give_the_member() -> None:
    assert creator_file_account("Content_2025-03-01_2025-03-14_JaneDoe.xlsx") == "JaneDoe"
    assert (
        creator_file_account("AggregateAnalytics_Jane Doe_2025-03-01_2025-03-14 (1).xlsx")
        == "Jane Doe"
    )
    assert creator_file_account("export.xlsx") == ""
    assert page_file_account("/x/acme-inc_visitors_1766385907708 (2).xls") == (
        "acme-inc",
        1766385907,
    )


def test_creator_export(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "AggregateAnalytics_Jane Doe_2025-03-01_2025-03-14.xlsx", creator_sheets()
    )
    assert matching(path) == ["linkedin_creator"]
    items = read_all(LinkedInCreatorSource(), path)
    assert not [item for item in items if isinstance(item, InputError)]
    snapshots = snapshots_of(items)
    assert [(s.taken_at, s.followers) for s in snapshots] == [
        (utc(2025, 3, 13), 990),  # 1000 at the end of 3/14, less the 6 and 4 gained
        (utc(2025, 3, 14), 994),
        (utc(2025, 3, 15), 1000),
    ]
    assert {s.account for s in snapshots} == {"Jane Doe"}
    assert snapshots[0].extra == {
        "day": "2025-03-13",
        "day_only": True,
        "impressions": 300,
        "engagements": 12,
        "new_followers": 4,
    }
    end = snapshots[2].extra
    assert end["period_start"] == "2025-03-01"
    assert end["period_end"] == "2025-03-14"
    assert (end["period_impressions"], end["period_members_reached"]) == (1250, 800)
    assert end["audience"] == {
        "job_titles": [
            {"value": "Software Engineer", "share": 0.02},
            {"value": "Founder", "share": None, "share_text": "< 1%"},
        ],
        "locations": [{"value": "Paris", "share": 0.25}],
    }
    posts = {p.external_id: p for p in posts_of(items)}
    assert posts["urn:li:activity:7306192134921981953"].metrics == {
        "engagements": 30,
        "impressions": 700,
    }
    assert posts["urn:li:activity:7305537171719864321"].metrics == {
        "impressions": 900,
        "engagements": 25,
    }
    video = posts[f"urn:li:activity:{VIDEO_ID}"]
    assert video.metrics == {"impressions": 50}
    assert video.captured_at == utc(2025, 3, 15)  # the period's numbers, true at its end
    assert (video.published_at, video.day_only) == (utc(2025, 3, 1, 6, 4, 33), False)
    [result] = import_files(conn, [path], all_sources(), now=NOW)
    assert (result.format, result.new, result.exported_at) == (
        "linkedin_creator",
        6,
        utc(2025, 3, 15),
    )
    assert rows(conn, "SELECT followers FROM account_snapshots ORDER BY taken_at") == [
        (990,),
        (994,),
        (1000,),
    ]
    [again] = import_files(conn, [path], all_sources(), now=NOW)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 6)


def test_creator_errors_name_the_cell(tmp_path: Path) -> None:
    sheets = creator_sheets()
    sheets["DISCOVERY"][0][1] = "March 2025"
    sheets["ENGAGEMENT"][2][1] = "many"
    path = write_xlsx(tmp_path / "creator.xlsx", sheets)
    errors = [str(e) for e in read_all(LinkedInCreatorSource(), path) if isinstance(e, InputError)]
    assert errors == [
        f'{path}, sheet "DISCOVERY" line 1, column "B": expected a period like'
        " 1/1/2025 - 1/31/2025, got 'March 2025'",
        f'{path}, sheet "ENGAGEMENT" line 3, column "Impressions": expected a whole number,'
        " got 'many'",
    ]


# --- spreadsheet cells ---------------------------------------------------------------------


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_whole_numbers_read_the_same_as_numbers_and_as_text(value: int) -> None:
    assert cell_count(float(value)) == value
    assert cell_count(str(value)) == value
    assert cell_count(f"{value:,}") == value


@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda v: not v.is_integer()))
def test_fractions_are_not_counts(value: float) -> None:
    with pytest.raises(CellError):
        cell_count(value)


@given(st.dates())
def test_dates_read_the_same_as_text_and_as_excel_dates(day: Any) -> None:
    midnight = calendar.timegm(day.timetuple())
    assert cell_day(day, "%m/%d/%Y") == midnight
    if day.year >= 1000:
        assert cell_day(day.strftime("%m/%d/%Y"), "%m/%d/%Y") == midnight


@given(st.text(max_size=40))
def test_field_keys_are_plain_snake_case(name: str) -> None:
    key = field_key(name)
    assert key == key.strip("_")
    assert "__" not in key
    assert all(char.isalnum() or char == "_" for char in key)
    assert field_key(key) == key
