"""The claims read off the shape of one fn's own code (``claims_for`` calls them together)."""

from __future__ import annotations

from ..facts import ItemFacts
from .core import Claim, FileContext

__all__ = ["shape_claims"]


def shape_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """The claims read off the shape of one fn's own code: what follows its loop, a beat slower
    than its work, restarts and spins, a lock's scope, a give-up schedule, a switched pause."""
    from .after_loop import after_loop_claims
    from .arm_work import arm_work_claims
    from .closed_spin import closed_spin_claims
    from .doubling import doubling_claims
    from .give_up import give_up_claims
    from .guard_scope import guard_scope_claims
    from .lock_held import lock_held_claims
    from .pause_switch import pause_switch_claims
    from .permits import permit_claims
    from .restart_spin import restart_spin_claims
    from .round_gate import round_gate_claims
    from .slow_beat import slow_beat_claims
    from .ticker import ticker_claims

    out: list[Claim] = []
    for build in (
        after_loop_claims,
        slow_beat_claims,
        restart_spin_claims,
        closed_spin_claims,
        guard_scope_claims,
        lock_held_claims,
        give_up_claims,
        pause_switch_claims,
        ticker_claims,
        doubling_claims,
        round_gate_claims,
        permit_claims,
        arm_work_claims,
    ):
        out.extend(build(ctx, f))
    return out
