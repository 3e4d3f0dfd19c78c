"""Authorisation beyond the table walk: the transfer-receipt exception, the root administrator, batches."""

from __future__ import annotations

import uuid

from tests.api.authz_world import build
from tests.api.conftest import Served, assert_problem

FOUR_CLEAR = {"nature": "permanent", "mobile": "13905567777", "backup_contact": "叶红（姐）13800001111"}


def test_the_receiving_branch_records_the_receipt_and_nobody_else_outside(served: Served) -> None:
    aw = build(served.world)
    world, member = aw.world, aw.members["branch"]
    receiver = aw.outsider
    assert receiver is not None
    stranger = world.enrol(["SEC"], unit="gbranch", name="无关书记")
    head_url = f"/streams/{member}/head"
    assert_problem(served.client.get(head_url, headers=served.sign_in(receiver)), 403, "out-of-scope")
    letter = {"letter_no": "组转〔2026〕001号", "to_unit": aw.unit("branch2"), "nature": "permanent",
              "valid_until": "2026-06-01", "four_clear": FOUR_CLEAR}  # fmt: skip
    sent = served.submit(*world.statement(member, "RelationTransferred", letter, aw.actors["SEC"]))
    assert sent.status_code == 201, sent.text

    assert served.client.get(head_url, headers=served.sign_in(receiver)).status_code == 200
    assert_problem(served.client.get(head_url, headers=served.sign_in(stranger)), 403, "out-of-scope")
    assert_problem(
        served.client.get(f"/streams/{member}", headers=served.sign_in(receiver)), 403, "out-of-scope"
    )
    receipt = {"letter_no": letter["letter_no"]}
    stray = served.submit(*world.statement(member, "RelationReceived", receipt, stranger))
    assert_problem(stray, 403, "out-of-scope")
    dues = {"kind": "dues", "period": "2026-02"}
    assert_problem(
        served.submit(*world.statement(member, "ParticipationRecorded", dues, receiver)), 403, "out-of-scope"
    )

    received = served.submit(*world.statement(member, "RelationReceived", receipt, receiver))
    assert received.status_code == 201, received.text
    # The member now lives in branch2: its secretary reads the file, the old branch no longer does.
    assert served.client.get(f"/streams/{member}", headers=served.sign_in(receiver)).status_code == 200
    old = served.client.get(f"/streams/{member}", headers=served.sign_in(aw.actors["SEC"]))
    assert_problem(old, 403, "out-of-scope")


def test_only_the_root_administrator_registers_a_unit_without_parent(served: Served) -> None:
    aw = build(served.world)
    body = {
        "name": "新县委组织部",
        "kind": "org_department",
        "admin_level": "county",
        "live_from": "2026-03-01",
    }
    unit = str(uuid.uuid4())
    statement, signature = aw.world.statement(unit, "UnitRegistered", body, aw.actors["ADM"])
    scoped = served.client.post(
        f"/units/{unit}/registration", json={"statement": statement, "signature": signature}
    )
    assert_problem(scoped, 403, "out-of-scope")
    root = aw.world.statement(unit, "UnitRegistered", body, aw.world.admin)
    response = served.client.post(
        f"/units/{unit}/registration", json={"statement": root[0], "signature": root[1]}
    )
    assert response.status_code == 201, response.text


def test_a_batch_names_the_item_refused_and_writes_nothing(served: Served) -> None:
    aw = build(served.world)
    world, secretary = aw.world, aw.actors["SEC"]
    own = world.statement(
        aw.members["branch"], "ParticipationRecorded", {"kind": "dues", "period": "2026-02"}, secretary
    )
    foreign = world.statement(
        aw.members["branch2"], "ParticipationRecorded", {"kind": "dues", "period": "2026-02"}, secretary
    )
    items = [{"statement": s, "signature": sig} for s, sig in (own, foreign)]
    before = world.head(aw.members["branch"])
    body = assert_problem(served.client.post("/statements/batch", json={"items": items}), 403, "out-of-scope")
    assert body["index"] == 1 and world.head(aw.members["branch"]) == before


def test_a_batch_may_register_a_unit_and_its_actors_together(served: Served) -> None:
    aw = build(served.world)
    world, adm = aw.world, aw.actors["ADM"]
    unit, actor = str(uuid.uuid4()), str(uuid.uuid4())
    first = world.statement(unit, "UnitRegistered", {"name": "新支部", "kind": "branch", "parent": aw.unit("committee"),
                                                     "live_from": "2026-03-01", "has_committee": False}, adm)  # fmt: skip
    second = world.statement(actor, "ActorRegistered", {"name": "新书记", "unit": unit, "roles": ["SEC"],
                                                        "standing": "full"}, adm)  # fmt: skip
    items = [{"statement": s, "signature": sig} for s, sig in (first, second)]
    response = served.client.post("/statements/batch", json={"items": items})
    assert response.status_code == 201, response.text


def test_a_forged_statement_is_refused_by_its_signature_not_by_scope(served: Served) -> None:
    aw = build(served.world)
    statement, _ = aw.world.statement(
        aw.members["branch2"], "ParticipationRecorded", {"kind": "dues"}, aw.actors["SEC"]
    )
    assert_problem(served.submit(statement, "A" * 88), 401, "bad-signature")


def test_an_actor_without_registration_is_refused_explicitly(served: Served) -> None:
    aw = build(served.world)
    headers = served.sign_in(aw.actors["INS"])
    served.clock.now = served.clock.now.replace(year=2025)  # before every registration
    response = served.client.get(f"/streams/{aw.members['branch']}", headers=headers)
    assert_problem(response, 403, "role-not-allowed")
