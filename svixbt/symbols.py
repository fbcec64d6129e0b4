"""Names as the code means them: `use` declarations parsed into local name -> full path.

Rules and facts match on resolved paths (`sleep` imported from `tokio::time` is
`tokio::time::sleep`), so neither depends on how a file happens to import things.
"""

from __future__ import annotations

import re

from .scanner import ScanResult, UseDecl
from .tokens import significant_tokens

__all__ = ["other_target_uses", "use_map", "parse_use"]


def parse_use(text: str) -> list[tuple[str, str]]:
    """``(local name, full path)`` pairs a `use` declaration brings in; globs are skipped."""
    return list(_parse_use(text))


# Crates repeat their `use` lines from file to file, so each distinct text is parsed once.
_PARSED: dict[str, tuple[tuple[str, str], ...]] = {}
_PARSED_MAX = 4096


def _parse_use(
    text: str, tokens: tuple[list[str], list[str]] | None = None
) -> tuple[tuple[str, str], ...]:
    """``parse_use`` of ``text``, remembered; ``tokens`` are its codes and texts when the caller
    has them already (a file's scan), else the text is read for them."""
    found = _PARSED.get(text)
    if found is None:
        if tokens is None:
            codes, _, texts = significant_tokens(text)
            tokens = (codes, texts)
        found = _parse_tokens(*tokens)
        if len(_PARSED) < _PARSED_MAX:
            _PARSED[text] = found
    return found


def _parse_tokens(codes: list[str], texts: list[str]) -> tuple[tuple[str, str], ...]:
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


# `#[cfg(..)]` naming a wasm target without `not(..)`: a build the tool does not describe.
_OTHER_TARGET = re.compile(
    r'#\s*\[\s*cfg\s*\(\s*(?:all\s*\(\s*)?(?:target_family\s*=\s*"wasm"|target_arch\s*=\s*"wasm32")'
)


_CFG = re.compile(r"#\s*\[\s*cfg\s*\((.*?)\)\s*\]", re.S)


def other_target_uses(uses: list[UseDecl]) -> dict[str, tuple[str, str, UseDecl]]:
    """Local name -> (full path, the `cfg(..)` condition, its declaration) for each name a
    `#[cfg(..)]` of another target imports too: ``use_map`` means the native one, so a sentence
    naming that path holds on the other builds only if it says so (alloy's `sleep` is
    `wasmtimer::tokio::sleep` on wasm32, read 97)."""
    out: dict[str, tuple[str, str, UseDecl]] = {}
    for u in uses:
        m = _OTHER_TARGET.search(u.text)
        if u.is_test or m is None:
            continue
        cond = _CFG.search(u.text, m.start())
        for local, full in _parse_use(u.text, None):
            out.setdefault(local, (full, " ".join(cond.group(1).split()) if cond else "", u))
    return out


def use_map(uses: list[UseDecl], scan: ScanResult | None = None) -> dict[str, str]:
    """Local name -> full path for every non-test `use` of the file.

    With the file's ``scan`` (which ``uses`` came from), a declaration's tokens are taken from it
    rather than read again: a declaration starts and ends at token boundaries, and no token rule
    looks behind its start or past the closing `;`, so they are the tokens of its text alone.
    """
    m: dict[str, str] = {}
    # A name imported once per target (`#[cfg(target_family = "wasm")] use wasmtimer::tokio as
    # time;` beside tokio's) means the native one wherever both are written.
    for u in sorted(uses, key=lambda u: bool(_OTHER_TARGET.search(u.text))):
        if u.is_test:
            continue
        tokens = None
        if scan is not None and u.text not in _PARSED:
            k = scan.token_range(u.start, u.end)
            tokens = (scan.codes[k.start : k.stop], scan.texts[k.start : k.stop])
        for local, full in _parse_use(u.text, tokens):
            m.setdefault(local, full)
    return m
