"""A pass loop the fn does not run itself: it sits in an async block the fn hands, unawaited, to
another call (`tasks::spawn("checkpointer", async move { loop { .. } })`, a crate's own spawn
wrapper). Requests and thinks said "`spawn` should stop as soon as .." of a fn that returns as
soon as it has handed the block over (held-out read 16, pgdog: five records)."""

from __future__ import annotations

from collections.abc import Sequence

from ..fact_types import Call
from ..facts import ItemFacts
from ..flow import Region
from .blocks import awaited_here
from .core import Claim, FileContext, make
from .shape import await_name, codes, main_loop

__all__ = ["handed_off_claims", "handing_call"]


def handed_off_claims(ctx: FileContext, idx: int) -> list[Claim]:
    f = ctx.facts.get(idx)
    if f is None or f.flow is None:
        return []
    loop = main_loop(f)
    if loop is None:
        return []
    found = handing_call(f, loop)
    if found is None:
        return []
    call, block = found
    lo, hi = f.flow.scan.starts[block.lo], f.flow.end_of(block)
    # Nothing awaited after the hand-off, outside the block: the fn is done once it is made.
    later = [
        c
        for c in f.calls
        if c.awaited and c.src.start > call.src.end and not lo <= c.src.start < hi
    ]
    flags = set() if later else {"then-returns"}
    if any(
        r.kind == "loop"
        and r.id != loop.id
        and not f.flow.inside(r.id, loop.id)
        and not f.flow.inside(loop.id, r.id)
        for r in f.flow.regions
    ):
        # Another loop beside it (pathfinder's `split_ws` hands its receive loop to
        # `util::task::spawn` and its select loop, in a closure, to `spawn_with_cancel`): "the
        # loop `split_ws` hands to `util::task::spawn`" put the select there, FALSE twice in
        # held-out read 98 #7. Said as one of the loops, and no request is about it alone.
        flags.add("several-loops")
    slots: dict[str, str] = {}
    # And nothing awaited before it: "only hands an async block to `task::spawn` and returns"
    # of iroh's resolver `init`, which first awaits its initial load (held-out read 24).
    # On the way to the hand-off, not in another arm of the `match` it sits in ("after the
    # awaits that come first" was FALSE of matrix-sdk's widget `process_action`, whose awaits
    # are in other arms: held-out read 32).
    first = [
        c
        for c in f.calls
        if c.awaited
        and c.src.end <= call.src.start
        and not lo <= c.src.start < hi
        and f.flow.inside(call.region, c.region)
    ]
    if first:
        flags.add("awaits-first")
        # Named: "after the awaits that come first" read as awaits inside the block (graph-node's
        # server `start` awaits `TcpListener::bind` before the hand-off, read 84 #11).
        slots["first_awaits"] = codes(*dict.fromkeys(await_name(c) for c in first[:3]))
    elif any(
        c.kind in ("fn", "method")
        and c.name not in _CHEAP
        and c.src.end <= call.src.start
        and not lo <= c.src.start < hi
        for c in f.calls
    ):
        # Not "only hands an async block to .. and returns" of zenoh's transport manager
        # `new`, which first builds its key, cipher and channel (held-out read 52, FALSE twice).
        flags.add("works-first")
    said = (
        f"{call.receiver}.{call.name}" if call.kind == "method" and call.receiver else call.written
    )
    slots["call"] = said
    if call.name == "block_on":
        # A runtime's `block_on` runs the block to its end on the fn's own thread: "the loop is
        # not in `new`'s own body .. nothing is awaited after it" read as handed away (nextest's
        # `TestList::new`, held-out read 104 #1).
        flags = {"runs-here"} | (flags & {"several-loops"})
    return [make("handed_off", f.name, slots, [ctx.proof(call.src)], flags)]


# Calls that only copy or convert what the block will own: no work of the fn's.
_CHEAP = frozenset({"clone", "into", "to_string", "to_owned", "as_ref", "borrow"})


def handing_call(f: ItemFacts, r: Region) -> tuple[Call, Region] | None:
    """The unawaited call whose argument is the async block around region ``r``, with the block;
    None when ``r`` is in no such block (or the block is bound to a name, awaited, or
    returned: ``blocks.deferred`` reads those)."""
    assert f.flow is not None
    fl = f.flow
    texts = fl.scan.texts
    for a in fl.chain(r.id):
        if a.kind != "async":
            continue
        k = a.start_tok
        if k >= 1 and texts[k - 1] not in ("(", ","):
            # `{ let state = ..; async move { .. } }` as the argument: the block expression
            # ends in the async block (rqbit's `state.spawn(span, name, { .. })`: its loop was
            # asked to pace `TorrentStateLive::new`, held-out read 28).
            k = _block_argument(texts, fl.scan.match, k, a.hi)
        if k < 1 or texts[k - 1] not in ("(", ","):
            return None
        around = [
            c
            for c in f.calls
            if c.open_tok < k and a.hi <= c.close_tok and c.kind in ("fn", "method")
        ]
        if not around:
            return None
        call = max(around, key=lambda c: c.open_tok)  # the innermost
        if call.awaited or _kept_to_await(f, call):
            return None
        return call, a
    return None


def _block_argument(texts: Sequence[str], match: Sequence[int], k: int, hi: int) -> int:
    """The `{` of the block expression whose value is the async block at tokens ``k``..``hi``
    (its `}` is the next token after the async block's), or ``k`` when there is none."""
    end = hi + 1  # the token after the async block's `}`
    if end >= len(texts) or texts[end] != "}":
        return k
    depth = 0
    for j in range(k - 1, -1, -1):
        if texts[j] in (")", "]", "}"):
            depth += 1
        elif texts[j] in ("(", "[", "{"):
            if depth == 0:
                return j if texts[j] == "{" and match[j] == end else k
            depth -= 1
    return k


def _kept_to_await(f: ItemFacts, call: Call) -> bool:
    """`let future = timeout(d, async { loop .. });` and later `future.await` (or a call awaited
    with it): the fn waits for the block itself (svix's `wait_for_dsn`); also a call that is an
    argument of another (`run(timeout(d, async { .. })).await`)."""
    assert f.flow is not None
    scan = f.flow.scan
    texts, codes = scan.texts, scan.codes
    k = scan.token_range(call.src.start, call.src.end).start - 1
    if call.kind == "method":
        # Back over the receiver: `state.spawn(..)` is a statement of its own too.
        while k >= 0 and (texts[k] in (".", "::") or codes[k] == "n"):
            k -= 1
    while k >= 0 and codes[k] in "cdi":
        k -= 1
    if k < 0 or texts[k] in (";", "{", "}"):
        return False  # a statement of its own: nothing keeps what it returns
    if texts[k] != "=":
        return True  # an argument or an operand of something else
    j = k - 1  # back to the statement's start: `let [mut] name [: T] =`
    while j >= 0 and texts[j] not in (";", "{", "}"):
        j -= 1
    head = [texts[x] for x in range(j + 1, k) if codes[x] not in "cdi"]
    if head[:1] != ["let"]:
        return True
    name = head[2] if head[1:2] == ["mut"] and len(head) > 2 else head[1] if len(head) > 1 else ""
    return bool(name) and awaited_here(f, name, call.close_tok)
