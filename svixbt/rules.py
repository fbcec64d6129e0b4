"""Tag rules: a declarative table of what counts as background-task evidence, and its matcher.

Each rule has an id, a one-line description, the tag it sets, a matcher kind and a pattern. Rules
match significant tokens only, so a word inside a comment never counts; SQL rules look inside
string tokens on purpose, since SQL lives in strings. Adding a rule is adding a row (and a fixture
test with a hit and a near miss in ``tests/test_rules.py``).

Matcher kinds:
- ``call``: a resolved path (``use`` applied) fully matching the pattern, followed by ``(``/``!``.
- ``method``: ``.name(`` where name fully matches the pattern.
- ``ident``: an identifier (not a string or comment) fully matching the pattern.
- ``string``: a string literal whose content matches the pattern (searched).
- ``token``: a token whose text equals the pattern, outside strings and comments.
- ``loop_await``: a ``loop``/``while`` whose body awaits something.
- ``err_arm``: a ``match`` arm ``Name(..) =>`` (or ``Name(..) if .. =>``) whose constructor name
  fully matches the pattern (``Err``).
- ``attr``: an attribute of the item matching the pattern (searched).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter

from .mechanisms import WRAPPED_SPAWN, resolve
from .scanner import Item, ScanResult

__all__ = [
    "Rule",
    "RULES",
    "Hit",
    "match_item",
    "match_tokens",
    "item_hits",
    "hits_per_item",
    "STRONG_TAGS",
    "rule_by_id",
    "prepare",
]


@dataclass(frozen=True)
class Rule:
    id: str
    tag: str
    description: str
    matcher: str
    pattern: str

    def compiled(self) -> re.Pattern[str]:
        return _compiled(self.pattern)


_CACHE: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    rx = _CACHE.get(pattern)
    if rx is None:
        rx = _CACHE[pattern] = re.compile(pattern)
    return rx


# One row per rule, laid out as a table; the formatter would spread each over six lines.
# fmt: off
RULES: tuple[Rule, ...] = (
    Rule("tokio-spawn", "tokio-spawn", "starts a task with tokio::spawn[_blocking], or a wrapper",
         "call", r"tokio::(task::)?spawn(_blocking|_local)?|" + re.escape(WRAPPED_SPAWN)),
    Rule("tokio-join", "tokio-join", "awaits futures together with tokio::join! / try_join!",
         "call", r"tokio::(try_)?join"),
    Rule("tokio-select", "tokio-select", "races futures with tokio::select!",
         "call", r"tokio::select"),
    Rule("tokio-sleep", "tokio-sleep", "sleeps with tokio::time::sleep / sleep_until",
         "call", r"tokio::time::sleep(_until)?"),
    Rule("tokio-interval", "tokio-interval", "ticks on tokio::time::interval / interval_at",
         "call", r"tokio::time::interval(_at)?"),
    Rule("tokio-timeout", "tokio-timeout", "bounds a future with tokio::time::timeout",
         "call", r"tokio::time::timeout(_at)?"),
    Rule("polling-loop", "polling-loop", "a `loop` or `while` whose body awaits work",
         "loop_await", r"loop|while"),
    Rule("shutdown-token", "shutdown", "cancellation tokens and their futures",
         "ident", r"CancellationToken|cancelled|is_cancelled|run_until_cancelled(_owned)?"),
    Rule("shutdown-name", "shutdown", "shutdown flags and signals named as such",
         "ident", r"(?i:\w*shut(ting)?_?down\w*)"),
    Rule("shutdown-signal", "shutdown", "ctrl-c and graceful-shutdown futures",
         "ident", r"ctrl_c|with_graceful_shutdown|graceful_shutdown\w*"),
    Rule("error-match-err", "error-handling", "a match arm on `Err(..)`",
         "err_arm", r"Err"),
    Rule("error-question", "error-handling", "`?` propagates an error to the caller",
         "token", r"?"),
    Rule("error-map-err", "error-handling", "errors converted with map_err / ok_or_else",
         "method", r"map_err|ok_or_else|ok_or"),
    Rule("error-log", "error-handling", "errors logged with tracing/log error! or warn!",
         "call", r"(tracing|log)::(error|warn)"),
    Rule("retry-backoff", "retry-backoff", "retry and backoff named in code",
         "ident", r"(?i:\w*(retry|retries|backoff)\w*)"),
    Rule("batch-name", "batching", "batch sizes and batch-named values",
         "ident", r"(?i:\w*batch\w*)"),
    Rule("batch-limit", "batching", "SQL that caps a pass with LIMIT",
         "string", r"(?i:\bLIMIT\b)"),
    Rule("row-locking", "row-locking", "SQL row locks that skip rows other workers hold",
         "string", r"(?i:\bFOR\s+UPDATE\s+SKIP\s+LOCKED\b)"),
    Rule("transaction", "transaction", "work wrapped in a database transaction",
         "method", r"begin|commit|rollback|transaction"),
    Rule("statement-timeout", "statement-timeout", "SQL that changes the statement timeout",
         "string", r"(?i:\bstatement_timeout\b)"),
    Rule("tracing", "tracing", "tracing / log events and spans",
         "call", r"(tracing|log)::(trace|debug|info|warn|error|span|info_span|debug_span)"),
    Rule("tracing-instrument", "tracing", "#[tracing::instrument] on the item",
         "attr", r"\b(tracing::)?instrument\b"),
    Rule("timing", "timing", "measures elapsed time with Instant",
         "call", r"(std::time::|tokio::time::)?Instant::now"),
    Rule("db-entity", "db-model", "sea-orm entity and model derives",
         "attr", r"DeriveEntityModel|DeriveRelation|DeriveActiveEnum|DeriveIden|sea_orm\("),
    Rule("db-migration", "migration", "schema migrations",
         "ident", r"MigrationTrait|SchemaManager|MigrationName"),
    Rule("openapi-path", "openapi", "OpenAPI operation and schema annotations",
         "attr", r"utoipa::path|ToSchema|JsonSchema|aide::|OpenApi"),
    Rule("openapi-spec", "openapi", "OpenAPI spec building",
         "ident", r"OpenApi|openapi\w*|ToSchema|JsonSchema"),
)
# fmt: on

# Tags that make an item a candidate on their own; the rest only describe what an item does.
STRONG_TAGS = frozenset(
    {
        "tokio-spawn",
        "tokio-join",
        "tokio-select",
        "tokio-sleep",
        "tokio-interval",
        "tokio-timeout",
        "polling-loop",
        "shutdown",
        "retry-backoff",
    }
)


def rule_by_id(rule_id: str) -> Rule:
    for r in RULES:
        if r.id == rule_id:
            return r
    raise KeyError(rule_id)


@dataclass(frozen=True)
class Hit:
    rule: str
    tag: str
    offset: int  # character offset of the evidence in the scanned text
    line: int
    text: str  # the evidence token or path as written


def _body_awaits(scan: ScanResult, kw: int) -> bool:
    """True when a loop awaits work: in its body, or in a `while` condition
    (`while let Some(job) = rx.recv().await`)."""
    texts, codes, match = scan.texts, scan.codes, scan.match
    n = len(texts)
    j = kw + 1
    # The loop body is the first `{` not inside the condition's own brackets.
    while j < n:
        t = texts[j]
        if codes[j] == "p":
            if t == "{":
                break
            if t == ";" or t == "}":
                return False
            if t in "([" and match[j] > j:
                j = match[j]
        j += 1
    if j >= n:
        return False
    end = match[j] if match[j] > j else n
    start = kw + 2 if texts[kw] == "while" else j + 1
    # `list.index` finds each `await` in C; a loop body is often most of its fn.
    k = start
    try:
        while True:
            k = texts.index("await", k, end)
            if texts[k - 1] == ".":
                return True
            k += 1
    except ValueError:
        return False


def _err_arm(texts: list[str], k: int) -> bool:
    n = len(texts)
    if k + 1 >= n or texts[k + 1] != "(" or (k > 0 and texts[k - 1] in ("::", ".")):
        return False
    depth = 0
    for j in range(k + 1, min(n, k + 200)):
        t = texts[j]
        if t == "(":
            depth += 1
        elif t == ")":
            depth -= 1
            if depth == 0:
                nxt = texts[j + 1] if j + 1 < n else ""
                if nxt == "=>":
                    return True
                # A guarded arm: `Err(e) if e.is_timeout() =>`.
                if nxt == "if":
                    for g in range(j + 2, min(n, j + 60)):
                        if texts[g] == "=>":
                            return True
                        if texts[g] in (",", ";", "{", "}"):
                            return False
                return False
    return False


# Tokens after which a `?` is a bound or a sigil (`T: ?Sized`, `x = ?v`), not error propagation.
_NOT_AFTER_PROPAGATION = frozenset({":", "+", "<", ",", "(", "=", "%"})


def _by_matcher(kind: str, rules: tuple[Rule, ...]) -> list[tuple[Rule, re.Pattern[str]]]:
    return [(r, _compiled(r.pattern)) for r in rules if r.matcher == kind]


def _prefilter(pairs: list[tuple[Rule, re.Pattern[str]]]) -> re.Pattern[str]:
    return _compiled("|".join(f"(?:{r.pattern})" for r, _ in pairs) or "(?!)")


class _Interesting(dict[str, bool]):
    """Token text -> whether any token-level rule could act on a token with that text.

    A superset of the tokens ``match_tokens`` acts on, decided once per distinct text (a file
    repeats its identifiers and punctuation many times), so the matcher visits a few percent of
    the tokens instead of all of them.
    """

    def __init__(self, plan: _Plan) -> None:
        super().__init__()
        self.ident_pre = plan.ident_pre
        self.err_pre = plan.err_pre
        self.string_pre = plan.string_pre
        self.always = frozenset({"(", "!", "loop", "while", *plan.tokens})

    def __missing__(self, t: str) -> bool:
        # A comment is never acted on, and the long ones (docs) are too long to be kept here, so
        # they come back for every copy: no rule looks inside them, and the SQL prefilter must
        # not read them through.
        if t.startswith(("//", "/*")):
            return False
        hit = (
            t in self.always
            or self.ident_pre(t) is not None
            or self.err_pre(t) is not None
            # String rules act on string tokens only, and those hold a quote.
            or (
                self.string_pre is not None
                and ('"' in t or "'" in t)
                and self.string_pre(t) is not None
            )
        )
        if len(t) <= 64 and len(self) < 200_000:
            self[t] = hit
        return hit


@dataclass
class _Plan:
    """The token-level rules of one rule table, grouped by matcher and compiled once."""

    idents: list[tuple[Rule, re.Pattern[str]]]
    ident_pre: Callable[[str], re.Match[str] | None]
    calls: list[tuple[Rule, re.Pattern[str]]]
    call_pre: Callable[[str], re.Match[str] | None]
    methods: list[tuple[Rule, re.Pattern[str]]]
    method_pre: Callable[[str], re.Match[str] | None]
    strings: list[tuple[Rule, re.Pattern[str]]]
    string_pre: Callable[[str], re.Match[str] | None] | None
    tokens: dict[str, Rule]
    loops: list[tuple[Rule, re.Pattern[str]]]
    errs: list[tuple[Rule, re.Pattern[str]]]
    err_pre: Callable[[str], re.Match[str] | None]
    attrs: list[tuple[Rule, re.Pattern[str]]]
    interesting: _Interesting | None = None
    # Prefilter answers by text: a crate calls the same few hundred names again and again.
    call_seen: dict[str, bool] = field(default_factory=dict)
    method_seen: dict[str, bool] = field(default_factory=dict)


def _seen(seen: dict[str, bool], pre: Callable[[str], re.Match[str] | None], text: str) -> bool:
    """``pre(text)`` matched, remembered in ``seen`` (bounded, like the other caches here)."""
    hit = seen.get(text)
    if hit is None:
        hit = pre(text) is not None
        if len(seen) < 200_000:
            seen[text] = hit
    return hit


_PLANS: dict[tuple[Rule, ...], _Plan] = {}
_LAST: list[tuple[tuple[Rule, ...], _Plan]] = []  # the table asked for last, found by identity


def _plan(rules: tuple[Rule, ...]) -> _Plan:
    # Hashing a table hashes every rule; callers pass the same tuple over and over.
    if _LAST and _LAST[0][0] is rules:
        return _LAST[0][1]
    plan = _PLANS.get(rules)
    if plan is None:
        idents = _by_matcher("ident", rules)
        calls = _by_matcher("call", rules)
        methods = _by_matcher("method", rules)
        strings = _by_matcher("string", rules)
        errs = _by_matcher("err_arm", rules)
        plan = _Plan(
            idents=idents,
            ident_pre=_prefilter(idents).fullmatch,
            calls=calls,
            call_pre=_prefilter(calls).fullmatch,
            methods=methods,
            method_pre=_prefilter(methods).fullmatch,
            strings=strings,
            string_pre=_prefilter(strings).search if strings else None,
            tokens={r.pattern: r for r in rules if r.matcher == "token"},
            loops=_by_matcher("loop_await", rules),
            errs=errs,
            err_pre=_prefilter(errs).fullmatch,
            attrs=_by_matcher("attr", rules),
        )
        plan.interesting = _Interesting(plan)
        if len(_PLANS) < 64:
            _PLANS[rules] = plan
    _LAST[:] = [(rules, plan)]
    return plan


def prepare(rules: tuple[Rule, ...] = RULES) -> None:
    """Compile a rule table now instead of on first use: a process about to fork workers does it
    once, and every worker inherits it compiled."""
    _plan(rules)


def match_tokens(
    scan: ScanResult, imports: dict[str, str], rules: tuple[Rule, ...] = RULES
) -> list[Hit]:
    """Every token-level rule hit in the file, in one pass over its tokens, in source order.

    Attribute rules need the item's attributes and are applied per item by ``item_hits``.
    """
    codes, texts, starts = scan.codes, scan.texts, scan.starts
    plan = _plan(rules)
    idents, ident_pre = plan.idents, plan.ident_pre
    calls, call_pre = plan.calls, plan.call_pre
    methods, method_pre = plan.methods, plan.method_pre
    strings, string_pre = plan.strings, plan.string_pre
    tokens, loops = plan.tokens, plan.loops
    errs, err_pre = plan.errs, plan.err_pre
    interesting = plan.interesting
    assert interesting is not None
    call_seen, method_seen = plan.call_seen, plan.method_seen
    hits: list[Hit] = []
    line_of = scan.line_of

    def add(rule: Rule, k: int, text: str) -> None:
        hits.append(Hit(rule.id, rule.tag, starts[k], line_of(starts[k]), text))

    # Only tokens whose text some rule could act on; the rest would fall through every branch.
    for k in compress(range(len(texts)), map(interesting.__getitem__, texts)):
        c = codes[k]
        if c == "n":
            t = texts[k]
            if ident_pre(t):
                for rule, rx in idents:
                    if rx.fullmatch(t):
                        add(rule, k, t)
            if err_pre(t) and _err_arm(texts, k):
                for rule, rx in errs:
                    if rx.fullmatch(t):
                        add(rule, k, f"{t}(..) =>")
            elif (t == "loop" or t == "while") and loops:
                for rule, rx in loops:
                    if rx.fullmatch(t) and _body_awaits(scan, k):
                        add(rule, k, t)
        elif c == "p":
            t = texts[k]
            if (t == "(" or t == "!") and k and codes[k - 1] == "n":
                if k >= 2 and texts[k - 2] == ".":
                    name = texts[k - 1]
                    if t == "(" and _seen(method_seen, method_pre, name):
                        for rule, rx in methods:
                            if rx.fullmatch(name):
                                add(rule, k - 1, name)
                    continue
                call = _call_path(codes, texts, k, imports)
                if call is None:
                    continue
                j, written, full = call
                if _seen(call_seen, call_pre, full):
                    for rule, rx in calls:
                        if rx.fullmatch(full):
                            add(rule, j, written)
            elif t in tokens:
                # `?Sized` and tracing's `field = ?value` are not error propagation.
                if t == "?" and k and texts[k - 1] in _NOT_AFTER_PROPAGATION:
                    continue
                add(tokens[t], k, t)
        elif c == "s" and string_pre is not None:
            t = texts[k]
            if string_pre(t):
                for rule, rx in strings:
                    found = rx.search(t)
                    if found:
                        add(rule, k, found.group(0))
    return hits


def _call_path(
    codes: list[str], texts: list[str], k: int, imports: dict[str, str]
) -> tuple[int, str, str] | None:
    """The path called by the `(` or `!` at token ``k``: its first token, the path as written,
    and the path with its head resolved through ``imports``; None where the name is a fn being
    declared or a method."""
    j = k - 1
    while j >= 2 and texts[j - 1] == "::" and codes[j - 2] == "n":
        j -= 2
    if j and texts[j - 1] in ("fn", "."):
        return None
    if j == k - 1:  # one segment, most calls: no path to join
        written = texts[j]
        return j, written, imports.get(written) or written
    parts = texts[j:k:2]
    return j, "::".join(parts), resolve(parts, imports)


# Hits of an item in source order, those at one offset by rule id (a key made in C).
_HIT_ORDER = attrgetter("offset", "rule")


def item_hits(
    scan: ScanResult, item: Item, file_hits: list[Hit], rules: tuple[Rule, ...] = RULES
) -> list[Hit]:
    """The file's hits that lie inside the item proper, plus its attribute rule hits."""
    return _item_hits(scan, item, file_hits, [h.offset for h in file_hits], rules)


def _item_hits(
    scan: ScanResult,
    item: Item,
    file_hits: list[Hit],
    offsets: list[int],
    rules: tuple[Rule, ...] = RULES,
) -> list[Hit]:
    """``item_hits`` with the hits' offsets computed once per file by the caller."""
    lo = bisect_left(offsets, item.keyword_start)
    hi = bisect_left(offsets, item.end)
    out = file_hits[lo:hi]
    if item.attrs:
        for rule, rx in _plan(rules).attrs:
            for a in item.attrs:
                found = rx.search(a)
                if found:
                    off = scan.text.find(a, item.start)
                    out.append(Hit(rule.id, rule.tag, off, scan.line_of(off), found.group(0)))
    if len(out) > 1:
        out.sort(key=_HIT_ORDER)
    return out


def hits_per_item(
    scan: ScanResult, file_hits: list[Hit], rules: tuple[Rule, ...] = RULES
) -> list[list[Hit]]:
    """``item_hits`` of every item of the scan, in item order."""
    offsets = [h.offset for h in file_hits]
    return [_item_hits(scan, it, file_hits, offsets, rules) for it in scan.items]


def match_item(
    scan: ScanResult, item: Item, imports: dict[str, str], rules: tuple[Rule, ...] = RULES
) -> list[Hit]:
    """Rule hits of one item (a convenience for tests and one-off callers)."""
    return item_hits(scan, item, match_tokens(scan, imports, rules=rules), rules)
