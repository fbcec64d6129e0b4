"""Which call an error branch handles, and where the branch sends the error it holds.

`match call().await { Err(e) => .. }` and `if let Err(e) = call()` handle the outermost call of
their head; a branch that passes `e` on (`sink.forward(e)`, `tx.send(Err((e, id)))`) does not
drop it, though it writes no line (bb8's `get`, blind read 103).
"""

from __future__ import annotations

import re

from ..fact_types import Assign, Call, Log
from ..facts import ItemFacts
from ..flow import Region
from ..mechanisms import mechanism
from .core import Claim, make
from .shape import called_elsewhere

__all__ = [
    "arm_logs",
    "log_like",
    "failed_call",
    "WRAPPERS",
    "bound_result",
    "err_branch",
    "formats_error_alone",
    "handed_on",
    "handled_call",
    "is_deadline",
    "one_of_several",
    "same_everywhere",
]

WRAPPERS = frozenset(
    {
        "map_err", "context", "with_context", "wrap_err", "wrap_err_with",
        # Accessors of a value already in hand: `match validation.as_ref().unwrap()` matches a
        # Result made earlier; "a failure of that `unwrap` call lands in `Err(e)`" was false
        # (nostr-rs-relay's `db_writer`, a held-out read).
        "unwrap", "expect", "as_ref", "as_mut", "as_deref", "clone", "borrow",
        # `.await.map(|r| r.into_inner())` reshapes the result of the call before it.
        "map", "map_ok", "into_inner", "and_then", "or_else",
        # `timeout(d, fut).await.unwrap_or_else(|_| Err(..))` turns the expiry into an error of
        # the timed call's kind: "a failed `await.unwrap_or_else`" named nothing (held-out
        # read 15, symbolicator's token provider).
        "unwrap_or_else", "unwrap_or", "unwrap_or_default",
    }
)  # fmt: skip


def err_branch(r: Region) -> bool:
    """Whether region ``r`` is an error branch: a `match` arm on `Err(..)` or an
    `if let Err(..) =`."""
    return (r.kind == "arm" and r.head.startswith("Err")) or (
        r.kind == "if" and r.head.startswith("let Err(")
    )


def handled_call(f: ItemFacts, r: Region) -> tuple[str, str] | None:
    """(as said, bare name) of the call whose result an `Err` arm or `if let Err(..) =` handles:
    the outermost call of the head (the last link of `a.b().c(..).await`, not `b`), a method
    with its receiver (`output.handle`, which is not the fn `handle`)."""
    assert f.flow is not None
    head = f.flow.regions[r.parent] if r.kind == "arm" and r.parent is not None else r
    if head.head_start < 0:
        return None
    # Not a call of a let chain's later operand (`if let Err(err) = res && err.is_panic()`):
    # it tests the error, it did not fail ("a failed `err.is_panic`", iroh's captive portal,
    # held-out read 50).
    inside = [
        c
        for c in _calls_in(f, head.head_start, head.head_end + 1)
        if not f.flow.behind_operand(c.src.start)
    ]
    if not inside:
        bound = bound_result(f, r)
        if bound is not None:
            inside = _calls_in(f, bound.src.start, bound.src.end)
    if not inside:
        return None
    # The last awaited link when there is one: an adapter after it only wraps its future
    # (evidence.aim_through_adapters), a `map_err` after the await only converts the error.
    awaited = [c for c in inside if c.awaited]
    c = max(awaited or inside, key=lambda c: (c.src.end, -c.src.start))
    mech = mechanism(c.full)
    if mech is not None and mech.role == "timeout":
        # The timer is not what failed: the future it times is (a block bound to a name,
        # whose own calls the head does not show), or the deadline ran out.
        return None
    if c.kind != "method":
        return c.written, c.name
    recv = c.receiver
    if recv and len(recv) <= 24 and re.fullmatch(r"[\w.]+", recv):
        twice = [d for d in f.calls if d.name == c.name and d.receiver == recv and f.own(d.region)]
        whole = f"{recv}.{' '.join(c.src.text.split())}"
        if len(twice) > 1 and len(whole) <= 60:
            # One method called in several places (three `tx_created.send`s in one loop, each
            # with its own error line): the call is named with its arguments, or three failures
            # read as one (blind read 103, tokio-cron-scheduler).
            return whole, c.name
        return f"{recv}.{c.name}", c.name
    return c.name, c.name


def bound_result(f: ItemFacts, r: Region) -> Assign | None:
    """`let val = rx.recv().await; if let Err(e) = val { break }`: the `let` that bound, once
    and before it, the result error branch ``r`` matches by name; None when the branch matches
    a call of its own head. The branch handles that call's failure (openobserve's scheduler
    loop, held-out read 29: no claim said what its `break` was for)."""
    assert f.flow is not None
    head = f.flow.regions[r.parent] if r.kind == "arm" and r.parent is not None else r
    scrutinee = (head.head.rsplit("= ", 1)[-1] if r.kind == "if" else head.head).strip()
    if not scrutinee.isidentifier():
        return None
    bound = [a for a in f.assigns if a.var == scrutinee]
    if len(bound) != 1 or not bound[0].is_let or bound[0].src.end > head.head_start:
        return None
    if not f.flow.inside(head.id, bound[0].region):
        # A `let result = task.execute(..).await` inside an async block is out of scope where
        # a later `for (name, result, ..) in results` matches its own `result` (pingap's
        # background service: "an error from `task.execute` for one element" was MISLEADING,
        # read 76 #5).
        return None
    # One call's result, not a value computed by a block (`let msg = match next { .. }`,
    # whose arms make many calls: "one of its calls to `inc` is caught in `Err(..)`" named the
    # last of them, nostr-rs-relay's connection loop).
    if "{" in bound[0].value or re.match(r"(?:match|if|loop|async|unsafe)\b", bound[0].value):
        return None
    return bound[0]


def _calls_in(f: ItemFacts, start: int, end: int) -> list[Call]:
    """The calls written between char offsets ``start`` and ``end`` that may be the one whose
    result is matched: not `Ok`/`Err`/`Some`, not a wrapper (`rx.recv().await.with_context(..)`
    is the wrapped call's error; a receiver read as `await` named nothing, rathole: "an error
    from `await.with_context`"), not inside a wrapper's arguments (`Error::msg` in
    `.unwrap_or_else(|_| Err(Error::msg(..)))` builds the error)."""
    inside = [
        c
        for c in f.calls
        if start <= c.src.start
        and c.src.end <= end
        and c.name not in ("Some", "Ok", "Err")
        and c.name not in WRAPPERS
    ]
    wraps = [w for w in f.calls if w.name in WRAPPERS and start <= w.src.start and w.src.end <= end]
    return [
        c
        for c in inside
        if not any(w.src.start < c.src.start and c.src.end <= w.src.end for w in wraps)
    ]


def handed_on(f: ItemFacts, r: Region, pattern: str) -> str | None:
    """The call (as said) an error branch passes its error to, unconditionally: `Err(e)` then
    `sink.forward(e)` or `tx.send(Err((e, id)))`; None when there is none or the error is
    not bound to a name."""
    m = re.fullmatch(r"(?:let\s+)?Err\(\s*(\w+)\s*\)", pattern.strip())
    if m is None or m.group(1) == "_":
        return None
    name = m.group(1)
    for c in f.calls:
        if c.region != r.id or c.kind not in ("fn", "method"):
            continue
        if not any(re.search(rf"(?<![\w.]){name}(?![\w(])", a) for a in c.args):
            continue
        recv = c.receiver
        if c.kind == "method" and recv and re.fullmatch(r"[\w.]+", recv) and len(recv) <= 24:
            return f"{recv}.{c.name}"
        return c.written if c.kind == "fn" else None
    return None


def same_everywhere(f: ItemFacts, claims: list[Claim]) -> list[Claim]:
    """Error-branch claims about one call made in several places, where every place handles its
    failure alike (same level, same way on): one claim with no condition and not "one of
    several". Two `forward(..)`s in two `select!` branches, each logged at debug, were said as
    "its other calls of `forward` handle errors their own way" (trap ledgers.rs)."""
    out: list[Claim] = []
    done: set[str] = set()
    for c in claims:
        call = c.get("call")
        if "one-of-several" not in c.flags or call in done:
            if call not in done:
                out.append(c)
            continue
        group = [o for o in claims if o.get("call") == call and "one-of-several" in o.flags]
        callee = call.split("(", 1)[0]  # `stream.set_nodelay(true)`: matched by its callee
        name = callee.split(".")[-1].split("::")[-1]
        recv = callee.rsplit(".", 1)[0] if "." in callee else ""
        sites = [
            k
            for k in f.calls
            if k.name == name and f.own(k.region) and (not recv or k.receiver == recv)
        ]

        def shape(o: Claim) -> tuple[frozenset[str], list[tuple[str, str]]]:
            return o.flags - {"guarded"}, [kv for kv in o.slots if kv[0] != "guard"]

        if _handled_alike(f, call) and (
            len(group) == 1 or len(group) != len(sites) or any(shape(o) != shape(c) for o in group)
        ):
            # Its twins had no claim of their own (under an `else`): alike all the same.
            done.add(call)
            slots = dict(kv for kv in c.slots if kv[0] != "guard")
            out.append(
                make(c.kind, c.subject, slots, c.proof, c.flags - {"guarded", "one-of-several"})
            )
            continue
        if len(group) < 2 or len(group) != len(sites) or any(shape(o) != shape(c) for o in group):
            out.append(c)
            continue
        done.add(call)
        slots = dict(kv for kv in c.slots if kv[0] != "guard")
        proof = [p for o in group for p in o.proof]
        out.append(make(c.kind, c.subject, slots, proof, c.flags - {"guarded", "one-of-several"}))
    return out


def formats_error_alone(f: ItemFacts, lg: Log) -> bool:
    """Whether a line with no words of its own formats the error its `Err(name)` branch bound,
    and nothing else (`error!("{e}")`, `error!("{:?}", e)`)."""
    assert f.flow is not None
    binding = ""
    for r in f.flow.chain(lg.region):
        m = re.fullmatch(r"(?:let\s+)?Err\(\s*([a-z_]\w*)\s*\)", r.head.split("=", 1)[0].strip())
        if r.kind in ("arm", "if") and m:
            binding = m.group(1)
            break
    if not binding:
        return False
    inline = re.findall(r"\{([A-Za-z_]\w*)", lg.message)
    tail = lg.src.text.rsplit('"', 1)[-1]
    args = re.findall(r"[A-Za-z_][\w.]*", tail)
    named = set(inline) | {a.split(".")[0] for a in args}
    return bool(named) and named <= {binding}


def is_deadline(f: ItemFacts, r: Region, bare: str) -> bool:
    """The call a branch handles is a tokio timeout: its `Err(_)` is the deadline passing, not a
    failure ("a failed `timeout` must not end it" of pingora's handshake timeout, a held-out
    read); the timeout claims say what happens then."""
    assert f.flow is not None
    head = f.flow.regions[r.parent] if r.kind == "arm" and r.parent is not None else r
    return head.head_start >= 0 and any(
        c.name == bare and (m := mechanism(c.full)) is not None and m.role == "timeout"
        for c in f.calls
        if head.head_start <= c.src.start <= head.head_end
    )


def one_of_several(f: ItemFacts, r: Region, head: Region, call: str, bare: str) -> bool:
    """Whether the call error branch ``r`` handles is made elsewhere in the fn too."""
    # A call said with its arguments is told apart from the fn's other calls of that
    # method already (`stream.read_exact(&mut length_buf)`).
    return called_elsewhere(f, r, head, call, bare) and (
        "(" not in call or _same_call_elsewhere(f, r, head, call)
    )


def _handled_alike(f: ItemFacts, call: str) -> bool:
    """Whether every call of ``call`` in the fn is the head of an `if let Err(..)` that logs the
    very same lines: handled alike everywhere, whatever branch each sits in (influxdb3's admin
    endpoint sets `TCP_NODELAY` in two accept branches, each warning the same, but one of them
    had no claim of its own: "this is about the one here" was misleading, read 73 #32)."""
    assert f.flow is not None
    fl = f.flow
    want = "".join(call.split())
    heads = [
        x
        for x in fl.regions
        if x.kind == "if"
        and x.head.startswith("let Err(")
        and want in "".join(x.head.split())
        and f.own(x.id)
    ]
    name = want.split("(", 1)[0].rsplit(".", 1)[-1]
    sites = [c for c in f.calls if c.name == name and f.own(c.region)]
    # The same lines and the same ways on (a `continue` in one, a `return` in another differ).
    lines = [
        (
            frozenset(lg.message for lg in f.logs if fl.inside(lg.region, x.id)),
            frozenset(e.kind for e in f.exits if fl.inside(e.region, x.id)),
        )
        for x in heads
    ]
    return (
        len(heads) >= 2 and len(sites) == len(heads) and len(set(lines)) == 1 and bool(lines[0][0])
    )


def _same_call_elsewhere(f: ItemFacts, r: Region, head: Region, call: str) -> bool:
    """A call said with its arguments is told apart from the fn's other calls of that method,
    unless another site makes the very same call (pgcat's `handle` parses `&message` in four
    arms and logs a failure in one: "an error from `query_router.parse(&message)` is logged"
    was misleading, a held-out read)."""
    assert f.flow is not None
    want = "".join(call.split())
    for c in f.calls:
        if not f.own(c.region) or f.flow.inside(c.region, r.id):
            continue
        if head.head_start <= c.src.start < max(head.head_end, head.head_start + 1):
            continue
        said = f"{c.receiver}.{c.name}" if c.kind == "method" else c.written
        if "".join(f"{said}({', '.join(c.args)})".split()) == want:
            return True
    return False


def failed_call(f: ItemFacts, rid: int, always: bool = False) -> str:
    """The call whose failure the error branch around region ``rid`` handles, where the fn has
    more than one error branch: shadowsocks' servers sleep 1 s after a failed `recv_from` but
    not after a failed `Message::from_vec`, and "the `Err(err)` branch sleeps" did not say
    which (blind read 103). "" when there is one branch or no call to name."""
    assert f.flow is not None
    arms = [r for r in f.flow.regions if f.own(r.id) and err_branch(r)]
    mine = next((r for r in f.flow.chain(rid) if r in arms), None)
    if mine is None:
        return ""
    # Only where some other error branch does not wait: where each one does (svix's migration
    # schedule), "the `Err(e)` branch sleeps" is true of any of them.
    # ``always``: named anyway, beside a condition that picks the call (mirrord's pipe
    # `accept`: "if `self.next.take()` matches `None`, the `Err(err)` arm .." left out that
    # only a failed `create_instance` sleeps there, held-out read 87 #24).
    if not always and all(any(f.flow.inside(w.region, r.id) for w in f.waits) for r in arms):
        return ""
    handled = handled_call(f, mine)
    return handled[0] if handled else ""


# A macro named like a log line that the fact pass did not take as one: conduwuit's
# `debug_error!` (error in debug builds, debug in release).
# `emit!(..)` of an internal event is how vector logs (its events write the lines): "writes no
# log line of its own" of an arm that emits one was misleading (read 70).
_LOG_LIKE = re.compile(r"(?:^|_)(?:trace|debug|info|warn|warning|error|log|emit)(?:_|$)")


_PRINTS = frozenset({"eprintln", "eprint", "println", "print"})
_LEVELS = frozenset({"trace", "debug", "info", "warn", "warning", "error"})


def log_like(f: ItemFacts, r: Region) -> bool:
    """Whether arm ``r`` calls a macro named like a log line (`debug_error!`): its level is the
    crate's business, but "without a log line of its own" would be false (held-out read 57)."""
    assert f.flow is not None
    return any(
        f.flow.inside(c.region, r.id)
        and (
            c.kind == "macro"
            and (
                _LOG_LIKE.search(c.name.rstrip("!"))
                # zellij's test server prints a failed spawn with `eprintln!`: "without a log
                # line of its own" was FALSE (read 76 #24).
                or c.name.rstrip("!") in _PRINTS
            )
            and "assert" not in c.name
            # A logger's own method (`self.logger.warn(..)`, spacedrive's network core): "without
            # a log line of its own: it hands the error to `self.logger.warn`" was FALSE (read 71).
            or c.kind == "method"
            and c.name in _LEVELS
            and "log" in c.receiver.lower()
        )
        for c in f.calls
    )


def arm_logs(f: ItemFacts, r: Region) -> tuple[str, set[str]]:
    """The level error branch ``r`` logs at ("" when none can be said) and how it logs: `logs`
    for lines of its own at one level, `logs-nested` for lines only under a condition inside it
    or at levels that differ."""
    assert f.flow is not None
    logs = [lg for lg in f.logs if lg.region == r.id]
    nested = [lg for lg in f.logs if lg.region != r.id and f.flow.inside(lg.region, r.id)]
    if logs and any(lg.level != logs[0].level for lg in nested):
        # An `error!` under the arm's `if attempts >= max` beside its `warn!`: "logged at
        # warn level" was half of it (iggy's ClickHouseSink::open, read 61).
        return "", {"logs-nested"}
    if logs:
        return logs[0].level, {"logs"}
    if nested or log_like(f, r):
        # Lines only under a condition inside the arm (kanidm's `repl_task` warns one way
        # or another by `last_working_address`): "without a log line of its own" was false
        # (a held-out read).
        return "", {"logs-nested"}
    return "", _logs_after(f, r)


def _logs_after(f: ItemFacts, r: Region) -> set[str]:
    """`logs-after` when the round goes on, past the arm's `match`, to a log line in the same
    loop (nym's cache refresher counts failures in the arm and warns on every tenth after the
    `match`: "writes no log line of its own" read as if none came, read 69)."""
    assert f.flow is not None
    loop = f.flow.loop_of(r.id)
    outer = f.flow.regions[r.parent] if r.parent is not None else r
    if loop is None:
        return set()
    return (
        {"logs-after"}
        if any(
            lg.src.start > f.flow.scan.starts[outer.hi - 1] and f.flow.loop_of(lg.region) is loop
            for lg in f.logs
        )
        else set()
    )
