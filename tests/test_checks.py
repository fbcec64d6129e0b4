"""Checks every record must pass: schema, byte exactness, grounding and variety."""

from __future__ import annotations

import copy
import textwrap
from pathlib import Path
from typing import Any

import pytest

from svixbt.checks import (
    REQUEST_MAX_JACCARD,
    THINK_MAX_JACCARD,
    Variety,
    code_slices,
    grounding_errors,
    jaccard,
    schema_errors,
    trigrams,
    validate_records,
)
from svixbt.records import SYSTEM_PROMPT, make_record
from svixbt.scanner import scan_text

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

SOURCE = textwrap.dedent(
    """\
    use std::time::Duration;

    /// Waits a little.
    async fn nap(d: Duration) {
        tokio::time::sleep(d).await;
    }

    // The driver.
    pub async fn run() {
        loop {
            nap(Duration::from_secs(1)).await;
        }
    }

    const LIMIT: u32 = 10;
    """
)


def _spans(src: str) -> list[tuple[int, int]]:
    scan = scan_text(src)
    return [(it.start, it.end) for it in scan.items] + [(u.start, u.end) for u in scan.uses]


def _slices(src: str) -> dict[str, str]:
    scan = scan_text(src)
    out = {it.name: src[it.start : it.end] for it in scan.items}
    out["use"] = scan.uses[0].text
    return out


def test_two_slices_joined_by_blank_line_accepted() -> None:
    s = _slices(SOURCE)
    assert s["nap"].startswith("/// Waits a little.")
    assert s["run"].startswith("// The driver.")
    code = s["nap"] + "\n\n" + s["run"]
    got = code_slices(code, SOURCE, _spans(SOURCE))
    assert got is not None
    assert ["".join(SOURCE[a:b]) for a, b in got] == [s["nap"], s["run"]]


def test_use_and_three_items_accepted() -> None:
    s = _slices(SOURCE)
    code = "\n\n".join([s["use"], s["nap"], s["run"], s["LIMIT"]])
    got = code_slices(code, SOURCE, _spans(SOURCE))
    assert got is not None and len(got) == 4


def test_single_slice_accepted() -> None:
    s = _slices(SOURCE)
    assert code_slices(s["LIMIT"], SOURCE, _spans(SOURCE)) is not None


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda s: s["run"] + "\n\n" + s["nap"], id="reordered"),
        pytest.param(
            lambda s: s["nap"] + "\n\n" + s["run"].replace("from_secs(1)", "from_secs(2)"),
            id="changed-byte",
        ),
        pytest.param(lambda s: s["nap"] + "\n" + s["run"], id="no-blank-line"),
        pytest.param(lambda s: s["nap"] + "\n\n\n" + s["run"], id="two-blank-lines"),
        pytest.param(lambda s: s["nap"] + "\n\n" + s["run"][: len(s["run"]) // 2], id="cut"),
        pytest.param(lambda s: s["nap"][: len(s["nap"]) // 2], id="cut-alone"),
        pytest.param(lambda s: s["nap"] + "\n\n" + s["nap"], id="repeated"),
        pytest.param(
            lambda s: s["nap"] + "\n\n",
            id="trailing-separator",
        ),
        pytest.param(lambda s: "    " + s["nap"], id="reindented"),
        pytest.param(lambda s: s["run"].replace("// The driver.\n", ""), id="comment-dropped"),
        pytest.param(lambda s: "", id="empty"),
    ],
)
def test_code_slices_rejects(make: Any) -> None:
    code = make(_slices(SOURCE))
    assert code_slices(code, SOURCE, _spans(SOURCE)) is None


def test_crlf_source_needs_crlf_separators() -> None:
    crlf = SOURCE.replace("\n", "\r\n")
    s = _slices(crlf)
    assert "\r\n" in s["run"]
    spans = _spans(crlf)
    assert code_slices(s["nap"] + "\r\n\r\n" + s["run"], crlf, spans) is not None
    assert code_slices(s["nap"] + "\n\n" + s["run"], crlf, spans) is None
    # and an LF copy of a CRLF slice is not the source
    assert code_slices(s["nap"].replace("\r\n", "\n"), crlf, spans) is None


# -- grounding -------------------------------------------------------------------------------

GCODE = textwrap.dedent(
    """\
    const QUIET: Duration = Duration::from_secs(60 * 60 * 12);
    const PAUSE: Duration = Duration::from_secs(1_800);

    async fn prune_loop(db: Db) {
        loop {
            prune_once(&db).await;
            tokio::time::sleep(QUIET).await;
        }
    }
    """
)


def test_grounded_text_passes() -> None:
    texts = [
        "Make `prune_loop` call `prune_once` and wait 12 hours between passes.",
        "It sleeps with `tokio::time::sleep` for `QUIET` (43,200 seconds, or 720 minutes); "
        "PAUSE is 30 minutes.",
    ]
    assert grounding_errors(texts, GCODE) == []


def test_backticked_identifier_not_in_code_flagged() -> None:
    errs = grounding_errors(["Call `prune_batch` from the loop."], GCODE)
    assert errs == ["`prune_batch` is not in the code, its file or its crate"]


def test_backticked_call_and_macro_forms_accepted() -> None:
    assert grounding_errors(["`prune_once()` then `prune_loop`"], GCODE) == []


def test_identifier_in_context_accepted() -> None:
    text = ["Launch it from `start_workers`."]
    assert grounding_errors(text, GCODE) == [
        "`start_workers` is not in the code, its file or its crate"
    ]
    assert grounding_errors(text, GCODE, context="fn start_workers() {}") == []


def test_snake_case_word_in_prose_flagged() -> None:
    errs = grounding_errors(["The retry_budget stays as it is."], GCODE)
    assert errs == ["retry_budget is not in the code, its file or its crate"]


def test_underivable_number_flagged() -> None:
    assert grounding_errors(["It waits 7 hours."], GCODE) == [
        "the value 7 does not come from the code"
    ]


def test_derived_values_accepted() -> None:
    # 60 * 60 * 12 -> 43200 s -> 12 hours; 1_800 s -> 30 minutes; small counts are prose
    assert grounding_errors(["12 hours, 30 minutes, 43,200 seconds and 2 passes."], GCODE) == []


def test_spawn_where_nothing_spawns_flagged() -> None:
    errs = grounding_errors(["Start it with tokio::spawn so it runs in the background."], GCODE)
    assert "mentions spawning where nothing spawns" in errs
    assert "tokio::spawn is mentioned but not used in the code or crate" in errs


def test_spawn_in_context_accepted() -> None:
    ctx = "fn main() { tokio::spawn(prune_loop(db)); }"
    assert grounding_errors(["Started with tokio::spawn."], GCODE, context=ctx) == []


def test_tokio_path_not_used_flagged() -> None:
    errs = grounding_errors(["It ticks on tokio::time::interval."], GCODE)
    assert "tokio::time::interval is mentioned but not used in the code or crate" in errs
    assert grounding_errors(["It sleeps on tokio::time::sleep."], GCODE) == []


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


def test_validate_records_exactness_and_grounding() -> None:
    s = _slices(SOURCE)
    spans = _spans(SOURCE)
    ok = make_record(
        "Write `run` so it naps between passes.", "`nap` wraps `tokio::time::sleep`.", s["run"]
    )
    assert validate_records([ok], source=SOURCE, spans=spans).ok
    edited = make_record(
        "Write `run` so it naps between passes.",
        "`nap` wraps `tokio::time::sleep`.",
        s["run"].replace("loop", "while true"),
    )
    rep = validate_records([edited], source=SOURCE, spans=spans)
    assert rep.errors == ["record 1: code is not whole slices of the source in source order"]
    ungrounded = make_record(
        "Write `run` so it naps between passes.", "`nap` wraps `tokio::time::interval`.", s["run"]
    )
    rep = validate_records([ungrounded], source=SOURCE, spans=spans)
    assert rep.errors == [
        "record 1: `tokio::time::interval` is not in the code, its file or its crate",
        "record 1: tokio::time::interval is mentioned but not used in the code or crate",
    ]


def test_validate_records_flags_pasted_code() -> None:
    s = _slices(SOURCE)
    pasted = make_record(
        "Change this: nap(Duration::from_secs(1)).await; to something else.", THINK, s["run"]
    )
    rep = validate_records([pasted])
    assert rep.errors == ["record 1: the request pastes code"]


def test_numbered_list_markers_are_not_values() -> None:
    request = "Requirements:\n1. Sleep.\n2. Log.\n3. Retry.\n4. Stop on shutdown."
    assert grounding_errors([request], GCODE) == []


def test_record_errors_flags_a_pasted_code_line() -> None:
    from svixbt.checks import record_errors

    code = "fn run_the_cleanup_now() -> Result<(), Error> {\n    Ok(())\n}"
    pasted = "Please add fn run_the_cleanup_now() -> Result<(), Error> { to the worker."
    assert "the request pastes code" in record_errors(pasted, "think", code, None)
    assert record_errors("Please add a cleanup fn to the worker.", "think", code, None) == []


def test_variety_is_shared_by_generate_and_validate(tmp_path: Path) -> None:
    # Appending seed 1's records to seed 0's: generate refuses the near duplicates. Validating the
    # two runs' records together flags exactly the ones generate refused.
    from svixbt.generate import generate
    from svixbt.records import read_jsonl

    out, alone = tmp_path / "both.jsonl", tmp_path / "seed1.jsonl"
    first = generate(None, out, seed=0, with_crate=False).written
    appended = generate(None, out, seed=1, append=True, with_crate=False)
    generate(None, alone, seed=1, with_crate=False)
    seed1 = read_jsonl(alone)
    assert appended.files[0].rejected and len(seed1) > appended.written

    rep = validate_records(read_jsonl(out)[:first] + seed1)
    flagged = {int(e.split(":")[0].removeprefix("record ")) - first - 1 for e in rep.errors}
    kept = [r for i, r in enumerate(seed1) if i not in flagged]
    assert len(flagged) == len(appended.files[0].rejected)
    assert kept == read_jsonl(out)[first:]


def test_cap_first_never_capitalises_an_identifier() -> None:
    from svixbt.phrasing import cap_first

    assert cap_first("is_allowed had this logic inline") == "is_allowed had this logic inline"
    assert cap_first("`run` is slow") == "`run` is slow"
    assert cap_first("a deploy waited") == "A deploy waited"
