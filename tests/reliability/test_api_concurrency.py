"""Many writers through HTTP, spread over two ``ledger serve`` processes on one PostgreSQL database.

Each round every writer reads the shared member's head, waits for the others to have read it too, and
submits a statement on it: exactly one wins, every other gets ``stale-head`` naming the winner as the new
head. Between races each writer appends to its own member. Afterwards every acknowledged statement is
stored exactly once, chains are intact, the Merkle log has no gap or duplicate and the ledger verifies.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.client import LedgerApiError, LedgerClient
from ledger import keys
from ledger.settings import Settings
from tests.conftest import PG_URL
from tests.reliability.load import Tally, check_exactly_once, dues
from tests.reliability.scale import sized
from tests.reliability.served import access_lines, serve_many
from tests.world import World, make_world

WRITERS = sized(5, 16)
ROUNDS = sized(5, 60)
SERVERS = 2


@pytest.fixture
def postgres_settings(pg_schema: str, tmp_path: Path) -> Settings:
    """An empty ledger in a fresh schema of the shared test PostgreSQL server."""
    url = f"{PG_URL}?schema={pg_schema}"
    return Settings(
        database_url=url, home=tmp_path / "home", origin="test.example.org/ledger", cipher_key=None
    )


@pytest.fixture
def world(postgres_settings: Settings) -> Iterator[World]:
    w = make_world(postgres_settings)
    yield w
    w.system.close()


def test_racing_writers_over_two_servers(world: World, postgres_settings: Settings, tmp_path: Path) -> None:
    clerk = world.enrol(["BST"])
    shared = world.member("共享")
    own = [world.member(f"党员{n}") for n in range(WRITERS)]
    key_file = tmp_path / "clerk.pem"
    keys.save_private_key(clerk.key, key_file, None)
    tally = Tally()
    race = threading.Barrier(WRITERS, timeout=120)
    losers: list[tuple[int, dict[str, object]]] = []  # (the head the loser read, the head it was told)

    def write(number: int, base: str) -> None:
        try:
            with LedgerClient(base, clerk.id, key_file) as sdk:
                for round_ in range(ROUNDS):
                    race.wait()
                    seq, prev = sdk.head(shared)
                    race.wait()
                    item = sdk.sign(
                        shared,
                        "ParticipationRecorded",
                        dues(number, round_),
                        "2026-03-14",
                        seq=seq + 1,
                        prev=prev,
                    )
                    try:
                        won = sdk.submit(*item)
                    except LedgerApiError as refusal:
                        assert refusal.type == "stale-head", refusal
                        with tally.lock:
                            tally.stale += 1
                            losers.append((seq, dict(refusal.problem["head"])))
                    else:
                        with tally.lock:
                            tally.acknowledged.setdefault(shared, []).append(won.hash)
                    mine = sdk.append(
                        own[number], "ParticipationRecorded", dues(number, round_), "2026-03-14"
                    )
                    with tally.lock:
                        tally.acknowledged.setdefault(own[number], []).append(mine.hash)
        except BaseException as error:
            race.abort()
            with tally.lock:
                tally.failures.append(f"writer {number}: {type(error).__name__}: {error}")

    logs = [tmp_path / f"serve-{n}.log" for n in range(SERVERS)]
    with serve_many(postgres_settings, logs) as services:
        bases = [service.base for service in services]
        threads = [threading.Thread(target=write, args=(n, bases[n % SERVERS])) for n in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)

    assert not tally.failures, tally.failures[:5]
    assert len(tally.acknowledged[shared]) == ROUNDS  # one winner per race
    assert tally.stale == ROUNDS * (WRITERS - 1)
    won = tally.acknowledged[shared]
    assert all(told["seq"] == read + 1 and told["hash"] in won for read, told in losers)
    for log in logs:
        statuses = {line["status"] for line in access_lines(log)}
        assert statuses <= {200, 201, 409}, statuses
    check_exactly_once(postgres_settings, tally, cli=False)
