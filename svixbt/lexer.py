"""A Pygments lexer for Rust, tuned for slicing items rather than for colouring them.

The stock ``pygments.lexers.rust.RustLexer`` is exact about colours but costs about three times as
much per byte, and it splits nested block comments and doc comments into pieces the scanner would
have to glue back together. This lexer keeps the token classes the scanner needs and nothing more:
each comment and each string is one token, so braces inside them can never unbalance a scan.

Its rules are ``tokens.TABLE``; this module gives each rule's kind a Pygments token type. It is
the reference behaviour: the scanner reads tokens through ``tokens.significant_tokens``, one
``re.split`` over the same table without Pygments, and tests/test_lexer.py holds the two equal.

Token types are ordinary Pygments types, so the lexer also works with any Pygments formatter.
Unterminated strings and comments run to the end of the text as one ``Error`` token; the scanner
turns that into a reported problem instead of a crash.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import ClassVar

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

from . import tokens
from .tokens import TABLE, significant_tokens

__all__ = [
    "RustScanLexer",
    "lex",
    "significant_tokens",
    "block_comment_end",
    "code_of_type",
    "CODE_OF_TYPE",
    "TYPE_OF_KIND",
    "DOC_OUTER",
    "DOC_INNER",
]

# Outer doc comments attach to the item that follows; inner ones belong to the enclosing module.
DOC_OUTER = String.Doc
DOC_INNER = Comment.Special

# The Pygments type of each kind of ``tokens.TABLE`` (a block comment's type is decided by
# ``block_comment_end``).
TYPE_OF_KIND: dict[str, _TokenType] = {
    "whitespace": Text.Whitespace,
    "name": Name,
    "punctuation": Punctuation,
    "comment": Comment.Single,
    "block_comment": Comment.Multiline,
    "doc_outer": DOC_OUTER,
    "doc_inner": DOC_INNER,
    "operator": Operator,
    "string": String,
    "char": String.Char,
    "label": Name.Label,
    "number": Number,
    "hashbang": Comment.Hashbang,
    "error": Error,
}

# The type of a block comment by its code, as ``tokens.block_comment_end`` tells it.
_BLOCK_TYPE = {"c": Comment.Multiline, "d": DOC_OUTER, "i": DOC_INNER, "e": Error}


def block_comment_end(text: str, start: int) -> tuple[int, _TokenType]:
    """End offset and token type of the (possibly nested) block comment opening at ``start``.

    Rust block comments nest, which no regular expression can match, so the depth is counted.
    An unterminated comment runs to the end of the text as an ``Error`` token.
    """
    end, code = tokens.block_comment_end(text, start)
    return end, _BLOCK_TYPE[code]


def _block_comment(
    lexer: RustScanLexer, match: re.Match[str], ctx: LexerContext
) -> Iterator[tuple[int, _TokenType, str]]:
    start = match.start()
    end, ttype = block_comment_end(ctx.text, start)
    ctx.pos = end
    yield start, ttype, ctx.text[start:end]


_Action = _TokenType | Callable[..., Iterator[tuple[int, _TokenType, str]]]


def _action(kind: str) -> _Action:
    return _block_comment if kind == "block_comment" else TYPE_OF_KIND[kind]


class RustScanLexer(ExtendedRegexLexer):
    """Rust lexer whose tokens are whole comments, strings, identifiers and single punctuation."""

    name = "Rust (svixbt scanner)"
    aliases = ["rust-scan"]
    filenames: ClassVar[Sequence[str]] = []
    # No MULTILINE: `^` then means the start of the text, which is where a shebang may stand.
    flags = re.RegexFlag(0)

    # Pygments tries the rules in turn, in the table's order.
    tokens = {"root": [(regex, _action(kind)) for regex, kind in TABLE]}


# Token codes the scanner and the rule layers work with: one character per significant token.
CODE_OF_TYPE: dict[_TokenType, str] = {
    TYPE_OF_KIND[kind]: code for kind, code in tokens.CODE_OF_KIND.items()
}


def code_of_type(ttype: _TokenType) -> str:
    """The one-character code of a token type; every other type (punctuation, numbers) is ``p``."""
    return CODE_OF_TYPE.get(ttype, "p")


_LEXER: RustScanLexer | None = None


def lex(text: str) -> Iterator[tuple[int, _TokenType, str]]:
    """Yield ``(offset, token type, text)`` covering ``text`` exactly, whitespace included.

    This is Pygments' own rule loop over ``RustScanLexer.tokens``: the reference behaviour, which
    ``significant_tokens`` reproduces faster (tests/test_lexer.py holds the two equal).
    """
    global _LEXER
    if _LEXER is None:  # built on first use: compiling the table costs start-up time
        _LEXER = RustScanLexer()
    return _LEXER.get_tokens_unprocessed(text)
