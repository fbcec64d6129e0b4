"""Rust tokens for the scanner, fast: the token table, and one ``re.split`` over it.

The table (``TABLE``) is the lexer's definition: ``lexer.RustScanLexer``, a Pygments lexer, is
built from it and is the reference behaviour (tests/test_lexer.py holds ``significant_tokens``
equal to it). This module imports no Pygments: `items` runs in loops, where start-up counts, and
the scanner needs nothing of Pygments but the rules themselves.

Token kinds are plain names here; ``lexer.TYPE_OF_KIND`` gives the Pygments type of each. The
scanner and the rule layers see one-character codes (``CODE_OF_KIND``).
"""

from __future__ import annotations

import re
from itertools import accumulate, compress
from operator import add

__all__ = [
    "TABLE",
    "CODE_OF_KIND",
    "code_of_kind",
    "block_comment_end",
    "significant_tokens",
]

_BLOCK_EDGE = re.compile(r"/\*|\*/")

# Rules the fast path also needs on their own (to tell a token's kind from its text).
_PUNCT_RX = r"::|->|=>|[{}()\[\];,.:!<>=&|*+\-%^?@~$]"
_STRING_RX = r'[bc]?"[^"\\]*(?:\\(?s:.)[^"\\]*)*"'
_RAW_STRING_RX = r'[bc]?r(?P<hashes>#*)"(?s:.*?)"(?P=hashes)'
_CHAR_RX = r"b?'(?:[^'\\\n]|\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F_]{1,8}\}|.))'"
_LABEL_RX = r"'(?:r#)?[^\W\d]\w*"

# (regex, kind), tried in this order at each position; the first that matches makes the token.
# Ordered by how often a rule fires on real Rust, because Pygments tries them in turn. No
# MULTILINE: `^` means the start of the text, which is where a shebang may stand. A block comment
# (``/*``) is matched by counting, since Rust's nest (``block_comment_end``).
TABLE: tuple[tuple[str, str], ...] = (
    (r"\s+", "whitespace"),
    # Identifiers and keywords, unless they prefix a string (`b"`, `r#"`, `c"`) or are raw.
    (r"""(?![bc]r?#*"|r#*"|[bc]'|r#[^\W\d])[^\W\d]\w*""", "name"),
    (_PUNCT_RX, "punctuation"),
    (r"////[^\n]*", "comment"),
    (r"///[^\n]*", "doc_outer"),
    (r"//![^\n]*", "doc_inner"),
    (r"//[^\n]*", "comment"),
    (r"/\*", "block_comment"),
    (r"/", "operator"),
    (_STRING_RX, "string"),
    (_RAW_STRING_RX, "string"),
    (r'[bc]?r?#*"(?s:.*)', "error"),  # unterminated string: the rest of the file
    (r"r#[^\W\d]\w*", "name"),
    (_CHAR_RX, "char"),
    (_LABEL_RX, "label"),  # lifetimes and loop labels
    (r"\d\w*(?:\.(?![.\D])\w*)?", "number"),
    (r"^#!(?!\s*\[)[^\n]*", "hashbang"),
    (r"#", "punctuation"),
    (r"'", "error"),
)

# Token codes the scanner and the rule layers work with: one character per significant token.
CODE_OF_KIND: dict[str, str] = {
    "name": "n",
    "label": "l",
    "string": "s",
    "char": "s",
    "comment": "c",
    "block_comment": "c",
    "hashbang": "c",
    "doc_outer": "d",
    "doc_inner": "i",
    "error": "e",
}


def code_of_kind(kind: str) -> str:
    """The one-character code of a token kind; every other kind (punctuation, numbers) is ``p``."""
    return CODE_OF_KIND.get(kind, "p")


def block_comment_end(text: str, start: int) -> tuple[int, str]:
    """End offset and code of the (possibly nested) block comment opening at ``start``.

    Rust block comments nest, which no regular expression can match, so the depth is counted.
    An unterminated comment runs to the end of the text as an error token (``e``); otherwise the
    code is ``d`` for an outer doc comment, ``i`` for an inner one, ``c`` for a plain one.
    """
    depth = 1
    pos = start + 2
    while depth:
        edge = _BLOCK_EDGE.search(text, pos)
        if edge is None:
            return len(text), "e"
        depth += 1 if edge.group() == "/*" else -1
        pos = edge.end()
    # `/**/` and `/***...` are plain comments in Rust; `/**` is an outer doc, `/*!` an inner one.
    if text.startswith("/**", start) and not text.startswith(("/***", "/**/"), start):
        return pos, "d"
    if text.startswith("/*!", start):
        return pos, "i"
    return pos, "c"


# -- the fast path ---------------------------------------------------------------------------------
#
# ``re.findall`` over one alternation of the table's rules (in table order, so the first rule that
# matches wins, exactly as in Pygments' loop) finds every token in C. Each match is
# ``(leading whitespace, token, raw-string hashes)``; offsets come back from the lengths, and a
# token's code is a function of its text alone (one exception, below), so codes come from a cache.
#
# Block comments nest, which a regular expression cannot follow. The alternation matches a block
# comment only when it holds no nested `/*`; otherwise a fallback alternative swallows the rest of
# the text, the comment's true end is counted by ``block_comment_end``, and matching resumes there.

_BLOCK_FLAT = r"/\*[^*/]*(?:(?:\*(?!/)|/(?!\*))[^*/]*)*\*/"


def _compile_fast() -> re.Pattern[str]:
    parts: list[str] = []
    for regex, kind in TABLE:
        if kind == "whitespace":
            continue
        if kind == "block_comment":
            parts.append(_BLOCK_FLAT)
            parts.append(r"/\*(?s:.*)")  # nested (or unterminated): resolved by counting
        else:
            parts.append(regex)
    # No rule takes the character: Pygments yields it alone as an Error token.
    parts.append(r"\S")
    # Two alternatives up front, for speed; they take exactly what the table's rules would.
    # Punctuation (half of all tokens) can only be preceded by the identifier rule, whose first
    # characters it never shares, so trying it first changes no match. An identifier whose first
    # letter is not b, c or r can be no string prefix, so it needs none of the identifier rule's
    # look-ahead (the rule itself stays, for the letters that do). A token is never followed by
    # anything inside the match, so possessive repeats (no backtracking) change no match either.
    assert parts[1] == _PUNCT_RX
    fast = [_PUNCT_RX, r"[ad-qs-zA-Z_]\w*+", parts[0], *parts[2:]]
    return re.compile(r"(\s*+)(" + "|".join(fast) + ")")


_FAST = _compile_fast()
_PUNCT = re.compile(_PUNCT_RX)
_NAME = re.compile(r"[^\W\d]\w*")
_RAW_IDENT = re.compile(r"r#[^\W\d]\w*")
_CHAR = re.compile(_CHAR_RX)
_LABEL = re.compile(_LABEL_RX)
_STRING = re.compile(_STRING_RX)
_RAW_STRING = re.compile(_RAW_STRING_RX)


def _code_of_text(t: str) -> str:
    """The code of a token, from its text: which rule of the table produced it.

    A rule's match never depends on text after it (the one look-ahead that could, the identifier
    rule's, is handled by the caller), so the first rule that matches the whole token is the rule
    that produced it; an unterminated string or comment, which runs to the end of the text, never
    matches its terminated form.
    """
    c = t[0]
    if _NAME.fullmatch(t) or _RAW_IDENT.fullmatch(t):
        return "n"
    if c == "/":
        if t.startswith("/*"):
            return block_comment_end(t, 0)[1]
        if t.startswith("////"):
            return "c"
        if t.startswith("///"):
            return "d"
        if t.startswith("//!"):
            return "i"
        return "c" if t.startswith("//") else "p"
    if c == "'" or (c == "b" and t.startswith("b'")):
        if _CHAR.fullmatch(t):
            return "s"
        return "l" if _LABEL.fullmatch(t) else "e"
    if c == "#":
        if t == "#":
            return "p"
        return "c" if t.startswith("#!") else "e"  # a shebang, or `#"` running unterminated
    if c.isdecimal():
        return "p"  # a number
    if _PUNCT.fullmatch(t):
        return "p"
    if '"' in t:
        return "s" if _STRING.fullmatch(t) or _RAW_STRING.fullmatch(t) else "e"
    return "e"  # a character no rule takes


class _CodeCache(dict[str, str]):
    def __missing__(self, t: str) -> str:
        code = _code_of_text(t)
        if len(t) <= 64 and len(self) < 200_000:
            self[t] = code
        return code


_CODES = _CodeCache()
_BC_NAME = ("b", "c")


# Texts longer than this are split in pieces of about this size: one `split` of a whole 50 MB file
# would hold four list entries (and a whitespace string) per token at once.
SPLIT_MAX_CHARS = 1_000_000


def significant_tokens(text: str) -> tuple[list[str], list[int], list[str]]:
    """Every token but whitespace, as parallel lists of code, offset and text.

    Tokens and offsets are those ``lexer.lex`` (Pygments' loop over the same table) yields,
    whitespace dropped, and each code is that of the kind of rule that made the token;
    tests/test_lexer.py holds them equal.
    """
    if len(text) > SPLIT_MAX_CHARS:
        starts, texts = _tokens_pieces(text, SPLIT_MAX_CHARS)
    else:
        starts, texts = _tokens_split(text)
    codes = list(map(_CODES.__getitem__, texts))
    if "b'" in text or "c'" in text:
        # `b` or `c` right before `'` is never an identifier (the rule's look-ahead forbids it);
        # when no char literal follows, Pygments yields the letter alone as an Error token.
        for i in compress(range(len(texts)), map(_BC_NAME.__contains__, texts)):
            if text.startswith("'", starts[i] + 1):
                codes[i] = "e"
    return codes, starts, texts


def _tokens_pieces(text: str, size: int) -> tuple[list[int], list[str]]:
    """``_tokens_split`` over pieces of about ``size`` characters, for texts too big for one.

    A piece is lexed on its own, then cut at the last token that starts a line (and is not a `#`,
    which at a piece's start could pass for a shebang): every token before the cut is exact, since
    a match that looked past the piece's end either ran to that end itself (unterminated strings,
    comments, long words) or looked through a run (`b###…`, `r#`) that holds no newline, so no
    cut can follow it. The next piece starts at the cut. A piece with no such cut (one token
    longer than the piece) goes on one match at a time.
    """
    n = len(text)
    starts: list[int] = []
    texts: list[str] = []
    pos = 0
    while True:
        if n - pos <= size:
            piece_starts, piece_texts = _tokens_split(text[pos:] if pos else text)
            starts.extend(map(pos.__add__, piece_starts))
            texts.extend(piece_texts)
            return starts, texts
        piece = text[pos : pos + size]
        piece_starts, piece_texts = _tokens_split(piece)
        k = len(piece_starts) - 1
        while k > 0:
            cut = piece_starts[k]
            if piece[cut - 1] == "\n" and piece[cut] != "#":
                break
            k -= 1
        if k <= 0:
            more_starts, more_texts = _tokens_streaming(text, pos)
            starts.extend(more_starts)
            texts.extend(more_texts)
            return starts, texts
        starts.extend(map(pos.__add__, piece_starts[:k]))
        texts.extend(piece_texts[:k])
        pos += piece_starts[k]


def _tokens_streaming(text: str, pos: int = 0) -> tuple[list[int], list[str]]:
    """Offsets and texts of the tokens from ``pos`` on, one match at a time (bounded memory)."""
    starts: list[int] = []
    texts: list[str] = []
    push_start, push_text = starts.append, texts.append
    while True:
        resume = -1
        for m in _FAST.finditer(text, pos):
            at = m.start(2)
            tok = m.group(2)
            if tok.startswith("/*"):
                end, _ = block_comment_end(text, at)
                if end != m.end():  # the fallback swallowed more than the nested comment
                    push_start(at)
                    push_text(text[at:end])
                    resume = end
                    break
            push_start(at)
            push_text(tok)
        if resume < 0:
            return starts, texts
        pos = resume


def _tokens_split(text: str) -> tuple[list[int], list[str]]:
    """Offsets and texts of the tokens, found by one ``split`` (fast; memory grows with text)."""
    # `split` with the two capturing groups gives ["", ws, token, hashes, "", ws, ...]: every
    # character is either whitespace or taken by some alternative, so nothing lies between matches.
    parts = _FAST.split(text)
    ws = parts[1::4]
    texts = parts[2::4]
    if not texts:
        return [], []
    lengths = map(add, map(len, ws), map(len, texts))
    starts = list(map(add, accumulate(lengths, initial=0), map(len, ws)))
    last = texts[-1]
    if last.startswith("/*"):
        # Possibly the fallback that swallowed the rest of the text: count the comment's true end
        # and go on from there (with `findall`, whose `pos` keeps `^` meaning the text's start).
        at = starts[-1]
        pos, _ = block_comment_end(text, at)
        while pos != at + len(last):
            texts[-1] = last = text[at:pos]
            found = _FAST.findall(text, pos)
            if not found:
                break
            more_ws, more, _ = zip(*found, strict=True)
            lengths = map(add, map(len, more_ws), map(len, more))
            starts.extend(map(add, accumulate(lengths, initial=pos), map(len, more_ws)))
            texts.extend(more)
            last = texts[-1]
            if not last.startswith("/*"):
                break
            at = starts[-1]
            pos, _ = block_comment_end(text, at)
    return starts, texts
