"""Checks every record must pass: schema, claim traces, grounding and variety.

Byte exactness of code blocks is tested with the code-block rules in test_codeblock.py.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from svixbt.checks import (
    REQUEST_MAX_JACCARD,
    THINK_MAX_JACCARD,
    Variety,
    Vocabulary,
    grounding_errors,
    jaccard,
    pasted_code,
    run_errors,
    schema_errors,
    shared_runs,
    trace_errors,
    trigrams,
    validate_records,
)
from svixbt.claims.core import Proof, make
from svixbt.records import SYSTEM_PROMPT, make_record
from svixbt.render import Fill

REQUEST = "Add a pruning task to the worker module that runs until shutdown."
THINK = "The loop sleeps between passes and logs failures instead of ending."
CODE = "fn run() {}"


def good() -> dict[str, Any]:
    return make_record(REQUEST, THINK, CODE)


# -- schema ----------------------------------------------------------------------------------


def test_good_record_has_no_schema_errors() -> None:
    rec = good()
    assert schema_errors(rec) == []
    assert list(rec) == ["type", "messages"]
    assert rec["messages"][0] == {"role": "system", "content": SYSTEM_PROMPT}
    assert rec["messages"][2]["content"] == f"<think>\n{THINK}\n</think>\n\n{CODE}"


def _reordered(rec: dict[str, Any]) -> dict[str, Any]:
    return {"messages": rec["messages"], "type": rec["type"]}


def _extra_key(rec: dict[str, Any]) -> dict[str, Any]:
    rec["id"] = 1
    return rec


def _extra_message_key(rec: dict[str, Any]) -> dict[str, Any]:
    rec["messages"][1]["name"] = "maintainer"
    return rec


def _wrong_role(rec: dict[str, Any]) -> dict[str, Any]:
    rec["messages"][1]["role"] = "assistant"
    return rec


def _system_one_char(rec: dict[str, Any]) -> dict[str, Any]:
    rec["messages"][0]["content"] = SYSTEM_PROMPT[:-1] + ","
    return rec


def _system_trailing_space(rec: dict[str, Any]) -> dict[str, Any]:
    rec["messages"][0]["content"] = SYSTEM_PROMPT + " "
    return rec


def _no_think_tags(rec: dict[str, Any]) -> dict[str, Any]:
    rec["messages"][2]["content"] = f"{THINK}\n\n{CODE}"
    return rec


def _no_blank_after_think(rec: dict[str, Any]) -> dict[str, Any]:
    rec["messages"][2]["content"] = f"<think>\n{THINK}\n</think>\n{CODE}"
    return rec


def _empty_think(rec: dict[str, Any]) -> dict[str, Any]:
    rec["messages"][2]["content"] = f"<think>\n \n</think>\n\n{CODE}"
    return rec


def _nested_think(rec: dict[str, Any]) -> dict[str, Any]:
    rec["messages"][2]["content"] = f"<think>\n<think>{THINK}\n</think>\n\n{CODE}"
    return rec


def _wrong_type(rec: dict[str, Any]) -> dict[str, Any]:
    rec["type"] = "chat"
    return rec


def _two_messages(rec: dict[str, Any]) -> dict[str, Any]:
    rec["messages"].pop()
    return rec


def _fenced_request(rec: dict[str, Any]) -> dict[str, Any]:
    rec["messages"][1]["content"] = REQUEST + "\n```rust\nfn run() {}\n```"
    return rec


@pytest.mark.parametrize(
    ("damage", "error"),
    [
        (_reordered, "keys must be exactly type, messages in that order"),
        (_extra_key, "keys must be exactly type, messages in that order"),
        (_extra_message_key, "message 1 must have exactly role, content"),
        (_wrong_role, "message 1 role must be 'user'"),
        (_system_one_char, "system text is not verbatim"),
        (_system_trailing_space, "system text is not verbatim"),
        (_no_think_tags, "assistant content must be '<think>"),
        (_no_blank_after_think, "assistant content must be '<think>"),
        (_empty_think, "think and code must both be non-empty"),
        (_nested_think, "nested think tag"),
        (_wrong_type, '"type" must be "chatml"'),
        (_two_messages, "exactly 3 messages"),
        (_fenced_request, "request contains a code fence"),
    ],
    ids=lambda x: x.__name__.strip("_") if callable(x) else "",
)
def test_schema_errors_flag_damage(damage: Any, error: str) -> None:
    # Each damage is reported once, by the check for it, not by some other check's side effect.
    errs = schema_errors(damage(copy.deepcopy(good())))
    assert len(errs) == 1 and error in errs[0], errs


def test_schema_errors_on_non_object() -> None:
    assert schema_errors([good()]) == ["record is not a JSON object"]


# -- code slices -----------------------------------------------------------------------------

# -- grounding ---------------------------------------------------------------------------------

GCODE = (
    "const QUIET: Duration = Duration::from_secs(60 * 60 * 12);\n\n"
    "async fn prune_loop(db: Db) {\n"
    "    loop {\n"
    "        if prune_once(&db).await > 0 {\n"
    "            tokio::time::sleep(QUIET).await;\n"
    "        }\n"
    "    }\n"
    "}\n"
)
CONTEXT = {"fn": "prune_loop", "file": "src/prune.rs"}


def _sleep_claim(**extra: str) -> Any:
    slots = {"mech": "tokio::time::sleep", "arg": "QUIET", "dur": "12 hours", **extra}
    flags = {"guarded"} if "guard" in extra else set()
    text = "tokio::time::sleep(QUIET).await"
    at = GCODE.index(text)
    return make(
        "sleep", "prune_loop", slots, [Proof("src/prune.rs", at, at + len(text), text)], flags
    )


def _vocab(*claims: Any) -> Vocabulary:
    return Vocabulary.of(claims, CONTEXT)


def test_every_value_of_a_rendered_claim_may_be_said() -> None:
    v = _vocab(_sleep_claim(guard="prune_once(&db).await > 0"))
    text = (
        "`prune_loop` sleeps 12 hours with `tokio::time::sleep` on `QUIET` when "
        "`prune_once(&db).await > 0` holds."
    )
    assert grounding_errors([text], GCODE, v) == []


def test_a_code_span_no_claim_carries_is_flagged() -> None:
    errs = grounding_errors(["It calls `prune_batch` first."], GCODE, _vocab(_sleep_claim()))
    assert errs == ["`prune_batch` is not a value of any claim"]


def test_a_number_no_claim_carries_is_flagged() -> None:
    errs = grounding_errors(["It waits 7 hours."], GCODE, _vocab(_sleep_claim()))
    assert errs == ["the number in “7” comes from no claim"]


def test_numbered_list_markers_are_not_values() -> None:
    request = "Requirements:\n1. Sleep.\n2. Log.\n3. Retry."
    assert grounding_errors([request], GCODE, _vocab(_sleep_claim())) == []


def test_spawning_needs_a_claim_that_something_spawns() -> None:
    text = ["Start it with tokio::spawn so it runs in the background."]
    errs = grounding_errors(text, GCODE, _vocab(_sleep_claim()))
    assert "mentions spawning where no claim says anything spawns" in errs
    spawn = make("spawn", "prune_loop", {"mech": "tokio::spawn", "handle": "dropped"}, [])
    v = _vocab(_sleep_claim(), spawn)
    assert "mentions spawning where no claim says anything spawns" not in grounding_errors(
        text, GCODE, v
    )


def test_all_callers_needs_a_complete_caller_set() -> None:
    text = ["No other file calls `prune_loop`."]
    errs = grounding_errors(text, GCODE, _vocab(_sleep_claim()))
    assert errs == ["claims something about all callers without a complete caller set"]


def test_a_quote_must_be_the_authors_text_in_a_claim() -> None:
    log = make(
        "log",
        "prune_loop",
        {"level": "info", "macro": "tracing::info!", "message": "pruned stale rows."},
        [],
    )
    v = _vocab(log)
    assert grounding_errors(["It logs “pruned stale rows.”"], GCODE, v) == []
    assert grounding_errors(["It logs “pruned rows.”"], GCODE, v) == [
        "quote “pruned rows.” is not the author's text in any claim"
    ]


def test_a_fill_no_rendered_claim_carries_is_flagged() -> None:
    claim = _sleep_claim()
    ok = [Fill("QUIET", True), Fill("prune_loop", True)]
    assert trace_errors(ok, [claim], CONTEXT, {"src/prune.rs": GCODE}) == []
    errs = trace_errors([Fill("IDLE", True)], [claim], CONTEXT, {"src/prune.rs": GCODE})
    assert errs == ["`IDLE` was filled in but no rendered claim carries it"]


def test_a_proof_that_no_longer_reads_the_same_is_flagged() -> None:
    claim = _sleep_claim()
    edited = GCODE.replace("sleep(QUIET)", "sleep(IDLE) ")
    errs = trace_errors([], [claim], CONTEXT, {"src/prune.rs": edited})
    assert errs == [
        "sleep claim about `prune_loop`: its proof at src/prune.rs:"
        f"{GCODE.index('tokio::time::sleep')} no longer reads the same"
    ]


def test_pasted_code_is_a_long_line_of_the_block_in_the_request() -> None:
    code = "fn run_the_cleanup_now() -> Result<(), Error> {\n    Ok(())\n}"
    assert pasted_code("Please add fn run_the_cleanup_now() -> Result<(), Error> { here.", code)
    assert not pasted_code("Please add a cleanup fn to the worker.", code)


# -- runs shared across one file's records ---------------------------------------------------


def test_a_code_span_counts_as_one_word_in_a_run() -> None:
    texts = [
        "It waits with `tokio::time::sleep` on `QUIET` between every single pass of the loop.",
        "It waits with `tokio::time::interval` on `QUIET` between every single pass of the loop.",
    ]
    share, run = shared_runs(texts, n=8)
    assert share == 1.0
    assert "`quiet`" in run  # the span is one word, so the run fits around the differing path


def test_run_errors_flag_a_run_in_more_than_a_quarter_of_a_files_texts() -> None:
    same = "The loop sleeps for a while and then tries the whole thing again"
    others = [f"Record {w} says something entirely its own about {w}" for w in "abcdef"]
    thinks = [f"think {w} alone" for w in "abcdefghi"]
    users = [same + " now.", same + " later.", *others]
    assert run_errors("f.rs", users, thinks[:8]) == []  # 2 of 8: a quarter, not more
    users.append(same + " soon.")  # 3 of 9
    errs = run_errors("f.rs", users, thinks)
    assert len(errs) == 1 and errs[0].startswith("f.rs: 33% of its requests share the words")
    assert run_errors("f.rs", users[:3], users[:3]) == []  # fewer than four records: not checked


# -- variety ---------------------------------------------------------------------------------


def test_trigrams() -> None:
    assert trigrams("A b, c d") == {("a", "b", "c"), ("b", "c", "d")}
    assert trigrams("two words") == set()


def test_jaccard() -> None:
    a = trigrams("one two three four")
    b = trigrams("two three four five")
    assert jaccard(a, a) == 1.0
    assert jaccard(a, b) == pytest.approx(1 / 3)
    assert jaccard(a, trigrams("six seven eight")) == 0.0
    assert jaccard(set(), a) == 0.0


def _words(n: int, shared: int) -> tuple[str, str]:
    """Two texts of ``n`` distinct words each whose first ``shared`` words are the same: their
    trigram Jaccard is (shared - 2) / (2 * (n - 2) - (shared - 2))."""
    a = [f"a{i}" for i in range(n)]
    return " ".join(a), " ".join(a[:shared] + [f"b{i}" for i in range(n - shared)])


@pytest.mark.parametrize(
    ("n", "shared", "flagged"),
    [
        (14, 10, False),  # 8/16 = 0.5 exactly: alike, not near duplicates
        (12, 9, True),  # 7/13 = 0.54
    ],
)
def test_request_near_duplicate_threshold(n: int, shared: int, flagged: bool) -> None:
    a, b = _words(n, shared)
    v = Variety()
    v.add(a, "one think about shutdown", "r1")
    errs = v.errors(b, "another think entirely, on batching")
    assert errs == (
        [f"request is a near duplicate of r1 (Jaccard {7 / 13:.2f} > 0.5)"] if flagged else []
    )


@pytest.mark.parametrize(
    ("n", "shared", "flagged"),
    [
        (12, 9, False),  # 7/13 = 0.54: a near-duplicate request, an acceptable think
        (14, 11, False),  # 9/15 = 0.6 exactly
        (12, 10, True),  # 8/12 = 0.67
    ],
)
def test_think_near_duplicate_threshold(n: int, shared: int, flagged: bool) -> None:
    a, b = _words(n, shared)
    v = Variety()
    v.add("one request about shutdown", a, "r1")
    errs = v.errors("another request entirely, on batching", b)
    assert errs == (["think is a near duplicate of r1 (Jaccard 0.67 > 0.6)"] if flagged else [])


REQ_A = (
    "Please add a background task that prunes stale delivery attempts every thirty minutes "
    "in the cleaner module"
)
REQ_NEAR = REQ_A.replace("cleaner module", "pruner module")
REQ_FAR = "Our on-call rotation wants the webhook retry queue drained before deploys finish"
THINK_A = (
    "The driver loops until shutdown, sleeps between passes, and logs a failed pass at error "
    "level so the server keeps running while the table is trimmed in small batches"
)
THINK_NEAR = THINK_A.replace("small batches", "bounded batches")
THINK_FAR = "A transaction scopes the statement timeout so it never leaks onto pooled connections"


def test_fixture_similarities() -> None:
    assert jaccard(trigrams(REQ_A), trigrams(REQ_NEAR)) > REQUEST_MAX_JACCARD
    assert jaccard(trigrams(REQ_A), trigrams(REQ_FAR)) < REQUEST_MAX_JACCARD
    assert jaccard(trigrams(THINK_A), trigrams(THINK_NEAR)) > THINK_MAX_JACCARD
    assert jaccard(trigrams(THINK_A), trigrams(THINK_FAR)) < THINK_MAX_JACCARD


def test_validate_records_distinct_ok() -> None:
    rep = validate_records(
        [make_record(REQ_A, THINK_A, CODE), make_record(REQ_FAR, THINK_FAR, CODE)]
    )
    assert rep.ok, rep.errors
    assert rep.records == 2


def test_validate_records_duplicate_request() -> None:
    rep = validate_records([make_record(REQ_A, THINK_A, CODE), make_record(REQ_A, THINK_FAR, CODE)])
    assert rep.errors == ["record 2: request duplicates record 1"]


def test_validate_records_near_duplicate_request() -> None:
    rep = validate_records(
        [make_record(REQ_A, THINK_A, CODE), make_record(REQ_NEAR, THINK_FAR, CODE)]
    )
    assert len(rep.errors) == 1
    assert rep.errors[0].startswith("record 2: request is a near duplicate of record 1")


def test_validate_records_duplicate_think() -> None:
    rep = validate_records([make_record(REQ_A, THINK_A, CODE), make_record(REQ_FAR, THINK_A, CODE)])
    assert rep.errors == ["record 2: think duplicates record 1"]


def test_validate_records_near_duplicate_think() -> None:
    rep = validate_records(
        [make_record(REQ_A, THINK_A, CODE), make_record(REQ_FAR, THINK_NEAR, CODE)]
    )
    assert len(rep.errors) == 1
    assert rep.errors[0].startswith("record 2: think is a near duplicate of record 1")


def test_validate_records_schema_error_numbered() -> None:
    bad = _wrong_role(good())
    rep = validate_records([make_record(REQ_A, THINK_A, CODE), bad])
    assert rep.errors == ["record 2: message 1 role must be 'user'"]


def test_validate_records_flags_pasted_code() -> None:
    code = "async fn run() {\n    loop {\n        nap(Duration::from_secs(1)).await;\n    }\n}\n"
    pasted = make_record(
        "Change this: nap(Duration::from_secs(1)).await; to something else.", THINK, code
    )
    rep = validate_records([pasted])
    assert rep.errors == ["record 1: the request pastes code"]


def test_variety_is_shared_by_generate_and_validate(tmp_path: Path) -> None:
    # Appending a run to itself: generate refuses every record as a duplicate, and validating the
    # two runs' records together flags exactly the second copy of each.
    from svixbt.generate import generate
    from svixbt.records import read_jsonl

    out = tmp_path / "both.jsonl"
    first = generate(None, out, seed=0, with_crate=False).written
    again = generate(None, out, seed=0, append=True, with_crate=False)
    assert first > 0 and again.written == 0 and again.files[0].duplicates == first
    records = read_jsonl(out)
    rep = validate_records(records + records)
    flagged = {int(e.split(":")[0].removeprefix("record ")) for e in rep.errors}
    assert flagged == set(range(first + 1, 2 * first + 1))


def test_a_method_named_by_its_type_is_grounded(tmp_path: Path) -> None:
    """Two impls with a `run` each: a request names one `Dns::run`, as generation does, and
    validate must know that name (held-out read 11 on shadowsocks: four records rejected)."""
    from svixbt.checks import _file_contexts

    src = tmp_path / "servers.rs"
    src.write_text(
        "pub struct Dns;\npub struct Http;\n\n"
        "impl Dns {\n    pub async fn run(&self) {\n        loop {\n"
        "            tokio::time::sleep(std::time::Duration::from_secs(1)).await;\n"
        "        }\n    }\n}\n\n"
        "impl Http {\n    pub async fn run(&self) {\n        loop {\n"
        "            tokio::time::sleep(std::time::Duration::from_secs(2)).await;\n"
        "        }\n    }\n}\n",
        encoding="utf-8",
    )
    _, vocab = _file_contexts([src])[src]
    assert {"Dns::run", "Http::run"} <= vocab.code


def test_a_tie_between_runs_is_broken_by_the_runs_not_by_their_order() -> None:
    """`shared_runs` picked the first run a set gave among equals, and set order follows the
    process's string hashes: `generate` kept other records of neon's timeline.rs under other
    `PYTHONHASHSEED`s. Two texts with one run each tie; the answer must not hang on order."""
    from svixbt.checks import shared_runs

    a = "one two three four five six seven eight"
    b = "alpha beta gamma delta epsilon zeta eta theta"
    assert shared_runs([a, b]) == shared_runs([b, a])
