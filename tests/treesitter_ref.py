"""Reference item extractor built on tree-sitter, for differential testing of svixbt's scanner.

It implements SPEC.md "The code part" independently of svixbt: which nodes are items, and where an
item's slice starts (first outer attribute / doc comment, then plain own-line comments upward with
no blank line in between) and ends (the node's last byte). tree-sitter and tree-sitter-rust are
dev-only dependencies; nothing in the svixbt package imports this module.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import tree_sitter
import tree_sitter_rust

# tree-sitter node type -> svixbt item kind.
KIND_BY_NODE: dict[str, str] = {
    "function_item": "fn",
    "function_signature_item": "fn",
    "struct_item": "struct",
    "enum_item": "enum",
    "union_item": "union",
    "impl_item": "impl",
    "trait_item": "trait",
    "type_item": "type",
    "associated_type": "type",
    "const_item": "const",
    "static_item": "static",
    "mod_item": "mod",
    "macro_definition": "macro_rules",
}

# Only these items have bodies whose declarations are items too (SPEC: impl, trait, inline mod).
# Function bodies, extern blocks and macro invocations are deliberately not descended into.
_CONTAINERS = frozenset({"impl_item", "trait_item", "mod_item"})
_COMMENTS = frozenset({"line_comment", "block_comment"})

Span = tuple[str, int, int]


@dataclass(frozen=True)
class RefItem:
    kind: str
    name: str
    start_byte: int
    end_byte: int
    depth: int


@dataclass(frozen=True)
class RefResult:
    items: list[RefItem]
    is_error: bool

    def spans(self) -> set[Span]:
        return {(it.kind, it.start_byte, it.end_byte) for it in self.items}


@lru_cache(maxsize=1)
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_rust.language()))


def comment_class(text: bytes) -> str:
    """Classify a comment by its text: "outer" doc, "inner" doc, or "plain".

    Decided from the bytes rather than tree-sitter's marker nodes so the Rust lexer's corner cases
    are explicit: `////` and `/***` are plain, `/**/` is an empty plain block comment.
    """
    if text.startswith(b"///"):
        return "plain" if text.startswith(b"////") else "outer"
    if text.startswith(b"//!") or text.startswith(b"/*!"):
        return "inner"
    if text.startswith(b"/**"):
        return "plain" if text.startswith((b"/**/", b"/***")) else "outer"
    return "plain"


def _starts_own_line(src: bytes, pos: int) -> bool:
    line_start = src.rfind(b"\n", 0, pos) + 1
    return src[line_start:pos].strip() == b""


def _has_blank_line(gap: bytes) -> bool:
    # Siblings are separated only by whitespace, so two newlines in the gap mean a blank line
    # (CRLF counts the same, a lone CR is not a Rust line break here).
    return gap.count(b"\n") >= 2


def _slice_start(src: bytes, siblings: list[tree_sitter.Node], idx: int) -> int:
    item = siblings[idx]

    # tree-sitter-rust makes outer attributes and doc comments preceding siblings of the item.
    # Everything back to the earliest outer attribute / doc comment in the unbroken run of
    # attributes and comments belongs to the item, whatever whitespace or plain comments lie
    # between (Rust attaches them regardless of blank lines).
    head = idx
    j = idx - 1
    while j >= 0:
        node = siblings[j]
        if node.type == "attribute_item":
            head = j
        elif node.type in _COMMENTS:
            cls = comment_class(src[node.start_byte : node.end_byte])
            if cls == "inner":
                break
            if cls == "outer":
                head = j
        else:
            # inner_attribute_item, another item, `{`, a statement: the run is over.
            break
        j -= 1

    # Extend upward by plain comments, each on its own line, with no blank line between it and
    # whatever follows it in the chain.
    nxt = siblings[head]
    j = head - 1
    while j >= 0:
        node = siblings[j]
        if node.type not in _COMMENTS:
            break
        if comment_class(src[node.start_byte : node.end_byte]) != "plain":
            break
        if not _starts_own_line(src, node.start_byte):
            break
        if _has_blank_line(src[node.end_byte : nxt.start_byte]):
            break
        nxt = node
        j -= 1
    return min(nxt.start_byte, item.start_byte)


def _name(src: bytes, node: tree_sitter.Node) -> str:
    name = node.child_by_field_name("name")
    if name is None and node.type == "impl_item":
        name = node.child_by_field_name("type")
    return "" if name is None else src[name.start_byte : name.end_byte].decode("utf-8", "replace")


def _walk(src: bytes, siblings: list[tree_sitter.Node], depth: int) -> Iterator[RefItem]:
    for idx, node in enumerate(siblings):
        kind = KIND_BY_NODE.get(node.type)
        if kind is None:
            continue
        start = _slice_start(src, siblings, idx)
        yield RefItem(kind, _name(src, node), start, node.end_byte, depth)
        if node.type in _CONTAINERS:
            body = node.child_by_field_name("body")
            if body is not None and body.type == "declaration_list":
                yield from _walk(src, body.children, depth + 1)


def extract(src: bytes) -> RefResult:
    """Items of one Rust file (raw UTF-8 bytes without BOM), in source order."""
    tree = _parser().parse(src)
    root = tree.root_node
    return RefResult(list(_walk(src, root.children, 0)), root.has_error)


def spans(src: bytes) -> set[Span]:
    return extract(src).spans()


if __name__ == "__main__":
    # Debug aid: print the reference items of the given files.
    for arg in sys.argv[1:]:
        with open(arg, "rb") as fh:
            data = fh.read()
        res = extract(data)
        print(f"{arg}: {len(res.items)} items{' (parse errors)' if res.is_error else ''}")
        for it in res.items:
            first = data[it.start_byte : it.end_byte].split(b"\n", 1)[0].decode("utf-8", "replace")
            print(f"  {'  ' * it.depth}{it.kind} {it.name} [{it.start_byte},{it.end_byte}) {first}")
