"""What a task still awaits once its pass loop is left: cleanup that a stop has to wait for.

helium's file sink breaks out of its select loop on shutdown and then awaits
`self.cleanup()?`, which closes the current file; its shutdown records said only that the stop
branch does `break`, and a held-out read (25) counted "it should stop right there" misleading
for want of it. Only calls on every path after the loop are said, and only where something
leaves the loop other than a `return`.
"""

from __future__ import annotations

from ..facts import ItemFacts
from .core import Claim, FileContext, make
from .exits import exit_loop, leaves
from .shape import await_name, codes, main_loop

__all__ = ["after_loop_claims"]


def after_loop_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    if f.flow is None:
        return []
    fl = f.flow
    loop = main_loop(f)
    if loop is None or loop.parent != 0 or not f.own(loop.id):
        return []  # a loop under a branch or in a block: what follows is not on every path
    breaks = [e for e in f.exits if e.kind == "break" and exit_loop(f, e) is loop]
    if not breaks and loop.keyword != "while":
        return []  # nothing but a `return` leaves it: the code after it never runs
    end = fl.end_of(loop)
    after = [c for c in f.calls if c.awaited and c.region == 0 and c.src.start >= end]
    if not after:
        return []
    names = list(dict.fromkeys(await_name(c) for c in after))[:3]
    flags = {"question"} if any(c.propagates for c in after) else set()
    proof = [ctx.proof(ctx.region_src(f, loop))] + [ctx.proof(c.src) for c in after]
    slots = {"calls": codes(*names)}
    # A `?` or `return` inside the loop leaves the fn without that cleanup (rathole's UDP pool
    # removes its port entry after the loop; its `?`s skip it: held-out read 41).
    skips = {
        e.kind
        for e in f.exits
        if e.kind in ("question", "return")
        and fl.inside(e.region, loop.id)
        and f.own(e.region)
        and leaves(f, e, fl.regions[0].id)
    }
    if skips:
        said = [w for k, w in (("question", "a `?`"), ("return", "a `return`")) if k in skips]
        slots["skips"] = " or ".join(said)
        flags.add("skipped")
        proof += [
            ctx.proof(e.src) for e in f.exits if e.kind in skips and fl.inside(e.region, loop.id)
        ]
    return [make("after_loop", f.name, slots, proof, flags)]
