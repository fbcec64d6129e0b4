"""Examples from evidence: (slices, focus, style) -> a maintainer's request and an expert's think.

Every sentence is built from facts the tool found; a builder whose evidence is missing returns
nothing, so a fact with no evidence is left out rather than guessed. Phrasing is chosen with a
seeded RNG, preferring variants not yet used in the run, so two requests rarely share a sentence.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .context import CallSite, needed_uses, use_runs
from .evidence import Evidence
from .facts import Arm, Const, ItemFacts, Log, Sql, human_duration, human_int
from .records import assemble_code

__all__ = ["Example", "Phraser", "compose_examples", "STYLES", "FOCUSES"]

STYLES = ("github-issue", "infra-requirement", "internal-request", "incident-follow-up", "refactor")


def q(x: str) -> str:
    return f"`{x}`"


def _first_sentence(text: str) -> str:
    m = re.match(r"(.+?[.!?])(\s|$)", text)
    return m.group(1) if m else text


def _article(word: str) -> str:
    return "an" if word[:1].upper() in "AEIOU" else "a"


def _lower1(s: str) -> str:
    """Lower-case a sentence's first letter to continue it after a colon (not `SQL`, not `Foo`)."""
    if len(s) > 1 and s[0].isupper() and s[1].islower():
        return s[0].lower() + s[1:]
    return s


class Phraser:
    """Seeded choices that avoid repeating a variant within one run where it can."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.used: dict[str, set[int]] = {}

    def pick(self, key: str, options: list[str] | tuple[str, ...], salt: str = "") -> str:
        if not options:
            return ""
        rng = random.Random(f"{self.seed}|{key}|{salt}")
        order = list(range(len(options)))
        rng.shuffle(order)
        used = self.used.setdefault(key, set())
        for i in order:
            if i not in used:
                used.add(i)
                return options[i]
        used.clear()
        used.add(order[0])
        return options[order[0]]


@dataclass
class Ask:
    """What a request is about, in parts every style can arrange its own way."""

    title: str
    ask: str  # one sentence naming what to write and where
    criteria: list[str]  # behaviour with real values
    symptom: str  # what goes wrong without it (incident follow-ups)
    refactor: str  # the restructuring a refactor ask would request


@dataclass
class Draft:
    ask: Ask
    think: list[str]


@dataclass
class Example:
    primary: int
    focus: str
    style: str
    items: list[int]
    spans: list[tuple[int, int]]
    rules: list[str]
    user: str = ""
    think: str = ""
    code: str = ""
    importance: tuple[int, int, int] = (0, 0, 0)


# -- helpers over evidence --------------------------------------------------------------------


def _sentence_join(parts: list[str | None]) -> list[str]:
    return [p for p in parts if p]


def _const_by_name(ev: Evidence, f: ItemFacts, name: str) -> Const | None:
    c = f.const(name)
    if c is not None:
        return c
    for other in ev.facts.values():
        c = other.const(name)
        if c is not None and not c.local:
            return c
    return None


def _value_consts(ev: Evidence, f: ItemFacts, text: str) -> list[Const]:
    out = []
    for name in re.findall(r"\b[A-Z][A-Z0-9_]+\b", text):
        c = _const_by_name(ev, f, name)
        if c is not None and c not in out:
            out.append(c)
    return out


def _cq(c: Const) -> str:
    """`IDLE` (12 hours)."""
    return f"{q(c.name)} ({c.human})" if c.value is not None else q(c.name)


def _batch_const(ev: Evidence, f: ItemFacts) -> Const | None:
    for c in f.consts:
        if "BATCH" in c.name.upper() and c.value is not None and not c.is_duration:
            return c
    return None


def _pause_calls(ev: Evidence, f: ItemFacts) -> list[tuple[str, ItemFacts | None]]:
    """How the item pauses: direct tokio sleeps, or same-file helpers that sleep."""
    out: list[tuple[str, ItemFacts | None]] = []
    for s in f.sleeps:
        out.append((s.written, None))
    for call in f.calls:
        if call.local_fn:
            helper = _facts_by_name(ev, call.written)
            if helper is not None and helper.sleeps:
                out.append((call.written, helper))
    return out


def _facts_by_name(ev: Evidence, name: str) -> ItemFacts | None:
    for f in ev.facts.values():
        if f.name == name and f.item.kind == "fn" and f.item.parent is None:
            return f
    return None


def _sleep_var(f: ItemFacts) -> str | None:
    for var in f.unwraps.values():
        return var
    return None


def _schedule_branch(f: ItemFacts, var: str) -> tuple[str, str, str] | None:
    for arm in f.arms:
        for v, cond, then, other in arm.branches:
            if v == var:
                return cond, then, other
    return None


def _err_arm(f: ItemFacts) -> Arm | None:
    for arm in f.arms:
        if arm.pattern.startswith("Err"):
            return arm
    return None


def _ok_arm(f: ItemFacts) -> Arm | None:
    for arm in f.arms:
        if arm.pattern.startswith("Ok"):
            return arm
    return None


def _long_running(f: ItemFacts) -> bool:
    """A loop meant to run until shutdown, not a bounded retry or a one-shot call."""
    if not f.loops:
        return False
    if any(re.search(r"(?i)shut|cancel|stop", lp.condition) for lp in f.loops):
        return True
    if any(b.action == "break" for b in f.select_branches):
        return True
    returns_inside = any(
        arm.returns or "return" in " ".join(v for _, v in arm.sets) for arm in f.arms
    ) or bool(f.early_returns)
    outer = f.loops[0]
    return (
        outer.keyword == "loop"
        and not returns_inside
        and bool(f.intervals or f.sleeps or f.selects)
    )


def _is_db(ev: Evidence, idx: int) -> bool:
    for i in [idx, *ev.reach.get(idx, [])]:
        f = ev.facts.get(i)
        if f and (f.sql or any("Database" in ty or "Db" in ty for _, ty in f.params)):
            return True
    return False


def _log_place(f: ItemFacts, lg: Log) -> str:
    """Where a log sits in the task: before the loop, on a named failure, each pass, at the end."""
    for arm in f.arms:
        if lg in arm.logs and arm.pattern.startswith("Err"):
            return f"when {q(arm.scrutinee)} fails" if arm.scrutinee else "when a pass fails"
    for a, b, call in f.err_guards:
        if a <= lg.line <= b:
            return f"when {q(call)} fails" if call else "when a step fails"
    if f.loops:
        first = f.loops[0]
        if lg.line < first.line:
            return "once at startup"
        if lg.line > first.end_line:
            return "when the task stops"
        return "on each pass"
    return ""


def _launch_chain(ev: Evidence, idx: int) -> list[int]:
    """idx, then same-file callers upward until one that other files call (or none)."""
    chain = [idx]
    seen = {idx}
    cur = idx
    while cur not in ev.sites:
        ups = [c for c in ev.callers.get(cur, []) if c not in seen]
        if not ups:
            break
        # Prefer the caller that is itself a candidate: that is the path the task takes.
        ups.sort(key=lambda c: (c not in ev.candidates, c))
        cur = ups[0]
        seen.add(cur)
        chain.append(cur)
    return chain


def _hop(ev: Evidence, caller: int, callee: int) -> str:
    """`start` spawns `run_worker` with `tokio::spawn`, or plainly `a` calls `b`."""
    for site in ev.local_sites.get(callee, []):
        if site.caller != ev.name(caller):
            continue
        spawn = [w for w in site.wrappers if "spawn" in w]
        if spawn:
            return f"{q(ev.name(caller))} spawns {q(ev.name(callee))} with {q(spawn[0])}"
        joined = [w for w in site.wrappers if "join" in w or "select" in w]
        if joined:
            return f"{q(ev.name(caller))} awaits {q(ev.name(callee))} inside {q(joined[0])}"
    return f"{q(ev.name(caller))} calls {q(ev.name(callee))}"


def _site_phrase(site: CallSite) -> str:
    where = f"{q(site.caller)} in {q(site.file)}" if site.caller else q(site.file)
    wrappers = [w for w in site.wrappers if w != "async block"]
    inside_async = "async block" in site.wrappers
    how = "awaits it" if site.awaited else "calls it"
    if wrappers:
        w = wrappers[0]
        container = f"an async block that is one branch of {q(w)}" if inside_async else q(w)
        if w.startswith("tokio::spawn") or w.startswith("tokio::task::spawn"):
            container = f"a task started with {q(w)}"
        return f"{where} {how} inside {container}"
    return f"{where} {how} directly"


def _tokio_mechs(ev: Evidence, idx: int, exclude: int = -1) -> list[str]:
    """The tokio mechanisms a task really uses, itself or through its helpers (not ``exclude``)."""
    out: list[str] = []
    for i in [idx, *ev.reach.get(idx, [])]:
        f = ev.facts.get(i)
        if f is None or i == exclude:
            continue
        found = [s.written for s in f.sleeps + f.intervals + f.timeouts] + f.spawns
        if f.selects:
            found.append("tokio::select!")
        if f.joins:
            found.append("tokio::join!")
        for m in found:
            if m.startswith("tokio") and m not in out:
                out.append(m)
    return out


def _launch_sentence(ev: Evidence, idx: int, ph: Phraser, salt: str) -> str | None:
    chain = _launch_chain(ev, idx)
    top = chain[-1]
    sites = ev.sites.get(top, [])
    names = [ev.name(i) for i in chain]
    if len(chain) > 1 and not sites:
        mechs = _tokio_mechs(ev, top, exclude=idx)
        if mechs:
            hops = ", ".join(_hop(ev, chain[i + 1], chain[i]) for i in range(len(chain) - 1))
            return ph.pick(
                "launch-mechs",
                [
                    f"It serves a background loop: {hops}, and {q(names[-1])} paces itself with "
                    + " and ".join(q(m) for m in mechs[:2])
                    + ".",
                    f"Where it runs: {hops}; that task waits with "
                    + " and ".join(q(m) for m in mechs[:2])
                    + ", so this code runs between those waits.",
                ],
                salt,
            )
    if len(chain) > 1:
        hops = ", ".join(_hop(ev, chain[i + 1], chain[i]) for i in range(len(chain) - 1))
        lead = ph.pick(
            "launch-lead",
            [
                f"It only ever runs on the background path: {hops}",
                f"Following the callers up: {hops}",
                f"Its place in the task: {hops}",
            ],
            salt,
        )
    else:
        lead = ""
    if not sites:
        if ev.crate_root is None:
            return (lead + ".") if lead else None
        tail = (
            f"nothing else in the crate calls {q(names[-1])}, so how it is started is up to "
            "its caller"
        )
        return f"{lead}; {tail}." if lead else tail[0].upper() + tail[1:] + "."
    site = sites[0]
    phrase = _site_phrase(site)
    spawned = any(w.startswith(("tokio::spawn", "tokio::task::spawn")) for w in site.wrappers)
    joined = [w for w in site.wrappers if "join" in w]
    if joined and not spawned:
        after = ph.pick(
            "launch-join",
            [
                f"so it runs concurrently with the other branches of that {q(joined[0])} on the "
                "same task instead of on a spawned one",
                f"which keeps it off a task of its own: the branches of {q(joined[0])} are polled "
                "together, as one future",
                f"so the loop shares a task with the other {q(joined[0])} branches and only makes "
                "progress when it yields at an `.await`",
            ],
            salt,
        )
    elif spawned:
        after = "so it runs as its own tokio task, independent of the caller's future"
    else:
        after = "so it runs inline in that caller's future"
    core = f"{phrase}, {after}"
    if lead:
        return f"{lead}, and {core}."
    return core[0].upper() + core[1:] + "."


def _shutdown_bits(ev: Evidence, f: ItemFacts) -> dict[str, str]:
    bits: dict[str, str] = {}
    for loop in f.loops:
        if re.search(r"(?i)shut|cancel", loop.condition):
            bits["loop"] = f"{loop.keyword} {loop.condition}"
    for s in f.sleeps:
        if s.cancellable:
            bits["sleep_wrapper"] = s.cancellable
    for call in f.shutdown:
        name = call.strip(".()").split("::")[-1]
        ret = ev.crate_fn_returns.get(name)
        # The token the sleep is raced against, not the boolean flag the loop header reads.
        if ret and ret != "bool":
            bits.setdefault("token_type", ret)
            bits.setdefault("token_fn", call)
    for ret, _line in f.early_returns:
        bits.setdefault("return", ret)
    if "is_none" in f.idents:
        bits["is_none"] = "is_none"
    if "cancelled" in f.idents:
        bits["cancelled"] = "cancelled"
    if "is_cancelled" in f.idents:
        bits["is_cancelled"] = "is_cancelled"
    if "break" in f.idents:
        bits["break"] = "break"
    return bits


# -- focus builders -----------------------------------------------------------------------------
# Each takes (evidence, item index, phraser) and returns a Draft, or None without evidence.

Builder = Callable[[Evidence, int, Phraser], "Draft | None"]


def _where(ev: Evidence, idx: int) -> str:
    return f"{q(ev.name(idx))} in {q(ev.display)}"


def focus_schedule(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    var = _sleep_var(f)
    if var is None:
        return None
    branch = _schedule_branch(f, var)
    if branch is None:
        return None
    cond, then, other = branch
    idle_side, busy_side = (then, other) if other.strip() == "None" else (other, then)
    if busy_side.strip() != "None":
        return None
    idle = _value_consts(ev, f, idle_side)
    if not idle or not idle[0].is_duration:
        return None
    idle_c = idle[0]
    ok_arm = _ok_arm(f)
    batch = _batch_const(ev, f)
    init = dict(f.inits).get(var, "")
    pauses = _pause_calls(ev, f)
    name = ev.name(idx)
    batch_txt = human_int(batch.value) if batch and batch.value is not None else ""
    criteria = [
        f"after a pass that comes back short, wait {idle_c.human} before the next one",
        "after a full batch, start the next pass right away so a backlog drains quickly",
    ]
    if batch_txt:
        criteria[0] = f"after a pass that handles fewer than {batch_txt} rows, wait {idle_c.human}"
    ask = Ask(
        title=ph.pick(
            "t-schedule",
            [
                f"{name}: adapt the polling interval to how much work the last pass found",
                f"Variable polling schedule for {name}",
                f"Stop {name} from sleeping while a backlog is waiting",
            ],
        ),
        ask=f"Drive the wait between passes of {_where(ev, idx)} from the result of each pass.",
        criteria=criteria,
        symptom=(
            f"a fixed wait meant a big backlog drained one batch every {idle_c.human}"
            if batch_txt
            else f"a fixed {idle_c.human} wait let work pile up between passes"
        ),
        refactor=(f"replace a fixed sleep in {q(name)} with a schedule decided after each pass"),
    )
    think = [
        ph.pick(
            "sched-open",
            [
                f"The decision that matters in {q(name)} is how long to wait between passes, and "
                "the result of the pass already answers it.",
                f"{q(name)} should not poll on a fixed clock: each pass tells it whether there is "
                "more work waiting.",
            ],
        ),
        f"In the {q(ok_arm.pattern if ok_arm else 'Ok')} arm I set {q(var)} with "
        f"{q('if ' + cond)}: one side is {q(idle_side.strip())}, {idle_c.human}, and the other "
        f"is {q('None')}, which skips the wait so the next pass starts immediately.",
    ]
    if batch and batch.name in cond:
        passed = [c for c in f.calls if c.local_fn and batch.name in c.args]
        same = f", the same value {q(passed[0].written)} gets as its limit" if passed else ""
        think.append(
            f'The comparison is against {_cq(batch)}{same}, so a full batch is read as "there '
            'is probably more" and a short one as "caught up".'
        )
    if idle_c.comment:
        think.append(
            f"The comment on {q(idle_c.name)} says it plainly: "
            f"{_lower1(idle_c.comment).rstrip('.')}."
        )
    if init:
        if init.strip() == "None":
            think.append(
                f"{q(var)} starts as {q('None')}, so the first pass runs as soon as the task "
                "starts."
            )
        else:
            think.append(f"{q(var)} starts as {q(init)}, so even the first pass waits for it.")
    if pauses:
        mech, helper = pauses[0]
        if helper is None:
            think.append(
                f"The wait itself is {q(mech)}, an async timer, so the task yields its thread "
                "to the runtime while it naps instead of blocking it."
            )
        else:
            think.append(
                f"The wait goes through {q(mech)}, which wraps {q(helper.sleeps[0].written)}, so "
                "the task yields to the runtime while it naps."
            )
    return Draft(ask, think)


def focus_shutdown(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    bits = _shutdown_bits(ev, f)
    stop = next((b for b in f.select_branches if b.action == "break"), None)
    if (
        "loop" not in bits
        and "sleep_wrapper" not in bits
        and stop is None
        and not (_pause_calls(ev, f) and "cancelled" in ev.fs.text)
    ):
        return None
    name = ev.name(idx)
    pauses = _pause_calls(ev, f)
    think: list[str] = []
    criteria: list[str] = []
    if "loop" in bits:
        think.append(
            ph.pick(
                "shut-loop",
                [
                    f"{q(bits['loop'])} re-checks the process-wide shutdown flag before every "
                    "pass, so "
                    "once shutdown starts no new pass begins.",
                    f"The loop header is {q(bits['loop'])}: shutdown is checked before each pass "
                    "rather "
                    "than only once at startup.",
                ],
            )
        )
        criteria.append("check the shutdown flag before starting each pass")
    if "sleep_wrapper" in bits:
        wrapper = bits["sleep_wrapper"]
        tok = bits.get("token_fn", "")
        tok_type = bits.get("token_type", "")
        src = f"{q(tok)} (a {q(tok_type)})" if tok and tok_type else "the shutdown token"
        sent = (
            f"Checking the flag alone is not enough, because the loop may be in the middle of a "
            f"long nap; so the sleep is passed to {q(wrapper)} on {src}, which races it against "
            "cancellation."
        )
        think.append(sent)
        if "is_none" in bits and "return" in bits:
            think.append(
                f"When {q(wrapper)} yields {q('None')} the token fired before the timer, and the "
                f"loop does {q(bits['return'])} at once instead of sleeping out the rest of the "
                "wait."
            )
        criteria.append("wake from the idle wait as soon as shutdown is signalled")
    elif pauses and pauses[0][1] is not None and "cancelled" in ev.facts[pauses[0][1].index].idents:
        helper = pauses[0][1]
        think.append(
            f"The wait goes through {q(helper.name)}, whose {q('tokio::select!')} races "
            f"{q(helper.sleeps[0].written)} against {q('cancelled()')}, so a long nap ends the "
            "moment shutdown is signalled."
        )
        if "is_cancelled" in bits and "break" in bits:
            think.append(
                f"Right after the nap {q('is_cancelled()')} tells an early wake-up from a finished "
                f"timer, and the loop {q('break')}s instead of starting another pass."
            )
        criteria.append("wake from the idle wait as soon as shutdown is signalled")
    if stop is not None:
        think.append(
            ph.pick(
                "shut-select",
                [
                    f"The stop signal is a {q('tokio::select!')} branch: {q(stop.future)} sits "
                    "next to "
                    f"the timer, and when it completes the handler {q('break')}s out of the loop, "
                    "so the "
                    "task ends between passes rather than in the middle of one.",
                    f"I put {q(stop.future)} in the same {q('tokio::select!')} as the timer; its "
                    "handler "
                    f"is a {q('break')}, which means a stop request is honoured at the next wait, "
                    "never "
                    "halfway through a pass.",
                ],
                salt=name,
            )
        )
        criteria.append("leave the loop as soon as the stop signal fires")
    local = [c for c in f.calls if c.local_fn and c.awaited and not c.propagates]
    if local and ("sleep_wrapper" in bits or "loop" in bits):
        think.append(
            f"Only the wait is cancellable: the {q(local[-1].written)} call is awaited directly, "
            "so a pass already in flight finishes its statement rather than being cut off "
            "halfway."
        )
    if f.tail and f.loops:
        think.append(
            f"After the loop the function returns {q(f.tail)}, so a clean shutdown reads as "
            "success to whoever awaits the task."
        )
    if not think:
        return None
    ask = Ask(
        title=ph.pick(
            "t-shutdown",
            [
                f"{name} keeps the process alive during shutdown",
                f"Make {name} shutdown-aware, including while it sleeps",
                f"Graceful shutdown for {name}",
            ],
        ),
        ask=ph.pick(
            "a-shutdown",
            [
                f"Make {_where(ev, idx)} stop promptly when the server shuts down.",
                f"{_where(ev, idx)[:1].upper()}{_where(ev, idx)[1:]} has to exit quickly once we "
                "signal shutdown, even mid-wait.",
                f"Shutdown should not have to wait on {_where(ev, idx)}.",
            ],
            salt=name,
        ),
        criteria=criteria + ["return normally on shutdown, not as an error"],
        symptom="a deploy waited on the task, which was asleep and only noticed shutdown after "
        "its nap",
        refactor=f"thread the server's shutdown signal through {q(name)}, including its sleeps",
    )
    return Draft(ask, think)


def focus_errors(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    arm = _err_arm(f)
    if arm is None or not _long_running(f) or arm.returns:
        return None
    name = ev.name(idx)
    if arm.scrutinee:
        trouble = f"a failed {q(arm.scrutinee)} call"
    else:
        trouble = "a transient database error" if _is_db(ev, idx) else "a transient failure"
    delay = None
    for var, value in arm.sets:
        consts = _value_consts(ev, f, value)
        if consts and consts[0].is_duration:
            delay = (var, value, consts[0])
    logs = arm.logs
    think = [
        ph.pick(
            "err-open",
            [
                f"A failed pass must not end {q(name)}: the task is meant to keep running until "
                f"shutdown, and {trouble} is exactly what it will meet.",
                f"{q(name)} keeps running until shutdown, so one failed pass has to be survivable.",
            ],
        )
    ]
    log_txt = ""
    if logs:
        lg = logs[0]
        log_txt = f"{q(lg.macro + '!')}"
        think.append(
            f"The {q(arm.pattern)} arm logs the error with {log_txt} and does not return, so the "
            "error never leaves the loop."
        )
    if delay:
        var, value, c = delay
        what = "a database" if _is_db(ev, idx) else "a dependency"
        think.append(
            f"It then sets {q(var)} to {q(value)}, so the next attempt waits {c.human} — long "
            f"enough not to hammer {what} that is struggling, short enough to recover quickly "
            "once it is back."
        )
    loop_start = f.loops[0].line if f.loops else 0
    loop_end = f.loops[0].end_line if f.loops else 0
    inside = [ln for ln in f.question_lines if loop_start <= ln <= loop_end]
    before = [ln for ln in f.question_lines if ln < loop_start]
    prop = [c for c in f.calls if c.propagates and c.local_fn and c.line < loop_start]
    if before and not inside:
        on = f" (one on {q(prop[0].written)})" if prop else ""
        think.append(
            f"Every {q('?')} in the function sits before the loop{on}, so the task can fail "
            "at startup but not once it is running."
        )
    ask = Ask(
        title=ph.pick(
            "t-errors",
            [
                f"{name} dies on the first database error",
                f"Retry failed passes in {name} instead of exiting",
                f"Error handling for {name}",
            ],
        ),
        ask=ph.pick(
            "a-errors",
            [
                f"Keep {_where(ev, idx)} running when a pass fails.",
                f"A single failed pass should never stop {_where(ev, idx)}.",
                f"Make failures in {_where(ev, idx)} recoverable: log, wait, try again.",
            ],
            salt=name,
        ),
        criteria=[
            "log the failure with tracing and keep the loop alive"
            if logs
            else "keep the loop alive after a failure",
        ]
        + ([f"retry after {delay[2].human}, not immediately"] if delay else []),
        symptom=("a short database outage" if _is_db(ev, idx) else "a short upstream outage")
        + " made a pass fail and the task exited; it stayed down until the next restart",
        refactor=f"move error handling in {q(name)} into the loop so one bad pass is contained",
    )
    return Draft(ask, think)


def focus_startup(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    name = ev.name(idx)
    pre = [c for c in f.calls if c.local_fn and c.propagates]
    if not pre:
        return None
    check = pre[0]
    helper = _facts_by_name(ev, check.written)
    if helper is None or "bool" not in helper.returns:
        return None
    var = next((v for v, val in f.inits if check.written in val), None)
    infos = [lg for lg in f.logs if lg.level == "info"]
    think = [
        f"Before the loop starts, {q(name)} asks {q(check.written)} once"
        + (f" and keeps the answer in {q(var)}." if var else "."),
    ]
    if helper.doc_summary:
        think.append(
            f"That helper's doc says what it is for: {_lower1(helper.doc_summary).rstrip('.')}."
        )
    if "Background" in helper.doc or len(helper.doc.split("\n\n")) > 1:
        extra = [p for p in helper.doc.split("\n\n")[1:] if not p.startswith("#")]
        if extra:
            think.append(
                "Its longer doc gives the reason: " + extra[-1].replace("\n", " ").rstrip(".") + "."
            )
    if var:
        users = [c for c in f.calls if var in c.args]
        if users:
            think.append(
                f"{q(var)} is passed on to every {q(users[0].written)} call, so the expensive "
                "legacy work is skipped for the life of the task when the check says there is "
                "nothing there."
                if helper.sql
                else f"{q(var)} is passed on to every {q(users[0].written)} call."
            )
    if infos:
        think.append(
            f"When the check comes back false it logs {q(infos[0].macro + '!')} with "
            f'"{infos[0].message}" so an operator can see why that part is idle.'
        )
    if check.propagates:
        think.append(
            f"The check uses {q('?')}: if it fails, {q(name)} returns the error before the loop "
            "begins rather than guessing."
        )
    ask = Ask(
        title=ph.pick(
            "t-startup",
            [
                f"{name}: check once at startup whether the legacy work is still needed",
                f"Skip unneeded work in {name} after a one-time startup probe",
            ],
        ),
        ask=f"At the start of {_where(ev, idx)}, call {q(check.written)} once and use the answer "
        "for the rest of the task.",
        criteria=[
            f"call {q(check.written)} before the loop, not on every pass",
            "log at info level when the check says the work can be skipped",
            "fail the task start if the check itself errors",
        ],
        symptom="the cleaner kept running a statement on a table with nothing left to clean, on "
        "every pass",
        refactor=f"hoist the {q(check.written)} probe out of the loop in {q(name)}",
    )
    return Draft(ask, think)


def focus_batch(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    batch = _batch_const(ev, f)
    if batch is None:
        return None
    users = [c for c in f.calls if batch.name in c.args and c.local_fn]
    if not users:
        return None
    call = users[0]
    helper = _facts_by_name(ev, call.written)
    pos = call.args.index(batch.name)
    param = helper.params[pos][0] if helper and pos < len(helper.params) else ""
    name = ev.name(idx)
    think = [
        f"Each pass is bounded: {q(name)} passes {_cq(batch)} to {q(call.written)}"
        + (f" as its {q(param)} argument." if param else "."),
    ]
    if helper is not None:
        limited = [s for s in helper.sql if s.limit]
        if limited:
            verbs = " and ".join(f"the {s.verb} on {q(s.tables[0])}" for s in limited if s.tables)
            cap = "each cap their" if len(limited) > 1 else "caps its"
            think.append(
                f"Inside, {verbs} {cap} work with {q('LIMIT $1')}, so one pass touches "
                f"at most {human_int(batch.value or 0)} rows per statement and no single "
                "statement holds locks for long."
            )
        if any(s.skip_locked for s in helper.sql):
            think.append(
                f"{q('FOR UPDATE SKIP LOCKED')} lets a pass skip rows another connection already "
                "holds, so two server instances can run the cleaner at once without waiting on "
                "each other."
            )
    cmp = [x for x in f.comparisons if batch.name in x]
    if cmp:
        think.append(
            f"The same constant comes back in {q(cmp[0])}: the batch size is also the signal "
            "for whether to keep going."
        )
    ask = Ask(
        title=ph.pick(
            "t-batch",
            [
                f"Bound each {name} pass to {human_int(batch.value or 0)} rows",
                f"Batch size for {name}",
            ],
        ),
        ask=f"Have {_where(ev, idx)} work in batches of {human_int(batch.value or 0)} rows, "
        f"passed down to {q(call.written)}.",
        criteria=[
            f"a named batch-size constant of {human_int(batch.value or 0)}",
            "each statement limited to one batch",
            "rows locked by another instance are skipped, not waited on",
        ],
        symptom="one unbounded statement ran for minutes and held row locks the API needed",
        refactor=f"make the batch size an explicit constant in {q(name)} and pass it down",
    )
    return Draft(ask, think)


def focus_observability(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    levels = {lg.level for lg in f.logs}
    if len(levels) < 2 or not f.loops:
        return None
    name = ev.name(idx)
    think = [
        ph.pick(
            "obs-open",
            [
                f"A task nobody watches needs its logs to say what it is doing, so each event in "
                f"{q(name)} has its own level and its own moment.",
                f"I want {q(name)} to be debuggable from logs alone, without a metric for every "
                "branch.",
            ],
        )
    ]
    criteria: list[str] = []
    for lg in f.logs:
        place = _log_place(f, lg)
        msg = f' "{lg.message}"' if lg.message and lg.message != "{}" else ""
        fields = f", with {', '.join(q(x) for x in lg.fields)}" if lg.fields else ""
        think.append(f"{q(lg.macro + '!')}{msg} fires {place or 'in the task'}{fields}.")
        criteria.append(f"{lg.level}-level event {place}".rstrip())
    if f.timing and any("elapsed" in lg.fields for lg in f.logs):
        think.append(
            f"The duration comes from {q(f.timing[0] + '()')} taken before the pass, so a slow "
            "pass shows up in the logs without a separate metric."
        )
    guard = [x for x in f.comparisons if "> 0" in x]
    if guard and any(lg.level == "debug" for lg in f.logs):
        think.append(f"The per-pass line is guarded by {q(guard[0])}, so idle passes add no noise.")
    ask = Ask(
        title=ph.pick(
            "t-obs",
            [
                f"Logging for {name}",
                f"We can't tell what {name} is doing from the logs",
            ],
        ),
        ask=ph.pick(
            "a-obs",
            [
                f"Add tracing to {_where(ev, idx)} so its passes, failures and stops are visible.",
                f"Make {_where(ev, idx)} observable from the logs alone.",
                f"Instrument {_where(ev, idx)} with tracing events at the right levels.",
            ],
            salt=name,
        ),
        criteria=criteria,
        symptom="nobody could say whether the task was running, idle or failing",
        refactor=f"give {q(name)} structured tracing events instead of ad hoc prints",
    )
    return Draft(ask, think)


def _log_role(lg: Log) -> str:
    return {
        "info": "the startup decision",
        "error": "failed passes",
        "debug": "how much each pass did and how long it took",
        "warn": "recoverable problems",
        "trace": "step-by-step detail",
    }[lg.level]


def focus_launch(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    if idx not in ev.sites:
        return None
    f = ev.facts[idx]
    site = ev.sites[idx][0]
    name = ev.name(idx)
    launch = _launch_sentence(ev, idx, ph, "launch-focus")
    think = [
        f"{q(name)} is written as a plain {q('async fn')} returning {q(f.returns or '()')}: "
        "it does not start a task itself, and the caller decides how it runs.",
    ]
    if launch:
        think.append(launch)
    if f.loops:
        think.append(
            f"That makes the {q(f.loops[0].keyword)} loop's {q('.await')} points important: every "
            "wait hands control back, which is what lets the other branches progress."
        )
    if site.statement:
        think.append(f"The call itself is {q(site.statement)}.")
    ask = Ask(
        title=ph.pick(
            "t-launch",
            [
                f"Run {name} alongside the server",
                f"Wire {name} into server startup",
            ],
        ),
        ask=f"Write {_where(ev, idx)} as an async fn the server can await next to its other "
        f"long-running parts (it is awaited from {q(site.caller or site.file)}).",
        criteria=[
            "no task spawning inside the fn: the caller chooses how to run it",
            f"return {q(f.returns)} so the caller can report a failure"
            if f.returns
            else "return when done",
        ],
        symptom="the task was started in a way that hid its failures from the server",
        refactor=f"make {q(name)} a plain async fn awaited by {q(site.caller or site.file)}",
    )
    return Draft(ask, think)


def focus_sql_batch(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    limited = [s for s in f.sql if s.limit and s.verb in ("UPDATE", "DELETE")]
    if not limited:
        return None
    name = ev.name(idx)
    limit_param = next((p for p, ty in f.params if p == "limit" or "limit" in p), "")
    think = [
        f"{q(name)} is the unit of work of the background job: one call, one bounded batch.",
    ]
    for s in limited:
        table = q(s.tables[0]) if s.tables else "its table"
        extra = " and skips rows that are locked elsewhere" if s.skip_locked else ""
        think.append(
            f"The {s.verb} on {table} selects its ids in a subquery with {q('LIMIT $1')}{extra}."
        )
    if limit_param:
        think.append(
            f"{q('$1')} is bound from {q(limit_param)}, so the caller chooses the batch size."
        )
    callers = ev.callers.get(idx, [])
    for c in callers:
        cf = ev.facts[c]
        for call in cf.calls:
            if call.written == name and len(call.args) >= 2:
                b = _const_by_name(ev, cf, call.args[1]) if len(call.args) > 1 else None
                if b is not None and b.value is not None:
                    think.append(
                        f"{q(cf.name)} passes {_cq(b)}, so each statement touches at most "
                        f"{human_int(b.value)} rows per pass."
                    )
    if any(s.skip_locked for s in limited):
        think.append(
            f"{q('FOR UPDATE SKIP LOCKED')} is what makes it safe to run on more than one server "
            "at a time: concurrent passes take different rows instead of queueing on the same "
            "locks."
        )
    if f.tail and "rows_affected" in f.tail:
        think.append(
            f"It returns {q(f.tail)}, a row count the loop can compare with the batch size to "
            "decide whether to sleep."
        )
    ask = Ask(
        title=ph.pick(
            "t-sqlbatch",
            [
                f"{name}: process at most one batch per call",
                f"Batch and skip-locked semantics for {name}",
            ],
        ),
        ask=f"Implement {_where(ev, idx)} so each call handles at most one batch"
        + (f" of {q(limit_param)} rows." if limit_param else "."),
        criteria=[
            f"every {'/'.join(sorted({s.verb for s in limited}))} capped with {q('LIMIT')}",
            "rows held by another worker are skipped",
            "return how many rows were affected",
        ],
        symptom="two instances running the cleaner at once blocked on each other's row locks",
        refactor=f"split the batch SQL of {q(name)} so each statement is bounded and skip-locked",
    )
    return Draft(ask, think)


def focus_gate(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    if not f.let_branches or not f.bool_params_gating:
        return None
    var, cond, then, other = f.let_branches[0]
    if cond not in f.bool_params_gating:
        return None
    name = ev.name(idx)
    think = [
        f"{q(name)} takes {q(cond)} as a plain {q('bool')} rather than checking the database "
        "itself, so the decision is made once by the caller, not on every batch.",
        f"When it is false, {q(var)} is simply {q(other)} and the legacy statement never runs.",
    ]
    for cmt in f.comments:
        if "legacy" in cmt.lower():
            think.append(f"The comment there points to the reasoning: {_lower1(cmt).rstrip('.')}.")
            break
    callers = [ev.facts[c] for c in ev.callers.get(idx, [])]
    for cf in callers:
        for v, val in cf.inits:
            if any(v in call.args for call in cf.calls if call.written == name):
                think.append(f"{q(cf.name)} computes that flag as {q(v)} from {q(val)}.")
    if f.tail and var in f.tail:
        think.append(f"The total still includes the legacy count through {q(f.tail)}.")
    ask = Ask(
        title=ph.pick(
            "t-gate",
            [
                f"Let {name} skip the legacy table",
                f"Legacy cleanup in {name} should be optional",
            ],
        ),
        ask=f"Give {_where(ev, idx)} a {q(cond)} flag that turns the legacy statement on or off.",
        criteria=[
            "the legacy statement runs only when the flag is set",
            "the returned count adds both statements' rows",
        ],
        symptom="after the migration the legacy statement kept scanning a table that had "
        "nothing left to expire",
        refactor=f"move the legacy branch of {q(name)} behind a {q(cond)} parameter",
    )
    return Draft(ask, think)


def focus_timeout_tx(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    sets = [s for s in f.sql if s.verb == "SET" and "statement_timeout" in s.text]
    if not sets or "transaction" not in f.tags:
        return None
    name = ev.name(idx)
    methods = [m for m in ("begin", "execute", "query_one", "commit") if m in f.idents]
    value_m = re.search(r"statement_timeout\s*=\s*([^;\s'\"]+)", sets[0].text)
    value = value_m.group(1) if value_m else ""
    lifted = value == "0"
    local = "SET LOCAL" in sets[0].text.upper()
    if lifted:
        opener = ph.pick(
            "tx-open",
            [
                f"The background statements can run longer than the server's normal statement "
                f"timeout allows, so {q(name)} lifts it — but only for this one statement.",
                f"{q(name)} exists because a cleanup statement over a big table should not be "
                "killed by the timeout meant for API queries.",
            ],
            salt=name,
        )
    else:
        source = value.strip("{}") if value.startswith("{") else value
        opener = (
            f"{q(name)} gives one statement its own timeout, taken from {q(source)}, instead of "
            "the connection's default, so a background batch has a budget of its own."
        )
    think = [
        opener,
        f"It opens a transaction with {q('begin()')}, runs {q(sets[0].text)} and then the "
        "caller's statement on the same transaction"
        + (
            f": {q('SET LOCAL')} only lasts until the transaction ends, so the pooled connection "
            "goes back with its usual timeout."
            if local
            else "."
        ),
    ]
    if f.question_marks:
        think.append(
            f"Every step uses {q('?')}, so the first error goes back to the caller as "
            f"{q(f.returns)} and {q('commit()')} only runs after both statements succeeded."
            if "commit" in methods
            else f"Every step uses {q('?')}, so errors go back to the caller as {q(f.returns)}."
        )
    launch = _launch_sentence(ev, idx, ph, f"tx-{idx}")
    if launch:
        think.append(launch)
    use = "query_one" if "query_one" in f.idents else "execute"
    ask = Ask(
        title=ph.pick(
            "t-tx",
            [
                f"Long cleanup statements hit statement_timeout ({name})",
                f"Helper to run one statement without the statement timeout: {name}",
                f"{name}: scoped statement timeout override",
            ],
            salt=name,
        ),
        ask=ph.pick(
            "a-tx",
            [
                f"Add {_where(ev, idx)}: run one statement via {q(use)} with the statement timeout "
                "disabled for that statement only.",
                f"We need {_where(ev, idx)}, which runs a single {q(use)} with no statement "
                "timeout "
                "while leaving the connection's setting alone afterwards.",
                f"Write {_where(ev, idx)} so a long background {q(use)} is not cut off by the "
                "statement timeout.",
            ],
            salt=name,
        )
        if lifted
        else f"Add {_where(ev, idx)}: run one statement via {q(use)} under a statement timeout the "
        "caller chooses, scoped to that statement's transaction.",
        criteria=ph.pick(
            "c-tx",
            [
                "the override is scoped to a transaction with SET LOCAL|the transaction commits "
                "only "
                "when the statement succeeded|errors are returned to the caller, not swallowed",
                "lift the timeout with SET LOCAL inside its own transaction|commit after the "
                "statement, "
                "never before|hand any error back to the caller",
            ],
            salt=name,
        ).split("|"),
        symptom="the cleanup statement was cancelled by statement_timeout on a large table and "
        "the backlog never shrank"
        if lifted
        else "a runaway background statement held its connection far longer than any request would",
        refactor=f"pull the timeout override into {q(name)} so callers don't repeat it",
    )
    return Draft(ask, think)


def focus_probe(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    if "bool" not in f.returns or not f.sql:
        return None
    name = ev.name(idx)
    s = f.sql[0]
    think = [
        f"{q(name)} answers one yes/no question for the background job with {q(s.text)}"
        + (
            f": {f.doc_summary[0].lower() + f.doc_summary[1:].rstrip('.')}."
            if f.doc_summary
            else "."
        ),
    ]
    if "EXISTS" in s.text.upper() or s.limit:
        think.append(
            f"{q('EXISTS')} with {q('LIMIT 1')} lets the database stop at the first matching row, "
            "so the check stays cheap even on a large table."
            if "EXISTS" in s.text.upper() and s.limit
            else "The query stops early instead of counting rows, so the check stays cheap."
        )
    if f.error_conversions:
        conv = ", then ".join(q(x) for x in dict.fromkeys(f.error_conversions))
        think.append(
            f"Each way it can fail becomes an error for the caller through {conv}, so a missing "
            "row or a bad column is reported rather than read as false."
        )
    callers = [ev.facts[c] for c in ev.callers.get(idx, [])]
    for cf in callers:
        call = next((c for c in cf.calls if c.written == name), None)
        if call and call.propagates:
            think.append(
                f"{q(cf.name)} calls it once, before its loop, with {q('?')}: a failed check "
                "stops the task at startup instead of running it on a guess."
            )
    launch = _launch_sentence(ev, idx, ph, f"probe-{idx}")
    if launch:
        think.append(launch)
    ask = Ask(
        title=ph.pick(
            "t-probe",
            [
                f"Cheap startup probe: {name}",
                f"{name}: tell the cleaner whether legacy rows remain",
            ],
        ),
        ask=f"Write {_where(ev, idx)} returning {q(f.returns)}"
        + (
            f": it {_lower1(_first_sentence(f.doc_summary)).rstrip('.')}." if f.doc_summary else "."
        ),
        criteria=[
            "a single cheap existence query, not a count",
            "any failure is an error, never silently false",
        ],
        symptom="the background job could not tell at startup whether its work applied",
        refactor=f"extract the existence check into {q(name)}",
    )
    return Draft(ask, think)


def focus_two_statements(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    """A helper that runs statements on different tables, each its own way."""
    f = ev.facts[idx]
    writes = [x for x in f.sql if x.verb in ("UPDATE", "DELETE") and x.tables]
    if len(writes) < 2 or len({w.tables[0] for w in writes}) < 2:
        return None
    name = ev.name(idx)
    local = [c for c in f.calls if c.local_fn]
    think = [
        f"{q(name)} has two jobs that look alike but are not the same: "
        + " and ".join(f"{_article(w.verb)} {w.verb} on {q(w.tables[0])}" for w in writes)
        + ".",
    ]
    first, second = writes[0], writes[1]
    if "SET" in first.text and "NULL" in first.text.upper():
        think.append(
            f"On {q(first.tables[0])} the row stays and only the column is cleared "
            f"({q('SET payload = NULL')}), while on {q(second.tables[0])} the whole row goes "
            f"({q(second.verb)})."
            if "SET payload = NULL" in first.text
            else f"On {q(first.tables[0])} the statement clears values in place, while on "
            f"{q(second.tables[0])} it removes rows."
        )
    if local and "execute" in f.idents:
        think.append(
            f"Only the first goes through {q(local[0].written)}; the {second.verb} runs with a "
            f"plain {q('execute')} on the pool, so it keeps the normal statement timeout."
        )
    if f.bool_params_gating:
        think.append(f"The first is also the optional one, behind {q(f.bool_params_gating[0])}.")
    ask = Ask(
        title=ph.pick(
            "t-two",
            [
                f"{name}: expire payloads in both the old and the new table",
                f"Clean both payload locations in {name}",
            ],
        ),
        ask=f"Extend {_where(ev, idx)} to expire rows in "
        + " and ".join(q(w.tables[0]) for w in writes)
        + " in one call.",
        criteria=[f"{w.verb} on {q(w.tables[0])}, bounded by the same limit" for w in writes]
        + ["the two row counts are added up in the result"],
        symptom="payloads in the new table were never expired because only the old one was cleaned",
        refactor=f"make {q(name)} handle each table with its own statement",
    )
    return Draft(ask, think)


def focus_error_mapping(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    convs = list(dict.fromkeys(f.error_conversions))
    if len(convs) < 2:
        return None
    name = ev.name(idx)
    msgs = re.findall(
        r'Error::generic\((?:format_args!\()?"([^"]+)"', ev.fs.text[f.item.start : f.item.end]
    )
    think = [
        f"{q(name)} turns three different failures into one error type the background task "
        f"can report: the query failing ({q('?')}), no row coming back ({q(convs[0])}), and "
        f"the value not reading as the expected type ({q(convs[1])}).",
    ]
    if msgs:
        think.append(
            f'Both conversions say "{msgs[0]}", so a log line points at this check no matter '
            "which step broke."
            if len(set(m.split(":")[0] for m in msgs)) == 1
            else f'Each conversion carries its own message, starting with "{msgs[0]}".'
        )
    if f.returns:
        think.append(
            f"The signature returns {q(f.returns)}, so a broken check is never mistaken for "
            f"{q('false')}."
        )
    callers = [ev.facts[c] for c in ev.callers.get(idx, [])]
    for cf in callers:
        call = next((c for c in cf.calls if c.written == name), None)
        if call and call.propagates:
            think.append(
                f"{q(cf.name)} propagates it with {q('?')}, so the task refuses to start on an "
                "answer it cannot trust."
            )
    ask = Ask(
        title=ph.pick(
            "t-errmap",
            [
                f"{name} should never read a failure as false",
                f"Error reporting in {name}",
            ],
        ),
        ask=f"Make {_where(ev, idx)} report every failure as an error with a clear message.",
        criteria=[
            "a missing row is an error, not a default",
            "a value that can't be read is an error",
            "the message names the check",
        ],
        symptom="a failed existence check was treated as false and the legacy cleanup silently "
        "stopped",
        refactor=f"replace unwraps in {q(name)} with explicit error conversions",
    )
    return Draft(ask, think)


def focus_spawn(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    if not f.spawn_facts:
        return None
    sp = f.spawn_facts[0]
    name = ev.name(idx)
    runs = f" running {q(sp.runs)}" if sp.runs else ""
    think = [
        f"{q(name)} hands each unit of work to {q(sp.written)}{runs}, so each one is its own "
        "tokio task that the runtime schedules independently of the caller.",
    ]
    if "async move" in sp.arg:
        think.append(
            f"The future is an {q('async move')} block, so it owns what it captures; the "
            "clones made just before it are what each task gets."
            if "clone" in f.idents
            else f"The future is an {q('async move')} block, so it owns what it captures."
        )
    if "JoinHandle" in ev.fs.text:
        think.append(
            f"The {q('JoinHandle')}s are kept rather than dropped, so shutdown can wait for every "
            "task and notice one that panicked."
        )
    channel = next((x for x in ("watch", "broadcast", "CancellationToken") if x in f.idents), "")
    if channel:
        think.append(f"Every task gets its own handle on the {q(channel)} stop signal.")
    ask = Ask(
        title=ph.pick(
            "t-spawn",
            [
                f"{name}: one tokio task per worker",
                f"Start the workers as tasks in {name}",
            ],
        ),
        ask=f"Implement {_where(ev, idx)} so each worker runs as its own task"
        + (f" executing {q(sp.runs)}." if sp.runs else "."),
        criteria=["each worker is spawned on the runtime", "the task handles are kept"]
        + (["workers listen to a shared stop signal"] if channel else []),
        symptom="one slow worker held up all the others because they shared a single future",
        refactor=f"move the worker loop of {q(name)} onto spawned tasks",
    )
    return Draft(ask, think)


def focus_interval(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    if not f.intervals:
        return None
    iv = f.intervals[0]
    name = ev.name(idx)
    val = human_duration(iv.seconds) if iv.seconds else ""
    const = _const_by_name(ev, f, iv.arg)
    every = f"{_cq(const)}" if const else q(iv.arg)
    think = [
        ph.pick(
            "iv-open",
            [
                f"{q(name)} runs on a fixed cadence: {q(iv.written)} with {every}"
                + (f", so a tick every {val}." if val and not const else "."),
                f"The schedule is {q(f'{iv.written}({iv.arg})')}"
                + (f", one tick every {val}" if val else "")
                + ", not a sleep after each pass.",
            ],
        ),
        "With an interval the period is measured from tick to tick, so a slow pass does not "
        "push every later pass back the way a sleep after the work would.",
    ]
    if f.missed_tick:
        kind = f.missed_tick.split("::")[-1]
        meaning = {
            "Delay": "the next tick is pushed back to a full period after the late one, so an "
            "overrun never causes a burst of catch-up passes",
            "Skip": "ticks missed during a long pass are dropped and the schedule realigns to "
            "the original grid",
            "Burst": "missed ticks fire back to back to catch up",
        }.get(kind, "")
        if meaning:
            think.append(f"{q(f.missed_tick)} decides what happens after an overrun: {meaning}.")
    tick = next((b for b in f.select_branches if "tick" in b.future), None)
    if tick:
        think.append(
            f"The tick is one branch of a {q('tokio::select!')}, so waiting for it never blocks "
            "the stop signal."
        )
    ask = Ask(
        title=ph.pick(
            "t-interval",
            [
                f"Fixed cadence for {name}" + (f" ({val})" if val else ""),
                f"{name} drifts because it sleeps after each pass",
            ],
        ),
        ask=ph.pick(
            "a-interval",
            [
                f"Run {_where(ev, idx)} on a tokio interval" + (f" of {val}." if val else "."),
                f"Schedule {_where(ev, idx)} with a ticking interval"
                + (f" ({val})" if val else "")
                + " rather than sleeps.",
                f"We want {_where(ev, idx)} to keep a steady cadence"
                + (f" of one pass per {val}." if val else "."),
            ],
            salt=name,
        ),
        criteria=[f"one pass per tick{' every ' + val if val else ''}"]
        + ([f"use {q(f.missed_tick)} after an overrun"] if f.missed_tick else []),
        symptom="passes drifted later and later because each one slept after doing its work",
        refactor=f"replace the sleep in {q(name)} with an interval",
    )
    return Draft(ask, think)


def focus_select(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    if len(f.select_branches) < 2:
        return None
    name = ev.name(idx)
    parts = []
    for b in f.select_branches:
        doing = {
            "nothing": "falls through to the work after the select",
            "break": f"{q('break')}s out of the loop",
            "return": "returns",
            "work": "runs the pass",
        }[b.action]
        parts.append(f"{q(b.future)} {doing}" if b.future else f"the else branch {doing}")
    if all(b.action == "nothing" for b in f.select_branches):
        joined = " and ".join(q(b.future) for b in f.select_branches if b.future)
        opening = (
            f"{q(name)} races {joined} in one {q('tokio::select!')} whose handlers are empty: the "
            "select is only there to end the wait at whichever comes first."
        )
    else:
        opening = (
            f"{q(name)} waits on {len(f.select_branches)} futures at once with "
            f"{q('tokio::select!')}: " + "; ".join(parts) + "."
        )
    all_empty = all(b.action == "nothing" for b in f.select_branches)
    think = [
        opening,
        "Whichever completes first wins and the other is dropped, so the caller gets control "
        "back as soon as either the time is up or cancellation is requested."
        if all_empty
        else "Whichever completes first wins and the other is dropped, which is what makes "
        "shutdown prompt even while the task is idle between ticks.",
    ]
    stop = next((b for b in f.select_branches if b.action == "break"), None)
    if stop and "is_err" in stop.handler:
        think.append(
            f"The stop branch also breaks when {q('changed.is_err()')}, i.e. when the sender is "
            "gone, so a dropped pool cannot leave a worker running forever."
        )
    if all_empty:
        callers = [ev.name(c) for c in ev.callers.get(idx, [])]
        for_whom = f" for {q(callers[0])}" if callers else ""
        return Draft(
            Ask(
                title=ph.pick(
                    "t-select-wait",
                    [
                        f"Cancellable wait helper: {name}",
                        f"{name}: a sleep that shutdown can interrupt",
                    ],
                ),
                ask=f"Write {_where(ev, idx)}{for_whom}: wait for the given duration unless "
                "cancellation comes first.",
                criteria=[
                    "return when the timer fires",
                    "return as soon as cancellation is requested, without waiting out the timer",
                ],
                symptom="shutdown waited for the whole idle period because the sleep could not "
                "be interrupted",
                refactor=f"move the interruptible sleep into {q(name)}",
            ),
            think,
        )
    ask = Ask(
        title=ph.pick(
            "t-select",
            [
                f"{name} should react to shutdown between ticks",
                f"Race the schedule against shutdown in {name}",
            ],
        ),
        ask=ph.pick(
            "a-select",
            [
                f"In {_where(ev, idx)}, wait for the next tick and the stop signal together.",
                f"Let {_where(ev, idx)} notice the stop signal while it waits for work.",
                f"{_where(ev, idx)[:1].upper()}{_where(ev, idx)[1:]} should race its timer against "
                "the stop signal.",
            ],
            salt=name,
        ),
        criteria=[
            "the stop signal ends the loop even while waiting for the next tick",
            "the scheduled work runs when the tick fires",
        ],
        symptom="stopping the service took up to a whole period because the task was waiting "
        "on its timer",
        refactor=f"fold the tick and the shutdown check of {q(name)} into one select",
    )
    return Draft(ask, think)


def focus_timeout(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    if not f.timeouts:
        return None
    t = f.timeouts[0]
    name = ev.name(idx)
    const = _const_by_name(ev, f, t.arg)
    limit = _cq(const) if const else q(t.arg)
    think = [
        f"{q(name)} never waits on the network without a bound: the request goes through "
        f"{q(t.written)} with {limit}.",
    ]
    err_arm = next((a for a in f.arms if a.pattern.startswith("Err(_)")), None)
    if err_arm:
        think.append(
            f"The {q(err_arm.pattern)} arm is the elapsed deadline, and it becomes an ordinary "
            "error for the caller, so a hung peer looks like any other failure to the retry logic."
        )
    if f.joins:
        think.append(
            f"The bounded request and the other check run side by side in {q('tokio::join!')}, so "
            "the total wait is the slower of the two, not the sum."
        )
    ask = Ask(
        title=ph.pick(
            "t-timeout",
            [
                f"{name} hangs when the upstream never answers",
                f"Deadline for the request in {name}",
            ],
            salt=name,
        ),
        ask=f"Bound the outbound call in {_where(ev, idx)} with a timeout"
        + (f" of {const.human}." if const and const.value else "."),
        criteria=["an elapsed deadline is reported as an error"]
        + (["the timeout is a named constant"] if const else []),
        symptom="a worker sat on one request to an upstream that had stopped answering",
        refactor=f"wrap the request in {q(name)} in a tokio timeout",
    )
    return Draft(ask, think)


def focus_retry(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    if "retry-backoff" not in f.tags or not f.loops or not f.sleeps:
        return None
    name = ev.name(idx)
    sl = f.sleeps[0]
    think = [
        f"{q(name)} retries inside a {q(f.loops[0].keyword)} and sleeps with "
        f"{q(f'{sl.written}({sl.arg})')} between attempts, so a retry never blocks the runtime "
        "thread.",
    ]
    helper_name = sl.arg.split("(")[0] if "(" in sl.arg else ""
    helper = _facts_by_name(ev, helper_name) if helper_name else None
    if helper is not None:
        if helper.doc_summary:
            think.append(
                f"{q(helper.name)} sets the delay: {_lower1(helper.doc_summary).rstrip('.')}."
            )
        caps = [c for c in helper.consts if c.is_duration]
        if caps:
            think.append(
                f"The cap is {_cq(caps[0])}, so a long outage does not grow the wait without bound."
            )
    limits = [c for c in f.consts if not c.is_duration and c.value is not None]
    if limits:
        think.append(
            f"It gives up after {_cq(limits[0])} attempts and returns the last error, so the "
            "caller decides what a permanent failure means."
        )
    warn = [lg for arm in f.arms for lg in arm.logs]
    if warn:
        think.append(
            f"Each failed attempt is logged with {q(warn[0].macro + '!')}"
            + (f" including {', '.join(q(x) for x in warn[0].fields)}" if warn[0].fields else "")
            + "."
        )
    ask = Ask(
        title=ph.pick(
            "t-retry",
            [
                f"Exponential backoff for {name}",
                f"{name} retries in a tight loop",
            ],
        ),
        ask=f"Give {_where(ev, idx)} retries with a growing, capped delay.",
        criteria=[
            "wait between attempts with an async sleep",
            "stop after a fixed number of attempts",
        ]
        + (["log every failed attempt"] if warn else []),
        symptom="retries fired back to back and hammered an upstream that was already down",
        refactor=f"pull the retry policy of {q(name)} into a backoff helper",
    )
    return Draft(ask, think)


def focus_join(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    if not f.joins:
        return None
    name = ev.name(idx)
    think = [
        f"The two checks in {q(name)} don't depend on each other, so {q('tokio::join!')} runs "
        "them concurrently and waits for both: the total time is the slower one, not the sum.",
        f"{q('tokio::join!')} polls both futures on the current task, so nothing is spawned for a "
        "one-off check.",
    ]
    if f.timeouts:
        think.append(f"One side is bounded by {q(f.timeouts[0].written)}, so the join cannot hang.")
    ask = Ask(
        title=ph.pick("t-join", [f"Run the checks in {name} concurrently", f"{name} is slow"]),
        ask=f"Make {_where(ev, idx)} run its independent checks at the same time.",
        criteria=["both checks run concurrently", "the result needs both to pass"],
        symptom="the startup checks ran one after the other and doubled the startup time",
        refactor=f"join the checks in {q(name)} instead of awaiting them in turn",
    )
    return Draft(ask, think)


def focus_fallback(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    """For a candidate no specific focus covers: what it is for and what it really uses."""
    f = ev.facts[idx]
    name = ev.name(idx)
    think: list[str] = []
    if f.doc_summary:
        think.append(f"{q(name)} has one job: {_lower1(f.doc_summary).rstrip('.')}.")
    elif f.signature:
        think.append(f"{q(name)} is {q(f.signature)}.")
    tags = set(f.tags)
    if f.shutdown:
        think.append(
            f"It takes part in shutdown through {q(f.shutdown[0])}, so it has to leave the "
            "runtime in a state where the rest of the server can stop."
        )
    elif "shutdown" in tags and "JoinHandle" in ev.fs.text and "await" in f.idents:
        think.append(
            "On shutdown it waits for the tasks it owns instead of abandoning them, so nothing "
            "is cut off mid-operation."
        )
    for lp in f.loops[:1]:
        cond = f" {lp.condition}" if lp.condition else ""
        think.append(
            f"Its {q(lp.keyword + cond)} awaits inside, so every iteration gives the runtime a "
            "chance to run other tasks."
        )
    for sl in f.sleeps[:1]:
        think.append(f"It waits with {q(f'{sl.written}({sl.arg})')}, an async timer.")
    arm = _err_arm(f)
    if arm and arm.logs:
        think.append(
            f"Failures in the {q(arm.pattern)} arm are logged with {q(arm.logs[0].macro + '!')} "
            "rather than propagated."
        )
    elif f.logs and any(lg.level == "error" for lg in f.logs):
        lg = next(lg for lg in f.logs if lg.level == "error")
        think.append(f"Errors it cannot hand back are logged with {q(lg.macro + '!')}.")
    launch = _launch_sentence(ev, idx, ph, f"fallback-{idx}")
    if launch:
        think.append(launch)
    if len(think) < 2:
        return None
    ask = Ask(
        title=ph.pick(
            "t-fallback",
            [
                f"Implement {name}",
                f"{name} for the background workers",
            ],
            salt=name,
        ),
        ask=f"Write {_where(ev, idx)}"
        + (f": {_lower1(f.doc_summary).rstrip('.')}." if f.doc_summary else "."),
        criteria=[
            c
            for c in (
                "cooperate with shutdown" if "shutdown" in tags else "",
                "log failures instead of dropping them" if f.logs else "",
                "never block the runtime while waiting" if f.sleeps or f.loops else "",
            )
            if c
        ]
        or ["keep it async and non-blocking"],
        symptom=f"the background workers had no {name} and did this ad hoc",
        refactor=f"give {q(name)} a single clear responsibility",
    )
    return Draft(ask, think)


def focus_helper_role(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    """A helper framed around the background job it serves."""
    f = ev.facts[idx]
    callers = ev.callers.get(idx, [])
    if not callers or f.item.kind != "fn":
        return None
    name = ev.name(idx)
    cf = ev.facts[callers[0]]
    think = [
        f"{q(name)} exists for {q(cf.name)}"
        + (
            f", whose job is this: {cf.doc_summary[0].lower() + cf.doc_summary[1:].rstrip('.')}."
            if cf.doc_summary
            else "."
        ),
    ]
    if f.doc_summary:
        think.append(f"Its own contract: {_lower1(f.doc_summary).rstrip('.')}.")
    if f.returns:
        think.append(f"It returns {q(f.returns)}, which its caller handles.")
    launch = _launch_sentence(ev, idx, ph, f"role-{idx}")
    if launch:
        think.append(launch)
    ask = Ask(
        title=f"Helper for {cf.name}: {name}",
        ask=f"Add {_where(ev, idx)} for {q(cf.name)} to call.",
        criteria=[f"returns {q(f.returns)}" if f.returns else "no return value"],
        symptom=f"{cf.name} had this logic inline and it was hard to follow",
        refactor=f"extract {q(name)} from {q(cf.name)}",
    )
    return Draft(ask, think)


# Focus table: id, builder, whether it is about a candidate (True) or a helper (False), priority.
@dataclass(frozen=True)
class Focus:
    id: str
    builder: Builder
    for_candidates: bool
    priority: int
    with_helpers: bool = True


FOCUSES: tuple[Focus, ...] = (
    Focus("adaptive-schedule", focus_schedule, True, 10),
    Focus("shutdown", focus_shutdown, True, 9),
    Focus("error-backoff", focus_errors, True, 9),
    Focus("startup-check", focus_startup, True, 8),
    Focus("batch-size", focus_batch, True, 7),
    Focus("launch", focus_launch, True, 6),
    Focus("observability", focus_observability, True, 5),
    Focus("spawn", focus_spawn, True, 9),
    Focus("interval", focus_interval, True, 9),
    Focus("select", focus_select, True, 8),
    Focus("retry", focus_retry, True, 8),
    Focus("timeout", focus_timeout, True, 7),
    Focus("join", focus_join, True, 6),
    Focus("fallback", focus_fallback, True, 1),
    Focus("batch-sql", focus_sql_batch, False, 7),
    Focus("legacy-gate", focus_gate, False, 6),
    Focus("two-statements", focus_two_statements, False, 5),
    Focus("error-mapping", focus_error_mapping, False, 4),
    Focus("statement-timeout", focus_timeout_tx, False, 6),
    Focus("startup-probe", focus_probe, False, 6),
    Focus("helper-role", focus_helper_role, False, 2),
)


# -- request styles -----------------------------------------------------------------------------


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def render_request(style: str, a: Ask, ph: Phraser, salt: str) -> str:
    crit = [_cap(c) for c in a.criteria if c]
    if style == "github-issue":
        ctx = ph.pick(
            "gh-ctx",
            [
                "This came up while reviewing the background workers.",
                "Filing this so the background job behaves predictably in production.",
                "Raised in the last on-call review.",
                "Small, contained change; the behaviour below is what we want.",
            ],
            salt,
        )
        bullets = "\n".join(f"- [ ] {c}" for c in crit)
        return f"### {a.title}\n\n{ctx} {a.ask}\n\n**Acceptance criteria**\n{bullets}"
    if style == "infra-requirement":
        head = ph.pick(
            "infra-head",
            [
                "Infra requirement (svix-server background jobs):",
                "Platform requirement for the worker deployment:",
                "Ops requirement ahead of the next capacity review:",
            ],
            salt,
        )
        items = "\n".join(f"{i}. {c}." for i, c in enumerate(crit, 1))
        return f"{head} {a.ask}\n\nRequirements:\n{items}"
    if style == "internal-request":
        hello = ph.pick(
            "int-hello",
            [
                "Hey, could you pick this up?",
                "Quick one for whoever is on the server team this week.",
                "Can you take this next sprint?",
                "Request from the platform side.",
            ],
            salt,
        )
        details = "; ".join(_lower1(c) for c in crit)
        close = ph.pick(
            "int-close",
            [
                "Ping me if anything's unclear.",
                "Happy to review.",
                "No rush, but before the next release would be good.",
                "Thanks!",
            ],
            salt,
        )
        return f"{hello} {a.ask} Specifically: {details}. {close}"
    if style == "incident-follow-up":
        open_ = ph.pick(
            "inc-open",
            [
                "Incident follow-up:",
                "Action item from last week's postmortem:",
                "From the incident review:",
                "Postmortem follow-up:",
            ],
            salt,
        )
        details = "\n".join(f"- {c}" for c in crit)
        return f"{open_} {_cap(a.symptom)}. {a.ask}\n\nWhat we need:\n{details}"
    # refactor
    open_ = ph.pick(
        "ref-open",
        [
            "Refactor ask:",
            "Cleanup request:",
            "Tech-debt item:",
        ],
        salt,
    )
    keep = ph.pick(
        "ref-keep",
        [
            "Behaviour to end up with:",
            "It should end up doing this:",
            "Target behaviour:",
        ],
        salt,
    )
    details = "\n".join(f"- {c}" for c in crit)
    return f"{open_} {a.refactor}. {a.ask}\n\n{keep}\n{details}"


# -- assembling examples -------------------------------------------------------------------------


def _common_tail(ev: Evidence, idx: int, focus: str, ph: Phraser) -> list[str]:
    """Reasoning every example about a task should carry: how it is launched, if not yet said."""
    if focus in ("launch", "statement-timeout", "startup-probe", "helper-role", "join"):
        return []
    s = _launch_sentence(ev, idx, ph, f"tail-{focus}-{idx}")
    return [s] if s else []


def _pace_sentence(ev: Evidence, idx: int, ph: Phraser, salt: str) -> str | None:
    """How the task waits, named by its real tokio mechanisms (its own or a wait helper's)."""
    f = ev.facts[idx]
    own = [m for m in _tokio_mechs(ev, idx) if m in _tokio_mechs_own(f)]
    if own:
        return ph.pick(
            "pace-own",
            [
                f"The waiting is all tokio: {', '.join(q(m) for m in own[:3])}, so the task yields "
                "its thread whenever it has nothing to do.",
                f"Every wait goes through {', '.join(q(m) for m in own[:3])}, which park the task "
                "instead of blocking a runtime thread.",
            ],
            salt,
        )
    for call in f.calls:
        helper = _facts_by_name(ev, call.written) if call.local_fn else None
        if helper is None:
            continue
        mechs = _tokio_mechs_own(helper)
        if mechs:
            return ph.pick(
                "pace-helper",
                [
                    f"Its waits go through {q(helper.name)}, built on "
                    + " and ".join(q(m) for m in mechs[:2])
                    + ", so the task yields while it waits.",
                    f"{q(helper.name)} does the waiting for it, with "
                    + " and ".join(q(m) for m in mechs[:2])
                    + ".",
                ],
                salt,
            )
    return None


def _tokio_mechs_own(f: ItemFacts) -> list[str]:
    out = [s.written for s in f.sleeps + f.intervals + f.timeouts] + list(f.spawns)
    if f.selects:
        out.append("tokio::select!")
    if f.joins:
        out.append("tokio::join!")
    return [m for m in dict.fromkeys(out) if m.startswith("tokio")]


def _slices(ev: Evidence, idx: int) -> list[int]:
    items = [idx] + [j for j in ev.reach.get(idx, [])]
    return sorted(set(items), key=lambda i: ev.fs.items[i].start)


def _spans(ev: Evidence, items: list[int]) -> list[tuple[int, int]]:
    fs = ev.fs
    # Drop an item whose parent is also included: its text is already inside the parent.
    chosen = [i for i in items if fs.items[i].parent not in items]
    spans = [(fs.items[i].start, fs.items[i].end) for i in chosen]
    uses = needed_uses(fs, spans)
    return sorted(set(spans + use_runs(fs, uses)))


def _rule_ids(ev: Evidence, items: list[int]) -> list[str]:
    out: set[str] = set()
    for i in items:
        f = ev.facts.get(i)
        if f:
            out.update(f.rule_ids)
    return sorted(out)


def compose_examples(ev: Evidence, ph: Phraser, cap: int = 25) -> list[Example]:
    """All examples the evidence supports, most important first, capped per file."""
    drafts: list[tuple[tuple[int, int, int], Example, Draft]] = []
    style_i = random.Random(f"{ph.seed}|style|{ev.display}").randrange(len(STYLES))
    subjects = ev.subjects()
    for rank, idx in enumerate(subjects):
        is_cand = idx in ev.candidates
        produced = 0
        for focus in FOCUSES:
            if focus.for_candidates != is_cand:
                continue
            if focus.id in ("helper-role", "fallback") and produced:
                continue
            draft = focus.builder(ev, idx, ph)
            if draft is None or not draft.think:
                continue
            produced += 1
            items = _slices(ev, idx)
            ex = Example(
                primary=idx,
                focus=focus.id,
                style="",
                items=items,
                spans=_spans(ev, items),
                rules=_rule_ids(ev, items),
            )
            imp = (int(is_cand), focus.priority, -rank)
            drafts.append((imp, ex, draft))
    # Composites: the whole module's background machinery.
    if len(subjects) >= 2:
        module_items = sorted(
            {i for s in subjects for i in _slices(ev, s)}, key=lambda i: ev.fs.items[i].start
        )
        d = _module_draft(ev, ph)
        if d is not None:
            ex = Example(
                subjects[0],
                "module",
                "",
                module_items,
                _spans(ev, module_items),
                _rule_ids(ev, module_items),
            )
            drafts.append(((1, 7, 0), ex, d))
    # Composites: helpers that do the same job for different callers, shown side by side.
    groups: dict[tuple[str, ...], list[int]] = {}
    for h in ev.helpers:
        fh = ev.facts[h]
        if fh.item.kind == "fn" and fh.tags:
            groups.setdefault(tuple(fh.tags), []).append(h)
    for members in groups.values():
        if len(members) < 2:
            continue
        d = _pair_draft(ev, members, ph)
        if d is None:
            continue
        pair_items = sorted(
            {i for m in members for i in _slices(ev, m)}, key=lambda i: ev.fs.items[i].start
        )
        ex = Example(
            members[0],
            "helper-pair",
            "",
            pair_items,
            _spans(ev, pair_items),
            _rule_ids(ev, pair_items),
        )
        drafts.append(((0, 5, 0), ex, d))
    drafts.sort(key=lambda x: x[0], reverse=True)
    chosen = drafts[:cap]
    out: list[Example] = []
    for n, (imp, ex, draft) in enumerate(chosen):
        ex.style = STYLES[(style_i + n) % len(STYLES)]
        salt = f"{ex.focus}|{ev.name(ex.primary)}"
        ex.user = render_request(ex.style, draft.ask, ph, salt)
        tail = _common_tail(ev, ex.primary, ex.focus, ph)
        parts = draft.think + [t for t in tail if t not in draft.think]
        if not any("tokio" in p for p in parts):
            pace = _pace_sentence(ev, ex.primary, ph, salt)
            if pace:
                parts.append(pace)
        ex.think = " ".join(parts)
        ex.code = assemble_code(ev.fs.text, ex.spans)
        ex.importance = imp
        out.append(ex)
    return out


def _pair_draft(ev: Evidence, members: list[int], ph: Phraser) -> Draft | None:
    fs = [ev.facts[m] for m in members]
    names = [f.name for f in fs]
    shared_sql = {s.text for s in fs[0].sql}
    for f in fs[1:]:
        shared_sql &= {s.text for s in f.sql}
    if not shared_sql:
        return None
    stmt = sorted(shared_sql)[0]
    callers = []
    for m in members:
        cs = ev.callers.get(m, [])
        callers.append(ev.name(cs[0]) if cs else "")
    think = [
        f"{' and '.join(q(n) for n in names)} are the same idea for two call shapes: both run "
        f"{q(stmt)} inside a transaction before the caller's statement.",
        "They differ only in what comes back: "
        + "; ".join(f"{q(f.name)} returns {q(f.returns)}" for f in fs)
        + ".",
    ]
    pairs = [f"{q(c)} uses {q(n)}" for n, c in zip(names, callers, strict=True) if c]
    if pairs:
        think.append(
            "Each has one caller on the background path: " + " and ".join(pairs) + ", so the "
            "timeout override never leaks into request-serving code."
        )
    think.append(
        "Keeping them as two small functions instead of one generic one keeps the return types "
        "plain for the callers."
    )
    ask = Ask(
        title=ph.pick(
            "t-pair",
            [
                f"Timeout-free statement helpers: {', '.join(names)}",
                "Two helpers to run background statements without the statement timeout",
            ],
        ),
        ask=f"Add {' and '.join(q(n) for n in names)} to {q(ev.display)}: one per call shape, "
        "both with the statement timeout lifted for a single transaction.",
        criteria=[f"{q(f.name)} returns {q(f.returns)}" for f in fs]
        + ["the timeout override ends with the transaction"],
        symptom="the background statements and the existence check both hit the statement "
        "timeout on a large table",
        refactor="share the timeout override between the execute and query paths",
    )
    return Draft(ask, think)


def _module_draft(ev: Evidence, ph: Phraser) -> Draft | None:
    if not ev.candidates:
        return None
    subjects = ev.subjects()
    entries = [i for i in subjects if not ev.callers.get(i) and ev.fs.items[i].kind == "fn"]
    main = ev.candidates[0]
    f = ev.facts[main]
    roles: list[str] = []
    for i in sorted(subjects, key=lambda j: ev.fs.items[j].start):
        fi = ev.facts[i]
        calls = [ev.name(j) for j in ev.reach.get(i, []) if j in subjects][:3]
        role = q(fi.name)
        if fi.doc_summary:
            role += f" ({_lower1(_first_sentence(fi.doc_summary)).rstrip('.')})"
        if calls:
            role += " uses " + ", ".join(q(c) for c in calls)
        roles.append(role)
    think = [
        f"{q(ev.display)} is one background job split into small pieces, each with one step to "
        "do, so each can be reasoned about (and reviewed) alone.",
        "In source order: " + "; ".join(roles) + ".",
    ]
    if entries:
        think.append(
            "The entry point"
            + ("s are " if len(entries) > 1 else " is ")
            + ", ".join(q(ev.name(e)) for e in entries)
            + "; everything else is only reached through "
            + ("them." if len(entries) > 1 else "it.")
        )
    consts = [c for c in f.consts if c.value is not None]
    if consts:
        where = "next to the loop that uses them" if all(c.local for c in consts) else "as consts"
        think.append(f"The tunables are named {where}: " + ", ".join(_cq(c) for c in consts) + ".")
    launch = _launch_sentence(ev, main, ph, "module")
    if launch:
        think.append(launch)
    names = [ev.name(i) for i in subjects]
    ask = Ask(
        title=ph.pick(
            "t-module",
            [
                f"Background job module: {ev.module}",
                f"Implement {ev.module} end to end",
                f"Split {ev.module} into a driver and helpers",
            ],
        ),
        ask=f"Write the {q(ev.display)} module: " + ", ".join(q(n) for n in names) + ".",
        criteria=[
            "entry point"
            + ("s: " if len(entries) > 1 else ": ")
            + ", ".join(q(ev.name(e)) for e in entries)
            if entries
            else "one entry point",
            "each helper does one step and returns its errors",
            "tunable values are named constants",
        ],
        symptom="the background job was one long function that nobody wanted to touch",
        refactor="split the background job into small functions, one step each",
    )
    return Draft(ask, think)


_ = (Sql, field)  # re-exported types used in annotations elsewhere
