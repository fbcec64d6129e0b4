"""How an example's code block is made from a file, and how `validate` checks one.

SPEC "The code part", as code:

- A block is whole slices of the source in source order. Two slices that only whitespace
  separates in the source keep those very bytes between them (so neighbours read as in the file,
  CRLF stays CRLF); slices apart in the source are joined by one blank line in the file's ending.
- A method never stands alone: an item inside an `impl`, `trait` or inline `mod` body comes as
  whole lines inside its container's header (first attribute or doc through the line holding its
  `{`) and closing `}` line. A small impl may come whole instead.
- Every top-level `use` outside test code comes along, as written.
- Context is what the subject really refers to in this file (calls, paths, types, consts,
  statics, `macro_rules!` it invokes, file-level macro invocations that define a name it uses),
  one level deep, at most ``CONTEXT_LIMIT`` lines of it.

``build_code`` makes a block; ``join_slices`` is the join rule; ``split_code`` and ``code_errors``
check a block from any dataset against the file it claims to come from.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .pipeline import FileScan
from .records import line_ending
from .scanner import ScanResult
from .sources import crate_root, source_dir
from .symbols import parse_use

__all__ = [
    "CONTEXT_LIMIT",
    "MODULE_LIMIT",
    "WHOLE_IMPL_LINES",
    "NOT_SLICES",
    "Slice",
    "CodeBlock",
    "Refs",
    "build_code",
    "join_slices",
    "split_code",
    "code_errors",
    "candidate_slices",
    "module_allowed",
    "resolve_refs",
    "header_text",
    "describe_slice",
]

CONTEXT_LIMIT = 200  # lines of context beyond the subject, its impl lines and the imports
MODULE_LIMIT = 250  # non-blank, non-test lines a file may have for a whole-module example
# `impl Display for TokenInUse { .. }` and the like: short std impls that come with their type.
_STD_TRAIT_IMPL = re.compile(
    r"(?:(?:std::)?(?:fmt::)?(?:Debug|Display)|(?:std::)?(?:error::)?Error"
    r"|(?:std::)?(?:ops::)?Drop) for \w+"
)
STD_IMPL_LINES = 12
WHOLE_IMPL_LINES = 60  # an impl this short may come whole around its method
NOT_SLICES = "code is not whole slices of the source joined by the rule"

_CONTAINERS = frozenset({"impl", "trait", "mod"})
_TYPE_KINDS = frozenset({"struct", "enum", "union", "type", "trait"})
# File-level items a subject can refer to by name.
_REF_KINDS = frozenset({"fn", "type", "const", "static", "struct", "enum", "union", "trait"})
# A name right after one of these is being declared, not referred to (`fn run`, `struct Foo`).
_DECLARES = frozenset(
    {"fn", "struct", "enum", "union", "trait", "type", "const", "static", "mod", "let", "ref"}
)
# Names in a pattern that are never bindings.
_NOT_BINDINGS = frozenset(
    {
        "ref", "mut", "box", "true", "false", "self", "Self", "crate", "super", "in", "if",
        "let", "move", "async", "await", "dyn", "impl", "as", "where", "return", "match", "else",
        "loop", "while", "for", "break", "continue", "unsafe", "const", "static", "fn", "pub",
        "use", "mod", "type", "struct", "enum", "trait", "_",
    }
)  # fmt: skip
# What may stand before the `|` that opens a closure's parameters (`a | b` is an `or`).
_CLOSURE_PREV = frozenset({"(", ",", "=", "move", "{", "[", ";", "=>", "return", "async", "|"})
_RUST_WS = " \t\n\r\x0b\x0c\u0085\u200e\u200f\u2028\u2029"
_WS_RUN = re.compile(r"\s+")


def _is_ws(gap: str) -> bool:
    """True for an empty or whitespace-only stretch (Rust's whitespace, not Python's)."""
    return not gap.strip(_RUST_WS)


@dataclass(frozen=True)
class Slice:
    """One whole slice of the source: character offsets into ``fs.text``, half-open.

    ``kind`` says what it is: ``use``, ``item`` (an item's SPEC slice), ``member`` (an item
    inside a container, as whole lines), ``impl-head`` / ``impl-tail`` (a container's header
    lines and closing `}` line; containers are impls, traits and inline mods), ``macro-def`` (a
    file-level macro invocation that defines a name). ``subject`` marks the subject's own slice
    and its container lines, which do not count as context.
    """

    start: int
    end: int
    kind: str
    item: int | None = None  # index into fs.items; None for a `use` or a macro invocation
    subject: bool = False


@dataclass
class CodeBlock:
    slices: list[Slice]  # in source order
    text: str
    context_lines: int
    dropped: list[str] = field(default_factory=list)  # references left out to fit the limit

    @property
    def spans(self) -> list[tuple[int, int]]:
        return [(s.start, s.end) for s in self.slices]

    @property
    def items(self) -> list[int]:
        """Items shown whole or as members (not containers seen only through their lines)."""
        out = {s.item for s in self.slices if s.item is not None and s.kind in ("item", "member")}
        return sorted(out)


# -- the join rule ------------------------------------------------------------------------------


def join_slices(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Slices of ``text`` in source order, joined by SPEC's rule.

    Neighbours that only whitespace separates keep the source's own bytes between them (and
    overlapping ones merge); slices apart are joined by one blank line in the file's ending.
    """
    eol2 = line_ending(text) * 2
    out: list[str] = []
    last = -1
    for a, b in sorted(set(spans)):
        if b <= last or b <= a:
            continue  # inside what is already there
        if last < 0:
            out.append(text[a:b])
        elif a <= last or _is_ws(text[last:a]):
            out.append(text[last:b])
        else:
            out.append(eol2 + text[a:b])
        last = b
    return "".join(out)


# -- lines ----------------------------------------------------------------------------------------


_EOL_COMMENT = re.compile(r"[ \t]*//(?![/!])[^\r\n]*")


def _with_eol_comment(text: str, end: int) -> int:
    """``end`` moved past a plain `//` comment that follows on the item's last line (`const
    RATE: u32 = 66; // 0.66`): the author's note on that line goes with it. Cut at the `;`,
    two such consts read as joined by an inserted blank line, their notes gone (blind read
    10, relay_server.rs: "the trailing comments `// 0.66`, `// in ms` are stripped")."""
    m = _EOL_COMMENT.match(text, end)
    return m.end() if m else end


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _line_end(text: str, pos: int) -> int:
    """End of the line holding ``pos``, before its line break (CRLF's `\\r` too)."""
    nl = text.find("\n", pos)
    if nl < 0:
        return len(text)
    return nl - 1 if nl - 1 >= pos and text[nl - 1] == "\r" else nl


def _lines(scan: ScanResult, slices: Iterable[Slice]) -> set[int]:
    out: set[int] = set()
    for s in slices:
        out.update(range(scan.line_of(s.start), scan.line_of(max(s.start, s.end - 1)) + 1))
    return out


# -- what a file offers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _MacroDef:
    """A file-level macro invocation statement (`kv_def!(FooKey, FooValue);`)."""

    start: int  # its first attached attribute, doc or comment
    end: int  # after its `;` or closing bracket
    macro: str
    defines: frozenset[str]


@dataclass
class _Index:
    top: dict[str, int]  # file-level non-test items a subject can name
    macros: dict[str, int]  # `macro_rules!` by name
    members: dict[tuple[str, str], int]  # (self type, member name) -> member of one of its impls
    mod_members: dict[tuple[str, str], int]  # (inline mod, item name) -> item of a file-level mod
    macro_defs: list[_MacroDef]
    defined_by: dict[str, int]  # name -> the macro invocation defining it
    module: list[str] | None  # `crate::a::b` path of this file, when its crate is known
    stem: str
    enclosing: list[int]  # innermost bracket opener around each token (-1 at file level)
    opener_of: dict[int, int]  # closing bracket token -> its opener
    in_attr: bytearray  # 1 for tokens inside `#[..]` / `#![..]`
    slices: list[Slice]  # every slice a code block of this file may hold (see candidate_slices)
    # Later file-level items with the name of an earlier one: its `#[cfg(..)]` twins (lemmy's
    # `INSTANCES_RECHECK_DELAY` of 5 s for debug and 60 s otherwise; a block with one of them
    # read as the whole truth, held-out read 40).
    twins: dict[int, list[int]] = field(default_factory=dict)


_CACHE: dict[int, tuple[ScanResult, _Index]] = {}


def _index(fs: FileScan) -> _Index:
    # One index per scan: evidence resolves references for every item of a file.
    hit = _CACHE.get(id(fs.scan))
    if hit is not None and hit[0] is fs.scan:
        return hit[1]
    if len(_CACHE) >= 8:
        _CACHE.clear()
    idx = _build_index(fs)
    _CACHE[id(fs.scan)] = (fs.scan, idx)
    return idx


def type_name(impl_name: str) -> str:
    """The self type an impl is for: `Trait for Foo<'a, T>` -> `Foo`."""
    target = impl_name.split(" for ")[-1].strip()
    for prefix in ("&'static ", "&mut ", "&", "dyn "):
        target = target.removeprefix(prefix)
    return target.split("<")[0].split("::")[-1].strip()


def _module_path(path: Path) -> list[str] | None:
    root = crate_root(path)
    src = source_dir(root) if root is not None else None
    if src is None:
        return None
    try:
        rel = path.resolve().relative_to(src.resolve())
    except (ValueError, OSError):
        return None
    parts = list(rel.with_suffix("").parts)
    if parts in (["lib"], ["main"]):
        return []
    if parts and parts[-1] == "mod":
        parts = parts[:-1]
    return parts


def _build_index(fs: FileScan) -> _Index:
    scan, items = fs.scan, fs.items
    top: dict[str, int] = {}
    twins: dict[int, list[int]] = {}
    macros: dict[str, int] = {}
    members: dict[tuple[str, str], int] = {}
    mod_members: dict[tuple[str, str], int] = {}
    for i, it in enumerate(items):
        if it.is_test or not it.name:
            continue
        if it.parent is None and it.kind in _REF_KINDS:
            first = top.setdefault(it.name, i)
            if first != i and items[first].kind == it.kind:
                twins.setdefault(first, []).append(i)
        if it.kind == "macro_rules":
            macros.setdefault(it.name, i)
        p = it.parent
        if p is not None and items[p].kind == "impl":
            members.setdefault((type_name(items[p].name), it.name), i)
        elif p is not None and items[p].kind == "mod" and items[p].parent is None:
            # `docs::router(..)` into an inline `mod docs { .. }` of this file (blind read 43:
            # run_with_prefix calls it, and its code was left out).
            mod_members.setdefault((items[p].name, it.name), i)
    n = len(scan.texts)
    enclosing = [-1] * n
    opener_of: dict[int, int] = {}
    stack: list[int] = []
    for i in range(n):
        while stack and 0 < scan.match[stack[-1]] < i:
            stack.pop()
        enclosing[i] = stack[-1] if stack else -1
        if scan.codes[i] == "p" and scan.texts[i] in "([{" and scan.match[i] > i:
            stack.append(i)
            opener_of[scan.match[i]] = i
    in_attr = bytearray(n)
    for i in range(n):
        if scan.texts[i] == "#" and scan.codes[i] == "p":
            k = i + 1 + (i + 1 < n and scan.texts[i + 1] == "!")
            if k < n and scan.texts[k] == "[" and scan.match[k] > k:
                in_attr[i : scan.match[k] + 1] = b"\x01" * (scan.match[k] + 1 - i)
    imported = {local for u in scan.uses if not u.is_test for local, _ in parse_use(u.text)}
    known = set(top) | set(macros) | imported
    macro_defs = _macro_defs(fs, enclosing, opener_of, in_attr, known)
    defined_by: dict[str, int] = {}
    for k, md in enumerate(macro_defs):
        for name in sorted(md.defines):
            defined_by.setdefault(name, k)
    idx = _Index(
        top=top,
        macros=macros,
        members=members,
        mod_members=mod_members,
        macro_defs=macro_defs,
        defined_by=defined_by,
        module=_module_path(fs.source.path),
        stem=fs.source.path.stem,
        enclosing=enclosing,
        opener_of=opener_of,
        in_attr=in_attr,
        slices=[],
        twins=twins,
    )
    idx.slices = _all_slices(fs, idx)
    return idx


def _macro_defs(
    fs: FileScan,
    enclosing: list[int],
    opener_of: dict[int, int],
    in_attr: bytearray,
    known: set[str],
) -> list[_MacroDef]:
    """File-level macro invocations (`name!(..);`, `path::name! { .. }`) and the names they
    define: names at the top of their arguments, or after `struct`/`static`/`ref`/... in them,
    that the file neither defines as an item nor imports."""
    scan = fs.scan
    texts, codes, starts, match = scan.texts, scan.codes, scan.starts, scan.match
    n = len(texts)
    taken = sorted([(it.start, it.end) for it in fs.items] + [(u.start, u.end) for u in scan.uses])
    out: list[_MacroDef] = []
    pos = 0
    i = 0
    while i < n - 2:
        if not (
            enclosing[i] == -1
            and codes[i] == "n"
            and texts[i] != "macro_rules"
            and texts[i + 1] == "!"
            and texts[i + 2] in "([{"
            and codes[i + 2] == "p"
            and match[i + 2] > i + 2
            and not in_attr[i]
        ):
            i += 1
            continue
        off = starts[i]
        while pos < len(taken) and taken[pos][1] <= off:
            pos += 1
        if pos < len(taken) and taken[pos][0] <= off:
            i += 1
            continue  # inside an item or a `use`
        first = i
        while first >= 2 and texts[first - 1] == "::" and codes[first - 2] == "n":
            first -= 2
        if first > 0 and texts[first - 1] not in (";", "}", "]") and codes[first - 1] not in "cd":
            i += 1
            continue  # not at the start of a statement
        close = match[i + 2]
        end = starts[close] + 1
        if close + 1 < n and texts[close + 1] == ";":
            end = starts[close + 1] + 1
        defines: set[str] = set()
        for k in range(i + 3, close):
            t = texts[k]
            if codes[k] != "n" or t in _NOT_BINDINGS or t in known:
                continue
            after_kw = texts[k - 1] in ("struct", "enum", "union", "type", "fn", "static", "ref")
            if enclosing[k] == i + 2 and texts[k - 1] in ("(", "[", "{", ",") or after_kw:
                defines.add(t)
        if defines:
            start = _attached_start(scan, opener_of, first)
            out.append(_MacroDef(start, end, texts[i], frozenset(defines)))
        i = close + 1
    return out


def _attached_start(scan: ScanResult, opener_of: dict[int, int], tok: int) -> int:
    """Start of a statement at token ``tok`` with its outer attributes, docs and attached plain
    comments (each on its own line, no blank line before what follows), as the scanner does."""
    texts, codes, starts, text = scan.texts, scan.codes, scan.starts, scan.text
    k = tok
    while k > 0:
        prev = k - 1
        if codes[prev] == "d":
            k = prev
            continue
        if texts[prev] == "]" and codes[prev] == "p":
            opener = opener_of.get(prev, -1)
            if opener > 0 and texts[opener - 1] == "#":
                k = opener - 1
                continue
        break
    start = starts[k]
    j = k - 1
    while j >= 0 and codes[j] == "c":
        c_end = starts[j] + len(texts[j])
        gap = text[c_end:start]
        own_line = not text[_line_start(text, starts[j]) : starts[j]].strip()
        if gap.count("\n") > 1 or gap.strip() or not own_line:
            break
        start = starts[j]
        j -= 1
    return start


# -- slices for an item ---------------------------------------------------------------------------


def _chain(fs: FileScan, i: int) -> list[int]:
    """Containers (impl, trait, mod) around item ``i``, innermost first."""
    out: list[int] = []
    p = fs.items[i].parent
    while p is not None:
        if fs.items[p].kind in _CONTAINERS:
            out.append(p)
        p = fs.items[p].parent
    return out


def _head(fs: FileScan, c: int, subject: bool = False) -> Slice:
    it = fs.items[c]
    brace = it.body_start if it.body_start is not None else it.keyword_start
    return Slice(_from_line(fs.text, it.start), _line_end(fs.text, brace), "impl-head", c, subject)


def _from_line(text: str, pos: int) -> int:
    """``pos``, or the start of its line when only indentation comes before it there: an impl
    or a `use` inside an inline `mod` keeps its indentation (blind read 18, fluvio's follower
    controller: `use super::*;` and `impl FollowGroupController {` shown flush left between
    indented lines)."""
    start = _line_start(text, pos)
    return start if _is_ws(text[start:pos]) else pos


def _tail(fs: FileScan, c: int, subject: bool = False) -> Slice:
    it = fs.items[c]
    return Slice(
        _line_start(fs.text, it.end - 1), _line_end(fs.text, it.end - 1), "impl-tail", c, subject
    )


def _member(fs: FileScan, i: int, subject: bool = False) -> Slice:
    it = fs.items[i]
    return Slice(
        _line_start(fs.text, it.start), _line_end(fs.text, it.end - 1), "member", i, subject
    )


def _show(fs: FileScan, i: int, subject: bool, whole_impl_lines: int) -> list[Slice]:
    """The slices that show item ``i``: itself, or its lines inside its containers' lines."""
    unit = i
    chain = _chain(fs, i)
    if chain and whole_impl_lines:
        box = fs.items[chain[0]]
        it = fs.items[i]
        box_lines = box.end_line - box.start_line + 1
        own = it.end_line - it.start_line + 1
        # Whole only when the item is most of it: three sibling methods around a short one
        # read as code the record is not about (blind read 98 on omniqueue's in-memory
        # producer, "carries three irrelevant sibling methods").
        if box_lines <= whole_impl_lines and 2 * own >= box_lines - 2:
            unit, chain = chain[0], chain[1:]
    if not chain:
        it = fs.items[unit]
        return [Slice(it.start, _with_eol_comment(fs.text, it.end), "item", unit, subject)]
    out = [_member(fs, unit, subject)]
    for c in chain:
        out += [_head(fs, c, subject), _tail(fs, c, subject)]
        # An inline mod's own imports are what its members' names resolve through, as the
        # file's are for file-level items (blind read 47: `mod docs` shown without the `use`
        # lines that bring in `ApiRouter`, `get` and `Redirect`).
        out += _mod_imports(fs, c)
    return out


def _mod_imports(fs: FileScan, c: int) -> list[Slice]:
    if fs.items[c].kind != "mod":
        return []
    return [
        Slice(_from_line(fs.text, u.start), _with_eol_comment(fs.text, u.end), "use")
        for u in fs.scan.uses
        if u.parent == c and not u.is_test
    ]


def _imports(fs: FileScan) -> list[Slice]:
    return [
        Slice(u.start, _with_eol_comment(fs.text, u.end), "use")
        for u in fs.scan.uses
        if u.parent is None and not u.is_test and not u.nested
    ]


def _all_slices(fs: FileScan, idx: _Index) -> list[Slice]:
    out = _imports(fs)
    for i, it in enumerate(fs.items):
        if it.is_test:
            continue
        if _chain(fs, i):
            # Its bare item slice too, so that a method lifted out of its impl is reported as
            # such rather than as "not whole slices".
            out += [_member(fs, i), Slice(it.start, it.end, "item", i)]
        else:
            out.append(Slice(it.start, _with_eol_comment(fs.text, it.end), "item", i))
        if it.kind in _CONTAINERS:
            out += [_head(fs, i), _tail(fs, i), *_mod_imports(fs, i)]
    out += [Slice(md.start, md.end, "macro-def") for md in idx.macro_defs]
    return sorted(set(out), key=lambda s: (s.start, s.end, s.kind))


def candidate_slices(fs: FileScan) -> list[Slice]:
    """Every slice a code block of this file may hold (validate's alphabet)."""
    return list(_index(fs).slices)


def describe_slice(fs: FileScan, s: Slice) -> tuple[str, str]:
    """``(kind, name)`` of what a slice shows, for a manifest: the item's kind and name, `use`
    and the names it imports, or `macro` and the invoked macro's name."""
    if s.item is not None:
        it = fs.items[s.item]
        return it.kind, it.name
    if s.kind == "use":
        names = [
            local
            for u in fs.scan.uses
            if s.start <= u.start and u.end <= s.end
            for local, _ in parse_use(u.text)
        ]
        # A glob imports no name of its own: it is named by its path (`prelude::*`).
        decl = _WS_RUN.sub(" ", fs.text[s.start : s.end])
        return "use", ", ".join(names) or decl.rsplit("use ", 1)[-1].rstrip(";").strip()
    md = next((m for m in _index(fs).macro_defs if m.start == s.start), None)
    return "macro", md.macro if md else ""


def module_allowed(fs: FileScan) -> bool:
    """A whole-module example only for a file of about ``MODULE_LIMIT`` lines of non-test code."""
    test_lines: set[int] = set()
    for it in fs.items:
        if it.is_test and (it.parent is None or not fs.items[it.parent].is_test):
            test_lines.update(range(it.start_line, it.end_line + 1))
    count = sum(
        1
        for n, line in enumerate(fs.text.split("\n"), 1)
        if line.strip(_RUST_WS) and n not in test_lines
    )
    return count <= MODULE_LIMIT


# -- references -----------------------------------------------------------------------------------


@dataclass
class Refs:
    """What an item really refers to in its file, in order of first use.

    Keys are ``("item", index)`` for items (file-level items and members of the file's impls) and
    ``("macro", k)`` for the file's k-th macro invocation that defines a name used.
    """

    counts: dict[tuple[str, int], int] = field(default_factory=dict)
    first: dict[tuple[str, int], int] = field(default_factory=dict)  # offset of first use
    fields: bool = False  # uses `self.field`, or builds `Self { .. }`

    def add(self, key: tuple[str, int], offset: int) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1
        self.first.setdefault(key, offset)

    @property
    def items(self) -> list[int]:
        return [k for kind, k in self.counts if kind == "item"]


def _close_of(scan: ScanResult, k: int, hi: int) -> int:
    m = scan.match[k]
    return m if m > k else hi


def _scan_to(scan: ScanResult, k: int, hi: int, stops: Sequence[str]) -> int:
    """The first token at ``k``'s depth from ``k`` on whose text is in ``stops`` (groups are
    jumped over); the enclosing closer or ``hi`` when there is none."""
    texts, codes = scan.texts, scan.codes
    j = k
    while j < hi:
        t = texts[j]
        if codes[j] == "p":
            if t in stops:
                return j
            if t in "([{":
                j = _close_of(scan, j, hi) + 1
                continue
            if t in ")]}":
                return j
        elif t in stops:
            return j
        j += 1
    return hi


def _pattern_names(scan: ScanResult, a: int, b: int) -> list[int]:
    """Tokens a pattern in ``[a, b)`` binds: `Some(x)`, `Foo { a, b: c }`, `(x, ref y)`."""
    texts, codes = scan.texts, scan.codes
    out: list[int] = []
    for j in range(a, b):
        t = texts[j]
        if codes[j] != "n" or t in _NOT_BINDINGS:
            continue
        bare = t.removeprefix("r#")
        if not (bare[:1].islower() or bare[:1] == "_"):
            continue  # consts, unit variants, paths to types
        nxt = texts[j + 1] if j + 1 < b else ""
        if nxt in ("(", "{", "::", "!", ":", ".") or (j > a and texts[j - 1] in ("::", ".")):
            continue
        out.append(j)
    return out


def _split_params(scan: ScanResult, a: int, b: int) -> list[tuple[int, int]]:
    """Parameter patterns in tokens ``[a, b)``: each from its start to its `:` (or its end)."""
    out: list[tuple[int, int]] = []
    j = a
    while j < b:
        end = _scan_to(scan, j, b, (",",))
        colon = _scan_to(scan, j, end, (":",))
        out.append((j, colon))
        j = end + 1
    return out


# Smart pointers a value of the file's type is built inside (`Arc::new(Shared { .. })`).
_WRAPPERS = frozenset({"Arc", "Rc", "Box"})


def _bindings(fs: FileScan, lo: int, hi: int) -> list[tuple[str, int, int]]:
    """Local names bound in tokens ``[lo, hi)`` with the offsets they are visible in.

    Parameters (of fns and closures), `let`, `if let` / `while let`, `for`, match arms and
    `select!` branches, and fn-local `use`s. Scopes are close to Rust's: a `let` binds from its
    `;` to the end of its block, an arm from its `=>` to the end of the arm.
    """
    return _Binder(fs, lo, hi).read()


class _Binder:
    """One pass over tokens ``[lo, hi)`` collecting (name, visible from, visible to)."""

    def __init__(self, fs: FileScan, lo: int, hi: int, self_type: str = "") -> None:
        self.fs, self.scan, self.lo, self.hi = fs, fs.scan, lo, hi
        self.self_type = self_type  # what `Self` names in an impl's method
        self.texts, self.starts = fs.scan.texts, fs.scan.starts
        self.idx = _index(fs)
        self.end_off = self.starts[hi - 1] + len(self.texts[hi - 1]) if hi > lo else 0
        self.out: list[tuple[str, int, int]] = []
        # (name, visible from, visible to, the file's type it holds) for a binding whose type
        # is plain to read: a parameter `shared: Arc<Shared>`, `let x: Foo`, `let x = Foo {..}`
        # or `let x = Foo::new(..)`. A method called on it is that type's method.
        self.typed: list[tuple[str, int, int, str]] = []

    def read(self) -> list[tuple[str, int, int]]:
        texts, codes, hi = self.texts, self.scan.codes, self.hi
        for k in range(self.lo, hi):
            t, code = texts[k], codes[k]
            if code == "n" and t == "fn" and k + 2 < hi:
                self._fn_params(k)
            elif code == "n" and t == "let":
                self._let(k)
            elif code == "n" and t == "for" and k + 1 < hi and texts[k + 1] != "<":
                self._for(k)
            elif code == "p" and t == "|" and k > 0 and texts[k - 1] in _CLOSURE_PREV:
                self._closure(k)
            elif code == "p" and t == "=>":
                self._arm(k)
        for u in self.scan.uses:
            if self.off(self.lo) <= u.start < self.end_off:
                for local, _ in parse_use(u.text):
                    self.out.append((local, u.end, self.end_off))
        return self.out

    def off(self, k: int) -> int:
        return self.starts[k] if k < self.hi else self.end_off

    def close(self, k: int) -> int:
        return _close_of(self.scan, k, self.hi)

    def to(self, k: int, stops: tuple[str, ...]) -> int:
        return _scan_to(self.scan, k, self.hi, stops)

    def block_end(self, k: int) -> int:
        o = self.idx.enclosing[k]
        return self.off(self.close(o)) if o >= self.lo else self.end_off

    def bind(self, a: int, b: int, s: int, e: int, type_: str = "") -> None:
        names = _pattern_names(self.scan, a, b)
        for j in names:
            self.out.append((self.texts[j], s, e))
            self.out.append((self.texts[j], self.starts[j], self.starts[j] + 1))  # the site
        if type_ and len(names) == 1:
            self.typed.append((self.texts[names[0]], s, e, type_))

    def _file_type(self, a: int, b: int) -> str:
        """The one type of this file named in type tokens ``[a, b)`` (`Arc<Shared>` -> `Shared`);
        none when there are several or none."""
        found = {
            self.texts[j]
            for j in range(a, b)
            if self.scan.codes[j] == "n"
            and self.texts[j] in self.idx.top
            and self.fs.items[self.idx.top[self.texts[j]]].kind in ("struct", "enum", "union")
        }
        return found.pop() if len(found) == 1 else ""

    def _built_type(self, k: int) -> str:
        """The file's type an initialiser starting at token ``k`` builds: `Foo { .. }`,
        `Foo::new(..)`, either inside `Arc::new(..)` (or `Rc`, `Box`)."""
        texts, hi = self.texts, self.hi
        while k + 3 < hi and texts[k] in _WRAPPERS and texts[k + 1 : k + 4] == ["::", "new", "("]:
            k += 4
        name = texts[k] if k < hi else ""
        if name == "Self" and self.self_type:
            # `let reporter = Self::new(..)` in an impl (qdrant's telemetry reporter: its
            # `reporter.report(..)` was left out of the block, held-out read 57).
            name = self.self_type
        if name not in self.idx.top or self.fs.items[self.idx.top[name]].kind != "struct":
            return ""
        if k + 1 < hi and texts[k + 1] == "{":
            return name
        if k + 3 < hi and texts[k + 1 : k + 4] == ["::", "new", "("]:
            return name
        return ""

    def _fn_params(self, k: int) -> None:
        texts, hi = self.texts, self.hi
        j = k + 2
        if texts[j] == "<":
            depth = 0
            while j < hi:
                if texts[j] == "<":
                    depth += 1
                elif texts[j] == ">":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            j += 1
        if j < hi and texts[j] == "(":
            close = self.close(j)
            body = self.to(close + 1, ("{", ";"))
            if body < hi and texts[body] == "{":
                s, e = self.off(body), self.off(self.close(body))
                for a, b in _split_params(self.scan, j + 1, close):
                    end = _scan_to(self.scan, b, close, (",",))
                    self.bind(a, b, s, e, self._file_type(b + 1, end) if b < end else "")

    def _let(self, k: int) -> None:
        stop = self.to(k + 1, ("=", ":", ";"))
        prev = self.texts[k - 1] if k > 0 else ""
        if prev in ("if", "while", "&&", "&"):
            brace = self.to(stop, ("{",))
            end = self.off(self.close(brace)) if brace < self.hi else 0
            self.bind(k + 1, stop, self.off(stop), end)
        else:
            semi = self.to(stop, (";",))
            type_ = ""
            if stop < self.hi and self.texts[stop] == ":":
                type_ = self._file_type(stop + 1, self.to(stop, ("=", ";")))
            elif stop < self.hi and self.texts[stop] == "=":
                type_ = self._built_type(stop + 1)
            self.bind(k + 1, stop, self.off(semi), self.block_end(k), type_)

    def _for(self, k: int) -> None:
        kw_in = self.to(k + 1, ("in", "{", ";"))
        if kw_in < self.hi and self.texts[kw_in] == "in":
            brace = self.to(kw_in, ("{",))
            e = self.off(self.close(brace)) if brace < self.hi else self.block_end(k)
            self.bind(k + 1, kw_in, self.off(kw_in), e)

    def _closure(self, k: int) -> None:
        texts, starts, hi = self.texts, self.starts, self.hi
        if k + 1 < hi and texts[k + 1] == "|":
            return  # `||`: no parameters
        if texts[k - 1] == "|" and starts[k - 1] + 1 == starts[k]:
            return  # the second half of a `||` operator
        close = self.to(k + 1, ("|",))
        if close >= hi or texts[close] != "|":
            return
        body = close + 1
        if body < hi and texts[body] == "->":
            body = self.to(body, ("{",))
        if body < hi and texts[body] == "{":
            e = self.off(self.close(body))
        else:
            e = self.off(self.to(body, (";", ",")))
        for a, b in _split_params(self.scan, k + 1, close):
            self.bind(a, b, self.off(close), e)

    def _arm(self, k: int) -> None:
        a = _arm_start(self.scan, self.idx.opener_of, k, self.lo)
        guard = _scan_to(self.scan, a, k, ("if", "="))
        body = k + 1
        if body < self.hi and self.texts[body] == "{":
            e = self.off(self.close(body))
        else:
            e = self.off(self.to(body, (",",)))
        self.bind(a, guard, self.off(k), e)


def _arm_start(scan: ScanResult, opener_of: dict[int, int], arrow: int, lo: int) -> int:
    """First token of the match arm (or `select!` branch) whose `=>` is at ``arrow``."""
    texts, codes = scan.texts, scan.codes
    j = arrow - 1
    while j >= lo:
        t = texts[j]
        if codes[j] == "p" and t in ")]}":
            opener = opener_of.get(j, -1)
            if opener < lo:
                break
            if t == "}" and opener > lo and texts[opener - 1] == "=>":
                break  # the previous arm's block
            j = opener - 1
            continue
        if codes[j] == "p" and t in (",", ";", "(", "[", "{"):
            break
        j -= 1
    return j + 1


def _this_module(idx: _Index, segs: Sequence[str]) -> bool:
    """Whether `crate::<segs>` / `self` names this file's module."""
    if not segs:
        return idx.module == [] if idx.module is not None else False
    if idx.module is not None:
        return list(segs) == idx.module
    return segs[-1] == idx.stem


def resolve_refs(fs: FileScan, index: int) -> Refs:
    """What item ``index`` really refers to in its file.

    References: calls and values `name(..)`, type names, consts and statics; paths
    `crate::<this module>::name`, `self::name`; `Type::assoc` and `Self::assoc` for the file's
    types (the impl member it names); `self.method(..)` for a method of the subject's own type;
    `x.method(..)` for a local or parameter `x` of a file type whose type is written down;
    `name!` for the file's `macro_rules!`; a name defined by a file-level macro invocation. Not
    references: parameters and locals (scoped), fields (`x.name`, `Foo { name: .. }`), methods of
    other values and types (`x.name(..)`, `Other::name`), named macro arguments (`name = ..`).
    """
    return _RefReader(fs, index).read()


# An inline capture in a format string, `{NAME}` or `{NAME:?}`, not an escaped `{{`.
_CAPTURE = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?::[^{}]*)?\}")

# Associated fns that build a value of the type: `Self::new(..)`, `Self::with_config(..)`.
_CTOR = re.compile(r"new|default|build|(?:new|with|from)_\w+")


class _RefReader:
    """One pass over an item's tokens, sorting each name into a reference or not."""

    def __init__(self, fs: FileScan, index: int) -> None:
        self.fs = fs
        self.index = index
        scan = fs.scan
        self.texts, self.codes, self.starts = scan.texts, scan.codes, scan.starts
        self.idx = _index(fs)
        self.item = fs.items[index]
        rng = scan.token_range(self.item.keyword_start, self.item.end)
        self.lo, self.hi = rng.start, rng.stop
        chain = _chain(fs, index)
        self.self_type = ""
        if chain and fs.items[chain[0]].kind == "impl":
            self.self_type = type_name(fs.items[chain[0]].name)
        elif self.item.kind == "impl":
            self.self_type = type_name(self.item.name)
        self.by_name: dict[str, list[tuple[int, int]]] = {}
        binder = _Binder(fs, self.lo, self.hi, self.self_type)
        for name, s, e in binder.read():
            self.by_name.setdefault(name, []).append((s, e))
        self.typed: dict[str, list[tuple[int, int, str]]] = {}
        for name, s, e, type_ in binder.typed:
            self.typed.setdefault(name, []).append((s, e, type_))
        self.refs = Refs()

    def read(self) -> Refs:
        texts, codes, n = self.texts, self.codes, len(self.texts)
        for k in range(self.lo, self.hi):
            if codes[k] == "s" and not self.idx.in_attr[k]:
                self._captured(k)
            if codes[k] != "n" or self.idx.in_attr[k]:
                continue
            name = texts[k]
            prev = texts[k - 1] if k > 0 else ""
            nxt = texts[k + 1] if k + 1 < n else ""
            if name == "self":
                self._self_dot(k, prev, nxt)
            elif name == "Self":
                # `Self { .. }` builds one, `Self::new(..)` has one built: the type's own
                # definition belongs in the block (qdrant's telemetry `run`, held-out read 57).
                ctor = nxt == "::" and _CTOR.fullmatch(texts[k + 2] if k + 2 < n else "")
                if (nxt == "{" or ctor or self._own_variant(k)) and self.self_type:
                    self.refs.fields = True
            elif prev == ".":
                self._typed_dot(k, nxt)  # else a field, or a method of a value of unknown type
            elif nxt == ":":
                continue  # a field, parameter or binding being declared
            elif prev in _DECLARES or (prev == "!" and k >= 2 and texts[k - 2] == "macro_rules"):
                continue
            elif prev == "::":
                self._path(k, name)
            else:
                self._plain(k, name, prev, nxt)
        return self.refs

    def _captured(self, k: int) -> None:
        """`debug!("every {SESSION_UPDATE_INTERVAL:?}")`: a const or static of the file named
        inside a format string is used there (DefGuard's session manager was shown without the
        interval its log line prints, held-out read 94 #17). Only consts and statics: a capture
        of a local looks the same."""
        for m in _CAPTURE.finditer(self.texts[k]):
            target = self.idx.top.get(m.group(1))
            if target is not None and self.fs.items[target].kind in ("const", "static"):
                self.add_item(target, k)

    def _own_variant(self, k: int) -> bool:
        """`Self::Dummy`, `Self::Actual(..)` in an impl of one of the file's enums: the enum's
        variants are what the fn builds or matches (blind read 86: spin's
        `ReconfigurableWatcher::dummy` was shown without its enum)."""
        texts, n = self.texts, len(self.texts)
        if k + 2 >= n or texts[k + 1] != "::" or self.codes[k + 2] != "n":
            return False
        name = texts[k + 2]
        target = self.idx.top.get(self.self_type)
        return (
            target is not None
            and self.fs.items[target].kind == "enum"
            and name[:1].isupper()
            and (self.self_type, name) not in self.idx.members
        )

    def add_item(self, target: int | None, k: int) -> None:
        if target is None or target == self.index:
            return
        t = self.fs.items[target]
        if t.start <= self.starts[k] < t.end:
            return  # a name inside its own definition
        if self.item.start <= t.start and t.end <= self.item.end:
            return  # part of the subject already
        self.refs.add(("item", target), self.starts[k])
        for twin in self.idx.twins.get(target, ()):
            self.refs.add(("item", twin), self.starts[k])

    def _self_dot(self, k: int, prev: str, nxt: str) -> None:
        """`self.method(..)` names a method of the subject's type; `self.field` a field."""
        texts, n = self.texts, len(self.texts)
        if nxt == "." and k + 2 < self.hi and prev != "::":
            after = texts[k + 3] if k + 3 < n else ""
            if after in ("(", "::") and self.codes[k + 2] == "n":
                if self.self_type:
                    self.add_item(self.idx.members.get((self.self_type, texts[k + 2])), k + 2)
            elif texts[k + 2] != "await":
                self.refs.fields = True

    def _typed_dot(self, k: int, nxt: str) -> None:
        """`x.method(..)` on a local or parameter that holds one of the file's types (`shared:
        Arc<Shared>`, then `shared.purge_expired_keys()`): that type's method (blind read 98:
        mini-redis's purge task was shown without the two `Shared` methods it turns on)."""
        if nxt != "(" or k < 2:
            return
        recv = k - 2
        if self.codes[recv] != "n" or (recv >= 1 and self.texts[recv - 1] in (".", "::")):
            return
        at = self.starts[recv]
        # The innermost binding of that name visible here decides its type (or that it has none).
        scopes = [(s, e) for s, e in self.by_name.get(self.texts[recv], ()) if s <= at < e]
        if not scopes:
            return
        inner = max(scopes)
        for s, e, type_ in self.typed.get(self.texts[recv], ()):
            if (s, e) == inner:
                self.add_item(self.idx.members.get((type_, self.texts[k])), k)

    def _path(self, k: int, name: str) -> None:
        """`a::b::name`: this module's items, or an associated item of one of the file's types."""
        texts, codes, idx = self.texts, self.codes, self.idx
        segs: list[str] = []
        j = k - 1
        while j >= 1 and texts[j] == "::" and codes[j - 1] == "n":
            segs.insert(0, texts[j - 1])
            j -= 2
        if not segs or (j >= 0 and texts[j] == "::"):
            return  # `<T as Trait>::name`, `Foo::<T>::name`, `::std::..`
        if segs == ["self"] or (segs[0] == "crate" and _this_module(idx, segs[1:])):
            target = idx.top.get(name)
            if target is not None:
                self.add_item(target, k)
            elif name in idx.defined_by:
                self.refs.add(("macro", idx.defined_by[name]), self.starts[k])
            return
        owner = segs[-1]
        if owner == "Self":
            owner = self.self_type
        elif len(segs) == 1 and (owner, name) in idx.mod_members:
            self.add_item(idx.mod_members[(owner, name)], k)
            return
        elif owner not in idx.defined_by and (
            owner not in idx.top or self.fs.items[idx.top[owner]].kind not in _TYPE_KINDS
        ):
            return  # a path into another module or type
        elif len(segs) > 1 and not (
            segs[:-1] == ["self"] or (segs[0] == "crate" and _this_module(idx, segs[1:-1]))
        ):
            return
        if owner:
            self.add_item(idx.members.get((owner, name)), k)

    def _plain(self, k: int, name: str, prev: str, nxt: str) -> None:
        """A bare name: a local, a macro call, a named macro argument, or a file-level item."""
        texts, idx, n = self.texts, self.idx, len(self.texts)
        if any(s <= self.starts[k] < e for s, e in self.by_name.get(name, ())):
            return  # a parameter or local
        if nxt == "!" and k + 2 < n and texts[k + 2] in "([{":
            self.add_item(idx.macros.get(name), k)
            return
        opener = idx.enclosing[k]
        if (
            nxt == "="
            and k + 2 < n
            and texts[k + 2] not in ("=", ">")
            and prev in ("(", ",", "[", "{")
            and opener >= 1
            and texts[opener - 1] == "!"
        ):
            return  # a named macro argument (`retry_after = ?d`, `x = 1`)
        target = idx.top.get(name)
        if target is not None:
            self.add_item(target, k)
        elif name in idx.defined_by:
            self.refs.add(("macro", idx.defined_by[name]), self.starts[k])


# -- building a block -----------------------------------------------------------------------------


def _covered(s: Slice, chosen: Iterable[Slice]) -> bool:
    return any(c.start <= s.start and s.end <= c.end for c in chosen)


@dataclass
class _Budget:
    """A block being filled: the slices chosen so far and the context lines they cost."""

    scan: ScanResult
    chosen: list[Slice]
    exempt: set[int]  # the imports' and subjects' lines, which are not context
    limit: int
    context: set[int] = field(default_factory=set)
    dropped: list[str] = field(default_factory=list)  # references left out to fit the limit

    def take(self, new: list[Slice]) -> bool:
        """Add ``new`` if its context lines fit within the limit; whether they did."""
        lines = _lines(self.scan, new) - self.exempt - self.context
        if len(self.context) + len(lines) > self.limit:
            return False
        self.chosen += new
        self.context |= lines
        return True


def build_code(
    fs: FileScan,
    subjects: Sequence[int],
    extra: Sequence[int] = (),
    *,
    whole_impl_lines: int = WHOLE_IMPL_LINES,
    limit: int = CONTEXT_LIMIT,
) -> CodeBlock:
    """The code block of an example about ``subjects`` (item indices into ``fs.items``).

    Imports, the subjects (methods inside their impl's lines), then context in order of need:
    ``extra`` (deeper helpers the caller's focus is about), the impl's self type when a subject
    uses its fields, then what the subjects refer to, most used and nearest first. A reference
    that would take the context past ``limit`` lines is left out (and named in ``dropped``).
    """
    scan = fs.scan
    idx = _index(fs)
    chosen: list[Slice] = _imports(fs)
    for s in subjects:
        chosen += _show(fs, s, True, whole_impl_lines)
    budget = _Budget(scan, chosen, _lines(scan, chosen), limit)
    refs, self_types = _subject_refs(fs, idx, subjects)
    accessed = _accessed_names(fs, subjects)
    ranked = _ranked_refs(fs, idx, refs, subjects)
    wanted = [("item", e) for e in extra] + [("item", t) for t in self_types] + ranked
    seen = _add_context(fs, idx, budget, wanted, accessed)
    _add_std_impls(fs, budget, seen, subjects)
    slices = _dedupe(budget.chosen)
    return CodeBlock(
        slices,
        join_slices(fs.text, [(s.start, s.end) for s in slices]),
        len(budget.context),
        budget.dropped,
    )


def _subject_refs(fs: FileScan, idx: _Index, subjects: Sequence[int]) -> tuple[Refs, list[int]]:
    """What the subjects refer to, counted together, and the self types whose fields they use."""
    refs = Refs()
    self_types: list[int] = []
    for s in subjects:
        r = resolve_refs(fs, s)
        for key, count in r.counts.items():
            refs.counts[key] = refs.counts.get(key, 0) + count
            refs.first.setdefault(key, r.first[key])
        chain = _chain(fs, s)
        if r.fields and chain and fs.items[chain[0]].kind == "impl":
            t = idx.top.get(type_name(fs.items[chain[0]].name))
            if t is not None and fs.items[t].kind in ("struct", "enum", "union"):
                self_types.append(t)
    return refs, self_types


def _accessed_names(fs: FileScan, subjects: Sequence[int]) -> set[str]:
    """Names the subjects reach with `.name` (`args.options.reset`).

    A type in the block brings the type of a field read that way, since the subject reads
    through it (blind read 33: `exec` read `args.options.*`, and `SeedOptions` was left out).
    """
    scan = fs.scan
    return {
        scan.texts[k + 1]
        for s in subjects
        for k in scan.token_range(fs.items[s].start, fs.items[s].end)
        if scan.texts[k] == "." and k + 1 < len(scan.texts)
    }


def _ranked_refs(
    fs: FileScan, idx: _Index, refs: Refs, subjects: Sequence[int]
) -> list[tuple[str, int]]:
    """The subjects' references, most used first, then nearest to a subject, then by key."""
    scan = fs.scan
    first_lines = [fs.items[s].start_line for s in subjects] or [0]

    def distance(key: tuple[str, int]) -> int:
        start = fs.items[key[1]].start if key[0] == "item" else idx.macro_defs[key[1]].start
        line = scan.line_of(start)
        return min(abs(line - f) for f in first_lines)

    return sorted(refs.counts, key=lambda key: (-refs.counts[key], distance(key), key))


def _add_context(
    fs: FileScan,
    idx: _Index,
    budget: _Budget,
    wanted: list[tuple[str, int]],
    accessed: set[str],
) -> set[tuple[str, int]]:
    """Take each wanted reference that fits, in order; return every reference considered.

    ``wanted`` grows as it is read: a helper or type taken brings what it needs to read right.
    """
    seen: set[tuple[str, int]] = set()
    for key in wanted:
        if key in seen:
            continue
        seen.add(key)
        new, label = _ref_slices(fs, idx, key, accessed)
        new = [s for s in new if not _covered(s, budget.chosen)]
        if not new:
            continue
        if not budget.take(new):
            budget.dropped.append(label)
            continue
        if key[0] == "item" and fs.items[key[1]].kind in ("fn", *_TYPE_KINDS, "type"):
            wanted += _needed_by(fs, key[1], seen, accessed)
    return seen


def _ref_slices(
    fs: FileScan, idx: _Index, key: tuple[str, int], accessed: set[str]
) -> tuple[list[Slice], str]:
    """The slices that show reference ``key`` as context, and its name for ``dropped``."""
    if key[0] != "item":
        md = idx.macro_defs[key[1]]
        return [Slice(md.start, md.end, "macro-def")], f"{md.macro}!"
    it = fs.items[key[1]]
    if it.kind == "trait" and it.end_line - it.start_line + 1 > WHOLE_IMPL_LINES:
        # A long trait named as a type (`impl Consumer`) comes as its header and closing
        # line; the methods the subjects call come inside them as helpers (blind reads
        # 40 and 42: a 140-line trait in full under a loop that calls one method of it).
        called = [
            m
            for m, sub in enumerate(fs.items)
            if sub.parent == key[1] and sub.kind == "fn" and sub.name in accessed
        ]
        return [_head(fs, key[1]), *(_member(fs, m) for m in called), _tail(fs, key[1])], it.name
    return _show(fs, key[1], False, 0), it.name


def _needed_by(
    fs: FileScan, owner: int, seen: set[tuple[str, int]], accessed: set[str]
) -> list[tuple[str, int]]:
    """What a helper or a type taken as context needs to read right.

    A type's types, consts, statics and the macro invocations defining its names (a struct's
    field of a type alias); a helper fn's, only those its signature names; never a deeper fn.
    """
    out: list[tuple[str, int]] = []
    item = fs.items[owner]
    is_fn = item.kind == "fn"
    refs = resolve_refs(fs, owner)
    for sub in refs.counts:
        target_kind = fs.items[sub[1]].kind if sub[0] == "item" else "macro"
        if sub in seen or target_kind in ("fn", "impl", "mod", "trait"):
            continue
        if is_fn and item.body_start is not None and refs.first[sub] >= item.body_start:
            # Named in a helper's body only: a second level (SPEC: one level deep). nydus' NBD
            # worker carried seven consts only `handle_request` reads (held-out read 88); a
            # helper's signature (`-> DbResult<u64>`) is what reading its call needs.
            continue
        # A type brings its aliases and consts along, not every type its fields name:
        # only the type of a field the subjects read by name.
        if (
            is_fn
            or target_kind in ("type", "const", "static")
            or (
                sub[0] == "item"
                and target_kind in _TYPE_KINDS
                and _read_field_type(fs, owner, fs.items[sub[1]].name, accessed)
            )
        ):
            out.append(sub)
    return out


def _add_std_impls(
    fs: FileScan, budget: _Budget, seen: set[tuple[str, int]], subjects: Sequence[int]
) -> None:
    """A context type's short impls of the std traits that make it print and be an error.

    Without them `Err(TokenInUse.into())` has nothing to convert through (blind reads 40-44 on
    svix-cli's relay: the struct came, its Debug/Display/Error impls did not). A short `Drop`
    impl is what a guard does when it goes out of scope: DefGuard's `TaskGuard` came without
    the `impl Drop` that aborts its task (held-out read 94 #18).
    """
    for key in sorted(seen):
        owner = fs.items[key[1]] if key[0] == "item" else None
        if owner is None or owner.kind not in ("struct", "enum") or key[1] in subjects:
            continue
        for j, it in enumerate(fs.items):
            if (
                it.kind != "impl"
                or it.parent is not None
                or it.is_test
                or type_name(it.name) != owner.name
                or not _STD_TRAIT_IMPL.fullmatch(it.name)
                or it.end_line - it.start_line + 1 > STD_IMPL_LINES
            ):
                continue
            new = [s for s in _show(fs, j, False, 0) if not _covered(s, budget.chosen)]
            if new:
                budget.take(new)


def _read_field_type(fs: FileScan, owner: int, type_: str, accessed: set[str]) -> bool:
    """Whether a field of struct ``owner`` that the subjects read by name has ``type_`` in its
    type (`options: SeedOptions`)."""
    item = fs.items[owner]
    if item.kind != "struct":
        return False
    body = fs.text[item.start : item.end]
    return any(
        m.group(1) in accessed and re.search(rf"\b{re.escape(type_)}\b", m.group(2))
        for m in re.finditer(r"\b(\w+)\s*:\s*([^,;{}]+)", body)
    )


def _dedupe(slices: list[Slice]) -> list[Slice]:
    """Source order; a slice inside another goes, and of two equal spans the subject's stays."""
    ordered = sorted(slices, key=lambda s: (s.start, -s.end, not s.subject))
    out: list[Slice] = []
    for s in ordered:
        if out and _covered(s, out):
            continue
        out.append(s)
    return out


# -- checking a block -----------------------------------------------------------------------------


def _common_prefix(a: str, i: int, b: str, j: int) -> int:
    """Length of the common prefix of ``a[i:]`` and ``b[j:]`` (compared in C, by halves)."""
    lo, hi = 0, min(len(a) - i, len(b) - j)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[i : i + mid] == b[j : j + mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


@dataclass(frozen=True)
class _Link:
    """The slices chosen so far, as a linked list (each search state shares its parent's)."""

    start: int
    end: int
    prev: _Link | None


def split_code(
    code: str, text: str, spans: Iterable[tuple[int, int]]
) -> list[tuple[int, int]] | None:
    """Slices (from ``spans``) whose join by the rule is exactly ``code``, or None.

    Depth-first over the code: after a slice ending at ``last``, the next one either continues
    the source (it starts within whitespace of ``last`` or overlaps it, and the code goes on with
    the source's own bytes) or lies apart (the code has one blank line, then the slice). Longer
    continuations and nearer slices are tried first, so a `}` line is read as the closing line of
    the nearest impl.
    """
    if not code:
        return None
    eol2 = line_ending(text) * 2
    cands = sorted({(a, b) for a, b in spans if b > a})
    by_end = sorted(cands, key=lambda s: (s[1], s[0]))
    ends = [b for _, b in by_end]
    by_first: dict[str, list[tuple[int, int]]] = {}
    for a, b in cands:
        by_first.setdefault(text[a], []).append((a, b))
    stack: list[tuple[int, _Link]] = [
        (b - a, _Link(a, b, None))
        for a, b in reversed(by_first.get(code[0], []))
        if code.startswith(text[a:b])
    ]
    seen: set[tuple[int, int]] = set()
    while stack:
        pos, link = stack.pop()
        last = link.end
        if (pos, last) in seen:
            continue
        seen.add((pos, last))
        if pos == len(code):
            out: list[tuple[int, int]] = []
            cur: _Link | None = link
            while cur is not None:
                out.append((cur.start, cur.end))
                cur = cur.prev
            return out[::-1]
        nxt: list[tuple[int, _Link]] = []  # in the order to try them
        # Continuing: the code goes on with the source's bytes from `last`.
        room = _common_prefix(code, pos, text, last)
        for a, b in reversed(by_end[bisect_right(ends, last) : bisect_right(ends, last + room)]):
            if a <= last or _is_ws(text[last:a]):
                nxt.append((pos + b - last, _Link(a, b, link)))
        # Apart: a blank line, then a slice that starts past non-whitespace source.
        if code.startswith(eol2, pos):
            p2 = pos + len(eol2)
            for a, b in by_first.get(code[p2 : p2 + 1], []):
                if a > last and not _is_ws(text[last:a]) and code.startswith(text[a:b], p2):
                    nxt.append((p2 + b - a, _Link(a, b, link)))
        stack.extend(reversed(nxt))
    return None


def header_text(fs: FileScan, c: int) -> str:
    """A container's header as a reader names it: `impl<'a, R> Retry<'a, R>`, `trait Store`."""
    it = fs.items[c]
    head = fs.text[it.keyword_start : it.body_start if it.body_start is not None else it.end]
    m = re.search(r"\b(?:impl|trait|mod)\b", head)
    head = head[m.start() :] if m else head
    head = re.split(r"\bwhere\b", head)[0]
    return _WS_RUN.sub(" ", head).strip()


def _short(text: str, width: int = 70) -> str:
    one = _WS_RUN.sub(" ", text).strip()
    return one if len(one) <= width else one[: width - 3] + "..."


def _clipped(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """``split_code``'s slices, each from where the code goes on past the one before: a slice
    that overlaps its neighbour (a whole impl read as the continuation after its method) adds
    only the bytes the code shows. Unclipped, underway's scheduler `run` was counted 260 lines
    of context for its impl's other methods, which the code does not hold (held-out read 11)."""
    out: list[tuple[int, int]] = []
    last = -1
    for a, b in spans:
        out.append((max(a, last), b) if last >= 0 else (a, b))
        last = max(last, b)
    return out


def _runs(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The source stretches a code block covers: neighbours within whitespace merged."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and (a <= out[-1][1] or _is_ws(text[out[-1][1] : a])):
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def code_errors(
    code: str, fs: FileScan, subjects: Sequence[tuple[int, int]] | None = None
) -> list[str]:
    """How ``code`` breaks SPEC's code rules for this file, one line each; [] when it keeps them.

    Checked: whole slices joined by the rule (else only ``NOT_SLICES``), no member without its
    container's header and closing line, every top-level non-test `use` present, at most
    ``CONTEXT_LIMIT`` lines of context. ``subjects`` are the character spans of the subject's
    slices (with its impl lines), as a manifest records them; without them the largest item in
    the code is taken for the subject, and a file small enough for a whole-module example is not
    held to the context limit.
    """
    idx = _index(fs)
    text, scan = fs.text, fs.scan
    spans = split_code(code, text, [(s.start, s.end) for s in idx.slices])
    if spans is None:
        return [NOT_SLICES]
    spans = _clipped(spans)
    runs = _runs(text, spans)
    starts = [a for a, _ in runs]

    def covered(a: int, b: int) -> bool:
        k = bisect_right(starts, a) - 1
        return k >= 0 and b <= runs[k][1]

    errs: list[str] = []
    for i, it in enumerate(fs.items):
        chain = _chain(fs, i)
        if it.is_test or not chain or not covered(it.keyword_start, it.end):
            continue
        what = "method" if it.kind == "fn" else it.kind
        if not covered(_line_start(text, it.start), it.end):
            errs.append(f"{what} `{it.name}` is not whole lines (its indentation is lost)")
        for c in chain:
            noun = fs.items[c].kind
            where = f"{what} `{it.name}` of `{header_text(fs, c)}` appears without its"
            head, tail = _head(fs, c), _tail(fs, c)
            if not covered(head.start, head.end):
                errs.append(f"{where} {noun} header")
            if not covered(tail.start, tail.end):
                errs.append(f"{where} {noun}'s closing `}}` line")
    imports = _imports(fs)
    for u in imports:
        if not covered(u.start, u.end):
            errs.append(f"missing import `{_short(text[u.start : u.end])}`")
    if subjects is None:
        if module_allowed(fs):
            return errs
        whole = [
            i
            for i, it in enumerate(fs.items)
            if not it.is_test and covered(it.keyword_start, it.end)
        ]
        if not whole:
            return errs
        big = max(whole, key=lambda i: (fs.items[i].end_line - fs.items[i].start_line, -i))
        subject_slices = _show(fs, big, True, 0)
    else:
        subject_slices = [Slice(a, b, "item", None, True) for a, b in subjects]
    exempt = _lines(scan, subject_slices + imports)
    context = _lines(scan, [Slice(a, b, "item") for a, b in spans]) - exempt
    if len(context) > CONTEXT_LIMIT:
        errs.append(
            f"{len(context)} lines of context, over the {CONTEXT_LIMIT}-line limit "
            "(beyond the subject, its impl lines and the imports)"
        )
    return errs
