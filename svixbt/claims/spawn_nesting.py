"""Where a repeated spawn sits in its loop: in a `for` inside another `for` of the same task (one
task per pair of the two loops' elements), or in one branch of a select (only the rounds that
branch wins start a task); kept apart from ``spawns`` to keep each module small."""

from __future__ import annotations

import re

from ..facts import ItemFacts, Spawn
from ..flow import CONDITION_KINDS, Region
from .core import Claim, FileContext, codes, make

__all__ = [
    "placement",
    "spawn_nesting",
    "select_branch_of",
    "arm_scrutinee",
    "every_arm_spawns",
    "arm_spawn_mechs",
]


def spawn_nesting(ctx: FileContext, f: ItemFacts, sp: Spawn) -> list[Claim]:
    """A spawn per iteration of a loop that sits in another loop of the same task: one task
    per pair, not per element of either (triagebot's `Step::call` spawns inside `for .. in
    queries`, itself inside `for repo in repos`: "one task per element of `repos`" was false,
    blind reads 17 and 19)."""
    assert f.flow is not None
    if not sp.repeated.startswith(("for ", "while ")):
        return []
    loops = [r for r in f.flow.chain(sp.at_region) if r.kind == "loop"]
    home = f.flow.task_of(sp.at_region).id
    loops = [r for r in loops if f.flow.task_of(r.id).id == home]
    if len(loops) < 2 or loops[0].keyword != "for" or loops[1].keyword != "for":
        return []
    inner, outer = loops[0], loops[1]
    if _leaves_after(f, inner, outer) or len(loops) > 2:
        # A third loop around both multiplies again (linera's read stress: chains, levels,
        # workers; "the product of the two" was FALSE, read 75 #21).
        return []
    slots = {"repeated": sp.repeated, "outer": f"for {outer.head}", "mech": sp.said}
    proof = [ctx.proof(ctx.region_src(f, inner)), ctx.proof(ctx.region_src(f, outer))]
    # `for batch in paths.chunks(n) { for path in batch { spawn } }`: the inner loop walks the
    # outer one's element, so one task per element of the whole, not one per pair (influxdb3's
    # WAL replay; "one per pair of the two loops' elements" was FALSE, read 73).
    bound = outer.head.split(" in ", 1)[0].strip()
    walked = inner.head.split(" in ", 1)[-1].strip()
    flags = (
        {"walks-outer"}
        if re.fullmatch(rf"&?(?:mut\s+)?{re.escape(bound)}(?:\.\w+\(\))*", walked)
        else set()
    )
    names = [n for n in re.findall(r"\b[a-z_]\w*", bound) if n not in ("mut", "ref")]
    if not flags and re.fullmatch(
        rf"&?(?:mut\s+)?(?:{'|'.join(map(re.escape, names)) or '$^'})(?:\.\w+\(\))*", walked
    ):
        # `for shard in shards` inside `for Batch { shards, .. } in batches`: a field of the
        # outer element, walked whole.
        flags = {"walks-outer"}
    if not flags and any(re.search(rf"(?<!\w)(?<!\w\.){re.escape(n)}\b", walked) for n in names):
        # `for _ in 0..concurrency.max(1)` inside `for &concurrency in levels`: how many the
        # inner loop starts depends on the outer pass, so the count is a sum, not a product.
        return []
    return [make("spawn_nesting", f.name, slots, proof, flags)]


def _leaves_after(f: ItemFacts, inner: Region, outer: Region) -> bool:
    """Whether every pass of ``outer`` that runs ``inner`` then leaves ``outer``: a `return` or
    a `break` of ``outer`` after ``inner``, in a block that holds ``inner``. sccache's
    multi-level `get` backfills from inside its cache-hit arm, which then returns: "runs again
    for every pass of the outer `for`" was false (held-out read 33)."""
    assert f.flow is not None
    fl = f.flow
    end = fl.end_of(inner)
    return any(
        e.kind in ("return", "break")
        and e.src.start >= end
        and fl.inside(e.region, outer.id)
        and fl.inside(inner.id, e.region)
        and (e.kind == "return" or fl.loop_of(e.region) is outer)
        for e in f.exits
    )


def select_branch_of(f: ItemFacts, sp: Spawn) -> str:
    """The future of the select branch a repeated spawn sits in, inside its loop, or "": only
    the rounds that branch wins start a task (dragonfly's QUIC server spawns under `Some(conn)
    = endpoint.accept()`: "Every round of `loop` starts a task" was misleading, blind read 20)."""
    assert f.flow is not None
    for r in f.flow.chain(sp.at_region):
        if r.kind == "loop":
            return ""
        if r.kind == "select-handler" and r.detail:
            return r.detail
    return ""


def placement(
    ctx: FileContext, f: ItemFacts, sp: Spawn, slots: dict[str, str], flags: set[str]
) -> list[Claim]:
    """Flag a repeated spawn by where it sits (`in-branch` with its branch, `nested`) and return
    the nesting claim, if any: requests that say "one task per element of .." or "every round"
    are not made for such a spawn."""
    if not sp.repeated:
        return []
    branch = select_branch_of(f, sp)
    if branch:
        flags.add("in-branch")
        slots["branch"] = branch
    nesting = spawn_nesting(ctx, f, sp)
    if nesting:
        flags.add("nested")
    return nesting


def arm_scrutinee(f: ItemFacts, at: int) -> str:
    """What the innermost `match` around region ``at`` matches on, when its arm is the only one
    on the way and the scrutinee is a call."""
    assert f.flow is not None
    arms = [r for r in f.flow.chain(at) if r.kind == "arm"]
    if len(arms) != 1:
        return ""
    head = arms[0].keyword.strip()
    head = head[len("match ") :].strip() if head.startswith("match ") else head
    return head if head.endswith(")") and "{" not in head else ""


def _decider(f: ItemFacts, at: int) -> Region | None:
    """The nearest region around ``at`` that decides whether its code runs at all (a branch, a
    loop, a closure or a task), or None at the fn's own top level."""
    assert f.flow is not None
    return next(
        (r for r in f.flow.chain(at) if r.kind in CONDITION_KINDS or r.kind in _DECIDES),
        None,
    )


_DECIDES = frozenset({"loop", "closure", "spawn", "blocking", "async"})


def every_arm(f: ItemFacts, at: int, slots: dict[str, str], flags: set[str]) -> None:
    """`every-arm` (with `match_on`) when every arm of the spawn's `match` starts a task, and
    `mixed-mech` (with `mechs`) when the arms start theirs by different means: `Some(rt) =>
    rt.spawn(..)`, `None => tokio::spawn(..)`; "each arm starts a task with `rt.spawn`" would
    give every arm the first one's (jsonrpsee's `start`, held-out read 94)."""
    every, first = every_arm_spawns(f, at)
    if not every:
        return
    flags.add("every-arm")
    if first and len(every) <= 60:
        slots["match_on"] = every
    mechs = arm_spawn_mechs(f, at)
    if len(mechs) > 1:
        flags.add("mixed-mech")
        slots["mechs"] = codes(*mechs)


def arm_spawn_mechs(f: ItemFacts, at: int) -> list[str]:
    """The spawn mechanisms, as said, of the spawns in the arms of the `match` whose arm holds
    region ``at``, each once, in source order."""
    d = _decider(f, at)
    if d is None or d.kind != "arm":
        return []
    out: list[str] = []
    for sp in sorted(f.spawns, key=lambda s: s.src.start):
        e = _decider(f, sp.at_region)
        if e is not None and e.kind == "arm" and e.parent == d.parent and sp.said not in out:
            out.append(sp.said)
    return out


def every_arm_spawns(f: ItemFacts, at: int) -> tuple[str, bool]:
    """The scrutinee of the `match` whose arm starts the spawn at region ``at``, when every arm
    of that match starts a task straight in its body: no path through the match misses a
    spawn (hyperlane's `ContractSync::sync` spawns an empty task in the `None` arm; "the paths
    that miss that condition do not start it" was misleading, session 50's check). The flag is
    whether that arm is the first, so the match is said once, not by every arm's spawn."""
    d = _decider(f, at)
    if d is None or d.kind != "arm" or d.siblings < 2 or f.flow is None:
        return "", False
    arms = [r for r in f.flow.regions if r.kind == "arm" and r.parent == d.parent]
    spawned = {getattr(_decider(f, sp.at_region), "id", None) for sp in f.spawns}
    if len(arms) != d.siblings or any(a.id not in spawned for a in arms):
        return "", False
    fl = f.flow
    # A way out of an arm before its spawn (linera's benchmark arms `return Ok(())` when the
    # user cancels, before they spawn): a path through the match that starts no task ("no path
    # through that match leaves without one" was FALSE, read 75 #19).
    for a in arms:
        first = min(
            (
                sp.src.start
                for sp in f.spawns
                if getattr(_decider(f, sp.at_region), "id", None) == a.id
            ),
            default=-1,
        )
        if any(
            e.kind in ("return", "question", "break", "continue")
            and fl.inside(e.region, a.id)
            and fl.task_of(e.region).id == fl.task_of(a.id).id
            and e.src.start < first
            for e in f.exits
        ):
            return "", False
    return d.keyword.strip(), d.index == 0
