"""Signed writes over HTTP: receipts, every refusal as a problem document, batches all or none."""

from __future__ import annotations

import json
import uuid

from ledger import keys
from ledger.keys import key_id
from ledger.statement import sign_statement, statement_hash
from tests.api.conftest import Served, assert_problem

DUES = {"kind": "dues", "period": "2026-01", "amount_fen": 2000}


def test_a_signed_statement_is_recorded_with_its_hash_and_order(served: Served) -> None:
    clerk = served.world.enrol(["BST"])
    member = served.world.member()
    statement, signature = served.world.statement(member, "ParticipationRecorded", DUES, clerk)
    response = served.submit(statement, signature)
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert receipt["hash"] == statement_hash(statement).hex()
    assert (receipt["stream"], receipt["seq"]) == (member, 2)
    assert receipt["recorded_at"].endswith("Z") and receipt["order"] > 1
    head = served.client.get(f"/streams/{member}/head", headers=served.sign_in(clerk)).json()
    assert head == {"seq": 2, "hash": receipt["hash"]}


def test_the_server_hashes_the_json_as_sent_not_a_reserialisation(served: Served) -> None:
    clerk = served.world.enrol(["BST"])
    statement, signature = served.world.statement(served.world.member(), "ParticipationRecorded", DUES, clerk)
    text = json.dumps(
        {"signature": signature, "statement": dict(reversed(list(statement.items())))}, indent=3
    )
    response = served.client.post(
        f"/streams/{statement['stream']}/statements",
        content=text.encode(),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["hash"] == statement_hash(statement).hex()


def test_floats_and_duplicate_keys_are_refused(served: Served) -> None:
    clerk = served.world.enrol(["BST"])
    statement, signature = served.world.statement(served.world.member(), "ParticipationRecorded", DUES, clerk)
    text = json.dumps({"statement": statement, "signature": signature})
    url = f"/streams/{statement['stream']}/statements"
    floated = served.client.post(url, content=text.replace('"amount_fen": 2000', '"amount_fen": 2000.0'))
    assert "fraction" in assert_problem(floated, 422, "validation")["errors"][0]["message"]
    doubled = served.client.post(url, content=text.replace('"signature":', '"signature": "x", "signature":'))
    assert_problem(doubled, 422, "validation")


def test_a_stale_head_is_refused_with_the_current_head(served: Served) -> None:
    clerk = served.world.enrol(["BST"])
    member = served.world.member()
    registered = served.world.head(member)
    first = served.world.participation(member, clerk)
    other = {**DUES, "period": "2026-02"}  # not the recorded statement: that would be already-recorded
    statement, signature = served.world.statement(
        member, "ParticipationRecorded", other, clerk, seq=registered[0] + 1, prev=registered[1]
    )
    body = assert_problem(served.submit(statement, signature), 409, "stale-head")
    assert body["head"] == {"seq": 2, "hash": first.hash}


def test_an_invalid_body_lists_its_errors(served: Served) -> None:
    clerk = served.world.enrol(["BST"])
    statement, signature = served.world.statement(
        served.world.member(), "ParticipationRecorded", {"kind": "dues", "amount_fen": "20"}, clerk
    )
    body = assert_problem(served.submit(statement, signature), 422, "validation")
    assert body["errors"] and all({"path", "message"} <= set(error) for error in body["errors"])


def test_an_unknown_statement_type_is_a_validation_problem(served: Served) -> None:
    clerk = served.world.enrol(["BST"])
    statement, signature = served.world.statement(served.world.member(), "NoSuchThing", {}, clerk)
    assert_problem(served.submit(statement, signature), 422, "validation")


def test_a_tampered_statement_has_a_bad_signature(served: Served) -> None:
    clerk = served.world.enrol(["BST"])
    statement, signature = served.world.statement(served.world.member(), "ParticipationRecorded", DUES, clerk)
    tampered = {**statement, "body": {**DUES, "amount_fen": 1}}
    assert_problem(served.submit(tampered, signature), 401, "bad-signature")


def test_a_key_not_enrolled_is_unknown(served: Served) -> None:
    clerk = served.world.enrol(["BST"])
    stranger = served.world.enrol(["BST"])
    statement = {**served.world.statement(served.world.member(), "ParticipationRecorded", DUES, clerk)[0]}
    statement["actor"] = stranger.id
    _, signature = sign_statement(statement, clerk.key)
    assert_problem(served.submit(statement, signature), 401, "unknown-key")


def test_a_revoked_key_signs_nothing_more(served: Served) -> None:
    world = served.world
    clerk = world.enrol(["BST"])
    world.append(
        clerk.id,
        "KeyRevoked",
        {"actor": clerk.id, "key_id": key_id(clerk.key.public_key()), "revoked_at": "2026-03-14"},
        world.admin,
    )
    statement, signature = world.statement(world.member(), "ParticipationRecorded", DUES, clerk)
    assert_problem(served.submit(statement, signature), 401, "revoked-key")


def test_the_path_must_name_the_statements_stream(served: Served) -> None:
    clerk = served.world.enrol(["BST"])
    statement, signature = served.world.statement(served.world.member(), "ParticipationRecorded", DUES, clerk)
    response = served.client.post(
        f"/streams/{uuid.uuid4()}/statements", json={"statement": statement, "signature": signature}
    )
    body = assert_problem(response, 422, "validation")
    assert body["errors"][0]["path"] == "statement.stream"


def test_a_token_sent_with_a_write_must_be_the_signers(served: Served) -> None:
    clerk = served.world.enrol(["BST"])
    other = served.world.enrol(["BST"])
    statement, signature = served.world.statement(served.world.member(), "ParticipationRecorded", DUES, clerk)
    assert_problem(served.submit(statement, signature, headers=served.sign_in(other)), 403, "actor-mismatch")
    assert served.submit(statement, signature, headers=served.sign_in(clerk)).status_code == 201


def test_a_batch_is_all_or_none_and_names_the_failing_item(served: Served) -> None:
    world = served.world
    clerk = world.enrol(["BST"])
    members = [world.member() for _ in range(3)]
    items = []
    for member in members:
        statement, signature = world.statement(member, "ParticipationRecorded", DUES, clerk)
        items.append({"statement": statement, "signature": signature})
    items[1]["signature"] = items[0]["signature"]
    body = assert_problem(
        served.client.post("/statements/batch", json={"items": items}), 401, "bad-signature"
    )
    assert body["index"] == 1
    headers = served.sign_in(clerk)
    for member in members:
        assert served.client.get(f"/streams/{member}/head", headers=headers).json()["seq"] == 1
    items[1]["signature"] = sign_statement(items[1]["statement"], clerk.key)[1]
    response = served.client.post("/statements/batch", json={"items": items})
    assert response.status_code == 201, response.text
    assert [r["stream"] for r in response.json()["receipts"]] == members


def test_a_batch_of_the_wrong_shape_is_a_validation_problem(served: Served) -> None:
    for body in ({}, {"items": []}, {"items": [1]}, {"items": [{"statement": {}, "signature": 1}]}):
        assert_problem(served.client.post("/statements/batch", json=body), 422, "validation")


def test_actors_and_keys_are_registered_through_their_convenience_routes(served: Served) -> None:
    world = served.world
    actor = str(uuid.uuid4())
    registration = {"name": "吴芳", "unit": world.units["branch"], "roles": ["BST"], "standing": "full"}
    statement, signature = world.statement(actor, "ActorRegistered", registration, world.admin)
    response = served.client.post(
        f"/actors/{actor}/registration", json={"statement": statement, "signature": signature}
    )
    assert response.status_code == 201, response.text
    public = keys.generate().public_key()
    body = {"actor": actor, "key_id": keys.key_id(public), "public_key": keys.public_key_b64(public)}
    statement, signature = world.statement(actor, "KeyEnrolled", body, world.admin)
    url = f"/actors/{actor}/keys"
    response = served.client.post(url, json={"statement": statement, "signature": signature})
    assert response.status_code == 201, response.text
    dues, dues_signature = world.statement(actor, "ParticipationRecorded", DUES, world.admin)
    response = served.client.post(url, json={"statement": dues, "signature": dues_signature})
    assert_problem(response, 422, "validation")
