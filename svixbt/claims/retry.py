"""Claims about retry and backoff arithmetic: schedules of waits, a wait that doubles to a cap,
jitter, clamps and floors — every number evaluated from the code. A floor and the steps that
rework it are read in ``retry_floors``, which errors a retry loop retries in ``retry_filter``."""

from __future__ import annotations

import re

from ..crate_index import owner_of
from ..facts import ItemFacts
from ..scanner import ScanResult
from ..values import human_duration, human_durations, human_percent
from .core import Claim, FileContext, make
from .handed import Handed, handed_schedules
from .mul_growth import mul_growth_claims
from .redo import redo_claims
from .retry_filter import retry_filters
from .retry_floors import floor_claims
from .shape import codes, guard_of, main_loop

__all__ = ["only_after_error", "retry_claims"]


def retry_claims(ctx: FileContext, idx: int) -> list[Claim]:
    f = ctx.facts[idx]
    if f.flow is None:
        return []
    out: list[Claim] = []
    out += _schedules(ctx, f)
    out += _growths(ctx, f)
    out += _backoffs(ctx, f)
    out += mul_growth_claims(ctx, f)
    out += _linear_backoffs(ctx, f)
    out += _jitters(ctx, f)
    out += _clamps(ctx, f)
    out += floor_claims(ctx, f)
    out += _retry_with(ctx, f)
    out += _schedule_steps(ctx, f)
    out += _give_ups(ctx, f)
    out += redo_claims(ctx, f)
    out += retry_filters(ctx, f)
    return out


def _retry_with(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A call handed a const schedule of waits: `Retry::new(should_retry, RETRY_SCHEDULE)`."""
    out: list[Claim] = []
    named = {s.name: s for s in f.schedules if s.region == -1}
    for c in f.calls:
        if c.kind != "fn":
            continue
        hits = [a for a in c.args if a.lstrip("&") in named]
        if len(hits) != 1:
            continue
        s = named[hits[0].lstrip("&")]
        slots = {
            "ctor": c.written,
            "schedule": s.name,
            "count": str(len(s.seconds)),
            "first": human_duration(s.seconds[0]),
            "last": human_duration(s.seconds[-1]),
        }
        others = [a for a in c.args if a not in hits and re.fullmatch(r"[a-z_]\w*", a)]
        if len(others) == 1 and others[0] not in {p for p, _ in f.params}:
            slots["predicate"] = others[0]
        flags = (
            {"doubling"}
            if all(abs(b - 2 * a) < 1e-9 for a, b in zip(s.seconds, s.seconds[1:], strict=False))
            else set()
        )
        if len(c.args) > 1:
            # Handed something besides the schedule (`should_retry`): which failures are retried
            # at all may be up to it, so "a failure is retried" would drop a condition (blind
            # read 41 on ack).
            flags.add("filtered")
        out.append(make("retry_with", f.name, slots, [ctx.proof(c.src), ctx.proof(s.src)], flags))
    return out


def _schedule_steps(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """`sleep(x[0])` and `x = &x[1..]`: each retry takes the next wait off the schedule."""
    out: list[Claim] = []
    for w in f.waits:
        m = re.fullmatch(r"\*?(.+?)\s*\[\s*0\s*\]", w.arg)
        if w.role != "sleep" or not m:
            continue
        name = m.group(1)
        steps = [
            a
            for a in f.assigns
            if a.var == name
            and not a.is_let
            and re.fullmatch(rf"&\s*{re.escape(name)}\s*\[\s*1\s*\.\.\s*\]", a.value)
        ]
        if not steps:
            continue
        slots = {
            "head": w.arg,
            "step": " ".join(steps[0].src.text.split()).rstrip(";"),
            "list": name,
        }
        flags: set[str] = set()
        proof = [ctx.proof(w.src), ctx.proof(steps[0].src)]
        ctor = _ctor_storing(ctx, f, name)
        if ctor is not None:
            slots["ctor"] = f"{owner_of(ctx.fs, f.index)}::{ctor.name}"
            handed, whole = handed_schedules(ctx, ctor, name.removeprefix("self."))
            slots |= _handed_slots(ctx, handed, whole, flags)
            proof += [ctx.other_proof(h.file, h.src) for h in handed]
        # The sleep sits in the branch that retries (`else` of "schedule empty or not worth
        # retrying"): a failure that is not retried does not sleep (blind read 36 on Retry::run).
        conds, _, negated = guard_of(f, w.region, None, w.src.start)
        if negated:
            continue
        if conds:
            slots["guard"] = codes(*conds)
            flags.add("guarded")
        out.append(make("schedule_step", f.name, slots, proof, flags))
    return out


def _handed_slots(
    ctx: FileContext, handed: list[Handed], whole: bool, flags: set[str]
) -> dict[str, str]:
    """What the claim says of the schedules callers hand: their consts and files, and their
    waits when they all hold the same ones (``one-schedule``; ``all-handed`` when every call
    in the crate's source that reaches the constructor passes one of them)."""
    if not handed:
        return {}
    slots = {
        "handed": codes(*dict.fromkeys(h.name for h in handed)),
        "handed_files": codes(*dict.fromkeys(ctx.other_display(h.file) for h in handed)),
    }
    if len({h.seconds for h in handed}) == 1:
        flags.add("one-schedule")
        waits = handed[0].seconds
        slots["handed_values"] = human_durations(waits)
        slots["handed_count"] = str(len(waits))
    if whole:
        flags.add("all-handed")
    return slots


def _ctor_storing(ctx: FileContext, f: ItemFacts, name: str) -> ItemFacts | None:
    """The fn of the same impl (`Retry::new`) that takes a parameter named as ``name``'s field
    (`self.<field>`) and stores it as the field (`Self { retry_schedule, .. }`): the schedule
    is the one its caller handed it (blind read 62: "is the wait the same every time?" about
    `Retry::run` was half answered without that)."""
    field = name.removeprefix("self.")
    parent = f.item.parent
    if field == name or parent is None:
        return None
    scan = ctx.fs.scan
    for g in ctx.facts.values():
        if g.item.parent != parent or g is f or g.item.body_start is None:
            continue
        if field not in {p for p, _ in g.params}:
            continue
        if _stores_param(scan, g.item.body_start, g.item.end, field):
            return g
    return None


def _stores_param(scan: ScanResult, start: int, end: int, field: str) -> bool:
    """Whether the body in ``[start, end)`` builds `Self { .. }` with ``field`` taken from the
    parameter of that name: `Self { field, .. }` or `Self { field: field, .. }`."""
    t = scan.texts
    toks = scan.token_range(start, end)
    for i in toks:
        if t[i] != "Self" or i + 1 >= toks.stop or t[i + 1] != "{":
            continue
        close = scan.match[i + 1]
        for k in range(i + 2, close):
            if t[k] != field or t[k - 1] not in ("{", ","):
                continue
            if t[k + 1] in (",", "}") or (t[k + 1] == ":" and t[k + 2] == field):
                return True
    return False


def _give_ups(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """In an error branch, `if cond { ..return the error.. } else { ..sleep.. }`: it stops
    retrying when `cond` holds."""
    assert f.flow is not None
    out: list[Claim] = []
    for r in f.flow.regions:
        if r.kind != "if" or not f.own(r.id):
            continue
        if not any(a.kind == "arm" and a.head.startswith("Err") for a in f.flow.chain(r.id)):
            continue
        other = next(
            (
                e
                for e in f.flow.regions
                if e.kind == "else"
                and e.start_tok >= 0
                and e.parent == r.parent
                and e.head == r.head
            ),
            None,
        )
        if other is None:
            continue
        sleeps_else = any(w.role == "sleep" and f.flow.inside(w.region, other.id) for w in f.waits)
        sleeps_then = any(w.role == "sleep" and f.flow.inside(w.region, r.id) for w in f.waits)
        hands_back = any(c.name == "Err" and f.flow.inside(c.region, r.id) for c in f.calls)
        if sleeps_else and not sleeps_then and hands_back:
            out.append(make("give_up", f.name, {"cond": r.head}, [ctx.proof(ctx.region_src(f, r))]))
    return out


def _growths(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A schedule built with `successors`: first wait, factor, cap and how many, evaluated."""
    assert f.flow is not None
    out = []
    for g in f.growths:
        if g.cap_seconds is None:
            continue
        slots = {
            "mech": g.src.text.split("(", 1)[0],
            "initial": human_duration(g.first_seconds),
            "factor": f"{g.factor:g}",
            "cap": human_duration(g.cap_seconds),
            "cap_expr": g.cap_expr,
        }
        flags = {"doubling"} if g.factor == 2 else set()
        if g.take:
            slots["take"] = g.take
            flags.add("taken")
        for r in f.flow.chain(g.region):
            if r.kind == "arm":
                m = next((x for x in f.flow.regions if x.id == r.parent), None)
                if m is not None and m.kind == "match" and m.head:
                    slots["arm"] = r.head
                    slots["scrutinee"] = m.head
                    flags.add("in-arm")
                break
        out.append(make("growth", f.name, slots, [ctx.proof(g.src)], flags))
    return out


def _schedules(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    out = []
    for s in f.schedules:
        slots = {
            "name": s.name,
            "count": str(len(s.seconds)),
            "first": human_duration(s.seconds[0]),
            "last": human_duration(s.seconds[-1]),
            "values": codes(*(human_duration(x) for x in s.seconds)),
        }
        flags = set()
        users = [
            c
            for c in f.calls
            if c.kind == "fn" and any(re.search(rf"\b{re.escape(s.name)}\b", a) for a in c.args)
        ]
        if users:
            # The innermost call that takes it: `run(&delays)`, not the `spawn` around it.
            users.sort(key=lambda c: c.src.end - c.src.start)
            slots["callee"] = users[0].written
            flags.add("passed")
        if all(b >= a for a, b in zip(s.seconds, s.seconds[1:], strict=False)):
            flags.add("growing")
        if all(abs(b - 2 * a) < 1e-6 for a, b in zip(s.seconds, s.seconds[1:], strict=False)):
            flags.add("doubling")
        out.append(make("schedule", f.name, slots, [ctx.proof(s.src)], flags))
    return out


def _backoffs(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    assert f.flow is not None
    out = []
    loop = main_loop(f)
    for b in f.backoffs:
        if b.cap_seconds is None:
            continue
        slots = {
            "var": b.var,
            "factor": f"{b.factor:g}",
            "cap": human_duration(b.cap_seconds),
            "cap_expr": b.cap_expr,
        }
        init = next(
            (
                a
                for a in f.assigns
                if a.is_let and a.var == b.var and re.match(r"Duration::", a.value)
            ),
            None,
        )
        proof = [ctx.proof(b.src)]
        consts = {c.name: c.value for c in f.consts if c.value is not None}
        if init is not None:
            from ..values import duration_seconds

            toks = re.findall(r"\w+|::|[()*+/-]", init.value)
            secs = duration_seconds(toks, {k: v for k, v in consts.items() if v is not None})
            if secs is not None:
                slots["initial"] = human_duration(secs)
                proof.append(ctx.proof(init.src))
        flags = set()
        if loop is not None and only_after_error(f, loop, b.src.start):
            flags.add("after-error")
        # `sleep(backoff)` and then `backoff *= 2`: the first wait is the initial value (grown
        # first, it would be twice that; blind read 33 read "after a failed pass the wait is
        # multiplied by 2" as a first wait of 10 s).
        if loop is not None and any(
            w.arg == b.var and w.src.start < b.src.start and f.flow.loop_of(w.region) is loop
            for w in f.waits
        ):
            flags.add("grows-after-wait")
        out.append(make("backoff", f.name, slots, proof, flags))
    return out


def only_after_error(f: ItemFacts, loop, pos: int) -> bool:  # type: ignore[no-untyped-def]
    """True when code at ``pos`` in ``loop`` is reached only after an `Err` arm: every other arm
    of an earlier `match` in the loop leaves the loop."""
    assert f.flow is not None
    for m in f.flow.regions:
        if m.kind != "match" or m.parent != loop.id:
            continue
        if f.flow.scan.starts[m.hi] > pos:
            continue
        arms = [a for a in f.flow.regions if a.kind == "arm" and a.parent == m.id]
        others = [a for a in arms if not a.head.startswith("Err")]
        if not others or len(others) == len(arms):
            continue
        if all(
            any(e.kind in ("return", "break") and f.flow.inside(e.region, a.id) for e in f.exits)
            for a in others
        ):
            return True
    return False


def _jitters(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    return [
        make(
            "jitter",
            f.name,
            {"pct": human_percent(j.fraction), "const": j.const or "", "base": j.base},
            [ctx.proof(j.src)],
        )
        for j in f.jitters
        if j.const
    ]


def _clamps(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    out = []
    for c in f.calls:
        if c.kind == "method" and c.name == "clamp" and len(c.args) == 2 and c.receiver:
            out.append(
                make(
                    "clamp",
                    f.name,
                    {"value_code": c.receiver, "lo": c.args[0], "hi": c.args[1]},
                    [ctx.proof(c.src)],
                )
            )
    return out


# `Duration::from_millis((300 * fails).min(3000))`: a step times a counter, capped.
_LINEAR = re.compile(
    r"Duration::from_(millis|secs)\(\(\s*(\d+)\s*\*\s*(\w+)\s*\)\s*\.min\(\s*(\d+)\s*\)\s*\)"
)


def _linear_backoffs(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A sleep of `step * counter`, capped, in the loop; the counter bumped by one in the loop
    and set back to zero under a condition: a wait that grows linearly and resets."""
    assert f.flow is not None
    out: list[Claim] = []
    for w in f.waits:
        m = _LINEAR.fullmatch(w.arg.replace(" ", "")) or _LINEAR.fullmatch(w.arg)
        loop = f.flow.loop_of(w.region)
        if m is None or loop is None or not f.own(w.region):
            continue
        unit = 0.001 if m.group(1) == "millis" else 1.0
        step, var, cap = float(m.group(2)) * unit, m.group(3), float(m.group(4)) * unit
        bumps = [
            u
            for u in f.updates
            if u.var == var and u.value == "+= 1" and f.flow.inside(u.region, loop.id)
        ]
        resets = [
            a
            for a in f.assigns
            if a.var == var
            and not a.is_let
            and a.value == "0"
            and f.flow.inside(a.region, loop.id)
            and a.src.end <= w.src.start
        ]
        if not bumps or step <= 0 or cap < step:
            continue
        slots = {
            "arg": w.arg,
            "var": var,
            "unit": human_duration(step),
            "cap": human_duration(cap),
            "count": str(int(cap // step)),
            "mech": w.mechanism,
        }
        proof = [ctx.proof(w.src), ctx.proof(bumps[0].src)]
        flags: set[str] = set()
        reset = resets[0] if resets else None
        cond = f.flow.regions[reset.region] if reset is not None else None
        if reset is not None and cond is not None and cond.kind == "if" and cond.head:
            slots["reset"] = cond.head
            proof += [ctx.proof(reset.src), ctx.proof(ctx.region_src(f, cond))]
            flags.add("resets")
        out.append(make("linear_backoff", f.name, slots, proof, flags))
    return out
