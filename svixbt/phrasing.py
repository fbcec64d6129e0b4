"""How a request is worded: the five request styles and seeded phrasing choices.

A request is an ``Ask`` (title, ask, criteria, symptom, refactor) arranged by a style. Choices
come from a seeded RNG that prefers variants not yet used in the run, so requests rarely share a
sentence.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

__all__ = [
    "STYLES",
    "q",
    "first_sentence",
    "article",
    "lower1",
    "cap_first",
    "Phraser",
    "Ask",
    "render_request",
]


STYLES = ("github-issue", "infra-requirement", "internal-request", "incident-follow-up", "refactor")


def q(x: str) -> str:
    return f"`{x}`"


def first_sentence(text: str) -> str:
    m = re.match(r"(.+?[.!?])(\s|$)", text)
    return m.group(1) if m else text


def article(word: str) -> str:
    return "an" if word[:1].upper() in "AEIOU" else "a"


def lower1(s: str) -> str:
    """Lower-case a sentence's first letter to continue it after a colon (not `SQL`, not `Foo`)."""
    if len(s) > 1 and s[0].isupper() and s[1].islower():
        return s[0].lower() + s[1:]
    return s


class Phraser:
    """Seeded choices that avoid repeating a variant within one run where it can."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.used: dict[str, set[int]] = {}

    def pick(self, key: str, options: list[str] | tuple[str, ...], salt: str = "") -> str:
        if not options:
            return ""
        rng = random.Random(f"{self.seed}|{key}|{salt}")
        order = list(range(len(options)))
        rng.shuffle(order)
        used = self.used.setdefault(key, set())
        for i in order:
            if i not in used:
                used.add(i)
                return options[i]
        used.clear()
        used.add(order[0])
        return options[order[0]]


@dataclass
class Ask:
    """What a request is about, in parts every style can arrange its own way."""

    title: str
    ask: str  # one sentence naming what to write and where
    criteria: list[str]  # behaviour with real values
    symptom: str  # what goes wrong without it (incident follow-ups)
    refactor: str  # the restructuring a refactor ask would request


def cap_first(s: str) -> str:
    """Capitalise a sentence, unless it starts with an identifier (`is_allowed`), which would
    then no longer name anything in the code."""
    first = s.split(" ", 1)[0] if s else ""
    if not s or "_" in first or "`" in first or any(ch.isupper() for ch in first[1:]):
        return s
    return s[:1].upper() + s[1:]


def render_request(style: str, a: Ask, ph: Phraser, salt: str) -> str:
    crit = [cap_first(c) for c in a.criteria if c]
    if style == "github-issue":
        ctx = ph.pick(
            "gh-ctx",
            [
                "This came up while reviewing the background workers.",
                "Filing this so the background job behaves predictably in production.",
                "Raised in the last on-call review.",
                "Small, contained change; the behaviour below is what we want.",
            ],
            salt,
        )
        bullets = "\n".join(f"- [ ] {c}" for c in crit)
        label = ph.pick(
            "gh-label", ["**Acceptance criteria**", "**Done when**", "**Definition of done**"], salt
        )
        return f"### {a.title}\n\n{ctx} {a.ask}\n\n{label}\n{bullets}"
    if style == "infra-requirement":
        head = ph.pick(
            "infra-head",
            [
                "Infra requirement (svix-server background jobs):",
                "Platform requirement for the worker deployment:",
                "Ops requirement ahead of the next capacity review:",
            ],
            salt,
        )
        items = "\n".join(f"{i}. {c}." for i, c in enumerate(crit, 1))
        label = ph.pick("infra-label", ["Requirements:", "Must have:", "Scope:"], salt)
        return f"{head} {a.ask}\n\n{label}\n{items}"
    if style == "internal-request":
        hello = ph.pick(
            "int-hello",
            [
                "Hey, could you pick this up?",
                "Quick one for whoever is on the server team this week.",
                "Can you take this next sprint?",
                "Request from the platform side.",
            ],
            salt,
        )
        details = "; ".join(lower1(c) for c in crit)
        close = ph.pick(
            "int-close",
            [
                "Ping me if anything's unclear.",
                "Happy to review.",
                "No rush, but before the next release would be good.",
                "Thanks!",
            ],
            salt,
        )
        lead = ph.pick("int-lead", ["Specifically:", "What I'm after:", "In short:"], salt)
        return f"{hello} {a.ask} {lead} {details}. {close}"
    if style == "incident-follow-up":
        open_ = ph.pick(
            "inc-open",
            [
                "Incident follow-up:",
                "Action item from last week's postmortem:",
                "From the incident review:",
                "Postmortem follow-up:",
            ],
            salt,
        )
        details = "\n".join(f"- {c}" for c in crit)
        label = ph.pick("inc-label", ["What we need:", "Fix:", "Expected behaviour:"], salt)
        return f"{open_} {cap_first(a.symptom)}. {a.ask}\n\n{label}\n{details}"
    # refactor
    open_ = ph.pick(
        "ref-open",
        [
            "Refactor ask:",
            "Cleanup request:",
            "Tech-debt item:",
        ],
        salt,
    )
    keep = ph.pick(
        "ref-keep",
        [
            "Behaviour to end up with:",
            "It should end up doing this:",
            "Target behaviour:",
        ],
        salt,
    )
    details = "\n".join(f"- {c}" for c in crit)
    return f"{open_} {a.refactor}. {a.ask}\n\n{keep}\n{details}"
