"""Platform names: the built-in list, common aliases, and checking what a user typed.

Any name is allowed once it is known (built in, in ``[app] platforms``, already used, or
added by a plugin); an unknown name that looks like a typo of a known one is refused with a
did-you-mean, because a session filed under ``linkdin`` silently splits every report.
"""

from __future__ import annotations

import sqlite3

from smtui.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

BUILTIN_PLATFORMS = (
    "linkedin",
    "x",
    "bluesky",
    "mastodon",
    "youtube",
    "facebook",
    "instagram",
    "tiktok",
    "reddit",
    "threads",
)
ALIASES = {
    "twitter": "x",
    "bsky": "bluesky",
    "yt": "youtube",
    "li": "linkedin",
    "fb": "facebook",
    "ig": "instagram",
    "tt": "tiktok",
}
BUILTIN_INTENTS = ("prospecting", "content", "engagement", "listening", "learning", "networking")


def _valid_name(name: str) -> bool:
    return bool(name) and all(ch.isalnum() or ch in "_-." for ch in name)


def resolve_platform(
    name: str,
    conn: sqlite3.Connection,
    configured: Iterable[str] = (),
    plugin_platforms: Callable[[], Iterable[str]] | None = None,
) -> str:
    """The canonical platform for ``name``; cheap checks first, plugins only if still unknown."""
    platform = name.strip().lower()
    platform = ALIASES.get(platform, platform)
    configured = tuple(configured)
    if platform in BUILTIN_PLATFORMS or platform in configured:
        return platform
    if not _valid_name(platform):
        raise UsageError(
            f"bad platform name {name!r}", "use letters, digits, '-', '_' or '.', e.g. linkedin"
        )
    if conn.execute("SELECT 1 FROM sessions WHERE platform = ? LIMIT 1", (platform,)).fetchone():
        return platform
    extra = tuple(plugin_platforms()) if plugin_platforms is not None else ()
    if platform in extra:
        return platform
    from smtui.core.kinds import closest

    known = {*BUILTIN_PLATFORMS, *configured, *extra}
    guess = closest(platform, known)
    hint = f"did you mean {guess!r}? " if guess else ""
    raise UsageError(
        f"unknown platform {name!r}",
        f"{hint}add new platforms to [app] platforms in the config; known: "
        + ", ".join(sorted(known)),
    )
