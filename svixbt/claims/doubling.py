"""A loop bounded by a value it multiplies each round: `let mut tempo = 4; while tempo <
MAX_BACKOFF { ..; sleep(from_millis(rng.gen_range(1..=tempo))).await; tempo *= 2; }`. The
number of rounds and the waits follow from the code alone; surrealdb's `has_lease` was said as
"waits with `tokio::time::sleep` on `Duration::from_millis(sleep_ms)`", and its read asked for
the 4 ms start, the doubling, the full jitter and the 13 attempts (read 72 #12)."""

from __future__ import annotations

import re

from ..facts import Assign, ItemFacts
from ..flow import Region
from ..values import eval_number, human_duration, human_int
from .core import Claim, FileContext, Proof, make

__all__ = ["doubling_claims"]

_HEAD = re.compile(r"(?P<var>[a-z_]\w*)\s*(?P<op><=|<)\s*(?P<cap>[A-Za-z_]\w*|\d[\d_]*)")
_TIMES = re.compile(r"\*=\s*(?P<factor>\d+)")
_INT = re.compile(r"(?P<n>\d[\d_]*)(?:u8|u16|u32|u64|u128|usize|i32|i64)?")
_UNITS = {"from_millis": 0.001, "from_secs": 1.0}
_WAIT = re.compile(
    r"(?:[\w:]*::)?Duration::(?P<unit>from_millis|from_secs)\(\s*(?P<arg>[a-z_]\w*)\s*\)"
)
# A random pause up to the bound: `rng.gen_range(1..=tempo)`, `random_range(0..tempo)`.
_JITTER = re.compile(
    r"(?:gen_range|random_range)\(\s*(?P<lo>\d+)\s*\.\.(?P<eq>=?)\s*(?P<var>[a-z_]\w*)\s*\)"
)


def doubling_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    if f.flow is None:
        return []
    out: list[Claim] = []
    for loop in f.flow.regions:
        if loop.kind != "loop" or not f.own(loop.id):
            continue
        if loop.keyword == "loop":
            claim = _gives_up(ctx, f, loop)
        elif loop.keyword == "while":
            claim = _doubling(ctx, f, loop)
        else:
            continue
        if claim is not None:
            out.append(claim)
    return out


def _counter(f: ItemFacts, var: str) -> tuple[Assign, Assign, int, int] | None:
    """`let mut var = 4;` and one `var *= 2;`: the update, the `let`, the factor and the start."""
    ups = [u for u in f.updates if u.var == var]
    sets = [a for a in f.assigns if a.var == var]
    if len(ups) != 1 or len(sets) != 1 or not sets[0].is_let:
        return None
    times = _TIMES.fullmatch(ups[0].value.strip())
    first = _INT.fullmatch(sets[0].value.strip())
    if times is None or first is None:
        return None
    return ups[0], sets[0], int(times.group("factor")), int(first.group("n").replace("_", ""))


def _values(f: ItemFacts, said: str, start: int, factor: int, below: bool) -> list[int] | None:
    """The counter's values on the rounds that run: from ``start``, times ``factor``, while below
    the cap ``said`` (or at most it, when not ``below``); None for a cap not worked out, or fewer
    than two rounds."""
    consts = {c.name: c.value for c in f.consts if c.value is not None and not c.is_duration}
    cap = eval_number([said.replace("_", "") if said[0].isdigit() else said], consts)
    if cap is None:
        return None
    values: list[int] = []
    v = start
    while (v < cap if below else v <= cap) and len(values) < 64:
        values.append(v)
        v *= factor
    return values if len(values) >= 2 else None


def _doubling(ctx: FileContext, f: ItemFacts, loop: Region) -> Claim | None:
    assert f.flow is not None
    m = _HEAD.fullmatch(loop.head.strip())
    if m is None:
        return None
    var = m.group("var")
    counter = _counter(f, var)
    if counter is None or not f.flow.inside(counter[0].region, loop.id):
        return None
    up, let, factor, start = counter
    if factor < 2 or start < 1:
        return None
    values = _values(f, m.group("cap"), start, factor, below=m.group("op") == "<")
    if values is None:
        return None
    slots = {
        "var": var,
        "low": human_int(start),
        "bound": m.group("cap"),
        "tries": str(len(values)),
        "high": human_int(values[-1]),
    }
    flags = {"doubles"} if factor == 2 else {"multiplies"}
    if m.group("op") == "<=":
        flags.add("inclusive")
    if factor != 2:
        slots["factor"] = str(factor)
    proofs = [ctx.proof(ctx.head_src(loop)), ctx.proof(up.src), ctx.proof(let.src)]
    _waits(ctx, f, loop, var, values, slots, flags, proofs)
    return make("doubling", f.name, slots, proofs, flags)


_OVER = re.compile(r"(?P<var>[a-z_]\w*)\s*(?P<op>>=|>)\s*(?P<cap>[A-Za-z_]\w*|\d[\d_]*)")


def _gives_up(ctx: FileContext, f: ItemFacts, loop: Region) -> Claim | None:
    """`loop { ..; if seconds > 64 { return Err(..) } sleep(from_secs(seconds)).await; seconds *=
    2; }`: the check, the wait and the doubling in that order on one path, so the waits run
    from the first value up to the cap and the next failure gives up (twilight's lavalink
    `backoff`: its think named no delay at all, held-out read 78)."""
    assert f.flow is not None
    fl = f.flow
    for r in fl.regions:
        m = _OVER.fullmatch(r.head.strip()) if r.kind == "if" else None
        if m is None or fl.loop_of(r.id) is not loop:
            continue
        if not any(e.region == r.id and e.kind in ("return", "break") for e in f.exits):
            continue
        var = m.group("var")
        counter = _counter(f, var)
        if counter is None or fl.loop_of(counter[0].region) is not loop:
            continue
        up, let, factor, start = counter
        waits = [
            w
            for w in f.waits
            if w.role == "sleep"
            and fl.loop_of(w.region) is loop
            and (d := _WAIT.fullmatch(w.arg.strip())) is not None
            and d.group("arg") == var
            and fl.end_of(r) <= w.src.start < up.src.start
            and not fl.exclusive(w.region, up.region)
            and not fl.exclusive(w.region, r.id)
        ]
        said = m.group("cap")
        if len(waits) != 1 or factor != 2 or start < 1:
            continue
        # `if v > cap { leave }` keeps the rounds with `v <= cap`; `>=` those with `v < cap`.
        values = _values(f, said, start, factor, below=m.group("op") == ">=")
        if values is None:
            continue
        w = waits[0]
        d = _WAIT.fullmatch(w.arg.strip())
        assert d is not None
        unit = _UNITS[d.group("unit")]
        slots = {
            "var": var,
            "low": human_int(start),
            "bound": said,
            "tries": str(len(values)),
            "high": human_int(values[-1]),
            "unit": "milliseconds" if unit < 1 else "seconds",
            "total": human_duration(sum(values) * unit),
            "mech": w.mechanism,
        }
        proofs = [ctx.proof(ctx.head_src(r)), ctx.proof(let.src), ctx.proof(w.src)]
        proofs.append(ctx.proof(up.src))
        flags = {"doubles", "gives-up", "exact"} | ({"at-cap"} if m.group("op") == ">=" else set())
        return make("doubling", f.name, slots, proofs, flags)
    return None


def _waits(
    ctx: FileContext,
    f: ItemFacts,
    loop: Region,
    var: str,
    values: list[int],
    slots: dict[str, str],
    flags: set[str],
    proofs: list[Proof],
) -> None:
    """The round's sleep on that value, as it is or as a random pause up to it: the unit, and
    the most the waits add up to over every round."""
    assert f.flow is not None
    for w in f.waits:
        if w.role != "sleep" or not f.flow.inside(w.region, loop.id):
            continue
        d = _WAIT.fullmatch(w.arg.strip())
        if d is None:
            continue
        unit = _UNITS[d.group("unit")]
        arg = d.group("arg")
        if arg == var:
            flags.add("exact")
        else:
            bound = [a for a in f.assigns if a.var == arg and a.is_let]
            j = _JITTER.search(bound[0].value) if len(bound) == 1 else None
            if j is None or j.group("var") != var:
                continue
            slots["jitter"] = bound[0].value.strip()
            flags.add("jitter")
            proofs.append(ctx.proof(bound[0].src))
        slots["unit"] = "milliseconds" if unit < 1 else "seconds"
        slots["total"] = human_duration(sum(values) * unit)
        slots["mech"] = w.mechanism
        proofs.append(ctx.proof(w.src))
        return
