"""The HTTP slice of this issue through the real ASGI app: health, readiness, checkpoint, proofs, leaves."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from ledger import merkle, note
from ledger.settings import Settings
from tests.world import World, make_world


@pytest.fixture
def served(settings: Settings) -> Iterator[tuple[World, TestClient]]:
    world = make_world(settings)
    clerk = world.enrol(["BST"])
    for _ in range(3):
        world.participation(world.member(), clerk)
    world.system.bring_log_up_to_date()
    with TestClient(create_app(settings, follow_log=False)) as client:
        yield world, client
    world.system.close()


def test_health_and_readiness(served: tuple[World, TestClient]) -> None:
    world, client = served
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready").json()
    assert ready["origin"] == world.origin and ready["tree_size"] == world.system.log.size()


def test_checkpoint_is_the_signed_note(served: tuple[World, TestClient]) -> None:
    world, client = served
    response = client.get("/ledger/checkpoint")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    verifier = note.VerifierKey.parse(client.get("/ledger/verifier-key").text.strip())
    checkpoint = note.parse_checkpoint(response.text, verifier)
    assert checkpoint.size == world.system.log.size()


def test_proofs_verify_against_the_checkpoint(served: tuple[World, TestClient]) -> None:
    world, client = served
    verifier = note.VerifierKey.parse(world.system.verifier_key())
    checkpoint = note.parse_checkpoint(client.get("/ledger/checkpoint").text, verifier)
    size = checkpoint.size
    leaves = client.get("/ledger/leaves", params={"start": 0, "end": 1000}).json()["leaves"]
    assert [leaf["position"] for leaf in leaves] == list(range(size))
    proof = client.get(
        "/ledger/proof/inclusion", params={"hash": leaves[3]["hash"], "tree_size": size}
    ).json()
    assert proof["index"] == 3
    assert merkle.verify_inclusion(
        3,
        size,
        bytes.fromhex(proof["leaf_hash"]),
        [bytes.fromhex(p) for p in proof["proof"]],
        checkpoint.root,
    )
    consistency = client.get("/ledger/proof/consistency", params={"first": 2, "second": size}).json()
    old_root = world.system.log.root(2)
    assert merkle.verify_consistency(
        2, size, old_root, checkpoint.root, [bytes.fromhex(p) for p in consistency["proof"]]
    )


@pytest.mark.parametrize(
    "path",
    [
        "/ledger/proof/consistency?first=3&second=2",
        "/ledger/proof/consistency?first=a&second=2",
        "/ledger/proof/inclusion?tree_size=4",
        "/ledger/proof/inclusion?tree_size=99&position=0",
        "/ledger/leaves?start=-1&end=3",
    ],
)
def test_bad_requests_get_problem_details(served: tuple[World, TestClient], path: str) -> None:
    _, client = served
    response = client.get(path)
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
