"""What the dashboard offers to pick from, and how a typed fragment finds it. No Textual here.

* Fuzzy matching: ``lkd`` finds ``linkedin``; exact, prefix, word-start and substring matches
  rank before loose ones, and ties keep the order the candidates came in (most relevant first).
* The last choice: the platform, intent and timebox of the session started last. It lives in
  the database (the sessions table), so it survives restarts, follows the command line too, and
  needs no state file or config rewrite.
* The most used outcome kinds over the last :data:`MOST_USED_DAYS` days, for the quick-log
  digits; kinds never used fill the remaining digits in checklist order.
* Completing a file system path as it is typed, for the import screen.
"""

from __future__ import annotations

import os

from smtui.models import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterable, Mapping, Sequence

    from smtui.config import Config
    from smtui.core.kinds import OutcomeKind

MOST_USED_DAYS = 90
QUICK_SLOTS = 9
# Intents of this many latest sessions are offered next to the built-in ones.
RECENT_INTENTS_SCAN = 200

# Match tiers, best first.
EXACT, PREFIX, WORD_START, SUBSTRING, SCATTERED = range(5)


def match_tier(query: str, candidate: str) -> tuple[int, int] | None:
    """How well ``candidate`` matches ``query`` (case-insensitive), as a sort key; None if not.

    The key is ``(tier, penalty)``: the tier is one of :data:`EXACT`, :data:`PREFIX`,
    :data:`WORD_START`, :data:`SUBSTRING` or :data:`SCATTERED` (every character of the query
    in order, with gaps); the penalty orders matches within a tier (fewer gaps, earlier).
    """
    q = query.strip().lower()
    c = candidate.lower()
    if not q:
        return (PREFIX, 0)
    if c == q:
        return (EXACT, 0)
    if c.startswith(q):
        return (PREFIX, 0)  # among prefixes the given order (relevance) decides
    at = c.find(q)
    if at > 0:
        starts_word = not c[at - 1].isalnum()
        return (WORD_START if starts_word else SUBSTRING, at)
    gaps = 0
    position = -1
    for char in q:
        found = c.find(char, position + 1)
        if found < 0:
            return None
        if position >= 0:
            gaps += found - position - 1
        else:
            gaps += found
        position = found
    return (SCATTERED, gaps)


def fuzzy_rank(query: str, candidates: Iterable[str], limit: int | None = None) -> list[str]:
    """The candidates matching ``query``, best first; equal matches keep their given order."""
    scored = []
    for index, candidate in enumerate(candidates):
        tier = match_tier(query, candidate)
        if tier is not None:
            scored.append((tier, index, candidate))
    scored.sort()
    ranked = [candidate for _, _, candidate in scored]
    return ranked if limit is None else ranked[:limit]


def completes(query: str, candidate: str) -> bool:
    """True when ``candidate`` is what ``query`` starts to spell (a safe Tab completion)."""
    tier = match_tier(query, candidate)
    return tier is not None and tier[0] <= PREFIX


def unique(items: Iterable[str]) -> list[str]:
    """Non-empty items, first occurrence kept, in order."""
    return [item for item in dict.fromkeys(items) if item]


# --- what the store remembers ----------------------------------------------------------------


class LastChoice(Record):
    """Platform, intent and timebox of the last session started (from the dashboard or not)."""

    __slots__ = ("intent", "platform", "timebox_s")

    def __init__(self, platform: str, intent: str, timebox_s: int | None) -> None:
        self.platform = platform
        self.intent = intent
        self.timebox_s = timebox_s


def last_choice(conn: sqlite3.Connection) -> LastChoice | None:
    """What was chosen for the session created last, or None on an empty database."""
    row = conn.execute(
        "SELECT platform, intent, timebox_s FROM sessions ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return LastChoice(row[0], row[1], row[2]) if row else None


def used_platforms(conn: sqlite3.Connection) -> list[str]:
    """Every platform a session was filed under, alphabetically.

    A skip scan of the ``(platform, started_at)`` index: one look-up per platform, however
    many sessions there are.
    """
    rows = conn.execute(
        "WITH RECURSIVE used(name) AS ("
        " SELECT min(platform) FROM sessions"
        " UNION ALL"
        " SELECT (SELECT min(platform) FROM sessions WHERE platform > used.name)"
        " FROM used WHERE used.name IS NOT NULL)"
        " SELECT name FROM used WHERE name IS NOT NULL"
    )
    return [row[0] for row in rows]


def recent_intents(conn: sqlite3.Connection, scan: int = RECENT_INTENTS_SCAN) -> list[str]:
    """Intents of the latest sessions, most recent first, without repeats."""
    rows = conn.execute(
        "SELECT intent FROM sessions WHERE intent <> '' ORDER BY id DESC LIMIT ?", (scan,)
    )
    return unique(row[0] for row in rows)


def most_used_kinds(
    conn: sqlite3.Connection,
    known: Sequence[str],
    now: int,
    *,
    days: int = MOST_USED_DAYS,
    slots: int = QUICK_SLOTS,
) -> list[str]:
    """The ``slots`` kinds for the quick-log digits: most logged over the last ``days`` days
    first (ties in ``known`` order), then the kinds never logged, in ``known`` order.

    Only kinds in ``known`` count (a kind of a removed plugin gets no digit).
    """
    order = {kind: index for index, kind in enumerate(known)}
    counts = {
        kind: count
        for kind, count in conn.execute(
            "SELECT kind, count(*) FROM outcomes WHERE occurred_at >= ? AND occurred_at <= ?"
            " GROUP BY kind",
            (now - days * 86400, now),
        )
        if kind in order
    }
    used = sorted(counts, key=lambda kind: (-counts[kind], order[kind]))
    rest = [kind for kind in known if kind not in counts]
    return (used + rest)[:slots]


class Choices(Record):
    """Everything the start and log dialogs offer, read in a worker after each change.

    ``platforms`` and ``intents`` are ordered most relevant first (the last choice, then the
    configured platforms, then those used before, then the built-ins); ``kinds`` are every
    outcome kind, built-in ones in checklist order then plugin ones; ``quick`` are the kind
    names behind the digits 1 to 9.
    """

    __slots__ = ("intents", "kinds", "last", "platforms", "quick")

    def __init__(
        self,
        *,
        platforms: list[str],
        intents: list[str],
        last: LastChoice | None,
        kinds: list[OutcomeKind],
        quick: list[str],
    ) -> None:
        self.platforms = platforms
        self.intents = intents
        self.last = last
        self.kinds = kinds
        self.quick = quick

    def kind(self, name: str) -> OutcomeKind | None:
        return next((kind for kind in self.kinds if kind.name == name), None)

    def quick_kind(self, digit: int) -> OutcomeKind | None:
        """The kind behind digit ``digit`` (1 to 9), if there are that many kinds."""
        if not 1 <= digit <= len(self.quick):
            return None
        return self.kind(self.quick[digit - 1])

    def digit_of(self, name: str) -> int | None:
        return self.quick.index(name) + 1 if name in self.quick else None


def all_kinds(registry_kinds: Mapping[str, OutcomeKind] | None) -> list[OutcomeKind]:
    """The built-in kinds in checklist order, then any plugin kinds by name."""
    from smtui.core.kinds import BUILTIN_KINDS

    kinds = dict(BUILTIN_KINDS)
    for name in sorted(registry_kinds or {}):
        kinds.setdefault(name, (registry_kinds or {})[name])
    return list(kinds.values())


def default_choices(config: Config) -> Choices:
    """What can be offered before the store has been read: config and built-ins only."""
    from smtui.core.platforms import BUILTIN_INTENTS, BUILTIN_PLATFORMS

    kinds = all_kinds(None)
    return Choices(
        platforms=unique((*config.target_platforms, *config.platforms, *BUILTIN_PLATFORMS)),
        intents=list(BUILTIN_INTENTS),
        last=None,
        kinds=kinds,
        quick=[kind.name for kind in kinds[:QUICK_SLOTS]],
    )


def load_choices(
    conn: sqlite3.Connection,
    config: Config,
    now: int,
    registry_kinds: Mapping[str, OutcomeKind] | None = None,
) -> Choices:
    """Read the choices from the store (a few index look-ups)."""
    from smtui.core.platforms import BUILTIN_INTENTS, BUILTIN_PLATFORMS

    last = last_choice(conn)
    first = (last.platform,) if last is not None else ()
    platforms = unique(
        (
            *first,
            *config.target_platforms,
            *config.platforms,
            *used_platforms(conn),
            *BUILTIN_PLATFORMS,
        )
    )
    intents = unique((*recent_intents(conn), *BUILTIN_INTENTS))
    kinds = all_kinds(registry_kinds)
    quick = most_used_kinds(conn, [kind.name for kind in kinds], now)
    return Choices(platforms=platforms, intents=intents, last=last, kinds=kinds, quick=quick)


# --- paths -----------------------------------------------------------------------------------


def complete_path(text: str, *, limit: int = 200) -> str | None:
    """``text`` completed to the first file or folder it starts to name (folders end in ``/``).

    The answer always starts with ``text`` exactly (``~`` kept as typed), so an input can show
    the rest as a suggestion. Hidden entries are offered only once a ``.`` is typed.
    """
    if not text:
        return None
    expanded = os.path.expanduser(text)
    folder, stem = os.path.split(expanded)
    try:
        with os.scandir(folder or ".") as entries:
            names = []
            for entry in entries:
                if entry.name.startswith(stem) and (stem.startswith(".") or entry.name[0] != "."):
                    names.append((entry.name, entry.is_dir()))
                    if len(names) >= limit:
                        break
    except OSError:
        return None
    if not names:
        return None
    name, is_dir = min(names)
    completion = name[len(stem) :] + (os.sep if is_dir else "")
    return text + completion if completion else None
