"""The plugin system: built-ins through the hooks, third-party loading, isolation of failures."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import textwrap
from typing import TYPE_CHECKING

import pytest

from smtui import api, plugins
from smtui.builtins.checklist import ChecklistStrategy
from smtui.core.kinds import BUILTIN_KINDS
from smtui.errors import SmtuiError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


class FakeConfig:
    """The attributes of smtui.config.Config that plugin loading reads."""

    def __init__(self, disabled: tuple[str, ...] = ()) -> None:
        self.plugins_disabled = disabled
        self.scoring: dict[str, dict[str, object]] = {}


class Site:
    """A directory on sys.path holding fake plugin modules and their distributions' metadata."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.modules: list[str] = []

    def install(
        self,
        dist: str,
        entry_points: dict[str, str],
        modules: dict[str, str],
        version: str = "1.0",
    ) -> None:
        for name, source in modules.items():
            (self.root / f"{name}.py").write_text(textwrap.dedent(source))
            self.modules.append(name)
        info = self.root / f"{dist.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
        lines = "".join(f"{name} = {target}\n" for name, target in entry_points.items())
        (info / "entry_points.txt").write_text("[smtui]\n" + lines)
        importlib.invalidate_caches()

    def entry_points(self, *, group: str) -> list[importlib.metadata.EntryPoint]:
        return [
            entry_point
            for dist in importlib.metadata.distributions(path=[str(self.root)])
            for entry_point in dist.entry_points
            if entry_point.group == group
        ]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """Only the plugins a test installs are visible, and the registry starts empty."""
    root = tmp_path / "site"
    root.mkdir()
    fake = Site(root)
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.setattr(importlib.metadata, "entry_points", fake.entry_points)
    monkeypatch.delenv(plugins.LOAD_ENV, raising=False)
    monkeypatch.delenv(plugins.STRICT_ENV, raising=False)
    plugins.reset_registry()
    yield fake
    plugins.reset_registry()
    for name in fake.modules:
        sys.modules.pop(name, None)


def health_of(registry: plugins.Registry, plugin: str) -> plugins.PluginHealth:
    matches = [record for record in registry.health if record.plugin == plugin]
    assert len(matches) == 1, registry.health
    return matches[0]


# Built-ins that must load cleanly, for strict-mode tests that any other failure would mask.
OWN_BUILTINS = ("smtui.builtins.outcome_kinds", "smtui.builtins.checklist")

GOOD_PLUGIN = """
    from smtui import api

    class Newsletter(api.ScoringStrategy):
        name = "newsletter"

    class Mailchimp(api.DataSource):
        name = "mailchimp"

    @api.hookimpl
    def register_outcome_kinds(register):
        register(api.OutcomeKind("signup", "Signup", "Someone joined the newsletter"))

    @api.hookimpl
    def register_scorers(register):
        register(Newsletter)

    @api.hookimpl
    def register_sources(register):
        register(Mailchimp)
"""


def test_builtins_register_every_kind_and_the_checklist_scorer(site: Site) -> None:
    registry = plugins.load_registry()

    assert registry.outcome_kinds == BUILTIN_KINDS
    assert registry.scorers["checklist"] is ChecklistStrategy
    assert registry.owners[("scorer", "checklist")] == "checklist"
    assert registry.owners[("outcome_kind", "deal")] == "outcome_kinds"
    kinds = health_of(registry, "outcome_kinds")
    assert (kinds.status, kinds.builtin, kinds.distribution) == ("ok", True, "smtui")
    assert kinds.hooks == ("register_outcome_kinds",)
    assert len(kinds.provides) == len(BUILTIN_KINDS)
    assert health_of(registry, "checklist").provides == ("scorer:checklist",)


def test_third_party_plugin_adds_kind_scorer_and_source(site: Site) -> None:
    site.install("smtui-news", {"news": "smtui_news"}, {"smtui_news": GOOD_PLUGIN}, "1.2")

    registry = plugins.load_registry()

    assert registry.outcome_kinds["signup"].label == "Signup"
    assert registry.scorers["newsletter"].__module__ == "smtui_news"
    assert registry.sources["mailchimp"].__module__ == "smtui_news"
    assert registry.owners[("scorer", "newsletter")] == "news"
    record = health_of(registry, "news")
    assert (record.status, record.distribution, record.version, record.builtin) == (
        "ok",
        "smtui-news",
        "1.2",
        False,
    )
    assert set(record.provides) == {"outcome_kind:signup", "scorer:newsletter", "source:mailchimp"}
    assert registry.pm.get_plugin("news") is sys.modules["smtui_news"]


def test_smtuis_own_entry_points_for_builtins_are_not_loaded_twice(site: Site) -> None:
    site.install(
        "smtui",
        {"outcome_kinds": "smtui.builtins.outcome_kinds", "checklist": "smtui.builtins.checklist"},
        {},
    )

    registry = plugins.load_registry()

    assert [r.plugin for r in registry.health].count("checklist") == 1
    assert health_of(registry, "checklist").status == "ok"
    assert health_of(registry, "outcome_kinds").status == "ok"


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("import smtui_no_such_module_xyz\n", "ModuleNotFoundError: No module named"),
        ("raise RuntimeError('boom at import')\n", "RuntimeError: boom at import"),
    ],
)
def test_plugin_failing_at_import_becomes_a_health_record(
    site: Site, capsys: pytest.CaptureFixture[str], source: str, error: str
) -> None:
    site.install("smtui-bad", {"bad": "smtui_bad"}, {"smtui_bad": source})
    site.install("smtui-news", {"news": "smtui_news"}, {"smtui_news": GOOD_PLUGIN})

    registry = plugins.load_registry()

    record = health_of(registry, "bad")
    assert record.status == "error"
    assert record.error.startswith(error)
    assert [r.plugin for r in registry.problems() if not r.builtin] == ["bad"]
    assert "newsletter" in registry.scorers
    assert "checklist" in registry.scorers
    stderr = capsys.readouterr().err.splitlines()
    assert [line for line in stderr if "'bad'" in line] == [
        f"smtui: plugin 'bad' (smtui-bad 1.0) not loaded: {record.error}"
        f" (see `smtui plugins`; {plugins.STRICT_ENV}=1 shows the traceback)"
    ]


def test_raising_register_hook_rolls_back_the_whole_plugin(site: Site) -> None:
    source = """
        from smtui import api

        class Half(api.ScoringStrategy):
            name = "half"

        @api.hookimpl
        def register_outcome_kinds(register):
            register(api.OutcomeKind("first", "First", "registered before the crash"))

        @api.hookimpl
        def register_scorers(register):
            register(Half)
            raise ValueError("broken halfway")
    """
    site.install("smtui-half", {"half": "smtui_half"}, {"smtui_half": source})

    registry = plugins.load_registry()

    record = health_of(registry, "half")
    assert (record.status, record.error) == ("error", "ValueError: broken halfway")
    assert "first" not in registry.outcome_kinds
    assert "half" not in registry.scorers
    assert ("outcome_kind", "first") not in registry.owners
    assert not registry.pm.has_plugin("half")
    assert registry.outcome_kinds == BUILTIN_KINDS


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (
            "@api.hookimpl\ndef register_outcome_kinds(register):\n    register('lead')\n",
            "register_outcome_kinds was given 'lead', not an OutcomeKind instance",
        ),
        (
            "@api.hookimpl\ndef register_scorers(register):\n    register(Nameless)\n",
            "Nameless registered by register_scorers has no name",
        ),
        (
            "@api.hookimpl\ndef register_scorers(register):\n    register(Named())\n",
            "register_scorers was given <smtui_wrong.Named object",
        ),
        (
            "@api.hookimpl\ndef register_sources(register):\n    register(Named)\n",
            "register_sources was given <class 'smtui_wrong.Named'>, not a subclass of DataSource",
        ),
        (
            "@api.hookimpl\ndef register_sources(register):\n    register(api.DataSource)\n",
            "not a subclass of DataSource",
        ),
        (
            "@api.hookimpl\ndef register_scorers(register):\n    return [Named]\n",
            "register_scorers returned list; it should call register(...)",
        ),
        (
            "@api.hookimpl\ndef register_scorer(register):\n    register(Named)\n",
            "unknown hook register_scorer (did you mean register_scorers?)",
        ),
        (
            "@api.hookimpl\ndef register_scorers(register, verbose):\n    pass\n",
            "PluginValidationError",
        ),
    ],
    ids=[
        "kind-not-instance",
        "no-name",
        "instance",
        "wrong-base",
        "base-itself",
        "returns",
        "unknown-hook",
        "unknown-argument",
    ],
)
def test_invalid_registrations_become_health_errors(site: Site, body: str, error: str) -> None:
    source = (
        "from smtui import api\n\n"
        "class Named(api.ScoringStrategy):\n    name = 'named'\n\n"
        "class Nameless(api.ScoringStrategy):\n    pass\n\n" + body
    )
    site.install("smtui-wrong", {"wrong": "smtui_wrong"}, {"smtui_wrong": source})

    registry = plugins.load_registry()

    record = health_of(registry, "wrong")
    assert record.status == "error"
    assert error in record.error
    assert "named" not in registry.scorers
    assert not registry.pm.has_plugin("wrong")
    assert health_of(registry, "checklist").status == "ok"


def test_duplicate_name_is_refused_naming_both_plugins(site: Site) -> None:
    clash = """
        from smtui import api

        @api.hookimpl
        def register_outcome_kinds(register):
            register(api.OutcomeKind("webinar", "Webinar", "Booked a webinar seat"))
            register(api.OutcomeKind("lead", "Lead", "my own idea of a lead"))
    """
    site.install("smtui-clash", {"clash": "smtui_clash"}, {"smtui_clash": clash})

    registry = plugins.load_registry()

    record = health_of(registry, "clash")
    assert record.status == "error"
    assert record.error == (
        "outcome kind 'lead' from plugin 'clash' is already registered by plugin"
        " 'outcome_kinds' (disable one of 'outcome_kinds' and 'clash')"
    )
    assert registry.outcome_kinds["lead"] is BUILTIN_KINDS["lead"]
    assert "webinar" not in registry.outcome_kinds


def test_second_of_two_third_party_plugins_with_one_scorer_name_is_refused(site: Site) -> None:
    site.install("smtui-news", {"news": "smtui_news"}, {"smtui_news": GOOD_PLUGIN})
    copy = GOOD_PLUGIN.replace('"signup"', '"signup2"').replace('"mailchimp"', '"brevo"')
    site.install("smtui-news2", {"news2": "smtui_news2"}, {"smtui_news2": copy})

    registry = plugins.load_registry()

    assert health_of(registry, "news").status == "ok"
    record = health_of(registry, "news2")
    assert record.status == "error"
    assert "scorer 'newsletter' from plugin 'news2' is already registered by plugin 'news'" in (
        record.error
    )
    assert registry.scorers["newsletter"].__module__ == "smtui_news"
    assert "signup2" not in registry.outcome_kinds
    assert "brevo" not in registry.sources


def test_plugin_id_taken_by_a_builtin_is_refused(site: Site) -> None:
    site.install("smtui-impostor", {"checklist": "smtui_impostor"}, {"smtui_impostor": ""})

    registry = plugins.load_registry()

    errors = [r for r in registry.health if r.plugin == "checklist" and r.status == "error"]
    assert len(errors) == 1
    assert errors[0].distribution == "smtui-impostor"
    assert "already used by smtui (built-in) plugin 'checklist'" in errors[0].error
    assert "smtui_impostor" not in sys.modules
    assert registry.scorers["checklist"] is ChecklistStrategy


@pytest.mark.parametrize("name", ["bad", "smtui-bad"])
def test_disabled_plugin_is_never_imported(site: Site, name: str) -> None:
    site.install("smtui-bad", {"bad": "smtui_bad"}, {"smtui_bad": "raise RuntimeError('no')\n"})

    registry = plugins.load_registry(FakeConfig(disabled=(name,)))

    assert "smtui_bad" not in sys.modules
    record = health_of(registry, "bad")
    assert (record.status, record.error) == ("disabled", "disabled in the configuration")


def test_a_builtin_can_be_disabled_too(site: Site) -> None:
    registry = plugins.load_registry(FakeConfig(disabled=("checklist",)))

    assert "checklist" not in registry.scorers
    assert health_of(registry, "checklist").status == "disabled"
    assert registry.outcome_kinds == BUILTIN_KINDS


@pytest.mark.parametrize(
    ("value", "loaded"),
    [("", set()), ("news", {"news"}), (" smtui-other , news", {"news", "other"}), ("nope", set())],
)
def test_load_env_limits_third_party_plugins(
    site: Site, monkeypatch: pytest.MonkeyPatch, value: str, loaded: set[str]
) -> None:
    site.install("smtui-news", {"news": "smtui_news"}, {"smtui_news": GOOD_PLUGIN})
    other = "from smtui import api\n"
    site.install("smtui-other", {"other": "smtui_other"}, {"smtui_other": other})
    monkeypatch.setenv(plugins.LOAD_ENV, value)

    registry = plugins.load_registry()

    ok = {r.plugin for r in registry.health if r.status == "ok" and not r.builtin}
    assert ok == loaded
    for plugin, module in (("news", "smtui_news"), ("other", "smtui_other")):
        if plugin not in loaded:
            assert module not in sys.modules
            assert health_of(registry, plugin).error == f"not listed in {plugins.LOAD_ENV}"
    assert health_of(registry, "checklist").status == "ok"


def test_strict_mode_reraises_import_errors(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    site.install("smtui-bad", {"bad": "smtui_bad"}, {"smtui_bad": "raise RuntimeError('no')\n"})
    monkeypatch.setattr(plugins, "DEFAULT_PLUGINS", OWN_BUILTINS)
    monkeypatch.setenv(plugins.STRICT_ENV, "1")

    with pytest.raises(RuntimeError, match="no"):
        plugins.load_registry()


def test_strict_mode_reraises_registration_errors(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = GOOD_PLUGIN.replace('"newsletter"', '"checklist"')
    site.install("smtui-news", {"news": "smtui_news"}, {"smtui_news": copy})
    monkeypatch.setattr(plugins, "DEFAULT_PLUGINS", OWN_BUILTINS)
    monkeypatch.setenv(plugins.STRICT_ENV, "1")

    with pytest.raises(api.PluginError, match="'checklist' from plugin 'news'"):
        plugins.load_registry()


def test_unreadable_plugin_metadata_becomes_a_health_record(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*, group: str) -> list[importlib.metadata.EntryPoint]:
        raise OSError("disk on fire")

    monkeypatch.setattr(importlib.metadata, "entry_points", broken)

    registry = plugins.load_registry()

    assert health_of(registry, "(entry points)").error == (
        "cannot read installed plugin metadata: OSError: disk on fire"
    )
    assert registry.scorers["checklist"] is ChecklistStrategy


def test_registry_is_cached_until_reset_or_settings_change(site: Site) -> None:
    first = plugins.load_registry()

    assert plugins.load_registry() is first
    assert plugins.load_registry(FakeConfig()) is first
    disabled = plugins.load_registry(FakeConfig(disabled=("checklist",)))
    assert disabled is not first
    assert "checklist" not in disabled.scorers
    plugins.reset_registry()
    assert plugins.load_registry() is not disabled


def test_plugin_error_carries_a_title_and_hint() -> None:
    error = api.PluginError("token rejected", "check BLUESKY_TOKEN", title="Bluesky sync failed")

    assert isinstance(error, SmtuiError)
    assert (error.title, error.hint, str(error)) == (
        "Bluesky sync failed",
        "check BLUESKY_TOKEN",
        "token rejected (check BLUESKY_TOKEN)",
    )
    assert api.PluginError("x").title == "Plugin problem"
    assert api.API_VERSION == "1"
    assert set(api.__all__) >= {
        "hookimpl",
        "OutcomeKind",
        "DataSource",
        "ScoringStrategy",
        "Window",
        "Score",
        "Option",
        "Session",
        "Outcome",
        "PluginError",
    }


def test_plugin_api_and_loading_never_import_textual() -> None:
    code = (
        "import sys\n"
        "from smtui import api, plugins\n"
        "import smtui.core.score\n"
        "plugins.load_registry()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
