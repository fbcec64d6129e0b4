"""Brace-balancing scanner: Rust tokens in, items (with their exact SPEC slices) out.

The scanner never builds a syntax tree. It walks item-level tokens (file, impl, trait and inline
mod bodies), and jumps over every other bracketed group using a bracket-match table computed in one
pass, so deep nesting costs no recursion and a fn body costs one lookup. Damage (an unclosed brace,
an unterminated string) is reported as a ``Problem`` with line and column; items that closed before
the damage are still returned.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import accumulate, compress

from .tokens import significant_tokens

__all__ = ["Item", "UseDecl", "Problem", "ScanResult", "scan_text", "ITEM_KINDS"]

ITEM_KINDS = (
    "fn",
    "struct",
    "enum",
    "union",
    "impl",
    "trait",
    "type",
    "const",
    "static",
    "mod",
    "macro_rules",
)

# Per-token codes (``tokens.CODE_OF_KIND``; one character each keeps the hot loops to string
# comparisons): n name, l lifetime or label, s string or char, c comment, d outer doc,
# i inner doc, e error, p everything else (punctuation, operators, numbers).
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = frozenset(")]}")
_BRACKETS = frozenset("()[]{}")
_OPENER_OF = {")": "(", "]": "[", "}": "{"}

# Keywords that may stand before the item keyword without changing what the item is.
_QUALIFIERS = frozenset({"pub", "async", "unsafe", "default", "auto", "safe"})
# Kinds whose slice may end at the `}` closing their first top-level brace; the rest end at `;`.
_BRACE_KINDS = frozenset({"fn", "struct", "enum", "union", "impl", "trait", "mod", "macro_rules"})
# Kinds whose brace body holds items of its own.
_CONTAINERS = frozenset({"impl", "trait", "mod"})
# `#[test]`, `#[tokio::test]`, and local aliases named like one (`#[maybe_tokio_test]`).
_TEST_ATTR = re.compile(r"^#\s*\[\s*(?:[\w:]*::)?(?:\w+_)?test\s*(?:\]|\()")
# `cfg(test)`, `cfg(all(test, ..))`, and `cfg(any(test, feature = ".."))`: test support
# compiled for a feature as well (vector's `test_util`, whose helpers read as background tasks).
_CFG_TEST = re.compile(
    r"^#\s*\[\s*cfg\s*\(\s*(?:test\s*\)|(?:all|any)\s*\((?:[^()]|\([^()]*\))*\btest\b)"
)
_WS = re.compile(r"\s+")
# The lexer's unterminated-string rule: an optional `b`/`c` prefix, `r` for a raw string, `#`s.
_UNTERMINATED_STRING = re.compile(r'[bc]?(r)?#*"')


@dataclass(frozen=True)
class Problem:
    """Damage found while scanning; positions are 1-based line and column, plus a byte offset."""

    message: str
    line: int
    column: int
    byte: int

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column} (byte {self.byte}): {self.message}"


@dataclass
class Item:
    """One item with the exact slice SPEC defines (attributes, docs and attached comments)."""

    kind: str
    name: str
    start: int  # character offsets into the scanned text; half-open
    end: int
    keyword_start: int  # where the item proper starts, after attributes and docs
    body_start: int | None  # offset of the `{` that opens the body, if any
    start_byte: int = 0
    end_byte: int = 0
    start_line: int = 0
    end_line: int = 0
    parent: int | None = None
    doc: str = ""
    attrs: tuple[str, ...] = ()
    is_test: bool = False
    visibility: str = ""
    qualifiers: tuple[str, ...] = ()


@dataclass
class UseDecl:
    """A whole `use` declaration as written, with any attributes in front of it."""

    start: int
    end: int
    text: str
    is_test: bool = False
    start_line: int = 0
    end_line: int = 0
    parent: int | None = None
    # Found inside a body or a macro's braces (`cfg_if! { .. use a; .. }`), not at item level:
    # it resolves names, but is no slice of its own (the block would lift it out of its braces).
    nested: bool = False


@dataclass
class ScanResult:
    text: str
    items: list[Item]
    uses: list[UseDecl]
    problems: list[Problem]
    # Significant tokens (no whitespace) as parallel arrays, kept for the rule and fact layers.
    codes: list[str] = field(repr=False, default_factory=list)
    starts: list[int] = field(repr=False, default_factory=list)
    texts: list[str] = field(repr=False, default_factory=list)
    newlines: list[int] = field(repr=False, default_factory=list)
    match: list[int] = field(repr=False, default_factory=list)  # bracket partner per token

    def line_of(self, offset: int) -> int:
        return _line_of(self.newlines, offset)

    def token_range(self, start: int, end: int) -> range:
        """Indices of the significant tokens lying within ``[start, end)``."""
        lo = bisect_right(self.starts, start - 1)
        hi = bisect_right(self.starts, end - 1)
        return range(lo, hi)


@dataclass
class _Frame:
    """An item whose body is itself a list of items (impl, trait, inline mod)."""

    item: Item
    close: int  # token index of the closing brace, or -1 when it never closes
    is_test: bool


@dataclass
class _Header:
    """What stands in front of an item's name: its keyword, visibility and qualifiers."""

    kw: int  # token index of the item keyword (`fn`, `struct`, .., or `use`)
    kind: str
    visibility: str
    qualifiers: list[str]


class _Scan:
    def __init__(self, text: str) -> None:
        self.text = text
        codes, starts, texts = significant_tokens(text)
        self.codes = codes
        self.starts = starts
        self.texts = texts
        self.n = len(codes)
        self.newlines = _newlines(text)
        # (character offset, message) of each problem; made `Problem`s once byte offsets are known.
        self.problems: list[tuple[int, str]] = []
        self.items: list[Item] = []
        self.uses: list[UseDecl] = []
        self.match = self._match_brackets()

    # -- positions -------------------------------------------------------------------------------

    def line_col(self, offset: int) -> tuple[int, int]:
        line = _line_of(self.newlines, offset)
        line_start = self.newlines[line - 2] + 1 if line > 1 else 0
        return line, offset - line_start + 1

    def problem(self, offset: int, message: str) -> None:
        self.problems.append((offset, message))

    # -- brackets --------------------------------------------------------------------------------

    def _match_brackets(self) -> list[int]:
        """For each opening bracket token, the index of its closer (-1 if unclosed).

        Only bracket tokens are visited (a bracket's text is never anything but punctuation), and
        problems are reported in token order, errors and brackets interleaved. A closer never
        closes an opener of another kind: when an outer opener of its kind is open, the openers
        above it are left unclosed and it closes that one (`{ ( }`); otherwise it is stray and
        skipped (`{ ) }`), so a lost or extra `)` or `]` cannot end a brace body early.
        """
        n = self.n
        match = [0] * n
        texts, starts = self.texts, self.starts
        found: list[tuple[int, str]] = []  # (token index, message), sorted before reporting
        for i in _indices(self.codes, "e"):
            found.append((i, _describe_error(texts[i])))
        # The openers on the stack, as indices and as their texts side by side: the usual case,
        # a closer of the kind on top, then costs one comparison and two pops.
        stack: list[int] = []
        kinds: list[str] = []
        push, pop, push_kind, pop_kind = stack.append, stack.pop, kinds.append, kinds.pop
        opener_of = _OPENER_OF
        for i in compress(range(n), map(_BRACKETS.__contains__, texts)):
            t = texts[i]
            if t in "([{":  # t is one bracket character, never the empty string
                push(i)
                push_kind(t)
                continue
            want = opener_of[t]
            if kinds and kinds[-1] == want:
                match[pop()] = i
                pop_kind()
            elif want in kinds:
                # An outer opener of this kind is open: the ones above it never closed.
                while kinds[-1] != want:
                    inner = pop()
                    pop_kind()
                    match[inner] = -1
                    found.append(
                        (
                            inner,
                            f"`{texts[inner]}` is never closed (`{t}` at line "
                            f"{self.line_col(starts[i])[0]} closes an outer `{want}`)",
                        )
                    )
                match[pop()] = i
                pop_kind()
            else:
                match[i] = -1
                if stack:
                    top = stack[-1]
                    message = (
                        f"`{t}` does not close `{texts[top]}` opened at line "
                        f"{self.line_col(starts[top])[0]}; skipped"
                    )
                else:
                    message = f"unmatched `{t}`"
                found.append((i, message))
        for i in stack:  # never closed
            match[i] = -1
        found.sort(key=lambda f: f[0])
        for i, message in found:
            self.problem(starts[i], message)
        return match

    # -- item level ------------------------------------------------------------------------------

    def run(self) -> None:
        frames: list[_Frame] = []
        i = 0
        n = self.n
        codes, texts = self.codes, self.texts
        prefix: int | None = None  # token index of the first outer attribute or doc comment
        attrs: list[str] = []
        docs: list[str] = []
        while True:
            if frames and (i >= n or i == frames[-1].close):
                frame = frames.pop()
                if i >= n:
                    self.problem(
                        frame.item.body_start or frame.item.keyword_start,
                        f"`{{` of {frame.item.kind} `{frame.item.name}` is never closed",
                    )
                else:
                    frame.item.end = self.starts[i] + 1
                    self.items.append(frame.item)
                    i += 1
                prefix, attrs, docs = None, [], []
                continue
            if i >= n:
                break
            code = codes[i]
            t = texts[i]
            if code in "ci":
                if code == "i":
                    prefix, attrs, docs = None, [], []
                i += 1
                continue
            if code == "d":
                if prefix is None:
                    prefix = i
                docs.append(t)
                i += 1
                continue
            if t == "#" and code == "p":
                j = i + 1
                inner = j < n and texts[j] == "!"
                if inner:
                    j += 1
                if j < n and texts[j] == "[" and self.match[j] > 0:
                    end = self.match[j]
                    if inner:
                        prefix, attrs, docs = None, [], []
                    else:
                        if prefix is None:
                            prefix = i
                        attrs.append(self.text[self.starts[i] : self.starts[end] + 1])
                    i = end + 1
                    continue
                i += 1
                continue
            in_test = bool(frames) and frames[-1].is_test
            i, entered = self.item_at(i, prefix, attrs, docs, in_test, frames)
            if entered is not None:
                frames.append(entered)
            prefix, attrs, docs = None, [], []

    def item_at(
        self,
        i: int,
        prefix: int | None,
        attrs: list[str],
        docs: list[str],
        in_test: bool,
        frames: list[_Frame],
    ) -> tuple[int, _Frame | None]:
        """Parse what starts at token ``i``; return the next index and a frame to enter, if any."""
        head = self._item_header(i)
        if isinstance(head, int):
            return head, None
        # The slice takes the outer attributes and docs in front, else starts at the first word.
        start_tok = prefix if prefix is not None else i
        if head.kind == "use":
            return self._use_decl(head.kw, start_tok, attrs, in_test), None
        item, name_end = self._new_item(head, i, start_tok, attrs, docs, in_test)
        return self._item_end(item, head.kw, name_end)

    def _item_header(self, i: int) -> _Header | int:
        """Read the visibility and qualifiers from token ``i`` up to the item keyword.

        An int is where to resume instead: what starts at ``i`` is no item (or the file ended).
        """
        codes, texts, n = self.codes, self.texts, self.n
        visibility = ""
        qualifiers: list[str] = []
        while i < n:
            t = texts[i]
            if codes[i] != "n":
                # Not an item; a closer with no frame to close is skipped alone (the matcher has
                # reported it).
                return self.skip_statement(i)
            if t == "pub":
                visibility, i = self._visibility(i)
                continue
            if t in _QUALIFIERS:
                qualifiers.append(t)
                i += 1
                continue
            if t == "extern":
                # What follows decides: `fn` makes an item, while `crate x;` and a foreign block
                # `{ .. }` (declarations, not items of this profile) are skipped below as non-items.
                j = i + 1
                if j < n and codes[j] == "s":
                    j += 1
                qualifiers.append(t if j == i + 1 else f"extern {texts[i + 1]}")
                i = j
                continue
            if t == "const":
                nxt = texts[i + 1] if i + 1 < n else ""
                if nxt in ("fn", "unsafe", "async", "extern"):
                    qualifiers.append(t)
                    i += 1
                    continue
                if nxt == "{":  # const block at item level is not an item
                    return self.skip_statement(i)
                return _Header(i, "const", visibility, qualifiers)
            if t == "union":
                if i + 1 < n and codes[i + 1] == "n":  # not `union!` or `union::x`
                    return _Header(i, "union", visibility, qualifiers)
                return self.skip_statement(i)
            if t == "macro_rules" and i + 1 < n and texts[i + 1] == "!":
                return _Header(i, "macro_rules", visibility, qualifiers)
            if t in ("fn", "struct", "enum", "impl", "trait", "type", "static", "mod", "use"):
                return _Header(i, t, visibility, qualifiers)
            # Anything else at item level (a macro invocation, stray tokens): not an item.
            return self.skip_statement(i)
        return n

    def _visibility(self, pub: int) -> tuple[str, int]:
        """`pub` or `pub(..)` as written at token ``pub``, and the token index after it."""
        if pub + 1 < self.n and self.texts[pub + 1] == "(" and self.match[pub + 1] > 0:
            close = self.match[pub + 1]
            return self.text[self.starts[pub] : self.starts[close] + 1], close + 1
        return "pub", pub + 1

    def _use_decl(self, use: int, start_tok: int, attrs: list[str], in_test: bool) -> int:
        """Record the `use` declaration at token ``use``; return the token index after it."""
        end = self.find_semicolon(use)
        start = self.attach_comments(start_tok)
        if end < 0:
            self.problem(self.starts[use], "`use` declaration without `;`")
            return self.n
        decl_end = self.starts[end] + 1
        self.uses.append(
            UseDecl(
                start,
                decl_end,
                self.text[start:decl_end],
                is_test=in_test or _is_test_attrs(attrs),
            )
        )
        return end + 1

    def _new_item(
        self,
        head: _Header,
        first: int,
        start_tok: int,
        attrs: list[str],
        docs: list[str],
        in_test: bool,
    ) -> tuple[Item, int]:
        """The item ``head`` starts, its end not yet known, and the token index after its name."""
        name, name_end = self.item_name(head.kind, head.kw)
        start = self.attach_comments(start_tok)
        item = Item(
            kind=head.kind,
            name=name,
            start=start,
            end=start,
            keyword_start=self.starts[first],
            body_start=None,
            doc=_doc_text(docs),
            attrs=tuple(attrs),
            is_test=in_test or _is_test_attrs(attrs),
            visibility=head.visibility,
            qualifiers=tuple(head.qualifiers),
        )
        return item, name_end

    def _item_end(self, item: Item, kw: int, name_end: int) -> tuple[int, _Frame | None]:
        """Walk the header after the name to the item's `;` or body; record the item if it ends.

        Returns the next index and, for a container, the frame whose body is walked next.
        """
        codes, texts, n = self.codes, self.texts, self.n
        kind, name = item.kind, item.name
        j = name_end
        brace_kind = kind in _BRACE_KINDS
        # Angle depth of the header: a `{` inside generics (`Arr<{ N }>`, a const block
        # argument) is not the body.
        angle = 0
        while j < n:
            t = texts[j]
            if codes[j] == "p":
                if t == ";":
                    item.end = self.starts[j] + 1
                    self.items.append(item)
                    return j + 1, None
                if t == "<":
                    angle += 1
                elif t == ">" and angle > 0:
                    angle -= 1
                elif t == ">>" and angle > 0:
                    angle = max(0, angle - 2)
                if t in _OPEN:
                    if t == "{" and brace_kind and angle == 0:
                        return self._item_body(item, j)
                    close = self.match[j]
                    if close < 0:
                        self.problem(self.starts[j], f"`{t}` in {kind} `{name}` is never closed")
                        return self.recover(j), None
                    j = close + 1
                    continue
                if t in _CLOSE:
                    break
            j += 1
        self.problem(self.starts[kw], f"{kind} `{name}` has no closing `;` or `}}`")
        return (j if j > kw else kw + 1), None

    def _item_body(self, item: Item, brace: int) -> tuple[int, _Frame | None]:
        """Close ``item`` at the `}` matching its body's `{` (token ``brace``), or enter it."""
        close = self.match[brace]
        item.body_start = self.starts[brace]
        container = item.kind in _CONTAINERS
        if close < 0 and container:
            # Still walk its body: items that close inside it end before the damage. The frame
            # never closes; popping it at the end reports it.
            return brace + 1, _Frame(item, -1, item.is_test)
        if close < 0:
            self.problem(self.starts[brace], f"`{{` of {item.kind} `{item.name}` is never closed")
            return self.recover(brace), None
        if container:
            return brace + 1, _Frame(item, close, item.is_test)
        item.end = self.starts[close] + 1
        self.items.append(item)
        return close + 1, None

    def local_uses(self) -> list[UseDecl]:
        """`use` statements inside fn bodies, which the item-level walk jumps over.

        They resolve names for rules inside that fn (`use tokio::time::sleep; sleep(d)`); their
        parent is the fn, so they never travel as separate context slices.
        """
        seen = {u.end for u in self.uses}
        texts, codes, starts = self.texts, self.codes, self.starts
        out: list[UseDecl] = []
        for k in _indices(texts, "use"):
            if codes[k] != "n":
                continue
            # A `use` under attributes (`#[cfg(not(target_family = "wasm"))] use tokio::time;`,
            # surrealdb's interval_ticker) starts at its first attribute: the cfg travels with it.
            first = self._attrs_before(k)
            if first and texts[first - 1] not in (";", "{", "}"):
                continue
            end = self.find_semicolon(k)
            if end < 0:
                continue
            decl_end = starts[end] + 1
            if decl_end in seen:
                continue
            text = self.text[starts[first] : decl_end]
            out.append(UseDecl(starts[first], decl_end, text, nested=True))
        return out

    def _attrs_before(self, k: int) -> int:
        """The token where the outer attributes right before token ``k`` begin (``k`` if none)."""
        texts = self.texts
        while k >= 3 and texts[k - 1] == "]":
            depth, j = 0, k - 1
            while j >= 0:
                if texts[j] == "]":
                    depth += 1
                elif texts[j] == "[":
                    depth -= 1
                    if depth == 0:
                        break
                j -= 1
            if j < 1 or texts[j - 1] != "#":
                break
            k = j - 1
        return k

    def recover(self, open_tok: int) -> int:
        """After an unclosed brace, resume at the next token that starts a line at column 1.

        Real damage is usually local (a lost `}`), and the next top-level item still starts at
        the left margin, so this finds the items after the damage instead of losing the file.
        """
        text = self.text
        for k in range(open_tok + 1, self.n):
            s = self.starts[k]
            if (s == 0 or text[s - 1] == "\n") and self.codes[k] in "ndp" and self.texts[k] != "}":
                return k
        return self.n

    def skip_statement(self, i: int) -> int:
        """Skip a non-item at item level: up to `;`, or through a brace group (macro bodies)."""
        codes, texts, n = self.codes, self.texts, self.n
        j = i
        while j < n:
            t = texts[j]
            if codes[j] == "p":
                if t == ";":
                    return j + 1
                if t in _OPEN:
                    close = self.match[j]
                    if close < 0:
                        self.problem(self.starts[j], f"`{t}` is never closed")
                        return self.recover(j)
                    if t == "{":  # a `;` after it is skipped as a statement of its own
                        return close + 1
                    j = close + 1
                    continue
                if t in _CLOSE:
                    return j if j > i else j + 1
            j += 1
        return n

    def find_semicolon(self, i: int) -> int:
        codes, texts, n = self.codes, self.texts, self.n
        j = i
        while j < n:
            if codes[j] == "p":
                t = texts[j]
                if t == ";":
                    return j
                if t in _OPEN:
                    close = self.match[j]
                    if close < 0:
                        return -1
                    j = close + 1
                    continue
                if t in _CLOSE:
                    return -1
            j += 1
        return -1

    def item_name(self, kind: str, kw: int) -> tuple[str, int]:
        """The item's name and the token index just after it."""
        texts, codes, n = self.texts, self.codes, self.n
        if kind == "macro_rules":
            j = kw + 2
            return (texts[j] if j < n and codes[j] == "n" else ""), j + 1
        if kind != "impl":
            j = kw + 1
            if kind == "static" and j + 1 < n and texts[j] == "mut" and codes[j + 1] == "n":
                j += 1  # `static mut NAME`: the name follows `mut`
            return (texts[j] if j < n and codes[j] in "n" else ""), j + 1
        # `impl<T> Trait for Type<T> where ... {` is named `Trait for Type<T>`, as written.
        j = kw + 1
        if j < n and texts[j] == "<":
            j = self.skip_angles(j)
        first = j
        last = j
        depth = 0
        while j < n:
            t = texts[j]
            if codes[j] == "p":
                if t == "<":
                    depth += 1
                elif t == ">":
                    depth -= 1
                elif t in _OPEN and t != "{":
                    close = self.match[j]
                    if close < 0:
                        break
                    last = close
                    j = close + 1
                    continue
                elif depth <= 0 and t in ("{", ";"):
                    break
            elif t == "where" and depth <= 0:
                break
            last = j
            j += 1
        if last < first or first >= n:
            return "", first
        name = _WS.sub(" ", self.text[self.starts[first] : self.starts[last] + len(texts[last])])
        return name, first

    def skip_angles(self, j: int) -> int:
        texts, n = self.texts, self.n
        depth = 0
        while j < n:
            t = texts[j]
            if t == "<":
                depth += 1
            elif t == ">":
                depth -= 1
                if depth == 0:
                    return j + 1
            elif t in _OPEN:  # `{` too: a const generic's default may be a block
                close = self.match[j]
                if close < 0:
                    return j
                j = close
            elif t == ";":
                return j
            j += 1
        return j

    def attach_comments(self, tok: int) -> int:
        """Extend a slice upward over plain comments that each start their own line.

        A comment attaches when nothing but whitespace precedes it on its line and no blank line
        separates it from what follows (what rustdoc and rustfmt treat as belonging together).
        """
        text, codes, starts, texts = self.text, self.codes, self.starts, self.texts
        start = starts[tok]
        k = tok - 1
        while k >= 0 and codes[k] == "c" and not texts[k].startswith("#!"):
            c_start = starts[k]
            c_end = c_start + len(texts[k])
            gap = text[c_end:start]
            if gap.count("\n") > 1 or gap.strip():
                break
            line_start = text.rfind("\n", 0, c_start) + 1
            if text[line_start:c_start].strip():
                break
            start = c_start
            k -= 1
        return start


def _indices(values: list[str], value: str) -> Iterator[int]:
    """Every index of ``value`` in ``values``, ascending.

    ``list.index`` compares in C, several times faster per element than a comparison mapped
    over the list, which matters when the value is rare among a file's tokens.
    """
    k = -1
    index = values.index
    try:
        while True:
            k = index(value, k + 1)
            yield k
    except ValueError:
        return


def _line_of(newlines: list[int], offset: int) -> int:
    """1-based line of a character offset, given the offsets of every newline."""
    return bisect_right(newlines, offset - 1) + 1


def _newlines(text: str) -> list[int]:
    """Offsets of every newline in ``text``, ascending."""
    # Each line but the last ends in a newline: offsets are the running sums of (length + 1), less
    # one. All in C, which matters on long files.
    out: list[int] = []
    piece = 1_000_000  # a huge file is split a piece at a time, not every line at once
    for base in range(0, len(text), piece):
        lines = text[base : base + piece].split("\n")
        if len(lines) > 1:
            ends = accumulate(map((1).__add__, map(len, lines[:-1])), initial=base - 1)
            next(ends)  # the initial value itself
            out.extend(ends)
    return out


def _describe_error(text: str) -> str:
    """What an ``Error`` token of the lexer is: an unterminated comment or string (they run to the
    end of the text), or a character no token takes."""
    if text.startswith("/*"):
        return "unterminated block comment"
    string = _UNTERMINATED_STRING.match(text)
    if string:
        return "unterminated raw string" if string.group(1) else "unterminated string"
    return f"stray `{text}`"


def _doc_text(docs: Sequence[str]) -> str:
    lines: list[str] = []
    for d in docs:
        if d.startswith("///"):
            line = d[3:].rstrip("\r").removeprefix(" ")
            # A line of only whitespace is a blank line (as in rustdoc): it ends a paragraph.
            lines.append(line if line.strip() else "")
        else:
            body = d[3:-2]
            lines.extend(ln.strip().lstrip("*").strip() for ln in body.splitlines())
    return "\n".join(lines).strip()


def _is_test_attrs(attrs: Sequence[str]) -> bool:
    return any(_TEST_ATTR.match(a) or _CFG_TEST.match(a) for a in attrs)


def _byte_offsets(text: str, offsets: list[int]) -> dict[int, int]:
    """Map character offsets to UTF-8 byte offsets, encoding each stretch of text once."""
    if text.isascii():
        return {o: o for o in offsets}
    out: dict[int, int] = {}
    prev = 0
    acc = 0
    for o in sorted(set(offsets)):
        acc += len(text[prev:o].encode("utf-8", "surrogatepass"))
        out[o] = acc
        prev = o
    return out


def scan_text(text: str) -> ScanResult:
    """Scan Rust source text into items, `use` declarations and problems. Never raises on input."""
    s = _Scan(text)
    s.run()
    items = sorted(s.items, key=lambda it: (it.start, -it.end))
    uses = sorted(s.uses + s.local_uses(), key=lambda u: u.start)
    offsets = [o for it in items for o in (it.start, it.end)] + [o for o, _ in s.problems]
    bytes_at = _byte_offsets(text, offsets)
    problems = []
    for offset, message in s.problems:
        line, col = s.line_col(offset)
        problems.append(Problem(message, line, col, bytes_at[offset]))
    line_of = partial(_line_of, s.newlines)
    # Parents: the innermost earlier item whose span contains this one.
    stack: list[int] = []
    for idx, it in enumerate(items):
        it.start_byte = bytes_at[it.start]
        it.end_byte = bytes_at[it.end]
        it.start_line = line_of(it.start)
        it.end_line = line_of(it.end - 1)
        while stack and items[stack[-1]].end <= it.start:
            stack.pop()
        it.parent = stack[-1] if stack else None
        if it.parent is not None and items[it.parent].is_test:
            it.is_test = True
        stack.append(idx)
    # A use's parent: the last item (in the order above) that contains it. One sweep: items that
    # start at or before the use are open; the innermost one still holding its end is the parent.
    open_items: list[int] = []
    nxt = 0
    for u in uses:
        u.start_line = line_of(u.start)
        u.end_line = line_of(u.end - 1)
        while nxt < len(items) and items[nxt].start <= u.start:
            open_items.append(nxt)
            nxt += 1
        while open_items and items[open_items[-1]].end <= u.start:
            open_items.pop()  # ended before this use, so before every later one too
        u.parent = next((k for k in reversed(open_items) if u.end <= items[k].end), None)
        if u.parent is not None and items[u.parent].is_test:
            u.is_test = True
    return ScanResult(
        text,
        items,
        uses,
        problems,
        codes=s.codes,
        starts=s.starts,
        texts=s.texts,
        newlines=s.newlines,
        match=s.match,
    )
