"""A spawned task that is nothing but one sleep: what its handle stands for.

spin's `ReconfigurableWatcher::dummy` spawns `tokio::time::sleep(Duration::MAX)` and hands the
handle back so a caller can wait on it like a real watcher's. The think said only who holds
the handle; that the task never finishes, "the only fact that matters for wiring it into
shutdown", went unsaid (held-out read 86 #8).
"""

from __future__ import annotations

import re

from ..consts import file_consts
from ..facts import ItemFacts
from ..mechanisms import mechanism
from ..values import duration_seconds, expr_tokens, human_duration
from .core import Claim, FileContext, make

__all__ = ["sleep_task_claims"]

# What may wrap the one sleep the task runs: `async move { .. .await }`, `Box::pin(..)`.
_WRAP = re.compile(r"^(?:async\s+(?:move\s+)?\{\s*)?(.*?)(?:\s*\.await\s*;?\s*\})?$", re.S)


def sleep_task_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """One ``sleep_task`` claim per own spawn whose whole future is one sleep of a duration the
    code gives: `Duration::MAX` (flag ``max``), or a value it evaluates (slot ``dur``)."""
    if f.flow is None:
        return []
    out: list[Claim] = []
    for sp in f.spawns:
        if not f.own(sp.at_region) or sp.repeated:
            continue
        reg = f.flow.regions[sp.region]
        body = ctx.fs.scan.text[f.flow.scan.starts[reg.lo] : f.flow.end_of(reg)].strip()
        m = _WRAP.fullmatch(body)
        calls = [
            c
            for c in f.calls
            if c.kind == "fn"
            and f.flow.inside(c.region, sp.region)
            and (mech := mechanism(c.full)) is not None
            and mech.role == "sleep"
            and c.name == "sleep"
        ]
        if m is None or len(calls) != 1 or m.group(1).strip() != calls[0].src.text.strip():
            continue
        c = calls[0]
        arg = c.args[0] if len(c.args) == 1 else ""
        slots = {"mech": sp.said, "sleep_call": c.src.text, "arg": arg}
        flags: set[str] = set()
        if re.fullmatch(r"(?:[\w:]*::)?Duration::MAX", arg.strip()):
            flags.add("max")
        else:
            secs = duration_seconds(expr_tokens(arg), file_consts(ctx.fs)) if arg else None
            if secs is None or secs <= 0:
                continue
            slots["dur"] = human_duration(secs)
        out.append(make("sleep_task", f.name, slots, [ctx.proof(sp.src), ctx.proof(c.src)], flags))
    return out
