"""Claims about a floor on a retry delay: `std::cmp::max(d, Duration::from_secs(C))`, with the
error patterns its `if` picks out (a guarded pattern said whole, with its guard), the jitter applied
after it (which can take the delay below the floor), and the steps that compute the delay again
from the floored value — whether such a step keeps the floor, and whether it caps the delay at
twice it.

Reading a floor takes its own small parsers (a `matches!` chain, a one-line clamp helper); they
serve nothing else in the retry claims, which ``retry`` builds and among which it places these.
"""

from __future__ import annotations

import re

from ..facts import Assign, Call, ItemFacts, Jitter
from ..values import human_duration
from .core import Claim, FileContext, make
from .shape import codes

__all__ = ["floor_claims"]


def floor_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """`std::cmp::max(d, Duration::from_secs(C))`: a delay of at least C, under its condition."""
    assert f.flow is not None
    out = []
    for c in f.calls:
        if c.kind != "fn" or c.full not in ("std::cmp::max", "cmp::max", "max") or len(c.args) != 2:
            continue
        m = re.fullmatch(r"Duration::from_(secs|millis)\((\w+)\)", c.args[1])
        if not m:
            continue
        const = f.const(m.group(2))
        if const is None or const.value is None:
            continue
        secs = const.value * (1 if m.group(1) == "secs" else 1e-3)
        slots = {"dur": human_duration(secs), "const": const.name, "base": c.args[0]}
        region = f.flow.regions[c.region]
        flags: set[str] = {"conditional"} if region.kind == "if" else set()
        if region.kind == "if":
            _mark_when(region.head, slots, flags)
        jit = f.jitters[0] if f.jitters else None
        if jit is not None:
            # The floor is on the delay before jitter is applied: the result can fall below it.
            slots["jitter"] = jit.const or jit.base
            flags.add("before-jitter")
        _mark_rework(ctx, f, c, jit, slots, flags)
        out.append(make("at_least", f.name, slots, [ctx.proof(c.src), ctx.proof(const.src)], flags))
    return out


def _mark_when(cond: str, slots: dict[str, str], flags: set[str]) -> None:
    """The error patterns the floor's `if` picks out, and a guarded one said whole or flagged as
    left out."""
    whens, partial = _matched_patterns(cond)
    if whens:
        slots["when"] = codes(*whens)
    cases = _guarded_patterns(cond)
    if whens and partial:
        if len(cases) == 1:
            # `ErrorType::Http(HttpError { status, .. }) if status == TOO_MANY_REQUESTS`:
            # said whole, pattern and guard (blind read 36 found "one more case the
            # condition picks out" evasive).
            slots["also_path"], slots["also_field"], slots["also_value"] = cases[0]
            flags.add("when-guarded")
        else:
            flags.add("when-partial")  # a guarded case left out of `when`: say there is one


def _mark_rework(
    ctx: FileContext,
    f: ItemFacts,
    c: Call,
    jit: Jitter | None,
    slots: dict[str, str],
    flags: set[str],
) -> None:
    """The same-file steps that compute the delay again from the floored value ``c`` before
    jitter, under which condition, and whether they keep the floor."""
    # `let duration = max(..); let duration = limit_retry_delay(duration, ..);`: steps in
    # between that compute the delay again from the floored value.
    holder = next((a for a in f.assigns if a.src.start <= c.src.start < a.src.end and a.var), None)
    if holder is None:
        return
    later = [
        a
        for a in f.assigns
        if a.var == holder.var
        and a.src.start >= holder.src.end
        and (jit is None or a.src.start < jit.src.start)
    ]
    if not later:
        return
    flags.add("reworked")
    steps = [
        k.name
        for a in later
        for k in f.calls
        if a.src.start <= k.src.start < a.src.end and ctx.local_fn(k.name) is not None
    ]
    if not steps:
        return
    slots["rework"] = codes(*dict.fromkeys(steps))
    # `let d = if let Some(x) = hint { step(d, x) } else { d };`: the step runs
    # only under that condition.
    guarded = [a for a in later if a.branches]
    if guarded:
        slots["rework_when"] = guarded[0].branches[0]  # type: ignore[index]
        flags.add("rework-conditional")
    if len(set(steps)) == 1 and _keeps_floor(ctx, steps[0], holder.var, later):
        flags.add("rework-keeps-floor")
        arg = _twice_ceiling_arg(ctx, f, steps[0], later)
        if arg:
            flags.add("ceiling-twice")
            slots["rework_arg"] = arg


def _match_terms(cond: str) -> list[tuple[str, str, str]] | None:
    """``cond`` as its `||` terms, each `matches!(e, pattern [if guard])` with one path in its
    pattern: (path, pattern, guard). None when any term is anything else."""
    out: list[tuple[str, str, str]] = []
    for term in re.split(r"\s*\|\|\s*", cond):
        m = re.fullmatch(r"matches!\((.+)\)", term.strip(), re.S)
        if not m:
            return None
        _, _, pattern = m.group(1).partition(",")
        pattern, _, guard = pattern.partition(" if ")
        paths = re.findall(r"\b([A-Z]\w*::[A-Z_][A-Za-z_]*)\b", pattern)
        if len(paths) != 1:
            return None
        out.append((paths[0], pattern, guard))
    return out


def _matched_patterns(cond: str) -> tuple[list[str], bool]:
    """`matches!(e, A::X(_)) || matches!(e, B { s, .. } if s == C::Y)` -> [`A::X`]: per `||`
    term, the pattern's path. A term with a guard is left out: `C::Y` alone would drop the
    pattern it must arrive in (blind read 30: a 429 counts only inside `ErrorType::Http`, and the
    crate's endpoint 429s arrive as another variant); the second value says a case was left
    out, so a sentence says there is one (blind read 32 counted the bare list as a dropped
    condition). Empty when the condition is anything else, so nothing is read into it."""
    terms = _match_terms(cond)
    if terms is None:
        return [], False
    return [p for p, _, guard in terms if not guard], any(guard for _, _, guard in terms)


def _guarded_patterns(cond: str) -> list[tuple[str, str, str]]:
    """The guarded terms of ``cond`` (see ``_match_terms``) as (pattern path, bound field,
    value), when each guard compares a name its pattern binds with a path. Anything else in a
    guard gives nothing, so it is never half said."""
    out: list[tuple[str, str, str]] = []
    for path, pattern, guard in _match_terms(cond) or []:
        if not guard:
            continue
        g = re.fullmatch(r"\s*([a-z_]\w*)\s*==\s*([A-Za-z_][\w:]*)\s*", guard)
        if g is None or not re.search(rf"\b{g.group(1)}\b", pattern):
            return []
        out.append((path, g.group(1), g.group(2)))
    return out


def _one_line_body(ctx: FileContext, name: str) -> tuple[str, str] | None:
    """(first parameter, body folded to one line) of same-file fn ``name``, when it has both."""
    g = ctx.local_fn(name)
    if g is None or not g.params or g.item.body_start is None:
        return None
    return g.params[0][0], " ".join(
        ctx.fs.text[g.item.body_start : g.item.end].strip().strip("{}").split()
    )


def _keeps_floor(ctx: FileContext, name: str, var: str, later: list[Assign]) -> bool:
    """The step that computes the delay again is `fn step(base, ..) { x.clamp(base, ..) }`,
    handed the floored value as ``base``: its result is never below the floor."""
    found = _one_line_body(ctx, name)
    if found is None:
        return False
    first, body = found
    if not re.fullmatch(rf"[\w.]+\.clamp\(\s*{re.escape(first)}\s*,[^;]*\)", body):
        return False
    # The floored value goes in as that first argument: `step(duration, ..)`.
    return any(re.search(rf"\b{re.escape(name)}\(\s*{re.escape(var)}\s*,", a.value) for a in later)


def _twice_ceiling_arg(ctx: FileContext, f: ItemFacts, name: str, later: list[Assign]) -> str:
    """`step(floored, hint)` where `step` is `hint.clamp(base, base * 2)`: the hint's name (the
    ceiling is twice the floored value), or ""."""
    call = next(
        (
            k
            for a in later
            for k in f.calls
            if a.src.start <= k.src.start < a.src.end and k.name == name
        ),
        None,
    )
    if call is None or len(call.args) != 2 or not call.args[1].isidentifier():
        return ""
    return call.args[1] if _ceiling_twice(ctx, name) else ""


def _ceiling_twice(ctx: FileContext, name: str) -> bool:
    """`fn step(base, x) { x.clamp(base, base * 2) }`: the clamp's ceiling is twice its floor."""
    found = _one_line_body(ctx, name)
    if found is None:
        return False
    first, body = found
    first = re.escape(first)
    return bool(re.fullmatch(rf"[\w.]+\.clamp\(\s*{first}\s*,\s*{first}\s*\*\s*2\s*\)", body))
