"""What `match` arm patterns can match: enough to tell whether an arm after a guarded one
is reached only when that guard was false."""

from __future__ import annotations

import re

__all__ = ["ctors", "may_overlap"]


def ctors(pattern: str) -> list[str]:
    """The constructors a pattern names, outermost first (`Err(FetchOutcome::Pending)` ->
    `Err`, `FetchOutcome::Pending`): where a binding or `_` stands, anything matches."""
    return re.findall(r"\b(?:[A-Za-z_]\w*::)*[A-Z]\w*", pattern)


def may_overlap(a: str, b: str) -> bool:
    """Whether two arm patterns can match one value: one's constructors begin the other's
    (`Err(_)` and `Err(Outcome::Failed(e))` can; `Err(Outcome::Pending)` and
    `Err(Outcome::Failed(e))` cannot: hyperlane's CCIP read, read 63, said the `Failed` arm
    runs only once the pending guard is false). Alternatives are taken to overlap."""
    if "|" in a or "|" in b:
        return True
    x, y = ctors(a), ctors(b)
    n = min(len(x), len(y))
    return x[:n] == y[:n]
