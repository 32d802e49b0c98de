"""The built-in outcome vocabulary (seeds 000 and 003), registered like any plugin's kinds."""

from __future__ import annotations

from smtui.api import OutcomeKind, hookimpl
from smtui.core.kinds import BUILTIN_KINDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable


@hookimpl
def register_outcome_kinds(register: Callable[[OutcomeKind], None]) -> None:
    for kind in BUILTIN_KINDS.values():
        register(kind)
