"""Every hook has a test, and every register hook reaches the registry from a third-party plugin.

A test says which hook it exercises with ``@pytest.mark.hook("name")`` (directly, stacked, or
in ``pytest.param(..., marks=...)``). The meta-test reads the marks from the test files'
syntax rather than from the collected session, so it gives the same answer whichever subset
of the suite runs: a new hookspec without a marked test fails it, and so does a mark that
names no hook.
"""

from __future__ import annotations

import ast
import tomllib
from typing import TYPE_CHECKING

import pytest

from smtui import api, hookspecs, plugins

from .conftest import ROOT
from .plugin_runtime_fakes import fake_site

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from .test_plugins import Site

TESTS = ROOT / "tests"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    yield from fake_site(tmp_path, monkeypatch)


def hookspec_names() -> set[str]:
    return {name for name, value in vars(hookspecs).items() if hasattr(value, "smtui_spec")}


def _is_hook_mark(node: ast.expr) -> bool:
    """``pytest.mark.hook`` (or ``mark.hook``) as written in a test file."""
    if not (isinstance(node, ast.Attribute) and node.attr == "hook"):
        return False
    owner = node.value
    return (isinstance(owner, ast.Attribute) and owner.attr == "mark") or (
        isinstance(owner, ast.Name) and owner.id == "mark"
    )


def marked_hooks(path: Path) -> dict[str, list[str]]:
    """Hook name to the tests marked with it in one file (``<param>`` for pytest.param marks)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: dict[str, list[str]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if not node.name.startswith("test_"):
            continue
        hooks: set[str] = set()
        for decorator in node.decorator_list:
            for call in ast.walk(decorator):
                if isinstance(call, ast.Call) and _is_hook_mark(call.func):
                    for arg in call.args:
                        assert isinstance(arg, ast.Constant), f"{path.name}: marks take a literal"
                        hooks.add(str(arg.value))
        for hook in sorted(hooks):
            found.setdefault(hook, []).append(f"{path.name}::{node.name}")
    return found


def all_marked_hooks() -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for path in sorted(TESTS.glob("test_*.py")):
        for hook, tests in marked_hooks(path).items():
            merged.setdefault(hook, []).extend(tests)
    return merged


def test_every_hook_has_a_test() -> None:
    marked = all_marked_hooks()

    missing = sorted(hookspec_names() - set(marked))
    assert not missing, f"hooks without a @pytest.mark.hook test: {missing}"


def test_every_hook_mark_names_a_real_hook() -> None:
    unknown = {hook: tests for hook, tests in all_marked_hooks().items()}
    for name in hookspec_names():
        unknown.pop(name, None)

    assert not unknown, f"@pytest.mark.hook names no hookspec: {unknown}"


def test_the_marker_is_registered() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

    markers = config["tool"]["pytest"]["ini_options"]["markers"]
    assert any(marker.startswith("hook(name):") for marker in markers)


def test_the_meta_test_reads_every_way_of_marking(tmp_path: Path) -> None:
    sample = tmp_path / "test_sample.py"
    sample.write_text(
        "import pytest\n"
        "from pytest import mark\n\n"
        "@pytest.mark.hook('a')\n@mark.hook('b')\ndef test_one():\n    pass\n\n"
        "@pytest.mark.parametrize('x', [pytest.param(1, marks=pytest.mark.hook('c'))])\n"
        "def test_two(x):\n    pass\n\n"
        "@pytest.mark.hook('not_a_test')\ndef helper():\n    pass\n"
    )

    assert marked_hooks(sample) == {
        "a": ["test_sample.py::test_one"],
        "b": ["test_sample.py::test_one"],
        "c": ["test_sample.py::test_two"],
    }


# --- each register hook, end to end through a third-party plugin ------------------------------

REGISTERING = """
    from smtui import api

    class Newsletter(api.ScoringStrategy):
        name = "newsletter"

    class Mailchimp(api.DataSource):
        name = "mailchimp"

    class Pipeline(api.Command):
        name = "pipeline"
        help = "show the sales pipeline"

        def run(self, args, context):
            return 0

    class Leads(api.Panel):
        name = "leads"
        title = "Leads"

        def load(self, conn, now):
            count = conn.execute("SELECT count(*) FROM outcomes WHERE kind = 'lead'").fetchone()[0]
            return [("Leads", str(count))]

    @api.hookimpl
    def register_{hook}(register):
        register({item})
"""


@pytest.mark.parametrize(
    ("hook", "item", "category", "name"),
    [
        pytest.param(
            "outcome_kinds",
            'api.OutcomeKind("signup", "Signup", "joined the list")',
            "outcome_kinds",
            "signup",
            marks=pytest.mark.hook("register_outcome_kinds"),
        ),
        pytest.param(
            "sources",
            "Mailchimp",
            "sources",
            "mailchimp",
            marks=pytest.mark.hook("register_sources"),
        ),
        pytest.param(
            "scorers",
            "Newsletter",
            "scorers",
            "newsletter",
            marks=pytest.mark.hook("register_scorers"),
        ),
        pytest.param(
            "commands",
            "Pipeline",
            "commands",
            "pipeline",
            marks=pytest.mark.hook("register_commands"),
        ),
        pytest.param(
            "panels", "Leads", "panels", "leads", marks=pytest.mark.hook("register_panels")
        ),
    ],
)
def test_each_register_hook_reaches_the_registry(
    site: Site, hook: str, item: str, category: str, name: str
) -> None:
    source = REGISTERING.format(hook=hook, item=item)
    site.install("smtui-reg", {"reg": "smtui_reg"}, {"smtui_reg": source})

    registry = plugins.load_registry()

    table = getattr(registry, category)
    assert name in table
    singular = {"outcome_kinds": "outcome_kind"}.get(category, category.rstrip("s"))
    assert registry.owners[(singular, name)] == "reg"
    record = next(r for r in registry.health if r.plugin == "reg")
    assert (record.status, record.hooks, record.provides) == (
        "ok",
        (f"register_{hook}",),
        (f"{singular}:{name}",),
    )


@pytest.mark.hook("register_panels")
def test_a_registered_panel_loads_its_lines(site: Site, conn: object) -> None:
    source = REGISTERING.format(hook="panels", item="Leads")
    site.install("smtui-reg", {"reg": "smtui_reg"}, {"smtui_reg": source})

    panel = plugins.load_registry().panels["leads"]()

    assert isinstance(panel, api.Panel)
    assert panel.title == "Leads"
    assert panel.load(conn, 0) == [("Leads", "0")]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("item", "error"),
    [
        (
            "Pipeline",
            "register_panels was given <class 'smtui_reg.Pipeline'>, not a subclass of Panel",
        ),
        ("Leads()", "register_panels was given <smtui_reg.Leads object"),
        ("api.Panel", "not a subclass of Panel"),
        ("Nameless", "Nameless registered by register_panels has no name"),
    ],
)
@pytest.mark.hook("register_panels")
def test_a_wrong_panel_is_refused_and_rolled_back(site: Site, item: str, error: str) -> None:
    source = REGISTERING.format(hook="panels", item=item) + (
        "\n    class Nameless(api.Panel):\n        title = 'no name'\n"
        "\n    @api.hookimpl\n    def register_scorers(register):\n        register(Newsletter)\n"
    )
    site.install("smtui-reg", {"reg": "smtui_reg"}, {"smtui_reg": source})

    registry = plugins.load_registry()

    record = next(r for r in registry.health if r.plugin == "reg")
    assert record.status == "error"
    assert error in record.error
    assert registry.panels == {}
    assert "newsletter" not in registry.scorers


@pytest.mark.hook("register_panels")
def test_two_plugins_with_one_panel_name_are_named_both(site: Site) -> None:
    source = REGISTERING.format(hook="panels", item="Leads")
    site.install("smtui-reg", {"reg": "smtui_reg"}, {"smtui_reg": source})
    site.install("smtui-reg2", {"reg2": "smtui_reg2"}, {"smtui_reg2": source})

    registry = plugins.load_registry()

    record = next(r for r in registry.health if r.plugin == "reg2")
    assert "panel 'leads' from plugin 'reg2' is already registered by plugin 'reg'" in record.error
    assert registry.panels["leads"].__module__ == "smtui_reg"


def test_everything_a_hook_hands_over_or_takes_comes_from_the_api() -> None:
    """A plugin author imports ``smtui.api`` only: every type in a hook's contract is there."""
    expected = {
        "Command",
        "CommandContext",
        "Panel",
        "Goal",
        "GoalProgress",
        "Session",
        "Outcome",
        "OutcomeKind",
        "DataSource",
        "ScoringStrategy",
        "PostRecord",
        "AccountSnapshotRecord",
        "InputError",
        "PluginError",
    }

    assert expected <= set(api.__all__)
    for name in api.__all__:
        assert getattr(api, name) is not None
    for name in hookspec_names():
        annotations = getattr(hookspecs, name).__annotations__
        for annotation in annotations.values():
            words = str(annotation).translate(str.maketrans("[],", "   ")).split()
            for word in words:
                if word[:1].isupper() and word not in {"Callable", "None"}:
                    assert word in api.__all__, f"{name} uses {word}, missing from smtui.api"
