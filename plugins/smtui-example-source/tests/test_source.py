"""The scheduler_jsonl source: detection, reading, bad lines, options and a real import."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from smtui import testing
from smtui.api import InputError, PostRecord

from smtui_example_source import SchedulerJsonlSource

if TYPE_CHECKING:
    from pathlib import Path

POST = {
    "post_id": "p-1042",
    "published_at": "2026-03-02T09:15:00Z",
    "text": "Three lessons from a year of cold outreach",
    "url": "https://www.linkedin.com/feed/update/urn:li:activity:7304",
    "stats": {"views": 1200, "reactions": 31, "replies": 4, "reposts": 2, "clicks": 7},
}


def write_lines(path: Path, *items: object) -> Path:
    path.write_text("".join(f"{json.dumps(item)}\n" for item in items), encoding="utf-8")
    return path


@pytest.fixture
def source() -> SchedulerJsonlSource:
    made = testing.make_source(SchedulerJsonlSource, {"platform": "LinkedIn", "account": "@ana"})
    assert isinstance(made, SchedulerJsonlSource)
    return made


def test_recognises_the_export_from_its_content_not_its_name(
    source: SchedulerJsonlSource, tmp_path: Path
) -> None:
    export = write_lines(tmp_path / "anything.txt", POST)
    other = write_lines(tmp_path / "posts.jsonl", {"id": "1", "created": "2026-03-02"})
    csv = tmp_path / "posts.csv"
    csv.write_text("post_id,published_at\np-1,2026-03-02\n", encoding="utf-8")

    assert testing.sniff(source, export)
    assert not testing.sniff(source, other)
    assert not testing.sniff(source, csv)


def test_recognises_a_file_with_a_byte_order_mark_and_blank_first_lines(
    source: SchedulerJsonlSource, tmp_path: Path
) -> None:
    export = tmp_path / "export"
    export.write_bytes(b"\xef\xbb\xbf\n" + json.dumps(POST).encode() + b"\n")

    assert testing.sniff(source, export)
    assert [type(item) for item in testing.read_source(source, export)] == [PostRecord]


def test_reads_each_line_as_a_post_with_smtui_metric_names(
    source: SchedulerJsonlSource, tmp_path: Path
) -> None:
    second = dict(POST, post_id="p-1043", stats={"views": 10, "bookmarks": 3})
    export = write_lines(tmp_path / "export.jsonl", POST, second)

    first, other = testing.read_source(source, export)

    assert isinstance(first, PostRecord)
    assert first.platform == "linkedin"  # the option, normalised
    assert first.account == "@ana"
    assert first.external_id == "p-1042"
    assert first.published_at == testing.epoch("2026-03-02 09:15")
    assert first.metrics == {
        "impressions": 1200,
        "likes": 31,
        "comments": 4,
        "shares": 2,
        "link_clicks": 7,
    }
    assert isinstance(other, PostRecord)
    assert other.metrics == {"impressions": 10}
    assert other.extra == {"bookmarks": 3}  # a stat smtui has no column for is kept


def test_a_bad_line_is_an_error_naming_line_and_field_and_the_rest_still_reads(
    source: SchedulerJsonlSource, tmp_path: Path
) -> None:
    export = tmp_path / "export.jsonl"
    export.write_text(
        "\n".join(
            [
                json.dumps(POST),
                "{not json",
                json.dumps(dict(POST, published_at="2026-03-02 09:15")),
                json.dumps(dict(POST, stats={"views": "many"})),
                json.dumps(dict(POST, post_id="")),
                json.dumps(dict(POST, post_id="p-9")),
            ]
        ),
        encoding="utf-8",
    )

    items = testing.read_source(source, export)

    assert [type(item).__name__ for item in items] == [
        "PostRecord",
        "InputError",
        "InputError",
        "InputError",
        "InputError",
        "PostRecord",
    ]
    errors = [item for item in items if isinstance(item, InputError)]
    assert [(e.line, e.column) for e in errors] == [
        (2, None),
        (3, "published_at"),
        (4, "stats.views"),
        (5, "post_id"),
    ]
    assert "has no zone" in str(errors[1])
    assert "expected a count" in str(errors[2])


def test_an_empty_or_binary_file_is_refused_as_a_whole(
    source: SchedulerJsonlSource, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\xff\xfe\x00\x01" * 10)

    with pytest.raises(InputError, match="an empty file"):
        testing.read_source(source, empty)
    with pytest.raises(InputError, match="not UTF-8"):
        testing.read_source(source, binary)
    assert not testing.sniff(source, binary)


def test_options_are_validated_like_the_config_file() -> None:
    with pytest.raises(testing.ConfigError, match="platform is required"):
        testing.make_source(SchedulerJsonlSource, {})
    with pytest.raises(testing.ConfigError, match="did you mean 'account'"):
        testing.make_source(SchedulerJsonlSource, {"platform": "x", "acount": "@ana"})


def test_imports_through_smtui_idempotently(source: SchedulerJsonlSource, tmp_path: Path) -> None:
    export = write_lines(tmp_path / "export.jsonl", POST, dict(POST, post_id="p-1043"))

    with testing.temp_store() as conn:
        (first,) = testing.import_paths(conn, source, export)
        (again,) = testing.import_paths(conn, source, export)
        rows = conn.execute(
            "SELECT platform, external_id, account, impressions FROM posts ORDER BY external_id"
        ).fetchall()

    assert (first.format, first.new, first.detected) == ("scheduler_jsonl", 2, True)
    assert (again.new, again.unchanged) == (0, 2)
    assert rows == [("linkedin", "p-1042", "@ana", 1200), ("linkedin", "p-1043", "@ana", 1200)]
