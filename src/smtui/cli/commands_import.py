"""``smtui import``: platform exports into the store, atomically and idempotently.

Each file's line says what format was detected (or chosen) and what importing it did; a total
line ends the run. ``--dry-run`` also shows the first few records of each file, so the user
can check the dates and numbers were read right before anything is written. On a terminal, a
file that takes a while gets a progress bar on stderr (bytes read where the system can tell,
else records), which disappears when the file is done; nothing is drawn when stderr is a file
or a pipe.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import tzinfo
    from typing import Any, TextIO

    from smtui.cli.context import Context
    from smtui.core.importing import ImportProgress, ImportResult
    from smtui.sources.records import Record

# A file gets a progress bar once it has been importing this long (quick ones never flicker).
SHOW_PROGRESS_AFTER_S = 0.5
# Metrics shown per previewed record.
PREVIEW_METRICS = 4


def cmd_import(ctx: Context) -> int:
    from smtui.core.importing import import_files
    from smtui.errors import NotFoundError, UsageError
    from smtui.sources.configured import configured_sources

    args = ctx.args
    if args.formats:
        from smtui.cli.describe import describe_plugins

        ctx.out(describe_plugins(ctx.registry.sources, "sources"))
        return 0
    if not args.paths:
        raise UsageError("nothing to import", "name files or folders; --formats lists the formats")
    sources = configured_sources(ctx.registry, ctx.config.sources)
    bar = ProgressBar(sys.stderr) if not args.no_progress and sys.stderr.isatty() else None
    try:
        results = import_files(
            ctx.conn,
            list(args.paths),
            sources,
            source_name=args.source,
            dry_run=args.dry_run,
            skip_bad_rows=args.skip_bad_rows,
            progress=bar,
        )
    except NotFoundError as exc:  # a path named on the command line: bad input, exit code 2
        raise UsageError(exc.message, exc.hint) from None
    finally:
        if bar is not None:
            bar.close()
    for line in summary_lines(results, dry_run=args.dry_run, zone=ctx.zone):
        ctx.out(line)
    if not args.dry_run:  # imported posts and followers can meet a goal
        from smtui.core import events

        events.fire_goals_met(ctx.conn, ctx.config)
    return 0


def summary_lines(results: list[ImportResult], *, dry_run: bool, zone: tzinfo) -> list[str]:
    """A line per file (what was detected, what it did), its preview on a dry run, the total."""
    verb = "Would import" if dry_run else "Imported"
    lines: list[str] = []
    for result in results:
        how = "detected" if result.detected else "chosen"
        lines.append(f"{verb} {result.path} ({result.format}, {how}): {_counts(result)}")
        if dry_run and result.preview:
            lines.append(f"  first {_plural(len(result.preview), 'record')}:")
            lines += [f"    {preview_line(record, zone)}" for record in result.preview]
        lines += [f"  skipped: {error}" for error in result.skipped_rows]
    lines.append(f"Total: {_plural(len(results), 'file')}, {_Total(results)}")
    if dry_run:
        lines.append("Dry run: nothing was written")
    return lines


class _Total:
    """The counts of every file added up."""

    def __init__(self, results: list[ImportResult]) -> None:
        self.new = sum(result.new for result in results)
        self.updated = sum(result.updated for result in results)
        self.unchanged = sum(result.unchanged for result in results)
        self.skipped = sum(result.skipped for result in results)

    def __str__(self) -> str:
        return _counts(self)


def _counts(counted: Any) -> str:
    return (
        f"{counted.new} new, {counted.updated} updated, {counted.unchanged} unchanged,"
        f" {counted.skipped} skipped"
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def preview_line(record: Record, zone: tzinfo) -> str:
    """One record as a dry run shows it: platform, id (or account), date, a few numbers."""
    from smtui.sources.records import METRIC_COLUMNS, PostRecord

    if isinstance(record, PostRecord):
        when = _date(record.published_at, record.day_only, zone)
        numbers = [(name, record.metrics.get(name)) for name in METRIC_COLUMNS]
        numbers += list(record.extra.items())
        who = record.external_id
    else:  # daily series say so in extra
        when = _date(record.taken_at, bool(record.extra.get("day_only")), zone)
        numbers = [(name, getattr(record, name)) for name in ("followers", "following", "posts")]
        numbers += list(record.extra.items())
        who = f"account {record.account}" if record.account else "account"
    shown = [
        f"{name} {_number(value)}"
        for name, value in numbers
        if isinstance(value, int | float) and not isinstance(value, bool)
    ][:PREVIEW_METRICS]
    return "  ".join(part for part in (record.platform, who, when, ", ".join(shown)) if part)


def _date(moment: int | None, day_only: bool, zone: tzinfo) -> str:
    if moment is None:
        return "no date"
    from datetime import UTC, datetime

    if day_only:
        # Midnight of the day in the source's zone (any within 12 h of UTC): noon of that day
        # is still that date in UTC.
        return datetime.fromtimestamp(moment + 43_200, UTC).strftime("%Y-%m-%d") + " (day only)"
    return datetime.fromtimestamp(moment, zone).strftime("%Y-%m-%d %H:%M")


def _number(value: float) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.4g}"


class ProgressBar:
    """The ``progress`` callback of :func:`~smtui.core.importing.import_files`, drawn with
    rich (which comes with Textual) on ``stream``: one bar per file that takes a while.

    The bar follows the bytes read when the system says (Linux), else it pulses and the
    record count moves.
    """

    # Characters of a file's name shown (its end: the name, not the folders above it).
    NAME_WIDTH = 40

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.progress: Any = None
        self.task: Any = None
        self.path = ""
        self.started = 0.0
        self.by_bytes = False

    def __call__(self, report: ImportProgress) -> None:
        import time

        if report.path != self.path:  # a new file
            self._finish()
            self.path = report.path
            self.started = time.monotonic()
        if report.done:
            self._finish()
            return
        if self.task is None:
            if time.monotonic() - self.started < SHOW_PROGRESS_AFTER_S:
                return
            self._start(report)
        fields = {"records": f"{report.records:,} records"}
        if self.by_bytes and report.read_bytes is not None:
            fields["size"] = f"{report.read_bytes / 1e6:,.1f}/{report.total_bytes / 1e6:,.1f} MB"
            self.progress.update(self.task, completed=report.read_bytes, **fields)
        else:
            self.progress.update(self.task, **fields)
        self.progress.refresh()

    def _start(self, report: ImportProgress) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        if self.progress is None:
            self.progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.fields[size]}"),
                TextColumn("{task.fields[records]}"),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
                auto_refresh=False,  # redrawn when the import reports
                transient=True,
            )
            self.progress.start()
        self.by_bytes = report.read_bytes is not None
        name = report.path
        if len(name) > self.NAME_WIDTH:
            name = "…" + name[-self.NAME_WIDTH + 1 :]
        self.task = self.progress.add_task(
            f"{name} ({report.source})",
            total=report.total_bytes if self.by_bytes else None,
            size="",
            records="",
        )

    def _finish(self) -> None:
        if self.task is not None:
            self.progress.remove_task(self.task)
            self.task = None

    def close(self) -> None:
        """Take the bar off the screen."""
        self._finish()
        if self.progress is not None:
            self.progress.stop()
            self.progress = None
