"""What several test modules share: the real-crate corpus, the golden switch, code-vs-slices.

The corpus (`make corpus`) is optional on a developer's machine and required in CI: with
SVIXBT_REQUIRE_CORPUS=1 (`.ci/run` sets it) a test that needs it fails instead of skipping, so a
broken download can never turn the differential, lexer and property tests into silent skips.
SVIXBT_CORPUS points the tests at a corpus elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("SVIXBT_CORPUS") or ROOT / "corpus")
REQUIRE_CORPUS = os.environ.get("SVIXBT_REQUIRE_CORPUS") == "1"
# `make golden` sets it to 1; any other value (or none) compares instead of rewriting.
UPDATE_GOLDEN = os.environ.get("SVIXBT_UPDATE_GOLDEN") == "1"


def corpus_ready() -> bool:
    return (CORPUS / ".done").is_file()


def corpus_files() -> list[Path]:
    """Every `.rs` file of the corpus, sorted; empty when there is no complete corpus."""
    if not corpus_ready():
        return []
    return sorted(p for p in CORPUS.rglob("*.rs") if p.is_file())


def require_corpus() -> Path:
    """The corpus directory; otherwise skip, or fail when SVIXBT_REQUIRE_CORPUS=1."""
    if not corpus_ready():
        message = f"no real-crate corpus at {CORPUS}: run `make corpus`"
        if REQUIRE_CORPUS:
            pytest.fail(message + " (SVIXBT_REQUIRE_CORPUS=1)", pytrace=False)
        pytest.skip(message)
    return CORPUS


def assert_code_is_slices(code: str, raw: bytes, slices: list[dict[str, Any]]) -> None:
    """``code`` is exactly the manifest's slices of the file ``raw``, in source order, and nothing
    else: between two slices only the source's own bytes (when only whitespace separates them) or
    one blank line in the file's line ending (SPEC, "The code part")."""
    first_break = raw.find(b"\n")
    eol = "\r\n" if first_break > 0 and raw[first_break - 1] == ord("\r") else "\n"
    spans = sorted((s["start_byte"], s["end_byte"]) for s in slices)
    assert spans, "a record with no slices"
    texts = [raw[a:b].decode("utf-8") for a, b in spans]
    pos = 0
    for k, piece in enumerate(texts):
        assert code.startswith(piece, pos), f"slice {k} {spans[k]} is not at {pos} of the code"
        pos += len(piece)
        if k + 1 == len(texts):
            break
        gap = raw[spans[k][1] : spans[k + 1][0]].decode("utf-8")
        seps = [eol + eol] + ([gap] if not gap.strip() else [])
        sep = next((s for s in seps if code.startswith(s + texts[k + 1], pos)), None)
        assert sep is not None, f"slices {k} and {k + 1} are not joined as SPEC says"
        pos += len(sep)
    assert pos == len(code), f"the code has {len(code) - pos} characters after the last slice"


def cli_env() -> dict[str, str]:
    """Environment for running `python -m svixbt` in a subprocess: the package of this tree (not
    whatever is installed), so a mutation run tests its mutant through the CLI too. mutmut's
    coverage pass ("stats") records calls in its own process only, and its recorder needs the
    project's config, which a subprocess in a temporary directory cannot find: that pass runs
    the subprocess on unmutated code."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    if env.get("MUTANT_UNDER_TEST") == "stats":
        del env["MUTANT_UNDER_TEST"]
    return env


def write_crate(root: Path, files: dict[str, str], name: str = "demo-crate") -> None:
    """A crate at ``root``: a Cargo.toml and ``files`` under src/."""
    (root / "Cargo.toml").write_text(f'[package]\nname = "{name}"\n', encoding="utf-8")
    for rel, text in files.items():
        p = root / "src" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")


TRAPS = ROOT / "tests" / "fixtures" / "traps" / "src"


def trap_context(name: str) -> Any:
    """The file context of trap fixture ``name`` (a `FileContext`), in a fresh crate index."""
    from svixbt.evidence import Indexes, file_context
    from svixbt.pipeline import scan_file

    return file_context(scan_file(TRAPS / name), Indexes())


def claims_of(ctx: Any, item: str, kind: str) -> list[Any]:
    """The claims of ``kind`` about the non-test item named ``item``."""
    from svixbt.claims import claims_for

    idx = next(i for i, it in enumerate(ctx.fs.items) if it.name == item and not it.is_test)
    return [c for c in claims_for(ctx, idx) if c.kind == kind]


def said_about(ctx: Any, item: str, *, requests: bool = False) -> str:
    """The thinks (and with ``requests`` the requests too) of the file's records about ``item``."""
    from svixbt.compose import compose_examples

    return " ".join(
        (ex.user + " " if requests else "") + ex.think
        for ex in compose_examples(ctx)
        if ctx.fs.items[ex.primary].name == item
    )
