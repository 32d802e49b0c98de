"""Commands that don't draw the dashboard never import Textual; quick ones stay lean."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import pytest

from .conftest import PYTHON, subprocess_env

# The probe itself imports nothing a command might (no json, no argparse): it prints repr().
PROBE = """
import io, sys, contextlib
from smtui.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
    main(sys.argv[1:])
print(repr(sorted(sys.modules)))
"""

HEAVY_FOR_QUICK = {
    "textual",
    "argparse",
    "pluggy",
    "tomllib",
    "dataclasses",
    "typing",
    "platformdirs",
    "dateutil",
    "json",
    "rich",
}


def modules_after(home: Path, *args: str) -> set[str]:
    result = subprocess.run(
        [PYTHON, "-c", PROBE, *args],
        env=subprocess_env(home),
        capture_output=True,
        text=True,
        check=True,
    )
    return set(ast.literal_eval(result.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "args",
    [
        ("start", "linkedin", "prospecting"),
        ("status", "-f", "short"),
        ("pause",),
        ("resume",),
        ("stop",),
    ],
    ids=" ".join,
)
def test_quick_commands_load_nothing_heavy(smtui_home: Path, args: tuple[str, ...]) -> None:
    if args[0] != "start":
        subprocess.run(
            [PYTHON, "-m", "smtui", "start", "x"],
            env=subprocess_env(smtui_home),
            capture_output=True,
            check=False,
        )
        if args[0] == "resume":
            subprocess.run(
                [PYTHON, "-m", "smtui", "pause"],
                env=subprocess_env(smtui_home),
                capture_output=True,
                check=True,
            )
    loaded = modules_after(smtui_home, *args)
    top_level = {name.split(".")[0] for name in loaded}
    assert not (HEAVY_FOR_QUICK & top_level), HEAVY_FOR_QUICK & top_level


@pytest.mark.parametrize(
    "args",
    [
        ("status",),
        ("log", "lead", "--no-session"),
        ("sessions", "list"),
        ("report",),
        ("goals", "list"),
        ("score",),
        ("config", "show"),
        ("--version",),
        ("plugins",),
    ],
    ids=" ".join,
)
def test_no_textual_outside_the_dashboard(smtui_home: Path, args: tuple[str, ...]) -> None:
    probe = PROBE.replace(
        "    main(sys.argv[1:])",
        "    try:\n        main(sys.argv[1:])\n    except SystemExit:\n        pass",
    )
    result = subprocess.run(
        [PYTHON, "-c", probe, *args],
        env=subprocess_env(smtui_home),
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = set(ast.literal_eval(result.stdout.strip().splitlines()[-1]))
    assert not any(name == "textual" or name.startswith("textual.") for name in loaded)


def test_lower_layers_never_import_textual() -> None:
    code = (
        "import sys, importlib, pkgutil, smtui\n"
        "for m in pkgutil.walk_packages(smtui.__path__, 'smtui.'):\n"
        "    if not m.name.startswith(('smtui.tui', 'smtui.__main__')):\n"
        "        importlib.import_module(m.name)\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
