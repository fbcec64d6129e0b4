"""Whether the crate fn a call reaches can ever finish with a value. One whose body is a `loop`
that no `break` or `return` leaves (pueue's task handler and socket listener) ends only with an
error, a panic or the process: a join of it never ends with every branch done ("if both
succeed, the wait lasts as long as the slower one" was misleading, held-out read 27)."""

from __future__ import annotations

import re
from bisect import bisect_left

from ..crate_index import CrateIndex, FnDef, owner_of
from ..facts import Call, ItemFacts, Spawn, item_facts
from ..flow import Flow, Region, tail_start
from .core import Claim, FileContext, Proof, codes, make

__all__ = [
    "callee_pace",
    "endless_callee",
    "endless_loop_of",
    "loop_is_left",
    "exits_process",
    "process_ender",
    "bound_call",
    "never_errs",
    "runs_never_err",
    "spawning_callee",
    "stub_callee",
    "stub_call_claim",
]

# Regions whose `return` or `break` leaves them, not the fn: they run elsewhere or later.
_ELSEWHERE = frozenset({"closure", "async", "spawn", "blocking"})


def endless_callee(ctx: FileContext, call: Call) -> tuple[FnDef, Proof] | None:
    """The crate fn ``call`` reaches when its body runs an endless `loop`, with that loop as the
    proof; None when the call reaches no crate fn or one that can finish."""
    fi = ctx.index.file_of(ctx.fs)
    if fi is None:
        return None
    targets = ctx.index.callees_at(fi, call.src.start)
    if len(targets) != 1:
        return None  # a name several fns answer to says nothing sure about any one
    d = targets[0]
    loop = endless_loop_of(ctx.index, d)
    if loop is None:
        return None
    fs = ctx.index.files[d.file]
    a = fs.scan.starts[loop.start_tok]
    b = fs.scan.starts[loop.hi] + 1 if loop.hi < len(fs.scan.starts) else len(fs.text)
    return d, Proof(ctx.other_display(d.file), a, b, fs.text[a:b])


def exits_process(c: Call) -> bool:
    return c.full == "process::exit" or c.full.endswith("::process::exit")


def process_ender(index: CrateIndex, d: FnDef, loop: Region) -> str:
    """The call in ``loop`` of crate fn ``d`` that ends the process: `process::exit` itself or
    a crate fn that calls it, as written; "" when none (pueue's task handler loops forever
    but calls `handle_shutdown`, which exits: "it returns only when a branch fails" hid how
    the daemon really ends, held-out read 53)."""
    f = item_facts(index.files[d.file], d.item)
    if f.flow is None:
        return ""
    for c in f.calls:
        if not f.flow.inside(c.region, loop.id) or f.flow.task_of(c.region).parent is not None:
            continue
        if exits_process(c):
            return c.written
        for g in index.callees_at(d.file, c.src.start):
            if any(exits_process(x) for x in item_facts(index.files[g.file], g.item).calls):
                return c.written
    return ""


def spawning_callee(ctx: FileContext, call: Call) -> Proof | None:
    """The spawn of the crate fn ``call`` reaches when that fn's body is a spawn whose handle it
    lets go and then only `Ok(())` or nothing: awaiting the call waits for the spawn, not for
    the task (atuin's `run_grpc_server` starts tonic on a task and returns: "what its caller
    does wait for is ... `server::run_grpc_server`" was misleading, held-out read 30)."""
    fi = ctx.index.file_of(ctx.fs)
    if fi is None:
        return None
    # Several definitions (a unix and a windows one) count when every one of them does so.
    found = [_spawn_then_done(ctx, d) for d in ctx.index.callees_at(fi, call.src.start)]
    return found[0] if found and all(found) else None


def _spawn_then_done(ctx: FileContext, d: FnDef) -> Proof | None:
    flow = ctx.index.flow(d.file, d.item)
    if flow is None or not flow.regions:
        return None
    fs = ctx.index.files[d.file]
    top = flow.regions[0]
    t, c = fs.scan.texts, fs.scan.codes
    for r in flow.regions:
        if r.kind != "spawn" or r.parent != top.id or not CrateIndex.spawn_statement(fs, r):
            continue
        rest = [
            t[k]
            for k in range(r.call_hi + 2, top.hi)
            if c[k] not in "cdi" and t[k] not in ("Ok", "(", ")")
        ]
        if rest:
            continue
        a = fs.scan.starts[r.start_tok]
        b = fs.scan.starts[r.call_hi] + 1
        return Proof(ctx.other_display(d.file), a, b, fs.text[a:b])
    return None


def bound_call(f: ItemFacts, branch: Region) -> Call | None:
    """The call whose future a join branch names when the branch is a bare name bound just for
    it: `let task_handler = task_handler::run(..);` then `try_join!(task_handler, ..)`."""
    assert f.flow is not None
    t, starts = f.flow.scan.texts, f.flow.scan.starts
    if branch.hi - branch.lo != 1:
        return None
    name = t[branch.lo]
    for c in f.calls:
        p = bisect_left(starts, c.src.start)
        if (
            p >= 3
            and starts[p] == c.src.start
            and t[p - 1] == "="
            and t[p - 2] == name
            and t[p - 3] in ("let", "mut")
            and c.close_tok + 1 < len(t)
            and t[c.close_tok + 1] == ";"
            and starts[p] < starts[branch.lo]
        ):
            return c
    return None


def callee_pace(
    ctx: FileContext, defs: list[FnDef]
) -> tuple[dict[str, str], set[str], list[Proof]]:
    """What each round of the one endless callee does: its round work (awaited calls of the
    loop's own body) and its one tokio sleep of known length, with which comes first. Empty
    when there is not exactly one definition, one such sleep and some work (lunatic's
    `refresh_nodes_task`: "never returns" said nothing of its 5-second rounds, read 99 #1)."""
    from ..values import human_duration
    from .shape import await_name

    if len(defs) != 1:
        return {}, set(), []
    d = defs[0]
    loop = endless_loop_of(ctx.index, d)
    g = item_facts(ctx.index.files[d.file], d.item)
    if loop is None or g.flow is None:
        return {}, set(), []
    sleeps = [w for w in g.waits if w.region == loop.id and w.role == "sleep" and w.seconds]
    work = [
        c
        for c in g.calls
        if c.awaited and c.region == loop.id and not c.full.startswith(("tokio::", "std::"))
    ]
    if len(sleeps) != 1 or not work or len(work) > 2:
        return {}, set(), []
    w = sleeps[0]
    if all(c.src.end <= w.src.start for c in work):
        flags = {"paced", "then-sleeps"}
    elif all(c.src.start >= w.src.end for c in work):
        flags = {"paced", "sleeps-first"}
    else:
        return {}, set(), []
    slots = {"dur": human_duration(w.seconds or 0), "work": codes(*(await_name(c) for c in work))}
    return slots, flags, [ctx.other_proof(d.file, w.src)]


def endless_loop_of(index: CrateIndex, d: FnDef) -> Region | None:
    flow = index.flow(d.file, d.item)
    if flow is None or not flow.regions:
        return None
    top = flow.regions[0]
    for r in flow.regions:
        if r.kind == "loop" and r.keyword == "loop" and r.parent == top.id:
            return None if loop_is_left(flow, r) else r
    return None


def loop_is_left(flow: Flow, loop: Region) -> bool:
    """Whether a `break` or `return` of the fn's own code can leave ``loop``."""
    t, c = flow.scan.texts, flow.scan.codes
    for k in range(loop.lo, loop.hi):
        if c[k] != "n" or t[k] not in ("break", "return"):
            continue
        here = flow.region_at(k)
        chain = flow.chain(here.id)
        if any(a.kind in _ELSEWHERE for a in chain if flow.inside(a.id, loop.id)):
            continue
        if t[k] == "return":
            return True
        if k + 1 < loop.hi and c[k + 1] == "l":
            # `break 'label`: a label set inside the loop is a block or loop within it (pueue's
            # `break 'mutex_block` skips the rest of one round).
            label = t[k + 1]
            inner = any(t[j] == label and t[j + 1] == ":" for j in range(loop.lo, k))
            if not inner:
                return True
            continue
        if flow.loop_of(here.id) is loop:
            return True
    return False


# Tokens by which a body may make or pass up an error of its own.
_ERRS = frozenset({"bail", "ensure", "anyhow", "map_err", "context", "with_context", "into"})


def never_errs(ctx: FileContext, call: Call) -> bool:
    """Whether the one crate fn ``call`` reaches can only return `Ok`: no `?`, no `Err` but in
    a pattern, nothing that makes an error, every `return` and its tail an `Ok(..)`. Its `?`
    can never fire (openobserve's metrics job: "can return an error before its first pass" of
    two loaders that only return `Ok(())`, held-out read 29)."""
    fi = ctx.index.file_of(ctx.fs)
    targets = ctx.index.callees_at(fi, call.src.start) if fi is not None else []
    if not targets and fi is not None:
        targets = _local_method(ctx, fi, call)
    if len(targets) != 1:
        return False
    flow = ctx.index.flow(targets[0].file, targets[0].item)
    if flow is None:
        return False
    scan = flow.scan
    t, c, m = scan.texts, scan.codes, scan.match
    for k in range(flow.lo, flow.hi):
        if c[k] == "p" and t[k] == "?":
            return False
        if t[k] in _ERRS:
            return False
        if t[k] == "Err" and not _pattern(t, m, k):
            return False
        if t[k] == "return" and (k + 1 >= flow.hi or t[k + 1] != "Ok"):
            return False
    tail, _ = tail_start(scan, flow.lo, flow.hi)
    return tail < flow.hi and t[tail] == "Ok"


def _self_method(ctx: FileContext, fi: int, call: Call) -> list[FnDef]:
    """`self.name(..)`: the method of this file's impls of the caller's own type."""
    if call.kind != "method" or call.receiver != "self":
        return []
    caller = next(
        (
            n
            for n, i in enumerate(ctx.fs.items)
            if i.kind == "fn" and i.start <= call.src.start < i.end
        ),
        None,
    )
    owner = owner_of(ctx.fs, caller) if caller is not None else None
    if not owner:
        return []
    return [d for d in ctx.index.fns if d.file == fi and d.owner == owner and d.name == call.name]


def _local_method(ctx: FileContext, fi: int, call: Call) -> list[FnDef]:
    """The method of this file a `x.method()` call reaches when the same fn binds `x` to a
    struct literal or a constructor of one type before the call (`let ch = ControlChannel::<T>
    { .. }`: rathole's server has a `ControlChannel::run` in each of two files, and the crate
    index does not type receivers)."""
    if call.kind != "method" or not re.fullmatch(r"[a-z_]\w*", call.receiver or ""):
        return []
    it = next(
        (i for i in ctx.fs.items if i.kind == "fn" and i.start <= call.src.start < i.end), None
    )
    if it is None:
        return []
    before = ctx.fs.text[it.start : call.src.start]
    recv = re.escape(call.receiver)
    binds = list(
        re.finditer(
            rf"\blet\s+(?:mut\s+)?{recv}\s*=\s*([A-Z]\w*)\s*"
            r"(?:::\s*<[^;{]*?>\s*)?(?:\{|::\s*new\s*\()",
            before,
        )
    )
    # Or a parameter of that type (`cluster: Cluster`, `&Cluster`, `Arc<Cluster>`).
    sig = ctx.fs.text[it.start : it.body_start] if it.body_start is not None else ""
    param = re.search(
        rf"[(,]\s*(?:mut\s+)?{recv}\s*:\s*(?:&\s*(?:mut\s+)?)?(?:Arc\s*<\s*)?([A-Z]\w*)\b", sig
    )
    if binds:
        owner = binds[-1].group(1)
    elif param is not None:
        owner = param.group(1)
    else:
        return []
    return [d for d in ctx.index.fns if d.file == fi and d.owner == owner and d.name == call.name]


def _pattern(t: list[str], m: list[int], k: int) -> bool:
    """`Err(_) =>` or `if let Err(e) = ..`: an `Err` matched, not made."""
    if k + 1 >= len(t) or t[k + 1] != "(" or m[k + 1] <= k + 1:
        return False
    after = m[k + 1] + 1
    return after < len(t) and t[after] in ("=>", "=", "|")


def runs_never_err(ctx: FileContext, f: ItemFacts, sp: Spawn, runs: str) -> bool:
    """Whether the call ``runs`` names in the block spawned at ``sp`` reaches one crate fn that
    can only return `Ok`: the task's error branch around it never runs."""
    assert f.flow is not None
    found = [
        c
        for c in f.calls
        if c.awaited
        and f.flow.inside(c.region, sp.region)
        and runs in (c.written, f"{c.receiver}.{c.name}")
    ]
    return len(found) == 1 and never_errs(ctx, found[0])


# Line comments before the macro are the author's note on why (conduwuit's `handle_abort`:
# "// not supported until service can be associated with abort").
_STUB = re.compile(r"\{(?:\s|//[^\n]*\n)*(?P<m>(?:unimplemented|todo)!\s*\([^;]*?\))\s*;?\s*\}\s*$")


def stub_callee(ctx: FileContext, call: Call) -> tuple[str, Proof] | None:
    """The macro a crate fn is made of when its whole body is `unimplemented!(..)` or
    `todo!(..)`: a call of it panics and never returns, `Ok` or `Err` (rumqttd's
    `Cluster::network_connect`: "a failed `network_connect` lands in `Err(e)`, which writes .."
    of a branch that can never run, held-out read 42)."""
    fi = ctx.index.file_of(ctx.fs)
    if fi is None:
        return None
    targets = (
        ctx.index.callees_at(fi, call.src.start)
        or _local_method(ctx, fi, call)
        or _self_method(ctx, fi, call)
    )
    if len(targets) != 1:
        return None
    d = targets[0]
    fs = ctx.index.files[d.file]
    it = fs.items[d.item]
    if it.body_start is None:
        return None
    m = _STUB.search(fs.text[it.body_start : it.end])
    if m is None:
        return None
    a = it.body_start + m.start("m")
    b = it.body_start + m.end("m")
    return m.group("m"), Proof(ctx.other_display(d.file), a, b, fs.text[a:b])


def stub_call_claim(
    ctx: FileContext, f: ItemFacts, r: Region, head: Region, call: str, bare: str
) -> Claim | None:
    """A `stub_call` claim in place of the error branch when the handled call reaches a crate
    fn whose whole body is `unimplemented!()` or `todo!()`: that branch can never run."""
    first = head.head_start if head.head_start >= 0 else ctx.fs.scan.starts[r.lo]
    c = min(
        (c for c in f.calls if c.src.start >= first and (c.name == bare or c.written == call)),
        key=lambda c: c.src.start,
        default=None,
    )
    found = stub_callee(ctx, c) if c is not None else None
    if found is None:
        return None
    pattern = r.head if r.kind == "arm" else r.head.split("=", 1)[0].strip()[4:]
    slots = {"call": call, "stub": found[0], "pattern": pattern}
    return make("stub_call", f.name, slots, [ctx.proof(ctx.region_src(f, r)), found[1]], set())
