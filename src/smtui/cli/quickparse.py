"""A small parser for the everyday commands, driven by :mod:`smtui.cli.spec`.

It handles the usual forms (``--opt value``, ``--opt=value``, ``-o value``, flags, repeats,
``--``). Anything else (help, a typo, a wrong choice) raises :class:`Fallback`, and the full
argparse parser takes over to print its precise message: the fast path never has to be clever.
"""

from __future__ import annotations

from smtui.cli.spec import BY_NAME, GLOBAL_OPTIONS, Command, Opt, Pos


class Fallback(Exception):
    """The arguments need the full parser."""


def _option_table(options: tuple[Opt, ...]) -> dict[str, Opt]:
    return {flag: option for option in options for flag in option.flags}


def parse(argv: list[str]) -> dict[str, object]:
    """Parse ``argv`` for a quick command (or none: the dashboard) into a dict of
    destinations, or raise Fallback."""
    values: dict[str, object] = {o.dest: o.default for o in GLOBAL_OPTIONS}
    globals_table = _option_table(GLOBAL_OPTIONS)
    index = 0
    while index < len(argv) and argv[index].startswith("-"):
        index = _take_option(argv, index, globals_table, values)
    if index >= len(argv):  # no command: the dashboard
        values["command"] = values["subcommand"] = None
        return values
    command = BY_NAME.get(argv[index])
    if command is None or command.subcommands:
        raise Fallback
    values["command"] = command.name
    values["subcommand"] = None
    _parse_command(command, argv[index + 1 :], values, globals_table)
    return values


def _parse_command(
    command: Command, argv: list[str], values: dict[str, object], globals_table: dict[str, Opt]
) -> None:
    options = tuple(arg for arg in command.args if isinstance(arg, Opt))
    positionals = [arg for arg in command.args if isinstance(arg, Pos)]
    table = {**globals_table, **_option_table(options)}  # --db may come after the command too
    for option in options:
        values[option.dest] = list(option.default) if option.repeat else option.default  # type: ignore[call-overload]
    words: list[str] = []
    index = 0
    while index < len(argv):
        token = argv[index]
        if token == "--":
            words.extend(argv[index + 1 :])
            break
        if token.startswith("-") and token != "-" and not _is_number(token):
            index = _take_option(argv, index, table, values)
            continue
        words.append(token)
        index += 1
    _assign_positionals(positionals, words, values)


def _take_option(
    argv: list[str], index: int, table: dict[str, Opt], values: dict[str, object]
) -> int:
    token = argv[index]
    name, has_inline, inline = token.partition("=")
    option = table.get(name)
    if option is None or token in ("-h", "--help"):
        raise Fallback
    if not option.value:
        if has_inline:
            raise Fallback
        values[option.dest] = True
        return index + 1
    if has_inline:
        value = inline
        index += 1
    else:
        if index + 1 >= len(argv) or (
            argv[index + 1].startswith("-") and not _is_number(argv[index + 1])
        ):
            raise Fallback
        value = argv[index + 1]
        index += 2
    if option.choices is not None and value not in option.choices:
        raise Fallback
    if option.repeat:
        current = values.get(option.dest)
        values[option.dest] = [*current, value] if isinstance(current, list) else [value]
    else:
        values[option.dest] = value
    return index


def _assign_positionals(
    positionals: list[Pos], words: list[str], values: dict[str, object]
) -> None:
    required = sum(1 for p in positionals if not p.optional)
    if len(words) < required:
        raise Fallback
    remaining = list(words)
    for position in positionals:
        if position.many:
            if not remaining and not position.optional:
                raise Fallback
            values[position.dest] = remaining
            remaining = []
        elif remaining:
            values[position.dest] = remaining.pop(0)
        else:
            values[position.dest] = None
    if remaining:
        raise Fallback


def _is_number(token: str) -> bool:
    return token[1:].replace(".", "", 1).isdigit()
