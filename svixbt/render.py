"""Claims to words: pick a row of a wording table for each claim, fill its slots, keep a trace.

A row matches a claim by kind, flags that must (and must not) be set, and slots it needs. Its
variants are templates whose only variable parts are ``{slot}`` or ``{slot:form}`` fields, so
every identifier, number and quoted message in the output comes from a claim; template text
itself never holds a backtick or a digit (``tests/test_wording.py`` holds every table to that).

Choices depend on the seed and the record's key alone — never on other records — so adding an
example elsewhere changes no other record's wording.

Slot forms: ``code`` (default for code slots: `` `x` ``), ``list`` (`` `a`, `b` and `c` ``),
``or`` (`` `a` or `b` ``), ``cond`` (`` `a` holds `` / ``both `a` and `b` hold``), ``quote``
(“text” for the author's words), ``word`` (a count as a word: four), ``plain`` (as is), ``one``
(the first of a list, as an example).
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from .claims import Claim
from .claims.core import LIST_SEP, MORE, NOT
from .values import number_word
from .wording.conditions import conjuncts, say_condition

__all__ = [
    "Row",
    "row",
    "negated",
    "elide",
    "elide_code",
    "MAX_THINK_CODE",
    "shorten",
    "Fill",
    "Rendered",
    "Renderer",
    "CODE_SLOTS",
    "named",
    "quotable",
    "number_word",
    "FIELD",
]

# Slots whose values are code (rendered in backticks) unless a form says otherwise.
CODE_SLOTS = frozenset(
    {
        "fn",
        "helper",
        "handle_field",
        "field_readers",
        "dropped_by",
        "ender",
        "guard_var",
        "lock_call",
        "next_wait",
        "abort_call",
        "current_call",
        "env",
        "strong",
        "stream",
        "way_pattern",
        "discard_as",
        "site_file",
        "branch_cond",
        "abort_var",
        "abort_kept_in",
        "wrap_fn",
        "inner_loop",
        "way_expr",
        "wrap_call",
        "stub",
        "panic_by",
        "written",
        "native",
        "first_waits",
        "first_awaits",
        "arm_wait",
        "arm_wait_ctor",
        "sender",
        "receiver",
        "twin",
        "drop_owner",
        "cancel_call",
        "wrapper",
        "wrapper_file",
        "wraps",
        "gate_cfg",
        "on_signal",
        "also_wait",
        "way_cond",
        "stored_in",
        "trigger",
        "arm_of",
        "match_on",
        "fields",
        "limit_also",
        "sleep_arg",
        "quick",
        "passed",
        "outcomes",
        "loop_if",
        "does_first",
        "loop_future",
        "won_by",
        "rt_attr",
        "rt_file",
        "raced_with",
        "raced_if",
        "detached_mech",
        "mechs",
        "stub_macro",
        "tick_guard",
        "rearm",
        "set_code",
        "opt_var",
        "raced_if_cond",
        "gated",
        "timed",
        "timed_arg",
        "timed_call",
        "timed_mech",
        "otherwise",
        "gate",
        "interval_arg",
        "traced_by",
        "exit_arms",
        "sleep_call",
        "detach_fn",
        "branch_of",
        "grow",
        "initial_expr",
        "bound",
        "traced_key",
        "to",
        "handed",
        "handed_files",
        "limit_also_in",
        "skip_names",
        "retry_names",
        "mine",
        "wait",
        "outer_wait",
        "branches",
        "deadlines",
        "periods",
        "racer",
        "theirs",
        "sig_mine",
        "sig_theirs",
        "spelled_mine",
        "spelled_theirs",
        "pop",
        "write",
        "escape",
        "file",
        "cond",
        "upto",
        "round_guard",
        "checked",
        "handled",
        "handed_to",
        "raced_handle",
        "panics",
        "also_path",
        "also_field",
        "also_value",
        "after_call",
        "sleep_mech",
        "timeout_arg",
        "timeout_mech",
        "returned",
        "returned_names",
        "retried",
        "stop",
        "head",
        "loop_head",
        "keyword",
        "mech",
        "arg",
        "guard",
        "precondition",
        "arm",
        "var",
        "future",
        "branch",
        "idle",
        "init",
        "macro",
        "pattern",
        "call",
        "calls",
        "outcome",
        "source_call",
        "sometimes",
        "recv",
        "returns_when",
        "expr",
        "retry_arm",
        "skip_arm",
        "outer",
        "token",
        "action",
        "check",
        "runs",
        "repeated",
        "rerun",
        "then",
        "over",
        "next_call",
        "ways",
        "args",
        "by",
        "taker",
        "counter",
        "add",
        "sub",
        "load",
        "by_file",
        "others",
        "rivals",
        "chain",
        "callers",
        "files",
        "const",
        "callee",
        "places",
        "verbs",
        "named",
        "tables",
        "bind",
        "begin",
        "commit",
        "name",
        "cap_expr",
        "sem",
        "arm_a",
        "arm_b",
        "call_a",
        "call_b",
        "scrutinee",
        "take",
        "base",
        "lo",
        "hi",
        "when",
        "start",
        "field",
        "attr",
        "other_attr",
        "as_error",
        "join",
        "methods",
        "query",
        "table",
        "param",
        "futures",
        "method",
        "timer",
        "bound_name",
        "skipped",
        "update",
        "amount",
        "setup",
        "how",
        "where",
        "per",
        "first_work",
        "event",
        "prior",
        "rework_when",
        "ptr",
        "select",
        "stmt",
        "limit_clause",
        "lock_clause",
        "local_kw",
        "value_code",
        "value_set",
        "idle_value",
        "tick",
        "task",
        "wait_mechs",
        "wait_arg",
        "subject",
        "ctor",
        "schedule",
        "predicate",
        "step",
        "list",
        "work",
        "callee_file",
        "via",
        "missed",
        "drain",
        "cfg",
        "handle_var",
        "handle_into",
        "rework",
        "rework_arg",
        "handled_first",
        "ok_checked",
        "ok_first",
        "ok_callee",
        "limit",
        "unbounded",
        "jitter",
        "source",
        "other",
        "reset",
        "next",
        "body",
        "until",
        "before",
        "owner",
        "arg_value",
        "endless",
        "endless_file",
        "steps",
        "inner",
    }
)
FIELD = re.compile(r"\{(\w+)(?::(\w+))?\}")


_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def elide(message: str) -> str:
    """A format string as a person quotes its output: each placeholder becomes an ellipsis."""
    return _PLACEHOLDER.sub("…", message)


def shorten(message: str) -> str:
    """A long log line as a person quotes it in a request: by its first words (a request that
    pastes a whole sentence of log output reads as built from the code)."""
    said = elide(message)
    words = said.split(" ")
    if len(words) > 7:
        said = " ".join(words[:5]).rstrip(".,;:") + " …"
    return said


def _top_level(code: str) -> str:
    """``code`` with what sits inside `(..)` and `[..]` left out."""
    out, depth = [], 0
    for ch in code:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def negated(cond: str) -> str | None:
    """``x`` for a condition that is just ``!x``, where ``x`` is one operand (a flag, a field, a
    call, `f(&db).await?`): no space, no operator that would bind looser than ``!``."""
    c = cond.strip()
    if not c.startswith("!") or c.startswith("!="):
        return None
    inner = c[1:]
    if inner.count("(") != inner.count(")") or inner.count("[") != inner.count("]"):
        return None
    # Only what lies outside brackets can bind looser than `!`: the arguments of
    # `!self.exists(stream, tenant_id)` are one operand (parseable's hot tier check was said
    # "`!self.exists(..)` is false" for want of this).
    if not inner or re.search(r"\s|&&|\|\||[=<>+*/%^]|-(?!>)", _top_level(inner)):
        return None
    if not re.match(r"[A-Za-z_(]", inner) or inner.startswith("(") and re.search(r"\s", inner):
        return None
    return inner


_LET_ERR = re.compile(r"let Err\(\s*(?:_|[a-z_]\w*)\s*\)\s*=\s*(.+?\))(?:\.await)?")


def _denied(cond: str, code: bool, out: Rendered) -> str:
    """An earlier `if` condition that must have been false to get here."""
    m = _LET_ERR.fullmatch(cond)
    if m and code:
        # `if let Err(e) = call.await { .. continue; }` passed: the call returned no error.
        out.fills.append(Fill(m.group(1), code))
        return f"`{m.group(1)}` did not return an error"
    if cond.startswith("let "):
        return f"`{cond}` does not match"
    inner = negated(cond) if code else None
    if inner is not None:
        out.fills.append(Fill(inner, code))
        return f"`{inner}` is true" if not inner.endswith(")") else f"`{inner}` returns true"
    return f"`{cond}` is false"


# The group of texts a salt belongs to, for a record's bump (see ``Renderer.bump``).
_BUMP_BIT = {"why": 0, "symptom": 0, "opener": 1}

# Claim kinds about the task a subject runs in, which several subjects of a file can share.
SHARED_CONTEXT = frozenset({"runs_in", "on_path"})


_ALL_FAILURES = re.compile(r"\b(?:fails?|failed|failures?|failing)\b|\b[Aa]n error from\b")


@functools.cache
def _of_all_failures(variants: tuple[str, ...]) -> bool:
    """Whether a row's wording speaks of every failure of a call ("when {call} fails")."""
    return any(_ALL_FAILURES.search(v) for v in variants)


@dataclass(frozen=True)
class Row:
    """One way to say a claim of ``kind``; used when the claim has every flag in ``when``, none in
    ``unless`` and every slot in ``needs`` (plus those its templates use)."""

    kind: str
    variants: tuple[str, ...]
    when: frozenset[str] = frozenset()
    unless: frozenset[str] = frozenset()
    needs: tuple[str, ...] = ()
    # True when every variant holds whether or not the claim is guarded by a condition (how a
    # failure of a call is handled, which mechanism a wait uses): such a row may leave the
    # guard unsaid. Checked by the wording tests, not at render time.
    any_guard: bool = False

    def slots_used(self) -> set[str]:
        return {m.group(1) for v in self.variants for m in FIELD.finditer(v)}

    def matches(self, c: Claim, extra: dict[str, str]) -> bool:
        # A word of ``when``/``unless`` names a flag, or a slot the claim may carry: `unless="arm"`
        # keeps a row that says the whole branch away from a claim about some of its arms
        # (nostr-rs-relay: "the branch does `break`" for a break in four of its arms).
        have = set(c.slot_map) | set(extra)
        marks = c.flags | set(c.slot_map)
        if c.kind != self.kind or not self.when <= marks or self.unless & marks:
            return False
        used = self.slots_used()
        narrow = "narrow-err" in marks and not self.when & {"narrow-err", "narrowed"}
        if narrow and _of_all_failures(self.variants):
            # "When `find_tail` fails, the `Err(Error::Shutdown(_))` branch .." of an arm that
            # takes some failures only (restate's tail checker, read 65).
            return False
        if "arm_of" in have and "arm" in used and "arm_of" not in used:
            # An arm named without the call it matches: two `Err(err)` arms read as one
            # (hyperlane's tx-id indexer: "The 5 seconds pause in `Err(err)`" after a line about
            # the fetch's arm, which does not pause).
            return False
        return set(self.needs) <= have and used <= have


def row(
    kind: str,
    *variants: str,
    when: str = "",
    unless: str = "",
    needs: str = "",
    any_guard: bool = False,
) -> Row:
    """A table row written as a rule: flags and needed slots as space-separated words."""
    return Row(
        kind,
        tuple(variants),
        frozenset(when.split()),
        frozenset(unless.split()),
        tuple(needs.split()),
        any_guard,
    )


@dataclass(frozen=True)
class Fill:
    """A value the renderer put into the text, and whether it is code."""

    value: str
    code: bool


@dataclass
class Rendered:
    text: str
    claims: list[Claim] = field(default_factory=list)
    fills: list[Fill] = field(default_factory=list)
    premise_said: int = 0  # the request's central sentence came from a claim
    # The code conditions the last sentence said (``{x:cond}`` fills), for the next one: the
    # same test said again right after reads as a copy ("when `last_fail.elapsed() > …` holds"
    # twice in three sentences: blind read 91).
    conds: list[str] = field(default_factory=list)
    # The scopes of ``LEAD_INS`` said already ("when `x` holds, .."): a request says each once.
    loop_ifs: set[str] = field(default_factory=set)


# A backticked code span of one line: what requests are checked for and what the grounding
# check traces (checks.py reads the same pattern).
BACKTICK_SPAN = re.compile(r"`([^`\n]+)`")

# What a maintainer quotes in an issue: a name or path (`enable_legacy_message_cleaner`,
# `tokio::time::sleep`, `self.url`), a macro, a call of one with no arguments
# (`shutdown.cancelled()`), a result pattern over a plain value (`Ok(false)`, `None`), or SQL
# (`LIMIT $1`, `FOR UPDATE SKIP LOCKED`), a file path, or the `?` operator. Anything else is an
# expression lifted from the code: blind read 36 counted `since < until - max_timeframe`,
# `&conf.retry_schedule`, `*delay`, `tokio::time::sleep(backoff)`, `continue` and a bare `3` in
# requests as pasted code.
_QUOTABLE = re.compile(
    r"[A-Za-z_]\w*(?:(?:::|\.)[A-Za-z_]\w*)*!?(?:\(\))?"
    r"|(?:Ok|Err|Some)\((?:\(\)|true|false|[a-z_]\w*)\)|None"
    r"|[A-Z]{3,}(?: (?:[A-Z]{2,}|\$\d))*"
    r"|[\w.-]+(?:/[\w.-]+)+|\?"
)
_KEYWORDS = frozenset({"continue", "break", "return", "loop", "while", "match", "if", "else"})


_LITERAL = re.compile(r"\d[\d_]*")
_CALLEE = re.compile(r"[A-Za-z_]\w*(?:(?:::|\.)[A-Za-z_]\w*|\([^()]*\))*")


def named(code: str) -> str:
    """Code as a request names it: a call by its callee (`self.process`, not
    `self.process(&msg)`), a borrowed or dereferenced value by its name (`conf.retry_schedule`,
    not `&conf.retry_schedule`). What it names is the same; only the expression goes."""
    c = re.sub(r"^(?:&\s*(?:mut\s+)?|\*)", "", code.strip())
    # The callee is what comes before the call's own brackets, the last ones: in
    # `self.pool.comms().shutdown.cancelled()` the first `(` is a call on the way to it
    # (pgdog's LSN monitor was asked to stop "as soon as `self.pool.comms` completes").
    opened = _last_call_open(c)
    if opened is None:
        return c
    f, args = c[:opened], c[opened + 1 : -1]
    # A result pattern is said whole (`Ok(true)`); a call on literals (`from_millis(500)`) is
    # a value, which the quotable check then keeps out of the request; so is a call with no
    # arguments, which has nothing to leave out.
    if (
        not args.strip()
        or not _CALLEE.fullmatch(f)
        or f in ("Ok", "Err", "Some")
        # A duration built from a variable is a value too: "leave
        # `std::time::Duration::from_millis` between one round and the next" named none
        # (surrealdb's `has_lease`, read 72 #12).
        or re.search(r"(?:^|::)Duration::\w+$", f)
        or re.match(r"\s*[\d\"]", args)
    ):
        return c
    return f


def _last_call_open(c: str) -> int | None:
    """Where the bracket that the final `)` of ``c`` closes opens; None if ``c`` does not end
    in a call."""
    if not c.endswith(")"):
        return None
    depth = 0
    for i in range(len(c) - 1, -1, -1):
        if c[i] == ")":
            depth += 1
        elif c[i] == "(":
            depth -= 1
            if depth == 0:
                return i if i > 0 else None
    return None


# Slots that hold a value (a duration, a bound), not a call a person would name by its method:
# `NETWORK_WAIT_PERIOD.saturating_sub(last_ticket_time.elapsed())` cut to its callee said
# "no longer than `NETWORK_WAIT_PERIOD.saturating_sub`" (held-out read 95 #23). Too long to
# quote whole, such a value keeps its row out of a request.
_VALUE_SLOTS = frozenset(
    {"arg", "arg_value", "sleep_arg", "interval_arg", "initial_expr", "bound", "timer"}
)

# A think quotes conditions and calls, not whole expressions (``thinks.fits_think``).
MAX_THINK_CODE = 64
# Slots a think may name elided when too long: a way out ("what can end the loop" must list
# them all); a long argument or period elided says nothing (`from_secs(..)`).
_ELIDED = frozenset({"action", "expr", "ways", "places"})


def elide_code(code: str) -> str:
    """A long expression with the insides of its outermost brackets left out (`return
    Found { .. }`, `Err(..)`), so a think can still name it; ``code`` itself when it is short
    or has nothing to leave out. rqbit's `return ReadMetainfoResult::Found { info, .. }` was
    too long to quote, and "what can end the loop" was answered with the other exit only
    (held-out read 28)."""
    if len(code) <= MAX_THINK_CODE:
        return code
    out: list[str] = []
    depth = 0
    for i, ch in enumerate(code):
        if ch in "([{":
            if depth == 0:
                # `is_err()` stays as written: nothing is left out of an empty pair.
                empty = i + 1 < len(code) and code[i + 1] in ")]}"
                out.append(ch if empty else ch + (" .. " if ch == "{" else ".."))
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                out.append(ch)
        elif depth == 0:
            out.append(ch)
    said = "".join(out)
    return said if len(said) < len(code) else code


def method_name(code: str) -> str:
    """A call by its method alone, as a person names a chained call (`delete` for
    `client.event_type().delete(..)`): the last segment of its callee."""
    return re.split(r"\.|::", named(code))[-1]


def quotable(code: str) -> bool:
    """Whether a request may quote ``code`` (see ``_QUOTABLE``); a keyword it may not."""
    return code not in _KEYWORDS and _QUOTABLE.fullmatch(code) is not None


def _cut_short(parts: list[str]) -> tuple[list[str], list[str]]:
    """A list of calls cut short ends in how many were left out, said "and two other calls"."""
    more = [
        f"{number_word(p[len(MORE) :])} other call{'' if p == MORE + '1' else 's'}"
        for p in parts
        if p.startswith(MORE)
    ]
    return [p for p in parts if not p.startswith(MORE)], more


# Clauses that scope a claim's sentence, outermost first: (flag, slot, lead-in).
LEAD_INS = (
    # The whole loop sits under an `if` (quinn perf's `conn_stats`, held-out read 88).
    ("loop-guarded", "loop_if", "when {loop_if:cond}, "),
    # A loop inside `let x = async { loop { .. } }` (nativelink's stall watcher, read 89).
    ("loop-in-future", "loop_future", "in the {loop_future} future, "),
    # A bound on one select branch's path only (mullvad's eslogger, read 89).
    ("in-handler", "won_by", "once {won_by} wins the select, "),
)


def _lower_first(text: str) -> str:
    """``text`` to follow a clause: its first letter lowered unless it starts a name or code
    (the article "A" is a word, not a name)."""
    return text[0].lower() + text[1:] if text[1:2].islower() or text[:2] == "A " else text


def _join(items: Sequence[str], last: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


_LONG = 48  # a condition longer than this is said by its `&&` parts when it has them


class Renderer:
    """Fills templates for one record, with choices seeded by (seed, record key)."""

    def __init__(
        self,
        seed: int,
        key: str,
        context: dict[str, str],
        base: str = "",
        turn: int = 0,
        family: str = "",
        spread: tuple[int, int] = (0, 0),
        bump: int = 0,
    ) -> None:
        self.used: dict[int, set[int]] = {}  # per row: variants this record already said
        self.seed = seed
        self.key = key
        self.context = context  # fn, file: always-true names of the record's subject
        # A claim said in several examples about one subject rotates through its row's variants:
        # the variant is (a hash of seed, ``base`` and the claim) + ``turn`` (the focus's place),
        # so two foci of one subject never pick the same variant of a row with enough of them.
        self.base = base or key
        self.turn = turn
        # Records of one file (``family``) start every row and every list of texts at the same
        # place, then move on by the subject's place (``spread``: among the file's subjects, and
        # among those of the record's focus), so neighbours in a file do not share sentences.
        self.family = family
        self.spread = spread
        # A record whose first wording repeats its neighbours' is tried again with ``bump``
        # 1, 2, ...: group g of texts (0 the reason, 1 the think's opener, 2 the rest) moves on
        # one step every g + 1 bumps, so the groups do not move in lockstep and meet the same
        # neighbour again one step later (two two-option lists would just swap collisions).
        self.bump = bump
        # Set once the think is written: a request says simple conditions in words.
        self.person = False
        # Another file of the crate has this file's module name: the request names the path.
        self.module_clash = False
        # The questions the file's earlier records asked, names masked (``questions.ask_shape``):
        # a question is worded unlike them where its row allows.
        self.asked_before: frozenset[str] = frozenset()
        # The sentences of the file's earlier thinks: a side claim said in one of them word for
        # word is left out of this one.
        self.said_before: frozenset[str] = frozenset()

    def rng(self, salt: str) -> random.Random:
        return random.Random(f"{self.seed}|{self.key}|{salt}")

    def base_rng(self, salt: str) -> random.Random:
        return random.Random(f"{self.seed}|{self.base}|{salt}")

    def _start(self, c: Claim) -> int:
        """Where a claim's variants start. A context several subjects share (the task they all
        run in) starts at one place for all of them, so their offsets (``nth``) keep them on
        different variants; anything else starts where the record's base puts it."""
        if c.kind in SHARED_CONTEXT:
            key = "|".join(c.get(s) for s in ("kind", "by", "mech", "repeated", "task"))
            return random.Random(f"{self.seed}|{c.kind}|{key}").randrange(1 << 30)
        if self.family:
            h = random.Random(f"{self.seed}|{self.family}|{c.kind}").randrange(1 << 30)
            return h + self.spread[0]
        return self.base_rng(f"{c.kind}|{c.slots}").randrange(1 << 30)

    def choose(self, options: Sequence[str], salt: str) -> str:
        if not options:
            return ""
        if self.family:
            h = random.Random(f"{self.seed}|{self.family}|{salt}|{options[0]}")
            shift = self.bump // (1 + _BUMP_BIT.get(salt.split("|")[0], 2))
            return options[(h.randrange(len(options)) + self.spread[1] + shift) % len(options)]
        return options[self.rng(salt).randrange(len(options))]

    def fill(
        self, template: str, slots: dict[str, str], out: Rendered, before: Sequence[str] = ()
    ) -> str:
        """``template`` with its fields filled from ``slots``; ``before``: the code conditions
        the sentence before it said, which a think names again as "that same condition"."""

        def one(m: re.Match[str]) -> str:
            name, form = m.group(1), m.group(2)
            value = slots[name]
            parts = value.split(LIST_SEP)
            parts, more = _cut_short(parts)
            code = name in CODE_SLOTS and form not in ("plain", "word", "quote")
            if form == "word":
                out.fills.append(Fill(value, False))
                return number_word(value)
            if form == "quote":
                # A request quotes a log line as a person would, its placeholders elided
                # (“expired … payloads”); a think quotes the format string as written.
                quoted = value
                if self.person:
                    quoted = shorten(value) if name == "message" else elide(value)
                out.fills.append(Fill(quoted, False))
                return f"“{quoted}”"
            if form == "one":
                # One of a list as an example ("a `Deserialization` error, say"): a request
                # that names every variant of a `match` reads as the arms copied out (blind
                # reads 67-72); the think names them all.
                parts = [p for p in parts if not p.startswith(NOT)][:1]
            if form == "method":
                # A call by its method alone ("one `delete`"), as a person names a chained call
                # (`client.event_type().delete` is the code's text, which a request may not
                # quote): the name is still the code's own.
                parts = [method_name(p) for p in parts]
            false = [p[len(NOT) :] for p in parts if p.startswith(NOT)]
            parts = [p for p in parts if not p.startswith(NOT)]
            if form == "cond":
                # `a && b` too long to quote whole is said as its two conditions (parseable's
                # OTel generator: a run-time limit under `duration_secs > 0 && ..` went unsaid).
                parts = [q for p in parts for q in (conjuncts(p) if len(p) > _LONG else [p])]
            for p in parts + false:
                said = self._said_as(name, p, code)
                if form == "cond" and p in parts and self._said(p, True, None):
                    # Said in a person's words ("`x` is set"): its own code fills are what
                    # the request shows, not the condition as written.
                    continue
                out.fills.append(Fill(said, code))
            if self.person and code and form != "cond" and name not in _VALUE_SLOTS:
                # Three `tx.send(..)`s are one `tx.send` to a person.
                parts = list(dict.fromkeys(named(p) for p in parts))
            elif code and name in _ELIDED:
                parts = [elide_code(p) for p in parts]
            shown = [f"`{p}`" if code and not _LITERAL.fullmatch(p) else p for p in parts]
            # Conditions of earlier `if` branches, which must have been false to get here.
            denied = [self._said(p, False, out) or _denied(p, code, out) for p in false]
            if form == "or":
                # "the task that runs `a`, `b` or `c`" names it by its work; a list cut short
                # is named by its first calls "and the rest", not "or one more".
                return _join([*shown, "the rest"], "and") if more else _join(shown, "or")
            if form == "cond":
                return self._cond(template, value, parts, shown, denied, code, before, out)
            if denied:
                return _join([*shown, *(d.replace(" is ", " being ", 1) for d in denied)], "and")
            return _join(shown + more, "and")

        # A quote is exact, its own full stop included; the sentence's stop after it goes.
        text = re.sub(r"([.!?])”\.", r"\1”", FIELD.sub(one, template))
        # "every 1 second" is how a form reads; a person says "every second".
        # Not in "every 1 minute 30 seconds" ("every minute 30 seconds", token_cache trap).
        return re.sub(r"\b([Ee])very 1 (second|minute|hour|day)\b(?! \d)", r"\1very \2", text)

    def _inner(self, c: Claim, slots: dict[str, str], text: str) -> str:
        """``text`` placed in the inner of two loops, when the claim is about that one."""
        if "nested-select" in c.flags and not self.person:
            # A race in an inner loop: each outer round does more than this wait.
            if text.startswith("`"):
                return "In the inner loop, " + text
            if text[1:2].islower():
                return "In the inner loop, " + text[0].lower() + text[1:]
        if "inner-repeat" in c.flags and slots.get("repeated"):
            # A spawn in a loop inside another: "each round of `loop`" read as the outer one
            # (ntpd's NTS-KE server, held-out read 95 #17).
            said = f"`{slots['repeated']}`"
            text = re.sub(rf"(?<![\w`]){re.escape(said)}", f"the inner {said}", text, count=1)
            return text[0].upper() + text[1:]
        return text

    def _said_as(self, name: str, p: str, code: bool) -> str:
        """A call with arguments is filled as a request names it (`tx.send`), so a request may
        say it (three `tx.send(..)`s of tokio-cron-scheduler, read 104). A method cut from its
        chain (`retain(|_, v| ..)`) stays whole: "`retain`" alone says little; so does a value
        (``_VALUE_SLOTS``). A think elides a long way out."""
        if (
            self.person
            and code
            and name not in _VALUE_SLOTS
            and re.search(r"\([^)]", p)
            and "." in named(p)
        ):
            return named(p)
        if not self.person and name in _ELIDED and len(p) > MAX_THINK_CODE:
            return elide_code(p)
        return p

    def _cond(
        self,
        template: str,
        value: str,
        parts: list[str],
        shown: list[str],
        denied: list[str],
        code: bool,
        before: Sequence[str],
        out: Rendered,
    ) -> str:
        """A `{x:cond}` field: the conditions that hold (``parts`` as ``shown``), then those of
        earlier branches that must have been false (``denied``, already said)."""
        if not shown:
            return _join(denied, "and")
        if code and len(shown) == 1:
            out.conds.append(parts[0])
        # Not where the sentence names "that condition" itself ("holds only when that
        # same condition holds (the `UPDATE` sits under that condition)").
        if (
            len(shown) == 1
            and not denied
            and not self.person
            and parts[0] in before
            and "condition" not in template
        ):
            held = "that same condition holds"
        elif len(shown) == 1:
            held = self._held(parts[0], shown[0], code, value, out)
        elif code and any(p.startswith("match ") for p in parts):
            # Arms said clause by clause ("`a` matches `None` and `b` holds"): "both
            # `match a => None` and .. hold" would show the tool's own notation.
            held = _join(
                [self._held(p, sh, code, value, out) for p, sh in zip(parts, shown, strict=True)],
                "and",
            )
        elif len(shown) == 2:
            held = f"both {shown[0]} and {shown[1]} hold"
        else:
            held = _join(shown, "and") + " all hold"
        # Said in the order written: the outer condition first.
        first_false = value.startswith(NOT)
        return _join([*denied, held] if first_false else [held, *denied], "and")

    def _held(self, cond: str, shown: str, code: bool, value: str, out: Rendered) -> str:
        """One condition said to hold: in a person's words where a rule knows it, else as
        code with a verb."""
        if self._said(cond, True, None):
            return self._said(cond, True, out)
        inner = negated(cond) if code else None
        # `!flag` holds: said as a person would, "`flag` is false".
        if cond.startswith("let "):
            return f"{shown} matches"
        if cond.startswith("match ") and code:
            arm = say_condition(cond, True)
            if arm is not None:
                out.fills.extend(Fill(c, True) for c in arm.code)
                return arm.text
        if inner is not None:
            out.fills.append(Fill(inner, code))
            verb = "returns false" if inner.endswith(")") else "is false"
            return f"`{inner}` {verb}"
        # "holds" or "is true": the same meaning, chosen per record and value.
        verb = ("holds", "is true")[self.rng(f"cond|{value}").randrange(2)]
        return f"{shown} {verb}"

    def _said(self, cond: str, holds: bool, out: Rendered | None) -> str:
        """``cond`` in a person's words when the record is in its request (``person``) and a
        rule of wording/conditions.py knows it; "" otherwise. A `!x` is said as ``x`` denied."""
        if not self.person:
            return ""
        inner = negated(cond)
        said = say_condition(inner, not holds) if inner is not None else None
        said = said or say_condition(cond, holds)
        if said is None:
            return ""
        if out is not None:
            out.fills.extend(Fill(c, True) for c in said.code)
        return said.text

    def claim(
        self,
        rows: Iterable[Row],
        c: Claim,
        salt: str,
        out: Rendered,
        dry: bool = False,
        nth: int | None = None,
        accept: Callable[[list[Fill]], bool] | None = None,
    ) -> str:
        """The sentence for ``c`` from the first matching row, or "" when no row matches.
        A ``dry`` call (a probe) leaves no mark: the real call then says the same. With
        ``accept``, a variant whose fills it refuses is passed over for the next variant, then
        the next matching row."""
        if self.person and "unsaid-cond" in c.flags:
            # A race or join that runs on one path only, whose condition no slot says: a request
            # asking for it would ask for it on every path.
            return ""
        subject = c.subject
        if self.person and subject == self.context.get("fn") and self.context.get("qualified"):
            # A request names a fn the file has several of by its type (tokio-cron-scheduler's
            # two `listen_for_additions` in one file: "ambiguous", blind read 103).
            subject = self.context["qualified"]
        slots = {**self.context, "subject": subject, **c.slot_map}
        # A wildcard arm names nothing: "after a pass that went through `_`" (omniqueue's redis
        # fallback, a held-out read); rows that name the arm are passed over.
        wild = slots.get("arm") == "_"
        for row in rows:
            if not row.matches(c, slots) or wild and "arm" in row.slots_used():
                continue
            h = self._start(c)
            n = len(row.variants)
            first = (h + (self.turn if nth is None else nth)) % n
            # Two claims of one kind in a record take different variants when they can.
            used = self.used.setdefault(id(row), set())
            order = [i % n for i in range(first, first + n)]
            order = [i for i in order if i not in used] + [i for i in order if i in used]
            for pick in order:
                trial = Rendered("")
                text = self.fill(row.variants[pick], slots, trial, before=out.conds)
                if accept is not None and not accept(trial.fills):
                    continue
                if self.person and not all(map(quotable, BACKTICK_SPAN.findall(text))):
                    continue
                if "unsaid-cond" in c.flags and text[:1].isupper() and text[1:2].islower():
                    # It runs on one path only, in a `match` arm or an `else` (neon's WAL sender
                    # joins its two halves on one protocol path: the think read the join as
                    # the fn's whole shape, held-out read 22).
                    text = "On one of its paths only, " + text[0].lower() + text[1:]
                elif "unsaid-cond" in c.flags:
                    text = "On one of its paths only: " + text
                text = self._inner(c, slots, text)
                text = self._lead_ins(c, slots, text, trial, out, dry)
                text = self._trailing(c, slots, text, trial)
                if "cfg-gated" in c.flags and not self.person:
                    # Inside a `#[cfg(..)]` block of the fn: what the sentence says exists on
                    # those builds only (vaultwarden's SQLite backup task, `all(unix, sqlite)`).
                    text = f"On `{c.get('gate_cfg')}` builds, " + text[0].lower() + text[1:]
                if not dry:
                    used.add(pick)
                    out.conds = trial.conds
                out.fills.extend(trial.fills)
                out.claims.append(c)
                return text
        return ""

    def _trailing(self, c: Claim, slots: dict[str, str], text: str, trial: Rendered) -> str:
        """``text`` with the sentences a think adds after a claim's own."""
        if self.person:
            return text
        if "works-first" in c.flags and c.get("does_first"):
            # What a leaving branch does first (tari's dialer: `cancel_all_dials()` before its
            # `break`; "its handler does `break`" left it out, read 90).
            text += " " + self.fill(
                "Before it leaves, that branch calls {does_first:list}.", slots, trial
            )
        if "may-panic" in c.flags and c.kind == "exit_tally":
            # Not the full list without them (held-out read 98 #4).
            text += " " + self.fill(
                "A failing {panic_by:or} inside it panics, which ends the loop as well.",
                slots,
                trial,
            )
        if "stub-call" in c.flags and c.kind == "propagate":
            # A `?` on a fn that is only `unimplemented!(..)` (conduwuit's service manager: its
            # panic was left out of the ways the loop ends, held-out read 95 #5).
            text += " " + self.fill(
                "The `?` after {stub} never fires: that fn's body is {stub_macro}, so reaching "
                "it panics instead.",
                slots,
                trial,
            )
        return text

    def _lead_ins(
        self, c: Claim, slots: dict[str, str], text: str, trial: Rendered, out: Rendered, dry: bool
    ) -> str:
        """``text`` after the clauses that scope it (``LEAD_INS``): the outermost is said
        first. A request says each scope once; a think says it of each sentence."""
        for flag, slot, lead in reversed(LEAD_INS):
            if flag not in c.flags or self.person and c.get(slot) in out.loop_ifs:
                continue
            when = self.fill(lead, slots, trial, before=())
            text = when[0].upper() + when[1:] + _lower_first(text)
            if not dry and slot != "won_by":
                out.loop_ifs.add(c.get(slot))
        return text

    def plain(self, options: Sequence[str], salt: str, out: Rendered, **slots: str) -> str:
        """A sentence not tied to one claim (an opener, a style's frame): fields from ``slots``
        and the record context only."""
        template = self.choose(options, salt)
        names = {**self.context, **slots}
        if self.person and names.get("qualified") and "fn" not in slots:
            # "### Graceful shutdown for `run`" three times over in one crate (dragonfly's
            # servers, held-out read 59): a request's frame names a shared name by its type.
            names["fn"] = names["qualified"]
        return self.fill(template, names, out)
