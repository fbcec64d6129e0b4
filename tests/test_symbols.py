"""`use` declarations read from a file's scan: the tokens the scan holds for a declaration are the
tokens of its text read alone, so ``use_map`` may take them from the scan (and skip reading the
text again) and still mean the same names."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import corpus_files

from svixbt import symbols
from svixbt.scanner import scan_text
from svixbt.symbols import parse_use, use_map
from svixbt.tokens import significant_tokens

ROOT = Path(__file__).resolve().parents[1]
OWN = [ROOT / "svixbt" / "data" / "sample_cleaner.rs", *sorted(ROOT.glob("tests/fixtures/**/*.rs"))]

EDGES = [
    "use a::b;\nfn f() {}\n",
    '/// doc\n#[cfg(feature = "x")]\n// attached\npub(crate) use a::{b as c, d::{self, e}};\n',
    "#![allow(x)]\nuse a::b /* c */ ::d;\n",
    "use r#type::r#fn as b;\nfn f() { use x::y; y(b'a'); }\n",
    "use a::*; use ::std::io::{self, Write as _};",
]


def check(text: str) -> int:
    scan = scan_text(text)
    for u in scan.uses:
        k = scan.token_range(u.start, u.end)
        codes, _, texts = significant_tokens(u.text)
        assert (scan.codes[k.start : k.stop], scan.texts[k.start : k.stop]) == (codes, texts), (
            u.text
        )
    symbols._PARSED.clear()
    from_scan = use_map(scan.uses, scan)
    symbols._PARSED.clear()
    assert from_scan == use_map(scan.uses)
    return len(scan.uses)


@pytest.mark.parametrize("text", EDGES, ids=range(len(EDGES)))
def test_declaration_tokens_from_the_scan_on_edges(text: str) -> None:
    assert check(text)


def test_declaration_tokens_from_the_scan_on_own_files_and_corpus() -> None:
    files = OWN + corpus_files()[::3]
    assert sum(check(f.read_text(encoding="utf-8", errors="replace")) for f in files) > 20


def test_parse_use_is_remembered_and_the_same_either_way() -> None:
    symbols._PARSED.clear()
    text = "use a::{b as c, d};"
    first = parse_use(text)
    assert first == [("c", "a::b"), ("d", "a::d")]
    assert text in symbols._PARSED
    assert parse_use(text) == first
