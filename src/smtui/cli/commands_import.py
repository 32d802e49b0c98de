"""``smtui import``: platform exports into the store, atomically and idempotently."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from smtui.cli.context import Context


def cmd_import(ctx: Context) -> int:
    from smtui.core.importing import import_files
    from smtui.errors import UsageError
    from smtui.sources.configured import configured_sources

    args = ctx.args
    if args.formats:
        from smtui.cli.describe import describe_plugins

        ctx.out(describe_plugins(ctx.registry.sources, "sources"))
        return 0
    if not args.paths:
        raise UsageError("nothing to import", "name files or folders; --formats lists the formats")
    sources = configured_sources(ctx.registry, ctx.config.sources)
    results = import_files(
        ctx.conn,
        list(args.paths),
        sources,
        source_name=args.source,
        dry_run=args.dry_run,
        skip_bad_rows=args.skip_bad_rows,
    )
    verb = "Would import" if args.dry_run else "Imported"
    for result in results:
        how = "detected" if result.detected else "chosen"
        ctx.out(
            f"{verb} {result.path} ({result.format}, {how}): {result.new} new,"
            f" {result.updated} updated,"
            f" {result.unchanged} unchanged, {result.skipped} skipped"
        )
        for error in result.skipped_rows:
            ctx.out(f"  skipped: {error}")
    if args.dry_run:
        ctx.out("Dry run: nothing was written")
    else:  # imported posts and followers can meet a goal
        from smtui.core import events

        events.fire_goals_met(ctx.conn, ctx.config)
    return 0
