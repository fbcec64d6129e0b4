"""A `select!` in a loop whose branch handlers await work of their own: while one runs, the select
polls nothing, so its shutdown branch waits too (kanidm's daemon reloads its config inside the
SIGHUP branch: "a shutdown request is acted on while the rest of the select is still pending"
left out that a stop during a reload waits for the reload, a held-out read)."""

from __future__ import annotations

import re

from ..facts import Call, ItemFacts, Src
from ..flow import Region
from ..mechanisms import mechanism
from .blocks import deferred, handed_to_call
from .core import Claim, FileContext, make
from .exits import leaves_after
from .shape import CANCEL_FUTURE, await_name, codes

__all__ = ["handler_await_claims"]


def handler_await_claims(ctx: FileContext, idx: int) -> list[Claim]:
    f = ctx.facts[idx]
    if f.flow is None:
        return []
    fl = f.flow
    out: list[Claim] = []
    seen: set[int] = set()
    for r in fl.regions:
        if r.kind != "select-handler" or r.start_tok in seen or not f.own(r.id):
            continue
        seen.add(r.start_tok)
        if fl.loop_of(r.id) is None:
            continue
        handlers = [
            x for x in fl.regions if x.kind == "select-handler" and x.start_tok == r.start_tok
        ]
        stops = [
            h
            for h in handlers
            if h.detail
            and CANCEL_FUTURE.search(h.detail)
            and any(e.kind in ("break", "return") and fl.inside(e.region, h.id) for e in f.exits)
        ]
        if len(stops) != 1:
            continue
        if any(
            x.kind == "select-handler"
            and x.start_tok != r.start_tok
            and CANCEL_FUTURE.search(x.detail)
            and any(fl.inside(x.id, h.id) for h in handlers)
            for x in fl.regions
        ):
            # A handler with a select of its own on the stop (iggy's source handler races
            # `shutdown.changed()` around its poll): the stop is seen inside it (a held-out
            # read found the sentence false).
            continue
        waits = _handler_waits(ctx, f, r, handlers, stops[0])
        names = list(dict.fromkeys(await_name(c) for c in waits))
        if not names or len(names) > 3:
            continue
        start = fl.scan.starts[r.start_tok]
        head = Src(start, start + len(fl.scan.texts[r.start_tok]), fl.scan.texts[r.start_tok])
        slots = {"select": r.keyword + "!", "calls": codes(*names), "future": stops[0].detail}
        proof = [ctx.proof(head)] + [ctx.proof(c.src) for c in waits]
        # `_ = shutdown::shutdown_signal() =>`: each round builds the stop anew, so one that
        # came during a handler may be lost, not late (a signal listener made afterwards
        # misses it: dragonfly's overload collector, "takes effect only after the handler
        # returns" was false, held-out read 60).
        fresh = {"fresh"} if re.fullmatch(r"[\w:]+\(.*\)", stops[0].detail) else set()
        # The handler may look at the stop's source itself between its awaits (read 73 #1).
        if (check := _checked_inside(f, handlers, stops[0])) is not None:
            slots["check"], fresh = check, fresh | {"checked"}
        later = _handed_later(f, handlers, stops[0], waits)
        if later:
            # The handler hands the stop on after those awaits: it sees it before it is done
            # (etl's table copy awaits `with_shutdown(&mut shutdown_rx)` after its write:
            # "goes unseen until that handler is done" was FALSE, held-out read 93 #11).
            slots["handed"], fresh = codes(*later), fresh | {"handed-later"}
        out.append(make("handler_awaits", f.name, slots, proof, fresh))
    return out


def _handler_waits(
    ctx: FileContext, f: ItemFacts, r: Region, handlers: list[Region], stop: Region
) -> list[Call]:
    """The calls the select's other handlers await in the select's own task, each a window
    in which the stop future ``stop`` is not polled."""
    assert f.flow is not None
    fl = f.flow
    return [
        c
        for c in f.calls
        if c.awaited
        and mechanism(c.full) is None
        and any(fl.inside(c.region, h.id) for h in handlers if h is not stop)
        and fl.task_of(c.region).id == fl.task_of(r.id).id
        # `let future = async move { handle(..).await }; spawn(future)`: run elsewhere, not
        # awaited by the handler (pgdog's listener, held-out read 16: false).
        and not deferred(f, fl.regions[c.region], itself=True)
        and not any(
            handed_to_call(f, c.region, h.id) for h in handlers if fl.inside(c.region, h.id)
        )
        # A same-file callee that races the stop itself sees it (iroh's relay actor:
        # `run_sending` opens with `self.stop_token.cancelled()`, read 24: "not polled
        # while a branch awaits `self.run_sending`" was false).
        and not _races_stop(ctx, f, c.name, stop.detail)
        # An `async fn` that awaits nothing is done at its first poll: no window opens
        # (rbuilder's `check_for_new_bid` only spawns: "while a handler awaits
        # `self.check_for_new_bid`, a `cancelled()` .. goes unseen", read 84 #2).
        and not _never_waits(ctx, f, c.name)
        # `let _ = stop_all(rest).await; return Err(err);`: after that await the fn
        # leaves, so a stop is not "seen again once the handler has finished" (helium's
        # task manager, held-out read 25).
        and not leaves_after(f, c)
        # `pending.with_shutdown(&mut shutdown_rx).await`: handed the stop, it may see it
        # (etl's table copy: "a `shutdown_rx.changed()` that completes goes unseen" was
        # false of a call that races it itself, held-out read 56).
        and not _handed_stop(c, stop.detail)
    ]


def _handed_later(
    f: ItemFacts, handlers: list[Region], stop: Region, waits: list[Call]
) -> list[str]:
    """The awaited calls of a handler that are handed the stop's source after one of that
    handler's ``waits``."""
    assert f.flow is not None
    fl = f.flow
    out = []
    for c in f.calls:
        if not c.awaited or not _handed_stop(c, stop.detail):
            continue
        home = [h for h in handlers if h is not stop and fl.inside(c.region, h.id)]
        if any(fl.inside(w.region, h.id) and w.src.end <= c.src.start for h in home for w in waits):
            out.append(await_name(c))
    return list(dict.fromkeys(out))


def _checked_inside(f: ItemFacts, handlers: list[Region], stop: Region) -> str | None:
    """The head of an `if` in a handler other than the stop's that reads what the stop future
    waits on (`shutdown_token.is_cancelled()` beside `shutdown_token.wait_for_shutdown()`) and
    leaves the loop inside: the handler notices the stop itself between its steps."""
    assert f.flow is not None
    fl = f.flow
    m = re.fullmatch(r"&?\s*(?:mut\s+)?(.+?)\s*\.\s*\w+\s*\(\s*\)", stop.detail.strip())
    if m is None:
        return None
    source = re.escape(m.group(1))
    for r in fl.regions:
        if r.kind != "if" or not re.search(rf"(?<![\w.]){source}\s*\.\s*\w+\(", r.head):
            continue
        if not any(fl.inside(r.id, h.id) for h in handlers if h is not stop):
            continue
        if any(e.kind in ("break", "return") and fl.inside(e.region, r.id) for e in f.exits):
            return r.head.strip()
    return None


def _races_stop(ctx: FileContext, f: ItemFacts, name: str, stop: str) -> bool:
    """Whether the fn ``f`` awaits as ``name`` (in its impl, or free in this file) has a
    `select!` branch on the very stop future ``stop``."""
    g = ctx.same_impl_fn(f, name) or ctx.local_fn(name)
    if g is None or g.flow is None:
        return False
    return any(r.kind == "select-handler" and r.detail == stop for r in g.flow.regions)


def _never_waits(ctx: FileContext, f: ItemFacts, name: str) -> bool:
    """Whether the fn ``f`` awaits as ``name`` (in its impl, or free in this file) has no
    `.await` of its own anywhere in its body."""
    g = ctx.same_impl_fn(f, name) or ctx.local_fn(name)
    if g is None or g.flow is None:
        return False
    text = g.flow.scan.text[g.item.start : g.item.end]
    return re.search(r"\.\s*await\b", text) is None


def _handed_stop(c: Call, stop: str) -> bool:
    """Whether call ``c`` is passed what the stop future ``stop`` waits on (`shutdown_rx` of
    `shutdown_rx.changed()`), so it can look at the stop itself."""
    m = re.fullmatch(r"&?\s*(?:mut\s+)?(.+?)\s*\.\s*\w+\s*\(\s*\)", stop.strip())
    if m is None:
        return False
    source = re.escape(m.group(1))
    return any(re.search(rf"(?<![\w.]){source}\b", a) for a in c.args)
