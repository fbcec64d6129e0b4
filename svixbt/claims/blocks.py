"""Loops and async blocks as they run, not as they are written: a loop in a closure or in an
async block bound to a name runs wherever that is called or awaited, which may be another task
or later (atuin's gRPC server hands its shutdown future to tonic), unless the fn itself awaits
the block (bb8's `timeout(d, future).await`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..facts import Assign, Call, Exit, ItemFacts
from ..flow import Region, bound_to, let_bound

__all__ = [
    "awaits_after",
    "handed_to_call",
    "handle_names",
    "bound_blocks",
    "in_handed_block",
    "result_handled",
    "ORDINALS",
    "reassigned",
    "awaited_here",
    "bound_async_block",
    "deferred",
    "goes_on_after",
    "loop_ordinal",
    "own_loops",
    "sibling_loops",
]

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


def own_loops(f: ItemFacts) -> list[Region]:
    """Loops that run in the item's own task, outermost first, and not later (`deferred`)."""
    return [r for r in f.loops() if f.own(r.id) and not deferred(f, r)]


def sibling_loops(f: ItemFacts, loop: Region) -> list[Region]:
    """The item's other loops on its own task that neither hold ``loop`` nor sit in it: the
    loops it is written beside (`exec` walks three ranges one after another)."""
    assert f.flow is not None
    fl = f.flow
    return [
        r
        for r in fl.regions
        if r.kind == "loop"
        and f.own(r.id)
        and r.id != loop.id
        and not fl.inside(r.id, loop.id)
        and not fl.inside(loop.id, r.id)
    ]


def loop_ordinal(f: ItemFacts, loop: Region) -> str:
    """``loop``'s place among the loops it is written beside ("the second `loop`"); "" past
    the eighth. Neon's `await_lsn` has two bare loops one after the other, and "the statements
    in the `loop` that leave it" mixed them up (held-out read 22)."""
    before = sum(1 for r in sibling_loops(f, loop) if r.lo < loop.lo)
    return ORDINALS[before] if before < len(ORDINALS) else ""


def deferred(f: ItemFacts, r: Region, itself: bool = False, closures: bool = True) -> bool:
    """Whether region ``r`` sits in a closure or in an async block bound to a name (`let
    shutdown = async { loop .. }`): it runs wherever that is called or awaited, later (atuin's
    gRPC server hands its shutdown future to tonic; "once its loop is running" was said of a fn
    with no loop, blind read 104)."""
    assert f.flow is not None
    texts = f.flow.scan.texts
    for a in f.flow.chain(r.id):
        if a.id == r.id and not itself:
            continue  # a loop's own region: whether it sits in one (``itself``: or is one)
        if a.kind == "closure":
            if closures or not _runs_now(texts, a):
                return True
            continue  # ``closures=False``: `.map(|n| spawn(..))` runs its closure right away
        name = bound_to(texts, a)
        if name:
            return not awaited_here(f, name, a.hi)
        if a.kind == "async" and _returned(f, a):
            return True
    return False


def _returned(f: ItemFacts, a: Region) -> bool:
    """Whether async block ``a`` is what the fn returns (its body's tail, or after `return`):
    it runs when the caller polls it, not when the fn is called (hickory's `h2::connect`
    returns `async move { .. tokio::spawn(..) .. }`: "the work that `connect` starts" was
    misleading, a held-out read)."""
    assert f.flow is not None
    texts = f.flow.scan.texts
    k = a.start_tok
    if k >= 1 and texts[k - 1] == "return":
        return True
    j = a.hi + 1  # past the block's `}`
    # `Box::pin(async ..)`, `Either::Left(Box::pin(async ..))`: the wrapping calls' parens.
    wrapped = k >= 1 and texts[k - 1] == "("
    while j < len(texts) and (f.flow.scan.codes[j] in "cdi" or wrapped and texts[j] == ")"):
        j += 1
    # The flow covers the body between its braces: the fn's `}` is at ``f.flow.hi``.
    return a.parent == 0 and j == f.flow.hi and j < len(texts) and texts[j] == "}"


# Iterator adapters that call their closure as the chain runs (a lazy `map` is driven by the
# `collect` or loop that follows it in the same statement).
_EAGER = frozenset({"map", "for_each", "filter_map", "flat_map", "try_for_each", "inspect"})


def _runs_now(texts: Sequence[str], r: Region) -> bool:
    """Whether closure ``r`` is an iterator adapter's (`.map(|n| ..)`), run where it is written;
    any other (`.eviction_listener(move |..| ..)`, a callback) runs when its owner calls it
    (docs.rs' archive cache spawns from an eviction listener: "`new_inner` spawns" was false)."""
    k = r.start_tok
    return k >= 2 and texts[k - 1] == "(" and texts[k - 2] in _EAGER


def awaited_here(f: ItemFacts, name: str, after: int) -> bool:
    """Whether the future bound to ``name`` is awaited on the item's own task after token
    ``after``: `name.await`, or an argument of a call awaited there (bb8's `timeout(d,
    future).await`, whose loop is the fn's own wait)."""
    assert f.flow is not None
    fl = f.flow
    texts = fl.scan.texts
    for k in range(after + 1, fl.hi):
        if texts[k] != name or not f.own(fl.region_at(k).id):
            continue
        if k + 2 < len(texts) and texts[k + 1] == "." and texts[k + 2] == "await":
            return True
        if any(c.awaited and c.open_tok < k < c.close_tok and f.own(c.region) for c in f.calls):
            return True
    return False


def bound_blocks(f: ItemFacts, toks: Sequence[str]) -> list[Region]:
    """The `async { .. }` blocks bound by `let name = async ..` to any name among ``toks``."""
    assert f.flow is not None
    names = {x for x in toks if x.isidentifier()}
    texts = f.flow.scan.texts
    return [r for r in f.flow.regions if let_bound(texts, r) in names]


def bound_async_block(f: ItemFacts, toks: Sequence[str]) -> Region | None:
    """The `async { .. }` block a future written as one name (``toks``) was bound to by
    `let name = async ..` in the item, or None."""
    assert f.flow is not None
    if len(toks) != 1 or not toks[0].isidentifier():
        return None
    texts = f.flow.scan.texts
    return next((r for r in f.flow.regions if let_bound(texts, r) == toks[0]), None)


def goes_on_after(rest: str) -> bool:
    """Whether the text after a call's name inside a spawned block (``rest``) is its arguments,
    an `.await`, a `;` and then more statements: the call is one step of the task. (A call whose
    result the block matches or logs is still what the task is for.)"""
    k = 0
    while k < len(rest) and rest[k].isspace():
        k += 1
    if k < len(rest) and rest[k] == "(":
        depth = 0
        for j in range(k, len(rest)):
            depth += {"(": 1, ")": -1}.get(rest[j], 0)
            if depth == 0:
                k = j + 1
                break
    m = re.match(r"\s*(?:\.\s*await\b)?\s*\??\s*;", rest[k:])
    return m is not None and re.search(r"\w", rest[k + m.end() :]) is not None


def in_handed_block(f: ItemFacts, rid: int) -> bool:
    """Whether ``rid`` sits in an `async` block a plain fn binds with `let name = async ..`:
    the fn cannot await it, so the block's waits are those of whatever runs it
    (symbolicator's `create_symbolication_request` builds `request_future`, which sleeps 90 s,
    and hands it to a pool: "should pause for `MAX_POLL_DELAY`" of a fn that returns at once
    was MISLEADING, read 62). A block written straight into a spawner's call is said as run
    there (handed_off), its waits kept."""
    assert f.flow is not None
    texts = f.flow.scan.texts
    return not f.is_async and any(
        r.kind == "async" and let_bound(texts, r) for r in f.flow.chain(rid)
    )


_HANDLED = re.compile(r"(?:\b(?:if|while)\s+let\b[^;{}]*=|\bmatch|\blet\b[^;{}]*=)\s*$")


def result_handled(before: str) -> bool:
    """Whether a call whose preceding text inside a spawned block is ``before`` has its result
    taken there: the scrutinee of an `if let`/`while let`/`match`, or a `let`'s value (wasmCloud's
    `if let Err(e) = run_http_server(..).await { error!(..) }`: "no caller is there to see it"
    was FALSE, read 62)."""
    return _HANDLED.search(before) is not None


def reassigned(f: ItemFacts, r: Region, at: int | None) -> bool:
    """Whether a name the `if` head ``r`` tests is assigned inside its block (before ``at``, when
    given): the condition may no longer hold where the fact is."""
    assert f.flow is not None
    for a in (*f.assigns, *f.updates):
        if a.is_let or not f.flow.inside(a.region, r.id) or (at is not None and a.src.start >= at):
            continue
        if re.search(rf"(?<![\w.]){re.escape(a.var)}(?!\w)", r.head):
            return True
    return False


def awaits_after(f: ItemFacts, offset: int) -> bool:
    """Whether the fn's own task awaits anything after char ``offset``: a Ctrl-C wait followed by
    clean-up awaits is no "returns once it fires", a line logged before a call's last awaits is
    not "at the end"."""
    assert f.flow is not None
    fl = f.flow
    t, starts = fl.scan.texts, fl.scan.starts
    return any(
        t[j] == "await" and t[j - 1] == "." and starts[j] > offset and f.own(fl.region_at(j).id)
        for j in range(fl.lo + 1, fl.hi)
    )


def handle_names(f: ItemFacts) -> set[str]:
    """The names that hold a task's JoinHandle in ``f``: its own spawns' bindings, and a
    handle it is given (`handle: JoinHandle<()>`): dropping that, too, leaves the task running
    (loco's `shutdown_and_await_queue_worker` races its worker's handle against a second
    Ctrl-C: "the other future is dropped where it stood" was misleading, read 33); and a `let`
    whose value starts a task on each of its paths (`let t = match ids { Some(..) =>
    spawn(..), None => spawn(async {}) }`, hyperlane's `ContractSync::sync`, read 63)."""
    bound = {sp.handle.split(":", 1)[1] for sp in f.spawns if sp.handle.startswith("bound:")}
    last: dict[str, Assign] = {}
    for a in f.assigns:
        if a.is_let:
            last[a.var] = a
    bound |= {
        v
        for v, a in last.items()
        if any(a.src.start <= sp.src.start < a.src.end for sp in f.spawns)
    }
    bound |= {name for name, ty in f.params if re.search(r"\bJoinHandle\b", ty)}
    return bound | _handle_loop_vars(f, bound)


# `for f in futures`, `for h in handles.drain(..)`: the loop variable takes the collection's
# elements by value.
_FOR_EACH = re.compile(r"(\w+)\s+in\s+(\w+)(?:\s*\.\s*(?:into_iter\(\)|drain\(\s*\.\.\s*\)))?")


def _handle_loop_vars(f: ItemFacts, bound: set[str]) -> set[str]:
    """The variable of a `for` over a collection of JoinHandles that the fn's own `let` fills
    with spawns (`let futures = (0..n).map(|_| tokio::spawn(..)).collect::<Vec<_>>()`): oha
    races each `f` against a semaphore, and "the other future is dropped where it stood" hid
    that a losing handle leaves its task running (held-out read 86 #7)."""
    if f.flow is None:
        return set()
    out: set[str] = set()
    for r in f.flow.regions:
        if r.kind != "loop" or r.keyword != "for":
            continue
        m = _FOR_EACH.fullmatch(r.head.strip())
        if m and m.group(2) in bound:
            out.add(m.group(1))
    return out


def handed_to_call(f: ItemFacts, rid: int, within: int) -> bool:
    """Whether ``rid`` sits in an `async` block (inside region ``within``) written as an argument
    of a call that is not awaited: the callee runs it, maybe on a task of its own (restate's
    listener hands each connection's `async move { .. serve_connection(..).await }` to
    `TaskCenter::spawn(..)?`: "while a branch awaits `serve_connection`, the shutdown is not
    polled" was FALSE, read 66). A block handed to an awaited call (`timeout(d, async {
    .. }).await`) runs in place."""
    assert f.flow is not None
    for r in f.flow.chain(rid):
        if r.id == within:
            return False
        if r.kind != "async":
            continue
        around = [c for c in f.calls if c.open_tok < r.start_tok < c.close_tok]
        if around:
            c = max(around, key=lambda c: c.open_tok)
            if c.kind != "macro" and not c.awaited:
                return True
    return False


def awaits_on_path(f: ItemFacts, within: Region, e: Exit) -> list[Call]:
    """The awaited calls inside ``within`` on the path to exit ``e``, before it (`None => {
    token.cancelled().await; break }`): the exit comes only once they are over, not when the
    branch is entered (nym's request receiver: "the loop ends when `next()` yields `None`" of
    a branch that first waits for shutdown was FALSE, read 69)."""
    assert f.flow is not None
    on_path = {r.id for r in f.flow.chain(e.region)}
    return [
        c
        for c in f.calls
        if c.awaited
        and c.region in on_path
        and f.flow.inside(c.region, within.id)
        and c.src.start < e.src.start
    ]
