"""A wait multiplied in place after every sleep, with no cap: lychee's `retry_request` sleeps
`wait_time` and then runs `wait_time = wait_time.saturating_mul(2)`, in a `while retries <
self.max_retries` loop. No record of it was written at all (held-out read 87's set): its think
said only "waits with `tokio::time::sleep` on `wait_time`", and no request could be made of it.
The growth, where it starts and what bounds the number of waits are the code's own words.
"""

from __future__ import annotations

import re

from ..facts import ItemFacts, Src
from ..flow import Region
from .core import Claim, FileContext, make

__all__ = ["mul_growth_claims"]

# `w = w * 2`, `w = w.saturating_mul(2)`, as the folded value of an assignment to `w`.
_TIMES = re.compile(
    r"(?P<var>\w+)\s*(?:\*\s*(?P<a>\d+)|\.\s*(?P<m>saturating_mul|mul)\s*\(\s*(?P<b>\d+)\s*\))"
)


def mul_growth_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """One ``mul_growth`` claim per variable a loop sleeps on and multiplies right after the
    sleep, every round, with nothing capping it and nothing else setting it in the loop."""
    if f.flow is None:
        return []
    fl = f.flow
    out: list[Claim] = []
    for w in f.waits:
        var = w.var or w.arg.strip()
        loop = fl.loop_of(w.region)
        if w.role != "sleep" or loop is None or not re.fullmatch(r"[a-z_]\w*", var):
            continue
        grows = [g for g in _growths(ctx, f, var) if fl.loop_of(g[0]) is loop]
        if len(grows) != 1:
            continue
        rid, factor, src, saturating = grows[0]
        if src.start < w.src.end or fl.conditions(rid, loop.id) or factor < 2:
            continue
        if _set_again(f, var, loop, src) or _capped(ctx, f, var):
            continue
        init = next(
            (a for a in f.assigns if a.is_let and a.var == var and a.src.end <= _start(f, loop)),
            None,
        )
        if init is None:
            continue
        slots = {"var": var, "grow": src.text.rstrip(";").strip(), "factor": str(factor)}
        slots["initial_expr"] = init.value
        flags = {"double"} if factor == 2 else set()
        if saturating:
            flags.add("saturating")
        proofs = [ctx.proof(w.src), ctx.proof(src), ctx.proof(init.src)]
        m = re.fullmatch(r"(\w+)\s*(<=?)\s*(.+)", loop.head) if loop.keyword == "while" else None
        if m and _counts_up(f, m.group(1), loop):
            slots["bound"] = loop.head
            flags.add("counted")
            proofs.append(ctx.proof(ctx.region_src(f, loop)))
        out.append(make("mul_growth", f.name, slots, proofs, flags))
    return out


def _growths(ctx: FileContext, f: ItemFacts, var: str) -> list[tuple[int, int, Src, bool]]:
    """(region, factor, statement, saturating) of each `var = var * N;`, `var =
    var.saturating_mul(N);` and `var *= N;` in the fn."""
    assert f.flow is not None
    out: list[tuple[int, int, Src, bool]] = []
    for a in f.assigns:
        m = _TIMES.fullmatch(a.value.strip())
        if not a.is_let and a.var == var and m and m.group("var") == var:
            n = int(m.group("a") or m.group("b"))
            out.append((a.region, n, a.src, m.group("m") == "saturating_mul"))
    scan = f.flow.scan
    t, c = scan.texts, scan.codes
    for k in range(f.flow.lo, min(f.flow.hi, len(t)) - 4):
        if t[k] == var and c[k] == "n" and t[k + 1 : k + 3] == ["*", "="] and t[k + 4] == ";":
            if t[k - 1] in (".", "::") or not t[k + 3].isdigit():
                continue
            start, end = scan.starts[k], scan.starts[k + 4] + 1
            src = Src(start, end, ctx.fs.scan.text[start:end])
            out.append((f.flow.region_at(k).id, int(t[k + 3]), src, False))
    return out


def _set_again(f: ItemFacts, var: str, loop: Region, grow: Src) -> bool:
    """Whether the loop sets ``var`` anywhere else (a reset after a success)."""
    assert f.flow is not None
    return any(
        a.var == var and a.src.start != grow.start and f.flow.inside(a.region, loop.id)
        for a in f.assigns
    )


def _capped(ctx: FileContext, f: ItemFacts, var: str) -> bool:
    """Whether the fn bounds ``var`` anywhere: `.min(..)`, `min(var, ..)`, `.clamp(..)`."""
    text = ctx.fs.scan.text[f.item.start : f.item.end]
    v = re.escape(var)
    return bool(re.search(rf"\b{v}\b[^;]*\.(?:min|clamp)\s*\(|\bmin\s*\([^;]*\b{v}\b", text))


def _counts_up(f: ItemFacts, counter: str, loop: Region) -> bool:
    """Whether the loop adds one to ``counter`` on every round (outside any condition)."""
    assert f.flow is not None
    scan = f.flow.scan
    t = scan.texts
    for k in range(loop.lo, min(loop.hi, len(t)) - 4):
        if t[k] == counter and t[k + 1 : k + 5] == ["+", "=", "1", ";"]:
            rid = f.flow.region_at(k).id
            if f.flow.loop_of(rid) is loop and not f.flow.conditions(rid, loop.id):
                return True
    return False


def _start(f: ItemFacts, loop: Region) -> int:
    assert f.flow is not None
    k = loop.start_tok if loop.start_tok >= 0 else loop.lo
    return f.flow.scan.starts[k]
