"""A loop whose round's work sits in the arms of a `match` on what it received: an actor's
command loop. libp2p's upnp task matches each `GatewayRequest`: `AddMapping` awaits
`gateway.add_port`, `RemoveMapping` awaits `gateway.remove_port`. Its records said the loop
"calls `task_sender.send` on every round" and nothing of the work (read 74 #14, #15): a call
in an arm is no work of every round, so no claim said it at all."""

from __future__ import annotations

import re

from ..facts import ItemFacts
from ..flow import Region
from ..mechanisms import mechanism
from .core import Claim, FileContext, make
from .round_work import call_said

__all__ = ["arm_work_claims"]

# Arms of a `Result` or `Option` are said by the error-branch claims; these are a command's.
_PLAIN = frozenset({"Ok", "Err", "Some", "None", "_"})
_NAME = re.compile(r"[a-z_]\w*(?:\.[a-z_]\w*)*")
_PATTERN = re.compile(r"[A-Za-z_][\w]*(?:::[A-Za-z_]\w*)*")


def arm_work_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    if f.flow is None:
        return []
    fl = f.flow
    out: list[Claim] = []
    for m in fl.regions:
        if m.kind != "match" or m.parent is None:
            continue
        loop = fl.regions[m.parent]
        if loop.kind != "loop":
            continue  # a match in a branch of the round is not the round's dispatch
        if not _NAME.fullmatch(m.head.strip()):
            # `match rs.io_loop(..).await { LoopFailure::UdpSocket => .. }` (RustDesk's server)
            # is a restart on a failure, not a round's work chosen by what came in.
            continue
        found = _arms(f, m, loop)
        if len(found) < 2:
            continue
        (arm_a, call_a), (arm_b, call_b) = found[0], found[1]
        slots = {
            "match_on": m.head.strip(),
            "arm_a": arm_a,
            "call_a": call_a,
            "arm_b": arm_b,
            "call_b": call_b,
        }
        flags = {"spawned" if fl.task_of(loop.id).kind != "fn" else "own"}
        if len(found) > 2:
            slots["more"] = str(len(found) - 2)
            flags.add("more")
        proof = [ctx.proof(ctx.region_src(f, m))]
        out.append(make("arm_work", f.name, slots, proof, flags))
    return out


def _arms(f: ItemFacts, m: Region, loop: Region) -> list[tuple[str, str]]:
    """Each arm of ``m`` with the first call it awaits on the loop's own task, as
    (pattern's path, call); empty when an arm is a `Result`'s or an `Option`'s."""
    assert f.flow is not None
    fl = f.flow
    out: list[tuple[str, str]] = []
    task = fl.task_of(loop.id).id
    for arm in sorted(
        (r for r in fl.regions if r.parent == m.id and r.kind == "arm"), key=lambda r: r.lo
    ):
        p = _PATTERN.match(arm.head.strip())
        if p is None:
            return []
        path = p.group(0)
        if path.split("::")[-1] in _PLAIN or path in _PLAIN:
            return []
        first = next(
            (
                said
                for c in sorted(f.calls, key=lambda c: c.src.start)
                if c.awaited
                and fl.inside(c.region, arm.id)
                and fl.task_of(c.region).id == task
                and mechanism(c.full) is None
                for said in [call_said(c)]
                if said
            ),
            "",
        )
        if first and path not in (a for a, _ in out):
            out.append((path, first))
    return out
