"""Reading datasets as a person: Markdown renders of records, field-level diffs of JSONL files.

Both serve code review of dataset changes. A JSONL record keeps its code as one escaped string on
one line, so a plain `git diff` of it is unreadable; here every field (request, think, code) is
shown as lines of its own, the code in a ```rust fence, with the provenance the manifest recorded.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .records import manifest_path_for, parse_jsonl, read_jsonl_values, split_assistant

__all__ = [
    "record_fields",
    "render_markdown",
    "render_file",
    "diff_jsonl",
]

# Order in which fields are compared and shown; "assistant" stands in for think + code when the
# assistant message is not in the `<think>` shape, and "record" for a record that is not ChatML.
FIELDS = ("type", "system", "user", "think", "code", "assistant", "record")


def record_fields(rec: Any) -> dict[str, str]:
    """The reviewable text fields of a record, in FIELDS order.

    A record that does not have the ChatML shape is shown whole (pretty JSON) under "record", so a
    broken golden file still diffs readably instead of raising.
    """
    try:
        msgs = rec["messages"]
        system, user, assistant = (m["content"] for m in msgs)
        if not (isinstance(rec["type"], str) and len(msgs) == 3):
            raise TypeError
        if not all(isinstance(s, str) for s in (system, user, assistant)):
            raise TypeError
    except (KeyError, TypeError, ValueError):
        return {"record": json.dumps(rec, ensure_ascii=False, indent=1)}
    out = {"type": rec["type"], "system": system, "user": user}
    parts = split_assistant(assistant)
    if parts is None:
        out["assistant"] = assistant
    else:
        out["think"], out["code"] = parts
    # Extra keys or roles are not part of the schema; show them whole rather than hide them.
    if list(rec) != ["type", "messages"] or [m.get("role") for m in msgs] != [
        "system",
        "user",
        "assistant",
    ]:
        out["record"] = json.dumps(rec, ensure_ascii=False, indent=1)
    return out


# ---------------------------------------------------------------------------------------------
# Markdown render


def _fence(code: str) -> str:
    # A fence must be longer than any backtick run inside, or the code would close it early.
    longest = max((len(m) for m in re.findall(r"`+", code)), default=0)
    return "`" * max(3, longest + 1)


def _quote(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.splitlines()) or ">"


_BLOCK_START = re.compile(r"^(\s{0,3})(#|>|```|~~~)")


def _plain(text: str) -> str:
    # The think block is prose; only line starts that Markdown would turn into a heading, a quote or
    # a code fence are escaped, so the render reads the same as the record.
    return "\n".join(_BLOCK_START.sub(r"\1\\\2", line) for line in text.splitlines())


def _lines(a: Any, b: Any) -> str:
    if not isinstance(a, int) or not isinstance(b, int):
        return "lines ?"
    return f"line {a}" if a == b else f"lines {a}–{b}"


def _provenance(row: dict[str, Any]) -> list[str]:
    out = ["**Provenance**", ""]
    sha = str(row.get("source_sha256", ""))
    src = f"- source: `{row.get('source', '?')}`"
    out.append(src + (f" (sha256 `{sha[:16]}…`)" if sha else ""))
    rules = row.get("rules") or []
    if rules:
        out.append("- rules: " + ", ".join(f"`{r}`" for r in rules))
    slices = row.get("slices") or []
    if slices:
        out.append("- slices:")
        for s in slices:
            kind, name = s.get("kind", "?"), s.get("name", "?")
            where = _lines(s.get("start_line"), s.get("end_line"))
            label = f"`{name}`" if kind == "use" else f"{kind} `{name}`"
            out.append(f"  - {label}, {where}")
    if "seed" in row:
        out.append(f"- seed: {row['seed']}")
    return out


def _heading(n: int, row: dict[str, Any] | None) -> str:
    if not row:
        return f"## Record {n}"
    bits = [str(row[k]) for k in ("focus", "style") if row.get(k)]
    if row.get("item"):
        bits.append(f"`{row['item']}`")
    return f"## Record {n}: " + " · ".join(bits) if bits else f"## Record {n}"


def render_markdown(
    records: Sequence[Any],
    manifest: Sequence[dict[str, Any]] = (),
    title: str = "dataset",
    manifest_name: str | None = None,
) -> str:
    """Markdown for a person reviewing ``records``: request, think, code and provenance of each.

    Manifest rows are matched by their ``record`` number (1-based line of the JSONL), so a manifest
    written by ``generate --append`` lines up too.
    """
    by_number: dict[int, dict[str, Any]] = {}
    for mrow in manifest:
        if isinstance(mrow, dict) and isinstance(mrow.get("record"), int):
            by_number.setdefault(mrow["record"], mrow)
    out = [f"# Review of `{title}`", ""]
    summary = f"{len(records)} record(s)"
    summary += f"; provenance from `{manifest_name}`" if manifest_name else "; no manifest"
    out += [summary + ".", ""]
    if not records:
        out += ["_No records._", ""]
    for n, rec in enumerate(records, 1):
        row = by_number.get(n)
        f = record_fields(rec)
        out += [_heading(n, row), ""]
        if "user" in f:
            out += ["**Request**", "", _quote(f["user"]), ""]
        if "think" in f:
            out += ["**Think**", "", _plain(f["think"]), ""]
        if "code" in f:
            code = f["code"]
            # The render is for reading: CRLF is shown as LF (and said so); the JSONL keeps bytes.
            crlf = "\r\n" in code
            code = code.replace("\r\n", "\n")
            fence = _fence(code)
            label = "**Code**" + (" (CRLF line endings in the record)" if crlf else "")
            out += [label, "", f"{fence}rust", code.rstrip("\n"), fence, ""]
        if "assistant" in f:
            out += ["**Assistant (not in the `<think>` shape)**", "", _quote(f["assistant"]), ""]
        if "record" in f:
            out += ["**Record (not in the ChatML shape)**", "", "```json", f["record"], "```", ""]
        if row:
            out += _provenance(row) + [""]
    return "\n".join(out).rstrip("\n") + "\n"


def render_file(
    path: Path,
    manifest: Path | None = None,
    title: str | None = None,
    manifest_title: str | None = None,
) -> str:
    """Render a JSONL file; the manifest defaults to the one beside it and is optional then.

    ``title`` and ``manifest_title`` replace the paths shown in the header (golden renders use
    repo-relative ones so they read the same on every machine). Raises OSError / ValueError for
    unreadable input; an explicitly given manifest must exist.
    """
    explicit = manifest is not None
    manifest = manifest if manifest is not None else manifest_path_for(path)
    records = read_jsonl_values(path)
    rows: list[dict[str, Any]] = []
    if manifest.is_file():
        rows = [r for r in read_jsonl_values(manifest) if isinstance(r, dict)]
    elif explicit:
        raise FileNotFoundError(f"{manifest}: no such manifest")
    name = (manifest_title or manifest.as_posix()) if manifest.is_file() else None
    return render_markdown(records, rows, title or path.as_posix(), name)


# ---------------------------------------------------------------------------------------------
# Field-level diff of two JSONL files


def _text_lines(value: Any) -> list[str]:
    """A field value as lines to diff: strings by line, lists one JSON item per line."""
    if isinstance(value, str):
        return value.splitlines()
    if isinstance(value, list):
        return [json.dumps(v, ensure_ascii=False) for v in value]
    return [json.dumps(value, ensure_ascii=False)]


def _unified(old: Any, new: Any, old_label: str, new_label: str) -> list[str]:
    a, b = _text_lines(old), _text_lines(new)
    lines = list(difflib.unified_diff(a, b, old_label, new_label, n=3, lineterm=""))
    if not lines:
        # Same lines, different bytes: line endings or a trailing newline. Show them escaped.
        a = [repr(x) for x in (old.splitlines(True) if isinstance(old, str) else a)]
        b = [repr(x) for x in (new.splitlines(True) if isinstance(new, str) else b)]
        lines = list(difflib.unified_diff(a, b, old_label, new_label, n=1, lineterm=""))
        lines.insert(0, "(only line endings or trailing newlines differ; lines shown as repr)")
    return ["    " + ln for ln in _mark_changes(lines)]


def _mark_changes(lines: list[str]) -> list[str]:
    """After each lone "-old" / "+new" pair, a "~" line quoting just the changed span.

    Prose fields are single long lines; in a terminal the one changed character of a 300-character
    line is hard to find, so the change is also quoted with a little context and its column.
    """
    out: list[str] = []
    for k, ln in enumerate(lines):
        out.append(ln)
        prev = lines[k - 1] if k else ""
        nxt = lines[k + 1] if k + 1 < len(lines) else ""
        before = lines[k - 2] if k >= 2 else ""
        lone = not before.startswith("-") and not nxt.startswith("+")
        if not (ln.startswith("+") and prev.startswith("-") and lone) or ln.startswith("+++"):
            continue
        a, b = prev[1:], ln[1:]
        pre = 0
        while pre < min(len(a), len(b)) and a[pre] == b[pre]:
            pre += 1
        suf = 0
        while suf < min(len(a), len(b)) - pre and a[-1 - suf] == b[-1 - suf]:
            suf += 1
        lo = max(0, pre - 20)
        out.append(
            f"~ column {pre + 1}: {a[lo : len(a) - suf + 20]!r} -> {b[lo : len(b) - suf + 20]!r}"
        )
    return out


def _parse(text: str) -> list[Any] | None:
    try:
        return parse_jsonl(text)
    except ValueError:
        return None


def _pairs(old: list[str], new: list[str]) -> list[tuple[int | None, int | None]]:
    """Align two lists of record lines: unchanged, changed, removed and added records.

    Alignment (not index-by-index) keeps one inserted record from showing as every later record
    changed.
    """
    out: list[tuple[int | None, int | None]] = []
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        common = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        out += [(i1 + k, j1 + k) for k in range(common)]
        out += [(i, None) for i in range(i1 + common, i2)]
        out += [(None, j) for j in range(j1 + common, j2)]
    return out


def _label(row: Any) -> str:
    if isinstance(row, dict) and {"focus", "item"} <= set(row):
        return f" ({row['focus']} of {row['item']})"
    return ""


def _summary(rec: Any) -> str:
    first = record_fields(rec).get("user", "").strip().splitlines()
    return f": {first[0][:100]!r}" if first else ""


def diff_jsonl(
    old_text: str,
    new_text: str,
    old_name: str = "golden",
    new_name: str = "fresh",
    kind: str = "records",
    labels: Sequence[Any] = (),
) -> str:
    """A readable account of how two JSONL texts differ; "" when they are byte-identical.

    ``kind`` is "records" (ChatML: compared per field, code as lines) or "manifest" (compared per
    key). Records are numbered 1-based as in the manifest; ``labels`` are manifest rows of the old
    file used to name a record ("error-backoff of run_worker"). "-" lines are ``old_name``,
    "+" lines ``new_name``.
    """
    if old_text == new_text:
        return ""
    old_lines = [ln for ln in old_text.splitlines() if ln.strip()]
    new_lines = [ln for ln in new_text.splitlines() if ln.strip()]
    old, new = _parse(old_text), _parse(new_text)
    if old is None or new is None:
        bad = old_name if old is None else new_name
        body = difflib.unified_diff(
            old_text.splitlines(), new_text.splitlines(), old_name, new_name, lineterm=""
        )
        return f"{bad} is not valid JSONL; line diff:\n" + "\n".join(body)
    what = "record" if kind == "records" else "manifest row"
    out: list[str] = []
    for i, j in _pairs(old_lines, new_lines):
        if j is None:
            assert i is not None
            out.append(
                f"{what} {i + 1}{_label(_at(labels, i))} removed (only in {old_name})"
                + (_summary(old[i]) if kind == "records" else "")
            )
            continue
        if i is None:
            out.append(
                f"{what} {j + 1} added (only in {new_name})"
                + (_summary(new[j]) if kind == "records" else "")
            )
            continue
        num = f"{i + 1}" if i == j else f"{i + 1} (now {j + 1})"
        head = f"{what} {num}{_label(_at(labels, i) if kind == 'records' else old[i])}"
        a, b = _field_map(old[i], kind), _field_map(new[j], kind)
        changed = [k for k in _keys(a, b) if a.get(k) != b.get(k)]
        if not changed:
            # Same content, different serialisation (key order, escaping, spacing).
            out.append(f"{head}: same content, different bytes (serialisation differs)")
            out += _unified(old_lines[i], new_lines[j], old_name, new_name)
            continue
        for k in changed:
            out.append(f"{head}, field `{k}`:")
            if k not in a or k not in b:
                out.append(f"    field only in {old_name if k in a else new_name}")
            out += _unified(
                a.get(k, ""),
                b.get(k, ""),
                f"{old_name} {what} {i + 1} {k}",
                f"{new_name} {what} {j + 1} {k}",
            )
    if not out:
        # Same lines once blank lines are dropped: the difference is blank lines or line endings.
        out.append("same records, different bytes (blank lines or line endings):")
        out += _unified(old_text, new_text, old_name, new_name)
    return "\n".join(out)


def _at(rows: Sequence[Any], i: int) -> Any:
    return rows[i] if 0 <= i < len(rows) else None


def _field_map(value: Any, kind: str) -> dict[str, Any]:
    if kind == "records":
        return dict(record_fields(value))
    return dict(value) if isinstance(value, dict) else {"row": value}


def _keys(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    order = list(FIELDS)
    keys = list(dict.fromkeys([*a, *b]))
    return sorted(keys, key=lambda k: order.index(k) if k in order else len(order) + keys.index(k))
