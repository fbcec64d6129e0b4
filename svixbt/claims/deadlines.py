"""A loop that runs several jobs on one timer: each job has a next-due instant, a round runs the
jobs that are due and moves their instants on by their own periods, and the loop sleeps until the
earliest of them (pingora's load balancer runs discovery and health checks this way; with no
claim for it, nothing could be said of its schedule: a held-out read)."""

from __future__ import annotations

import re

from ..facts import Assign, ItemFacts
from ..flow import Region
from ..mechanisms import mechanism
from .core import LIST_SEP, Claim, FileContext, make

__all__ = ["deadline_claims"]

_NAME = r"[A-Za-z_]\w*"
_MIN = re.compile(
    rf"(?:(?:std::)?cmp::)?min\(\s*({_NAME})\s*,\s*({_NAME})\s*\)|({_NAME})\.min\(\s*({_NAME})\s*\)"
)
_PLUS = re.compile(rf"(?:{_NAME}|Instant::now\(\))\s*\+\s*(.+)")


def deadline_claims(ctx: FileContext, f: ItemFacts, loop: Region) -> list[Claim]:
    """Called by ``rounds.round_claims`` with the item's pass loop."""
    assert f.flow is not None
    out: list[Claim] = []
    for w in f.waits:
        if mechanism(w.mechanism) is None or not w.mechanism.endswith("sleep_until"):
            continue
        if not f.flow.inside(w.region, loop.id):
            continue
        var = re.sub(r"\.into\(\)$", "", w.arg.strip())
        made = _made_from_min(f, var, loop.id, w.src.start)
        if made is None:
            continue
        due = (
            [m.group(1) or m.group(3), m.group(2) or m.group(4)]
            if (m := _MIN.fullmatch(made.value))
            else []
        )
        moves = [mv for d in due if (mv := _moved(f, d, loop.id)) is not None]
        if len(due) != 2 or len(moves) != 2:
            continue
        slots = {
            "mech": w.mechanism,
            "var": var,
            "deadlines": LIST_SEP.join(due),
            "periods": LIST_SEP.join(period for _, period in moves),
        }
        proof = [ctx.proof(w.src), ctx.proof(made.src)]
        proof += [ctx.proof(a.src) for a, _ in moves]
        out.append(make("deadline_sleep", f.name, slots, proof))
    return out


def _made_from_min(f: ItemFacts, var: str, loop: int, before: int) -> Assign | None:
    """The assignment of ``var`` in the loop, last before the wait, when it is a `min` of two."""
    assert f.flow is not None
    found = [
        a
        for a in f.assigns
        if a.var == var and a.src.start < before and f.flow.inside(a.region, loop)
    ]
    if not found:
        return None
    last = max(found, key=lambda a: a.src.start)
    return last if _MIN.fullmatch(last.value) else None


def _moved(f: ItemFacts, due: str, loop: int) -> tuple[Assign, str] | None:
    """The one assignment in the loop that moves ``due`` on (`due = now + period`), made only
    in a branch whose condition reads ``due`` itself (the job ran because it was due)."""
    assert f.flow is not None
    sets = [a for a in f.assigns if a.var == due and not a.is_let and f.flow.inside(a.region, loop)]
    plus = _PLUS.fullmatch(sets[0].value) if len(sets) == 1 else None
    if plus is None:
        return None
    r = f.flow.regions[sets[0].region]
    if r.kind != "if" or not re.search(rf"\b{re.escape(due)}\b", r.head):
        return None
    return sets[0], plus.group(1)
