"""What ends the loop of a task a fn spawns: each `return`, `break` or `?` that leaves it, with
the condition it sits under, and the head of a `while` / `while let` loop.

quickwit's cluster spawns its gossip and metrics tasks as `async move` blocks whose loops stop
when `weak_chitchat.upgrade()` finds the cluster state gone or a watch channel closes. The
records said only "every minute an interval ticks and it calls ..., with its handle dropped so
it lives on independently": what makes such a task end, the question anyone owning it asks
first, went unsaid, although each end is a plain statement of the code. One claim per end: under
one `if`, a let-else, the `else` of one `if let`, a `match` arm straight in the loop, or a
select branch (bare, under one `if`, or the `else` of one `if let` there). An end under any
other condition leaves the task without any claim, since a partial list would read as the
whole.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..facts import Call, Exit, ItemFacts, Log
from ..flow import Region
from .core import Claim, FileContext, Proof, make
from .exits import continued_before, exit_loop, leaves
from .round_work import call_said
from .select_parts import biased
from .shape import codes
from .stream_ends import never_none
from .weak_refs import gone, held_strong

__all__ = ["LET_HEAD", "else_let", "exit_condition", "match_arm", "never_met", "task_end_claims"]

# A `let PATTERN = EXPR` head (`while let`, `let .. else`): the pattern and the expression.
LET_HEAD = re.compile(r"let\s+(.+?)\s*=\s*(.+)", re.S)


def task_end_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    if f.flow is None:
        return []
    out: list[Claim] = []
    fl = f.flow
    for sp in f.spawns:
        if not f.own(sp.at_region) or sp.repeated:
            continue
        reg = fl.regions[sp.region]
        loops = [
            r
            for r in fl.regions
            if r.kind == "loop" and fl.inside(r.id, reg.id) and fl.task_of(r.id).id == reg.id
        ]
        outer = [r for r in loops if not any(o.id != r.id and fl.inside(r.id, o.id) for o in loops)]
        if len(outer) != 1:
            continue  # two loops one after another: which one an end leaves needs saying
        claims = _ends(ctx, f, sp.said, reg, outer[0])
        if claims:
            out += claims + _setup_ends(ctx, f, sp.said, reg, outer[0])
    if sum(f.own(sp.at_region) for sp in f.spawns) > 1:
        # "What makes the task that `connect_with_options` starts stop?" of a fn that starts
        # two: which one needs saying (async-nats, held-out read 33).
        out = [replace(c, flags=c.flags | {"several-spawns"}) for c in out]
    return out


def _setup_ends(
    ctx: FileContext, f: ItemFacts, mech: str, task: Region, loop: Region
) -> list[Claim]:
    """The `return`s and `?`s of the spawned block before its loop: the task can end in its
    setup, before any round (libp2p's UPnP task returns when the gateway search or the external
    address fails, or the result's receiver is gone: "until a return in it ends the loop" left
    out all three, read 74 #14)."""
    assert f.flow is not None
    fl = f.flow
    start = fl.scan.starts[loop.start_tok] if loop.start_tok >= 0 else fl.end_of(loop)
    ends = [
        e
        for e in f.exits
        if e.kind in ("return", "question")
        and e.src.start < start
        and fl.task_of(e.region).id == task.id
        and fl.inside(e.region, task.id)
    ]
    if not ends:
        return []
    calls = [
        said
        for c in f.calls
        if c.awaited and c.src.start < start and fl.task_of(c.region).id == task.id
        for said in [call_said(c)]
        if said
    ]
    slots = {"mech": mech, "count": str(len(ends))}
    if calls:
        slots["calls"] = codes(*list(dict.fromkeys(calls))[:2])
    flags = {"one"} if len(ends) == 1 else set()
    return [make("setup_end", f.name, slots, [ctx.proof(e.src) for e in ends], flags)]


def _ends(ctx: FileContext, f: ItemFacts, mech: str, task: Region, loop: Region) -> list[Claim]:
    """One claim per way out of ``loop`` in the spawned ``task``; [] when one cannot be said."""
    assert f.flow is not None
    fl = f.flow
    tail = _after_loop(f, task, loop)
    out: list[Claim] = []
    if loop.keyword == "while":
        head = loop.head
        m = LET_HEAD.fullmatch(head)
        flags = {"while", "task-ends" if not tail else "leaves-loop"}
        if m:
            slots = {"mech": mech, "pattern": m.group(1), "expr": m.group(2)}
            flags.add("let")
            flags |= gone(f, m.group(2))
            flags = _while_let_held(f, task, loop, m.group(1), m.group(2), slots, flags)
            held = held_strong(f, task, loop, m.group(2))
            if held is not None:
                # The upgrade cannot fail while the task holds the strong side: this head is
                # no end at all (lemmy's idempotency cleaner, "the task is over as soon as that
                # no longer matches", held-out read 40).
                slots["strong"] = held
                flags = (flags - {"weak"}) | {"held-strong"}
        else:
            slots = {"mech": mech, "cond": head}
        proofs = [ctx.proof(ctx.region_src(f, loop)), *never_none(ctx, f, m, slots, flags)]
        out.append(make("task_end", f.name, slots, proofs, flags))
    elif loop.keyword != "loop":
        return []  # a `for` ends with its iterator: not an end a condition says
    for e in f.exits:
        if fl.task_of(e.region).id != task.id or not fl.inside(e.region, loop.id):
            continue
        if e.kind == "continue" or not leaves(f, e, loop.id):
            continue
        if e.kind == "break" and _breaks_inner(f, e, loop):
            continue
        if e.kind == "exit":
            return []
        said = (
            exit_condition(f, e.region, loop)
            or _select_branch(f, e.region, loop)
            or match_arm(f, e.region, loop)
        )
        if said is None:
            return []  # an end no sentence can say: none are said
        kind, cond, pattern, expr = said
        if kind in ("in-select", "in-arm") and e.kind == "question":
            return []
        ends_task = e.kind in ("return", "question") or not tail
        flags = {e.kind, kind, "task-ends" if ends_task else "leaves-loop"}
        slots = {"mech": mech}
        if not ends_task:
            _last_log(f, task, loop, slots, flags)
        if e.kind == "question":
            call = e.expr.strip()
            if not call or len(call) > 60 or "\n" in call:
                return []
            slots["call"] = call
        if kind == "in-select":
            _select_slots(ctx, f, e, loop, (expr, pattern, cond), slots, flags)
            inner = _chain_to(f, e.region, loop)[0]
            missed = else_let(inner) if inner.kind == "else" else None
            if missed is not None:
                slots["pattern"], slots["expr"] = missed
                flags |= {"else-let"} | gone(f, missed[1], task)
        elif kind == "else-let":
            slots["pattern"], slots["expr"] = pattern, expr
            flags |= gone(f, expr, task)
        elif kind in ("let", "in-arm"):
            flags = _arm_end(f, task, loop, (pattern, expr), slots, flags)
        elif kind == "if":
            slots["cond"] = cond
            flags |= gone(f, cond)
        if "strong-held" in flags:
            return []  # an end the task's own strong reference keeps from happening
        proofs = [ctx.proof(e.src)]
        if kind == "if" and ".await" not in cond:
            proofs += _after_await(ctx, f, e, loop, slots, flags)
        out.append(make("task_end", f.name, slots, proofs, flags))
    return out


def _after_await(
    ctx: FileContext, f: ItemFacts, e: Exit, loop: Region, slots: dict[str, str], flags: set[str]
) -> list[Proof]:
    """The call a round awaits before its check (`after_call`): the check comes only once that
    call is back ("returns, and so ends, as soon as `stop2.is_cancelled()` is true" of a check
    made after `task(..).await`, lemmy's CancellableTask, held-out read 40). A condition that
    awaits is a wait of its own, said as such by the watch rows."""
    first = _awaited_before(f, e.region, loop)
    if first is None:
        return []
    named = call_said(first) if first.kind == "method" else first.src.text
    if not named:
        return []
    slots["after_call"] = named
    flags.add("after-await")
    if continued_before(f, e.src.start, loop):
        flags.add("after-continue")
    return [ctx.proof(first.src)]


def _arm_end(
    f: ItemFacts,
    task: Region,
    loop: Region,
    arm: tuple[str, str],
    slots: dict[str, str],
    flags: set[str],
) -> set[str]:
    """The slots and flags of an end in an arm (pattern, scrutinee)."""
    pattern, expr = arm
    slots["pattern"], slots["expr"] = pattern, expr
    flags = flags | gone(f, expr)
    sender = _held_sender(f, task, loop, pattern, expr)
    if sender is None:
        return flags
    # The task keeps a sender of the channel it reads: `recv()` cannot give `None` while it
    # runs (stalwart's webhook tracer, read 61: "that arm breaks out of the loop, the last
    # thing the spawned task does" of an end never met).
    return _with_held(sender, slots, flags)


def _while_let_held(
    f: ItemFacts,
    task: Region,
    loop: Region,
    pattern: str,
    expr: str,
    slots: dict[str, str],
    flags: set[str],
) -> set[str]:
    """``flags`` of a `while let Some(..) = rx.recv()` head, with the task's own hold on a
    sender of that channel when it has one: then the head never fails."""
    if not pattern.replace(" ", "").startswith("Some("):
        return flags
    kept = _held_sender(f, task, loop, "None", expr)
    return flags if kept is None else _with_held(kept, slots, flags)


def _with_held(sender: tuple[str, str, str], slots: dict[str, str], flags: set[str]) -> set[str]:
    """The slots and flags of an end the task's own hold on a sender keeps from happening."""
    slots["sender"], slots["receiver"], owner = sender
    flags = (flags - {"task-ends", "leaves-loop"}) | {"held-sender"}
    if owner:
        slots["drop_owner"] = owner
        flags.add("via-owner")
    return flags


def never_met(f: ItemFacts, task: Region, loop: Region, rid: int) -> bool:
    """Whether an exit at ``rid`` sits in a `None` arm of a channel the task itself keeps a
    sender of (``_held_sender``): no way out while the task runs."""
    said = match_arm(f, rid, loop)
    return said is not None and _held_sender(f, task, loop, said[2], said[3]) is not None


def _held_sender(
    f: ItemFacts, task: Region, loop: Region, pattern: str, expr: str
) -> tuple[str, str, str] | None:
    """(sender, receiver) when ``pattern`` is the closed-channel `None` of `rx.recv()` (maybe
    through a `let` bound to a timeout around it) and the sender bound beside `rx` in `let (tx,
    mut rx) = ..` before the task is used inside the task, never dropped there: the channel
    stays open while the task runs. None when that is not so."""
    assert f.flow is not None
    if re.sub(r"\s", "", pattern) not in ("None", "Ok(None)"):
        return None
    t, c = f.flow.scan.texts, f.flow.scan.codes
    body = " ".join(t[j] for j in range(task.lo, task.hi) if c[j] not in "cd")
    source = expr
    if re.fullmatch(r"\w+", expr.strip()):
        bound = re.search(rf"\blet\s+(?:mut\s+)?{expr.strip()}\s*=([^;]*);", body)
        if bound is None:
            return None
        source = bound.group(1)
    recv = re.findall(r"(?<![\w.])(\w+)\s*\.\s*recv\s*\(\s*\)", source)
    if len(recv) != 1:
        return None
    rx = recv[0]
    before = " ".join(t[j] for j in range(f.flow.lo, task.lo) if c[j] not in "cd")
    pair = re.findall(rf"\blet\s*\(\s*(?:mut\s+)?(\w+)\s*,\s*(?:mut\s+)?{rx}\s*\)", before)
    if len(pair) != 1 or pair[0].startswith("_"):
        return None
    # A clone made before the task is a sender too (`let push_tx = push_tx_.clone();`,
    # stalwart's push manager).
    names = [pair[0]]
    names += re.findall(rf"\blet\s+(?:mut\s+)?(\w+)\s*=\s*{pair[0]}\s*\.\s*clone\s*\(\s*\)", before)
    for tx in names:
        if re.search(rf"(?<![\w.]){tx}\b", body) and not re.search(
            rf"\bdrop\s*\(\s*{tx}\s*\)", body
        ):
            return tx, rx, ""
    # Handed by value to a method of a value the task itself keeps (linera's node service:
    # `cache.set_notification_sender(tx)`, then the task holds `Arc::clone(cache)`): the sender
    # lives as long as that value keeps it ("the task is over at the first check that does not
    # match" was MISLEADING, read 75 #25).
    for tx in names:
        for owner in re.findall(rf"(?<![\w.])(\w+)\s*\.\s*\w+\s*\(\s*{tx}\s*\)", before):
            if re.search(rf"(?<![\w.]){owner}\b", body):
                return tx, rx, owner
    return None


def _awaited_before(f: ItemFacts, rid: int, loop: Region) -> Call | None:
    """The last call awaited straight in ``loop``'s body before the `if` an exit at ``rid``
    sits under, when that `if` is itself straight in the body; None otherwise."""
    assert f.flow is not None
    fl = f.flow
    ifs = [r for r in fl.chain(rid) if r.kind == "if"]
    if not ifs or ifs[-1].parent != loop.id:
        return None
    before = [c for c in f.calls if c.awaited and c.region == loop.id and c.tok < ifs[-1].start_tok]
    last = max(before, key=lambda c: c.tok, default=None)
    return (
        last
        if last is not None and "\n" not in last.src.text and len(last.src.text) <= 60
        else None
    )


def _breaks_inner(f: ItemFacts, e: Exit, loop: Region) -> bool:
    """A `break` of a loop nested in ``loop``: it leaves only that inner loop. Not a labelled
    `break 'task` that names ``loop`` itself (wasmCloud's in-memory receiver ends its task so
    from an inner drain loop: "breaks out of the loop, which is the last thing the task does"
    of the one stop branch left those ends out, read 62)."""
    inner = exit_loop(f, e)
    return inner is not None and inner.id != loop.id


def _after_loop(f: ItemFacts, task: Region, loop: Region) -> bool:
    """Whether the spawned block has code after ``loop`` (a `break` then leads there, not out)."""
    return bool(_tail_tokens(f, task, loop))


def _tail_tokens(f: ItemFacts, task: Region, loop: Region) -> list[int]:
    """The tokens of code after ``loop`` in the spawned block, trivia and braces left out."""
    assert f.flow is not None
    t, c = f.flow.scan.texts, f.flow.scan.codes
    k = loop.hi + 1  # past the loop's `}`
    end = task.hi
    return [j for j in range(k, end) if c[j] not in "cdi" and t[j] not in (";", "}", "{")]


def _select_slots(
    ctx: FileContext,
    f: ItemFacts,
    e: Exit,
    loop: Region,
    said: tuple[str, str, str],
    slots: dict[str, str],
    flags: set[str],
) -> None:
    """The branch's future and the select it races in (``_select_branch``), its condition, and
    `biased-first` when it is the first branch of a biased select (ready with another, it
    wins)."""
    slots["future"], slots["select"], cond = said
    if cond:
        slots["cond"] = cond
    handler = _chain_to(f, e.region, loop)[-1]
    if handler.index == 0 and biased(ctx, handler):
        flags.add("biased-first")


def _last_log(
    f: ItemFacts, task: Region, loop: Region, slots: dict[str, str], flags: set[str]
) -> None:
    """Nothing but one log line after the loop: the task writes it and is over (`then-logs`)."""
    last = _tail_logs(f, task, loop)
    if len(last) == 1 and last[0].message:
        flags.add("then-logs")
        slots["macro"], slots["message"] = last[0].macro, last[0].message


def _tail_logs(f: ItemFacts, task: Region, loop: Region) -> list[Log]:
    """The log lines that are all the spawned block does after ``loop``, or [] when it does more
    (surrealdb's tasks: `trace!("Background task exited: ..")` after the loop is still the end)."""
    assert f.flow is not None
    starts = f.flow.scan.starts
    logs: list[Log] = []
    for j in _tail_tokens(f, task, loop):
        log = next((g for g in f.logs if g.src.start <= starts[j] < g.src.end), None)
        if log is None:
            return []
        if log not in logs:
            logs.append(log)
    return logs


def exit_condition(f: ItemFacts, rid: int, loop: Region) -> tuple[str, str, str, str] | None:
    """(kind, condition, pattern, expression) of the one construct an exit sits under inside
    ``loop``: `if c`, a `let .. else`, or none ("plain"); None for anything else."""
    assert f.flow is not None
    found: list[Region] = []
    for r in f.flow.chain(rid):
        if r.id == loop.id:
            break
        if r.kind in ("if", "let-else"):
            if r.kind == "if" and r.after:
                return None  # an `else if`: the earlier conditions are denied too
            found.append(r)
        elif r.kind == "else" and else_let(r) is not None:
            found.append(r)
        elif r.kind in ("else", "arm", "match", "select-handler", "select-future", "closure"):
            return None
    if not found:
        return ("plain", "", "", "")
    if len(found) > 1:
        return None
    r = found[0]
    if r.kind == "else":
        pattern, expr = else_let(r) or ("", "")
        return ("else-let", "", pattern, expr)
    if r.kind == "let-else":
        m = LET_HEAD.fullmatch(r.head)
        return ("let", "", m.group(1), m.group(2)) if m else None
    if r.head.startswith("let "):
        return None  # `if let Some(x) = y { return }`: said as a match, which this does not say
    return ("if", r.head, "", "")


def else_let(r: Region) -> tuple[str, str] | None:
    """(pattern, expression) when ``r`` is the `else` of a lone `if let PATTERN = EXPR`: the
    exit there is taken when the expression does not give the pattern. None otherwise (an
    `else` after an `else if` denies several conditions at once)."""
    if r.kind != "else" or len(r.after) != 1:
        return None
    m = LET_HEAD.fullmatch(r.after[0].strip())
    if m is None or "\n" in r.after[0] or len(r.after[0]) > 80:
        return None
    return m.group(1).strip(), m.group(2).strip()


def _chain_to(f: ItemFacts, rid: int, loop: Region) -> list[Region]:
    """The regions from ``rid`` out to ``loop``, innermost first, ``loop`` itself left out."""
    assert f.flow is not None
    chain = []
    for r in f.flow.chain(rid):
        if r.id == loop.id:
            break
        chain.append(r)
    return chain


def _select_branch(f: ItemFacts, rid: int, loop: Region) -> tuple[str, str, str, str] | None:
    """("in-select", condition or "", the select macro, the branch's future) of an
    exit written in a branch of a select straight in ``loop``'s body, bare or under one plain
    `if` there: linkerd's policy tasks return when `tx.closed()` wins their `tokio::select!`,
    and "until a return in it ends the loop" named none of the ways out (held-out read 49)."""
    chain = _chain_to(f, rid, loop)
    if not chain or chain[-1].kind != "select-handler" or chain[-1].parent != loop.id:
        return None
    handler, rest = chain[-1], chain[:-1]
    if not handler.detail or "\n" in handler.detail or len(handler.detail) > 60:
        return None
    if not rest:
        return ("in-select", "", handler.keyword + "!", handler.detail)
    r = rest[0]
    if len(rest) == 1 and r.kind == "else" and else_let(r) is not None:
        # The `else` of an `if let` in the handler (torrust's cleanup job breaks when
        # `weak_tracker.upgrade()` finds the tracker gone): `_ends` says the pattern missed.
        return ("in-select", "", handler.keyword + "!", handler.detail)
    if len(rest) > 1 or r.kind != "if" or r.after or r.head.startswith("let "):
        return None
    return ("in-select", r.head, handler.keyword + "!", handler.detail)


def match_arm(f: ItemFacts, rid: int, loop: Region) -> tuple[str, str, str, str] | None:
    """("in-arm", "", the arm's pattern, the scrutinee) of an exit written straight in an arm of
    a `match` straight in ``loop``'s body: rabbitmq-stream's dispatcher leaves its loop on an
    `Err(e)` from the stream, and "a break inside it ends the loop" did not say so (read 48).
    A wildcard or a guarded arm says nothing of what it matched: None."""
    chain = _chain_to(f, rid, loop)
    if [r.kind for r in chain] != ["arm", "match"] or chain[1].parent != loop.id:
        return None
    pattern, scrutinee = chain[0].head.strip(), chain[1].head.strip()
    if pattern.startswith("_") or re.search(r"\bif\b", pattern) or not scrutinee:
        return None
    if "\n" in pattern + scrutinee or len(pattern) > 40 or len(scrutinee) > 40:
        return None
    return ("in-arm", "", pattern, scrutinee)
