"""Examples from plans: render each plan (``plan``) into a request and a think, with its code.

The flow for one file: facts and the crate index give claims per item (``claims``); selection and
foci (``focus``) decide which (subject, focus) pairs make an example and which claims it says; the
code block is whole slices (``codeblock``); the wording tables (``wording``) turn claims into a
request and a think, through ``render``, which keeps a trace of every value it filled in.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .checks import RUN_MAX_SHARE, shared_runs, word_runs
from .claims import Claim, FileContext
from .claims.component import component_of
from .claims.core import LIST_SEP
from .codeblock import CodeBlock, build_code
from .plan import (
    Plan,
    _callees,
    _claims,
    is_poll_fn,
    is_request_handler,
    plan_examples,
    subjects_of,
)
from .render import Fill, Rendered, Renderer, Row
from .wording.requests import (
    ASKS,
    BARE_FRAMES,
    CONTEXT,
    CRITERIA,
    FRAMES,
    NOTES,
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

__all__ = [
    "Example",
    "Plan",
    "compose_examples",
    "plan_examples",
    "subjects_of",
    "is_poll_fn",
    "is_request_handler",
    "STYLES",
]

MIN_SENTENCES = 2  # claim sentences a think needs beyond its opener
MIN_CRITERIA = 2  # a request with one bullet reads like a template, not an issue
MAX_REQUEST_CODE = 28  # longest code span a request may quote (longer is pasting code)
MAX_THINK_CODE = 64  # a think quotes conditions and calls, not whole expressions
MAX_CRITERIA = 4  # more requirements than this reads like a spec sheet, not a request


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


def _key(ctx: FileContext, plan: Plan) -> str:
    parts = []
    for item in [plan.subject]:
        name = ctx.fs.items[item].name
        same = [i for i, it in enumerate(ctx.fs.items) if it.name == name and not it.is_test]
        nth = same.index(item) if item in same else 0
        parts.append(f"{name}#{nth}")
    return f"{ctx.display}|{'+'.join(parts)}|{plan.focus}"


# Foci whose request is "write this": an incident story does not lead to writing a whole file.
_NO_INCIDENT = frozenset({"module", "task"})


def _style(seed: int, key: str, focus: str = "") -> str:
    h = hashlib.sha256(f"{seed}|style|{key}".encode()).digest()
    styles = [s for s in STYLES if not (focus in _NO_INCIDENT and s == "incident-follow-up")]
    return styles[h[0] % len(styles)]


# Claim kinds that name the tokio mechanism a subject (or the task around it) really uses, tried in
# this order when a think would otherwise not mention tokio at all. A task names its own waits; a
# helper the task it runs in. Where a task itself runs is said in concurrency examples only.
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
    most: int = MAX_CRITERIA,
    also: Claim | None = None,
    said: str = "",
) -> list[str]:
    crit: list[str] = []
    said_stems = _stems(said)
    picked: list[tuple[int, Claim, Callable[[list[Fill]], bool], bool]] = []
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
    # A request asks only for what the think then reasons about: a criterion whose claim the
    # think could not say would be a requirement nobody addresses.
    in_think = list(out.claims)
    for n, c in enumerate(ordered):
        if c == skip:
            continue  # already the request's central sentence
        if c not in in_think:
            continue
        # One criterion per claim kind (two statements with LIMIT ask for the same thing).
        if c.kind in kinds and c.kind not in ("log", "join_branch"):
            continue
        # What the calling task does is not something to ask of this helper.
        if plan.role == "helper" and c.subject != r.context["fn"]:
            continue
        # A criterion behind three conditions or more reads like code, not like a request
        # (blind read 17 scored one 1 for realism); a helper with nothing else to ask is left
        # without an example rather than given that request.
        if len(c.get("guard").split(LIST_SEP)) > 2:
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
        # The request's reason says this claim already; only a test of it adds something.
        if c == also and not s.lower().startswith("a test"):
            continue
        if said_stems and _restates(s, said_stems):
            continue  # the premise sentence asked for this in other words
        crit.append(s)
        picked.append((n, c, short, _quotes_expression(probe.fills)))
        kinds.add(c.kind)
        if arm[0] and (c.kind == "log" or "logs" in c.flags):
            logged_arms.add(arm)
    # Criteria in words before criteria that quote an expression (`rows_affected > 0`): a
    # maintainer writes the behaviour, and quotes code only when nothing else says it.
    keep = sorted(range(len(crit)), key=lambda i: picked[i][3])[:most]
    if not dry:
        for i in sorted(keep):
            n, c, accept, _ = picked[i]
            r.claim(CRITERIA, c, f"crit|{n}", out, nth=plan.nth.get(c), accept=accept)
    return [crit[i] for i in sorted(keep)]


def _stems(text: str) -> set[str]:
    return {w[:4].lower() for w in re.findall(r"[A-Za-z]{4,}", text)}


def _restates(criterion: str, said: set[str]) -> bool:
    """A criterion nearly all of whose words (by their first four letters) the premise sentence's
    ``said`` stems already have: "do not wait for the spawned work before returning" after "hand
    the work to a `tokio::spawn` task ... and return without waiting for it"."""
    words = _stems(criterion)
    return len(words) >= 3 and len(words & said) >= 0.8 * len(words)


def _quotes_expression(fills: list[Fill]) -> bool:
    return any(f.code and not re.fullmatch(r"[\w:.!]+(\(\))?", f.value) for f in fills)


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


def _tied(entries: tuple[str | tuple[str, str], ...], plan: Plan) -> list[str]:
    """The texts of ``entries`` that are tied to a claim kind the plan says."""
    return _options(tuple(e for e in entries if isinstance(e, tuple)), plan)


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


# Claim kinds that are not a request's premise but whose situation can be its reason.
_SCENARIO_ALSO = ("linear_backoff", "select", "keeps", "run_cap", "err_arm", "task_comment")


# Scenario rows of these kinds say again what the premise sentence of the same claim asks
# ("whoever calls it gets its result straight away" after "do not wait for the spawned task"):
# as the reason of that request they repeat it, so the reason comes from another claim.
_RESTATES = frozenset(
    {
        "spawn",
        "backoff",
        "timeout",
        "err_arm",
        "error_wait",
        "first_pass",
        "shutdown_branch",
        "propagate",
        "callee_waits",
        "join",
        "schedule_step",
    }
)


def _scenario_claim(
    r: Renderer, plan: Plan, premise: Claim | None = None, pool: Sequence[Claim] = ()
) -> Claim | None:
    """The claim a request's reason comes from: a situation this code must get right (None
    when no row fits)."""
    # What the plan's claims mean together first (the most specific situation), then the
    # premise: the reason must be about what is asked; other claims are about something else.
    implied = [c for c in plan.premise + plan.claims if c.kind in _SCENARIO_FIRST]
    ordered = implied + [c for c in plan.premise if c not in implied]
    # Then claims whose situation is a reason of its own (a backoff that grows and resets).
    ordered += [c for c in plan.claims if c.kind in _SCENARIO_ALSO and c not in ordered]
    if plan.focus == "module":
        ordered += [c for c in plan.claims if c not in ordered]
    # Last, the author's doc comment on the subject, when it is about waiting or looping: a
    # reason in the author's words rather than the focus's stock line.
    # Once per subject (its first plan): one quote in several requests of a file is a repeated
    # run, and the later records would be dropped for it.
    if plan.turn == 0:
        ordered += [c for c in pool if c.kind == "doc" and "purpose" in c.flags]
    for c in ordered:
        if plan.role == "helper" and c.subject != r.context["fn"]:
            continue
        # A detached task that logs its own failures gives a reason the premise does not say
        # (what its caller sees when the work fails).
        own = c.kind == "spawn" and {"detached", "logs-failures"} <= c.flags
        if c is premise and c.kind in _RESTATES and not c.get("dep") and not own:
            continue
        if premise is not None and c is not premise and c.kind == premise.kind == "spawn":
            # Another claim of the premise's kind (a second spawn): a reason about it reads as
            # a non sequitur before an ask about the first.
            continue
        accept: Callable[[list[Fill]], bool] = _no_paste
        if c is premise and c.kind in _RESTATES and c.get("dep"):
            # The premise's own claim is a reason only through what it adds: the dependency
            # ("when Redis goes away ..."); a row without it says the premise again.
            accept = _naming(c.get("dep"))
        probe = Rendered("")
        if r.claim(SCENARIOS, c, "scenario", probe, dry=True, accept=accept):
            return c
    return None


def _naming(value: str) -> Callable[[list[Fill]], bool]:
    def accept(fills: list[Fill]) -> bool:
        return _no_paste(fills) and any(f.value == value for f in fills)

    return accept


def _note(r: Renderer, plan: Plan, pool: list[Claim]) -> Claim | None:
    """The subject's n-th FIXME or TODO for its n-th plan (none once they run out), so the
    same quote does not close every request about one fn."""
    notes = [c for c in pool if c.kind == "note" and c.subject == r.context["fn"]]
    if plan.turn >= len(notes) or plan.focus == "module":
        return None
    return notes[plan.turn]


_WRITES = re.compile(r"(?:Write|Implement|Please write|We need|Add)\b")


def _render_request(
    r: Renderer,
    plan: Plan,
    style: str,
    crit: list[str],
    premise: tuple[str, Claim | None],
    out: Rendered,
    reason: Claim | None = None,
    note: Claim | None = None,
    context: Claim | None = None,
) -> str:
    f = plan.focus
    title = r.plain(_options(TITLES[f], plan), "title", out)
    if not premise[0]:
        asks = _options(ASKS[f], plan)
        if style == "refactor":
            # "Refactor: X. Write Y." asks for new code right after saying the code exists.
            asks = [a for a in asks if not _WRITES.match(a)] or asks
        ask = _cap(r.plain(asks, "ask", out))
    else:
        # The requirement says itself, with its subject: a stock ask in front of it ("Go over
        # what X does when one of its steps errors.") read as a form's first line, and as the
        # same point said twice (blind reads counted five of one shape in a file).
        who = r.context["who"]
        if premise[0].startswith("It "):
            ask = _cap(who) + premise[0][2:]
        elif premise[0].startswith("Its "):
            ask = f"In {who}, its {premise[0][4:]}"
        else:
            lead = (
                premise[0]
                if premise[0].startswith("`")
                else premise[0][:1].lower() + premise[0][1:]
            )
            ask = f"In {who}, {lead}"
    accept: Callable[[list[Fill]], bool] = _no_paste
    if (
        reason is not None
        and reason is premise[1]
        and reason.kind in _RESTATES
        and reason.get("dep")
    ):
        accept = _naming(reason.get("dep"))
    scenario = r.claim(SCENARIOS, reason, "scenario", out, accept=accept) if reason else ""
    # Without a situation from the code, only a stock reason tied to one of the plan's claims
    # is said; the unconditional ones ("Shutdown has to start somewhere.") read as filler in
    # every blind read, and a request with no stated reason reads better than one with filler.
    why = _cap(scenario) + "." if scenario else r.plain(_tied(WHY[f], plan), "why", out)
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
        "sentences": " ".join(f"{_cap(c)}." for c in crit),
        **words,
    }
    if len(crit) == 1:
        # A list of one reads like a form with one field filled in: say it in the prose.
        fields["ask"] = f"{fields['ask']} {_cap(crit[0])}."
        crit = []
    frame = r.choose(FRAMES[style] if crit else BARE_FRAMES[style], f"frame|{f}")
    text = _tidy(frame.format(**fields))
    if note is not None:
        # The author's own FIXME, left out of scope: what a maintainer adds under an ask.
        said = r.claim(NOTES, note, "note", out)
        text = f"{text}\n\n{said}" if "\n" in text else f"{text} {said}"
    elif context is not None and (plan.turn == 1 or plan.alone or plan.focus == "task"):
        # Who calls it in the crate, once per subject: on its second request, or on its only
        # one. Not where the request names the caller already.
        callers = context.get("callers").split(LIST_SEP)
        if not any(f"`{c}`" in text for c in callers):
            said = r.claim(CONTEXT, context, "context", out)
            if said:
                text = f"{text}\n\n{said}" if "\n" in text else f"{text} {said}"
    return text


def _tidy(text: str) -> str:
    """A frame filled with an empty field: no doubled spaces, no blank paragraph, no space at a
    line's ends."""
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = "\n".join(line.strip(" ") for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _who(r: Renderer, ctx: FileContext, fn: str, focus: str) -> str:
    """How the request names its subject: by the fn, its component, or its file, chosen per
    record (a path in every request read as a form filled in)."""
    forms = [f"`{fn}` in `{ctx.display}`", f"`{fn}`"]
    comp = component_of(fn, ctx.display)
    if comp is not None and comp.origin == "fn":
        forms += [f"{comp.phrase()} (`{fn}`)", f"`{fn}` ({comp.phrase()})"]
    elif comp is not None:
        forms += [f"`{fn}` in {comp.phrase()}", f"`{fn}` ({comp.phrase()})"]
    return r.choose(forms, f"who|{focus}")


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
        spread=(plan.spread * 2 + bump, plan.focus_spread),
        bump=bump,
    )
    names["who"] = _who(r, ctx, names["fn"], plan.focus)
    out = Rendered("")
    sentences = _render_think(r, plan, pool, out)
    # The fallback focus may be short: it is the only example its subject gets.
    if len(sentences) < (1 if plan.focus == "task" else MIN_SENTENCES):
        return None
    if plan.focus != "module" and not any(c in out.claims for c in plan.premise):
        return None  # a focus whose own claim cannot be said has nothing to be about
    r.person = True  # from here on the words are the request's
    premise = _premise(r, plan, out)
    style = _style(seed, key, plan.focus)
    if style == "refactor" and not _options(REFACTORS[plan.focus], plan):
        # No move the code shows for this focus: asked as an internal request instead.
        style = "internal-request"
    # Said inline, two asks read as a sentence; more read as a list pasted into prose.
    most = 2 if style == "internal-request" else MAX_CRITERIA
    limit = MAX_REQUEST_CODE
    if not out.premise_said and len(_criteria(r, plan, out, premise[1], limit, dry=True)) < 2:
        # No premise sentence and too little to ask in short spans: allow a condition as long
        # as a think may quote.
        limit = MAX_THINK_CODE
    # The reason is said once: as the reason, not again as a requirement under it. When the
    # requirements would then be too few, the reason is the generic one and the claim stays a
    # requirement.
    reason = _scenario_claim(r, plan, premise[1], pool)
    if reason is not None and out.premise_said != 1:
        left = _criteria(
            r,
            plan,
            Rendered(""),
            premise[1],
            limit,
            dry=True,
            most=most,
            also=reason,
            said=premise[0],
        )
        if len(left) + out.premise_said < MIN_CRITERIA:
            reason = None
    crit = _criteria(r, plan, out, premise[1], limit, most=most, also=reason, said=premise[0])
    # A request may be its premise sentence alone (one clear requirement, no list under it);
    # without that sentence it needs criteria. SPEC: every task of a file gets an example.
    lone = out.premise_said == 1
    if not crit and not lone:
        return None
    opener = r.plain(_options(OPENERS[plan.focus], plan), "opener", out)
    think = " ".join([opener, *sentences])
    callers = next((c for c in pool if c.kind == "callers" and c.subject == r.context["fn"]), None)
    user = _render_request(
        r, plan, style, crit, premise, out, reason, _note(r, plan, pool), callers
    )
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
        extra += _deeper_named(ctx, trace.claims, set(extra) | callees, set(plan.items))
        extra += [
            i for i in _waiting_callees(ctx, trace.claims) if i not in extra and i not in plan.items
        ]
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
    later one. A wording within the limit for the records so far is preferred: if fewer
    records than ``expected`` come out, one within only the looser limit may be dropped later."""
    fallback = None
    fallback_at = 0
    for bump in range(MAX_BUMPS + 1):
        if fallback is not None and bump > fallback_at + 2:
            break  # two more tries for a stricter wording, then the looser one will do
        rendered = render_plan(ctx, plan, seed, pool, bump)
        if rendered is None:
            return fallback
        _, user, think, _, _ = rendered
        for n in (len(earlier) + 1, expected):
            if all(
                _within_run_limit(text, [getattr(e, part) for e in earlier], n)
                for part, text in (("user", user), ("think", think))
            ):
                if n == len(earlier) + 1:
                    return rendered
                if fallback is None:
                    fallback, fallback_at = rendered, bump
    return fallback


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


# Slots that name a function the sentence is about (not a value or a condition).
_NAMING_SLOTS = ("callee", "call", "calls", "work", "source")


def _deeper_named(
    ctx: FileContext, said: list[Claim], near: set[int], items: set[int]
) -> list[int]:
    """Same-file fns a said claim names that a callee (not the subject) calls: SPEC's deeper
    helper, which comes along when the example is about it, as a sentence naming it is."""
    out: list[int] = []
    for c in said:
        for slot in _NAMING_SLOTS:
            for name in c.get(slot).split(LIST_SEP):
                i = _index_of(ctx, name) if name else -1
                if i < 0 or i in near or i in items or i in out:
                    continue
                if any(i in _callees(ctx, n) for n in near):
                    out.append(i)
    return out


def _waiting_callees(ctx: FileContext, said: list[Claim]) -> list[int]:
    """Same-file callees a said claim leaves the waiting to (`Retry::run`): a request that
    defers to one needs its code in the block."""
    out: list[int] = []
    for c in said:
        if c.kind != "callee_waits" or c.get("callee_file"):
            continue
        owner, _, name = c.get("callee").rpartition("::")
        for f in ctx.fns_named(name):
            parent = ctx.fs.items[f.item.parent].name if f.item.parent is not None else ""
            # `Retry<'a, Re>`, `CacheBehavior for MemoryCache`: the type, without generics.
            m = re.match(r"[\w:]+", parent.rpartition(" for ")[2]) if parent else None
            if (not owner and not parent) or (owner and m is not None and m.group(0) == owner):
                out.append(f.index)
                break
    return out


def _index_of(ctx: FileContext, name: str) -> int:
    f = ctx.local_fn(name)
    return f.index if f is not None else -1


_ = Row  # re-exported for wording tests
