"""Names as the code means them: `use` declarations parsed into local name -> full path.

Rules and facts match on resolved paths (`sleep` imported from `tokio::time` is
`tokio::time::sleep`), so neither depends on how a file happens to import things.
"""

from __future__ import annotations

from functools import lru_cache

from .scanner import UseDecl
from .tokens import significant_tokens

__all__ = ["use_map", "parse_use"]


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
