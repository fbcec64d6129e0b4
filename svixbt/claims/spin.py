"""A failure branch that `continue`s past the pass loop's only pause: while the call keeps
failing, the loop goes round with no wait at all. kellnr's `background_update_thread` sleeps
2 hours after a pass, but a failed `db.get_cratesio_index_update_list` logs and `continue`s
before the sleep: "A `tokio::time::sleep` of 2 hours spaces the rounds out" hid a spin that
floods the log during an outage (held-out read 13)."""

from __future__ import annotations

from ..facts import ItemFacts
from ..flow import Region
from ..values import human_duration
from .core import Claim, FileContext, make
from .err_arms import handled_call
from .exits import exit_loop
from .round_work import call_said
from .shape import codes, is_error_arm, own_main_loop

__all__ = ["spin_claims"]


def spin_claims(ctx: FileContext, idx: int) -> list[Claim]:
    """One ``spin_on_error`` claim per error branch of the pass loop that `continue`s before the
    loop's one sleep (a plain sleep written straight in the loop body, the loop's only wait)
    with no wait of its own."""
    f = ctx.facts.get(idx)
    if f is None or f.flow is None:
        return []
    loop = own_main_loop(f)
    if loop is None:
        return []
    waits = [w for w in f.waits if f.flow.inside(w.region, loop.id)]
    if len(waits) != 1 or waits[0].role != "sleep" or waits[0].region != loop.id:
        return []
    pause = waits[0]
    out: list[Claim] = []
    for e in f.exits:
        if e.kind != "continue" or e.src.start >= pause.src.start or exit_loop(f, e) is not loop:
            continue
        branch = _error_branch(f, e.region, loop.id)
        handled = handled_call(f, branch) if branch is not None else None
        if branch is None or handled is None:
            continue
        if any(
            c.awaited and f.flow.inside(c.region, branch.id) and c.src.start < e.src.start
            for c in f.calls
        ):
            # The branch awaits something of its own first (a backoff's `sleep_async`): no
            # "straight round again" (graph-node's firehose ingestor, held-out read 84 #10).
            continue
        pattern = branch.head if branch.kind == "arm" else branch.head[4:].split("=", 1)[0].strip()
        logs = [g for g in f.logs if f.flow.inside(g.region, branch.id)]
        slots = {"call": handled[0], "pattern": pattern, "mech": pause.mechanism, "arg": pause.arg}
        if pause.seconds is not None:
            slots["dur"] = human_duration(pause.seconds)
        flags: set[str] = set()
        if logs:
            slots["level"] = logs[0].level
            flags.add("logs")
        # What the round awaits before it gets to the failing call: a wait of its own (rumqttd's
        # broker blocks on `listener.accept()` first), so "no wait at all" would be false
        # (held-out read 42).
        head = f.flow.regions[branch.parent] if branch.kind == "arm" and branch.parent else branch
        before = [
            call_said(c) or c.written
            for c in f.calls
            if c.awaited
            and f.flow.loop_of(c.region) is loop
            and c.src.start < head.head_start
            and not f.flow.inside(c.region, branch.id)
        ]
        if before:
            slots["first_waits"] = codes(*list(dict.fromkeys(before))[:2])
            flags.add("waits-before")
        proof = [ctx.proof(e.src), ctx.proof(pause.src)]
        out.append(make("spin_on_error", f.name, slots, proof, flags))
    return out


def _error_branch(f: ItemFacts, rid: int, stop: int) -> Region | None:
    """The error branch (an unguarded `Err` arm or an `if let Err(..)`) right around region
    ``rid`` inside the loop ``stop``, or None when the `continue` sits in another kind of branch
    (or deeper)."""
    assert f.flow is not None
    for r in f.flow.chain(rid):
        if r.id == stop:
            return None
        if r.kind == "arm" and is_error_arm(r.head) and " if " not in r.head and r.parent:
            return r
        if r.kind == "if" and r.head.startswith("let Err("):
            return r
        if r.kind in ("if", "else", "let-else", "loop", "closure", "async"):
            return None
    return None
