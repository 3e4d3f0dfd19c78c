"""GET /streams/{id}: statements as signed, each with signature, chain and inclusion checks."""

from __future__ import annotations

import uuid

from ledger import merkle
from tests.api.authz_world import build
from tests.api.conftest import Served, assert_problem


def test_a_stream_is_served_with_each_statements_verification(served: Served) -> None:
    aw = build(served.world)
    member, secretary = aw.members["branch"], aw.actors["SEC"]
    aw.world.participation(member, secretary)
    headers = served.sign_in(aw.actors["CST"])
    pending = served.client.get(f"/streams/{member}", headers=headers).json()
    assert [s["verification"]["inclusion"] for s in pending["statements"]] == [None, None]
    served.world.system.bring_log_up_to_date()
    body = served.client.get(f"/streams/{member}", headers=headers).json()
    assert body["kind"] == "member" and len(body["statements"]) == 2
    root = bytes.fromhex(body["checkpoint"]["root_hash"])
    for seq, item in enumerate(body["statements"], start=1):
        check = item["verification"]
        assert item["statement"]["seq"] == seq and item["position"] is not None
        assert check["signature"] and check["chain"] and check["included"]
        proof = check["inclusion"]
        assert merkle.verify_inclusion(
            proof["index"], proof["tree_size"], bytes.fromhex(proof["leaf_hash"]),
            [bytes.fromhex(p) for p in proof["proof"]], root,
        )  # fmt: skip
    assert body["statements"][1]["statement"]["prev"] == body["statements"][0]["hash"]


def test_unit_and_actor_streams_are_served_and_unknown_ones_are_not_found(served: Served) -> None:
    aw = build(served.world)
    headers = served.sign_in(aw.actors["ODL"])
    unit = served.client.get(f"/streams/{aw.unit('committee')}", headers=headers).json()
    assert unit["kind"] == "unit" and unit["statements"][0]["statement"]["type"] == "UnitRegistered"
    actor = served.client.get(f"/streams/{aw.actors['BST'].id}", headers=headers).json()
    assert actor["kind"] == "actor" and all(s["verification"]["signature"] for s in actor["statements"])
    assert_problem(served.client.get(f"/streams/{uuid.uuid4()}", headers=headers), 404, "not-found")
    assert_problem(served.client.get(f"/streams/{aw.unit('committee')}"), 401, "unauthenticated")
