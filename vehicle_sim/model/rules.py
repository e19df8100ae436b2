"""Request rules and decisions.

Every driver request (terrain program, ride height, locker, charge limit, charger)
is checked against a table of rules.  A rule carries a machine-readable reason code
for the HMI logic and a human sentence for the message line, so that a refusal can
always say why, and so that the same table can answer "is X available right now?"
without side effects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

ContextT = TypeVar("ContextT")

ACCEPTED = "accepted"
"""Reason code of a plain accepted request."""


@dataclass(frozen=True, slots=True)
class Decision:
    """Outcome of a request: accepted, or refused with a reason code and a sentence."""

    accepted: bool
    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form for the MQTT adapter."""
        return {"accepted": self.accepted, "code": self.code, "message": self.message}


def accept(message: str = "Accepted.", code: str = ACCEPTED) -> Decision:
    """An accepted decision (code 'accepted' unless a more specific one is given)."""
    return Decision(True, code, message)


def refuse(code: str, message: str) -> Decision:
    """A refused decision."""
    return Decision(False, code, message)


@dataclass(frozen=True)
class Rule(Generic[ContextT]):
    """One row of a rules table.

    `violated(ctx)` returns True when the request must be refused.  `message` is a
    str.format template filled from the fields the caller passes to `evaluate`.
    """

    code: str
    message: str
    violated: Callable[[ContextT], bool]


def evaluate(
    rules: Iterable[Rule[ContextT]],
    ctx: ContextT,
    fields: dict[str, Any] | None = None,
    accepted_message: str = "Accepted.",
) -> Decision:
    """Check ctx against the rules in order; the first violated rule refuses."""
    for rule in rules:
        if rule.violated(ctx):
            return refuse(rule.code, rule.message.format(**(fields or {})))
    return accept(accepted_message)


def first_violation(rules: Iterable[Rule[ContextT]], ctx: ContextT) -> str | None:
    """Reason code of the first violated rule, or None if the request would pass."""
    for rule in rules:
        if rule.violated(ctx):
            return rule.code
    return None
