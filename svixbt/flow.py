"""Where each token of an item runs: the region tree of its body.

A region is a range of tokens with a role: a loop body, a branch under a condition, a `match` arm,
a spawned task, a `tokio::join!` branch, a `tokio::select!` handler, a future under a timeout or a
cancellation token, a closure or an async block. Regions nest by containment. Facts record the
innermost region they sit in, so every later question — "does this wait belong to this loop or to
the task it spawns?", "under which condition does this log fire?" — is answered from the tree,
never by re-reading text.

Token ranges are half-open ``[lo, hi)`` into the scan's significant tokens.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .mechanisms import HANDLE_SPAWN, mechanism, resolve
from .scanner import ScanResult

__all__ = [
    "Region",
    "Flow",
    "build_flow",
    "path_at",
    "lone_branch",
    "TASK_KINDS",
    "CONDITION_KINDS",
    "fold",
    "nested_fn_end",
    "turbofish_end",
    "IRREFUTABLE",
    "covers_all",
    "dead_else",
]

# Regions that start a new task: facts inside them do not run in the item's own task.
TASK_KINDS = frozenset({"spawn", "blocking"})
# Regions that run only under a condition.
# A select branch pattern that matches every value: a binding, `_`, `()` or a tuple of bindings.
_BIND = r"(?:mut\s+)?[a-z_][a-z0-9_]*"
IRREFUTABLE = re.compile(rf"_|\(\s*\)|{_BIND}|\(\s*{_BIND}(?:\s*,\s*{_BIND})*\s*,?\s*\)")

_VARIANT = re.compile(r"(Ok|Err|Some)\(\s*(.*?)\s*\)|(None)")


def covers_all(head: str) -> bool:
    """`Ok(()) | Err(_)`, `Some(_) | None`: alternatives that together match every result of a
    `Result<(), _>` or an `Option` (mullvad's tun writer: "anything else disables the branch"
    of a pattern nothing escapes, held-out read 89 #45)."""
    seen = set()
    for alt in head.split("|"):
        m = _VARIANT.fullmatch(alt.strip())
        if m is None:
            return False
        inner = m.group(2)
        if inner is not None and not IRREFUTABLE.fullmatch(inner):
            return False
        seen.add(m.group(1) or m.group(3))
    return seen in ({"Ok", "Err"}, {"Some", "None"})


def dead_else(regions: Sequence[Region], r: Region) -> bool:
    """Whether select handler ``r`` is an `else` that can never run: `else` runs once every
    branch is disabled, and a branch whose pattern always matches and that has no `, if`
    precondition never is (mongodb's pool worker and matrix-sdk's redecryptor each have such an
    `else => break`, counted as a way out of their loops: held-out read 92 #1, #7)."""
    if r.kind != "select-handler" or r.detail:
        return False
    return any(
        h.kind == "select-handler"
        and h.start_tok == r.start_tok
        and h.detail
        and (IRREFUTABLE.fullmatch(h.head.strip()) or covers_all(h.head))
        and not re.search(r",\s*if\b", h.detail)
        for h in regions
    )


def branch_future(detail: str) -> str:
    """A select branch's future without its `, if` precondition: the precondition is checked
    before the branch is polled, it is not part of what is polled (ntpd's system task: "polls
    .. and `self.ip_list.changed(), if self.ip_list.has_changed().is_ok()` together", held-out
    read 95 #24)."""
    return detail.partition(", if ")[0].strip()


def _chain_spawn(receiver: str) -> str:
    """The path a `spawn` on a call chain is said by: a `Runtime`'s where the chain starts at a
    runtime by name (ncspot's `ASYNC_RUNTIME.get().unwrap().spawn`, a `OnceLock<Runtime>`: said
    as `Handle::spawn`, FALSE in held-out read 103), else a `Handle`'s as before."""
    head = re.match(r"\w+", receiver)
    if head and re.search(r"(?i)runtime|^rt$", head.group(0)) and "handle" not in receiver.lower():
        return "tokio::runtime::Runtime::spawn"
    return HANDLE_SPAWN


CONDITION_KINDS = frozenset({"if", "else", "arm", "select-handler", "let-else"})
_WS = re.compile(r"\s+")


def tokens_text(texts: list[str], codes: list[str] | str, starts: list[int], a: int, b: int) -> str:
    """Tokens ``[a, b)`` as written, comments dropped, whitespace between them folded to one
    space (none where the source had none)."""
    parts: list[str] = []
    prev_end = -1
    # Slices zipped, not indexed: this runs for every call, argument and region head.
    for text, code, st in zip(texts[a:b], codes[a:b], starts[a:b], strict=True):
        if code in "cdi":
            continue
        # A chain broken over lines (`client\n    .event_type()`) reads `client.event_type()`:
        # nobody writes a space before a `.` or a `?` on one line.
        if prev_end >= 0 and st > prev_end and text not in (".", "?"):
            parts.append(" ")
        parts.append(text)
        prev_end = st + len(text)
    return fold("".join(parts))


# Statements that end without a `;` when they end a block: their `}` closes the statement.
BLOCK_KW = ("loop", "while", "for", "if", "match", "unsafe", "else")
# Words that may stand before the `fn` of an item declared in a body.
_FN_QUALIFIERS = ("async", "pub", "const", "unsafe", "extern")


def nested_fn_end(
    t: Sequence[str], c: str | Sequence[str], m: Sequence[int], k: int, hi: int
) -> int:
    """The token after the fn item that token ``k`` declares inside a body (`async fn
    flush_timeline(..) {..}`), or 0 when ``k`` is not the `fn` of one. Such a fn runs where it
    is called, maybe in a spawned task, not where it is written (neon's `flush_remote`: the `?`s
    of its nested fn were said to return from it "before the loop")."""
    if t[k] != "fn" or c[k] != "n" or k + 1 >= hi or c[k + 1] != "n":
        return 0  # `fn(u8) -> u8` is a pointer type
    j = k + 2
    while j < hi:
        if c[j] == "p" and t[j] in ("(", "[", "{"):
            close = m[j] if m[j] > j else hi - 1
            if t[j] == "{":
                return close + 1
            j = close + 1
            continue
        if t[j] == ";":
            return j + 1
        j += 1
    return 0


def _starts_fn_item(t: Sequence[str], first: int, k: int) -> bool:
    j = first
    while j < k and t[j] in _FN_QUALIFIERS:
        j += 1
    return j < k and t[j] == "fn"


def turbofish_end(t: Sequence[str], j: int, end: int) -> int:
    """The token after the `>` closing the `<` of a turbofish at ``j`` (`Ok::<_, E>(())`): its
    commas are no ends of an argument, an arm or a statement."""
    depth = 0
    while j < end:
        tj = t[j]
        if tj == "<":
            depth += 1
        elif tj in (">", ">>"):
            depth -= len(tj)
            if depth <= 0:
                return j + 1
        elif tj in (";", "{", "}"):
            return j  # not a generic list after all
        j += 1
    return end


def tail_start(scan: ScanResult, lo: int, hi: int) -> tuple[int, int]:
    """(tail, last_block) of the block whose tokens are ``[lo, hi)``: the first token of its
    final expression (``hi`` when it ends in a statement), and the first token of its last
    statement when that is a block-like one with no `;` after it (``if .. {} else {}``,
    `loop {}`), else -1: that statement is then the block's value."""
    t, c, m = scan.texts, scan.codes, scan.match
    k = stmt = tail = lo
    last_block = -1
    while k < hi:
        if t[k] == ";" and c[k] == "p":
            tail = stmt = k + 1
            last_block = -1
        elif c[k] == "p" and t[k] in ("(", "[", "{"):
            close = m[k] if m[k] > k else hi - 1
            first = stmt
            while first < k and c[first] in "cdi":
                first += 1  # a comment above the statement is not where it starts
            if (
                t[k] == "{"
                # A bare `{ .. }` opening a statement is a block statement too: wash's messaging
                # plugin stores its task handle in one and then returns `Ok(())`, which is the
                # tail ("the handle goes back to the caller" was false, held-out read 26).
                and (
                    t[stmt] in BLOCK_KW
                    or k == first
                    or _brace_macro(t, c, stmt, k)
                    or t[first] == "macro_rules"  # an item in the body, never its value
                    or _starts_fn_item(t, first, k)
                )
                and not (close + 1 < hi and t[close + 1] in ("else", ".", "?", ";"))
            ):
                last_block = stmt
                tail = stmt = close + 1
            k = close + 1
            continue
        k += 1
    while tail < hi and c[tail] in "cdi":
        tail += 1
    return min(tail, hi), last_block


def statements(scan: ScanResult, lo: int, hi: int) -> tuple[list[tuple[int, int]], bool]:
    """The statements of tokens ``[lo, hi)``, a block's inside, as token ranges (comments
    dropped, `;` left out), and whether the last one is a tail expression (no `;` after it)."""
    t, c, m = scan.texts, scan.codes, scan.match
    out: list[tuple[int, int]] = []
    a = -1
    k = lo
    while k < hi:
        if c[k] in "cdi":
            k += 1
            continue
        if a < 0:
            a = k
        if c[k] == "p" and t[k] in ("(", "[", "{"):
            k = (m[k] if m[k] > k else hi - 1) + 1
            continue
        if c[k] == "p" and t[k] == ";":
            out.append((a, k))
            a = -1
        k += 1
    if a >= 0:
        out.append((a, hi))
        return out, True
    return out, False


def _brace_macro(t: Sequence[str], c: str | Sequence[str], stmt: int, k: int) -> bool:
    """Tokens ``[stmt, k)`` are a macro path and its `!` (`tokio::select!` before `{`): a
    brace-bodied macro at the start of a statement is a statement, like a `loop` (a select
    followed by `Some(stream)` was read as one tail expression with it)."""
    if k - stmt < 2 or t[k - 1] != "!":
        return False
    return all(c[j] == "n" if (j - stmt) % 2 == 0 else t[j] == "::" for j in range(stmt, k - 1))


def lone_branch(r: Region) -> bool:
    """Whether ``r`` is the handler of a `select!` with one branch whose pattern cannot fail
    (`_ = sleep(frequency) => {..}`): it runs every time the select is reached, no condition
    (nostr-rs-relay's expiry cleanup: its whole round sits in such a handler)."""
    return (
        r.kind == "select-handler"
        and r.siblings == 1
        and bool(re.fullmatch(r"_|(?:mut\s+)?[a-z_]\w*", r.head))
    )


def path_at(t: Sequence[str], c: Sequence[str], k: int, hi: int) -> tuple[list[str], int]:
    """The segments of the `::` path starting at name token ``k`` (`tokio::time::sleep`) and
    the token after it, reading no further than token ``hi``. The one path reader of the
    flow, fact and crate layers."""
    parts = [t[k]]
    j = k + 1
    while j + 1 < hi and t[j] == "::" and c[j + 1] == "n":
        parts.append(t[j + 1])
        j += 2
    # Turbofish `spawn::<F>(..)`: the path ends before `::<`; skip its generic arguments.
    if j + 1 < hi and t[j] == "::" and t[j + 1] == "<":
        depth = 0
        x = j + 1
        while x < hi:
            depth += t[x] == "<"
            depth -= t[x] == ">"
            x += 1
            if depth == 0:
                break
        j = x
    return parts, j


def fold(text: str) -> str:
    return _WS.sub(" ", text).strip()


@dataclass
class Region:
    id: int
    kind: str  # fn, loop, if, else, let-else, match, arm, spawn, blocking, join-branch,
    #            select-future, select-handler, timeout-future, cancellable, async, closure
    lo: int  # token range of the region's code
    hi: int
    parent: int | None = None
    head: str = ""  # the condition, pattern or mechanism, as written (whitespace folded)
    head_start: int = -1  # char offsets of ``head`` in the file (its proof)
    head_end: int = -1
    keyword: str = ""  # loop/while/for, the mechanism path, the scrutinee of an arm
    start_tok: int = -1  # token of the construct's keyword or path
    index: int = 0  # position among siblings of the same construct (join branch 0, 1, ...)
    siblings: int = 0  # how many branches the construct has
    detail: str = ""  # select handler: its future; spawn: how the handle is kept
    call_hi: int = -1  # a spawn of a block bound earlier: the token of its call's `)`
    after: tuple[
        str, ...
    ] = ()  # `else if` / `else`: the earlier conditions of the chain, all false


@dataclass
class Flow:
    """The region tree of one item, and each token's innermost region."""

    scan: ScanResult
    regions: list[Region]
    lo: int
    hi: int
    _innermost: list[int] = field(default_factory=list, repr=False)

    def region_at(self, tok: int) -> Region:
        if self.lo <= tok < self.hi:
            return self.regions[self._innermost[tok - self.lo]]
        return self.regions[0]

    def chain(self, rid: int) -> list[Region]:
        """The region and its ancestors, innermost first."""
        out: list[Region] = []
        cur: int | None = rid
        while cur is not None:
            r = self.regions[cur]
            out.append(r)
            cur = r.parent
        return out

    def task_of(self, rid: int) -> Region:
        """The region whose task runs ``rid``: the nearest spawn/blocking region or thread
        closure, or the item."""
        for r in self.chain(rid):
            if r.kind in TASK_KINDS or r.parent is None or is_thread(r):
                return r
        return self.regions[0]

    def loop_of(self, rid: int) -> Region | None:
        """The nearest enclosing loop in the same task."""
        for r in self.chain(rid):
            if r.kind in TASK_KINDS or is_thread(r):
                return None
            if r.kind == "loop":
                return r
        return None

    def conditions(self, rid: int, stop: int | None = None) -> list[Region]:
        """Conditional regions around ``rid`` (innermost first), up to ``stop`` (exclusive) or the
        task boundary."""
        out: list[Region] = []
        for r in self.chain(rid):
            # With ``stop`` given, conditions around an inner loop count too: a log in a loop
            # that only runs `if shutting_down` fires only when shutting down.
            if r.id == stop or r.kind in TASK_KINDS or (r.kind == "loop" and stop is None):
                break
            if is_thread(r):
                break
            if r.kind in CONDITION_KINDS and not lone_branch(r):
                out.append(r)
        return out

    def end_of(self, r: Region) -> int:
        """The char offset just past region ``r``'s code (the file's end for the last one)."""
        starts = self.scan.starts
        return starts[r.hi] if r.hi < len(starts) else len(self.scan.text)

    def behind_operand(self, start: int) -> bool:
        """Whether char offset ``start`` lies in an `if`/`while` head after a top-level `&&` or
        `||`: what is written there runs only as the operand before it allows
        (`if is_ingester() && let Err(e) = update().await`; "every round awaits four calls
        outside any condition" was false of openobserve's metrics job, held-out read 29)."""
        scan = self.scan
        for r in self.regions:
            if r.kind not in ("if", "loop") or not (r.head_start <= start < r.head_end):
                continue
            toks = scan.token_range(r.head_start, start)
            t, s = scan.texts, scan.starts
            k = toks.start
            while k + 1 < toks.stop:
                # The lexer gives `&&` as two `&`: adjacent, after an operand (not `== &&x`).
                if (
                    t[k] in ("&", "|")
                    and t[k + 1] == t[k]
                    and s[k + 1] == s[k] + 1
                    and k > toks.start
                    and (scan.codes[k - 1] != "p" or t[k - 1] in (")", "]", "}"))
                ):
                    return True
                # Brackets are skipped whole: `f(|| g())` holds a closure, not an operand.
                k = scan.match[k] + 1 if scan.match[k] > k else k + 1
        return False

    def inside(self, rid: int, ancestor: int) -> bool:
        return any(r.id == ancestor for r in self.chain(rid))

    def future_below(self, rid: int, top: int, *, spare_body: bool = False) -> bool:
        """Whether ``rid`` sits in an `async` block or closure written below region ``top``:
        what runs there runs when that future is polled or the closure called, not as a step
        of ``top``. With ``spare_body``, the block directly inside ``top`` (a spawned task's
        own `async move { .. }`) is ``top``'s body, not a future within it."""
        chain = self.chain(rid)
        for n, r in enumerate(chain):
            if r.id == top:
                return False
            body = spare_body and n + 1 < len(chain) and chain[n + 1].id == top
            if r.kind in ("async", "closure") and not body:
                return True
        return False

    def common(self, a: int, b: int) -> int:
        """The innermost region holding both ``a`` and ``b``."""
        ids = {r.id for r in self.chain(b)}
        return next((r.id for r in self.chain(a) if r.id in ids), 0)

    def exclusive(self, a: int, b: int) -> bool:
        """Whether regions ``a`` and ``b`` sit in different branches of one `match` or one
        `if`/`else` chain, so no run passes through both (loco's `perform_later` has its `?`s in
        the arms beside the one that spawns: "each `?` before the spawn" was false, read 33)."""
        ca, cb = self.chain(a), self.chain(b)
        ids_b = [r.id for r in cb]
        for i, r in enumerate(ca):
            if r.id not in ids_b:
                continue
            j = ids_b.index(r.id)
            if i == 0 or j == 0:
                return False  # one is inside the other
            xa, xb = ca[i - 1], cb[j - 1]
            if xa.kind == "arm" and xb.kind == "arm":
                return True
            if {xa.kind, xb.kind} <= {"if", "else"}:
                first, second = sorted((xa, xb), key=lambda x: x.lo)
                return first.kind == "if" and first.head in second.after
            return False
        return False

    def children(self, rid: int) -> list[Region]:
        return [r for r in self.regions if r.parent == rid]


class _Builder:
    def __init__(self, scan: ScanResult, lo: int, hi: int, imports: Mapping[str, str]) -> None:
        self.scan = scan
        self.t = scan.texts
        self.c = scan.codes
        self.s = scan.starts
        self.m = scan.match
        self.lo = lo
        self.hi = hi
        self.imports = imports
        self.regions: list[Region] = []
        self.guard_ifs: set[int] = set()  # `if` tokens that are match-arm guards

    # -- token helpers ----------------------------------------------------------------------
    def close_of(self, k: int) -> int:
        j = self.m[k] if 0 <= k < len(self.m) else -1
        return j if j > k else self.hi

    def is_open(self, k: int, ch: str) -> bool:
        return k < self.hi and self.t[k] == ch and self.c[k] == "p"

    def until(self, k: int, stops: tuple[str, ...], end: int) -> int:
        """First token at bracket depth 0 from ``k`` whose text is in ``stops`` (or ``end``)."""
        j = k
        while j < end:
            tj = self.t[j]
            if tj in stops and self.c[j] == "p":
                return j
            if self.c[j] == "p" and tj in ("(", "[", "{"):
                j = self.close_of(j) + 1
                continue
            if tj == "<" and j > k and self.t[j - 1] == "::":
                # A turbofish's commas are no stops (quilkin's phoenix select: `break
                # Ok::<_, eyre::Error>(())` split the handler at its `,`, and the next branch's
                # pattern read `eyre::Error>(()), result`, held-out read 81 #4).
                j = turbofish_end(self.t, j, end)
                continue
            j += 1
        return end

    def body_brace(self, k: int, end: int) -> int:
        """The `{` opening a construct's body: the first brace at depth 0 from ``k``."""
        j = k
        while j < end:
            tj = self.t[j]
            if self.c[j] == "n" and tj in ("loop", "unsafe", "async"):
                # `match loop { select! {..} } { arms }`: a block expression in the head is
                # no body (hyperlane's tx-id indexer took the loop's body as the match arms,
                # and its error arms' sleeps went to the wrong failures: read 63).
                b = j + 2 if tj == "async" and self.t[j + 1] == "move" else j + 1
                if self.is_open(b, "{"):
                    j = self.close_of(b) + 1
                    continue
            if self.c[j] == "p":
                if tj == "{":
                    return j
                if tj in ("(", "["):
                    j = self.close_of(j) + 1
                    continue
                if tj in (";", "}"):
                    return end
            j += 1
        return end

    def pattern_end(self, k: int, end: int) -> int:
        """Where the body's `{` is looked for after `for`/`while` at ``k``: past the `in` of a
        `for` or the `=` of a `while let`, whose pattern may hold braces of its own (`for Query
        { repos, queries } in &self.actions {`: triagebot's loop was cut at the pattern's `{`,
        and a spawn two loops down was said to be one task per repo)."""
        want = "in" if self.t[k] == "for" else "="
        if want == "=" and not (k + 1 < end and self.t[k + 1] == "let"):
            return k + 1
        j = k + 1
        while j < end:
            tj, cj = self.t[j], self.c[j]
            if tj == want and (cj != "p" or want == "="):
                return j + 1
            if cj == "p" and tj in ("(", "[", "{"):
                j = self.close_of(j) + 1
                continue
            if cj == "p" and tj in (";", "}"):
                break
            j += 1
        return k + 1

    def text(self, a: int, b: int) -> tuple[str, int, int]:
        """Folded source of tokens ``[a, b)``, comments dropped, and its char span."""
        if b <= a:
            return "", -1, -1
        start = self.s[a]
        end = self.s[b - 1] + len(self.t[b - 1])
        return tokens_text(self.t, self.c, self.s, a, b), start, end

    def add(
        self, kind: str, lo: int, hi: int, head: tuple[int, int] | None = None, **kw: object
    ) -> Region:
        h, hs, he = self.text(*head) if head else ("", -1, -1)
        r = Region(len(self.regions), kind, lo, hi, head=h, head_start=hs, head_end=he)
        for k, v in kw.items():
            setattr(r, k, v)
        self.regions.append(r)
        return r

    def path_at(self, k: int) -> tuple[list[str], int]:
        return path_at(self.t, self.c, k, self.hi)

    # -- constructs -------------------------------------------------------------------------
    def run(self, body_lo: int, body_hi: int) -> None:
        self.add("fn", body_lo, body_hi)
        t, c = self.t, self.c
        k = body_lo
        while k < body_hi:
            # Only a name starts a construct or an opaque macro, and only `|` or `||` a closure:
            # every other token is passed over here, without a call.
            ck = c[k]
            if ck == "n":
                skip = self.opaque_macro(k) or nested_fn_end(t, c, self.m, k, body_hi)
                if skip:
                    k = skip
                    continue
                self.at(k, body_hi)
            elif ck == "p" and t[k] in ("|", "||"):
                self.at(k, body_hi)
            k += 1

    def opaque_macro(self, k: int) -> int:
        """The token after a macro invocation whose body is a token tree, not code (`matches!`,
        `format!`, `tracing::info!`): `if` or `|` inside it is not a branch or a closure.
        0 when ``k`` does not start one. Task macros (`tokio::select!`) are walked as code."""
        if self.c[k] != "n" or (k > 0 and self.t[k - 1] in ("::", ".")):
            return 0
        parts, j = self.path_at(k)
        if j + 1 >= self.hi or self.t[j] != "!" or self.t[j + 1] not in ("(", "[", "{"):
            return 0
        mech = mechanism(resolve(parts, self.imports))
        if mech is not None and mech.is_macro:
            return 0
        return self.close_of(j + 1) + 1

    def at(self, k: int, end: int) -> None:
        t, c = self.t[k], self.c[k]
        if c == "n":
            prev = self.t[k - 1] if k > 0 else ""
            if t == "loop" and self.is_open(k + 1, "{"):
                self.add("loop", k + 2, self.close_of(k + 1), keyword="loop", start_tok=k)
            elif t in ("while", "for"):
                brace = self.body_brace(self.pattern_end(k, end), end)
                if brace < end:
                    self.add(
                        "loop",
                        k + 1,
                        self.close_of(brace),
                        head=(k + 1, brace),
                        keyword=t,
                        start_tok=k,
                    )
            elif t == "if" and prev != "else" and k not in self.guard_ifs:
                self.if_chain(k, end)
            elif t == "else" and prev != "}" and self.is_open(k + 1, "{"):
                # `let Some(x) = y else { .. };`: the block runs when the pattern does not match.
                stmt = k - 1
                while stmt > self.lo and self.t[stmt] not in (";", "{", "}"):
                    stmt -= 1
                self.add("let-else", k + 2, self.close_of(k + 1), head=(stmt + 1, k), start_tok=k)
            elif t == "match":
                self.match_arms(k, end)
            elif t == "async" and (
                self.is_open(k + 1, "{")
                or (k + 2 < end and self.t[k + 1] == "move" and self.is_open(k + 2, "{"))
            ):
                brace = k + 1 if self.t[k + 1] == "{" else k + 2
                self.add("async", brace + 1, self.close_of(brace), start_tok=k)
            elif prev not in ("::", ".") and prev != "fn":
                self.path_construct(k, end)
            if prev == "." and k + 1 < end and self.t[k + 1] == "(":
                self.method_construct(k)
        elif (
            c == "p"
            and t in ("|", "||")
            and k > self.lo
            and self.t[k - 1]
            in (
                "(",
                ",",
                "=",
                "move",
                "=>",
                "{",
                ";",
            )
        ):
            self.closure(k, end)

    def if_chain(self, k: int, end: int) -> None:
        """`if c {..} else if d {..} else {..}`: each branch a region headed by its condition."""
        conds: list[str] = []
        j = k
        while j < end and self.t[j] == "if":
            brace = self.body_brace(j + 1, end)
            if brace >= end:
                return
            close = self.close_of(brace)
            # A `select!` branch's precondition (`_ = tick(), if n != 0 => {`): the `=>` is the
            # branch's, not the condition's (rathole: "`self.heartbeat_interval != 0 =>`").
            stop = brace - 1 if self.t[brace - 1] == "=>" else brace
            r = self.add("if", brace + 1, close, head=(j + 1, stop), start_tok=j)
            r.after = tuple(conds)
            conds.append(r.head)
            if close + 1 < end and self.t[close + 1] == "else":
                if close + 2 < end and self.t[close + 2] == "if":
                    j = close + 2
                    continue
                if self.is_open(close + 2, "{"):
                    e = self.add("else", close + 3, self.close_of(close + 2), start_tok=close + 1)
                    e.after = tuple(conds)
            return

    def match_arms(self, k: int, end: int) -> None:
        brace = self.body_brace(k + 1, end)
        if brace >= end:
            return
        close = self.close_of(brace)
        scrut, _, _ = self.text(k + 1, brace)
        self.add("match", brace + 1, close, head=(k + 1, brace), start_tok=k)
        j = brace + 1
        n = 0
        arms: list[Region] = []
        while j < close:
            arrow = self.until(j, ("=>",), close)
            if arrow >= close:
                break
            # `Pat if guard =>`: the guard's `if` is part of the pattern, not a branch.
            depth = 0
            for g in range(j, arrow):
                tg = self.t[g]
                if self.c[g] == "p" and tg in ("(", "[", "{"):
                    depth += 1
                elif self.c[g] == "p" and tg in (")", "]", "}"):
                    depth -= 1
                elif tg == "if" and depth == 0 and self.c[g] == "n":
                    self.guard_ifs.add(g)
            first, stop, nxt = self.arm_body(arrow, close)
            if self.t[j] == "|" and j + 1 < arrow:
                j += 1  # `| Ok(x) =>`: the leading `|` is no part of what the arm matches
            arms.append(
                self.add("arm", first, stop, head=(j, arrow), keyword=scrut, start_tok=j, index=n)
            )
            n += 1
            j = nxt
        for a in arms:
            a.siblings = n

    def arm_body(self, arrow: int, end: int) -> tuple[int, int, int]:
        """Tokens of the handler after ``=>`` and where the next arm starts."""
        h = arrow + 1
        if self.is_open(h, "{"):
            close = self.close_of(h)
            nxt = close + 1
            if nxt < end and self.t[nxt] == ",":
                nxt += 1
            return h + 1, close, nxt
        stop = self.until(h, (",",), end)
        return h, stop, stop + 1

    def path_construct(self, k: int, end: int) -> None:
        parts, j = self.path_at(k)
        if j >= end:
            return
        bang = self.t[j] == "!"
        open_ = j + 1 if bang else j
        if open_ >= end or self.t[open_] not in ("(", "{", "["):
            return
        mech = mechanism(resolve(parts, self.imports))
        if mech is None or mech.is_macro != bang:
            return
        close = self.close_of(open_)
        written = "::".join(parts) + ("!" if bang else "")
        if mech.role in ("spawn", "blocking"):
            lo, hi = self.bound_async(open_ + 1, close) if mech.role == "spawn" else (-1, -1)
            if lo < 0:
                lo, hi = open_ + 1, close
            self.add(
                mech.role, lo, hi, keyword=mech.path, start_tok=k, detail=written, call_hi=close
            )
        elif mech.role == "join":
            branches = self.split_args(open_ + 1, close)
            for i, (a, b) in enumerate(branches):
                self.add(
                    "join-branch",
                    a,
                    b,
                    keyword=mech.path,
                    start_tok=k,
                    index=i,
                    siblings=len(branches),
                    detail=written,
                )
        elif mech.role == "select":
            self.select_branches(k, open_, close, mech.path, written)
        elif mech.role == "timeout":
            args = self.split_args(open_ + 1, close)
            if len(args) == 2:
                a, b = args[1]
                self.add(
                    "timeout-future",
                    a,
                    b,
                    head=args[0],
                    keyword=mech.path,
                    start_tok=k,
                    detail=written,
                )

    def method_construct(self, k: int) -> None:
        name = self.t[k]
        receiver, at = self.handle_receiver(k) if name == "spawn" else ("", -1)
        if name in ("run_until_cancelled", "run_until_cancelled_owned"):
            open_ = k + 1
            self.add("cancellable", open_ + 1, self.close_of(open_), keyword=name, start_tok=k)
        elif receiver:
            open_ = k + 1
            self.add(
                "spawn",
                open_ + 1,
                self.close_of(open_),
                keyword=HANDLE_SPAWN,
                start_tok=at,  # the statement starts at the receiver, as a JoinSet's does
                # A chain with calls in it is no name to quote: the method's path says it.
                detail=f"{receiver}.spawn" if "(" not in receiver[:-2] else _chain_spawn(receiver),
            )
        elif name == "spawn" and self.joinset_receiver(k):
            open_ = k + 1
            self.add(
                "spawn",
                open_ + 1,
                self.close_of(open_),
                keyword="tokio::task::JoinSet::spawn",
                start_tok=k - 2,
                detail=f"{self.t[k - 2]}.spawn",
            )

    def bound_async(self, a: int, b: int) -> tuple[int, int]:
        """`let fut = async move { .. }; tokio::spawn(fut);`: the tokens of the async block that
        the spawn's one argument names, from its `async` to past its `}` ((-1, -1) when the
        argument is anything else). quickwit spawns its gossip and metrics tasks so, and their
        loops read as nobody's: no cadence, no exit, no record."""
        if b != a + 1 or self.c[a] != "n":
            return -1, -1
        # The block regions walked so far: the nearest one bound to the name before the spawn.
        bound = [r for r in self.regions if r.hi < a and let_bound(self.t, r) == self.t[a]]
        return (bound[-1].start_tok, bound[-1].hi + 1) if bound else (-1, -1)

    def handle_receiver(self, k: int) -> tuple[str, int]:
        """`Handle::current().spawn(async ..)`, `rt.spawn(async ..)`: a runtime handle's spawn of
        an async block, as its receiver is written ("" for any other `spawn` method). pingora's
        accept loop spawns each connection with `current_handle().spawn(..)`, whose error arms
        read as the loop's own (a held-out read)."""
        if k < 2 or self.t[k - 1] != "." or k + 2 >= self.hi:
            return "", -1
        # `runtime.spawn(Box::pin(async move {..}))`: a runtime trait's spawn takes a boxed
        # future (tonic's DNS resolver; its select read as `new`'s own, a held-out read).
        boxed = self.t[k + 2 : k + 7] == ["Box", "::", "pin", "(", "async"]
        block = self.t[k + 2] == "async" or boxed or self._block_of_async(k + 2)
        j = k - 2
        if self.t[j] == ")" and j >= 2 and self.t[j - 1] == "(":
            j -= 2  # a call with no arguments: `current()`, `current_handle()`
        if self.c[j] != "n":
            return self._runtime_chain(k) if block else ("", -1)
        name = self.t[j]
        called = j != k - 2
        # `server.runtime().spawn(..)`: a getter of the runtime (conduwuit's router).
        runtime = (
            name in ("current", "current_handle")
            or (not called and name in ("handle", "rt", "runtime", "rt_handle"))
            or (called and name in ("runtime", "handle", "rt_handle", "tokio_handle"))
        )
        # A runtime's handle spawns any future, an async fn's call too: jsonrpsee's `start`
        # has `Some(rt) => rt.spawn(self.start_inner(..))` beside `None => tokio::spawn(..)`,
        # and "when that call gives anything else, no task is started" was false (read 94
        # F19). A closure is another pool's job (rayon's `pool.spawn(|| ..)`).
        if not block and not (runtime and self.t[k + 2] not in ("|", "||", "move")):
            return "", -1
        if runtime:
            a = j  # back over the path or field chain: `tokio::runtime::Handle`, `self.rt`
            while a - 2 >= self.lo and self.t[a - 1] in ("::", ".") and self.c[a - 2] == "n":
                a -= 2
            return "".join(self.t[a : k - 1]), a
        return self._runtime_chain(k) if block else ("", -1)

    def _block_of_async(self, k: int) -> bool:
        """`spawn({ let c = c.clone(); async move { .. } })`: a block whose own statements end
        in an async block (neon's pageserver spawns its metrics task so)."""
        if not self.is_open(k, "{"):
            return False
        close = self.close_of(k)
        j = k + 1
        while j < close:
            if self.t[j] == "async" and self.c[j] == "n":
                return True
            j = self.close_of(j) + 1 if self.t[j] in ("{", "(", "[") and self.c[j] == "p" else j + 1
        return False

    def _open_of(self, close: int) -> int:
        """The `(` that the `)` at ``close`` closes (``self.m`` maps openers only)."""
        depth = 0
        for j in range(close, self.lo - 1, -1):
            if self.c[j] != "p":
                continue
            depth += {")": 1, "(": -1}.get(self.t[j], 0)
            if depth == 0:
                return j
        return self.lo - 1

    def _runtime_chain(self, k: int) -> tuple[str, int]:
        """`rt.as_ref().unwrap_or_else(|| RUNTIME.handle()).spawn(async ..)`: a receiver chain
        with calls in it that names a runtime or its handle (neon's safekeeper housekeeping
        task, whose loop read as `start_safekeeper`'s own: a held-out read)."""
        a = k - 1  # the `.` before `spawn`
        while a - 1 >= self.lo:
            p = a - 1
            if self.t[p] == ")":
                p = self._open_of(p) - 1  # over a call's arguments to its name
                if p < self.lo:
                    return "", -1
            if self.c[p] != "n":
                return "", -1
            if p - 1 >= self.lo and self.t[p - 1] in (".", "::"):
                a = p - 1
                continue
            a = p
            break
        words = {w.lower() for w in self.t[a : k - 1] if w.isidentifier()}
        # A task executor's spawn of an async block (lighthouse's `executor.spawn(async move
        # { .. }, "name")`): its error arms were said as the loop's own (held-out read 96 #10,
        # #12).
        if not words & {"handle", "rt", "runtime", "executor", "task_executor"} and not any(
            w.endswith(("_rt", "_runtime", "_executor")) for w in words
        ):
            return "", -1
        return "".join(self.t[a : k - 1]), a

    def joinset_receiver(self, k: int) -> bool:
        """`set.spawn(..)` where `set` is bound in this item to a `JoinSet` (by its type or by
        `JoinSet::new()`): a task the set owns, not a method that happens to be called spawn."""
        if k < 2 or self.t[k - 1] != "." or self.c[k - 2] != "n":
            return False
        recv = self.t[k - 2]
        # A parameter counts too (Forest's `services: &mut JoinSet<..>`: its two tasks read as
        # the fn's own loops, held-out read 60): from the fn's `fn`, a param's type ends at
        # its `,` or the list's `)`.
        first = self.lo
        while first > 0 and self.lo - first < 400 and self.t[first] != "fn":
            first -= 1
        if self.t[first] != "fn":
            first = self.lo
        for i in range(first, k - 2):
            if self.t[i] != recv or self.t[i + 1] not in ("=", ":"):
                continue
            stops = (";", "{") if i >= self.lo else (",", ")", "{")
            j = i + 1
            while j < k and self.t[j] not in stops:
                if self.t[j] == "JoinSet":
                    return True
                j += 1
        return False

    def split_args(self, a: int, b: int) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        j = a
        while j < b:
            stop = self.until(j, (",",), b)
            if stop > j:
                out.append((j, stop))
            j = stop + 1
        return out

    def select_branches(self, k: int, open_: int, close: int, path: str, written: str) -> None:
        j = open_ + 1
        # A comment may come first (linkerd's balancer explains its `biased;` above it): the
        # first branch's pattern was read as `biased; res`, a pattern that can fail.
        while j < close and self.c[j] in "cdi":
            j += 1
        if self.t[j] == "biased" and self.t[j + 1] == ";":
            j += 2
        branches: list[Region] = []
        n = 0
        while j < close:
            eq = self.until(j, ("=", "=>"), close)
            if eq >= close:
                break
            if self.t[eq] == "=>":  # `else => handler`
                first, stop, nxt = self.arm_body(eq, close)
                r = self.add(
                    "select-handler",
                    first,
                    stop,
                    head=(j, eq),
                    keyword=path,
                    start_tok=k,
                    index=n,
                    detail="",
                )
            else:
                arrow = self.until(eq + 1, ("=>",), close)
                if arrow >= close:
                    break
                fut, _, _ = self.text(eq + 1, arrow)
                self.add(
                    "select-future",
                    eq + 1,
                    arrow,
                    keyword=path,
                    start_tok=k,
                    index=n,
                    detail=written,
                )
                first, stop, nxt = self.arm_body(arrow, close)
                r = self.add(
                    "select-handler",
                    first,
                    stop,
                    head=(j, eq),
                    keyword=path,
                    start_tok=k,
                    index=n,
                    detail=fut,
                )
            branches.append(r)
            n += 1
            j = nxt
        for r in branches:
            r.siblings = n

    def closure(self, k: int, end: int) -> None:
        if self.t[k] == "||":
            body = k + 1
        else:
            j = k + 1
            while j < end and self.t[j] != "|":
                if self.t[j] == "=>":
                    # `| Ok(x) => ..`: a match arm's leading `|`, not a closure (tuwunel writes
                    # every arm so; its `return`s were read as a closure's, held-out read 12).
                    return
                j = self.close_of(j) + 1 if self.t[j] in ("(", "[", "{") else j + 1
            body = j + 1
        if body >= end:
            return
        if self.t[body] == "->":
            body = self.body_brace(body, end)
        keyword = self.thread_call(k)
        if self.is_open(body, "{"):
            self.add("closure", body + 1, self.close_of(body), start_tok=k, keyword=keyword)
        else:
            stop = self.until(body, (",", ";", ")"), end)
            self.add("closure", body, stop, start_tok=k, keyword=keyword)

    def thread_call(self, k: int) -> str:
        """`std::thread::spawn` when the closure at ``k`` (after an optional `move`) is that
        call's argument, else ""."""
        j = k - 1
        if j >= 0 and self.t[j] == "move":
            j -= 1
        if j < 1 or self.t[j] != "(":
            return ""
        parts: list[str] = []
        j -= 1
        while j >= 0 and self.c[j] == "n":
            parts.insert(0, self.t[j])
            if j >= 2 and self.t[j - 1] == "::":
                j -= 2
            else:
                break
        if j > 0 and self.t[j - 1] == ".":
            return ""  # a method (`builder.spawn(..)`)
        return THREAD_SPAWN if parts and resolve(parts, self.imports) == THREAD_SPAWN else ""


THREAD_SPAWN = "std::thread::spawn"


def is_thread(r: Region) -> bool:
    """A closure handed to `std::thread::spawn`: it runs on a thread of its own, like a task
    (libsql's deadlock monitor sleeps and times out in such a thread's own runtime: "the pause
    of 1 second" was said of the fn's `tokio::spawn` task, held-out read 78)."""
    return r.kind == "closure" and r.keyword == THREAD_SPAWN


def bound_to(texts: Sequence[str], r: Region) -> str:
    """The name an async block ``r`` is assigned to (`x = async { .. }`), or ""."""
    k = r.start_tok
    if r.kind != "async" or k < 2 or texts[k - 1] != "=" or texts[k - 2] == "=":
        return ""
    return texts[k - 2]


def let_bound(texts: Sequence[str], r: Region) -> str:
    """The name an async block ``r`` is bound to by `let name = async ..` (or `let mut`), or
    "": a future the item builds first and hands to a spawn or a timeout by that name."""
    k = r.start_tok
    return bound_to(texts, r) if k >= 3 and texts[k - 3] in ("let", "mut") else ""


def build_flow(scan: ScanResult, body_lo: int, body_hi: int, imports: Mapping[str, str]) -> Flow:
    """The region tree of the tokens ``[body_lo, body_hi)`` (a fn body without its braces)."""
    b = _Builder(scan, body_lo, body_hi, imports)
    b.run(body_lo, body_hi)
    regions = b.regions
    # Parents by containment; ties (a region exactly as wide as another) nest in creation order.
    order = sorted(regions, key=lambda r: (r.lo, -r.hi, r.id))
    stack: list[Region] = []
    for r in order:
        while stack and not (stack[-1].lo <= r.lo and r.hi <= stack[-1].hi):
            stack.pop()
        r.parent = stack[-1].id if stack else None
        stack.append(r)
    innermost = [0] * max(0, body_hi - body_lo)
    # Outer regions first, so inner ones overwrite them.
    for r in order:
        a, z = max(r.lo, body_lo) - body_lo, min(r.hi, body_hi) - body_lo
        if a < z:
            innermost[a:z] = [r.id] * (z - a)
    return Flow(scan, regions, body_lo, body_hi, innermost)
