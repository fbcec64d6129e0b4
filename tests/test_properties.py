"""Property tests: random and mutated Rust through the lexer, the scanner and `generate`.

No input may raise, and the scanner's spans always obey SPEC (inside the text, properly nested,
opening on an attribute, doc or keyword and ending with `}` or `;`). The invariants are stated once,
in fuzz/fuzz_scanner.py, and shared with the atheris target.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from svixbt.generate import generate
from svixbt.lexer import lex
from svixbt.records import manifest_path_for, read_jsonl, split_assistant

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "fuzz"))
from fuzz_scanner import check_scan, check_tokens  # noqa: E402


def _corpus_seeds(limit: int = 40, max_bytes: int = 40_000) -> list[Path]:
    """A fixed, spread-out sample of real crate files from `make corpus`, when present.

    Mutating real code that nobody here wrote reaches shapes our own fixtures do not have.
    """
    files = sorted(p for p in (ROOT / "corpus").rglob("*.rs") if p.stat().st_size <= max_bytes)
    step = max(1, len(files) // limit)
    return files[::step][:limit]


SEEDS = [
    ROOT / "svixbt" / "data" / "sample_cleaner.rs",
    *sorted((ROOT / "tests" / "fixtures").glob("*.rs")),
    *_corpus_seeds(),
]
SEED_TEXTS = [p.read_text(encoding="utf-8", errors="replace") for p in SEEDS]

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


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(mutated(), rust_ish))
def test_generate_never_raises_and_writes_exact_slices(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "input.rs"
        src.write_bytes(text.encode("utf-8"))
        out = Path(tmp) / "out.jsonl"
        rep = generate([src], out, with_crate=False)
        recs = read_jsonl(out)
        assert len(recs) == rep.written
        raw = src.read_bytes()
        for rec, row in zip(recs, read_jsonl(manifest_path_for(out)), strict=True):
            parts = split_assistant(rec["messages"][2]["content"])
            assert parts is not None
            for s in row["slices"]:
                if "start_byte" in s:
                    assert raw[s["start_byte"] : s["end_byte"]].decode("utf-8") in parts[1]


@pytest.mark.parametrize("text", ["fn s{)", "fn a() {}\nfn s{ x) }\nfn b() {}\n", "fn s() { ] }"])
def test_mismatched_closer_does_not_end_a_body(text: str) -> None:
    check_scan(text)
