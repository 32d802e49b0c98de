"""The quick parser and argparse must read the same arguments the same way."""

from __future__ import annotations

import pytest

from smtui.cli import parser, quickparse

SAME = [
    ["start", "linkedin"],
    ["start", "linkedin", "prospecting", "-t", "25m", "--tag", "a", "--tag", "b,c"],
    ["start", "x", "--note=reply guys", "--ago", "20m"],
    ["start", "--timebox", "1h", "bluesky", "content"],
    ["--db", "/tmp/a.db", "stop", "-o", "lead", "--outcome", "deal", "--note", "x"],
    ["--config", "c.toml", "--db", "d.db", "status", "--format", "json"],
    ["status", "-f", "short"],
    ["status"],
    ["pause", "--at", "09:30"],
    ["resume"],
    ["cancel"],
    ["log", "deal", "-v", "1200", "--currency", "usd", "--no-session"],
    ["log", "contact_found", "referrer", "-c", "@ana", "--session", "4"],
    ["log", "lead", "--", "-weird-detail"],
    [],  # the dashboard
    ["--db", "d.db"],
    ["--config", "c.toml", "--db=d.db"],
]


@pytest.mark.parametrize("argv", SAME, ids=" ".join)
def test_both_parsers_agree(argv: list[str]) -> None:
    assert quickparse.parse(argv) == parser.parse(argv)


FALLBACK = [
    ["start"],  # missing platform
    ["start", "-h"],
    ["status", "--format", "xml"],  # bad choice
    ["stop", "--bogus"],
    ["start", "a", "b", "c"],  # too many positionals
    ["sessions", "list"],  # not a quick command
    ["--db"],
    ["stop", "--note"],  # option without value
    ["log", "lead", "--no-session=yes"],
    ["--version"],
    ["--db", "d.db", "--help"],
]


@pytest.mark.parametrize("argv", FALLBACK, ids=" ".join)
def test_unusual_input_falls_back_to_argparse(argv: list[str]) -> None:
    with pytest.raises(quickparse.Fallback):
        quickparse.parse(argv)


def test_every_quick_command_is_declared() -> None:
    from smtui.cli.spec import BY_NAME, QUICK_COMMANDS

    assert set(BY_NAME) >= QUICK_COMMANDS
    assert all(not BY_NAME[name].subcommands for name in QUICK_COMMANDS)


@pytest.mark.parametrize(
    "argv",
    [
        ["start", "x", "--db", "a.db"],
        ["--db", "a.db", "stop", "--config", "c.toml"],
        ["status", "--db=z.db"],
    ],
    ids=" ".join,
)
def test_global_options_after_the_command(argv: list[str]) -> None:
    assert quickparse.parse(argv) == parser.parse(argv)
    assert parser.parse(argv)["db"] in ("a.db", "z.db")


def test_global_options_after_a_subcommand() -> None:
    assert parser.parse(["sessions", "list", "--db", "b.db"])["db"] == "b.db"
    assert parser.parse(["--db", "first.db", "demo"])["db"] == "first.db"
