"""A task whose handle the fn joins before it returns, where the task's first step is to wait
for a trigger: the fn cannot return before that trigger comes, whatever else ends first.

parseable's HTTP `start` spawns `sync_task`, whose block opens with `shutdown_rx.await`, then
awaits the server and only then `sync_task`: a server that stops on its own leaves `start`
waiting for the shutdown receiver. The think said "`tokio::spawn` starts a task whose handle
this awaits itself further down", which is true and tells nothing (a held-out read).

Said only when the code shows each step: the handle bound by `let`, a later `name.await` in the
fn's own task outside any loop, branch or closure, no `name.abort()`, and the block's first
statement an await of a bare name or of `.recv()` / `.notified()` / `.cancelled()` /
`.changed()`.
"""

from __future__ import annotations

import re

from ..facts import ItemFacts, Spawn
from ..flow import Flow
from .core import Claim, FileContext, make

__all__ = ["gated_join_claims"]

_TRIGGER = re.compile(r"[a-z_]\w*(?:\.[a-z_]\w*)*(?:\.(?:recv|notified|cancelled|changed)\(\))?")
_IDENT = re.compile(r"[A-Za-z_]\w*")
_MAX = 40  # a trigger or an earlier await longer than this is not quoted


def gated_join_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    if f.flow is None:
        return []
    out: list[Claim] = []
    for sp in f.spawns:
        if not sp.handle.startswith("bound:") or not f.own(sp.at_region):
            continue
        var = sp.handle.split(":", 1)[1]
        trigger = _first_wait(f.flow, sp)
        if not trigger:
            continue
        join = _join_tok(f, var, sp.src.end)
        if join is None:
            continue
        slots = {"handle_var": var, "trigger": trigger, "mech": sp.said}
        flags: set[str] = set()
        before = _awaited_between(f, sp.src.end, f.flow.scan.starts[join])
        if before:
            slots["before"] = before
            flags.add("before")
        if _IDENT.fullmatch(trigger):
            flags.add("bare")  # a future held by name: a oneshot receiver, a handle
        out.append(make("gated_join", f.name, slots, [ctx.proof(sp.src)], flags))
    return out


def _first_wait(fl: Flow, sp: Spawn) -> str:
    """What the spawned block's first statement awaits, when that statement is only an await
    (`let _ = rx.await;`, `rx.recv().await;`) of a trigger; "" otherwise."""
    block = next((r for r in fl.children(sp.region) if r.kind == "async"), None)
    if block is None:
        return ""
    t, codes = fl.scan.texts, fl.scan.codes
    toks = [k for k in range(block.lo, block.hi) if codes[k] != "c"]
    end = next((i for i, k in enumerate(toks) if t[k] == ";"), -1)
    if end < 3:
        return ""
    stmt = [t[k] for k in toks[:end]]
    if stmt[0] == "let":
        if "=" not in stmt:
            return ""
        stmt = stmt[stmt.index("=") + 1 :]
    if stmt[-2:] != [".", "await"]:
        return ""
    expr = "".join(stmt[:-2])
    return expr if len(expr) <= _MAX and _TRIGGER.fullmatch(expr) else ""


def _join_tok(f: ItemFacts, var: str, after: int) -> int | None:
    """The token of ``var`` in a `var.await` past char offset ``after``, in the fn's own task
    and outside any loop, branch body or closure; None when there is none or the handle is
    aborted somewhere."""
    assert f.flow is not None
    fl = f.flow
    t, starts = fl.scan.texts, fl.scan.starts
    found = None
    for k in range(fl.lo, fl.hi - 2):
        if t[k] != var or (k > 0 and t[k - 1] == "."):
            continue
        if t[k + 1] == "." and t[k + 2] == "abort":
            return None
        if found is None and starts[k] >= after and t[k + 1] == "." and t[k + 2] == "await":
            chain = fl.chain(fl.region_at(k).id)
            if all(r.kind == "fn" for r in chain):
                found = k
    return found


def _awaited_between(f: ItemFacts, a: int, b: int) -> str:
    """The first thing the fn's own task awaits between char offsets ``a`` and ``b``: a name
    (`srv`) or a call as a person names it (`server.run`); "" when none or too long."""
    assert f.flow is not None
    fl = f.flow
    t, starts = fl.scan.texts, fl.scan.starts
    for k in range(fl.lo + 2, fl.hi):
        if not a <= starts[k] < b or t[k] != "await" or t[k - 1] != ".":
            continue
        if not f.own(fl.region_at(k).id):
            continue
        if _IDENT.fullmatch(t[k - 2]) and t[k - 3] not in (".", "::"):
            return t[k - 2]
        call = next((c for c in f.calls if c.close_tok == k - 2 and c.awaited), None)
        if call is not None and len(call.written) <= _MAX:
            return call.written.lstrip(".")
        return ""
    return ""
