"""Checks every record must pass: in `generate` (before writing) and in `validate` (after).

- schema: exact keys and order, roles, the verbatim system text, the `<think>` shape;
- exactness: the code is whole slices of the source joined by SPEC's rule (``codeblock``);
- trace (generate): every value the renderer filled in belongs to a claim it rendered, and every
  claim's proof still reads the same in the source;
- grounding (generate and validate): outside the filled values, a request or think holds no
  identifier in backticks, no number, no "spawn" and no claim about all callers that the
  rendered claims (or, in `validate`, the file's claims) do not carry;
- variety: no duplicate or near-duplicate requests and thinks, and per file no run of eight words
  shared by more than a quarter of its thinks or requests.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .claims import Claim, Proof
from .claims.core import LIST_SEP, NOT
from .records import SYSTEM_PROMPT, split_assistant
from .render import (
    BACKTICK_SPAN,
    CODE_SLOTS,
    Fill,
    elide,
    elide_code,
    method_name,
    named,
    negated,
    shorten,
)
from .wording.conditions import conjuncts, say_condition

if TYPE_CHECKING:
    from .pipeline import FileScan

__all__ = [
    "schema_errors",
    "trace_errors",
    "grounding_errors",
    "Vocabulary",
    "LITERAL_CODE",
    "trigrams",
    "jaccard",
    "shared_runs",
    "REQUEST_MAX_JACCARD",
    "THINK_MAX_JACCARD",
    "RUN_WORDS",
    "RUN_MAX_SHARE",
    "Report",
    "Variety",
    "pasted_code",
    "validate_records",
    "validate_file",
]

REQUEST_MAX_JACCARD = 0.5
THINK_MAX_JACCARD = 0.6
RUN_WORDS = 8
RUN_MAX_SHARE = 0.25
_ROLES = ("system", "user", "assistant")
# Code words templates may write themselves; each must also occur in the record's code.
LITERAL_CODE = frozenset(
    {
        "None",
        "Some",
        "send",
        "try_send",
        "recv()",
        "continue",
        "break",
        "return",
        "loop",
        "?",
        "Option",
        "if let Some(..)",
        "pub",
        "main",
        "match",
        "while",
        "AbortOnDropHandle",
        "for",
        # Task ends (claims/task_ends.py), said only where the code has them.
        "changed()",
        "while let",
        "Weak",
        "poll_next",
        "Stream",
        # A spawned block's value when it ends in a statement (claims/one_shot.py).
        "()",
    }
)
_DIGITS = re.compile(r"\d")
# Claims about every caller; allowed only with a complete caller set.
_ALL_CALLERS = re.compile(
    r"(?i)\b(?:only (?:called|caller|reached|runs? (?:from|on|in))|no other (?:caller|file|way)|"
    r"nowhere else|one way in|there is no other|always runs)\b"
)


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


def _elements(value: str) -> list[str]:
    """A slot's code values, and for a negated condition `!x` also `x` (said "`x` is false"),
    and the operands a request names when it says a condition in words ("`a` is below `b`")."""
    out = []
    whole = [e.removeprefix(NOT) for e in value.split(LIST_SEP)]
    # A long `a && b` is said by its parts (render's `cond` form).
    parts = [q for w in whole for q in conjuncts(w) if q != w]
    for e in whole + parts:
        out.append(e)
        inner = negated(e)
        if inner is not None:
            out.append(inner)
        said = say_condition(inner if inner is not None else e, True)
        if said is not None:
            out.extend(said.code)
    return out


def _fold(s: str) -> str:
    # As flow.tokens_text says code: no space before a `.` or `?` (a chain broken over lines).
    return _BEFORE_DOT.sub("", " ".join(s.split()))


_BEFORE_DOT = re.compile(r" (?=\.(?!\.)|\?)")


def trace_errors(
    fills: Sequence[Fill],
    claims: Sequence[Claim],
    context: dict[str, str],
    sources: dict[str, str],
) -> list[str]:
    """Every filled value comes from a rendered claim (or the record's subject and file), and
    every rendered claim's proof reads the same in its source (``sources``: display path ->
    text; a proof in a file not given is not re-read)."""
    errs: list[str] = []
    allowed = set(context.values())
    for c in claims:
        allowed.add(c.subject)
        for k, v in c.slots:
            allowed.update(_elements(v))
            if k in CODE_SLOTS:
                # A call named by its method alone (the `method` slot form), or by its callee
                # (how a request names `tx.send(Ok(id))`).
                allowed.update(method_name(e) for e in _elements(v))
                allowed.update(named(e) for e in _elements(v))
                allowed.update(elide_code(e) for e in _elements(v))
            else:
                allowed.add(elide(v))  # a log line quoted with its placeholders elided
                allowed.add(shorten(v))  # or by its first words
        for p in c.proof:
            text = sources.get(p.file)
            if text is not None and text[p.start : p.end] != p.text:
                errs.append(
                    f"{c.kind} claim about `{c.subject}`: its proof at {p.file}:{p.start} "
                    "no longer reads the same"
                )
    for f in fills:
        if f.value not in allowed:
            errs.append(f"`{f.value}` was filled in but no rendered claim carries it")
    return errs


@dataclass
class Vocabulary:
    """What a record may name: code values and prose values of claims, and whether any claim
    says something spawns or that a caller set is complete."""

    code: set[str] = field(default_factory=set)
    prose: set[str] = field(default_factory=set)
    spawns: bool = False
    complete: bool = False
    # The claims' proof texts, whitespace folded: a code span with a space in it (an expression,
    # a condition) must be read somewhere in them or in the code block, not only sit in a slot.
    proofs: list[str] = field(default_factory=list)
    elided: dict[str, str] = field(default_factory=dict)  # `elide_code` form -> the whole

    @classmethod
    def of(cls, claims: Iterable[Claim], context: dict[str, str]) -> Vocabulary:
        v = cls()
        v.code.update(context.values())
        for c in claims:
            v.code.add(c.subject)
            for k, value in c.slots:
                for e in _elements(value):
                    (v.code if k in CODE_SLOTS else v.prose).add(e)
                    if k in CODE_SLOTS:
                        v.code.add(named(e))  # how a request names it: `self.process`
                        v.code.add(method_name(e))  # or by its method: `delete`
                        short = elide_code(e)  # a think, a long one: `Found { .. }`
                        if short != e:
                            v.code.add(short)
                            v.elided.setdefault(short, e)
                    else:
                        v.prose.add(elide(e))
                        v.prose.add(shorten(e))
                    # A condition said in words names its literals as numbers ("1,000").
                    said = say_condition(e, True) if k in CODE_SLOTS else None
                    if said is not None:
                        v.prose.update(said.numbers)
            # A claim built on a spawn it proves (the tasks a counter counts, a task that never
            # ends) says something spawns as much as a spawn claim does.
            if c.kind in (
                "spawn",
                "spawn_loop",
                "sync_spawn",
                "setup_end",
                "counted_inside",
                "endless_task",
                "task_panic",
                "restarts",
                "task_end",
                "watchdog",
            ) or (c.kind == "runs_in" and "spawned" in c.flags):
                v.spawns = True
            if "complete" in c.flags or "universal" in c.flags:
                v.complete = True
            v.proofs += [_fold(p.text) for p in c.proof]
        return v

    def add(self, other: Vocabulary) -> None:
        self.code |= other.code
        self.prose |= other.prose
        self.spawns = self.spawns or other.spawns
        self.complete = self.complete or other.complete
        self.proofs += other.proofs
        for short, whole in other.elided.items():
            self.elided.setdefault(short, whole)


def _strip(text: str, values: Iterable[str]) -> str:
    # Longest first, so a value that contains another is removed whole.
    for v in sorted({v for v in values if v}, key=len, reverse=True):
        text = text.replace(v, " ")
    return text


def grounding_errors(texts: Sequence[str], code: str, vocab: Vocabulary) -> list[str]:
    """What a request or think says beyond its claims (see the module doc)."""
    errs: list[str] = []
    code_folded = _fold(code)
    for text in texts:
        quoted = re.findall(r"“([^”]*)”", text)
        rest = re.sub(r"“[^”]*”", " ", text)
        for q in quoted:
            if q not in vocab.prose:
                errs.append(f"quote “{q[:40]}” is not the author's text in any claim")
        for span in BACKTICK_SPAN.findall(rest):
            s = span.strip()
            if s in vocab.code and not _unread(s, code_folded, vocab):
                continue
            if s in LITERAL_CODE and (
                s in code or s == "if let Some(..)" and "if let Some(" in code
            ):
                continue
            if _fold(s) in code_folded and s in vocab.prose:
                continue
            errs.append(f"`{s}` is not a value of any claim")
        bare = BACKTICK_SPAN.sub(" ", rest)
        bare = _strip(bare, vocab.prose)
        # Markdown list numbers are the request's own, not values from the code.
        bare = re.sub(r"(?m)^\s*\d+\.\s", " ", bare)
        if _DIGITS.search(bare):
            m = re.search(r"\S*\d\S*", bare)
            errs.append(f"the number in “{m.group(0) if m else ''}” comes from no claim")
        if re.search(r"(?i)\bspawn", bare) and not vocab.spawns:
            errs.append("mentions spawning where no claim says anything spawns")
        if _ALL_CALLERS.search(bare) and not vocab.complete:
            errs.append("claims something about all callers without a complete caller set")
    return sorted(set(errs))


def _unread(span: str, code_folded: str, vocab: Vocabulary) -> bool:
    """A code span with a space in it that is neither in the code block nor in any proof: prose
    dressed as code (`10 milliseconds`), or an expression the tool made up."""
    if " " not in span:
        return False  # a name or a path: resolved names (`tokio::time::sleep`) are not written so
    # A long expression elided (`return Found { .. }`) is read where its whole form is.
    whole = vocab.elided.get(span, span)
    folded = _fold(whole)
    return folded not in code_folded and not any(folded in p for p in vocab.proofs)


def pasted_code(user: str, code: str) -> bool:
    return any(len(ln.strip()) >= 30 and ln.strip() in user for ln in code.splitlines())


def trigrams(text: str) -> set[tuple[str, str, str]]:
    words = re.findall(r"[a-z0-9_]+", text.lower())
    return {(words[i], words[i + 1], words[i + 2]) for i in range(len(words) - 2)}


def jaccard(a: set[tuple[str, str, str]], b: set[tuple[str, str, str]]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _words(text: str) -> list[str]:
    """Words of prose, with each code span one word (a path is a name, not eight words)."""
    out: list[str] = []
    pos = 0
    for m in BACKTICK_SPAN.finditer(text):
        out += re.findall(r"[a-z0-9_']+", text[pos : m.start()].lower())
        out.append(m.group(0).lower())
        pos = m.end()
    out += re.findall(r"[a-z0-9_']+", text[pos:].lower())
    return out


def word_runs(text: str, n: int = RUN_WORDS) -> set[tuple[str, ...]]:
    """Every run of ``n`` words in ``text`` (a code span is one word)."""
    return _runs(text, n)


@functools.lru_cache(maxsize=1024)
def skeleton_runs(text: str, n: int = 6) -> frozenset[tuple[str, ...]]:
    """Runs of ``n`` words with every code span and number masked: the sentence shape a
    template leaves when its names change ("Where each piece of `x` executes is the thing to
    pin down first" for every `x`), which readers notice long before an exact repeat."""
    words = ["``" if w.startswith("`") else "#" if w[:1].isdigit() else w for w in _words(text)]
    return frozenset(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def _runs(text: str, n: int) -> set[tuple[str, ...]]:
    return set(_runs_of(text, n))


@functools.lru_cache(maxsize=1024)
def _runs_of(text: str, n: int) -> frozenset[tuple[str, ...]]:
    # Cached: a file's records are compared with every later candidate and its retries.
    words = _words(text)
    return frozenset(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def shared_runs(texts: Sequence[str], n: int = RUN_WORDS) -> tuple[float, tuple[str, ...]]:
    """The largest share of ``texts`` that contain one run of ``n`` words, and that run."""
    if not texts:
        return 0.0, ()
    counts: Counter[tuple[str, ...]] = Counter()
    for t in texts:
        counts.update(_runs(t, n))
    if not counts:
        return 0.0, ()
    # Ties go to the first run in word order, not to whichever a set gave first: set order
    # follows the process's string hashes, and a tie broken by it made `generate` pick other
    # records in other runs (neon's timeline.rs under some `PYTHONHASHSEED`s).
    run, count = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return count / len(texts), run


@dataclass
class Report:
    records: int = 0
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


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


def run_errors(label: str, users: Sequence[str], thinks: Sequence[str]) -> list[str]:
    """Eight-word runs shared by more than a quarter of one file's requests or thinks (checked
    once a file has at least four records, where a quarter is more than one)."""
    errs: list[str] = []
    for what, texts in (("requests", users), ("thinks", thinks)):
        if len(texts) < 4:
            continue
        share, run = shared_runs(texts)
        if share > RUN_MAX_SHARE:
            errs.append(f"{label}: {share:.0%} of its {what} share the words “{' '.join(run)}”")
    return errs


def validate_records(records: list[dict[str, Any]]) -> Report:
    """Schema, pasted code and variety: what needs no source."""
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
        if pasted_code(user, code):
            rep.errors.append(f"record {n}: the request pastes code")
        rep.errors.extend(f"record {n}: {e}" for e in variety.errors(user, think))
        variety.add(user, think, f"record {n}")
    return rep


def validate_file(path: Path, source: Path | None = None) -> Report:
    """Validate a JSONL file.

    Exactness and grounding need the source: ``source`` (a file or directory) when given, else
    the sources the sidecar manifest names (when they still exist with the same sha256). Without
    either, only schema and variety are checked, and the report says so. Exactness is
    ``codeblock.code_errors``: whole slices joined by the rule, no method without its impl lines,
    every import, the context limit (for the subject the manifest names, when there is one), and
    a record's code equal to its manifest slices joined by the rule. Grounding holds each record
    to the claims the tool finds in its file (``Vocabulary``).
    """
    from .records import read_jsonl
    from .sources import rust_files

    records = read_jsonl(path)
    rep = validate_records(records)
    rows = _manifest_rows(path)
    if source is not None:
        files = rust_files([source])
    else:
        files = _manifest_sources(rows)
        if not files:
            rep.notes.append(
                "exactness and grounding not checked: give --source (no usable manifest)"
            )
            return rep
    contexts = _file_contexts(files)
    by_file: dict[Path, list[tuple[str, str]]] = {}
    for n, rec in enumerate(records, 1):
        if schema_errors(rec):
            continue
        parts = split_assistant(rec["messages"][2]["content"])
        assert parts is not None
        think, code = parts
        matched, errs = _code_source(code, rows.get(n), contexts)
        if matched is None:
            where = source if source is not None else "the manifest's source"
            rep.errors.append(f"record {n}: code is not whole slices of {where} joined by the rule")
            continue
        rep.errors.extend(f"record {n}: {e}" for e in errs)
        user = rec["messages"][1]["content"]
        for e in grounding_errors([user, think], code, contexts[matched][1]):
            rep.errors.append(f"record {n}: {e}")
        if "tokio" not in think:
            rep.errors.append(f"record {n}: the think never names tokio")
        by_file.setdefault(matched, []).append((user, think))
    for f, pairs in by_file.items():
        rep.errors.extend(run_errors(f.name, [u for u, _ in pairs], [t for _, t in pairs]))
    return rep


def _manifest_sources(rows: dict[int, dict[str, Any]]) -> list[Path]:
    """The source files the manifest rows name that still hold the bytes they were made from,
    each once, in the rows' order."""
    files: list[Path] = []
    for mrow in rows.values():
        src = Path(str(mrow.get("source", "")))
        if src not in files and _same_source(src, mrow):
            files.append(src)
    return files


def _file_contexts(files: list[Path]) -> dict[Path, tuple[FileScan, Vocabulary]]:
    """Each file's scan and the vocabulary of the claims the tool finds in it."""
    from .claims import claims_for
    from .evidence import Indexes, file_context
    from .naming import qualified_name
    from .pipeline import scan_file

    indexes = Indexes()
    contexts: dict[Path, tuple[FileScan, Vocabulary]] = {}
    for f in files:
        ctx = file_context(scan_file(f), indexes)
        vocab = Vocabulary()
        for i, facts in ctx.facts.items():
            # A request names a method of one of several impls by its type (`Server::run`), as
            # generation does (``request.qualified_name``).
            names = {"fn": facts.name, "file": ctx.display}
            if facts.kind == "fn":
                names["qualified"] = qualified_name(ctx, facts.name, i)
            vocab.add(Vocabulary.of(claims_for(ctx, i), names))
        contexts[f] = (ctx.fs, vocab)
    return contexts


def _code_source(
    code: str,
    row: dict[str, Any] | None,
    contexts: dict[Path, tuple[FileScan, Vocabulary]],
) -> tuple[Path | None, list[str]]:
    """The file whose whole slices a record's ``code`` is (the one its manifest ``row`` names,
    else the first that fits), and the code's exactness errors against it; None when no file
    fits."""
    from .codeblock import NOT_SLICES, code_errors, join_slices

    own = _row_file(row, contexts) if row is not None else None
    candidates = [own] if own is not None else list(contexts)
    errs: list[str] = []
    for f in candidates:
        fs = contexts[f][0]
        spans = _row_spans(row, fs) if f == own and row is not None else None
        marked = row is not None and any("subject" in s for s in row.get("slices", []))
        subjects = [(a, b) for a, b, subj in spans or [] if subj] if marked else None
        errs = code_errors(code, fs, subjects)
        if errs[:1] == [NOT_SLICES]:
            continue
        if spans is not None and join_slices(fs.text, [(a, b) for a, b, _ in spans]) != code:
            errs.append("code is not its manifest slices joined by the rule")
        return f, errs
    return None, errs


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


def proofs_of(claims: Iterable[Claim]) -> list[Proof]:
    return [p for c in claims for p in c.proof]
