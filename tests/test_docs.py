"""The plugin docs say what the code does: hook signatures, the API's names, links, examples."""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from pathlib import Path

import pytest

from smtui import api, hookspecs

from .conftest import ROOT

DOCS = ROOT / "docs" / "plugins"
HOOKS_MD = DOCS / "hooks.md"
# A hook's section: its name as a heading, then a python block holding just its signature.
SIGNATURE = re.compile(r"^#+ `(\w+)`\n+```python\n(def .*?)\n```", re.MULTILINE | re.DOTALL)
FENCED_PYTHON = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"\]\(([^)\s]+)\)")


def hookspec_functions() -> dict[str, object]:
    """Every function smtui declares as a hook (pluggy marks them with ``smtui_spec``)."""
    return {
        name: value
        for name, value in vars(hookspecs).items()
        if inspect.isfunction(value) and hasattr(value, "smtui_spec")
    }


def normalised(annotation: str) -> str:
    """An annotation written as code, spaced the one way ``ast.unparse`` spaces it."""
    return ast.unparse(ast.parse(annotation, mode="eval").body)


def documented_signatures() -> dict[str, tuple[list[tuple[str, str]], str]]:
    """Hook name -> ([(parameter, annotation)], return annotation), as hooks.md writes them."""
    found: dict[str, tuple[list[tuple[str, str]], str]] = {}
    for heading, block in SIGNATURE.findall(HOOKS_MD.read_text(encoding="utf-8")):
        (function,) = ast.parse(block.strip() + ": ...").body
        assert isinstance(function, ast.FunctionDef)
        assert function.name == heading, f"section `{heading}` documents {function.name}()"
        assert heading not in found, f"{heading} is documented twice"
        arguments = function.args
        assert not (arguments.vararg or arguments.kwarg or arguments.defaults), heading
        parameters = [
            (arg.arg, ast.unparse(arg.annotation) if arg.annotation else "")
            for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        ]
        returns = ast.unparse(function.returns) if function.returns else ""
        found[heading] = (parameters, returns)
    return found


def actual_signature(function: object) -> tuple[list[tuple[str, str]], str]:
    signature = inspect.signature(function)  # type: ignore[arg-type]
    parameters = []
    for parameter in signature.parameters.values():
        assert parameter.default is inspect.Parameter.empty, parameter
        annotation = parameter.annotation
        assert isinstance(annotation, str), "hookspecs use postponed (string) annotations"
        parameters.append((parameter.name, normalised(annotation)))
    returns = signature.return_annotation
    assert isinstance(returns, str)
    return parameters, normalised(returns)


def test_the_hooks_are_found_in_both_places() -> None:
    """Guards the parsing below: an empty match on either side would pass the other tests."""
    assert len(hookspec_functions()) >= 9
    assert set(documented_signatures()) >= {"register_sources", "session_started"}


def test_every_hook_is_documented_with_its_exact_signature() -> None:
    documented = documented_signatures()
    actual = {name: actual_signature(f) for name, f in hookspec_functions().items()}

    assert sorted(set(actual) - set(documented)) == [], "hooks missing from docs/plugins/hooks.md"
    assert sorted(set(documented) - set(actual)) == [], "documented hooks that do not exist"
    for name, signature in actual.items():
        assert documented[name] == signature, f"{name}: docs/plugins/hooks.md disagrees"


def test_hooks_are_documented_in_the_order_they_are_declared() -> None:
    """Registration hooks in the order smtui calls them (their order in hookspecs), then events."""
    assert list(documented_signatures()) == list(hookspec_functions())


def docs_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(DOCS.glob("*.md")))


@pytest.mark.parametrize("name", api.__all__)
def test_every_public_name_of_the_api_is_documented(name: str) -> None:
    assert re.search(rf"`{re.escape(name)}\b", docs_text()), f"{name} is not in docs/plugins"


def markdown_files() -> list[Path]:
    return [*sorted(DOCS.glob("*.md")), *sorted((ROOT / "plugins").glob("*/README.md"))]


def slug(heading: str) -> str:
    """The anchor a Markdown renderer gives a heading (GitHub's rules, as far as docs use them)."""
    text = heading.strip().lower().replace("`", "")
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    return {slug(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_lead_somewhere(path: Path) -> None:
    for target in LINK.findall(path.read_text(encoding="utf-8")):
        if "://" in target:
            continue
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        assert linked.exists(), f"{path.name} links to {target}, which does not exist"
        if anchor and linked.suffix == ".md":
            assert anchor in anchors(linked), f"{path.name} links to {target}: no such heading"


@pytest.mark.parametrize("path", sorted(DOCS.glob("*.md")), ids=lambda p: p.name)
def test_python_examples_in_the_docs_parse(path: Path) -> None:
    for block in FENCED_PYTHON.findall(path.read_text(encoding="utf-8")):
        signature_only = block.startswith("def ") and "\n" not in block.strip()
        code = block.rstrip() + ": ..." if signature_only else textwrap.dedent(block)
        try:
            ast.parse(code)
        except SyntaxError as exc:
            pytest.fail(f"{path.name}: a python example does not parse: {exc}\n{block}")
