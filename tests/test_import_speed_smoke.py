"""The import benchmark runs (with a few thousand rows: its figures are printed, not checked
here), its generated export is the format it claims, and the speed-ups of the X reader keep
its behaviour: a file with bytes that are not UTF-8 still fails at the right line, and rows
of plain digits read the same as rows that need the careful parser."""

from __future__ import annotations

import importlib.util
import subprocess
from typing import TYPE_CHECKING

import pytest

from smtui.builtins.x_export import XContentSource
from smtui.core.importing import import_files
from smtui.sources.csvfile import TableLayout, read_table
from smtui.sources.errors import InputError
from smtui.sources.records import PostRecord
from smtui.sources.x_exports import CONTENT_MEASURES, MeasureReader, read_rows

from .conftest import PYTHON, ROOT, subprocess_env

if TYPE_CHECKING:
    import sqlite3
    from pathlib import Path
    from types import ModuleType

BENCH = ROOT / "bench" / "import_speed.py"


def bench_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("import_speed", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_the_benchmark_prints_every_figure_side_by_side(smtui_home: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [PYTHON, str(BENCH), "--rows", "3000", "--quick", "--no-peers", "--dir", str(tmp_path)],
        env=subprocess_env(smtui_home),
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "Importing a 3,000-row X post export" in out
    for row in (
        "floor: csv.reader over every row",
        "smtui import, empty database",
        "smtui import again (nothing changed)",
    ):
        assert row in out
    assert "MiB" in out
    assert "smtui import / floor:" in out and "again / first:" in out
    assert (tmp_path / "account_analytics_content_3000.csv").exists()  # kept for the next run
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("run-")]  # scratch removed


def test_the_generated_export_is_a_current_x_content_file(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    bench = bench_module()
    path = str(tmp_path / "export.csv")
    bench.write_export(path, 700)
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    assert text.startswith(bench.HEADER)
    assert '""quoted""' in text and "\nsecond line" in text and "🚀" in text
    [result] = import_files(conn, [path], [XContentSource()])
    assert (result.format, result.new, result.skipped) == ("x_content", 700, 0)
    # Every id agrees with its day, so every post gets its exact time, as X's real ids do.
    assert conn.execute("SELECT count(*) FROM posts WHERE day_only = 1").fetchone() == (0,)
    assert conn.execute("SELECT count(DISTINCT external_id) FROM posts").fetchone() == (700,)
    bench.write_export(str(tmp_path / "again.csv"), 700)
    assert (tmp_path / "again.csv").read_bytes() == (tmp_path / "export.csv").read_bytes()


HEADER = (
    "Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Shares,"
    "New follows,Replies,Reposts,Profile visits,Detail Expands,URL Clicks,Hashtag Clicks,"
    "Permalink Clicks\n"
)
ROW = (
    '{id},"Sat, Aug 22, 2026",{text},https://x.com/sam/status/{id},{impressions},1,2,0,0,0,0,0,0,'
    "0,0,0,0\n"
)


def content(rows: int, bad_at: int | None = None) -> bytes:
    """An X content export; row ``bad_at`` (0-based) holds a byte that is not UTF-8."""
    out = HEADER.encode()
    for n in range(rows):
        text = b'"caf\xe9, ok"' if n == bad_at else '"café,\nok"'.encode()
        row = ROW.format(id=2091159742096343193 - n, text="{text}", impressions=n)
        out += row.encode().replace(b"{text}", text)
    return out


@pytest.mark.parametrize("bad_at", [1, 400])  # in the first block read, and much later
def test_a_byte_that_is_not_utf8_fails_at_its_line(tmp_path: Path, bad_at: int) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content(600, bad_at))
    seen: list[str] = []
    with pytest.raises(InputError) as caught:
        for item in XContentSource().read(str(path)):
            assert isinstance(item, PostRecord)
            seen.append(item.external_id)
    # The rows before it are all read, once each; then the error names the bad row's line.
    assert seen == [str(2091159742096343193 - n) for n in range(bad_at)]
    assert caught.value.line == 2 + 2 * bad_at  # each good row takes two lines
    assert caught.value.got == "the byte 0xE9 (the file is in another encoding)"


def test_fast_rows_are_the_rows_read_table_reads(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"\xef\xbb\xbfa title line\n\n" + content(50) + b"\n,,\n\n" + content(2))
    layout = TableLayout(",", 2)
    assert list(read_rows(str(path), "utf-8-sig", layout)) == list(
        read_table(str(path), "utf-8-sig", layout)
    )


def test_plain_digit_rows_read_like_the_careful_parser_reads_them() -> None:
    header = HEADER.strip().split(",")
    reader = MeasureReader(header, CONTENT_MEASURES, "f.csv")
    plain = [
        "1",
        "d",
        "t",
        "u",
        "5000",
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
        "10",
        "11",
        "0",
    ]
    assert reader.read(2, plain) == reader._read_each(2, plain)
    assert reader.read(2, plain)[1] == {
        "share_menu_shares": 4,
        "detail_expands": 9,
        "hashtag_clicks": 11,
        "permalink_clicks": 0,
    }
    blank = [*plain[:5], "", *plain[6:]]
    assert reader.read(2, blank) == reader._read_each(2, blank)
    assert reader.read(2, blank)[0]["likes"] is None
