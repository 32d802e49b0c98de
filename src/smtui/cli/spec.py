"""Every command and option of the command line, declared once.

Two parsers read this table: :mod:`smtui.cli.quickparse` parses the everyday commands
(``start``, ``stop``, ``status`` ...) without importing argparse, which would cost more than the
rest of those commands put together; :mod:`smtui.cli.parser` builds the full argparse parser
for help, the other commands and precise error messages. ``tests/test_cli_parsing.py`` checks
both give the same result for the same arguments.
"""

from __future__ import annotations


class Opt:
    """An option: ``flags`` like ``("-t", "--timebox")``; ``value`` False makes it a flag."""

    __slots__ = ("choices", "default", "dest", "flags", "help", "metavar", "repeat", "value")

    def __init__(
        self,
        *flags: str,
        help: str,
        value: bool = True,
        repeat: bool = False,
        metavar: str | None = None,
        choices: tuple[str, ...] | None = None,
        default: object = None,
        dest: str | None = None,
    ) -> None:
        self.flags = flags
        self.help = help
        self.value = value
        self.repeat = repeat
        self.metavar = metavar
        self.choices = choices
        self.default = (
            ([] if repeat else (False if not value else None)) if default is None else default
        )
        self.dest = dest or flags[-1].lstrip("-").replace("-", "_")


class Pos:
    """A positional argument; ``optional`` ones may be left out, ``many`` takes the rest."""

    __slots__ = ("dest", "help", "many", "metavar", "optional")

    def __init__(
        self,
        dest: str,
        *,
        help: str,
        optional: bool = False,
        many: bool = False,
        metavar: str | None = None,
    ) -> None:
        self.dest = dest
        self.help = help
        self.optional = optional
        self.many = many
        self.metavar = metavar or dest.upper()


class Command:
    """A command (or a group of sub-commands such as ``sessions list``).

    A group whose ``action_optional`` is True also runs on its own (``smtui plugins`` lists);
    its ``args`` apply then.
    """

    __slots__ = ("action_optional", "args", "description", "help", "name", "subcommands")

    def __init__(
        self,
        name: str,
        help: str,
        args: tuple[Opt | Pos, ...] = (),
        *,
        description: str = "",
        subcommands: tuple[Command, ...] = (),
        action_optional: bool = False,
    ) -> None:
        self.name = name
        self.help = help
        self.args = args
        self.description = description or help
        self.subcommands = subcommands
        self.action_optional = action_optional


def _format(*choices: str) -> Opt:
    """``-f/--format`` with these choices, the first being the default."""
    return Opt("-f", "--format", choices=choices, default=choices[0], help="output format")


_AT = Opt("--at", metavar="TIME", help="when it happened: a clock time (09:30) or date-time")
_AGO = Opt("--ago", metavar="DURATION", help="when it happened, as time ago (20m, 1h)")
_YES = Opt("-y", "--yes", value=False, help="do not ask for confirmation")
_PERIOD = Opt(
    "-p",
    "--period",
    choices=("day", "week", "month", "quarter"),
    default="week",
    help="the period to cover (default: week)",
)
_LIST_PERIOD = Opt(
    "-p",
    "--period",
    choices=("day", "week", "month", "quarter", "all"),
    default="week",
    help="the period to list (default: week)",
)
_REPORT_PERIOD = Opt(
    "-p",
    "--period",
    choices=("day", "week", "month", "quarter", "year"),
    default="week",
    help="the period (default: week)",
)
_FROM = Opt(
    "--from", dest="start", metavar="TIME", help="a custom range from this date or date-time"
)
_TO = Opt(
    "--to",
    dest="end",
    metavar="TIME",
    help="the custom range's end: a date (included) or date-time (default: now)",
)
_POST_DAYS = Opt(
    "--days",
    metavar="N",
    default="365",
    help="look at the posts of the last N days (default 365)",
)
_LIST_FORMAT = _format("table", "json", "csv")
_LIMIT = Opt("-n", "--limit", metavar="N", default="20", help="show at most N rows (default 20)")
_TAG = Opt(
    "--tag", repeat=True, metavar="TAG", help="tag the session (repeatable, or comma-separated)"
)
_PLATFORM_OPT = Opt("--platform", metavar="NAME", help="only this platform")
_PLUGINS_LIST = (
    Opt("--all", value=False, help="also show built-in and disabled plugins"),
    _format("table", "json"),
    Opt("--json", value=False, help="the same as -f json"),
)

GLOBAL_OPTIONS: tuple[Opt, ...] = (
    Opt("--db", metavar="PATH", help="database file (default: SMTUI_DB or the user data dir)"),
    Opt(
        "--config",
        metavar="PATH",
        help="config file (default: SMTUI_CONFIG or the user config dir)",
    ),
)

COMMANDS: tuple[Command, ...] = (
    Command(
        "start",
        "start a timed session",
        (
            Pos("platform", help="where: linkedin, x, bluesky, mastodon, youtube, ... or your own"),
            Pos(
                "intent",
                optional=True,
                help="why: prospecting, content, engagement, listening, learning, networking"
                " or free text",
            ),
            Opt(
                "-t",
                "--timebox",
                metavar="DURATION",
                help="stop yourself after this long (25m, 1h)",
            ),
            _TAG,
            Opt("--note", metavar="TEXT", help="a note on the session"),
            _AT,
            _AGO,
        ),
    ),
    Command(
        "stop",
        "stop the running session (no outcome = playtime)",
        (
            Opt(
                "-o",
                "--outcome",
                repeat=True,
                metavar="KIND",
                help="record an outcome of this kind as the session stops (repeatable)",
            ),
            Opt("--note", metavar="TEXT", help="add a note to the session"),
            _AT,
            _AGO,
        ),
    ),
    Command("pause", "pause the running session", (_AT, _AGO)),
    Command("resume", "resume the paused session", (_AT, _AGO)),
    Command("cancel", "drop the running session as if it never happened", ()),
    Command(
        "status",
        "show the running session and today's time",
        (
            Opt(
                "-f",
                "--format",
                choices=("text", "json", "short"),
                default="text",
                help="text, json, or short (one line for a shell prompt or tmux status bar)",
            ),
        ),
    ),
    Command(
        "log",
        "log an outcome of the running session (or another)",
        (
            Pos("kind", help="the outcome kind, e.g. prospect_qualified, moved_off_social, deal"),
            Pos(
                "detail",
                optional=True,
                help="the kind's detail, e.g. a role (referrer) or channel (call)",
            ),
            Opt("-c", "--contact", metavar="WHO", help="the person or handle it concerns"),
            Opt(
                "-v", "--value", metavar="AMOUNT", help="money value (deals), e.g. 1200 or 1200.50"
            ),
            Opt("--currency", metavar="CODE", help="currency of --value (default: [app] currency)"),
            Opt("--note", metavar="TEXT", help="a note"),
            Opt(
                "-s",
                "--session",
                metavar="ID",
                help="attach to this session instead of the running one",
            ),
            Opt("--no-session", value=False, help="log it without a session"),
            Opt("--platform", metavar="NAME", help="platform (default: the session's)"),
            _AT,
            _AGO,
        ),
    ),
    Command(
        "sessions",
        "list, show, add, edit and remove sessions",
        subcommands=(
            Command(
                "list",
                "list sessions, newest first",
                (
                    _LIST_PERIOD,
                    _PLATFORM_OPT,
                    _LIMIT,
                    _LIST_FORMAT,
                ),
            ),
            Command(
                "show",
                "show one session with its pauses and outcomes",
                (
                    Pos("id", help="session id"),
                    _format("text", "json"),
                ),
            ),
            Command(
                "add",
                "record a past session",
                (
                    Pos("platform", help="the platform"),
                    Pos("intent", optional=True, help="the intent"),
                    Opt("--from", dest="start", metavar="TIME", help="when it started (required)"),
                    Opt("--to", dest="end", metavar="TIME", help="when it ended"),
                    Opt(
                        "-d",
                        "--duration",
                        metavar="DURATION",
                        help="how long it lasted (instead of --to)",
                    ),
                    _TAG,
                    Opt("--note", metavar="TEXT", help="a note"),
                ),
            ),
            Command(
                "edit",
                "change a session",
                (
                    Pos("id", help="session id"),
                    Opt("--platform", metavar="NAME", help="new platform"),
                    Opt("--intent", metavar="TEXT", help="new intent"),
                    Opt("--from", dest="start", metavar="TIME", help="new start time"),
                    Opt("--to", dest="end", metavar="TIME", help="new end time"),
                    Opt(
                        "-t",
                        "--timebox",
                        metavar="DURATION",
                        help="new timebox ('none' removes it)",
                    ),
                    Opt("--note", metavar="TEXT", help="new note"),
                    Opt("--tag", repeat=True, metavar="TAG", help="replace the tags (repeatable)"),
                ),
            ),
            Command(
                "rm",
                "delete a session (its outcomes are kept)",
                (Pos("id", help="session id"), _YES),
            ),
        ),
    ),
    Command(
        "outcomes",
        "list and remove outcomes",
        subcommands=(
            Command(
                "list",
                "list outcomes, newest first",
                (
                    _LIST_PERIOD,
                    Opt("-k", "--kind", metavar="KIND", help="only this kind"),
                    _PLATFORM_OPT,
                    _LIMIT,
                    _LIST_FORMAT,
                ),
            ),
            Command("rm", "delete an outcome", (Pos("id", help="outcome id"), _YES)),
        ),
    ),
    Command(
        "goals",
        "add, list, show and remove goals",
        (_format("table", "json"),),
        description="List the goals with their progress, pace and streaks (the default), or"
        " add, show and remove them.",
        action_optional=True,
        subcommands=(
            Command(
                "add",
                "add a goal",
                (
                    Pos("name", help='a name, e.g. "5 qualified prospects a week"'),
                    Opt(
                        "-m",
                        "--measure",
                        metavar="MEASURE",
                        help="time_total, productive_time, playtime, outcomes, posts, post_metric,"
                        " engagement_rate, followers_gained or revenue",
                    ),
                    Opt("-t", "--target", metavar="VALUE", help="the target: 5, 6h, 2%%, 3000"),
                    Opt(
                        "-s",
                        "--subject",
                        metavar="NAME",
                        help="outcome kind (measure outcomes) or metric (measure post_metric)",
                    ),
                    _PERIOD,
                    Opt(
                        "--at-most",
                        value=False,
                        help="the target is a ceiling (e.g. a scroll budget)",
                    ),
                    Opt("--platform", metavar="NAME", help="only count this platform"),
                ),
            ),
            Command(
                "list",
                "list goals with progress and pace",
                (_format("table", "json"),),
            ),
            Command(
                "show",
                "show one goal with its progress",
                (
                    Pos("id", help="goal id"),
                    _format("text", "json"),
                ),
            ),
            Command("rm", "delete a goal", (Pos("id", help="goal id"), _YES)),
        ),
    ),
    Command(
        "report",
        "a report for a day, week, month, quarter or year; analytics of your posts and time",
        (
            _REPORT_PERIOD,
            Opt("--at", metavar="DATE", help="a date inside the period (default: today)"),
            _FROM,
            _TO,
            _format("table", "json", "csv", "md"),
            Opt(
                "-s",
                "--strategy",
                metavar="NAME",
                help="scoring strategy (default: [app] default_strategy)",
            ),
        ),
        description="A report of where the time went and what it achieved (the default), or"
        " one of the analytics below.",
        action_optional=True,
        subcommands=(
            Command(
                "best-times",
                "engagement rate by weekday and hour of your posts, in your time zone",
                (
                    _PLATFORM_OPT,
                    _POST_DAYS,
                    _FROM,
                    _TO,
                    Opt(
                        "--min-posts",
                        metavar="N",
                        help="fewer posts than this in a cell show as unknown (default 3)",
                    ),
                    _format("table", "json", "csv"),
                ),
            ),
            Command(
                "returns",
                "outcomes and post results per focused hour, by platform and intent",
                (
                    _REPORT_PERIOD,
                    Opt("--at", metavar="DATE", help="a date inside the period"),
                    _FROM,
                    _TO,
                    _format("table", "json", "csv"),
                ),
            ),
            Command(
                "content",
                "how posts perform by length, link, hashtags, media and weekday",
                (
                    _PLATFORM_OPT,
                    _POST_DAYS,
                    _FROM,
                    _TO,
                    _format("table", "json", "csv"),
                ),
            ),
        ),
    ),
    Command(
        "score",
        "rate the time spent with a scoring strategy",
        (
            Opt(
                "-s",
                "--strategy",
                metavar="NAME",
                help="scoring strategy (default: [app] default_strategy)",
            ),
            Opt(
                "-p",
                "--period",
                choices=("session", "day", "week", "month", "quarter", "year"),
                help="what to score: the last session, or a period (default: day)",
            ),
            Opt("--session", metavar="ID", help="score this session"),
            Opt("--day", value=False, help="score the day (today, or the day of --at)"),
            Opt("--week", value=False, help="score the week"),
            Opt("--month", value=False, help="score the month"),
            _FROM,
            _TO,
            Opt("--at", metavar="DATE", help="a date inside the period (default: today)"),
            _format("text", "json"),
            Opt("--list", value=False, help="list the available strategies and their options"),
        ),
    ),
    Command(
        "import",
        "import platform analytics exports",
        (
            Pos("paths", many=True, optional=True, metavar="PATH", help="files or folders"),
            Opt(
                "--formats", value=False, help="list the formats it recognises, with their options"
            ),
            Opt("--source", metavar="NAME", help="the source to use, instead of detecting it"),
            Opt("--dry-run", value=False, help="show what would be imported, write nothing"),
            Opt("--skip-bad-rows", value=False, help="import the good rows and list the bad ones"),
            Opt("--no-progress", value=False, help="draw no progress bar, even on a terminal"),
        ),
    ),
    Command(
        "demo",
        "fill a demo database with 90 realistic days and open the dashboard",
        (
            Opt("--days", metavar="N", default="90", help="how many days of history (default 90)"),
            Opt("--no-open", value=False, help="only fill the database, do not open the dashboard"),
            Opt("--force", value=False, help="replace an existing demo database"),
        ),
    ),
    Command("dashboard", "open the dashboard (the same as running smtui alone)", ()),
    Command(
        "plugins",
        "list, install, uninstall and freeze plugins",
        _PLUGINS_LIST,
        description="List installed plugins and whether they loaded (the default), or install,"
        " uninstall and freeze them with the pip of the Python running smtui.",
        action_optional=True,
        subcommands=(
            Command(
                "install",
                "install plugins with pip",
                (
                    Pos(
                        "names",
                        many=True,
                        metavar="NAME",
                        help="a plugin name (foo means the distribution smtui-foo), smtui-foo,"
                        " a path or a URL; pip options go after --",
                    ),
                    Opt("-U", "--upgrade", value=False, help="upgrade plugins already installed"),
                ),
            ),
            Command(
                "uninstall",
                "uninstall plugins with pip (works even when a plugin is broken)",
                (
                    Pos(
                        "names",
                        many=True,
                        metavar="NAME",
                        help="a plugin (as `smtui plugins` lists it) or its distribution",
                    ),
                    _YES,
                ),
            ),
            Command(
                "freeze",
                "print requirement lines that reinstall the installed plugins (pip install -r)",
                (),
            ),
        ),
    ),
    Command(
        "config",
        "where the config is, what it says, is it valid",
        subcommands=(
            Command("path", "print the config file path", ()),
            Command("show", "print the effective configuration", ()),
            Command("validate", "check the config file", ()),
            Command("init", "write a commented example config (never overwrites)", ()),
        ),
    ),
)

# Commands parsed without argparse: they run many times a day and from shell prompts.
QUICK_COMMANDS = frozenset({"start", "stop", "pause", "resume", "cancel", "status", "log"})

BY_NAME: dict[str, Command] = {command.name: command for command in COMMANDS}
