"""smtui's own features written as plugins.

Each module here is listed in :data:`smtui.plugins.DEFAULT_PLUGINS` and registers what it adds
through the same hooks a third-party plugin uses, written against :mod:`smtui.api` only, so
the plugin interface is exercised by every run and every test.
"""
