"""A pass loop woken by a `select!` whose branches do no work of their own (they log, or do
nothing): which future won changes nothing about the round, which runs the same calls either way.

fluvio's controllers race two store listeners and then sync both stores, whichever fired; the
records read the select back ("should race `a.listen()` and `b.listen()` and take whichever
finishes first") and never said that the winner does not matter to the work, which is the
point of the design and the answer to "does a change on one side still sync the other?".
"""

from __future__ import annotations

from ..fact_types import Call
from ..facts import ItemFacts
from ..flow import Region, branch_future
from ..values import human_duration
from .core import Claim, FileContext, Proof, make
from .round_work import MAX_ROUND_CALLS, body_calls, call_said
from .shape import codes, own_main_loop

__all__ = ["woken_work_claims"]


def woken_work_claims(ctx: FileContext, idx: int) -> list[Claim]:
    f = ctx.facts.get(idx)
    if f is None or f.flow is None:
        return []
    loop = own_main_loop(f)
    # A bare `loop`: a `while` head checked after the select can end the round a wake-up
    # began (garage's discovery loop stops on the watch value its select also waits for).
    if loop is None or loop.keyword != "loop":
        return []
    fl = f.flow
    handlers = [r for r in fl.regions if r.kind == "select-handler" and r.parent == loop.id]
    if len(handlers) < 2 or len({h.keyword for h in handlers}) != 1:
        return []
    lo = min(ctx.fs.scan.starts[h.lo] for h in handlers)
    hi = max(fl.end_of(h) for h in handlers)
    sel_start, sel_end = _select_span(ctx, f, lo, hi)
    wakes: list[Region] = []
    stops: list[Region] = []
    logs = False
    for h in handlers:
        kind = _branch(f, h)
        if kind is None:
            return []  # a branch with work of its own, or a `continue`: the winner matters
        if kind == "stop":
            stops.append(h)
        else:
            wakes.append(h)
            logs = logs or kind == "logs"
    # A guarded branch (`x.notified(), if idle`) is raced only sometimes: not said.
    if len(wakes) < 2 or any(not h.detail or ", if " in h.detail for h in wakes):
        return []
    calls = _work(ctx, f, loop, sel_start, sel_end, stops)
    if not calls:
        return []
    before = all(c.src.end <= sel_start for c in calls)
    after = all(c.src.start >= sel_end for c in calls)
    flags = {"logs" if logs else "quiet"}
    if before:
        flags.add("work-first")
    elif after:
        flags.add("work-after")
    else:
        return []  # work on both sides of the wait: no one order to say
    if stops:
        flags.add("stops")
    if len(calls) > MAX_ROUND_CALLS:
        flags.add("more")
    shown = calls[:MAX_ROUND_CALLS]
    slots = {
        "select": handlers[0].keyword + "!",
        "futures": codes(*(branch_future(h.detail) for h in wakes)),
        "calls": codes(*(call_said(c) for c in shown)),
    }
    proof = [ctx.proof(c.src) for c in shown] + [ctx.proof(ctx.region_src(f, h)) for h in wakes]
    if not _nap_after(ctx, f, loop, sel_end, before, slots, flags, proof):
        return []  # more than one wait after the select: not the simple shape said here
    return [make("woken_work", f.name, slots, proof, flags)]


def _nap_after(
    ctx: FileContext,
    f: ItemFacts,
    loop: Region,
    sel_end: int,
    before: bool,
    slots: dict[str, str],
    flags: set[str],
    proof: list[Proof],
) -> bool:
    """Add the one sleep right in the loop after the select, if there is one; False when there
    are several. Every wake-up waits it out before the next round (fluvio's connect.rs sleeps
    5 s after each wake-up; blind read 18: "leaves out the 5 s sleep")."""
    assert f.flow is not None
    naps = [
        w for w in f.waits if w.role == "sleep" and w.region == loop.id and w.src.start >= sel_end
    ]
    # A crate's own `sleep` (fluvio's `fluvio_future::timer::sleep`) is no tokio wait fact, but
    # an awaited call named `sleep` right in the loop is a pause all the same.
    other = [
        c
        for c in f.calls
        if c.awaited
        and c.kind == "fn"
        and c.name == "sleep"
        and c.region == loop.id
        and c.src.start >= sel_end
        and len(c.args) == 1
        and not any(w.src.start == c.src.start for w in naps)
    ]
    if len(naps) + len(other) > 1:
        return False
    if naps and before:
        slots["mech"] = naps[0].mechanism
        slots["arg"] = naps[0].arg
        if naps[0].seconds is not None:
            slots["dur"] = human_duration(naps[0].seconds)
        proof.append(ctx.proof(naps[0].src))
        flags.add("then-sleeps")
    elif other and before:
        slots["mech"] = other[0].written
        slots["arg"] = other[0].args[0]
        proof.append(ctx.proof(other[0].src))
        flags.add("then-sleeps")
    return True


def _select_span(ctx: FileContext, f: ItemFacts, lo: int, hi: int) -> tuple[int, int]:
    """The char span of the `select!` call around its handlers (its macro call, when found)."""
    for c in f.calls:
        if c.kind == "macro" and c.name.rstrip("!") == "select" and c.src.start <= lo < c.src.end:
            return c.src.start, c.src.end
    return lo, hi


def _branch(f: ItemFacts, h: Region) -> str | None:
    """ "stop" for a branch that leaves (`break`/`return`), "logs" or "quiet" for one that only
    logs or does nothing, None for one with work or a `continue`."""
    assert f.flow is not None
    fl = f.flow
    exits = [e for e in f.exits if fl.inside(e.region, h.id)]
    if any(e.kind in ("continue", "question") for e in exits):
        return None
    if exits and not all(e.kind in ("break", "return") for e in exits):
        return None
    # A branch that always leaves is a stop, whatever it does on the way out (connect.rs's end
    # event updates a status, then breaks); one that leaves only on some paths is a branch
    # with work (private_server's request branch).
    if any(e.region == h.id for e in exits):
        return "stop"
    log_spans = [(g.src.start, g.src.end) for g in f.logs if fl.inside(g.region, h.id)]
    for c in f.calls:
        if not fl.inside(c.region, h.id):
            continue
        if any(a <= c.src.start < b for a, b in log_spans):
            continue  # a log macro, or a call inside its arguments
        return None  # work of its own
    if exits:
        return None  # leaves on some paths only
    if _has_value(f, h, log_spans):
        return None  # `=> { false }`: the branch's value decides something after the select
    return "logs" if log_spans else "quiet"


def _has_value(f: ItemFacts, h: Region, log_spans: list[tuple[int, int]]) -> bool:
    """Whether the handler holds code other than its log lines (an expression, an assignment)."""
    assert f.flow is not None
    scan = f.flow.scan
    for k in range(h.lo, min(h.hi, len(scan.texts))):
        if scan.codes[k] in "cdi" or scan.texts[k] in ("{", "}", ";", ","):
            continue
        if any(a <= scan.starts[k] < b for a, b in log_spans):
            continue
        return True
    return False


def _work(
    ctx: FileContext, f: ItemFacts, loop: Region, sel_start: int, sel_end: int, stops: list[Region]
) -> list[Call]:
    """The awaited calls right in the loop body outside the select, up to the first exit that
    is not a stop branch's (a round that gets past the select runs them all)."""
    assert f.flow is not None
    fl = f.flow
    starts = ctx.fs.scan.starts
    body = max(starts[loop.lo] if loop.lo < len(starts) else 0, loop.head_end)
    end = fl.end_of(loop)
    cuts = sorted(
        e.src.start
        for e in f.exits
        if body <= e.src.start < end
        and fl.inside(e.region, loop.id)
        and not any(fl.inside(e.region, s.id) for s in stops)
    )
    cut = cuts[0] if cuts else end
    return body_calls(f, loop, body, cut, (sel_start, sel_end))
