"""Property tests: random and mutated Rust through the lexer, the scanner and `generate`.

No input may raise, and the scanner's spans always obey SPEC (inside the text, properly nested,
opening on an attribute, doc or keyword and ending with `}` or `;`). The invariants are stated once,
in fuzz/fuzz_scanner.py, and shared with the atheris target.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from svixbt.generate import generate
from svixbt.lexer import lex
from svixbt.records import manifest_path_for, read_jsonl, split_assistant

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "fuzz"))
from fuzz_scanner import check_scan, check_tokens  # noqa: E402
from support import assert_code_is_slices, corpus_files, require_corpus  # noqa: E402

CORPUS_SEEDS = 40


def _corpus_seeds(limit: int = CORPUS_SEEDS, max_bytes: int = 40_000) -> list[Path]:
    """A fixed, spread-out sample of real crate files from `make corpus`, when present.

    Mutating real code that nobody here wrote reaches shapes our own fixtures do not have.
    """
    files = [p for p in corpus_files() if p.stat().st_size <= max_bytes]
    step = max(1, len(files) // limit)
    return files[::step][:limit]


OWN_SEEDS = [
    ROOT / "svixbt" / "data" / "sample_cleaner.rs",
    *sorted((ROOT / "tests" / "fixtures").glob("*.rs")),
]
SEEDS = [*OWN_SEEDS, *_corpus_seeds()]
SEED_TEXTS = [p.read_text(encoding="utf-8", errors="replace") for p in SEEDS]
OWN_TEXTS = [p.read_text(encoding="utf-8") for p in OWN_SEEDS]


def test_property_seeds_include_the_corpus() -> None:
    # Without the corpus the property tests below still run, on our own files alone; this is the
    # test that says so (a skip, or a failure under SVIXBT_REQUIRE_CORPUS=1).
    corpus = require_corpus()
    from_corpus = [p for p in SEEDS if corpus in p.parents]
    assert len(from_corpus) == CORPUS_SEEDS
    assert len({p.parent for p in from_corpus}) > 10, "seeds should be spread over the corpus"


# Fragments that matter to a brace-balancing scanner: brackets, quotes, comment and raw-string
# openers and closers, item keywords, attributes, and line endings of both kinds.
FRAGMENTS = [
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ";",
    ",",
    ":",
    "::",
    "<",
    ">",
    "->",
    "=>",
    "!",
    "#",
    "#[",
    "#![",
    '"',
    "'",
    "\\",
    "/",
    "*",
    "/*",
    "*/",
    "//",
    "///",
    "//!",
    "/**",
    'r"',
    'r#"',
    '"#',
    "r##",
    "b'",
    'b"',
    'c"',
    "'a",
    "'static",
    "'x'",
    "' '",
    "fn",
    "pub",
    "pub(crate)",
    "async",
    "unsafe",
    "struct",
    "enum",
    "impl",
    "trait",
    "mod",
    "type",
    "const",
    "static",
    "macro_rules!",
    "use",
    "extern",
    "where",
    "loop",
    "let",
    "x",
    "S",
    "1",
    "0x1F",
    " ",
    "\t",
    "\n",
    "\r\n",
    "é",
    "💥",
    "#[test]",
    "#[cfg(test)]",
    "fn f() {}",
    "impl S {",
    "mod m {",
    "/// doc\n",
    "self",
    "r#fn",
]
MUTANTS = ["{", "}", '"', "'", "/*", "*/", 'r#"', "//", "(", ")", "\n", "#", ";", "\r\n"]

rust_ish = st.lists(st.sampled_from(FRAGMENTS), max_size=80).map("".join)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A seed file with spans deleted, duplicated or spliced with bracket and quote characters."""
    text = draw(st.sampled_from(SEED_TEXTS))
    for _ in range(draw(st.integers(1, 6))):
        n = len(text)
        a = draw(st.integers(0, n))
        b = draw(st.integers(a, min(n, a + draw(st.integers(0, 400)))))
        op = draw(st.sampled_from(["delete", "duplicate", "insert", "move"]))
        if op == "delete":
            text = text[:a] + text[b:]
        elif op == "duplicate":
            text = text[:b] + text[a:b] + text[b:]
        elif op == "insert":
            text = text[:a] + draw(st.sampled_from(MUTANTS)) * draw(st.integers(1, 3)) + text[a:]
        else:
            at = draw(st.integers(0, n - (b - a)))
            rest = text[:a] + text[b:]
            text = rest[:at] + text[a:b] + rest[at:]
    return text


random_bytes_text = st.binary(max_size=2000).map(lambda b: b.decode("utf-8", errors="replace"))
any_text = st.one_of(rust_ish, mutated(), random_bytes_text, st.text(max_size=300))

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(any_text)
@example("fn a() {}\nfn b() {")
@example('fn a() {}\nfn b() { r#"x')
@example("fn a() {}\n/* /* */")
@example("}}}fn a() {}")
@example("\ufefffn a() {}")
@example("fn s{)")  # mismatched closers: what they do is pinned in test_scanner.py
@example("fn a() {}\nfn s{ x) }\nfn b() {}\n")
@example("fn s() { ] }")
def test_scanner_spans_are_well_formed(text: str) -> None:
    check_scan(text)


@FAST
@given(any_text)
def test_significant_tokens_are_ordered_and_disjoint(text: str) -> None:
    check_tokens(text)


@settings(max_examples=60, deadline=None)
@given(st.one_of(rust_ish, mutated(), random_bytes_text))
def test_pygments_lexer_covers_the_text(text: str) -> None:
    # The reference lexer (the slow path `significant_tokens` is held equal to) never raises and
    # yields the whole text back, in order.
    pos = 0
    for start, _ttype, value in lex(text):
        assert start == pos
        pos += len(value)
    assert pos == len(text)


def _generate_exact(raw: bytes) -> int:
    """``generate`` one file of bytes ``raw``; every record's code must be exactly the slices its
    manifest row names. Returns the number of records written."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "input.rs"
        src.write_bytes(raw)
        out = Path(tmp) / "out.jsonl"
        rep = generate([src], out, with_crate=False)
        recs = read_jsonl(out)
        rows = read_jsonl(manifest_path_for(out))
        assert len(recs) == len(rows) == rep.written
        for rec, row in zip(recs, rows, strict=True):
            parts = split_assistant(rec["messages"][2]["content"])
            assert parts is not None
            assert_code_is_slices(parts[1], raw, row["slices"])
        return rep.written


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(mutated(), rust_ish))
def test_generate_never_raises_and_writes_exact_slices(text: str) -> None:
    # Most of these inputs are too damaged to hold a background task, so most write nothing; the
    # test below is the one where every input writes records.
    _generate_exact(text.encode("utf-8"))


@st.composite
def damaged_tail(draw: st.DrawFn) -> bytes:
    """One of our own files intact, then damage after its last item (random fragments or a
    mutated file), in LF or CRLF, with or without a BOM."""
    text = draw(st.sampled_from(OWN_TEXTS)) + "\n" + draw(st.one_of(rust_ish, mutated()))
    if draw(st.booleans()):
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    bom = b"\xef\xbb\xbf" if draw(st.booleans()) else b""
    return bom + text.encode("utf-8")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_tail())
def test_generate_writes_exact_slices_before_damage(raw: bytes) -> None:
    # Items that close before the damage are still found (SPEC, "Bad input"), so each of these
    # files writes records, and each record's code is exactly its manifest slices.
    assert _generate_exact(raw) > 0
