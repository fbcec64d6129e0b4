"""Claims about the work a pass does on the database: batch sizes, SQL batch clauses, statement
timeouts, transactions, existence probes and bool parameters that switch part of the work."""

from __future__ import annotations

import re

from ..facts import ItemFacts, Sql
from ..flow import Region
from ..values import human_int, split_commas
from .core import Claim, FileContext, Proof, make
from .shape import codes, main_loop

__all__ = ["data_claims"]

_BATCHY = re.compile(r"(?i)batch|chunk|page|limit")


def data_claims(ctx: FileContext, idx: int) -> list[Claim]:
    f = ctx.facts[idx]
    if f.flow is None:
        return []
    out: list[Claim] = []
    out += _batch_claims(ctx, f)
    out += _sql_claims(ctx, f)
    out += _transaction_claims(ctx, f)
    out += _gate_claims(ctx, f)
    out += _drain_claims(ctx, f)
    out += _fixed_input_claims(ctx, f)
    out += _sum_claims(ctx, f)
    return out


_SUM = re.compile(r"(\w+(?:\.\w+\(\))?)\s*\+\s*(\w+(?:\.\w+\(\))?)")


def _sum_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """The value returned adds up the row counts of two statements (`a + res.rows_affected()`):
    a caller comparing it with a batch size sees the sum, not either statement's count."""
    if f.tail is None or len([q for q in f.sql if q.tables]) < 2:
        return []
    m = _SUM.search(f.tail.text)
    if m is None:
        return []
    lets = {a.var for a in f.assigns if a.is_let}
    parts = [m.group(1), m.group(2)]
    if not all(p.split(".")[0] in lets for p in parts):
        return []
    tables = [t for q in f.sql for t in q.tables]
    slots = {"expr": m.group(0), "tables": codes(*dict.fromkeys(tables))}
    # Each statement capped by the same parameter (`LIMIT $1` bound from `limit`): the limit
    # is per statement, so one call may touch that many rows in each.
    binds = {_bind(f, q) for q in f.sql if q.tables}
    if len(binds) == 1 and "" not in binds and len([q for q in f.sql if q.tables]) == 2:
        slots["per"] = binds.pop()
    return [make("sum", f.name, slots, [ctx.proof(f.tail)])]


def returns_sum(ctx: FileContext, name: str) -> list[Proof]:
    """The proof that the fn ``name`` of this file returns the sum of several statements' row
    counts (its ``sum`` claim's), or none: a caller comparing its result with a batch size is
    not looking at one batch."""
    for g in ctx.facts.values():
        if g.kind == "fn" and g.name == name:
            for c in _sum_claims(ctx, g):
                return list(c.proof)
    return []


def _fixed_input_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A value worked out once before the task's loop, by an awaited call, and handed on every
    pass to a same-file callee that switches part of its work on it: the switch is decided for
    the whole run of the task, not re-checked each pass."""
    assert f.flow is not None
    loop = main_loop(f)
    if loop is None:
        return []
    loop_start = ctx.region_src(f, loop).start
    out: list[Claim] = []
    for a in f.assigns:
        if not a.is_let or a.src.start >= loop_start or not f.own(a.region):
            continue
        if f.flow.loop_of(a.region) is not None:
            continue
        if any(b.var == a.var and b is not a for b in f.assigns):
            continue  # set again somewhere: not decided once
        source = next(
            (
                c
                for c in f.calls
                if c.kind == "fn"
                and c.awaited
                and a.src.start <= c.src.start
                and c.src.end <= a.src.end
            ),
            None,
        )
        if source is None:
            continue
        for c in f.calls:
            if c.kind != "fn" or not f.flow.inside(c.region, loop.id):
                continue
            callee = ctx.local_fn(c.written.split("::")[-1])
            if callee is None or callee.flow is None:
                continue
            pos = [k for k, arg in enumerate(c.args) if arg.strip() == a.var]
            if not pos or pos[0] >= len(callee.params):
                continue
            param, ty = callee.params[pos[0]]
            if ty.strip() != "bool":
                continue
            gates = [r for r in callee.flow.regions if r.kind == "if" and r.head == param]
            if not gates:
                continue
            slots = {"var": a.var, "source": source.written, "callee": c.written, "param": param}
            inner = [q for q in callee.sql if callee.flow.inside(q.region, gates[0].id)]
            if inner:
                slots["verbs"] = codes(*inner[0].verbs)
                slots["tables"] = codes(*inner[0].tables)
            proof = [
                ctx.proof(a.src),
                ctx.proof(c.src),
                ctx.proof(ctx.region_src(callee, gates[0])),
            ]
            out.append(make("fixed_input", f.name, slots, proof, {"gates"}))
            break
    return out


# What a comparison is about when it is no batch's size: time and attempts.
_NOT_A_BATCH = re.compile(
    r"(?i)\b(?:now|Instant|deadline|elapsed|timeout|attempts?|retries|retry|tries)\b|\.elapsed\("
)


def _counted_in_round(f: ItemFacts, r: Region) -> bool:
    """Whether ``r``'s head compares a value the round itself bound with `let` before it (`let
    rows = q.execute().await?;`): a batch's size. teloxide's history scan `while let Some((_,
    time)) = history.front() { if time >= &min_back { break; } .. }` compares what the loop's
    head took, and its `break` was said as "stop at the first short batch" (held-out read 57)."""
    assert f.flow is not None and r.parent is not None
    names = set(re.findall(r"\b[a-z_]\w*\b", r.head))
    return any(
        a.is_let
        and a.var in names
        and a.src.start < r.head_start
        and f.flow.inside(a.region, r.parent)
        for a in f.assigns
    )


def _drain_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """`if rows < batch_size { break; }` directly in a loop: it stops at the first short batch."""
    assert f.flow is not None
    out: list[Claim] = []
    for r in f.flow.regions:
        if r.kind != "if" or r.parent is None or f.flow.regions[r.parent].kind != "loop":
            continue
        if not f.own(r.id) or not re.search(r"<|>=", r.head):
            continue
        if _NOT_A_BATCH.search(r.head):
            continue  # a deadline or an attempt count, not a short batch (spacedrive's poll)
        if not _counted_in_round(f, r):
            continue
        exits = [e for e in f.exits if e.region == r.id]
        if len(exits) == 1 and exits[0].kind == "break":
            m = re.match(r"(\w+)\s*<", r.head)
            slots = {"cond": r.head}
            flags = set() if re.search(r"\|\||&&", r.head) else {"simple"}
            if "||" in r.head and "&&" not in r.head:
                flags.add("any-of")  # any one of the conditions leaves
            if m:
                slots["var"] = m.group(1)
            out.append(make("drain", f.name, slots, [ctx.proof(ctx.region_src(f, r))], flags))
            if "any-of" in flags:
                out += _run_cap(ctx, f, r)
    return out


_CAP = re.compile(r"^(\w+)\s*>=?\s*([A-Z][A-Z0-9_]*)$")


def _run_cap(ctx: FileContext, f: ItemFacts, r: Region) -> list[Claim]:
    """`if short || done >= LIMIT { break }` with `done += n` each round: besides a short batch,
    a total caps one call's work, whether or not the batches still come back full."""
    assert f.flow is not None
    loop = f.flow.regions[r.parent] if r.parent is not None else None
    out: list[Claim] = []
    for part in r.head.split("||"):
        m = _CAP.match(part.strip())
        if m is None or loop is None:
            continue
        var, name = m.groups()
        const = f.const(name)
        if const is None or const.value is None or const.is_duration:
            continue
        adds = [
            u
            for u in f.updates
            if u.var == var and u.value.startswith("+=") and f.flow.inside(u.region, loop.id)
        ]
        if len(adds) != 1:
            continue
        slots = {
            "var": var,
            "const": name,
            "value": human_int(const.value),
            "update": adds[0].src.text.rstrip(";"),
        }
        proof = [ctx.proof(ctx.region_src(f, r)), ctx.proof(adds[0].src), ctx.proof(const.src)]
        out.append(make("run_cap", f.name, slots, proof))
    return out


def _batch_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    """A numeric const passed to a call and compared with what comes back: a batch size."""
    assert f.flow is not None
    out: list[Claim] = []
    for c in f.consts:
        if c.is_duration or c.value is None:
            continue
        calls = [
            call
            for call in f.calls
            if call.kind in ("fn", "method")
            and any(re.search(rf"\b{re.escape(c.name)}\b", a) for a in call.args)
        ]
        # A batch size bounds I/O: the call is awaited, or the const is named as a batch.
        if not any(call.awaited for call in calls) and not _BATCHY.search(c.name):
            continue
        if not calls:
            continue
        # The work it bounds: an awaited call first, else the innermost call that takes it
        # (`limit(BATCH_SIZE)`, not the chain around it).
        calls.sort(key=lambda call: (not call.awaited, call.src.end - call.src.start))
        conds = [
            r
            for r in f.flow.regions
            if r.kind == "if" and re.search(rf"\b{re.escape(c.name)}\b", r.head)
        ]
        cond_assigns = [
            a
            for a in f.assigns
            if a.branches and re.search(rf"\b{re.escape(c.name)}\b", a.branches[0])
        ]
        callee = calls[0].src.text if calls[0].kind == "method" else calls[0].written
        if "\n" in callee or len(callee) > 50:
            continue
        slots = {"const": c.name, "value": human_int(c.value), "callee": callee}
        proof = [ctx.proof(c.src), ctx.proof(calls[0].src)]
        if cond_assigns:
            slots["cond"] = cond_assigns[0].branches[0]  # type: ignore[index]
            proof.append(ctx.proof(cond_assigns[0].src))
        elif conds:
            slots["cond"] = conds[0].head
        else:
            continue  # passed on, never compared: nothing to say about batches
        # A fn of the crate handed the size (`clean_expired_messages(pool, BATCH_SIZE, ..)`),
        # not a query builder's `limit(..)`: a request can name it as the one that does a batch.
        flags = {"to-fn"} if calls[0].kind == "fn" else set()
        # `if cur_len < BATCH_SIZE || .. { break; }`: a short batch ends the walk. Said as
        # that, not as "compare what comes back with BATCH_SIZE" (blind read 42: code dictated).
        if (
            not cond_assigns
            and conds
            and re.search(
                rf"(?:^|\|\|)\s*[\w.]+\s*<\s*{re.escape(c.name)}\s*(?:$|\|\|)", conds[0].head
            )
            and any(e.kind == "break" and e.region == conds[0].id for e in f.exits)
        ):
            flags.add("short-breaks")
        out.append(make("batch", f.name, slots, proof, flags))
    return out


def _bind(f: ItemFacts, q: Sql) -> str:
    """The parameter the statement's `LIMIT $n` is bound from: the n-th value of the call's
    bind list (`[limit.into(), other.into()]`), when that value names one of the fn's
    parameters, or the only parameter the call passes at all."""
    params = {p for p, _ in f.params}
    m = re.search(r"(?i)\bLIMIT\s+\$(\d+)", q.src.text)
    if not m:
        return ""
    n = int(m.group(1))
    for call in f.calls:
        if not call.src.start <= q.src.start < call.src.end or len(call.args) < 2:
            continue
        # The values bound to `$1, $2, ..` follow the statement in the call's arguments.
        at = next((i for i, a in enumerate(call.args) if '"' in a), 0)
        values = call.args[at + 1 :]
        if len(values) == 1 and values[0].startswith("[") and values[0].endswith("]"):
            values = split_commas(values[0][1:-1])
        if n <= len(values):
            names: set[str] = set(re.findall(r"\b[a-z_]\w*\b", values[n - 1])) & params
            if len(names) == 1:
                return names.pop()
        names = set(re.findall(r"\b[a-z_]\w*\b", " ".join(call.args[1:]))) & params
        if len(names) == 1 and n == 1:
            return names.pop()
    return ""


def _sql_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    out: list[Claim] = []
    for q in f.sql:
        if not f.own(q.region):
            continue
        if q.statement_timeout:
            flags = {"local"} if q.local else set()
            if q.statement_timeout == "0":
                flags.add("disables")
            if any(c.kind == "method" and c.name == "begin" for c in f.calls):
                flags.add("in-transaction")
            stmt = _sql_quote(q)
            if not stmt:
                continue
            slots = {"value": q.statement_timeout, "stmt": stmt}
            m = re.match(r"(?i)SET\s+LOCAL", stmt)
            if m:
                slots["local_kw"] = m.group(0)
            out.append(make("statement_timeout", f.name, slots, [ctx.proof(q.src)], flags))
            continue
        text = " ".join(q.src.text.split())
        if q.verbs == ["SELECT"] and re.search(r"(?i)\bSELECT\s+EXISTS\b", q.src.text):
            slots = {"query": _sql_quote(q)}
            if q.tables:
                slots["table"] = q.tables[-1]
            flags = set()
            # A fn named or documented for expiry whose query has no expiry column in it: what it
            # counts is any row its WHERE admits, due or not.
            where = re.search(r"(?is)\bWHERE\s+(.+?)\s*(?:\bLIMIT\b|\)|$)", q.src.text)
            about_expiry = re.search(r"(?i)expir", f.name + " " + f.doc)
            if where and about_expiry and not re.search(r"(?i)expir", q.src.text):
                slots["where"] = " ".join(where.group(1).split())
                flags.add("no-expiry-filter")
            if slots["query"]:
                out.append(make("probe", f.name, slots, [ctx.proof(q.src)], flags))
            continue
        if not q.tables:
            continue
        flags = set()
        assert f.flow is not None
        bools = {p for p, ty in f.params if ty == "bool"}
        gate = next(
            (r.head for r in f.flow.chain(q.region) if r.kind == "if" and r.head in bools), ""
        )
        if q.limit:
            flags.add("limit")
        if q.skip_locked:
            flags.add("skip-locked")
        slots = {"verbs": codes(*q.verbs), "tables": codes(*q.tables)}
        bind = _bind(f, q)
        if bind and q.limit:
            slots["bind"] = bind
        m = re.search(r"(?i)\bLIMIT\s+(\d+)\b", text)
        if m:
            slots["limit_value"] = m.group(1)
        m = re.search(r"(?i)\bLIMIT\s+\S+", text)
        if m:
            slots["limit_clause"] = m.group(0)
        m = re.search(r"(?i)\bFOR\s+UPDATE\s+SKIP\s+LOCKED\b", text)
        if m:
            slots["lock_clause"] = m.group(0)
        if gate:
            slots["gate"] = gate
            flags.add("gated")
        out.append(make("sql", f.name, slots, [ctx.proof(q.src)], flags))
    return out


def _sql_quote(q: Sql) -> str:
    """The statement as one line, when it is short enough to quote."""
    m = re.match(r'^[bc]?r?#*"(.*)"#*$', q.src.text, re.S)
    body = " ".join((m.group(1) if m else q.src.text).split())
    return body if len(body) <= 90 and body in " ".join(q.src.text.split()) else ""


def _transaction_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    begin = [c for c in f.calls if c.kind == "method" and c.name == "begin" and c.awaited]
    commit = [c for c in f.calls if c.kind == "method" and c.name == "commit" and c.awaited]
    if not begin or not commit or not f.own(begin[0].region):
        return []
    steps = [
        c for c in f.calls if c.awaited and begin[0].src.start <= c.src.start <= commit[0].src.start
    ]
    # Every awaited step up to and including the commit ends in `?`: a failure skips the commit.
    flags = {"guarded-commit"} if steps and all(c.propagates for c in steps) else set()
    return [
        make(
            "transaction",
            f.name,
            {"begin": begin[0].src.text, "commit": commit[0].src.text},
            [ctx.proof(begin[0].src), ctx.proof(commit[0].src)],
            flags,
        )
    ]


def _gate_claims(ctx: FileContext, f: ItemFacts) -> list[Claim]:
    assert f.flow is not None
    bools = {p for p, ty in f.params if ty == "bool"}
    out: list[Claim] = []
    for r in f.flow.regions:
        if r.kind != "if" or r.head not in bools:
            continue
        inner = [q for q in f.sql if f.flow.inside(q.region, r.id)]
        slots = {"param": r.head}
        if inner:
            slots["verbs"] = codes(*inner[0].verbs)
            slots["tables"] = codes(*inner[0].tables)
        out.append(make("gate", f.name, slots, [ctx.proof(ctx.region_src(f, r))]))
    return out
