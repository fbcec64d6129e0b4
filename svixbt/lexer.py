"""A Pygments lexer for Rust, tuned for slicing items rather than for colouring them.

The stock ``pygments.lexers.rust.RustLexer`` is exact about colours but costs about three times as
much per byte, and it splits nested block comments and doc comments into pieces the scanner would
have to glue back together. This lexer keeps the token classes the scanner needs and nothing more:
each comment and each string is one token, so braces inside them can never unbalance a scan.

Token types are ordinary Pygments types, so the lexer also works with any Pygments formatter.
Unterminated strings and comments run to the end of the text as one ``Error`` token; the scanner
turns that into a reported problem instead of a crash.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pygments.lexer import ExtendedRegexLexer, LexerContext
from pygments.token import (
    Comment,
    Error,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Text,
    _TokenType,
)

__all__ = ["RustScanLexer", "lex", "Tok", "DOC_OUTER", "DOC_INNER"]

# Outer doc comments attach to the item that follows; inner ones belong to the enclosing module.
DOC_OUTER = String.Doc
DOC_INNER = Comment.Special

_BLOCK_EDGE = re.compile(r"/\*|\*/")


def _block_comment(lexer: RustScanLexer, match: re.Match[str], ctx: LexerContext) -> Iterator[
    tuple[int, _TokenType, str]
]:
    """Consume a possibly nested ``/* ... */`` as a single token.

    Rust block comments nest, which no regular expression can match, so the depth is counted here.
    """
    text = ctx.text
    start = match.start()
    depth = 1
    pos = match.end()
    while depth:
        edge = _BLOCK_EDGE.search(text, pos)
        if edge is None:
            ctx.pos = len(text)
            yield start, Error, text[start:]
            return
        depth += 1 if edge.group() == "/*" else -1
        pos = edge.end()
    value = text[start:pos]
    # `/**/` and `/***...` are plain comments in Rust; `/**` is an outer doc, `/*!` an inner one.
    if value.startswith("/**") and not value.startswith(("/***", "/**/")):
        ttype: _TokenType = DOC_OUTER
    elif value.startswith("/*!"):
        ttype = DOC_INNER
    else:
        ttype = Comment.Multiline
    ctx.pos = pos
    yield start, ttype, value


class RustScanLexer(ExtendedRegexLexer):
    """Rust lexer whose tokens are whole comments, strings, identifiers and single punctuation."""

    name = "Rust (svixbt scanner)"
    aliases = ["rust-scan"]
    filenames: list[str] = []
    # No MULTILINE: `^` then means the start of the text, which is where a shebang may stand.
    flags = 0

    # Rules are ordered by how often they fire on real Rust, because Pygments tries them in turn.
    tokens = {
        "root": [
            (r"\s+", Text.Whitespace),
            # Identifiers and keywords, unless they prefix a string (`b"`, `r#"`, `c"`) or are raw.
            (r"""(?![bc]r?#*"|r#*"|[bc]'|r#[^\W\d])[^\W\d]\w*""", Name),
            (r"::|->|=>|[{}()\[\];,.:!<>=&|*+\-%^?@~$]", Punctuation),
            (r"////[^\n]*", Comment.Single),
            (r"///[^\n]*", DOC_OUTER),
            (r"//![^\n]*", DOC_INNER),
            (r"//[^\n]*", Comment.Single),
            (r"/\*", _block_comment),
            (r"/", Operator),
            (r'[bc]?"[^"\\]*(?:\\(?s:.)[^"\\]*)*"', String),
            (r'[bc]?r(#*)"(?s:.*?)"\1', String),
            (r'[bc]?r?#*"(?s:.*)', Error),  # unterminated string: the rest of the file
            (r"r#[^\W\d]\w*", Name),
            (r"b?'(?:[^'\\\n]|\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F_]{1,8}\}|.))'", String.Char),
            (r"'(?:r#)?[^\W\d]\w*", Name.Label),  # lifetimes and loop labels
            (r"\d\w*(?:\.(?![.\D])\w*)?", Number),
            (r"^#!(?!\s*\[)[^\n]*", Comment.Hashbang),
            (r"#", Punctuation),
            (r"'", Error),
        ],
    }


class Tok:
    """A token as the scanner sees it: Pygments type, character offset and text."""

    __slots__ = ("ttype", "start", "text")

    def __init__(self, ttype: _TokenType, start: int, text: str) -> None:
        self.ttype = ttype
        self.start = start
        self.text = text

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def __repr__(self) -> str:
        return f"Tok({self.ttype}, {self.start}, {self.text!r})"


_LEXER = RustScanLexer()


def lex(text: str) -> Iterator[tuple[int, _TokenType, str]]:
    """Yield ``(offset, token type, text)`` covering ``text`` exactly, whitespace included."""
    yield from _LEXER.get_tokens_unprocessed(text)
