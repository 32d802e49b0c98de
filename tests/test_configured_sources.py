"""Turning the registry and ``[sources.<alias>]`` tables into the sources an import uses."""

from __future__ import annotations

import pytest

from smtui.errors import ConfigError
from smtui.plugins import load_registry
from smtui.sources.configured import configured_sources


def aliases(tables: dict[str, dict[str, object]]) -> list[tuple[str, str]]:
    return sorted((s.name, s.alias) for s in configured_sources(load_registry(), tables))


def test_formats_without_required_options_exist_by_default() -> None:
    found = aliases({})
    assert ("x_content", "x_content") in found
    assert ("facebook_posts", "facebook_posts") in found
    assert not any(name == "csv" for name, _ in found)  # needs a column mapping


def test_a_configured_table_replaces_the_default_of_its_format() -> None:
    found = aliases({"mine": {"type": "x_content", "account": "@me"}})
    assert [pair for pair in found if pair[0] == "x_content"] == [("x_content", "mine")]


def test_a_configured_csv_mapping_is_added() -> None:
    table = {"type": "csv", "platform": "linkedin", "columns": {"external_id": "ID"}}
    assert ("csv", "posts") in aliases({"posts": table})


def test_unknown_type_names_the_installed_ones() -> None:
    with pytest.raises(ConfigError, match=r"type = 'x_contnet' is not an installed source") as err:
        aliases({"mine": {"type": "x_contnet"}})
    assert "did you mean 'x_content'?" in err.value.hint


def test_misspelt_option_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"unknown option \[sources.mine\].acount") as err:
        aliases({"mine": {"type": "x_content", "acount": "@me"}})
    assert "did you mean 'account'?" in err.value.hint
