"""Grounding of code spans: a span with a space must be read in the code block or a proof."""

from __future__ import annotations

from svixbt.checks import Vocabulary, grounding_errors
from svixbt.claims.core import Proof, make

CODE = (
    "fn tick() {\n"
    "    if rows_affected < (BATCH_SIZE as _) {\n"
    "        sleep(IDLE).await;\n"
    "    }\n"
    "}\n"
)


def _vocab(value: str, proof_text: str) -> Vocabulary:
    c = make(
        "schedule",
        "tick",
        {"name": "RETRY", "count": "3", "first": value, "last": "40 milliseconds", "values": "x"},
        [Proof("a.rs", 0, len(proof_text), proof_text)],
    )
    return Vocabulary.of([c], {"fn": "tick", "file": "a.rs"})


def test_prose_in_backticks_is_not_code_even_when_a_slot_holds_it() -> None:
    v = _vocab("10 milliseconds", "const RETRY: [Duration; 3] = [];")
    v.code.add("10 milliseconds")  # as if a slot were wrongly marked as code
    errs = grounding_errors(["It waits `10 milliseconds` first."], CODE, v)
    assert errs == ["`10 milliseconds` is not a value of any claim"]


def test_an_expression_read_in_the_code_block_passes() -> None:
    v = _vocab("10 milliseconds", "x")
    v.code.add("rows_affected < (BATCH_SIZE as _)")
    assert grounding_errors(["When `rows_affected < (BATCH_SIZE as _)` holds."], CODE, v) == []


def test_an_expression_read_only_in_a_proof_passes_and_whitespace_is_folded() -> None:
    v = _vocab("10 milliseconds", "for delivery\n        in batch {")
    v.code.add("for delivery in batch")
    assert grounding_errors(["Once per `for delivery in batch`."], CODE, v) == []


def test_a_resolved_path_need_not_be_written_in_the_code() -> None:
    v = _vocab("10 milliseconds", "x")
    v.code.add("tokio::time::sleep")
    assert grounding_errors(["It pauses with `tokio::time::sleep`."], CODE, v) == []
