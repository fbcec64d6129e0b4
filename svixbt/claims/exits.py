"""How a `break`, `continue`, `return` or process exit relates to the code around it: the loop it
leaves or restarts, whether it skips a later line, whether it is a round's last statement."""

from __future__ import annotations

import re
from collections.abc import Collection

from ..facts import Call, Exit, ItemFacts
from ..facts import in_closure as flow_in_closure
from ..flow import Region

__all__ = [
    "UNSAID",
    "continued_before",
    "exit_said",
    "other_ways_out",
    "continue_is_last",
    "exit_loop",
    "leaves",
    "leaves_after",
    "leaves_from_inside",
    "skips",
]


def exit_loop(f: ItemFacts, e: Exit) -> Region | None:
    """The loop a `break` or `continue` of ``e`` leaves or restarts: the one its label names
    (`continue 'event`), else the innermost (kanidm's `repl_acceptor` continues its outer
    `'event` loop from an inner `for`: "the inner loop goes on with the next element" was
    false, a held-out read)."""
    assert f.flow is not None
    fl = f.flow
    label = e.expr.split()[0] if e.expr.startswith("'") else ""
    if not label:
        return fl.loop_of(e.region)
    t = fl.scan.texts
    for r in fl.chain(e.region):
        k = r.start_tok
        if r.kind == "loop" and k >= 2 and t[k - 1] == ":" and t[k - 2] == label:
            return r
    return None


def leaves(f: ItemFacts, e: Exit, rid: int) -> bool:
    """Whether exit ``e`` can leave region ``rid`` (a loop, or the fn's own region): no async
    block or closure stands between them. neon's connection manager returns `ControlFlow` and
    `None` from async blocks it races in its loop; those were said as the loop's and the fn's
    own returns (held-out read 23: "should return `ControlFlow::Break`" of a fn that returns
    `Result<(), Cancelled>`)."""
    assert f.flow is not None
    for r in f.flow.chain(e.region):
        if r.id == rid:
            return True
        if r.kind in ("async", "closure"):
            return False
    return True


# A condition the code has and no sentence can say: a claim under it is not made.
UNSAID = "\x00unsaid"


def leaves_from_inside(f: ItemFacts, x: Region, rid: int) -> bool:
    """Whether region ``x`` holds a `return` or process exit that ends the fn before region
    ``rid`` (at its loop depth), or a `break`/`continue` of a loop around ``rid``."""
    assert f.flow is not None
    fl = f.flow
    for e in f.exits:
        if not fl.inside(e.region, x.id) or flow_in_closure(fl, e.region):
            continue
        if fl.task_of(e.region).id != fl.task_of(rid).id:
            continue
        if e.kind == "exit" or e.kind == "return" and fl.loop_of(e.region) is fl.loop_of(rid):
            return True
        if e.kind in ("break", "continue"):
            target = exit_loop(f, e)
            if target is not None and fl.inside(rid, target.id):
                return True
    return False


def skips(f: ItemFacts, e: Exit, rid: int) -> bool:
    """Exit ``e``, nested in an earlier `if`/`match` of region ``rid``'s block, can skip code of
    ``rid`` that follows it: a `continue` or `break` of a loop that holds ``rid`` goes round or
    out without it, a `return` at the same loop depth ends the fn before it. (A `break` out of
    a loop that ``rid`` follows leads *to* it.)"""
    assert f.flow is not None
    if e.kind not in ("continue", "return", "break", "exit") or e.region == rid:
        return False
    if not f.flow.inside(e.region, rid):
        return False
    if e.kind == "exit":
        return True  # the process ends there: nothing after it runs
    loop = f.flow.loop_of(e.region)
    if e.kind == "return":
        # A `return` ends the fn from any depth of loops (qdrant's `recover` returns from inside
        # its `for` over peers, so the retry line after that `for` is not on every round:
        # held-out read 15); from inside a closure or an async block it ends only that.
        for r in f.flow.chain(e.region):
            if r.id == rid:
                break
            if r.kind in ("closure", "async", "spawn", "blocking"):
                return False
        return True
    return loop is not None and f.flow.inside(rid, loop.id)


def continue_is_last(f: ItemFacts, e: Exit) -> bool:
    """The `continue` of ``e`` is the last thing its loop's body would run: after it come only
    closing braces, `else` branches and later match arms, which the taken branch never runs.
    "`continue` skips the rest of the round" is then empty (blind read 66: wait_for.rs's
    `continue` at the end of its loop body)."""
    assert f.flow is not None
    fl = f.flow
    scan = fl.scan
    t, c, m = scan.texts, scan.codes, scan.match
    loop = exit_loop(f, e)  # `continue 'outer` restarts that loop, not the innermost
    if loop is None:
        return False
    k = scan.token_range(e.src.start, e.src.end).stop

    def quiet(a: int, b: int) -> bool:
        return all(c[j] in "cdi" or t[j] in (";", ",") for j in range(a, b))

    for r in fl.chain(e.region):
        if r.id == loop.id:
            return quiet(k, r.hi)
        if not quiet(k, r.hi):
            return False
        k = r.hi + 1 if r.hi < len(t) and t[r.hi] == "}" else r.hi
        if r.kind in ("if", "else"):
            # Past the rest of the chain: `else if c {..}` and `else {..}` are alternatives.
            while k < loop.hi and t[k] == "else":
                j = k + 1
                while j < loop.hi and t[j] != "{":
                    j = m[j] + 1 if t[j] in ("(", "[") and m[j] > j else j + 1
                if j >= loop.hi:
                    return False
                k = m[j] + 1
        elif r.kind == "arm" and r.parent is not None:
            # Past the later arms: the match's own end.
            k = fl.regions[r.parent].hi if fl.regions[r.parent].kind == "match" else k
    return False


def leaves_after(f: ItemFacts, c: Call) -> bool:
    """Whether a `return` or `break` in the same block as call ``c`` follows it: once that
    await is done, the block leaves its loop (or the fn)."""
    return any(
        e.kind in ("return", "break") and e.region == c.region and e.src.start > c.src.end
        for e in f.exits
    )


def other_ways_out(f: ItemFacts, loop: Region, said: Collection[Exit], task: int) -> bool:
    """Whether ``loop`` has a `break`, `return` or `?` that leaves it other than those in
    ``said``, in task region ``task``: a sentence about one way out must then say it is one of
    several (linkerd's TCP policy and idle evictor, held-out read 49)."""
    assert f.flow is not None
    fl = f.flow
    return any(
        all(x is not e for e in said)
        and x.kind in ("break", "return", "question")
        and fl.inside(x.region, loop.id)
        and fl.task_of(x.region).id == task
        and leaves(f, x, loop.id)
        for x in f.exits
    )


def continued_before(f: ItemFacts, at: int, loop: Region) -> bool:
    """Whether a `continue` of ``loop`` comes before offset ``at`` in the round: some rounds go
    round again without reaching it (rbuilder's slot-data task `continue`s past its send check:
    "Each round checks .. once `relays.slot_data` has returned", held-out read 84 #5)."""
    assert f.flow is not None
    return any(
        c.kind == "continue" and c.src.start < at and f.flow.loop_of(c.region) is loop
        for c in f.exits
    )


def exit_said(e: Exit, whole: bool = False) -> str:
    """An exit as the code writes it: `bail!(..)` is no `return` to a reader (moonfire's
    streamer bails out on shutdown: "its handler does `return`" hid that this is an error,
    held-out read 86 #13). ``whole``: with its expression (`return Ok(())`)."""
    expr = e.expr.strip()
    m = re.match(r"((?:\w+::)*bail!)", expr)
    if e.kind == "return" and m:
        return expr if whole else m.group(1)
    return f"{e.kind} {expr}".strip() if whole else e.kind
