"""How fast ``smtui import`` stores a large X export, next to a bare CSV parse and its peers.

Target: a 1,000,000-row ``account_analytics_content`` export (the current X post export:
quoted, multi-line post texts; about 240 MB) imports, with typed values and de-duplication, in
at most 3x the time of a bare ``csv.reader`` pass over the same file, with a peak memory of at
most 50 MiB; importing the same file again is not slower than the first time.

Measured in one run, each as a separate process, the median of ``--runs``:

- the **floor**: ``csv.reader`` reading every row of the file, and nothing else;
- ``sqlite3`` (the command-line shell) ``.import``: every cell as text into a bare table, no
  index, no types (if the ``sqlite3`` program is installed);
- ``sqlite-utils insert --csv``, the usual Python tool for this (installed from PyPI into a
  scratch folder the first time; skipped, with a message, if that fails; ``--no-peers`` skips
  it);
- ``smtui import`` into an empty database (a post per row with its numbers, all indexes and
  summary tables kept), and ``smtui import`` of the same file again (every row compared,
  nothing written). The peak resident memory of those processes is measured too;
- for scale, what SQLite alone takes to write the same posts into smtui's schema (copied with
  ``INSERT ... SELECT`` from the imported database: no Python per row, indexes and summary
  triggers kept up row by row): the floor under any importer that writes row by row.

The export is generated once per row count (deterministic) and kept in ``--dir``.

    python bench/import_speed.py [--rows N] [--quick] [--runs N] [--dir DIR] [--no-peers]
"""

from __future__ import annotations

import argparse
import calendar
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(__file__))
from _common import compile_bytecode, smtui_command

TARGET_RATIO = 3.0
TARGET_RSS_MIB = 50.0
HEADER = (
    "Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Shares,New follows,"
    "Replies,Reposts,Profile visits,Detail Expands,URL Clicks,Hashtag Clicks,Permalink Clicks\n"
)
WORDS = [
    "the",
    "a",
    "marketing",
    "growth",
    "thread",
    "idea",
    "post",
    "launch",
    "product,",
    "customer",
    '"quoted"',
    "build",
    "ship",
    "learn",
    "café",
    "🚀",
]
FLOOR = (
    "import csv, sys\n"
    "with open(sys.argv[1], encoding='utf-8', newline='') as f:\n"
    "    for row in csv.reader(f):\n"
    "        pass\n"
)
SQLITE_UTILS = "sqlite-utils"
STORE_FLOOR = (  # a chunk of posts at a time, with the import's cache, as smtui does
    "import sys\n"
    "from smtui.core.importing import IMPORT_CACHE_KIB\n"
    "from smtui.core.post_writer import CHUNK\n"
    "from smtui.store.db import Transaction, connect\n"
    "conn = connect(sys.argv[2])\n"
    "conn.execute(f'PRAGMA cache_size = {-IMPORT_CACHE_KIB}')\n"
    "conn.execute('ATTACH DATABASE ? AS imported', (sys.argv[1],))\n"
    "last = conn.execute('SELECT coalesce(max(id), 0) FROM imported.posts').fetchone()[0]\n"
    "with Transaction(conn):\n"
    "    for start in range(0, last, CHUNK):\n"
    "        ids = (start, start + CHUNK)\n"
    "        conn.execute('INSERT INTO posts SELECT * FROM imported.posts'\n"
    "                     ' WHERE id > ? AND id <= ?', ids)\n"
    "        conn.execute('INSERT INTO post_snapshots SELECT * FROM imported.post_snapshots'\n"
    "                     ' WHERE post_id > ? AND post_id <= ?', ids)\n"
)


def write_export(path: str, rows: int) -> None:
    """A 2026-vintage X ``account_analytics_content`` export of ``rows`` posts, newest first.

    About 300 posts a day; texts of 3 to 30 words, some quoted, some with commas and quotes,
    one in eleven on two lines; Snowflake ids that agree with their day, as X's do.
    """
    rnd = random.Random(5)
    day = date(2026, 8, 22)
    post_id = 1958000000000000000
    temporary = path + ".part"
    with open(temporary, "w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        for index in range(rows):
            if index % 300 == 0:
                day -= timedelta(days=1)
                # The id of a post made on ``day``: its milliseconds since X's epoch, shifted.
                midnight_ms = calendar.timegm(day.timetuple()) * 1000 - 1288834974657
                post_id = (midnight_ms + 86_000_000) << 22
            post_id -= rnd.randint(1, 280_000) << 22
            text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(3, 30)))
            if index % 7 == 0:
                text = "@someone " + text
            if index % 11 == 0:
                text += "\nsecond line"
            if any(mark in text for mark in ',"\n'):
                text = '"' + text.replace('"', '""') + '"'
            when = f'"{day:%a, %b} {day.day}, {day.year}"'
            counts = [rnd.randint(0, 5000), *(rnd.randint(0, 50) for _ in range(12))]
            link = f"https://x.com/handle/status/{post_id}"
            out.write(f"{post_id},{when},{text},{link},{','.join(map(str, counts))}\n")
    os.replace(temporary, path)


def export_file(folder: str, rows: int) -> str:
    """The export of ``rows`` rows in ``folder``, written the first time it is asked for."""
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"account_analytics_content_{rows}.csv")
    if not os.path.exists(path):
        print(f"writing a {rows:,}-row export to {path} ...", flush=True)
        write_export(path, rows)
    return path


class Run:
    """One timed child process: wall time in seconds and its peak resident memory in MiB."""

    def __init__(self, seconds: float, peak_mib: float) -> None:
        self.seconds = seconds
        self.peak_mib = peak_mib


def run(cmd: list[str], env: dict[str, str] | None = None) -> Run:
    """Run ``cmd`` and measure it alone: ``wait4`` gives this child's own resource usage."""
    started = time.perf_counter()
    child = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {errors.decode(errors='replace')[-800:]}")
    # ru_maxrss is in KiB on Linux, bytes on macOS.
    peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return Run(seconds, peak)


def sqlite_utils_command(folder: str) -> list[str] | None:
    """A command running sqlite-utils, installed from PyPI into ``folder`` if not yet there."""
    target = os.path.join(folder, "sqlite-utils-pkg")
    if not os.path.isdir(os.path.join(target, "sqlite_utils")):
        print("installing sqlite-utils from PyPI into a scratch folder ...", flush=True)
        result = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--target", target, SQLITE_UTILS],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            shutil.rmtree(target, ignore_errors=True)
            print(
                f"sqlite-utils skipped: pip could not install it ({result.stderr.strip()[-300:]})"
            )
            return None
    launcher = (
        f"import sys; sys.path.insert(0, {target!r}); from sqlite_utils.cli import cli; cli()"
    )
    return [sys.executable, "-c", launcher]


def fresh_folder(parent: str, prefix: str) -> str:
    return tempfile.mkdtemp(prefix=prefix, dir=parent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="posts in the export")
    parser.add_argument("--quick", action="store_true", help="one run of each")
    parser.add_argument("--runs", type=int, default=0, help="runs of each (default 3)")
    parser.add_argument(
        "--dir",
        default=os.path.join(tempfile.gettempdir(), "smtui-bench-import"),
        help="where the generated export (and sqlite-utils) are kept between runs",
    )
    parser.add_argument("--no-peers", action="store_true", help="skip sqlite3 and sqlite-utils")
    opts = parser.parse_args()
    runs = opts.runs or (1 if opts.quick else 3)
    compile_bytecode()
    export = export_file(opts.dir, opts.rows)
    size_mb = os.path.getsize(export) / 1e6
    scratch = fresh_folder(opts.dir, "run-")
    try:
        rows = measure(export, scratch, opts.dir, runs, peers=not opts.no_peers)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"\nImporting a {opts.rows:,}-row X post export ({size_mb:,.0f} MB); {runs} runs each")
    print_rows(rows)


Row = tuple[str, list[Run], str]


def measure(export: str, scratch: str, cache: str, runs: int, *, peers: bool) -> list[Row]:
    """Every measurement, interleaved run by run so a busy moment hits them all alike."""
    floor: list[Run] = []
    shell: list[Run] = []
    peer: list[Run] = []
    first: list[Run] = []
    store: list[Run] = []
    again: list[Run] = []
    sqlite3_program = shutil.which("sqlite3") if peers else None
    utils = sqlite_utils_command(cache) if peers else None
    smtui = smtui_command()
    for index in range(runs):
        floor.append(run([sys.executable, "-c", FLOOR, export]))
        if sqlite3_program:
            db = os.path.join(fresh_folder(scratch, "sqlite3-"), "t.db")
            shell.append(run([sqlite3_program, db, ".mode csv", f".import {export} posts"]))
        if utils:
            db = os.path.join(fresh_folder(scratch, "utils-"), "t.db")
            peer.append(run([*utils, "insert", db, "posts", export, "--csv"]))
        home = fresh_folder(scratch, f"smtui-{index}-")
        env = {k: v for k, v in os.environ.items() if not k.startswith("SMTUI_")}
        env["SMTUI_HOME"] = home
        first.append(run([*smtui, "import", "--no-progress", export], env))
        copy = os.path.join(fresh_folder(scratch, "store-"), "t.db")
        imported = os.path.join(home, "smtui.db")
        store.append(run([sys.executable, "-c", STORE_FLOOR, imported, copy], env))
        again.append(run([*smtui, "import", "--no-progress", export], env))
        shutil.rmtree(home, ignore_errors=True)
    rows: list[Row] = [("floor: csv.reader over every row", floor, "-")]
    if peers:
        rows.append(("sqlite3 shell .import (text, no index)", shell, "-"))
        rows.append(("sqlite-utils insert --csv (text)", peer, "-"))
    rows.append(("smtui import, empty database", first, f"<= {TARGET_RATIO:.2f}x"))
    rows.append(("smtui import again (nothing changed)", again, "<= first import"))
    rows.append(("(SQLite alone storing what smtui stored)", store, "-"))
    return rows


def print_rows(rows: list[Row]) -> None:
    floor = statistics.median(r.seconds for r in rows[0][1])
    print(f"{'measurement':42} {'median':>9} {'min..max':>17} {'ratio':>8} {'peak RSS':>9}  target")
    for name, samples, target in rows:
        if not samples:
            print(f"{name:42} {'skipped':>9}")
            continue
        times = [r.seconds for r in samples]
        median = statistics.median(times)
        peak = max(r.peak_mib for r in samples)
        print(
            f"{name:42} {median:8.2f}s {min(times):7.2f}..{max(times):7.2f}s"
            f" {median / floor:7.2f}x {peak:6.1f}MiB  {target}"
        )
    imports = [samples for name, samples, _ in rows if name.startswith("smtui import")]
    first, again = imports
    first_s = statistics.median(r.seconds for r in first)
    again_s = statistics.median(r.seconds for r in again)
    peak = max(r.peak_mib for r in first + again)
    ratio = first_s / floor
    print(
        f"\nsmtui import / floor: {ratio:.2f}x (target <= {TARGET_RATIO:.2f}x:"
        f" {'met' if ratio <= TARGET_RATIO else 'missed'}); peak memory {peak:.1f} MiB"
        f" (target <= {TARGET_RSS_MIB:.0f} MiB: {'met' if peak <= TARGET_RSS_MIB else 'missed'});"
        f" again / first: {again_s / first_s:.2f}x"
        f" ({'met' if again_s <= first_s else 'missed'})"
    )


if __name__ == "__main__":
    main()
