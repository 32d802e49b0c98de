"""Where smtui keeps its config and data.

Resolution order (first wins):

* database: ``--db PATH``, ``SMTUI_DB``, ``$SMTUI_HOME/smtui.db``, the platform user data dir;
* config:   ``--config PATH``, ``SMTUI_CONFIG``, ``$SMTUI_HOME/config.toml``, the platform user
  config dir.

The platform dirs are platformdirs' ``user_data_dir`` and ``user_config_dir``. On Linux the
answer is computed here with the same XDG rule, because importing platformdirs costs more than
the whole of ``smtui start`` is allowed to; ``tests/test_paths.py`` checks both agree.
"""

from __future__ import annotations

import os
import sys

APP_NAME = "smtui"
DB_FILE = "smtui.db"
DEMO_DB_FILE = "demo.db"
CONFIG_FILE = "config.toml"


def _xdg(env_var: str, fallback: str) -> str | None:
    """The XDG base dir for ``env_var`` as platformdirs computes it on Linux, or None."""
    value = os.environ.get(env_var, "")
    if os.path.isabs(value):
        return os.path.join(value, APP_NAME)
    home = os.environ.get("HOME", "")
    if not os.path.isabs(home):
        return None  # unusual set-up: let platformdirs resolve it
    return os.path.join(home, fallback, APP_NAME)


def user_data_dir() -> str:
    """The platform's per-user data directory for smtui (not created here)."""
    home = os.environ.get("SMTUI_HOME")
    if home:
        return home
    if sys.platform == "linux":
        fast = _xdg("XDG_DATA_HOME", ".local/share")
        if fast is not None:
            return fast
    import platformdirs

    return platformdirs.user_data_dir(APP_NAME, appauthor=False)


def user_config_dir() -> str:
    """The platform's per-user config directory for smtui (not created here)."""
    home = os.environ.get("SMTUI_HOME")
    if home:
        return home
    if sys.platform == "linux":
        fast = _xdg("XDG_CONFIG_HOME", ".config")
        if fast is not None:
            return fast
    import platformdirs

    return platformdirs.user_config_dir(APP_NAME, appauthor=False)


def database_path(explicit: str | None = None) -> str:
    """The database file to use, honouring ``--db`` and ``SMTUI_DB``."""
    return explicit or os.environ.get("SMTUI_DB") or os.path.join(user_data_dir(), DB_FILE)


def demo_database_path() -> str:
    """Where ``smtui demo`` writes unless told otherwise: never the user's real database."""
    return os.path.join(user_data_dir(), DEMO_DB_FILE)


def config_path(explicit: str | None = None) -> str:
    """The config file to read, honouring ``--config`` and ``SMTUI_CONFIG``."""
    return (
        explicit or os.environ.get("SMTUI_CONFIG") or os.path.join(user_config_dir(), CONFIG_FILE)
    )
