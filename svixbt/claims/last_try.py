"""Whether an arm's guard keeps the last pass of a counted `for` out of it.

`for attempt in 1..=MAX { match try().await { Err(e) if attempt < MAX => { sleep(..) }
Err(e) => error!(..) } }`: the guarded arm takes every try but the last, and the arm after it
takes only the last. "A failed last try waits too" and "the loop carries on" were both FALSE of
nativelink's origin-event upload (held-out read 89 #11).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..facts import ItemFacts
from ..flow import Region
from .core import NOT
from .guards import passed_guards

__all__ = ["passed_arm_guards", "spares_last"]

_FOR = re.compile(r"for\s+(\w+)\s+in\s+\(?\s*(.+?)\s*(\.\.=?)\s*(.+?)\s*\)?")


def _norm(code: str) -> str:
    return " ".join(re.sub(r"([<>=+\-])", r" \1 ", code).split()).replace("< =", "<=")


def spares_last(loop_head: str, guard: str) -> bool:
    """Whether ``guard`` (an arm's `if` condition) holds on every pass of the counted loop
    ``loop_head`` but the last: `attempt < MAX` over `1..=MAX`, `i + 1 < n` over `0..n`."""
    m = _FOR.fullmatch(loop_head.strip())
    if m is None:
        return False
    var, _, op, hi = m.groups()
    g = _norm(guard)
    hi = _norm(hi)
    if op == "..=":
        return g in (f"{var} < {hi}", f"{hi} > {var}")
    return g in (f"{var} + 1 < {hi}", f"{var} < {hi} - 1", f"{hi} > {var} + 1")


def last_pass(loop: Region | None, passed: Sequence[str], flags: set[str]) -> None:
    """An arm reached past the arm guards ``passed`` (each false) that is taken only on the
    last pass of counted `for` ``loop``: ``last-pass`` for ``keeps-looping``, since the loop
    does not carry on after it."""
    if loop is None or loop.keyword != "for" or "keeps-looping" not in flags:
        return
    head = f"for {loop.head}"
    # A passed guard is said false: `NOT` + the guard as written.
    if any(g.startswith(NOT) and spares_last(head, g[len(NOT) :]) for g in passed):
        flags.discard("keeps-looping")
        flags.add("last-pass")


def passed_arm_guards(f: ItemFacts, r: Region, flags: set[str], loop: Region | None) -> list[str]:
    """The guards of earlier arms an arm is reached past (each one false), flagged: no row
    that leaves the guard unsaid fits it; ``last-pass`` when that is the counted loop's last."""
    passed = [c for _, _, c in passed_guards(f, r)] if r.kind == "arm" else []
    if passed:
        flags.add("after-guard")
    last_pass(loop, passed, flags)
    return passed
