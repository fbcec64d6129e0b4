"""Claims about how an item's own task paces itself: loops, sleeps, intervals, timeouts, the
wait chosen after each pass, and how shutdown cuts a wait short.

The loop and the awaits no deadline covers are read here; each wait's own claim is built in
``schedule_waits``, the wait a pass chooses for the next one in ``schedule_adaptive``, and the
shutdown claims in ``shutdown``."""

from __future__ import annotations

import re
from dataclasses import replace

from ..facts import Call, ItemFacts
from ..flow import Region
from ..mechanisms import mechanism
from ..values import human_duration
from .blocks import deferred, loop_ordinal, sibling_loops
from .callee_ends import exits_process
from .core import Claim, FileContext, Proof, make
from .exits import exit_loop, leaves
from .loop_breaks import loop_break_claims
from .schedule_adaptive import adaptive_claims
from .schedule_waits import own_waits, wait_claim
from .shape import (
    SHUTDOWN_WORD,
    await_name,
    awaits_outside,
    call_said,
    codes,
    in_closure,
    main_loop,
)
from .shutdown import shutdown_claims
from .stream_ends import endless_stream
from .task_ends import exit_condition, match_arm
from .wait_prelude import wait_prelude_claims

__all__ = ["schedule_claims"]


# Calls that end a loop by panicking: qdrant's `assert!(Instant::now() < deadline, ..)` beside
# its one `return` ("Only `return` gets out of the `loop`" was false, held-out read 58). Not
# `unreachable!`: the author says that path never runs (svix's ack retry), and "a panic from
# `unreachable!` ends it" would read as a way the loop does end.
_PANICS = frozenset({"expect", "unwrap", "panic", "assert", "assert_eq", "assert_ne", "todo"})


def schedule_claims(ctx: FileContext, idx: int) -> list[Claim]:
    f = ctx.facts[idx]
    if f.flow is None:
        return []
    out: list[Claim] = []
    loop = main_loop(f)
    if loop is not None:
        out += _loop_claims(ctx, f, loop)
    waits: list[Claim] = []
    mine = own_waits(ctx, f)
    for w, via in mine:
        c = wait_claim(ctx, f, w, loop, via)
        if c is not None and c not in waits:
            waits.append(c)
    from .failures import merge_alike

    out += merge_alike(waits, "arm")
    out += wait_prelude_claims(ctx, f, mine)
    out += adaptive_claims(ctx, f)
    out += _const_comments(ctx, f)
    out += shutdown_claims(ctx, f, loop)
    out += loop_break_claims(ctx, f, loop)
    bare = _unbounded_awaits(ctx, f)
    if bare:
        # The awaits with no deadline are named: a timeout's "other awaits of `connect` are not
        # covered by it" would say the same thing a second time, vaguer.
        out = [
            replace(c, flags=c.flags - {"other-awaits"}) if c.kind == "timeout" else c for c in out
        ]
    out += bare
    return _with_cancellable_wait(out)


_BUDGET = re.compile(r"(?i)timeout|deadline|time_?limit")


def _raced_or_deferred(f: ItemFacts, rid: int) -> bool:
    """An await some other future can end (a select branch, a cancellable wait), or one in a
    block run elsewhere (`let server = async { loop { accept().await?; .. } }` raced in a
    `select!`): "nothing would end a hang in it" is not this fn's to say (sccache's server, a
    held-out read)."""
    assert f.flow is not None
    raced = ("select-future", "timeout-future", "cancellable")
    return any(r.kind in raced for r in f.flow.chain(rid)) or deferred(f, f.flow.regions[rid])


def _unbounded_awaits(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A fn that puts a deadline on some of its awaits and none on others that can fail (an
    awaited call followed by `?`): a hang in one of those is not cut short here. Blind read 76:
    "Can that still happen?" after "`connect` hung" was answered with the bounded reads alone,
    while `WsConnection::new(..).await?` has no timeout around it."""
    timed = [w for w in f.waits if w.role == "timeout" and f.own(w.region)]
    if not timed:
        return []
    free = [
        c
        for c in awaits_outside(f, timed)
        if c.propagates
        and mechanism(c.full) is None
        and not _raced_or_deferred(f, c.region)
        # Handed a time budget (`process_client_addr(.., HTTPS_CLIENT_CONN_TIMEOUT)`): it may
        # well bound its own awaits (kanidm's does: "awaited bare" was false, a held-out read).
        and not any(_BUDGET.search(a) for a in c.args)
    ]
    names = list(dict.fromkeys(await_name(c) for c in free))
    if not names or len(names) > 3:
        return []
    proof = [ctx.proof(c.src) for c in free] + [ctx.proof(w.src) for w in timed]
    flags = {"several"} if len(names) > 1 else set()
    return [make("unbounded_awaits", f.name, {"calls": codes(*names)}, proof, flags)]


def _with_cancellable_wait(out: list[Claim]) -> list[Claim]:
    """A loop check beside a wait that a shutdown cuts short and then leaves on: a shutdown
    that comes after the check is seen during the wait too, so "the check is not repeated right
    before the pass" is said with that (blind reads 59-62 read it as a gap the cleaner does not
    have: its cancellable nap returns before the pass)."""
    if not any(c.kind == "shutdown_wait" and c.get("action") for c in out):
        return out
    return [
        replace(c, flags=c.flags | {"wait-cancellable"}) if c.kind == "shutdown_loop" else c
        for c in out
    ]


def _exit_flags(f: ItemFacts, loop: Region, flags: set[str]) -> Region | None:
    """Adds the flags for how ``loop`` can end (`exits`, `raced`, `question-in-loop`); returns
    the region that can end it from outside (a timeout, a raced future), if any."""
    assert f.flow is not None
    # A `return` (or a process exit) in a loop nested in this one leaves this one too: shuttle's
    # `wait_for_ready` returns from an inner `while let` ("nothing inside the `loop` breaks or
    # returns" was false, a held-out read).
    if any(
        (
            e.kind in ("return", "exit")
            and f.flow.inside(e.region, loop.id)
            and leaves(f, e, loop.id)
        )
        or (e.kind == "break" and exit_loop(f, e) is loop)
        for e in f.exits
    ):
        flags.add("exits")
    # A loop inside a timeout, a raced future or a cancellable wait can be ended from outside,
    # whatever its body does (pingora's daemon parent loops inside `timeout(..)`: "the one
    # statement that leaves the loop is `return`" was false, a held-out read).
    racer = next(
        (
            r
            for r in f.flow.chain(loop.id)
            if r.kind in ("timeout-future", "select-future", "cancellable")
        ),
        None,
    )
    if racer is not None:
        flags.add("raced")
    # A `?` in a loop nested inside this one leaves this one too (rathole's config watcher:
    # "Only a `break` gets out" beside `event_tx.send(event)?` in its inner `for`, read 100).
    if any(
        e.kind == "question" and f.flow.inside(e.region, loop.id) and leaves(f, e, loop.id)
        for e in f.exits
    ):
        flags.add("question-in-loop")
    return racer


def _panicking_callee(ctx: FileContext, f: ItemFacts, c: Call) -> bool:
    """A fn of this file the loop calls whose own body writes `panic!` (zebrad's end-of-support
    loop calls `check`, which panics once the tip passes the support window: "nothing inside
    the `loop` leaves it" missed the way it is meant to end, held-out read 81 #23)."""
    if c.kind != "fn" or c.written != c.name:
        return False
    h = ctx.local_fn(c.name)
    return h is not None and any(x.kind == "macro" and x.name == "panic" for x in h.calls)


def _loop_claims(ctx: FileContext, f: ItemFacts, loop: Region) -> list[Claim]:
    src = ctx.region_src(f, loop)
    flags = {loop.keyword}
    if loop.keyword == "while" and loop.head.startswith("let "):
        flags.add("while-let")
        if re.match(r"let\s+Some\(\s*Ok\(", loop.head):
            # `while let Some(Ok(x)) = s.next().await`: the first `Err` item ends the loop as
            # quietly as the stream's end (surrealdb's `export_ml` then returns `Ok(())`: a
            # truncated export reads as a success, read 72 #23).
            flags.add("ok-only")
    assert f.flow is not None
    # Other loops of its own beside this one (`exec` walks three ranges): this one is not "the
    # driver" of the fn (blind read 33).
    own_loops = sibling_loops(f, loop)
    racer = _exit_flags(f, loop, flags)
    head = src.text if loop.keyword == "loop" else " ".join(src.text.split())
    slots = {"keyword": loop.keyword, "head": head, "cond": loop.head}
    proof = [ctx.proof(src)]
    let = re.fullmatch(r"let\s+(.+?)\s*=\s*(.+)", loop.head, re.S)
    endless = (
        endless_stream(ctx, f, let.group(1), let.group(2)) if let and "while-let" in flags else None
    )
    if endless is not None:
        flags.add("never-none")
        slots["stream"] = endless[0]
        proof.append(ctx.proof(endless[1]))
    if own_loops:
        flags.add("one-of-loops")
        nth = loop_ordinal(f, loop)
        if nth:
            slots["nth"] = nth
    if racer is not None and racer.keyword:
        slots["racer"] = racer.keyword + ("!" if racer.kind == "select-future" else "")
    panics = [
        c
        for c in f.calls
        if (c.name in _PANICS or _panicking_callee(ctx, f, c))
        and f.own(c.region)
        and f.flow.inside(c.region, loop.id)
        and not in_closure(f, c.region)
    ]
    if panics:
        # `rx.recv().await.expect(..)` in the loop: "no way out inside" left out the panic
        # that ends it (shadowsocks' socks5 relay, blind read 105).
        slots["panics"] = codes(
            *dict.fromkeys(c.name + "!" if c.kind == "macro" else c.name for c in panics)
        )
        flags.add("may-panic")
        proof += [ctx.proof(panics[0].src)]
    proof += _ways(f, loop, slots, flags, ctx)
    ender = _process_exit_in(ctx, f, loop)
    if ender is not None:
        flags.add("ends-process")
        proof += [ctx.proof(ender.src)]
        # Which call can exit, said with the loop (aardvark-dns's serve loop: "nothing inside
        # the loop returns an error" was all a think said of a loop whose reload can exit).
        # A direct `process::exit` is one of the loop's ways out already (`ways`).
        said = call_said(ender) if ender.kind != "macro" and not exits_process(ender) else ""
        if said and len(said) <= 40:
            slots["ender"] = said
    out = [make("loop", f.name, slots, proof, flags)]
    # `while !crate::is_shutting_down()`: the flag is checked before every pass.
    checks = [
        c
        for c in f.calls
        if c.src.start >= src.start and c.src.end <= src.end and SHUTDOWN_WORD.search(c.name)
    ]
    if checks and loop.keyword == "while":
        out.append(
            make(
                "shutdown_loop",
                f.name,
                {"cond": loop.head, "check": checks[0].written},
                [ctx.proof(src)],
                {"negated"} if loop.head.startswith("!") else (),
            )
        )
    return out


def _const_comments(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    out = []
    for c in f.consts:
        said, flags = (c.comment, set()) if c.local else (_doc_reason(ctx, c.name), {"doc"})
        if not said or c.value is None and flags:
            continue
        slots = {"const": c.name, "comment": said.rstrip(".")}
        if c.is_duration and c.value is not None:
            slots["dur"] = human_duration(c.value)
        out.append(make("const_comment", f.name, slots, [ctx.proof(c.src)], flags))
    return out


def _doc_reason(ctx: FileContext, name: str) -> str:
    """What a file-level const's doc comment says beyond its first paragraph: the author's
    reason for the value (zebrad's `RATE_LIMIT_DELAY` of 73 s "should be less than the target
    block interval, so that we crawl peer mempools at least once per block"; the records gave
    the 73 s and never why, held-out read 81). A doc of one paragraph only names the const."""
    it = next((i for i in ctx.fs.items if i.kind == "const" and i.name == name), None)
    if it is None or not it.doc:
        return ""
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", it.doc)[1:]]
    paras = [p for p in paras if p and not p.startswith(("#", "```", "-", "*", "|"))]
    said = ""
    for p in paras:
        if len(said) + len(p) > 280:
            break
        said = f"{said} {p}".strip()
    if not said or re.search(r"\[`?\w|```|https?://", said):
        return ""  # doc links and code read as markup in a quote
    return said


def _ways(
    f: ItemFacts, loop: Region, slots: dict[str, str], flags: set[str], ctx: FileContext
) -> list[Proof]:
    """The loop's ways out into ``slots`` and ``flags``; their proofs."""
    assert f.flow is not None
    # The loop's own ways out, as written (`return Ok(None)`, `break`): a think that says "the
    # exits are inside" without naming them says nothing about this loop.
    # A return in a nested loop leaves this one too; a break there does not.
    ways = [
        e
        for e in f.exits
        if (
            e.kind in ("return", "exit")
            and f.flow.inside(e.region, loop.id)
            and leaves(f, e, loop.id)
        )
        or (e.kind == "break" and exit_loop(f, e) is loop)
    ]
    if ways and len(ways) <= 4 and all("\n" not in e.src.text for e in ways):
        written = list(dict.fromkeys(" ".join(e.src.text.split()) for e in ways))
        slots["ways"] = codes(*written)
        if len(ways) == 1:
            flags.add("one-way")  # "the statement that leaves it is", not "are"
            said = exit_condition(f, ways[0].region, loop)
            if said is not None and said[0] == "if":
                # `if !self.run_once().await { return; }`: when it is taken is half of what
                # the way out says (quickwit's broadcast loops: "every path goes round again
                # except `return`").
                slots["way_cond"] = said[1]
                flags.add("way-if")
            elif said is None or said[0] != "plain":
                # `None => break` on `weak.upgrade()`: said with its arm, or at least as taken
                # under a condition ("every path goes round again except `break`" dropped
                # cnosdb's upgrade check, held-out read 82 #8, #13).
                arm = match_arm(f, ways[0].region, loop)
                if arm is not None:
                    slots["way_pattern"], slots["way_expr"] = arm[2], arm[3]
                    flags.add("way-arm")
                else:
                    flags.add("way-guarded")
        elif len(written) == 1:
            flags.add("one-form")  # several `return`s written alike: "only `return` leaves it"
        return [ctx.proof(e.src) for e in ways]
    return []


def _process_exit_in(ctx: FileContext, f: ItemFacts, loop: Region) -> Call | None:
    """A call in the loop that ends the process: `std::process::exit` itself, or a fn of this
    file that calls it (pueue's task handler calls `handle_shutdown`, which exits: "only a
    panic from `unwrap` ends it from inside" was false, held-out read 27)."""
    assert f.flow is not None
    for c in f.calls:
        if not (f.own(c.region) and f.flow.inside(c.region, loop.id)):
            continue
        if exits_process(c):
            return c
        if c.kind in ("fn", "method") and any(
            any(exits_process(d) for d in g.calls) for g in ctx.fns_named(c.name) if g is not f
        ):
            return c
    return None
