"""Outcomes: logging against the running session, another session or none; money."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smtui.core import outcomes, sessions
from smtui.core.kinds import BUILTIN_KINDS, resolve_kind
from smtui.errors import NotFoundError, StateError, UsageError

from .conftest import T0


def test_log_against_running_session_takes_its_platform(
    conn: sqlite3.Connection, frozen: int
) -> None:
    session = sessions.start(conn, "mastodon")
    logged = outcomes.log(conn, "contact_found", detail="referrer", contact="@ana@fosstodon.org")
    assert (logged.session_id, logged.platform, logged.occurred_at) == (session.id, "mastodon", T0)
    assert outcomes.get(conn, logged.id) == logged


def test_log_without_running_session_needs_a_choice(conn: sqlite3.Connection, frozen: int) -> None:
    with pytest.raises(StateError, match="no session is running"):
        outcomes.log(conn, "lead")
    free = outcomes.log(conn, "lead", session=None, platform="x")
    assert free.session_id is None and free.platform == "x"
    with pytest.raises(NotFoundError, match="no session #99"):
        outcomes.log(conn, "lead", session=99)


def test_deal_with_money(conn: sqlite3.Connection, frozen: int) -> None:
    deal = outcomes.log(conn, "deal", session=None, amount_minor=120050, currency="EUR")
    assert outcomes.format_money(deal.amount_minor or 0, deal.currency) == "1,200.50 EUR"
    with pytest.raises(UsageError, match="currency"):
        outcomes.log(conn, "deal", session=None, amount_minor=5)


@pytest.mark.parametrize(
    ("text", "cents"), [("1200", 120000), ("1,200.50", 120050), ("0.5", 50), ("1_000", 100000)]
)
def test_parse_money(text: str, cents: int) -> None:
    assert outcomes.parse_money(text) == cents


@pytest.mark.parametrize("text", ["abc", "-5", "1.234", "nan", "inf", ""])
def test_parse_money_rejects(text: str) -> None:
    with pytest.raises(UsageError):
        outcomes.parse_money(text)


@given(st.integers(min_value=0, max_value=10**12))
def test_money_round_trips(cents: int) -> None:
    text = outcomes.format_money(cents, None)
    assert outcomes.parse_money(text) == cents


def test_list_and_delete(conn: sqlite3.Connection, frozen: int) -> None:
    a = outcomes.log(conn, "lead", session=None, at=T0 - 100)
    b = outcomes.log(conn, "trust_built", session=None, at=T0 - 50)
    assert [o.id for o in outcomes.list_outcomes(conn)] == [b.id, a.id]
    assert [o.id for o in outcomes.list_outcomes(conn, kind="lead")] == [a.id]
    assert [o.id for o in outcomes.list_outcomes(conn, since=T0 - 60)] == [b.id]
    outcomes.delete(conn, a.id)
    assert [o.id for o in outcomes.list_outcomes(conn)] == [b.id]


def test_future_outcome_refused(conn: sqlite3.Connection, frozen: int) -> None:
    with pytest.raises(UsageError, match="future"):
        outcomes.log(conn, "lead", session=None, at=T0 + 5)


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("lead", "lead"),
        ("Moved off social", "moved_off_social"),
        ("moved", "moved_off_social"),
        ("qualified", "prospect_qualified"),
        ("prospect-identified", "prospect_identified"),
    ],
)
def test_resolve_kind_is_forgiving(typed: str, kind: str) -> None:
    assert resolve_kind(typed, BUILTIN_KINDS).name == kind


def test_resolve_kind_errors_say_what_to_do() -> None:
    with pytest.raises(UsageError, match="ambiguous") as ambiguous:
        resolve_kind("prospect", BUILTIN_KINDS)
    assert "prospect_identified" in ambiguous.value.hint
    with pytest.raises(UsageError, match="unknown outcome kind 'leed'") as unknown:
        resolve_kind("leed", BUILTIN_KINDS)
    assert "did you mean 'lead'" in unknown.value.hint
