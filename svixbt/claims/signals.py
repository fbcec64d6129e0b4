"""Claims about the stop signals an item waits for: which signal, how its future is held or
passed on, which builds define it, and whether the process just exits once it fires."""

from __future__ import annotations

import re
from bisect import bisect_left

from ..facts import Call, ItemFacts
from ..flow import Region, tokens_text
from ..mechanisms import mechanism
from .blocks import awaits_after
from .core import LIST_SEP, Claim, FileContext, make, merge_in_place
from .shape import codes, not_a_stop_signal, signal_name
from .variants import stmt_cfg

# Macros that await their futures right where they are written.
_IN_PLACE = frozenset({"select!", "join!", "try_join!", "select", "join", "try_join"})

__all__ = ["signal_claims"]


def signal_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """`tokio::signal::ctrl_c()` and friends in the item's own task, with the binding they are
    awaited under (`let ctrl_c = async { .. }`)."""
    out: list[Claim] = []
    for c in f.calls:
        mech = mechanism(c.full)
        if mech is None or mech.role != "signal" or not f.own(c.region):
            continue
        if not_a_stop_signal(c.src.text):
            continue
        slots = {"mech": mech.path}
        # The innermost `let`: in `let interrupted = { let mut term = signal(..)?; select! {..} }`
        # the listener is `term`; `interrupted` is the select's result (shuttle's runtime).
        lets = [a for a in f.assigns if a.is_let and a.src.start < c.src.start < a.src.end]
        holder = max(lets, key=lambda a: a.src.start, default=None)
        if holder is not None and not holder.var.strip("_"):
            # `let stop = async { let _ = ctrl_c().await; }`: the result is dropped, and the
            # future that waits is the async block's (`stop`).
            holder = max(
                (a for a in lets if a.var.strip("_") and a.value.startswith("async")),
                key=lambda a: a.src.start,
                default=holder,
            )
        if holder is not None and any(
            o.kind == "macro"
            and o.name in _IN_PLACE
            and holder.src.start < o.src.start < c.src.start < o.src.end
            for o in f.calls
        ):
            # `let result = tokio::select! { r = start() => r, _ = ctrl_c() => Ok(()) }`: the
            # name holds what the select yields, not the signal's future (Forest's daemon:
            # "The `result` future is built on `tokio::signal::ctrl_c`" was false, read 60).
            holder = None
        flags = set()
        if mech.path.endswith("::ctrl_c"):
            flags.add("ctrl-c")  # SIGINT: what a Ctrl-C in a terminal sends
        # A request names the signal a person knows (SIGTERM), not the local that holds its
        # future (blind read 41: "one of `ctrl_c` and `sigterm`" never said SIGTERM).
        name = signal_name(c.src.text)
        if name:
            slots["signame"] = name
        proof = [ctx.proof(c.src)]
        to = _passed_to(f, c, holder is not None)
        if to:
            slots["to"] = to
            flags.add("passed")
        if holder is not None and holder.var.lstrip("_"):
            # `let _ = ctrl_c().await`: the result is discarded, there is no name to say.
            slots["var"] = holder.var
            # `#[cfg(unix)] let sigterm = ..`: that definition exists on some builds only.
            gate = stmt_cfg(ctx, f, holder.src.start)
            if gate is not None:
                slots["cfg"] = gate.text
                flags.add("cfg")
                if re.fullmatch(r"#\[cfg\(\s*unix\s*\)\]", gate.text):
                    flags.add("cfg-unix")
                proof.append(ctx.proof(gate))
        after = ctx.fs.text[c.src.end : ctx.fs.text.find(";", c.src.end)]
        if slots.get("var") and c.full.endswith("unix::signal") and ".recv" not in after:
            # `let mut term = signal(SignalKind::terminate())?`: a listener, registered at once;
            # the wait is `term.recv()` ("`int` waits on `signal`" was false, blind read 105).
            flags.add("listener")
        flags |= _what_follows(f, c)
        if "listener" in flags and _handled_without_stop(f, slots["var"]):
            continue
        claim = make("signal", f.name, slots, proof, flags)
        if claim not in out:
            out.append(claim)
    # Another fn of the crate waits on a stop signal too: "without this, a Ctrl-C would kill
    # the process" is not this fn's to say (parseable's connector listener, whose `main` traps
    # both signals already; a held-out read counted it misleading). Several signals (ctrl_c and
    # SIGTERM raced in a select): "it returns once ctrl_c fires" would leave the others out.
    more = {"elsewhere"} if out and _handled_elsewhere(ctx, f) else set()
    if len(out) > 1:
        more.add("several")
    out = _sigint_twice(f, out)
    out = _listeners_together(f.name, out)
    out = [_outcomes(f, c) for c in out]
    out = [_leaves_loop(f, c) for c in _branch_values(f, out)]
    return [make("signal", c.subject, c.slot_map, list(c.proof), c.flags | more) for c in out]


_STOPS = frozenset({"take", "cancel", "send", "notify_one", "notify_waiters", "abort", "shutdown"})


def _handled_without_stop(f: ItemFacts, var: str) -> bool:
    """Whether the select branch on `var.recv()` neither leaves nor signals a stop: moonfire's
    SIGQUIT branch only dumps its tasks ("Shut down in order on SIGINT, SIGTERM and SIGQUIT"
    was FALSE, held-out read 86 #11)."""
    assert f.flow is not None
    fl = f.flow

    def stops(h: Region) -> bool:
        return any(fl.inside(e.region, h.id) for e in f.exits) or any(
            c.name in _STOPS and fl.inside(c.region, h.id) for c in f.calls
        )

    handlers = [r for r in fl.regions if r.kind == "select-handler" and r.detail == f"{var}.recv()"]
    # Only where a sibling branch does stop: an empty handler of a select the fn then returns
    # from is a stop like the others (pooler's `_ = term.recv() => {}`).
    siblings = [
        r
        for h in handlers
        for r in fl.regions
        if r.kind == "select-handler" and r.start_tok == h.start_tok and r is not h
    ]
    return bool(handlers) and not any(stops(h) for h in handlers) and any(map(stops, siblings))


def _passed_to(f: ItemFacts, c: Call, held: bool) -> str:
    """The call ``c``'s future is handed to unawaited, or "".

    `server::run(listener, signal::ctrl_c())`: the future is an argument of another call, which
    does the waiting; the item itself never awaits it (mini-redis's `main`, where "`main` waits
    for `tokio::signal::ctrl_c`" was false: a held-out read). A `select!`/`join!` in the fn's
    own body awaits its futures right there: the fn does wait for the signal (ballista's
    executor: "does not wait for `ctrl_c` itself" was misleading, its doc says it blocks until
    the signal; blind read 19)."""
    taker = next(
        (o for o in f.calls if o is not c and o.src.start < c.src.start and c.src.end < o.src.end),
        None,
    )
    in_place = taker is not None and taker.kind == "macro" and taker.name in _IN_PLACE
    if taker is not None and not c.awaited and not held and not in_place:
        return taker.written
    return ""


def _sigint_twice(f: ItemFacts, found: list[Claim]) -> list[Claim]:
    """`ctrl_c()` raced in one select beside a `SignalKind::interrupt()` listener: on unix both
    wait for SIGINT, so one Ctrl-C can make both branches ready and the select picks which
    line is written (lemmy's server start, an expert point held-out read 40 missed)."""
    if f.flow is None:
        return found
    ctrlc = [c for c in found if "ctrl-c" in c.flags and not {"passed", "cfg"} & c.flags]
    sigint = [c for c in found if "listener" in c.flags and c.get("signame") == "SIGINT"]
    if len(ctrlc) != 1 or len(sigint) != 1 or "cfg" in sigint[0].flags:
        return found
    twin = sigint[0].get("var")
    futures = [r.detail for r in f.flow.regions if r.kind == "select-handler"]
    if f"{twin}.recv()" not in futures or not any(re.search(r"\bctrl_c\(\)", d) for d in futures):
        return found
    c = ctrlc[0]
    both = make(
        "signal",
        c.subject,
        {**c.slot_map, "twin": twin},
        [*c.proof, *sigint[0].proof],
        c.flags | {"sigint-twice"},
    )
    return [both if x is c else x for x in found]


def _outcomes(f: ItemFacts, c: Claim) -> Claim:
    """Listeners raced in one select whose branches each end with a value of their own
    (`ShutdownSignal::GracefulUpgrade` on SIGQUIT, `FastShutdown` on SIGINT): not one "request
    to shut down" ("treat SIGQUIT, SIGTERM and SIGINT as a request to shut down" flattened
    pingora's three kinds of stop, held-out read 31)."""
    if "listeners" not in c.flags or f.flow is None:
        return c
    fl = f.flow
    said: list[str] = []
    for var in c.get("var").split(LIST_SEP):
        h = next(
            (r for r in fl.regions if r.kind == "select-handler" and r.detail == f"{var}.recv()"),
            None,
        )
        if h is None:
            return c
        body = tokens_text(fl.scan.texts, fl.scan.codes, fl.scan.starts, h.lo, h.hi).strip()
        said.append(body.strip("{} ").rstrip(","))
    # Values, not statements: `debug!("SIGTERM")` in each branch is a log line, no outcome.
    value = re.compile(r"[A-Za-z_][\w:]*(?:\([\w:, ]*\))?")
    if len(set(said)) < len(said) or not all(len(b) <= 48 and value.fullmatch(b) for b in said):
        return c
    slots = {**c.slot_map, "outcomes": LIST_SEP.join(said)}
    return make("signal", c.subject, slots, list(c.proof), c.flags | {"distinct-outcomes"})


def _leaves_loop(f: ItemFacts, c: Claim) -> Claim:
    """A signal future raced in a select inside a loop whose branch only `break`s: it ends
    that loop and nothing more here (tari's `watch_loop` leaves the watch view on Ctrl-C and
    returns to its shell: "Treat Ctrl-C as a request to shut down" was FALSE, read 90 #46)."""
    var = c.get("var")
    if not var or f.flow is None:
        return c
    fl = f.flow
    hs = [
        r
        for r in fl.regions
        if r.kind == "select-handler"
        and r.detail.removeprefix("&mut ").strip() in (var, f"{var}.recv()")
        and fl.loop_of(r.id) is not None
    ]
    if len(hs) != 1 or not any(e.region == hs[0].id and e.kind == "break" for e in f.exits):
        return c
    return make("signal", c.subject, c.slot_map, list(c.proof), c.flags | {"ends-loop"})


# A branch's value when it is one plain token: `true`, `false`, `Reload`, `0`.
_BRANCH_VALUE = re.compile(r"[A-Za-z_][\w:]*|\d+")


def _branch_values(f: ItemFacts, found: list[Claim]) -> list[Claim]:
    """Signal futures raced in one select whose branches yield values of their own
    (`_ = shutdown_future => false`, `_ = reload_future => true`): what each signal makes the
    race return, said instead of "a request to shut down" (ferron's `handle_shutdown_signals`,
    where SIGHUP yields `true`, keep running: "treat SIGHUP as a request to shut down" was
    FALSE, held-out read 88 #1)."""
    if f.flow is None:
        return found
    fl = f.flow
    value: dict[int, str] = {}
    heads: dict[int, int] = {}
    for c in found:
        var = c.get("var")
        if not var or "listeners" in c.flags or "distinct-outcomes" in c.flags:
            continue
        hs = [
            r
            for r in fl.regions
            if r.kind == "select-handler" and r.detail in (var, f"{var}.recv()")
        ]
        if len(hs) != 1:
            continue
        body = tokens_text(fl.scan.texts, fl.scan.codes, fl.scan.starts, hs[0].lo, hs[0].hi)
        body = body.strip().strip("{} ").rstrip(",")
        if _BRANCH_VALUE.fullmatch(body):
            value[id(c)] = body
            heads[id(c)] = hs[0].start_tok
    # Two signals at least, in the same select, each with its own value.
    if len(value) < 2 or len(set(heads.values())) != 1 or len(set(value.values())) < len(value):
        return found
    return [
        make(
            "signal",
            c.subject,
            {**c.slot_map, "outcome": value[id(c)]},
            list(c.proof),
            c.flags | {"branch-value"},
        )
        if id(c) in value
        else c
        for c in found
    ]


def _listeners_together(name: str, found: list[Claim]) -> list[Claim]:
    """Listeners registered alike (`term` and `int`, both `unix::signal`, no cfg) as one claim:
    two sentences that say the same of each read as a template run twice (atuin's daemon,
    held-out read 30)."""
    alike = [c for c in found if "listener" in c.flags and "cfg" not in c.flags]
    if len(alike) < 2 or len({c.get("mech") for c in alike}) > 1:
        return found
    slots = dict(alike[0].slot_map)
    slots["var"] = codes(*(c.get("var") for c in alike))
    slots.pop("signame", None)
    names = [c.get("signame") for c in alike]
    if all(names):
        slots["signame"] = codes(*names)
    merged = make(
        "signal",
        name,
        slots,
        [p for c in alike for p in c.proof],
        set.intersection(*(set(c.flags) for c in alike)) | {"listeners"},
    )
    return merge_in_place(found, alike, merged)


_SIGNAL_TOKENS = frozenset({"ctrl_c", "SignalKind"})


def _handled_elsewhere(ctx: FileContext, f: ItemFacts) -> bool:
    """Whether another non-test fn of the crate names a stop signal (`ctrl_c`, `SignalKind`),
    by its tokens; True when the crate is not known (then nobody can say this fn is the one)."""
    index = ctx.index
    if index is None or ctx.file_idx is None:
        return True
    for d in index.fns:
        if d.is_test or d.key == (ctx.file_idx, f.index) or d.file in index.test_files:
            continue
        fs = index.files[d.file]
        it = fs.items[d.item]
        rng = fs.scan.token_range(it.start, it.end)
        if any(fs.scan.texts[k] in _SIGNAL_TOKENS for k in rng):
            return True
    return False


def _what_follows(f: ItemFacts, c: Call) -> set[str]:
    """What the fn does once signal call ``c`` has fired: exits the process, awaits more work,
    or goes round its loop to wait again."""
    flags: set[str] = set()
    if any(e.kind == "exit" and e.src.start > c.src.end for e in f.exits):
        # `ctrl_c().await; std::process::exit(0)`: the process stops at once, no graceful
        # shutdown ("should start its graceful shutdown" was false, held-out read 16).
        flags.add("exits-process")
    if _awaits_after(f, c):
        # `ctrl_c().await?; host_cleanup.await?;`: a stop that first waits for more work
        # (wash's `HostCommand::handle`: "should return once `ctrl_c` fires", read 62).
        flags.add("then-awaits")
    if f.flow is not None and f.flow.loop_of(c.region) is not None:
        # Awaited round after round: conduwuit's `signal` handles each and waits again,
        # "should return once `ctrl_c` fires" was false (held-out read 57).
        flags.add("in-loop")
    return flags


def _awaits_after(f: ItemFacts, c: Call) -> bool:
    """Whether the fn's own task awaits anything after the statement that awaits signal call
    ``c`` (not raced in a select, whose other branches follow it in the text only)."""
    if f.flow is None or not c.awaited or f.flow.regions[c.region].kind == "select-future":
        return False
    fl = f.flow
    t, starts = fl.scan.texts, fl.scan.starts
    k = bisect_left(starts, c.src.end)
    while k < fl.hi and t[k] != ";":
        k += 1
    return k < fl.hi and awaits_after(f, starts[k])
