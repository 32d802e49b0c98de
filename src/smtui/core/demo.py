"""A deterministic, realistic history for ``smtui demo``, so a new user sees a living dashboard.

The story: a solo consultant markets on LinkedIn, Bluesky, Mastodon and X (and watches a little
YouTube) between client work. Most weekdays bring one to four sessions; about a third of them
achieve nothing (playtime). Productive sessions log outcomes along a small sales funnel in which
the same contacts come back: identified, qualified, moved off social, lead, deal. Posts gather
metrics in snapshots over their first week; follower counts grow with some noise; a handful of
goals are set so that some are met or on track and some fall behind.

Same ``(today, zone, days, seed)`` and the same ``clock.now()`` give byte-identical tables: every
random choice comes from :class:`random.Random` streams seeded from ``seed`` (one per part of the
story, so capping one part at *now* never shifts the others), and every stored time, including
``created_at``, derives from the plan rather than the wall clock. The clock is only read to make
sure nothing lands in the future.

Post metrics follow what each platform reports: LinkedIn and X give impressions (LinkedIn also
reach, "members reached"); Bluesky and Mastodon give no impressions, so those stay empty rather
than invented. ``engagements`` is the same formula on every platform, **likes + comments +
shares + saves + link_clicks** (missing columns count as zero), so engagement rates compare like
with like; X's own "engagements" also counts detail expands and profile clicks, which the demo
keeps apart in ``profile_visits``.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from smtui import clock
from smtui.core import demo_story as story
from smtui.core.kinds import BUILTIN_KINDS
from smtui.errors import StateError, UsageError
from smtui.models import POST_METRICS
from smtui.store.db import Transaction

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Mapping
    from typing import TypeVar

    _Choice = TypeVar("_Choice")

_SOURCE = "demo"
_CURRENCY = "EUR"

GOALS = story.GOALS  # (name, measure, subject, direction, target, period, platform)


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What :func:`generate` wrote, for the command line to print."""

    sessions: int
    playtime_sessions: int
    outcomes: int
    posts: int
    snapshots: int
    goals: int
    first_day: dt.date
    last_day: dt.date


@dataclass(slots=True)
class _Outcome:
    kind: str
    occurred_at: int
    detail: str = ""
    platform: str | None = None
    contact: str = ""
    amount_minor: int | None = None
    note: str = ""


@dataclass(slots=True)
class _Session:
    platform: str
    intent: str
    started_at: int
    ended_at: int
    timebox_s: int | None
    pauses: list[tuple[int, int]]
    note: str
    tags: tuple[str, ...]
    productive: bool
    outcomes: list[_Outcome] = field(default_factory=list)


@dataclass(slots=True)
class _Post:
    platform: str
    external_id: str
    published_at: int
    kind: str
    text: str
    url: str
    # metric name -> value once the post has settled (7 days), None where not reported
    final: dict[str, int | None]
    snapshots: list[tuple[int, dict[str, int | None]]] = field(default_factory=list)


def generate(
    conn: sqlite3.Connection,
    *,
    today: dt.date,
    zone: dt.tzinfo,
    days: int = 90,
    seed: int = 2026,
) -> DemoSummary:
    """Fill an empty database with ``days`` days of history up to ``today`` in one transaction.

    Days run from ``today - days`` to yesterday, plus whatever of ``today`` has already passed;
    nothing is written later than ``clock.now()``. Raises :class:`StateError` if the database
    already holds data, so a real history is never mixed with invented numbers.
    """
    if days < 1:
        raise UsageError(f"bad number of days {days}", "use 1 or more, e.g. --days 90")
    first_day = today - dt.timedelta(days=days)
    calendar = [first_day + dt.timedelta(days=offset) for offset in range(days + 1)]
    cap = min(clock.now(), _epoch(today + dt.timedelta(days=1), 0, zone))

    sessions = [
        s for s in _plan_sessions(_stream(seed, "sessions"), calendar, zone) if s.ended_at <= cap
    ]
    _plan_outcomes(_stream(seed, "outcomes"), sessions)
    start = _epoch(first_day, 0, zone)
    loose = [o for o in _sessionless_outcomes(today, zone) if start <= o.occurred_at <= cap]
    posts = _plan_posts(_stream(seed, "posts"), calendar, zone, cap)
    accounts = _plan_accounts(_stream(seed, "followers"), calendar, zone, cap, posts)

    with Transaction(conn):
        _require_empty(conn)
        _write_sessions(conn, sessions)
        _write_outcomes(conn, sessions, loose)
        _write_posts(conn, posts)
        conn.executemany(
            "INSERT INTO account_snapshots (platform, account, taken_at, followers, following,"
            " posts, source) VALUES (?, ?, ?, ?, ?, ?, ?)",
            accounts,
        )
        conn.executemany(
            "INSERT INTO goals (name, measure, subject, direction, target, period, platform,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(*goal, min(start, cap)) for goal in story.GOALS],
        )
    return DemoSummary(
        sessions=len(sessions),
        playtime_sessions=sum(1 for s in sessions if not s.outcomes),
        outcomes=sum(len(s.outcomes) for s in sessions) + len(loose),
        posts=len(posts),
        snapshots=sum(len(p.snapshots) for p in posts) + len(accounts),
        goals=len(story.GOALS),
        first_day=first_day,
        last_day=today,
    )


def _stream(seed: int, part: str) -> random.Random:
    """An independent random stream per part of the story (string seeds hash stably)."""
    return random.Random(f"smtui-demo:{seed}:{part}")


def _epoch(day: dt.date, second_of_day: int, zone: dt.tzinfo) -> int:
    """UTC epoch seconds of a wall-clock time on ``day`` in ``zone``."""
    hour, rest = divmod(second_of_day, story.HOUR_S)
    minute, second = divmod(rest, 60)
    moment = dt.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone)
    return int(moment.timestamp())


def _pick(rng: random.Random, weights: Mapping[_Choice, float]) -> _Choice:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _require_empty(conn: sqlite3.Connection) -> None:
    tables = ("sessions", "outcomes", "posts", "account_snapshots", "goals")
    counts = conn.execute(
        "SELECT " + ", ".join(f"(SELECT count(*) FROM {table})" for table in tables)
    ).fetchone()
    filled = [
        f"{count} {table.replace('_', ' ')}"
        for table, count in zip(tables, counts, strict=True)
        if count
    ]
    if filled:
        raise StateError(
            f"the database already has data ({', '.join(filled)}); the demo only fills an"
            " empty one",
            "use a fresh file: `smtui demo --force` replaces the demo database, or pass"
            " `--db NEW_FILE`",
        )


# --- planning --------------------------------------------------------------------------------


def _plan_sessions(rng: random.Random, calendar: list[dt.date], zone: dt.tzinfo) -> list[_Session]:
    """Sessions day by day, in order, each starting well after the previous one ended."""
    planned: list[_Session] = []
    previous_end = 0
    for day in calendar:
        if day.weekday() >= 5:
            count = rng.choices((0, 1, 2), weights=(55, 33, 12))[0]
        else:
            count = rng.choices((1, 2, 3, 4), weights=(15, 35, 32, 18))[0]
        clock_s = story.FIRST_START_S + rng.randint(0, 2 * story.HOUR_S)
        for _ in range(count):
            clock_s += rng.randint(10 * 60, 150 * 60)
            session = _plan_one_session(rng, day, clock_s, zone)
            wall_s = session.ended_at - session.started_at
            if clock_s + wall_s > story.LAST_END_S:
                break
            clock_s += wall_s
            if session.started_at <= previous_end:
                continue  # a wall clock that jumped (time zone change); never overlap
            planned.append(session)
            previous_end = session.ended_at
    return planned


def _plan_one_session(rng: random.Random, day: dt.date, clock_s: int, zone: dt.tzinfo) -> _Session:
    platform = _pick(rng, story.PLATFORM_WEIGHTS)
    intent = _pick(rng, story.INTENT_WEIGHTS[platform])
    productive = rng.random() < story.PRODUCTIVE_CHANCE[intent]
    timebox_s: int | None = None
    if rng.random() < 0.35:
        timebox_s = rng.choice(story.TIMEBOX_MINUTES) * 60
        # Timeboxes are mostly kept; playtime is what overruns them.
        stretch = rng.uniform(0.7, 1.05) if productive else rng.uniform(0.9, 1.5)
        active_s = int(timebox_s * stretch)
    else:
        active_s = int(rng.triangular(story.MIN_ACTIVE_S, story.MAX_ACTIVE_S, 25 * 60))
    active_s = max(story.MIN_ACTIVE_S, min(story.MAX_ACTIVE_S, active_s))
    started_at = _epoch(day, clock_s, zone)
    pauses: list[tuple[int, int]] = []
    cursor = started_at
    for _ in range(rng.choices((0, 1, 2), weights=(78, 16, 6))[0]):
        cursor += rng.randint(3 * 60, max(3 * 60, active_s // 3))
        length = rng.randint(2 * 60, 15 * 60)
        pauses.append((cursor, cursor + length))
        cursor += length
    worked_before_last_pause = cursor - started_at - sum(e - s for s, e in pauses)
    ended_at = cursor + max(60, active_s - worked_before_last_pause)
    tag_pool = story.TAGS[intent]
    tags = tuple(sorted(rng.sample(tag_pool, rng.choices((0, 1, 2), weights=(45, 40, 15))[0])))
    note = ""
    if rng.random() < 0.4:
        note = rng.choice(story.PRODUCTIVE_NOTES if productive else story.PLAYTIME_NOTES)
    return _Session(
        platform, intent, started_at, ended_at, timebox_s, pauses, note, tags, productive
    )


def _plan_outcomes(rng: random.Random, sessions: list[_Session]) -> None:
    """Attach 1-4 outcomes to each productive session; make sure every kind shows up."""
    identified: dict[str, list[str]] = {}  # platform -> contacts seen earlier in the funnel
    for session in sessions:
        if not session.productive:
            continue
        counts = story.OUTCOME_COUNT_WEIGHTS.get(session.intent, story.OUTCOME_COUNT_WEIGHTS[""])
        for _ in range(rng.choices((1, 2, 3, 4), weights=counts)[0]):
            kind = _pick(rng, story.KIND_WEIGHTS[session.intent])
            session.outcomes.append(_outcome(rng, kind, session, identified))
    productive = [s for s in sessions if s.outcomes]
    if not productive:
        return
    present = {o.kind for s in productive for o in s.outcomes}
    for kind in BUILTIN_KINDS:
        if kind not in present:
            session = rng.choice(productive)
            session.outcomes.append(_outcome(rng, kind, session, identified))


def _outcome(
    rng: random.Random, kind: str, session: _Session, identified: dict[str, list[str]]
) -> _Outcome:
    """One outcome of ``kind`` during ``session``: logged mostly when the session stops."""
    if rng.random() < 0.6:
        at = session.ended_at
    else:
        at = rng.randint(session.started_at + 60, session.ended_at)
    details = BUILTIN_KINDS[kind].details
    detail = rng.choice(details) if details else ""
    contact = ""
    known = identified.setdefault(session.platform, [])
    if kind in story.FUNNEL_KINDS and known and rng.random() < 0.8:
        contact = rng.choice(known)
    elif kind != "expertise_shown":
        contact = rng.choice(story.CONTACTS[session.platform])
        if kind == "prospect_identified" and contact not in known:
            known.append(contact)
    amount = rng.choice(story.DEAL_EUROS) * 100 if BUILTIN_KINDS[kind].takes_money else None
    note = rng.choice(story.OUTCOME_NOTES[kind])
    return _Outcome(kind, at, detail, session.platform, contact, amount, note)


def _sessionless_outcomes(today: dt.date, zone: dt.tzinfo) -> list[_Outcome]:
    """A few outcomes that happened off the clock (a referral, a deal signed by email)."""
    return [
        _Outcome(
            kind,
            _epoch(today - dt.timedelta(days=ago), hour * story.HOUR_S, zone),
            detail,
            platform,
            contact,
            None if euros is None else euros * 100,
            note,
        )
        for ago, hour, kind, detail, platform, contact, euros, note in story.SESSIONLESS
    ]


def _plan_posts(
    rng: random.Random, calendar: list[dt.date], zone: dt.tzinfo, cap: int
) -> list[_Post]:
    """Posts on preferred days and hours; the favoured slots also perform better."""
    posts: list[_Post] = []
    did = "did:plc:" + "".join(rng.choice(story.BASE32_SORT) for _ in range(24))
    for index, day in enumerate(calendar):
        audience_growth = 1.0 + 0.3 * index / max(1, len(calendar) - 1)
        for platform, by_weekday in story.POST_DAYS.items():
            if rng.random() >= by_weekday[day.weekday()]:
                continue
            hours = story.POST_HOURS[platform]
            hour = _pick(rng, hours)
            published_at = _epoch(day, hour * story.HOUR_S + rng.randint(0, 3599), zone)
            slot_quality = (hours[hour] / max(hours.values())) ** 0.5
            weekday_quality = 0.6 + by_weekday[day.weekday()] / max(by_weekday) * 0.6
            quality = slot_quality * weekday_quality * audience_growth
            post = _plan_post(rng, platform, published_at, quality, did)
            post.snapshots = _snapshots(rng, post, cap)
            if post.snapshots:
                posts.append(post)
    return posts


def _plan_post(
    rng: random.Random, platform: str, published_at: int, quality: float, did: str
) -> _Post:
    text = rng.choice(story.POST_TEXTS).format(n=rng.randint(3, 40))
    kind = "video" if rng.random() < story.VIDEO_SHARE else "post"
    if platform == "linkedin" and kind == "post" and rng.random() < 0.1:
        kind = "article"
    has_link = rng.random() < 0.3
    noise = rng.lognormvariate(0.0, 0.45)
    final: dict[str, int | None] = dict.fromkeys(POST_METRICS)
    if platform in story.BASE_IMPRESSIONS:
        impressions = int(story.BASE_IMPRESSIONS[platform] * quality * noise) + 40
        interactions = (
            impressions * story.ENGAGEMENT_RATE[platform] * quality * rng.uniform(0.7, 1.3)
        )
        final["impressions"] = impressions
        final["likes"] = int(interactions * 0.68)
        final["comments"] = int(interactions * rng.uniform(0.08, 0.18))
        final["shares"] = int(interactions * rng.uniform(0.04, 0.1))
        final["saves"] = int(interactions * rng.uniform(0.02, 0.06))
        final["link_clicks"] = int(impressions * rng.uniform(0.004, 0.012)) if has_link else 0
        if platform == "linkedin":
            final["reach"] = int(impressions * rng.uniform(0.55, 0.75))
        else:
            final["profile_visits"] = int(impressions * rng.uniform(0.002, 0.006))
            final["follows"] = int(impressions * rng.uniform(0.0, 0.002))
        if kind == "video":
            views = int(impressions * rng.uniform(0.25, 0.45))
            final["video_views"] = views
            final["watch_time_s"] = views * rng.randint(8, 30)
    else:
        likes = int(story.BASE_LIKES[platform] * quality * noise)
        final["likes"] = likes
        final["comments"] = int(likes * rng.uniform(0.05, 0.2))
        final["shares"] = int(likes * rng.uniform(0.1, 0.35))
    final["engagements"] = _engagements(final)
    external_id, url = _identity(rng, platform, published_at, did)
    return _Post(platform, external_id, published_at, kind, text, url, final)


def _engagements(metrics: dict[str, int | None]) -> int:
    """likes + comments + shares + saves + link_clicks, missing ones counting as zero."""
    parts = ("likes", "comments", "shares", "saves", "link_clicks")
    return sum(metrics[name] or 0 for name in parts)


def _snapshots(
    rng: random.Random, post: _Post, cap: int
) -> list[tuple[int, dict[str, int | None]]]:
    """1-3 captures over the first week, each showing the metrics grown so far.

    A post too young for its planned captures gets the earliest one instead, so recent posts
    are there with their first numbers (dropped only when even that is still in the future).
    """
    count = rng.choices((1, 2, 3), weights=(25, 40, 35))[0]
    ages = sorted(rng.sample(story.SNAPSHOT_AGES, count))
    captures = [(post.published_at + age + rng.randint(0, 1800), share) for age, share in ages]
    early = post.published_at + story.SNAPSHOT_AGES[0][0]
    captures = [c for c in captures if c[0] <= cap] or [(early, story.SNAPSHOT_AGES[0][1])]
    snapshots: list[tuple[int, dict[str, int | None]]] = []
    for captured_at, share in captures:
        if captured_at > cap:
            break
        grown: dict[str, int | None] = {
            name: None if value is None else int(value * share)
            for name, value in post.final.items()
        }
        grown["engagements"] = _engagements(grown)
        snapshots.append((captured_at, grown))
    return snapshots


def _identity(rng: random.Random, platform: str, published_at: int, did: str) -> tuple[str, str]:
    """A platform-shaped id and permalink; time-based ids encode the time like real ones do."""
    ms = published_at * 1000 + rng.randint(0, 999)
    account = story.ACCOUNTS[platform]
    if platform == "linkedin":
        activity = (ms << 22) | rng.getrandbits(22)
        urn = f"urn:li:activity:{activity}"
        return urn, f"https://www.linkedin.com/feed/update/{urn}/"
    if platform == "x":
        status = ((ms - story.TWITTER_EPOCH_MS) << 22) | rng.getrandbits(22)
        return str(status), f"https://x.com/{account}/status/{status}"
    if platform == "mastodon":
        status = (ms << 16) | rng.getrandbits(16)
        user, instance = account.lstrip("@").split("@")
        return str(status), f"https://{instance}/@{user}/{status}"
    tid_value = ((ms * 1000 + rng.randint(0, 999)) << 10) | rng.getrandbits(10)
    tid = "".join(story.BASE32_SORT[(tid_value >> (5 * (12 - i))) & 31] for i in range(13))
    return (
        f"at://{did}/app.bsky.feed.post/{tid}",
        f"https://bsky.app/profile/{account}/post/{tid}",
    )


def _plan_accounts(
    rng: random.Random, calendar: list[dt.date], zone: dt.tzinfo, cap: int, posts: list[_Post]
) -> list[tuple[object, ...]]:
    """One follower snapshot per platform per morning, growing with noise."""
    rows: list[tuple[object, ...]] = []
    for platform, (followers, gain, noise, following, posted) in story.FOLLOWERS.items():
        published = sorted(p.published_at for p in posts if p.platform == platform)
        level = float(followers)
        follows = float(following)
        for day in calendar:
            taken_at = _epoch(day, story.SNAPSHOT_HOUR * story.HOUR_S, zone)
            level = max(0.0, level + rng.gauss(gain, noise))
            follows += rng.choice((0, 0, 0, 1, 1, 2))
            if taken_at > cap:
                continue
            total_posts = posted + sum(1 for at in published if at <= taken_at)
            rows.append(
                (
                    platform,
                    story.ACCOUNTS[platform],
                    taken_at,
                    round(level),
                    int(follows),
                    total_posts,
                    _SOURCE,
                )
            )
    return rows


# --- writing ---------------------------------------------------------------------------------


def _write_sessions(conn: sqlite3.Connection, sessions: list[_Session]) -> None:
    """Sessions get ids 1..n in time order (the tables are empty), so children can refer to them."""
    conn.executemany(
        "INSERT INTO sessions (id, platform, intent, started_at, ended_at, timebox_s, paused_s,"
        " note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                sid,
                s.platform,
                s.intent,
                s.started_at,
                s.ended_at,
                s.timebox_s,
                sum(end - start for start, end in s.pauses),
                s.note,
                s.started_at,
                s.ended_at,
            )
            for sid, s in enumerate(sessions, start=1)
        ],
    )
    conn.executemany(
        "INSERT INTO pauses (session_id, started_at, ended_at) VALUES (?, ?, ?)",
        [(sid, start, end) for sid, s in enumerate(sessions, start=1) for start, end in s.pauses],
    )
    conn.executemany(
        "INSERT INTO session_tags (session_id, tag) VALUES (?, ?)",
        [(sid, tag) for sid, s in enumerate(sessions, start=1) for tag in s.tags],
    )


def _write_outcomes(
    conn: sqlite3.Connection, sessions: list[_Session], loose: list[_Outcome]
) -> None:
    rows: list[tuple[int | None, _Outcome]] = [
        (sid, o) for sid, s in enumerate(sessions, start=1) for o in s.outcomes
    ]
    rows += [(None, o) for o in loose]
    rows.sort(key=lambda row: row[1].occurred_at)
    conn.executemany(
        "INSERT INTO outcomes (session_id, kind, detail, platform, occurred_at, contact,"
        " amount_minor, currency, note, origin, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'manual', ?)",
        [
            (
                sid,
                o.kind,
                o.detail,
                o.platform,
                o.occurred_at,
                o.contact,
                o.amount_minor,
                None if o.amount_minor is None else _CURRENCY,
                o.note,
                o.occurred_at,
            )
            for sid, o in rows
        ],
    )


def _write_posts(conn: sqlite3.Connection, posts: list[_Post]) -> None:
    columns = ", ".join(POST_METRICS)
    marks = ", ".join("?" for _ in POST_METRICS)
    conn.executemany(
        "INSERT INTO posts (id, platform, external_id, account, published_at, kind, text, url,"
        f" source, metrics_at, {columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {marks})",
        [
            (
                pid,
                p.platform,
                p.external_id,
                story.ACCOUNTS[p.platform],
                p.published_at,
                p.kind,
                p.text,
                p.url,
                _SOURCE,
                p.snapshots[-1][0],
                *(p.snapshots[-1][1][name] for name in POST_METRICS),
            )
            for pid, p in enumerate(posts, start=1)
        ],
    )
    conn.executemany(
        f"INSERT INTO post_snapshots (post_id, captured_at, source, {columns})"
        f" VALUES (?, ?, ?, {marks})",
        [
            (pid, captured_at, _SOURCE, *(metrics[name] for name in POST_METRICS))
            for pid, p in enumerate(posts, start=1)
            for captured_at, metrics in p.snapshots[:-1]  # the latest are the post's own
        ],
    )
