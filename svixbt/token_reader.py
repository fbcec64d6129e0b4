"""Token helpers over one item's range of a scanned file, shared by the fact readers."""

from __future__ import annotations

from .fact_types import Src
from .flow import tokens_text, turbofish_end
from .pipeline import FileScan

__all__ = ["TokenReader"]


class TokenReader:
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
        j = self.m[k] if 0 <= k < len(self.m) else -1
        return j if j > k else self.hi - 1

    def src(self, a: int, b: int) -> Src:
        """The source of tokens ``a`` through ``b`` inclusive."""
        start = self.s[a]
        end = self.s[b] + len(self.t[b])
        return Src(start, end, self.scan.text[start:end])

    def code(self, a: int, b: int) -> str:
        """Tokens ``[a, b)`` as written, comments dropped, whitespace folded."""
        return tokens_text(self.t, self.c, self.s, a, b)

    def until(self, k: int, stops: tuple[str, ...], end: int | None = None) -> int:
        end = self.hi if end is None else end
        j = k
        while j < end:
            tj = self.t[j]
            if tj in stops and self.c[j] == "p":
                return j
            if self.c[j] == "p" and tj in ("(", "[", "{"):
                j = self.close_of(j) + 1
                continue
            if tj == "<" and j > k and self.t[j - 1] == "::":
                j = turbofish_end(self.t, j, end)  # `break Ok::<_, E>(())` (read 81 #4)
                continue
            if self.c[j] == "p" and tj in (")", "]", "}"):
                # An unmatched closer ends the block the statement is in: `Err(e) => { x = e }`
                # has no `;` (nym's cache refresher read `returned } }` as the value set).
                return j
            j += 1
        return end

    def args(self, open_: int) -> list[tuple[int, int]]:
        close = self.close_of(open_)
        out: list[tuple[int, int]] = []
        j = open_ + 1
        while j < close:
            stop = self.until(j, (",",), close)
            if stop > j:
                out.append((j, stop))
            j = stop + 1
        return out
