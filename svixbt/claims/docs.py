"""The author's words: a doc comment is quoted as what its author wrote, and left out where the
code does something the doc does not say (the doc says nullify, the code also deletes rows).

The contradiction test is deliberately blunt: the doc's first sentence is quotable only when every
database action the code (or the same-file fns it calls) performs is named in the doc, and every
action verb the doc names is one the code performs.
"""

from __future__ import annotations

import bisect
import re

from .core import LIST_SEP, Claim, FileContext, make
from .shape import guard_of, put_guard

__all__ = ["doc_claims", "note_claims"]

# Doc wording -> the SQL verb it stands for.
_DOC_VERBS = {
    r"\bnullif(?:y|ies|ied)\b": "UPDATE",
    r"\bupdat(?:e|es|ed|ing)\b": "UPDATE",
    r"\bdelet(?:e|es|ed|ing)\b": "DELETE",
    r"\bremov(?:e|es|ed|ing)\b": "DELETE",
    r"\bprun(?:e|es|ed|ing)\b": "DELETE",
    r"\binsert(?:s|ed|ing)?\b": "INSERT",
}


# A doc whose words are about waiting, looping or stopping says why a background-task request is
# asked ("loop until it has been completed or times out"); one about anything else ("An inner
# function allowing key constants to be variable for testing") is no reason for it.
_PURPOSE = re.compile(
    r"(?i)\b(loop|poll|listen|wait|retr(y|ies|ied)|until|periodic|schedul|background|shut ?down"
    r"|interval|backoff|times? out|timeout|sleep|spawn)"
)


def _code_verbs(ctx: FileContext, idx: int) -> set[str]:
    f = ctx.facts[idx]
    verbs = {v for q in f.sql for v in q.verbs if v in ("UPDATE", "DELETE", "INSERT")}
    for c in f.calls:
        callee = ctx.local_fn(c.written) if c.kind == "fn" else None
        if callee is not None and callee.index != idx:
            verbs |= {v for q in callee.sql for v in q.verbs if v in ("UPDATE", "DELETE", "INSERT")}
    return verbs


def doc_claims(ctx: FileContext, idx: int) -> list[Claim]:
    f = ctx.facts[idx]
    if not f.doc:
        return []
    lines = f.doc.split("\n\n")[0].strip().split("\n")
    # A line with no stop before one that opens with a capital is a sentence of its own
    # (fang's "Starts the configured number of workers" / "This is necessary ...": joined, the
    # quote read "workers This is", a held-out read).
    for n in range(len(lines) - 1):
        if not re.search(r"[.!?,;:]\s*$", lines[n]) and re.match(r"\s*[A-Z]", lines[n + 1]):
            lines = lines[: n + 1]
            break
    first = " ".join(x.strip() for x in lines).strip()
    m = re.match(r"(.+?[.!?])(\s|$)", first)
    summary = (m.group(1) if m else first).strip()
    if "`" in summary:
        # "Nullifies the payload column for expired messages, `limit` sets ...": the clause
        # before the code is the summary.
        cut = re.match(r"([^`]*?)\s*[,;:]\s*[^,;:]*`", summary)
        summary = cut.group(1) if cut else summary
    if len(summary) < 12 or len(summary) > 200 or "`" in summary or "[" in summary:
        return []
    # "Resend all failed messages": a universal the code's limits may contradict, which the
    # tool cannot check, so the comment is not quoted.
    if re.search(r"(?i)\b(all|every|never|always|any|each)\b", summary):
        return []
    if re.search(r"(?i)\bloop", summary) and not f.loops():
        # "Internal select loop for performing verification" of a fn that selects once; the
        # loop is its caller's (nostr-rs-relay's `run_internal`, held-out read 30).
        return []
    if re.search(r"(?i)\bspawn", summary) and not f.spawns:
        return []
    said = {verb for rx, verb in _DOC_VERBS.items() if re.search(rx, summary, re.I)}
    done = _code_verbs(ctx, idx)
    # A doc that opens with a general verb ("Expires ...", "Cleans up ...") names whatever
    # changes the code makes; a specific one ("Nullifies ...") names only its own.
    if re.match(r"(?i)(expire|clean|sweep|purge)s?\b", summary):
        said |= done & {"UPDATE", "DELETE"}
    start = f.item.start
    text = ctx.fs.text[start : f.item.keyword_start]
    if summary.split(" ")[0] not in text:
        return []
    if said != done and (said or done):
        return _doc_partial(ctx, idx, summary, said, done, start, text)
    from ..facts import Src

    proof = Src(start, f.item.keyword_start, text)
    flags = {"purpose"} if _PURPOSE.search(summary) else set()
    if len(" ".join(f.doc.split())) > len(summary) + 1:
        # The doc goes on past its first sentence ("Get a mutable reference ..." and then
        # a deadlock warning): quoted as how it opens, not as all it says (a held-out
        # read of AppFlowy's `get_mut_group`).
        flags.add("more")
    return [make("doc", f.name, {"summary": summary}, [ctx.proof(proof)], flags)]


def _doc_partial(
    ctx: FileContext, idx: int, summary: str, said: set[str], done: set[str], start: int, text: str
) -> list[Claim]:
    """A doc that names some of the code's database actions and not others ("Nullifies ..." over
    an UPDATE and a DELETE): the comment is quoted only to say what it leaves out."""
    from ..facts import Src

    missing = done - said
    if not said or not missing or not said <= done:
        return []
    f = ctx.facts[idx]
    # Only statements the fn runs itself: a callee's are its own to describe.
    own = [q for q in f.sql if f.own(q.region) and set(q.verbs) & missing]
    if not own:
        return []
    verbs = sorted({v for q in own for v in q.verbs if v in missing})
    tables = [t for q in own for t in q.tables]
    if not tables:
        return []
    slots = {
        "summary": summary,
        "verbs": LIST_SEP.join(verbs),
        "tables": LIST_SEP.join(dict.fromkeys(tables)),
    }
    proof = [ctx.proof(Src(start, f.item.keyword_start, text))] + [ctx.proof(q.src) for q in own]
    flags: set[str] = set()
    # The action the comment names may itself run only under a condition (a flag the caller
    # passes): then the comment holds only when it holds, and leaving that out restates it.
    named = [q for q in f.sql if f.own(q.region) and set(q.verbs) & said]
    guards = [guard_of(f, q.region, at=q.src.start) for q in named]
    if named and all(g[0] and not g[2] for g in guards) and len({tuple(g[0]) for g in guards}) == 1:
        slots["named"] = LIST_SEP.join(sorted({v for q in named for v in q.verbs if v in said}))
        put_guard(slots, flags, guards[0][0], "")
        proof += [ctx.proof(q.src) for q in named]
    return [make("doc_partial", f.name, slots, proof, tuple(sorted(flags)))]


# A comment the author left as a marker of unfinished work: `// FIXME: ...`, `// TODO: ...`.
_NOTE = re.compile(r"//\s*(FIXME|TODO)(?:\([^)]*\))?\s*:?\s*(.+)")


def note_claims(ctx: FileContext, idx: int) -> list[Claim]:
    """The author's FIXME and TODO comments in a fn's body, quoted as written (one line each):
    a request may leave them out of scope; nothing else is said about them."""
    from ..facts import Src

    f = ctx.facts[idx]
    scan = ctx.fs.scan
    body = f.item.body_start
    if body is None:
        return []
    out: list[Claim] = []
    for k in range(bisect.bisect_left(scan.starts, body), len(scan.texts)):
        start = scan.starts[k]
        if start >= f.item.end:
            break
        if scan.codes[k] != "c":
            continue
        m = _NOTE.match(scan.texts[k])
        if m is None:
            continue
        # A note that goes on in the next `//` line is cut mid-sentence on its own line.
        nxt = k + 1
        if (
            nxt < len(scan.texts)
            and scan.codes[nxt] == "c"
            and scan.texts[nxt].startswith("//")
            and not _NOTE.match(scan.texts[nxt])
            and scan.line_of(scan.starts[nxt]) == scan.line_of(start) + 1
        ):
            continue
        note = m.group(2).strip().rstrip(".")
        # One line, a few words, no code or numbers of its own: quotable as the author's words.
        if "\n" in note or not 3 <= len(note.split()) <= 14 or re.search(r"[`{}\d]", note):
            continue
        text = scan.texts[k]
        out.append(
            make(
                "note",
                f.name,
                {"tag": m.group(1), "note": note},
                [ctx.proof(Src(start, start + len(text), text))],
            )
        )
    return out
