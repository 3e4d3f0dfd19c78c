"""The Merkle log runner: positions in commit order, exactly once, checkpoints and proofs from the database."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger import merkle, note
from ledger.canonical import canonical
from ledger.logrunner import LogRunner, leaf_data, leaf_hash_of
from ledger.settings import Settings
from ledger.system import load_ledger_key, open_ledger
from tests.world import World, make_world


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    w = make_world(settings)
    yield w
    w.system.close()


def fill(world: World, members: int = 5, each: int = 3) -> list[str]:
    clerk = world.enrol(["BST"])
    streams = [world.member() for _ in range(members)]
    for round_ in range(each):
        for stream in streams:
            world.participation(stream, clerk, period=f"2026-{round_ + 1:02d}")
    return streams


def test_every_statement_becomes_one_leaf_in_commit_order(world: World) -> None:
    fill(world)
    added = world.system.bring_log_up_to_date()
    total = world.system.ledger.max_notification_id()
    assert world.system.log.size() == total
    assert added == total - 1  # the genesis was logged by init
    leaves = world.system.log.leaves(0, total)
    assert [leaf.position for leaf in leaves] == list(range(total))
    ids = [leaf.notification_id for leaf in leaves]
    assert ids == sorted(ids)
    assert world.system.bring_log_up_to_date() == 0


def test_checkpoint_root_matches_the_tree_of_the_leaves(world: World) -> None:
    fill(world)
    world.system.bring_log_up_to_date()
    latest = world.system.log.latest_checkpoint()
    assert latest is not None
    leaves = world.system.log.leaves(0, latest.tree_size)
    expected = merkle.root_from_leaves(
        [leaf_hash_of(x.statement_hash, x.position, x.recorded_at) for x in leaves]
    )
    verifier = note.VerifierKey.parse(world.system.verifier_key())
    parsed = note.parse_checkpoint(latest.note, verifier)
    assert parsed.root == expected == latest.root_hash
    assert parsed.size == latest.tree_size


def test_proofs_from_the_database_verify_against_checkpoints(world: World) -> None:
    fill(world, members=4, each=2)
    world.system.bring_log_up_to_date()
    first = world.system.log.latest_checkpoint()
    fill(world, members=7, each=2)
    world.system.bring_log_up_to_date()
    second = world.system.log.latest_checkpoint()
    assert first is not None and second is not None and second.tree_size > first.tree_size
    proof = world.system.log.consistency_proof(first.tree_size, second.tree_size)
    assert merkle.verify_consistency(
        first.tree_size, second.tree_size, first.root_hash, second.root_hash, proof
    )
    for leaf in world.system.log.leaves(0, second.tree_size):
        path = world.system.log.inclusion_proof(leaf.position, second.tree_size)
        digest = leaf_hash_of(leaf.statement_hash, leaf.position, leaf.recorded_at)
        assert merkle.verify_inclusion(leaf.position, second.tree_size, digest, path, second.root_hash)


def test_runner_resumes_after_restart_without_duplicates(world: World, settings: Settings) -> None:
    fill(world, members=3, each=2)
    world.system.bring_log_up_to_date()
    size_before = world.system.log.size()
    fill(world, members=3, each=2)
    restarted = open_ledger(settings)
    try:
        restarted.bring_log_up_to_date()
        restarted.bring_log_up_to_date()
        assert restarted.log.size() == world.system.ledger.max_notification_id()
        assert restarted.log.size() > size_before
        hashes = [leaf.statement_hash for leaf in restarted.log.leaves(0, restarted.log.size())]
        assert len(hashes) == len(set(hashes))
    finally:
        restarted.close()


def test_two_runners_at_once_log_each_statement_exactly_once(world: World, settings: Settings) -> None:
    fill(world, members=10, each=3)
    systems = [open_ledger(settings) for _ in range(2)]
    key = load_ledger_key(settings)
    assert key is not None
    runners = [LogRunner(s.ledger, s.log, key, batch_size=4) for s in systems]
    threads = [threading.Thread(target=r.catch_up) for r in runners]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        size = world.system.log.size()
        assert size == world.system.ledger.max_notification_id()
        leaves = world.system.log.leaves(0, size)
        assert [leaf.position for leaf in leaves] == list(range(size))
        assert len({leaf.notification_id for leaf in leaves}) == size
    finally:
        for s in systems:
            s.close()


def test_stored_nodes_are_only_complete_subtrees(world: World) -> None:
    fill(world, members=5, each=5)
    world.system.bring_log_up_to_date()
    size = world.system.log.size()
    expected = sum(size >> level for level in range(size.bit_length()))
    assert world.system.log.count_nodes() == expected


@given(
    st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
    st.integers(min_value=0, max_value=2**53 - 1),
    st.text(max_size=30),
)
def test_fast_leaf_data_equals_the_canonical_form(
    statement_hash: str, position: int, recorded_at: str
) -> None:
    expected = canonical({"hash": statement_hash, "position": position, "recorded_at": recorded_at})
    assert leaf_data(statement_hash, position, recorded_at) == expected
