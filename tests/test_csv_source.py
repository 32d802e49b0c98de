"""The generic CSV source: column mapping, detection, cells and the quirks of real exports."""

from __future__ import annotations

import calendar
import csv
import io
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smtui.builtins.csv_source import CsvSource, register_sources
from smtui.errors import ConfigError
from smtui.options import apply_options
from smtui.sources.cells import CellError, parse_count, parse_timestamp
from smtui.sources.csvfile import _open_quote
from smtui.sources.errors import InputError
from smtui.sources.records import PostRecord

if TYPE_CHECKING:
    from pathlib import Path

COLUMNS = {
    "external_id": "Post ID",
    "published_at": "Date",
    "text": "Text",
    "impressions": "Impressions",
    "likes": "Likes",
}


def make_source(alias: str = "posts", **table: Any) -> CsvSource:
    """A source configured the way ``[sources.<alias>]`` would configure it."""
    config = {"type": "csv", "platform": "linkedin", "columns": COLUMNS, **table}
    return CsvSource(apply_options(CsvSource.options, config, f"sources.{alias}"), alias=alias)


def write(path: Path, text: str, encoding: str = "utf-8") -> str:
    path.write_bytes(text.encode(encoding))
    return str(path)


def read_all(source: CsvSource, path: str) -> list[PostRecord | InputError]:
    items: list[PostRecord | InputError] = []
    for item in source.read(path):
        assert isinstance(item, PostRecord | InputError)
        items.append(item)
    return items


def utc(year: int, month: int, day: int, hour: int, minute: int) -> int:
    return calendar.timegm((year, month, day, hour, minute, 0))


def test_hook_registers_the_source() -> None:
    registered: list[type] = []
    register_sources(registered.append)
    assert registered == [CsvSource]
    assert hasattr(register_sources, "smtui_impl")


def test_maps_columns_to_post_fields(tmp_path: Path) -> None:
    source = make_source(
        columns={**COLUMNS, "url": "Link", "kind": "Type", "watch_time_s": "Watch time"},
        timezone="Europe/Paris",
    )
    path = write(
        tmp_path / "posts.csv",
        "Post ID,Date,Text,Link,Type,Impressions,Likes,Watch time,Ignored\n"
        ' 1001,2025-03-20 14:05,Hello,https://example.org/1,video,"12,345",7,90,x\n',
    )
    [post] = read_all(source, path)
    assert post == PostRecord(
        "linkedin",
        "1001",
        published_at=utc(2025, 3, 20, 13, 5),  # 14:05 in Paris is 13:05 UTC in March
        day_only=False,
        text="Hello",
        url="https://example.org/1",
        kind="video",
        metrics={"impressions": 12345, "likes": 7, "watch_time_s": 90},
    )


def test_a_day_without_time_is_midnight_in_the_configured_zone(tmp_path: Path) -> None:
    source = make_source(timezone="Europe/Paris")
    path = write(tmp_path / "p.csv", "Post ID,Date,Text,Impressions,Likes\n1,2025-03-21,,5,1\n")
    [post] = read_all(source, path)
    assert isinstance(post, PostRecord)
    assert (post.published_at, post.day_only) == (utc(2025, 3, 20, 23, 0), True)


def test_date_format_option(tmp_path: Path) -> None:
    source = make_source(date_format="%d/%m/%Y %H:%M")
    path = write(
        tmp_path / "p.csv", "Post ID,Date,Text,Impressions,Likes\n1,20/03/2025 14:05,,5,1\n"
    )
    [post] = read_all(source, path)
    assert isinstance(post, PostRecord)
    assert (post.published_at, post.day_only) == (utc(2025, 3, 20, 14, 5), False)


@pytest.mark.parametrize(
    ("text", "date_format", "expected"),
    [
        ("2025-03-20", None, (utc(2025, 3, 20, 0, 0), True)),
        ("2025-03-20T10:00:00Z", None, (utc(2025, 3, 20, 10, 0), False)),
        ("2021-12-31 15:59 +0000", None, (utc(2021, 12, 31, 15, 59), False)),
        ("Thu Mar 20 2025", None, (utc(2025, 3, 20, 0, 0), True)),
        ("Sat, Aug 22, 2026", None, (utc(2026, 8, 22, 0, 0), True)),
        ("03/18/2025 12:59", None, (utc(2025, 3, 18, 12, 59), False)),
        ("21/03/2025", "%d/%m/%Y", (utc(2025, 3, 21, 0, 0), True)),
        ("N/A", None, None),
    ],
)
def test_parse_timestamp(text: str, date_format: str | None, expected: object) -> None:
    from datetime import UTC

    assert parse_timestamp(text, UTC, date_format) == expected


@pytest.mark.parametrize("text", ["soon", "March", "12", "2025-13-45"])
def test_parse_timestamp_refuses_incomplete_or_bad_dates(text: str) -> None:
    from datetime import UTC

    with pytest.raises(CellError):
        parse_timestamp(text, UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        (" 1,234 ", 1234),
        ("12,345,678", 12345678),
        ("1\u00a0234", 1234),
        ("1\u202f234", 1234),
        ("424.0", 424),
        ("+5", 5),
        ("-3", -3),
        ("", None),
        ("-", None),
        ("--", None),
        ("N/A", None),
        ("null", None),
        ("undefined", None),
        ("NAN", None),
    ],
)
def test_parse_count(text: str, expected: int | None) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize("text", ["abc", "1.5", "1.234", "12,34", "1,2345", "\uff11\uff12", "--5"])
def test_parse_count_refuses_what_is_not_a_whole_number(text: str) -> None:
    with pytest.raises(CellError):
        parse_count(text)


def test_non_numeric_metric_names_line_and_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "posts.csv", "Post ID,Date,Text,Impressions,Likes\n1,,,5,1\n2,,,abc,1\n")
    first, second = read_all(make_source(), "posts.csv")
    assert isinstance(first, PostRecord)
    assert isinstance(second, InputError)
    assert second.message == (
        "posts.csv line 3, column \"Impressions\": expected a whole number, got 'abc'"
    )
    assert (second.line, second.column) == (3, "Impressions")


def test_null_tokens_are_none_not_zero(tmp_path: Path) -> None:
    path = write(tmp_path / "p.csv", "Post ID,Date,Text,Impressions,Likes\n1,N/A,,undefined,-\n")
    [post] = read_all(make_source(), path)
    assert isinstance(post, PostRecord)
    assert post.published_at is None
    assert post.metrics == {"impressions": None, "likes": None}
    assert not post.has_metrics


def test_formula_looking_cells_stay_text(tmp_path: Path) -> None:
    texts = ['=HYPERLINK("http://example.org")', "+33 6 12 34 56 78", "@someone hi", "-5 tips"]
    body = "".join(f'{i},,"{t.replace(chr(34), 2 * chr(34))}",1,1\n' for i, t in enumerate(texts))
    path = write(tmp_path / "p.csv", "Post ID,Date,Text,Impressions,Likes\n" + body)
    posts = read_all(make_source(), path)
    assert [p.text for p in posts if isinstance(p, PostRecord)] == texts


def test_headers_match_ignoring_case_and_spacing(tmp_path: Path) -> None:
    source = make_source()
    text = "post id,DATE, text ,Impressions  ,likes\n9,,,1,2\n"
    assert source.sniff(text.encode(), "p.csv")
    [post] = read_all(source, write(tmp_path / "p.csv", text))
    assert isinstance(post, PostRecord)
    assert (post.external_id, post.metrics) == ("9", {"impressions": 1, "likes": 2})


def test_sniff_needs_every_mapped_header() -> None:
    source = make_source()
    assert source.sniff(b"Post ID,Date,Text,Impressions,Likes,Other\n", "p.csv")
    assert not source.sniff(b"Post ID,Date,Text,Impressions\n", "p.csv")
    assert not source.sniff(b"", "p.csv")
    assert not source.sniff(b"PK\x03\x04\x14\x00\x00\x00Post ID,Date,Text,Impressions,Likes", "x")


def test_semicolon_delimiter_and_excel_sep_line(tmp_path: Path) -> None:
    source = make_source()
    sniffed = "Post ID;Date;Text;Impressions;Likes\r\n1;;a, b;1.234,0;2\r\n"
    assert source.sniff(sniffed.encode(), "p.csv")
    with_sep = 'sep=;\r\nPost ID;Date;Text;Impressions;Likes\r\n2;;x;"1,234";3\r\n'
    [post] = read_all(source, write(tmp_path / "p.csv", with_sep))
    assert isinstance(post, PostRecord)
    assert (post.external_id, post.text, post.metrics["impressions"]) == ("2", "x", 1234)


def test_configured_delimiter_is_the_only_one_tried(tmp_path: Path) -> None:
    source = make_source(delimiter="|")
    assert not source.sniff(b"Post ID,Date,Text,Impressions,Likes\n", "p.csv")
    path = write(tmp_path / "p.csv", "Post ID|Date|Text|Impressions|Likes\n4||a,b|7|1\n")
    [post] = read_all(source, path)
    assert isinstance(post, PostRecord)
    assert (post.text, post.metrics["impressions"]) == ("a,b", 7)


def test_description_rows_above_the_header_are_skipped(tmp_path: Path) -> None:
    path = write(
        tmp_path / "p.csv",
        "Engagement metrics for individual posts. All dates are in UTC.\n\n"
        "Post ID,Date,Text,Impressions,Likes\n5,,,3,1\n",
    )
    [post] = read_all(make_source(), path)
    assert isinstance(post, PostRecord)
    assert post.external_id == "5"


def test_forced_read_of_a_file_with_other_columns_says_which_are_missing(tmp_path: Path) -> None:
    path = write(tmp_path / "p.csv", "Post ID,Date,Text,Impresions,Likes\n1,,,2,3\n")
    with pytest.raises(InputError) as caught:
        read_all(make_source(), path)
    assert caught.value.expected == 'a header with the column "Impressions"'
    assert caught.value.got == "a header with Post ID, Date, Text, Impresions, Likes"
    assert "'Impressions' -> 'Impresions'?" in caught.value.hint
    assert "[sources.posts]" in caught.value.hint


def test_utf8_bom_file(tmp_path: Path) -> None:
    path = write(
        tmp_path / "p.csv", "Post ID,Date,Text,Impressions,Likes\n1,,café ☕,1,2\n", "utf-8-sig"
    )
    assert make_source().sniff((tmp_path / "p.csv").read_bytes(), path)
    [post] = read_all(make_source(), path)
    assert isinstance(post, PostRecord)
    assert (post.external_id, post.text) == ("1", "café ☕")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_file(tmp_path: Path, encoding: str) -> None:
    raw = "Post ID,Date,Text,Impressions,Likes\r\n7,,naïve ✓,3,4\r\n"
    data = ("\ufeff" if encoding == "utf-16-be" else "") + raw
    path = write(tmp_path / "p.csv", data, encoding)
    assert (tmp_path / "p.csv").read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert make_source().sniff((tmp_path / "p.csv").read_bytes(), path)
    [post] = read_all(make_source(), path)
    assert isinstance(post, PostRecord)
    assert (post.external_id, post.text, post.metrics["likes"]) == ("7", "naïve ✓", 4)


def test_wrong_encoding_names_the_line_and_suggests_the_option(tmp_path: Path) -> None:
    text = "Post ID,Date,Text,Impressions,Likes\n1,,plain,1,1\n2,,café,1,1\n"
    path = write(tmp_path / "p.csv", text, "cp1252")
    with pytest.raises(InputError) as caught:
        read_all(make_source(), path)
    assert caught.value.line == 3
    assert caught.value.expected == "UTF-8 text"
    assert caught.value.got == "the byte 0xE9 (the file is in another encoding)"
    assert 'encoding = "cp1252"' in caught.value.hint
    posts = read_all(make_source(encoding="cp1252"), path)
    assert [p.text for p in posts if isinstance(p, PostRecord)] == ["plain", "café"]


def test_short_rows_are_padded_and_long_rows_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path / "p.csv",
        "Post ID,Date,Text,Impressions,Likes\n1,,a,5\n2,,b,6,1,,\n3,,c,7,1,oops,more\n",
    )
    short, trailing_empty, long = read_all(make_source(), path)
    assert isinstance(short, PostRecord)
    assert short.metrics == {"impressions": 5, "likes": None}
    assert isinstance(trailing_empty, PostRecord)
    assert trailing_empty.metrics == {"impressions": 6, "likes": 1}
    assert isinstance(long, InputError)
    assert long.reason == "expected 5 fields like the header, got 7"
    assert long.line == 4


def test_a_file_cut_inside_a_quoted_cell_is_refused_whole(tmp_path: Path) -> None:
    text = 'Post ID,Date,Text,Impressions,Likes\n1,,a,5,1\n2,,"two\nlines, and the rest'
    path = write(tmp_path / "p.csv", text)
    with pytest.raises(InputError) as caught:
        read_all(make_source(), path)
    assert caught.value.message == (
        f"{path} line 3: expected a closing quote before the end of the file,"
        " got the end of the file inside a quoted cell (it was cut short)"
    )
    assert caught.value.hint == "download or export the file again"


def test_a_short_last_row_without_a_line_break_is_a_cut_unless_rows_are_ragged(
    tmp_path: Path,
) -> None:
    cut = write(tmp_path / "cut.csv", "Post ID,Date,Text,Impressions,Likes\n1,,a,5,1\n2,,b")
    with pytest.raises(InputError) as caught:
        read_all(make_source(), cut)
    assert (caught.value.line, caught.value.got) == (
        3,
        "3, and then the end of the file (it was cut short)",
    )
    # A file whose rows are short anyway (as Meta's are), or whose last row is whole, is fine.
    ragged = write(tmp_path / "ragged.csv", "Post ID,Date,Text,Impressions,Likes\n1,,a,5\n2,,b")
    whole = write(tmp_path / "whole.csv", "Post ID,Date,Text,Impressions,Likes\n1,,a,5,1")
    ended = write(tmp_path / "ended.csv", "Post ID,Date,Text,Impressions,Likes\n1,,a,5\n")
    posts = read_all(make_source(), ragged)
    assert [p.external_id for p in posts if isinstance(p, PostRecord)] == ["1", "2"]
    assert len(read_all(make_source(), whole)) == len(read_all(make_source(), ended)) == 1


def test_a_utf16_file_cut_short_is_refused_too(tmp_path: Path) -> None:
    text = 'Post ID,Date,Text,Impressions,Likes\r\n1,,"a cell that never'
    path = write(tmp_path / "p.csv", text, encoding="utf-16")
    with pytest.raises(InputError, match="cut short") as caught:
        read_all(make_source(), path)
    assert caught.value.line == 2


@given(
    st.lists(
        st.lists(st.text(alphabet='ab ,"\n', max_size=6), min_size=1, max_size=4),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from([csv.QUOTE_ALL, csv.QUOTE_MINIMAL]),
    st.data(),
)
def test_an_open_quote_is_seen_as_the_csv_module_sees_it(
    rows: list[list[str]], quoting: int, data: st.DataObject
) -> None:
    """Cut anywhere, a file ends inside a quoted cell exactly when the csv module, reading
    strictly, runs out of data in one."""
    buffer = io.StringIO()
    csv.writer(buffer, quoting=quoting, lineterminator="\n").writerows(rows)
    text = buffer.getvalue()
    piece = text[: data.draw(st.integers(min_value=0, max_value=len(text)))]
    try:
        list(csv.reader(io.StringIO(piece, newline=""), strict=True))
        inside = False
    except csv.Error as exc:
        inside = "unexpected end of data" in str(exc)
    assert _open_quote(piece, ",") is inside


def test_empty_and_binary_files(tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.csv", "")
    with pytest.raises(InputError) as caught:
        read_all(make_source(), empty)
    assert caught.value.got == "an empty file"
    binary = tmp_path / "book.xlsx"
    binary.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" * 10)
    with pytest.raises(InputError) as caught:
        read_all(make_source(), str(binary))
    assert caught.value.got == "binary data"


def test_header_only_file_has_no_records(tmp_path: Path) -> None:
    path = write(tmp_path / "p.csv", "Post ID,Date,Text,Impressions,Likes\n")
    assert read_all(make_source(), path) == []


def test_multiline_cells_and_cr_line_endings_keep_line_numbers(tmp_path: Path) -> None:
    path = write(
        tmp_path / "p.csv",
        'Post ID,Date,Text,Impressions,Likes\r1,,"two\rlines",1,1\r\r2,,x,many,1\r',
    )
    first, second = read_all(make_source(), path)
    assert isinstance(first, PostRecord)
    assert first.text == "two\rlines"
    assert isinstance(second, InputError)
    assert (second.line, second.column) == (5, "Impressions")


def test_duplicate_headers_are_numbered(tmp_path: Path) -> None:
    source = make_source(columns={"external_id": "Post ID", "video_views": "Views.1"})
    path = write(tmp_path / "p.csv", "Post ID,Views,Reach,Views\n1,10,20,30\n")
    [post] = read_all(source, path)
    assert isinstance(post, PostRecord)
    assert post.metrics == {"video_views": 30}


def test_ids_rounded_by_a_spreadsheet_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "p.csv", "Post ID,Date,Text,Impressions,Likes\n1.23457E+18,,,1,1\n")
    [error] = read_all(make_source(), path)
    assert isinstance(error, InputError)
    assert error.column == "Post ID"
    assert "scientific notation" in error.expected


def test_missing_id_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "p.csv", "Post ID,Date,Text,Impressions,Likes\n,,,1,1\n")
    [error] = read_all(make_source(), path)
    assert isinstance(error, InputError)
    assert error.reason == "expected an id, got an empty cell"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"columns": {"external_id": "ID", "impresions": "Impr"}}, "unknown field 'impresions'"),
        ({"columns": {"text": "Text"}}, "must map external_id"),
        ({"columns": {"external_id": ""}}, "must be the name of a CSV column"),
        ({"timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"delimiter": ";;"}, "must be one character"),
        ({"encoding": "klingon-8"}, "unknown encoding"),
    ],
)
def test_bad_configuration(table: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        make_source(**table)
    assert message in caught.value.message
    assert caught.value.message.startswith("sources.posts.")


def test_misspelt_field_gets_a_suggestion() -> None:
    with pytest.raises(ConfigError) as caught:
        make_source(columns={"external_id": "ID", "impresions": "Impr"})
    assert caught.value.hint == "did you mean 'impressions'?"
