"""The config file: defaults, parsing, validation, the parse cache, rendering and init."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
import tomllib
from typing import Any, ClassVar

import pytest

import smtui
from smtui import config as config_module
from smtui.config import (
    APP_KEYS,
    BINDING_IDS,
    CACHE_FILE,
    Config,
    init_file,
    load_config,
    render_effective,
    validate_file,
)
from smtui.errors import ConfigError
from smtui.options import Option
from smtui.scoring import ScoringStrategy
from smtui.sources.base import DataSource

EXAMPLE = os.path.join(os.path.dirname(smtui.__file__), "config.example.toml")
ROOT_EXAMPLE = os.path.join(os.path.dirname(__file__), os.pardir, "config.example.toml")
# Files are given an mtime well in the past: the cache deliberately ignores files changed in
# the last two seconds, which may change again without their stat changing.
OLD = 1_700_000_000

FULL = """\
[app]
timezone = "Europe/Paris"
week_start = "Sunday"
daily_budget = "1h30m"
currency = "USD"
hourly_rate = 75
default_strategy = "roi"
target_platforms = ["LinkedIn", "xing", "linkedin", "Twitter"]
platforms = ["xing"]
database = "~/data/smtui.db"

[plugins]
disabled = ["smtui-youtube", "broken"]

[keymap]
start = "ctrl+s"
quit = "q,ctrl+q"

[scoring.outcomes]
weights = { deal = 20, lead = 4 }

[sources.li]
type = "csv"
platform = "linkedin"
columns = { external_id = "ID", likes = "Likes" }

[sources.bsky]
type = "bluesky"
password = { env = "BSKY_APP_PASSWORD" }
"""


@pytest.fixture
def home(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """An isolated SMTUI_HOME: the config file and the cache live here."""
    home = tmp_path / "smtui-home"
    home.mkdir()
    monkeypatch.setenv("SMTUI_HOME", str(home))
    monkeypatch.delenv("SMTUI_CONFIG", raising=False)
    monkeypatch.setenv("HOME", str(home / "userhome"))
    return home


def child_env(home: Any) -> dict[str, str]:
    """The environment for a child process that uses ``home`` and nothing else of ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMTUI_")}
    env["SMTUI_HOME"] = str(home)
    return env


def write_config(home: Any, text: str, mtime: int = OLD, name: str = "config.toml") -> str:
    path = str(home / name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.utime(path, (mtime, mtime))
    return path


def read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


class CountingLoads:
    """Wraps ``tomllib.loads`` to count the parses that really happen."""

    def __init__(self) -> None:
        self.real = tomllib.loads
        self.calls = 0

    def __call__(self, text: str) -> dict[str, Any]:
        self.calls += 1
        return self.real(text)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> CountingLoads:
    counter = CountingLoads()
    monkeypatch.setattr(tomllib, "loads", counter)
    return counter


def settings(config: Config) -> dict[str, Any]:
    """What a config means, without where it came from."""
    values = config.as_dict()
    for key in ("path", "exists", "raw", "warnings"):
        del values[key]
    return values


def config_error(home: Any, text: str) -> ConfigError:
    write_config(home, text)
    with pytest.raises(ConfigError) as info:
        load_config()
    return info.value


# --- defaults and parsing -------------------------------------------------------------------


def test_missing_file_gives_the_defaults(home: Any) -> None:
    config = load_config()
    assert config.path == str(home / "config.toml")
    assert config.exists is False
    assert settings(config) == {
        "timezone": "local",
        "week_start": 0,
        "daily_budget_s": None,
        "currency": "EUR",
        "hourly_rate": None,
        "default_strategy": "checklist",
        "target_platforms": (),
        "platforms": (),
        "database": None,
        "plugins_disabled": (),
        "keymap": {},
        "scoring": {},
        "sources": {},
    }
    assert config.warnings == []
    assert config.raw == {}
    assert not os.path.exists(home / CACHE_FILE)


def test_explicit_path_and_env_var_choose_the_file(
    home: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = write_config(home, '[app]\ncurrency = "GBP"\n', name="other.toml")
    assert load_config(chosen).currency == "GBP"
    monkeypatch.setenv("SMTUI_CONFIG", chosen)
    assert load_config().currency == "GBP"
    assert load_config().path == chosen


def test_every_key_is_parsed(home: Any) -> None:
    path = write_config(home, FULL)
    config = load_config()
    assert config.path == path
    assert config.exists is True
    assert config.timezone == "Europe/Paris"
    assert config.week_start == 6
    assert config.daily_budget_s == 5400
    assert config.currency == "USD"
    assert config.hourly_rate == 75.0
    assert isinstance(config.hourly_rate, float)
    assert config.default_strategy == "roi"
    assert config.target_platforms == ("linkedin", "xing", "x")
    assert config.platforms == ("xing",)
    assert config.database == str(home / "userhome" / "data" / "smtui.db")
    assert config.plugins_disabled == ("smtui-youtube", "broken")
    assert config.keymap == {"start": "ctrl+s", "quit": "q,ctrl+q"}
    assert config.scoring == {"outcomes": {"weights": {"deal": 20, "lead": 4}}}
    assert config.sources == {
        "li": {
            "type": "csv",
            "platform": "linkedin",
            "columns": {"external_id": "ID", "likes": "Likes"},
        },
        "bsky": {"type": "bluesky", "password": {"env": "BSKY_APP_PASSWORD"}},
    }
    assert config.warnings == []
    assert config.raw["app"]["week_start"] == "Sunday"


def test_relative_database_is_relative_to_the_config_file(home: Any) -> None:
    write_config(home, '[app]\ndatabase = "data/work.db"\n')
    assert load_config().database == str(home / "data" / "work.db")


def test_weekdays_map_to_numbers(home: Any) -> None:
    for number, day in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday")):
        write_config(home, f'[app]\nweek_start = "{day}"\n', mtime=OLD + number)
        assert load_config().week_start == number


# --- errors and warnings --------------------------------------------------------------------


def test_invalid_toml_names_file_line_and_column(home: Any) -> None:
    error = config_error(home, '[app]\ntimezone = "UTC"\nweek_start = mon\n')
    # "week_start = " is 13 characters, so the bad value starts in column 14.
    assert error.message == f"{home / 'config.toml'} line 3, column 14: Invalid value"
    assert error.hint


def test_truncated_toml_says_where(home: Any) -> None:
    error = config_error(home, '[app]\ntimezone = "UTC')
    assert error.message.startswith(f"{home / 'config.toml'} ")
    assert "line 2" in error.message or "end of document" in error.message


def test_file_that_is_not_utf8_names_the_line(home: Any) -> None:
    path = home / "config.toml"
    path.write_bytes(b'[app]\n\ntimezone = "\xff"\n')
    with pytest.raises(ConfigError) as info:
        load_config()
    assert info.value.message == f"{path} line 3: not valid UTF-8 text"


def test_byte_order_mark_is_accepted(home: Any) -> None:
    (home / "config.toml").write_bytes(b'\xef\xbb\xbf[app]\ncurrency = "SEK"\n')
    assert load_config().currency == "SEK"


def test_unreadable_path_is_a_config_error(home: Any) -> None:
    (home / "config.toml").mkdir()
    with pytest.raises(ConfigError, match="cannot read"):
        load_config()


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ('[app]\ntimezon = "UTC"\n', "unknown key [app] timezon (did you mean 'timezone'?)"),
        ("[ap]\n", "unknown section [ap] (did you mean 'app'?)"),
        ('[keymap]\nstopp = "x"\n', "unknown key [keymap] stopp (did you mean 'stop'?)"),
        ("[plugins]\ndisable = []\n", "unknown key [plugins] disable (did you mean 'disabled'?)"),
        ("[zzz]\n", "unknown section [zzz] (known: app, plugins, keymap, scoring, sources)"),
        (
            'timezone = "UTC"\n',
            "timezone is outside any section and was ignored; move it under [app]",
        ),
        (
            '[app]\ntarget_platforms = ["linkdin"]\n',
            "unknown platform 'linkdin' in [app] target_platforms"
            " (did you mean 'linkedin', or add it to [app] platforms)",
        ),
    ],
)
def test_unknown_names_warn_with_did_you_mean(home: Any, text: str, warning: str) -> None:
    path = write_config(home, text)
    config = load_config()
    assert config.warnings == [f"{path}: {warning}"]


def test_unknown_keys_do_not_stop_the_known_ones(home: Any) -> None:
    write_config(
        home, '[app]\ntimezon = "UTC"\ncurrency = "CHF"\n[keymap]\nstart = "s"\nstat = "t"\n'
    )
    config = load_config()
    assert config.currency == "CHF"
    assert config.keymap == {"start": "s"}
    assert len(config.warnings) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[app]\nweek_start = "mon"\n',
            "[app] week_start must be one of monday..sunday, not 'mon'",
        ),
        ("[app]\nweek_start = 1\n", "[app] week_start must be one of monday..sunday, not 1"),
        ("[app]\ntimezone = 1\n", '[app] timezone must be an IANA zone name or "local", not 1'),
        (
            '[app]\ncurrency = "euro"\n',
            "[app] currency must be a three-letter code such as \"EUR\", not 'euro'",
        ),
        ('[app]\ncurrency = "eur"\n', "[app] currency must be upper case, such as 'EUR'"),
        (
            '[app]\nhourly_rate = "80"\n',
            "[app] hourly_rate must be a number of zero or more, not '80'",
        ),
        ("[app]\nhourly_rate = -1\n", "[app] hourly_rate must be a number of zero or more, not -1"),
        (
            "[app]\nhourly_rate = true\n",
            "[app] hourly_rate must be a number of zero or more, not true",
        ),
        (
            "[app]\ndaily_budget = 2\n",
            '[app] daily_budget must be a duration such as "2h" or "90m", not 2',
        ),
        (
            '[app]\ndefault_strategy = ""\n',
            "[app] default_strategy must be a strategy name, not an empty string",
        ),
        (
            '[app]\ntarget_platforms = "linkedin"\n',
            "[app] target_platforms must be a list of names",
        ),
        ("[app]\nplatforms = [1]\n", "[app] platforms must be a list of names"),
        ("[app]\ndatabase = []\n", "[app] database must be a file path, not a list"),
        ('[plugins]\ndisabled = "x"\n', "[plugins] disabled must be a list of names"),
        ("[keymap]\nstart = 1\n", '[keymap] start must be a key name such as "ctrl+s", not 1'),
        ("app = 3\n", "app must be a table ([app]), not 3"),
        ("[scoring]\nroi = 3\n", "scoring.roi must be a table ([scoring.roi]), not 3"),
        (
            '[sources.mine]\nplatform = "x"\n',
            '[sources.mine] type must name a source such as "csv"; it is missing',
        ),
        (
            "[sources.mine]\ntype = 4\n",
            '[sources.mine] type must name a source such as "csv"; not 4',
        ),
    ],
)
def test_wrong_values_are_errors_naming_the_key(home: Any, text: str, message: str) -> None:
    error = config_error(home, text)
    assert error.message.startswith(f"{home / 'config.toml'}: {message}")


def test_bad_duration_says_what_was_wrong(home: Any) -> None:
    error = config_error(home, '[app]\ndaily_budget = "soon"\n')
    assert error.message.startswith(f"{home / 'config.toml'}: bad [app] daily_budget 'soon'")


def test_every_error_is_reported_by_validate_and_counted_by_load(home: Any) -> None:
    path = write_config(home, '[app]\nweek_start = "mon"\ncurrency = "e"\ntimezon = "UTC"\n')
    with pytest.raises(ConfigError) as info:
        load_config()
    assert "week_start" in info.value.message
    assert info.value.hint.startswith("1 more problem:")
    errors, warnings = validate_file(None)
    assert [e.split(": ", 1)[1].split(" must")[0] for e in errors] == [
        "[app] week_start",
        "[app] currency",
    ]
    assert warnings == [f"{path}: unknown key [app] timezon (did you mean 'timezone'?)"]


def test_validate_reports_invalid_toml_and_unknown_time_zone(home: Any) -> None:
    write_config(home, "[app\n")
    errors, warnings = validate_file(None)
    assert len(errors) == 1
    assert "line 1, column 5" in errors[0]
    assert warnings == []
    write_config(home, '[app]\ntimezone = "Mars/Olympus"\n', mtime=OLD + 1)
    assert load_config().timezone == "Mars/Olympus"  # checked where it is used, and by validate
    errors, _ = validate_file(None)
    assert errors == [
        f"{home / 'config.toml'}: [app] timezone: unknown time zone 'Mars/Olympus'"
        " (use an IANA name like Europe/Paris, or 'local')"
    ]


def test_validate_missing_file_is_clean(home: Any) -> None:
    assert validate_file(None) == ([], [])


# --- validation against plugin options -----------------------------------------------------


class FakeCsv(DataSource):
    name = "csv"
    options: ClassVar[tuple[Option, ...]] = (
        Option("platform", str, required=True),
        Option("columns", dict, default={}),
    )


class FakeBluesky(DataSource):
    name = "bluesky"
    options: ClassVar[tuple[Option, ...]] = (
        Option("handle", str),
        Option("password", secret=True),
    )


class FakeOutcomes(ScoringStrategy):
    name = "outcomes"
    options: ClassVar[tuple[Option, ...]] = (Option("weights", dict, default={}),)


class FakeRoi(ScoringStrategy):
    name = "roi"
    options: ClassVar[tuple[Option, ...]] = (Option("hourly_rate", float),)


class FakeRegistry:
    sources: ClassVar[dict[str, type[DataSource]]] = {"csv": FakeCsv, "bluesky": FakeBluesky}
    scorers: ClassVar[dict[str, type[ScoringStrategy]]] = {
        "outcomes": FakeOutcomes,
        "checklist": FakeOutcomes,
        "roi": FakeRoi,
    }


def test_validate_checks_plugin_tables_against_declared_options(
    home: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BSKY_APP_PASSWORD", "app-pass")
    path = write_config(
        home,
        '[app]\ndefault_strategy = "outcome"\n'
        "[scoring.outcomes]\nweight = {}\n"
        "[scoring.focuss]\n"
        '[sources.a]\ntype = "csv"\n'
        '[sources.b]\ntype = "csvv"\n'
        '[sources.c]\ntype = "bluesky"\npassword = "plain"\n'
        '[sources.d]\ntype = "bluesky"\npassword = { env = "BSKY_APP_PASSWORD" }\n',
    )
    errors, warnings = validate_file(None, FakeRegistry())
    assert errors == [
        f"{path}: [app] default_strategy 'outcome' is unknown (did you mean 'outcomes'?)",
        f"{path}: unknown option [scoring.outcomes].weight (did you mean 'weights'?)",
        f"{path}: [sources.a].platform is required",
        f"{path}: [sources.b] type 'csvv' is not an installed source (did you mean 'csv'?)",
        f'{path}: [sources.c].password is a secret and must be written as {{ env = "VAR" }}'
        " (keep the value in an environment variable, not in the config file)",
    ]
    assert warnings == [
        f"{path}: unknown strategy [scoring.focuss] (known: checklist, outcomes, roi)",
    ]


def test_example_is_valid_against_matching_plugins(home: Any) -> None:
    errors, warnings = validate_file(EXAMPLE, FakeRegistry())
    assert (errors, warnings) == ([], [])


# --- the parse cache -------------------------------------------------------------------------


def test_unchanged_file_is_read_from_the_cache(home: Any, parses: CountingLoads) -> None:
    path = write_config(home, FULL)
    first = load_config()
    assert parses.calls == 1
    assert os.path.exists(home / CACHE_FILE)
    second = load_config()
    assert parses.calls == 1
    assert second == first
    os.utime(path, (OLD + 60, OLD + 60))
    third = load_config()
    assert parses.calls == 2
    assert settings(third) == settings(first)


def test_cache_survives_a_parser_that_fails(home: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_config(home, '[app]\ncurrency = "JPY"\n')
    assert load_config().currency == "JPY"

    def broken(text: str) -> dict[str, Any]:
        raise AssertionError("the cache should have answered")

    monkeypatch.setattr(tomllib, "loads", broken)
    assert load_config().currency == "JPY"
    os.utime(path, (OLD + 1, OLD + 1))
    with pytest.raises(AssertionError, match="cache should have answered"):
        load_config()


def test_edited_file_is_parsed_again(home: Any, parses: CountingLoads) -> None:
    write_config(home, '[app]\ncurrency = "JPY"\n')
    assert load_config().currency == "JPY"
    write_config(home, '[app]\ncurrency = "CHF"\n', mtime=OLD + 5)
    assert load_config().currency == "CHF"
    assert parses.calls == 2


def test_replaced_file_with_same_size_and_mtime_is_parsed_again(
    home: Any, parses: CountingLoads
) -> None:
    path = write_config(home, '[app]\ncurrency = "JPY"\n')
    assert load_config().currency == "JPY"
    write_config(home, '[app]\ncurrency = "CHF"\n', name="new.toml")
    os.replace(home / "new.toml", path)  # what editors that save atomically do
    assert load_config().currency == "CHF"
    assert parses.calls == 2


def test_file_changed_just_now_is_not_cached(home: Any, parses: CountingLoads) -> None:
    path = str(home / "config.toml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write('[app]\ncurrency = "JPY"\n')
    load_config()
    load_config()
    assert parses.calls == 2
    assert not os.path.exists(home / CACHE_FILE)


def test_cache_is_keyed_by_path_and_version(
    home: Any, parses: CountingLoads, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(home, '[app]\ncurrency = "JPY"\n')
    other = write_config(home, '[app]\ncurrency = "JPY"\n', name="copy.toml")
    load_config()
    load_config(other)
    assert parses.calls == 2
    load_config(other)
    assert parses.calls == 2
    monkeypatch.setattr(config_module, "__version__", "999.0")
    load_config(other)
    assert parses.calls == 3


def test_cache_remembers_durations_and_guesses(home: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(home, '[app]\ndaily_budget = "2h"\ntimezon = "UTC"\n')
    first = load_config()
    assert first.daily_budget_s == 7200

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("should come from the cache")

    import smtui.core.kinds
    import smtui.core.timespec

    monkeypatch.setattr(smtui.core.timespec, "parse_duration", refuse)
    monkeypatch.setattr(smtui.core.kinds, "closest", refuse)
    second = load_config()
    assert second.daily_budget_s == 7200
    assert second.warnings == first.warnings


@pytest.mark.parametrize(
    "junk",
    [b"", b"\x00garbage\xff", marshal.dumps([1, 2, 3]), marshal.dumps(("x", {}, {}))],
)
def test_corrupt_cache_is_ignored_and_replaced(
    home: Any, parses: CountingLoads, junk: bytes
) -> None:
    write_config(home, '[app]\ncurrency = "JPY"\n')
    (home / CACHE_FILE).write_bytes(junk)
    assert load_config().currency == "JPY"
    assert parses.calls == 1
    assert load_config().currency == "JPY"
    assert parses.calls == 1  # the cache was rewritten and used


def test_cache_that_cannot_be_written_is_skipped(home: Any, parses: CountingLoads) -> None:
    write_config(home, '[app]\ncurrency = "JPY"\n')
    (home / CACHE_FILE).mkdir()  # neither readable nor replaceable as a file
    assert load_config().currency == "JPY"
    assert load_config().currency == "JPY"
    assert parses.calls == 2
    assert sorted(os.listdir(home)) == [CACHE_FILE, "config.toml"]  # no temp file left


def test_values_marshal_cannot_hold_skip_the_cache(home: Any, parses: CountingLoads) -> None:
    write_config(home, '[sources.x]\ntype = "csv"\nsince = 2024-01-31\n')
    assert str(load_config().sources["x"]["since"]) == "2024-01-31"
    assert str(load_config().sources["x"]["since"]) == "2024-01-31"
    assert parses.calls == 2
    assert not os.path.exists(home / CACHE_FILE)


def test_invalid_values_are_still_reported_from_the_cache(home: Any, parses: CountingLoads) -> None:
    write_config(home, '[app]\nweek_start = "mon"\n')
    for _ in range(2):
        with pytest.raises(ConfigError, match="week_start"):
            load_config()
    assert parses.calls == 1


def test_cached_load_imports_neither_tomllib_nor_the_duration_parser(home: Any) -> None:
    write_config(home, '[app]\ndaily_budget = "2h"\ntimezon = "UTC"\n')
    code = (
        "import sys\n"
        "from smtui.config import load_config\n"
        "config = load_config()\n"
        "heavy = ['tomllib', 'pytimeparse2', 'difflib', 'typing', 're', 'json', 'pathlib',"
        " 'dataclasses', 'textual', 'tomli_w']\n"
        "print(config.daily_budget_s, [m for m in heavy if m in sys.modules])\n"
    )
    env = child_env(home)
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        for _ in range(2)
    ]
    assert runs[0].stdout.startswith("7200 [")
    assert "'tomllib'" in runs[0].stdout  # the first run parses and fills the cache
    assert runs[1].stdout == "7200 []\n"


def test_missing_config_imports_nothing_heavy(tmp_path: Any) -> None:
    code = (
        "import sys\n"
        "from smtui.config import load_config\n"
        "config = load_config()\n"
        "assert not config.exists\n"
        "heavy = ['tomllib', 'typing', 're', 'json', 'pathlib', 'dataclasses', 'difflib',"
        " 'textual', 'tomli_w', 'platformdirs']\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    env = child_env(tmp_path)
    run = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert run.stdout == "[]\n"


# --- render, init and the user's file --------------------------------------------------------


def test_render_effective_round_trips(home: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BSKY_APP_PASSWORD", "hunter2-secret")
    write_config(home, FULL)
    config = load_config()
    text = render_effective(config)
    assert "hunter2-secret" not in text
    document = tomllib.loads(text)
    assert document["app"]["daily_budget"] == "1h30m"
    assert document["app"]["week_start"] == "sunday"
    assert document["sources"]["bsky"]["password"] == {"env": "BSKY_APP_PASSWORD"}
    write_config(home, text, name="effective.toml")
    again = load_config(str(home / "effective.toml"))
    assert again.warnings == []
    assert settings(again) == settings(config)


def test_render_defaults_round_trip_and_leave_unset_values_out(home: Any) -> None:
    config = load_config()
    text = render_effective(config)
    assert "(not found: defaults)" in text
    document = tomllib.loads(text)
    assert "daily_budget" not in document["app"]
    assert "hourly_rate" not in document["app"]
    write_config(home, text)
    assert settings(load_config()) == settings(config)


def test_render_hides_secrets_written_in_plain_text(home: Any) -> None:
    write_config(home, '[sources.b]\ntype = "bluesky"\npassword = "hunter2"\napi_key = "k-123"\n')
    text = render_effective(load_config())
    assert "hunter2" not in text
    assert "k-123" not in text
    assert tomllib.loads(text)["sources"]["b"]["type"] == "bluesky"


@pytest.mark.parametrize(
    ("seconds", "text"), [(7200, "2h"), (5400, "1h30m"), (90, "1m30s"), (3725, "1h2m5s")]
)
def test_durations_render_exactly(seconds: int, text: str) -> None:
    from smtui.core.timespec import parse_duration

    assert config_module._duration_text(seconds) == text
    assert parse_duration(text) == seconds


def test_init_writes_the_example_once_and_never_overwrites(home: Any) -> None:
    path = init_file(None)
    assert path == str(home / "config.toml")
    example = read(EXAMPLE)
    assert read(path) == example
    os.utime(path, (OLD, OLD))
    with pytest.raises(ConfigError, match="already exists"):
        init_file(None)
    assert read(path) == example
    assert os.stat(path).st_mtime == OLD


def test_init_keeps_an_existing_file_even_an_empty_one(home: Any) -> None:
    write_config(home, "")
    with pytest.raises(ConfigError, match="already exists"):
        init_file(None)
    assert (home / "config.toml").read_bytes() == b""


def test_init_creates_missing_folders(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a" / "b" / "config.toml"
    monkeypatch.setenv("SMTUI_CONFIG", str(target))
    assert init_file(None) == str(target)
    assert load_config().warnings == []


def test_users_file_is_never_modified(home: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BSKY_APP_PASSWORD", "x")
    path = write_config(home, FULL + "\n[app2]\n")
    before = (home / "config.toml").read_bytes()
    stat = os.stat(path)

    def unchanged() -> None:
        assert (home / "config.toml").read_bytes() == before
        after = os.stat(path)
        assert (after.st_mtime_ns, after.st_ino, after.st_mode) == (
            stat.st_mtime_ns,
            stat.st_ino,
            stat.st_mode,
        )

    for _ in range(2):  # parsed, then cached
        config = load_config()
        unchanged()
    render_effective(config)
    unchanged()
    validate_file(None)
    unchanged()
    validate_file(None, FakeRegistry())
    unchanged()
    with pytest.raises(ConfigError):
        init_file(None)
    unchanged()


# --- the example file ------------------------------------------------------------------------


def uncommented_example() -> str:
    """The example with every commented-out setting and section switched on."""
    lines = []
    for line in read(EXAMPLE).splitlines():
        body = line[2:] if line.startswith("# ") else ""
        name = body.split(" = ", 1)[0]
        is_setting = " = " in body and name.replace("_", "").isalnum()
        is_section = body.startswith("[") and body.endswith("]")
        lines.append(body if is_setting or is_section else line)
    return "\n".join(lines) + "\n"


def test_example_loads_without_errors_or_warnings(home: Any) -> None:
    assert validate_file(EXAMPLE) == ([], [])
    config = load_config(EXAMPLE)
    assert config.warnings == []
    assert config.scoring["outcomes"] == {"weights": {"deal": 10, "moved_off_social": 5}}
    assert "hourly_rate" in config.scoring["roi"]
    csv = config.sources["my_csv"]
    assert csv["type"] == "csv"
    assert "platform" in csv
    assert {"external_id", "published_at", "text", "url", "impressions", "likes"} <= set(
        csv["columns"]
    )


def test_example_documents_every_key(home: Any) -> None:
    path = write_config(home, uncommented_example())
    errors, warnings = validate_file(path)
    assert (errors, warnings) == ([], [])
    config = load_config(path)
    assert set(config.raw["app"]) == set(APP_KEYS)
    assert set(config.raw["plugins"]) == set(config_module.PLUGINS_KEYS)
    assert set(config.keymap) == set(BINDING_IDS)
    assert config.sources["my_bluesky"]["password"] == {"env": "BSKY_APP_PASSWORD"}
    assert config.daily_budget_s is not None
    assert config.hourly_rate is not None
    assert config.target_platforms
    assert config.platforms
    assert config.database is not None


def test_every_example_setting_has_a_comment_above_it() -> None:
    lines = read(EXAMPLE).splitlines()
    for number, line in enumerate(lines):
        if " = " in line and not line.startswith("#"):
            above = lines[number - 1]
            assert above.startswith("#") or " = " in above, (
                f"line {number + 1} is undocumented: {line}"
            )


def test_example_names_every_built_in_platform() -> None:
    from smtui.core.platforms import BUILTIN_PLATFORMS

    text = read(EXAMPLE)
    start = text.index("(", text.index("# Platform names to add to the built-in ones")) + 1
    listed = text[start : text.index(")", start)].replace("#", "").split(",")
    assert [name.strip() for name in listed] == list(BUILTIN_PLATFORMS)


def test_repo_root_example_is_the_packaged_one() -> None:
    assert os.path.islink(ROOT_EXAMPLE)
    assert os.path.samefile(ROOT_EXAMPLE, EXAMPLE)
    assert config_module.example_text() == read(EXAMPLE)


def test_option_descriptions_say_type_requirement_default_and_choices() -> None:
    from smtui.options import Option

    assert Option("platform", str, required=True, help="where").describe() == (
        "platform (a string, required): where"
    )
    assert Option("rate", float, default=0.5).describe() == "rate (a number, default 0.5)"
    assert Option("mode", str, default="a", choices=("a", "b")).describe() == (
        "mode (a string, default 'a', one of 'a', 'b')"
    )
    assert Option("token", str, secret=True).describe() == (
        'token (a secret, written as { env = "VAR" })'
    )
