"""A failure branch that `continue`s past the pass loop's only pause: while the call keeps
failing, the loop goes round with no wait at all. kellnr's `background_update_thread` sleeps
2 hours after a pass, but a failed `db.get_cratesio_index_update_list` logs and `continue`s
before the sleep: "A `tokio::time::sleep` of 2 hours spaces the rounds out" hid a spin that
floods the log during an outage (held-out read 13)."""

from __future__ import annotations

from ..facts import ItemFacts
from ..values import human_duration
from .core import Claim, FileContext, make
from .exits import exit_loop
from .shape import is_error_arm, main_loop

__all__ = ["spin_claims"]


def spin_claims(ctx: FileContext, idx: int) -> list[Claim]:
    """One ``spin_on_error`` claim per error branch of the pass loop that `continue`s before the
    loop's one sleep (a plain sleep written straight in the loop body, the loop's only wait)
    with no wait of its own."""
    f = ctx.facts.get(idx)
    if f is None or f.flow is None:
        return []
    loop = main_loop(f)
    if loop is None or not f.own(loop.id):
        return []
    waits = [w for w in f.waits if f.flow.inside(w.region, loop.id)]
    if len(waits) != 1 or waits[0].role != "sleep" or waits[0].region != loop.id:
        return []
    pause = waits[0]
    out: list[Claim] = []
    for e in f.exits:
        if e.kind != "continue" or e.src.start >= pause.src.start or exit_loop(f, e) is not loop:
            continue
        arm = _error_branch(f, e.region, loop.id)
        if arm is None:
            continue
        head_src, pattern = arm
        call = _failed_call(f, head_src)
        if not call:
            continue
        logs = [g for g in f.logs if f.flow.inside(g.region, _region_id(f, e.region, pattern))]
        slots = {"call": call, "pattern": pattern, "mech": pause.mechanism, "arg": pause.arg}
        if pause.seconds is not None:
            slots["dur"] = human_duration(pause.seconds)
        flags: set[str] = set()
        if logs:
            slots["level"] = logs[0].level
            flags.add("logs")
        proof = [ctx.proof(e.src), ctx.proof(pause.src)]
        out.append(make("spin_on_error", f.name, slots, proof, flags))
    return out


def _error_branch(f: ItemFacts, rid: int, stop: int) -> tuple[tuple[int, int], str] | None:
    """(the char span of the `match` scrutinee or `if let` head, the error pattern) of the
    error branch right around region ``rid`` inside the loop ``stop``, or None when the
    `continue` sits in another kind of branch (or deeper)."""
    assert f.flow is not None
    for r in f.flow.chain(rid):
        if r.id == stop:
            return None
        if r.kind == "arm" and is_error_arm(r.head) and " if " not in r.head and r.parent:
            m = f.flow.regions[r.parent]
            return (m.head_start, m.head_end), r.head
        if r.kind == "if" and r.head.startswith("let Err("):
            pattern = r.head[4:].split("=", 1)[0].strip()
            return (r.head_start, r.head_end), pattern
        if r.kind in ("if", "else", "let-else", "loop", "closure", "async"):
            return None
    return None


def _failed_call(f: ItemFacts, span: tuple[int, int]) -> str:
    """The first awaited call in the head at char ``span``, named as the other claims name it
    (`db.get_update_list`)."""
    a, b = span
    calls = sorted(
        (c for c in f.calls if a <= c.src.start < b and c.awaited), key=lambda c: c.src.start
    )
    if not calls or a < 0:
        return ""
    c = calls[0]
    if c.kind == "method" and c.receiver and len(c.receiver) <= 24 and "(" not in c.receiver:
        return f"{c.receiver}.{c.name}"
    return c.written.lstrip(".") if c.kind != "method" else ""


def _region_id(f: ItemFacts, rid: int, pattern: str) -> int:
    """The error branch's own region (its log lines are the ones said)."""
    assert f.flow is not None
    for r in f.flow.chain(rid):
        if (r.kind == "arm" and r.head == pattern) or (
            r.kind == "if" and r.head.startswith("let Err(")
        ):
            return r.id
    return rid
