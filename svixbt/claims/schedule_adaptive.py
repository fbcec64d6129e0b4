"""Claims about a wait that a pass chooses for the next one: a variable set after each pass to
`Some(IDLE)` or `None` by how the pass went (a nap only after a short batch), with how its first
value makes the first pass wait or not, and the fixed wait an error arm sets it to.

The sleep that reads the variable back (`if let Some(d) = var { sleep(d) }`) is found among the
task's own waits (``schedule_waits``); ``schedule`` places these claims after the waits'.
"""

from __future__ import annotations

import re

from ..facts import Assign, ItemFacts
from ..values import human_duration
from .core import Claim, FileContext, Proof, make
from .data import returns_sum
from .schedule_waits import own_waits, source_var
from .shape import guard_of

__all__ = ["adaptive_claims"]


def adaptive_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """`sleep_time = if rows < BATCH { Some(IDLE) } else { None }` inside the loop, read back as
    the duration of the next sleep, and `sleep_time = Some(ON_ERROR)` in an error arm."""
    assert f.flow is not None
    sleeps = [w for w, _ in own_waits(ctx, f) if w.role == "sleep"]
    # Only a variable read through `if let Some(d) = var` makes `None` mean "no wait".
    sources = {v for v, some in (source_var(f, w) for w in sleeps) if some}
    out: list[Claim] = []
    for a in f.assigns:
        if a.var not in sources or a.is_let or not f.own(a.region):
            continue
        _, arm, _ = guard_of(f, a.region)
        if a.branches is not None:
            out += _idle_claims(ctx, f, a, a.branches, arm)
        else:
            out += _error_wait_claims(ctx, f, a, arm)
    return out


def _idle_claims(
    ctx: FileContext, f: ItemFacts, a: Assign, branches: tuple[str, str, str], arm: str
) -> list[Claim]:
    """`var = if cond { Some(IDLE) } else { None }` in a match arm: the adaptive claim, and the
    first-pass one when the variable starts as `None`."""
    cond, then, other = branches
    idle_side = then if other.strip() == "None" else other if then.strip() == "None" else ""
    m = re.fullmatch(r"Some\((\w+)\)", idle_side.strip())
    c = f.const(m.group(1)) if m else None
    if c is None or not c.is_duration or c.value is None:
        return []
    slots = {
        "var": a.var,
        "cond": cond,
        "idle": c.name,
        "idle_dur": human_duration(c.value),
        "arm": arm or "",
        "idle_value": idle_side.strip(),
    }
    flags = {"idle-when-true" if idle_side is then else "idle-when-false"}
    summed = _mark_batch_cond(ctx, f, cond, flags)
    init = next((x for x in f.assigns if x.var == a.var and x.is_let), None)
    if init is not None:
        slots["init"] = init.value
        flags.add("first-immediate" if init.value == "None" else "first-waits")
    if not arm:
        return []
    proof = [ctx.proof(a.src), ctx.proof(c.src)]
    if "summed" in flags:
        proof += summed  # the callee's `a + b`: what the test really counts
    out = [make("adaptive", f.name, slots, proof, flags)]
    if init is not None and init.value == "None":
        # Nothing has set a wait before the first pass, so it runs at once.
        out.append(
            make(
                "first_pass",
                f.name,
                {"var": a.var, "init": init.value},
                [ctx.proof(init.src)],
            )
        )
    return out


def _mark_batch_cond(ctx: FileContext, f: ItemFacts, cond: str, flags: set[str]) -> list[Proof]:
    """Flags ``cond`` as a batch test when it compares with a batch size the pass was given, and
    as summed when that count adds up several statements' counts; the proofs of the sum."""
    # The condition compares the pass's result with the batch size the pass was given:
    # "short of a batch" is then what the condition says.
    passed = {x for call in f.calls for arg in call.args for x in re.findall(r"\w+", arg)}
    sized = [k for k in f.consts if k.name in cond and k.name in passed and not k.is_duration]
    summed: list[Proof] = []
    if sized:
        flags.add("batch-cond")
        # The count compared adds up two statements' counts (the cleaner's `message`
        # and `messagecontent`): "after a full batch" is not what the test says, since
        # two part-batches pass it too (blind read 73 counted it misleading).
        given = [c.name for c in f.calls if any(sized[0].name in x for x in c.args)]
        summed = next((p for n in given if (p := returns_sum(ctx, n))), [])
        if summed:
            flags.add("summed")
    return summed


def _error_wait_claims(ctx: FileContext, f: ItemFacts, a: Assign, arm: str) -> list[Claim]:
    """`var = Some(ON_ERROR)` in an `Err` arm: a failed pass sets the next wait to a constant."""
    m = re.fullmatch(r"Some\((\w+)\)", a.value.strip())
    c = f.const(m.group(1)) if m else None
    if c is None or not c.is_duration or c.value is None or not arm.startswith("Err"):
        return []
    return [
        make(
            "error_wait",
            f.name,
            {
                "var": a.var,
                "const": c.name,
                "dur": human_duration(c.value),
                "arm": arm,
                "value_set": a.value.strip(),
            },
            [ctx.proof(a.src), ctx.proof(c.src)],
        )
    ]
