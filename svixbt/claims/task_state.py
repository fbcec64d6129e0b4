"""Claims about the state a spawned task works on: a handle cloned for it before the spawn, a
lock it takes around a call, and a same-file predicate that decides what a `retain` or `filter`
keeps (its body said, so a name that reads the other way round is caught).

These are the facts a reviewer of a background task asks about first and that the task's
mechanics alone do not show: what the task keeps alive, what it blocks while it works, and what
its sweep really keeps. How long such a task lives and who hears of its failures is
``task_lifetime``'s.
"""

from __future__ import annotations

import re

from ..facts import ItemFacts, Src
from ..flow import Region
from ..mechanisms import mechanism
from .core import Claim, FileContext, make
from .handle_fate import drop_aborts
from .shape import await_name, endless_loop, main_loop
from .task_lifetime import task_lifetime_claims

__all__ = ["task_state_claims"]

_CLONE = re.compile(r"^(?:([A-Za-z_]\w*)\.clone\(\)|Arc::clone\(&([A-Za-z_]\w*)\))$")
_LOCKS = {"write": "write", "read": "read", "lock": "mutex"}
# Methods whose closure decides what stays: true keeps the element.
_KEEPS = frozenset({"retain", "filter"})
# One comparison between two plain operands: the whole body of a predicate fn.
_OPERAND = r"[A-Za-z_][\w.]*(?:\(\))?(?:\.[A-Za-z_]\w*(?:\(\))?)*"
# A predicate named for what has run out.
_EXPIRY = re.compile(r"expir|stale|outdated|dead")
_COMPARE = re.compile(rf"^(?P<a>{_OPERAND})\s*(?P<op><=|>=|<|>)\s*(?P<b>{_OPERAND})$")


def task_state_claims(ctx: FileContext, idx: int) -> list[Claim]:
    f = ctx.facts[idx]
    if f.flow is None:
        return []
    out = _shares(ctx, f) + _locked(ctx, f) + _predicates(ctx, f) + _task_comments(ctx, f)
    out += _panics(ctx, f) + task_lifetime_claims(ctx, f)
    return out + _one_response(ctx, f) + _popped(ctx, f)


# A call that takes items off where they are kept (Redis `lpop`, `rpop`, `spop`, `zpopmin`, a
# queue's `pop`): what it returned exists only in memory until written somewhere.
_POP = re.compile(r"(?:[lrs]|zpop(?:min|max)?|b[lr])?pop\w*|pop_\w+|\w+_pop")


def _popped(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A round that pops a batch, then awaits a write with `?`: a failed write returns with the
    batch already taken and not put back; an item its loop skips with `continue` is dropped.
    Asked "what does a single failure take down?", redis.rs's migrate_list_to_stream was
    answered "a log line and continue" in every blind read (64-78), while its `lpop`ped keys are
    lost."""
    assert f.flow is not None
    loop = main_loop(f)
    if loop is None:
        return []
    out: list[Claim] = []
    for c in f.calls:
        if not (c.awaited and _POP.fullmatch(c.name) and f.flow.inside(c.region, loop.id)):
            continue
        held = next(
            (
                a
                for a in f.assigns
                if a.is_let and c.src.start >= a.src.start and c.src.end <= a.src.end
            ),
            None,
        )
        writes = [
            w
            for w in f.calls
            if w.awaited
            and w.propagates
            and w.src.start > c.src.end
            and f.flow.inside(w.region, loop.id)
            and not _POP.fullmatch(w.name)
        ]
        if held is None or not writes:
            continue
        w = writes[-1]
        slots = {"pop": await_name(c), "var": held.var, "write": await_name(w)}
        flags: set[str] = set()
        proof = [ctx.proof(c.src), ctx.proof(w.src)]
        over = [
            r for r in f.flow.regions if r.kind == "loop" and r.head.endswith(f" in {held.var}")
        ]
        skipped = [
            e
            for e in f.exits
            if e.kind == "continue" and over and f.flow.inside(e.region, over[0].id)
        ]
        if skipped:
            flags.add("skips")
            proof.append(ctx.proof(skipped[0].src))
        out.append(make("popped", f.name, slots, proof, flags))
        break
    return out


_LIST_CALL = re.compile(r"^(?P<call>[\w.:()]*\blist\w*\([^()]*\))\s*\.await\s*\??$")


def _one_response(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """`let resp = client.application().list(None).await?;` then `for x in resp.data`, with
    nothing else read from `resp` and the call made once: what that one response holds is all
    the fn goes through. Asked "we run this against big accounts", seed.rs's answers never said
    so (blind reads 72-78: `list(None)` brings one page)."""
    assert f.flow is not None
    out: list[Claim] = []
    text = ctx.fs.text[f.item.start : f.item.end]
    for a in f.assigns:
        m = _LIST_CALL.match(a.value.strip())
        if not a.is_let or m is None or not f.own(a.region):
            continue
        if any(r.kind == "loop" for r in f.flow.chain(a.region)):
            continue  # fetched again each round: more than one response
        over = f"{a.var}.data"
        loops = [r for r in f.flow.regions if r.kind == "loop" and r.head.endswith(f" in {over}")]
        uses = re.findall(rf"\b{re.escape(a.var)}\b(\.\w+)?", text)
        # The `let` itself, then `resp.data` and nothing else of `resp`.
        if not loops or sorted(set(uses)) != ["", ".data"] or uses.count("") != 1:
            continue
        slots = {"call": m.group("call"), "var": a.var, "over": over}
        proof = [ctx.proof(a.src), ctx.proof(ctx.head_src(loops[0]))]
        out.append(make("one_response", f.name, slots, proof))
    return out


def _on_await(f: ItemFacts, tok: int) -> bool:
    """Whether the method at token ``tok`` is called on an `.await`: `x.get().await.expect(..)`."""
    assert f.flow is not None
    return tok >= 2 and f.flow.scan.texts[tok - 2] == "await" and f.flow.scan.texts[tok - 1] == "."


def _panics(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """`x.get().await.expect("..")` in a fn with a loop: a failure of that awaited call panics
    instead of coming back as an error (before the first round, or inside one), which no error
    branch of the loop can absorb."""
    assert f.flow is not None
    loop = main_loop(f)
    if loop is None:
        return []
    loop_start = ctx.fs.scan.starts[loop.lo]
    out: list[Claim] = []
    for k, c in enumerate(f.calls):
        if c.kind != "method" or c.name not in ("expect", "unwrap") or not _on_await(f, c.tok):
            continue
        if k == 0 or not f.own(c.region):
            continue
        awaited = f.calls[k - 1]
        if not awaited.awaited or awaited.kind != "method" or not awaited.receiver:
            continue
        if awaited.close_tok + 4 != c.tok:
            # `x.shutdown().await; let y = driver.await.expect(..)`: the expect is not on
            # that call's `.await` (vector's validation runner).
            continue
        call = f"{awaited.receiver}.{awaited.name}"
        slots = {"call": call, "how": c.name}
        m = re.fullmatch(r'"([^"{}\\]{3,80})"', c.args[0]) if c.args else None
        if m:
            slots["message"] = m.group(1)
        if c.src.start < loop_start:
            flags = {"before-loop"}
        elif f.flow.inside(c.region, loop.id):
            flags = {"in-loop"}
        else:
            continue
        proof = [ctx.proof(awaited.src), ctx.proof(c.src), ctx.proof(ctx.region_src(f, loop))]
        out.append(make("panics", f.name, slots, proof, flags))
    return out


_RETRY_WORDS = re.compile(r"(?i)back-?off|retr(?:y|ies)")


def _backs_off(ctx: FileContext, f: ItemFacts, runs: str) -> bool:
    """A wait that grows after a failure in the spawning fn or the fn the task runs."""
    callee = ctx.local_fn(runs.split("::")[-1]) if runs else None
    return any(x.backoffs or x.growths for x in (f, callee) if x is not None)


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "next")


def _task_comments(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """The author's `//` comment on the line right above a spawn: what the task is for, in the
    author's words (quoted as theirs, never restated as fact)."""
    from .spawns import main_call

    assert f.flow is not None
    text = ctx.fs.text
    out: list[Claim] = []
    for sp in f.spawns:
        if not f.own(sp.at_region):
            continue
        line_start = text.rfind("\n", 0, sp.src.start) + 1
        if text[line_start : sp.src.start].strip():
            continue  # the spawn is not the first thing on its line (`let h = tokio::spawn`)
        above = [
            c for c in f.comments if c.end <= line_start and not text[c.end : line_start].strip()
        ]
        if not above:
            continue
        c = above[-1]
        # One comment line alone: a block of several lines is cut mid-thought.
        prev_line = text.rfind("\n", 0, c.start)
        before = (
            text[text.rfind("\n", 0, max(prev_line, 0)) + 1 : prev_line] if prev_line > 0 else ""
        )
        if before.strip().startswith("//"):
            continue
        words = c.text.lstrip("/").strip().rstrip(".")
        if not 4 <= len(words.split()) <= 20 or re.search(r"[`{}]|TODO|FIXME|XXX", words):
            continue
        slots = {"comment": words, "mech": sp.said}
        runs = main_call(f, f.flow.regions[sp.region])
        if runs and not _more_than(f, f.flow.regions[sp.region]):
            slots["runs"] = runs
        if _RETRY_WORDS.search(words) and not _backs_off(ctx, f, runs):
            # "on a loop with exponential backoff" over a fixed schedule that sleeps after every
            # pass (blind read 28): a comment the code does not bear out is not quoted.
            continue
        reg = f.flow.regions[sp.region]
        # A task whose body loops runs its call every round: "the spawn of `publish_stats`"
        # read as a spawn per call (sidekiq's publishers, held-out read 11, misleading twice).
        loops = any(
            r.kind == "loop" and f.flow.task_of(r.id) is reg and f.flow.inside(r.id, reg.id)
            for r in f.flow.regions
        )
        flags = {"loops"} if loops else set()
        own = [o for o in f.spawns if f.own(o.at_region)]
        if len(own) > 1 and "runs" not in slots:
            # "the comment over the spawn" of one of several read as the one just said (habitat's
            # NATS client: its connect spawn and its publisher, held-out read 85 #7).
            slots["nth"] = _ORDINALS[min(own.index(sp), len(_ORDINALS) - 1)]
            flags.add("several")
        out.append(make("task_comment", f.name, slots, [ctx.proof(c), ctx.proof(sp.src)], flags))
    return out


def _shares(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """`let b = a.clone();` before a spawn whose task uses `b`, while the fn goes on to use `a`:
    the task and the caller share one value. An `Arc` (`a` is `Arc::new(..)`) shares the state
    itself; a task whose loop has no way out keeps it alive for as long as it runs."""
    assert f.flow is not None
    out: list[Claim] = []
    lets = {a.var: a for a in f.assigns if a.is_let}
    for sp in f.spawns:
        if not f.own(sp.at_region):
            continue
        for a in f.assigns:
            m = _CLONE.match(a.value) if a.is_let else None
            if m is None or a.src.end > sp.src.start:
                continue
            source = m.group(1) or m.group(2)
            if not re.search(rf"\b{re.escape(a.var)}\b", sp.src.text):
                continue
            after = f.tail.text if f.tail is not None and f.tail.start > sp.src.end else ""
            if not re.search(rf"\b{re.escape(source)}\b", after):
                continue  # the original is not handed on: nothing is shared with the caller
            assert f.tail is not None  # `after` is its text
            flags = {"returned"} if f.tail.text != source else {"returned", "as-is"}
            origin = lets.get(source)
            ptr = re.match(r"((?:std::sync::)?Arc)::new\(", origin.value) if origin else None
            if ptr is not None:
                flags.add("arc")
            if endless_loop(f, sp.region) and drop_aborts(ctx, f) is None:
                # Not where dropping what is returned aborts the task (grpc's DNS resolver:
                # "its clone keeps that state alive after every handle is gone", read 38).
                flags.add("endless")
            slots = {"var": a.var, "source": source, "mech": sp.said, "expr": f.tail.text}
            if ptr is not None:
                slots["ptr"] = ptr.group(1)
            proof = [ctx.proof(a.src), ctx.proof(sp.src), ctx.proof(f.tail)]
            if origin is not None:
                proof.append(ctx.proof(origin.src))
            out.append(make("shares", f.name, slots, proof, flags))
    return out


def _locked(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """`x.write().await.retain(..)` in a loop: the lock is held for the whole call, every round."""
    assert f.flow is not None
    out: list[Claim] = []
    calls = f.calls
    for k, c in enumerate(calls):
        if c.kind != "method" or c.name not in _LOCKS or not c.awaited or not c.receiver:
            continue
        if c.close_tok != c.open_tok + 1:
            continue  # `reader.read(&mut buf)` reads a stream: a lock takes no argument (read 97)
        nxt = calls[k + 1] if k + 1 < len(calls) else None
        if nxt is None or nxt.kind != "method" or c.close_tok + 4 != nxt.tok:
            continue  # the guard is bound or dropped: how long it is held is not one call
        loop = f.flow.loop_of(c.region)
        if loop is None:
            continue
        if f.flow.conditions(c.region, stop=loop.id):
            # Under an `if` inside the loop it is not "each round" (rustdesk-server's lock
            # taken only when `n >= 1_000`: blind read 102, false three times).
            continue
        slots = {"lock": _LOCKS[c.name], "var": c.receiver, "call": nxt.name}
        flags = {"in-spawn"} if f.flow.task_of(c.region).kind != "fn" else set()
        if c.name != "read":
            flags.add("exclusive")
        out.append(make("locked", f.name, slots, [ctx.proof(c.src), ctx.proof(nxt.src)], flags))
    return out


def _predicates(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A closure given to `retain` or `filter` that calls a same-file fn whose whole body is one
    comparison: what is kept is said from that body. A name about expiry over a body that is
    true while the time since a timer is within a limit reads the other way round."""
    out: list[Claim] = []
    for c in f.calls:
        if c.kind != "method" or c.name not in _KEEPS:
            continue
        inner = [
            d
            for d in f.calls
            if d.kind == "fn" and c.open_tok < d.tok < c.close_tok and ctx.local_fn(d.written)
        ]
        if len(inner) != 1:
            continue
        callee = ctx.local_fn(inner[0].written)
        assert callee is not None
        body = _single_expression(ctx, callee)
        m = _COMPARE.match(body) if body else None
        if m is None or callee.returns.strip() != "bool":
            continue
        slots = {"method": c.name, "callee": callee.name, "body": body}
        flags: set[str] = set()
        if f.flow is not None and f.flow.loop_of(c.region) is not None:
            flags.add("in-loop")  # a sweep, each round
        timer = re.fullmatch(r"(.+)\.elapsed\(\)(?:\.as_\w+\(\))?", m.group("a"))
        limit = re.fullmatch(r"(.+?)(?:\.as_\w+\(\))?", m.group("b"))
        if timer and limit and m.group("op") in ("<", "<=") and _EXPIRY.search(callee.name):
            # `is_expired` true while elapsed <= ttl: true for what has NOT expired.
            flags.add("name-inverted")
            slots |= {"timer": timer.group(1), "bound": limit.group(1)}
            slots["bound_name"] = limit.group(1).rpartition(".")[2]
        it = callee.item
        proof = [ctx.proof(c.src), ctx.proof(Src(it.start, it.end, ctx.fs.text[it.start : it.end]))]
        out.append(make("keeps", f.name, slots, proof, flags))
    return out


def _single_expression(ctx: FileContext, f: ItemFacts) -> str:
    """The body of a fn that is one expression and nothing else, folded; "" otherwise."""
    it = f.item
    if it.body_start is None:
        return ""
    text = ctx.fs.text[it.body_start : it.end].strip()
    if not (text.startswith("{") and text.endswith("}")):
        return ""
    inner = " ".join(text[1:-1].split())
    if not inner or any(ch in inner for ch in ";{}") or "//" in inner:
        return ""
    return inner


def _more_than(f: ItemFacts, reg: Region) -> bool:
    """Whether the spawned block does more than await its main call: other awaited calls, a
    task of its own or a `select!` (surrealdb's signal task awaits `listen()`, then spawns a
    drain task and races it: "the spawn of `listen`" was misleading, read 72 #14)."""
    assert f.flow is not None
    fl = f.flow
    if any(
        r.id != reg.id
        and r.kind in ("spawn", "blocking", "select-handler")
        and fl.inside(r.id, reg.id)
        for r in fl.regions
    ):
        return True
    # Its own waits (`sleep`, `tick`) are pacing, not other work.
    awaited = {
        c.written
        for c in f.calls
        if c.awaited and fl.task_of(c.region).id == reg.id and mechanism(c.full) is None
    }
    return len(awaited) > 1
