"""Where code sits in an item: its own loops, the main one, and the conditions and match arm a
region runs under. Shared by every claim builder."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from ..crate_index import owner_of
from ..fact_types import Call, Spawn, Wait
from ..facts import ItemFacts
from ..facts import in_closure as flow_in_closure
from ..flow import TASK_KINDS, Region, lone_branch
from .blocks import own_loops, reassigned
from .core import NOT, FileContext, codes, codes_upto
from .exits import UNSAID, continue_is_last, leaves_from_inside, skips
from .loops import main_loop, side_loops
from .patterns import may_overlap

__all__ = [
    "self_counted",
    "SIGNAMES",
    "signal_name",
    "codes",
    "codes_upto",
    "own_loops",
    "side_loops",
    "main_loop",
    "guard_of",
    "skips",
    "skipped_by_continue",
    "continue_is_last",
    "put_guard",
    "SHUTDOWN_WORD",
    "CANCEL_FUTURE",
]

SHUTDOWN_WORD = re.compile(r"(?i)shut_?down|shutting_down|cancel|terminat|stop")
CANCEL_FUTURE = re.compile(r"(?i)cancelled|shut_?down|shutting_down|ctrl_c|terminate|stop")


# What a person calls the signal a future waits for: `tokio::signal::ctrl_c()` is a Ctrl-C,
# `signal(SignalKind::terminate())` a SIGTERM.
SIGNAMES = {
    "terminate": "SIGTERM",
    "interrupt": "SIGINT",
    "hangup": "SIGHUP",
    "quit": "SIGQUIT",
}


# Signals that ask for something other than a stop: named all the same where a task waits for
# one (vaultwarden backs up its SQLite file on each SIGUSR1).
OTHER_SIGNAMES = {
    "user_defined1": "SIGUSR1",
    "user_defined2": "SIGUSR2",
    "child": "SIGCHLD",
    "alarm": "SIGALRM",
    "pipe": "SIGPIPE",
    "window_change": "SIGWINCH",
}


def signal_name(text: str, stops_only: bool = True) -> str | None:
    """The signal a piece of code waits for, by the name a person knows, or None; with
    ``stops_only`` off, signals that ask for no stop are named too."""
    if re.search(r"\bsignal::ctrl_c\s*\(", text):
        return "Ctrl-C"
    kind = re.search(r"SignalKind::(\w+)\(\)", text)
    if kind is None:
        return None
    found = SIGNAMES.get(kind.group(1))
    return found if found or stops_only else OTHER_SIGNAMES.get(kind.group(1))


def not_a_stop_signal(text: str) -> bool:
    """A listener for a signal that asks for no stop (`SignalKind::user_defined1()`, `child()`):
    pingora's daemon parent waits on SIGUSR1 for its child's readiness, which read as "should
    wait for the process's stop signals" (a held-out read)."""
    kind = re.search(r"SignalKind::(\w+)\(\)", text)
    return kind is not None and kind.group(1) not in SIGNAMES


def endless_loop(f: ItemFacts, task: int) -> bool:
    """The spawned task's own `loop` has no `break`, `return` or `?` in it: only a panic or the
    runtime's end stops it."""
    assert f.flow is not None
    loops = [
        r
        for r in f.flow.regions
        if r.kind == "loop" and f.flow.inside(r.id, task) and f.flow.task_of(r.id).id == task
    ]
    if len(loops) != 1 or loops[0].keyword != "loop":
        return False
    # Nor one that can return before it: etl's jemalloc task returns when a lookup fails
    # ("stops only if whoever holds that handle aborts it" was false, held-out read 56).
    return not any(
        e.kind in ("break", "return", "question", "exit")
        and (
            f.flow.inside(e.region, loops[0].id)
            or e.kind != "break"
            and f.flow.task_of(e.region).id == task
        )
        for e in f.exits
    )


# Names of things a task may be stopped through without a `select!` of its own: a future
# wrapped `.preemptible(tripwire)` or `.take_until(token)` ends when they fire (blind read 99 on
# corrosion's keepalive task: "nothing in it looks at a shutdown or cancellation signal", false).
_STOP_HANDLE = re.compile(r"(?i)tripwire|preempt|take_until|token|abort|kill")


def never_ends(f: ItemFacts, task: int, text: str) -> bool:
    """A spawned task whose one `loop` nothing leaves and which looks at no shutdown or
    cancellation signal: it runs as long as the runtime does (a metrics ticker, a supervisor
    that reruns its input forever)."""
    assert f.flow is not None
    flow = f.flow
    # The words are looked for in code, not comments or strings: "needs much better signaling
    # for termination" above a `loop` that nothing leaves is a wish, and "input {} unexpectedly
    # terminated" a log line, not a shutdown check.
    code = re.sub(r'//[^\n]*|/\*.*?\*/|"(?:[^"\\]|\\.)*"', "", text, flags=re.S)
    if not endless_loop(f, task) or SHUTDOWN_WORD.search(code) or _STOP_HANDLE.search(code):
        return False
    # A `select!` of one branch that cannot fail to match (`_ = sleep(t) => ..`) is a plain
    # wait: nothing in it is a way out (nostr-rs-relay's expiry cleanup).
    lone = {r.start_tok for r in flow.regions if r.kind == "select-handler" and lone_branch(r)}
    return not any(
        r.kind in ("select-future", "select-handler", "cancellable")
        and not (r.kind != "cancellable" and r.start_tok in lone)
        for r in flow.regions
        if flow.inside(r.id, task)
    )


def self_counted(f: ItemFacts) -> Iterator[tuple[Spawn, Call, Call, list[Call]]]:
    """Each counter a spawned task bumps with `fetch_add` and drops with `fetch_sub` in its own
    body: (the spawn, the add, the last sub, the task's method calls in source order). While
    such a counter is above zero, a task that added itself has not reached its sub."""
    assert f.flow is not None
    for sp in f.spawns:
        inside = sorted(
            (c for c in f.calls if f.flow.inside(c.region, sp.region) and c.kind == "method"),
            key=lambda c: c.tok,
        )
        for add in (c for c in inside if c.name == "fetch_add" and c.receiver):
            subs = [c for c in inside if c.name == "fetch_sub" and c.receiver == add.receiver]
            if subs:
                yield sp, add, subs[-1], inside


def passed_guards(f: ItemFacts, arm: Region) -> list[tuple[int, int, str]]:
    """An arm after a guarded one that can match the same values runs only when that guard
    was false: linkerd's `Err(e) if i == MAX_RETRIES => panic!(..)` before `Err(_) => {..}`
    ("a failed `self.is_in` lands in `Err(_)`" was false of the last try, a held-out read)."""
    assert f.flow is not None
    mine = re.match(r"\s*(\w+)", arm.head)
    out: list[tuple[int, int, str]] = []
    for sib in f.flow.regions:
        if sib.kind != "arm" or sib.parent != arm.parent or sib.start_tok >= arm.start_tok:
            continue
        m = re.fullmatch(r"\s*(.+?)\s+if\s+(.+?)\s*", sib.head)
        if m is None:
            continue
        theirs = re.match(r"\s*(\w+)", m.group(1))
        same = theirs and mine and theirs.group(1) in (mine.group(1), "_")
        if same and may_overlap(m.group(1), arm.head):
            pos = f.flow.scan.starts[sib.start_tok]
            out.append((pos, 0, NOT + m.group(2)))
    return out


def called_elsewhere(f: ItemFacts, r: Region, head: Region, call: str, bare: str) -> bool:
    """Whether the fn calls the callee an error branch ``r`` handles elsewhere too, outside the
    branch and its head: this is one call of several, and the others may not absorb their
    errors. A method of one receiver is not another receiver's call of the same name (rathole:
    "its other calls of `conn.with_context`" where only one exists, blind read 100)."""
    assert f.flow is not None
    recv = call.rsplit(".", 1)[0] if "." in call else ""
    return any(
        c.name == bare
        and (not recv or c.receiver == recv)
        and f.own(c.region)
        and not f.flow.inside(c.region, r.id)
        and not (head.head_start <= c.src.start < max(head.head_end, head.head_start + 1))
        for c in f.calls
    )


def context_added(f: ItemFacts, rid: int) -> bool:
    """Whether the error an arm or `if let Err` holds had context attached in its head."""
    assert f.flow is not None
    for r in f.flow.chain(rid):
        text = r.keyword if r.kind == "arm" else r.head if r.kind == "if" else ""
        if re.search(r"\.\s*(?:with_context|context|wrap_err|wrap_err_with)\s*\(", text):
            return True
    return False


def leaves_early(f: ItemFacts, loop: Region) -> bool:
    assert f.flow is not None
    return any(
        e.kind in ("question", "return") and f.flow.inside(e.region, loop.id) for e in f.exits
    )


def in_closure(f: ItemFacts, rid: int) -> bool:
    """Whether region ``rid`` sits in a closure of the item's own code."""
    assert f.flow is not None
    return flow_in_closure(f.flow, rid)


def owned_name(ctx: FileContext, g: ItemFacts) -> str:
    """A fn of this file as a reader names it: `Type::method` for a method, else its name."""
    owner = owner_of(ctx.fs, g.index)
    return f"{owner}::{g.name}" if owner else g.name


def guard_of(
    f: ItemFacts, rid: int, stop: int | None = None, at: int | None = None
) -> tuple[list[str], str, bool]:
    """Conditions a region runs under (in source order), the `match` arm it sits in, and whether
    any condition is the `else` of an `if` (then the list is not a plain conjunction). With
    ``at`` (the fact's offset), an earlier `if c { continue; }` in an enclosing block adds
    "`c` is false": code after it runs only then."""
    assert f.flow is not None
    found: list[tuple[int, int, str]] = []  # (offset, order among equals, condition)
    if at is not None:
        found += [(pos, 0, cond) for pos, cond in _passed_exits(f, rid, stop, at)]
    arm = ""
    negated = False
    first_arm: tuple[int, Region] | None = None
    outer_arm = False
    for r in f.flow.conditions(rid, stop):
        pos = f.flow.scan.starts[r.start_tok] if r.start_tok >= 0 else r.head_start
        if r.kind == "select-handler":
            continue  # a select branch is said with its select, not as a pattern
        if r.kind == "if" and r.head.startswith("let Err(") and not arm:
            # `if let Err(e) = call` is an error branch, said like a match arm on `Err(e)`.
            arm = r.head[4:].split("=", 1)[0].strip()
        elif r.kind == "if" and reassigned(f, r, at):
            # `_ = &mut notified, if is_pending => { is_pending = false; .. send(..) }`: by the
            # time the fact runs its condition no longer holds (helix's LSP send loop: "the one
            # made when `is_pending` holds", held-out read 39). Not said as a plain condition.
            negated = True
        elif r.kind == "if":
            found.append((pos, 1, r.head))
        elif r.kind == "arm" and not arm:
            arm = r.head
            first_arm = (pos, r)
        elif r.kind == "arm":
            outer_arm = True
            # An outer arm is a condition too: tokio-cron-scheduler's `None =>` arm sends and
            # logs "Error sending creation error" only for a job with no id, and dropping it
            # made three sends of one channel read as one (blind read 103). A wildcard or a
            # guarded pattern does not say what it matched, so the claim is not made.
            said = _arm_cond(r)
            if said is None:
                negated = True
            else:
                found.append((pos, 1, said))
        elif r.kind == "let-else" or r.kind == "else" and not r.after:
            negated = True
        if r.kind in ("if", "else") and r.after:
            # `else if c` / `else`: every earlier condition of the chain was false.
            found += [(pos, 0, NOT + c) for c in r.after]
    if not arm:
        # `while let Err(e) = call.await { .. }`: its body runs only after that call failed,
        # an error branch like a `match` arm on `Err(e)` (a sleep there is a pause between
        # retries, not between passes).
        inner = f.flow.loop_of(rid)
        if inner is not None and inner.id != stop and inner.head.startswith("let Err("):
            arm = inner.head
    if outer_arm and first_arm is not None and not is_error_arm(arm):
        # Arms nested in arms: the inner one is a condition like the outer, or a sentence that
        # says the outer's would drop it (rumqttd's replicator sleeps when two lookups are both
        # `None`: "when `self.replicas.remove(..)` matches `None`, it sleeps", a blind read).
        pos, r = first_arm
        said = _arm_cond(r)
        if said is None:
            negated = True
        else:
            found.append((pos, 1, said))
            arm = ""
    if first_arm is not None:
        found += passed_guards(f, first_arm[1])
    if any(c == UNSAID for _, _, c in found) and any(c != UNSAID for _, _, c in found):
        # Some of its conditions said and one not: the list would read as complete. (With
        # none said, "each round" still holds of every round that gets that far.)
        negated = True
    found.sort(key=lambda x: (x[0], x[1]))
    return [c for _, _, c in found if c != UNSAID], arm, negated


def arm_cond(f: ItemFacts, rid: int) -> str | None:
    """The innermost `match` arm around region ``rid`` as a condition (see ``_arm_cond``)."""
    assert f.flow is not None
    arm = next((r for r in f.flow.chain(rid) if r.kind == "arm"), None)
    return None if arm is None else _arm_cond(arm)


def _arm_cond(r: Region) -> str | None:
    """A `match` arm as a condition (`match scrutinee => Pat`, said "`scrutinee` matches
    `Pat`"); None for a wildcard or a guarded pattern, which does not say what it matched."""
    # `#[cfg(unix)] Pat =>`: the attribute is not part of what the arm matches.
    pat = re.sub(r"^(?:#\[[^\]]*\]\s*)+", "", r.head.strip())
    if pat == "_" or " if " in f" {pat} " or not r.keyword:
        return None
    return f"match {r.keyword.strip()} => {pat}"


def _passed_exits(f: ItemFacts, rid: int, stop: int | None, at: int) -> list[tuple[int, str]]:
    """What must have held to reach offset ``at``: for each `if c { return/break/continue }`
    (no `else`) before it in an enclosing block, "not c" (the head marked ``NOT``); for each
    `let P = v else { return };`, its pattern matched (the head itself). Blocks of branches and
    arms count, and the fn's own body when no loop lies between: a loop's own early exit (a
    shutdown check at the top of a pass) is the loop's way out, said as such, and its flag may
    change during the pass. Positions are where each condition is written."""
    assert f.flow is not None
    fl = f.flow
    leaving = {e.region for e in f.exits if e.kind in ("return", "break", "continue")}
    found: list[tuple[int, str]] = []
    chain = fl.chain(rid)
    for r in chain:
        if r.kind == "loop" or r.kind in TASK_KINDS:
            break
        # Arms exclude each other: an earlier arm's return is never passed on the way into a
        # later arm (what its guard leaves is ``passed_guards``').
        mine = any(a.kind == "arm" and a.parent == r.id for a in chain)
        kids = [x for x in fl.regions if x.parent == r.id and not (mine and x.kind == "arm")]
        chained = {c for x in kids for c in x.after}
        for x in kids:
            if fl.scan.starts[min(x.hi, len(fl.scan.starts) - 1)] >= at:
                continue
            pos = fl.scan.starts[x.start_tok] if x.start_tok >= 0 else x.head_start
            plain = x.id in leaving and x.kind in ("if", "let-else") and not x.after
            if not plain or x.head in chained:
                if leaves_from_inside(f, x, rid):
                    # An earlier `match` arm or nested branch that returns: reaching ``at`` needs
                    # a condition no sentence here can say (kanidm's replica task logs "has
                    # started" only once its TLS config built, a `match` whose `Err` returns:
                    # the conditions said without it were misleading, a held-out read).
                    found.append((pos, UNSAID))
                continue
            if x.kind == "if":
                found.append((pos, NOT + x.head))
            else:
                found.append((pos, x.head if x.head.startswith("let ") else "let " + x.head))
        if r.id == stop:
            break
    return found


def skipped_by_continue(f: ItemFacts, rid: int, at: int, said: Sequence[str] = ()) -> bool:
    """An earlier `continue`, nested in an `if`/`match` of a loop that holds region ``rid``,
    goes round without reaching code at offset ``at``: that code runs only when the `continue`
    was not taken, a condition a sentence about it would drop."""
    assert f.flow is not None
    ancestors = {r.id for r in f.flow.chain(rid)}
    since = _error_arm_start(f, rid)
    for e in f.exits:
        if e.kind != "continue" or e.src.start >= at or e.region in ancestors:
            continue
        # Code in an error arm is said as "when the call fails": the call itself comes after an
        # earlier `continue`, so the failure already implies the round got that far
        # (`queue_handler` sleeps 10 ms after a failed receive, past its task-limit `continue`).
        if e.src.start < since:
            continue
        # `if c { continue; }` already said as "`c` is false" (``said``, from guard_of).
        if any(r.kind == "if" and NOT + r.head in said for r in f.flow.chain(e.region)):
            continue
        loop = f.flow.loop_of(e.region)
        if loop is None or not f.flow.inside(rid, loop.id):
            continue
        # Only a `continue` nested two branches deep (an `if` inside a `match` arm): one at the
        # top of the pass (`if c { ..; continue }`) is the loop's own shape, said with it.
        depth = 0
        for r in f.flow.chain(e.region):
            if r.id == loop.id:
                break
            if r.kind in ("if", "else", "arm", "let-else"):
                depth += 1
        if depth >= 2:
            return True
    return False


def _error_arm_start(f: ItemFacts, rid: int) -> int:
    """Where the `match` or `if let Err` whose error branch holds ``rid`` starts (-1: none)."""
    assert f.flow is not None
    for r in f.flow.chain(rid):
        if r.kind == "arm" and is_error_arm(r.head) and r.parent is not None:
            m = f.flow.regions[r.parent]
            return f.flow.scan.starts[m.start_tok if m.start_tok >= 0 else m.lo]
        if r.kind == "if" and r.head.startswith("let Err("):
            return f.flow.scan.starts[r.start_tok if r.start_tok >= 0 else r.lo]
    return -1


def put_guard(slots: dict[str, str], flags: set[str], conds: list[str], arm: str) -> None:
    """The conditions and the match arm a claim sits under, as its `guard` and `arm` slots with
    the flags rows read (`guarded`, `in-arm`, `err-arm`)."""
    if conds:
        slots["guard"] = codes(*conds)
        flags.add("guarded")
    if arm:
        slots["arm"] = arm
        flags.add("in-arm")
        if is_error_arm(arm):
            flags.add("err-arm")


def is_error_arm(pattern: str) -> bool:
    """`Err(e)`, `let Err(e)`, or alternatives that are all errors (`Ok(Err(_)) | Err(_)`: a
    timed call whose inner call failed, or the timeout itself)."""
    if pattern.startswith(("Err", "let Err(")):
        return True
    alts = [a.strip() for a in pattern.split("|")]
    return len(alts) > 1 and all(re.match(r"(?:Ok\()?Err\(", a) for a in alts)


def next_call(
    ctx: FileContext,
    f: ItemFacts,
    r: Region,
    home: int,
    accept: Callable[[Call], bool],
    through_exits: bool = False,
) -> Call | None:
    """The first call ``accept`` takes that is written straight in region ``home`` after region
    ``r`` ends, when no exit and no `?` lies between: what runs next however ``r`` was left (a
    retry loop's pass goes on to it; a select of signals was waiting to make it)."""
    starts = ctx.fs.scan.starts
    end = starts[r.hi] if r.hi < len(starts) else 0
    if end == 0:
        return None
    after = [c for c in f.calls if c.region == home and c.src.start > end and accept(c)]
    if not after:
        return None
    first = min(after, key=lambda c: c.src.start)
    if re.match(r"[}\s]*else\b", ctx.fs.text[end : first.src.start]):
        # `if a { .. } else if let Err(e) = b().await { .. }`: `b` runs instead of the first
        # branch, not after it (rauthy's schedulers, held-out read 13: "the round still goes
        # on to `DB::pg_execute`" was false).
        return None
    assert f.flow is not None
    if f.flow.behind_operand(first.src.start):
        # `if is_ingester() && let Err(e) = update().await`: `update` runs only when the
        # condition before it holds ("the round still goes on to `update_parquet_metrics()`"
        # was misleading of openobserve's metrics job, held-out read 29).
        return None
    # ``through_exits``: the next call on the paths that get that far (a `return` between
    # leaves some rounds before it).
    if not through_exits and any(end < e.src.start < first.src.start for e in f.exits):
        return None
    if not through_exits and any(
        end < c.src.start < first.src.start and c.propagates for c in f.calls
    ):
        return None
    if _cfg_between(ctx, end, first.src.start):
        # `#[cfg(unix)] let a = { select! {..} }; #[cfg(windows)] let a = {..}`: the next
        # statement may belong to another build, not run after this one (shuttle's runtime,
        # "then `ctrl_break()` runs" after the unix select).
        return None
    return first


def _cfg_between(ctx: FileContext, start: int, end: int) -> bool:
    """Whether a `#[cfg(..)]` attribute is written between char offsets ``start`` and ``end``."""
    scan = ctx.fs.scan
    t = scan.texts
    toks = scan.token_range(start, end)
    return any(
        t[k] == "#" and k + 2 < len(t) and t[k + 1] == "[" and t[k + 2] in ("cfg", "cfg_attr")
        for k in toks
    )


def await_name(c: Call) -> str:
    """An awaited call as a person names it: a fn by its path as written
    (`RedisManager::from_queue_backend`), a method on a plain receiver with it (`pool.get`), a
    method at the end of a chain by its own name (`build_pair`)."""
    if c.kind == "method":
        return f"{c.receiver}.{c.name}" if c.receiver and "(" not in c.receiver else c.name
    return c.written


def awaits_outside(f: ItemFacts, waits: Sequence[Wait]) -> list[Call]:
    """The awaited calls on the item's own task that none of ``waits`` wraps: what a timeout
    leaves without a deadline."""
    return [
        c
        for c in f.calls
        if c.awaited
        and f.own(c.region)
        and not any(w.src.start <= c.src.start < w.src.end for w in waits)
    ]
