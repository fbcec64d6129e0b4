"""Facts with real values: what an item really does, read off its tokens.

Everything here is evidence a sentence may rest on: consts evaluated (`60 * 60 * 12` seconds is
12 hours), sleeps and what they sleep for, loop conditions, what each `match` arm does, SQL and its
batch and lock clauses, logging, shutdown checks, same-file calls and the doc summary. Each fact
carries the text as written, so a sentence can quote it and a checker can find it again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .pipeline import FileScan
from .scanner import Item

__all__ = [
    "Const",
    "Sleep",
    "Arm",
    "Log",
    "Sql",
    "LoopFact",
    "ItemFacts",
    "item_facts",
    "eval_int",
    "human_duration",
    "human_int",
    "duration_seconds",
]

_DURATION_UNITS = {
    "from_secs": 1.0,
    "from_millis": 1e-3,
    "from_micros": 1e-6,
    "from_nanos": 1e-9,
    "from_secs_f64": 1.0,
    "from_secs_f32": 1.0,
    "from_mins": 60.0,
    "from_hours": 3600.0,
}
_INT = re.compile(r"^(\d[\d_]*(?:\.\d[\d_]*)?)(?:[iu](?:8|16|32|64|128|size)|f32|f64)?$")
_SQL_VERB = re.compile(r"(?i)^\s*(UPDATE|DELETE|SELECT|INSERT|SET|WITH|BEGIN|LOCK)\b")
_SQL_TABLE = re.compile(r"(?i)\b(?:UPDATE|FROM|INTO|JOIN)\s+([A-Za-z_][\w.]*)")
_LOG_LEVELS = ("trace", "debug", "info", "warn", "error")


def eval_int(tokens: list[str], consts: dict[str, float] | None = None) -> float | None:
    """Evaluate an integer expression of literals, consts, `+ - * /` and parentheses."""
    expr: list[str] = []
    for t in tokens:
        m = _INT.match(t)
        if m:
            expr.append(m.group(1).replace("_", ""))
        elif t in ("+", "-", "*", "/", "(", ")"):
            expr.append(t)
        elif consts is not None and t in consts:
            expr.append(repr(consts[t]))
        elif t == "as" or re.fullmatch(r"[iu](8|16|32|64|128|size)|_", t):
            continue
        else:
            return None
    if not expr:
        return None
    src = " ".join(expr)
    if not re.fullmatch(r"[\d.\s+\-*/()e]+", src):
        return None
    if "." not in src:
        # Rust integer division truncates.
        src = src.replace("/", "//")
    try:
        value = eval(src, {"__builtins__": {}}, {})  # noqa: S307 - digits and operators only
    except (SyntaxError, ZeroDivisionError, TypeError):
        return None
    return float(value) if isinstance(value, int | float) else None


def human_int(value: float) -> str:
    """5000 -> `5,000` (how a person writes a count in prose)."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def human_duration(seconds: float) -> str:
    """43200 -> `12 hours`; 0.5 -> `500 milliseconds`; 90 -> `90 seconds`."""
    units = (("day", 86400.0), ("hour", 3600.0), ("minute", 60.0), ("second", 1.0))
    for name, size in units:
        if seconds >= size and (seconds / size).is_integer():
            n = int(seconds / size)
            return f"{n:,} {name}{'s' if n != 1 else ''}"
    ms = seconds * 1000
    if ms >= 1 and abs(ms - round(ms)) < 1e-9:
        n = int(round(ms))
        return f"{n:,} millisecond{'s' if n != 1 else ''}"
    return f"{seconds:g} seconds"


def duration_seconds(tokens: list[str], consts: dict[str, float]) -> float | None:
    """`Duration::from_secs(60 * 60 * 12)` (as tokens) -> 43200.0; None when not constant."""
    if len(tokens) >= 4 and tokens[0] == "Duration" and tokens[1] == "::":
        unit = _DURATION_UNITS.get(tokens[2])
        if unit is None or tokens[3] != "(" or tokens[-1] != ")":
            return None
        inner = eval_int(tokens[4:-1], consts)
        return None if inner is None else inner * unit
    return None


@dataclass
class Const:
    name: str
    type_text: str
    expr: str  # as written
    value: float | None  # evaluated number (seconds for a Duration)
    is_duration: bool
    line: int
    local: bool  # declared inside the fn body rather than at file level
    comment: str = ""  # a plain comment right above it, if any

    @property
    def human(self) -> str:
        if self.value is None:
            return self.expr
        return human_duration(self.value) if self.is_duration else human_int(self.value)


@dataclass
class Sleep:
    mechanism: str  # resolved path, e.g. tokio::time::sleep
    written: str  # as written
    arg: str  # argument text as written
    seconds: float | None
    line: int
    cancellable: str = ""  # the cancellation wrapper around it, e.g. run_until_cancelled_owned


@dataclass
class Log:
    level: str
    macro: str  # as written, e.g. tracing::error
    message: str  # the format string, if any
    fields: list[str]
    line: int


@dataclass
class Arm:
    pattern: str  # as written, whitespace folded
    logs: list[Log]
    sets: list[tuple[str, str]]  # (variable, value as written)
    returns: list[str]
    line: int
    # `x = if cond { a } else { b }`: (variable, condition, then-value, else-value)
    branches: list[tuple[str, str, str, str]] = field(default_factory=list)
    scrutinee: str = ""  # the call the `match` is on, e.g. `clean_expired_messages`


@dataclass
class Sql:
    verb: str
    tables: list[str]
    limit: bool
    skip_locked: bool
    text: str  # whitespace folded
    line: int


@dataclass
class LoopFact:
    keyword: str  # loop / while / for
    condition: str  # as written, whitespace folded ("" for `loop`)
    line: int
    end_line: int = 0
    start: int = 0  # character offsets of the loop body
    end: int = 0


@dataclass
class SelectBranch:
    pattern: str
    future: str
    handler: str  # as written, comments dropped
    action: str  # "nothing", "break", "return", or "work"
    line: int


@dataclass
class SpawnFact:
    written: str
    arg: str  # the future handed to the runtime, as written
    runs: str  # the first call inside it, e.g. run_worker
    line: int
    detached: bool = False  # a statement of its own: the JoinHandle is dropped at once
    repeated: bool = False  # inside a loop or an iterator closure: one task per element


@dataclass
class CallFact:
    written: str
    full: str
    line: int
    awaited: bool
    local_fn: bool  # a fn defined in the same file
    args: list[str] = field(default_factory=list)  # arguments as written
    propagates: bool = False  # followed by `?` (after `.await` if awaited)


@dataclass
class ItemFacts:
    item: Item
    index: int
    signature: str
    params: list[tuple[str, str]]
    returns: str
    is_async: bool
    doc_summary: str
    doc: str
    consts: list[Const] = field(default_factory=list)
    sleeps: list[Sleep] = field(default_factory=list)
    intervals: list[Sleep] = field(default_factory=list)
    timeouts: list[Sleep] = field(default_factory=list)
    loops: list[LoopFact] = field(default_factory=list)
    arms: list[Arm] = field(default_factory=list)
    logs: list[Log] = field(default_factory=list)
    sql: list[Sql] = field(default_factory=list)
    calls: list[CallFact] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    shutdown: list[str] = field(default_factory=list)  # shutdown paths/calls as written
    question_marks: int = 0
    question_lines: list[int] = field(default_factory=list)
    error_conversions: list[str] = field(default_factory=list)  # map_err / ok_or_else ...
    early_returns: list[tuple[str, int]] = field(default_factory=list)
    comparisons: list[str] = field(default_factory=list)  # `a < (B as _)` style conditions
    bool_params_gating: list[str] = field(default_factory=list)  # `if param {` on a bool param
    timing: list[str] = field(default_factory=list)  # Instant::now / elapsed as written
    inits: list[tuple[str, str]] = field(default_factory=list)  # `let [mut] x = v;`
    unwraps: dict[str, str] = field(default_factory=dict)  # `if let Some(x) = y` -> {x: y}
    let_branches: list[tuple[str, str, str, str]] = field(default_factory=list)
    tail: str = ""  # the body's final expression, as written (comments dropped)
    err_guards: list[tuple[int, int, str]] = field(default_factory=list)  # if let Err(..) = x()
    idents: set[str] = field(default_factory=set)  # every identifier in the item
    tags: list[str] = field(default_factory=list)
    rule_ids: list[str] = field(default_factory=list)
    spawns: list[str] = field(default_factory=list)
    spawn_facts: list[SpawnFact] = field(default_factory=list)
    select_branches: list[SelectBranch] = field(default_factory=list)
    missed_tick: str = ""  # MissedTickBehavior::X as written
    selects: int = 0
    joins: int = 0

    @property
    def name(self) -> str:
        return self.item.name

    def const(self, name: str) -> Const | None:
        for c in self.consts:
            if c.name == name:
                return c
        return None

    def local_calls(self) -> list[str]:
        seen: list[str] = []
        for c in self.calls:
            if c.local_fn and c.written not in seen:
                seen.append(c.written)
        return seen


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _string_value(tok: str) -> str:
    """Contents of a Rust string literal token (raw or not), without its quotes."""
    m = re.match(r'^[bc]?r(#*)"(.*)"\1$', tok, re.S)
    if m:
        return m.group(2)
    m = re.match(r'^[bc]?"(.*)"$', tok, re.S)
    # A `\` at the end of a line continues the string without the newline and indentation.
    return re.sub(r"\\\r?\n\s*", "", m.group(1)) if m else tok


class _Reader:
    """Token helpers over one item's range of a scanned file."""

    def __init__(self, fs: FileScan, lo: int, hi: int) -> None:
        self.fs = fs
        self.scan = fs.scan
        self.t = fs.scan.texts
        self.c = fs.scan.codes
        self.s = fs.scan.starts
        self.m = fs.scan.match
        self.lo = lo
        self.hi = hi

    def close_of(self, k: int) -> int:
        j = self.m[k] if k < len(self.m) else -1
        return j if j > k else self.hi - 1

    def src(self, a: int, b: int) -> str:
        """Source text from token a through token b (inclusive), as written."""
        return self.scan.text[self.s[a] : self.s[b] + len(self.t[b])]

    def line(self, k: int) -> int:
        return self.scan.line_of(self.s[k])

    def until(self, k: int, stops: tuple[str, ...]) -> int:
        """Index of the first token at bracket depth 0 from k whose text is in stops."""
        j = k
        while j < self.hi:
            tj = self.t[j]
            if tj in stops:
                return j
            if self.c[j] == "p" and tj in "([{" and len(tj) == 1:
                j = self.close_of(j) + 1
                continue
            j += 1
        return self.hi


def _file_consts(fs: FileScan) -> dict[str, float]:
    """Numeric values of every file-level and fn-level const, for evaluating others."""
    out: dict[str, float] = {}
    t = fs.scan.texts
    for i in range(len(t) - 3):
        if t[i] == "const" and fs.scan.codes[i + 1] == "n" and t[i + 2] == ":":
            j = i + 3
            while j < len(t) and t[j] != "=":
                j += 1
            k = j + 1
            while k < len(t) and t[k] != ";":
                k += 1
            toks = t[j + 1 : k]
            v = duration_seconds(toks, out)
            if v is None:
                v = eval_int(toks, out)
            if v is not None:
                out[t[i + 1]] = v
    return out


def item_facts(fs: FileScan, index: int, local_fns: set[str] | None = None) -> ItemFacts:
    item = fs.items[index]
    scan = fs.scan
    rng = scan.token_range(item.keyword_start, item.end)
    r = _Reader(fs, rng.start, rng.stop)
    t, c = r.t, r.c
    lo, hi = r.lo, r.hi
    consts_num = _file_consts(fs)
    if local_fns is None:
        local_fns = {it.name for it in fs.items if it.kind == "fn" and it.parent is None}

    # Signature: from the keyword to the body (or the end).
    body = lo
    while body < hi and not (t[body] == "{" and c[body] == "p"):
        body = r.close_of(body) + 1 if t[body] in ("(", "[") and c[body] == "p" else body + 1
    sig_end = body - 1 if body < hi else hi - 1
    signature = _fold(r.src(lo, sig_end)) if sig_end >= lo else ""
    params: list[tuple[str, str]] = []
    returns = ""
    is_async = "async" in item.qualifiers
    if item.kind == "fn":
        k = lo
        while k < body and t[k] != "(":
            k += 1
        if k < body:
            close = r.close_of(k)
            j = k + 1
            while j < close:
                end = j
                depth = 0
                while end < close:
                    if t[end] in ("(", "[", "<"):
                        depth += 1
                    elif t[end] in (")", "]", ">"):
                        depth -= 1
                    elif t[end] == "," and depth == 0:
                        break
                    end += 1
                piece = [x for x in t[j:end]]
                if ":" in piece:
                    colon = piece.index(":")
                    pname = piece[colon - 1] if colon else ""
                    ptype = _fold(r.src(j + colon + 1, end - 1)) if end - 1 >= j + colon + 1 else ""
                    params.append((pname, ptype))
                j = end + 1
            arrow = close + 1
            if arrow < body and t[arrow] == "->":
                where = arrow + 1
                while where < body and t[where] != "where":
                    where += 1
                returns = _fold(r.src(arrow + 1, where - 1))
    doc = item.doc
    summary = doc.split("\n\n")[0].replace("\n", " ").strip() if doc else ""

    f = ItemFacts(
        item=item,
        index=index,
        signature=signature,
        params=params,
        returns=returns,
        is_async=is_async,
        doc_summary=summary,
        doc=doc,
    )
    hits = fs.hits[index]
    f.tags = sorted({h.tag for h in hits})
    f.rule_ids = sorted({h.rule for h in hits})

    # Comments inside the item (plain ones: they explain intent in the author's words).
    text = scan.text
    for k in range(lo, hi):
        if c[k] == "c" and t[k].startswith("//"):
            f.comments.append(t[k][2:].strip())

    # Consts: fn-local ones, then file-level consts the item names.
    names_used = {t[k] for k in range(lo, hi) if c[k] == "n"}
    for k in range(lo, hi):
        if t[k] == "const" and k + 2 < hi and c[k + 1] == "n" and t[k + 2] == ":":
            f.consts.append(_const_at(r, k, consts_num, local=True))
    for other in fs.items:
        if other.kind == "const" and other.parent is None and other.name in names_used:
            orng = scan.token_range(other.keyword_start, other.end)
            ro = _Reader(fs, orng.start, orng.stop)
            k = orng.start
            while k < orng.stop and t[k] != "const":
                k += 1
            if k < orng.stop:
                f.consts.append(_const_at(ro, k, consts_num, local=False))

    imports = fs.imports
    k = lo
    while k < hi:
        tk = t[k]
        ck = c[k]
        if ck == "n":
            # Paths: a::b::c followed by ( or !
            if k > lo and t[k - 1] == "::":
                k += 1
                continue
            j = k
            while j + 2 < hi and t[j + 1] == "::" and c[j + 2] == "n":
                j += 2
            parts = t[k : j + 1 : 2]
            written = "::".join(parts)
            head = imports.get(parts[0])
            full = "::".join([head, *parts[1:]]) if head else written
            nxt = t[j + 1] if j + 1 < hi else ""
            prev = t[k - 1] if k > lo else ""
            if nxt == "(" and prev not in ("fn",):
                close = r.close_of(j + 1)
                awaited = close + 2 < hi and t[close + 1] == "." and t[close + 2] == "await"
                if prev != ".":
                    after = close + 3 if awaited else close + 1
                    f.calls.append(
                        CallFact(
                            written,
                            full,
                            r.line(k),
                            awaited,
                            written in local_fns,
                            _split_args(r, j + 1, close),
                            after < hi and t[after] == "?",
                        )
                    )
                arg = _fold(r.src(j + 2, close - 1)) if close - 1 >= j + 2 else ""
                arg_toks = t[j + 2 : close]
                if full in ("tokio::time::sleep", "tokio::time::sleep_until"):
                    f.sleeps.append(
                        Sleep(
                            full,
                            written,
                            arg,
                            _resolve_secs(arg_toks, f, consts_num),
                            r.line(k),
                            _cancel_wrapper(r, k),
                        )
                    )
                elif full in ("tokio::time::interval", "tokio::time::interval_at"):
                    f.intervals.append(
                        Sleep(full, written, arg, _resolve_secs(arg_toks, f, consts_num), r.line(k))
                    )
                elif full in ("tokio::time::timeout", "tokio::time::timeout_at"):
                    first_arg = arg_toks[: arg_toks.index(",")] if "," in arg_toks else arg_toks
                    first_text = _fold(r.src(j + 2, j + 1 + len(first_arg))) if first_arg else ""
                    f.timeouts.append(
                        Sleep(
                            full,
                            written,
                            first_text,
                            _resolve_secs(first_arg, f, consts_num),
                            r.line(k),
                        )
                    )
                elif full in ("tokio::spawn", "tokio::task::spawn", "tokio::task::spawn_blocking"):
                    f.spawns.append(written)
                    # Name what the task runs only when the future is one call: `spawn(f(..))` or
                    # `spawn(async move { f(..).await })`. A block with a loop is more than `f`.
                    runs = ""
                    x = j + 2
                    while x < close and t[x] in ("async", "move", "{"):
                        x += 1
                    while x + 2 < close and t[x + 1] == "::" and c[x + 2] == "n":
                        x += 2
                    if x < close and c[x] == "n" and t[x + 1] == "(":
                        after = r.close_of(x + 1) + 1
                        rest = [y for y in t[after:close] if y not in (".", "await", "}", ";")]
                        if not rest:
                            runs = t[x]
                    # `tokio::spawn(..);` as a statement drops the handle; `let h = ..`, a push or
                    # a closure that is collected keeps it.
                    detached = (k == lo or t[k - 1] in (";", "{", "}")) and (
                        close + 1 < hi and t[close + 1] == ";"
                    )
                    in_loop = any(lp.start <= r.s[k] < lp.end for lp in f.loops) or any(
                        t[x] in ("map", "for_each", "flat_map") for x in range(max(lo, k - 40), k)
                    )
                    f.spawn_facts.append(
                        SpawnFact(written, arg, runs, r.line(k), detached, in_loop)
                    )
                elif full == "std::time::Instant::now" or written.endswith("Instant::now"):
                    f.timing.append(written)
                if prev == "." and tk in ("map_err", "ok_or_else", "ok_or", "unwrap_or_else"):
                    f.error_conversions.append(tk)
                elif prev == "." and tk == "elapsed" and ".elapsed()" not in f.timing:
                    f.timing.append(".elapsed()")
                elif re.search(r"(?i)shut(ting)?_?down|cancel", parts[-1]):
                    f.shutdown.append(("." if prev == "." else "") + written + "()")
            elif nxt == "!" and j + 2 < hi:
                macro = full
                if macro.startswith(("tracing::", "log::")) or parts[-1] in _LOG_LEVELS:
                    level = parts[-1]
                    if level in _LOG_LEVELS:
                        open_ = j + 2
                        close = r.close_of(open_)
                        f.logs.append(_log_at(r, open_, close, level, written))
                elif full in ("tokio::select",):
                    f.selects += 1
                    f.select_branches.extend(_select_branches(r, j + 2))
                elif full in ("tokio::join", "tokio::try_join"):
                    f.joins += 1
            if tk == "MissedTickBehavior" and k + 2 < hi and t[k + 1] == "::":
                f.missed_tick = f"MissedTickBehavior::{t[k + 2]}"
            if tk in ("loop", "while", "for") and k == j:
                cond_end = k + 1
                while cond_end < hi and t[cond_end] != "{":
                    cond_end = (
                        r.close_of(cond_end) + 1 if t[cond_end] in ("(", "[") else cond_end + 1
                    )
                cond = _fold(r.src(k + 1, cond_end - 1)) if cond_end - 1 >= k + 1 else ""
                if cond_end < hi:
                    body_close = r.close_of(cond_end)
                    f.loops.append(
                        LoopFact(
                            tk,
                            cond,
                            r.line(k),
                            r.line(body_close),
                            r.s[cond_end],
                            r.s[body_close] + 1,
                        )
                    )
            if tk == "match" and k == j:
                f.arms.extend(_arms(r, k))
            if tk == "let" and k == j and k + 3 < hi:
                v = k + 1
                if t[v] == "mut":
                    v += 1
                if c[v] == "n" and t[v + 1] == "=":
                    semi = r.until(v + 2, (";",))
                    f.inits.append((t[v], _fold(r.src(v + 2, semi - 1))))
                    let_if = _if_else(r, v + 2, semi)
                    if let_if is not None:
                        f.let_branches.append((t[v], *let_if))
                elif t[v] == "Some" and t[v + 1] == "(" and c[v + 2] == "n" and t[v + 3] == ")":
                    pass
            if tk == "Err" and k == j and k >= 2 and t[k - 1] == "let" and t[k - 2] == "if":
                brace = r.until(k, ("{",))
                if brace < hi:
                    # The call that can fail is the last one in the chain (`a().save(&db)`).
                    calls = [
                        t[x]
                        for x in range(k + 1, brace)
                        if c[x] == "n" and t[x + 1] == "(" and t[x - 1] in (".", "=", "::")
                    ]
                    call = calls[-1] if calls else ""
                    f.err_guards.append((r.line(brace), r.line(r.close_of(brace)), call))
            # `if let Some(d) = sleep_time`: the sleep's duration comes from `sleep_time`.
            if (
                tk == "Some"
                and k == j
                and k + 5 < hi
                and t[k - 1] == "let"
                and t[k + 1] == "("
                and c[k + 2] == "n"
                and t[k + 3] == ")"
                and t[k + 4] == "="
                and c[k + 5] == "n"
            ):
                f.unwraps[t[k + 2]] = t[k + 5]
            if tk == "return" and k == j:
                end = r.until(k, (";", "}"))
                f.early_returns.append((_fold(r.src(k, end - 1)), r.line(k)))
            if (
                tk == "if"
                and k == j
                and k + 2 < hi
                and t[k + 2] == "{"
                and c[k + 1] == "n"
                and any(p == t[k + 1] and ty == "bool" for p, ty in f.params)
            ):
                f.bool_params_gating.append(t[k + 1])
            k = j + 1
            continue
        if ck == "s":
            sv = _string_value(tk)
            if _SQL_VERB.match(sv):
                f.sql.append(
                    Sql(
                        verb=_SQL_VERB.match(sv).group(1).upper(),  # type: ignore[union-attr]
                        tables=[
                            x
                            for x in dict.fromkeys(_SQL_TABLE.findall(sv))
                            if x.upper() not in ("SKIP", "NOWAIT", "OF")
                        ],
                        limit=bool(re.search(r"(?i)\bLIMIT\b", sv)),
                        skip_locked=bool(re.search(r"(?i)\bSKIP\s+LOCKED\b", sv)),
                        text=_fold(sv),
                        line=r.line(k),
                    )
                )
        elif tk == "?" and ck == "p" and k > lo and t[k - 1] not in ("=", "(", ",", "%", ":"):
            # `field =? value` in tracing macros is a Debug sigil, not error propagation.
            f.question_marks += 1
            f.question_lines.append(r.line(k))
        elif (
            tk in ("<", ">", "<=", ">=")
            and ck == "p"
            and k > body
            and c[k - 1] == "n"
            and text[r.s[k] - 1 : r.s[k]].isspace()
            and text[_op_end(text, r.s[k]) : _op_end(text, r.s[k]) + 1].isspace()
        ):
            a = k - 1
            b = r.until(k + 1, ("{", ";", ",", "=>", ")"))
            if b - 1 > k:
                f.comparisons.append(_fold(r.src(a, b - 1)))
        k += 1
    f.idents = {t[x] for x in range(lo, hi) if c[x] == "n"}
    if body < hi and item.kind == "fn":
        end = r.close_of(body)
        # The tail is what follows the last statement: after the last `;` at body depth, or
        # after a block statement (`loop {..}`, `if c {..} else {..}`, `match x {..}`).
        k2 = body + 1
        tail_start = body + 1
        stmt_start = body + 1
        block_kw = ("loop", "while", "for", "if", "match", "unsafe", "else")
        while k2 < end:
            if t[k2] == ";" and c[k2] == "p":
                tail_start = stmt_start = k2 + 1
            elif c[k2] == "p" and t[k2] in ("(", "[", "{") and len(t[k2]) == 1:
                close2 = r.close_of(k2)
                if (
                    t[k2] == "{"
                    and t[stmt_start] in block_kw
                    and not (close2 + 1 < end and t[close2 + 1] in ("else", ".", "?", ";"))
                ):
                    tail_start = stmt_start = close2 + 1
                k2 = close2 + 1
                continue
            k2 += 1
        if tail_start < end and t[tail_start] not in (
            "loop",
            "while",
            "for",
            "if",
            "match",
            "tokio",
        ):
            f.tail = _code_only(r, tail_start, end - 1)
    return f


def _op_end(text: str, at: int) -> int:
    """End of a comparison operator starting at ``at`` (`<`, `<=`; `>=` lexes as `>` `=`)."""
    return at + 2 if text[at + 1 : at + 2] == "=" else at + 1


def _split_args(r: _Reader, open_: int, close: int) -> list[str]:
    out: list[str] = []
    j = open_ + 1
    while j < close:
        end = r.until(j, (",",))
        end = min(end, close)
        if end - 1 >= j:
            out.append(_fold(r.src(j, end - 1)))
        j = end + 1
    return out


def _const_at(r: _Reader, k: int, consts: dict[str, float], local: bool) -> Const:
    t = r.t
    name = t[k + 1]
    eq = k + 3
    while eq < r.hi and t[eq] != "=":
        eq += 1
    semi = eq + 1
    while semi < r.hi and t[semi] != ";":
        semi += 1
    type_text = _fold(r.src(k + 3, eq - 1)) if eq - 1 >= k + 3 else ""
    toks = t[eq + 1 : semi]
    expr = _fold(r.src(eq + 1, semi - 1)) if semi - 1 >= eq + 1 else ""
    secs = duration_seconds(toks, consts)
    value = secs if secs is not None else eval_int(toks, consts)
    comment = ""
    p = k - 1
    if p >= 0 and r.c[p] == "c" and t[p].startswith("//"):
        comment = t[p][2:].strip()
    return Const(name, type_text, expr, value, secs is not None, r.line(k), local, comment)


def _resolve_secs(arg: list[str], f: ItemFacts, consts: dict[str, float]) -> float | None:
    if len(arg) == 1 and arg[0] in consts:
        return consts[arg[0]]
    return duration_seconds(arg, consts)


def _cancel_wrapper(r: _Reader, k: int) -> str:
    """A cancellation wrapper the sleep is passed to, e.g. `run_until_cancelled_owned`."""
    for j in range(max(r.lo, k - 6), k):
        if r.c[j] == "n" and re.search(r"(?i)cancel", r.t[j]) and r.t[j + 1] == "(":
            return r.t[j]
    return ""


def _log_at(r: _Reader, open_: int, close: int, level: str, written: str) -> Log:
    t = r.t
    message = ""
    fields: list[str] = []
    j = open_ + 1
    while j < close:
        if r.c[j] == "s" and not message:
            message = _string_value(t[j])
        elif r.c[j] == "n" and j + 1 < close and t[j + 1] in ("=", "="):
            fields.append(t[j])
        j += 1
    return Log(level, written, message, fields, r.line(open_))


def _arm_body(r: _Reader, arrow: int, end: int) -> tuple[int, int, int]:
    """The handler after the `=>` at ``arrow`` of a `match` arm or `select!` branch.

    Returns (first, stop, next): its tokens are ``[first, stop)`` (a block without its braces, or
    an expression up to the next top-level comma) and the following arm starts at ``next``.
    """
    h = arrow + 1
    if r.t[h] == "{":
        close = r.close_of(h)
        nxt = close + 1
        if nxt < end and r.t[nxt] == ",":
            nxt += 1
        return h + 1, close, nxt
    stop = min(r.until(h, (",",)), end)
    return h, stop, stop + 1


def _select_branches(r: _Reader, open_: int) -> list[SelectBranch]:
    """Branches `pattern = future => handler` of a `select!` whose body opens at ``open_``."""
    t = r.t
    if open_ >= r.hi or t[open_] not in ("{", "("):
        return []
    end = r.close_of(open_)
    out: list[SelectBranch] = []
    j = open_ + 1
    if t[j] == "biased" and t[j + 1] == ";":
        j += 2
    while j < end:
        eq = r.until(j, ("=", "=>"))
        if eq >= end:
            break
        if t[eq] == "=>":  # `else => ...`
            pattern, future = _fold(r.src(j, eq - 1)), ""
            arrow = eq
        else:
            arrow = r.until(eq + 1, ("=>",))
            if arrow >= end:
                break
            pattern = _fold(r.src(j, eq - 1))
            future = _code_only(r, eq + 1, arrow - 1)
        first, stop, nxt = _arm_body(r, arrow, end)
        handler = _code_only(r, first, stop - 1) if stop > first else ""
        words = {t[x] for x in range(first, stop)}
        action = (
            "nothing"
            if not handler
            else "break"
            if "break" in words
            else "return"
            if "return" in words
            else "work"
        )
        out.append(SelectBranch(pattern, future, handler, action, r.line(j)))
        j = nxt
    return out


def _code_only(r: _Reader, a: int, b: int) -> str:
    """Tokens a..b as written, comments dropped and whitespace folded to single spaces."""
    out: list[str] = []
    prev_end = -1
    for k in range(a, b + 1):
        if r.c[k] in "cdi":
            continue
        start = r.s[k]
        if prev_end >= 0 and start > prev_end:
            out.append(" ")
        out.append(r.t[k])
        prev_end = start + len(r.t[k])
    return _fold("".join(out))


def _if_else(r: _Reader, a: int, end: int) -> tuple[str, str, str] | None:
    t = r.t
    if t[a] != "if":
        return None
    brace = r.until(a + 1, ("{",))
    if brace >= end:
        return None
    close = r.close_of(brace)
    if close + 2 >= end or t[close + 1] != "else" or t[close + 2] != "{":
        return None
    else_close = r.close_of(close + 2)
    cond = _fold(r.src(a + 1, brace - 1))
    then = _code_only(r, brace + 1, close - 1)
    other = _code_only(r, close + 3, else_close - 1)
    return cond, then, other


def _arms(r: _Reader, k: int) -> list[Arm]:
    """The arms of the `match` at token k: pattern, logs, assignments, returns."""
    t, c = r.t, r.c
    body = k + 1
    while body < r.hi and t[body] != "{":
        body = r.close_of(body) + 1 if t[body] in ("(", "[") else body + 1
    if body >= r.hi:
        return []
    end = r.close_of(body)
    scrutinee = ""
    for x in range(k + 1, body):
        if c[x] == "n" and t[x + 1] == "(" and t[x] not in ("Some", "Ok", "Err"):
            scrutinee = t[x]
            break
    arms: list[Arm] = []
    j = body + 1
    while j < end:
        arrow = r.until(j, ("=>",))
        if arrow >= end:
            break
        pattern = _fold(r.src(j, arrow - 1))
        a, a_end, nxt = _arm_body(r, arrow, end)
        arm = Arm(pattern, [], [], [], r.line(j), [], scrutinee)
        x = a
        while x < a_end:
            if c[x] == "n" and x + 1 < a_end and t[x + 1] == "!" and t[x] in _LOG_LEVELS:
                start = x
                while start - 2 >= a and t[start - 1] == "::":
                    start -= 2
                written = "::".join(t[start : x + 1 : 2])
                close = r.close_of(x + 2)
                arm.logs.append(_log_at(r, x + 2, close, t[x], written))
                x = close + 1
                continue
            if (
                c[x] == "n"
                and x + 1 < a_end
                and t[x + 1] == "="
                and (x == a or t[x - 1] in ("{", ";", "}"))
            ):
                semi = r.until(x + 2, (";",))
                semi = min(semi, a_end)
                arm.sets.append((t[x], _code_only(r, x + 2, semi - 1)))
                cond = _if_else(r, x + 2, semi)
                if cond is not None:
                    arm.branches.append((t[x], *cond))
                x = semi + 1
                continue
            if t[x] == "return":
                semi = min(r.until(x, (";",)), a_end)
                arm.returns.append(_fold(r.src(x, semi - 1)))
            x += 1
        arms.append(arm)
        j = nxt
    return arms
