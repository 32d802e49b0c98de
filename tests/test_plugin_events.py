"""Event hooks: fired after the action committed, each plugin on its own, failures isolated.

Also the manifest that keeps ``smtui start``/``stop``/``log`` free of pluggy when no plugin
listens, and ``goal_met`` firing exactly once per goal and period.
"""

from __future__ import annotations

import ast
import sqlite3
import subprocess
import textwrap
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from smtui import clock, hookspecs, plugins
from smtui.config import Config
from smtui.core import events, goals
from smtui.store.db import connect

from .conftest import PYTHON, T0
from .plugin_runtime_fakes import (
    EVENTS_ENV,
    FAILING,
    RECORDER,
    age,
    child_env,
    fake_site,
    heard,
    install_recorder,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from .test_plugins import Site

DAY = 86400


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    yield from fake_site(tmp_path, monkeypatch)


def db_of(home: Path) -> sqlite3.Connection:
    return connect(str(home / "smtui.db"))


def hooks_heard(site: Site) -> list[str]:
    return [event["hook"] for event in heard(site)]


# --- each event, from the command line in-process ---------------------------------------------


@pytest.mark.hook("session_started")
def test_start_tells_session_started(site: Site, cli: Any) -> None:
    install_recorder(site)

    result = cli("start", "linkedin", "prospecting")

    assert result.code == 0, result.err
    assert heard(site) == [
        {
            "plugin": "smtui_rec",
            "hook": "session_started",
            "session": {"id": 1, "platform": "linkedin", "ended": None},
        }
    ]
    assert result.err == ""


@pytest.mark.hook("outcome_logged")
def test_log_tells_outcome_logged_with_and_without_a_session(site: Site, cli: Any) -> None:
    install_recorder(site)
    cli("start", "x")

    assert cli("log", "lead").code == 0
    assert cli("log", "qualified", "--no-session").code == 0

    logged = [event["outcome"] for event in heard(site) if event["hook"] == "outcome_logged"]
    assert logged == [
        {"kind": "lead", "session_id": 1},
        {"kind": "prospect_qualified", "session_id": None},
    ]


@pytest.mark.hook("session_stopped")
@pytest.mark.hook("outcome_logged")
def test_stop_tells_its_outcomes_then_session_stopped_with_all_of_them(
    site: Site, cli: Any, frozen: int
) -> None:
    install_recorder(site)
    cli("start", "linkedin")
    cli("log", "lead")
    clock.freeze(frozen + 600)

    result = cli("stop", "-o", "qualified", "-o", "deal")

    assert result.code == 0, result.err
    events_heard = heard(site)
    assert [e["hook"] for e in events_heard] == [
        "session_started",
        "outcome_logged",
        "outcome_logged",
        "outcome_logged",
        "session_stopped",
    ]
    assert [e["outcome"]["kind"] for e in events_heard[2:4]] == ["prospect_qualified", "deal"]
    stopped = events_heard[-1]
    assert stopped["session"] == {"id": 1, "platform": "linkedin", "ended": frozen + 600}
    assert [o["kind"] for o in stopped["outcomes"]] == ["lead", "prospect_qualified", "deal"]
    assert {o["session_id"] for o in stopped["outcomes"]} == {1}


@pytest.mark.hook("session_stopped")
def test_playtime_stops_with_no_outcomes(site: Site, cli: Any) -> None:
    install_recorder(site)
    cli("start", "x")

    cli("stop")

    assert heard(site)[-1]["hook"] == "session_stopped"
    assert heard(site)[-1]["outcomes"] == []


def test_pause_resume_cancel_and_status_tell_nothing(site: Site, cli: Any) -> None:
    install_recorder(site)
    cli("start", "x")
    for command in (("pause",), ("resume",), ("status",), ("cancel",)):
        assert cli(*command).code == 0

    assert hooks_heard(site) == ["session_started"]


# --- from a child process, with the plugin installed on disk ------------------------------------


@pytest.mark.hook("session_started")
@pytest.mark.hook("outcome_logged")
def test_a_child_smtui_start_tells_an_installed_plugin(site: Site, smtui_home: Path) -> None:
    install_recorder(site)
    env = child_env(smtui_home, site)

    for args in (("start", "bluesky", "content"), ("log", "lead"), ("stop",)):
        result = subprocess.run(
            [PYTHON, "-m", "smtui", *args], env=env, capture_output=True, text=True, check=False
        )
        assert (result.returncode, result.stderr) == (0, "")

    assert hooks_heard(site) == [
        "session_started",
        "outcome_logged",
        "session_stopped",
    ]
    assert heard(site)[0]["session"]["platform"] == "bluesky"


# --- isolation ---------------------------------------------------------------------------------


def test_a_raising_event_hook_never_fails_the_action(
    site: Site, cli: Any, smtui_home: Path
) -> None:
    site.install("smtui-boom", {"boom": "smtui_boom"}, {"smtui_boom": FAILING}, "2.0")
    install_recorder(site, "zrec")  # sorted after "boom": it still hears every event

    started = cli("start", "linkedin")
    logged = cli("log", "lead")
    stopped = cli("stop")

    for result, hook in ((started, "session_started"), (logged, "outcome_logged")):
        assert result.code == 0
        assert result.err.splitlines() == [
            f"smtui: plugin 'boom' (smtui-boom 2.0) failed in {hook}: RuntimeError: {hook}"
            f" exploded (what you did was saved; {plugins.STRICT_ENV}=1 shows the traceback)"
        ]
    assert stopped.code == 0
    assert len(stopped.err.splitlines()) == 1
    assert "Traceback" not in started.err + logged.err + stopped.err
    assert hooks_heard(site) == ["session_started", "outcome_logged", "session_stopped"]
    conn = db_of(smtui_home)
    assert conn.execute("SELECT count(*) FROM sessions WHERE ended_at > 0").fetchone() == (1,)
    assert conn.execute("SELECT kind FROM outcomes").fetchall() == [("lead",)]


def test_strict_mode_reraises_after_the_action_committed(
    site: Site, cli: Any, monkeypatch: pytest.MonkeyPatch, smtui_home: Path
) -> None:
    site.install("smtui-boom", {"boom": "smtui_boom"}, {"smtui_boom": FAILING})
    monkeypatch.setenv(plugins.STRICT_ENV, "1")

    with pytest.raises(RuntimeError, match="session_started exploded"):
        cli("start", "linkedin")

    running = db_of(smtui_home).execute("SELECT platform FROM sessions WHERE ended_at IS NULL")
    assert running.fetchall() == [("linkedin",)]


def test_a_child_process_prints_one_line_and_no_traceback(site: Site, smtui_home: Path) -> None:
    site.install("smtui-boom", {"boom": "smtui_boom"}, {"smtui_boom": FAILING})

    result = subprocess.run(
        [PYTHON, "-m", "smtui", "start", "x"],
        env=child_env(smtui_home, site),
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0
    assert result.stdout.startswith("Started #1 x")
    assert len(result.stderr.splitlines()) == 1
    assert "'boom'" in result.stderr
    assert "session_started exploded" in result.stderr


def test_an_event_wrapper_is_refused_without_stopping_the_others(site: Site, cli: Any) -> None:
    wrapper = """
        from smtui import api

        @api.hookimpl(wrapper=True)
        def session_started(session):
            yield
    """
    site.install("smtui-wrap", {"wrap": "smtui_wrap"}, {"smtui_wrap": wrapper})
    install_recorder(site)

    result = cli("start", "x")

    assert result.code == 0
    assert "plugin 'wrap'" in result.err
    assert "session_started cannot be a wrapper" in result.err
    assert hooks_heard(site) == ["session_started"]


# --- goal_met ----------------------------------------------------------------------------------


def add_goal(conn: sqlite3.Connection, name: str, target: float, period: str) -> goals.Goal:
    return goals.add_goal(
        conn, name=name, measure="outcomes", subject="lead", target=target, period=period
    )


def goals_met(site: Site) -> list[tuple[str, int]]:
    return [(e["goal"], e["start"]) for e in heard(site) if e["hook"] == "goal_met"]


@pytest.mark.hook("goal_met")
def test_goal_met_fires_once_per_goal_and_period(
    site: Site, cli: Any, frozen: int, smtui_home: Path
) -> None:
    install_recorder(site)
    conn = db_of(smtui_home)
    add_goal(conn, "A lead a day", 1, "day")
    add_goal(conn, "Two leads a week", 2, "week")
    add_goal(conn, "Ten leads a week", 10, "week")
    today = frozen - frozen % DAY
    monday = today - 2 * DAY  # T0 is a Wednesday

    cli("log", "lead", "--no-session")
    assert goals_met(site) == [("A lead a day", today)]

    cli("start", "x")
    cli("stop", "-o", "lead")  # the week goal is met now; the day goal was already told
    assert goals_met(site) == [("A lead a day", today), ("Two leads a week", monday)]

    cli("log", "lead", "--no-session")
    assert len(goals_met(site)) == 2

    clock.freeze(frozen + DAY)  # the next day: a new period for the day goal only
    cli("log", "lead", "--no-session")
    assert goals_met(site)[2:] == [("A lead a day", today + DAY)]
    rows = conn.execute("SELECT goal_id, period_start, event FROM goal_events ORDER BY fired_at")
    assert rows.fetchall() == [
        (1, today, "goal_met"),
        (2, monday, "goal_met"),
        (1, today + DAY, "goal_met"),
    ]


@pytest.mark.hook("goal_met")
def test_an_import_that_meets_a_goal_tells_it(
    site: Site, cli: Any, frozen: int, smtui_home: Path, tmp_path: Path
) -> None:
    install_recorder(site)
    (smtui_home / "config.toml").write_text(
        '[sources.posts]\ntype = "csv"\nplatform = "linkedin"\n'
        'columns = { external_id = "ID", published_at = "Date" }\n',
        encoding="utf-8",
    )
    goals.add_goal(
        db_of(smtui_home), name="Two posts a week", measure="posts", target=2, period="week"
    )
    export = tmp_path / "posts.csv"
    export.write_text("ID,Date\n1,2026-03-02 09:00\n2,2026-03-03 09:00\n", encoding="utf-8")
    dry = cli("import", "--dry-run", str(export))
    assert dry.code == 0 and goals_met(site) == []
    assert cli("import", str(export)).code == 0
    assert goals_met(site) == [("Two posts a week", frozen - frozen % DAY - 2 * DAY)]


@pytest.mark.hook("goal_met")
def test_goal_met_is_told_by_only_one_of_racing_processes(
    site: Site, frozen: int, smtui_home: Path
) -> None:
    install_recorder(site)
    conn = db_of(smtui_home)
    add_goal(conn, "A lead a day", 1, "day")
    conn.execute(
        "INSERT INTO outcomes (kind, occurred_at, created_at) VALUES ('lead', ?, ?)", (T0, T0)
    )
    config = Config(str(smtui_home / "config.toml"), timezone="UTC")
    racers = 4
    barrier = threading.Barrier(racers)
    failures: list[list[str]] = []

    def fire() -> None:
        own = db_of(smtui_home)  # each its own connection, as separate processes would have
        barrier.wait()
        failures.append(events.fire_goals_met(own, config, now=T0))
        own.close()

    threads = [threading.Thread(target=fire) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == [[]] * racers
    assert goals_met(site) == [("A lead a day", T0 - T0 % DAY)]


def test_goals_are_not_even_read_when_nobody_listens(
    site: Site, cli: Any, frozen: int, smtui_home: Path
) -> None:
    conn = db_of(smtui_home)
    add_goal(conn, "A lead a day", 1, "day")

    assert cli("log", "lead", "--no-session").code == 0

    assert conn.execute("SELECT count(*) FROM goal_events").fetchone() == (0,)


def test_a_goal_that_cannot_be_read_does_not_fail_the_log(
    site: Site, cli: Any, frozen: int, smtui_home: Path
) -> None:
    install_recorder(site)
    conn = db_of(smtui_home)
    add_goal(conn, "A lead a day", 1, "day")
    conn.execute("UPDATE goals SET measure = 'no_such_measure'")

    result = cli("log", "lead", "--no-session")

    assert result.code == 0
    assert result.err.startswith("smtui: goals not checked for goal_met: ")
    assert len(result.err.splitlines()) == 1
    assert hooks_heard(site) == ["outcome_logged"]


# --- the manifest: lean when nobody listens, invalidated by installs ----------------------------

# Runs smtui in a child and prints which event hooks were heard and whether pluggy was imported.
PROBE = """
import io, sys, contextlib
from smtui.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
print(repr((code, "pluggy" in sys.modules)))
"""


def run_probe(env: dict[str, str], *args: str) -> tuple[int, bool]:
    """Run ``smtui ARGS`` from a folder unchanged for an hour (it is on the child's sys.path)."""
    cwd = Path(env[EVENTS_ENV]).parent / "cwd"
    if not cwd.exists():
        cwd.mkdir()
        age(cwd)
    result = subprocess.run(
        [PYTHON, "-c", PROBE, *args], env=env, cwd=cwd, capture_output=True, text=True, check=True
    )
    value: tuple[int, bool] = ast.literal_eval(result.stdout.strip().splitlines()[-1])
    return value


def test_a_plugin_that_hears_no_event_keeps_start_and_stop_free_of_pluggy(
    site: Site, smtui_home: Path
) -> None:
    quiet = """
        from smtui import api

        class Hello(api.Command):
            name = "hello"

            def run(self, args, context):
                return 0

        @api.hookimpl
        def register_commands(register):
            register(Hello)
    """
    site.install("smtui-quiet", {"quiet": "smtui_quiet"}, {"smtui_quiet": quiet})
    age(site.root, *site.root.iterdir())
    env = child_env(smtui_home, site)

    assert run_probe(env, "start", "x") == (0, True)  # no manifest yet: one full survey
    manifest = smtui_home / events.MANIFEST_FILE
    assert manifest.exists()
    assert run_probe(env, "stop") == (0, False)
    assert run_probe(env, "start", "x") == (0, False)
    assert run_probe(env, "log", "lead", "--no-session") == (0, False)


def test_without_third_party_plugins_even_the_first_start_skips_pluggy(
    site: Site, smtui_home: Path
) -> None:
    env = child_env(smtui_home, site)

    assert run_probe(env, "start", "x") == (0, False)
    assert run_probe(env, "stop") == (0, False)


def test_installing_a_plugin_makes_the_next_start_hear_it(site: Site, smtui_home: Path) -> None:
    age(site.root)
    env = child_env(smtui_home, site)
    assert run_probe(env, "start", "x") == (0, False)
    assert run_probe(env, "stop") == (0, False)
    assert (smtui_home / events.MANIFEST_FILE).exists()

    install_recorder(site)

    assert run_probe(env, "start", "x") == (0, True)
    assert hooks_heard(site) == ["session_started"]


def test_disabling_or_limiting_plugins_silences_them_at_once(site: Site, smtui_home: Path) -> None:
    install_recorder(site)
    age(site.root, *site.root.iterdir())
    env = child_env(smtui_home, site)
    assert run_probe(env, "start", "x") == (0, True)
    assert run_probe(env, "stop") == (0, True)
    assert hooks_heard(site) == ["session_started", "session_stopped"]

    (smtui_home / "config.toml").write_text('[plugins]\ndisabled = ["rec"]\n')
    assert run_probe(env, "start", "x") == (0, True)  # the manifest is surveyed again
    assert run_probe(env, "stop") == (0, False)
    (smtui_home / "config.toml").unlink()
    env[plugins.LOAD_ENV] = "someone-else"
    assert run_probe(env, "start", "x") == (0, True)
    assert run_probe(env, "stop") == (0, False)

    assert hooks_heard(site) == ["session_started", "session_stopped"]


def test_an_edited_plugin_that_gains_an_event_hook_is_heard(site: Site, smtui_home: Path) -> None:
    site.install("smtui-rec", {"rec": "smtui_rec"}, {"smtui_rec": "from smtui import api\n"})
    age(site.root, *site.root.iterdir())
    env = child_env(smtui_home, site)
    assert run_probe(env, "start", "x") == (0, True)
    assert run_probe(env, "stop") == (0, False)

    (site.root / "smtui_rec.py").write_text(textwrap.dedent(RECORDER))

    assert run_probe(env, "start", "x") == (0, True)
    assert hooks_heard(site) == ["session_started"]


def test_a_corrupt_manifest_is_surveyed_again(site: Site, smtui_home: Path) -> None:
    install_recorder(site)
    (smtui_home / events.MANIFEST_FILE).write_bytes(b"\x00not marshal")
    config = Config(str(smtui_home / "config.toml"))

    assert events.listeners(config) == {hook: ("rec",) for hook in events.EVENT_HOOKS}


def test_event_hooks_are_the_hookspecs_that_register_nothing() -> None:
    specs = {name for name, f in vars(hookspecs).items() if hasattr(f, "smtui_spec")}

    assert set(events.EVENT_HOOKS) == {name for name in specs if not name.startswith("register_")}


def test_builtins_implement_no_event_hook(site: Site) -> None:
    """What lets a start with no third-party plugin skip loading plugins altogether."""
    registry = plugins.load_registry()

    builtins = [record for record in registry.health if record.builtin]
    assert builtins
    assert all(record.status == plugins.OK for record in builtins)
    assert not {hook for record in builtins for hook in record.hooks} & set(events.EVENT_HOOKS)


# --- the dashboard ----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.hook("session_started")
@pytest.mark.hook("session_stopped")
@pytest.mark.hook("outcome_logged")
def test_the_dashboard_tells_plugins_and_toasts_their_failures(
    site: Site, frozen: int, tmp_path: Path
) -> None:
    import asyncio

    from smtui.core.kinds import BUILTIN_KINDS

    from .test_tui import Harness

    install_recorder(site)
    site.install("smtui-boom", {"boom": "smtui_boom"}, {"smtui_boom": FAILING})
    db_path = str(tmp_path / "dash.db")
    harness = Harness(db_path, Config(str(tmp_path / "config.toml"), timezone="UTC"))

    async def scenario() -> None:
        app = harness.app
        async with app.run_test(message_hook=harness.hook) as pilot:
            await harness.settle(pilot)
            await pilot.press("s")
            await pilot.pause()
            await pilot.press(*"linkedin", "enter")
            await harness.settle(pilot, lambda: app.running_session is not None)
            await pilot.press("o")
            await pilot.pause()
            await pilot.press(*["down"] * list(BUILTIN_KINDS).index("lead"), "enter")
            await harness.settle(pilot, lambda: len(heard(site)) == 2)
            await pilot.press("x")
            await pilot.pause()
            await pilot.click("#stop-confirm")
            await harness.settle(pilot, lambda: app.running_session is None and app.state_known)

    asyncio.run(scenario())

    assert hooks_heard(site) == ["session_started", "outcome_logged", "session_stopped"]
    warnings = [text for severity, text in harness.toasts if severity == "warning"]
    assert warnings == [
        f"plugin 'boom' (smtui-boom 1.0) failed in {hook}: RuntimeError: {hook} exploded"
        for hook in ("session_started", "outcome_logged", "session_stopped")
    ]
    assert connect(db_path).execute("SELECT count(*) FROM outcomes").fetchone() == (1,)
