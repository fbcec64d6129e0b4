"""A spawned task whose loop unwraps a fallible call: one failure panics and ends that task. What
happens next is the fn's own code: nothing, when the handle is dropped; a new task, when a loop
of the fn awaits the handle and, on a panic, logs, pauses and goes round to spawn it again (a
supervisor).

triagebot's `spawn_job_scheduler` is both: its inner task ticks every 15 minutes and
`.unwrap()`s `db::schedule_jobs`; its outer loop awaits the handle and, on `err.is_panic()`,
logs, sleeps 5 s and spawns a fresh inner task. The records said only that the task "never ends
by itself"; that a failure ends it, and that the supervisor's 5 s (not the 15 minutes) paces the
tries while the failure lasts, went unsaid.

Not claimed where the crate builds with `panic = "abort"` (a panic then ends the process, not
the task), or where the call sits under a condition of the round.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from ..fact_types import Call, Spawn, Src
from ..facts import ItemFacts
from ..flow import Region
from ..sources import cargo_manifests
from ..values import human_duration
from .core import Claim, FileContext, Proof, make

__all__ = ["task_panic_claims", "aborts_on_panic", "may_fail", "returns_result"]

# Methods a `Result` passes through unchanged in kind on its way to the unwrap.
_PASS_THROUGH = frozenset({"context", "with_context", "map_err", "wrap_err", "wrap_err_with"})
_PANIC_ABORT = re.compile(r'(?m)^\s*panic\s*=\s*"abort"')


def aborts_on_panic(root: Path | None) -> bool:
    """Whether a Cargo.toml at the crate root or up to three folders above (a workspace) sets
    `panic = "abort"`; unknown (no root) counts as yes, so nothing is claimed."""
    if root is None:
        return True
    return any(_PANIC_ABORT.search(text) for _, text in cargo_manifests(root))


@functools.lru_cache(maxsize=64)
def _aborts_cached(root: Path | None) -> bool:
    return aborts_on_panic(root)


@dataclass(frozen=True)
class _Unwrapped:
    call: Call  # the awaited fallible call
    unwrap: Call  # its `.unwrap()` / `.expect(..)`
    task: Region  # the spawn region the call runs in
    loop: Region  # the task's loop around the call


def task_panic_claims(ctx: FileContext, idx: int) -> list[Claim]:
    f = ctx.facts.get(idx)
    if f is None or f.flow is None or not f.spawns:
        return []
    if _aborts_cached(ctx.index.root):
        return []
    out: list[Claim] = []
    seen: set[int] = set()
    for u in _unwrapped(ctx, f):
        if u.task.id in seen:
            continue  # one claim per task: its first unwrapped call
        seen.add(u.task.id)
        spawn = next((s for s in f.spawns if s.region == u.task.id), None)
        if spawn is None:
            continue
        out.extend(_claims_for(ctx, f, u, spawn))
    return out


def _claims_for(ctx: FileContext, f: ItemFacts, u: _Unwrapped, spawn: Spawn) -> list[Claim]:
    slots = {"call": u.call.written, "expr": _unwrap_text(u.unwrap), "mech": spawn.said}
    proof = [ctx.proof(u.call.src), ctx.proof(u.unwrap.src), ctx.proof(spawn.src)]
    if spawn.handle == "dropped" and not spawn.repeated:
        return [make("task_panic", f.name, slots, proof, {"detached"})]
    sup = _supervisor(ctx, f, spawn)
    if sup is None:
        return []  # the handle goes somewhere this module does not follow: nothing said
    arm, var, arm_proof = sup
    restart: dict[str, str] = {
        "var": var,
        "mech": spawn.said,
        "call": u.call.written,
        "expr": _unwrap_text(u.unwrap),
    }
    rproof = [*proof, arm_proof]
    flags: set[str] = set()
    if "is_panic" in arm.head:
        flags.add("panic-only")
    assert f.flow is not None
    sleeps = [w for w in f.waits if w.role == "sleep" and f.flow.inside(w.region, arm.id)]
    if len(sleeps) == 1:
        restart["arg"] = sleeps[0].arg
        rproof.append(ctx.proof(sleeps[0].src))
        if sleeps[0].seconds is not None:
            restart["dur"] = human_duration(sleeps[0].seconds)
    logs = [g for g in f.logs if f.flow.inside(g.region, arm.id)]
    if logs:
        restart["level"] = logs[0].level
        rproof.append(ctx.proof(logs[0].src))
    tick = _fresh_interval(ctx, f, u)
    if tick is not None:
        every, src = tick
        restart["every"] = every
        restart["wait"] = "tokio::time::interval"
        rproof.append(ctx.proof(src))
        flags.add("fresh-interval")
    # The panic is said with its restart, in one claim: said apart, "a failure ends the task"
    # came before what brings it back.
    return [make("restarts", f.name, restart, rproof, flags)]


def _unwrap_text(c: Call) -> str:
    return f".{c.src.text}"


def _unwrapped(ctx: FileContext, f: ItemFacts) -> list[_Unwrapped]:
    """Awaited calls in a spawned task's loop whose `Result` is unwrapped on every round."""
    assert f.flow is not None
    fl = f.flow
    by_open = {c.open_tok: c for c in f.calls if c.kind == "method"}
    out: list[_Unwrapped] = []
    for c in f.calls:
        if not c.awaited or c.kind not in ("fn", "method") or c.name in ("tick", "recv"):
            continue
        task = fl.task_of(c.region)
        if task.kind != "spawn":
            continue
        loop = fl.loop_of(c.region)
        if loop is None or loop.keyword != "loop" or fl.conditions(c.region, loop.id):
            continue
        if any(r.kind == "closure" for r in fl.chain(c.region) if fl.inside(r.id, loop.id)):
            continue
        found = _unwrap_after(f, c)
        if found is None:
            continue
        open_tok, through = found
        unwrap = by_open.get(open_tok)
        if unwrap is None or not (through or returns_result(ctx, f, c)):
            continue
        out.append(_Unwrapped(c, unwrap, task, loop))
    return out


def _unwrap_after(f: ItemFacts, c: Call) -> tuple[int, bool] | None:
    """The `(` of the `.unwrap()`/`.expect(` that ends ``c``'s `.await` chain, and whether a
    `.context(..)`-like call came between (which says the value is a `Result`)."""
    assert f.flow is not None
    scan = f.flow.scan
    t, codes, m = scan.texts, scan.codes, scan.match
    n = len(t)

    def nxt(k: int) -> int:
        while k < n and codes[k] in "cdi":
            k += 1
        return k

    k = nxt(c.close_tok + 1)
    if k + 1 >= n or t[k] != "." or t[nxt(k + 1)] != "await":
        return None
    k = nxt(nxt(k + 1) + 1)
    through = False
    while k < n and t[k] == ".":
        name_k = nxt(k + 1)
        open_k = nxt(name_k + 1)
        if open_k >= n or t[open_k] != "(":
            return None
        if t[name_k] in ("unwrap", "expect"):
            return open_k, through
        if t[name_k] not in _PASS_THROUGH or m[open_k] < 0:
            return None
        through = True
        k = nxt(m[open_k] + 1)
    return None


def returns_result(ctx: FileContext, f: ItemFacts, c: Call) -> bool:
    """Whether ``c`` names one fn of the crate whose return type is a `Result`."""
    g = _target_facts(ctx, c)
    return g is not None and bool(re.search(r"\bResult\b", g.returns))


def may_fail(ctx: FileContext, f: ItemFacts, c: Call) -> bool:
    """Whether ``c`` names one fn of the crate whose `Result` can hold an error: not one whose
    body has no `?`, `return` or `bail!` and ends in an endless `loop` or an `Ok(..)`
    (lunatic's `refresh_nodes_task` swallows each round's error with `.ok()`: "an error from
    it ends the task" was misleading, held-out read 99 #1)."""
    g = _target_facts(ctx, c)
    if g is None or not re.search(r"\bResult\b", g.returns):
        return False
    if any(e.kind in ("question", "return", "ensure", "exit", "break") for e in g.exits):
        return True
    # No tail and no way out: the body never finishes (its last statement is an endless loop).
    return g.tail is not None and not re.match(r"(?:loop\b|Ok\s*\()", g.tail.text.lstrip())


def _target_facts(ctx: FileContext, c: Call) -> ItemFacts | None:
    """The facts of the one crate fn ``c`` names, if it names exactly one."""
    from ..crate_index import _resolve_target
    from ..facts import item_facts

    if c.kind != "fn" or ctx.file_idx is None:
        return None
    found = _resolve_target(ctx.index, ctx.file_idx, c.written.split("::"), "")
    if len(found) != 1:
        return None
    d = found[0]
    return item_facts(ctx.index.files[d.file], d.item)


def _supervisor(ctx: FileContext, f: ItemFacts, spawn: Spawn) -> tuple[Region, str, Proof] | None:
    """(arm, handle name, arm proof) when the handle is bound to a name, awaited in the head of
    a `match` or `if let` in the same loop as the spawn, and one arm on a failure (`Err(..)`,
    `.is_panic()`) neither leaves that loop nor returns: the loop goes round and spawns again."""
    assert f.flow is not None
    fl = f.flow
    if not spawn.handle.startswith("bound:"):
        return None
    var = spawn.handle.split(":", 1)[1]
    outer = fl.loop_of(spawn.at_region)
    if outer is None or outer.keyword != "loop":
        return None
    awaited = f"{var}.await"
    for r in fl.regions:
        if not fl.inside(r.id, outer.id) or fl.loop_of(r.id) is not outer:
            continue
        head_ok = (
            r.kind == "arm"
            and r.keyword == awaited
            or (r.kind == "if" and r.head.endswith(f"= {awaited}"))
        )
        failure = "is_panic" in r.head or r.head.startswith(("Err(", "let Err("))
        if not head_ok or not failure or [x.id for x in fl.conditions(r.id, outer.id)] != [r.id]:
            continue  # the arm must sit straight in the loop, under no other condition
        if any(fl.inside(e.region, r.id) for e in f.exits):
            continue  # the arm leaves or returns: no restart
        if any(e.kind in ("break", "return") and fl.loop_of(e.region) is outer for e in f.exits):
            return None  # the supervisor itself can end
        return r, var, ctx.proof(ctx.head_src(r))
    return None


def _fresh_interval(ctx: FileContext, f: ItemFacts, u: _Unwrapped) -> tuple[str, Src] | None:
    """An interval made inside the task, before its loop, with a known period, ticked in the
    loop: a relaunched task makes a new one, whose first tick completes at once."""
    assert f.flow is not None
    fl = f.flow
    for w in f.waits:
        if w.role != "interval" or w.mechanism != "tokio::time::interval" or w.seconds is None:
            continue
        if fl.task_of(w.region).id != u.task.id or fl.inside(w.region, u.loop.id):
            continue
        ticks = [
            t
            for t in f.waits
            if t.role == "tick"
            and fl.loop_of(t.region) is u.loop
            and not fl.conditions(t.region, u.loop.id)
        ]
        if ticks:
            return human_duration(w.seconds), w.src
    return None
