"""Where code sits in an item: its own loops, the main one, and the conditions and match arm a
region runs under. Shared by every claim builder."""

from __future__ import annotations

import re

from ..facts import ItemFacts
from ..flow import Region
from .core import LIST_SEP, NOT

__all__ = ["codes", "own_loops", "main_loop", "guard_of", "SHUTDOWN_WORD", "CANCEL_FUTURE"]

SHUTDOWN_WORD = re.compile(r"(?i)shut_?down|shutting_down|cancel|terminat|stop")
CANCEL_FUTURE = re.compile(r"(?i)cancelled|shut_?down|shutting_down|ctrl_c|terminate|stop")


def codes(*values: str) -> str:
    """A list slot: code spans joined for the renderer."""
    return LIST_SEP.join(v for v in values if v)


def own_loops(f: ItemFacts) -> list[Region]:
    """Loops that run in the item's own task, outermost first."""
    return [r for r in f.loops() if f.own(r.id)]


def main_loop(f: ItemFacts) -> Region | None:
    """The outermost loop of the item's own task that waits or awaits: the task's pass loop."""
    assert f.flow is not None
    for r in own_loops(f):
        if f.flow.loop_of(r.parent or 0) is not None:
            continue
        if any(f.flow.inside(w.region, r.id) for w in f.waits) or any(
            c.awaited and f.flow.inside(c.region, r.id) for c in f.calls
        ):
            return r
    return None


def guard_of(f: ItemFacts, rid: int, stop: int | None = None) -> tuple[list[str], str, bool]:
    """Conditions a region runs under (outermost first), the `match` arm it sits in, and whether
    any condition is the `else` of an `if` (then the list is not a plain conjunction)."""
    assert f.flow is not None
    conds: list[str] = []
    arm = ""
    negated = False
    for r in f.flow.conditions(rid, stop):
        if r.kind == "select-handler":
            continue  # a select branch is said with its select, not as a pattern
        if r.kind == "if" and r.head.startswith("let Err(") and not arm:
            # `if let Err(e) = call` is an error branch, said like a match arm on `Err(e)`.
            arm = r.head[4:].split("=", 1)[0].strip()
        elif r.kind == "if":
            conds.insert(0, r.head)
        elif r.kind == "arm" and not arm:
            arm = r.head
        elif r.kind == "let-else" or r.kind == "else" and not r.after:
            negated = True
        if r.kind in ("if", "else") and r.after:
            # `else if c` / `else`: every earlier condition of the chain was false.
            conds[0:0] = [NOT + c for c in r.after]
    return conds, arm, negated
