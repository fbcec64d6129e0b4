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

__all__ = ["RustScanLexer", "lex", "significant_tokens", "block_comment_end", "DOC_OUTER", "DOC_INNER"]

# Outer doc comments attach to the item that follows; inner ones belong to the enclosing module.
DOC_OUTER = String.Doc
DOC_INNER = Comment.Special

_BLOCK_EDGE = re.compile(r"/\*|\*/")


def block_comment_end(text: str, start: int) -> tuple[int, _TokenType]:
    """End offset and token type of the (possibly nested) block comment opening at ``start``.

    Rust block comments nest, which no regular expression can match, so the depth is counted.
    An unterminated comment runs to the end of the text as an ``Error`` token.
    """
    depth = 1
    pos = start + 2
    while depth:
        edge = _BLOCK_EDGE.search(text, pos)
        if edge is None:
            return len(text), Error
        depth += 1 if edge.group() == "/*" else -1
        pos = edge.end()
    # `/**/` and `/***...` are plain comments in Rust; `/**` is an outer doc, `/*!` an inner one.
    if text.startswith("/**", start) and not text.startswith(("/***", "/**/"), start):
        return pos, DOC_OUTER
    if text.startswith("/*!", start):
        return pos, DOC_INNER
    return pos, Comment.Multiline


def _block_comment(
    lexer: RustScanLexer, match: re.Match[str], ctx: LexerContext
) -> Iterator[tuple[int, _TokenType, str]]:
    start = match.start()
    end, ttype = block_comment_end(ctx.text, start)
    ctx.pos = end
    yield start, ttype, ctx.text[start:end]


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
            (r'[bc]?r(?P<hashes>#*)"(?s:.*?)"(?P=hashes)', String),
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


_LEXER = RustScanLexer()


def lex(text: str) -> Iterator[tuple[int, _TokenType, str]]:
    """Yield ``(offset, token type, text)`` covering ``text`` exactly, whitespace included.

    This is Pygments' own rule loop over ``RustScanLexer.tokens``: the reference behaviour.
    """
    return _LEXER.get_tokens_unprocessed(text)


def _compile_master() -> tuple[re.Pattern[str], dict[str, _TokenType | None]]:
    """One alternation of the root rules, in table order, each rule its own named group.

    Python's alternation takes the first alternative that matches at a position, which is exactly
    how Pygments picks the first matching rule, so the tokens are the same (a test holds that).
    Leading whitespace is folded into each match because the scanner never looks at it.
    """
    parts: list[str] = []
    type_of: dict[str, _TokenType | None] = {}
    for idx, rule in enumerate(RustScanLexer.tokens["root"]):
        regex, action = rule[0], rule[1]
        if action is Text.Whitespace:
            continue
        name = f"r{idx}"
        parts.append(f"(?P<{name}>{regex})")
        type_of[name] = action if isinstance(action, _TokenType) else None
    return re.compile(r"\s*(?:" + "|".join(parts) + ")"), type_of


_MASTER, _TYPE_OF = _compile_master()
_WS_RUN = re.compile(r"\s*")


def significant_tokens(text: str) -> tuple[list[_TokenType], list[int], list[str]]:
    """Every token but whitespace, as parallel lists of type, offset and text.

    The scanner's hot path: the same tokens ``lex`` yields (whitespace dropped), found with one
    regular-expression match per token instead of one attempt per rule.
    """
    types: list[_TokenType] = []
    starts: list[int] = []
    texts: list[str] = []
    match = _MASTER.match
    type_of = _TYPE_OF
    pos = 0
    n = len(text)
    while pos < n:
        m = match(text, pos)
        if m is None:
            # Trailing whitespace, or a character no rule takes (Pygments yields it as Error).
            at = _WS_RUN.match(text, pos).end()  # type: ignore[union-attr]
            if at >= n:
                break
            types.append(Error)
            starts.append(at)
            texts.append(text[at])
            pos = at + 1
            continue
        group = m.lastgroup
        ttype = type_of[group]  # type: ignore[index]
        start = m.start(group)
        if ttype is None:  # `/*`: the nested block comment
            pos, ttype = block_comment_end(text, start)
        else:
            pos = m.end()
        types.append(ttype)
        starts.append(start)
        texts.append(text[start:pos])
    return types, starts, texts
