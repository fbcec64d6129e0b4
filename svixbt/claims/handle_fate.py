"""What a fn does with the JoinHandle of a task it spawned and bound to a name: awaits it
itself, hands it back to its caller (in its value or in a future it returns), or stores it in
a field."""

from __future__ import annotations

import re
from bisect import bisect_right

from ..crate_index import owner_of
from ..facts import ItemFacts, Spawn, Src
from ..flow import tokens_text
from ..values import split_commas
from .core import FileContext, Proof
from .shape import call_said


def _under_branch(f: ItemFacts, sp: Spawn, at: int) -> bool:
    """Whether offset ``at`` sits in a branch the spawn is not in: `if let Some(data) = ..
    { data.task_handle = Some(handle); }` keeps the handle on that path only (wasmCloud's
    in-memory messaging: "whoever holds that can abort the task" left out the path where it is
    dropped, read 62)."""
    assert f.flow is not None
    fl = f.flow
    tok = bisect_right(fl.scan.starts, at) - 1
    return any(
        r.kind in ("if", "else", "arm", "let-else") and not fl.inside(sp.at_region, r.id)
        for r in fl.chain(fl.region_at(tok).id)
    )


def bound_fate(f: ItemFacts, sp: Spawn, name: str) -> set[str]:
    """What the fn itself does with a handle it bound: "joined-here" when it awaits it
    later, "handed-back" when the fn's final expression hands it to the caller. garage's
    `listen` awaits its `connection_collector` itself ("whoever calls this needs
    `connection_collector`" was false) and `BackgroundRunner::new` returns its handle in a
    tuple ("keeps the join handle in `await_all_done`", misleading: held-out read 11)."""
    assert f.flow is not None
    text = f.flow.scan.text
    after = text[sp.src.end : f.item.end]
    out: set[str] = set()
    name_re = re.escape(name)
    # `AbortOnDropHandle::new(stats).await?`: awaited through a wrapper, not handed back
    # (qdrant's `get_size_stats`: "the caller holds it" was false, held-out read 15).
    joined = rf"\b{name_re}\s*\.await\b|\(\s*{name_re}\s*\)\s*\.await\b"
    tail = f.tail.text if f.tail is not None else ""
    if _abort_only(after, name_re):
        return {"abort-only"}
    if _awaited_in_returned_future(tail, joined):
        # `Ok((host, async move { ..; task.await? }))`: the caller's await (wash's
        # `ClusterHost::start`: "the handle never reaches the caller" was false).
        return {"handed-back", "in-future"}
    if _awaited_in_returned_future(tail, rf"=\s*{name_re}\s*=>"):
        # `CancellableTask { f: Box::pin(async move { .. select! { r = task => .., .. } }) }`:
        # raced in the returned future, no plain wait and no caller's business (lemmy, read 40).
        return {"handed-back", "in-future", "raced-in-future"}
    awaits = [
        sp.src.end + m.start()
        for m in re.finditer(joined, after)
        if _own_at(f, sp.src.end + m.start())
    ]
    if awaits:
        # Awaited by the fn's own task, not by another task it spawns (watchexec's filter
        # programs await the blocking task inside a `tokio::spawn`: "joined here, awaited
        # further down in this same function" was false of a plain fn, held-out read 53).
        out.add("joined-here")
        kinds = _exits_before(f, sp.src.end, awaits[0])
        if kinds:
            out.add("exits-before-join")
            # Only `?`s can leave there: "an early return or question mark" named a return
            # the fn does not have (kamu's container fetch, held-out read 101 #15).
            out |= {"tries-only"} if kinds == {"question"} else set()
    elif re.search(joined, after):
        out.add("joined-elsewhere")
    elif _raced_elsewhere(f, sp, after, name_re):
        out.add("raced-elsewhere")
    # `self.task = Some(handle);`, `data.task_handle = Some(handle)`: kept in a field, where
    # whoever owns it can abort it (wash's messaging plugin and tremor's kafka consumer:
    # "keeps the join handle in `handle`" hid it, held-out read 26).
    stored = re.search(
        rf"(?<![\w.])((?:self\.)?[a-z_][\w.]*\.[a-z_]\w*)\s*=\s*(?:Some\(\s*)?{name_re}\s*\)?\s*;",
        after,
    )
    if stored and "joined-here" not in out:
        out.add("stored")
        out.add("stored:" + stored.group(1))
        if _under_branch(f, sp, sp.src.end + stored.start()):
            out.add("stored-sometimes")
    if "joined-here" not in out and not stored:
        out |= _swapped_in(f, sp, after, name_re)
    if "joined-here" not in out and (into := _moved_into(after, name_re)):
        out |= {"moved", "stored:" + into}
    # `tokio::select! { _ = receive_handle => .., .. }` as the tail: raced right here, not
    # returned (screenpipe's frame socket: "part of what this returns" was FALSE, read 91 #6).
    raced = re.search(rf"=\s*(?:&\s*mut\s+)?{name_re}\s*=>", tail)
    if re.search(rf"\b{name_re}\b", tail) and not re.search(joined, tail) and not raced:
        out.add("handed-back")
    elif f.tail is None:
        arms = _tail_arms(f)
        holding = [a for a in arms if re.search(rf"\b{name_re}\b", a)]
        if holding and not any(re.search(joined, a) for a in holding):
            # `match timeout(d, rx).await { Ok(Ok(url)) => Ok((url, transport)), Ok(Err(_)) =>
            # Err(..), .. }`: the handle goes back on one path and is dropped on the others,
            # its task left running ("its handle is bound to `transport`" beside "do not drop
            # the join handle" was misleading of atuin's share connect, read 30).
            out.add("handed-back")
            if len(holding) < len(arms):
                out.add("some-paths")
    if "handed-back" in out and re.search(rf"AbortOnDropHandle::new\(\s*{name_re}\s*\)", after):
        out.add("abort-on-drop")  # dropping what is returned aborts it (iroh, read 24)
    return out


def _raced_elsewhere(f: ItemFacts, sp: Spawn, after: str, name_re: str) -> bool:
    """Whether the handle is the future of a select branch in another task the fn spawns
    (spotify-player's streaming connection races `player_event_task` there: "can be awaited or
    aborted through that name" was misleading, held-out read 103 #11). By value only: a
    `&mut handle` raced in a loop there is raced again each round, not dropped on a loss."""
    return any(
        not _own_at(f, sp.src.end + m.start()) for m in re.finditer(rf"=\s*{name_re}\s*=>", after)
    )


def _moved_into(after: str, name_re: str) -> str | None:
    """The collection the handle is moved into after the spawn, if any.

    `handles.push((TaskName::Auditd, auditd_handle))`: moved into a collection, where its name
    no longer reaches it ("can be awaited or aborted through that name" was misleading of
    kanidm's `launch_server_tasks`, held-out read 31). Or `inner.task.set(task).unwrap();` into
    a `OnceLock` (zenoh's timeout tracker: FALSE, held-out read 52). A map's slot counts too:
    `self.tasks.entry(view).or_default().push(handle)` keeps it in `self.tasks` ("its join
    handle is kept in `handle`", HotShot's VID request, held-out read 83 #6)."""
    pushed = re.search(
        rf"(?<![\w.])([a-z_][\w.]*)(?:\s*\.\s*\w+\s*\([^()]*\))*\s*\.\s*"
        rf"(?:push|push_back|set|insert)\s*\([^;]*\b{name_re}\b[^;]*\)[^;]*;",
        after,
    )
    return pushed.group(1) if pushed else None


def _swapped_in(f: ItemFacts, sp: Spawn, after: str, name_re: str) -> set[str]:
    """`std::mem::replace(&mut state.timeout_task, new_task).abort();`: the new handle takes
    the field's place and the old task is aborted (HotShot's view timer: "the handle is kept
    as `new_timeout_task`" hid both, held-out read 83 #4)."""
    swapped = re.search(
        rf"\bmem::(?:replace|swap)\s*\(\s*&mut\s+((?:self\.)?[a-z_][\w.]*)\s*,\s*"
        rf"(?:&mut\s+)?{name_re}\s*\)(\s*\.\s*abort\s*\(\s*\))?",
        after,
    )
    if swapped is None:
        return set()
    out = {"stored", "stored:" + swapped.group(1)}
    if swapped.group(2):
        out.add("replaces-aborts")
    if _under_branch(f, sp, sp.src.end + swapped.start()):
        out.add("stored-sometimes")
    return out


def _abort_only(after: str, name_re: str) -> bool:
    """`*self.abort_handle.lock() = Some(handle.abort_handle());`: only an AbortHandle is kept
    and the JoinHandle is dropped ("its join handle is kept in `handle`, so the task can be
    awaited or aborted through that name" was FALSE of apollo-router's metrics collector,
    held-out read 79)."""
    uses = list(re.finditer(rf"(?<![\w.]){name_re}\b", after))
    return bool(uses) and all(
        re.match(r"\s*\.\s*abort_handle\s*\(\s*\)", after[m.end() :]) for m in uses
    )


def _own_at(f: ItemFacts, offset: int) -> bool:
    """Whether the text at ``offset`` runs in the fn's own task."""
    assert f.flow is not None
    tok = bisect_right(f.flow.scan.starts, offset) - 1
    return tok < 0 or f.own(f.flow.region_at(tok).id)


def _awaited_in_returned_future(tail: str, joined: str) -> bool:
    """Whether the fn's final expression awaits the handle inside an `async` block it hands
    back, unawaited: the block's text opens before the await and its braces still hold it."""
    m = re.search(joined, tail)
    if m is None:
        return False
    opened = [a.end() for a in re.finditer(r"\basync\s+(?:move\s+)?\{", tail[: m.start()])]
    if not opened:
        return False
    inside = tail[opened[-1] : m.start()]
    if inside.count("{") < inside.count("}"):
        return False
    rest = tail[m.end() :]
    # The block itself must not be awaited right here (`async { .. }.await`).
    depth, i = inside.count("{") - inside.count("}") + 1, 0
    while i < len(rest) and depth:
        depth += {"{": 1, "}": -1}.get(rest[i], 0)
        i += 1
    return not re.match(r"\s*\.await\b", rest[i:])


def _tail_arms(f: ItemFacts) -> list[str]:
    """The code of each arm of the `match` that ends the fn's body (its value), or [] when the
    body does not end with one."""
    assert f.flow is not None
    fl = f.flow
    body = fl.regions[0]
    matches = [r for r in fl.regions if r.kind == "match" and r.parent == body.id]
    if not matches:
        return []
    last = max(matches, key=lambda r: r.lo)
    t = fl.scan.texts
    # The match's `}` is followed by the fn's own `}` (nothing after it: it is the value).
    if last.hi + 1 >= len(t) or t[last.hi] != "}" or last.hi + 1 != body.hi:
        return []
    arms = [r for r in fl.regions if r.kind == "arm" and r.parent == last.id]
    return [tokens_text(t, fl.scan.codes, fl.scan.starts, a.lo, a.hi) for a in arms]


def drop_impl_of(name: str) -> re.Pattern[str]:
    """What the name of an `impl Drop for <name>` item matches."""
    return re.compile(rf"(?:^|\s)Drop\s+for\s+{re.escape(name)}\b")


def drop_aborts(ctx: FileContext, f: ItemFacts) -> tuple[str, Proof] | None:
    """The type of the struct the fn returns (`Self { .., task: handle }`), with the proof of
    its `impl Drop`, when that drop aborts a task (`self.task.abort()`): dropping the value the
    caller gets stops the task, so "aborting it is the caller's business" and "its clone keeps
    the state alive after every handle is gone" were false of grpc's DNS resolver (held-out
    read 38), and of hyper-util's `GaiFuture` (read 32)."""
    return drop_impl_with(ctx, f, r"\.abort\(\)")


def drop_impl_with(ctx: FileContext, f: ItemFacts, pattern: str) -> tuple[str, Proof] | None:
    """The type of the struct the fn returns, with the proof of its `impl Drop`, when that
    impl's text matches ``pattern``."""
    name, impls = returned_drop_impls(ctx, f)
    found = next((p for p in impls if re.search(pattern, p.text)), None)
    return (name, found) if found is not None else None


# The struct literal a fn's tail hands back, through the wrappers that keep it whole
# (`Box::pin(SpawnedBufferedStream { .. })`: surrealdb's buffered stream aborts its task on
# drop, and "waiting for that task or aborting it is the caller's business" was FALSE, read 72).
RETURNED_STRUCT = re.compile(
    r"(?:(?:Ok|Some|Box::pin|Box::new|Arc::new|Pin::new)\(\s*)*(Self|[A-Z]\w*)\s*\{"
)


def returned_drop_impls(ctx: FileContext, f: ItemFacts) -> tuple[str, list[Proof]]:
    """The type of the struct the fn returns (`Self { .. }`, `Ok(Name { .. })`) and the proofs
    of every `impl Drop` for it in the crate; ("", []) when it returns no such struct."""
    tail = f.tail.text if f.tail is not None else ""
    m = RETURNED_STRUCT.match(tail)
    name = m.group(1) if m is not None else ""
    if name == "Self":
        name = owner_of(ctx.fs, f.index) or ""
    if not name:
        return "", []
    head = drop_impl_of(name)
    impls: list[Proof] = []
    for fi, fs in enumerate(ctx.index.files):
        for it in fs.items:
            if it.kind == "impl" and head.search(it.name):
                src = Src(it.start, it.end, fs.scan.text[it.start : it.end])
                impls.append(ctx.proof(src) if fi == ctx.file_idx else ctx.other_proof(fi, src))
    return name, impls


def callers_drop(ctx: FileContext, f: ItemFacts) -> tuple[list[str], list[Proof]] | None:
    """(callers, proofs) when every call of ``f`` outside tests, all of them known, drops what
    it returns on the spot (`f(..);` or `let _ = f(..);`): a handle returned that way is held by
    nobody (influxdb3's `background_eviction_process` returns its JoinHandle to a caller that
    discards it; "its handle is kept" was FALSE, read 73)."""
    d = ctx.fn_def(f.index)
    if d is None or not ctx.index.callers_complete(d):
        return None
    sites = [s for s in ctx.index.callers(d) if not s.is_test]
    if not sites:
        return None
    names: list[str] = []
    proofs: list[Proof] = []
    for site in sites:
        text = ctx.index.files[site.file].text
        before = text[max(0, site.src.start - 40) : site.src.start].rstrip()
        after = text[site.src.end : site.src.end + 40].lstrip()
        if site.awaited:
            # An async fn's value comes out of its `.await` (influxdb3's `sample_metrics`).
            after = re.sub(r"^\.\s*await\b\s*", "", after)
        if not after.startswith(";"):
            return None
        if not (before.endswith(("{", "}", ";")) or re.search(r"\blet\s+_\s*=$", before)):
            return None
        owner = (
            owner_of(ctx.index.files[site.file], site.caller) if site.caller is not None else None
        )
        name = f"{owner}::{site.caller_name}" if owner else site.caller_name
        if name and name not in names:
            names.append(name)
        proofs.append(
            Proof(ctx.other_display(site.file), site.src.start, site.src.end, site.src.text)
        )
    return (names, proofs) if names else None


def caller_unbinds(ctx: FileContext, f: ItemFacts, handle: str) -> tuple[str, Proof, bool] | None:
    """(name, proof, every call known) when the one call of ``f`` in the crate binds the handle
    it hands back to a name that starts with `_` (`let (_handle, chan) = self.spawn();`): that
    caller never uses it. rbuilder's slot-data generator: "so the caller holds it" (held-out
    read 84 #4)."""
    d = ctx.fn_def(f.index)
    if d is None or not ctx.index.complete or f.tail is None:
        return None
    sites = [s for s in ctx.index.callers(d) if not s.is_test]
    if len(sites) > 1:
        return None
    if sites:
        text = ctx.index.files[sites[0].file].text
        at, end, display = sites[0].src.start, sites[0].src.end, ctx.other_display(sites[0].file)
        known = ctx.index.callers_complete(d)
    else:
        # A method called as `self.spawn()` is no site of the index: the file's one such
        # call, said as the call in this file (other files are not looked at).
        text, display, known = ctx.fs.text, ctx.display, False
        calls = list(re.finditer(rf"\bself\s*\.\s*{re.escape(d.name)}\s*\(\s*\)", text))
        if len(calls) != 1 or d.owner is None:
            return None
        at, end = calls[0].start(), calls[0].end()
    tail = f.tail.text.strip()
    pos: int | None = None
    if tail.startswith("(") and tail.endswith(")"):
        parts = [p.strip() for p in split_commas(tail[1:-1])]
        if handle not in parts:
            return None
        pos = parts.index(handle)
    elif tail != handle:
        return None
    before = text[text.rfind("\n", 0, at) + 1 : at]
    m = re.search(r"\blet\s+(?:mut\s+)?(\([^=]*\)|\w+)\s*(?::[^=]+)?=\s*$", before)
    if m is None:
        return None
    pattern = m.group(1)
    if pattern.startswith("("):
        names = [p.strip() for p in split_commas(pattern[1:-1])]
        if pos is None or pos >= len(names) or len(names) != len(parts):
            return None
        name = names[pos]
    elif pos is None:
        name = pattern
    else:
        return None
    if not name.startswith("_"):
        return None
    rest = text[end:]
    nxt = re.search(r"\n\s*(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?fn\s", rest)
    if name != "_" and re.search(rf"\b{re.escape(name)}\b", rest[: nxt.start() if nxt else None]):
        return None  # a `_name` may still be used
    return name, Proof(display, at, end, text[at:end]), known


def _exits_before(f: ItemFacts, start: int, at: int) -> set[str]:
    """Whether the fn's own task can leave between ``start`` and the await at ``at`` on a path
    that reaches it: linera's exporter does `result?` right before `block_processor_task.await`,
    so on that path the handle is dropped and the task runs on ("this awaits itself further
    down" was MISLEADING, read 75 #1)."""
    assert f.flow is not None
    there = f.flow.region_at(_tok_at(f, at)).id
    return {
        e.kind
        for e in f.exits
        if e.kind in ("question", "return")
        and f.own(e.region)
        and start <= e.src.start < at
        and not f.flow.exclusive(e.region, there)
    }


def _tok_at(f: ItemFacts, offset: int) -> int:
    """The token at char ``offset`` of the file."""
    assert f.flow is not None
    from bisect import bisect_right

    return max(bisect_right(f.flow.scan.starts, offset) - 1, 0)


def detached_by(ctx: FileContext, f: ItemFacts) -> tuple[str, Proof] | None:
    """A method of the type ``f`` hands back (wrapping its task's handle in
    `AbortOnDropHandle`) that calls `.detach()` on it: that path lets the task outlive the
    value. mirrord's `InterceptorReadQueue::finish` takes the value apart, sends one last
    command and detaches the handle so the task can flush; "dropping it aborts the task" was
    FALSE of both of its queues (held-out read 87 #20, #21). The first such method, with its
    `.detach()` call as the proof."""
    name, _ = returned_drop_impls(ctx, f)
    if not name:
        return None
    for g in ctx.facts.values():
        if g.kind != "fn" or g.index == f.index or owner_of(ctx.fs, g.index) != name:
            continue
        call = next((c for c in g.calls if c.kind == "method" and c.name == "detach"), None)
        if call is not None:
            return g.name, ctx.proof(call.src)
    return None


def handle_into(f: ItemFacts, sp: Spawn) -> str | None:
    """The fn a spawn's handle goes straight into as its first argument, as it is named; None
    when the spawn is no argument of a call (or of more than one nested in each other), or
    the call only wraps the value (`Some(..)`, `Ok(..)`, `Guard::new(..)`): where the value
    goes then is another matter, and "up to what `Some` does with its handle" said nothing."""
    around = [
        c
        for c in f.calls
        if c.src.start < sp.src.start
        and sp.src.end <= c.src.end
        and c.src.text[: sp.src.start - c.src.start].rstrip().endswith("(")
    ]
    if len(around) != 1 or around[0].name[:1].isupper() or around[0].name in _WRAPPING:
        return None
    return call_said(around[0]) or None


# Constructors and conversions a value passes through unchanged in kind.
_WRAPPING = frozenset({"new", "from", "into", "pin", "boxed"})
