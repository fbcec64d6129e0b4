"""The explicit evaluator and the way values are written out."""

from __future__ import annotations

import pytest

from svixbt.values import duration_seconds, eval_number, human_duration, human_int, human_percent


def toks(s: str) -> list[str]:
    import re

    return re.findall(r"\d[\d_.]*\w*|\w+|::|[()*+/\-,]", s)


@pytest.mark.parametrize(
    ("expr", "want"),
    [
        ("5_000", 5000.0),
        ("60 * 60 * 12", 43200.0),
        ("60 * 11 + 15", 675.0),
        ("7 / 2", 3.0),  # integer division truncates, as in Rust
        ("7.0 / 2", 3.5),
        ("(1 + 2) * 3", 9.0),
        ("1 + 2 * 3", 7.0),
        ("- 4 + 10", 6.0),
        ("300u64", 300.0),
        ("BATCH as u64", 500.0),
    ],
)
def test_eval_number(expr: str, want: float) -> None:
    assert eval_number(toks(expr), {"BATCH": 500.0}) == want


@pytest.mark.parametrize("expr", ["foo()", "1 +", "(1 + 2", "1 / 0", "x.len()", "1 2"])
def test_eval_number_refuses_what_it_cannot_prove(expr: str) -> None:
    assert eval_number(toks(expr), {}) is None


@pytest.mark.parametrize(
    ("expr", "want"),
    [
        ("Duration::from_secs(60 * 60 * 12)", 43200.0),
        ("Duration::from_millis(500)", 0.5),
        ("std::time::Duration::from_secs(10)", 10.0),
        ("tokio::time::Duration::from_millis(10)", 0.01),
        ("Duration::from_mins(3)", 180.0),
        ("IDLE", 1800.0),
        # rustfmt puts a trailing comma after an argument on its own line
        ("Duration::from_secs(21,)", 21.0),
        # `Duration::new(secs, nanos)`: triagebot's supervisors pause `Duration::new(5, 0)`
        ("std::time::Duration::new(5, 0)", 5.0),
        ("Duration::new(1, 500_000_000)", 1.5),
    ],
)
def test_duration_seconds(expr: str, want: float) -> None:
    assert duration_seconds(toks(expr), {"IDLE": 1800.0}) == pytest.approx(want)


def test_duration_of_a_runtime_value_is_unknown() -> None:
    assert duration_seconds(toks("Duration::from_secs(cfg.secs)"), {}) is None
    assert duration_seconds(toks("Duration::new(cfg.secs, 0)"), {}) is None


@pytest.mark.parametrize(
    ("secs", "text"),
    [
        (43200, "12 hours"),
        (675, "11 minutes 15 seconds"),
        (5400, "90 minutes"),
        (86400, "1 day"),
        (1, "1 second"),
        (10, "10 seconds"),
        (0.5, "500 milliseconds"),
        (90, "90 seconds"),
        (150, "2 minutes 30 seconds"),
        (31.5, "31.5 seconds"),
        (5.2, "5.2 seconds"),
        (1.25, "1,250 milliseconds"),
    ],
)
def test_human_duration(secs: float, text: str) -> None:
    assert human_duration(secs) == text


def test_human_int_and_percent() -> None:
    assert human_int(5000) == "5,000"
    assert human_int(2.5) == "2.5"
    assert human_percent(0.2) == "20%"
    assert human_percent(0.125) == "12.5%"
