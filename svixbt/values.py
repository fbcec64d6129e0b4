"""Numbers as the code means them: integer expressions and `Duration`s evaluated, then written out.

A small explicit evaluator (no `eval`): literals with `_` and type suffixes, names of known consts,
`+ - * /` with Rust's precedence, parentheses, `as` casts (ignored), and the `Duration`
constructors. Anything else makes the value unknown (None), and an unknown value is never said.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

__all__ = [
    "DURATION_UNITS",
    "eval_number",
    "duration_seconds",
    "human_int",
    "human_duration",
    "human_percent",
    "split_commas",
]

# `Duration::from_*` constructors and the seconds one unit holds.
DURATION_UNITS: dict[str, float] = {
    "from_secs": 1.0,
    "from_millis": 1e-3,
    "from_micros": 1e-6,
    "from_nanos": 1e-9,
    "from_secs_f64": 1.0,
    "from_secs_f32": 1.0,
    "from_mins": 60.0,
    "from_hours": 3600.0,
}
_NUMBER = re.compile(r"^(\d[\d_]*(?:\.\d[\d_]*)?)(?:_?(?:[iu](?:8|16|32|64|128|size)|f32|f64))?$")
_CAST_TYPES = re.compile(r"^(?:[iu](?:8|16|32|64|128|size)|f32|f64|_)$")


class _Parser:
    """Recursive descent over a token list: expr := term (('+'|'-') term)*, and so on."""

    def __init__(self, toks: Sequence[str], consts: Mapping[str, float]) -> None:
        self.toks = list(toks)
        self.i = 0
        self.consts = consts
        self.integral = True

    def peek(self) -> str:
        return self.toks[self.i] if self.i < len(self.toks) else ""

    def take(self) -> str:
        t = self.peek()
        self.i += 1
        return t

    def expr(self) -> float:
        v = self.term()
        while self.peek() in ("+", "-"):
            op = self.take()
            w = self.term()
            v = v + w if op == "+" else v - w
        return v

    def term(self) -> float:
        v = self.cast()
        while self.peek() in ("*", "/"):
            op = self.take()
            w = self.cast()
            if op == "*":
                v = v * w
            else:
                if w == 0:
                    raise ValueError("division by zero")
                # Rust's integer division truncates toward zero.
                v = float(int(v / w)) if self.integral else v / w
        return v

    def cast(self) -> float:
        v = self.unary()
        while self.peek() == "as":
            self.take()
            if not _CAST_TYPES.match(self.take()):
                raise ValueError("cast to a non-numeric type")
        return v

    def unary(self) -> float:
        if self.peek() == "-":
            self.take()
            return -self.unary()
        return self.atom()

    def atom(self) -> float:
        t = self.take()
        if t == "(":
            v = self.expr()
            if self.take() != ")":
                raise ValueError("unbalanced parenthesis")
            return v
        m = _NUMBER.match(t)
        if m:
            lit = m.group(1).replace("_", "")
            if "." in lit:
                self.integral = False
            return float(lit)
        if t in self.consts:
            return self.consts[t]
        raise ValueError(f"not a constant expression: {t!r}")


def eval_number(
    tokens: Sequence[str], consts: Mapping[str, float] | None = None, exact: bool = False
) -> float | None:
    """The value of an integer or float expression written as tokens, or None. ``exact``: the
    operands are durations (`PERIOD + PERIOD / 2`), whose division does not truncate."""
    if not tokens:
        return None
    p = _Parser(tokens, consts or {})
    p.integral = not exact
    try:
        v = p.expr()
    except (ValueError, OverflowError):
        return None
    return v if p.i == len(p.toks) else None


def expr_tokens(expr: str) -> list[str]:
    """An expression as written, split into the tokens ``duration_seconds`` and ``eval_number``
    read (`Duration::from_secs(2)` -> `Duration`, `::`, `from_secs`, `(`, `2`, `)`)."""
    return re.findall(r"::|\w+(?:\.\d+)?|[^\s\w]", expr)


def duration_seconds(
    tokens: Sequence[str], consts: Mapping[str, float] | None = None
) -> float | None:
    """`Duration::from_secs(60 * 60 * 12)` (as tokens) -> 43200.0; a const name -> its value."""
    toks = list(tokens)
    # `std::time::Duration::from_secs(..)` and `tokio::time::Duration::..` name the same type.
    while len(toks) > 2 and toks[1] == "::" and toks[0] != "Duration":
        toks = toks[2:]
    if len(toks) >= 7 and toks[:4] == ["Duration", "::", "new", "("] and toks[-1] == ")":
        # `Duration::new(secs, nanos)`: triagebot's supervisors pause `Duration::new(5, 0)`.
        args = toks[4:-1]
        if args and args[-1] == ",":
            args = args[:-1]
        if args.count(",") != 1:
            return None
        comma = args.index(",")
        secs, nanos = eval_number(args[:comma], consts), eval_number(args[comma + 1 :], consts)
        return None if secs is None or nanos is None else secs + nanos / 1e9
    if len(toks) >= 5 and toks[0] == "Duration" and toks[1] == "::":
        unit = DURATION_UNITS.get(toks[2])
        if unit is None or toks[3] != "(" or toks[-1] != ")":
            return None
        # `Duration::from_secs(\n 21,\n)`: rustfmt's trailing comma after a lone argument.
        args = toks[4:-1]
        if args and args[-1] == ",":
            args = args[:-1]
        inner = eval_number(args, consts)
        return None if inner is None else inner * unit
    if len(toks) == 1 and consts and toks[0] in consts:
        return consts[toks[0]]
    # A call of a fn that only returns a duration (`wait_duration()`, see consts).
    if len(toks) == 3 and toks[1:] == ["(", ")"] and consts and toks[0] + "()" in consts:
        return consts[toks[0] + "()"]
    return None


def human_int(value: float) -> str:
    """5000 -> `5,000` (how a person writes a count in prose)."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def human_duration(seconds: float) -> str:
    """43200 -> `12 hours`; 0.5 -> `500 milliseconds`; 675 -> `11 minutes 15 seconds`."""
    units = (("day", 86400.0), ("hour", 3600.0), ("minute", 60.0))
    for name, size in units:
        if seconds >= size and (seconds / size).is_integer():
            n = int(seconds / size)
            return f"{n:,} {name}{'s' if n != 1 else ''}"
    if seconds >= 120 and float(seconds).is_integer():
        # Two units read better than one odd number: 675 s is 11 minutes 15 seconds. Under two
        # minutes seconds alone do: zebrad's prime 73 s read "1 minute 13 seconds" (read 81).
        for name, size, rest_name, rest_size in (
            ("hour", 3600, "minute", 60),
            ("minute", 60, "second", 1),
        ):
            whole, rest = divmod(int(seconds), size)
            if whole and rest % rest_size == 0:
                r = rest // rest_size
                return (
                    f"{whole:,} {name}{'s' if whole != 1 else ''} "
                    f"{r} {rest_name}{'s' if r != 1 else ''}"
                )
    if seconds >= 1 and float(seconds).is_integer():
        n = int(seconds)
        return f"{n:,} second{'s' if n != 1 else ''}"
    ms = seconds * 1000
    if seconds >= 1 and abs(ms - round(ms)) < 1e-9 and round(ms) % 100 == 0:
        # 31.5 seconds, not 31,500 milliseconds: a tenth of a second reads as seconds.
        return f"{round(ms) / 1000:g} seconds"
    if ms >= 1 and abs(ms - round(ms)) < 1e-9:
        n = int(round(ms))
        return f"{n:,} millisecond{'s' if n != 1 else ''}"
    return f"{seconds:g} seconds"


def human_durations(seconds: Sequence[float]) -> str:
    """Several durations as a person lists them: one unit at the end when they share it
    ("10, 20 and 40 milliseconds"), each with its own otherwise."""
    said = [human_duration(x) for x in seconds]
    parts = [d.split(" ", 1) for d in said]
    units = {p[1].rstrip("s") for p in parts if len(p) == 2}
    same = all(len(p) == 2 and " " not in p[1] for p in parts) and len(units) == 1
    heads = [p[0] for p in parts] if same else said
    listed = heads[0] if len(heads) == 1 else ", ".join(heads[:-1]) + " and " + heads[-1]
    return f"{listed} {parts[-1][1]}" if same else listed


def human_percent(fraction: float) -> str:
    """0.2 -> `20%`."""
    pct = fraction * 100
    return f"{pct:.0f}%" if abs(pct - round(pct)) < 1e-9 else f"{pct:g}%"


_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def number_word(n: str) -> str:
    """A small count as a word ("3" -> "three"); anything else as given."""
    return _WORDS[int(n)] if n.isdigit() and int(n) < len(_WORDS) else n


def split_commas(text: str) -> list[str]:
    """Folded code split at its top-level commas, each part stripped, empty ones left out."""
    out, depth, cur = [], 0, ""
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    out.append(cur.strip())
    return [x for x in out if x]
