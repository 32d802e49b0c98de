"""The outcome vocabulary: what a session can achieve.

The built-in kinds follow the productivity checklist of the product brief (seed 000) and the
two goals every social effort needs (seed 003): moving connections off social, and revenue.
They are registered through the ``register_outcome_kinds`` hook like any plugin's kinds
(:mod:`smtui.builtins.outcome_kinds`); the table lives here, free of pluggy, so that
``smtui log`` can validate a built-in kind without loading plugins.
"""

from __future__ import annotations


class OutcomeKind:
    """One kind of outcome.

    ``details`` lists the allowed values of the outcome's detail (a role, a channel, ...); an
    empty tuple means free text. ``takes_money`` marks kinds that carry a value (deals).
    ``weight`` is the default number of points in the ``outcomes`` scoring strategy.
    """

    __slots__ = ("description", "details", "label", "name", "question", "takes_money", "weight")

    def __init__(
        self,
        name: str,
        label: str,
        question: str,
        *,
        details: tuple[str, ...] = (),
        takes_money: bool = False,
        weight: float = 1.0,
        description: str = "",
    ) -> None:
        self.name = name
        self.label = label
        self.question = question
        self.details = details
        self.takes_money = takes_money
        self.weight = weight
        self.description = description

    def __repr__(self) -> str:
        return f"OutcomeKind({self.name!r})"


BUILTIN_KINDS: dict[str, OutcomeKind] = {
    kind.name: kind
    for kind in (
        OutcomeKind(
            "prospect_identified",
            "Prospect identified",
            "Identified a legitimately targeted sales prospect",
            weight=2,
        ),
        OutcomeKind(
            "prospect_qualified",
            "Prospect qualified",
            "Qualified a sales prospect",
            weight=3,
        ),
        OutcomeKind(
            "expertise_shown",
            "Expertise shown",
            "Showed expertise that may benefit me later",
            weight=1,
        ),
        OutcomeKind(
            "contact_found",
            "Contact found",
            "Found a potential employee, partner, supplier, customer, referrer or teacher",
            details=("employee", "partner", "supplier", "customer", "referrer", "teacher"),
            weight=2,
        ),
        OutcomeKind(
            "opportunity_found",
            "Opportunity found",
            "Opened a speaking, publishing or guest-post door, or help for someone I know",
            details=("speaking", "publishing", "guest_post", "help"),
            weight=3,
        ),
        OutcomeKind(
            "ally_promoted",
            "Ally promoted",
            "Promoted an ally",
            weight=1,
        ),
        OutcomeKind(
            "trust_built",
            "Trust built",
            "Built trust with someone who matters to the business",
            weight=1,
        ),
        OutcomeKind(
            "moved_off_social",
            "Moved off social",
            "Moved a conversation off social: email, call, meeting or visit",
            details=("email", "call", "meeting", "visit"),
            weight=5,
        ),
        OutcomeKind(
            "lead",
            "Lead",
            "Got a lead",
            weight=5,
        ),
        OutcomeKind(
            "deal",
            "Deal",
            "Closed a deal (revenue)",
            takes_money=True,
            weight=10,
        ),
    )
}


def closest(name: str, candidates: list[str] | tuple[str, ...] | set[str]) -> str | None:
    """The candidate most like ``name`` (for did-you-mean messages), or None."""
    import difflib

    matches = difflib.get_close_matches(name, sorted(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def resolve_kind(name: str, kinds: dict[str, OutcomeKind]) -> OutcomeKind:
    """The kind meant by ``name``: exact, then spaces and dashes as ``_``, then a unique prefix
    or a unique part of a name.

    ``smtui log moved`` is enough for ``moved_off_social``; an unknown or ambiguous name is a
    :class:`UsageError` with the closest match and the list of kinds.
    """
    from smtui.errors import UsageError

    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    if key in kinds:
        return kinds[key]
    matches = [kind for kind in kinds if kind.startswith(key)] if key else []
    if not matches and len(key) >= 3:
        matches = [kind for kind in kinds if key in kind]
    if len(matches) == 1:
        return kinds[matches[0]]
    if len(matches) > 1:
        raise UsageError(
            f"outcome kind {name!r} is ambiguous", "could be " + ", ".join(sorted(matches))
        )
    guess = closest(key, list(kinds))
    hint = f"did you mean {guess!r}? " if guess else ""
    raise UsageError(f"unknown outcome kind {name!r}", hint + "known: " + ", ".join(sorted(kinds)))
