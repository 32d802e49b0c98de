"""The Textual dashboard.

Nothing outside this package imports Textual, and this package's ``__init__`` does not either:
``smtui.tui.data`` (what the panels show) stays importable without it, and the command line
imports :mod:`smtui.tui.app` only to open the dashboard.
"""
