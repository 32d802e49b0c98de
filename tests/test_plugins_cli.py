"""``smtui plugins``: listing, install, uninstall and freeze, also with a broken plugin."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
import time
from typing import TYPE_CHECKING, Any

import pytest

from smtui import plugin_packages
from smtui.plugin_listing import HEALTH_COLUMNS, health_rows, provides_text
from smtui.plugins import DEFAULT_PLUGINS

from .conftest import PYTHON, ROOT, subprocess_env
from .plugin_cli_fakes import BROKEN, GOOD, Site, dist_info, isolated_site

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

PIP = [sys.executable, "-m", "pip"]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    yield from isolated_site(tmp_path, monkeypatch)


def table_rows(out: str) -> dict[str, list[str]]:
    """A printed table as {plugin: cells} (cells split on runs of two spaces)."""
    import re

    lines = out.strip().splitlines()[2:]
    return {cells[0]: cells for cells in (re.split(r"\s{2,}", line.strip()) for line in lines)}


# --- listing ---------------------------------------------------------------------------------


def test_lists_third_party_plugins_with_health_and_what_they_provide(site: Site, cli: Any) -> None:
    site.install("smtui-news", {"news": "smtui_news"}, {"smtui_news": GOOD}, "1.2")

    result = cli("plugins")

    assert result.code == 0
    assert result.out.splitlines()[0].split() == list(HEALTH_COLUMNS)
    assert table_rows(result.out) == {
        "news": ["news", "smtui-news", "1.2", "ok", "scorer newsletter"]
    }
    assert f"{len(DEFAULT_PLUGINS)} built-in plugins not shown (--all shows them)" in result.err


def test_a_plugin_that_raises_on_import_is_listed_as_an_error(site: Site, cli: Any) -> None:
    site.install("smtui-news", {"news": "smtui_news"}, {"smtui_news": GOOD})
    site.install("smtui-broken", {"broken": "smtui_broken"}, {"smtui_broken": BROKEN}, "0.3")

    result = cli("plugins")

    assert result.code == 0  # a report, not a failure
    rows = table_rows(result.out)
    assert rows["broken"] == [
        "broken",
        "smtui-broken",
        "0.3",
        "error",
        "RuntimeError: broken at import",
    ]
    assert rows["news"][3] == "ok"
    problem = [line for line in result.err.splitlines() if "failed to load" in line]
    assert problem == [
        "smtui: 1 plugin failed to load (broken): switch it off with"
        ' disabled = ["broken"] under [plugins] in the config file,'
        " or remove it with `smtui plugins uninstall broken`"
    ]
    assert "not loaded" not in result.err  # the table says it; no second line per plugin


def test_disabled_and_builtin_plugins_show_with_all(site: Site, cli: Any, smtui_home: Path) -> None:
    site.install("smtui-news", {"news": "smtui_news"}, {"smtui_news": GOOD})
    site.install("smtui-broken", {"broken": "smtui_broken"}, {"smtui_broken": BROKEN})
    (smtui_home / "config.toml").write_text('[plugins]\ndisabled = ["broken"]\n')

    default = cli("plugins")
    everything = cli("plugins", "--all")

    assert set(table_rows(default.out)) == {"news"}
    assert "1 disabled plugin not shown" in default.err
    assert "failed" not in default.err
    rows = table_rows(everything.out)
    assert {"outcome_kinds", "checklist", "csv_source", "news", "broken"} <= set(rows)
    assert rows["broken"][3:] == ["disabled", "disabled in the configuration"]
    assert rows["checklist"][1:5] == ["smtui", rows["checklist"][2], "ok", "scorer checklist"]
    assert "not shown" not in everything.err
    assert "smtui_broken" not in sys.modules


@pytest.mark.parametrize("flags", [("--json",), ("-f", "json")])
def test_json_lists_the_full_records(site: Site, cli: Any, flags: tuple[str, ...]) -> None:
    site.install("smtui-broken", {"broken": "smtui_broken"}, {"smtui_broken": BROKEN}, "0.3")

    result = cli("plugins", *flags)

    assert result.code == 0
    assert json.loads(result.out) == [
        {
            "plugin": "broken",
            "distribution": "smtui-broken",
            "version": "0.3",
            "status": "error",
            "error": "RuntimeError: broken at import",
            "builtin": False,
            "hooks": [],
            "provides": [],
        }
    ]
    everything = json.loads(cli("plugins", "--all", *flags).out)
    assert {record["plugin"] for record in everything} >= {"checklist", "broken"}


def test_no_third_party_plugin_says_so(site: Site, cli: Any) -> None:
    result = cli("plugins")
    assert (result.code, result.out.strip()) == (
        0,
        "No plugins installed: smtui runs on its built-ins.",
    )


def test_provides_lists_names_and_counts_long_categories() -> None:
    kinds = [f"outcome_kind:k{i}" for i in range(5)]
    assert provides_text(["scorer:a", "source:b", "source:c", *kinds]) == (
        "scorer a; source b, c; 5 outcome kinds"
    )
    assert health_rows([{"plugin": "x", "status": "ok", "provides": ["panel:p"]}]) == [
        ["x", "", "", "ok", "panel p", ""]
    ]


# --- install ---------------------------------------------------------------------------------


class FakePip:
    """Records pip command lines; ``install`` of a name writes a fake distribution."""

    def __init__(self, root: Path, available: bool = True, code: int = 0) -> None:
        self.root = root
        self.available = available
        self.code = code
        self.commands: list[list[str]] = []
        self.packages: dict[str, tuple[dict[str, str], dict[str, str]]] = {}

    def run(self, command: list[str], *, quiet: bool = False) -> int:
        self.commands.append(command)
        if command[3:] == ["--version"]:
            return 0 if self.available else 1
        if command[3] == "install" and self.code == 0:
            for name in command[4:]:
                if name in self.packages:
                    Site(self.root).install(name, *self.packages[name])
        return self.code


@pytest.fixture
def pip(site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakePip]:
    """pip replaced; what it installs lands on PYTHONPATH, where the health check finds it."""
    target = tmp_path / "installed"
    target.mkdir()
    fake = FakePip(target)
    monkeypatch.setattr(plugin_packages, "run", fake.run)
    monkeypatch.setenv("PYTHONPATH", f"{target}:{ROOT / 'src'}")
    yield fake


def test_install_runs_pip_of_this_python_then_reports_the_new_plugin(
    pip: FakePip, cli: Any
) -> None:
    pip.packages["smtui-news"] = ({"news": "smtui_news_i"}, {"smtui_news_i": GOOD})

    result = cli("plugins", "install", "smtui-news")

    assert pip.commands == [[*PIP, "--version"], [*PIP, "install", "smtui-news"]]
    assert result.code == 0, result.err
    assert table_rows(result.out)["news"][:4] == ["news", "smtui-news", "1.0", "ok"]


def test_a_bare_name_means_the_smtui_distribution(pip: FakePip, cli: Any) -> None:
    pip.packages["smtui-news"] = ({"news": "smtui_news_j"}, {"smtui_news_j": GOOD})

    result = cli("plugins", "install", "-U", "news", "smtui-other>=2", "./local/plugin")

    assert pip.commands[-1] == [
        *PIP,
        "install",
        "--upgrade",
        "smtui-news",
        "smtui-other>=2",
        "./local/plugin",
    ]
    assert "installing smtui-news (plugin distributions are named smtui-NAME)" in result.err
    assert "smtui-other" in result.err  # asked for, but it brought no plugin
    assert result.code == 0


def test_pip_options_go_after_a_double_dash(pip: FakePip, cli: Any) -> None:
    cli("plugins", "install", "--", "--no-index", "--find-links", "/wheels", "smtui-x")
    assert pip.commands[-1] == [
        *PIP,
        "install",
        "--no-index",
        "--find-links",
        "/wheels",
        "smtui-x",
    ]


def test_installing_a_plugin_that_breaks_fails_with_what_to_do(pip: FakePip, cli: Any) -> None:
    pip.packages["smtui-broken"] = ({"broken": "smtui_broken_i"}, {"smtui_broken_i": BROKEN})

    result = cli("plugins", "install", "smtui-broken")

    assert result.code == 1
    assert table_rows(result.out)["broken"][3:] == ["error", "RuntimeError: broken at import"]
    assert "installed, but 1 plugin failed to load (broken)" in result.err
    assert "smtui plugins uninstall broken" in result.err


def test_a_failing_pip_is_an_error(pip: FakePip, cli: Any) -> None:
    pip.code = 1
    result = cli("plugins", "install", "smtui-news")
    assert result.code == 1
    assert result.err.strip() == ("smtui: error: pip could not install smtui-news (exit code 1)")


def test_smtui_is_not_a_plugin_to_install(pip: FakePip, cli: Any) -> None:
    result = cli("plugins", "install", "smtui")
    assert result.code == 2
    assert pip.commands == []


# --- where pip is missing --------------------------------------------------------------------


def test_missing_pip_names_the_command_to_use_instead(
    pip: FakePip, site: Site, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pip.available = False
    site.install("smtui-old", {"old": "smtui_old"}, {"smtui_old": GOOD})
    monkeypatch.setattr(plugin_packages, "environment_manager", lambda: plugin_packages.UV_TOOL)

    result = cli("plugins", "install", "news")

    assert result.code == 1
    assert pip.commands == [[*PIP, "--version"]]
    lines = [line for line in result.err.splitlines() if line.startswith("smtui: error")]
    assert lines == [
        "smtui: error: cannot install plugins: the Python running smtui has no pip"
        " (smtui runs in a uv tool environment: run"
        " `uv tool install smtui --with smtui-old --with smtui-news`)"
    ]


def test_missing_pip_in_an_unknown_environment_shows_both_commands(
    pip: FakePip, site: Site, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pip.available = False
    site.install("smtui-old", {"old": "smtui_old"}, {"smtui_old": GOOD})
    monkeypatch.setattr(plugin_packages, "environment_manager", lambda: "")

    result = cli("plugins", "uninstall", "old", "--yes")

    assert result.code == 1
    assert result.err.strip() == (
        "smtui: error: cannot uninstall plugins: the Python running smtui has no pip"
        " (if uv installed smtui, run `uv tool install smtui`;"
        " if pipx did, `pipx uninject smtui smtui-old`)"
    )


def test_the_environment_manager_is_read_from_the_prefix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PIPX_HOME", raising=False)
    manager = plugin_packages.environment_manager
    uv_tool = tmp_path / "uvtool"
    uv_tool.mkdir()
    (uv_tool / "uv-receipt.toml").write_text("[tool]\n")
    assert manager(str(uv_tool)) == plugin_packages.UV_TOOL
    assert manager(str(tmp_path / "share" / "uv" / "tools" / "smtui")) == plugin_packages.UV_TOOL
    assert manager(str(tmp_path / "pipx" / "venvs" / "smtui")) == plugin_packages.PIPX
    monkeypatch.setenv("PIPX_HOME", str(tmp_path / "px"))
    assert manager(str(tmp_path / "px" / "smtui")) == plugin_packages.PIPX
    uv_venv = tmp_path / "venv"
    uv_venv.mkdir()
    (uv_venv / "pyvenv.cfg").write_text("home = /usr/bin\nuv = 0.8.0\n")
    assert manager(str(uv_venv)) == plugin_packages.UV_VENV
    (uv_venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    assert manager(str(uv_venv)) == ""


def test_alternative_commands_per_environment() -> None:
    alternatives = plugin_packages.alternatives
    assert alternatives("install", ["smtui-a"], [], plugin_packages.PIPX) == [
        "pipx inject smtui smtui-a"
    ]
    assert alternatives("install", ["smtui-a"], [], plugin_packages.UV_VENV) == [
        f"uv pip install --python {sys.executable} smtui-a"
    ]


# --- uninstall -------------------------------------------------------------------------------


def test_uninstall_by_plugin_id_or_distribution(pip: FakePip, site: Site, cli: Any) -> None:
    site.install("smtui-news", {"news": "smtui_news"}, {"smtui_news": GOOD}, "1.2")
    site.install("smtui-broken", {"broken": "smtui_broken"}, {"smtui_broken": BROKEN}, "0.3")

    result = cli("plugins", "uninstall", "broken", "smtui-news", "news", "--yes")

    assert result.code == 0, result.err
    assert pip.commands == [
        [*PIP, "--version"],
        [*PIP, "uninstall", "--yes", "smtui-broken", "smtui-news"],
    ]
    assert result.out.splitlines() == [
        "Uninstalled smtui-broken 0.3 (plugin broken)",
        "Uninstalled smtui-news 1.2 (plugin news)",
    ]
    assert "smtui_broken" not in sys.modules
    assert "smtui_news" not in sys.modules


def test_uninstall_asks_first(pip: FakePip, site: Site, cli: Any) -> None:
    site.install("smtui-news", {"news": "smtui_news"}, {"smtui_news": GOOD})
    result = cli("plugins", "uninstall", "news")  # stdin is not a terminal: nobody can answer
    assert result.code == 2
    assert "add --yes to confirm" in result.err
    assert [*PIP, "uninstall", "--yes", "smtui-news"] not in pip.commands


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        ("smtui", 2, "smtui cannot uninstall itself"),
        ("checklist", 2, "'checklist' is built into smtui and cannot be uninstalled"),
        ("nwes", 1, "no installed smtui plugin is called 'nwes' (did you mean 'news'?)"),
        ("requests", 1, "no installed smtui plugin is called 'requests'"),
    ],
)
def test_uninstall_refuses_what_is_not_an_installed_plugin(
    pip: FakePip, site: Site, cli: Any, name: str, code: int, message: str
) -> None:
    site.install("smtui-news", {"news": "smtui_news"}, {"smtui_news": GOOD})
    result = cli("plugins", "uninstall", name, "--yes")
    assert result.code == code
    assert message in result.err
    assert pip.commands == []


def test_uninstall_removes_a_plugin_that_crashes_on_import(
    tmp_path: Path, smtui_home: Path
) -> None:
    """End to end in a child process, with ``python -m pip`` answered by a fake pip module."""
    site = tmp_path / "site"
    site.mkdir()
    Site(site).install("smtui-broken", {"broken": "smtui_broken"}, {"smtui_broken": BROKEN})
    info = dist_info(site, "smtui-broken")
    fake_pip = site / "pip"
    fake_pip.mkdir()
    (fake_pip / "__init__.py").write_text("")
    (fake_pip / "__main__.py").write_text(
        textwrap.dedent(
            """
            import os, shutil, sys
            with open(os.environ["FAKE_PIP_LOG"], "a") as log:
                log.write(" ".join(sys.argv[1:]) + "\\n")
            if sys.argv[1:3] == ["uninstall", "--yes"]:
                site = os.path.dirname(os.path.dirname(__file__))
                for name in os.listdir(site):
                    if name.startswith("smtui_broken"):
                        path = os.path.join(site, name)
                        shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
            """
        )
    )
    marker = tmp_path / "imported"
    log = tmp_path / "pip.log"
    env = subprocess_env(smtui_home)
    env.update(
        PYTHONPATH=f"{site}:{env['PYTHONPATH']}",
        FAKE_PIP_LOG=str(log),
        FAKE_PLUGIN_IMPORT_MARKER=str(marker),
    )

    def smtui(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [PYTHON, "-m", "smtui", *args], env=env, capture_output=True, text=True, check=False
        )

    listed = smtui("plugins")
    assert listed.returncode == 0
    assert "RuntimeError: broken at import" in listed.stdout
    marker.unlink()  # listing imports plugins (that is what it reports on); uninstall must not

    removed = smtui("plugins", "uninstall", "broken", "--yes")

    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.strip() == "Uninstalled smtui-broken 1.0 (plugin broken)"
    assert log.read_text().splitlines() == ["--version", "uninstall --yes smtui-broken"]
    assert not marker.exists()
    assert not info.exists()
    assert smtui("plugins").stdout.strip() == "No plugins installed: smtui runs on its built-ins."


# --- freeze ----------------------------------------------------------------------------------


def test_freeze_pins_every_plugin_distribution_without_importing_it(site: Site, cli: Any) -> None:
    site.install("smtui-news", {"news": "smtui_news"}, {"smtui_news": GOOD}, "1.2")
    site.install("smtui-broken", {"broken": "smtui_broken"}, {"smtui_broken": BROKEN}, "0.3")
    direct_urls = {
        "smtui-local": {"url": "file:///src/smtui-local", "dir_info": {}},
        "smtui-dev": {"url": "file:///src/smtui-dev", "dir_info": {"editable": True}},
        "smtui-git": {
            "url": "https://example.org/smtui-git.git",
            "vcs_info": {"vcs": "git", "commit_id": "abc123"},
        },
    }
    for dist, direct_url in direct_urls.items():
        module = dist.replace("-", "_")
        site.install(dist, {dist[6:]: module}, {module: GOOD})
        (dist_info(site.root, dist) / "direct_url.json").write_text(json.dumps(direct_url))

    result = cli("plugins", "freeze")

    assert result.code == 0
    assert result.out.splitlines() == [
        "smtui-broken==0.3",
        "-e /src/smtui-dev",
        "smtui-git @ git+https://example.org/smtui-git.git@abc123",
        "smtui-local @ file:///src/smtui-local",
        "smtui-news==1.2",
    ]
    assert not {"smtui_broken", "smtui_news"} & set(sys.modules)


def test_freeze_with_no_plugin_prints_nothing(site: Site, cli: Any) -> None:
    result = cli("plugins", "freeze")
    assert (result.code, result.out, result.err) == (0, "", "smtui: no plugin is installed\n")


# --- import hygiene and the benchmark --------------------------------------------------------

PROBE = """
import io, sys, contextlib
from smtui.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
    try:
        main(sys.argv[1:])
    except SystemExit:
        pass
print(repr(sorted(sys.modules)))
"""


@pytest.mark.parametrize("args", [("--version",), ("plugins",), ("plugins", "--all")], ids=" ".join)
def test_no_textual_even_with_plugins_installed(
    tmp_path: Path, smtui_home: Path, args: tuple[str, ...]
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    Site(site).install("smtui-news", {"news": "smtui_news"}, {"smtui_news": GOOD})
    Site(site).install("smtui-broken", {"broken": "smtui_broken"}, {"smtui_broken": BROKEN})
    env = subprocess_env(smtui_home)
    env["PYTHONPATH"] = f"{site}:{env['PYTHONPATH']}"
    result = subprocess.run(
        [PYTHON, "-c", PROBE, *args], env=env, capture_output=True, text=True, check=True
    )
    loaded = set(ast.literal_eval(result.stdout.strip().splitlines()[-1]))
    assert not {name for name in loaded if name.split(".")[0] == "textual"}
    if args[0] == "plugins":
        assert "smtui_news" in loaded  # the probe saw the plugins: the check means something


def test_the_overhead_benchmark_runs(smtui_home: Path) -> None:
    started = time.monotonic()
    result = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "plugin_overhead.py"), "--runs", "2", "--plugins", "2"],
        env=subprocess_env(smtui_home),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "smtui status (2 plugins)" in result.stdout
    assert "smtui plugins (no plugins)" in result.stdout
    assert "smtui status: " in result.stdout
    assert time.monotonic() - started < 120
