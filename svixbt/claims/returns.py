"""Claims about how an item returns: its tail value (after a spawn, after its loop) and each
early `return` with the condition, arm or select branch it sits in."""

from __future__ import annotations

import re

from ..facts import ItemFacts
from ..flow import Region
from .core import Claim, FileContext, make
from .shape import SHUTDOWN_WORD, guard_of, put_guard

__all__ = ["return_claims"]


def return_claims(ctx: FileContext, f: ItemFacts, loop: Region | None) -> list[Claim]:
    assert f.flow is not None
    out: list[Claim] = []
    # A body that ends in its loop (`'outer: loop { .. }` in a `-> !` fn) returns nothing a
    # sentence could name.
    tail_is_loop = f.tail is not None and re.match(
        r"(?:'\w+\s*:\s*)?(?:loop|while|for)\b", f.tail.text
    )
    if f.tail is not None and not tail_is_loop:
        flags = {"tail"}
        if " ".join(f.tail.text.split()) == "Ok(())":
            flags.add("ok-unit")
        if any(s.handle == "dropped" and s.src.end <= f.tail.start for s in f.spawns):
            flags.add("after-spawn")
        if (
            loop is not None
            and f.tail.start > ctx.fs.scan.starts[min(loop.hi, len(ctx.fs.scan.starts) - 1)]
        ):
            flags.add("after-loop")
        out.append(
            make("return", f.name, {"expr": f.tail.text.strip()}, [ctx.proof(f.tail)], flags)
        )
    for e in f.exits:
        if e.kind != "return" or not f.own(e.region):
            continue
        conds, arm, negated = guard_of(f, e.region, loop.id if loop else None, e.src.start)
        slots = {"expr": e.expr or "()"}
        flags = {"early"}
        if any(SHUTDOWN_WORD.search(c) for c in conds):
            flags.add("shutdown")  # the way out a cancelled wait takes
        handler = next((r for r in f.flow.chain(e.region) if r.kind == "select-handler"), None)
        if handler is not None:
            flags.add("in-select")  # said with its select branch
            if SHUTDOWN_WORD.search(handler.detail) or "cancel" in handler.detail:
                flags.add("shutdown")
        put_guard(slots, flags, [] if negated else conds, arm)
        flags.discard("err-arm")  # a return in an error arm is said by the return rows as is
        if negated:
            flags.add("negated")
        if loop is not None and f.flow.inside(e.region, loop.id):
            flags.add("in-loop")
            if arm and _only_errors_repeat(f, e.region):
                flags.add("only-errors-repeat")
        out.append(make("return", f.name, slots, [ctx.proof(e.src)], flags))
    return out


def _only_errors_repeat(f: ItemFacts, region: int) -> bool:
    """The return sits in a match arm whose siblings all return too, except `Err` arms: the
    loop goes round again only after an error, so it retries; it does not poll."""
    assert f.flow is not None
    arm = next((r for r in f.flow.chain(region) if r.kind == "arm"), None)
    if arm is None or arm.parent is None:
        return False
    arms = [a for a in f.flow.children(arm.parent) if a.kind == "arm"]
    returning = {
        a.id
        for a in arms
        if any(x.kind == "return" and f.flow.inside(x.region, a.id) for x in f.exits)
    }
    rest = [a for a in arms if a.id not in returning]
    return bool(rest) and all(a.head.startswith("Err") for a in rest)
