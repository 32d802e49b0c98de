"""``smtui import`` on the command line: what it says per file and in total, the dry run's
preview (which writes nothing), zips imported member by member, every kind of bad input (a
precise error, exit code 2, the database unchanged byte for byte), and the progress bar (drawn
on a terminal only)."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from typing import TYPE_CHECKING, Any

import pytest

from smtui.cli import commands_import
from smtui.core import importing

from .conftest import T0

if TYPE_CHECKING:
    from pathlib import Path

HEADER = (
    "Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Shares,"
    "New follows,Replies,Reposts,Profile visits,Detail Expands,URL Clicks,Hashtag Clicks,"
    "Permalink Clicks"
)
ID_AUG_22 = "2091159742096343193"  # 2026-08-22 13:45:09.042 UTC
ID_AUG_21 = "2090622413833240578"  # 2026-08-21 02:10:00.001 UTC
POSTS = [
    HEADER,
    f'{ID_AUG_22},"Sat, Aug 22, 2026","Three things, one thread:\n1. ""ship""\n2. learn",'
    f'https://x.com/samrivera_io/status/{ID_AUG_22},"1,234",40,97,6,3,2,8,5,12,30,9,1,4',
    f'{ID_AUG_21},"Fri, Aug 21, 2026",@ana_builds thanks!,'
    f"https://x.com/samrivera_io/status/{ID_AUG_21},57,2,3,0,0,0,0,0,1,0,0,0,0",
]
OVERVIEW = [
    "Date,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,Unfollows,Replies,"
    "Reposts,Profile visits,Create Post,Video views,Media views",
    '"Fri, Mar 21, 2025",4210,88,301,12,5,9,2,14,6,40,3,120,410',
]


def write(path: Path, lines: list[str]) -> str:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def many_posts(count: int) -> list[str]:
    """``count`` posts a second apart (ids minted on 2026-08-22), for the progress bar."""
    first = int(ID_AUG_22) - ((count * 1000) << 22)
    lines = [HEADER]
    for n in range(count):
        post_id = first + ((n * 1000) << 22)
        lines.append(
            f'{post_id},"Sat, Aug 22, 2026",post {n},https://x.com/sam/status/{post_id},'
            f"{n},1,2,0,0,0,0,0,0,0,0,0,0"
        )
    return lines


def stored(home: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(home / "smtui.db") as conn:
        return conn.execute(sql).fetchall()


def test_each_file_says_what_was_detected_and_what_it_did_then_the_total(
    cli: Any, smtui_home: Path, tmp_path: Path
) -> None:
    posts = write(tmp_path / "export.csv", POSTS)
    overview = write(tmp_path / "overview.csv", OVERVIEW)

    first = cli("import", posts, overview)
    again = cli("import", posts)

    assert (first.code, first.err) == (0, "")
    assert first.out.splitlines() == [
        f"Imported {posts} (x_content, detected): 2 new, 0 updated, 0 unchanged, 0 skipped",
        f"Imported {overview} (x_overview, detected): 1 new, 0 updated, 0 unchanged, 0 skipped",
        "Total: 2 files, 3 new, 0 updated, 0 unchanged, 0 skipped",
    ]
    assert again.out.splitlines() == [
        f"Imported {posts} (x_content, detected): 0 new, 0 updated, 2 unchanged, 0 skipped",
        "Total: 1 file, 0 new, 0 updated, 2 unchanged, 0 skipped",
    ]
    assert stored(smtui_home, "SELECT count(*) FROM posts") == [(2,)]


def test_a_forced_source_says_chosen(cli: Any, tmp_path: Path) -> None:
    posts = write(tmp_path / "export.csv", POSTS)
    result = cli("import", "--source", "x_content", posts)
    assert result.out.splitlines()[0].startswith(f"Imported {posts} (x_content, chosen): 2 new")


def test_a_dry_run_previews_the_first_records_and_writes_nothing(
    cli: Any, smtui_home: Path, tmp_path: Path
) -> None:
    posts = write(tmp_path / "export.csv", POSTS)
    overview = write(tmp_path / "overview.csv", OVERVIEW)

    result = cli("import", "--dry-run", posts, overview)

    assert result.code == 0
    assert result.out.splitlines() == [
        f"Would import {posts} (x_content, detected): 2 new, 0 updated, 0 unchanged, 0 skipped",
        "  first 2 records:",
        f"    x  {ID_AUG_22}  2026-08-22 13:45"
        "  impressions 1,234, engagements 97, likes 40, comments 8",
        f"    x  {ID_AUG_21}  2026-08-21 02:10  impressions 57, engagements 3, likes 2, comments 0",
        f"Would import {overview} (x_overview, detected): 1 new, 0 updated, 0 unchanged, 0 skipped",
        "  first 1 record:",
        "    x  account  2025-03-21 (day only)  impressions 4,210, likes 88, engagements 301,"
        " saves 12",
        "Total: 2 files, 3 new, 0 updated, 0 unchanged, 0 skipped",
        "Dry run: nothing was written",
    ]
    assert stored(smtui_home, "SELECT count(*) FROM posts") == [(0,)]
    assert stored(smtui_home, "SELECT count(*) FROM account_snapshots") == [(0,)]
    assert stored(smtui_home, "SELECT count(*) FROM sync_log") == [(0,)]


def test_a_day_only_date_is_shown_as_the_day(cli: Any, tmp_path: Path) -> None:
    # An id minted on another day than the one written: X's date is all there is.
    line = POSTS[2].replace(f"{ID_AUG_21},", "1902261254353846273,", 1)
    posts = write(tmp_path / "export.csv", [HEADER, line])
    result = cli("import", "--dry-run", posts)
    assert "    x  1902261254353846273  2026-08-21 (day only)  impressions 57" in result.out


def test_skipped_rows_are_listed_under_their_file(cli: Any, tmp_path: Path) -> None:
    bad = POSTS[2].replace(",57,", ",lots,")
    posts = write(tmp_path / "export.csv", [*POSTS[:2], bad])
    result = cli("import", "--skip-bad-rows", posts)
    assert result.out.splitlines() == [
        f"Imported {posts} (x_content, detected): 1 new, 0 updated, 0 unchanged, 1 skipped",
        f"  skipped: {posts} line 5, column \"Impressions\": expected a whole number, got 'lots'",
        "Total: 1 file, 1 new, 0 updated, 0 unchanged, 1 skipped",
    ]


def test_a_zip_of_exports_is_imported_member_by_member(
    cli: Any, smtui_home: Path, tmp_path: Path
) -> None:
    archive = str(tmp_path / "x-exports.zip")
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("posts.csv", "\n".join(POSTS) + "\n")
        zipped.writestr("overview/account_overview_analytics.csv", "\n".join(OVERVIEW) + "\n")

    result = cli("import", archive)

    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        f'Imported {archive}, file "overview/account_overview_analytics.csv" (x_overview,'
        " detected): 1 new, 0 updated, 0 unchanged, 0 skipped",
        f'Imported {archive}, file "posts.csv" (x_content, detected):'
        " 2 new, 0 updated, 0 unchanged, 0 skipped",
        "Total: 2 files, 3 new, 0 updated, 0 unchanged, 0 skipped",
    ]
    assert stored(smtui_home, "SELECT count(*) FROM posts") == [(2,)]


def test_an_error_in_a_zip_names_the_member_and_writes_nothing(
    cli: Any, smtui_home: Path, tmp_path: Path
) -> None:
    archive = str(tmp_path / "x-exports.zip")
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("a.csv", "\n".join(OVERVIEW) + "\n")
        zipped.writestr("b.csv", "\n".join([*POSTS, POSTS[2].replace(",57,", ",lots,")]) + "\n")

    result = cli("import", archive)

    assert result.code == 2  # bad input, like a bad argument
    assert f'{archive}, file "b.csv" line 6, column "Impressions"' in result.err
    assert stored(smtui_home, "SELECT count(*) FROM account_snapshots") == [(0,)]


# --- bad input: a precise error, exit code 2, and nothing written ----------------------------

SNOWFLAKE_EPOCH_MS = 1288834974657
KNOWN_FORMATS = (
    "x_content (X post analytics (account_analytics_content export))",
    "x_overview",
    "facebook_posts",
    "instagram_posts",
    "instagram_insights",
    "linkedin_content",
    "youtube_table",
    "tiktok_overview",
    "mastodon_outbox",
)


def x_id(moment: int, sequence: int = 0) -> str:
    """The X post id minted at ``moment`` (Unix seconds)."""
    return str(((moment * 1000 - SNOWFLAKE_EPOCH_MS) << 22) + sequence)


def content_row(post_id: str, day: str, text: str, impressions: str = "57") -> str:
    quoted = '"' + text.replace('"', '""') + '"'
    return (
        f'{post_id},"{day}",{quoted},https://x.com/sam/status/{post_id},{impressions},'
        "2,3,0,0,0,0,0,1,0,0,0,0"
    )


def bad_inputs(tmp_path: Path) -> dict[str, tuple[str, str]]:
    """Each kind of bad input: the file, and the error it must give (after ``smtui: error: ``)."""
    good = "\n".join(POSTS) + "\n"
    files: dict[str, bytes] = {
        "empty": b"",
        "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" + bytes(range(256)),
        "unknown": b"When,What\n1,2\n",
        "truncated": good[: good.index("2. learn")].encode(),
        "encoding": good.replace("thanks!", "merci, caf\u00e9").encode("cp1252"),
        "ragged": (good + POSTS[2].replace(",57,", ",57,12,") + "\n").encode(),
        "metric": (good + POSTS[2].replace(",57,", ",lots,") + "\n").encode(),
        "huge": (
            HEADER + "\n" + content_row(ID_AUG_21, "Fri, Aug 21, 2026", "x" * 200_000)
        ).encode(),
    }
    paths = {}
    for name, data in files.items():
        path = tmp_path / f"{name}.csv"
        path.write_bytes(data)
        paths[name] = str(path)
    unknown = "a format smtui knows (looked for: "
    retry = "(download or export the file again)"
    return {
        "empty": (paths["empty"], f"{paths['empty']}: expected {unknown}"),
        "binary": (paths["binary"], f"{paths['binary']}: expected {unknown}"),
        "unknown": (paths["unknown"], f"{paths['unknown']}: expected {unknown}"),
        "truncated": (
            paths["truncated"],
            f"{paths['truncated']} line 2: expected a closing quote before the end of the file,"
            f" got the end of the file inside a quoted cell (it was cut short) {retry}",
        ),
        "encoding": (
            paths["encoding"],
            f"{paths['encoding']} line 5: expected UTF-8 text, got the byte 0xE9 (the file is in"
            ' another encoding) (export it again, or save it as UTF-8 ("CSV UTF-8" in a'
            " spreadsheet))",
        ),
        "ragged": (
            paths["ragged"],
            f"{paths['ragged']} line 6: expected 17 fields like the header, got 18"
            " (an unquoted comma in a text?)",
        ),
        "metric": (
            paths["metric"],
            f'{paths["metric"]} line 6, column "Impressions": expected a whole number,'
            " got 'lots'",
        ),
        "huge": (
            paths["huge"],
            f"{paths['huge']} line 2: expected a field of at most 131,072 characters, got a longer"
            " one (a quote that never closes takes in the rest of the file: check the quotes from"
            " this line on)",
        ),
    }


BAD_INPUTS = ("empty", "binary", "unknown", "truncated", "encoding", "ragged", "metric", "huge")


@pytest.mark.parametrize("kind", BAD_INPUTS)
def test_bad_input_is_refused_precisely_with_exit_2_and_changes_nothing(
    cli: Any, smtui_home: Path, tmp_path: Path, kind: str
) -> None:
    assert cli("import", write(tmp_path / "first.csv", OVERVIEW)).code == 0
    db = smtui_home / "smtui.db"
    before = db.read_bytes()
    path, message = bad_inputs(tmp_path)[kind]

    result = cli("import", write(tmp_path / "good.csv", POSTS), path)

    assert (result.code, result.out) == (2, "")
    [line] = result.err.splitlines()
    assert line.startswith(f"smtui: error: {message}")
    assert db.read_bytes() == before


def test_an_unknown_file_says_what_it_is_and_every_format_looked_for(
    cli: Any, tmp_path: Path
) -> None:
    inputs = bad_inputs(tmp_path)
    found = {kind: cli("import", inputs[kind][0]).err for kind in ("empty", "binary", "unknown")}
    assert "got an empty file" in found["empty"]
    assert "got binary data (export or save it as CSV, or map its columns" in found["binary"]
    assert "got a header no source knows: 'When,What'" in found["unknown"]
    for name in KNOWN_FORMATS:
        assert name in found["unknown"], name


def test_skipping_bad_rows_imports_the_rest_but_never_half_a_file(
    cli: Any, smtui_home: Path, tmp_path: Path
) -> None:
    inputs = bad_inputs(tmp_path)
    for kind in ("ragged", "metric"):
        path, message = inputs[kind]
        result = cli("import", "--skip-bad-rows", path)
        assert result.code == 0, result.err
        assert f"  skipped: {message}" in result.out.splitlines()
    assert stored(smtui_home, "SELECT count(*) FROM posts") == [(2,)]
    for kind in ("truncated", "encoding", "huge"):  # the file as a whole is in doubt
        assert cli("import", "--skip-bad-rows", inputs[kind][0]).code == 2, kind
    assert stored(smtui_home, "SELECT count(*) FROM posts") == [(2,)]


def test_a_path_that_is_not_there_is_bad_input(cli: Any, tmp_path: Path) -> None:
    missing = cli("import", str(tmp_path / "nope.csv"))
    (tmp_path / "empty").mkdir()
    empty = cli("import", str(tmp_path / "empty"))
    unknown_source = cli("import", "--source", "x_contnet", write(tmp_path / "p.csv", POSTS))
    assert (missing.code, empty.code, unknown_source.code) == (2, 2, 2)
    assert missing.err == f"smtui: error: no file or folder at {tmp_path / 'nope.csv'}\n"
    assert empty.err == f"smtui: error: no files to import in {tmp_path / 'empty'}\n"
    assert "unknown source 'x_contnet' (did you mean 'x_content'?)" in unknown_source.err


@pytest.mark.usefixtures("frozen")
def test_formula_looking_text_is_stored_as_written_and_escaped_in_csv_output(
    cli: Any, smtui_home: Path, tmp_path: Path
) -> None:
    texts = ['=HYPERLINK("http://evil.example")', "+33 6 12 34 56 78", "@ana hi", "-5 tips"]
    moment = T0 - 86_400  # the day before the frozen now, in the report's week
    rows = [
        content_row(x_id(moment + n), "Tue, Mar 3, 2026", text, impressions=str(100 - n))
        for n, text in enumerate(texts)
    ]
    path = write(tmp_path / "posts.csv", [HEADER, *rows])

    assert cli("import", path).code == 0
    report = cli("report", "-p", "week", "-f", "csv")

    assert stored(smtui_home, "SELECT text FROM posts ORDER BY published_at") == [
        (text,) for text in texts
    ]
    import csv

    found = list(csv.reader(io.StringIO(report.out)))
    cells = [row[2] for row in found if len(row) == 3 and row[1].endswith(".text")]
    assert sorted(cells) == sorted("'" + text for text in texts)


class Terminal(io.StringIO):
    """What stderr is when a person is watching."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def eager_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    """Draw the bar from the first report, and report as often as records come."""
    monkeypatch.setattr(commands_import, "SHOW_PROGRESS_AFTER_S", 0.0)
    monkeypatch.setattr(importing, "PROGRESS_EVERY_S", 0.0)


@pytest.mark.usefixtures("eager_progress")
def test_a_progress_bar_is_drawn_on_a_terminal_only(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    posts = write(tmp_path / "big.csv", many_posts(3000))

    piped = cli("import", "--dry-run", posts)
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    shown = cli("import", "--dry-run", posts)
    drawn = terminal.getvalue()
    quiet = Terminal()
    monkeypatch.setattr("sys.stderr", quiet)
    refused = cli("import", "--dry-run", "--no-progress", posts)

    assert (piped.code, shown.code, refused.code) == (0, 0, 0)
    assert piped.err == ""
    assert "big.csv (x_content)" in drawn
    assert "2,048 records" in drawn
    assert "\x1b[" in drawn  # drawn in place, and taken away when the file is done
    assert quiet.getvalue() == ""
    assert shown.out == piped.out == refused.out


def test_the_bar_follows_the_bytes_read_when_known_else_the_records(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(commands_import, "SHOW_PROGRESS_AFTER_S", 0.0)
    bar = commands_import.ProgressBar(Terminal())
    long_name = "/exports/" + "x" * 60 + "/a.csv"
    bar(importing.ImportProgress(long_name, "x_content", 2_000_000, 500_000, 4_000, False))
    [task] = bar.progress.tasks
    assert task.description == "…" + long_name[-39:] + " (x_content)"
    assert (task.total, task.completed) == (2_000_000, 500_000)
    assert (task.fields["size"], task.fields["records"]) == ("0.5/2.0 MB", "4,000 records")
    bar(importing.ImportProgress(long_name, "x_content", 2_000_000, None, 9_000, False))
    assert (task.completed, task.fields["records"]) == (500_000, "9,000 records")
    bar(importing.ImportProgress(long_name, "x_content", 2_000_000, 2_000_000, 9_500, True))
    assert bar.progress.tasks == []
    bar(importing.ImportProgress("b.csv", "x_content", 100, None, 0, False))  # no /proc
    [task] = bar.progress.tasks
    assert (task.total, task.completed, task.fields["size"]) == (None, 0, "")
    bar(importing.ImportProgress("b.csv", "x_content", 100, None, 2_048, False))
    assert (task.completed, task.fields["records"]) == (0, "2,048 records")
    bar.close()
    assert bar.progress is None


def test_a_quick_file_gets_no_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commands_import, "SHOW_PROGRESS_AFTER_S", 60.0)
    screen = Terminal()
    bar = commands_import.ProgressBar(screen)
    bar(importing.ImportProgress("a.csv", "x_content", 100, 0, 0, False))
    bar(importing.ImportProgress("a.csv", "x_content", 100, 100, 3, True))
    bar.close()
    assert screen.getvalue() == ""
