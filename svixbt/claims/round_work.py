"""What every round of a task's pass loop does: the calls it awaits with no condition around
them and no way out of the round before them. The thinks said how a loop waits and how it
ends but not what it does between (blind read 10 on lemmy's scheduler: "The pause between
rounds is `tokio::time::sleep` for 1 second" and nothing of `scheduler.run_pending()`)."""

from __future__ import annotations

import re
from bisect import bisect_left

from ..fact_types import Call, Wait
from ..facts import ItemFacts
from ..flow import Region
from ..mechanisms import mechanism
from .core import Claim, FileContext, make
from .round_open import sync_before
from .shape import await_name, call_said, codes, own_main_loop

__all__ = [
    "one_of_calls",
    "round_work",
    "body_calls",
    "call_said",
    "calls_each_round",
    "ends_round",
    "MAX_ROUND_CALLS",
]

MAX_ROUND_CALLS = 3  # a round that awaits more is said by its first few, marked as such


def round_work(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """The awaited calls that sit right in the body of the fn's pass loop (not in an `if`, a
    `match` arm, a `select!` or a task), in source order, up to the first statement that can
    end the round (a `continue`, `break`, `return` or `?` anywhere before them in the body):
    those run on every round that starts. Tokio's own waits are the loop's waits, said by
    their own claims."""
    assert f.flow is not None
    loop = own_main_loop(f)
    if loop is None:
        return []
    body = ctx.fs.scan.starts[loop.lo] if loop.lo < len(ctx.fs.scan.starts) else 0
    body = max(body, loop.head_end)
    end = f.flow.end_of(loop)
    stops = sorted(
        e.src.start
        for e in f.exits
        if body <= e.src.start < end and f.flow.inside(e.region, loop.id)
    )
    cut = stops[0] if stops else end
    if any(
        r.kind == "join-branch" and r.parent == loop.id and body <= fl_start < cut
        for r in f.flow.regions
        for fl_start in [f.flow.scan.starts[r.lo] if r.lo < len(f.flow.scan.starts) else end]
    ):
        # The round's work is a `join!` right in its body, which the join claims
        # say: the calls after it are not what a pass does (linera's EVM scan joins its scan and
        # its completion check; "runs `monitor.read()` to completion, and only then the wait"
        # named a summary read as the pass, read 75 #9).
        return []
    calls = body_calls(f, loop, body, cut)
    if not calls:
        return []
    waits = [w for w in f.waits if w.region == loop.id and body <= w.src.start < end]
    flags = {"one" if len(calls) == 1 else "several"}
    if len(calls) > MAX_ROUND_CALLS:
        flags.add("more")
    if loop.keyword == "loop":
        flags.add("bare")
    last = calls[-1].src.end
    if (
        waits
        and all(w.src.start > last for w in waits)
        # `if done { break result; }` between the work and the sleep: not every round gets
        # to the wait ("and only then the wait" was misleading, held-out read 15).
        and not any(last <= e < min(w.src.start for w in waits) for e in stops)
    ):
        flags.add("then-wait")
    elif (
        waits
        and all(w.src.end < calls[0].src.start for w in waits)
        # `metrics.snapshot(); sleep(d).await; flush().await`: the round does not start with
        # its wait (held-out read 97 #17).
        and not any(sync_before(f, w) for w in waits)
    ):
        flags.add("wait-first")
        if all(_immediate_tick(f, w) for w in waits):
            # `interval.tick().await` at the top: its first tick completes at once, so the
            # first round does not wait (etl's lag sampler: "each pass waits first" was
            # misleading, held-out read 56).
            flags.add("first-at-once")
    shown = calls[:MAX_ROUND_CALLS]
    said = [call_said(c) for c in shown]
    if len(set(said)) < len(said):
        # One fn called several times with other arguments (openobserve's no-ingestion report
        # for 24 hours, 7 days and 13 days): "awaits `r`, `r` and `r`" says nothing of which.
        said = [" ".join(c.src.text.split()) for c in shown]
    slots = {
        "head": f"{loop.keyword} {loop.head}".strip() if loop.keyword != "loop" else "loop",
        "calls": codes(*dict.fromkeys(said)),
        "count": str(len(calls)),
    }
    # The calls alone: the loop's head is the `loop` claim's code, and a think widened with
    # this claim must not read as saying that code twice.
    proof = [ctx.proof(c.src) for c in shown]
    return [make("round_work", f.name, slots, proof, flags)]


def body_calls(
    f: ItemFacts, loop: Region, body: int, cut: int, skip: tuple[int, int] = (0, 0)
) -> list[Call]:
    """The awaited calls written right in ``loop``'s body between char offsets ``body`` and
    ``cut``, in source order, outside the span ``skip`` (a select whose branches are said
    apart): not tokio's own waits, not a call that is another's argument."""
    assert f.flow is not None
    calls: list[Call] = []
    for c in sorted(f.calls, key=lambda c: c.src.start):
        if not (c.awaited and c.region == loop.id and body <= c.src.start < cut):
            continue
        if skip[0] <= c.src.start < skip[1]:
            continue
        if mechanism(c.full) is not None or c.kind == "macro" or not call_said(c):
            continue
        if any(o.src.start <= c.src.start and c.src.end <= o.src.end for o in calls):
            continue  # an argument of a call already taken (`f(g().await).await`)
        if any(r.after and r.head_start <= c.src.start < r.head_end for r in f.flow.regions):
            continue  # an `else if` head runs only when the conditions before it are false
        if f.flow.behind_operand(c.src.start):
            continue  # `if cond && let Err(e) = c().await`: runs only when `cond` holds
        if any(
            w.src.start <= c.src.start < w.src.end or c.src.start <= w.src.start < c.src.end
            for w in f.waits
        ):
            continue  # `interval.tick()` is the loop's wait, not its work
        calls.append(c)
    return calls


_LIBRARY = ("tokio::", "std::", "core::", "futures::")


def calls_each_round(f: ItemFacts, loop: Region, skip_from: int, skip_to: int) -> list[str]:
    """The calls every round of ``loop`` makes, as written, outside the span
    ``skip_from``..``skip_to`` (its sleep): what the pause spaces out ("with no wait it would
    spin" said nothing of this loop, read 27)."""
    assert f.flow is not None
    fl = f.flow
    out: list[str] = []
    t, starts = fl.scan.texts, fl.scan.starts
    codes = fl.scan.codes
    for c in f.calls:
        first = bisect_left(starts, c.src.start)
        before = first - 1
        while before > 0 and codes[before] in "cdi":
            before -= 1  # a comment above the statement (pueue's task handler, read 74)
        # A plain fn call as a statement of its own (`check_callbacks(&mut state);`), not one
        # that computes a value (`total += wait_duration();`).
        statement = (
            c.kind == "fn"
            and t[before] in (";", "{", "}")
            and c.close_tok + 1 < len(t)
            and t[c.close_tok + 1] == ";"
        )
        if (
            (c.awaited or statement)
            and fl.loop_of(c.region) is loop
            and f.own(c.region)
            and not fl.conditions(c.region, stop=loop.id)
            and not fl.behind_operand(c.src.start)
            and not (skip_from <= c.src.start < skip_to)
            and mechanism(c.full) is None
            and not c.full.startswith(_LIBRARY)
            and not c.name[:1].isupper()
            and not _after_a_skip(f, loop, c)
        ):
            name = await_name(c)
            if name not in out:
                out.append(name)
    return out


def _after_a_skip(f: ItemFacts, loop: Region, c: Call) -> bool:
    """Whether an exit written before call ``c`` in ``loop``, under a condition there, can skip
    it: a `continue`, a `break` (of the loop or of a labelled block around ``c``) or a `return`
    (pueue's task handler does `break 'mutex_block` on shutdown before four of its calls:
    "and three other calls" on every round was FALSE, read 74)."""
    assert f.flow is not None
    fl = f.flow
    if any(
        e.kind in ("continue", "break", "return")
        and e.src.end <= c.src.start
        and fl.inside(e.region, loop.id)
        and fl.conditions(e.region, stop=loop.id)
        and not fl.exclusive(e.region, c.region)
        and not fl.inside(c.region, e.region)
        for e in f.exits
    ):
        return True
    # A labelled block's `break 'label` is no exit of the fn's facts: read off the tokens of an
    # `if` before the call.
    t = fl.scan.texts
    return any(
        r.kind == "if"
        and fl.inside(r.id, loop.id)
        and fl.end_of(r) <= c.src.start
        and not fl.inside(c.region, r.id)
        and any(t[k] == "break" and t[k + 1].startswith("'") for k in range(r.lo, r.hi))
        for r in fl.regions
    )


def _immediate_tick(f: ItemFacts, w: Wait) -> bool:
    """Whether ``w`` ticks an interval made with `tokio::time::interval`, whose first tick
    completes at once (not `interval_at`, which starts when it is told)."""
    if w.role != "tick":
        return False
    made = [a for a in f.assigns if a.is_let and a.var == w.var]
    return len(made) == 1 and any(
        v.role == "interval"
        and v.mechanism == "tokio::time::interval"
        and made[0].src.start <= v.src.start < made[0].src.end
        for v in f.waits
    )


# Adapters whose result ends when the collection or count they walk does.
_FINITE_TAIL = re.compile(
    r"\.\s*(?:iter|iter_mut|into_iter|enumerate|zip|chunks|windows|keys|values|drain|rev|skip"
    r"|take|step_by|lines|split)\s*\([^()]*\)\s*$"
)


def _finite_iterable(head: str) -> bool:
    """Whether a `for` head walks something that ends: a range, a collection by name, or one
    through a known adapter. A method's own stream may never end (symbolicator's
    `for interval in taskmon.intervals()`: "the last round sleeps too" of an endless walk,
    read 62)."""
    _, _, iterable = head.partition(" in ")
    if ".." in iterable or not re.search(r"\w\s*\(", iterable):
        return True
    return _FINITE_TAIL.search(iterable) is not None


def ends_round(f: ItemFacts, w: Wait, loop: Region) -> bool:
    """Whether the sleep ``w`` is the last statement of a `while`/`for` ``loop``'s body, so the
    head is checked only after it: the final round sleeps too before the loop ends (qdrant's
    peer recovery sleeps `exp_timeout` after its last failed try, before it returns `Err`;
    "between rounds" was misleading, held-out read 57)."""
    assert f.flow is not None
    if loop.keyword not in ("while", "for") or w.region != loop.id:
        return False
    if loop.keyword == "for" and not _finite_iterable(loop.head):
        return False
    t, starts = f.flow.scan.texts, f.flow.scan.starts
    k = bisect_left(starts, w.src.end)
    while k < loop.hi and t[k] in (".", "await", ";"):
        k += 1
    return k >= loop.hi or t[k] == "}" and k + 1 >= loop.hi


def one_of_calls(f: ItemFacts, said: str, slots: dict[str, str], flags: set[str]) -> None:
    """Flags a failed call the fn makes in other places too: a line for this one's failure is
    not the line for every failure of it (reth's `debug_subscribe` logs a failed
    `recovered_block` in its spawned task only; the two lookups before it reject without a
    word, and "when `recovered_block` fails .. logs" read as all three, held-out read 80 #7).
    Sets ``call`` to ``said``, the failed call, when there is one."""
    if not said:
        return
    slots["call"] = said
    # Said with its arguments (`self.handle_response(response_result)`) or, on a long
    # receiver, by its name alone (`recovered_block`).
    base = said.split("(")[0]
    count = sum(
        1
        for c in f.calls
        if call_said(c).split("(")[0] == base
        or c.name == base
        and c.kind == "method"
        and not call_said(c)
    )
    if count > 1:
        slots["calls"] = str(count)
        flags.add("one-of-calls")
