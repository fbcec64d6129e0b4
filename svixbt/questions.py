"""Whether a record's request is a question, and the question: a maintainer asking about code
they are reading ("can `queue_handler` end up running more tasks than `task_limit` allows?"),
answered by a claim the think says. ``compose.render_plan`` asks this module first, and again
when a requirement would have nothing to require or no reason to give.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Sequence

from .claims import Claim
from .claims.component import component_of
from .claims.core import LIST_SEP, MORE
from .plan import Plan
from .reasons import _no_paste, incident
from .render import Rendered, Renderer, named
from .request import _cap
from .thinks import sentences
from .wording.requests import FOLLOW_BRIDGES, INCIDENTS, QUESTION_PURPOSES, QUESTIONS

__all__ = [
    "ANSWER_KINDS",
    "ANSWER_NEXT",
    "ANSWER_SAID",
    "ANSWER_SLOTS",
    "ASKED_AS_QUESTION",
    "ASKED_KINDS",
    "always_asked",
    "QUESTION_ONLY",
    "QUESTION_SHARE",
    "ask_shape",
    "askable_lead",
    "asked_shapes",
    "first_question",
    "followup",
    "was_asked",
    "question",
    "answer_claims",
    "question_room",
    "same_code",
]

# One record in this many whose think leads with what the code means asks it as a question.
QUESTION_SHARE = 3

# Foci whose claim is a property of the code nobody would ask for as a requirement ("nap while
# other instances hold rows"): they are asked as a question or not at all (a requirement frame
# around them borrowed the batching asks).
# What a task logs is asked too: as a requirement it came out as a checklist of its log lines
# and their conditions ("Requirements: 1. Log .. at debug level when .. 2. Log .."), which
# held-out read 15 scored 1-2 for realism five times in 25 records.
# And how a loop ends: "Make sure `x` leaves its loop when it should. Leave the loop when `y`
# completes." read the code back (held-out read 23, three records scored 2).
QUESTION_ONLY = frozenset({"contention", "log-wait", "observability", "exits"})


def question_room(records: int) -> int:
    """How many of a file's first ``records`` records may be questions: two in three, and two at
    least (a file with two records lost its best question, lock_loop's, to the cap of one). At
    half, redis.rs kept "One error should cost one round of the loop, not the job." as a
    requirement, which blind reads scored 3, and lost a question on its log line. Up to three
    records, all of them (svix-cli's seed.rs kept its third fan-out as "should start one
    `tokio::spawn` task per element of `resp.data`", the code said back: blind read 53)."""
    return max(min(records, 3), records * 2 // 3)


# Foci whose requirement form asks for what the code already has (keep these log lines): they
# are asked as a question when one fits, about the first of their claims the think says. A
# task layout asked for ("should start a separate `tokio::spawn` task that, every 500
# milliseconds, logs ...") read as the code read back: blind read 65 scored five of seven such
# concurrency requests 3 (the other two 4), and its concurrency question 5.
# A retry loop asked for recites its schedule back ("after each of the three waits in
# `RETRY_SCHEDULE` (10 milliseconds up to 40 milliseconds). Give up after at most four calls,
# with 70 milliseconds ...": blind reads 69 and 73 scored `ack`'s 3); its questions scored 5.
ASKED_AS_QUESTION = frozenset({"observability", "concurrency", "retry-loop", "startup", "exits"})
# Foci whose question asks about their own claim (where the task runs), not what the think
# leads with: the cleaner's concurrency question asked about its startup failure, which its
# startup record asks too (blind read 65 read the pair as one record twice).
ASK_PREMISE = frozenset({"concurrency", "log-wait", "supervision"})
# Premise claims that are facts about the crate around a fn, not behaviour anyone requires of it.
ASKED_KINDS = frozenset({"runs_in", "callee_waits", "log_wait_mismatch"})
# Premises the fallback focus asks about: a join read back as a requirement is the code
# restated (crates.io's jobs, "should run its four parts together under `tokio::try_join!`", a
# held-out read). A concurrency focus has questions of its own that say more.
ASKED_IN_TASK = frozenset({"join", "select"})


def premise_kind(plan: Plan) -> str:
    return plan.premise[0].kind if plan.premise else ""


def always_asked(plan: Plan, noted: bool = False) -> bool:
    """Whether ``plan`` is asked as a question whatever room its file has left (its requirement
    form is the code read back). ``noted``: its request would carry the author's FIXME."""
    return (
        plan.focus in ASKED_AS_QUESTION
        and not noted
        or premise_kind(plan) in ASKED_KINDS
        or plan.focus == "task"
        and premise_kind(plan) in ASKED_IN_TASK
    )


def question(
    r: Renderer,
    plan: Plan,
    seed: int,
    key: str,
    out: Rendered,
    led: Claim | None,
    asked: Collection[Claim],
    always: bool = False,
    told: str = "",
) -> str:
    """A maintainer's question whose answer is the claim the think leads with ("can
    `queue_handler` end up running more tasks than `task_limit` allows?"), for a share of the
    records that lead with one; "" for the rest, which are asked as requirements. A question
    answered by the code reads as what people ask a code assistant (blind reads: every request
    was a requirement, in one of five frames). ``told``: an incident story the question
    follows up on, said in front of it instead of a purpose."""
    if led is None or plan.focus == "module" or led.subject != r.context["fn"]:
        return ""
    h = hashlib.sha256(f"{seed}|question|{key}".encode()).digest()
    if h[0] % QUESTION_SHARE and not always:
        return ""
    if not _askable(r, led):
        return ""
    # The wording moves on by the asked fn's own name too: the file-wide start gave two files'
    # shutdown questions one wording, and the run's near-duplicate check dropped the second
    # (the cleaner's, once run_with_pool's was asked plainly).
    # A wording that leaves the fn unnamed ("when does anyone find out?") is passed over: what
    # _askable checked was the first wording.
    turn: int | None = hashlib.sha256(f"{seed}|wording|{led.subject}".encode()).digest()[0]
    probe = r.claim(QUESTIONS, led, "question", Rendered(""), dry=True, accept=_no_paste, nth=turn)
    if not names_fn(r, probe):
        turn = None
    turn = _unasked_turn(r, led, turn)
    ask = r.claim(QUESTIONS, led, "question", out, accept=_no_paste, nth=turn)
    variant = next(
        (c for c in plan.claims if c.kind == "cfg_variant" and c.subject == led.subject), None
    )
    if variant is not None and ask:
        # One build's copy of the fn: a question that does not say which reads as about all of
        # them (vaultwarden's two `spawn_shutdown_signal_handler`s, one per platform).
        ask = f"on `{variant.get('attr')}` builds, {ask}"
    if told:
        # The story is what went wrong before: a question right after it read as saying the
        # code does that now ("the loop went straight back into a pass that could only fail",
        # then "how often does it try again?" was counted false: blind read 75). The bridge
        # says the asker is checking the code as it is.
        # Hashed on the record's own names, as the story's opener is: the file-wide choice
        # gave five of six follow-ups one bridge.
        b = hashlib.sha256(f"{seed}|bridge|{key}".encode()).digest()
        bridge = FOLLOW_BRIDGES[(b[0] + r.bump) % len(FOLLOW_BRIDGES)]
        return f"{_cap(told)}. {bridge} {_cap(ask)}"
    # Why the asker asks, in front of the question; the file's n-th question of a kind takes
    # that kind's n-th purpose on from the file's start, so two alike do not open alike.
    # A purpose may name the component the fn belongs to ("the alert rules for the Kafka input
    # module"): one stock purpose taken by two files read as one template (blind reads 83-84,
    # "I'm writing the alert rules for this service." of the Kafka and the queue plugin).
    # (Put first, the named ones made "I'm writing the alert rules for X" one template over
    # three files: they take their turn with the rest.)
    # Or what the failing call talks to ("We restart Kafka during upgrades"), where the asked
    # claim names it: a concrete setting read as a real asker in every blind read (84-85:
    # "connections that close after a quiet spell" 5, "We're adding a log-based alert for
    # this job" 4).
    file = r.context["file"]
    every = QUESTION_PURPOSES.get(purpose_key(led), ())
    same = [c for c in asked if purpose_key(c) == purpose_key(led) and c is not led]
    pick = _purpose_pick(seed, file, every, [*same, led], r.module_clash)
    if pick is None:
        return _cap(ask)  # every purpose of the kind is taken in this file: asked plainly
    purpose = _cap(every[pick].format(**_purpose_fills(led, file, r.module_clash)))
    if _POINTS_AHEAD.search(purpose):
        # "Whoever calls this sits behind it" before the question names anything: "it" refers
        # to nothing yet (blind read 69 counted six such openers). After the question, the
        # fn it names is what "this" and "it" mean.
        return f"{_cap(ask)} {purpose}"
    return f"{purpose} {_cap(ask)}"


def _purpose_fills(c: Claim, file: str, clash: bool = False) -> dict[str, str]:
    """What a purpose of ``c``'s question may name: the fn's component, the call's dependency."""
    comp = component_of(c.subject, file, clash)
    return {"component": comp.phrase() if comp is not None else "", "dep": c.get("dep")}


def _purpose_pick(
    seed: int, file: str, every: Sequence[str], chain: list[Claim], clash: bool = False
) -> int | None:
    """The index in ``every`` of the purpose of the last question of ``chain``, the file's
    questions of one purpose kind in the order they were asked: each starts where a hash of the
    file and its own fn puts it (two files' questions no longer share their start: blind reads
    84-87 found one purpose word for word in two files, four reads running) and moves on past
    those the file's earlier questions took and those it cannot fill."""
    taken: list[int] = []
    pick: int | None = None
    for c in chain:
        fills = _purpose_fills(c, file, clash)
        usable = [
            i
            for i, p in enumerate(every)
            if i not in taken and all(fills.get(m) for m in re.findall(r"\{(\w+)\}", p))
        ]
        if not usable:
            pick = None
            continue
        h = hashlib.sha256(f"{seed}|purpose|{file}|{c.subject}|{c.kind}".encode()).digest()
        start = h[0] % len(every)
        pick = min(usable, key=lambda i: (i - start) % len(every))
        taken.append(pick)
    return pick


# A purpose that points at the subject ("this", "it", "here", "that count") before the
# question has named it.
_POINTS_AHEAD = re.compile(r"\b(?:this(?! week| service)|it|its|here|that count)\b")


def followup(
    r: Renderer,
    plan: Plan,
    out: Rendered,
    led: Claim | None,
    asked: Collection[Claim],
) -> tuple[str, Claim | None, Claim | None]:
    """An incident story told from the record's premise, the claim a question about it would
    ask, and the story's claim: an incident follow-up asked as "can that still happen?" rather
    than as the code read back as a fix. Blind reads 64-74 scored incident requirements 3.95
    on average and questions 4.53; the readers' words for the requirements were "restates the
    code". The story's claim is one the question's answer says ("a failing pass was retried
    at once" before "if `clean_expired_messages` fails for an hour, how often does it try
    again?"). ("", None, None) when there is no such pair."""
    lead = led if led is not None and not was_asked(led, asked) and _askable(r, led) else None
    lead = lead or askable_lead(r, plan, out, asked)
    if lead is None or lead.subject != r.context["fn"]:
        return "", None, None
    answer = answer_claims(plan, lead)
    for c in dict.fromkeys([lead, *plan.premise]):
        if c not in answer or c not in out.claims or c.subject != r.context["fn"]:
            continue
        if c is not lead and not same_code(c, lead):
            # A story about another part of the answer: "`connect` hung on a write that never
            # completed", then "how many rounds does it make?" (blind read 83: the story and
            # the question about different things).
            continue
        if r.claim(INCIDENTS, c, "incident", Rendered(""), dry=True, accept=_no_paste):
            return incident(r, plan, c, out), lead, c
    return "", None, None


# Claim kinds whose questions have one answer when they are about the same call: "if
# `clean_expired_messages` fails for an hour, how often does the loop try again?" and "... how
# often will it write that error line?" were both answered "every 10 seconds" (blind read 76:
# one question twice). Once one is asked in a file, the other is not asked of the same call.
SAME_ANSWER: dict[str, frozenset[str]] = {
    "steady_error": frozenset({"error_log_pace", "error_log_ramp", "error_log_spread"}),
    "error_log_pace": frozenset({"steady_error"}),
    "error_log_ramp": frozenset({"steady_error"}),
    "error_log_spread": frozenset({"steady_error"}),
}


def was_asked(c: Claim | None, asked: Collection[Claim]) -> bool:
    """Whether ``c``, or a claim whose question has the same answer, was asked in the file."""
    if c is None:
        return False
    if c in asked:
        return True
    same = SAME_ANSWER.get(c.kind, frozenset())
    return any(
        a.kind in same and a.subject == c.subject and a.get("call") == c.get("call") for a in asked
    )


# A race that is no walk-through of its loop: ordered, gated, or with its ways out hidden in a
# macro (the think cannot say what ends the loop).
_NO_WALK = frozenset({"biased", "guarded", "exits-hidden"})


def purpose_key(c: Claim) -> str:
    """The key of ``c``'s question in QUESTION_PURPOSES: its kind, ``log_once`` for a line
    logged once as the fn starts (alerting on it is not what anyone asks), ``spawn_each`` for a
    task per element."""
    if c.kind == "log" and "once" in c.flags:
        return "log_once"
    if c.kind == "log" and c.get("level") in ("debug", "trace"):
        # Nobody alerts on a debug line ("I'm writing the alert rules" of pathfinder's pre-
        # confirmed poller, whose line is `tracing::debug!`, held-out read 98 #2).
        return "log_quiet"
    if c.subject == "drop" and c.kind in ("one_shot", "spawn", "sync_spawn"):
        # A `Drop` impl runs when a value goes away, called by no one: "a change that adds
        # another caller of this" and "the retry logic one level up" fit nothing (garage's
        # upload clean-up guards, held-out read 51).
        return "drop"
    if c.kind == "spawn" and {"repeated", "range"} <= c.flags:
        # A task per count (`for _ in 0..n`): the size of anyone's data is no reason to ask
        # (blind read 84: "big accounts" of a fan-out over an endpoint count).
        return "spawn_range"
    if c.kind == "spawn" and "repeated" in c.flags:
        # A task per element or per count: the purpose may not say how many there are (blind
        # read 53: "run this against a long list" of a count clap caps at 10).
        return "spawn_each"
    if c.kind == "spawn" and {"handed-back", "stored", "moved", "returned"} & c.flags:
        # Asked where the handle goes: "I need to know when this task stops by itself" of
        # "what does it do with the handle of the task it spawns?" asked one thing and wanted
        # another (rbuilder's order-pool jobs, held-out read 84).
        return "spawn_handle"
    if c.kind == "spawn" and "endless" in c.flags:
        return "spawn_endless"
    if c.kind == "spawn" and "plain-fn" in c.flags and not {"loops", "endless"} & c.flags:
        # A plain `fn` never keeps its caller waiting: "I'm working out how long a call to
        # it keeps its caller waiting" fit nothing (iggy's `spawn_source_handler`, read 61).
        return "spawn_plain"
    if c.kind == "spawn" and "loops" in c.flags:
        # "What does each round call, and what ends the loop?" after "I'm profiling the path
        # this call sits on" read as two askers (linkerd's policy relays, held-out read 49).
        return "spawn_loop"
    if (
        c.kind == "select"
        and "in-loop" in c.flags
        and not {"biased", "guarded", "exits-hidden"} & c.flags
    ):
        # A loop's race, asked as a walk-through before a change (what each round waits on,
        # what ends the loop): not the purposes of "what happens to the loser?".
        return "select_loop"
    if c.kind == "join" and "try" in c.flags:
        return "join_try"  # a branch's failure ends it: the failure purposes fit
    if c.kind == "err_arm" and "awaited" not in c.flags:
        # A check made in place (hickory's `sanitize_src_address`) is no dependency that can
        # be down: "how this survives a flaky dependency" was an invented premise (a held-out
        # read).
        return "err_arm_local"
    return c.kind


def askable_lead(
    r: Renderer,
    plan: Plan,
    out: Rendered,
    asked: Collection[Claim],
    skip: Collection[str] = (),
) -> Claim | None:
    """The first claim the focus is about, in the think's order, that a question can ask about
    (the error line of a loop where its guarded debug line has no question), kinds in ``skip``
    passed over."""
    for c in out.claims:
        if c.kind in skip:
            continue
        if c in plan.premise and not was_asked(c, asked) and _askable(r, c):
            return c
    return None


def names_fn(r: Renderer, text: str) -> bool:
    """Whether ``text`` names the record's fn, by its name or, where the file has several of
    that name, by its type (`Step::call`: triagebot's actions.rs had no question that passed,
    the request naming the method qualified)."""
    qualified = r.context.get("qualified")
    return f"`{r.context['fn']}`" in text or bool(qualified) and f"`{qualified}`" in text


def _askable(r: Renderer, c: Claim) -> bool:
    """Whether a question row says ``c`` and names the record's fn (a question that does not
    name its fn reads as about something else)."""
    said = r.claim(QUESTIONS, c, "question", Rendered(""), dry=True, accept=_no_paste)
    return bool(said) and names_fn(r, said)


def first_question(
    r: Renderer,
    plan: Plan,
    seed: int,
    key: str,
    out: Rendered,
    led: Claim | None,
    asked: Collection[Claim],
    room: bool,
    bump: int,
    noted: bool = False,
) -> tuple[str, Claim | None]:
    """The question a record is asked before any requirement is tried ("" for none), and the
    claim the think leads with as far as the request is concerned. ``room``: whether the file
    may take one more question; past half of its records, none is asked. ``noted``: the
    request would carry the author's FIXME or TODO."""
    fresh = None if was_asked(led, asked) or not room else led
    # Foci and premises asked only as questions (what a task logs, where it runs) ask about
    # the first of their claims a question fits.
    # A subject with an author's FIXME stays a change request, which fences the FIXME off as a
    # separate change (a reader's "as a maintainer would": blind read 65); a question cannot.
    by_kind = always_asked(plan, noted)
    # Asked as a question whatever the file's count: their requirement form is the code read
    # back (blind reads 66-71: run_with_prefix's join, the active-workers and metrics tasks
    # found the room taken by earlier records and were asked for, scoring 3 each time).
    if by_kind:
        # What the think leads with, when a question fits it (how fast an error line can
        # repeat); else the first of the focus's own claims. A focus in ASK_PREMISE asks its
        # own claim first.
        if plan.focus in ASK_PREMISE:
            # Not the join itself, whose question is the fallback focus's: what a join's
            # results come to is the better question here (svix's `run_with_prefix`).
            led = askable_lead(r, plan, out, asked, skip=ASKED_IN_TASK) or led
        if led is None or was_asked(led, asked) or not _askable(r, led):
            led = askable_lead(r, plan, out, asked) or led
        fresh = led
    # A record whose first wording read like its neighbours' (a twin fn's: supervise_senders
    # and supervise_pollers) is asked as a question about its lead when it can be: a question
    # about the lead differs from a requirement in shape, not just in names (blind read 40
    # scored such twins 2 for distinctness).
    if fresh is not None and asked_alike(fresh, asked):
        # A near twin asked what its twin was asked reads as that record again with other names
        # (blind read 82: seed.rs's reset_event_type after reset_application, both "how many
        # tasks at once, and when does it return?"): what it says that its twin does not is
        # asked instead, when a question fits it.
        fresh = _unlike_lead(r, out, asked) or fresh
        led = fresh
    always = (plan.focus in QUESTION_ONLY or bump > 0) and room or by_kind
    return question(r, plan, seed, key, out, fresh, asked, always=always), led


def ask_shape(text: str) -> str:
    """A question with its code spans and numbers masked, as a reader compares two: the same
    words around other names read as one question asked twice (blind read 91 on seed.rs's two
    spawn loops in `exec`, "one at a time, or side by side?" for both)."""
    masked = re.sub(r"\d[\d.,]*", "#", re.sub(r"`[^`]*`", "``", text))
    return " ".join(masked.split()).lower()


def asked_shapes(requests: Collection[str]) -> frozenset[str]:
    """The question sentences of ``requests``, names masked."""
    return frozenset(
        ask_shape(s) for text in requests for s in sentences(text.strip()) if s.endswith("?")
    )


# More than any QUESTIONS row has variants: every wording of a row is tried once.
_MAX_WORDINGS = 8


def _unasked_turn(r: Renderer, led: Claim, turn: int | None) -> int | None:
    """``turn``, or the first one after it whose wording names the record's fn and is no
    question the file's earlier records asked (names masked); ``turn`` when every wording is."""
    if not r.asked_before:
        return turn
    start = r.turn if turn is None else turn
    for step in range(_MAX_WORDINGS):
        probe = r.claim(
            QUESTIONS, led, "question", Rendered(""), dry=True, accept=_no_paste, nth=start + step
        )
        if not probe:
            return turn
        if names_fn(r, probe) and ask_shape(probe) not in r.asked_before:
            return turn if step == 0 else start + step
    return turn


def asked_alike(c: Claim, asked: Collection[Claim]) -> bool:
    """Whether the file asked about another claim of ``c``'s kind: another subject's with the
    same flags, or another of the same subject's (the second spawn loop of one fn: blind read 92
    read seed.rs's two `exec` questions, "one after another, or all at once?", as one ask
    twice)."""
    return any(
        a.kind == c.kind and (a.flags == c.flags or a.subject == c.subject) and a is not c
        for a in asked
    )


def _unlike_lead(r: Renderer, out: Rendered, asked: Collection[Claim]) -> Claim | None:
    """The first claim of the record's fn its think says that a question fits and that no
    question of the file asked about, of its kind and flags."""
    for c in out.claims:
        if (
            c.subject == r.context["fn"]
            and not was_asked(c, asked)
            and not asked_alike(c, asked)
            and _askable(r, c)
        ):
            return c
    return None


# Slots naming the code a claim is about: two claims that name the same call or variable are
# about one thing, and both answer a question about either. Not the arm: two arms written alike
# (`Err(e)`) for different calls are not one arm (run_with_pool's answer about `run_migrations`
# took in `ensure_table`'s line before the loop).
ANSWER_SLOTS = ("call", "callee", "calls", "var", "future", "runs", "over", "counter")


# Claim kinds that answer a question about a claim of another kind even where their code is
# elsewhere in the fn: whether one failure ends a loop depends on its other exits too (a `?`
# further down), and a failure at startup on the join that waits for it.
ANSWER_KINDS: dict[str, frozenset[str]] = {
    # What ends a spawned task: every way out, and what the task does meanwhile.
    # And the line the caller keeps to the task: a returned sender whose receiver the task
    # listens on (warpgate's `ServiceOutput`: dropping it ends the task, held-out read 53).
    "task_end": frozenset({"task_end", "spawn", "return"}),
    "callee_loop_end": frozenset({"spawn", "return"}),
    # When a watchdog speaks: the spawns it is made of.
    "watchdog": frozenset({"spawn"}),
    # Whether one failure ends a loop, and what the loop does next: the wait after it (a
    # ramp with its cap and reset, which the queue plugin's answer left at "the wait ... is a
    # `tokio::time::sleep`": blind read 75's draft).
    # Whether the fn can end at all (`-> !`), and a line every round writes after the call
    # whether it failed or not (routine_alarm, only where the call can come back `Ok`).
    "err_arm": frozenset(
        {
            "spin_on_error",
            "propagate",
            "error_wait",
            "linear_backoff",
            "backoff",
            "diverges",
            "routine_alarm",
            "popped",
            # Which failures reach the arm at all: the callee's `?`s (blind read 98).
            "err_sources",
        }
    ),
    # How a loop paced by its callee's "nothing to do" result waits after its other results.
    "idle_arm": frozenset({"sleep", "error_wait"}),
    "steady_error": frozenset({"error_wait", "backoff", "propagate"}),
    # What ends a loop on its own is every exit of it, the `?`s too (mini-redis's `apply`:
    # the answer gave the `None` exit alone, a held-out read counted it misleading).
    # And a `return` elsewhere in the loop (console's aggregator: "names one exit and leaves
    # out the events-channel one", blind read 99).
    # Every branch that ends it: "which of the things it waits on can end its loop" answered
    # with one of three (blind read 10 on rathole's forwarder and rustdesk's `io_loop`).
    # A stop's branch too: "what makes it leave its loop?" answered with the SIGTERM branch
    # alone, its two stop branches left out (nostr-rs-relay's `ctrl_c_or_signal`, read 30).
    "select_exit": frozenset(
        {"select_exit", "loop", "propagate", "return", "loop_break", "shutdown_branch"}
    ),
    # What a win leads to is the answer to "what happens to the other?" as much as the drop.
    "select": frozenset({"select_branch", "runs_under"}),
    "join": frozenset({"runs_under"}),
    # How long a pause is: the call that sets its length just before it (fang's worker).
    "sleep": frozenset({"wait_prelude"}),
    # Giving up on a failed call in place is half the answer without what the caller does with
    # the error handed back (blind read 95: the Kafka input's `run` starts `run_inner` again).
    "redo": frozenset({"err_arm", "error_wait"}),
    "join_waits_all": frozenset({"propagate", "runs_in", "task_prints_error", "task_drops_error"}),
    # Whether a fan-out waits for its tasks is half the answer without where their errors go.
    # And how many tasks a fan-out over a bounded count can start.
    "spawn": frozenset(
        {
            "spawn_loop",
            # One task per pair of two nested loops: the count a fan-out question asks for.
            "spawn_nesting",
            "task_prints_error",
            "task_drops_error",
            "lost_result",
            "endless_task",
            "tasks_add_up",
            "own_awaits",
            "fanout_per_pass",
            "count_cap",
            "serial_loop",
            # How long the spawned task lives when it reads a channel, and when a send to it
            # waits (blind read 98 on mini-redis's `buffer`).
            "recv_loop",
            "bounded_channel",
        }
    ),
    # And the wait after the rounds: a JoinSet's first task to end (blind read 85 on
    # `connect`: "how long can it wait in total?" answered with the handshake alone).
    "attempt_cap": frozenset({"unbounded_awaits", "timeout", "first_done"}),
    # Whether a caller hears of a failure: the task's failures and those before its spawn.
    "one_shot": frozenset({"errs_before_spawn"}),
    # When a failure shows depends on which branches run on.
    "join_results": frozenset({"join_branch", "join"}),
    "propagate": frozenset({"err_arm", "error_wait"}),
    # A wait that lives in a callee: which wait it takes, and when it stops.
    "callee_waits": frozenset({"schedule_step", "give_up"}),
    # Whether an expiry is retried is half an answer without which errors are.
    # Which errors are retried, and how long a retried one keeps its caller: the schedule it
    # waits through (blind reads 82-84 on execute_with_backoff: "says nothing about the
    # schedule itself").
    "retry_filter": frozenset({"timeout_escapes", "growth", "schedule"}),
    # Whether a walk's return comes after its last wait matters only to whoever awaits it: a
    # task nobody holds a handle to has nobody (blind read 82).
    "trailing_sleep": frozenset({"runs_in"}),
    # What a failure writes, how often, and whether the loop goes on after it.
    "log": frozenset(
        {
            "err_arm",
            "log_twin",
            "error_wait",
            "error_log_pace",
            "error_log_ramp",
            "error_log_spread",
            "routine_alarm",
        }
    ),
}


# Kinds whose claims are the answer itself to a question about a claim of another kind, said
# right after it: "what stops the task `new` started?" was answered in the think's last
# sentence, after the task's lock and its expiry test (blind read 73's helper draft).
ANSWER_NEXT: dict[str, tuple[str, ...]] = {
    "spawn": (
        # What the task's loop does, said apart from its start (claims/spawn_loop.py).
        "spawn_loop",
        "spawn_nesting",
        "endless_task",
        "tasks_add_up",
        "own_awaits",
        "fanout_per_pass",
        # Whether the caller waits: a plain fn cannot (rathole's `new`, held-out read 41).
        "sync_spawn",
        # How the task stops when the fn it runs is the one loop (feroxbuster's handlers,
        # blind read 86: `Command::Exit` went unsaid).
        "callee_loop_end",
        # A task that is one sleep: when, if ever, it ends (spin's dummy watcher, read 86 #8).
        "sleep_task",
    ),
    "one_shot": ("errs_before_spawn",),
    "task_end": ("task_end",),
    # How long a fn can hang: its bounded waits and then the awaits no deadline covers.
    "attempt_cap": ("unbounded_awaits", "first_done"),
    "trailing_sleep": ("runs_in",),
    "select": ("runs_under", "select_branch"),
    "select_exit": ("select_exit",),
    "join": ("runs_under",),
}


# Kinds whose claims are no part of the answer about a claim of another kind, though their
# code overlaps it: the retry filter names the timeout's `?` as the one error it never sees,
# and an answer on an expiry that listed the retried arms read as the retry record's think
# reordered (blind read 86).
ANSWER_APART: dict[str, frozenset[str]] = {
    "timeout_escapes": frozenset({"retry_filter"}),
}


# Kinds whose claims say again what the asked claim says, when they are about the same log
# line: "which of the two failed?" answered with the shared line, then with each call's copy of
# it (blind read 53: "a one-sentence answer repeated three times").
ANSWER_SAID: dict[str, frozenset[str]] = {
    "shared_log_line": frozenset({"log"}),
    "routine_alarm": frozenset({"log"}),
}


# Claims about how often a failure's line comes back: a question about them is about failures.
_FAILURE_PACE = frozenset({"error_log_pace", "error_log_ramp", "error_log_spread"})


def same_code(c: Claim, asked: Claim) -> bool:
    """Whether ``c`` is about the code ``asked`` is: proven by overlapping code, or naming the
    same call, variable or future."""
    if c.overlaps(asked):
        return True
    # By the callee, as the request names it: one channel's three `send(..)`s, each said with
    # its arguments in the think, are all "when `tx.send` fails" (blind read 103).
    names = {
        named(e)
        for k, v in asked.slots
        if k in ANSWER_SLOTS
        for e in v.split(LIST_SEP)
        if e and e[0] != MORE
    }
    return any(
        k in ANSWER_SLOTS and named(e) in names
        for k, v in c.slots
        for e in v.split(LIST_SEP)
        if e and e[0] != MORE
    )


# A shutdown branch is a way out too: "what gets it out of the loop?" answered with the `None`
# branch alone left out the stop branch beside it (parseable's rebalance listener, a read).
_LOOP_WALK = frozenset(
    {
        "loop",
        "round_work",
        "loop_break",
        "select_exit",
        "shutdown_branch",
        "propagate",
        "return",
        "exit_tally",
    }
)


# Ways out of a loop: an answer to "what can end the loop?" needs all of them, also those
# another record of the same fn is about.
_EXITS = frozenset({"select_exit", "shutdown_branch", "loop_break", "exit_tally"})


def exits_beyond_plan(plan: Plan, asked: Claim, pool: list[Claim]) -> list[Claim]:
    """The subject's ways out of its loop that its plan left to another record, when the
    question asks what ends the loop: pingora's `run_endpoint` was asked "what can end the
    loop?" and answered "only a `break`", its shutdown branch said in its shutdown record
    (held-out read 31)."""
    if purpose_key(asked) != "select_loop" and asked.kind not in _EXITS:
        return []
    return [
        c for c in pool if c.kind in _EXITS and c.subject == asked.subject and c not in plan.claims
    ]


def answer_claims(plan: Plan, asked: Claim) -> list[Claim]:
    """The claims of ``plan`` a question about ``asked`` is answered with, in plan order: the
    claim itself and those proven by code that overlaps its proof or that name the same call,
    arm or variable. Blind reads 49-51 docked question records whose think went on to the
    file's other facts ("drifts to the debug and info lines", "lists the unrelated startup
    lines"): an answer says what was asked."""
    kin = ANSWER_KINDS.get(asked.kind, frozenset())
    if purpose_key(asked) == "select_loop":
        # "What does each round wait for, and what gets it out of the loop?": the round's
        # work and every way out answer it too.
        kin = kin | _LOOP_WALK

    def about(c: Claim) -> bool:
        # A claim of the plan is the plan's to say, whoever's it is (a helper's plan carries
        # its caller's error arm: where the error it hands back ends up).
        if c == asked or c.kind in kin or c.kind in ("cfg_variant", "spawn_wrapper", "dead_stop"):
            return True  # which build the answer is about belongs to every answer
        if asked.kind == "propagate" and c.kind == "loop" and "ends-process" in c.flags:
            # "Can it fail once its loop runs?": a call in the loop that exits the process is
            # an end the caller never sees (aardvark-dns's serve, held-out read 102 #3).
            return True
        if c.kind in ANSWER_APART.get(asked.kind, ()):
            return False
        if ("err-arm" in asked.flags or asked.kind in _FAILURE_PACE) and "ok-arm" in c.flags:
            return False  # the line a success writes is no answer to what a failure writes
        if (
            asked.kind == "log"
            and "err-arm" in asked.flags
            and c.kind == "log"
            and "in-loop" in c.flags
            and not {"in-arm", "in-select", "once"} & c.flags
        ):
            # Another line the same round writes whatever the call returned (a trace line
            # under a condition of its own): on-call sees it after a failure too (blind read
            # 57: the Kafka `run` log answer left out its trace line).
            return True
        if c.kind in ANSWER_SAID.get(asked.kind, ()) and c.get("message") == asked.get("message"):
            return False  # the line the asked claim quotes already, quoted again per call
        if (
            c.kind == "spin_on_error"
            and asked.kind in ("err_arm", "log")
            and c.get("pattern") in (asked.get("pattern"), asked.get("arm"))
        ):
            return True  # the wait that failure skips: how often its line comes back
        if c.kind == "sleep" and asked.kind == "err_arm" and c.get("arm") == asked.get("pattern"):
            return True  # the wait in the very arm that takes the error (zero2prod's worker)
        if (
            asked.kind == c.kind == "err_arm"
            and "keeps-looping" in asked.flags
            and "in-loop" in c.flags
            and {"breaks", "returns", "exits-process"} & c.flags
            and "inner-loop" not in c.flags
        ):
            # "Does one failed `tx.send` end the loop?" answered "no" beside a failed `recv`
            # that does break it (tokio-cron-scheduler's job creator, held-out read 29): the
            # error that ends the loop is part of the answer.
            return True
        if asked.kind == c.kind == "sleep" and {"in-arm", "in-loop"} <= asked.flags & c.flags:
            return True  # when a round pauses depends on every arm that waits
        return same_code(c, asked)

    # A claim that only widens a thin think is no part of an answer (``Plan.widened``).
    return [c for c in plan.claims if about(c) and c not in plan.widened]
