"""What a `select!` run once leaves behind when one branch wins: the losing future is dropped,
but the tasks that future spawned are not part of it; and what the fn still awaits after the
race before it returns.

mini-redis's `run` races `server.run()` against the shutdown signal: when the signal wins,
`Listener::run` is dropped where it stands while the connection tasks it started with
`tokio::spawn` keep going, and `run` then awaits `shutdown_complete_rx.recv()` until they are
done. The think said only "the loser is dropped" (blind read 98: "never explains what dropping
`server.run()` means for the spawned connections or the graceful drain").

The losing future's fn is followed only when this file defines it and the call says which: a
free fn by name, or a method on a local built as `Type { .. }` / `Type::new(..)` or a parameter
of that type.
"""

from __future__ import annotations

import re

from ..crate_index import owner_of
from ..facts import Call, ItemFacts
from .core import Claim, FileContext, make
from .premises import of_kind
from .shape import owned_name

__all__ = ["select_loser_claims"]

_CALL = re.compile(r"(?:(\w+)\.)?(\w+)\((?:[^()]|\([^()]*\))*\)")
_BUILT = re.compile(r"([A-Z]\w*)\s*(?:\{|::new\s*\()")
MAX_AFTER = 40  # the awaited call after the race is quoted; a long one is not


def _local_type(f: ItemFacts, name: str) -> str:
    """The file type a local or parameter ``name`` holds, where the code writes it down."""
    for a in f.assigns:
        m = _BUILT.match(a.value)
        if a.is_let and a.var == name and m:
            return m.group(1)
    for p, ty in f.params:
        if p == name:
            m = re.search(r"\b([A-Z]\w*)\b", ty.replace("Arc<", "").replace("&", ""))
            return m.group(1) if m else ""
    return ""


def _callee(ctx: FileContext, f: ItemFacts, future: str) -> ItemFacts | None:
    m = _CALL.fullmatch(future.strip())
    if m is None:
        return None
    recv, name = m.group(1), m.group(2)
    if recv is None:
        return ctx.local_fn(name)
    type_ = _local_type(f, recv)
    if not type_:
        return None
    found = [g for g in ctx.fns_named(name) if owner_of(ctx.fs, g.index) == type_]
    return found[0] if len(found) == 1 else None


def _after(f: ItemFacts, end_tok: int) -> Call | None:
    """The first call the fn awaits after the race, outside any loop or branch, with no way
    out of the fn between the race and it."""
    assert f.flow is not None
    root = f.flow.regions[0].id if f.flow.regions else -1
    for c in sorted(f.calls, key=lambda c: c.tok):
        if c.tok <= end_tok or not c.awaited or c.region != root:
            continue
        exits = [e for e in f.exits if f.flow.scan.starts[end_tok] < e.src.start < c.src.start]
        if exits or len(_said(c)) > MAX_AFTER:
            return None
        return c
    return None


def _said(c: Call) -> str:
    """A call as a reader names it: a method with its receiver (`rx.recv()`), when plain."""
    if c.kind == "method" and re.fullmatch(r"[\w.]+", c.receiver):
        return f"{c.receiver}.{c.src.text}"
    return c.src.text


def select_loser_claims(ctx: FileContext, idx: int, own: list[Claim]) -> list[Claim]:
    f = ctx.facts[idx]
    if f.flow is None:
        return []
    out: list[Claim] = []
    for sel in of_kind(own, "select"):
        if "in-loop" in sel.flags or "multi" not in sel.flags:
            continue
        futures = sel.get("futures").split("\x1f")
        handlers = [r for r in f.flow.regions if r.kind == "select-handler" and r.detail]
        handlers = [h for h in handlers if h.detail in futures]
        if len(handlers) != len(futures):
            continue
        end = max(h.hi for h in handlers)
        after = _after(f, end)
        for fut in futures:
            callee = _callee(ctx, f, fut)
            if callee is None or callee.index == idx:
                continue
            spawned = [
                s for s in callee.spawns if s.handle == "dropped" and callee.own(s.at_region)
            ]
            if not spawned:
                continue
            slots = {
                "future": fut,
                "callee": owned_name(ctx, callee),
                "mech": spawned[0].said,
            }
            others = [x for x in futures if x != fut]
            flags = {"two"} if len(others) == 1 else set()
            if len(others) == 1:
                slots["other"] = others[0]
            proof = [*sel.proof, ctx.proof(spawned[0].src)]
            if after is not None:
                slots["after_call"] = _said(after)
                flags.add("awaits-after")
                proof.append(ctx.proof(after.src))
            out.append(make("loser_spawns", f.name, slots, proof, flags))
    return out
