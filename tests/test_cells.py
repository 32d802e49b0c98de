"""Reading single cells (``smtui.sources.cells``): properties over every number and date.

Each property writes a value the way some real export writes it (FORMATS.md section 0: plain,
grouped with commas, spaces or apostrophes, with a ``.0`` tail; dates in ISO, X's, YouTube's,
Meta's and spreadsheets' spellings) and checks the parser reads back exactly that value, or
refuses it when reading it would mean guessing.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from smtui.sources.cells import (
    NULL_TOKENS,
    CellError,
    format_has_time,
    is_null,
    parse_count,
    parse_decimal,
    parse_id,
    parse_timestamp,
)

COUNTS = st.integers(min_value=-(10**15), max_value=10**15)
SEPARATORS = st.sampled_from([",", "\u00a0", "\u2009", "\u202f", " ", "'"])
ZONES = st.sampled_from(
    [UTC, zoneinfo.ZoneInfo("America/Los_Angeles"), zoneinfo.ZoneInfo("Asia/Kolkata")]
)
MOMENTS = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31))
# Spellings seen in exports (X 2025 and 2026, YouTube, Meta, ISO), each with or without a time.
DATE_FORMATS = [
    "%a %b %d %Y",  # Thu Mar 20 2025 (X, early 2025)
    "%a, %b %d, %Y",  # Sat, Aug 22, 2026 (X, 2026)
    "%b %d, %Y",  # Aug 28, 2025 (YouTube)
    "%d %B %Y",
    "%Y-%m-%d",
    "%m/%d/%Y %H:%M",  # 03/18/2025 12:59 (Meta)
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
]


def grouped(value: int, separator: str) -> str:
    """``value`` with its thousands grouped by ``separator`` (``-1,234,567``)."""
    return f"{value:,}".replace(",", separator)


def in_zone(moment: datetime, zone: timezone | zoneinfo.ZoneInfo) -> int:
    return int(moment.replace(tzinfo=zone).timestamp())


# --- counts ----------------------------------------------------------------------------------


@given(COUNTS, SEPARATORS)
def test_a_count_reads_back_however_it_is_grouped(value: int, separator: str) -> None:
    assert parse_count(str(value)) == value
    assert parse_count(grouped(value, separator)) == value
    assert parse_count(f"  {grouped(value, separator)} ") == value


@given(COUNTS, st.sampled_from([".0", ".00"]))
def test_a_count_written_as_a_float_reads_back(value: int, tail: str) -> None:
    assert parse_count(f"{value}{tail}") == value  # X's legacy exports: "424.0"


@given(st.integers(min_value=0, max_value=10**9))
def test_a_leading_plus_is_allowed(value: int) -> None:
    assert parse_count(f"+{value:,}") == value


@given(COUNTS, st.integers(min_value=1, max_value=99))
def test_a_fraction_is_never_rounded_into_a_count(value: int, hundredths: int) -> None:
    with pytest.raises(CellError):
        parse_count(f"{value}.{hundredths:02d}")


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999))
def test_a_dot_before_three_digits_is_refused_not_guessed(whole: int, part: int) -> None:
    """``1.234`` is 1234 in Germany and 1.234 in the US: refused either way."""
    assume(part != 0)
    with pytest.raises(CellError, match="a whole number"):
        parse_count(f"{whole}.{part:03d}")


@given(COUNTS, st.integers(min_value=1, max_value=5))
def test_badly_grouped_digits_are_refused(value: int, width: int) -> None:
    assume(abs(value) >= 1000 and width != 3)
    digits = str(abs(value))
    groups = [digits[max(0, i - width) : i] for i in range(len(digits), 0, -width)][::-1]
    assume(len(groups) > 1)
    with pytest.raises(CellError):
        parse_count(",".join(groups))


@given(st.text(alphabet=st.characters(categories=("L", "P", "S")), min_size=1, max_size=8))
def test_words_are_not_counts(text: str) -> None:
    assume(not is_null(text) and text.strip() not in ("+", "-"))
    with pytest.raises(CellError):
        parse_count(text)


@given(st.sampled_from(sorted(NULL_TOKENS)), st.booleans(), st.sampled_from(["", " ", "\t"]))
def test_null_tokens_are_none_never_zero(token: str, upper: bool, pad: str) -> None:
    text = f"{pad}{token.upper() if upper else token}{pad}"
    assert is_null(text)
    assert parse_count(text) is None
    assert parse_decimal(text) is None


# --- decimals --------------------------------------------------------------------------------


@given(
    st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False),
    SEPARATORS,
)
def test_a_decimal_reads_back_plain_or_grouped(value: Decimal, separator: str) -> None:
    plain = f"{value:f}"
    sign, digits = ("-", plain[1:]) if plain.startswith("-") else ("", plain)
    whole, _, fraction = digits.partition(".")
    assert parse_decimal(plain) == pytest.approx(float(value))
    assert parse_decimal(f"{sign}{grouped(int(whole), separator)}.{fraction}") == pytest.approx(
        float(value)
    )


@given(st.integers(min_value=0, max_value=999), st.integers(min_value=1, max_value=99))
def test_a_decimal_comma_is_refused(whole: int, fraction: int) -> None:
    with pytest.raises(CellError):
        parse_decimal(f"{whole},{fraction:02d}")


@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False))
def test_a_percent_sign_is_left_to_the_column_to_interpret(value: Decimal) -> None:
    with pytest.raises(CellError):
        parse_decimal(f"{value:f}%")


# --- dates -----------------------------------------------------------------------------------


@given(MOMENTS, st.sampled_from(DATE_FORMATS), ZONES)
def test_a_date_in_a_known_spelling_reads_back_in_its_zone(
    moment: datetime, date_format: str, zone: zoneinfo.ZoneInfo
) -> None:
    has_time = format_has_time(date_format)
    if not has_time:
        expected = datetime.combine(moment.date(), datetime.min.time())
    elif "%S" in date_format:
        expected = moment.replace(microsecond=0)
    else:
        expected = moment.replace(second=0, microsecond=0)
    text = moment.strftime(date_format)
    # Read loosely (no format given), as a CSV mapping without date_format does ...
    assert parse_timestamp(text, zone) == (in_zone(expected, zone), not has_time)
    # ... and strictly, with the format spelled out.
    assert parse_timestamp(text, zone, date_format) == (in_zone(expected, zone), not has_time)


@given(st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=-7))])))
def test_a_time_with_its_offset_ignores_the_zone_given(moment: datetime) -> None:
    text = moment.replace(microsecond=0).isoformat()
    expected = int(moment.replace(microsecond=0).timestamp())
    assert parse_timestamp(text, zoneinfo.ZoneInfo("Asia/Tokyo")) == (expected, False)


@given(st.dates(min_value=date(1971, 1, 1), max_value=date(2099, 12, 31)))
def test_a_date_missing_its_year_is_refused_not_completed(day: date) -> None:
    for text in (day.strftime("%B %d"), day.strftime("%b %d"), day.strftime("%d/%m")):
        with pytest.raises(CellError):
            parse_timestamp(text, UTC)


@given(st.dates(min_value=date(1971, 1, 1), max_value=date(2099, 12, 31)))
def test_a_date_not_in_the_given_format_is_refused(day: date) -> None:
    with pytest.raises(CellError, match="%d/%m/%Y"):
        parse_timestamp(day.isoformat(), UTC, "%d/%m/%Y")


# --- ids -------------------------------------------------------------------------------------


@given(st.integers(min_value=1, max_value=2**63 - 1))
def test_ids_stay_text_digit_for_digit(value: int) -> None:
    assert parse_id(f" {value} ") == str(value)  # 19 digits would not survive a float


@given(st.integers(min_value=10**17, max_value=2**63 - 1), st.integers(min_value=1, max_value=8))
def test_ids_a_spreadsheet_rounded_are_refused(value: int, places: int) -> None:
    with pytest.raises(CellError, match="scientific notation"):
        parse_id(f"{value:.{places}E}")
