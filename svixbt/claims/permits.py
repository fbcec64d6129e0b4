"""A fan-out held to a semaphore: `let sem = Arc::new(Semaphore::new(limit));` before a loop that
spawns one task per element, each task (or the loop, before each spawn) taking a permit it keeps
until the task ends. InfluxDB 3's table index cache spawns a task per index path this way; the
records said "one task per element" and nothing of how many run at once (read 73 #13: "Missed:
concurrency is bounded by a `Semaphore` of `config.concurrency_limit`")."""

from __future__ import annotations

import re

from ..fact_types import Assign, Call, Spawn
from ..facts import ItemFacts
from .core import Claim, FileContext, make

__all__ = ["permit_claims"]

_PERMITS = frozenset({"acquire_owned", "acquire"})
_NEW = re.compile(r"(?:[\w:]*::)?Semaphore::new\(")
_CLONE = re.compile(r"Arc::clone\(&(?P<a>\w+)\)|(?P<b>\w+)\.clone\(\)")


def permit_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    if f.flow is None:
        return []
    made = [a for a in f.assigns if a.is_let and _NEW.search(a.value)]
    if not made:
        return []
    out: list[Claim] = []
    seen: set[int] = set()
    for sp in f.spawns:
        if not sp.repeated or sp.region in seen:
            continue
        # The semaphore a name means here is the last one bound to it before the spawn (two
        # loops of one fn may each make their own under one name).
        sems: dict[str, Assign] = {}
        for a in sorted(made, key=lambda a: a.src.start):
            if a.src.end <= sp.src.start:
                sems[a.var] = a
        found = _permit_of(f, sp, sems)
        if found is None:
            continue
        c, bound, sem, shape = found
        new = sems[sem]
        loop = f.flow.loop_of(sp.at_region)
        if loop is None or f.flow.inside(new.region, loop.id):
            continue  # a semaphore made each round bounds nothing across rounds
        cap = _cap(new.value)
        if not cap:
            continue
        seen.add(sp.region)
        slots = {
            "sem": sem,
            "cap_expr": cap,
            "call": _acquire_said(bound.value),
            "var": bound.var,
            "head": sp.repeated,
            "mech": sp.said,
        }
        flags = {shape}
        if cap.isdigit():
            flags.add("literal")
        proof = [ctx.proof(new.src), ctx.proof(bound.src), ctx.proof(sp.src)]
        out.append(make("permit_bound", f.name, slots, proof, flags))
    return out


def _permit_of(
    f: ItemFacts, sp: Spawn, sems: dict[str, Assign]
) -> tuple[Call, Assign, str, str] | None:
    """The awaited acquire that bounds the tasks of ``sp``: inside each task before any other
    work ("in-task"), or in the loop before the spawn with the permit moved into the task
    ("before-spawn"); with the permit's binding, the semaphore's name and the shape."""
    assert f.flow is not None
    fl = f.flow
    loop = fl.loop_of(sp.at_region)
    for c in sorted(f.calls, key=lambda c: c.src.start):
        if c.name not in _PERMITS or not c.awaited:
            continue
        bound = next(
            (a for a in f.assigns if a.is_let and a.src.start <= c.src.start < a.src.end), None
        )
        if bound is None or bound.var == "_" or not bound.var.isidentifier():
            continue  # `let _ = sem.acquire()` lets the permit go at once
        sem = _semaphore(f, c, bound, sems)
        if sem is None:
            continue
        if fl.inside(c.region, sp.region):
            if _work_before(f, sp, c):
                continue
            return c, bound, sem, "in-task"
        if (
            loop is not None
            and fl.inside(c.region, loop.id)
            and fl.task_of(c.region).id == fl.task_of(sp.at_region).id
            and c.src.end <= sp.src.start
            and re.search(rf"(?<![\w.]){re.escape(bound.var)}(?!\w)", sp.src.text)
        ):
            return c, bound, sem, "before-spawn"
    return None


def _semaphore(f: ItemFacts, c: Call, bound: Assign, sems: dict[str, Assign]) -> str | None:
    """The name of the fn's own semaphore ``c`` takes a permit of, through a clone of it
    (`let sem = Arc::clone(&sem);`, `Arc::clone(&semaphore).acquire_owned()`)."""
    name = c.receiver
    if not name:
        m = re.match(r"\s*(?:Arc::clone\(&(\w+)\)|(\w+)(?:\.clone\(\))?)\s*\.", bound.value)
        name = (m.group(1) or m.group(2)) if m else ""
    if name in sems:
        return name
    for a in f.assigns:
        if a.is_let and a.var == name:
            m = _CLONE.fullmatch(a.value.strip())
            src = (m.group("a") or m.group("b")) if m else ""
            if src in sems:
                return src
    return None


def _work_before(f: ItemFacts, sp: Spawn, c: Call) -> bool:
    """Whether the task awaits something else before it takes its permit."""
    assert f.flow is not None
    return any(
        o.awaited and f.flow.inside(o.region, sp.region) and o.src.end <= c.src.start
        for o in f.calls
        if o is not c
    )


def _acquire_said(value: str) -> str:
    """`sem.acquire_owned()` out of `sem.acquire_owned().await.unwrap()`."""
    return " ".join(value.split(".await")[0].split())


def _cap(value: str) -> str:
    """The argument of `Semaphore::new(..)` in ``value``, as written."""
    m = _NEW.search(value)
    if m is None:
        return ""
    depth, k = 1, m.end()
    while k < len(value) and depth:
        depth += {"(": 1, ")": -1}.get(value[k], 0)
        k += 1
    return value[m.end() : k - 1].strip() if depth == 0 else ""
