"""Plugins written on the fly for the plugin runtime's tests, and the recorder they report to.

A :class:`~tests.test_plugins.Site` is a directory with real ``.dist-info`` metadata, so the
same installed plugins are seen in-process (through the patched ``entry_points``) and by a
child process that has the directory on its ``PYTHONPATH``.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import sys
from typing import TYPE_CHECKING, Any

from smtui import plugins

from .conftest import subprocess_env
from .test_plugins import Site

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    import pytest

EVENTS_ENV = "FAKE_PLUGIN_EVENTS"

# Writes every event it hears, with its arguments in plain values, as one JSON line.
RECORDER = """
    import json, os
    from smtui import api

    def _write(hook, **values):
        with open(os.environ["FAKE_PLUGIN_EVENTS"], "a", encoding="utf-8") as out:
            out.write(json.dumps({"plugin": __name__, "hook": hook, **values}) + "\\n")

    def _session(session):
        assert isinstance(session, api.Session)
        return {"id": session.id, "platform": session.platform, "ended": session.ended_at}

    def _outcome(outcome):
        assert isinstance(outcome, api.Outcome)
        return {"kind": outcome.kind, "session_id": outcome.session_id}

    @api.hookimpl
    def session_started(session):
        _write("session_started", session=_session(session))

    @api.hookimpl
    def session_stopped(session, outcomes):
        assert isinstance(outcomes, list)
        achieved = [_outcome(o) for o in outcomes]
        _write("session_stopped", session=_session(session), outcomes=achieved)

    @api.hookimpl
    def outcome_logged(outcome):
        _write("outcome_logged", outcome=_outcome(outcome))

    @api.hookimpl
    def goal_met(goal, progress):
        assert isinstance(goal, api.Goal) and isinstance(progress, api.GoalProgress)
        assert progress.goal is goal
        _write("goal_met", goal=goal.name, value=progress.value, start=progress.start)
"""

# Raises from every event hook.
FAILING = """
    from smtui import api

    @api.hookimpl
    def session_started(session):
        raise RuntimeError("session_started exploded")

    @api.hookimpl
    def session_stopped(session, outcomes):
        raise RuntimeError("session_stopped exploded")

    @api.hookimpl
    def outcome_logged(outcome):
        raise RuntimeError("outcome_logged exploded")

    @api.hookimpl
    def goal_met(goal, progress):
        raise RuntimeError("goal_met exploded")
"""


def install_recorder(site: Site, plugin: str = "rec") -> None:
    site.install(f"smtui-{plugin}", {plugin: f"smtui_{plugin}"}, {f"smtui_{plugin}": RECORDER})


def fake_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """Body of a ``site`` fixture: only the plugins a test installs are visible.

    The recorder's file is set too, and the registry starts and ends empty.
    """
    root = tmp_path / "site"
    root.mkdir()
    site = Site(root)
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.setattr(importlib.metadata, "entry_points", site.entry_points)
    monkeypatch.setenv(EVENTS_ENV, str(tmp_path / "events.jsonl"))
    plugins.reset_registry()
    yield site
    plugins.reset_registry()
    for name in site.modules:
        sys.modules.pop(name, None)


def heard(site: Site) -> list[dict[str, Any]]:
    """The events the recorder wrote, oldest first."""
    path = site.root.parent / "events.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def child_env(home: Path, site: Site) -> dict[str, str]:
    """Environment for a child ``smtui`` that sees the site's plugins and records their events."""
    env = subprocess_env(home)
    env["PYTHONPATH"] = os.pathsep.join((str(site.root), env["PYTHONPATH"]))
    env[EVENTS_ENV] = str(site.root.parent / "events.jsonl")
    return env


def age(*paths: Path, seconds: int = 3600) -> None:
    """Set modification times in the past, as for plugins installed a while ago."""
    import time

    when = time.time() - seconds
    for path in paths:
        os.utime(path, (when, when))
