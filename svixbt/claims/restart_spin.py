"""A supervisor loop with nothing to pace it: each round awaits the work, logs when it comes
back, and starts it again at once. lemmy's `CancellableTask::spawn` reruns `task(..)` after a
warn line with no pause, so a task that ends straight away is restarted in a tight loop; read
46 named it as the point its records missed."""

from __future__ import annotations

from ..facts import ItemFacts
from ..flow import Region
from .core import Claim, FileContext, make
from .round_work import call_said
from .spawn_rounds import CHANNEL_WAITS

__all__ = ["restart_spin_claims"]

# Readiness waits on a file descriptor pace a loop too (firezone's eBPF logger awaits
# `readable_mut()` each round: "no wait between one run and the next", read 64, FALSE).
_PACERS = (
    CHANNEL_WAITS
    | {"tick", "accept", "read", "recv_from", "next"}
    | {
        "readable",
        "readable_mut",
        "writable",
        "writable_mut",
        "ready",
    }
)


def restart_spin_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    if f.flow is None:
        return []
    fl = f.flow
    out: list[Claim] = []
    for loop in fl.regions:
        if loop.kind != "loop" or loop.keyword != "loop" or not _outermost(f, loop):
            continue
        inside = [c for c in f.calls if fl.inside(c.region, loop.id) and c.region != -1]
        if any(fl.inside(w.region, loop.id) for w in f.waits):
            continue  # a sleep, an interval or a timeout paces it
        if any(fl.inside(r.id, loop.id) and r.kind.startswith("select") for r in fl.regions):
            continue
        if any(c.name in _PACERS and c.awaited for c in inside):
            continue  # it waits for something from outside each round
        awaited = sorted((c for c in inside if c.awaited), key=lambda c: c.src.start)
        if len(awaited) != 1 or awaited[0].region != loop.id:
            continue  # one call the round exists to run, straight in the body
        work = awaited[0]
        logs = [
            lg
            for lg in f.logs
            if fl.inside(lg.region, loop.id)
            and lg.src.start > work.src.end
            and lg.level in ("warn", "error")
        ]
        exits = [
            e for e in f.exits if fl.inside(e.region, loop.id) and e.kind in ("return", "break")
        ]
        if len(logs) != 1 or not exits:
            continue
        if any(e.region == logs[0].region and e.src.start > logs[0].src.end for e in exits):
            continue  # the line is written on the way out, not before a restart
        said = call_said(work) if work.kind == "method" else work.src.text
        if not said or len(said) > 60 or "\n" in said:
            continue
        slots = {"call": said, "level": logs[0].level, "message": logs[0].message}
        proof = [ctx.proof(work.src), ctx.proof(logs[0].src)]
        out.append(make("restart_spin", f.name, slots, proof, set()))
    return out


def _outermost(f: ItemFacts, loop: Region) -> bool:
    """Whether no other loop of the same task holds ``loop``."""
    assert f.flow is not None
    fl = f.flow
    task = fl.task_of(loop.id).id
    return not any(
        r.kind == "loop"
        and r.id != loop.id
        and fl.inside(loop.id, r.id)
        and fl.task_of(r.id).id == task
        for r in fl.regions
    )
