"""Names as the code means them: `use` declarations resolved, paths read off the token stream.

Rules and facts match on resolved paths (`sleep` imported from `tokio::time` is
`tokio::time::sleep`), so neither depends on how a file happens to import things.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .lexer import significant_tokens
from .scanner import ScanResult, UseDecl

__all__ = ["PathRef", "use_map", "use_names", "paths_in", "parse_use"]


@dataclass(frozen=True)
class PathRef:
    """A path as written (`time::sleep`), its resolution (`tokio::time::sleep`), and where."""

    written: str
    full: str
    first: int  # index of its first significant token
    last: int  # index of its last significant token
    after: str  # text of the token that follows (`(`, `!`, `{`, ...) or ""
    before: str  # text of the token that precedes (`.`, `fn`, ...) or ""


def parse_use(text: str) -> list[tuple[str, str]]:
    """``(local name, full path)`` pairs a `use` declaration brings in; globs are skipped."""
    return list(_parse_use(text))


@lru_cache(maxsize=4096)
def _parse_use(text: str) -> tuple[tuple[str, str], ...]:
    # Crates repeat their `use` lines from file to file, so each distinct text is parsed once.
    codes, _, texts = significant_tokens(text)
    # Plain comments and inner docs (Pygments' Comment types) are not part of the path.
    toks = [t for c, t in zip(codes, texts, strict=True) if c != "c" and c != "i"]
    try:
        i = toks.index("use") + 1
    except ValueError:
        return ()
    out: list[tuple[str, str]] = []
    # Iterative walk of the use tree: each stack entry is (prefix, position) in a `{...}` group.
    prefix_stack: list[str] = [""]
    path: list[str] = []
    while i < len(toks):
        t = toks[i]
        if t == "::":
            i += 1
            continue
        if t == "{":
            prefix_stack.append("::".join(filter(None, [prefix_stack[-1], *path])))
            path = []
        elif t in (",", "}", ";"):
            if path:
                _emit(out, prefix_stack[-1], path, None)
            path = []
            if t == "}" and len(prefix_stack) > 1:
                prefix_stack.pop()
            if t == ";":
                break
        elif t == "as" and i + 1 < len(toks):
            _emit(out, prefix_stack[-1], path, toks[i + 1])
            path = []
            i += 1
        elif t == "*":
            path = []
        else:
            path.append(t)
        i += 1
    return tuple(out)


def _emit(out: list[tuple[str, str]], prefix: str, path: list[str], alias: str | None) -> None:
    full_parts = [p for p in (prefix, *path) if p]
    if path == ["self"]:
        full_parts = [prefix] if prefix else []
    full = "::".join(full_parts)
    local = alias or (full_parts[-1].split("::")[-1] if full_parts else "")
    if local and local != "_":
        out.append((local, full))


def use_map(uses: list[UseDecl]) -> dict[str, str]:
    """Local name -> full path for every non-test `use` of the file."""
    m: dict[str, str] = {}
    for u in uses:
        if u.is_test:
            continue
        for local, full in parse_use(u.text):
            m.setdefault(local, full)
    return m


def use_names(u: UseDecl) -> list[str]:
    return [local for local, _ in parse_use(u.text)]


def paths_in(scan: ScanResult, lo: int, hi: int, imports: dict[str, str]) -> list[PathRef]:
    """Every path (`a::b::c`, or a lone identifier) among significant tokens ``[lo, hi)``."""
    codes, texts = scan.codes, scan.texts
    out: list[PathRef] = []
    i = lo
    while i < hi:
        if codes[i] != "n" or (i > lo and texts[i - 1] == "::"):
            i += 1
            continue
        j = i
        parts = [texts[i]]
        while j + 2 < hi and texts[j + 1] == "::" and codes[j + 2] == "n":
            j += 2
            parts.append(texts[j])
        # Turbofish `a::<T>::b` is rare in the patterns we look for; the path stops there.
        head = parts[0]
        full = "::".join([imports[head], *parts[1:]]) if head in imports else "::".join(parts)
        out.append(
            PathRef(
                written="::".join(parts),
                full=full,
                first=i,
                last=j,
                after=texts[j + 1] if j + 1 < len(texts) else "",
                before=texts[i - 1] if i > 0 else "",
            )
        )
        i = j + 1
    return out
