"""Allow ``python -m smtui``."""

from smtui.cli import main

raise SystemExit(main())
