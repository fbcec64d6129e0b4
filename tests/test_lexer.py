"""The fast lexer path against Pygments' own rule loop over ``RustScanLexer.tokens``.

``significant_tokens`` finds tokens with one ``re.split`` over an alternation of the table's rules
and tells their kinds from their text; these tests hold it to exactly what ``lex`` (Pygments'
``get_tokens_unprocessed``) yields, whitespace dropped: same offsets, same texts, and codes equal
to ``code_of_type`` of Pygments' token types.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pygments.token import Comment, Error, Name
from support import corpus_files, require_corpus

from svixbt import tokens
from svixbt.lexer import (
    DOC_INNER,
    DOC_OUTER,
    RustScanLexer,
    block_comment_end,
    code_of_type,
    lex,
    significant_tokens,
)

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "tests" / "fixtures").glob("*.rs")) + sorted(
    (ROOT / "svixbt" / "data").glob("*.rs")
)


def reference(text: str) -> tuple[list[str], list[int], list[str]]:
    """Pygments' loop, whitespace dropped, in ``significant_tokens``' shape."""
    codes: list[str] = []
    starts: list[int] = []
    texts: list[str] = []
    for offset, ttype, value in lex(text):
        if value.isspace():
            continue
        codes.append(code_of_type(ttype))
        starts.append(offset)
        texts.append(value)
    return codes, starts, texts


def assert_same(text: str) -> None:
    want = reference(text)
    got = significant_tokens(text)
    # Huge texts are lexed in pieces, or one match at a time: the very same tokens either way.
    assert tokens._tokens_streaming(text) == (got[1], got[2])
    for size in (3, 4, 5, 6, 7, 11, 64) if len(text) < 2000 else (257, 4096):
        assert tokens._tokens_pieces(text, size) == (got[1], got[2]), size
    if got != want:
        # Point at the first difference rather than dumping two long lists.
        for k, (g, w) in enumerate(
            zip(zip(*got, strict=True), zip(*want, strict=True), strict=False)
        ):
            assert g == w, f"token {k}: fast {g!r} != pygments {w!r}"
        assert len(got[0]) == len(want[0]), "token counts differ"


def test_lex_covers_text_exactly() -> None:
    text = 'fn main() { let s = r#"}"#; /* /* */ */ }\n'
    pieces = list(lex(text))
    assert "".join(v for _, _, v in pieces) == text
    assert [o for o, _, _ in pieces] == [
        sum(len(v) for _, _, v in pieces[:k]) for k in range(len(pieces))
    ]


def test_lexer_is_a_pygments_lexer() -> None:
    assert RustScanLexer.tokens["root"], "the token table is the lexer's definition"
    types = {t for _, t, _ in RustScanLexer().get_tokens_unprocessed("/// d\nfn f() {}")}
    assert DOC_OUTER in types and Name in types


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_fast_path_matches_pygments_on_fixtures(path: Path) -> None:
    assert_same(path.read_text(encoding="utf-8"))


def test_fast_path_matches_pygments_on_corpus_sample() -> None:
    require_corpus()
    files = corpus_files()
    assert len(files) > 100
    for path in random.Random(20240601).sample(files, 100):
        text = path.read_bytes().decode("utf-8", "replace").removeprefix("\ufeff")
        assert_same(text)


EDGES = [
    "",
    "   \n\t ",
    "fn",
    "b'",  # `b` before `'` with no char literal: a lone Error letter
    "c'x'",  # `c'` is never a C-string prefix for chars: Error `c`, then the char
    "b'ab' b c",
    'b\'{\' br"}" c"{" cr#"}"#',
    "/* /* */ x */ y /* a */",
    "/* /* */",  # nested, unterminated
    "/*/",
    "/**/ /***/ /** doc */ /*! inner */",
    "/*/*/ */ */ z",
    "/* a */ b */ c",  # a closer with no opener is code, not more comment
    "x /* /* */ */ /* /* */ */ q",
    "/* a */ /* b",
    "#!/usr/bin/env run\nfn",
    "#![allow(x)]",
    "  #!/not/a/shebang",
    "x\n#!a\ny\nz",  # a piece starting at `#!` must not see a shebang there
    '#"abc',  # `#"` starts an unterminated raw-ish string (the Error rule)
    'r#"a"# r#type r# r#1 r"x" r##"a"#"##',
    "'a' 'a 'static '\\'' ' '\\\\' '\\n'",
    "'\\u{1F600}' '\\x41' b'\\n' '{' '}'",
    "\\ ` ☃ é ١٢ ² ß_ñ",
    '"abc\\"',
    '"unterminated { string',
    'r#"unterminated raw',
    "1.0 1..2 1.x 0x1F 1e5 2.max(1)",
    ":: -> => ..= .. ::<>",
    "/// outer\n//! inner\n//// plain\n// plain",
    "a\r\nb\r\n",
    "a/b//c\n/",
    "#!",
    "'",
    "\u00a0x\u2028y\x85z",
]


@pytest.mark.parametrize("text", EDGES, ids=range(len(EDGES)))
def test_fast_path_matches_pygments_on_edges(text: str) -> None:
    assert_same(text)


def test_codes_of_known_tokens() -> None:
    codes, _, texts = significant_tokens(
        "/// d\n//! i\n// c\nfn f<'a>() { 'x'; \"s\"; 1; '\\'' }\n/* /* n */ */"
    )
    assert list(zip(texts, codes, strict=True)) == [
        ("/// d", "d"),
        ("//! i", "i"),
        ("// c", "c"),
        ("fn", "n"),
        ("f", "n"),
        ("<", "p"),
        ("'a", "l"),
        (">", "p"),
        ("(", "p"),
        (")", "p"),
        ("{", "p"),
        ("'x'", "s"),
        (";", "p"),
        ('"s"', "s"),
        (";", "p"),
        ("1", "p"),
        (";", "p"),
        ("'\\''", "s"),
        ("}", "p"),
        ("/* /* n */ */", "c"),
    ]


def test_block_comment_end_nests_and_types() -> None:
    assert block_comment_end("/* /* */ */x", 0) == (11, Comment.Multiline)
    assert block_comment_end("/** d */", 0) == (8, DOC_OUTER)
    assert block_comment_end("/*! i */", 0) == (8, DOC_INNER)
    assert block_comment_end("/**/", 0) == (4, Comment.Multiline)
    assert block_comment_end("/*** x */", 0) == (9, Comment.Multiline)
    assert block_comment_end("/* /* */", 0) == (8, Error)


# Rust-ish text: the pieces the lexer has to be careful about, glued at random.
PIECES = [
    'r#"', '"#', 'r"', "br#", "b'", "c'", 'c"', '"', "'", "'a", "'static", "'\\''", "'{'",
    "/*", "*/", "/**", "/*!", "//", "///", "//!", "\n", "\r\n", " ", "\t", "{", "}", "(", ")",
    "[", "]", "#", "#!", "#![", "!", "\\", "\\\\", "\\\"", "::", "->", "=>", ".", "..", "1",
    "0x1f", "1.5", "fn", "r", "b", "c", "br", "r#type", "_", "é", "☃", "٣", "\u00a0", "x",
    "union", "use", "*", "/",
]  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_fast_path_matches_pygments_on_random_pieces(pieces: list[str]) -> None:
    assert_same("".join(pieces))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("rbc#\"'/*!{}\\ \nxé1.")), max_size=60))
def test_fast_path_matches_pygments_on_random_chars(text: str) -> None:
    assert_same(text)


@pytest.mark.parametrize("size", [1, 10, 100, 1000])
def test_huge_text_is_lexed_in_pieces(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    text = "\n".join(path.read_text(encoding="utf-8") for path in SOURCES)
    whole = significant_tokens(text)
    monkeypatch.setattr(tokens, "SPLIT_MAX_CHARS", size)
    assert significant_tokens(text) == whole == reference(text)


def test_piece_cut_never_splits_a_long_token() -> None:
    # A string and a comment much longer than a piece, with line starts inside them.
    text = (
        'fn a() {}\nconst S: &str = "'
        + "x {\n" * 50
        + '";\n/* /* */\n'
        + "y\n" * 50
        + "*/\nfn b() {}\n"
    )
    assert tokens._tokens_pieces(text, 16) == tuple(reference(text)[1:])
