"""Can this value be an `Err`? Answered from tokens, and only "no" when the code proves it.

A join's results are checked after it (`worker_loop.expect(..)`); saying "a failed
`worker_loop` panics" or "when two have failed only the first is seen" is misleading when that
branch can never fail: `queue_handler` has no `?`, no `return Err` and ends in `Ok(())`. So a
branch is said to fail only when something in it could make it fail. The walk is conservative:
anything it cannot read (a `match` tail, a method call, a callee it cannot resolve) may fail.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..crate_index import CrateIndex, FnDef, _resolve_target, owner_of
from ..fact_types import Src
from ..flow import tail_start

__all__ = ["OkOnly", "ok_only"]

# A `?` after these is a format or pattern marker (`elapsed =? x`, `?Sized`), not a try.
_NOT_TRY_AFTER = ("=", "(", ",", "%", ":", "<", "+")
_DEPTH = 3  # callee hops followed; beyond that, "may fail"


@dataclass(frozen=True)
class OkOnly:
    """Why a value is never an `Err`: the crate fns it is the value of (outermost first), and
    each call of them and each `Ok(..)` it can end in, as (file, source) pairs."""

    callees: tuple[str, ...]
    proof: tuple[tuple[int, Src], ...]


@dataclass
class _Walk:
    index: CrateIndex
    callees: list[str] = field(default_factory=list)
    oks: list[tuple[int, Src]] = field(default_factory=list)

    def fn(self, d: FnDef, depth: int) -> bool:
        fs = self.index.files[d.file]
        it = fs.items[d.item]
        if it.body_start is None or depth < 0:
            return True
        rng = fs.scan.token_range(it.body_start, it.end)
        owner = owner_of(fs, d.item) or ""
        return self.block(d.file, rng.start + 1, rng.stop - 1, owner, depth)

    def expr(self, fi: int, a: int, b: int, owner: str, depth: int) -> bool:
        scan = self.index.files[fi].scan
        t, c, m = scan.texts, scan.codes, scan.match
        while a < b and c[a] in "cdi":
            a += 1
        while b > a and c[b - 1] in "cdi":
            b -= 1
        if a >= b:
            return False  # `()`: not a Result at all
        if t[a] == "async":
            a += 1 + (a + 1 < b and t[a + 1] == "move")
        if a < b and t[a] == "{" and m[a] == b - 1:
            return self.block(fi, a + 1, b - 1, owner, depth)
        if t[a] == "if":
            return self.if_chain(fi, a, b, owner, depth)
        if t[a] == "(" and m[a] == a + 1 and b == a + 2:
            return False
        if t[a] == "Ok" and a + 1 < b and t[a + 1] == "(" and m[a + 1] == b - 1:
            start, end = scan.starts[a], scan.starts[b - 1] + len(t[b - 1])
            self.oks.append((fi, Src(start, end, scan.text[start:end])))
            return False
        return self.call(fi, a, b, owner, depth)

    def call(self, fi: int, a: int, b: int, owner: str, depth: int) -> bool:
        """`path::to::f(args)` or `f(args).await`: as fallible as the one crate fn it names."""
        scan = self.index.files[fi].scan
        t, c, m = scan.texts, scan.codes, scan.match
        parts: list[str] = []
        j = a
        while j < b and c[j] == "n":
            parts.append(t[j])
            if j + 1 < b and t[j + 1] == "::":
                j += 2
                continue
            j += 1
            break
        if not parts or j >= b or t[j] != "(":
            return True
        end = m[j] + 1
        if end < b and not (end + 2 == b and t[end] == "." and t[end + 1] == "await"):
            return True
        if depth <= 0:
            return True
        targets = _resolve_target(self.index, fi, parts, owner)
        if len(targets) != 1:
            return True
        self.callees.append(targets[0].name)
        start, stop = scan.starts[a], scan.starts[end - 1] + 1
        self.oks.append((fi, Src(start, stop, scan.text[start:stop])))
        return self.fn(targets[0], depth - 1)

    def if_chain(self, fi: int, a: int, b: int, owner: str, depth: int) -> bool:
        scan = self.index.files[fi].scan
        t, m = scan.texts, scan.match
        k = a
        while k < b:
            # `if cond {`: the body's brace is the first `{` outside brackets.
            j = k + 1
            while j < b and t[j] != "{":
                j = m[j] + 1 if t[j] in ("(", "[") else j + 1
            if j >= b:
                return True
            close = m[j]
            if self.block(fi, j + 1, close, owner, depth):
                return True
            k = close + 1
            if k >= b:
                return False  # no `else`: the value is `()`
            if t[k] != "else":
                return True
            if k + 1 < b and t[k + 1] == "if":
                k += 1
                continue
            if k + 1 < b and t[k + 1] == "{":
                return self.block(fi, k + 2, m[k + 1], owner, depth)
            return True
        return True

    def block(self, fi: int, lo: int, hi: int, owner: str, depth: int) -> bool:
        """A block fails when a `?` or a `return`/`bail!` other than `return Ok(..)` can leave
        it, or when its tail can be an `Err`. Nested closures and async blocks are not told
        apart: a `?` in one counts, which can only make the answer "may fail"."""
        scan = self.index.files[fi].scan
        t, c = scan.texts, scan.codes
        for k in range(lo, hi):
            if c[k] == "p" and t[k] == "?" and k > lo and t[k - 1] not in _NOT_TRY_AFTER:
                return True
            if c[k] == "n" and t[k] == "bail" and k + 1 < hi and t[k + 1] == "!":
                return True
            returns_ok = k + 2 < hi and t[k + 1] == "Ok" and t[k + 2] == "("
            if c[k] == "n" and t[k] == "return" and t[k - 1] != "::" and not returns_ok:
                return True
        # `.. } else { Ok(()) }` or `loop { .. }` closing the block is its value.
        tail, last_block = tail_start(scan, lo, hi)
        if tail >= hi:
            tail = last_block
        if tail < 0:
            return False
        return self.expr(fi, tail, hi, owner, depth)


def ok_only(index: CrateIndex, file: int, a: int, b: int) -> OkOnly | None:
    """Why the expression in tokens ``[a, b)`` of file ``file`` is never an `Err`, or None
    when it may be one."""
    w = _Walk(index)
    if w.expr(file, a, b, "", _DEPTH):
        return None
    return OkOnly(tuple(dict.fromkeys(w.callees)), tuple(w.oks))
