"""Atheris target for the scanner: any text in, no exception and well-formed spans out.

Run with `make fuzz` (FUZZ_SECONDS=600 by default). Bytes are decoded as UTF-8 with
errors='replace', because `read_source` refuses undecodable files before the scanner ever sees
them; what reaches `scan_text` is always a str.

`check_scan` is the one statement of the span invariants; tests/test_properties.py imports it so
the Hypothesis tests and the fuzzer cannot drift apart.
"""

from __future__ import annotations

import sys
from bisect import bisect_left

from svixbt.scanner import ITEM_KINDS, ScanResult, scan_text
from svixbt.tokens import significant_tokens

# Words that may open an item proper (its `keyword_start`): visibility, qualifiers, kinds.
_LEADS = frozenset(
    {*ITEM_KINDS, "pub", "async", "unsafe", "default", "auto", "safe", "extern", "macro_rules"}
)


def check_tokens(text: str) -> None:
    """Significant tokens: non-empty, increasing, inside the text and never overlapping."""
    codes, starts, texts = significant_tokens(text)
    assert len(codes) == len(starts) == len(texts)
    prev_end = 0
    for start, tok in zip(starts, texts, strict=True):
        assert tok, f"empty token at {start}"
        assert start >= prev_end, f"token at {start} overlaps the one ending at {prev_end}"
        assert text.startswith(tok, start), f"token {tok[:20]!r} is not the text at {start}"
        prev_end = start + len(tok)
    assert prev_end <= len(text)


def check_scan(text: str) -> ScanResult:
    """Scan ``text`` and assert SPEC's span invariants; return the result for further checks."""
    res = scan_text(text)
    starts = res.starts
    encoded = text.encode("utf-8", "surrogatepass")
    for it in res.items:
        assert 0 <= it.start <= it.keyword_start < it.end <= len(text), (it.kind, it.name)
        sl = text[it.start : it.end]
        # The slice is whole tokens: it opens on a token and ends on the closing `}` or `;`.
        assert sl.endswith(("}", ";")), f"{it.kind} {it.name} slice ends {sl[-10:]!r}"
        first = bisect_left(starts, it.start)
        assert first < len(starts) and starts[first] == it.start, f"{it.name}: start mid-token"
        code, tok = res.codes[first], res.texts[first]
        # First token: an outer attribute, a doc or attached comment, or the item's keyword.
        assert tok == "#" or code in "cd" or it.start == it.keyword_start, (it.name, tok)
        kw = bisect_left(starts, it.keyword_start)
        assert kw < len(starts) and starts[kw] == it.keyword_start, f"{it.name}: keyword mid-token"
        assert res.texts[kw] in _LEADS, f"{it.name}: item proper starts with {res.texts[kw]!r}"
        if it.body_start is not None:
            assert it.keyword_start < it.body_start < it.end and text[it.body_start] == "{"
        # Byte offsets are the same slice in the UTF-8 file (what `items --json` reports).
        assert encoded[it.start_byte : it.end_byte] == sl.encode("utf-8", "surrogatepass")
        assert it.start_line <= it.end_line
    # Spans nest: any two are disjoint or one contains the other, and parents contain children.
    items = res.items
    for i, a in enumerate(items):
        if a.parent is not None:
            p = items[a.parent]
            assert p.start <= a.start and a.end <= p.end, (p.name, a.name)
        for b in items[i + 1 :]:
            if b.start >= a.end:
                break  # sorted by start: no later item can overlap `a`
            assert b.end <= a.end, f"{a.kind} {a.name} and {b.kind} {b.name} partly overlap"
    for u in res.uses:
        assert 0 <= u.start < u.end <= len(text) and text[u.start : u.end] == u.text
    for p in res.problems:
        assert 0 <= p.byte <= len(text.encode("utf-8", "surrogatepass")) and p.line >= 1
    return res


def test_one_input(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    check_tokens(text)
    check_scan(text)


def main() -> None:
    import atheris  # only the fuzzer needs it; the tests import this module without it

    atheris.instrument_all()
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
