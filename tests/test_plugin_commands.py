"""Plugin commands (``register_commands``): listed, parsed, run, and isolated when they fail."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest

from smtui import __version__, plugins
from smtui.cli import plugin_commands

from .conftest import PYTHON
from .plugin_runtime_fakes import child_env, fake_site

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from .test_plugins import Site


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    yield from fake_site(tmp_path, monkeypatch)


GREET = """
    from smtui import api

    class Hello(api.Command):
        name = "hello"
        help = "greet someone, 100% politely"

        def add_arguments(self, parser):
            parser.add_argument("who")
            parser.add_argument("--shout", action="store_true")
            parser.add_argument("--code", type=int, default=0)

        def run(self, args, context):
            sessions = context.conn.execute("SELECT count(*) FROM sessions").fetchone()[0]
            greeting = f"hello {args.who}"
            context.out(greeting.upper() if args.shout else greeting)
            context.out(f"{sessions} sessions, currency {context.config.currency}")
            context.out(f"zone {context.zone}, db given {args.db is not None}")
            return args.code

    class Fails(api.Command):
        name = "fails"
        help = "raise what --how says"

        def add_arguments(self, parser):
            parser.add_argument("how", choices=["plugin-error", "runtime", "none-returned"])

        def run(self, args, context):
            if args.how == "plugin-error":
                raise api.PluginError("token rejected", "set GREET_TOKEN", title="Greet failed")
            if args.how == "runtime":
                raise RuntimeError("kaboom")
            context.out("done")

    @api.hookimpl
    def register_commands(register):
        register(Hello)
        register(Fails)
"""


def install_greet(site: Site) -> None:
    site.install("smtui-greet", {"greet": "smtui_greet"}, {"smtui_greet": GREET}, "0.3")


@pytest.mark.hook("register_commands")
def test_plugin_commands_are_registered_with_their_owner(site: Site) -> None:
    install_greet(site)

    registry = plugins.load_registry()

    assert sorted(registry.commands) == ["fails", "hello"]
    assert registry.commands["hello"].__module__ == "smtui_greet"
    assert registry.owners[("command", "hello")] == "greet"
    record = next(r for r in registry.health if r.plugin == "greet")
    assert (record.status, record.provides) == ("ok", ("command:hello", "command:fails"))


@pytest.mark.hook("register_commands")
def test_help_lists_plugin_commands_after_the_built_in_ones(site: Site, cli: Any) -> None:
    install_greet(site)

    result = cli("--help")

    assert result.code == 0
    listing = result.out.split("positional arguments:")[1].split("options:")[0]
    names = [line.split()[0] for line in listing.splitlines() if line.startswith("    ")]
    assert names[-2:] == ["fails", "hello"]
    assert names.index("start") < names.index("fails")
    assert "greet someone, 100% politely (plugin greet)" in result.out


@pytest.mark.hook("register_commands")
def test_a_plugin_command_runs_with_its_parsed_arguments(
    site: Site, cli: Any, smtui_home: Path
) -> None:
    install_greet(site)
    cli("start", "linkedin")

    result = cli("hello", "ana", "--shout")

    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines() == [
        "HELLO ANA",
        "1 sessions, currency EUR",
        "zone UTC, db given False",
    ]
    elsewhere = smtui_home / "other.db"
    result = cli("--db", str(elsewhere), "hello", "bo", "--code", "3")
    assert result.code == 3
    assert result.out.splitlines()[1:] == ["0 sessions, currency EUR", "zone UTC, db given True"]
    assert elsewhere.exists()


def test_a_plugin_command_has_its_own_help(site: Site, cli: Any) -> None:
    install_greet(site)

    result = cli("hello", "--help")

    assert result.code == 0
    assert result.out.startswith("usage: smtui hello [-h] [--db PATH] [--config PATH] [--shout]")
    assert "greet someone, 100% politely (plugin greet)" in result.out


def test_bad_arguments_to_a_plugin_command_are_usage_errors(site: Site, cli: Any) -> None:
    install_greet(site)

    result = cli("hello")

    assert result.code == 2
    assert "the following arguments are required: who" in result.err


@pytest.mark.parametrize(
    ("how", "code", "line"),
    [
        ("plugin-error", 1, "smtui: error: token rejected (set GREET_TOKEN)"),
        (
            "runtime",
            1,
            "smtui: error: plugin 'greet' failed running `smtui fails`: RuntimeError: kaboom"
            " (SMTUI_STRICT_PLUGINS=1 shows the traceback; `smtui plugins` lists what is"
            " installed)",
        ),
    ],
)
def test_a_failing_plugin_command_prints_one_line(
    site: Site, cli: Any, how: str, code: int, line: str
) -> None:
    install_greet(site)

    result = cli("fails", how)

    assert (result.code, result.out) == (code, "")
    assert result.err.splitlines() == [line]


def test_a_command_returning_nothing_succeeds(site: Site, cli: Any) -> None:
    install_greet(site)

    result = cli("fails", "none-returned")

    assert (result.code, result.out) == (0, "done\n")


def test_strict_mode_shows_the_plugin_commands_traceback(
    site: Site, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_greet(site)
    monkeypatch.setenv(plugins.STRICT_ENV, "1")

    with pytest.raises(RuntimeError, match="kaboom"):
        cli("fails", "runtime")


def test_a_child_process_shows_no_traceback(site: Site, smtui_home: Path) -> None:
    install_greet(site)

    result = subprocess.run(
        [PYTHON, "-m", "smtui", "fails", "runtime"],
        env=child_env(smtui_home, site),
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1
    assert "plugin 'greet'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_command_that_fails_declaring_its_arguments_is_one_line(site: Site, cli: Any) -> None:
    source = """
        from smtui import api

        class Broken(api.Command):
            name = "broken"
            help = "cannot even declare"

            def add_arguments(self, parser):
                parser.add_argument("--db")  # clashes with smtui's own --db

        @api.hookimpl
        def register_commands(register):
            register(Broken)
    """
    site.install("smtui-broken", {"broken": "smtui_broken"}, {"smtui_broken": source})

    listed = cli("--help")
    ran = cli("broken")

    assert listed.code == 0
    assert "cannot even declare (plugin broken)" in listed.out
    assert ran.code == 1
    assert ran.err.splitlines() == [
        "smtui: error: plugin 'broken' failed declaring its arguments `smtui broken`:"
        " ArgumentError: argument --db: conflicting option string: --db"
        " (SMTUI_STRICT_PLUGINS=1 shows the traceback; `smtui plugins` lists what is installed)"
    ]


@pytest.mark.parametrize("args", [("--help",), ("--version",)], ids=" ".join)
def test_a_plugin_broken_at_import_breaks_neither_help_nor_version(
    site: Site, cli: Any, args: tuple[str, ...]
) -> None:
    site.install("smtui-bad", {"bad": "smtui_bad"}, {"smtui_bad": "raise RuntimeError('no')\n"})
    install_greet(site)

    result = cli(*args)

    assert result.code == 0
    if args == ("--version",):
        assert result.out == f"smtui {__version__}\n"
        assert "smtui_bad" not in sys.modules  # --version loads no plugin at all
        assert result.err == ""
    else:
        assert "(plugin greet)" in result.out
        assert [line for line in result.err.splitlines() if "'bad'" in line] == [
            "smtui: plugin 'bad' (smtui-bad 1.0) not loaded: RuntimeError: no"
            f" (see `smtui plugins`; {plugins.STRICT_ENV}=1 shows the traceback)"
        ]


def test_help_still_works_when_the_config_is_broken(site: Site, cli: Any, smtui_home: Path) -> None:
    install_greet(site)
    (smtui_home / "config.toml").write_text("[app\n")

    result = cli("--help")

    assert result.code == 0
    assert "start a timed session" in result.out
    assert "(plugin greet)" not in result.out
    assert result.err.startswith("smtui: warning: plugin commands not listed: ")


@pytest.mark.parametrize(
    "args",
    [
        ("sessions", "list"),
        ("start", "--help"),
        ("status",),
        ("--version",),
        ("--db", "x.db", "outcomes", "list"),
    ],
    ids=" ".join,
)
def test_built_in_commands_load_no_plugin(
    site: Site, cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    install_greet(site)
    monkeypatch.chdir(tmp_path)

    cli(*args)

    assert "smtui_greet" not in sys.modules


def test_an_unknown_command_is_still_a_usage_error(site: Site, cli: Any) -> None:
    install_greet(site)

    result = cli("helo", "x")

    assert result.code == 2
    assert "invalid choice: 'helo'" in result.err
    assert "'hello'" in result.err  # plugin commands are among the choices


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("start", "command 'start' from plugin 'shadow' would shadow the built-in `smtui start`"),
        ("dashboard", "would shadow the built-in `smtui dashboard`"),
        ("plugins", "would shadow the built-in `smtui plugins`"),
        ("two words", "command name 'two words' from plugin 'shadow' is not a single word"),
        ("--start", "is not a single word"),
        ("", "Impostor registered by register_commands has no name"),
    ],
)
@pytest.mark.hook("register_commands")
def test_a_plugin_cannot_take_a_built_in_or_unusable_name(
    site: Site, cli: Any, name: str, error: str
) -> None:
    source = f"""
        from smtui import api

        class Impostor(api.Command):
            name = {name!r}

            def run(self, args, context):
                context.out("impostor ran")
                return 0

        @api.hookimpl
        def register_outcome_kinds(register):
            register(api.OutcomeKind("shadowed", "Shadowed", "rolled back with the command"))

        @api.hookimpl
        def register_commands(register):
            register(Impostor)
    """
    site.install("smtui-shadow", {"shadow": "smtui_shadow"}, {"smtui_shadow": source})

    registry = plugins.load_registry()

    record = next(r for r in registry.health if r.plugin == "shadow")
    assert record.status == "error"
    assert error in record.error
    assert registry.commands == {}
    assert "shadowed" not in registry.outcome_kinds
    if name == "start":
        result = cli("start", "linkedin")
        assert (result.code, result.out) == (0, "Started #1 linkedin\n")


def test_two_plugins_with_one_command_name_are_named_both(site: Site, cli: Any) -> None:
    install_greet(site)
    site.install("smtui-greet2", {"greet2": "smtui_greet2"}, {"smtui_greet2": GREET})

    registry = plugins.load_registry()

    record = next(r for r in registry.health if r.plugin == "greet2")
    assert record.error == (
        "command 'hello' from plugin 'greet2' is already registered by plugin 'greet'"
        " (disable one of 'greet' and 'greet2')"
    )
    assert registry.commands["hello"].__module__ == "smtui_greet"
    assert cli("hello", "x").out.startswith("hello x\n")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], (None, False, None)),
        (["--help"], (None, True, None)),
        (["--config", "c.toml", "-h"], (None, True, "c.toml")),
        (["--config=c.toml", "hello", "-h"], ("hello", False, "c.toml")),
        (["--db", "x.db", "hello"], ("hello", False, None)),
        (["--version", "hello"], (None, False, None)),
        (["--config", "a.toml", "hello", "--config", "b.toml"], ("hello", False, "b.toml")),
        (["hello", "--", "--config", "not-mine.toml"], ("hello", False, None)),
    ],
)
def test_the_command_word_is_found_after_global_options(
    argv: list[str], expected: tuple[str | None, bool, str | None]
) -> None:
    assert plugin_commands.command_word(argv) == expected
