"""The wording tables: what every template may and may not hold, and that each renders.

Templates are the only English the tool writes; these tests hold them to the rules that keep a
sentence from saying anything its claim does not carry.
"""

from __future__ import annotations

import re

import pytest

from svixbt.checks import LITERAL_CODE, trace_errors
from svixbt.claims.core import make
from svixbt.claims.kinds import KINDS
from svixbt.focus import FOCI
from svixbt.render import CODE_SLOTS, FIELD, Rendered, Renderer, Row, named, quotable
from svixbt.wording import requests as rq
from svixbt.wording import think as th

TABLES: dict[str, tuple[Row, ...]] = {
    "THINK": th.THINK,
    "TOKIO": th.TOKIO,
    "MODULE_THINK": th.MODULE_THINK,
    "CRITERIA": rq.CRITERIA,
    "PREMISE": rq.PREMISE,
    "STAKES": rq.STAKES,
    "INCIDENTS": rq.INCIDENTS,
    "SCENARIOS": rq.SCENARIOS,
    "QUESTIONS": rq.QUESTIONS,
    "USED_BY": th.USED_BY,
    "ALIKE": th.ALIKE,
}
ROWS = [(name, i, row) for name, rows in TABLES.items() for i, row in enumerate(rows)]
CONTEXT_SLOTS = {"fn", "file", "subject"}


def _texts(entries: tuple[object, ...]) -> list[str]:
    return [e if isinstance(e, str) else e[0] for e in entries]  # type: ignore[index]


FOCUS_TEXTS = [
    (table, focus, text)
    for table, d in (
        ("OPENERS", th.OPENERS),
        ("TITLES", rq.TITLES),
        ("ASKS", rq.ASKS),
        ("WHY", rq.WHY),
        ("SYMPTOMS", rq.SYMPTOMS),
        ("REFACTORS", rq.REFACTORS),
    )
    for focus, entries in d.items()
    for text in _texts(entries)
]


@pytest.mark.parametrize(("table", "i", "row"), ROWS, ids=[f"{t}-{i}" for t, i, _ in ROWS])
def test_rows_read_only_declared_slots(table: str, i: int, row: Row) -> None:
    _, required, optional = KINDS[row.kind]
    allowed = set(required) | set(optional) | CONTEXT_SLOTS
    assert row.slots_used() <= allowed, row.slots_used() - allowed
    assert set(row.needs) <= allowed


@pytest.mark.parametrize(("table", "i", "row"), ROWS, ids=[f"{t}-{i}" for t, i, _ in ROWS])
def test_template_text_holds_no_number_and_no_code_of_its_own(table: str, i: int, row: Row) -> None:
    for v in row.variants:
        literal = FIELD.sub("", v)
        assert not re.search(r"\d", literal), v
        for span in re.findall(r"`([^`]*)`", literal):
            assert span in LITERAL_CODE, f"`{span}` in {v!r}"


@pytest.mark.parametrize(("table", "focus", "text"), FOCUS_TEXTS)
def test_focus_texts_name_only_the_record(table: str, focus: str, text: str) -> None:
    used = {m.group(1) for m in FIELD.finditer(text)}
    assert used <= {"fn", "file", "who"}, used
    literal = FIELD.sub("", text)
    assert "`" not in literal and not re.search(r"\d", literal)


def test_every_focus_has_its_texts() -> None:
    ids = {f.id for f in FOCI} | {"module"}
    for table in (th.OPENERS, rq.TITLES, rq.ASKS, rq.WHY, rq.SYMPTOMS, rq.REFACTORS):
        assert ids <= set(table), ids - set(table)
        assert set(table) <= ids, f"texts for no focus: {set(table) - ids}"


def test_every_says_kind_is_a_claim_kind() -> None:
    for f in FOCI:
        for entry in f.says:
            assert entry.split(":")[0] in KINDS, (f.id, entry)


@pytest.mark.parametrize(
    "bad",
    [
        r"\bit should \w+s\b",
        r"\bshould (?:called|generates|runs)\b",
        r"\b(\w+) \1\b",
        r"\s[,.;:]",
        r"  ",
    ],
)
def test_grammar_slips_that_templates_made_before(bad: str) -> None:
    texts = [v for _, _, row in ROWS for v in row.variants] + [t for _, _, t in FOCUS_TEXTS]
    texts += [t for frames in rq.FRAMES.values() for t in frames]

    def placeholders(t: str) -> str:
        n = iter(range(1000))
        return FIELD.sub(lambda m: f"F{next(n)}", t)

    offenders = [t for t in texts if re.search(bad, placeholders(t))]
    assert not offenders, offenders[:3]


def test_no_article_before_a_slot_that_may_start_with_a_vowel() -> None:
    """`a {level} line` reads "a error line" and `an {level}` "an warn": a level is said as "at
    {level} level" instead."""
    texts = [v for _, _, row in ROWS for v in row.variants]
    offenders = [t for t in texts if re.search(r"\ban? \{levels?\}", t)]
    assert not offenders, offenders[:3]


def _sample(kind: str, slots: set[str]) -> dict[str, str]:
    out = {}
    for s in slots:
        if s in ("count", "siblings"):
            out[s] = "3"
        elif s in (
            "dur",
            "idle_dur",
            "cap",
            "initial",
            "first",
            "last",
            "interval_dur",
            "sleep_dur",
        ):
            out[s] = "10 seconds"
        else:
            out[s] = f"x_{s}"
    return out


@pytest.mark.parametrize(("table", "i", "row"), ROWS, ids=[f"{t}-{i}" for t, i, _ in ROWS])
def test_every_variant_renders_and_traces_its_fills(table: str, i: int, row: Row) -> None:
    _, required, optional = KINDS[row.kind]
    slots = _sample(row.kind, (set(required) | row.slots_used() | set(row.needs)) - CONTEXT_SLOTS)
    claim = make(row.kind, "subj", slots, [], row.when)
    for turn in range(len(row.variants)):
        r = Renderer(0, "k", {"fn": "subj", "file": "f.rs"}, turn=turn)
        out = Rendered("")
        text = r.claim((row,), claim, "s", out)
        assert text and "{" not in text
        for fill in out.fills:
            assert (
                fill.value in slots.values()
                or fill.value in ("subj", "f.rs", "other")
                or (fill.value in slots.get("x", ""))
                or any(fill.value in v.split("\x1f") for v in slots.values())
            )
            if fill.code:
                assert f"`{fill.value}`" in text


def test_code_slots_are_backticked_and_prose_slots_are_not() -> None:
    claim = make("batch", "f", {"const": "BATCH", "value": "5,000", "callee": "run"}, [])
    row = Row("batch", ("{const} is {value}, passed to {callee}.",))
    out = Rendered("")
    text = Renderer(0, "k", {"fn": "f", "file": "f.rs"}).claim((row,), claim, "s", out)
    assert text == "`BATCH` is 5,000, passed to `run`."
    assert "value" not in CODE_SLOTS and "const" in CODE_SLOTS


def test_rotation_gives_two_foci_of_one_subject_different_variants() -> None:
    row = Row("batch", ("first {const}.", "second {const}.", "third {const}."))
    claim = make("batch", "f", {"const": "B", "value": "1", "callee": "c"}, [])
    seen = set()
    for turn in range(3):
        r = Renderer(7, f"key{turn}", {"fn": "f", "file": "f.rs"}, base="f.rs|f", turn=turn)
        seen.add(r.claim((row,), claim, "s", Rendered("")))
    assert len(seen) == 3


GUARDABLE = {kind for kind, (_, req, opt) in KINDS.items() if "guard" in (*req, *opt)}


@pytest.mark.parametrize(("table", "i", "row"), ROWS, ids=lambda x: getattr(x, "kind", str(x)))
def test_a_row_that_can_meet_a_guarded_claim_says_the_guard(table: str, i: int, row: Row) -> None:
    """A sentence about a claim that holds only under a condition must say the condition (or
    refuse guarded claims): "In `Err(e)` it sleeps" is false when the sleep is in an `else`."""
    if row.kind not in GUARDABLE or "guarded" in row.unless or row.any_guard:
        return
    # A guard that is an early return above the claim may be said as what it is: "once the
    # checks above the spawn have let the call through" (its condition being code no one would
    # quote in a request).
    returns = bool({"past-returns", "early-guard"} & row.when)
    for text in row.variants:
        # A select branch's `, if cond` is its guard (claims/select_parts.py).
        switched = "switched" in row.when and "{precondition" in text
        assert "{guard" in text or switched or (returns and re.search(r"\bchecks?\b", text)), (
            f"{table}[{i}] ({row.kind}) can say a guarded claim without its guard: {text}"
        )


def test_every_frame_carries_the_ask_which_holds_the_premise() -> None:
    """The request's premise sentence (what the code must do) rides on {ask}; a frame without
    it would drop the one requirement a focus is about."""
    for style in rq.ROTATED_STYLES:
        for frame in (*rq.FRAMES[style], *rq.BARE_FRAMES[style]):
            assert "{ask}" in frame or "{ask_lc}" in frame, (style, frame)


@pytest.mark.parametrize(
    ("cond", "said"),
    [
        ("!message_table_ready", "`message_table_ready` is false"),
        ("!crate::is_shutting_down()", "`crate::is_shutting_down()` returns false"),
        ("!self.paused", "`self.paused` is false"),
        # Not a bare negation: kept as written.
        ("!a && b", "`!a && b`"),
        ("!a == b", "`!a == b`"),
        ("!ready(x)", "`ready(x)` returns false"),
        # Its arguments are one operand (parseable's hot-tier check, a held-out read).
        ("!done(a, b)", "`done(a, b)` returns false"),
        ("!(a || b)", "`!(a || b)`"),
    ],
)
def test_a_negated_flag_is_said_as_false(cond: str, said: str) -> None:
    row = Row("log", ("It logs when {guard:cond}.",))
    claim = make("log", "f", {"level": "info", "macro": "tracing::info!", "guard": cond}, [])
    r = Renderer(0, "k", {"fn": "f", "file": "f.rs"}, base="f.rs|f")
    out = Rendered("")
    text = r.claim((row,), claim, "s", out)
    assert said in text
    # The grounding check accepts what was said: every fill is a claim value.
    assert not trace_errors(out.fills, [claim], {"fn": "f", "file": "f.rs"}, {})


def test_an_earlier_branch_that_was_a_negation_is_said_without_the_double_negative() -> None:
    from svixbt.claims.core import NOT

    row = Row("log", ("It logs when {guard:cond}.",))
    claim = make(
        "log", "f", {"level": "info", "macro": "m", "guard": NOT + "!ready(&db).await?"}, []
    )
    r = Renderer(0, "k", {"fn": "f", "file": "f.rs"}, base="f.rs|f")
    out = Rendered("")
    assert "`ready(&db).await?` is true" in r.claim((row,), claim, "s", out)
    assert not trace_errors(out.fills, [claim], {"fn": "f", "file": "f.rs"}, {})


def test_every_one_unit_is_said_as_a_person_would() -> None:
    """A filled "every {dur}" with a duration of one unit reads "every second", not "every 1
    second"; other counts keep their number."""
    from svixbt.render import Rendered, Renderer

    r = Renderer(0, "k", {"fn": "f", "file": "f.rs"})
    out = Rendered("")
    assert r.fill("ticks every {d}", {"d": "1 second"}, out) == "ticks every second"
    assert r.fill("ticks every {d}", {"d": "5 seconds"}, out) == "ticks every 5 seconds"


@pytest.mark.parametrize(
    "span",
    [
        "enable_legacy_message_cleaner",
        "tokio::time::sleep",
        "shutdown.cancelled()",
        "tokio::join!",
        "Ok(false)",
        "Ok(())",
        "None",
        "LIMIT $1",
        "FOR UPDATE SKIP LOCKED",
        "src/core/retry.rs",
        "?",
    ],
)
def test_a_request_may_quote_names_results_sql_and_paths(span: str) -> None:
    assert quotable(span)


@pytest.mark.parametrize(
    "span",
    [
        "since < until - max_timeframe",
        "&conf.retry_schedule",
        "*delay",
        "continue",
        "3",
        "tokio::time::sleep(backoff)",
        "limit(BATCH_SIZE)",
        "rows_affected > 0",
        ".map(..)",
    ],
)
def test_a_request_may_not_quote_expressions(span: str) -> None:
    assert not quotable(span)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("self.process(&msg)", "self.process"),
        ("&conf.retry_schedule", "conf.retry_schedule"),
        ("*delay", "delay"),
        ("&mut state", "state"),
        ("Ok(true)", "Ok(true)"),
        ("Duration::from_millis(500)", "Duration::from_millis(500)"),
        ("run()", "run()"),
        # The callee is before the last call's brackets, not the first: pgdog's LSN monitor
        # was asked to stop "as soon as `self.pool.comms` completes".
        ("self.pool.comms().shutdown.cancelled()", "self.pool.comms().shutdown.cancelled()"),
        ("client.get(url).send(body)", "client.get(url).send"),
        ("safe_sleep(self.pool.config().delay)", "safe_sleep"),
    ],
)
def test_a_request_names_a_call_by_its_callee_and_a_borrow_by_its_value(
    code: str, name: str
) -> None:
    assert named(code) == name


def test_a_request_passes_over_a_variant_that_would_paste_code() -> None:
    row = Row("give_up", ("stop when {cond} holds", "stop once the retries run out"))
    claim = make("give_up", "f", {"cond": "attempt >= self.max && !done"}, [])
    r = Renderer(0, "k", {"fn": "f", "file": "f.rs"}, base="f.rs|f")
    r.person = True
    seen = {Renderer.claim(r, (row,), claim, f"s{i}", Rendered(""), nth=i) for i in range(4)}
    assert seen == {"stop once the retries run out"}
    r.person = False  # a think quotes the condition as written
    seen = {Renderer.claim(r, (row,), claim, f"s{i}", Rendered(""), nth=i) for i in range(4)}
    assert "stop when `attempt >= self.max && !done` holds" in seen


def test_a_short_batch_under_skip_locked_says_who_holds_the_skipped_rows() -> None:
    """Blind read 52: "it can nap for 12 hours with work still left" misled where the rows are
    held by another instance's pass, which deletes them itself. Every wording says both cases,
    and no question presupposes that rows are left waiting."""
    from svixbt.wording.requests import QUESTIONS
    from svixbt.wording.think import THINK

    rows = [r for r in THINK if r.kind == "locked_short"]
    assert rows
    for row in rows:
        for v in row.variants:
            assert "another instance's pass" in v.lower() and "later" in v, v
            # It may roll back: "left to that pass" read as a promise (blind read 74).
            assert "left to" not in v, v
    for row in (r for r in QUESTIONS if r.kind == "locked_short"):
        for v in row.variants:
            assert "still waiting" not in v and "not caught up" not in v, v


def test_a_bare_error_line_is_said_of_its_message_not_of_the_whole_line() -> None:
    """Blind read 58: "the line is what the error prints and nothing else" is false where the
    subscriber adds level, time and target to every line; the message is the error's text."""
    from svixbt.wording.think import THINK

    rows = [r for r in THINK if r.kind == "log" and "bare" in r.when]
    assert rows
    for row in rows:
        for v in row.variants:
            assert "the line is" not in v and "all the line says" not in v, v
            assert "The line " not in v, v


def test_a_fan_out_that_waits_for_every_task_says_they_run_side_by_side() -> None:
    """Blind reads 57-58: asked "one at a time, or all at once?", reset_application's think
    said every handle is awaited in turn but never that the tasks themselves run together."""
    from svixbt.wording.think import THINK

    rows = [r for r in THINK if r.kind == "spawn" and {"repeated", "fan-in"} <= r.when]
    assert rows
    for row in rows:
        for v in row.variants:
            # Or, where the spawning loop awaits nothing (all-at-once), that every task is
            # started before the first handle is awaited (blind reads 68-71).
            assert re.search(
                r"side by side|run at once|at the same time|running together|for every element", v
            ), v


def test_every_join_waits_all_wording_keeps_the_earlier_check_as_a_condition() -> None:
    # Blind read 64: "then checks `worker_loop.expect(..)` first and only after that panics
    # through `expired_message_cleaner_loop.expect(..)`" dropped that an earlier failed branch
    # panics first and this error is never reported.
    from svixbt.wording.think import THINK

    for row in THINK:
        if row.kind != "join_waits_all" or "others-first" not in row.when:
            continue
        for v in row.variants:
            assert re.search(r"after \{handled_first:and\} has passed|unless|only if", v), v


def test_a_startup_failure_has_no_stock_reason_and_is_asked() -> None:
    """ "A setup problem should end `expired_message_cleaner_loop` with an error" was read as
    covering every setup fault (blind reads 78-79), and "failing there, with that error, beats
    starting a loop that would fail on every pass" as misleading twice (85-86: the join holds
    the error, and a passing error is retried): no reason is given for it, and the startup
    focus is asked as a question."""
    from svixbt.questions import ASKED_AS_QUESTION
    from svixbt.wording.requests import SCENARIOS

    assert not [r for r in SCENARIOS if r.kind == "join_waits_all"]
    assert "startup" in ASKED_AS_QUESTION


def test_no_requirement_names_a_local_variable() -> None:
    """A requirement in terms of the code's locals ("Keep a running total in `num_done`") read
    as the code rewritten as a spec (blind read 93); a question about one is what a reader of
    the code asks."""
    tables = {
        n: t for n, t in vars(rq).items() if isinstance(t, tuple) and t and isinstance(t[0], Row)
    }
    assert "PREMISE" in tables and "CRITERIA" in tables
    named = [
        (name, row.kind, v)
        for name, table in tables.items()
        if name != "QUESTIONS"
        for row in table
        for v in row.variants
        if re.search(r"\{(?:var|counter)(?::\w+)?\}", v)
    ]
    assert named == []


def test_a_question_about_the_task_a_fn_starts_says_which_when_it_starts_several() -> None:
    """ "What does the task `connect` starts do each time round?" of a fn that starts two
    (librespot's dealer, held-out read 36; async-nats and activitypub-federation in read 33 and
    35): a row that says "the task" without naming it by what it runs is not for such a fn."""
    from svixbt.wording.requests import QUESTIONS

    naming = ("{runs", "{work", "{handle_var", "{round_msg", "{sleep_arg", "{over", "{repeated")
    naming += ("{upto", "{mech", "{call", "{expr", "{cond")
    for row in QUESTIONS:
        if row.kind not in ("spawn", "task_end") or "several-spawns" in row.when | row.unless:
            continue
        for v in row.variants:
            if re.search(r"\bthe task (?:{subject}|it) (?:starts|started|spawns)", v):
                assert any(n in v for n in naming), (row.kind, v)


def test_every_question_kind_has_a_purpose_to_say_why() -> None:
    """A question with no purpose went out bare ("What makes `Service::worker` leave its
    loop?", three times in held-out read 58): a third of the requests had no reason. `twin`
    carries its reason in the question itself."""
    from svixbt.wording.requests import QUESTION_PURPOSES, QUESTIONS

    bare = sorted({r.kind for r in QUESTIONS} - set(QUESTION_PURPOSES) - {"twin"})
    assert not bare, bare
