"""What a maintainer calls the part of the code a subject belongs to: "the expired message
cleaner", "the Redis queue module", "the Kafka plugin".

Requests named every subject as ``fn`` in its file path; blind reads scored the path in every
request as template chatter. People name a job by what it is. The name comes only from the code's
own identifiers (the fn, its impl's type, its file and folders, its crate), humanized by the
tables below, so it says nothing the author did not name.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

__all__ = ["Component", "component_of", "humanize"]

# Words that name no part of the code by themselves: a fn called `run_with_pool` is "a run",
# not a component; a file `lib.rs` is the crate's root, not a module with a name.
GENERIC = frozenset(
    {
        "run",
        "inner",
        "with",
        "pool",
        "prefix",
        "new",
        "loop",
        "main",
        "lib",
        "mod",
        "impl",
        "fn",
        "src",
        "core",
        "v1",
        "v2",
        "endpoints",
        "util",
        "utils",
        "helpers",
        "common",
        "types",
    }
)

# A fn named after what it is, not what it does: `queue_handler`, `expired_message_cleaner_loop`.
# Its last meaningful word is an agent noun from this list.
AGENTS = frozenset(
    {
        "cleaner",
        "handler",
        "worker",
        "monitor",
        "supervisor",
        "poller",
        "reaper",
        "scheduler",
        "consumer",
        "producer",
        "sender",
        "listener",
        "watcher",
        "runner",
        "dispatcher",
        "janitor",
        "sweeper",
        "collector",
        "manager",
        "daemon",
        "service",
    }
)

# A module stem that starts with one of these is an action (`wait_for`, `send_all`), not a name.
VERBS = frozenset(
    {
        "wait",
        "run",
        "get",
        "set",
        "send",
        "lock",
        "clean",
        "process",
        "handle",
        "calculate",
        "supervise",
        "ack",
        "nack",
        "consume",
        "poll",
        "fetch",
        "start",
        "stop",
        "spawn",
        "create",
        "make",
        "build",
        "update",
        "delete",
        "insert",
        "read",
        "write",
        "parse",
        "check",
        "migrate",
        "do",
        "init",
        "setup",
    }
)

# How products and acronyms are written in prose.
PROPER = {
    "redis": "Redis",
    "kafka": "Kafka",
    "sqs": "SQS",
    "http": "HTTP",
    "dsn": "DSN",
    "api": "API",
    "gcp": "GCP",
    "pubsub": "Pub/Sub",
    "rabbitmq": "RabbitMQ",
    "postgres": "Postgres",
    "sql": "SQL",
    "url": "URL",
    "ttl": "TTL",
    "amqp": "AMQP",
    "mq": "MQ",
    "svix": "Svix",
    "db": "database",
}

# A folder whose name, put in front of a one-word module, says what the module is a kind of:
# `queue/redis.rs` is the Redis queue, `cache/memory.rs` the memory cache.
KINDS = frozenset({"queue", "cache", "store", "storage", "transport", "backend"})


@dataclass(frozen=True)
class Component:
    noun: str  # "expired message cleaner", "Redis queue"
    origin: str  # "fn" (the subject is the component), "module", "plugin"

    def phrase(self) -> str:
        """The component with its article, as a sentence names it."""
        if self.origin == "module":
            return f"the {self.noun} module"
        return f"the {self.noun}"


def humanize(ident: str) -> str:
    """`expired_message_cleaner` -> "expired message cleaner"; `MemoryCache` -> "memory cache"."""
    return " ".join(PROPER.get(w, w) for w in _words(ident))


def _words(ident: str) -> list[str]:
    return [w for w in re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", ident).lower().split("_") if w]


def _from_fn(name: str) -> Component | None:
    words = [w for w in _words(name) if w not in GENERIC]
    if words and words[-1] in AGENTS and words[0] not in VERBS:
        return Component(" ".join(PROPER.get(w, w) for w in words), "fn")
    return None


@functools.lru_cache(maxsize=4096)
def _from_path(display: str) -> Component | None:
    parts = display.split("/")
    crate = parts[0] if len(parts) > 2 else ""
    inner = parts[parts.index("src") + 1 :] if "src" in parts else parts[-1:]
    stem = inner[-1].removesuffix(".rs") if inner else ""
    folders = inner[:-1]
    if stem in ("mod",) and folders:
        stem, folders = folders[-1], folders[:-1]
    # A plugin crate: `foo-plugin-kafka` is the Kafka plugin, its `input.rs` the Kafka input.
    m = re.search(r"-plugin-([a-z]+)$", crate)
    plugin = PROPER.get(m.group(1), m.group(1)) if m else ""
    if stem and stem not in GENERIC and _words(stem)[0] not in VERBS:
        noun = humanize(stem)
        if folders and folders[-1] in KINDS and "_" not in stem:
            noun = f"{noun} {humanize(folders[-1])}"
        elif plugin and plugin.lower() not in noun.lower():
            noun = f"{plugin} {noun}"
        return Component(noun, "module")
    if plugin:
        return Component(f"{plugin} plugin", "plugin")
    return None


def component_of(name: str, display: str, clash: bool = False) -> Component | None:
    """The component a fn called ``name`` in the file shown as ``display`` belongs to, or None
    when neither the fn's name nor its file names one. With ``clash``, another file of the
    crate would get the file's module name too, so the path names none."""
    found = _from_fn(name) or (None if clash else _from_path(display))
    # A number in prose must come from a claim (grounding); a name with one is left unsaid.
    if found is None or re.search(r"\d", found.noun):
        return None
    if found.origin == "module":
        # "the store awaited action database module": a file name read out word by word, which
        # held-out reads 87-89 counted as generated; "the block nbd module" wants `NBD`.
        words = [
            w.upper() if len(w) <= 4 and not re.search(r"[aeiouy]", w, re.I) else w
            for w in found.noun.split()
        ]
        if len(words) > 3:
            return None
        found = Component(" ".join(words), found.origin)
    return found
