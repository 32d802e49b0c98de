"""Reading single cells of platform exports: ids, counts and dates.

Each parser returns the value or raises :class:`CellError` saying what it expected; the caller
adds the file, line and column. The rules come from real exports (see FORMATS.md in the
project's real-data folder): null tokens differ per platform, counts carry thousands separators
or a ``.0`` tail, and spreadsheets turn long ids into scientific notation.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime, tzinfo

# Cells that mean "no value" (compared case-insensitively): empty, X's "-", Meta's "N/A",
# TikTok's "undefined", "NAN" and "--". Never read as zero.
NULL_TOKENS = frozenset({"", "-", "--", "n/a", "null", "undefined", "nan"})

# Thousands separators besides the comma: spaces of every width and apostrophes (Swiss style).
_GROUP_SPACES = str.maketrans("", "", " \u00a0\u2009\u202f'\u2019")
_TIME_DIRECTIVES = ("%H", "%I", "%M", "%S", "%X", "%c", "%T", "%R")


class CellError(ValueError):
    """A cell held something other than what its column needs."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


def is_null(text: str) -> bool:
    """True for the cells exports write when there is no value."""
    return text.strip().casefold() in NULL_TOKENS


def parse_count(text: str) -> int | None:
    """A whole number from ``1234``, ``1,234``, ``1 234``, ``424.0``; None for a null token.

    A dot followed by three digits is refused rather than guessed at: ``1.234`` is a thousand
    and some in half the world and one and a bit in the other half.
    """
    if text.isdigit() and text.isascii():
        return int(text)
    if is_null(text):
        return None
    body = text.strip().translate(_GROUP_SPACES)
    sign = -1 if body.startswith("-") else 1
    if body[:1] in ("+", "-"):
        body = body[1:]
    whole, dot, fraction = body.partition(".")
    if dot and (not fraction or len(fraction) > 2 or fraction.strip("0")):
        raise CellError("a whole number")
    groups = whole.split(",")
    if len(groups) > 1 and (
        not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:])
    ):
        raise CellError("a whole number")
    digits = "".join(groups)
    if not digits or not digits.isascii() or not digits.isdigit():
        raise CellError("a whole number")
    return sign * int(digits)


def parse_decimal(text: str) -> float | None:
    """A number with an optional decimal point (``0.0707``, ``1,234.5``, ``-3``); None for a
    null token. For averages and money. ``1,5`` is refused (a decimal comma, or a bad group),
    and so is a trailing ``%``: whether a column holds percents or fractions is its reader's
    to say.
    """
    if is_null(text):
        return None
    body = text.strip().translate(_GROUP_SPACES)
    sign = -1.0 if body.startswith("-") else 1.0
    if body[:1] in ("+", "-"):
        body = body[1:]
    whole, _, fraction = body.partition(".")
    groups = whole.split(",")
    if len(groups) > 1 and (
        not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:])
    ):
        raise CellError("a number")
    digits = "".join(groups)
    both = digits + fraction
    if not both or not both.isascii() or not both.isdigit():
        raise CellError("a number")
    return sign * float(f"{digits or '0'}.{fraction or '0'}")


def parse_clock_duration(text: str) -> int | None:
    """Seconds from a clock-style duration: ``0:04:34`` (H:MM:SS) or ``4:34`` (M:SS), as
    YouTube writes average view durations; None for a null token."""
    if is_null(text):
        return None
    parts = text.strip().split(":")
    if not 2 <= len(parts) <= 3 or not all(p.isascii() and p.isdigit() for p in parts):
        raise CellError("a duration like 0:04:34")
    if any(len(p) != 2 or int(p) > 59 for p in parts[1:]):
        raise CellError("a duration like 0:04:34")
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    return seconds


def parse_id(text: str) -> str:
    """A platform id as text, trimmed (YouTube pads ids starting with ``-`` with a space)."""
    value = text.strip()
    if is_null(value):
        raise CellError("an id")
    mantissa, e, exponent = value.upper().partition("E+")
    if e and exponent.isdigit() and mantissa.replace(".", "", 1).isdigit():
        raise CellError(
            "an id written out in full (a spreadsheet rounded it to scientific notation;"
            " use the original export)"
        )
    return value


def format_has_time(date_format: str) -> bool:
    """True when a ``strptime`` format reads a time of day, not just a date."""
    return any(directive in date_format for directive in _TIME_DIRECTIVES)


def parse_timestamp(
    text: str, zone: tzinfo, date_format: str | None = None
) -> tuple[int, bool] | None:
    """``(epoch seconds, day_only)`` for a date or date-time cell; None for a null token.

    Naive values are in ``zone``. Without ``date_format``, ISO 8601 is tried first (fast and
    exact) and then dateutil, which reads most other spellings (``Thu Mar 20 2025``,
    ``03/18/2025 12:59``, month first when in doubt). A value missing its year, month or day
    is refused instead of completed from today's date.
    """
    if is_null(text):
        return None
    value = text.strip()
    from datetime import datetime

    if date_format is not None:
        try:
            parsed = datetime.strptime(value, date_format)
        except ValueError:
            raise CellError(f"a date in the format {date_format}") from None
        return _epoch(parsed, zone), not format_has_time(date_format)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return _parse_loose(value, zone)
    return _epoch(parsed, zone), len(value) <= 10


def _parse_loose(value: str, zone: tzinfo) -> tuple[int, bool]:
    """dateutil parsing, twice with different defaults to see which parts the text gave."""
    from datetime import datetime

    from dateutil import parser

    expected = "a date like 2025-03-20 14:05 (or set date_format)"
    try:
        first = parser.parse(value, default=datetime(2000, 1, 1, 0, 0, 0))
        second = parser.parse(value, default=datetime(2001, 2, 2, 12, 30, 30))
    except (ValueError, OverflowError):
        raise CellError(expected) from None
    if first.date() != second.date():
        raise CellError(expected)
    return _epoch(first, zone), first.hour != second.hour


def _epoch(moment: datetime, zone: tzinfo) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return int(moment.timestamp())
