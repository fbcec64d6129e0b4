"""What a local name a duration is built from stands for, followed back through its `let`s.

torrust's cleanup job builds its interval as `let interval = config.inactive_peer_cleanup_interval;`
then `let interval = Duration::from_secs(interval);` then `interval(interval)`: "an interval
built from `interval`" told a reader nothing the code did not hide. Each `let` is looked up where
the name is used (the last `let` of that name before it, in the same block or one around it),
so a name shadowed on the way is followed to the binding in force at that point.
"""

from __future__ import annotations

import re

from ..fact_types import Assign, ItemFacts
from ..values import DURATION_UNITS

__all__ = ["bound_source"]

# `Duration::from_secs(x)` and its kin (``values.DURATION_UNITS``), with or without a path.
_FROM_UNIT = re.compile(
    r"(?:(?:std|core|tokio)\s*::\s*time\s*::\s*)?Duration\s*::\s*(?:"
    + "|".join(sorted(DURATION_UNITS, key=len, reverse=True))
    + r")\s*\(\s*(\w+)\s*,?\s*\)"
)
# A plain field path (`config.inactive_peer_cleanup_interval`, `self.cfg.period`): what a reader
# can look up in the config; no calls, no arithmetic.
_FIELD_PATH = re.compile(r"[a-z_]\w*(?:\s*\.\s*[a-z_]\w*)+")
_MOST_STEPS = 4  # a longer chain of lets is no longer "what it is built from" at a glance


def bound_source(f: ItemFacts, name: str, at: int, region: int) -> str:
    """The field path ``name`` (a local used at byte ``at`` in ``region``) was bound from,
    through `let`s that pass it on or wrap it in `Duration::from_*`; "" when the chain ends
    anywhere else (a call, arithmetic, a parameter)."""
    if f.flow is None:
        return ""
    current = name.strip()
    pos, rid = at, region
    for _ in range(_MOST_STEPS):
        if not re.fullmatch(r"\w+", current):
            return ""
        bound = _binding(f, current, pos, rid)
        if bound is None:
            return ""
        value = re.sub(r"\s+", "", bound.value) if "." in bound.value else bound.value.strip()
        unit = _FROM_UNIT.fullmatch(bound.value.strip())
        if unit is not None:
            current, pos, rid = unit.group(1), bound.src.start, bound.region
            continue
        if _FIELD_PATH.fullmatch(bound.value.strip()):
            return value
        if re.fullmatch(r"\w+", bound.value.strip()):
            current, pos, rid = bound.value.strip(), bound.src.start, bound.region
            continue
        return ""
    return ""


def _binding(f: ItemFacts, name: str, at: int, region: int) -> Assign | None:
    """The `let name = ..` in force at byte ``at``: the last one before it in ``region`` or a
    region around it. A plain assignment to the name after that `let` makes it unknown."""
    assert f.flow is not None
    around = {r.id for r in f.flow.chain(region)}
    lets = [
        a
        for a in f.assigns
        if a.var == name and a.src.end <= at and a.region in around and a.is_let
    ]
    if not lets:
        return None
    last = max(lets, key=lambda a: a.src.start)
    if any(a.var == name and not a.is_let and last.src.start < a.src.start < at for a in f.assigns):
        return None
    return last
