"""Where a log line sits against the item's pass loop: before it, in it, after it, or in a loop
nested in it; and whether a way out of the round comes before it."""

from __future__ import annotations

from ..facts import ItemFacts, Src
from ..flow import Region
from .core import FileContext

__all__ = ["inner_place", "log_place"]


def _body_of(f: ItemFacts, rid: int) -> int:
    """The innermost closure or async block around region ``rid``, or the fn's (0)."""
    assert f.flow is not None
    return next((r.id for r in f.flow.chain(rid) if r.kind in ("closure", "async")), 0)


def log_place(f: ItemFacts, loop: Region | None, src: Src, rid: int) -> str:
    assert f.flow is not None
    if loop is None:
        return ""
    if f.flow.inside(rid, loop.id):
        return "in-loop"
    if f.flow.loop_of(rid) is not None:
        # Inside another loop of the fn: neither before the main loop nor "when it ends" (blind
        # read 99: five per-pass lines of a second loop said "When the loop ends it logs").
        return ""
    if _body_of(f, rid) != _body_of(f, loop.id):
        # A closure or async block runs when it is called or polled, not where it is written:
        # sidekiq's worker closure logs after its own loop, which was said "once, before the
        # loop" of the fn (held-out read 11).
        return ""
    scan = f.flow.scan
    if src.start < scan.starts[loop.lo]:
        return "before-loop"
    return "after-loop"


def inner_place(
    ctx: FileContext,
    f: ItemFacts,
    loop: Region,
    rid: int,
    at: int,
    slots: dict[str, str],
    flags: set[str],
) -> None:
    """A line in a loop nested in the pass loop runs once per element of that loop (`inner`),
    and one after a way out of the round (an arm's `continue`) only on rounds that get past it:
    "on each round of the loop, with no condition around it" was false of openobserve's storage
    check, whose line sits in `for provider in providers` after a `continue` (held-out read 29)."""
    assert f.flow is not None
    fl = f.flow
    inner = fl.loop_of(rid)
    if inner is not None and inner.id != loop.id:
        slots["inner"] = ctx.region_src(f, inner).text.strip()
        flags.add("inner-loop")
    if any(
        e.src.start < at
        and e.kind in ("continue", "break", "return", "question")
        and fl.inside(e.region, loop.id)
        and not fl.inside(rid, e.region)
        and (e.kind != "continue" or fl.loop_of(e.region) is loop)
        for e in f.exits
    ):
        flags.add("after-exit")
