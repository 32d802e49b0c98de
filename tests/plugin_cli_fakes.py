"""Fake plugins for the tests of ``smtui plugins``, time limits and the Plugins screen.

Distributions are written with :class:`tests.test_plugins.Site` (real ``.dist-info``
metadata), so the same plugins are seen in-process, through the patched ``entry_points``, and
by a child process that has the folder on its ``PYTHONPATH``.
"""

from __future__ import annotations

import importlib.metadata
import sys
from typing import TYPE_CHECKING

from smtui import plugins

from .test_plugins import Site

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    import pytest

__all__ = ["BROKEN", "GOOD", "Site", "dist_info", "isolated_site"]


def dist_info(root: Path, dist: str, version: str = "1.0") -> Path:
    """The ``.dist-info`` folder :meth:`Site.install` wrote for ``dist``."""
    return root / f"{dist.replace('-', '_')}-{version}.dist-info"


def isolated_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """Body of a ``site`` fixture: only the plugins a test installs are visible in-process,
    the registry starts empty, and the plugin modules are forgotten afterwards."""
    root = tmp_path / "site"
    root.mkdir()
    site = Site(root)
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.setattr(importlib.metadata, "entry_points", site.entry_points)
    plugins.reset_registry()
    yield site
    plugins.reset_registry()
    for name in site.modules:
        sys.modules.pop(name, None)


GOOD = """
    from smtui import api

    class Newsletter(api.ScoringStrategy):
        name = "newsletter"

    @api.hookimpl
    def register_scorers(register):
        register(Newsletter)
"""

# Leaves a mark when imported (if told where), then fails: "was it imported at all?"
BROKEN = """
    import os, pathlib
    marker = os.environ.get("FAKE_PLUGIN_IMPORT_MARKER")
    if marker:
        pathlib.Path(marker).write_text("imported")
    raise RuntimeError("broken at import")
"""
