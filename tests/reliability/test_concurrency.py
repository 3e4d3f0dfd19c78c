"""Many writers at once (as several API processes would be): nothing accepted is lost or doubled,
losers get stale-head, the Merkle log has no gap or duplicate, and the ledger verifies."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from ledger.errors import StaleHead
from ledger.settings import Settings
from ledger.system import open_ledger
from ledger.verify import verify_ledger
from tests.reliability.scale import sized
from tests.world import Actor, World, make_world

WRITERS = sized(6, 12)
ROUNDS = sized(8, 60)


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    w = make_world(settings)
    yield w
    w.system.close()


def _write(world: World, clerk: Actor, members: list[str], accepted: list[str], stale: list[int]) -> None:
    mine = World(world.settings, open_ledger(world.settings), world.admin, units=dict(world.units))
    try:
        for round_ in range(ROUNDS):
            for member in members:
                try:
                    receipt = mine.participation(member, clerk, period=f"2026-{round_ % 12 + 1:02d}")
                    accepted.append(receipt.hash)
                except StaleHead:
                    stale.append(1)
    finally:
        mine.system.close()


def test_many_writers_on_shared_and_separate_members(world: World) -> None:
    clerk = world.enrol(["BST"])
    shared = world.member("共享")
    own = [world.member(f"党员{n}") for n in range(WRITERS)]
    accepted: list[str] = []
    stale: list[int] = []
    threads = [
        threading.Thread(target=_write, args=(world, clerk, [shared, own[n]], accepted, stale))
        for n in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(accepted) + len(stale) == WRITERS * ROUNDS * 2
    assert len(set(accepted)) == len(accepted)
    for member in own:  # nobody else writes these: every attempt lands
        assert len(world.system.ledger.read_stream(member)) == 1 + ROUNDS
    shared_stream = world.system.ledger.read_stream(shared)
    stored = {record.hash for member in [shared, *own] for record in world.system.ledger.read_stream(member)}
    assert set(accepted) <= stored
    assert len(shared_stream) == 1 + WRITERS * ROUNDS - len(stale)

    world.system.bring_log_up_to_date()
    size = world.system.log.size()
    leaves = world.system.log.leaves(0, size)
    assert [leaf.position for leaf in leaves] == list(range(size))
    assert len({leaf.statement_hash for leaf in leaves}) == size
    report = verify_ledger(
        world.system.ledger,
        world.system.log,
        ledger_public_key=world.system.ledger.ledger_public_key,
        workers=1,
    )
    assert report.ok, report.failures[:5]
    assert report.statements == report.leaves == size  # ids may have gaps (lost races); positions do not
