"""Examples from claims: choose subjects and foci, pick the claims each example says, render.

The flow for one file: facts and the crate index give claims per item (``claims``); selection and
foci (``focus``) decide which (subject, focus) pairs make an example and which claims it says; the
code block is whole slices (``codeblock``); the wording tables (``wording``) turn claims into a
request and a think, through ``render``, which keeps a trace of every value it filled in.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from .checks import RUN_MAX_SHARE, shared_runs, word_runs
from .claims import Claim, FileContext, claims_for
from .claims.core import LIST_SEP
from .codeblock import CodeBlock, build_code, module_allowed
from .focus import FOCI, FocusDef, is_helper_logic, is_task
from .render import SHARED_CONTEXT, Fill, Rendered, Renderer, Row
from .wording.requests import (
    ASKS,
    BARE_FRAMES,
    CRITERIA,
    FRAMES,
    PREMISE,
    REFACTORS,
    SCENARIOS,
    STYLE_WORDS,
    STYLES,
    SYMPTOMS,
    TITLES,
    WHY,
)
from .wording.think import MODULE_THINK, OPENERS, THINK, TOKIO, USED_BY

__all__ = ["Example", "Plan", "compose_examples", "plan_examples", "subjects_of", "STYLES"]

MIN_SENTENCES = 2  # claim sentences a think needs beyond its opener
MIN_CRITERIA = 2  # a request with one bullet reads like a template, not an issue
CLAIM_REUSE = 2  # examples of one subject a claim may appear in (beyond those it is premise of)
MAX_REQUEST_CODE = 28  # longest code span a request may quote (longer is pasting code)
MAX_THINK_CODE = 64  # a think quotes conditions and calls, not whole expressions


@dataclass
class Plan:
    subject: int
    focus: str
    claims: list[Claim]  # what the think may say, in order
    premise: list[Claim]  # what the request asks for
    items: list[int]  # items whose code the example carries as subjects (a module: several)
    priority: tuple[int, int, int]
    role: str = "task"
    turn: int = 0  # this plan's place among its subject's plans (rotates wording variants)
    # For each claim, how many earlier plans of the same subject say it: the n-th saying of a
    # claim takes the n-th variant after its own starting point, so two examples of one subject
    # never word one claim the same way when its row has enough variants.
    nth: dict[Claim, int] = field(default_factory=dict)
    tokio: list[Claim] = field(default_factory=list)  # claims to name tokio with, if needed
    # The subject's place among the file's subjects, and among those with an example of this
    # focus: records of one file spread over the variants instead of meeting by chance.
    spread: int = 0
    focus_spread: int = 0


@dataclass
class Example:
    primary: int
    focus: str
    style: str
    key: str
    block: CodeBlock
    rules: list[str]
    user: str = ""
    think: str = ""
    claims: list[Claim] = field(default_factory=list)
    fills: list[Fill] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # the record's fn and file

    @property
    def code(self) -> str:
        return self.block.text

    @property
    def spans(self) -> list[tuple[int, int]]:
        return [(s.start, s.end) for s in self.block.slices]


def _claims(ctx: FileContext) -> dict[int, list[Claim]]:
    out: dict[int, list[Claim]] = {}
    for idx, f in ctx.facts.items():
        if f.kind == "fn" and not f.item.is_test:
            out[idx] = claims_for(ctx, idx)
    return out


def _callees(ctx: FileContext, idx: int) -> list[int]:
    """Same-file fns item ``idx`` calls by name (not methods, not parameters)."""
    f = ctx.facts[idx]
    out: list[int] = []
    for c in f.calls:
        if c.kind != "fn" or "::" in c.written and not c.written.startswith(("self::", "crate::")):
            continue
        callee = ctx.local_fn(c.written.split("::")[-1])
        if callee is not None and callee.index != idx and callee.index not in out:
            out.append(callee.index)
    return out


# Parameter types that mark an HTTP request handler (axum extractors): handlers are never
# subjects, though a task they spawn is.
_HANDLER_PARAM = re.compile(
    r"^(?:State|Path|Json|Query|Form|Extension|TypedHeader|ValidatedJson|ValidatedQuery)<"
)


def _is_main(ctx: FileContext, idx: int) -> bool:
    """A binary's `main` starts the process; it is not a background task of its own."""
    it = ctx.fs.items[idx]
    return it.name == "main" and it.parent is None and ctx.fs.source.path.name == "main.rs"


def is_request_handler(ctx: FileContext, idx: int) -> bool:
    return any(_HANDLER_PARAM.match(ty) for _, ty in ctx.facts[idx].params)


def is_poll_fn(ctx: FileContext, idx: int) -> bool:
    """A hand-written future or stream (`fn poll_next(.., cx: &mut Context) -> Poll<..>`): it
    never waits, it returns `Pending`, and a timer inside is polled, not slept on. Its loop
    and its `sleep` read like a task's but are not, so it is never a subject."""
    f = ctx.facts[idx]
    returns_poll = re.match(r"(?:std::task::|core::task::|task::)?Poll\s*<", f.returns.strip())
    takes_cx = any(re.search(r"\bContext\b", ty) for _, ty in f.params)
    return bool(returns_poll) or takes_cx and "Poll" in f.returns


def subjects_of(ctx: FileContext, claims: dict[int, list[Claim]]) -> tuple[list[int], list[int]]:
    """(tasks, helpers): items with mechanics of their own, and same-file fns on a task's path
    that carry scheduling, retry, batching, shutdown or failure-handling logic themselves."""
    tasks = [
        i
        for i, cl in claims.items()
        if is_task(cl)
        and not is_request_handler(ctx, i)
        and not _is_main(ctx, i)
        and not is_poll_fn(ctx, i)
    ]
    reach: list[int] = []
    frontier = list(tasks)
    while frontier:
        nxt = []
        for i in frontier:
            for j in _callees(ctx, i):
                if j not in reach and j not in tasks:
                    reach.append(j)
                    nxt.append(j)
        frontier = nxt
    # A helper a request handler also calls is on the HTTP path as much as on the background
    # one: what it does with an error is decided for the handler too, so it is not a subject.
    handlers = [i for i in claims if is_request_handler(ctx, i)]
    on_http = {j for h in handlers for j in _callees(ctx, h)}
    helpers = sorted(j for j in reach if is_helper_logic(claims.get(j, [])) and j not in on_http)
    return tasks, helpers


def _used_by(ctx: FileContext, idx: int, claims: dict[int, list[Claim]]) -> list[Claim]:
    """How same-file callers treat helper ``idx``'s result and failures: their claims that name
    the call (said with the caller named, from the USED_BY table), and the wait an error arm
    that catches it sets."""
    name = ctx.facts[idx].name
    out: list[Claim] = []
    for t, cl in claims.items():
        if t == idx or idx not in _callees(ctx, t):
            continue
        arms = [c for c in cl if c.kind == "err_arm" and name in c.get("call").split(LIST_SEP)]
        out += [c for c in cl if c in arms or (c.kind == "batch" and c.get("callee") == name)]
        patterns = {a.get("pattern") for a in arms}
        out += [c for c in cl if c.kind == "error_wait" and c.get("arm") in patterns]
    return out


def _focus_claims(
    ctx: FileContext, fd: FocusDef, idx: int, claims: dict[int, list[Claim]]
) -> list[Claim]:
    own = claims.get(idx, [])
    extra: list[Claim] = []
    if fd.callee_kinds:
        for j in _callees(ctx, idx):
            extra += [c for c in claims.get(j, []) if c.kind in fd.callee_kinds]
    if fd.role == "helper":
        extra += _used_by(ctx, idx, claims)
    pool = own + extra
    out: list[Claim] = []
    for entry in fd.says:
        # `kind` or `kind:flag` (only claims of that kind carrying the flag).
        kind, _, flag = entry.partition(":")
        out += [
            c for c in pool if c.kind == kind and (not flag or flag in c.flags) and c not in out
        ]
    return out


def plan_examples(ctx: FileContext, claims: dict[int, list[Claim]] | None = None) -> list[Plan]:
    claims = _claims(ctx) if claims is None else claims
    tasks, helpers = subjects_of(ctx, claims)
    plans: list[Plan] = []
    for idx in tasks + helpers:
        role = "task" if idx in tasks else "helper"
        richness = len(claims[idx])
        for fd in FOCI:
            if fd.role != role or not fd.applies(claims[idx]):
                continue
            if fd.caller_requires and not all(
                any(c.kind == k for c in _used_by(ctx, idx, claims)) for k in fd.caller_requires
            ):
                continue
            premise = fd.premise(claims[idx])
            if not premise:
                continue
            said = _focus_claims(ctx, fd, idx, claims)
            plans.append(
                Plan(
                    idx,
                    fd.id,
                    said,
                    premise,
                    [idx],
                    (int(role == "task"), fd.priority, richness),
                    role,
                )
            )
    plans = _drop_twins(ctx, plans)
    subjects = tasks + helpers
    if len(subjects) >= 2 and module_allowed(ctx.fs):
        module_says: list[Claim] = []
        for idx in subjects:
            for fd in FOCI:
                premise = (
                    fd.premise(claims[idx])
                    if fd.role == ("task" if idx in tasks else "helper")
                    else []
                )
                if premise:
                    module_says.append(premise[0])
                    break
        # The richest task drives the module example (its key and its wording).
        driver = max(tasks, key=lambda t: (len(claims[t]), -t)) if tasks else subjects[0]
        # A whole-module example carries the whole module: every non-test item at file level.
        whole = [i for i, it in enumerate(ctx.fs.items) if it.parent is None and not it.is_test]
        module = Plan(driver, "module", module_says, module_says, whole, (1, 7, len(module_says)))
        module.tokio = _tokio_claims(module, claims.get(driver, []), {})
        plans.append(module)
    for subject in {p.subject for p in plans}:
        mine = sorted(
            (p for p in plans if p.subject == subject and p.focus != "module"),
            key=lambda p: p.priority,
            reverse=True,
        )
        used: dict[Claim, int] = {}
        for n, p in enumerate(mine):
            p.turn = n
            # A claim is said in at most two examples about one subject (its premise always),
            # so the examples of one subject differ in what they say, not only in how.
            p.claims = [c for c in p.claims if c in p.premise or used.get(c, 0) < CLAIM_REUSE]
            p.tokio = _tokio_claims(p, claims.get(subject, []), used)
            needs_aside = not any("tokio::" in v for c in p.claims for _, v in c.slots)
            for c in [*p.claims, *(p.tokio[:1] if needs_aside else [])]:
                # A callee's claim said in its caller's example starts one variant on from
                # the callee's own examples, so the two records do not share the sentence.
                borrowed = int(c.subject != ctx.fs.items[subject].name)
                p.nth[c] = used.get(c, 0) + _shared_offset(c, claims) + borrowed
                used[c] = used.get(c, 0) + 1
    order = sorted({p.subject for p in plans})
    for p in plans:
        p.spread = order.index(p.subject)
        same = sorted({q.subject for q in plans if q.focus == p.focus})
        p.focus_spread = same.index(p.subject)
    return plans


def _shared_offset(c: Claim, claims: dict[int, list[Claim]]) -> int:
    """Where a task's context is the same for several helpers of a file (all run in the task
    `queue_handler` spawns per delivery), each helper starts at its own variant: its place
    among the helpers sharing that context, by name."""
    if c.kind not in SHARED_CONTEXT:
        return 0
    sig = tuple(kv for kv in c.slots if kv[0] not in ("chain",))
    sharing = sorted(
        {
            o.subject
            for cl in claims.values()
            for o in cl
            if o.kind == c.kind and tuple(kv for kv in o.slots if kv[0] != "chain") == sig
        }
    )
    return sharing.index(c.subject) if c.subject in sharing else 0


def _tokio_claims(plan: Plan, pool: list[Claim], used: dict[Claim, int]) -> list[Claim]:
    """When none of a plan's claims carries a tokio mechanism, the claim that will name the one
    the subject (or the task it runs in) really uses: the least said so far among them, so the
    aside is not the same sentence in every example of the subject."""
    kinds = TOKIO_KINDS[plan.role]
    found = [
        c
        for c in pool
        if c.kind in kinds and c not in plan.claims and any("tokio::" in v for _, v in c.slots)
    ]
    # Claims of the plan itself come last: their own sentence may not have named tokio.
    found.sort(key=lambda c: (used.get(c, 0), kinds.index(c.kind)))
    return found + [c for c in plan.claims if any("tokio::" in v for _, v in c.slots)]


def _shape(plan: Plan) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(sorted((c.kind, tuple(sorted(c.flags))) for c in plan.claims))


def _drop_twins(ctx: FileContext, plans: list[Plan]) -> list[Plan]:
    """Two methods of one impl that do the same thing (`ack` and `nack`) would make examples
    that differ only in a name: of plans with the same focus and the same shape of claims, the
    first method's stays."""
    kept: list[Plan] = []
    for p in plans:
        parent = ctx.fs.items[p.subject].parent
        twin = parent is not None and any(
            k.focus == p.focus
            and k.subject != p.subject
            and ctx.fs.items[k.subject].parent == parent
            and _shape(k) == _shape(p)
            for k in kept
        )
        if not twin:
            kept.append(p)
    return kept


def _key(ctx: FileContext, plan: Plan) -> str:
    parts = []
    for item in [plan.subject]:
        name = ctx.fs.items[item].name
        same = [i for i, it in enumerate(ctx.fs.items) if it.name == name and not it.is_test]
        nth = same.index(item) if item in same else 0
        parts.append(f"{name}#{nth}")
    return f"{ctx.display}|{'+'.join(parts)}|{plan.focus}"


def _style(seed: int, key: str) -> str:
    h = hashlib.sha256(f"{seed}|style|{key}".encode()).digest()
    return STYLES[h[0] % len(STYLES)]


# Claim kinds that name the tokio mechanism a subject (or the task around it) really uses, tried in
# this order when a think would otherwise not mention tokio at all. A task names its own waits; a
# helper the task it runs in. Where a task itself runs is said in concurrency examples only.
TOKIO_KINDS = {
    "task": (
        # What claims mean together, first: a reason that names tokio beats a bare aside.
        "wait_after_pass",
        "join_waits_all",
        "interval",
        "sleep",
        "shutdown_wait",
        "timeout",
        "select",
        "spawn",
        "join",
        "callee_waits",
        "runs_in",
    ),
    "helper": ("on_path", "runs_in", "callee_waits"),
}


def _render_think(r: Renderer, plan: Plan, pool: list[Claim], out: Rendered) -> list[str]:
    sentences: list[str] = []
    table = MODULE_THINK if plan.focus == "module" else THINK
    for n, c in enumerate(plan.claims):
        # A claim about the task that calls this helper is said with that task named.
        caller_side = plan.role == "helper" and c.subject != r.context["fn"]
        rows = USED_BY if caller_side else table
        s = r.claim(rows, c, f"think|{n}", out, nth=plan.nth.get(c, 0), accept=_fits_think)
        if s and s not in sentences:
            sentences.append(s)
    if sentences and not any("tokio" in s for s in sentences):
        for c in plan.tokio:
            for rows in (TOKIO, THINK):
                probe = Rendered("")
                s = r.claim(
                    rows,
                    c,
                    "think|tokio",
                    probe,
                    dry=True,
                    nth=plan.nth.get(c, 0),
                    accept=_fits_think,
                )
                if "tokio" in s:
                    r.claim(rows, c, "think|tokio", out, nth=plan.nth.get(c, 0), accept=_fits_think)
                    sentences.append(s)
                    return sentences
    return sentences


def _criteria(
    r: Renderer,
    plan: Plan,
    out: Rendered,
    skip: Claim | None = None,
    limit: int = MAX_REQUEST_CODE,
    dry: bool = False,
) -> list[str]:
    crit: list[str] = []
    kinds: set[str] = set()
    # Arms whose logging is already asked for (by the premise sentence or a criterion).
    logged_arms: set[tuple[str, str]] = set()
    if skip is not None and (skip.kind == "log" or "logs" in skip.flags):
        logged_arms.add(_logged_arm(skip))
    # What claims mean together comes right after the premise: it is the most specific ask.
    rest = [c for c in plan.claims if c not in plan.premise]
    ordered = (
        plan.premise
        + [c for c in rest if c.kind in _SCENARIO_FIRST]
        + [c for c in rest if c.kind not in _SCENARIO_FIRST]
    )
    for n, c in enumerate(ordered):
        if c == skip:
            continue  # already the request's central sentence
        # One criterion per claim kind (two statements with LIMIT ask for the same thing).
        if c.kind in kinds and c.kind not in ("log", "join_branch"):
            continue
        # What the calling task does is not something to ask of this helper.
        if plan.role == "helper" and c.subject != r.context["fn"]:
            continue
        # A criterion behind three conditions or more reads like code, not like a request
        # (kept only in the fallback, when nothing shorter can be asked).
        if len(c.get("guard").split(LIST_SEP)) > 2 and limit <= MAX_REQUEST_CODE:
            continue
        # An error arm that logs and the log line in that arm are one requirement, asked once.
        arm = _logged_arm(c)
        if arm[0] and arm in logged_arms:
            continue
        # A request names code, it does not paste it: no long expression in a criterion.
        probe = Rendered("")

        def short(fills: list[Fill]) -> bool:
            return _no_paste(fills, limit)

        s = r.claim(CRITERIA, c, f"crit|{n}", probe, dry=True, nth=plan.nth.get(c), accept=short)
        if not s or s in crit:
            continue
        if not dry:
            r.claim(CRITERIA, c, f"crit|{n}", out, nth=plan.nth.get(c), accept=short)
        crit.append(s)
        kinds.add(c.kind)
        if arm[0] and (c.kind == "log" or "logs" in c.flags):
            logged_arms.add(arm)
    return crit[:4]


def _logged_arm(c: Claim) -> tuple[str, str]:
    """(arm, level) of an error arm that logs, or of a log line in an arm: the two say one
    requirement. The level tells apart two arms written alike (`Err(err)`) in one fn."""
    if c.kind == "err_arm":
        return c.get("pattern"), c.get("level")
    if c.kind == "log":
        return c.get("arm"), c.get("level")
    return "", ""


def _fits_think(fills: list[Fill]) -> bool:
    return not any(f.code and len(f.value) > MAX_THINK_CODE for f in fills)


def _no_paste(fills: list[Fill], limit: int = MAX_REQUEST_CODE) -> bool:
    """No code a request should not quote: a long expression, or a log format string with its
    placeholders (“expired {} payloads” is the code's text, not a person's words)."""
    return not any(
        (f.code and _pasted(f.value, limit)) or (not f.code and "{" in f.value) for f in fills
    )


def _pasted(code: str, limit: int = MAX_REQUEST_CODE) -> bool:
    """A code span a request should not quote: an expression longer than a short one. A name or
    path (`enable_legacy_message_cleaner`, `tokio::time::sleep`) of any length is fine."""
    return len(code) > limit and not re.fullmatch(r"[\w:.!]+(\(\))?", code)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s and not s.startswith("`") else s


def _options(entries: tuple[str | tuple[str, str], ...], plan: Plan) -> list[str]:
    """A focus's texts that hold for this plan: plain ones always, and `(text, kinds)` ones when
    the plan says a claim of one of those kinds (a story about a nap needs a wait to cut short)."""
    said = plan.claims + plan.premise
    out = []
    for e in entries:
        if isinstance(e, str):
            out.append(e)
            continue
        for alternative in e[1].split():
            if all(_said(said, need) for need in alternative.split("+")):
                out.append(e[0])
                break
    return out


def _said(claims: list[Claim], need: str) -> bool:
    """`kind`, `kind:flag`, or `kind:-flag` (a claim of the kind without the flag)."""
    kind, _, flag = need.partition(":")
    if flag.startswith("-"):
        return any(c.kind == kind and flag[1:] not in c.flags for c in claims)
    return any(c.kind == kind and (not flag or flag in c.flags) for c in claims)


def _premise(r: Renderer, plan: Plan, out: Rendered) -> tuple[str, Claim | None]:
    """The premise said in the request's own words, when a row can say it, and its claim."""
    for c in plan.premise:
        if plan.role == "helper" and c.subject != r.context["fn"]:
            continue
        probe = Rendered("")
        said = r.claim(PREMISE, c, "premise", probe, dry=True, accept=_no_paste)
        if said:
            r.claim(PREMISE, c, "premise", out, accept=_no_paste)
            out.premise_said = 1
            return said, c
    return "", None


# Claim kinds that say what other claims mean together: a request's reason may come from them.
_SCENARIO_FIRST = (
    "pass_runs_out",
    "steady_error",
    "idle_latency",
    "join_waits_all",
    "timed_after_wait",
    "local_timeout",
)


def _scenario(r: Renderer, plan: Plan, out: Rendered) -> str:
    """A situation this code must get right, from a claim of the plan ("" when no row fits)."""
    # What the plan's claims mean together first (the most specific situation), then the
    # premise: the reason must be about what is asked; other claims are about something else.
    implied = [c for c in plan.premise + plan.claims if c.kind in _SCENARIO_FIRST]
    ordered = implied + [c for c in plan.premise if c not in implied]
    if plan.focus == "module":
        ordered += [c for c in plan.claims if c not in ordered]
    for c in ordered:
        if plan.role == "helper" and c.subject != r.context["fn"]:
            continue
        probe = Rendered("")
        if r.claim(SCENARIOS, c, "scenario", probe, dry=True, accept=_no_paste):
            return r.claim(SCENARIOS, c, "scenario", out, accept=_no_paste)
    return ""


def _render_request(
    r: Renderer, plan: Plan, style: str, crit: list[str], premise: str, out: Rendered
) -> str:
    f = plan.focus
    title = r.plain(_options(TITLES[f], plan), "title", out)
    ask = r.plain(_options(ASKS[f], plan), "ask", out)
    if premise:
        ask = f"{ask} {premise}"
    scenario = _scenario(r, plan, out)
    why = _cap(scenario) + "." if scenario else r.plain(_options(WHY[f], plan), "why", out)
    symptom = scenario or r.plain(_options(SYMPTOMS[f], plan), "symptom", out)
    refactor = r.plain(_options(REFACTORS[f], plan), "refactor", out)
    # Salted with the focus: records of one file differ in focus, so their openers and
    # sign-offs differ too (with the file's salt alone they all picked the same ones).
    words = {k: r.choose(v, f"style|{k}|{f}") for k, v in STYLE_WORDS[style].items()}
    fields = {
        "title": title,
        "ask": ask,
        "why": why,
        "symptom": _cap(symptom),
        "refactor": refactor[:1].upper() + refactor[1:]
        if not refactor.startswith("`")
        else refactor,
        "refactor_lc": refactor,
        "checklist": "\n".join(f"- [ ] {_cap(c)}" for c in crit),
        "numbered": "\n".join(f"{i}. {_cap(c)}." for i, c in enumerate(crit, 1)),
        "bullets": "\n".join(f"- {_cap(c)}" for c in crit),
        "inline": "; ".join(crit),
        **words,
    }
    frame = r.choose(FRAMES[style] if crit else BARE_FRAMES[style], f"frame|{f}")
    return frame.format(**fields)


def render_plan(
    ctx: FileContext, plan: Plan, seed: int, pool: list[Claim], bump: int = 0
) -> tuple[str, str, str, Rendered, dict[str, str]] | None:
    """(style, request, think, trace) for one plan, or None when too little can be said."""
    key = _key(ctx, plan)
    names = {"fn": ctx.fs.items[plan.subject].name, "file": ctx.display}
    base = f"{ctx.display}|{names['fn']}"
    r = Renderer(
        seed,
        key,
        names,
        base=base,
        turn=plan.turn,
        family=ctx.display,
        # A bump moves every choice on by a step, for a record whose first wording repeats
        # its neighbours'.
        spread=(plan.spread * 2 + bump, plan.focus_spread + bump),
    )
    out = Rendered("")
    sentences = _render_think(r, plan, pool, out)
    # The fallback focus may be short: it is the only example its subject gets.
    if len(sentences) < (1 if plan.focus == "task" else MIN_SENTENCES):
        return None
    if plan.focus != "module" and not any(c in out.claims for c in plan.premise):
        return None  # a focus whose own claim cannot be said has nothing to be about
    premise = _premise(r, plan, out)
    limit = MAX_REQUEST_CODE
    if not out.premise_said and len(_criteria(r, plan, out, premise[1], limit, dry=True)) < 2:
        # No premise sentence and too little to ask in short spans: allow a condition as long
        # as a think may quote.
        limit = MAX_THINK_CODE
    crit = _criteria(r, plan, out, premise[1], limit)
    # A request may be its premise sentence alone (one clear requirement, no list under it);
    # without that sentence it needs criteria. SPEC: every task of a file gets an example.
    lone = out.premise_said == 1
    if not crit and not lone:
        return None
    opener = r.plain(_options(OPENERS[plan.focus], plan), "opener", out)
    think = " ".join([opener, *sentences])
    style = _style(seed, key)
    user = _render_request(r, plan, style, crit, premise[0], out)
    # Two requirements at least: the premise sentence counts as one.
    if len(crit) + out.premise_said < MIN_CRITERIA and not lone:
        return None
    return style, user, think, out, names


def compose_examples(ctx: FileContext, seed: int = 0, cap: int = 25) -> list[Example]:
    """All examples the claims support for one file, most important first, capped."""
    claims = _claims(ctx)
    plans = plan_examples(ctx, claims)
    plans.sort(key=lambda p: p.priority, reverse=True)
    out: list[Example] = []
    covered: set[int] = set()
    for plan in plans:
        if len(out) >= cap:
            break
        if plan.focus == "task" and plan.subject in covered:
            continue  # the fallback is for tasks no other focus could speak about
        rendered = _render_distinct(
            ctx, plan, seed, claims.get(plan.subject, []), out, min(cap, len(plans))
        )
        if rendered is None:
            continue
        style, user, think, trace, names = rendered
        # Claims about callees need the callee's code in the block; claims about the task that
        # calls a helper are context for a reader, not code the helper needs.
        callees = set(_callees(ctx, plan.subject))
        extra = sorted(
            {_index_of(ctx, c.subject) for c in trace.claims}
            & (callees | set(plan.items)) - {plan.subject, -1}
        )
        block = build_code(ctx.fs, plan.items, extra)
        rules = sorted({h.rule for i in plan.items for h in ctx.fs.hits[i]})
        ex = Example(
            plan.subject,
            plan.focus,
            style,
            _key(ctx, plan),
            block,
            rules,
            user,
            think,
            trace.claims,
            trace.fills,
            names,
        )
        out.append(ex)
        covered.add(plan.subject)
    return _keep_runs_in_bounds(out)


# How many other wordings a record may try when its first one repeats an 8-word run of the
# file's earlier records too often.
MAX_BUMPS = 6


def _render_distinct(
    ctx: FileContext,
    plan: Plan,
    seed: int,
    pool: list[Claim],
    earlier: list[Example],
    expected: int,
) -> tuple[str, str, str, Rendered, dict[str, str]] | None:
    """The plan rendered so that no 8-word run is in more than a quarter of the file's
    ``expected`` requests or thinks (counting at least four records, as ``checks.run_errors``
    does): the first wording that keeps to that, or None. Earlier records never change for a
    later one."""
    for bump in range(MAX_BUMPS + 1):
        rendered = render_plan(ctx, plan, seed, pool, bump)
        if rendered is None:
            return None
        _, user, think, _, _ = rendered
        if all(
            _within_run_limit(text, [getattr(e, part) for e in earlier], expected)
            for part, text in (("user", user), ("think", think))
        ):
            return rendered
    return None


def _within_run_limit(text: str, others: list[str], expected: int) -> bool:
    limit = RUN_MAX_SHARE * max(len(others) + 1, expected, 4)
    seen = [word_runs(o) for o in others]
    return all(1 + sum(run in s for s in seen) <= limit for run in word_runs(text))


def _keep_runs_in_bounds(examples: list[Example]) -> list[Example]:
    """Fewer records came out than expected: while a run is in more than a quarter of them, the
    last record that has it goes (the earlier ones stay as they are)."""
    out = list(examples)
    while len(out) >= 4:
        worst = None
        for part in ("user", "think"):
            share, run = shared_runs([getattr(e, part) for e in out])
            if share > RUN_MAX_SHARE:
                worst = (part, run)
                break
        if worst is None:
            break
        part, run = worst
        last = max(i for i, e in enumerate(out) if run in word_runs(getattr(e, part)))
        del out[last]
    return out


def _index_of(ctx: FileContext, name: str) -> int:
    f = ctx.local_fn(name)
    return f.index if f is not None else -1


_ = Row  # re-exported for wording tests
