"""Claims about a join in the item's own body: what it joins, what each branch runs and under
which condition, and what the item does with the branches' results once the join has ended."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..crate_index import CrateIndex
from ..facts import ItemFacts, Src
from ..flow import Region, let_bound
from ..mechanisms import mechanism
from ..token_reader import TokenReader
from .blocks import ORDINALS, deferred, handle_names
from .callee_ends import (
    bound_call,
    endless_callee,
    endless_loop_of,
    loop_is_left,
    never_errs,
    process_ender,
)
from .core import Claim, FileContext, Proof, make
from .fallible import OkOnly, ok_only
from .main_call import main_call_of
from .select_branches import construct_guard, unsaid_condition
from .shape import codes
from .spawns import main_call

__all__ = ["JoinBinding", "JoinCheck", "first_done", "join_binding", "join_claims"]


def _timed_branches(f: ItemFacts, branches: list[Region]) -> tuple[str, str]:
    """The bound every branch is under when each is a `timeout` of the same duration, as
    written (`delay`), and the timer's path; ("", "") otherwise."""
    assert f.flow is not None
    fl = f.flow
    bounds = []
    for b in branches:
        timed = [
            r
            for r in fl.regions
            if r.kind == "timeout-future" and r.parent is not None and fl.inside(r.id, b.id)
        ]
        if len(timed) != 1:
            return "", ""
        bounds.append((timed[0].head, timed[0].keyword))
    return bounds[0] if bounds and len(set(bounds)) == 1 else ("", "")


def _bare(texts: Sequence[str], b: Region) -> str:
    """The one name a branch is (`x`, `&mut x`), else ""."""
    return _bare_name(texts, b.lo, b.hi)


def _bare_name(texts: Sequence[str], a: int, b: int) -> str:
    """The one name tokens ``a:b`` are, borrowed or not (`x`, `&mut x`), else ""."""
    name = [t for t in texts[a:b] if t not in ("&", "mut")]
    return name[0] if len(name) == 1 and name[0].isidentifier() else ""


def _all_handles(f: ItemFacts, texts: list[str], branches: list[Region]) -> bool:
    """Whether every branch is a bare name that holds a task's JoinHandle."""
    held = handle_names(f)
    return all(_bare(texts, b) in held for b in branches)


def _handle_flags(f: ItemFacts, texts: list[str], branches: list[Region]) -> set[str]:
    """`handles` when every branch is a task's JoinHandle (`let a = match .. { .. =>
    tokio::task::spawn(..) }; tokio::join!(a, b)`): the work runs on the spawned tasks, the
    join only waits ("none of them on a task of its own" of hyperlane's ContractSync::sync was
    FALSE, read 63); `given` when one is handed in, not spawned here ("tasks spawned above it"
    was false of a fn that joins the handles it is given, session 52's own trap)."""
    if not _all_handles(f, texts, branches):
        return set()
    if any(_bare(texts, b) in dict(f.params) for b in branches):
        return {"handles", "given"}
    return {"handles"}


def join_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    assert f.flow is not None
    out: list[Claim] = []
    groups: dict[int, list[Region]] = {}
    for r in f.flow.regions:
        if r.kind == "join-branch" and f.own(r.id):
            groups.setdefault(r.start_tok, []).append(r)
    scan = ctx.fs.scan
    for start_tok, branches in groups.items():
        mech = mechanism(branches[0].keyword)
        if mech is None:
            continue
        if deferred(f, branches[0]):
            # In a closure or a future the fn hands back, the join runs when that is called or
            # polled, not in the fn: "does `resolver` wait for the two branches of its
            # `tokio::join!`" of linkerd's, which returns a service (held-out read 49).
            continue
        calls = [c for c in (main_call(f, b) for b in branches) if c]
        start = scan.starts[start_tok]
        end = scan.starts[branches[-1].hi] + 1 if branches[-1].hi < len(scan.starts) else start
        src = Src(start, end, scan.text[start:end])
        slots = {"mech": mech.written, "count": str(len(branches)), "calls": codes(*calls)}
        flags = {"multi"} if len(branches) >= 2 else set()
        if len(calls) == len(branches) and len(set(calls)) == len(calls):
            flags.add("all-named")  # every branch said by its call: "runs `a` and `b`"
        elif "calls" in slots:
            del slots["calls"]  # some of the parts named read as all of them
        if mech.path.endswith("join_all") and len(branches) == 1:
            # `join_all(futures)`: one argument, a collection of any number of futures.
            b = branches[0]
            lo, hi = scan.starts[b.lo], scan.starts[b.hi - 1] + len(scan.texts[b.hi - 1])
            slots = {"mech": mech.written, "futures": codes(scan.text[lo:hi])}
            flags = {"collection"}
        if len(branches) == 2:
            flags.add("two")  # "both", not "all two"
        flags |= _handle_flags(f, scan.texts, branches)
        if "try_join" in mech.path:
            flags.add("try")  # ends at the first error, not when every branch has finished
            flags |= _never_err(ctx, f, branches, flags)
        bound, timer = _timed_branches(f, branches)
        if bound:
            slots["timer"] = timer
            # Every branch is a `timeout(delay, ..)`: the join waits at most that long ("as
            # long as the slowest of them" of lldap's healthcheck, whose checks time out at
            # 3 s each, was misleading: held-out read 32).
            slots["bound"] = bound
            flags.add("all-timed")
        proof = [ctx.proof(src), *_say_endless(_endless_branch(ctx, f, branches), slots, flags)]
        guard = construct_guard(ctx, f, branches[0])
        # With several joins in the fn, "The `try_join_all` runs only when .." named none of
        # them and "All of that joining" all of them (held-out read 17, tensorzero's RFT
        # job: one of its joins runs on every path). The guard stays on the join's own claim.
        alone = len(groups) == 1
        if not alone:
            # "The `tokio::join!` waits for both of its branches" beside a four-branch join of
            # the same fn named neither (ldk-node's builder, held-out read 43).
            flags.add("several-joins")
        if guard is None and unsaid_condition(f, branches[0]):
            flags.add("unsaid-cond")
        if guard is not None:
            # monitor.rs of crates.io joins only `if let Some(pagerduty)`: "Both branches of
            # the `tokio::join!`" with no word of it was misleading (a held-out read).
            slots["guard"] = guard[0]
            flags.add("guarded")
            loop_flag = {"in-loop"} if f.flow.loop_of(branches[0].id) is not None else set()
            under = {"mech": mech.written, "guard": guard[0]}
            if alone:
                out.append(
                    make("runs_under", f.name, under, proof[:1] + guard[1], {"join"} | loop_flag)
                )
            proof += guard[1]
        out.append(make("join", f.name, slots, proof, flags))
        if len(branches) >= 2:
            out += _branch_claims(ctx, f, mech.written, branches)
            if "try" not in flags:
                out += _join_results(ctx, f, mech.written, start_tok)
    return out


def _never_err(ctx: FileContext, f: ItemFacts, branches: list[Region], flags: set[str]) -> set[str]:
    """`never-err` when every branch of a `try_join!` is a call of a crate fn that can only
    return `Ok`: quinn perf's `handle`, where "returns at the first error, dropping the others"
    described a path that never runs (held-out read 88 #7)."""
    found = [main_call_of(f, b) for b in branches]
    if "all-named" in flags and all(c is not None and never_errs(ctx, c) for c in found):
        return {"never-err"}
    return set()


def _say_endless(
    endless: tuple[str, str, Proof, str] | None, slots: dict[str, str], flags: set[str]
) -> list[Proof]:
    """The slots and flags of an endless branch (see ``_endless_branch``), with its proof."""
    if endless is None:
        return []
    slots["endless"], file, loop_proof, ender = endless
    flags.add("endless-branch")
    if file:
        slots["endless_file"] = file
    else:
        flags.add("local-block")  # an async block of the fn's own, bound above the join
    if ender:
        slots["ender"] = ender
        flags.add("ends-process")
    return [loop_proof]


def _endless_branch(
    ctx: FileContext, f: ItemFacts, branches: list[Region]
) -> tuple[str, str, Proof, str] | None:
    """The first branch whose crate fn runs a `loop` it never leaves by `break` or `return`,
    as its call is written, with the file it is in, that loop, and the call in it that ends
    the process ("" when none)."""
    if len(branches) < 2:
        return None
    for b in branches:
        local = _endless_block(ctx, f, b)
        if local is not None:
            return local
        c = main_call_of(f, b) or bound_call(f, b)
        found = endless_callee(ctx, c) if c is not None else None
        if c is not None and found is not None:
            d, proof = found
            loop = endless_loop_of(ctx.index, d)
            ender = process_ender(ctx.index, d, loop) if loop is not None else ""
            return c.written, proof.file, proof, ender
    return None


def _endless_block(ctx: FileContext, f: ItemFacts, b: Region) -> tuple[str, str, Proof, str] | None:
    """A branch that names an async block bound above (`let timer_loop = async move { loop {
    .. } };`) whose body is a `loop` that no `break`, `return` or `?` leaves: it never finishes.
    ntpd's `SystemTask::run` joins such a timer loop, so the join never returns and the event
    loop's result goes nowhere; "the wait lasts as long as the slowest" was misleading
    (held-out read 95 #24). The file is "" (this one), and nothing ends the process."""
    assert f.flow is not None
    fl = f.flow
    t, c = fl.scan.texts, fl.scan.codes
    if b.hi - b.lo != 1 or c[b.lo] != "n":
        return None
    blocks = [
        r for r in fl.regions if r.kind == "async" and r.hi < b.lo and let_bound(t, r) == t[b.lo]
    ]
    if not blocks:
        return None
    block = blocks[-1]
    loops = [r for r in fl.children(block.id) if r.kind == "loop" and r.keyword == "loop"]
    if not loops or any(t[k] in ("?", "return") for k in range(block.lo, loops[0].start_tok)):
        return None
    loop = loops[0]
    own = [
        k
        for k in range(loop.lo, loop.hi)
        if t[k] == "?" and c[k] == "p" and not fl.future_below(fl.region_at(k).id, loop.id)
    ]
    if own or loop_is_left(fl, loop):
        return None
    a, z = fl.scan.starts[loop.start_tok], fl.end_of(loop)
    return t[b.lo], "", ctx.proof(Src(a, z, fl.scan.text[a:z])), ""


@dataclass(frozen=True)
class JoinCheck:
    """One binding of `let ( pattern ) = join!(..)` and the first check on it after the join:
    `name?` or `name.expect(..)` / `name.unwrap()`, with why its branch is never an `Err`
    (None when it may be one)."""

    name: str
    written: str  # `name?`, `name.expect(..)`
    first: int  # tokens of the check
    last: int
    ok: OkOnly | None
    # The branch is a future held in a variable (`shuffle_handle`), not a call or block whose
    # failure is an `Err` of its own: what fails the check depends on what that future is (a
    # task handle's `expect` fires on a panic of its task, not on the error it returns).
    held: bool = False

    @property
    def panics(self) -> bool:
        return not self.written.endswith("?")


@dataclass(frozen=True)
class JoinBinding:
    """`let ( pattern ) = path!( branches )`, read from the tokens of one fn."""

    let_tok: int  # the `let`
    bang: int  # the `!` of the macro
    pattern: list[str]
    checks: list[JoinCheck]  # in the order written


def join_binding(index: CrateIndex, fi: int, span: range, open_: int) -> JoinBinding | None:
    """The binding around the join whose argument list opens at token ``open_`` (the `(` after
    `join!`) in file ``fi``, within the fn whose tokens are ``span``; None when its result is
    not bound to a tuple pattern. Shared by the joining fn's own claims and by a branch's claim
    about what its caller does with its result."""
    fs = index.files[fi]
    t, m = fs.scan.texts, fs.scan.match
    # `let ( pattern ) = tokio::join!(`: the path's first token back to the `=`.
    j = open_ - 2
    while j - 2 >= span.start and t[j - 1] == "::":
        j -= 2
    if j - 2 < span.start or t[j - 1] != "=" or t[j - 2] != ")":
        return None
    # `match` holds partners for opening brackets only: the pattern's `(` is found as the
    # opener whose partner is that `)`.
    close_pat = j - 2
    pat = next(
        (x for x in range(close_pat - 1, span.start, -1) if t[x] == "(" and m[x] == close_pat), -1
    )
    if pat <= span.start or t[pat - 1] != "let":
        return None
    reader = TokenReader(fs, span.start, span.stop)
    pattern = [reader.code(a, b) for a, b in reader.args(pat)]
    branches = reader.args(open_)
    checks: list[JoinCheck] = []
    for x in range(m[open_] + 1, span.stop - 1):
        if not t[x].isidentifier() or t[x] not in pattern or t[x] in [c.name for c in checks]:
            continue
        if t[x + 1] == "?":
            written, last = f"{t[x]}?", x + 1
        elif x + 3 < span.stop and t[x + 1] == "." and t[x + 2] in ("expect", "unwrap"):
            written, last = f"{t[x]}.{t[x + 2]}(..)", m[x + 3]
        else:
            continue
        i = pattern.index(t[x])
        ok = ok_only(index, fi, *branches[i]) if i < len(branches) else None
        held = i < len(branches) and bool(_bare_name(t, *branches[i]))
        checks.append(JoinCheck(t[x], written, x, last, ok, held))
    return JoinBinding(pat - 1, open_ - 1, pattern, checks)


def _join_results(ctx: FileContext, f: ItemFacts, mech: str, start_tok: int) -> list[Claim]:
    """`let (a, b, ..) = tokio::join!(..);` and then `a.expect(..)`, `b?`: the branches'
    results are looked at only after every branch has ended, in the order written, so an
    early branch's error waits on the slowest branch, and of two failures only the first
    checked is ever seen. A branch that provably never fails (`queue_handler` ends in
    `Ok(())` with no `?`) is left out: its check never panics."""
    if ctx.file_idx is None:
        return []
    scan = ctx.fs.scan
    t = scan.texts
    span = scan.token_range(f.item.start, f.item.end)
    bang = next((x for x in range(start_tok, span.stop) if t[x] == "!"), -1)
    if bang < 0 or bang + 1 >= span.stop or t[bang + 1] != "(":
        return []
    bound = join_binding(ctx.index, ctx.file_idx, span, bang + 1)
    if bound is None:
        return []
    # A branch that can never be an `Err` never fails its check: it is said as such, not
    # among the checks that may panic (lib.rs: `worker_loop` is `queue_handler`'s `Ok(())`).
    handled = [c for c in bound.checks if c.ok is None]
    if not handled:
        return []
    ok = [
        c for c in bound.checks if c.ok is not None and c.ok.callees and c.first < handled[0].first
    ]
    flags = {"panics"} if any(c.panics for c in handled) else set()
    if len(handled) > 1:
        flags.add("several")
    if any(c.held for c in handled):
        flags.add("held")
    slots = {
        "mech": mech,
        "handled": codes(*[c.written for c in handled]),
        "checked": codes(*[c.name for c in handled]),
    }
    reader = TokenReader(ctx.fs, span.start, span.stop)
    proof = [
        ctx.proof(reader.src(bound.let_tok, bound.bang)),
        ctx.proof(reader.src(handled[0].first, handled[-1].last)),
    ]
    if ok and "panics" in flags:
        slots["ok_checked"] = codes(*[c.written for c in ok])
        slots["ok_callee"] = codes(*dict.fromkeys(c.ok.callees[0] for c in ok if c.ok))
        flags.add("ok-checked")
        proof += [ctx.other_proof(fi, src) for c in ok if c.ok for fi, src in c.ok.proof]
    return [make("join_results", f.name, slots, proof, flags)]


def _branch_claims(
    ctx: FileContext, f: ItemFacts, mech: str, branches: list[Region]
) -> list[Claim]:
    """Per branch of a join: the call it awaits, and the plain `if` it runs that call under
    (with the `else` branch's call, when there is one)."""
    assert f.flow is not None
    out: list[Claim] = []
    for b in branches:
        calls = [
            c
            for c in f.calls
            if c.kind == "fn"
            and c.awaited
            and f.flow.inside(c.region, b.id)
            and mechanism(c.full) is None
            # Library calls (`tokio::task::yield_now`) are not the work a task exists for.
            and not c.full.startswith(("tokio::", "std::", "core::", "futures::"))
            and not c.name[:1].isupper()
        ]
        if not calls:
            continue
        main = calls[0]
        conds = f.flow.conditions(main.region, stop=b.id)
        slots = {
            "mech": mech,
            "ordinal": ORDINALS[b.index] if b.index < len(ORDINALS) else "",
            "call": main.written,
        }
        if not slots["ordinal"]:
            continue
        if any(r.kind != "if" for r in conds):
            continue  # under an `else` or an arm: not said as a plain condition
        if conds:
            slots["guard"] = codes(*(r.head for r in reversed(conds)))
            inner = conds[0]
            other = next(
                (
                    r
                    for r in f.flow.regions
                    if r.kind == "else" and r.head == inner.head and r.parent == inner.parent
                ),
                None,
            )
            if other is not None:
                alt = [c for c in calls if f.flow.inside(c.region, other.id)]
                if alt:
                    slots["else_call"] = alt[0].written
        out.append(
            make(
                "join_branch", f.name, slots, [ctx.proof(main.src)], {"guarded"} if conds else set()
            )
        )
    return out


def first_done(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """Tasks kept in a JoinSet, of which the fn awaits the first to end, once and with no
    deadline (`set.join_next().await`), and then stops the rest (`set.shutdown()`): past
    that point the fn lasts as long as its longest-lived task does. svix-cli's `connect`,
    asked how long it can wait in total, was answered with its handshake rounds alone (blind
    read 85)."""
    assert f.flow is not None
    in_set = [sp for sp in f.spawns if sp.handle == "in-set" and f.own(sp.at_region)]
    if len(in_set) < 2:
        return []
    out: list[Claim] = []
    for c in f.calls:
        if c.name != "join_next" or not c.awaited or not c.receiver or not f.own(c.region):
            continue
        if any(r.kind == "loop" for r in f.flow.chain(c.region)):
            continue  # a loop over join_next waits for them all
        runs = [r for r in (main_call(f, f.flow.regions[sp.region]) for sp in in_set) if r]
        if len(runs) != len(in_set):
            continue
        slots = {"join": f"{c.receiver}.join_next()", "runs": codes(*runs)}
        proof = [ctx.proof(c.src), *(ctx.proof(sp.src) for sp in in_set)]
        flags: set[str] = set()
        stop = next(
            (
                s
                for s in f.calls
                if s.name in ("shutdown", "abort_all")
                and s.receiver == c.receiver
                and s.src.start > c.src.start
            ),
            None,
        )
        if stop is not None:
            slots["stop"] = f"{c.receiver}.{stop.name}()"
            proof.append(ctx.proof(stop.src))
            flags.add("stops-rest")
        out.append(make("first_done", f.name, slots, proof, flags))
    return out
