"""The tick of a spawned loop's interval raced in a select: the other futures a round may
start on, and an interval built from a value, said as written."""

from __future__ import annotations

from ..facts import ItemFacts, Wait
from ..flow import Region
from .bound_value import bound_source
from .exits import leaves_from_inside
from .shape import codes

__all__ = ["interval_arg", "tick_or"]


def _raced_tick(f: ItemFacts, reg: Region, waits: list[Wait]) -> Wait | None:
    """The tick the spawned loop waits on as one branch of a select, or None."""
    assert f.flow is not None
    return next(
        (
            t
            for t in waits
            if t.role == "tick"
            and f.flow.task_of(t.region).id == reg.id
            and f.flow.regions[t.region].kind == "select-future"
        ),
        None,
    )


def _other_branches(f: ItemFacts, tick: Wait) -> list[Region]:
    """The handlers of the select ``tick`` is raced in, but for the tick's own and the `else`."""
    assert f.flow is not None
    start = f.flow.regions[tick.region].start_tok
    return [
        r
        for r in f.flow.regions
        if r.kind == "select-handler"
        and r.start_tok == start
        and r.detail
        and tick.src.text.strip() not in r.detail
    ]


def tick_or(
    f: ItemFacts, reg: Region, waits: list[Wait], slots: dict[str, str], flags: set[str]
) -> None:
    """A tick raced in a select with another future whose branch stays in the loop: a round
    starts on either, so "on every tick of an interval of 1 minute" is not the pace (a trap
    raced its interval with a `trigger.recv()` that republishes too, read 92's mends). A branch
    that leaves the loop (a stop) does not pace it."""
    assert f.flow is not None
    tick = _raced_tick(f, reg, waits)
    if tick is None:
        return
    stays = [
        r.detail.strip() for r in _other_branches(f, tick) if not leaves_from_inside(f, r, r.id)
    ]
    if stays:
        flags.add("tick-or")
        if all(len(o) <= 48 and ", if " not in o for o in stays):
            slots["raced_with"] = codes(*stays)


def interval_arg(
    f: ItemFacts, reg: Region, w: Wait, waits: list[Wait], slots: dict[str, str], flags: set[str]
) -> None:
    """`interval(Duration::from_secs(PURGE_FREQUENCY))` on a constant of another module: said
    as written (kanidm's interval actor had no record at all, read 31), with the other
    branches of the select its tick is raced in, by name ("the other branches of its select"
    of a select with one other, read 31)."""
    assert f.flow is not None
    # Said as the field it is built from when a chain of `let`s leads to one (torrust's
    # `interval(interval)`, a name shadowed twice on the way from the config).
    slots["interval_arg"] = bound_source(f, w.arg, w.src.start, w.region) or w.arg
    flags.add("interval-arg")
    tick = _raced_tick(f, reg, waits)
    if tick is None:
        return
    flags.add("tick-raced")  # the tick is one branch of a select among others
    # A branch behind `, if` is raced only while its precondition holds (rustfs's heal
    # scheduler waits on `notify.notified()` only when event-driven scheduling is on): it is
    # not named among what every round waits on.
    branches = [r.detail.strip() for r in _other_branches(f, tick)]
    others = [b for b in branches if ", if " not in b]
    switched = [b.partition(", if ")[::2] for b in branches if ", if " in b]
    if len(switched) == 1 and len(switched[0][0]) <= 48 and len(switched[0][1]) <= 60:
        flags.add("switched-race")
        slots["raced_if"] = codes(switched[0][0].strip())
        slots["raced_if_cond"] = switched[0][1].strip()
    elif switched:
        flags.add("switched-races")
    if others and all(len(o) <= 48 for o in others):
        slots["raced_with"] = codes(*others)
