"""Claims about failure handling in an item's own task: logs and their conditions, error
branches, `?` propagation, returns, error conversions, and timing of a pass."""

from __future__ import annotations

import re
from dataclasses import replace

from ..fact_types import Log
from ..facts import Call, ItemFacts, Src
from ..flow import Region
from ..mechanisms import mechanism
from .arm_exits import arm_exit_flags
from .arm_wait import arm_wait
from .callee_ends import stub_call_claim
from .core import CATCH_ALL_ERR, LIST_SEP, Claim, FileContext, Proof, make
from .deps import dependency_of
from .err_arms import (
    WRAPPERS,
    arm_logs,
    bound_result,
    err_branch,
    handed_on,
    handled_call,
    is_deadline,
    one_of_several,
    same_everywhere,
)
from .exits import skips
from .last_try import passed_arm_guards
from .log_message import log_message, tried_after
from .log_place import inner_place, log_place
from .propagate import NOT_SOURCES, propagate_claims
from .returns import return_claims
from .round_work import one_of_calls
from .shape import (
    codes,
    guard_of,
    in_closure,
    leaves_early,
    main_loop,
    next_call,
    put_guard,
    skipped_by_continue,
)
from .timing import timing_claims
from .traced import traced_err

__all__ = ["NOT_SOURCES", "failure_claims", "scrutinee_call"]

_CALL = re.compile(r"((?:[A-Za-z_]\w*::)*[a-z_]\w*)\s*\(")


def scrutinee_call(text: str) -> str:
    """The first fn or method call in a `match`/`if let` head, as written (without args)."""
    for m in _CALL.finditer(text):
        name = m.group(1)
        last = name.split("::")[-1].split(".")[-1]
        if last not in ("Some", "Ok", "Err", "let") and last not in WRAPPERS:
            return name
    return ""


def failure_claims(ctx: FileContext, idx: int) -> list[Claim]:
    f = ctx.facts[idx]
    if f.flow is None:
        return []
    loop = main_loop(f)
    out: list[Claim] = []
    out += _log_claims(ctx, f, loop)
    out += _err_arm_claims(ctx, f, loop)
    out += propagate_claims(ctx, f, loop)
    out += return_claims(ctx, f, loop)
    out += _conversion_claims(ctx, f)
    out += timing_claims(ctx, f)
    out += _diverges(ctx, f, loop)
    return out


def _diverges(ctx: FileContext, f: ItemFacts, loop: Region | None) -> list[Claim]:
    """`fn ..() -> !` around a loop: the type says no path returns, so no error ends it (only a
    panic can); the queue bridge's consumer loop is written this way."""
    if loop is None or f.returns.strip() != "!" or f.item.body_start is None:
        return []
    sig = ctx.fs.text[f.item.keyword_start : f.item.body_start]
    m = re.search(r"->\s*!", sig)
    if m is None:
        return []
    a = f.item.keyword_start + m.start()
    src = Src(a, a + len(m.group(0)), m.group(0))
    return [
        make("diverges", f.name, {"expr": "!", "head": loop.head or loop.keyword}, [ctx.proof(src)])
    ]


def _log_claims(ctx: FileContext, f: ItemFacts, loop: Region | None) -> list[Claim]:
    assert f.flow is not None
    out: list[Claim] = []
    for lg in f.logs:
        if not f.own(lg.region) or in_closure(f, lg.region):
            # A line in a closure runs when the closure is called, which may be later or
            # never (`.inspect(|_| info!(..))` on a future another task runs: blind read 100).
            continue
        conds, arm, negated = guard_of(
            f, lg.region, loop.id if loop else None, lg.src.start, continues=True
        )
        conds, negated = _with_loop_guard(f, loop, lg.region, conds, negated)
        if negated:
            continue  # an `else` branch: its condition would have to be said negated
        # An exit nested in an earlier `match`/`if` of the same block (`continue 'outer` for one
        # kind of error) means the line runs only when that exit was not taken: a condition
        # not said here, so the log is not claimed at all.
        if not conds and any(skips(f, e, lg.region) for e in f.exits if e.src.start < lg.src.start):
            continue
        if skipped_by_continue(f, lg.region, lg.src.start, conds):
            continue
        slots = {"level": lg.level, "macro": lg.macro}
        if lg.fields:
            # Structured fields (`error = %e`): what on-call filters on besides the message
            # (blind read 56: "leaves out the `error = %e` field that on-call would see").
            slots["fields"] = LIST_SEP.join(lg.fields)
        flags: set[str] = set()
        if not log_message(f, lg, slots, flags):
            continue
        place = log_place(f, loop, lg.src, lg.region)
        if place:
            flags.add(place)
        if place == "in-loop" and loop is not None:
            inner_place(ctx, f, loop, lg.region, lg.src.start, slots, flags)
        if place == "after-loop" and loop is not None and tried_after(f, loop, lg.src.start):
            # A `?` between the loop's end and the line (rusty-celery's `cancel(..).await?`
            # before "Waiting on {} pending tasks"): the line needs it to pass (held-out read).
            flags.add("after-try")
        if place == "after-loop" and loop is not None and leaves_early(f, loop):
            # A `?` or `return` inside the loop leaves the fn without this line (rathole:
            # "When the loop ends it logs “UDP pool dropped”", four `?`s skip it: read 100).
            flags.add("early-exits")
        put_guard(slots, flags, conds, arm)
        if conds and _guard_in_arm(f, lg.region):
            # `Err(e) => { count += 1; if count >= limit { error!(..) } }`: the condition is
            # tested after the failure, inside its arm (pgcat; "when both .. hold and then
            # `pool.get` fails" had the order backwards, blind read 105).
            flags.add("guard-in-arm")
        in_arm, in_round = _tries_before(f, lg, loop)
        if arm and in_arm:
            continue  # `Err(e) => { reply(..).await?; error!(..) }`: only if that `?` passed
        if in_round:
            flags.add("after-try")  # a `?` earlier in the round can end it before this line
        if any(o is not lg and o.message == lg.message for o in f.logs):
            # The same line written on another path too: "fires only when" its guard holds
            # would be false (shadowsocks' udp relay writes one debug line from two branches,
            # blind read 103).
            flags.add("repeated-line")
        handler = next((r for r in f.flow.chain(lg.region) if r.kind == "select-handler"), None)
        if handler is not None and _unsaid_around_loop(f, lg.region, handler):
            continue
        if handler is not None and not arm:
            # A line in a select branch runs only when that branch wins: guard_of leaves select
            # branches to their select, so without this it read as written "on every round of
            # the loop" (trap rebuild.rs).
            flags.add("in-select")
            if handler.detail:
                slots["branch"] = handler.detail
            slots["select"] = (handler.keyword or "select") + "!"
        if "err-arm" in flags:
            one_of_calls(f, _arm_call(f, lg.region), slots, flags)  # whose error it reports
        elif arm.startswith("Ok("):
            answered = _ok_arm_call(f, lg.region)
            if answered:
                slots["call"] = answered  # whose result the arm matched
                flags.add("ok-arm")
        if not conds and not arm and place == "before-loop":
            flags.add("once")
        out.append(make("log", f.name, slots, [ctx.proof(lg.src)], flags))
    return out


def _with_loop_guard(
    f: ItemFacts, loop: Region | None, rid: int, conds: list[str], negated: bool
) -> tuple[list[str], bool]:
    """``conds`` with the conditions the loop itself runs under, for a line inside it: the loop
    may run only under a branch (influxdb3's WAL cleanup deletes files in a `for` inside `if
    curr_num_files > keep`: "On every round of the loop it logs “deleting wal file” .. outside
    any condition" was FALSE, read 73). Only the branches around it: an early return passed on
    the way in (`if let Err(e) = ensure_table(..) { return; }`) is the fn's start-up."""
    assert f.flow is not None
    if loop is None or loop.parent is None or not f.flow.inside(rid, loop.id):
        return conds, negated
    outer, _, outer_negated = guard_of(f, loop.parent)
    return [*outer, *conds], negated or outer_negated


def _tries_before(f: ItemFacts, lg: Log, loop: Region | None) -> tuple[bool, bool]:
    """Whether a `?` comes before log line ``lg`` in its innermost arm or `if`, and in the
    round of ``loop``: either can leave before the line is written (pgcat's checkout failure
    is replied to with `..await?` before it is logged, blind read 106)."""
    assert f.flow is not None
    fl = f.flow
    tried = [
        e
        for e in f.exits
        if e.kind == "question" and f.own(e.region) and e.src.start < lg.src.start
    ]
    arm = next((r.id for r in fl.chain(lg.region) if r.kind in ("arm", "if")), lg.region)
    return (
        any(fl.inside(e.region, arm) for e in tried),
        loop is not None and any(fl.inside(e.region, loop.id) for e in tried),
    )


def _outer_failures(f: ItemFacts, r: Region, loop: Region | None) -> list[str]:
    """The `if let Err(..) = call` branches an error arm sits in: it is reached only once that
    call failed (greptimedb's datanode re-creates its streams only after `tx.send(req)` failed;
    "the one made when `let Some(req) = req` matches" dropped that, read 68 #12)."""
    assert f.flow is not None
    return [
        a.head
        for a in f.flow.chain(r.id)
        if a.id != r.id
        and a.kind == "if"
        and a.head.startswith("let Err(")
        and (loop is None or f.flow.inside(a.id, loop.id))
    ][::-1]


def _guard_in_arm(f: ItemFacts, rid: int) -> bool:
    """Whether an `if` or a match arm lies between region ``rid`` and the error branch around it."""
    assert f.flow is not None
    for r in f.flow.chain(rid):
        if err_branch(r):
            return False
        if r.id != rid and r.kind in ("if", "arm") or r.id == rid and r.kind == "if":
            return True
    return False


def _arm_call(f: ItemFacts, rid: int) -> str:
    """The call whose error the innermost error branch around ``rid`` handles ("" if none)."""
    assert f.flow is not None
    for r in f.flow.chain(rid):
        if err_branch(r):
            handled = handled_call(f, r)
            if handled is None or is_deadline(f, r, handled[1]):
                return ""  # a deadline passing is no failure of a call
            return handled[0]
        if r.kind in ("if", "arm") and "Err(" in r.head:
            # An inner error test this module does not read (`if let Ok(s) = remote && let
            # Err(err) = self.update_status(..)`): the line is that call's, not the outer
            # branch's (blind read 18, fluvio's connect.rs: "error updating status" was
            # said to be written for a failed `sync_and_send_topics`, false).
            return ""
    return ""


def _ok_arm_call(f: ItemFacts, rid: int) -> str:
    """The call whose `Ok(..)` result the innermost match arm around ``rid`` is ("" if the
    innermost arm is another, or the match is on something else)."""
    assert f.flow is not None
    for r in f.flow.chain(rid):
        if r.kind == "arm":
            handled = handled_call(f, r) if r.head.startswith("Ok(") else None
            return handled[0] if handled else ""
    return ""


def _handled_head(
    ctx: FileContext, f: ItemFacts, r: Region, handled: bool, call: str, bare: str
) -> tuple[Region, bool]:
    """Where the call error branch ``r`` handles is written (the `match` scrutinee or the `if
    let`, or the `let` that bound the result the head matches by name), as a region whose head
    spans it, and whether that call is awaited."""
    assert f.flow is not None
    head = f.flow.regions[r.parent] if r.kind == "arm" and r.parent is not None else r
    bound = bound_result(f, r) if handled else None
    if bound is not None:
        head = replace(head, head_start=bound.src.start)
    first = bound.src.start if bound is not None else ctx.fs.scan.starts[r.start_tok]
    awaited = any(
        c.awaited and c.src.start >= first and (c.name == bare or c.written == call)
        for c in f.calls
    )
    return head, awaited or (r.kind == "arm" and ".await" in r.keyword)


def _chain_first(expr: str) -> str:
    """A let chain's scrutinee alone: `res && err.is_panic()` -> `res` (the call after `&&`
    tests the error; "a failed `err.is_panic`" of iroh's captive portal, held-out read 50)."""
    depth = 0
    for i, ch in enumerate(expr):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if depth == 0 and expr.startswith("&&", i):
            return expr[:i]
    return expr


def _err_arm_claims(ctx: FileContext, f: ItemFacts, loop: Region | None) -> list[Claim]:
    assert f.flow is not None
    out: list[Claim] = []
    for r in f.flow.regions:
        if not f.own(r.id):
            continue
        if r.kind == "arm" and r.head.startswith("Err"):
            call = scrutinee_call(r.keyword)
        elif r.kind == "if" and r.head.startswith("let Err("):
            call = scrutinee_call(_chain_first(r.head.split("=", 1)[1]))
        else:
            continue
        handled = handled_call(f, r)
        bare = call.split("::")[-1]  # the name calls are matched by
        if handled:
            call, bare = handled
        if not call or is_deadline(f, r, bare):
            continue
        flags: set[str] = set()
        # An error from I/O the task awaits, not from parsing a header or a string.
        head, awaited = _handled_head(ctx, f, r, bool(handled), call, bare)
        stub = stub_call_claim(ctx, f, r, head, call, bare)
        if stub is not None:
            out.append(stub)
            continue
        if awaited:
            flags.add("awaited")
        if one_of_several(f, r, head, call, bare):
            flags.add("one-of-several")
        slots = {
            "pattern": r.head if r.kind == "arm" else r.head.split("=", 1)[0].strip()[4:],
            "call": call,
        }
        level, how = arm_logs(f, r)
        if level:
            slots["level"] = level
        flags |= how
        flags |= arm_exit_flags(f, r, loop)
        if loop is not None and not any(
            e.kind in ("question", "ensure") and f.flow.loop_of(e.region) is loop for e in f.exits
        ):
            flags.add("no-question-in-loop")
        at = f.flow.scan.starts[r.start_tok if r.start_tok >= 0 else r.lo]
        conds, _, negated = guard_of(
            f, r.parent if r.parent is not None else r.id, loop.id if loop else None, at
        )
        if negated:
            continue  # under an `else`: not said as a plain condition
        # linkerd's last retry panics in `Err(e) if i == MAX`.
        conds += passed_arm_guards(f, r, flags, loop)
        conds += _outer_failures(f, r, loop)
        if conds:
            slots["guard"] = codes(*conds)
            flags.add("guarded")
        sets = [a for a in f.assigns if a.region == r.id and not a.is_let]
        if sets:
            slots["var"] = sets[0].var
            slots["value_set"] = sets[0].value
            flags.add("sets")
        if loop is not None and f.flow.inside(r.id, loop.id):
            flags.add("in-loop")
        waited = arm_wait(ctx, f, r, slots, flags)
        handed = handed_on(f, r, slots["pattern"])
        if handed is not None:
            # bb8's `forward_error(e)`: the arm writes no line, but the error is not dropped
            # ("without a log line of its own" left that out, blind read 103).
            slots["handed_to"] = handed
            flags.add("hands-on")
            if any(c.propagates and f.flow.inside(c.region, r.id) for c in f.calls):
                flags.add("hand-fails-out")  # `errors.send(err).await?` (watchexec, read 53)
        proof = [ctx.proof(ctx.region_src(f, r)), *waited]
        proof += _after_arm(ctx, f, head, loop, call, slots, flags)
        proof += traced_err(ctx, bare, slots, flags)
        out.append(make("err_arm", f.name, slots, proof, flags))
    return merge_alike(same_everywhere(f, _specific(out)), "call")


def _specific(claims: list[Claim]) -> list[Claim]:
    """An arm for one kind of error (`Err(Error::RowNotFound)`) of a call that also has a
    catch-all `Err(e)` arm: flagged ``specific``, so a request about the call's failure is
    made from the catch-all (nostr-rs-relay's `db_writer` asked for info level, the not-found
    arm's, and its think said warn, the catch-all's: a held-out read)."""
    general = {c.get("call") for c in claims if CATCH_ALL_ERR.fullmatch(c.get("pattern").strip())}
    # A specific arm that leaves (`Err(Error::Offline) => break`) beside a catch-all that goes
    # on: "a failed call does not end the loop" said of the catch-all dropped that break
    # (pgdog's LSN monitor, held-out read 16).
    leaving = {
        c.get("call")
        for c in claims
        if not CATCH_ALL_ERR.fullmatch(c.get("pattern").strip())
        # A guarded arm (`Err(e) if tries >= MAX => return ..`) is said as the guard the
        # catch-all is reached past (``after-guard``).
        and " if " not in c.get("pattern")
        and {"breaks", "returns", "exits-process"} & c.flags
    }
    out = []
    for c in claims:
        catch_all = CATCH_ALL_ERR.fullmatch(c.get("pattern").strip())
        if c.get("call") in general and not catch_all:
            c = make(c.kind, c.subject, c.slot_map, list(c.proof), {*c.flags, "specific"})
        elif catch_all and c.get("call") in leaving:
            c = make(c.kind, c.subject, c.slot_map, list(c.proof), {*c.flags, "specific-exits"})
        out.append(c)
    return out


def _after_arm(
    ctx: FileContext,
    f: ItemFacts,
    head: Region,
    loop: Region | None,
    call: str,
    slots: dict[str, str],
    flags: set[str],
) -> list[Proof]:
    """What follows a handled error: the call the round still goes on to, and what the failing
    call talks to (the database, Kafka). Adds slots and flags; returns their proofs."""
    proof: list[Proof] = []
    if "keeps-looping" in flags and loop is not None and "inner-loop" not in flags:
        # The round goes on past the failure: the call after the `match` still runs
        # (`update_last_poll_time()` after a failed `receive_all`).
        nc = next_call(ctx, f, head, loop.id, _plain_work)
        if nc is not None:
            slots["next_call"] = nc.src.text if len(nc.src.text) <= 40 else nc.written
            flags.add("then-next")
            proof.append(ctx.proof(nc.src))
    dep = dependency_of(ctx, f, call)
    if dep is not None:
        slots["dep"] = dep[0]
        proof.append(dep[1])
    return proof


def _plain_work(c: Call) -> bool:
    """An awaited call that is work, not a tokio wait or a log."""
    return c.awaited and c.kind in ("fn", "method") and mechanism(c.full) is None


def merge_alike(claims: list[Claim], key: str) -> list[Claim]:
    """Claims equal but for ``key`` become one claim listing every value of ``key``: two
    `if let Err(e) = step().await { log; sleep; continue }` blocks are one behaviour."""
    out: list[Claim] = []
    for c in claims:
        same = next(
            (
                o
                for o in out
                if o.kind == c.kind
                and o.flags == c.flags
                and [kv for kv in o.slots if kv[0] != key] == [kv for kv in c.slots if kv[0] != key]
            ),
            None,
        )
        if same is None:
            out.append(c)
            continue
        values = same.get(key).split(LIST_SEP)
        if c.get(key) not in values:
            values.append(c.get(key))
        slots = {k: (LIST_SEP.join(values) if k == key else v) for k, v in same.slots}
        out[out.index(same)] = make(c.kind, c.subject, slots, same.proof + c.proof, same.flags)
    return out


def _conversion_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    conv = [
        c
        for c in f.calls
        if c.kind == "method" and c.name in ("map_err", "ok_or_else", "ok_or") and f.own(c.region)
    ]
    if not conv:
        return []
    methods = list(dict.fromkeys(c.name for c in conv))
    slots = {"methods": codes(*methods)}
    for c in conv:
        m = re.search(r'"([^"{}]{8,})', " ".join(c.args))
        if m:
            slots["message"] = m.group(1).strip()
            break
    return [make("conversion", f.name, slots, [ctx.proof(c.src) for c in conv])]


def _unsaid_around_loop(f: ItemFacts, rid: int, handler: Region) -> bool:
    """Whether a loop inside select branch ``handler`` holds region ``rid`` under a condition
    of its own: guard_of stops at that loop, so the condition would go unsaid (moonfire's
    SIGQUIT branch logs each task in a `for` inside `Ok(dump) =>`: "only on the branch for
    `quit.recv()`" was misleading, held-out read 86)."""
    assert f.flow is not None
    fl = f.flow
    for r in fl.chain(rid):
        if r.id == handler.id:
            return False
        if r.kind == "loop" and fl.inside(r.id, handler.id):
            return bool(fl.conditions(r.id, handler.id))
    return False
