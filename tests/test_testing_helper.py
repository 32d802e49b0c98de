"""smtui.testing, the helpers plugin authors test with: each does what its docs promise."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest

from smtui import api, clock, testing
from smtui.builtins.checklist import ChecklistStrategy
from smtui.builtins.csv_source import CsvSource
from smtui.errors import StateError, UsageError
from smtui.store.db import SCHEMA_VERSION

from .conftest import PYTHON, ROOT, T0

T0_TEXT = "2026-03-04 10:00"


# --- time ------------------------------------------------------------------------------------


def test_epoch_reads_utc_text_aware_datetimes_and_ints() -> None:
    assert testing.epoch(T0_TEXT) == T0
    assert testing.epoch("2026-03-04T11:00:00+01:00") == T0
    assert testing.epoch("2026-03-04T10:00Z") == T0
    assert testing.epoch(datetime(2026, 3, 4, 10, tzinfo=UTC)) == T0
    assert testing.epoch(datetime(2026, 3, 4, 5, tzinfo=timezone(timedelta(hours=-5)))) == T0
    assert testing.epoch(T0) == T0


def test_epoch_refuses_what_depends_on_the_machine_zone_or_is_no_time() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        testing.epoch(datetime(2026, 3, 4, 10))  # naive: the point of the test
    with pytest.raises(TypeError):
        testing.epoch(True)
    with pytest.raises(TypeError):
        testing.epoch(1.5)  # type: ignore[arg-type]


def test_frozen_clock_stops_moves_and_restores_the_clock() -> None:
    assert clock._frozen is None
    with testing.frozen_clock(T0_TEXT) as frozen:
        assert clock.now() == frozen.now == T0
        assert frozen.advance(30, minutes=1, hours=1) == T0 + 3690
        assert clock.now() == T0 + 3690
        with testing.frozen_clock(T0 + 5) as inner:
            assert inner.now == T0 + 5
        assert clock.now() == T0 + 3690  # the outer freeze is back
        assert frozen.set("2026-03-05 00:00") == T0 + 14 * 3600
    assert clock._frozen is None


def test_frozen_clock_restores_the_clock_after_an_error() -> None:
    with pytest.raises(RuntimeError), testing.frozen_clock(T0):
        raise RuntimeError("boom")
    assert clock._frozen is None


# --- the store -------------------------------------------------------------------------------


def test_temp_store_is_migrated_and_removed_afterwards() -> None:
    with testing.temp_store() as conn:
        (path,) = [row[2] for row in conn.execute("PRAGMA database_list")]
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
    assert not os.path.exists(os.path.dirname(path))


def test_open_store_puts_the_database_where_smtui_home_would(tmp_path: Path) -> None:
    conn = testing.open_store(tmp_path)
    conn.close()

    assert (tmp_path / "smtui.db").exists()


def test_add_session_stores_finished_and_running_sessions_with_outcomes() -> None:
    with testing.temp_store() as conn, testing.frozen_clock(T0):
        done = testing.add_session(
            conn, "2026-03-04 08:00", 45, platform="x", outcomes=["lead", "call_booked"]
        )
        running = testing.add_session(conn, "2026-03-04 09:30", None, intent="content")
        outcomes = conn.execute(
            "SELECT kind, session_id, platform, occurred_at FROM outcomes ORDER BY id"
        ).fetchall()

    assert (done.platform, done.intent, done.started_at) == ("x", "prospecting", T0 - 7200)
    assert done.ended_at == T0 - 7200 + 45 * 60
    assert running.ended_at is None and running.intent == "content"
    assert outcomes == [  # a plugin's own kind needs no plugin loaded
        ("lead", done.id, "x", done.ended_at),
        ("call_booked", done.id, "x", done.ended_at),
    ]


def test_add_session_keeps_smtuis_rules() -> None:
    with testing.temp_store() as conn, testing.frozen_clock(T0):
        testing.add_session(conn, "2026-03-04 08:00", 60)
        with pytest.raises(UsageError, match="overlap"):
            testing.add_session(conn, "2026-03-04 08:30", 60)
        with pytest.raises(UsageError, match="future"):
            testing.add_session(conn, "2026-03-04 09:30", 60)
        testing.add_session(conn, "2026-03-04 09:30", None)
        with pytest.raises(StateError, match="already running"):
            testing.add_session(conn, "2026-03-04 09:45", None)


def test_log_outcome_with_a_session_without_one_and_with_money() -> None:
    with testing.temp_store() as conn, testing.frozen_clock(T0):
        session = testing.add_session(conn, "2026-03-04 08:00", 30, platform="bluesky")
        by_object = testing.log_outcome(conn, "trust_built", T0 - 60, session=session)
        by_id = testing.log_outcome(conn, "lead", T0, session=session.id, contact="Ana")
        alone = testing.log_outcome(
            conn, "deal", T0, amount_minor=150_000, currency="EUR", detail="audit"
        )
        stored = conn.execute("SELECT count(*) FROM outcomes").fetchone()[0]

    assert (by_object.session_id, by_object.platform) == (session.id, "bluesky")
    assert (by_id.session_id, by_id.platform, by_id.contact) == (session.id, "bluesky", "Ana")
    assert (alone.session_id, alone.platform, alone.amount_minor) == (None, None, 150_000)
    assert stored == 3


# --- sources and strategies ------------------------------------------------------------------

CSV_OPTIONS = {
    "platform": "linkedin",
    "columns": {"external_id": "Post ID", "impressions": "Impressions"},
}


def test_make_source_validates_options_like_the_config_file() -> None:
    source = testing.make_source(CsvSource, CSV_OPTIONS, alias="buffer")

    assert isinstance(source, CsvSource)
    assert source.alias == "buffer"
    with pytest.raises(testing.ConfigError, match=r"\[sources.buffer\].platform is required"):
        testing.make_source(CsvSource, {"columns": {}}, alias="buffer")
    with pytest.raises(testing.ConfigError, match="did you mean 'platform'"):
        testing.make_source(CsvSource, {**CSV_OPTIONS, "platfrom": "x"})


def test_sniff_read_and_import_go_through_the_real_pipeline(tmp_path: Path) -> None:
    export = tmp_path / "posts.csv"
    export.write_text("Post ID,Impressions\n7301,1200\n7302,abc\n7303,80\n", encoding="utf-8")
    source = testing.make_source(CsvSource, CSV_OPTIONS)

    assert testing.sniff(source, export)
    items = testing.read_source(source, export)
    assert [type(item).__name__ for item in items] == ["PostRecord", "InputError", "PostRecord"]
    with testing.temp_store() as conn:
        with pytest.raises(api.InputError, match="line 3"):
            testing.import_paths(conn, source, export)
        assert conn.execute("SELECT count(*) FROM posts").fetchone()[0] == 0  # all or nothing
        (result,) = testing.import_paths(conn, [source], export, skip_bad_rows=True)
        assert conn.execute("SELECT count(*) FROM posts").fetchone()[0] == 2
    assert (result.new, result.skipped, result.detected) == (2, 1, True)


class Doubled(api.ScoringStrategy):
    name = "doubled"
    options = (api.Option("factor", float, default=2.0),)

    def score(self, window: api.Window) -> api.Score:
        value = self.option_values["factor"] * len(window.outcomes)
        return api.Score(self.name, value, f"{value:g}", [("Sessions", str(len(window.sessions)))])


class Broken(api.ScoringStrategy):
    name = "broken"

    def score(self, window: api.Window) -> api.Score:
        raise ZeroDivisionError("oops")


def test_score_rates_a_window_of_the_store_like_smtui_score() -> None:
    with testing.temp_store() as conn, testing.frozen_clock(T0):
        testing.add_session(conn, "2026-03-04 08:00", 30, outcomes=["lead", "trust_built"])
        testing.add_session(conn, "2026-03-04 09:00", 30)
        testing.add_session(conn, "2026-03-03 09:00", 30, outcomes=["lead"])  # the day before

        by_class = testing.score(Doubled, conn, "2026-03-04 00:00", "2026-03-05 00:00")
        with_options = testing.score(
            Doubled, conn, "2026-03-04 00:00", "2026-03-05 00:00", options={"factor": 10}
        )
        by_instance = testing.score(ChecklistStrategy(), conn, T0 - 86400 * 2, T0)

    assert (by_class.strategy, by_class.value, by_class.breakdown) == (
        "doubled",
        4.0,
        [("Sessions", "2")],
    )
    assert with_options.value == 20.0
    assert by_instance.label == "67% productive"


def test_score_checks_its_arguments_and_reports_a_crashing_strategy_as_users_see_it() -> None:
    with testing.temp_store() as conn:
        with pytest.raises(testing.ConfigError, match="did you mean 'factor'"):
            testing.score(Doubled, conn, 0, T0, options={"factr": 1})
        with pytest.raises(TypeError, match="options only apply"):
            testing.score(Doubled(), conn, 0, T0, options={"factor": 1})
        with pytest.raises(api.PluginError, match="ZeroDivisionError: oops") as caught:
            testing.score(Broken, conn, 0, T0)
    assert caught.value.title == "Scoring strategy failed"


# --- HTTP ------------------------------------------------------------------------------------


def test_fake_http_answers_by_method_and_path_and_records_requests() -> None:
    transport = testing.fake_http(
        {
            "GET /v1/posts": [{"id": "1"}],
            "post /v1/token": (401, {"error": "bad token"}),
            "GET /v1/text": (200, "plain"),
            "GET /v1/empty": (204, None),
            "GET /v1/echo": lambda request: httpx.Response(200, json=dict(request.url.params)),
            "GET /v1/fixed": httpx.Response(202, json={"ok": True}),
        }
    )
    with httpx.Client(transport=transport, base_url="https://api.example.test") as client:
        posts = client.get("/v1/posts", params={"page": 2}, headers={"Authorization": "t0ken"})
        token = client.post("/v1/token", json={"user": "ana"})
        text = client.get("/v1/text")
        empty = client.get("/v1/empty")
        echo = client.get("/v1/echo", params={"q": "smtui"})
        fixed = [client.get("/v1/fixed") for _ in range(2)]  # a Response answers every time
        missing = client.delete("/v1/posts")

    assert (posts.status_code, posts.json()) == (200, [{"id": "1"}])
    assert (token.status_code, token.json()) == (401, {"error": "bad token"})
    assert (text.text, empty.status_code, empty.content) == ("plain", 204, b"")
    assert echo.json() == {"q": "smtui"}
    assert [(r.status_code, r.json()) for r in fixed] == [(202, {"ok": True})] * 2
    assert missing.status_code == 404
    assert missing.json()["error"] == "no fake route for DELETE /v1/posts"
    requests = transport.requests  # type: ignore[attr-defined]
    assert [(r.method, r.url.path) for r in requests][:2] == [
        ("GET", "/v1/posts"),
        ("POST", "/v1/token"),
    ]
    assert requests[0].url.params["page"] == "2"
    assert requests[0].headers["authorization"] == "t0ken"
    assert json.loads(requests[1].content) == {"user": "ana"}
    assert len(requests) == 8


def test_fake_http_refuses_a_route_it_cannot_read() -> None:
    with pytest.raises(ValueError, match="should read like 'GET /v1/posts'"):
        testing.fake_http({"/v1/posts": []})


def test_fake_http_works_with_async_clients() -> None:
    import asyncio

    transport = testing.fake_http({"GET /ping": {"pong": True}})

    async def ping() -> object:
        async with httpx.AsyncClient(transport=transport, base_url="https://x.test") as client:
            return (await client.get("/ping")).json()

    assert asyncio.run(ping()) == {"pong": True}


# --- plugins and the command line ------------------------------------------------------------


def test_fresh_registry_loads_the_installed_plugins() -> None:
    registry = testing.fresh_registry()

    assert registry.scorers["checklist"] is ChecklistStrategy
    assert registry.owners[("source", "csv")] == "csv_source"
    assert {record.status for record in registry.health if record.builtin} == {"ok"}


def test_run_smtui_captures_code_and_output_and_restores_the_environment(
    tmp_path: Path, smtui_home: Path
) -> None:
    env = {"SMTUI_HOME": str(tmp_path)}

    started = testing.run_smtui("start", "linkedin", "prospecting", env=env)
    status = testing.run_smtui("status", "-f", "short", env=env)
    refused = testing.run_smtui("start", "x", env=env)
    helped = testing.run_smtui("--help")

    assert started.code == 0 and "linkedin" in started.out
    assert status.code == 0 and "linkedin" in status.out
    assert refused.code == 1 and "already running" in refused.err
    assert helped.code == 0 and "usage" in helped.out.lower()
    assert (tmp_path / "smtui.db").exists()
    assert os.environ["SMTUI_HOME"] == str(smtui_home)  # the suite's home is back
    assert not (smtui_home / "smtui.db").exists()


def test_importing_the_helpers_loads_neither_httpx_nor_textual_nor_pluggy() -> None:
    check = (
        "import sys, smtui.testing\n"
        "loaded = sorted(m for m in ('httpx', 'textual', 'pluggy') if m in sys.modules)\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run(
        [PYTHON, "-c", check], cwd=ROOT, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr
