"""A condition said as a maintainer says it in a request: "once `rows_affected` is below
`BATCH_SIZE`", not "once `rows_affected < (BATCH_SIZE as _)` holds".

A think may quote the condition as written (it reasons about that very code); a request names
the parts and says the relation. Each rule is a row: an id, what it recognises, the pattern over
the condition's text, and how it is said when the condition holds and when it is false. A
condition no rule recognises is left to the caller (quoted as code).

Only whole, simple conditions are rewritten: two plain operands around one comparison, an
`Option` pattern, a method that asks a yes-or-no question. Anything with `&&`, `||` or a nested
call is left as written, so a rewrite never changes what the condition means.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

__all__ = ["CONDITIONS", "Said", "say_condition"]

# An operand a person can name: a path or field (`self.url`, `crate::BATCH`), a call with no
# arguments (`expiry_starting()`), a number, or a cast of one of those (`(BATCH_SIZE as _)`).
_NAME = r"[A-Za-z_][\w]*(?:(?:::|\.)[A-Za-z_]\w*)*(?:\(\))?"
_OPERAND = rf"(?:\(\s*{_NAME}\s+as\s+[\w_]+\s*\)|{_NAME}|\d[\d_]*)"
# A method that hands the value on unchanged in kind: `self.client.clone()` is set exactly when
# `self.client` is (held-out read 26: "only if `self.client.clone()` is set").
_PASS = r"\.(?:clone|as_ref|as_deref|as_mut|cloned|copied)\(\)"


@dataclass(frozen=True)
class Cond:
    id: str
    description: str
    pattern: re.Pattern[str]
    held: str  # fields are the pattern's named groups, each shown as code
    denied: str


def _c(id: str, description: str, pattern: str, held: str, denied: str) -> Cond:
    return Cond(id, description, re.compile(pattern), held, denied)


# fmt: off
CONDITIONS: tuple[Cond, ...] = (
    _c("below", "a < b", rf"^(?P<a>{_OPERAND})\s*<\s*(?P<b>{_OPERAND})$",
       "{a} is below {b}", "{a} is at least {b}"),
    _c("at-most", "a <= b", rf"^(?P<a>{_OPERAND})\s*<=\s*(?P<b>{_OPERAND})$",
       "{a} is at most {b}", "{a} is above {b}"),
    # `> 0` false on a count: "down to 0" is how a person says it.
    _c("above-zero", "a > 0", rf"^(?P<a>{_OPERAND})\s*>\s*0$",
       "{a} is above zero", "{a} is not above zero"),
    _c("above", "a > b", rf"^(?P<a>{_OPERAND})\s*>\s*(?P<b>{_OPERAND})$",
       "{a} is above {b}", "{a} is at most {b}"),
    _c("at-least", "a >= b", rf"^(?P<a>{_OPERAND})\s*>=\s*(?P<b>{_OPERAND})$",
       "{a} is at least {b}", "{a} is below {b}"),
    _c("equals", "a == b", rf"^(?P<a>{_OPERAND})\s*==\s*(?P<b>{_OPERAND})$",
       "{a} equals {b}", "{a} differs from {b}"),
    _c("differs", "a != b", rf"^(?P<a>{_OPERAND})\s*!=\s*(?P<b>{_OPERAND})$",
       "{a} differs from {b}", "{a} equals {b}"),
    # `let Some(c) = self.clients.next()`: a call's result, not a field, is what is set (held-out
    # read 26 on tremor's elastic sink: "only if `self.clients.next()` is set").
    _c("let-some-call", "an Option pattern over a call's result: let Some(x) = e()",
       rf"^let\s+Some\(\s*\w+\s*\)\s*=\s*&?(?:mut\s+)?(?!.*{_PASS}$)(?P<e>{_NAME})(?<=\(\))$",
       "{e} returns a value", "{e} returns `None`"),
    _c("let-some", "an Option pattern: let Some(x) = e",
       rf"^let\s+Some\(\s*\w+\s*\)\s*=\s*&?(?:mut\s+)?(?P<e>{_NAME})$",
       "{e} is set", "{e} is `None`"),
    _c("is-some", "e.is_some()", rf"^(?P<e>{_NAME})\.is_some\(\)$",
       "{e} is set", "{e} is `None`"),
    _c("is-none", "e.is_none()", rf"^(?P<e>{_NAME})\.is_none\(\)$",
       "{e} is `None`", "{e} is set"),
    _c("is-empty", "e.is_empty()", rf"^(?P<e>{_NAME})\.is_empty\(\)$",
       "{e} is empty", "{e} is not empty"),
    _c("is-err", "e.is_err()", rf"^(?P<e>{_NAME})\.is_err\(\)$",
       "{e} is an error", "{e} is not an error"),
    _c("is-ok", "e.is_ok()", rf"^(?P<e>{_NAME})\.is_ok\(\)$",
       "{e} is not an error", "{e} is an error"),
    # An outer `match` arm a claim sits under, as guard_of writes it (not Rust): the scrutinee
    # and the pattern, each as written in the code.
    _c("arm", "an enclosing match arm, written `match e => p`",
       r"^match\s+(?P<e>.+?)\s+=>\s+(?P<p>.+)$",
       "{e} matches {p}", "{e} does not match {p}"),
    # `*stop_rx.borrow()`: the value a watch channel (or a RefCell) holds, a flag.
    _c("borrowed-flag", "*e.borrow()", rf"^\*(?P<e>{_NAME})\.borrow\(\)$",
       "{e} holds true", "{e} holds false"),
)
# fmt: on


@dataclass(frozen=True)
class Said:
    text: str
    code: tuple[str, ...]  # the code spans the words name, for grounding
    numbers: tuple[str, ...] = ()  # literals said as numbers ("1,000"), for grounding


# Small literals are said as words: "`task_limit` equals zero", as a person writes it.
_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _operand(text: str) -> str:
    """An operand as it is named: a cast's value without the cast."""
    m = re.fullmatch(rf"\(\s*({_NAME})\s+as\s+[\w_]+\s*\)", text)
    return re.sub(rf"(?:{_PASS})+$", "", m.group(1) if m else text)


@functools.lru_cache(maxsize=4096)
def say_condition(cond: str, holds: bool) -> Said | None:
    """``cond`` said in words (when it holds, or when it is false), or None when no rule knows
    it. Two or more parts joined by one of `||` and `&&` are said part by part (false: by De
    Morgan), when every part can be."""
    c = cond.strip()
    if c.startswith("match "):
        return _by_rule(c, holds)  # its scrutinee may hold `||` of a closure
    for op, word, other in (("||", "or", "and"), ("&&", "and", "or")):
        parts = _split_top(c, op)
        if len(parts) > 1:
            if len(_split_top(c, "&&" if op == "||" else "||")) > 1:
                return None  # both operators at the top: precedence a reader must work out
            said = [say_condition(p, holds) for p in parts]
            if any(x is None for x in said):
                return None
            texts = [x.text for x in said if x is not None]
            joiner = word if holds else other
            text = ", ".join(texts[:-1]) + f" {joiner} " + texts[-1]
            return Said(
                text,
                tuple(v for x in said if x for v in x.code),
                tuple(v for x in said if x for v in x.numbers),
            )
    return _by_rule(c, holds) or _flag(c, holds)


def conjuncts(cond: str) -> list[str]:
    """The `&&` operands of ``cond`` at its top level, or ``[cond]`` when it has none or mixes
    in `||` there (then its parts are no plain conjunction) or one opens with `let` (a let-chain
    binds names its later parts use)."""
    parts = _split_top(cond, "&&")
    if len(parts) < 2 or len(_split_top(cond, "||")) > 1:
        return [cond]
    if any(not p or p.startswith("let ") for p in parts):
        return [cond]
    return parts


def _split_top(text: str, op: str) -> list[str]:
    """``text`` split at ``op`` outside brackets, parts stripped."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and text.startswith(op, i):
            parts.append(text[start:i].strip())
            start = i + len(op)
            i += len(op)
            continue
        i += 1
    parts.append(text[start:].strip())
    return parts


# A yes-or-no value as written: a flag, a field, a call whose arguments are plain names.
_FLAG = re.compile(
    r"^(?P<neg>!)?(?P<e>[A-Za-z_][\w]*(?:(?:::|\.)[A-Za-z_]\w*)*(?:\((?:&?[\w.]+)?\))?)$"
)


def _flag(c: str, holds: bool) -> Said | None:
    """`flag`, `!flag`, `f(&x)`, `!self.ready()`: "`f(&x)` returns false"."""
    m = _FLAG.match(c)
    if m is None or c in ("true", "false"):
        return None
    e = m.group("e")
    truth = holds != bool(m.group("neg"))
    verb = "returns" if e.endswith(")") else "is"
    return Said(f"`{e}` {verb} {'true' if truth else 'false'}", (e,))


def _by_rule(c: str, holds: bool) -> Said | None:
    for rule in CONDITIONS:
        m = rule.pattern.match(c)
        if m is None:
            continue
        names = {k: _operand(v) for k, v in m.groupdict().items()}
        fields: dict[str, str] = {}
        code: list[str] = []
        numbers: list[str] = []
        for k, v in names.items():
            if v.replace("_", "").isdigit():
                n = int(v.replace("_", ""))
                fields[k] = _WORDS[n] if n < len(_WORDS) else f"{n:,}"
                if n >= len(_WORDS):
                    numbers.append(fields[k])
            else:
                fields[k] = f"`{v}`"
                code.append(v)
        template = rule.held if holds else rule.denied
        # A literal the wording itself writes as code ("`e` is `None`") is named too.
        code += re.findall(r"`([^`{}]+)`", template)
        return Said(template.format(**fields), tuple(code), tuple(numbers))
    return None
