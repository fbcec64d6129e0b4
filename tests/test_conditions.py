"""Conditions said in words (svixbt/wording/conditions.py): one fixture per rule, and the
conditions no rule may touch because a rewrite could change their meaning."""

from __future__ import annotations

import re

import pytest

from svixbt.wording.conditions import CONDITIONS, say_condition

# rule id -> (condition, said when it holds, said when it is false)
FIXTURES = {
    "arm": (
        "match data.id.as_ref().map(|b| b.into()) => None",
        "`data.id.as_ref().map(|b| b.into())` matches `None`",
        "`data.id.as_ref().map(|b| b.into())` does not match `None`",
    ),
    "below": (
        "rows_affected < (BATCH_SIZE as _)",
        "`rows_affected` is below `BATCH_SIZE`",
        "`rows_affected` is at least `BATCH_SIZE`",
    ),
    "at-most": (
        "attempt <= self.max",
        "`attempt` is at most `self.max`",
        "`attempt` is above `self.max`",
    ),
    "above-zero": (
        "num_workers > 0",
        "`num_workers` is above zero",
        "`num_workers` is not above zero",
    ),
    "above": (
        "total > expiry_starting()",
        "`total` is above `expiry_starting()`",
        "`total` is at most `expiry_starting()`",
    ),
    "at-least": ("tries >= 1_000", "`tries` is at least 1,000", "`tries` is below 1,000"),
    "equals": (
        "state == State::Done",
        "`state` equals `State::Done`",
        "`state` differs from `State::Done`",
    ),
    "differs": ("a != b", "`a` differs from `b`", "`a` equals `b`"),
    "let-some": ("let Some(url) = &self.url", "`self.url` is set", "`self.url` is `None`"),
    "let-some-call": (
        "let Some(client) = self.clients.next()",
        "`self.clients.next()` returns a value",
        "`self.clients.next()` returns `None`",
    ),
    "is-some": ("self.handle.is_some()", "`self.handle` is set", "`self.handle` is `None`"),
    "is-none": ("next.is_none()", "`next` is `None`", "`next` is set"),
    "is-empty": ("batch.is_empty()", "`batch` is empty", "`batch` is not empty"),
    "is-err": ("changed.is_err()", "`changed` is an error", "`changed` is not an error"),
    "is-ok": ("sent.is_ok()", "`sent` is not an error", "`sent` is an error"),
    "borrowed-flag": ("*stop_rx.borrow()", "`stop_rx` holds true", "`stop_rx` holds false"),
}


@pytest.mark.parametrize(
    ("cond", "held"),
    [
        ("let Some(client) = self.client.clone()", "`self.client` is set"),
        ("let Some(tx) = self.tx.as_ref()", "`self.tx` is set"),
        ("self.handle.as_ref().is_some()", "`self.handle` is set"),
    ],
)
def test_a_copy_or_borrow_of_the_value_is_said_as_the_value(cond: str, held: str) -> None:
    # "only if `self.client.clone()` is set" read as code pasted into a request (read 26).
    said = say_condition(cond, True)
    assert said is not None and said.text == held


def test_every_rule_has_a_fixture() -> None:
    assert {r.id for r in CONDITIONS} == set(FIXTURES)


@pytest.mark.parametrize("rule", sorted(FIXTURES))
def test_rule_says_its_fixture(rule: str) -> None:
    cond, held, denied = FIXTURES[rule]
    matched = [r.id for r in CONDITIONS if r.pattern.match(cond)]
    assert matched and matched[0] == rule
    said = say_condition(cond, True)
    assert said is not None and said.text == held
    said = say_condition(cond, False)
    assert said is not None and said.text == denied
    # Every name the words quote is code of the condition or a literal the wording writes
    # itself ("is `None`"), so grounding can find it.
    rule_row = next(r for r in CONDITIONS if r.id == rule)
    literals = set(re.findall(r"`([^`{}]+)`", rule_row.held + rule_row.denied))
    assert all(c in cond or c in literals for c in said.code)


@pytest.mark.parametrize(
    "cond",
    [
        "a < b && c || d",  # two operators: precedence a reader must work out
        "x.len() > limit + 1",  # arithmetic on one side
        "let Some(Ok(v)) = rx.recv().await",  # nested pattern, an awaited call
        "f(a, b) == 0",  # a call with arguments
        "let Ok(x) = parse(s)",
    ],
)
def test_conditions_left_as_written(cond: str) -> None:
    assert say_condition(cond, True) is None
    assert say_condition(cond, False) is None


@pytest.mark.parametrize(
    ("cond", "held", "denied"),
    [
        (
            "self.queue.is_empty() || !should_retry(&e)",
            "`self.queue` is empty or `should_retry(&e)` returns false",
            "`self.queue` is not empty and `should_retry(&e)` returns true",
        ),
        (
            "ready && n > 0",
            "`ready` is true and `n` is above zero",
            "`ready` is false or `n` is not above zero",
        ),
        ("!done", "`done` is false", "`done` is true"),
    ],
)
def test_flags_and_one_kind_of_joined_parts_are_said_part_by_part(
    cond: str, held: str, denied: str
) -> None:
    said = say_condition(cond, True)
    assert said is not None and said.text == held
    said = say_condition(cond, False)
    assert said is not None and said.text == denied


def test_mixed_operators_are_left_as_written() -> None:
    assert say_condition("a < b && c || d", True) is None
