"""Focus builders for helpers (framed around the job they serve) and for composites.

Helpers reachable from a task get examples of their own: batch SQL, an optional legacy path, a
statement-timeout override, a startup probe, error mapping. Composites show several items at once:
helpers that do one job for two callers, and a whole module's background machinery.
"""

from __future__ import annotations

import re

from .evidence import Evidence
from .facts import human_int
from .narrate import (
    Draft,
    const_by_name,
    const_phrase,
    launch_sentence,
    where_is,
)
from .phrasing import Ask, Phraser, article, first_sentence, lower1, q


def focus_sql_batch(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    limited = [s for s in f.sql if s.limit and s.verb in ("UPDATE", "DELETE")]
    if not limited:
        return None
    name = ev.name(idx)
    limit_param = next((p for p, ty in f.params if p == "limit" or "limit" in p), "")
    think = [
        f"{q(name)} is the unit of work of the background job: one call, one bounded batch.",
    ]
    for s in limited:
        table = q(s.tables[0]) if s.tables else "its table"
        extra = " and skips rows that are locked elsewhere" if s.skip_locked else ""
        think.append(
            f"The {s.verb} on {table} selects its ids in a subquery with {q('LIMIT $1')}{extra}."
        )
    if limit_param:
        think.append(
            f"{q('$1')} is bound from {q(limit_param)}, so the caller chooses the batch size."
        )
    callers = ev.callers.get(idx, [])
    for c in callers:
        cf = ev.facts[c]
        for call in cf.calls:
            if call.written == name and len(call.args) >= 2:
                b = const_by_name(ev, cf, call.args[1]) if len(call.args) > 1 else None
                if b is not None and b.value is not None:
                    think.append(
                        f"{q(cf.name)} passes {const_phrase(b)}, so each statement touches at most "
                        f"{human_int(b.value)} rows per pass."
                    )
    if any(s.skip_locked for s in limited):
        think.append(
            f"{q('FOR UPDATE SKIP LOCKED')} is what makes it safe to run on more than one server "
            "at a time: concurrent passes take different rows instead of queueing on the same "
            "locks."
        )
    if f.tail and "rows_affected" in f.tail:
        think.append(
            f"It returns {q(f.tail)}, a row count the loop can compare with the batch size to "
            "decide whether to sleep."
        )
    ask = Ask(
        title=ph.pick(
            "t-sqlbatch",
            [
                f"{name}: process at most one batch per call",
                f"Batch and skip-locked semantics for {name}",
            ],
        ),
        ask=f"Implement {where_is(ev, idx)} so each call handles at most one batch"
        + (f" of {q(limit_param)} rows." if limit_param else "."),
        criteria=[
            f"every {'/'.join(sorted({s.verb for s in limited}))} capped with {q('LIMIT')}",
            "rows held by another worker are skipped",
            "return how many rows were affected",
        ],
        symptom="two instances running the cleaner at once blocked on each other's row locks",
        refactor=f"split the batch SQL of {q(name)} so each statement is bounded and skip-locked",
    )
    return Draft(ask, think)


def focus_gate(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    if not f.let_branches or not f.bool_params_gating:
        return None
    var, cond, then, other = f.let_branches[0]
    if cond not in f.bool_params_gating:
        return None
    name = ev.name(idx)
    think = [
        f"{q(name)} takes {q(cond)} as a plain {q('bool')} rather than checking the database "
        "itself, so the decision is made once by the caller, not on every batch.",
        f"When it is false, {q(var)} is simply {q(other)} and the legacy statement never runs.",
    ]
    for cmt in f.comments:
        if "legacy" in cmt.lower():
            think.append(f"The comment there points to the reasoning: {lower1(cmt).rstrip('.')}.")
            break
    callers = [ev.facts[c] for c in ev.callers.get(idx, [])]
    for cf in callers:
        for v, val in cf.inits:
            if any(v in call.args for call in cf.calls if call.written == name):
                think.append(f"{q(cf.name)} computes that flag as {q(v)} from {q(val)}.")
    if f.tail and var in f.tail:
        think.append(f"The total still includes the legacy count through {q(f.tail)}.")
    ask = Ask(
        title=ph.pick(
            "t-gate",
            [
                f"Let {name} skip the legacy table",
                f"Legacy cleanup in {name} should be optional",
            ],
        ),
        ask=f"Give {where_is(ev, idx)} a {q(cond)} flag that turns the legacy statement on or off.",
        criteria=[
            "the legacy statement runs only when the flag is set",
            "the returned count adds both statements' rows",
        ],
        symptom="after the migration the legacy statement kept scanning a table that had "
        "nothing left to expire",
        refactor=f"move the legacy branch of {q(name)} behind a {q(cond)} parameter",
    )
    return Draft(ask, think)


def focus_timeout_tx(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    sets = [s for s in f.sql if s.verb == "SET" and "statement_timeout" in s.text]
    if not sets or "transaction" not in f.tags:
        return None
    name = ev.name(idx)
    methods = [m for m in ("begin", "execute", "query_one", "commit") if m in f.idents]
    value_m = re.search(r"statement_timeout\s*=\s*([^;\s'\"]+)", sets[0].text)
    value = value_m.group(1) if value_m else ""
    lifted = value == "0"
    local = "SET LOCAL" in sets[0].text.upper()
    if lifted:
        opener = ph.pick(
            "tx-open",
            [
                f"The background statements can run longer than the server's normal statement "
                f"timeout allows, so {q(name)} lifts it — but only for this one statement.",
                f"{q(name)} exists because a cleanup statement over a big table should not be "
                "killed by the timeout meant for API queries.",
            ],
            salt=name,
        )
    else:
        source = value.strip("{}") if value.startswith("{") else value
        opener = (
            f"{q(name)} gives one statement its own timeout, taken from {q(source)}, instead of "
            "the connection's default, so a background batch has a budget of its own."
        )
    think = [
        opener,
        f"It opens a transaction with {q('begin()')}, runs {q(sets[0].text)} and then the "
        "caller's statement on the same transaction"
        + (
            f": {q('SET LOCAL')} only lasts until the transaction ends, so the pooled connection "
            "goes back with its usual timeout."
            if local
            else "."
        ),
    ]
    if f.question_marks:
        think.append(
            f"Every step uses {q('?')}, so the first error goes back to the caller as "
            f"{q(f.returns)} and {q('commit()')} only runs after both statements succeeded."
            if "commit" in methods
            else f"Every step uses {q('?')}, so errors go back to the caller as {q(f.returns)}."
        )
    launch = launch_sentence(ev, idx, ph, f"tx-{idx}")
    if launch:
        think.append(launch)
    use = "query_one" if "query_one" in f.idents else "execute"
    ask = Ask(
        title=ph.pick(
            "t-tx",
            [
                f"Long cleanup statements hit statement_timeout ({name})",
                f"Helper to run one statement without the statement timeout: {name}",
                f"{name}: scoped statement timeout override",
            ],
            salt=name,
        ),
        ask=ph.pick(
            "a-tx",
            [
                f"Add {where_is(ev, idx)}: run one statement via {q(use)} with the statement "
                "timeout "
                "disabled for that statement only.",
                f"We need {where_is(ev, idx)}, which runs a single {q(use)} with no statement "
                "timeout "
                "while leaving the connection's setting alone afterwards.",
                f"Write {where_is(ev, idx)} so a long background {q(use)} is not cut off by the "
                "statement timeout.",
            ],
            salt=name,
        )
        if lifted
        else f"Add {where_is(ev, idx)}: run one statement via {q(use)} under a statement "
        "timeout the "
        "caller chooses, scoped to that statement's transaction.",
        criteria=ph.pick(
            "c-tx",
            [
                "the override is scoped to a transaction with SET LOCAL|the transaction commits "
                "only "
                "when the statement succeeded|errors are returned to the caller, not swallowed",
                "lift the timeout with SET LOCAL inside its own transaction|commit after the "
                "statement, "
                "never before|hand any error back to the caller",
            ],
            salt=name,
        ).split("|"),
        symptom="the cleanup statement was cancelled by statement_timeout on a large table and "
        "the backlog never shrank"
        if lifted
        else "a runaway background statement held its connection far longer than any request would",
        refactor=f"pull the timeout override into {q(name)} so callers don't repeat it",
    )
    return Draft(ask, think, launched=launch is not None)


def focus_probe(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    if "bool" not in f.returns or not f.sql:
        return None
    name = ev.name(idx)
    s = f.sql[0]
    think = [
        f"{q(name)} answers one yes/no question for the background job with {q(s.text)}"
        + (
            f": {f.doc_summary[0].lower() + f.doc_summary[1:].rstrip('.')}."
            if f.doc_summary
            else "."
        ),
    ]
    if "EXISTS" in s.text.upper() or s.limit:
        think.append(
            f"{q('EXISTS')} with {q('LIMIT 1')} lets the database stop at the first matching row, "
            "so the check stays cheap even on a large table."
            if "EXISTS" in s.text.upper() and s.limit
            else "The query stops early instead of counting rows, so the check stays cheap."
        )
    if f.error_conversions:
        conv = ", then ".join(q(x) for x in dict.fromkeys(f.error_conversions))
        think.append(
            f"Each way it can fail becomes an error for the caller through {conv}, so a missing "
            "row or a bad column is reported rather than read as false."
        )
    callers = [ev.facts[c] for c in ev.callers.get(idx, [])]
    for cf in callers:
        call = next((c for c in cf.calls if c.written == name), None)
        if call and call.propagates:
            think.append(
                f"{q(cf.name)} calls it once, before its loop, with {q('?')}: a failed check "
                "stops the task at startup instead of running it on a guess."
            )
    launch = launch_sentence(ev, idx, ph, f"probe-{idx}")
    if launch:
        think.append(launch)
    ask = Ask(
        title=ph.pick(
            "t-probe",
            [
                f"Cheap startup probe: {name}",
                f"{name}: tell the cleaner whether legacy rows remain",
            ],
        ),
        ask=f"Write {where_is(ev, idx)} returning {q(f.returns)}"
        + (f": it {lower1(first_sentence(f.doc_summary)).rstrip('.')}." if f.doc_summary else "."),
        criteria=[
            "a single cheap existence query, not a count",
            "any failure is an error, never silently false",
        ],
        symptom="the background job could not tell at startup whether its work applied",
        refactor=f"extract the existence check into {q(name)}",
    )
    return Draft(ask, think, launched=launch is not None)


def focus_two_statements(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    """A helper that runs statements on different tables, each its own way."""
    f = ev.facts[idx]
    writes = [x for x in f.sql if x.verb in ("UPDATE", "DELETE") and x.tables]
    if len(writes) < 2 or len({w.tables[0] for w in writes}) < 2:
        return None
    name = ev.name(idx)
    local = [c for c in f.calls if c.local_fn]
    think = [
        f"{q(name)} has two jobs that look alike but are not the same: "
        + " and ".join(f"{article(w.verb)} {w.verb} on {q(w.tables[0])}" for w in writes)
        + ".",
    ]
    first, second = writes[0], writes[1]
    if "SET" in first.text and "NULL" in first.text.upper():
        think.append(
            f"On {q(first.tables[0])} the row stays and only the column is cleared "
            f"({q('SET payload = NULL')}), while on {q(second.tables[0])} the whole row goes "
            f"({q(second.verb)})."
            if "SET payload = NULL" in first.text
            else f"On {q(first.tables[0])} the statement clears values in place, while on "
            f"{q(second.tables[0])} it removes rows."
        )
    if local and "execute" in f.idents:
        think.append(
            f"Only the first goes through {q(local[0].written)}; the {second.verb} runs with a "
            f"plain {q('execute')} on the pool, so it keeps the normal statement timeout."
        )
    if f.bool_params_gating:
        think.append(f"The first is also the optional one, behind {q(f.bool_params_gating[0])}.")
    ask = Ask(
        title=ph.pick(
            "t-two",
            [
                f"{name}: expire payloads in both the old and the new table",
                f"Clean both payload locations in {name}",
            ],
        ),
        ask=f"Extend {where_is(ev, idx)} to expire rows in "
        + " and ".join(q(w.tables[0]) for w in writes)
        + " in one call.",
        criteria=[f"{w.verb} on {q(w.tables[0])}, bounded by the same limit" for w in writes]
        + ["the two row counts are added up in the result"],
        symptom="payloads in the new table were never expired because only the old one was cleaned",
        refactor=f"make {q(name)} handle each table with its own statement",
    )
    return Draft(ask, think)


def focus_error_mapping(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    f = ev.facts[idx]
    convs = list(dict.fromkeys(f.error_conversions))
    if len(convs) < 2:
        return None
    name = ev.name(idx)
    msgs = re.findall(
        r'Error::generic\((?:format_args!\()?"([^"]+)"', ev.fs.text[f.item.start : f.item.end]
    )
    think = [
        f"{q(name)} turns three different failures into one error type the background task "
        f"can report: the query failing ({q('?')}), no row coming back ({q(convs[0])}), and "
        f"the value not reading as the expected type ({q(convs[1])}).",
    ]
    if msgs:
        think.append(
            f'Both conversions say "{msgs[0]}", so a log line points at this check no matter '
            "which step broke."
            if len(set(m.split(":")[0] for m in msgs)) == 1
            else f'Each conversion carries its own message, starting with "{msgs[0]}".'
        )
    if f.returns:
        think.append(
            f"The signature returns {q(f.returns)}, so a broken check is never mistaken for "
            f"{q('false')}."
        )
    callers = [ev.facts[c] for c in ev.callers.get(idx, [])]
    for cf in callers:
        call = next((c for c in cf.calls if c.written == name), None)
        if call and call.propagates:
            think.append(
                f"{q(cf.name)} propagates it with {q('?')}, so the task refuses to start on an "
                "answer it cannot trust."
            )
    ask = Ask(
        title=ph.pick(
            "t-errmap",
            [
                f"{name} should never read a failure as false",
                f"Error reporting in {name}",
            ],
        ),
        ask=f"Make {where_is(ev, idx)} report every failure as an error with a clear message.",
        criteria=[
            "a missing row is an error, not a default",
            "a value that can't be read is an error",
            "the message names the check",
        ],
        symptom="a failed existence check was treated as false and the legacy cleanup silently "
        "stopped",
        refactor=f"replace unwraps in {q(name)} with explicit error conversions",
    )
    return Draft(ask, think)


def focus_helper_role(ev: Evidence, idx: int, ph: Phraser) -> Draft | None:
    """A helper framed around the background job it serves, and what it concretely does."""
    f = ev.facts[idx]
    callers = ev.callers.get(idx, [])
    if not callers or f.item.kind != "fn":
        return None
    name = ev.name(idx)
    cf = ev.facts[callers[0]]
    job = lower1(first_sentence(cf.doc_summary)).rstrip(".") if cf.doc_summary else ""
    think = [
        ph.pick(
            "role-open",
            [
                f"{q(name)} exists for {q(cf.name)}"
                + (f", whose job is this: {job}." if job else "."),
                f"I keep {q(name)} separate because {q(cf.name)} needs it"
                + (f" for its job ({job})." if job else "."),
            ],
            salt=name,
        ),
    ]
    if f.doc_summary:
        think.append(f"Its own contract: {lower1(f.doc_summary).rstrip('.')}.")
    if f.params:
        shown = ", ".join(q(f"{p}: {t}") for p, t in f.params[:3])
        think.append(f"It takes {shown}" + (" and more." if len(f.params) > 3 else "."))
    own_calls = [c.written for c in f.calls if c.local_fn]
    if own_calls:
        think.append(
            "Its work is delegated further to "
            + ", ".join(q(c) for c in dict.fromkeys(own_calls))
            + "."
        )
    for sql in f.sql[:1]:
        table = f" on {q(sql.tables[0])}" if sql.tables else ""
        think.append(f"It runs {article(sql.verb)} {sql.verb}{table}.")
    if f.error_conversions:
        convs = ", ".join(q(x) for x in dict.fromkeys(f.error_conversions))
        think.append(f"Failures become errors for the caller through {convs}.")
    if f.returns:
        think.append(f"It returns {q(f.returns)}, which {q(cf.name)} handles.")
    launch = launch_sentence(ev, idx, ph, f"role-{idx}")
    if launch:
        think.append(launch)
    ask = Ask(
        title=ph.pick(
            "t-role",
            [f"Helper for {cf.name}: {name}", f"Extract {name} out of {cf.name}"],
            salt=name,
        ),
        ask=f"Add {where_is(ev, idx)} for {q(cf.name)} to call"
        + (
            f": it should {lower1(first_sentence(f.doc_summary)).rstrip('.')}."
            if f.doc_summary
            else "."
        ),
        criteria=[f"returns {q(f.returns)}" if f.returns else "no return value"]
        + ([f"takes {q(f.params[0][0])}"] if f.params else []),
        symptom=f"{q(cf.name)} had this logic inline and it was hard to follow",
        refactor=f"extract {q(name)} from {q(cf.name)}",
    )
    return Draft(ask, think, launched=launch is not None)


# Focus table: id, builder, whether it is about a candidate (True) or a helper (False), priority.


def pair_draft(ev: Evidence, members: list[int], ph: Phraser) -> Draft | None:
    fs = [ev.facts[m] for m in members]
    names = [f.name for f in fs]
    shared_sql = {s.text for s in fs[0].sql}
    for f in fs[1:]:
        shared_sql &= {s.text for s in f.sql}
    if not shared_sql:
        return None
    stmt = sorted(shared_sql)[0]
    callers = []
    for m in members:
        cs = ev.callers.get(m, [])
        callers.append(ev.name(cs[0]) if cs else "")
    think = [
        f"{' and '.join(q(n) for n in names)} are the same idea for two call shapes: both run "
        f"{q(stmt)} inside a transaction before the caller's statement.",
        "They differ only in what comes back: "
        + "; ".join(f"{q(f.name)} returns {q(f.returns)}" for f in fs)
        + ".",
    ]
    pairs = [f"{q(c)} uses {q(n)}" for n, c in zip(names, callers, strict=True) if c]
    if pairs:
        think.append(
            "Each has one caller on the background path: " + " and ".join(pairs) + ", so the "
            "timeout override never leaks into request-serving code."
        )
    think.append(
        "Keeping them as two small functions instead of one generic one keeps the return types "
        "plain for the callers."
    )
    ask = Ask(
        title=ph.pick(
            "t-pair",
            [
                f"Timeout-free statement helpers: {', '.join(names)}",
                "Two helpers to run background statements without the statement timeout",
            ],
        ),
        ask=f"Add {' and '.join(q(n) for n in names)} to {q(ev.display)}: one per call shape, "
        "both with the statement timeout lifted for a single transaction.",
        criteria=[f"{q(f.name)} returns {q(f.returns)}" for f in fs]
        + ["the timeout override ends with the transaction"],
        symptom="the background statements and the existence check both hit the statement "
        "timeout on a large table",
        refactor="share the timeout override between the execute and query paths",
    )
    return Draft(ask, think)


def module_entries(ev: Evidence) -> list[int]:
    """The fns of the module's background machinery that nothing in the file calls."""
    return [i for i in ev.subjects() if not ev.callers.get(i) and ev.fs.items[i].kind == "fn"]


def module_driver(ev: Evidence) -> int:
    """The driver: the most important candidate nothing in the file calls."""
    entries = module_entries(ev)
    return next((c for c in ev.candidates if c in entries), ev.candidates[0])


def module_draft(ev: Evidence, ph: Phraser) -> Draft | None:
    if not ev.candidates:
        return None
    subjects = ev.subjects()
    entries = module_entries(ev)
    main = module_driver(ev)
    f = ev.facts[main]
    roles: list[str] = []
    for i in sorted(subjects, key=lambda j: ev.fs.items[j].start):
        fi = ev.facts[i]
        # Direct calls between fns only: a struct "using" its own impl is not a step.
        calls = [ev.name(j) for j in subjects if i in ev.callers.get(j, [])][:3]
        role = q(fi.name)
        if fi.doc_summary:
            role += f" ({lower1(first_sentence(fi.doc_summary)).rstrip('.')})"
        if calls:
            role += " uses " + ", ".join(q(c) for c in calls)
        roles.append(role)
    think = [
        f"{q(ev.display)} is one background job split into small pieces, each with one step to "
        "do, so each can be reasoned about (and reviewed) alone.",
        "In source order: " + "; ".join(roles) + ".",
    ]
    if entries:
        think.append(
            "The entry point"
            + ("s are " if len(entries) > 1 else " is ")
            + ", ".join(q(ev.name(e)) for e in entries)
            + "; everything else is only reached through "
            + ("them." if len(entries) > 1 else "it.")
        )
    consts = [c for c in f.consts if c.value is not None]
    if consts:
        where = "next to the loop that uses them" if all(c.local for c in consts) else "as consts"
        think.append(
            f"The tunables are named {where}: " + ", ".join(const_phrase(c) for c in consts) + "."
        )
    launch = launch_sentence(ev, main, ph, "module")
    if launch:
        think.append(launch)
    names = [ev.name(i) for i in subjects]
    ask = Ask(
        title=ph.pick(
            "t-module",
            [
                f"Background job module: {ev.module}",
                f"Implement {ev.module} end to end",
                f"Split {ev.module} into a driver and helpers",
            ],
        ),
        ask=f"Write the {q(ev.display)} module: " + ", ".join(q(n) for n in names) + ".",
        criteria=[
            "entry point"
            + ("s: " if len(entries) > 1 else ": ")
            + ", ".join(q(ev.name(e)) for e in entries)
            if entries
            else "one entry point",
            "each helper does one step and returns its errors",
            "tunable values are named constants",
        ],
        symptom="the background job was one long function that nobody wanted to touch",
        refactor="split the background job into small functions, one step each",
    )
    return Draft(ask, think, launched=launch is not None)
