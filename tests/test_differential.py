"""Differential test: svixbt's item slices against an independent tree-sitter reference.

The corpus is real crates unpacked from Debian by `make corpus` (tests/get_corpus.sh). Every file
tree-sitter parses cleanly is scanned by both; the (kind, start_byte, end_byte) sets are compared
and aggregated as intersection-over-union, overall and per crate, in one test so the whole corpus
costs a single pass. Set SVIXBT_DIFF_OUT=FILE to dump every difference as JSON lines.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from support import require_corpus  # noqa: E402
from treesitter_ref import Span, extract  # noqa: E402

from svixbt.scanner import ITEM_KINDS  # noqa: E402

SHOW_DIFFS = 25
# Files left out of the comparison (tree-sitter parse errors, BOM, not UTF-8). Today: 0 of 729.
# tree-sitter-rust lags rustc's syntax, so a newer crate or grammar may reject a file or two; more
# than that means the comparison is quietly shrinking and has to be looked at, not waved through.
MAX_EXCLUDED_FILES = 2


# --- the reference itself --------------------------------------------------------------------

SNIPPET = """\
//! crate docs never attach
#![allow(dead_code)]
// lead comment, own line, touching the doc below
/// a
#[derive(Debug)]
// plain, between attribute and item
pub struct S;

// separated from the doc by a blank line

/// doc
fn documented() { fn nested_in_body() {} }
fn a() {} // trailing, not on its own line
fn b() {}
//// four slashes is a plain comment, so the blank line below detaches it

/**/

/*** also plain */

fn plain_block_comments() {}
/** outer block doc */

#[inline]

// blank lines after an attribute still attach
fn attached_across_blanks() {}
impl Thing {
    // method comment
    /// method doc
    fn method(&self) {}
    type Out = u8;
}
trait Tr {
    type Assoc;
    const C: u8;
    fn sig(&self);
}
mod inner {
    //! inner doc stops the walk
    #[cfg(test)]
    mod tests {}
}
extern "C" {
    fn foreign();
}
macro_rules! mac { () => {}; }
mac! { fn in_macro() {} }
static ST: u8 = 0;
union U { a: u8 }
"""

# (kind, text the slice starts with, text the slice ends with). Each start text is unique.
EXPECTED: list[tuple[str, str, str]] = [
    ("struct", "// lead comment", "pub struct S;"),
    ("fn", "/// doc\nfn documented", "fn nested_in_body() {} }"),
    ("fn", "fn a()", "fn a() {}"),
    ("fn", "fn b()", "fn b() {}"),
    ("fn", "fn plain_block_comments", "fn plain_block_comments() {}"),
    ("fn", "/** outer block doc */", "fn attached_across_blanks() {}"),
    ("impl", "impl Thing", "type Out = u8;\n}"),
    ("fn", "    // method comment", "fn method(&self) {}"),
    ("type", "type Out", "type Out = u8;"),
    ("trait", "trait Tr", "fn sig(&self);\n}"),
    ("type", "type Assoc", "type Assoc;"),
    ("const", "const C", "const C: u8;"),
    ("fn", "fn sig", "fn sig(&self);"),
    ("mod", "mod inner", "mod tests {}\n}"),
    ("mod", "#[cfg(test)]", "mod tests {}"),
    ("macro_rules", "macro_rules!", "() => {}; }"),
    ("static", "static ST", "static ST: u8 = 0;"),
    ("union", "union U", "union U { a: u8 }"),
]


def _expected_spans(src: bytes) -> set[Span]:
    out: set[Span] = set()
    for kind, head, tail in EXPECTED:
        start = src.index(head.encode())
        start += len(head) - len(head.lstrip(" "))  # indentation is before the slice
        end = src.index(tail.encode(), start) + len(tail.encode())
        out.add((kind, start, end))
    return out


def test_reference_on_snippet() -> None:
    src = SNIPPET.encode()
    res = extract(src)
    assert not res.is_error
    assert res.spans() == _expected_spans(src)


def test_reference_crlf_and_blank_line_rule() -> None:
    src = b"// far\r\n\r\n// near\r\nfn f() {}\r\n/// d\r\n\r\n\r\nfn g() {}\r\n"
    got = extract(src).spans()
    near = src.index(b"// near")
    assert got == {
        ("fn", near, src.index(b"fn f() {}") + 9),
        ("fn", src.index(b"/// d"), src.index(b"fn g() {}") + 9),
    }


def test_reference_reports_parse_errors() -> None:
    assert extract(b"fn broken( {").is_error


# --- svixbt against the reference -------------------------------------------------------------

# Lexical corner cases the corpus hardly exercises (it has no `/** */` docs, few raw strings), so
# they are compared directly; each must parse cleanly in tree-sitter for the comparison to count.
EDGE_CASES: dict[str, bytes] = {
    "snippet": SNIPPET.encode(),
    "lexical": r"""fn lifetimes<'a>(x: &'a str) -> &'a str { let c = '{'; let d = b'}'; x }
fn quote() { let e = '\''; }
fn raw() { let s = r#"}"#; let t = r##"a"#}"##; let u = br"}"; }
/* outer /* nested } */ still comment { */
fn after_nested() {}
fn chars() { let a = '"'; let b = "\"}"; let c = '\u{7d}'; }
#[doc = "}"]
pub(crate) async unsafe fn quals() {}
unsafe impl<T: Send> Send for W<T> where T: Sync {}
impl<T> Tr for X<T> { const N: usize = { 3 }; fn f() -> [u8; 3] { [0; 3] } }
const _: () = { fn hidden() {} };
extern "C" fn ffi() {}
macro_rules! m2 { ($x:expr) => { { $x } } }
macro_rules! m3 [ () => {} ];
struct Tuple(u8, /* } */ u16);
enum E { A = 1 << 2, B { x: u8 }, C(u8) }
type Alias<T> = Box<dyn Fn(T) -> T + Send>;
static mut COUNTER: u32 = 0;
fn r#type() {}
trait Tr2 where Self: Sized { fn d() {} type X: Clone; }
fn labels() { 'outer: loop { break 'outer; } }
fn generic<const N: usize>() where [u8; N]: Sized {}
mod m { #![allow(x)] /// d
  pub fn inner() {} }
fn unicode_ü() { let s = "héllo }"; }
""".encode(),
    "comments": b"""fn a() {} /// x
fn b() {}
struct S; /* c */ struct T;
#[a] /* p */ #[b]

// q
fn c() {}
/**/

fn d() {}
/***/

fn e() {}
/*** p */

fn e2() {}
//// p

fn e3() {}
/** d */

fn f() {}
/// d

fn f2() {}
/*! inner */
fn g() {}
  // indented
\tfn h() {}
// one
\x20\t\x20
// two
fn ws_blank() {}
impl A {
    #[cfg(test)]
    // c
    fn t() {}
    // trailing in impl
}
""",
    "crlf": b"/// doc\r\n#[a]\r\n// c\r\nfn crlf() {}\r\n\r\n// x\r\n\r\n// y\r\nfn crlf2() {}\r\n",
}


@pytest.mark.parametrize("name", sorted(EDGE_CASES))
def test_scanner_matches_reference_on_edge_cases(name: str) -> None:
    from svixbt.scanner import scan_text

    src = EDGE_CASES[name]
    ref = extract(src)
    assert not ref.is_error, "edge case must be valid Rust for tree-sitter"
    got = {(it.kind, it.start_byte, it.end_byte) for it in scan_text(src.decode("utf-8")).items}
    want = ref.spans()
    diffs = _pair_diffs(name, src, want - got, got - want)
    assert not diffs, "\n".join(_fmt_diff(d) for d in diffs)


@dataclass
class Tally:
    files: int = 0
    skipped: int = 0
    ref: int = 0
    ours: int = 0
    both: int = 0

    @property
    def iou(self) -> float:
        union = self.ref + self.ours - self.both
        return 1.0 if union == 0 else self.both / union


@dataclass
class Diff:
    path: str
    what: str
    ref: Span | None
    ours: Span | None
    ref_line: str = ""
    ours_line: str = ""


@dataclass
class Report:
    crates: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    kinds: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    diffs: list[Diff] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def total(self) -> Tally:
        t = Tally()
        for c in self.crates.values():
            t.files += c.files
            t.skipped += c.skipped
            t.ref += c.ref
            t.ours += c.ours
            t.both += c.both
        return t

    def table(self) -> str:
        rows: list[tuple[str, ...]] = [("crate", "files", "ts-err", "ref", "svixbt", "both", "IoU")]
        for name, t in sorted(self.crates.items()):
            rows.append(_row(name, t))
        rows.append(_row("TOTAL", self.total()))
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        return "\n".join(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
            for r in rows
        )

    def kinds_of_diff(self) -> str:
        counts: dict[str, int] = defaultdict(int)
        for d in self.diffs:
            kind = (d.ref or d.ours or ("?", 0, 0))[0]
            counts[f"{d.what} {kind}"] += 1
        return ", ".join(f"{k}: {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))


def _row(name: str, t: Tally) -> tuple[str, ...]:
    counts = (t.files, t.skipped, t.ref, t.ours, t.both)
    return (name, *map(str, counts), f"{t.iou:.5f}")


def _first_line(src: bytes, span: Span | None) -> str:
    if span is None:
        return ""
    return src[span[1] : span[2]].split(b"\n", 1)[0].decode("utf-8", "replace")[:100]


def _pair_diffs(path: str, src: bytes, ref_only: set[Span], ours_only: set[Span]) -> list[Diff]:
    """Match leftover spans that share kind and one end, so a wrong start reads as one diff."""
    out: list[Diff] = []
    ours_left = set(ours_only)
    for r in sorted(ref_only, key=lambda s: s[1]):
        match = next((o for o in ours_left if o[0] == r[0] and o[2] == r[2]), None)
        what = "start"
        if match is None:
            match = next((o for o in ours_left if o[0] == r[0] and o[1] == r[1]), None)
            what = "end"
        if match is None:
            out.append(Diff(path, "missing", r, None, _first_line(src, r)))
        else:
            ours_left.discard(match)
            out.append(Diff(path, what, r, match, _first_line(src, r), _first_line(src, match)))
    for o in sorted(ours_left, key=lambda s: s[1]):
        out.append(Diff(path, "extra", None, o, "", _first_line(src, o)))
    return out


def _crate_of(rel: Path) -> str:
    # Debian ships sources under usr/share/cargo/registry/<crate>-<version>/.
    parts = rel.parts
    if "registry" in parts and parts.index("registry") + 1 < len(parts):
        return parts[parts.index("registry") + 1]
    return parts[0]


def _run_corpus(corpus: Path) -> Report:
    from svixbt.scanner import scan_text

    report = Report()
    for path in sorted(corpus.rglob("*.rs")):
        if not path.is_file():
            continue
        rel = path.relative_to(corpus)
        crate = _crate_of(rel)
        tally = report.crates[crate]
        raw = path.read_bytes()
        if raw.startswith(b"\xef\xbb\xbf"):
            report.skipped["bom"] += 1
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            report.skipped["non-utf8"] += 1
            continue
        ref = extract(raw)
        tally.files += 1
        if ref.is_error:
            tally.skipped += 1
            continue
        want = ref.spans()
        got = {(it.kind, it.start_byte, it.end_byte) for it in scan_text(text).items}
        both = want & got
        tally.ref += len(want)
        tally.ours += len(got)
        tally.both += len(both)
        for what, spans in (("ref", want), ("ours", got), ("both", both)):
            for kind, count in Counter(span[0] for span in spans).items():
                setattr(report.kinds[kind], what, getattr(report.kinds[kind], what) + count)
        if want != got:
            report.diffs.extend(_pair_diffs(str(rel), raw, want - got, got - want))
    return report


def _fmt_diff(d: Diff) -> str:
    lines = [f"{d.path}: {d.what}"]
    if d.ref is not None:
        lines.append(f"    tree-sitter {d.ref[0]} [{d.ref[1]},{d.ref[2]}) {d.ref_line!r}")
    if d.ours is not None:
        lines.append(f"    svixbt      {d.ours[0]} [{d.ours[1]},{d.ours[2]}) {d.ours_line!r}")
    return "\n".join(lines)


def test_items_match_tree_sitter_on_corpus() -> None:
    report = _run_corpus(require_corpus())
    total = report.total()
    summary = report.table()
    if report.skipped:
        summary += "\nnot compared: " + ", ".join(f"{k}={v}" for k, v in report.skipped.items())
    summary += "\nper kind: " + ", ".join(
        f"{k} {t.both}/{t.ref}/{t.ours}" for k, t in sorted(report.kinds.items())
    )
    if report.diffs:
        summary += f"\ndifferences ({len(report.diffs)}): {report.kinds_of_diff()}"
    print("\n" + summary)

    out = os.environ.get("SVIXBT_DIFF_OUT")
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            for d in report.diffs:
                fh.write(json.dumps(d.__dict__, ensure_ascii=False) + "\n")

    excluded = total.skipped + sum(report.skipped.values())
    assert excluded <= MAX_EXCLUDED_FILES, f"{excluded} files not compared\n{summary}"
    assert total.files - total.skipped > 0, "no corpus file parsed cleanly; corpus broken?"
    # Every kind SPEC lists is in the corpus, so no kind's check below is vacuous; the corpus has
    # no `union`, which EDGE_CASES compare instead.
    assert set(ITEM_KINDS) - {"union"} <= {k for k, t in report.kinds.items() if t.ref}, summary
    # Exact agreement per kind: an overall ratio would hide every `static` (9 in the corpus) wrong.
    shown = "\n".join(_fmt_diff(d) for d in report.diffs[:SHOW_DIFFS])
    wrong = {k: f"{t.iou:.5f}" for k, t in report.kinds.items() if not t.ref == t.ours == t.both}
    assert not wrong, f"item IoU below 1.0 for {wrong}\n{summary}\n{shown}"
