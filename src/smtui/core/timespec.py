"""Turning what users type about time into epoch seconds, and back into text.

Parsing uses well-kept libraries (pytimeparse2 for durations, dateutil for clock times and
dates), imported only when a command actually has a time to parse: ``smtui start linkedin``
with no ``--at`` or ``--timebox`` never loads them.
"""

from __future__ import annotations

from smtui.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import tzinfo

DURATION_HINT = "use a number with a unit, e.g. 25m, 1h30m, 90s or 1:15:00"


def parse_duration(text: str, *, what: str = "duration") -> int:
    """Whole seconds in ``text`` (``25m``, ``1h30m``, ``1:15:00``); positive, with a unit."""
    cleaned = text.strip()
    if not cleaned or cleaned.replace(".", "", 1).isdigit():
        raise UsageError(f"bad {what} {text!r}: a unit is needed", DURATION_HINT)
    import pytimeparse2

    seconds = pytimeparse2.parse(cleaned)
    if seconds is None:
        raise UsageError(f"bad {what} {text!r}", DURATION_HINT)
    if seconds <= 0:
        raise UsageError(f"bad {what} {text!r}: must be more than zero", DURATION_HINT)
    return int(seconds)


def user_timezone(name: str | None = None) -> tzinfo:
    """The zone to show times in: ``name`` (IANA, from ``[app] timezone``) or the local zone.

    The local zone is a real DST-aware zone (``TZ`` or ``/etc/localtime``), not today's fixed
    offset, so a week report across a DST change puts every session on the right day.
    """
    import zoneinfo

    if name and name != "local":
        try:
            return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise UsageError(
                f"unknown time zone {name!r}", "use an IANA name like Europe/Paris, or 'local'"
            ) from exc
    import os

    env_tz = os.environ.get("TZ", "").lstrip(":")
    if env_tz:
        try:
            return zoneinfo.ZoneInfo(env_tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass  # a POSIX TZ rule string: fall through to the C library's view
    if not env_tz and os.path.exists("/etc/localtime"):
        target = os.path.realpath("/etc/localtime")
        marker = "/zoneinfo/"
        if marker in target:  # a link into the zone database names the zone: Europe/Paris
            try:
                return zoneinfo.ZoneInfo(target.split(marker, 1)[1])
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                pass
        with open("/etc/localtime", "rb") as handle:
            try:
                return zoneinfo.ZoneInfo.from_file(handle, key="localtime")
            except ValueError:
                pass
    from dateutil import tz

    return tz.tzlocal()


def resolve_when(at: str | None, ago: str | None, now: int, zone: tzinfo) -> int:
    """The instant meant by ``--at`` (a clock time or date-time in ``zone``) or ``--ago``.

    Returns ``now`` when neither is given. A time in the future is an error: smtui records
    what happened, not what will.
    """
    if at is not None and ago is not None:
        raise UsageError("give either --at or --ago, not both")
    if ago is not None:
        return now - parse_duration(ago, what="--ago duration")
    if at is None:
        return now
    from datetime import datetime

    from dateutil import parser

    today = datetime.fromtimestamp(now, zone).replace(hour=0, minute=0, second=0, microsecond=0)
    try:
        parsed = parser.parse(at, default=today.replace(tzinfo=None))
    except (ValueError, OverflowError) as exc:
        raise UsageError(
            f"bad --at time {at!r}",
            "use a clock time like 09:30 or a date-time like 2026-03-01 09:30",
        ) from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    instant = int(parsed.timestamp())
    if instant > now:
        raise UsageError(
            f"--at {at!r} is in the future ({format_clock(instant, zone)})",
            "use a time that has passed",
        )
    return instant


def format_hms(seconds: int) -> str:
    """``H:MM:SS`` (``-`` prefix when negative), the timer format."""
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    return f"{sign}{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def format_duration(seconds: int) -> str:
    """Compact human form: ``45s``, ``25m``, ``1h 05m``."""
    seconds = abs(seconds)
    if seconds < 60:
        return f"{seconds}s"
    hours, minutes = divmod(seconds // 60, 60)
    return f"{hours}h {minutes:02d}m" if hours else f"{minutes}m"


def format_clock(instant: int, zone: tzinfo, *, with_date: bool = False) -> str:
    """An instant as local ``HH:MM`` (or ``YYYY-MM-DD HH:MM``) in ``zone``."""
    from datetime import datetime

    local = datetime.fromtimestamp(instant, zone)
    return local.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")
