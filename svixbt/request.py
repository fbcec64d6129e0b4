"""The request of an example, from its plan's claims: the premise sentence (what the code must
do), the criteria under it, the reason (a situation the code has to get right, from the claims),
the author's note or the crate's callers after it, and the style's frame around them.

``compose.render_plan`` writes the think first and then asks this module for the request; every
sentence here comes from a wording table row filled from a claim (``render``), so the trace of what
was said stays complete.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from .claims import Claim, FileContext
from .claims.component import component_of
from .claims.core import LIST_SEP
from .naming import qualified_name
from .plan import Plan
from .reasons import (
    LATE_BUMP,
    MAX_REQUEST_CODE,
    _no_paste,
    _restates,
    _stems,
    incident,
    stakes,
)
from .render import Fill, Rendered, Renderer
from .wording.requests import (
    ASKS,
    BARE_FRAMES,
    CONTEXT,
    CRITERIA,
    FRAMES,
    INCIDENTS,
    MODULE_JOB,
    MODULE_REASONS,
    NOTES,
    PREMISE,
    REFACTORS,
    SCENARIOS,
    STYLE_WORDS,
    SYMPTOMS,
    TITLES,
    WHY,
)

__all__ = [
    "MAX_CRITERIA",
    "MAX_REQUEST_CODE",
    "MIN_CRITERIA",
    "criteria",
    "note_for",
    "options",
    "premise_of",
    "render_request",
    "scenario_claim",
    "who_of",
]

MIN_CRITERIA = 2  # a request with one bullet reads like a template, not an issue


MAX_CRITERIA = 4  # more requirements than this reads like a spec sheet, not a request

# A requirement is a line a maintainer ticks off; a longer one is an explanation of the code (blind
# read 36: a 24-word acceptance criterion on which statement runs without a timeout).
MAX_CRITERION_WORDS = 20


def _twin_stop(c: Claim, premise: Claim) -> bool:
    """Whether ``c`` is a stop on the very future ``premise`` stops on."""
    return (
        c.kind == premise.kind == "shutdown_branch"
        and c.get("future") == premise.get("future")
        and bool(c.get("future"))
    )


def criteria(
    r: Renderer,
    plan: Plan,
    out: Rendered,
    skip: Claim | None = None,
    limit: int = MAX_REQUEST_CODE,
    dry: bool = False,
    most: int = MAX_CRITERIA,
    also: Claim | None = None,
    said: str = "",
    near: Claim | None = None,
    by: list[Claim] | None = None,
) -> list[str]:
    """The request's requirements after its premise sentence, as sentences a maintainer would
    tick off. ``near``: only claims proven by code that overlaps this claim's proof (an
    incident's fixes are about the code its story is about); ``by`` gets each returned
    requirement's claim, in order."""
    crit: list[str] = []
    said_stems = _stems(said)
    # Amounts the premise and the reason already state ("12 hours"): a criterion whose every
    # amount is one of them says the same requirement again (blind read 26: "only a short pass
    # earns a rest of 12 hours" and then "after a short pass, sleep 12 hours").
    stated = {v for c in (skip, also) if c is not None for v in _amounts(c)}
    picked: list[_Picked] = []
    kinds: set[str] = set()
    # Arms whose logging is already asked for (by the premise sentence or a criterion).
    logged_arms: set[tuple[str, str]] = set()
    if skip is not None and (skip.kind == "log" or "logs" in skip.flags):
        logged_arms.add(_logged_arm(skip))
    # A request asks only for what the think then reasons about: a criterion whose claim the
    # think could not say would be a requirement nobody addresses.
    in_think = list(out.claims)

    # A request names code, it does not paste it: no long expression in a criterion.
    def short(fills: list[Fill]) -> bool:
        return _no_paste(fills, limit)

    for n, c in enumerate(_criteria_order(plan)):
        if c == skip or c not in in_think or not _askable(r, plan, c, skip, kinds, near):
            continue
        if skip is not None and _twin_stop(c, skip):
            # The same stop future raced twice (a select before the loop and the loop's own):
            # "should stop as soon as `shutdown.recv()` completes" then "Stop as soon as
            # `shutdown.recv()` completes" said one requirement twice (blind read 20).
            continue
        # An error arm that logs and the log line in that arm are one requirement, asked once.
        arm = _logged_arm(c)
        if arm[0] and arm in logged_arms:
            continue
        probe = Rendered("")
        s = r.claim(CRITERIA, c, f"crit|{n}", probe, dry=True, nth=plan.nth.get(c), accept=short)
        if not s or s in crit or len(s.split()) > MAX_CRITERION_WORDS:
            continue
        if _said_before(c, s, probe.fills, skip, also, said, said_stems, stated):
            continue
        # A sleep a cancellation cuts short and the branch that cuts it: one requirement.
        if any(_cut_short_twice(c, p.claim) or _no_wait_twice(c, p.claim) for p in picked):
            continue
        crit.append(s)
        picked.append(_Picked(n, c, _quotes_expression(probe.fills)))
        kinds.add(c.kind)
        if arm[0] and (c.kind == "log" or "logs" in c.flags):
            logged_arms.add(arm)
    return _keep_criteria(r, plan, out, crit, picked, short, most, dry, by)


class _Picked(NamedTuple):
    """A criterion taken: its place in the asking order (the salt of its wording), its claim,
    and whether it quotes an expression."""

    n: int
    claim: Claim
    quotes: bool


def _criteria_order(plan: Plan) -> list[Claim]:
    """The claims a request's criteria may come from, in the order they are asked for."""
    # What claims mean together comes right after the premise: it is the most specific ask.
    rest = [c for c in plan.claims if c not in plan.premise and c not in plan.widened]
    ordered = (
        # Of two premise claims of a kind, the one that always holds is asked for: a module's
        # "Cap the `UPDATE` on `message`" asked for the statement a flag gates, not the
        # `DELETE` every pass runs (blind reads 52-54).
        sorted(plan.premise, key=lambda c: c.conditional)
        + [c for c in rest if c.kind in _SCENARIO_FIRST]
        + [c for c in rest if c.kind not in _SCENARIO_FIRST]
    )
    # Of claims of one kind, the one a flag gates is asked for only when none of that kind
    # always holds (blind read 56: a batching request capped the legacy `UPDATE` on `message`
    # and not the `DELETE` every pass runs).
    ungated = {c.kind for c in ordered if not c.conditional}
    return [
        c
        for c in ordered
        if not (c.conditional and c.kind in ungated)
        or c.kind in ("log", "join_branch")
        or c in plan.premise
    ]


def _said_before(
    c: Claim,
    s: str,
    fills: list[Fill],
    skip: Claim | None,
    also: Claim | None,
    said: str,
    said_stems: set[str],
    stated: set[str],
) -> bool:
    """Whether criterion ``s`` (of claim ``c``, filled with ``fills``) asks again for what the
    premise sentence (``said``, of claim ``skip``) or the request's reason (of claim ``also``)
    asks already; ``stated``: the amounts those two claims state."""
    # The request's reason says this claim already; only a test of it adds something.
    if c == also and not s.lower().startswith("a test"):
        return True
    if also is not None and c.kind in _SAID_BY_REASON and _same_construct(c, also):
        # The reason is about this code already: "when there is a backlog the job should
        # not pause between full batches" and then "a full batch means more work: go
        # again without waiting" (blind reads 52-55 scored the pair 3).
        return True
    if said_stems and _restates(s, said_stems):
        return True  # the premise sentence asked for this in other words
    amounts = {f.value for f in fills if not f.code and _AMOUNT.fullmatch(f.value)}
    if amounts and amounts <= stated and c.kind != "log":
        return True
    if skip is None:
        return False
    if (
        skip.kind == "spawn"
        and "detached" in skip.flags
        and c.kind == "return"
        and "after-spawn" in c.flags
    ):
        # A detached spawn is asked for as work the fn does not wait for: "Do not wait for
        # the spawned work before returning" after it says the premise again.
        return True
    # Proven by the code the premise's claim is proven by (the `select!` of a shutdown race):
    # the same requirement in other words (blind read 42: "race its wait against
    # `shutdown.cancelled()`" then "wait on both at once").
    return bool(said) and (skip.kind, c.kind) in _PARAPHRASES and _same_construct(c, skip)


def _keep_criteria(
    r: Renderer,
    plan: Plan,
    out: Rendered,
    crit: list[str],
    picked: list[_Picked],
    accept: Callable[[list[Fill]], bool],
    most: int,
    dry: bool,
    by: list[Claim] | None,
) -> list[str]:
    """The first ``most`` of the criteria taken, said into ``out`` unless ``dry``; their claims
    go to ``by``."""
    # Criteria in words before criteria that quote an expression (`rows_affected > 0`): a
    # maintainer writes the behaviour, and quotes code only when nothing else says it.
    keep = sorted(sorted(range(len(crit)), key=lambda i: picked[i].quotes)[:most])
    if not dry:
        for i in keep:
            n, c, _ = picked[i]
            r.claim(CRITERIA, c, f"crit|{n}", out, nth=plan.nth.get(c), accept=accept)
    if by is not None:
        by.extend(picked[i].claim for i in keep)
    return [crit[i] for i in keep]


# Claim kinds that, proven by the same code, ask for the same thing in other words: a shutdown
# race and the select it is; a join and each of its branches.
_PARAPHRASES = frozenset(
    {("shutdown_branch", "select"), ("select", "shutdown_branch"), ("join", "join_branch")}
)


# Claim kinds a request's reason (a situation the code gets right) says again when it is about
# the same code: the pacing of a batch loop, a wait after an error, what an error arm does.
_SAID_BY_REASON = frozenset({"adaptive", "sleep", "error_wait", "err_arm", "log", "batch"})


# Claims about a task the fn starts.
_TASK_KINDS = frozenset({"spawn", "endless_task"})


def _cut_short_twice(a: Claim, b: Claim) -> bool:
    """A sleep a cancellation cuts short and the shutdown branch that cuts it, proven by the same
    `select!`: one requirement said twice (blind read 47: "The `tokio::time::sleep` must not
    outlast a cancellation. Stop waiting as soon as `shutdown.cancelled()` resolves.")."""
    pair = {a.kind, b.kind}
    sleep = a if a.kind == "sleep" else b
    return (
        pair in ({"sleep", "shutdown_branch"}, {"sleep", "select_exit"})
        and "raced-with-cancel" in sleep.flags
        and _same_construct(a, b)
    )


def _no_wait_twice(a: Claim, b: Claim) -> bool:
    """A spawn whose handle is dropped and the return right after it: both say "the caller does
    not wait for the task", one requirement said twice (blind read 98 on omniqueue's scheduled
    send: "Follow-ups whose two bullets say the same thing")."""
    spawn = a if a.kind == "spawn" else b
    ret = b if spawn is a else a
    return (
        spawn.kind == "spawn"
        and ret.kind == "return"
        and "detached" in spawn.flags
        and "after-spawn" in ret.flags
    )


def _same_construct(c: Claim, premise: Claim) -> bool:
    """Whether a proof span of ``c`` overlaps one of ``premise``'s in the same file."""
    return c.overlaps(premise)


def _askable(
    r: Renderer,
    plan: Plan,
    c: Claim,
    skip: Claim | None,
    kinds: set[str],
    near: Claim | None = None,
) -> bool:
    """Whether claim ``c`` may become a criterion of this request at all (before its wording is
    tried): not a second of a kind already asked, nor another fn's claim where only the
    record's own fn is asked about, nor one behind many conditions, nor (given ``near``) one
    proven by code away from ``near``'s."""
    if near is not None and not _same_construct(c, near):
        # Blind reads 49-51: an incident about row locks whose "Fix:" list asked to bound
        # another statement and gate a third read as asks stapled on.
        return False
    # One criterion per claim kind (two statements with LIMIT ask for the same thing).
    if c.kind in kinds and c.kind not in ("log", "join_branch"):
        return False
    # A second task started elsewhere in the fn is a second request stapled to the first (blind
    # read 44: a 500 ms monitor task and one task per item, asked in one breath, scored 3).
    if skip is not None and {c.kind, skip.kind} <= _TASK_KINDS and not _same_construct(c, skip):
        return False
    # A line the fn writes on a path of its own (an info line when a flag is off) is a second
    # request stapled to one about something else (blind read 60: a startup-failure request
    # that also asked for "Log “No payloads pending expiry found …” at info level").
    if (
        c.kind == "log"
        and "err-arm" not in c.flags
        and skip is not None
        and skip.kind != "log"
        and not c.overlaps(skip)
    ):
        return False
    # What the calling task does is not something to ask of this helper.
    if plan.role == "helper" and c.subject != r.context["fn"]:
        return False
    # A module request whose premise named another fn says the rest "as for" its own fn:
    # only that fn's claims may follow.
    other = skip is not None and skip.subject != r.context["fn"]
    if plan.focus == "module" and other and c.subject != r.context["fn"]:
        return False
    # A criterion behind three conditions or more reads like code, not like a request (blind
    # read 17 scored one 1 for realism); a helper with nothing else to ask is left without an
    # example rather than given that request.
    return len(c.get("guard").split(LIST_SEP)) <= 2


_AMOUNT = re.compile(r"[\d.,]+ (?:milliseconds?|seconds?|minutes?|hours?|days?)|±?\d+(?:\.\d+)?%")


def _amounts(c: Claim) -> set[str]:
    return {v for _, v in c.slots if _AMOUNT.fullmatch(v)}


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


# Sentence openers an ask starts with that read in lower case after "we agreed that".
_OPENERS = frozenset(
    [
        "In",
        "It",
        "Each",
        "Every",
        "No",
        "When",
        "After",
        "Before",
        "While",
        "Once",
        "If",
        "On",
        "A",
        "An",
        "The",
        "Any",
        "Only",
        "All",
        # "The review concluded that During a deploy, .." (held-out read 16).
        "During",
        "Without",
        "With",
        "Whatever",
        "Whichever",
        "Between",
        "However",
    ]
)


# The bridge from a story to a stock ask, which no "we agreed that" can run into.
STORY_TO_ASK = "That sent me back to this code."

# What a rule an incident led to reads like: something that should (or must) hold.
_RULE = re.compile(r"\b(?:should|must)\b")


def _uncap(s: str) -> str:
    """``s`` to follow "that": its first word in lower case when it is a plain opener ("In
    `run` ..." becomes "in `run` ..."); a code span or a name stays as it is."""
    first = s.split(" ", 1)[0]
    return first.lower() + s[len(first) :] if first in _OPENERS else s


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s and not s.startswith("`") else s


def options(entries: tuple[str | tuple[str, str], ...], plan: Plan) -> list[str]:
    """A focus's texts that hold for this plan: plain ones always, and `(text, kinds)` ones when
    the plan says a claim of one of those kinds (a story about a nap needs a wait to cut short)."""
    said = [c for c in plan.claims if c not in plan.widened] + plan.premise
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
    return options(tuple(e for e in entries if isinstance(e, tuple)), plan)


def _said(claims: list[Claim], need: str) -> bool:
    """`kind`, `kind:flag`, or `kind:-flag` (a claim of the kind without the flag); `!need`
    when no claim meets ``need``."""
    if need.startswith("!"):
        return not _said(claims, need[1:])
    kind, _, flag = need.partition(":")
    if flag.startswith("-"):
        return any(c.kind == kind and flag[1:] not in c.flags for c in claims)
    return any(c.kind == kind and (not flag or flag in c.flags) for c in claims)


def premise_of(
    r: Renderer, plan: Plan, out: Rendered, led: Claim | None = None
) -> tuple[str, Claim | None]:
    """The premise said in the request's own words, when a row can say it, and its claim: of
    several, first one proven by the code the think leads with (blind read 47: `connect`'s
    request asked for the write timeout while its think led with the handshake's rounds)."""
    if plan.focus == "module":
        # A whole-module request asks for the file; its first requirement would be the premise
        # of the driver's first example, word for word (blind read 33: the module and cadence
        # records of the cleaner asked the same thing). Its criteria name each fn's part.
        return "", None

    # The record's own fn first: the requirements after the premise say "it" of that fn (a
    # module's premise about another fn says so, see render_request).
    def order(c: Claim) -> tuple[bool, bool]:
        return c.subject != r.context["fn"], led is not None and not _same_construct(c, led)

    for c in sorted(plan.premise, key=order):
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
    "sleep_budget",
    "attempt_cap",
    "one_shot",
)


# Claim kinds that are not a request's premise but whose situation can be its reason.
# Not the author's comment over a spawn: "The author's comment over the second of its spawns
# reads .." read as the code quoted back at its writer, no maintainer's reason (held-out read
# 102 #9); the think still says it.
_SCENARIO_ALSO = ("linear_backoff", "select", "keeps", "run_cap", "err_arm")


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
        "retry_with",
    }
)


def scenario_claim(
    r: Renderer, plan: Plan, premise: Claim | None = None, pool: Sequence[Claim] = ()
) -> Claim | None:
    """The claim a request's reason comes from: a situation this code must get right (None
    when no row fits)."""
    if plan.focus == "module":
        # The file's situations are its examples' reasons already: a whole-module request that
        # took one said it again word for word (blind read 33: the cleaner's module and
        # cadence records).
        return None
    # What the plan's claims mean together first (the most specific situation), then the
    # premise: the reason must be about what is asked; other claims are about something else.
    asked = [c for c in plan.claims if c not in plan.widened]
    implied = [c for c in plan.premise + asked if c.kind in _SCENARIO_FIRST]
    ordered = implied + [c for c in plan.premise if c not in implied]
    # Then claims whose situation is a reason of its own (a backoff that grows and resets).
    ordered += [c for c in asked if c.kind in _SCENARIO_ALSO and c not in ordered]
    if plan.focus == "module":
        ordered += [c for c in asked if c not in ordered]
    # Last, the author's doc comment on the subject, when it is about waiting or looping: a
    # reason in the author's words rather than the focus's stock line.
    # Once per subject (its first plan): one quote in several requests of a file is a repeated
    # run, and the later records would be dropped for it.
    if plan.turn == 0:
        ordered += [c for c in pool if c.kind == "doc" and "purpose" in c.flags]
    for c in ordered:
        if (plan.role == "helper" or plan.focus == "module") and c.subject != r.context["fn"]:
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
            # ("when Redis goes away ..."); a row without it says the premise again, and so
            # does one that names the premise's call once more (blind read 41: "an error from
            # `queue_rx.receive_all` belongs in the log" then "a blip in the queue should show
            # up as a logged failure of `queue_rx.receive_all`").
            accept = _naming(c.get("dep"), avoid=c.get("call"))
        probe = Rendered("")
        if r.claim(SCENARIOS, c, "scenario", probe, dry=True, accept=accept):
            return c
    return None


def _naming(value: str, avoid: str = "") -> Callable[[list[Fill]], bool]:
    def accept(fills: list[Fill]) -> bool:
        return (
            _no_paste(fills)
            and any(f.value == value for f in fills)
            and not (avoid and any(f.value == avoid for f in fills))
        )

    return accept


def note_for(r: Renderer, plan: Plan, pool: list[Claim]) -> Claim | None:
    """The subject's n-th FIXME or TODO for its n-th plan (none once they run out), so the
    same quote does not close every request about one fn."""
    notes = [
        c
        for c in pool
        if c.kind == "note" and c.subject == r.context["fn"] and _near_premise(c, plan)
    ]
    if plan.turn >= len(notes) or plan.focus == "module":
        return None
    return notes[plan.turn]


NOTE_REACH = 800  # chars (about twenty lines) from the code the request is about


def _near_premise(note: Claim, plan: Plan) -> bool:
    """Whether the author's note sits by the code the request is about: a TODO two hundred
    lines off ("top up" billing under a shutdown request, nostr-rs-relay's writer) read as
    template filler (held-out read 30)."""
    at = note.proof[0]
    return any(
        q.file == at.file and q.start - NOTE_REACH <= at.start <= q.end + NOTE_REACH
        for c in plan.premise
        for q in c.proof
    )


_WRITES = re.compile(r"(?:Write|Implement|Please write|We need|Add)\b")


def _ask(
    r: Renderer,
    plan: Plan,
    style: str,
    premise: str,
    out: Rendered,
    claim: Claim | None = None,
    stock: Sequence[str | tuple[str, str]] = (),
) -> str:
    """The request's central sentence: its premise with the subject put in, or the focus's
    stock ask (``stock`` when given) when no premise row could say the claim."""
    if not premise:
        asks = options(tuple(stock) or ASKS[plan.focus], plan)
        if style in ("refactor", "github-issue"):
            # "Refactor: X. Write Y." asks for new code right after saying the code exists; an
            # issue that says "Write `graceful_shutdown_handler` so that ..." is a build
            # instruction, not an issue (blind read 56).
            asks = [a for a in asks if not _WRITES.match(a)] or asks
        return _cap(r.plain(asks, "ask", out))
    # The requirement says itself, with its subject: a stock ask in front of it ("Go over
    # what X does when one of its steps errors.") read as a form's first line, and as the
    # same point said twice (blind reads counted five of one shape in a file).
    who = r.context["who"]
    if style == "refactor":
        # The refactor frame names the subject in full just before: once is enough.
        who = f"`{r.context['fn']}`"
    if claim is not None and claim.subject != r.context["fn"]:
        # A module's premise may be a claim of another fn of the file: it is that fn's.
        who = f"`{claim.subject}` in `{r.context['file']}`"
    if premise.startswith("It "):
        return _cap(who) + premise[2:]
    if premise.startswith("Its "):
        return f"In {_in_place(who)}, its {premise[4:]}"
    lead = premise if premise.startswith("`") else premise[:1].lower() + premise[1:]
    return f"In {_in_place(who)}, {lead}"


def _in_place(who: str) -> str:
    """``who`` after "In" and before a comma: "In `f` in `src/x.rs`, each call ..." and "In
    `f` in the Redis queue module, ..." read as generated (blind read 94, three times in one
    set); a path goes in brackets, a component takes the fn as its own."""
    m = re.fullmatch(r"(`[^`]+`) in (`[^`]+`)", who)
    if m:
        return f"{m.group(1)} ({m.group(2)})"
    m = re.fullmatch(r"(`[^`]+`) in (the .+)", who)
    if m:
        return f"{m.group(2)}'s {m.group(1)}"
    return who


def _named_job(r: Renderer, focus: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A whole-module request's title and ask that name the job as the code names it ("the
    expired message cleaner"), when its fn's name says one; else none. "Write the background job
    in {file}: one loop that drives the helpers it calls" read as generated in every blind read
    (47-54 scored it 3)."""
    if focus != "module":
        return (), ()
    comp = component_of(r.context["fn"], r.context["file"], r.module_clash)
    if comp is None or comp.origin != "fn":
        return (), ()
    r.context["job"] = comp.phrase()
    r.context["job_cap"] = _cap(comp.phrase())
    return MODULE_JOB["title"], MODULE_JOB["ask"]


def render_request(
    r: Renderer,
    plan: Plan,
    style: str,
    crit: list[str],
    premise: tuple[str, Claim | None],
    out: Rendered,
    reason: Claim | None = None,
    note: Claim | None = None,
    context: Claim | None = None,
    crit_by: list[Claim] | None = None,
) -> tuple[str, str, bool]:
    """The request's text, its style (an asked style with no reason to give may come back as
    an incident follow-up), and whether it is one requirement with no reason (bare)."""
    f = plan.focus
    titles, asks = _named_job(r, f)
    title = r.plain(options(titles or TITLES[f], plan), "title", out)
    ask = _ask(r, plan, style, premise[0], out, premise[1], asks)
    asked_style = style
    why, symptom, style, grounded = _why(r, plan, style, premise, out, reason, [ask, *crit])
    if style != asked_style:
        ask, crit = _told_as_incident(ask, crit, why, symptom, premise[1], out, crit_by)
    fields = _fields(r, plan, style, out, crit, title, ask, why, symptom)
    if premise[1] is not None and premise[1].subject != r.context["fn"]:
        crit = _own_fn_named(r.context["who"], fields, crit)
    if len(crit) == 1:
        # A list of one reads like a form with one field filled in: say it in the prose.
        fields["ask"] = f"{fields['ask']} {_cap(crit[0])}."
        crit = []
    text = _framed(r, f, style, why, fields, bool(crit))
    text, callers_said = _with_note_or_callers(r, plan, text, out, note, context)
    # An incident's reason is its story (the symptom line), not the why slot.
    # No reason from the code: a stock line ("One error should cost one round of the loop, not
    # the job.") read as a slogan, and requirements without a reason as the code read back as
    # a spec (blind reads 47-51 scored both 3), with criteria or without.
    bare = not grounded and not callers_said
    # One requirement with no reason reads as an order, not an issue (blind reads 44-45 scored
    # "`run` should take the wait before each retry from `self.retry_schedule`." 2): the caller
    # asks it as a question instead when one fits.
    return text, style, bare and note is None


def _told_as_incident(
    ask: str,
    crit: list[str],
    why: str,
    symptom: str,
    told: Claim | None,
    out: Rendered,
    crit_by: list[Claim] | None,
) -> tuple[str, list[str]]:
    """The ask and criteria of a request told as an incident for want of a reason: the incident
    frame has no place for the reason, and its fixes are about the code its story is about."""
    if why and not _restates(why, _stems(symptom), share=0.4):
        # The situation the code gets right stays a requirement of the ask, unless it tells
        # the incident's story again ("two instances queued behind each other's locks" and
        # then "they must take different rows instead of queueing on each other's locks").
        ask = f"{ask} {why}"
    if crit_by is not None and told is not None:
        crit = _near_story(crit, crit_by, told, out)
    return ask, crit


def _fields(
    r: Renderer,
    plan: Plan,
    style: str,
    out: Rendered,
    crit: list[str],
    title: str,
    ask: str,
    why: str,
    symptom: str,
) -> dict[str, str]:
    """The fields a style's frame is filled with: the request's sentences, its criteria in each
    list form, and the style's words."""
    f = plan.focus
    refactor = r.plain(options(REFACTORS[f], plan), "refactor", out)
    # Salted with the focus: records of one file differ in focus, so their openers and
    # sign-offs differ too (with the file's salt alone they all picked the same ones).
    words = {k: r.choose(v, f"style|{k}|{f}") for k, v in STYLE_WORDS[style].items()}
    if "since" in words:
        words["since"] = _since(r, plan, STYLE_WORDS[style]["since"])
        if not _RULE.search(ask.split(". ")[0]):
            # A stock ask ("Could you lay out the tasks behind `x`?") is no rule to run on
            # from "we agreed that": "Out of that came the rule that Could you ..." (a
            # held-out read of omniqueue).
            words["since"] = STORY_TO_ASK
    return {
        "title": title,
        "ask": ask,
        "why": why,
        "symptom": _cap(symptom),
        "ask_lc": _uncap(ask) if _RULE.search(ask.split(". ")[0]) else ask,
        "refactor": _cap(refactor),
        "refactor_lc": refactor,
        "who": r.context["who"],
        "who_cap": _cap(r.context["who"]),
        "checklist": "\n".join(f"- [ ] {_cap(c)}" for c in crit),
        "numbered": "\n".join(f"{i}. {_cap(c)}." for i, c in enumerate(crit, 1)),
        "bullets": "\n".join(f"- {_cap(c)}" for c in crit),
        "sentences": " ".join(f"{_cap(c)}." for c in crit),
        **words,
    }


def _since(r: Renderer, plan: Plan, bridges: Sequence[str]) -> str:
    """The bridge from a story to its ask. A subject's records take the bridges in turn, from a
    start of the subject's own: two stories about one fn met on one bridge by their foci's
    hashes, and with the fn's name after it made one 8-word run of both requests."""
    key = f"{r.seed}|since|{r.context['file']}|{r.context['fn']}"
    start = random.Random(key).randrange(len(bridges))
    return bridges[(start + plan.turn + r.bump) % len(bridges)]


def _framed(
    r: Renderer, focus: str, style: str, why: str, fields: dict[str, str], listed: bool
) -> str:
    """The style's frame (one for a list of criteria when ``listed``) filled with ``fields``,
    with a whole module's reason put where it reads first."""
    if focus == "module" and why and style == "refactor":
        fields["why"] = ""  # the rework the frame names is the reason already
    elif focus == "module" and why:
        # The reason for asking for a whole job comes before the ask: "it has to behave as
        # below", then a paragraph of motive, then the list read back to front.
        fields["ask"], fields["why"] = f"{why} {fields['ask']}", ""
    frame = r.choose(FRAMES[style] if listed else BARE_FRAMES[style], f"frame|{focus}")
    if focus == "module" and why and "{why}" not in frame:
        # A whole-job checklist with no reason in front read as a form (blind reads 57-63).
        fields["ask"] = f"{why} {fields['ask']}"
    return _tidy(frame.format(**fields))


def _with_note_or_callers(
    r: Renderer,
    plan: Plan,
    text: str,
    out: Rendered,
    note: Claim | None,
    context: Claim | None,
) -> tuple[str, bool]:
    """``text`` with the author's note or the crate's callers after it, and whether the callers
    were said."""
    if note is not None:
        # The author's own FIXME, left out of scope: what a maintainer adds under an ask.
        return _then(text, r.claim(NOTES, note, "note", out)), False
    # Who calls it in the crate, once per subject: on its second request, or on its only one.
    # Not where the request names the caller already.
    if context is None or not (plan.turn == 1 or plan.alone or plan.focus == "task"):
        return text, False
    if any(f"`{c}`" in text for c in context.get("callers").split(LIST_SEP)):
        return text, False
    said = r.claim(CONTEXT, context, "context", out)
    if not said:
        return text, False
    return _then(text, said), True


def _then(text: str, said: str) -> str:
    """``said`` after ``text``: as a paragraph of its own when the text has several already."""
    return f"{text}\n\n{said}" if "\n" in text else f"{text} {said}"


def _near_story(crit: list[str], crit_by: list[Claim], told: Claim, out: Rendered) -> list[str]:
    """The requirements of a request told as an incident about ``told``'s code: those proven by
    code that overlaps it (blind reads 49-51: a story of queued row locks under "Fix: bound the
    DELETE; gate the UPDATE"); the others leave the trace too."""
    keep = [i for i, c in enumerate(crit_by) if _same_construct(c, told)]
    for i, c in enumerate(crit_by):
        if i not in keep and c in out.claims:
            # The requirement's own mention, the last: the think may say the claim too.
            del out.claims[len(out.claims) - 1 - out.claims[::-1].index(c)]
    return [crit[i] for i in keep]


def _why(
    r: Renderer,
    plan: Plan,
    style: str,
    premise: tuple[str, Claim | None],
    out: Rendered,
    reason: Claim | None,
    asked: list[str],
) -> tuple[str, str, str, bool]:
    """The request's reason sentence, its incident line, its style, and whether the reason
    comes from the code (a situation, stakes or a story, not a focus's stock line): a situation
    from the code; else, for an incident follow-up, what went wrong before, and for the other
    styles what would go wrong without the asked behaviour (blind read 29: requests read the
    code back as orders, with no motive); else a stock reason tied to one of the plan's claims.
    Unconditional stock reasons ("Shutdown has to start somewhere.") read as filler in every
    blind read. Late bumps
    (a record whose wording keeps repeating its neighbours') go without: the reason is
    optional, the record is not."""
    f = plan.focus
    # A request about to be told as the incident its premise's claim answers takes no reason
    # from that claim too: "Kafka is not always up, and a moment without it should never be
    # what stops this loop" after "Kafka went away for a few seconds, and the one error that
    # came back was enough to end the loop" said the story twice (blind reads 65-66).
    retold = (
        style in (*_STORY_INSTEAD, "incident-follow-up")
        and r.bump < LATE_BUMP
        and f not in NO_INCIDENT
        and reason is not None
        and reason is premise[1]
        and reason.kind in _RESTATES
        and bool(r.claim(INCIDENTS, reason, "incident", Rendered(""), dry=True, accept=_no_paste))
    )
    scenario = "" if retold else _scenario(r, premise, out, reason)
    story = ""
    if style == "incident-follow-up" and r.bump < LATE_BUMP and f not in NO_STORY:
        story = incident(r, plan, premise[1], out)
    reason_why = ""
    # A whole-module request gives the file's own reason, not one of its examples' stakes.
    if not (scenario or story or retold or r.bump >= LATE_BUMP or f == "module"):
        reason_why = stakes(r, plan, premise[1], out, _stems(" ".join(asked)))
    if (
        not (reason_why or story)
        and style in _STORY_INSTEAD
        and r.bump < LATE_BUMP
        and f not in NO_INCIDENT
        and f not in NO_STORY
    ):
        # No stakes to give as a reason (a situation the code gets right reads as one more
        # line of spec): a request that only restates the code scored 3 in every blind read
        # (48: "no reason (DB load? request abuse?)"), an incident told as the past this code
        # answers scored 4. Told when one fits; the situation stays, as part of the ask.
        story = incident(r, plan, premise[1], out)
        if story:
            style = "incident-follow-up"
    if scenario or reason_why:
        why = _cap(scenario or reason_why) + "."
    elif story:
        why = ""
    elif f == "module":
        why = r.plain(MODULE_REASONS, "why", out)
    else:
        why = r.plain(_tied(WHY[f], plan), "why", out)
    # An incident's story is its symptom line; the stock one is chosen only when there is none.
    symptom = story or scenario or reason_why
    if not symptom:
        symptom = r.plain(options(SYMPTOMS[f], plan), "symptom", out)
    return why, symptom, style, bool(story or scenario or reason_why)


# Foci whose request is "write this": an incident story does not lead to writing a whole file.
NO_INCIDENT = frozenset({"module", "task"})
# Nor a stop: every shutdown story ("a rolling deploy stalled", "a stop request only took
# effect once the other wait finished") is told of code that already races its stop, and blind
# reads 16 and 20 counted them invented premises (five and three records). Such a record takes
# the next style in the rotation, so the others keep theirs.
NO_STORY = frozenset({"shutdown"})

# Styles whose request may be told as an incident when the code gives it no reason (a refactor
# ask has its own: the rework).
_STORY_INSTEAD = frozenset({"github-issue", "internal-request", "infra-requirement"})


def _scenario(
    r: Renderer, premise: tuple[str, Claim | None], out: Rendered, reason: Claim | None
) -> str:
    """The situation the request gives as its reason, from ``reason``; "" when none fits or it
    would only say the premise again."""
    if reason is None:
        return ""
    if (
        premise[1] is not None
        and reason is not premise[1]
        and premise[1].kind in _SAID_BY_REASON
        and _same_construct(reason, premise[1])
    ):
        # A situation about the code the ask is about says the ask again: "log each failed
        # `clean_expired_messages` and try again 10 seconds after it" over "treat a failed
        # `clean_expired_messages` as one bad pass" (blind reads 51-55 scored the pair 3).
        return ""
    accept: Callable[[list[Fill]], bool] = _no_paste
    if reason is premise[1] and reason.kind in _RESTATES and reason.get("dep"):
        accept = _naming(reason.get("dep"), avoid=reason.get("call"))
    scenario = r.claim(SCENARIOS, reason, "scenario", Rendered(""), accept=accept, dry=True)
    said = _AMOUNT.findall(scenario)
    if scenario and premise[0] and said and set(said) <= set(_AMOUNT.findall(premise[0])):
        # The premise sentence states the same amounts ("12 hours", "10 seconds"): the
        # situation would say the requirement a second time (blind read 26). Its reason half
        # ("Retries ... should not land at the same moment, so ...") may stay on its own.
        head = scenario.split(", so ", 1)[0]
        if head == scenario or _AMOUNT.search(head) or "`" in head:
            return ""
        return r.claim(SCENARIOS, reason, "scenario", out, accept=accept).split(", so ", 1)[0]
    if not scenario:
        return ""
    return r.claim(SCENARIOS, reason, "scenario", out, accept=accept)


def _own_fn_named(who: str, fields: dict[str, str], crit: list[str]) -> list[str]:
    """The premise named another fn of the module; what follows is the record's own fn's, and
    says so ("it" would be read as the fn just named)."""
    if fields["why"].startswith("It "):
        fields["why"] = _cap(who) + fields["why"][2:]
    if len(crit) == 1:
        c = crit[0]
        crit = [f"as for {who}, {c}" if c.startswith("it ") else f"in {who}: {c}"]
    for k in ("label", "keep"):
        if k in fields:
            fields[k] = f"For {who}:"
    if crit:
        fields["sentences"] = f"As for {who}: " + " ".join(f"{_cap(c)}." for c in crit)
    return crit


def _tidy(text: str) -> str:
    """A frame filled with an empty field: no doubled spaces, no blank paragraph, no space at a
    line's ends."""
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = "\n".join(line.strip(" ") for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def who_of(r: Renderer, ctx: FileContext, fn: str, focus: str, idx: int | None = None) -> str:
    """How the request names its subject: by the fn, its component, or its file, chosen per
    record (a path in every request read as a form filled in)."""
    # A name several fns of the file share is said with its type: "`run` in `server.rs`"
    # named one of three (mini-redis, a held-out read).
    fn = qualified_name(ctx, fn, idx) if idx is not None else fn
    forms = [f"`{fn}` in `{ctx.display}`", f"`{fn}`", f"`{fn}`"]
    comp = component_of(fn, ctx.display, ctx.module_clash)
    # One glossed form in four: a gloss on most records of a file read as a tic (blind read 26
    # counted "(the expired message cleaner)" in nine of fourteen).
    if comp is not None and comp.origin == "fn":
        forms += [f"{comp.phrase()} (`{fn}`)"]
    elif comp is not None:
        forms += [f"`{fn}` in {comp.phrase()}"]
    return r.choose(forms, f"who|{focus}")
