"""Claims about how an item returns: its tail value (after a spawn, after its loop) and each
early `return` with the condition, arm or select branch it sits in."""

from __future__ import annotations

import re

from ..facts import Exit, ItemFacts
from ..flow import Region
from .core import Claim, FileContext, Proof, make
from .exits import leaves, other_ways_out
from .handle_fate import drop_impl_with
from .shape import SHUTDOWN_WORD, guard_of, put_guard

__all__ = ["return_claims", "twin_arm_of"]


def return_claims(ctx: FileContext, f: ItemFacts, loop: Region | None) -> list[Claim]:
    assert f.flow is not None
    out: list[Claim] = []
    # A body that ends in its loop (`'outer: loop { .. }` in a `-> !` fn) returns nothing a
    # sentence could name.
    tail_is_loop = f.tail is not None and re.match(
        r"(?:'\w+\s*:\s*)?(?:loop|while|for)\b", f.tail.text
    )
    if f.tail is not None and not tail_is_loop:
        flags = {"tail"}
        if " ".join(f.tail.text.split()) == "Ok(())":
            flags.add("ok-unit")
        tail = f.tail
        if any(
            s.handle == "dropped"
            and s.src.end <= tail.start
            # A `return` between them is the way out after that spawn (shadowsocks' CONNECT
            # path returns its own response: "after spawning it returns `Ok(res..)`", read 104).
            and not any(
                e.kind == "return" and s.src.end <= e.src.start < tail.start for e in f.exits
            )
            # "Straight away" only with nothing awaited in between, and from the fn's own body:
            # a spawn inside `rt.block_on(async { .. server.await })` comes back only when the
            # block does (nostr-rs-relay's `start_server`, a held-out read).
            and not any(c.awaited and s.src.end <= c.src.start < tail.start for c in f.calls)
            and not any(r.kind in ("async", "closure") for r in f.flow.chain(s.at_region))
            for s in f.spawns
        ):
            flags.add("after-spawn")
        slots = {"expr": f.tail.text.strip()}
        _awaited_beside(f, slots, flags)
        drop_proof = _line_slots(ctx, f, slots, flags) if "after-spawn" in flags else []
        if loop is not None and _right_after(ctx, f, loop, tail.start):
            flags.add("after-loop")
            if _stops_on_request(f, loop):
                flags.add("loop-stops")
        out.append(make("return", f.name, slots, [ctx.proof(f.tail), *drop_proof], flags))
    for e in f.exits:
        if e.kind != "return" or not f.own(e.region) or not leaves(f, e, f.flow.regions[0].id):
            continue  # an async block's or closure's own return is not the fn's
        conds, arm, negated = guard_of(f, e.region, loop.id if loop else None, e.src.start)
        if (conds or arm) and _checked_first(f, e):
            continue
        slots = {"expr": e.expr or "()"}
        flags = {"early"} | ({"unit"} if slots["expr"] == "()" else set())
        if any(SHUTDOWN_WORD.search(c) for c in conds):
            flags.add("shutdown")  # the way out a cancelled wait takes
        handler = next((r for r in f.flow.chain(e.region) if r.kind == "select-handler"), None)
        if handler is not None:
            flags.add("in-select")  # said with its select branch
            if SHUTDOWN_WORD.search(handler.detail) or "cancel" in handler.detail:
                flags.add("shutdown")
        put_guard(slots, flags, [] if negated else conds, arm)
        flags.discard("err-arm")  # a return in an error arm is said by the return rows as is
        if (
            arm
            and arm.startswith("Err(")
            and slots["expr"].replace(" ", "") == arm.replace(" ", "")
        ):
            flags.add("returns-arm")  # `Err(e) => return Err(e)`: the error passed back as is
        of = twin_arm_of(f, e.region, arm) if arm else ""
        if of:
            slots["arm_of"] = of
            flags.add("arm-of")
        if negated:
            flags.add("negated")
        _then_tail(ctx, f, e, conds, slots, flags)
        if loop is not None and f.flow.inside(e.region, loop.id):
            flags.add("in-loop")
            if arm and _only_errors_repeat(f, e.region):
                flags.add("only-errors-repeat")
            if other_ways_out(f, loop, [e], f.flow.task_of(e.region).id):
                # "The loop returns `()` when a round .. finds `x`" read as the one way out of
                # linkerd's idle evictor, which returns on two other paths (held-out read 49).
                flags.add("more-exits")
        out.append(make("return", f.name, slots, [ctx.proof(e.src)], flags))
    return out


def twin_arm_of(f: ItemFacts, rid: int, arm: str) -> str:
    """The call whose result the `match` around ``rid`` looks at, named by its method, when
    another `match` of the fn has an arm of the same pattern: "when the result is `None`, it
    returns" named neither, and rqbit's chunk requester waits on one `None` and returns on the
    other (held-out read 28)."""
    assert f.flow is not None
    mine = next((r for r in f.flow.chain(rid) if r.kind == "arm"), None)
    if mine is None or mine.head != arm:
        return ""
    if not any(
        r.kind == "arm" and r.head == arm and r.keyword != mine.keyword and f.own(r.id)
        for r in f.flow.regions
    ):
        return ""
    return _called(mine.keyword) or _bound_call(f, mine)


def _bound_call(f: ItemFacts, arm: Region) -> str:
    """The call a `match name` looks at through the `let name = ..` before it, its block's
    last expression for a block (hyperlane's tx-id indexer: `let logs = { ..;
    Self::dedupe_and_store_logs(..).await }; match logs { Err(err) => { ..sleep.. } }` beside
    the fetch's own `Err(err)`: "the `Err(err)` branch sleeps" read as the fetch's, read 63)."""
    name = arm.keyword.strip()
    name = name[len("match ") :].strip() if name.startswith("match ") else name
    if not re.fullmatch(r"[a-z_]\w*", name):
        return ""
    at = f.flow.scan.starts[arm.start_tok] if f.flow is not None else 0
    lets = [a for a in f.assigns if a.is_let and a.var == name and a.src.end <= at]
    if not lets:
        return ""
    value = max(lets, key=lambda a: a.src.start).value.strip()
    if value.startswith("{") and value.endswith("}"):
        value = value[1:-1].rsplit(";", 1)[-1]
    return _called(value.removesuffix(".await").strip())


def _called(scrutinee: str) -> str:
    """The last call at the top level of an expression (`self.peers.with_live_mut(h, |l| ..)`
    is `with_live_mut`), or "" when it is no call."""
    text = scrutinee.strip()
    text = text[len("match ") :] if text.startswith("match ") else text
    if text.endswith("?"):
        # `match res.map_err(Failed)? { Err(e) => .. }`: the arms see what the `?` let through,
        # not the call's own result (influxdb3's index cache: "When `map_err` gives `Err(e)`"
        # was misleading, read 73 #13).
        return ""
    depth, name, calls = 0, "", []
    for tok in re.findall(r"\w+|\S", text):
        if tok in "([{":
            if depth == 0 and tok == "(" and name:
                calls.append(name)
            depth += 1
        elif tok in ")]}":
            depth -= 1
        name = tok if depth == 0 and re.fullmatch(r"[a-z_]\w*", tok) else ""
    # `peer.lock().unwrap()` names no call worth saying: "when `unwrap` gives `None`".
    said = [c for c in calls if c not in _PLUMBING]
    return said[-1] if said else ""


_PLUMBING = frozenset(
    {"unwrap", "expect", "clone", "lock", "read", "write", "as_ref", "as_mut", "into", "take"}
)


def _right_after(ctx: FileContext, f: ItemFacts, loop: Region, at: int) -> bool:
    """Whether offset ``at`` is the next code after ``loop``, log lines aside: "after the loop
    comes `Ok(())`" of lemmy's worker was false, `save_and_send_state().await?` comes first
    (blind read 104)."""
    starts, texts, codes = ctx.fs.scan.starts, ctx.fs.scan.texts, ctx.fs.scan.codes
    logged = [(lg.src.start, lg.src.end) for lg in f.logs]
    k = loop.hi + 1  # the token after the loop's closing brace
    while k < len(starts) and starts[k] < at:
        if codes[k] != "c" and texts[k] != ";" and not any(a <= starts[k] < b for a, b in logged):
            return False
        k += 1
    return loop.hi < len(starts) and starts[loop.hi] < at


def _stops_on_request(f: ItemFacts, loop: Region) -> bool:
    """Whether a `break` or `return` of ``loop`` is taken on a shutdown or cancellation (a
    select branch or a condition that names one): only then is its normal return "stopping for
    shutdown" (shadowsocks' DNS client loop ends when the peer closes, read 104)."""
    assert f.flow is not None
    # Only a `break` reaches the return after the loop; a stop that returns `Err(..)` itself
    # makes shutdown an error (neon's safekeeper create loop returns `Err(ShuttingDown)`:
    # "stopping for shutdown is a normal return" was false, held-out read 22).
    # `while !shutting_down() { .. }`: the condition failing is the stop, and it falls through
    # to the return after the loop.
    breaks = loop.keyword == "while" and bool(
        SHUTDOWN_WORD.search(loop.head) or "cancel" in loop.head
    )
    for e in f.exits:
        if e.kind not in ("break", "return") or not f.flow.inside(e.region, loop.id):
            continue
        for r in f.flow.chain(e.region):
            text = r.detail if r.kind == "select-handler" else r.head
            if r.kind in ("select-handler", "if", "arm") and (
                SHUTDOWN_WORD.search(text) or "cancel" in text
            ):
                if e.kind == "return" and e.expr.startswith("Err"):
                    return False
                if any(x.kind == "question" and f.flow.inside(x.region, r.id) for x in f.exits):
                    # The stop's path can fail first (iroh's relay client flushes with `?`
                    # before its `break`: "stopping for shutdown is a normal return" misled,
                    # held-out read 50).
                    return False
                breaks = breaks or e.kind == "break"
                break
    return breaks


def _only_errors_repeat(f: ItemFacts, region: int) -> bool:
    """The return sits in a match arm whose siblings all return too, except `Err` arms: the
    loop goes round again only after an error, so it retries; it does not poll."""
    assert f.flow is not None
    arm = next((r for r in f.flow.chain(region) if r.kind == "arm"), None)
    if arm is None or arm.parent is None:
        return False
    arms = [a for a in f.flow.children(arm.parent) if a.kind == "arm"]
    returning = {
        a.id
        for a in arms
        if any(x.kind == "return" and f.flow.inside(x.region, a.id) for x in f.exits)
    }
    rest = [a for a in arms if a.id not in returning]
    return bool(rest) and all(a.head.startswith("Err") for a in rest)


_CHANNEL = re.compile(
    r"let\s*\(\s*(?:mut\s+)?(\w+)\s*,\s*(?:mut\s+)?(\w+)\s*\)\s*=\s*[\w:]*channel\b"
)


def _line_slots(
    ctx: FileContext, f: ItemFacts, slots: dict[str, str], flags: set[str]
) -> list[Proof]:
    """The channel a returned value keeps to the task (rathole's `ControlChannelHandle::new`
    returns the `shutdown_tx` whose receiver its task listens on: "the spawned task carries on
    by itself" was misleading, dropping that value is what stops it, held-out read 41), and the
    `Drop` impl that uses it (warpgate's `ServiceOutput` sends on `self.abort_tx` from its
    `Drop`, held-out read 53), with that impl as proof."""
    line = _line_to_task(f)
    if line is None:
        return []
    slots["sender"], slots["receiver"] = line
    flags.add("sender-returned")
    found = drop_impl_with(ctx, f, rf"\bself\.{re.escape(line[0])}\b")
    if found is None:
        return []
    slots["owner"] = found[0]
    flags.add("drop-signals")
    return [found[1]]


def _line_to_task(f: ItemFacts) -> tuple[str, str] | None:
    """(sender, receiver) of a channel made in ``f`` whose sending half its final expression
    hands back while the receiving half goes into a task it spawns: the caller keeps a line to
    that task."""
    assert f.tail is not None and f.flow is not None
    text = f.flow.scan.text
    tail = f.tail.text
    for m in _CHANNEL.finditer(text, f.item.start, f.tail.start):
        tx, rx = m.group(1), m.group(2)
        if not re.search(rf"\b{tx}\b", tail) or re.search(rf"\b{rx}\b", tail):
            continue
        spawned = [sp for sp in f.spawns if sp.src.start > m.end()]
        if spawned and re.search(rf"\b{rx}\b", text[m.end() : spawned[-1].src.end]):
            return tx, rx
    return None


def _awaited_beside(f: ItemFacts, slots: dict[str, str], flags: set[str]) -> None:
    """A fn that awaits one task and leaves another running (libsql's `MetaStore::new` awaits two
    `spawn_blocking` handles, then detaches a `tokio::spawn`): "without waiting for the task"
    and "await the task's handle" read as one task (held-out read 78). The detached one is
    named by its mechanism when that tells it apart."""
    if "after-spawn" not in flags or not any(s.handle == "awaited" for s in f.spawns):
        return
    dropped = {s.mechanism for s in f.spawns if s.handle == "dropped"}
    awaited = {s.mechanism for s in f.spawns if s.handle == "awaited"}
    if len(dropped) == 1 and not dropped & awaited:
        flags.add("some-awaited")
        slots["detached_mech"] = dropped.pop()


def _checked_first(f: ItemFacts, e: Exit) -> bool:
    """An `ensure!` or `?` right before the return in its block: the guard alone does not bring
    the return (bottlerocket's update loop: "Once both .. hold, it returns `Ok(..)`" dropped an
    `ensure!(status == "Success", ..)`, held-out read 85 #15)."""
    return any(
        x.kind in ("ensure", "question") and x.region == e.region and x.src.end <= e.src.start
        for x in f.exits
    )


def _then_tail(
    ctx: FileContext,
    f: ItemFacts,
    e: Exit,
    conds: list[str],
    slots: dict[str, str],
    flags: set[str],
) -> None:
    """`then-tail` with slot `otherwise` when the `if` a guarded return sits in, straight in
    the fn's body, is followed by nothing but the fn's last expression: "returns `Ok(())`
    early, before anything that follows" of aardvark-dns's last check, after which only
    `Err(..)` comes back, was misleading (held-out read 102 #4)."""
    assert f.flow is not None
    if not conds or f.tail is None or "\n" in f.tail.text.strip() or len(f.tail.text) > 60:
        return
    ifr = next((r for r in f.flow.chain(e.region) if r.kind == "if"), None)
    if ifr is None or ifr.parent != f.flow.regions[0].id or ifr.hi < 0:
        return
    scan = ctx.fs.scan
    between = scan.text[scan.starts[ifr.hi] + 1 : f.tail.start]
    if re.sub(r"//[^\n]*|/\*.*?\*/|\s", "", between, flags=re.S):
        return
    slots["otherwise"] = f.tail.text.strip()
    flags.add("then-tail")
