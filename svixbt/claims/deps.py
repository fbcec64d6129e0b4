"""What a failing call talks to (the database, Kafka, Redis, a queue), read off the code.

A request's reason is a person's words for the thing that fails ("if the database is unreachable
for a while"), not the call's name. The noun is said only with its proof: a SQL statement in the
callee's body, or a type or crate name the callee's body or the receiver's declared type names.
One level deep: the callee must be a fn of this file, found by its name alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..fact_types import ItemFacts, Src
from .core import FileContext, Proof


@dataclass(frozen=True)
class Dependency:
    id: str
    noun: str  # how a maintainer names it
    description: str
    names: tuple[str, ...]  # identifiers that show it: crate names and types, matched whole
    parts: tuple[str, ...] = ()  # or a part of a type's name (`KafkaError`, `TaskQueueConsumer`)


# Tried in order; SQL in the callee's body counts as the database before any of these.
DEPENDENCIES: tuple[Dependency, ...] = (
    Dependency(
        "database",
        "the database",
        "a sqlx or sea-orm pool, connection or statement",
        ("sqlx", "sea_orm", "PgPool", "PgConnection", "DatabaseConnection", "DatabaseTransaction"),
    ),
    Dependency(
        "kafka",
        "Kafka",
        "an rdkafka client, or a type named for Kafka",
        ("rdkafka", "StreamConsumer", "BaseConsumer", "FutureProducer"),
        ("Kafka",),
    ),
    Dependency(
        "redis",
        "Redis",
        "a Redis client or pool",
        ("redis", "bb8_redis", "deadpool_redis", "RedisPool", "RedisConnection"),
        ("Redis",),
    ),
    Dependency(
        "queue",
        "the queue",
        "an omniqueue consumer or producer, or a queue consumer type",
        ("omniqueue", "lapin", "DynConsumer", "DynProducer"),
        ("QueueConsumer", "QueueProducer"),
    ),
)


def _matching(ident: str) -> Dependency | None:
    for d in DEPENDENCIES:
        if ident in d.names or (ident[:1].isupper() and any(p in ident for p in d.parts)):
            return d
    return None


def _callee(ctx: FileContext, bare: str) -> ItemFacts | None:
    """The one fn (free or method) of this file called ``bare``; None if none or several."""
    found = ctx.fns_named(bare)
    return found[0] if len(found) == 1 else None


def _ident_proof(ctx: FileContext, start: int, end: int, ident: str) -> Proof | None:
    m = re.search(rf"(?<![\w]){re.escape(ident)}(?![\w])", ctx.fs.text[start:end])
    if m is None:
        return None
    a = start + m.start()
    return ctx.proof(Src(a, a + len(ident), ident))


def dependency_of(ctx: FileContext, f: ItemFacts, call: str) -> tuple[str, Proof] | None:
    """(noun, proof) for what ``call`` (as written in ``f``) talks to, when the code shows it."""
    if not call or "(" in call:
        return None
    receiver, _, bare = call.rpartition(".")
    bare = bare.split("::")[-1]
    g = _callee(ctx, bare) if not receiver or receiver == "self" else None
    if g is not None and g.index != f.index:
        if g.sql:
            return DEPENDENCIES[0].noun, ctx.proof(g.sql[0].src)
        for d in DEPENDENCIES:
            for ident in sorted(g.idents):
                if _matching(ident) is d:
                    p = _ident_proof(ctx, g.item.keyword_start, g.item.end, ident)
                    if p is not None:
                        return d.noun, p
        return None
    # A method on a parameter: the parameter's declared type says what it is.
    for name, ty in f.params:
        if name != receiver:
            continue
        for ident in re.findall(r"\w+", ty):
            found = _matching(ident)
            if found is not None:
                sig_end = f.item.body_start or f.item.end
                p = _ident_proof(ctx, f.item.keyword_start, sig_end, ident)
                if p is not None:
                    return found.noun, p
    return None
