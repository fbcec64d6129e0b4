"""A crate fn returning a `Result` handed to a spawn whose handle is dropped: the task's output
is that `Result`, and with the handle gone nobody can look at it, so an `Err` from the fn is
neither logged nor handed up here.

parseable's `Server::init` runs `tokio::spawn(handlers::airplane::server())` and drops the
handle; the server's `Result` (a bind failure, say) went unmentioned, and the think said only
"the handle is dropped, so it runs as its own task" (a held-out read: "which errors get
swallowed" was what a reader wanted).
"""

from __future__ import annotations

from ..facts import ItemFacts
from .core import Claim, FileContext, make
from .main_call import main_call_of
from .shape import await_name
from .task_panics import may_fail

__all__ = ["lost_result_claims"]


def lost_result_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    if f.flow is None:
        return []
    out: list[Claim] = []
    for sp in f.spawns:
        if sp.handle != "dropped" or not f.own(sp.at_region):
            continue
        reg = f.flow.regions[sp.region]
        c = main_call_of(f, reg)
        # The spawned future is the call itself (`spawn(server())`), so its output is the
        # task's: a block around it may do anything with the value first.
        if c is None or c.src.start != f.flow.scan.starts[reg.lo] or c.close_tok != reg.hi - 1:
            continue
        if not may_fail(ctx, f, c):
            continue
        slots = {"mech": sp.said, "runs": await_name(c)}
        flags = {"repeated"} if sp.repeated else set()
        out.append(make("lost_result", f.name, slots, [ctx.proof(sp.src)], flags))
    return out
