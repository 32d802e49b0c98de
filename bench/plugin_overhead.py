"""What installed plugins cost the everyday commands: ``smtui status`` with 10 no-op plugins
installed versus none, side by side (target: under 15 ms more), and ``smtui plugins``, which
imports every plugin by design.

The plugins are real installed distributions: a folder on ``PYTHONPATH`` holding, for each,
a module and its ``.dist-info`` (``METADATA`` and ``entry_points.txt`` in the ``smtui`` group),
exactly what pip leaves in site-packages.

    python bench/plugin_overhead.py [--quick] [--runs N] [--plugins N]
"""

from __future__ import annotations

import argparse
import compileall
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from _common import compile_bytecode, print_table, smtui_command, summarise, time_runs

TARGET_MS = 15.0

PLUGIN_MODULE = '''"""A plugin that adds nothing: what loading any plugin costs, and no more."""

from smtui import api


@api.hookimpl
def register_outcome_kinds(register):
    """Registers nothing."""
'''


def write_plugins(root: str, count: int) -> None:
    """``count`` installed no-op plugin distributions ``smtui-noop-N`` in ``root``."""
    for index in range(count):
        module = f"smtui_noop_{index}"
        with open(os.path.join(root, f"{module}.py"), "w", encoding="utf-8") as file:
            file.write(PLUGIN_MODULE)
        info = os.path.join(root, f"{module}-1.0.dist-info")
        os.mkdir(info)
        with open(os.path.join(info, "METADATA"), "w", encoding="utf-8") as file:
            file.write(f"Metadata-Version: 2.1\nName: smtui-noop-{index}\nVersion: 1.0\n")
        with open(os.path.join(info, "entry_points.txt"), "w", encoding="utf-8") as file:
            file.write(f"[smtui]\nnoop{index} = {module}\n")
    compileall.compile_dir(root, quiet=1)


def environment(plugins_dir: str | None) -> dict[str, str]:
    """A fresh smtui home with a database, and the plugins folder on the path if given."""
    home = tempfile.mkdtemp(prefix="smtui-bench-home-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMTUI_")}
    env["SMTUI_HOME"] = home
    paths = [plugins_dir] if plugins_dir else []
    if os.environ.get("PYTHONPATH"):
        paths.append(os.environ["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    if not paths:
        del env["PYTHONPATH"]
    return env


def check_loaded(smtui: list[str], env: dict[str, str], count: int) -> None:
    """Refuse to time anything unless every no-op plugin really loads."""
    result = subprocess.run(
        [*smtui, "plugins", "--json"], env=env, capture_output=True, text=True, check=True
    )
    loaded = result.stdout.count('"status": "ok"')
    if loaded != count:
        raise SystemExit(f"expected {count} plugins to load, `smtui plugins` says:\n{result}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs (a few seconds)")
    parser.add_argument("--runs", type=int, default=0, help="runs per measurement")
    parser.add_argument("--plugins", type=int, default=10, help="how many plugins (default 10)")
    opts = parser.parse_args()
    runs = opts.runs or (10 if opts.quick else 40)
    compile_bytecode()
    smtui = smtui_command()
    plugins_dir = tempfile.mkdtemp(prefix="smtui-bench-plugins-")
    write_plugins(plugins_dir, opts.plugins)
    bare, loaded = environment(None), environment(plugins_dir)
    for env in (bare, loaded):
        subprocess.run([*smtui, "status"], env=env, check=True, stdout=subprocess.DEVNULL)
    check_loaded(smtui, bare, 0)
    check_loaded(smtui, loaded, opts.plugins)

    rows = []
    overheads = []
    label = f"{opts.plugins} plugins"
    for command, target in ((["status"], f"< +{TARGET_MS:g} ms"), (["plugins"], "-")):
        none: list[float] = []
        some: list[float] = []
        for _ in range(runs):  # interleaved, so a busy moment hits both sides alike
            none += time_runs(lambda _, c=command: [*smtui, *c], 1, bare)
            some += time_runs(lambda _, c=command: [*smtui, *c], 1, loaded)
        name = f"smtui {' '.join(command)}"
        base = summarise(none)[0]
        rows += [
            (f"{name} (no plugins)", none, None, "-"),
            (f"{name} ({label})", some, base, target),
        ]
        overheads.append((name, base, summarise(some)[0]))
    print_table(f"Plugin overhead ({runs} runs each, wall time per process)", rows)

    print(f"\n{'command':16} {'no plugins':>11} {label:>12} {'overhead':>10}")
    for name, base, with_plugins in overheads:
        print(f"{name:16} {base:9.1f}ms {with_plugins:10.1f}ms {with_plugins - base:+8.1f}ms")
    status_overhead = overheads[0][2] - overheads[0][1]
    verdict = "within" if status_overhead < TARGET_MS else "OVER"
    print(f"\nsmtui status: {status_overhead:+.1f} ms with {label},", end=" ")
    print(f"{verdict} the {TARGET_MS:g} ms target")


if __name__ == "__main__":
    main()
