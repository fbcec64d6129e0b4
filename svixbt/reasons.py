"""Why a request asks, and how it would be checked: what would go wrong without the behaviour
(stakes), what went wrong before (an incident follow-up's story), and an acceptance test on the
code's own values. Each comes from a claim the think says, through a wording table, so the trace
stays complete; and the guards on what a request may quote at all.
"""

from __future__ import annotations

import hashlib
import re

from .claims import Claim
from .plan import Plan
from .render import Fill, Rendered, Renderer, Row
from .wording.requests import INCIDENTS, STAKES

__all__ = [
    "LATE_BUMP",
    "MAX_REQUEST_CODE",
    "incident",
    "stakes",
]

MAX_REQUEST_CODE = 28  # longest code span a request may quote (longer is pasting code)

LATE_BUMP = 3  # from this bump on, a request drops its optional reason


def _stems(text: str) -> set[str]:
    return {w[:4].lower() for w in re.findall(r"[A-Za-z]{4,}", text)}


def _restates(criterion: str, said: set[str], share: float = 0.8) -> bool:
    """A criterion nearly all of whose words (by their first four letters) the premise sentence's
    ``said`` stems already have: "do not wait for the spawned work before returning" after "hand
    the work to a `tokio::spawn` task ... and return without waiting for it"."""
    words = _stems(criterion)
    return len(words) >= 3 and len(words & said) >= share * len(words)


def _no_paste(fills: list[Fill], limit: int = MAX_REQUEST_CODE) -> bool:
    """No code a request should not quote: a long expression, or a log format string with its
    placeholders (“expired {} payloads” is the code's text, not a person's words)."""
    return not any(
        (f.code and _pasted(f.value, limit)) or (not f.code and "{" in f.value) for f in fills
    )


def _pasted(code: str, limit: int = MAX_REQUEST_CODE) -> bool:
    """A code span a request should not quote: an expression longer than a short one. A name or
    path (`enable_legacy_message_cleaner`, `tokio::time::sleep`) of any length is fine."""
    return len(code) > limit and not re.fullmatch(r"[\w:.!]+(\(\))?", code)


def _first_said(
    r: Renderer,
    plan: Plan,
    first: Claim | None,
    out: Rendered,
    table: tuple[Row, ...],
    salt: str,
    said: set[str],
    share: float,
    premise_only: bool = False,
) -> str:
    """The first of ``first`` and then the plan's claims of the record's own fn that the think
    says (only its premise claims with ``premise_only``), which a row of ``table`` can word
    without pasting code and without saying again what ``said`` (stems of the ask and
    criteria) already has; "" when none."""
    pool = plan.premise if premise_only else plan.premise + plan.claims
    rest = [c for c in pool if c in out.claims and c is not first]
    for c in ([first] if first is not None else []) + list(dict.fromkeys(rest)):
        if c.subject != r.context["fn"] or c not in out.claims:
            continue
        if first is not None and c is not first and c.kind == first.kind:
            # A second claim of the premise's kind (the per-item spawn after a monitor task's):
            # its stakes read as the reason for the first (blind read 36 on queue_handler).
            continue
        text = r.claim(table, c, salt, Rendered(""), dry=True, accept=_no_paste)
        if text and not (said and _restates(text, said, share)):
            return r.claim(table, c, salt, out, accept=_no_paste)
    return ""


# When the story happened, in front of it. Labels ("From the incident review:", "Postmortem
# action item. What happened:") read as a form's heading, and with a dozen incidents in a
# dataset the same label came back three times in one set (blind reads 47-51 docked every
# repeat); a real follow-up starts with what happened.
INCIDENT_TIMES = (
    "last week",
    "yesterday",
    "over the weekend",
    "on Tuesday",
    "earlier this month",
    "last night",
    "last month",
    "this morning",
)
# How the story is brought in. One form for every incident ("Last week, ...") read as a stock
# opener in six of seven held-out incidents (blind read 61); these are the ways a follow-up is
# really started, none of them a form's heading.
# "We got paged" read as unlikely for a developer CLI (blind read 62); a bug report fits any
# product.
# Two carry no date: five of fourteen held-out requests opening on "Last week", "A bug report
# came in yesterday" read as one stamped template (blind read 70).
# Six: "A bug report came in (last week / yesterday / last month):" opened three of fourteen
# held-out requests and two of the cleaner's (blind read 73: "the template"); "In production, "
# opened three of six held-out incidents in reads 77-81, and "in production" of a developer CLI
# (`connect` in svix-cli's relay) reads oddly.
# Twelve: with six, two of six held-out incidents shared a form in nearly every read (82: "A bug
# report came in last month" and "... last week", read as one template).
INCIDENT_FORMS = (
    "{When}, ",
    "A bug report came in {when}: ",
    "{When} we found that ",
    "An incident review found that ",
    "From the postmortem: ",
    "We hit this in staging {when}: ",
    "A user reported {when} that ",
    "Going through old tickets, I found this one: ",
    "Someone on the team ran into this {when}: ",
    "This came up in a retro {when}: ",
    "Our notes from an old incident say that ",
    "A teammate told me {when} that ",
)
# Every opening a lead can give, for checks.
INCIDENT_LEADS = tuple(
    form.format(When=when[0].upper() + when[1:], when=when).rstrip()
    for form in INCIDENT_FORMS
    for when in INCIDENT_TIMES
)


def has_incident(r: Renderer, plan: Plan, premise: Claim | None, out: Rendered) -> bool:
    """Whether an incident story can be told for this record (a probe: no mark is left)."""
    rest = [c for c in plan.premise if c in out.claims and c is not premise]
    return any(
        c.subject == r.context["fn"]
        and c in out.claims
        and r.claim(INCIDENTS, c, "incident", Rendered(""), dry=True, accept=_no_paste)
        for c in ([premise] if premise is not None else []) + rest
    )


def incident(r: Renderer, plan: Plan, premise: Claim | None, out: Rendered) -> str:
    """What went wrong before, the opposite of what the premise's claim (or another claim of
    the record's fn the think says) shows this code does, after a word of when it happened
    unless the story says when itself; "" when no row fits."""
    # From what the request asks for: a story about another claim (a stalled deploy before
    # "should wait before it tries again") reads as a non sequitur (held-out read 11, underway).
    story = _first_said(r, plan, premise, out, INCIDENTS, "incident", set(), 1.0, True)
    if not story or _SET_IN_TIME.match(story):
        # "after a long outage, ...", "during a failover of ..." say when already.
        return story
    # Hashed on the record's own names: the family-wide choice gave five of ten incidents one
    # lead.
    h = hashlib.sha256(f"{r.seed}|lead|{r.context['file']}|{r.context['fn']}|{plan.focus}".encode())
    digest = h.digest()
    when = INCIDENT_TIMES[(digest[0] + r.bump) % len(INCIDENT_TIMES)]
    form = INCIDENT_FORMS[digest[1] % len(INCIDENT_FORMS)]
    # A claim's own lead-in ("Once `stop_rx` wins the select, ..", "When `flag` holds, ..")
    # continues the form's sentence: "we found that Once .." read as a pasted sentence.
    story = re.sub(r"^(Once|When) ", lambda m: m.group(1).lower() + " ", story)
    return form.format(When=when[0].upper() + when[1:], when=when) + story


_SET_IN_TIME = re.compile(r"(?:after|during|while|when|once)\b")


def stakes(r: Renderer, plan: Plan, premise: Claim | None, out: Rendered, said: set[str]) -> str:
    """What would go wrong without the behaviour asked for: from the premise's claim first,
    then the plan's other claims of the record's own fn that the think says; "" when no row
    fits, or when the one that fits says again what the ask and criteria (``said``, as stems)
    already say ("one slow element would hold up the rest" over "so one slow item does not
    hold up the rest")."""
    # The author's own reason, where a const's doc gives one, before any stock counterfactual
    # (zebrad's crawler: "this should be less than the target block interval, so that we
    # crawl peer mempools at least once per block", held-out read 81).
    doc = next(
        (c for c in out.claims if c.kind == "const_comment" and "doc" in c.flags),
        None,
    )
    if doc is not None:
        text = _first_said(r, plan, doc, out, STAKES, "stakes", said, 0.5, premise_only=True)
        if text:
            return text
    return _first_said(r, plan, premise, out, STAKES, "stakes", said, 0.5)
