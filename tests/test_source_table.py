"""Built-in import sources listed by name and imported on first use (smtui.source_table), and
the registry's other shortcut: no ``importlib.metadata`` when nothing on sys.path needs it."""

from __future__ import annotations

import importlib
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from smtui import plugins, source_table
from smtui.plugin_settings import STRICT_ENV
from smtui.sources.base import DataSource

from .conftest import PYTHON, subprocess_env
from .test_plugins import Site, health_of

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """Only the plugins a test installs are visible, and the registry starts empty."""
    from .plugin_cli_fakes import isolated_site

    monkeypatch.delenv(STRICT_ENV, raising=False)
    yield from isolated_site(tmp_path, monkeypatch)


def registered_by(module_name: str) -> list[str]:
    """What a built-in source plugin's hook registers, in order (importing it)."""
    module = importlib.import_module(module_name)
    names: list[str] = []
    module.register_sources(register=lambda cls: names.append(cls.name))
    return names


@pytest.mark.parametrize("module", sorted(source_table.BUILTIN_SOURCES))
def test_the_list_of_built_in_sources_matches_their_modules(module: str) -> None:
    assert list(source_table.BUILTIN_SOURCES[module]) == registered_by(module)
    assert module in plugins.DEFAULT_PLUGINS
    hooks = [name for name in dir(importlib.import_module(module)) if name.startswith("register_")]
    assert hooks == ["register_sources"]  # a deferred plugin may implement nothing else


def test_every_built_in_source_plugin_is_deferred() -> None:
    """A source plugin left out of the list would still load, just eagerly: none is."""
    for module in plugins.DEFAULT_PLUGINS:
        if hasattr(importlib.import_module(module), "register_sources"):
            assert module in source_table.BUILTIN_SOURCES, module


def test_loading_the_plugins_imports_no_source_module(smtui_home: Path) -> None:
    probe = (
        "import sys\n"
        "from smtui import plugins, source_table\n"
        "registry = plugins.load_registry()\n"
        "assert 'x_tweets' in registry.sources and len(registry.sources) > 20\n"
        "print(sorted(m for m in sys.modules if m.startswith('smtui.sources.')))\n"
        "print([m for m in source_table.BUILTIN_SOURCES if m in sys.modules])\n"
    )
    result = subprocess.run(
        [PYTHON, "-c", probe],
        env=subprocess_env(smtui_home),
        capture_output=True,
        text=True,
        check=True,
    )
    parsers, plugin_modules = result.stdout.splitlines()
    # Only what the plugin API itself is made of: base class, records, errors.
    assert parsers == "['smtui.sources.base', 'smtui.sources.errors', 'smtui.sources.records']"
    assert plugin_modules == "[]"


def test_a_source_is_imported_when_first_looked_up(site: Site) -> None:
    for module in source_table.BUILTIN_SOURCES:
        sys.modules.pop(module, None)
    registry = plugins.load_registry()

    assert set(registry.sources.pending) >= {"x_tweets", "facebook_posts", "csv"}
    assert "x_tweets" in registry.sources  # knowing the name imports nothing
    assert "smtui.builtins.x_export" not in sys.modules
    cls = registry.sources["x_tweets"]
    assert cls.__module__ == "smtui.builtins.x_export" and issubclass(cls, DataSource)
    assert "smtui.builtins.meta_export" not in sys.modules
    assert "x_daily" not in registry.sources.pending  # its module registered all four
    assert registry.sources.get("no_such_source") is None


def test_every_class_in_registration_order_and_the_same_health(site: Site) -> None:
    registry = plugins.load_registry()

    listed = list(registry.sources)
    classes = dict(registry.sources.items())
    assert (
        list(classes)
        == listed
        == [n for names in source_table.BUILTIN_SOURCES.values() for n in names]
    )
    assert not registry.sources.pending
    assert [cls.name for cls in registry.sources.values()] == listed
    meta = health_of(registry, "meta_export")
    assert (meta.status, meta.hooks) == ("ok", ("register_sources",))
    assert meta.provides == tuple(
        f"source:{name}" for name in source_table.BUILTIN_SOURCES["smtui.builtins.meta_export"]
    )
    assert registry.owners[("source", "instagram_posts")] == "meta_export"


def test_a_third_party_source_cannot_take_a_deferred_name(site: Site) -> None:
    site.install(
        "smtui-clash",
        {"clash": "smtui_clash"},
        {
            "smtui_clash": """
                from smtui import api

                class Tweets(api.DataSource):
                    name = "x_tweets"

                @api.hookimpl
                def register_sources(register):
                    register(Tweets)
            """
        },
    )
    sys.modules.pop("smtui.builtins.x_export", None)

    registry = plugins.load_registry()

    assert health_of(registry, "clash").error == (
        "source 'x_tweets' from plugin 'clash' is already registered by plugin 'x_export'"
        " (disable one of 'x_export' and 'clash')"
    )
    assert "smtui.builtins.x_export" not in sys.modules


FAKE_SOURCES = """
    from smtui import api

    class One(api.DataSource):
        name = "fake_one"

    class Extra(api.DataSource):
        name = "fake_extra"

    @api.hookimpl
    def register_sources(register):
        register(One)
        register(Extra)
"""


def defer_fake(
    site: Site, monkeypatch: pytest.MonkeyPatch, source: str, names: tuple[str, ...]
) -> None:
    """A built-in source plugin ``fake_builtin`` (module of the same name) listing ``names``."""
    site.install("smtui-fake-builtin", {}, {"fake_builtin": source})
    monkeypatch.setattr(plugins, "DEFAULT_PLUGINS", (*plugins.DEFAULT_PLUGINS, "fake_builtin"))
    monkeypatch.setitem(plugins.BUILTIN_SOURCES, "fake_builtin", names)


def test_what_a_deferred_module_really_registers_wins(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    defer_fake(site, monkeypatch, FAKE_SOURCES, ("fake_one", "fake_gone"))
    registry = plugins.load_registry()
    assert "fake_gone" in registry.sources and "fake_extra" not in registry.sources

    assert registry.sources["fake_one"].__name__ == "One"

    assert "fake_gone" not in registry.sources  # listed, never registered: dropped
    assert registry.sources["fake_extra"].__name__ == "Extra"  # registered, not listed: added


def test_a_deferred_module_that_fails_becomes_an_error_record(
    site: Site, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    defer_fake(site, monkeypatch, "raise RuntimeError('parser missing')\n", ("fake_one",))
    registry = plugins.load_registry()
    assert health_of(registry, "fake_builtin").status == "ok"  # not imported yet

    assert registry.sources.get("fake_one") is None

    record = health_of(registry, "fake_builtin")
    assert (record.status, record.error) == ("error", "RuntimeError: parser missing")
    assert ("source", "fake_one") not in registry.owners
    assert "x_tweets" in dict(registry.sources.items())  # the others are unharmed
    assert "plugin 'fake_builtin' (smtui 0.1.0) not loaded: RuntimeError: parser missing" in (
        capsys.readouterr().err
    )


def test_strict_mode_raises_when_a_deferred_module_fails(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    defer_fake(site, monkeypatch, "raise RuntimeError('parser missing')\n", ("fake_one",))
    monkeypatch.setenv(STRICT_ENV, "1")
    registry = plugins.load_registry()

    with pytest.raises(RuntimeError, match="parser missing"):
        registry.sources.values()


def test_no_metadata_import_when_no_distribution_declares_a_plugin(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading entry points needs ``importlib.metadata`` (costly to import): not imported when
    the quick look at sys.path finds no third-party smtui entry point."""
    from smtui.core import events

    def unexpected(**_: object) -> list[object]:
        raise AssertionError("entry points read")

    metadata = importlib.import_module("importlib.metadata")
    monkeypatch.setattr(metadata, "entry_points", unexpected)
    monkeypatch.delitem(sys.modules, "importlib.metadata")
    assert not events._third_party_declared()  # the site is empty

    registry = plugins.load_registry()

    assert "importlib.metadata" not in sys.modules
    assert not [record for record in registry.health if not record.builtin]


def test_the_quick_look_sends_a_declared_plugin_to_the_metadata(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.install("smtui-news", {"news": "smtui_news"}, {"smtui_news": "x = 1\n"})
    monkeypatch.delitem(sys.modules, "importlib.metadata")

    registry = plugins.load_registry()

    assert health_of(registry, "news").status == "ok"


def test_a_loaded_registry_is_handed_out_without_loading(site: Site) -> None:
    assert plugins.loaded_registry() is None
    registry = plugins.load_registry()
    assert plugins.loaded_registry() is registry
    plugins.reset_registry()
    assert plugins.loaded_registry() is None
