"""A record's think: the claim sentences of its plan, in order, with what the code means first
(``LEAD_KINDS``), tokio named at least once, and the opener when nothing leads. The sentences
come from the wording tables (``wording.think``) through ``render``, which traces each value.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from .claims import Claim
from .plan import MODULE_MEANING, Plan
from .render import BACKTICK_SPAN, MAX_THINK_CODE, Fill, Rendered, Renderer, Row
from .request import options
from .wording.think import ALIKE, MODULE_THINK, OPENERS, THINK, TOKIO, USED_BY

__all__ = [
    "LEAD_KINDS",
    "MAX_THINK_CODE",
    "SUBSUMES",
    "fits_think",
    "render_think",
    "think_text",
]

MAX_LOG_SENTENCES = 4  # log lines a think says besides its premise's

LEAD_KINDS = frozenset(
    {
        "handed_off",
        "trailing_sleep",
        "timeout_escapes",
        "retry_filter",
        "join_results",
        "pass_runs_out",
        "steady_error",
        "error_log_pace",
        "shared_log_line",
        "routine_alarm",
        "join_waits_all",
        "timed_after_wait",
        "local_timeout",
        "endless_set",
        "fixed_input",
        "counted_inside",
        "locked_short",
        "limit_per_round",
        "one_shot",
        "sleep_budget",
        "attempt_cap",
        "stale_check",
        "retry_budget",
        "twin",
        "spin_on_error",
    }
)


# A sentence that leans on one before it ("Neither check ...", "So a backlog ...") cannot lead.
_LOOKS_BACK = re.compile(r"(?:So|Neither|That|This|These|It|Its|Both|Then|Next to|Also)\b")


def render_think(
    r: Renderer,
    plan: Plan,
    pool: list[Claim],
    out: Rendered,
    only: list[Claim] | None = None,
    front: int = 1,
) -> tuple[list[str], Claim | None]:
    """The think's claim sentences in plan order, except that the first one saying what the
    code means (``LEAD_KINDS``) comes first, and whether there is one (then no opener).
    ``only``: the plan's claims to say, the first of them first (the rest are skipped; each
    claim keeps its index in the plan, so its wording is the one the full think would use).
    ``front``: how many of ``only``'s first claims are said first, in that order."""
    sentences: list[str] = []
    table = MODULE_THINK if plan.focus == "module" else THINK
    lead, lead_claim = -1, None
    kinds: list[str] = []  # the claim kind of each sentence, in order
    last = ""  # the subject of the last sentence said
    # (kind, subject, flags) of each claim said: a later one alike is said with ALIKE's rows.
    twins: set[tuple[str, str, frozenset[str]]] = set()
    order = _think_order(plan, only, front)
    said_by = _subsumed(plan, [c for _, c in order], only[0] if only else None)
    # What the record must say: the premise, or a question's claim and its answer itself.
    head = only[:front] if only is not None else None
    kept = set(plan.premise) if head is None else set(head)
    logs: list[Claim] = []  # the log claims let through so far
    for n, c in order:
        if _left_out(c, said_by, logs, kept, head, out.claims, r.said_before, plan, only):
            continue
        mark = (len(out.claims), len(out.fills))
        # A claim about the task that calls this helper is said with that task named.
        caller_side = plan.role == "helper" and c.subject != r.context["fn"]
        rows = USED_BY if caller_side else table
        # A sentence that may move to the front cannot lean on the one before it for its subject.
        may_lead = lead < 0 and c.kind in LEAD_KINDS and (only is None or c is only[0])
        if plan.focus == "module" and c.kind in MODULE_MEANING:
            # No module row says what claims mean together: the fn's own row does, with the
            # fn named, as every sentence of a module think names its fn.
            s = _say_borrowed(r, THINK, c, f"think|{n}", out, plan.nth.get(c, 0), False)
        elif c.subject != r.context["fn"] and not caller_side and plan.focus != "module":
            named = c.subject == last and not may_lead
            s = _say_borrowed(r, rows, c, f"think|{n}", out, plan.nth.get(c, 0), named)
        elif (c.kind, c.subject, c.flags) in twins and not caller_side:
            s = r.claim(ALIKE, c, f"think|{n}", out, accept=fits_think)
            s = s or r.claim(rows, c, f"think|{n}", out, nth=plan.nth.get(c, 0), accept=fits_think)
        else:
            s = _say_fresh(r, rows, c, f"think|{n}", out, plan.nth.get(c, 0))
        if s and len(sentences) >= 2 and c not in kept and _said_before(r, s):
            # A side sentence an earlier record of the file said word for word: left out
            # (blind read 92, the cleaner: "each think adds one of these stock facts as a
            # closing sentence, often copied from another record").
            del out.claims[mark[0] :], out.fills[mark[1] :]
            continue
        if s:
            last = c.subject
        if s and plan.focus != "module":
            twins.add((c.kind, c.subject, c.flags))
        if s and s not in sentences:
            if may_lead and plan.focus != "module" and not _LOOKS_BACK.match(s):
                lead = len(sentences)
                lead_claim = c
            sentences.append(s)
            kinds.append(c.kind)
    if lead > 0:
        sentences.insert(0, sentences.pop(lead))
    elif (
        lead < 0
        and plan.focus != "module"
        and len(sentences) > 1
        and kinds[0] == "loop"
        and not _LOOKS_BACK.match(sentences[1])
    ):
        # What kind of loop it is ("Of its loops, `for input in inputs` takes the elements one
        # at a time.") is no way to open: the next sentence, about what the code does, leads.
        sentences[0], sentences[1] = sentences[1], sentences[0]
    if sentences and not any("tokio" in s for s in sentences):
        aside = _tokio_aside(r, plan, out)
        if aside:
            sentences.insert(_aside_at(sentences, aside, r.context["fn"]), aside)
    return note_consts(sentences, pool, r.context["fn"], out), lead_claim


_UNIT = r"\s*(?:milli)?(?:second|minute|hour|day)s?\b|\s*ms\b|%"


def _says_value(text: str, value: str, duration: bool) -> bool:
    """Whether ``text`` says ``value`` already: a duration in those words, a count as a number
    of its own (not the "2" of "2 seconds")."""
    if duration:
        return value in text
    return re.search(rf"(?<![\w.,]){re.escape(value)}(?![\w,.]|{_UNIT})", text) is not None


def note_consts(sentences: list[str], pool: list[Claim], fn: str, out: Rendered) -> list[str]:
    """``sentences`` with the value of each const they quote said once, where it is first
    quoted: "`PROVIDER_READ_RETRY_DELAY` (2 seconds)", or after an expression that holds it,
    "`attempt >= PROVIDER_READ_ATTEMPTS` (`PROVIDER_READ_ATTEMPTS` is 2)". A value the think
    says already is not said again. Blind read 12: thinks left "the values that decide the
    behaviour" (a 2-attempt cap, a 2 s delay) to the reader."""
    text = " ".join(sentences)
    said = list(sentences)
    for c in pool:
        if c.kind != "const_value" or c.subject != fn:
            continue
        name, value = c.get("name"), c.get("value")
        if _says_value(text, value, "duration" in c.flags):
            continue
        word = re.compile(rf"(?<![\w:]){re.escape(name)}(?!\w)")
        for i, s in enumerate(said):
            # A span that is itself an aside in brackets ("1 minute (`PENALTY_SECS`)") names
            # where a value said before it comes from: no second bracket inside it.
            spans = [
                m
                for m in BACKTICK_SPAN.finditer(s)
                if word.search(m.group(0)) and s[m.start() - 1 : m.start()] != "("
            ]
            if not spans:
                continue
            m = spans[0]
            note = f" ({value})" if m.group(0).strip("`") == name else f" (`{name}` is {value})"
            said[i] = s[: m.end()] + note + s[m.end() :]
            out.claims.append(c)
            out.fills.append(Fill(value, False))
            text = " ".join(said)
            break
    return said


def _aside_at(sentences: list[str], aside: str, fn: str) -> int:
    """Where the tokio aside goes: right after the first sentence about the same code (one
    that names a code span the aside names, other than the tokio path and the record's own
    fn), where it reads as a word on that wait; at the end when none does. Never in front of
    a sentence that leans on the one before it ("That arm also ..."). Tacked on last, "The
    wait on `self.retry_schedule[0]` is a `tokio::time::sleep`." read as filler (blind reads
    64-67)."""
    spans = {m for m in BACKTICK_SPAN.findall(aside) if not m.startswith("tokio::") and m != fn}
    for i, s in enumerate(sentences):
        if spans & set(BACKTICK_SPAN.findall(s)):
            at = i + 1
            while at < len(sentences) and _LOOKS_BACK.match(sentences[at]):
                at += 1
            return at
    return len(sentences)


# (kind, kind): a claim of the first kind says what one of the second, proven by the same code,
# says (blind reads 53-54: "the second sentence restates the first": Retry::run's "sleeps
# `self.retry_schedule[0]`" after "each retry takes the next wait on the schedule").
SUBSUMES = frozenset(
    {
        ("schedule_step", "sleep"),
        ("steady_error", "error_wait"),
        ("steady_error", "err_arm"),
        ("shared_log_line", "log"),
        ("routine_alarm", "log"),
        ("branch_logs", "log"),
        ("deadline_sleep", "sleep"),
        ("log_wait_mismatch", "log"),
        # The loop's returns, said with the errors each one takes.
        ("retry_filter", "loop"),
        # "bounds `f` by `d`, and the `?` hands an expiry up" says the bound itself.
        ("timeout_escapes", "timeout"),
        # "the last entry is followed by its own wait too" names the round's closing sleep.
        ("trailing_sleep", "sleep"),
        # "on that result the loop sleeps 10 seconds" is the arm's sleep.
        ("idle_arm", "sleep"),
        # "If `x` finishes first, `f` returns `e`" is that branch's return and its lines.
        ("select_branch", "return"),
        ("select_branch", "log"),
        # "Cancellation is one arm of the `tokio::select!`" says the race; "only the winner's
        # handler runs, and the loser is dropped" beside it was the stock line of every
        # shutdown think (held-out reads 12-16).
        ("shutdown_branch", "select"),
        # "each round opens with `a` and `b` all the same" is the round's work, said whole.
        ("woken_work", "round_work"),
        # "it first awaits `x`, and only then returns `e`" is that arm's return, said whole.
        ("return_prelude", "return"),
    }
)


# Claims that quote a second, unguarded line (``also``) with the pace of the failure's own: the
# log claim of that line says nothing more ("two error lines, the failure's own and “… disconnected
# …”, which nothing guards", then "On every round of the loop it logs “… disconnected …”, outside
# any condition": blind read 91 on the queue plugin).
_SAYS_ALSO = frozenset({"error_log_ramp", "error_log_spread", "error_log_pace"})


def says(d: Claim, c: Claim) -> bool:
    """Whether claim ``d`` says what ``c`` says (``SUBSUMES``), about the same code."""
    if d is c:
        return False
    if d.kind in _SAYS_ALSO and c.kind == "log" and d.get("also"):
        return d.get("also") == c.get("message") and not {"guarded", "in-arm"} & c.flags
    if d.kind == c.kind == "shutdown_branch" and d.proof and c.proof:
        # Two selects of one fn that stop alike on one future: said once ("Cancellation is one
        # arm .. does `break`" twice, word for word, in pgdog's WAL checkpointer).
        # And one that returns where the other breaks (pgdog's LSN monitor: the sentence
        # twice, but for `return` and `break`): either way the stop ends the loop there.
        same = all(d.get(k) == c.get(k) for k in ("future", "guard")) and (
            d.get("action") == c.get("action")
            or {d.get("action"), c.get("action")} <= {"break", "return"}
        )
        # The loop's own stop is the one said: a select before the loop only guards a wait.
        d_loop, c_loop = "in-loop" in d.flags, "in-loop" in c.flags
        if d_loop != c_loop:
            return same and d_loop
        return same and d.proof[0].start < c.proof[0].start
    if d.kind == "loop" and "question-in-loop" in d.flags and c.kind == "propagate":
        # "A `?` in the body ends the `loop` too" and then "the `?` on `x` is another way out"
        # counted one `?` twice (fred's `read_and_sleep`, held-out read 35).
        # (The loop's proof is its keyword and its ways out, not its body: by subject. Left
        # out, the `?` is still said, by the loop's sentence.)
        return "in-loop" in c.flags and c.subject == d.subject and "stub-call" not in c.flags
    if d.kind == "err_arm" and c.kind == "sleep" and d.flags >= _ARM_WAIT_SAID:
        # "logs at error and awaits `tokio::time::sleep(*delay)` before it skips to the next
        # round" says the arm's sleep (arm_wait.py): not again as a sentence of its own. Only
        # where a row that says the wait is the one that fits the arm.
        return (
            c.subject == d.subject
            and not d.flags & _ARM_WAIT_UNSAID
            and any(
                (p.start, p.end) == (q.start, q.end) and q.text == d.get("arm_wait")
                for p in c.proof
                for q in d.proof[1:2]
            )
        )
    if d.kind == "exit_tally" and c.kind == "loop" and "exits" in c.flags:
        # "Only a `break` gets out of the `loop`, written in more than one place" beside the
        # tally of those breaks said the same twice (held-out read 22's exits thinks).
        return d.subject == c.subject
    return (d.kind, c.kind) in SUBSUMES and c.overlaps(d)


# The flags of an error arm whose sentence says the wait in it (wording/think.py's `err_arm`
# rows with `waits-in-arm`), and those that send it to a row that does not.
_ARM_WAIT_SAID = frozenset({"continues", "logs", "waits-in-arm"})
_ARM_WAIT_UNSAID = frozenset(
    {"after-narrower", "after-guard", "one-of-several", "inner-loop", "exits-sometimes", "hands-on"}
)

# A think sentence this long said word for word in an earlier record of the file is a pasted
# paragraph (blind read 42: the cleaner's batching, contention and sql-batch thinks shared their
# SQL sentences); a shorter one ("It returns `Ok(())`.") may repeat.
SAME_SENTENCE_WORDS = 12


def _think_order(plan: Plan, only: list[Claim] | None, front: int) -> list[tuple[int, Claim]]:
    """The plan's claims with their indexes, in the order a think says them: ``only``'s first
    ``front`` first, in that order, then the rest of ``only`` in plan order."""
    order = list(enumerate(plan.claims))
    if only is None:
        return order
    # The asked claim (first of ``only``) is said first: a question is answered before
    # anything else is said (blind read 52: "opens on a side point").
    head = only[:front]
    return sorted(
        (t for t in order if t[1] in only),
        key=lambda t: head.index(t[1]) if t[1] in head else len(head),
    )


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences at a stop followed by space, as the repeat checks read it."""
    return re.split(r"(?<=[.?!])\s+", text)


def repeats(text: str, seen: Collection[str]) -> bool:
    """Whether a sentence of ``text`` long enough to be noticed (``SAME_SENTENCE_WORDS``) is
    in ``seen``, the sentences of the file's earlier records."""
    return any(len(s.split()) >= SAME_SENTENCE_WORDS and s in seen for s in sentences(text))


def _said_before(r: Renderer, s: str) -> bool:
    return repeats(s, r.said_before)


def _one_log_too_many(
    c: Claim, logs: list[Claim], kept: set[Claim], asked: list[Claim] | None
) -> bool:
    """Whether log claim ``c`` would be one line too many for a think: one that walks through a
    dozen log lines reads as a listing, not reasoning (held-out reads on shuttle, kanidm and
    iggy: "the log-listing template"). The first few in plan order are said, a premise's a few
    more, and the claim a question asks about always. Adds ``c`` to ``logs`` when it is said."""
    if c.kind != "log" or (asked is not None and c in asked):
        return False
    if len(logs) >= MAX_LOG_SENTENCES + (2 if c in kept else 0):
        return True
    logs.append(c)
    return False


def _subsumed(plan: Plan, claims: list[Claim], asked: Claim | None = None) -> set[Claim]:
    """The claims a think leaves out because another of ``claims`` says them (``SUBSUMES``) about
    the same code; never one the request is about (``plan.premise``, or the claim a question
    asks about: a question's answer may leave out a premise claim another says whole)."""
    out: set[Claim] = set()
    # The stock race line goes only where the think has enough else to say: a shutdown think
    # of one branch sentence alone is too thin to be a record (mixed_db's quota refresher).
    thin = sum(c.kind != "select" for c in claims) < 3
    # A stop said once for two selects (``says``): the race of the select whose stop went
    # unsaid goes with it (pgdog's LSN monitor, "only the winner's handler runs" per select).
    twins = [
        c
        for c in claims
        if c.kind == "shutdown_branch" and any(says(d, c) for d in claims if d.kind == c.kind)
    ]
    for c in claims:
        if c is not asked and c.kind == "select" and any(c.overlaps(t) for t in twins):
            out.add(c)
            continue
        if c is asked or (thin and c.kind == "select"):
            continue
        # A premise claim goes only for another premise claim that says it (the deadline
        # sleep of pingora's balancer says its `sleep_until`: both are the cadence's premise).
        held = c in plan.premise and asked is None
        for d in claims:
            if says(d, c) and (not held or d in plan.premise):
                out.add(c)
                break
    return out


def _say_fresh(
    r: Renderer, rows: tuple[Row, ...], c: Claim, salt: str, out: Rendered, nth: int
) -> str:
    """``c`` in a variant that does not quote again an expression an earlier sentence quoted
    (blind read 53: "says `sleep_time` to `Some(ON_ERROR)` three times"), when its row has one;
    else in any variant that fits a think."""
    said = {f.value for f in out.fills if f.code and _EXPRESSION.search(f.value)}

    def fresh(fills: list[Fill]) -> bool:
        return fits_think(fills) and not any(f.code and f.value in said for f in fills)

    s = r.claim(rows, c, salt, out, nth=nth, accept=fresh) if said else ""
    return s or r.claim(rows, c, salt, out, nth=nth, accept=fits_think)


def _tokio_aside(r: Renderer, plan: Plan, out: Rendered) -> str:
    """The sentence that names tokio in a think whose claims did not: from the first of the
    plan's tokio claims a row can say with tokio in it; "" when none can."""
    # A module's sentences each name their fn: its aside too, or "Its" reads as the last fn
    # named (blind read: "Its `tokio::time::sleep`" after a helper that never sleeps).
    tables = (MODULE_THINK,) if plan.focus == "module" else (TOKIO, THINK)
    # One an earlier think of the file said word for word is passed over while another fits
    # (blind reads 92-94: the cleaner's sleep-rather-than-interval aside closed two records).
    for fresh in (True, False):
        for c in plan.tokio:
            if c in out.claims:
                continue  # said already, in words without tokio: a second sentence repeats it
            nth = plan.nth.get(c, 0)
            for rows in tables:
                s = r.claim(
                    rows, c, "think|tokio", Rendered(""), dry=True, nth=nth, accept=fits_think
                )
                if "tokio" in s and not (fresh and _said_before(r, s)):
                    return r.claim(rows, c, "think|tokio", out, nth=nth, accept=fits_think)
    return ""


def _say_borrowed(
    r: Renderer,
    rows: tuple[Row, ...],
    c: Claim,
    salt: str,
    out: Rendered,
    nth: int,
    named: bool,
) -> str:
    """A callee's claim said in its caller's think names the callee: a sentence that does not
    would be read as the caller's own (blind read: "A bare `loop`, left only by `return
    result`." closed a think about `ack`, which has no loop; the loop is `Retry::run`'s). A
    variant that names it, or follows a sentence that ``named`` it, is said as it is; one that
    opens on "The" or "It" takes the callee as its subject; any other takes "In `callee`, " in
    front. A fragment that can take none of these is passed over."""
    name = f"`{c.subject}`"
    for k in range(4):
        s = r.claim(rows, c, salt, Rendered(""), dry=True, nth=nth + k, accept=fits_think)
        if not s:
            return ""
        if named or name in s:
            # Named just before (or here): the variant reads as the callee's as it stands.
            return r.claim(rows, c, salt, out, nth=nth + k, accept=fits_think)
        if s.startswith("The "):
            said = r.claim(rows, c, salt, out, nth=nth + k, accept=fits_think)
            return f"In {name}, t{said[1:]}"
        if s.startswith("It "):
            said = r.claim(rows, c, salt, out, nth=nth + k, accept=fits_think)
            return f"{name}{said[2:]}"
        if re.match(r"(?:[A-Z][a-z]+|`)", s):
            # "When `gate` is true, the `UPDATE` ..." takes the callee in front: skipping it for
            # the next variant gave two records of one subject the same sentence (blind read
            # 42: the cleaner's batching and contention thinks shared two SQL sentences).
            said = r.claim(rows, c, salt, out, nth=nth + k, accept=fits_think)
            lead = said if said.startswith("`") else said[:1].lower() + said[1:]
            return f"In {name}, {lead}"
    return ""


# Claims said in one record of a file at most, known by words every row of theirs has: that a
# plain fn cannot wait for its spawn and needs a runtime is the same point for each such fn,
# and said in each it made their thinks near copies (the trap crate's dealer.rs lost three
# records to the dedupe; held-out read 46 counted it three times in one set).
_ONCE_A_FILE: dict[str, tuple[str, ...]] = {"sync_spawn": ("Tokio runtime",)}


def _said_in_file(c: Claim, before: Collection[str], plan: Plan, only: list[Claim] | None) -> bool:
    """Whether ``c`` is of a kind said once a file and an earlier record of the file said it;
    never the record's premise or the claim its question asks about."""
    if c in plan.premise or (only and c is only[0]):
        return False
    return any(m in s for m in _ONCE_A_FILE.get(c.kind, ()) for s in before)


def _left_out(
    c: Claim,
    said_by: Collection[Claim],
    logs: list[Claim],
    kept: set[Claim],
    head: list[Claim] | None,
    said: list[Claim],
    before: Collection[str],
    plan: Plan,
    only: list[Claim] | None,
) -> bool:
    """Whether the think leaves ``c`` out: another claim says it, it is one log line too many,
    a sleep said (or to be said, as a premise) is the same wait, or an earlier record of the
    file said its once-a-file point."""
    return (
        c in said_by
        or _one_log_too_many(c, logs, kept, head)
        or _same_wait_said(c, said if c in kept else [*said, *kept])
        or _said_in_file(c, before, plan, only)
    )


def _same_wait_said(c: Claim, said: list[Claim]) -> bool:
    """A sleep whose mechanism, argument and arm a sleep said earlier in this think shares:
    rumqttd's bridge sleeps `config.reconnection_delay` in five error branches, and its think
    said "the `Err(e)` branch sleeps .. then `continue`s" three times over (session 46)."""
    if c.kind != "sleep":
        return False
    mine = c.slot_map
    return any(
        d.kind == "sleep"
        and d.subject == c.subject
        and d is not c
        and all(mine.get(k) == d.slot_map.get(k) for k in ("mech", "arg", "arm", "guard"))
        for d in said
    )


def think_text(
    r: Renderer, plan: Plan, sentences: list[str], led: Claim | None, out: Rendered
) -> str:
    """The think's sentences as one text, opened by what the code does."""
    first = _standalone(sentences[0], r.context["fn"]) if sentences else None
    if led is not None:
        return " ".join(sentences)
    if first is not None:
        # A framing sentence that only names the topic ("Which task each part of X ends up on
        # decides what can hold it up.", "The tokio parts of X are what to get right here.")
        # would be true of any fn (blind read 33: 34 of 49 thinks opened so; blind read 36
        # counted four such openers as filler): the think starts with what the code does.
        return " ".join([first, *sentences[1:]])
    opener = r.plain(options(OPENERS[plan.focus], plan), "opener", out)
    return " ".join([opener, *sentences])


def _standalone(sentence: str, fn: str) -> str | None:
    """``sentence`` able to open a think: "It ..." takes the fn's name; one that leans on a
    sentence before it ("So ...", "Neither ...") cannot open, and gives None."""
    if sentence.startswith("It "):
        return f"`{fn}` {sentence[3:]}"
    if sentence.startswith("Its "):
        return f"`{fn}`'s {sentence[4:]}"
    return None if _LOOKS_BACK.match(sentence) else sentence


# A code span that is an expression, not a name (`Some(ON_ERROR)`, `rows_affected > 0`).
_EXPRESSION = re.compile(r"[^\w:.!]")


def fits_think(fills: list[Fill]) -> bool:
    return not any(f.code and len(f.value) > MAX_THINK_CODE for f in fills)
