"""A wait that grows by a factor after each failure until a limit makes the next failure give
up: `let mut backoff = 1;` .. `if backoff > 64 { return Err(..) }` .. `sleep(from_secs(backoff))`
.. `backoff *= 2;`. The waits it takes, their sum, and the attempt that gives up are worked out
from the code, not from its doc comment.

mini-redis' `Listener::accept` waits 1, 2, 4 .. 64 seconds (seven waits, 127 seconds) and
returns the error on the eighth failure; its request said "pause for `Duration::from_secs`
between rounds" (held-out read 54).
"""

from __future__ import annotations

import re

from ..facts import ItemFacts
from ..values import human_duration
from .blocks import ORDINALS
from .core import Claim, FileContext, make
from .pause_switch import var_sleeps
from .retry import only_after_error

__all__ = ["give_up_claims"]

_LIMIT = re.compile(r"(\w+)\s*(>=|>)\s*(\d+)")
_MAX_WAITS = 40  # a schedule longer than this is not spelled out (and a bad reading)


def give_up_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    if f.flow is None:
        return []
    fl = f.flow
    out: list[Claim] = []
    for w, loop, unit, var in var_sleeps(f):
        grow = [
            u
            for u in f.updates
            if u.var == var and fl.inside(u.region, loop.id) and u.src.start > w.src.end
        ]
        g = re.fullmatch(r"\*=\s*(\d+)", grow[0].value) if len(grow) == 1 else None
        init = [a for a in f.assigns if a.is_let and a.var == var and a.src.end < w.src.start]
        first = init[-1].value.strip() if init else ""
        if g is None or not first.isdigit() or fl.conditions(grow[0].region, stop=loop.id):
            continue
        limit = _limit(f, loop.id, var, w.src.start)
        if limit is None or not only_after_error(f, loop, w.src.start):
            continue
        op, bound, region = limit
        factor, x = int(g.group(1)), int(first)
        waits: list[int] = []
        while not (x > bound if op == ">" else x >= bound) and len(waits) <= _MAX_WAITS:
            waits.append(x)
            x *= factor
        if factor < 2 or not waits or len(waits) > _MAX_WAITS:
            continue
        slots = {
            "var": var,
            "factor": str(factor),
            "first": human_duration(waits[0] * unit),
            "last": human_duration(waits[-1] * unit),
            "count": str(len(waits)),
            "total": human_duration(sum(waits) * unit),
            "attempts": str(len(waits) + 1),
            "nth": _nth(len(waits) + 1),
            "cond": f"{var} {op} {bound}",
        }
        proof = [
            ctx.proof(w.src),
            ctx.proof(grow[0].src),
            ctx.proof(init[-1].src),
            ctx.proof(ctx.region_src(f, region)),
        ]
        out.append(make("give_up_schedule", f.name, slots, proof))
    return out


def _nth(n: int) -> str:
    words = ORDINALS + ("ninth", "tenth", "eleventh", "twelfth")
    return words[n - 1] if n <= len(words) else f"{n}th"


def _limit(f: ItemFacts, loop_id: int, var: str, before: int):  # type: ignore[no-untyped-def]
    """(op, bound, region) of `if var > N { .. return .. }` in the loop, before offset
    ``before``, whose body returns: the check that gives up."""
    assert f.flow is not None
    fl = f.flow
    for r in fl.regions:
        if r.kind != "if" or not fl.inside(r.id, loop_id):
            continue
        m = _LIMIT.fullmatch(r.head.strip())
        if m is None or m.group(1) != var or fl.scan.starts[r.lo] > before:
            continue
        if any(e.kind == "return" and fl.inside(e.region, r.id) for e in f.exits):
            return m.group(2), int(m.group(3)), r
    return None
