"""The period report: where the time went, what it achieved, how the goals stand.

A day, week, month, quarter or year (or any range): time and its productive share per
platform, outcomes and revenue, the goals with their pace, bare minimum for today and streak,
the score with its breakdown, the top posts and the best times to post.

:func:`build_report` gathers the numbers once; :func:`render` writes them as an aligned text
table, Markdown, CSV (``section,item,value``) or JSON. The text formats share one list of
human-readable sections; CSV and JSON share one machine-readable dictionary.
"""

from __future__ import annotations

from datetime import datetime

from smtui import clock
from smtui.core.goals import format_value, progress_all, streak, streak_text
from smtui.core.periods import days_in, local_date
from smtui.core.summary import split_by_platform, time_split
from smtui.core.timespec import format_duration
from smtui.errors import UsageError
from smtui.models import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Mapping
    from datetime import tzinfo
    from typing import Any

    from smtui.core.analytics_times import Cell
    from smtui.core.goals import GoalProgress, GoalStreak
    from smtui.core.kinds import OutcomeKind
    from smtui.core.summary import TimeSplit
    from smtui.scoring import Score

FORMATS: tuple[str, ...] = ("table", "md", "csv", "json")
TOP_POSTS = 5
BEST_TIMES = 5
_CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# One human-readable section: a title, column headers (None for label/value lines) and rows.
Section = tuple[str, list[str] | None, list[list[str]]]


class Report(Record):
    """Everything a report shows for ``[start, end)``; times are UTC epoch seconds."""

    __slots__ = (
        "best_times",
        "days",
        "end",
        "generated_at",
        "goals",
        "kind_labels",
        "outcomes",
        "period",
        "platforms",
        "revenue",
        "score",
        "split",
        "start",
        "streaks",
        "top_posts",
    )

    def __init__(
        self,
        *,
        period: str,
        start: int,
        end: int,
        days: int,
        generated_at: int,
        split: TimeSplit,
        platforms: dict[str, TimeSplit],
        outcomes: dict[str, int],
        kind_labels: dict[str, str],
        revenue: dict[str, int],
        goals: list[GoalProgress],
        top_posts: list[dict[str, Any]],
        score: Score | None = None,
        streaks: list[GoalStreak] | None = None,
        best_times: list[Cell] | None = None,
    ) -> None:
        self.period = period
        self.start = start
        self.end = end
        self.days = days
        self.generated_at = generated_at
        self.split = split
        self.platforms = platforms
        self.outcomes = outcomes
        self.kind_labels = kind_labels
        self.revenue = revenue
        self.goals = goals
        self.top_posts = top_posts
        self.score = score
        self.streaks = streaks if streaks is not None else []
        self.best_times = best_times if best_times is not None else []


def build_report(
    conn: sqlite3.Connection,
    period: str,
    at: int,
    zone: tzinfo,
    week_start: int = 0,
    *,
    score: Score | None = None,
    kinds: Mapping[str, OutcomeKind] | None = None,
    window: tuple[int, int] | None = None,
) -> Report:
    """Gather the report for the ``period`` containing ``at`` in ``zone`` (``year`` too), or
    for ``window`` (UTC ``[start, end)``) when given, whose period is then only a label.

    Goals are shown as they stand at the end of the window, or now if it has not ended.
    ``kinds`` supplies labels for outcome kinds (the built-ins when None).
    """
    from smtui.core.analytics_times import best_times
    from smtui.core.windows import period_window

    now = clock.now()
    if window is None:
        start, end = period_window(period, at, zone, week_start)
    else:
        start, end = window
    platforms = split_by_platform(conn, start, end, now)
    outcomes = {
        kind: int(count)
        for kind, count in conn.execute(
            "SELECT kind, count(*) FROM outcomes WHERE occurred_at >= ? AND occurred_at < ?"
            " GROUP BY kind ORDER BY count(*) DESC, kind",
            (start, end),
        )
    }
    revenue = {
        currency: int(amount)
        for currency, amount in conn.execute(
            "SELECT currency, sum(amount_minor) FROM outcomes WHERE occurred_at >= ?"
            " AND occurred_at < ? AND kind = 'deal' AND amount_minor IS NOT NULL"
            " GROUP BY currency ORDER BY currency",
            (start, end),
        )
    }
    if kinds is None:
        from smtui.core.kinds import BUILTIN_KINDS

        kinds = BUILTIN_KINDS
    labels = {kind: kinds[kind].label if kind in kinds else kind for kind in outcomes}
    as_of = min(max(now, start), end - 1)
    goals = progress_all(conn, as_of, zone, week_start)
    return Report(
        period=period,
        start=start,
        end=end,
        days=days_in(start, end, zone),
        generated_at=now,
        split=time_split(conn, start, end, now),
        platforms=dict(sorted(platforms.items(), key=lambda kv: (-kv[1].total_s, kv[0]))),
        outcomes=outcomes,
        kind_labels=labels,
        revenue=revenue,
        goals=goals,
        top_posts=_top_posts(conn, start, end),
        score=score,
        streaks=[streak(conn, p.goal, as_of, zone, week_start) for p in goals],
        best_times=best_times(conn, start, end, zone, per_platform=False).best(limit=BEST_TIMES),
    )


def _top_posts(conn: sqlite3.Connection, start: int, end: int) -> list[dict[str, Any]]:
    """The window's posts with the most engagements (then the newest without any).

    Each platform's best come from its engagements index (:func:`smtui.core.metrics.top_posts`),
    so a year costs a few index walks, not a sort of every post in it.
    """
    from smtui.core.metrics import top_posts
    from smtui.core.totals import post_sums

    platforms = sorted({name for _, name in post_sums(conn, [(start, end)], ("posts",))})
    best = [post for name in platforms for post in top_posts(conn, name, start, end, TOP_POSTS)]
    best.sort(key=lambda p: (-(p.engagements or 0), -p.published_at, p.id))
    ids = [post.id for post in best[:TOP_POSTS]]
    if len(ids) < TOP_POSTS:
        ids += [
            row[0]
            for row in conn.execute(
                "SELECT id FROM posts WHERE published_at >= ? AND published_at < ?"
                " AND engagements IS NULL ORDER BY published_at DESC, id LIMIT ?",
                (start, end, TOP_POSTS - len(ids)),
            )
        ]
    posts = []
    for post_id in ids:
        platform, external_id, published_at, text, url, impressions, engagements = conn.execute(
            "SELECT platform, external_id, published_at, text, url, impressions, engagements"
            " FROM posts WHERE id = ?",
            (post_id,),
        ).fetchone()
        rate = engagements / impressions if engagements is not None and impressions else None
        posts.append(
            {
                "platform": platform,
                "external_id": external_id,
                "published_at": published_at,
                "text": text,
                "url": url,
                "impressions": impressions,
                "engagements": engagements,
                "engagement_rate": rate,
            }
        )
    return posts


def render(report: Report, fmt: str, zone: tzinfo) -> str:
    """The report as ``table``, ``md``, ``csv`` or ``json`` text, times shown in ``zone``."""
    if fmt == "json":
        import json

        data = as_dict(report, zone)
        return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return _render_csv(as_dict(report, zone))
    if fmt == "table":
        return _render_table(_title(report, zone), sections(report, zone))
    if fmt == "md":
        return _render_markdown(_title(report, zone), sections(report, zone))
    from smtui.core.kinds import closest

    guess = closest(fmt, FORMATS)
    hint = f"did you mean {guess!r}?" if guess else "use one of: " + ", ".join(FORMATS)
    raise UsageError(f"unknown report format {fmt!r}", hint)


# --- machine-readable -------------------------------------------------------------------


def _iso(instant: int | None, zone: tzinfo) -> str | None:
    if instant is None:
        return None
    return datetime.fromtimestamp(instant, zone).isoformat(timespec="seconds")


def _zone_name(zone: tzinfo) -> str:
    return str(getattr(zone, "key", None) or zone)


def _split_dict(split: TimeSplit) -> dict[str, Any]:
    return {
        "productive_s": split.productive_s,
        "playtime_s": split.playtime_s,
        "running_s": split.running_s,
        "total_s": split.total_s,
        "sessions": split.sessions,
        "productive_share": split.productive_share,
    }


def _goal_dict(p: GoalProgress, run: GoalStreak | None, zone: tzinfo) -> dict[str, Any]:
    goal = p.goal
    return {
        "id": goal.id,
        "name": goal.name,
        "measure": goal.measure,
        "subject": goal.subject,
        "direction": goal.direction,
        "period": goal.period,
        "platform": goal.platform,
        "target": p.target,
        "value": p.value,
        "start": _iso(p.start, zone),
        "end": _iso(p.end, zone),
        "elapsed": p.elapsed,
        "expected_by_now": p.expected_by_now,
        "needed_per_day": p.needed_per_day,
        "bare_minimum": p.bare_minimum,
        "days_left": p.days_left,
        "safety_days": p.safety_days,
        "status": p.status,
        "urgency": p.urgency,
        "streak": None
        if run is None
        else {
            "periods": run.periods,
            "since": _iso(run.since, zone),
            "current": run.current,
            "capped": run.capped,
        },
    }


def _cell_dict(cell: Cell) -> dict[str, Any]:
    from smtui.core.analytics_times import WEEKDAYS

    return {
        "weekday": WEEKDAYS[cell.weekday],
        "hour": cell.hour,
        "rate": cell.rate,
        "rated_posts": cell.rated_posts,
        "posts": cell.posts,
    }


def as_dict(report: Report, zone: tzinfo) -> dict[str, Any]:
    """The report as plain data: seconds, counts, fractions, ISO 8601 times with offsets."""
    return {
        "window": {
            "period": report.period,
            "start": _iso(report.start, zone),
            "end": _iso(report.end, zone),
            "days": report.days,
            "zone": _zone_name(zone),
            "generated_at": _iso(report.generated_at, zone),
        },
        "time": _split_dict(report.split),
        "platforms": {name: _split_dict(split) for name, split in report.platforms.items()},
        "outcomes": {
            kind: {"label": report.kind_labels[kind], "count": count}
            for kind, count in report.outcomes.items()
        },
        "revenue": {
            currency: f"{amount // 100}.{amount % 100:02d}"
            for currency, amount in report.revenue.items()
        },
        "goals": [
            _goal_dict(p, run, zone) for p, run in zip(report.goals, _streaks(report), strict=True)
        ],
        "top_posts": [
            {**post, "published_at": _iso(post["published_at"], zone)} for post in report.top_posts
        ],
        "score": report.score.as_dict() if report.score is not None else None,
        "best_times": [_cell_dict(cell) for cell in report.best_times],
    }


def _streaks(report: Report) -> list[GoalStreak | None]:
    """A streak per goal (None where a hand-made report has none)."""
    runs: list[GoalStreak | None] = list(report.streaks)
    return runs + [None] * (len(report.goals) - len(runs))


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(round(value, 6))
    return str(value)


def _csv_safe(cell: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula (CSV injection)."""
    return "'" + cell if cell.startswith(_CSV_FORMULA_STARTS) else cell


def _flatten(value: Any, path: str) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        items: list[tuple[str, Any]] = list(value.items())
    elif isinstance(value, list):
        items = [(str(index), item) for index, item in enumerate(value, start=1)]
    else:
        return [(path, _csv_text(value))]
    rows: list[tuple[str, str]] = []
    for key, item in items:
        rows.extend(_flatten(item, f"{path}.{key}" if path else str(key)))
    return rows


def _render_csv(data: dict[str, Any]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)  # RFC 4180: CRLF rows, so a lone CR or LF in a cell gets quoted
    writer.writerow(["section", "item", "value"])
    for section, value in data.items():
        if value is None:
            continue
        for item, text in _flatten(value, ""):
            writer.writerow([_csv_safe(section), _csv_safe(item), _csv_safe(text)])
    return out.getvalue()


# --- human-readable ---------------------------------------------------------------------


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _title(report: Report, zone: tzinfo) -> str:
    first = local_date(report.start, zone)
    last = local_date(report.end - 1, zone)
    span = first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
    days = "1 day" if report.days == 1 else f"{report.days} days"
    name = "Report" if report.period == "range" else f"{report.period.capitalize()} report"
    return f"{name}: {span} ({_zone_name(zone)}, {days})"


def _goal_value(p: GoalProgress, value: float) -> str:
    text = format_value(p.goal.measure, value)
    return f"{text} {p.goal.subject}" if p.goal.measure == "revenue" and p.goal.subject else text


def _goal_name(p: GoalProgress) -> str:
    goal = p.goal
    scope = " ".join(part for part in (goal.subject, goal.platform) if part)
    bound = ">=" if goal.direction == "at_least" else "<="
    return f"{goal.name} ({goal.measure}{' ' + scope if scope else ''} {bound} per {goal.period})"


def sections(report: Report, zone: tzinfo) -> list[Section]:
    """The report as titled tables of display strings (the table and Markdown formats)."""
    split = report.split
    result: list[Section] = [
        (
            "Time",
            None,
            [
                ["Productive", format_duration(split.productive_s)],
                ["Playtime", format_duration(split.playtime_s)],
                ["Running", format_duration(split.running_s)],
                ["Total", format_duration(split.total_s)],
                ["Sessions", str(split.sessions)],
                ["Productive share", _share(split.productive_share)],
            ],
        ),
        (
            "Platforms",
            ["Platform", "Time", "Sessions", "Productive", "Playtime", "Share"],
            [
                [
                    name,
                    format_duration(s.total_s),
                    str(s.sessions),
                    format_duration(s.productive_s),
                    format_duration(s.playtime_s),
                    _share(s.productive_share),
                ]
                for name, s in report.platforms.items()
            ],
        ),
        (
            "Outcomes",
            ["Kind", "Count"],
            [[report.kind_labels[kind], str(n)] for kind, n in report.outcomes.items()],
        ),
        (
            "Revenue",
            ["Currency", "Amount"],
            [[cur, f"{amt // 100:,}.{amt % 100:02d}"] for cur, amt in report.revenue.items()],
        ),
        (
            "Goals",
            [
                "Goal",
                "Status",
                "Value",
                "Target",
                "Expected",
                "Per day",
                "Days left",
                "Today",
                "Streak",
            ],
            [
                [
                    _goal_name(p),
                    p.status.replace("_", " "),
                    _goal_value(p, p.value),
                    _goal_value(p, p.target),
                    _goal_value(p, p.expected_by_now),
                    _goal_value(p, p.needed_per_day),
                    str(p.days_left),
                    _goal_value(p, p.bare_minimum),
                    "-" if run is None else streak_text(run, p.goal.period),
                ]
                for p, run in zip(report.goals, _streaks(report), strict=True)
            ],
        ),
        (
            "Top posts",
            ["#", "Platform", "Published", "Engagements", "Impressions", "Rate", "Text"],
            [
                [
                    str(rank),
                    post["platform"],
                    _local(post["published_at"], zone),
                    _count(post["engagements"]),
                    _count(post["impressions"]),
                    _share(post["engagement_rate"]),
                    _excerpt(post["text"]),
                ]
                for rank, post in enumerate(report.top_posts, start=1)
            ],
        ),
        (
            "Best times to post",
            ["When", "Rate", "Posts"],
            [[cell.label, _share(cell.rate), str(cell.rated_posts)] for cell in report.best_times],
        ),
    ]
    score = report.score
    if score is not None:
        value = "-" if score.value is None else f"{score.value:g} {score.unit}".strip()
        headline = [["Value", value]]
        result.append(
            (
                f"Score ({score.strategy}): {score.label}",
                None,
                headline + [[item, value] for item, value in score.breakdown],
            )
        )
    return result


def _local(instant: int | None, zone: tzinfo) -> str:
    if instant is None:
        return "-"
    return datetime.fromtimestamp(instant, zone).strftime("%Y-%m-%d %H:%M")


def _count(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def _excerpt(text: str, width: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _one_line(cell: str) -> str:
    return " ".join(cell.splitlines())


def _right_aligned(rows: list[list[str]]) -> list[bool]:
    """Columns to align right: every column after the first whose cells all read as numbers."""
    return [
        index > 0 and all(row[index][:1].isdigit() or row[index] == "-" for row in rows)
        for index in range(len(rows[0]))
    ]


def _render_table(title: str, parts: list[Section]) -> str:
    lines = [title, "=" * len(title)]
    for name, headers, rows in parts:
        lines += ["", name]
        if not rows:
            lines.append("  none")
            continue
        body = [[_one_line(cell) for cell in row] for row in rows]
        table = ([headers] if headers else []) + body
        right = _right_aligned(body)
        widths = [max(len(row[i]) for row in table) for i in range(len(right))]
        for row in table:
            cells = [
                cell.rjust(width) if align_right else cell.ljust(width)
                for cell, width, align_right in zip(row, widths, right, strict=True)
            ]
            lines.append(("  " + "  ".join(cells)).rstrip())
    return "\n".join(lines) + "\n"


def _md_cell(cell: str) -> str:
    return _one_line(cell).replace("\\", "\\\\").replace("|", "\\|")


def _render_markdown(title: str, parts: list[Section]) -> str:
    lines = [f"# {_md_cell(title)}"]
    for name, headers, rows in parts:
        lines += ["", f"## {_md_cell(name)}", ""]
        if not rows:
            lines.append("_none_")
            continue
        head = headers or ["Item", "Value"]
        lines.append("| " + " | ".join(_md_cell(h) for h in head) + " |")
        lines.append("|" + "|".join("---:" if r else ":---" for r in _right_aligned(rows)) + "|")
        lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
