"""Where an item runs, from the crate's call graph: a spawned task, a join or select branch, a
blocking thread or `main` (``CrateIndex.contexts``), one claim per distinct place, with what
the place implies (the handle dropped, a single-threaded runtime)."""

from __future__ import annotations

from ..crate_index import Context, Site
from ..facts import ItemFacts, Src
from ..mechanisms import mechanism
from .blocks import ORDINALS, goes_on_after, result_handled
from .core import Claim, FileContext, Proof, make
from .runtime import one_thread_runtime
from .shape import codes

__all__ = ["runs_in_claims"]


def _context_proof(ctx: FileContext, c: Context) -> list[Proof]:
    return [Proof(ctx.other_display(fi), s.start, s.end, s.text) for fi, s in c.proof]


def runs_in_claims(ctx: FileContext, f: ItemFacts, idx: int) -> list[Claim]:
    d = ctx.fn_def(idx)
    if d is None:
        return []
    universal = ctx.index.contexts(d)
    out: list[Claim] = []
    if universal is not None:
        # `main` itself is the process's entry, not something `main` calls ("`main` ... calls
        # it directly" of `main`: a held-out read of mini-redis).
        for c in universal:
            if not (c.kind == "main" and f.name == "main"):
                out.append(_runs_in(ctx, f, c, "universal"))
        merged = _merge(out)
        if len(merged) > 1:
            # Two places run it (two spawns): each is said of its own call, never as "its one
            # caller" (blind read 99 on corrosion's `forward_bytes_to_body_sender`, false).
            merged = [
                make(
                    "runs_in",
                    c.subject,
                    dict(c.slots),
                    c.proof,
                    c.flags - {"universal"} | {"site", "several-places"},
                )
                for c in merged
            ]
        return merged
    sites = ctx.index.callers(d)
    known = {id(s): ctx.index.site_context(s, is_async=ctx.index.is_async(d)) for s in sites}
    # Some calls have no known context (a future handed to another call): a site's context
    # is then one of several, and is said so.
    partial = any(v is None for v in known.values())
    for s in sites:
        for c in known[id(s)] or []:
            claim = _runs_in(ctx, f, c, "site")
            if partial:
                slots, flags = dict(claim.slots), claim.flags | {"partial"}
                taker = _same_branch_taker(ctx, s, [x for x in sites if known[id(x)] is None])
                if taker:
                    # The other call sits in the very same branch (`if a { serve(..)
                    # .with_graceful_shutdown(f()) } else { f().await }`): said so, or the
                    # two read as two places.
                    slots["taker"] = taker
                    flags |= {"same-branch"}
                claim = make("runs_in", claim.subject, slots, list(claim.proof), flags)
            if claim not in out:
                out.append(claim)
    merged = _merge(out)
    if len(merged) > 1:
        merged = [
            make("runs_in", c.subject, dict(c.slots), c.proof, c.flags | {"several-places"})
            for c in merged
        ]
    return merged


def _same_branch_taker(ctx: FileContext, known: Site, unknown: list[Site]) -> str:
    """The call a future is handed to, when the one call whose context is unknown sits in the
    same join branch of the same fn as ``known``; else ""."""
    if len(unknown) != 1:
        return ""
    u = unknown[0]
    if u.file != known.file or u.caller != known.caller or u.caller is None:
        return ""
    fl = ctx.index.flow(u.file, u.caller)
    if fl is None:
        return ""
    a = ctx.index.mechanism_region(fl, fl.region_at(u.tok))
    b = ctx.index.mechanism_region(fl, fl.region_at(known.tok))
    if a is None or b is None or a[0] != "join-branch" or a[1].id != b[1].id:
        return ""
    t = ctx.index.files[u.file].scan.texts
    depth = 0
    for k in range(u.tok - 1, max(u.tok - 200, 0), -1):
        if t[k] in (")", "]", "}"):
            depth += 1
        elif t[k] in ("(", "[", "{"):
            if depth == 0:
                name = t[k - 1]
                return name if t[k] == "(" and name.isidentifier() else ""
            depth -= 1
    return ""


def _merge(claims: list[Claim]) -> list[Claim]:
    """Claims that name the same place but different guards (`if a {..} else {..}` both calling
    the item) become one claim with no guard: it runs there either way."""
    out: list[Claim] = []
    for c in claims:
        key = (c.get("kind"), c.get("by"), c.get("mech"), c.get("ordinal"), c.get("chain"))
        same = [
            o
            for o in out
            if (o.get("kind"), o.get("by"), o.get("mech"), o.get("ordinal"), o.get("chain")) == key
        ]
        if not same:
            out.append(c)
            continue
        o = same[0]
        if o.get("guard") != c.get("guard") or o.flags != c.flags:
            slots = {k: v for k, v in o.slots if k != "guard"}
            flags = (o.flags | c.flags) - {"guarded", "conditional"}
            merged = make("runs_in", o.subject, slots, o.proof + c.proof, flags)
            out[out.index(o)] = merged
    return out


def _async_main(ctx: FileContext, c: Context) -> bool:
    """Whether the `main` of context ``c`` is an `async fn` (run by `#[tokio::main]`)."""
    return any(
        d.name == "main"
        and d.module == "crate"
        and not d.owner
        and ctx.index.rel[d.file] == c.by_file
        and ctx.index.is_async(d)
        for d in ctx.index.fns
    )


def _runs_in(ctx: FileContext, f: ItemFacts, c: Context, scope: str) -> Claim:
    mech = mechanism(c.mechanism) if c.mechanism else None
    slots = {
        "kind": c.kind,
        "by": c.by,
        "by_file": ctx.crate_prefix + c.by_file,
        "mech": mech.written if mech else (c.mechanism or c.kind),
    }
    flags = {scope, c.kind}
    if c.kind == "main" and not _async_main(ctx, c):
        # A plain `fn main()` (ferron's, which drives its runtimes with `block_on`): what it
        # reaches runs on the main thread, "on the task of `main`" was misleading (read 88 #2).
        flags.add("sync-main")
    rt = one_thread_runtime(ctx.index) if c.kind == "join-branch" else None
    if rt is not None:
        flags.add("one-thread")
        slots["rt_attr"] = rt.attr.text
        slots["rt_file"] = ctx.crate_prefix + ctx.index.rel[rt.main.file]
    if c.kind == "join-branch":
        slots["ordinal"] = ORDINALS[c.index] if c.index < len(ORDINALS) else ""
        slots["siblings"] = str(c.siblings)
        others = [x for i, x in enumerate(c.branch_calls) if i != c.index and x]
        if others:
            slots["others"] = codes(*others)
    if c.guard == ("?",):
        flags.add("conditional")
    elif c.guard:
        slots["guard"] = codes(*reversed(c.guard))
        flags.add("guarded")
    if c.repeated:
        slots["repeated"] = c.repeated
        flags.add("repeated")
        if c.repeat_guarded:
            flags.add("repeat-guarded")  # not on every round of that loop
    if c.site_guarded and not c.repeated:
        flags.add("site-guarded")
    chain = list(c.path[:-1])
    if chain:
        slots["chain"] = codes(*chain)
        flags.add("via")
    proof = _context_proof(ctx, c)
    if rt is not None:
        proof.append(ctx.other_proof(rt.main.file, rt.attr))
    if c.direct and not chain:
        flags.add("direct")  # `spawn(run(..))`: the subject's future is the task
    if c.in_task_loop:
        flags.add("task-loop")  # one step the task awaits each round, not the task itself
        if not c.awaited:
            flags.add("sync-call")
    d = ctx.fn_def(f.index)
    if d is not None and any(s.is_test for s in ctx.index.callers(d, tests=True)):
        flags.add("test-callers")  # "its one caller" is one outside the tests
    dropped = _dropped_spawn(ctx, c) if c.kind == "spawned" and not chain else None
    if dropped is None and c.direct and c.dropped and not chain and not c.in_task_loop:
        # `tokio::spawn(run(..));`, maybe in another file: the handle of the task that is
        # `run`'s own future is let go there (nostr-rs-relay's writer, read 30). The call site,
        # already a proof of this claim, is the spawn's whole argument.
        flags.add("detached")
    if dropped is not None and not c.in_task_loop:
        flags.add("detached")
        proof.append(ctx.proof(dropped))
        # `spawn(async move { shutdown_signal().await; handle.shutdown(); })`: the task awaits
        # the call and goes on after it; "nobody waits for it to return" is said of the task,
        # not the call (atuin's daemon, blind read 104).
        if goes_on_after(ctx.fs.text[c.proof[0][1].end : dropped.end]):
            flags.add("in-block")
        elif result_handled(ctx.fs.text[dropped.start : c.proof[0][1].start]):
            flags.add("result-handled")
    return make("runs_in", f.name, slots, proof, flags)


def _dropped_spawn(ctx: FileContext, c: Context) -> Src | None:
    """The spawn of this file that calls the subject straight from ``c.by``, when it drops its
    JoinHandle: then nothing can wait for the subject to return (blind read 82: "a step that
    should run only once this work is really over" answered without it, of a schedule walk
    `new_pair_inner` starts with `tokio::spawn` and lets go)."""
    if ctx.crate_prefix + c.by_file != ctx.display or not c.proof:
        return None
    site = c.proof[0][1]
    for by in ctx.fns_named(c.by):
        for sp in by.spawns:
            if sp.handle == "dropped" and sp.src.start <= site.start < sp.src.end:
                return sp.src
    return None
