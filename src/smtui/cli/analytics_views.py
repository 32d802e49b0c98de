"""The analytics of ``smtui report`` as text for people, and as JSON or CSV for scripts.

JSON carries every number with its window (ISO 8601 times with offsets); CSV is one row per
cell or group, its text cells escaped against spreadsheet formulas like every CSV smtui writes.
"""

from __future__ import annotations

from datetime import datetime

from smtui.cli.output import as_csv, as_json, table
from smtui.core.analytics_times import ALL, WEEKDAYS
from smtui.core.metrics import ENGAGEMENT_RATE_FORMULA
from smtui.core.timespec import format_duration

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import tzinfo
    from typing import Any

    from smtui.core.analytics_content import ContentInsights
    from smtui.core.analytics_returns import ReturnRow, Returns
    from smtui.core.analytics_times import BestTimes, Cell


def _iso(instant: int, zone: tzinfo) -> str:
    return datetime.fromtimestamp(instant, zone).isoformat(timespec="seconds")


def _span(start: int, end: int, zone: tzinfo) -> str:
    first = datetime.fromtimestamp(start, zone).strftime("%Y-%m-%d %H:%M")
    last = datetime.fromtimestamp(end, zone).strftime("%Y-%m-%d %H:%M")
    return f"{first} to {last}"


def _window(start: int, end: int, zone: tzinfo) -> dict[str, str]:
    return {
        "start": _iso(start, zone),
        "end": _iso(end, zone),
        "zone": str(getattr(zone, "key", None) or zone),
    }


def _percent(rate: float | None, digits: int = 2) -> str:
    return "-" if rate is None else f"{rate * 100:.{digits}f}%"


# --- best times ------------------------------------------------------------------------------


def _cell_dict(cell: Cell) -> dict[str, Any]:
    return {
        "weekday": WEEKDAYS[cell.weekday],
        "hour": cell.hour,
        "posts": cell.posts,
        "rated_posts": cell.rated_posts,
        "engagements": cell.engagements,
        "impressions": cell.impressions,
        "rate": cell.rate,
    }


def best_times_out(found: BestTimes, fmt: str, zone: tzinfo) -> str:
    """The week grids: a heat table each (text), every cell (JSON, CSV)."""
    if fmt == "json":
        return as_json(
            {
                "window": _window(found.start, found.end, zone),
                "formula": ENGAGEMENT_RATE_FORMULA,
                "min_posts": found.min_posts,
                "grids": {
                    name: [_cell_dict(cell) for cell in grid] for name, grid in found.grids.items()
                },
                "best": {
                    name: [_cell_dict(cell) for cell in found.best(name)] for name in found.grids
                },
            }
        )
    if fmt == "csv":
        headers = ["platform", "weekday", "hour", "posts", "rated_posts", "engagements"]
        headers += ["impressions", "rate"]
        rows = [
            [name, *_cell_dict(cell).values()]
            for name, grid in found.grids.items()
            for cell in grid
        ]
        return as_csv(headers, rows)
    if not found.grids:
        return f"No posts published {_span(found.start, found.end, zone)}."
    parts = [
        f"Engagement rate ({ENGAGEMENT_RATE_FORMULA}) by weekday and hour, {found.zone},"
        f" posts published {_span(found.start, found.end, zone)}.",
        f"'?' fewer than {_posts(found.min_posts)} reporting impressions; '.' no posts.",
    ]
    for name, grid in found.grids.items():
        parts.append("")
        parts.append("All platforms" if name == ALL else name)
        parts.extend(_grid_lines(grid))
        best = found.best(name)
        parts.append(
            "Best: "
            + (
                ", ".join(
                    f"{cell.label} {_percent(cell.rate)} ({_posts(cell.rated_posts)})"
                    for cell in best
                )
                if best
                else "not enough posts yet"
            )
        )
    return "\n".join(parts)


def _posts(count: int) -> str:
    return f"{count} post" if count == 1 else f"{count} posts"


def _grid_lines(grid: list[Cell]) -> list[str]:
    """Seven lines of 24 cells: the rate in percent with one decimal, ``?`` or ``.``."""
    lines = ["     " + " ".join(f"{hour:>4}" for hour in range(24))]
    for weekday in range(7):
        cells = grid[weekday * 24 : weekday * 24 + 24]
        texts = [
            "." if not c.posts else "?" if c.rate is None else f"{c.rate * 100:.1f}" for c in cells
        ]
        lines.append(f"{WEEKDAYS[weekday]:5}" + " ".join(f"{text:>4}" for text in texts))
    return lines


# --- returns per focused hour ----------------------------------------------------------------


def _money(revenue: dict[str, int]) -> str:
    return ", ".join(
        f"{amount // 100:,}.{amount % 100:02d} {currency}"
        for currency, amount in sorted(revenue.items())
    )


def _per_hour(row: ReturnRow, amount: float) -> float | None:
    value = row.per_hour(amount)
    return None if value is None else round(value, 3)


def _return_dict(row: ReturnRow) -> dict[str, Any]:
    return {
        "platform": row.platform,
        "intent": row.intent,
        "sessions": row.sessions,
        "seconds": row.seconds,
        "outcomes": dict(row.outcomes),
        "outcomes_per_hour": _per_hour(row, row.outcome_count),
        "revenue": {k: f"{v // 100}.{v % 100:02d}" for k, v in sorted(row.revenue.items())},
        "posts": row.posts,
        **row.results,
        "engagements_per_hour": _per_hour(row, row.results["engagements"]),
    }


def returns_out(found: Returns, fmt: str, zone: tzinfo) -> str:
    """One row per platform and intent, then what no session produced."""
    if fmt == "json":
        return as_json(
            {
                "window": _window(found.start, found.end, zone),
                "rows": [_return_dict(row) for row in found.rows],
                "outside_sessions": [_return_dict(row) for row in found.outside],
            }
        )
    headers = ["platform", "intent", "sessions", "time", "outcomes", "outcomes/h", "revenue"]
    headers += ["posts", "impressions", "engagements", "engagements/h"]
    rows: list[list[object]] = [
        [
            row.platform or "-",
            row.intent or "-",
            row.sessions,
            format_duration(row.seconds) if fmt != "csv" else row.seconds,
            row.outcome_count,
            _per_hour(row, row.outcome_count),
            _money(row.revenue),
            row.posts,
            row.results["impressions"],
            row.results["engagements"],
            _per_hour(row, row.results["engagements"]),
        ]
        for row in found.rows
    ]
    rows += [
        [
            row.platform or "-",
            "(outside sessions)",
            0,
            format_duration(0) if fmt != "csv" else 0,
            row.outcome_count,
            None,
            _money(row.revenue),
            row.posts,
            row.results["impressions"],
            row.results["engagements"],
            None,
        ]
        for row in found.outside
    ]
    if fmt == "csv":
        headers[3] = "seconds"
        return as_csv(headers, rows)
    title = f"Return per focused hour, {_span(found.start, found.end, zone)}"
    if not rows:
        return f"{title}\n(no sessions, outcomes or posts)"
    return f"{title}\n{table(headers, rows)}"


# --- content insights ------------------------------------------------------------------------


def content_out(found: ContentInsights, fmt: str, zone: tzinfo) -> str:
    """A table per dimension (text), or every group (JSON, CSV)."""
    records = {
        dimension: [
            {
                "group": group.name,
                "posts": group.posts,
                "rated_posts": group.rated_posts,
                "mean_engagements": group.mean_engagements,
                "mean_impressions": group.mean_impressions,
                "rate": group.rate,
            }
            for group in groups
        ]
        for dimension, groups in found.dimensions.items()
    }
    if fmt == "json":
        return as_json(
            {
                "window": _window(found.start, found.end, zone),
                "platform": found.platform,
                "posts": found.posts,
                "formula": ENGAGEMENT_RATE_FORMULA,
                "min_posts": found.min_posts,
                "dimensions": records,
            }
        )
    if fmt == "csv":
        headers = ["dimension", "group", "posts", "rated_posts", "mean_engagements"]
        headers += ["mean_impressions", "rate"]
        return as_csv(
            headers,
            [[name, *record.values()] for name, items in records.items() for record in items],
        )
    scope = found.platform or "all platforms"
    parts = [
        f"Content insights, {scope}: {found.posts:,} posts published"
        f" {_span(found.start, found.end, zone)}; rate = {ENGAGEMENT_RATE_FORMULA},"
        f" shown from {found.min_posts} posts reporting both."
    ]
    for name, groups in found.dimensions.items():
        parts += ["", name.capitalize()]
        rows = [
            [
                group.name,
                group.posts,
                _round(group.mean_engagements),
                _round(group.mean_impressions),
                _percent(group.rate),
            ]
            for group in groups
        ]
        parts.append(
            table(["group", "posts", "avg engagements", "avg impressions", "rate"], rows)
            if rows
            else "(none)"
        )
    return "\n".join(parts)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
