"""Checks every record must pass, in `generate` (before writing) and in `validate` (after).

- schema: exact keys and order, roles, the verbatim system text, the `<think>` shape;
- exactness: the code is whole slices of the source joined by SPEC's rule (``codeblock``), methods
  inside their impl's lines, every file import present, context within its limit;
- grounding: every backticked span, identifier-like word and number in the request and think is
  found in the code, the source file or its crate;
- variety: no duplicate requests or thinks, and no near duplicates (word-trigram Jaccard).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .codeblock import NOT_SLICES
from .records import SYSTEM_PROMPT, split_assistant

__all__ = [
    "schema_errors",
    "code_slices",
    "grounding_errors",
    "trigrams",
    "jaccard",
    "REQUEST_MAX_JACCARD",
    "THINK_MAX_JACCARD",
    "Report",
    "validate_records",
    "record_errors",
    "Variety",
    "validate_file",
]

REQUEST_MAX_JACCARD = 0.5
THINK_MAX_JACCARD = 0.6
_ROLES = ("system", "user", "assistant")


def schema_errors(rec: Any) -> list[str]:
    if not isinstance(rec, dict):
        return ["record is not a JSON object"]
    errs: list[str] = []
    if list(rec.keys()) != ["type", "messages"]:
        errs.append(f"keys must be exactly type, messages in that order (got {list(rec.keys())})")
    if rec.get("type") != "chatml":
        errs.append('"type" must be "chatml"')
    msgs = rec.get("messages")
    if not isinstance(msgs, list) or len(msgs) != 3:
        return errs + ["messages must be a list of exactly 3 messages"]
    for i, (m, role) in enumerate(zip(msgs, _ROLES, strict=False)):
        if not isinstance(m, dict) or list(m.keys()) != ["role", "content"]:
            errs.append(f"message {i} must have exactly role, content")
            continue
        if m["role"] != role:
            errs.append(f"message {i} role must be {role!r}")
        if not isinstance(m["content"], str) or not m["content"].strip():
            errs.append(f"message {i} content must be a non-empty string")
    if not errs:
        if msgs[0]["content"] != SYSTEM_PROMPT:
            errs.append("system text is not verbatim")
        parts = split_assistant(msgs[2]["content"])
        if parts is None:
            errs.append("assistant content must be '<think>\\n...\\n</think>\\n\\n<code>'")
        else:
            think, code = parts
            if not think.strip() or not code.strip():
                errs.append("think and code must both be non-empty")
            if "</think>" in think or "<think>" in think:
                errs.append("think block contains a nested think tag")
        if "```" in msgs[1]["content"]:
            errs.append("request contains a code fence")
    return errs


def code_slices(
    code: str, source: str, spans: list[tuple[int, int]]
) -> list[tuple[int, int]] | None:
    """The slices (from ``spans``) whose join by SPEC's rule is exactly ``code``, or None.

    The rule (``codeblock.join_slices``): source order; the source's own whitespace between
    neighbours; one blank line in the file's ending between slices apart.
    """
    from .codeblock import split_code

    return split_code(code, source, spans)


_BACKTICK = re.compile(r"`([^`\n]+)`")
_IDENTISH = re.compile(
    r"\b(?:[A-Za-z_][A-Za-z0-9]*_[A-Za-z0-9_]+|[a-z_]\w*::[\w:]+|[A-Z][a-z0-9]+[A-Z]\w*)\b"
)
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w.]*\w)")
_SMALL_COUNTS = {str(n) for n in range(0, 4)}
# Words people write in prose that look like identifiers (snake_case in SQL settings etc.).
_PROSE_OK = {"on_call", "statement_timeout"}


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _numbers_of(text: str) -> set[str]:
    """Numeric values a text supports: literals (underscores dropped) and simple products."""
    out: set[str] = set()
    for lit in re.findall(r"(?<![\w.])\d[\d_]*(?:\.\d+)?", text):
        v = lit.replace("_", "")
        out.add(v.lstrip("0") or "0")
    # Products like `60 * 60 * 12` and their readings in larger units (12 hours, 30 minutes).
    for m in re.finditer(r"\d[\d_]*(?:\s*\*\s*\d[\d_]*)+", text):
        vals = [int(x.replace("_", "")) for x in re.split(r"\s*\*\s*", m.group())]
        prod = 1
        for v in vals:
            prod *= v
        out.add(str(prod))
        for unit in (60, 3600, 86400):
            if prod % unit == 0:
                out.add(str(prod // unit))
    for lit in list(out):
        if lit.isdigit():
            v = int(lit)
            # 20_000 milliseconds read as 20 seconds; 120 seconds as 2 minutes.
            for unit in (60, 1000, 3600, 86400):
                if v % unit == 0:
                    out.add(str(v // unit))
    return out


_USE_DECL = re.compile(r"\buse\s+[\w:{}, *\s]+;")


def _imported_paths(text: str) -> list[str]:
    from .symbols import parse_use

    out: set[str] = set()
    for m in _USE_DECL.finditer(text):
        out.update(full for _, full in parse_use(m.group(0)))
    return sorted(out)


def grounding_errors(texts: list[str], code: str, context: str = "") -> list[str]:
    """Claims in ``texts`` (request, think) not found in the code or its file / crate."""
    haystack = code + "\n" + context
    # Paths the code's own `use` declarations resolve to (`use tokio::time::{interval}` is
    # evidence for `tokio::time::interval`), appended so they are found like any other text.
    haystack += "\n" + "\n".join(_imported_paths(haystack))
    # Quoted SQL may come from a string with `\`-newline continuations; read it as Rust does.
    flat = _norm(haystack) + "\n" + _norm(re.sub(r"\\\r?\n\s*", "", haystack))
    numbers = _numbers_of(haystack)
    errs: list[str] = []
    for text in texts:
        for span in _BACKTICK.findall(text):
            s = span.strip()
            if s in haystack or _norm(s) in flat:
                continue
            # `name!` for a macro and `x()` for a call name what the code spells without them.
            bare = s.rstrip("!").removesuffix("()").lstrip(".")
            if bare and (bare in haystack or _norm(bare) in flat):
                continue
            errs.append(f"`{s}` is not in the code, its file or its crate")
        # List markers (`1.`, `- [ ]`) number the request's own points, not values from code.
        prose = re.sub(r"(?m)^\s*\d+\.\s", " ", _BACKTICK.sub(" ", text))
        for word in _IDENTISH.findall(prose):
            if word in haystack or word in _PROSE_OK:
                continue
            errs.append(f"{word} is not in the code, its file or its crate")
        for num in _NUMBER.findall(prose):
            v = num.replace(",", "")
            if v in _SMALL_COUNTS or v in numbers or (v.lstrip("0") or "0") in numbers:
                continue
            errs.append(f"the value {num} does not come from the code")
        if "spawn" in text and "spawn" not in haystack:
            errs.append("mentions spawning where nothing spawns")
        for path in re.findall(r"tokio::[a-z_]+(?:::[a-z_]+)*!?", text):
            if path.rstrip("!") not in haystack:
                errs.append(f"{path} is mentioned but not used in the code or crate")
    return sorted(set(errs))


def trigrams(text: str) -> set[tuple[str, str, str]]:
    words = re.findall(r"[a-z0-9_]+", text.lower())
    return {(words[i], words[i + 1], words[i + 2]) for i in range(len(words) - 2)}


def jaccard(a: set[tuple[str, str, str]], b: set[tuple[str, str, str]]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass
class Report:
    records: int = 0
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def record_errors(user: str, think: str, code: str, context: str | None) -> list[str]:
    """Checks one record needs no other record for: grounding (given a context) and pasting."""
    errs = [] if context is None else grounding_errors([user, think], code, context)
    for code_line in code.splitlines():
        if len(code_line.strip()) >= 30 and code_line.strip() in user:
            errs.append("the request pastes code")
            break
    return errs


def _likeness(
    what: str,
    text: str,
    grams: set[tuple[str, str, str]],
    other: str,
    other_grams: set[tuple[str, str, str]],
    limit: float,
    label: str,
) -> list[str]:
    if text == other:
        return [f"{what} duplicates {label}"]
    score = jaccard(grams, other_grams)
    if score > limit:
        return [f"{what} is a near duplicate of {label} (Jaccard {score:.2f} > {limit})"]
    return []


class Variety:
    """Duplicate and near-duplicate requests and thinks, against every record seen so far."""

    def __init__(self) -> None:
        self.seen: list[
            tuple[str, set[tuple[str, str, str]], str, set[tuple[str, str, str]], str]
        ] = []

    def errors(self, user: str, think: str) -> list[str]:
        tu, tt = trigrams(user), trigrams(think)
        errs: list[str] = []
        for label, ou, user_o, ot, think_o in self.seen:
            errs += _likeness("request", user, tu, user_o, ou, REQUEST_MAX_JACCARD, label)
            errs += _likeness("think", think, tt, think_o, ot, THINK_MAX_JACCARD, label)
        return errs

    def add(self, user: str, think: str, label: str) -> None:
        self.seen.append((label, trigrams(user), user, trigrams(think), think))


def validate_records(
    records: list[dict[str, Any]],
    source: str | None = None,
    spans: list[tuple[int, int]] | None = None,
    context: str | None = None,
) -> Report:
    """Schema, exactness (when ``source`` and its item ``spans`` are given), grounding (when a
    context is given), pasted code, and variety."""
    rep = Report(records=len(records))
    variety = Variety()
    for n, rec in enumerate(records, 1):
        errs = schema_errors(rec)
        if errs:
            rep.errors.extend(f"record {n}: {e}" for e in errs)
            continue
        user = rec["messages"][1]["content"]
        parts = split_assistant(rec["messages"][2]["content"])
        assert parts is not None
        think, code = parts
        if source is not None and spans is not None and code_slices(code, source, spans) is None:
            rep.errors.append(f"record {n}: {NOT_SLICES}")
        ctx = (
            None if source is None and context is None else (source or "") + "\n" + (context or "")
        )
        errs = record_errors(user, think, code, ctx) + variety.errors(user, think)
        rep.errors.extend(f"record {n}: {e}" for e in errs)
        variety.add(user, think, f"record {n}")
    return rep


def validate_file(path: Path, source: Path | None = None) -> Report:
    """Validate a JSONL file.

    Exactness and grounding need the source: ``source`` (a file or directory) when given, else
    the sources the sidecar manifest names (when they still exist with the same sha256). Without
    either, only schema and variety are checked, and the report says so. Exactness is
    ``codeblock.code_errors``: whole slices joined by the rule, no method without its impl lines,
    every import, the context limit (for the subject the manifest names, when there is one), and
    a record's code equal to its manifest slices joined by the rule.
    """
    from .codeblock import code_errors, join_slices
    from .evidence import build_evidence, grounding_context
    from .pipeline import FileScan, scan_file
    from .records import read_jsonl
    from .sources import rust_files

    records = read_jsonl(path)
    rep = validate_records(records)
    rows = _manifest_rows(path)
    if source is not None:
        files = rust_files([source])
    else:
        files = []
        for mrow in rows.values():
            src = Path(str(mrow.get("source", "")))
            if src not in files and _same_source(src, mrow):
                files.append(src)
        if not files:
            rep.notes.append(
                "exactness and grounding not checked: give --source (no usable manifest)"
            )
            return rep
    contexts: dict[Path, tuple[FileScan, str]] = {}
    for f in files:
        fs = scan_file(f)
        contexts[f] = (fs, grounding_context(build_evidence(fs)))
    for n, rec in enumerate(records, 1):
        if schema_errors(rec):
            continue
        parts = split_assistant(rec["messages"][2]["content"])
        assert parts is not None
        think, code = parts
        row = rows.get(n)
        own = _row_file(row, contexts) if row is not None else None
        candidates = [own] if own is not None else list(contexts)
        matched: Path | None = None
        errs: list[str] = []
        for f in candidates:
            fs = contexts[f][0]
            spans = _row_spans(row, fs) if f == own and row is not None else None
            # Rows from before the manifest marked subjects say nothing: take the fallback.
            marked = row is not None and any("subject" in s for s in row.get("slices", []))
            subjects = [(a, b) for a, b, subj in spans or [] if subj] if marked else None
            errs = code_errors(code, fs, subjects)
            if errs[:1] == [NOT_SLICES]:
                continue
            matched = f
            if spans is not None and join_slices(fs.text, [(a, b) for a, b, _ in spans]) != code:
                errs.append("code is not its manifest slices joined by the rule")
            break
        if matched is None:
            where = source if source is not None else "the manifest's source"
            rep.errors.append(f"record {n}: code is not whole slices of {where} joined by the rule")
            continue
        rep.errors.extend(f"record {n}: {e}" for e in errs)
        # Pasted code was already checked with the rest of validate_records above.
        for e in grounding_errors(
            [rec["messages"][1]["content"], think], code, contexts[matched][1]
        ):
            rep.errors.append(f"record {n}: {e}")
    return rep


def _manifest_rows(path: Path) -> dict[int, dict[str, Any]]:
    """The sidecar manifest's rows by record number ({} when there is none or it is damaged)."""
    import json

    from .records import manifest_path_for

    mpath = manifest_path_for(path)
    out: dict[int, dict[str, Any]] = {}
    if not mpath.is_file():
        return out
    for line in mpath.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            out[int(row["record"])] = row
        except (ValueError, KeyError, TypeError):
            continue
    return out


def _same_source(src: Path, row: dict[str, Any]) -> bool:
    """Whether ``src`` still holds the bytes the manifest row was made from."""
    import hashlib

    return src.is_file() and hashlib.sha256(src.read_bytes()).hexdigest() == row.get(
        "source_sha256"
    )


def _row_file(row: dict[str, Any], contexts: dict[Path, Any]) -> Path | None:
    """The file among ``contexts`` that a manifest row names, unchanged since; else None."""
    src = Path(str(row.get("source", "")))
    for f in contexts:
        try:
            same = f.resolve() == src.resolve()
        except OSError:
            same = False
        if same and _same_source(f, row):
            return f
    return None


def _row_spans(row: dict[str, Any], fs: Any) -> list[tuple[int, int, bool]] | None:
    """A manifest row's slices as character spans of ``fs.text`` with their subject flag."""
    raw = fs.text.encode("utf-8", "surrogatepass")
    bom = fs.source.bom_bytes
    out: list[tuple[int, int, bool]] = []
    try:
        for s in row["slices"]:
            a, b = int(s["start_byte"]) - bom, int(s["end_byte"]) - bom
            if not 0 <= a <= b <= len(raw):
                return None
            ca = len(raw[:a].decode("utf-8", "surrogatepass"))
            cb = ca + len(raw[a:b].decode("utf-8", "surrogatepass"))
            out.append((ca, cb, bool(s.get("subject"))))
    except (KeyError, TypeError, ValueError):
        return None
    return out
