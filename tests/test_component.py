"""What a request calls the part of the code a subject belongs to: from its own identifiers."""

from __future__ import annotations

import pytest

from svixbt.claims.component import component_of, humanize

CASES = [
    # (fn, display path, phrase or None): why
    ("payload_reaper_loop", "svc/src/payload_reaper.rs", "the payload reaper"),  # agent noun
    ("reap_payloads", "svc/src/payload_reaper.rs", "the payload reaper module"),  # verb: its file
    ("run_with_pool", "svc/src/db/lease_sweeps.rs", "the lease sweeps module"),  # all generic
    ("new", "svc/src/store/memory.rs", "the memory store module"),  # a kind folder
    ("ack", "svc/src/queue/mod.rs", "the queue module"),  # mod.rs is its folder
    ("run", "svc-plugin-kafka/src/input.rs", "the Kafka input module"),  # a plugin crate
    ("run_inner", "svc-plugin-queue/src/lib.rs", "the queue plugin"),  # a plugin's root
    ("run_with_prefix", "svc/src/lib.rs", None),  # a crate root names nothing
    ("wait_for_dsn", "svc/src/wait_for.rs", None),  # a verb file names nothing
    ("handle_rows", "svc/src/queue_v2.rs", None),  # a number in prose needs a claim
    ("clean_rows", "svc/src/sync_handler.rs", "the sync handler module"),
    # A file name read out word by word is no name (held-out reads 87-89); an abbreviation is
    # written as people write it.
    ("changed", "svc/src/store_awaited_action_db.rs", None),
    ("run", "svc/src/block_nbd.rs", "the block NBD module"),
    ("run", "svc/src/dns.rs", "the DNS module"),
]


@pytest.mark.parametrize(("fn", "display", "phrase"), CASES)
def test_component_comes_from_the_code_names(fn: str, display: str, phrase: str | None) -> None:
    found = component_of(fn, display)
    assert (found.phrase() if found else None) == phrase


def test_humanize_writes_products_as_people_do() -> None:
    assert humanize("RedisQueueMonitor") == "Redis queue monitor"
    assert humanize("kafka_sqs_bridge") == "Kafka SQS bridge"
