"""The import pipeline: detection, idempotent upserts, snapshots, atomicity, dry runs."""

from __future__ import annotations

import os
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pytest

from smtui.builtins.csv_source import CsvSource
from smtui.core.importing import ImportResult, import_files
from smtui.errors import NotFoundError, UsageError
from smtui.options import apply_options
from smtui.sources.base import DataSource
from smtui.sources.errors import InputError
from smtui.sources.records import AccountSnapshotRecord, PostRecord
from smtui.store.db import connect

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterator
    from pathlib import Path

    from smtui.sources.records import Record

NOW = 1_750_000_000
HEADER = "Post ID,Date,Text,Impressions,Likes\n"
COLUMNS = {
    "external_id": "Post ID",
    "published_at": "Date",
    "text": "Text",
    "impressions": "Impressions",
    "likes": "Likes",
}


def csv_source(alias: str = "posts", columns: dict[str, str] | None = None) -> CsvSource:
    table = {"platform": "linkedin", "columns": columns or COLUMNS}
    return CsvSource(apply_options(CsvSource.options, table, f"sources.{alias}"), alias=alias)


def write(path: Path, text: str, mtime: int = NOW - 3600) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (mtime, mtime))
    return str(path)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    conn = connect(str(tmp_path / "t.db"))
    yield conn
    conn.close()


def rows(conn: sqlite3.Connection, sql: str) -> list[tuple[Any, ...]]:
    return conn.execute(sql).fetchall()


def dump(conn: sqlite3.Connection) -> list[str]:
    return list(conn.iterdump())


def counts(result: ImportResult) -> tuple[int, int, int, int]:
    return result.new, result.updated, result.unchanged, result.skipped


def test_detects_the_format_and_stores_posts(db: sqlite3.Connection, tmp_path: Path) -> None:
    mtime = NOW - 600
    path = write(
        tmp_path / "posts.csv",
        HEADER + "1,2025-03-20 10:00,Hi,100,5\n2,2025-03-21,Yo,50,-\n",
        mtime,
    )
    [result] = import_files(db, [path], [csv_source()], now=NOW)
    assert (result.path, result.source, result.format, result.detected) == (
        path,
        "posts",
        "csv",
        True,
    )
    assert counts(result) == (2, 0, 0, 0)
    assert result.snapshots == 2
    assert rows(
        db,
        "SELECT platform, external_id, published_at, day_only, text, source, metrics_at,"
        " impressions, likes FROM posts ORDER BY external_id",
    ) == [
        ("linkedin", "1", 1742464800, 0, "Hi", "posts", mtime, 100, 5),
        ("linkedin", "2", 1742515200, 1, "Yo", "posts", mtime, 50, None),
    ]
    assert rows(db, "SELECT captured_at, source, impressions FROM post_history") == [
        (mtime, "posts", 100),
        (mtime, "posts", 50),
    ]
    assert rows(
        db,
        "SELECT kind, source, target, started_at, finished_at, status, rows_new, rows_updated,"
        " rows_unchanged, rows_skipped FROM sync_log",
    ) == [("import", "posts", os.path.abspath(path), NOW, NOW, "ok", 2, 0, 0, 0)]


def test_each_file_goes_to_the_source_whose_columns_it_has(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    x = csv_source("x", {"external_id": "Tweet id", "impressions": "impressions"})
    a = write(tmp_path / "a.csv", HEADER + "1,,,1,1\n")
    b = write(tmp_path / "b.csv", "Tweet id,impressions\n77,9\n")
    results = import_files(db, [a, b], [csv_source(), x], now=NOW)
    assert [(r.source, r.new) for r in results] == [("posts", 1), ("x", 1)]
    assert rows(db, "SELECT external_id, impressions FROM posts ORDER BY id") == [
        ("1", 1),
        ("77", 9),
    ]


def test_two_matching_formats_is_an_error(db: sqlite3.Connection, tmp_path: Path) -> None:
    other = csv_source("other", {"external_id": "Post ID"})
    path = write(tmp_path / "a.csv", HEADER + "1,,,1,1\n")
    with pytest.raises(InputError) as caught:
        import_files(db, [path], [csv_source(), other], now=NOW)
    assert caught.value.got == "one that posts, other all read"
    assert rows(db, "SELECT count(*) FROM posts") == [(0,)]


def test_source_name_forces_a_source(db: sqlite3.Connection, tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", HEADER + "1,,,1,1\n")
    sources: list[DataSource] = [csv_source("a"), csv_source("b")]
    [result] = import_files(db, [path], sources, source_name="b", now=NOW)
    assert (result.source, result.detected, result.new) == ("b", False, 1)
    with pytest.raises(UsageError) as caught:
        import_files(db, [path], sources, source_name="csv", now=NOW)
    assert caught.value.message == "several sources are of type 'csv': a, b"
    with pytest.raises(UsageError) as unknown:
        import_files(db, [path], [csv_source("buffer")], source_name="bufer", now=NOW)
    assert unknown.value.hint == "did you mean 'buffer'?"


def test_unknown_header_lists_the_formats_looked_for(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    x = csv_source("x", {"external_id": "Tweet id"})
    path = write(tmp_path / "mystery.csv", "When,What\n1,2\n")
    with pytest.raises(InputError) as caught:
        import_files(db, [path], [csv_source(), x], now=NOW)
    error = caught.value
    assert error.file == path
    assert error.expected == (
        "a format smtui knows (looked for: posts (CSV with a column mapping),"
        " x (CSV with a column mapping))"
    )
    assert error.got == "a header no source knows: 'When,What'"


def test_empty_and_binary_files_say_what_they_are(db: sqlite3.Connection, tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.csv", "")
    with pytest.raises(InputError) as caught:
        import_files(db, [empty], [csv_source()], now=NOW)
    assert caught.value.got == "an empty file"
    binary = tmp_path / "sheet.xls"
    binary.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 100)
    with pytest.raises(InputError) as caught:
        import_files(db, [str(binary)], [csv_source()], now=NOW)
    assert caught.value.got == "binary data"


def test_a_broken_sniff_does_not_hide_other_formats(db: sqlite3.Connection, tmp_path: Path) -> None:
    class Broken(DataSource):
        name = "broken"

        def sniff(self, head: bytes, path: str) -> bool:
            raise RuntimeError("boom")

    path = write(tmp_path / "a.csv", HEADER + "1,,,1,1\n")
    [result] = import_files(db, [path], [Broken(), csv_source()], now=NOW)
    assert result.source == "posts"
    with pytest.raises(InputError) as caught:
        import_files(db, [write(tmp_path / "b.csv", "x\n")], [Broken()], now=NOW)
    assert "broken failed to check it: boom" in caught.value.hint


def test_importing_twice_changes_nothing(db: sqlite3.Connection, tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", HEADER + "1,,a,10,1\n2,,b,20,2\n")
    import_files(db, [path], [csv_source()], now=NOW)
    before = rows(db, "SELECT * FROM posts ORDER BY id")
    [again] = import_files(db, [path], [csv_source()], now=NOW + 60)
    assert counts(again) == (0, 0, 2, 0)
    assert again.snapshots == 0
    assert rows(db, "SELECT * FROM posts ORDER BY id") == before
    assert rows(db, "SELECT count(*) FROM post_history") == [(2,)]
    assert rows(db, "SELECT rows_new, rows_unchanged FROM sync_log ORDER BY id") == [
        (2, 0),
        (0, 2),
    ]


def test_changed_metrics_add_a_snapshot_and_update_the_latest(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    first = write(tmp_path / "jan.csv", HEADER + "1,,a,10,1\n2,,b,20,2\n", mtime=1000)
    second = write(tmp_path / "feb.csv", HEADER + "1,,a,15,-\n2,,b,20,2\n", mtime=2000)
    import_files(db, [first], [csv_source()], now=NOW)
    [result] = import_files(db, [second], [csv_source()], now=NOW)
    assert counts(result) == (0, 1, 1, 0)
    assert result.snapshots == 1
    # likes was not reported ("-") in February: the January value stays the latest known.
    assert rows(db, "SELECT external_id, impressions, likes, metrics_at FROM posts") == [
        ("1", 15, 1, 2000),
        ("2", 20, 2, 1000),
    ]
    # The replaced numbers moved to the history; the latest are the post's own.
    assert rows(db, "SELECT captured_at, impressions, likes FROM post_snapshots") == [(1000, 10, 1)]
    assert rows(
        db, "SELECT captured_at, impressions, likes FROM post_history ORDER BY captured_at, 2"
    ) == [(1000, 10, 1), (1000, 20, 2), (2000, 15, 1)]


def test_an_older_export_adds_history_but_not_the_latest(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    newer = write(tmp_path / "new.csv", HEADER + "1,,a,90,9\n", mtime=2000)
    older = write(tmp_path / "old.csv", HEADER + "1,,a,40,4\n", mtime=1000)
    import_files(db, [newer], [csv_source()], now=NOW)
    [result] = import_files(db, [older], [csv_source()], now=NOW)
    assert counts(result) == (0, 1, 0, 0)
    assert rows(db, "SELECT impressions, likes, metrics_at FROM posts") == [(90, 9, 2000)]
    assert rows(db, "SELECT captured_at, impressions FROM post_history ORDER BY 1") == [
        (1000, 40),
        (2000, 90),
    ]


def test_post_fields_are_updated_but_never_blanked(db: sqlite3.Connection, tmp_path: Path) -> None:
    import_files(db, [write(tmp_path / "a.csv", HEADER + "1,,first,1,1\n")], [csv_source()])
    [edited] = import_files(
        db, [write(tmp_path / "b.csv", HEADER + "1,,second,1,1\n")], [csv_source()]
    )
    [blank] = import_files(db, [write(tmp_path / "c.csv", HEADER + "1,,,1,1\n")], [csv_source()])
    assert (counts(edited), counts(blank)) == ((0, 1, 0, 0), (0, 0, 1, 0))
    assert rows(db, "SELECT text FROM posts") == [("second",)]


def test_a_bad_row_leaves_the_database_byte_for_byte_unchanged(tmp_path: Path) -> None:
    db_path = tmp_path / "t.db"
    conn = connect(str(db_path))
    import_files(conn, [write(tmp_path / "old.csv", HEADER + "1,,a,1,1\n")], [csv_source()])
    conn.close()
    before = db_path.read_bytes()
    good = write(tmp_path / "in" / "a.csv", HEADER + "1,,changed,5,5\n2,,new,1,1\n", mtime=5)
    bad = write(tmp_path / "in" / "b.csv", HEADER + "3,,x,1,1\n4,,y,lots,1\n", mtime=5)
    conn = connect(str(db_path))
    with pytest.raises(InputError) as caught:
        import_files(conn, [good, bad], [csv_source()], now=NOW)
    conn.close()
    assert (caught.value.file, caught.value.line, caught.value.column) == (bad, 3, "Impressions")
    assert db_path.read_bytes() == before


def test_skip_bad_rows_imports_the_rest(db: sqlite3.Connection, tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", HEADER + "1,,a,1,1\n2,,b,oops,1\n3,,c,3,1,extra\n4,,d,4,1\n")
    [result] = import_files(db, [path], [csv_source()], skip_bad_rows=True, now=NOW)
    assert counts(result) == (2, 0, 0, 2)
    assert [(e.line, e.column, e.reason) for e in result.skipped_rows] == [
        (3, "Impressions", "expected a whole number, got 'oops'"),
        (4, None, "expected 5 fields like the header, got 6"),
    ]
    assert rows(db, "SELECT external_id FROM posts ORDER BY id") == [("1",), ("4",)]
    assert rows(db, "SELECT rows_new, rows_skipped FROM sync_log") == [(2, 2)]
    assert result.as_dict()["skipped_rows"][0] == {
        "line": 3,
        "column": "Impressions",
        "reason": "expected a whole number, got 'oops'",
    }


def test_dry_run_reports_the_same_and_writes_nothing(tmp_path: Path) -> None:
    db_path = tmp_path / "t.db"
    conn = connect(str(db_path))
    import_files(conn, [write(tmp_path / "old.csv", HEADER + "1,,a,1,1\n")], [csv_source()])
    conn.close()
    before = db_path.read_bytes()
    path = write(tmp_path / "new.csv", HEADER + "1,,a,7,1\n2,,b,1,1\n", mtime=NOW)
    conn = connect(str(db_path))
    [dry] = import_files(conn, [path], [csv_source()], dry_run=True, now=NOW)
    dumped = dump(conn)
    conn.close()
    assert db_path.read_bytes() == before
    assert (counts(dry), dry.snapshots, dry.dry_run) == ((1, 1, 0, 0), 2, True)
    conn = connect(str(db_path))
    [real] = import_files(conn, [path], [csv_source()], now=NOW)
    assert dump(conn) != dumped
    conn.close()
    assert (counts(real), real.snapshots, real.dry_run) == ((1, 1, 0, 0), 2, False)


def test_folders_are_walked_in_order_without_hidden_files(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    b = write(folder / "b.csv", HEADER + "2,,,1,1\n")
    a = write(folder / "sub" / "a.csv", HEADER + "1,,,1,1\n")
    write(folder / ".DS_Store", "junk")
    write(folder / ".git" / "config", "junk")
    results = import_files(db, [str(folder), b], [csv_source()], now=NOW)
    assert [r.path for r in results] == [b, a]


def test_missing_paths_and_empty_folders(db: sqlite3.Connection, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        import_files(db, [str(tmp_path / "nope.csv")], [csv_source()])
    (tmp_path / "empty").mkdir()
    with pytest.raises(NotFoundError):
        import_files(db, [str(tmp_path / "empty")], [csv_source()])


class Canned(DataSource):
    """A source that recognises ``canned`` files and yields the records it was given."""

    name = "canned"
    title = "test records"

    def __init__(self, records: list[Record | InputError]) -> None:
        super().__init__()
        self.records = records

    def sniff(self, head: bytes, path: str) -> bool:
        return head.startswith(b"canned")

    def read(self, path: str) -> Iterator[Record | InputError]:
        yield from self.records


def test_account_snapshots_upsert_on_their_key(db: sqlite3.Connection, tmp_path: Path) -> None:
    path = write(tmp_path / "f.txt", "canned")

    def snap(taken_at: int, followers: int | None, posts: int | None) -> AccountSnapshotRecord:
        return AccountSnapshotRecord("x", "me", taken_at, followers=followers, posts=posts)

    [first] = import_files(db, [path], [Canned([snap(100, 10, 3), snap(200, 12, 4)])])
    [same] = import_files(db, [path], [Canned([snap(100, 10, 3), snap(200, 12, 4)])])
    [changed] = import_files(db, [path], [Canned([snap(100, 11, None), snap(300, 15, 5)])])
    assert [counts(r) for r in (first, same, changed)] == [
        (2, 0, 0, 0),
        (0, 0, 2, 0),
        (1, 1, 0, 0),
    ]
    assert rows(db, "SELECT taken_at, followers, posts, source FROM account_snapshots") == [
        (100, 11, 3, "canned"),
        (200, 12, 4, "canned"),
        (300, 15, 5, "canned"),
    ]


def test_two_exports_of_the_same_day_merge_their_extra_values(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    """A followers file and a visitors file for the same day both keep their numbers."""
    path = write(tmp_path / "f.txt", "canned")

    def day(**extra: int) -> AccountSnapshotRecord:
        return AccountSnapshotRecord("linkedin", "page", 100, extra=dict(extra))

    [followers] = import_files(db, [path], [Canned([day(new_followers=4)])])
    [visitors] = import_files(db, [path], [Canned([day(page_views=30)])])
    [again] = import_files(db, [path], [Canned([day(new_followers=4)])])
    [changed] = import_files(db, [path], [Canned([day(page_views=31)])])
    assert [counts(r) for r in (followers, visitors, again, changed)] == [
        (1, 0, 0, 0),
        (0, 1, 0, 0),
        (0, 0, 1, 0),
        (0, 1, 0, 0),
    ]
    assert rows(db, "SELECT extra FROM account_snapshots") == [
        ('{"new_followers":4,"page_views":31}',)
    ]


def test_export_time_from_the_source_beats_the_file_time(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    path = write(tmp_path / "f.txt", "canned", mtime=5000)
    post = PostRecord("x", "9", metrics={"likes": 3}, extra={"bookmarks": 1}, captured_at=4000)
    [result] = import_files(db, [path], [Canned([post])], now=NOW)
    assert result.exported_at == 4000
    assert rows(db, "SELECT captured_at, likes, extra FROM post_history") == [
        (4000, 3, '{"bookmarks":1}')
    ]
    assert rows(db, "SELECT metrics_at FROM posts") == [(4000,)]
    assert rows(db, "SELECT exported_at FROM sync_log") == [(4000,)]


def test_a_file_of_account_snapshots_records_its_export_time(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    """Daily series hold no post to date: the export time still reaches the sync log."""
    path = write(tmp_path / "f.txt", "canned", mtime=5000)
    days = [AccountSnapshotRecord("x", "me", day, extra={"views": 1}) for day in (100, 200)]
    named = [
        AccountSnapshotRecord("x", "me", 300, extra={"views": 2}, exported_at=4500),
        AccountSnapshotRecord("x", "me", 400, extra={"views": 3}, exported_at=4000),
    ]
    [from_file] = import_files(db, [path], [Canned(days)], now=NOW)
    [from_source] = import_files(db, [path], [Canned(named)], now=NOW)
    [nothing] = import_files(db, [path], [Canned([])], now=NOW)
    assert (from_file.exported_at, from_source.exported_at, nothing.exported_at) == (
        5000,  # the file's time, as for posts the source does not date
        4500,  # the latest the source reported
        5000,
    )
    assert rows(db, "SELECT exported_at FROM sync_log ORDER BY id") == [(5000,), (4500,), (5000,)]


def test_an_exact_time_is_not_replaced_by_a_day(db: sqlite3.Connection, tmp_path: Path) -> None:
    path = write(tmp_path / "f.txt", "canned")
    exact = PostRecord("x", "1", published_at=1_742_464_800)
    day = PostRecord("x", "1", published_at=1_742_428_800, day_only=True)
    import_files(db, [path], [Canned([day])])
    [upgraded] = import_files(db, [path], [Canned([exact])])
    [kept] = import_files(db, [path], [Canned([day])])
    assert (counts(upgraded), counts(kept)) == ((0, 1, 0, 0), (0, 0, 1, 0))
    assert rows(db, "SELECT published_at, day_only FROM posts") == [(1_742_464_800, 0)]


def test_a_yielded_error_stops_the_import_unless_skipping(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    path = write(tmp_path / "f.txt", "canned")
    error = InputError(path, "a number", got="'x'", line=2, column="Likes")
    records: list[Record | InputError] = [PostRecord("x", "1"), error, PostRecord("x", "2")]
    with pytest.raises(InputError):
        import_files(db, [path], [Canned(records)])
    assert rows(db, "SELECT count(*) FROM posts") == [(0,)]
    [result] = import_files(db, [path], [Canned(records)], skip_bad_rows=True)
    assert (counts(result), result.skipped_rows) == ((2, 0, 0, 1), [error])


def test_post_metrics_must_be_known_columns() -> None:
    with pytest.raises(ValueError, match="bookmarks"):
        PostRecord("x", "1", metrics={"bookmarks": 1})


# --- chunked writes, zips, previews and progress -----------------------------------------------


def _random_posts(seed: int, count: int) -> list[Record | InputError]:
    """Posts drawn from a few ids (so many repeat, some within one chunk), with empty fields,
    day-only and exact dates, missing metrics, extra values and export times in any order."""
    import random

    rnd = random.Random(seed)
    posts: list[Record | InputError] = []
    for _ in range(count):
        day_only = rnd.random() < 0.4
        moment = rnd.choice([None, 1_742_428_800, 1_742_464_800, 1_742_515_200])
        metrics: dict[str, int | None] = {
            name: rnd.choice([None, 0, 3, 7]) for name in ("impressions", "likes", "shares")
        }
        extra = rnd.choice([{}, {"bookmarks": 2}, {"rate": 0.5, "rate_definition": "x / y"}])
        posts.append(
            PostRecord(
                rnd.choice(["x", "linkedin"]),
                str(rnd.randint(1, 25)),
                account=rnd.choice(["", "me", "you"]),
                published_at=moment,
                day_only=day_only,
                kind=rnd.choice(["", "post", "reply"]),
                text=rnd.choice(["", "hello", "hello, edited"]),
                url=rnd.choice(["", "https://example.com/1"]),
                metrics=metrics,
                extra=extra,
                captured_at=rnd.choice([None, 1000, 2000, 3000]),
            )
        )
        if rnd.random() < 0.05:
            posts.append(AccountSnapshotRecord("x", "me", rnd.choice([100, 200]), followers=5))
    return posts


def _store_state(conn: sqlite3.Connection) -> list[list[tuple[Any, ...]]]:
    return [
        rows(conn, f"SELECT * FROM {table} ORDER BY 1, 2, 3")
        for table in ("posts", "post_snapshots", "account_snapshots", "post_totals")
    ]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_chunked_writes_store_exactly_what_one_by_one_writes_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    """A chunk of one post is the post-by-post import; any other size must not change what is
    stored or counted, whatever mix of repeats, dates and numbers the files hold."""
    from smtui.core import post_writer

    files = [write(tmp_path / f"f{index}.txt", "canned", mtime=500 * index) for index in range(3)]
    outcomes = []
    for chunk in (1, 4, 1000):
        monkeypatch.setattr(post_writer, "CHUNK", chunk)
        conn = connect(str(tmp_path / f"chunk{chunk}.db"))
        counted = []
        for index, path in enumerate(files):
            records = _random_posts(seed * 10 + index, 60)
            [result] = import_files(conn, [path], [Canned(records)], now=NOW)
            counted.append((counts(result), result.snapshots))
        outcomes.append((counted, _store_state(conn)))
        conn.close()
    assert outcomes[1] == outcomes[0]
    assert outcomes[2] == outcomes[0]
    counted, (posts, snapshots, _, totals) = outcomes[0]
    assert counted[0][0][0] > 0 and any(c[0][1] for c in counted)  # new ones, then updates
    assert len(posts) == len({(p[1], p[2]) for p in posts})  # never a duplicate post
    assert snapshots
    assert totals


def _rebuilt_totals(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """``post_totals`` as a rebuild from the posts makes it (rolled back afterwards)."""
    from smtui.store.migrations import rebuild_post_totals_sql

    conn.execute("BEGIN")
    try:
        for statement in rebuild_post_totals_sql():
            conn.execute(statement)
        return rows(conn, "SELECT * FROM post_totals ORDER BY 1, 2, 3")
    finally:
        conn.execute("ROLLBACK")


def _schema(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    return rows(conn, "SELECT type, name, sql FROM sqlite_master ORDER BY 1, 2")


@pytest.mark.parametrize("seed", [1, 2])
def test_imports_keep_the_post_totals_exact(tmp_path: Path, seed: int) -> None:
    """New posts are summed a chunk at a time, changed ones by the triggers: together they
    give what summing every post gives, after each file."""
    conn = connect(str(tmp_path / "t.db"))
    for index in range(3):
        path = write(tmp_path / f"f{index}.txt", "canned", mtime=500 * index)
        import_files(conn, [path], [Canned(_random_posts(seed * 10 + index, 80))], now=NOW)
        assert rows(conn, "SELECT * FROM post_totals ORDER BY 1, 2, 3") == _rebuilt_totals(conn)
    conn.close()


def _new_posts(count: int, start: int = 0) -> list[Record | InputError]:
    return [
        PostRecord(
            "x",
            str(start + index),
            published_at=1_742_428_800 + index * 5000,
            metrics={"impressions": 100 + index, "engagements": index % 7},
            captured_at=NOW,
        )
        for index in range(count)
    ]


def test_a_large_load_of_new_posts_builds_the_indexes_once_at_the_end(
    db: sqlite3.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smtui.core import importing, post_writer

    monkeypatch.setattr(post_writer, "CHUNK", 4)
    monkeypatch.setattr(importing, "_MAX_ROW_BYTES", 1)  # the file "holds" many posts
    set_aside = []
    original = post_writer.SecondaryIndexes.set_aside
    monkeypatch.setattr(
        post_writer.SecondaryIndexes,
        "set_aside",
        lambda self: set_aside.append(self) or original(self),
    )
    schema = _schema(db)
    path = write(tmp_path / "big.txt", "canned" + " " * 100)
    [result] = import_files(db, [path], [Canned(_new_posts(30))], now=NOW)

    assert set_aside  # the first full chunk of new posts set the indexes aside
    assert counts(result) == (30, 0, 0, 0)
    assert _schema(db) == schema  # ... and they are all back
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    assert rows(db, "SELECT * FROM post_totals ORDER BY 1, 2, 3") == _rebuilt_totals(db)
    # A file smaller than twice what is stored leaves the indexes in place.
    set_aside.clear()
    small = write(tmp_path / "small.txt", "canned" + " " * 50)
    [again] = import_files(db, [small], [Canned(_new_posts(40))], now=NOW)
    assert counts(again) == (10, 0, 30, 0)
    assert not set_aside


def test_a_failed_large_load_leaves_indexes_triggers_and_rows_as_they_were(
    db: sqlite3.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smtui.core import importing, post_writer

    monkeypatch.setattr(post_writer, "CHUNK", 4)
    monkeypatch.setattr(importing, "_MAX_ROW_BYTES", 1)
    path = write(tmp_path / "big.txt", "canned" + " " * 100)
    import_files(db, [path], [Canned(_new_posts(5, start=1000))], now=NOW)
    schema = _schema(db)
    before = [rows(db, f"SELECT * FROM {t}") for t in ("posts", "post_totals", "post_snapshots")]
    bad = InputError(path, "a number", got="'x'", line=40)
    with pytest.raises(InputError):
        import_files(db, [path], [Canned([*_new_posts(30), bad])], now=NOW)
    assert _schema(db) == schema
    after = [rows(db, f"SELECT * FROM {t}") for t in ("posts", "post_totals", "post_snapshots")]
    assert after == before


def test_a_post_twice_in_one_file_is_stored_once_and_updated(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    path = write(tmp_path / "f.txt", "canned")
    first = PostRecord("x", "1", text="draft", metrics={"likes": 1}, captured_at=100)
    second = PostRecord("x", "1", text="final", metrics={"likes": 4}, captured_at=200)
    [result] = import_files(db, [path], [Canned([first, second])])
    assert (counts(result), result.snapshots) == ((1, 1, 0, 0), 2)
    assert rows(db, "SELECT text, likes, metrics_at FROM posts") == [("final", 4, 200)]


def test_the_import_leaves_no_temporary_tables_and_restores_the_settings(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    db.execute("PRAGMA cache_size = -1234")
    db.execute("PRAGMA temp_store = MEMORY")
    path = write(tmp_path / "a.csv", HEADER + "1,,a,1,1\n")
    import_files(db, [path], [csv_source()], now=NOW)
    temporary = rows(db, "SELECT name FROM sqlite_temp_master WHERE type = 'table'")
    assert temporary == []
    assert rows(db, "PRAGMA cache_size") == [(-1234,)]
    assert rows(db, "PRAGMA temp_store") == [(2,)]


def test_a_result_previews_the_first_records(db: sqlite3.Connection, tmp_path: Path) -> None:
    from smtui.core.importing import PREVIEW_RECORDS

    path = write(tmp_path / "a.csv", HEADER + "".join(f"{n},,t{n},{n},1\n" for n in range(9)))
    [result] = import_files(db, [path], [csv_source()], dry_run=True, now=NOW)
    assert [post.external_id for post in result.preview] == ["0", "1", "2", "3", "4"]
    assert len(result.preview) == PREVIEW_RECORDS
    preview = result.as_dict()["preview"][0]
    assert (preview["record"], preview["external_id"], preview["metrics"]) == (
        "post",
        "0",
        {"impressions": 0, "likes": 1},
    )


def test_progress_is_told_how_far_each_file_got(db: sqlite3.Connection, tmp_path: Path) -> None:
    from smtui.core.importing import ImportProgress

    body = "".join(f"{n},,t{n},{n},1\n" for n in range(3000))
    path = write(tmp_path / "a.csv", HEADER + body)
    heard: list[ImportProgress] = []
    import_files(db, [path], [csv_source()], now=NOW, progress=heard.append)
    size = os.path.getsize(path)
    assert (heard[0].path, heard[0].source, heard[0].records, heard[0].done) == (
        path,
        "posts",
        0,
        False,
    )
    assert (heard[-1].records, heard[-1].read_bytes, heard[-1].total_bytes) == (3000, size, size)
    assert heard[-1].done and not any(report.done for report in heard[:-1])


def test_read_position_follows_an_open_file(tmp_path: Path) -> None:
    from smtui.core.read_progress import ReadPosition

    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 100_000)
    position = ReadPosition(str(path))
    if not os.path.isdir("/proc/self/fd"):  # only Linux can say; the bar counts records then
        assert position() is None
        return
    assert position() is None  # nobody has it open
    with open(path, "rb", buffering=0) as handle:
        handle.read(40_000)
        assert position() == 40_000
        handle.seek(90_000)
        assert position() == 90_000
    assert position() is None


def _zip(path: Path, members: dict[str, str | bytes]) -> str:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 3, 20, 12, 0, 0))
            archive.writestr(info, data)
    return str(path)


def test_a_zip_no_source_reads_is_imported_member_by_member(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    x = csv_source("x", {"external_id": "Tweet id", "impressions": "impressions"})
    archive = _zip(
        tmp_path / "exports.zip",
        {
            "b/posts.csv": HEADER + "1,,a,10,1\n2,,b,20,2\n",
            "a/tweets.csv": "Tweet id,impressions\n77,9\n",
            "__MACOSX/a/._tweets.csv": b"\x00\x05junk",
            ".hidden.csv": "junk",
            "folder/": "",
        },
    )
    results = import_files(db, [archive], [csv_source(), x], now=NOW)
    assert [(r.path, r.source, r.new) for r in results] == [
        (f'{archive}, file "a/tweets.csv"', "x", 1),
        (f'{archive}, file "b/posts.csv"', "posts", 2),
    ]
    # Dated by the archive's own time for the member, as unzip would date the file.
    stamp = int(datetime(2025, 3, 20, 12, 0).timestamp())
    assert rows(db, "SELECT DISTINCT metrics_at FROM posts") == [(stamp,)]
    assert rows(db, "SELECT target FROM sync_log ORDER BY id") == [
        (f'{os.path.abspath(archive)}, file "a/tweets.csv"',),
        (f'{os.path.abspath(archive)}, file "b/posts.csv"',),
    ]
    again = import_files(db, [archive], [csv_source(), x], now=NOW)
    assert [counts(r) for r in again] == [(0, 0, 1, 0), (0, 0, 2, 0)]


def test_errors_in_a_zip_name_the_member(db: sqlite3.Connection, tmp_path: Path) -> None:
    archive = _zip(tmp_path / "in.zip", {"posts.csv": HEADER + "1,,a,1,1\n2,,b,lots,1\n"})
    with pytest.raises(InputError) as bad_row:
        import_files(db, [archive], [csv_source()], now=NOW)
    assert (bad_row.value.file, bad_row.value.line, bad_row.value.column) == (
        f'{archive}, file "posts.csv"',
        3,
        "Impressions",
    )
    assert str(bad_row.value).startswith(f'{archive}, file "posts.csv" line 3, column')
    [skipping] = import_files(db, [archive], [csv_source()], skip_bad_rows=True, now=NOW)
    assert skipping.skipped_rows[0].file == f'{archive}, file "posts.csv"'
    unknown = _zip(tmp_path / "odd.zip", {"notes.txt": "hello\n"})
    with pytest.raises(InputError) as caught:
        import_files(db, [unknown], [csv_source()], now=NOW)
    assert caught.value.file == f'{unknown}, file "notes.txt"'
    assert caught.value.got == "a header no source knows: 'hello'"
    empty = _zip(tmp_path / "empty.zip", {"folder/": ""})
    with pytest.raises(InputError) as nothing:
        import_files(db, [empty], [csv_source()], now=NOW)
    assert (nothing.value.file, nothing.value.got) == (empty, "no files in it")


def test_a_zip_a_source_reads_whole_is_not_unpacked(db: sqlite3.Connection, tmp_path: Path) -> None:
    class Archive(DataSource):
        name = "archive"

        def sniff(self, head: bytes, path: str) -> bool:
            return head.startswith(b"PK\x03\x04")

        def read(self, path: str) -> Iterator[Record | InputError]:
            yield PostRecord("mastodon", "1", text="from the whole archive")

    archive = _zip(tmp_path / "archive.zip", {"outbox.json": "{}"})
    [result] = import_files(db, [archive], [Archive(), csv_source()], now=NOW)
    assert (result.path, result.source, result.new) == (archive, "archive", 1)


def test_a_spreadsheet_no_source_reads_is_not_taken_for_a_zip_of_files(
    db: sqlite3.Connection, tmp_path: Path
) -> None:
    book = _zip(tmp_path / "book.xlsx", {"[Content_Types].xml": "<x/>", "xl/workbook.xml": "<w/>"})
    with pytest.raises(InputError) as caught:
        import_files(db, [book], [csv_source()], now=NOW)
    assert (caught.value.file, caught.value.got) == (book, "binary data")


def test_a_built_in_source_that_crashes_fails_like_a_plugin(
    db: sqlite3.Connection, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smtui.api import PluginError
    from smtui.builtins.x_export import XContentSource

    def crash(self: XContentSource, path: str) -> Iterator[Record | InputError]:
        yield PostRecord("x", "1")
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(XContentSource, "read", crash)
    path = write(tmp_path / "x.csv", "Post id,Date,Post text,Post Link,Impressions\n")
    with pytest.raises(PluginError) as caught:
        import_files(db, [path], [XContentSource()], now=NOW)
    assert "source 'x_content' reading x.csv failed: ZeroDivisionError: boom" in str(caught.value)
    assert rows(db, "SELECT count(*) FROM posts") == [(0,)]


def test_a_chosen_source_reads_each_file_of_a_zip(db: sqlite3.Connection, tmp_path: Path) -> None:
    archive = _zip(
        tmp_path / "in.zip", {"a.csv": HEADER + "1,,a,1,1\n", "b.csv": HEADER + "2,,b,1,1\n"}
    )
    sources: list[DataSource] = [csv_source("a"), csv_source("b")]
    results = import_files(db, [archive], sources, source_name="b", now=NOW)
    assert [(r.path, r.source, r.detected, r.new) for r in results] == [
        (f'{archive}, file "a.csv"', "b", False, 1),
        (f'{archive}, file "b.csv"', "b", False, 1),
    ]


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"b": 2, "a": -3},
        {"share_menu_shares": 14, "detail_expands": 18},
        {"x%y": 5, "é": 7, 'q"uote': 1, "back\\slash": 2},
        {"a": True},
        {"a": 1.5, "b": 2},
        {"a": "text", "b": 1},
        {"a": 10**30},
        {"a": None},
        {"a": [1, 2]},
    ],
)
def test_extra_json_is_what_the_encoder_writes(extra: dict[str, Any]) -> None:
    """The template written for whole numbers gives the encoder's exact text, key order and
    escapes included, and anything else goes to the encoder (twice: the template is kept)."""
    import json

    from smtui.core.post_writer import ExtraJson

    encode = ExtraJson()
    expected = json.dumps(extra, sort_keys=True, separators=(",", ":")) if extra else None
    assert encode(extra) == expected
    assert encode(dict(reversed(extra.items()))) == expected
    assert encode(extra) == expected
