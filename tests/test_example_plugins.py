"""The example plugins under plugins/, installed with pip into a throwaway virtual environment.

This is what a user does: ``pip install`` a plugin next to smtui, then list, configure and use
it with the real ``smtui`` program. The environment is made without pip and sees this
suite's packages (smtui included) through a ``.pth`` file, so nothing is downloaded: each
example is built from a copy of its folder with ``--no-index --no-deps --no-build-isolation``.
Both examples are installed once per module (per test worker).
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow

EXAMPLES = {
    "example_source": "smtui-example-source",
    "example_scorer": "smtui-example-scorer",
}
POSTS = [
    {
        "post_id": "p-1042",
        "published_at": "2026-03-02T09:15:00Z",
        "text": "Three lessons from a year of cold outreach",
        "stats": {"views": 1200, "reactions": 31, "replies": 4},
    },
    {"post_id": 1043, "published_at": "2026-03-03T10:00:00+01:00", "stats": {"views": 80}},
]


class Venv:
    """A virtual environment with the examples installed, and a way to run smtui in it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.python = root / "venv" / ("Scripts" if sys.platform == "win32" else "bin") / "python"
        self.sources = root / "sources"

    def run(
        self, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.python), *args],
            capture_output=True,
            text=True,
            check=False,
            env=env,
            timeout=180,
        )

    def smtui(self, home: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
        return self.run("-m", "smtui", *args, env=smtui_env(home, **extra_env))

    def pip(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = self.run("-m", "pip", "--disable-pip-version-check", "--no-input", *args)
        assert result.returncode == 0, result.stdout + result.stderr
        return result


def smtui_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a user whose smtui home is ``home``; none of the suite's settings."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SMTUI_", "PYTHON", "PIP_", "PYTEST_", "VIRTUAL_ENV"))
    }
    env.update(SMTUI_HOME=str(home), TZ="UTC", **extra)
    return env


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    root = tmp_path_factory.mktemp("example-plugins")
    made = Venv(root)
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(root / "venv")],
        check=True,
        capture_output=True,
    )
    purelib = made.run("-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    ours = sysconfig.get_paths()["purelib"]
    # addsitedir, not a bare path: it also runs the .pth files there (smtui's editable install).
    Path(purelib.stdout.strip(), "_smtui_suite.pth").write_text(
        f"import site; site.addsitedir({ours!r})\n", encoding="utf-8"
    )
    ignore = shutil.ignore_patterns("build", "*.egg-info", "__pycache__", ".*_cache")
    for distribution in EXAMPLES.values():
        shutil.copytree(ROOT / "plugins" / distribution, made.sources / distribution, ignore=ignore)
    folders = [str(made.sources / distribution) for distribution in EXAMPLES.values()]
    made.pip("install", "--no-index", "--no-deps", "--no-build-isolation", *folders)
    return made


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "user"
    folder.mkdir()
    return folder


def write_config(home: Path, text: str) -> None:
    (home / "config.toml").write_text(textwrap.dedent(text), encoding="utf-8")


def plugin_records(venv: Venv, home: Path, **env: str) -> dict[str, dict[str, object]]:
    result = venv.smtui(home, "plugins", "--all", "--json", **env)
    assert result.returncode == 0, result.stderr
    return {record["plugin"]: record for record in json.loads(result.stdout)}


def test_both_examples_are_listed_from_their_metadata_and_load(venv: Venv, home: Path) -> None:
    records = plugin_records(venv, home)

    for plugin, distribution in EXAMPLES.items():
        record = records[plugin]
        assert (record["distribution"], record["version"]) == (distribution, "1.0.0")
        assert (record["status"], record["error"]) == ("ok", "")
    assert records["example_source"]["provides"] == ["source:scheduler_jsonl"]
    assert set(records["example_scorer"]["provides"]) == {
        "outcome_kind:call_booked",
        "scorer:conversations",
        "command:conversations",
    }


def test_the_examples_import_only_the_plugin_api_and_never_textual(venv: Venv) -> None:
    check = (
        "import sys, smtui_example_source, smtui_example_scorer\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('textual', 'smtui.tui')))\n"
        "assert not loaded, loaded\n"
    )
    result = venv.run("-c", check)

    assert result.returncode == 0, result.stderr


def test_the_examples_code_imports_nothing_from_smtui_but_the_api() -> None:
    """The templates show the rule: plugin code sees smtui only through smtui.api."""
    paths = sorted((ROOT / "plugins").glob("smtui-example-*/src/**/*.py"))
    assert len(paths) >= 5
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                if module == "smtui" or module.startswith("smtui."):
                    assert module == "smtui.api", f"{path.relative_to(ROOT)} imports {module}"


def test_config_validate_accepts_the_examples_tables(venv: Venv, home: Path) -> None:
    write_config(
        home,
        """
        [app]
        default_strategy = "conversations"

        [sources.queue_linkedin]
        type = "scheduler_jsonl"
        platform = "linkedin"
        account = "@ana.builds"

        [scoring.conversations]
        target_per_hour = 1.5
        kinds = ["moved_off_social", "lead", "call_booked"]
        """,
    )

    result = venv.smtui(home, "config", "validate")

    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            '[sources.queue]\ntype = "scheduler_jsonl"\nplatform = "x"\nacount = "@ana"\n',
            "unknown option [sources.queue].acount (did you mean 'account'?)",
        ),
        ('[sources.queue]\ntype = "scheduler_jsonl"\n', "[sources.queue].platform is required"),
        (
            '[sources.queue]\ntype = "scheduler_json"\nplatform = "x"\n',
            "did you mean 'scheduler_jsonl'?",
        ),
        (
            "[scoring.conversations]\ntarget_per_hr = 2\n",
            "unknown option [scoring.conversations].target_per_hr"
            " (did you mean 'target_per_hour'?)",
        ),
        (
            '[scoring.conversations]\ntarget_per_hour = "two"\n',
            "[scoring.conversations].target_per_hour must be a number",
        ),
    ],
)
def test_config_validate_rejects_a_wrong_option_of_an_example(
    venv: Venv, home: Path, table: str, message: str
) -> None:
    write_config(home, table)

    result = venv.smtui(home, "config", "validate")

    assert result.returncode == 1
    assert message in result.stderr


@pytest.mark.hook("register_sources")
def test_import_stores_posts_read_by_the_example_source(venv: Venv, home: Path) -> None:
    write_config(
        home,
        """
        [sources.queue_linkedin]
        type = "scheduler_jsonl"
        platform = "linkedin"
        account = "@ana.builds"
        """,
    )
    export = home / "export-from-the-scheduler.txt"  # any name: detected from the content
    export.write_text("".join(json.dumps(post) + "\n" for post in POSTS), encoding="utf-8")

    first = venv.smtui(home, "import", str(export))
    again = venv.smtui(home, "import", str(export))

    assert first.returncode == 0, first.stderr
    assert "(scheduler_jsonl, detected): 2 new" in first.stdout
    assert "0 new, 0 updated, 2 unchanged" in again.stdout
    with sqlite3.connect(home / "smtui.db") as conn:
        rows = conn.execute(
            "SELECT platform, external_id, account, published_at, impressions, likes"
            " FROM posts ORDER BY external_id"
        ).fetchall()
    assert rows == [
        ("linkedin", "1043", "@ana.builds", 1772528400, 80, None),
        ("linkedin", "p-1042", "@ana.builds", 1772442900, 1200, 31),
    ]


def test_a_bad_line_stops_the_import_with_its_line_number(venv: Venv, home: Path) -> None:
    write_config(home, '[sources.q]\ntype = "scheduler_jsonl"\nplatform = "x"\n')
    export = home / "export.jsonl"
    export.write_text(json.dumps(POSTS[0]) + "\n{oops\n", encoding="utf-8")

    result = venv.smtui(home, "import", str(export))
    skipped = venv.smtui(home, "import", "--skip-bad-rows", str(export))

    assert result.returncode != 0
    assert "export.jsonl line 2" in result.stderr
    assert "1 new" in skipped.stdout and "1 skipped" in skipped.stdout


@pytest.mark.hook("register_scorers")
@pytest.mark.hook("register_outcome_kinds")
def test_score_with_the_example_strategy_prints_its_label(venv: Venv, home: Path) -> None:
    steps = [
        ("start", "linkedin", "prospecting", "--ago", "30m"),
        ("log", "moved_off_social", "call", "-c", "Maria Chen"),
        ("log", "call_booked", "-c", "Maria Chen"),  # the kind the example adds
        ("stop",),
    ]
    for step in steps:
        done = venv.smtui(home, *step)
        assert done.returncode == 0, done.stderr

    listed = venv.smtui(home, "score", "--list")
    result = venv.smtui(home, "score", "-s", "conversations", "-p", "session")

    assert "Conversations per hour" in listed.stdout
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("conversations: 4 per hour, on target\n")
    assert "Conversations: 2 (1 moved_off_social, 1 call_booked)" in result.stdout


@pytest.mark.hook("register_commands")
def test_the_example_command_runs_as_an_smtui_subcommand(venv: Venv, home: Path) -> None:
    assert venv.smtui(home, "log", "lead", "--no-session", "-c", "Ana").returncode == 0

    result = venv.smtui(home, "conversations", "--days", "3")
    helped = venv.smtui(home, "conversations", "--help")

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "Conversations in the last 3 days: 1"
    assert "--days" in helped.stdout


def test_a_disabled_example_is_not_loaded(venv: Venv, home: Path) -> None:
    write_config(home, '[plugins]\ndisabled = ["example_scorer"]\n')

    by_config = plugin_records(venv, home)
    write_config(home, "")
    by_env = plugin_records(venv, home, SMTUI_LOAD_PLUGINS="example_scorer")

    assert by_config["example_scorer"]["status"] == "disabled"
    assert by_config["example_source"]["status"] == "ok"
    assert by_env["example_source"]["status"] == "disabled"
    assert by_env["example_scorer"]["status"] == "ok"


@pytest.mark.parametrize("distribution", EXAMPLES.values())
def test_the_examples_own_tests_pass_against_the_installed_plugin(
    venv: Venv, home: Path, distribution: str
) -> None:
    folder = venv.sources / distribution
    result = venv.run(
        *("-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(folder), str(folder)),
        env=smtui_env(home, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1"),  # only what the test needs
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout and "failed" not in result.stdout


def test_the_examples_type_check_under_strict_mypy() -> None:
    packages = [
        ROOT / "plugins" / distribution / "src" / distribution.replace("-", "_")
        for distribution in EXAMPLES.values()
    ]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", *map(str, packages)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


# Last in the file: a worker runs its tests in file order, and this one removes the examples.
def test_freeze_then_uninstall_the_examples_with_smtui(venv: Venv, home: Path) -> None:
    frozen = venv.smtui(home, "plugins", "freeze")
    removed = venv.smtui(home, "plugins", "uninstall", "example_scorer", "example_source", "--yes")

    records = plugin_records(venv, home)
    unknown = venv.smtui(home, "score", "-s", "conversations")

    assert frozen.returncode == 0, frozen.stderr
    for distribution in EXAMPLES.values():  # installed from a folder: reinstalled from it
        folder = (venv.sources / distribution).as_uri()
        assert f"{distribution} @ {folder}" in frozen.stdout.splitlines()
    assert removed.returncode == 0, removed.stderr
    assert "Uninstalled smtui-example-scorer 1.0.0 (plugin example_scorer)" in removed.stdout
    assert not set(EXAMPLES) & set(records)
    assert unknown.returncode != 0
    assert "unknown scoring strategy 'conversations'" in unknown.stderr
