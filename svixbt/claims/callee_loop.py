"""What ends a spawned task whose whole work is one call of a fn of the same file: the callee's
own loop, and every way out of it.

feroxbuster's handlers spawn `async move { handler.start().await }`, and `start` is a `while let
Some(command) = self.receiver.recv().await` loop with a `Command::Exit => break` arm. The thinks
about `initialize` said who holds the handle and nothing of how the task stops (blind read 86:
"the actual stop mechanism goes unmentioned: `Command::Exit`"). The ends are the callee's code,
read the way task_ends.py reads a spawned block's loop: one claim, said only when every way out
of the loop can be said, and when nothing after the loop keeps the task alive.
"""

from __future__ import annotations

import re

from ..codeblock import resolve_refs
from ..facts import Call, ItemFacts
from ..flow import Region
from .core import Claim, FileContext, Proof, codes, make
from .exits import exit_loop, leaves
from .main_call import main_call_of
from .shape import await_name
from .task_ends import LET_HEAD, match_arm

__all__ = ["callee_loop_claims", "callee_item"]


def callee_loop_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """One ``callee_loop_end`` claim per spawn of ``f`` whose task runs one same-file fn with a
    single top-level loop whose ways out can all be said."""
    if f.flow is None:
        return []
    own = [sp for sp in f.spawns if f.own(sp.at_region) and not sp.repeated]
    out: list[Claim] = []
    for sp in own:
        reg = f.flow.regions[sp.region]
        if any(r.kind == "loop" and f.flow.inside(r.id, reg.id) for r in f.flow.regions):
            continue  # the block's own loop is task_ends.py's to say
        call = main_call_of(f, reg)
        if call is None or not call.awaited and reg.kind != "spawn":
            continue
        if any(
            c.awaited and c.src.start > call.src.end and f.flow.inside(c.region, reg.id)
            for c in f.calls
        ):
            continue  # the task waits on more once the call is back
        g = callee_item(ctx, f, call)
        if g is None:
            continue
        c = _loop_end(ctx, g, sp.said, await_name(call))
        if c is not None:
            flags = set(c.flags) | ({"several-spawns"} if len(own) > 1 else set())
            out.append(make(c.kind, f.name, dict(c.slots), [ctx.proof(sp.src), *c.proof], flags))
    return out


def callee_item(ctx: FileContext, f: ItemFacts, call: Call) -> ItemFacts | None:
    """The facts of the one same-file fn ``call`` reaches, by the references the code block
    resolves (`handler.start()` on a `Self::new(..)` local), else None."""
    refs = resolve_refs(ctx.fs, f.index)
    hits = [
        i
        for i in refs.items
        if ctx.fs.items[i].kind == "fn" and ctx.fs.items[i].name == call.name and i in ctx.facts
    ]
    if len(hits) != 1:
        return None
    g = ctx.facts[hits[0]]
    return g if g.flow is not None and g.index != f.index else None


def _loop_end(ctx: FileContext, g: ItemFacts, mech: str, callee: str) -> Claim | None:
    assert g.flow is not None
    fl = g.flow
    top = fl.regions[0]
    loops = [r for r in fl.regions if r.kind == "loop" and r.parent == top.id]
    if len(loops) != 1 or loops[0].keyword not in ("while", "loop"):
        return None
    loop = loops[0]
    if _tail_waits(g, loop) or _ends_before(g, loop):
        return None
    slots: dict[str, str] = {"mech": mech, "callee": callee}
    flags: set[str] = set()
    proofs: list[Proof] = []
    if loop.keyword == "while":
        m = LET_HEAD.fullmatch(loop.head)
        if m:
            slots["pattern"], slots["expr"] = m.group(1), m.group(2)
            flags.add("while-let")
            if re.search(r"\.recv\(\)\s*\.await$", m.group(2)) and m.group(1).startswith("Some("):
                flags.add("recv")
        else:
            return None  # a `while` condition: not said here yet
        proofs.append(ctx.proof(ctx.region_src(g, loop)))
    else:
        flags.add("loop")
    arms: list[str] = []
    scrutinee = ""
    for e in g.exits:
        if not fl.inside(e.region, loop.id) or fl.task_of(e.region).id != top.id:
            continue
        if e.kind == "continue" or not leaves(g, e, loop.id):
            continue
        if e.kind == "break" and exit_loop(g, e) is not loop:
            continue
        if e.kind in ("question", "ensure"):
            flags.add("errors")
            continue
        if e.kind not in ("break", "return") or "!" in e.expr:
            return None  # a process exit, a `bail!`: not an end this sentence can hold
        arm = match_arm(g, e.region, loop)
        if arm is not None and (not scrutinee or scrutinee == arm[3]):
            scrutinee = arm[3]
            arms.append(arm[2])
        else:
            return None  # an end no sentence here can say: none are said
        proofs.append(ctx.proof(e.src))
    if arms:
        slots["exit_arms"], slots["scrutinee"] = codes(*dict.fromkeys(arms)), scrutinee
        flags.add("arms")
    if loop.keyword == "loop" and not arms:
        return None  # endless but for errors: task_lifetime.py's endless callee says that
    if not proofs:
        return None
    return make("callee_loop_end", g.name, slots, proofs, flags)


def _tail_waits(g: ItemFacts, loop: Region) -> bool:
    """Whether the callee awaits anything once its loop is over: the task would not end
    there."""
    assert g.flow is not None
    end = g.flow.end_of(loop)
    return any(c.awaited and c.src.start >= end for c in g.calls)


def _ends_before(g: ItemFacts, loop: Region) -> bool:
    """Whether the callee can end before its loop starts (a `?` on opening a file, a `return`):
    the loop's ways out would then read as all of the task's (hyperqueue's `stream_writer`
    creates its file with `?` first)."""
    assert g.flow is not None
    fl = g.flow
    start = fl.scan.starts[loop.start_tok] if loop.start_tok >= 0 else fl.end_of(loop)
    top = fl.regions[0].id
    return any(
        e.src.start < start and e.kind != "continue" and fl.task_of(e.region).id == top
        for e in g.exits
    )
