"""Context an example carries, and how the crate launches a task.

- the file's call graph and type references: which same-file items an item reaches;
- the `use` declarations whose names an example's code needs;
- call sites across the crate (nearest `Cargo.toml`): where an item is called, inside
  `tokio::spawn`, `tokio::join!`, `tokio::select!` or a plain `.await`, by which fn in which file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .codeblock import resolve_refs
from .pipeline import FileScan, scan_source
from .scanner import UseDecl
from .sources import InputError, crate_root, read_source, rust_files
from .symbols import parse_use

__all__ = [
    "references",
    "reachable",
    "needed_uses",
    "use_runs",
    "CallSite",
    "call_sites",
    "crate_scans",
]

# Items another item can need as context: helper fns, type aliases, consts, statics and types.
_CONTEXT_KINDS = frozenset({"fn", "type", "const", "static", "struct", "enum", "union"})


def references(fs: FileScan, index: int) -> list[int]:
    """Same-file file-level items that item ``index`` really refers to, in order of first use.

    Resolved by ``codeblock.resolve_refs``: a parameter, local, field or another type's method
    that merely shares a helper's name is not a reference. Members of impls and names defined by
    macro invocations (which code blocks also carry) are left out here: evidence reaches items.
    """
    refs = resolve_refs(fs, index)
    return [
        i for i in refs.items if fs.items[i].parent is None and fs.items[i].kind in _CONTEXT_KINDS
    ]


def _impls_of(fs: FileScan, type_name: str) -> list[int]:
    """File-level impls of ``type_name``: `impl X`, `impl<T> X<T>`, `impl Trait for X`."""
    out = []
    for idx, it in enumerate(fs.items):
        if it.kind != "impl" or it.parent is not None or it.is_test:
            continue
        target = it.name.split(" for ")[-1]
        if target.split("<")[0].strip() == type_name:
            out.append(idx)
    return out


def reachable(fs: FileScan, index: int) -> list[int]:
    """Every same-file item reachable from ``index`` through references, nearest first.

    A struct or enum brings its impls along: the code that builds or defaults a value (an
    `impl Default`) is part of what the example needs.
    """
    seen: list[int] = []
    frontier = [index]
    while frontier:
        nxt: list[int] = []
        for i in frontier:
            found = list(references(fs, i))
            it = fs.items[i]
            if it.kind in ("struct", "enum", "union"):
                found += _impls_of(fs, it.name)
            for j in found:
                if j != index and j not in seen:
                    seen.append(j)
                    nxt.append(j)
        frontier = nxt
    return seen


def needed_uses(fs: FileScan, spans: list[tuple[int, int]]) -> list[UseDecl]:
    """Whole `use` declarations of the file whose imported names the code in ``spans`` uses."""
    used: set[str] = set()
    for a, b in spans:
        for k in fs.scan.token_range(a, b):
            # A qualified `std::result::Result` is not the `Result` a `use` brings in.
            if fs.scan.codes[k] == "n" and (k == 0 or fs.scan.texts[k - 1] != "::"):
                used.add(fs.scan.texts[k])
    out: list[UseDecl] = []
    for u in fs.scan.uses:
        if u.is_test or u.parent is not None:
            continue
        names = [local for local, _ in parse_use(u.text)]
        if any(n in used for n in names):
            out.append(u)
    return out


def use_runs(fs: FileScan, uses: list[UseDecl]) -> list[tuple[int, int]]:
    """Spans of ``uses`` with neighbours merged when only a line break separates them.

    `use a;\nuse b;` stays one slice of the source, as written, instead of two slices that the
    code block would join with a blank line the file never had.
    """
    out: list[tuple[int, int]] = []
    text = fs.text
    for u in sorted(uses, key=lambda x: x.start):
        if out:
            a, b = out[-1]
            gap = text[b : u.start]
            if not gap.strip() and gap.count("\n") <= 1:
                out[-1] = (a, u.end)
                continue
        out.append((u.start, u.end))
    return out


@dataclass(frozen=True)
class CallSite:
    file: str  # relative to the crate root
    line: int
    caller: str  # enclosing fn name ("" at file level)
    wrappers: tuple[str, ...]  # innermost first: "tokio::join!", "tokio::spawn", "async block", ...
    awaited: bool
    statement: str  # the calling line, stripped


_WRAPPER_PATHS = {
    "tokio::spawn": "tokio::spawn",
    "tokio::task::spawn": "tokio::task::spawn",
    "tokio::task::spawn_blocking": "tokio::task::spawn_blocking",
    "tokio::join": "tokio::join!",
    "tokio::try_join": "tokio::try_join!",
    "tokio::select": "tokio::select!",
}


def crate_scans(path: Path) -> tuple[Path | None, list[FileScan]]:
    """Scans of every readable `.rs` file of the crate around ``path`` (its `src/` tree)."""
    root = crate_root(path)
    if root is None:
        return None, []
    src = root / "src"
    if not src.is_dir():
        return root, []
    try:
        files = rust_files([src])
    except InputError:
        return root, []
    # A directory run asks for the same crate once per file: reuse the scans while every file's
    # size and mtime are unchanged, so a run over N files scans the crate once, not N times.
    stamp = tuple((str(f), st.st_mtime_ns, st.st_size) for f in files for st in [f.stat()])
    cached = _CRATE_CACHE.get(root)
    if cached is not None and cached[0] == stamp:
        return root, cached[1]
    out: list[FileScan] = []
    for f in files:
        try:
            out.append(scan_source(read_source(f)))
        except InputError:
            continue
    _CRATE_CACHE.clear()
    _CRATE_CACHE[root] = (stamp, out)
    return root, out


_CRATE_CACHE: dict[Path, tuple[tuple[tuple[str, int, int], ...], list[FileScan]]] = {}


def call_sites(
    root: Path, scans: list[FileScan], name: str, defined_in: Path, module: str = ""
) -> list[CallSite]:
    """Where the crate calls fn ``name`` (outside test code), and what wraps each call.

    In another file a bare ``name(...)`` is only this fn when that file imports it from a path
    through ``module`` and defines no fn of the same name; ``module::name(...)`` always is.
    """
    found: list[CallSite] = []
    word = re.compile(rf"\b{re.escape(name)}\b")
    for fs in scans:
        if not word.search(fs.text):
            continue
        same_file = fs.source.path.resolve() == defined_in.resolve()
        own_def = any(it.kind == "fn" and it.name == name for it in fs.items)
        imported = module and f"::{module}::" in "::" + fs.imports.get(name, "") + "::"
        bare_ok = same_file or (imported and not own_def) or not module
        scan = fs.scan
        texts, codes, match = scan.texts, scan.codes, scan.match
        enclosing = _enclosing_openers(match, len(texts))
        for k in range(len(texts)):
            if texts[k] != name or codes[k] != "n" or k + 1 >= len(texts) or texts[k + 1] != "(":
                continue
            if k and texts[k - 1] in ("fn", "."):
                continue
            qualified = k >= 2 and texts[k - 1] == "::" and texts[k - 2] == module
            if not bare_ok and not qualified:
                continue
            owner = _owner(fs, scan.starts[k])
            if owner is not None and fs.items[owner].is_test:
                continue
            if (
                owner is not None
                and fs.items[owner].name == name
                and fs.source.path.resolve() == defined_in.resolve()
            ):
                continue
            close = match[k + 1] if match[k + 1] > k else k + 1
            awaited = (
                close + 2 < len(texts) and texts[close + 1] == "." and texts[close + 2] == "await"
            )
            wrappers: list[str] = []
            o = enclosing[k]
            while o >= 0:
                w = _wrapper_of(fs, o)
                if w:
                    wrappers.append(w)
                o = enclosing[o]
            caller = fs.items[owner].name if owner is not None else ""
            line = scan.line_of(scan.starts[k])
            text_line = scan.text.splitlines()[line - 1].strip() if scan.text else ""
            try:
                rel = str(fs.source.path.resolve().relative_to(root.resolve()))
            except ValueError:
                rel = str(fs.source.path)
            found.append(CallSite(rel, line, caller, tuple(wrappers), awaited, text_line))
    return found


def _enclosing_openers(match: list[int], n: int) -> list[int]:
    """For each token, the index of the innermost bracket that encloses it (-1 at top level)."""
    out = [-1] * n
    stack: list[int] = []
    for i in range(n):
        while stack and match[stack[-1]] > 0 and i > match[stack[-1]]:
            stack.pop()
        out[i] = stack[-1] if stack else -1
        if match[i] > i:
            stack.append(i)
    return out


def _wrapper_of(fs: FileScan, opener: int) -> str:
    """What the bracket at ``opener`` belongs to: a spawn call, a join!/select!, an async block."""
    texts = fs.scan.texts
    k = opener - 1
    if k >= 0 and texts[k] == "!":
        k -= 1
    if k >= 0 and texts[opener] == "{" and texts[k] in ("async", "move"):
        return "async block"
    j = k
    while j >= 2 and texts[j - 1] == "::":
        j -= 2
    if j < 0 or k < 0:
        return ""
    parts = texts[j : k + 1 : 2]
    if not parts:
        return ""
    head = fs.imports.get(parts[0])
    full = "::".join([head, *parts[1:]]) if head else "::".join(parts)
    return _WRAPPER_PATHS.get(full, "")


def _owner(fs: FileScan, offset: int) -> int | None:
    """The innermost fn containing ``offset``."""
    best: int | None = None
    for idx, it in enumerate(fs.items):
        if (
            it.kind == "fn"
            and it.start <= offset < it.end
            and (best is None or it.start >= fs.items[best].start)
        ):
            best = idx
    return best
