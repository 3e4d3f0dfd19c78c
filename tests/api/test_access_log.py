"""The hash-chained access log: reads of members' data are logged, queried in scope, and verified."""

from __future__ import annotations

from tests.api.authz_world import AuthzWorld, build
from tests.api.conftest import Served, assert_problem


def _reads(served: Served, aw: AuthzWorld) -> None:
    for role, member in (("SEC", "branch"), ("CST", "branch"), ("SEC", "branch"), ("INS", "gbranch")):
        response = served.client.get(
            f"/streams/{aw.members[member]}", headers=served.sign_in(aw.actors[role])
        )
        assert response.status_code == 200
    outsider = aw.outsider
    assert outsider is not None
    served.client.get(f"/streams/{aw.members['branch2']}/head", headers=served.sign_in(outsider))


def test_every_member_read_is_logged_without_the_data(served: Served) -> None:
    aw = build(served.world)
    _reads(served, aw)
    root = served.sign_in(served.world.admin)
    rows = served.client.get("/access-log", headers=root).json()["rows"]
    assert [(r["view"], r["member"]) for r in rows] == [
        ("stream", aw.members["branch"]), ("stream", aw.members["branch"]), ("stream", aw.members["branch"]),
        ("stream", aw.members["gbranch"]), ("head", aw.members["branch2"]),
    ]  # fmt: skip
    assert (
        rows[0]["actor"] == aw.actors["SEC"].id
        and rows[0]["client"]
        and rows[0]["at"].startswith("2026-03-14")
    )
    assert rows[1]["prev_hash"] == rows[0]["hash"] and "党员" not in str(rows)
    served.client.get(f"/streams/{aw.unit('branch')}", headers=root)
    assert (
        len(served.client.get("/access-log", headers=root).json()["rows"]) == 5
    )  # unit reads are not member data


def test_the_log_is_queried_by_member_actor_since_and_within_the_inspectors_subtree(served: Served) -> None:
    aw = build(served.world)
    _reads(served, aw)
    inspector = served.sign_in(aw.actors["INS"])
    mine = served.client.get("/access-log", headers=inspector).json()
    assert mine["unit"] == aw.unit("committee") and len(mine["rows"]) == 4
    by_member = served.client.get("/access-log", params={"member": aw.members["gbranch"]}, headers=inspector)
    assert [r["actor"] for r in by_member.json()["rows"]] == [aw.actors["INS"].id]
    by_actor = served.client.get("/access-log", params={"actor": aw.actors["CST"].id}, headers=inspector)
    assert len(by_actor.json()["rows"]) == 1
    later = served.client.get("/access-log", params={"since": "2026-03-15"}, headers=inspector)
    assert later.json()["rows"] == []
    page = served.client.get("/access-log", params={"limit": 3}, headers=inspector).json()
    assert len(page["rows"]) == 3 and page["next_after"] == page["rows"][-1]["position"]
    outside = {"member": aw.members["branch2"]}
    assert_problem(served.client.get("/access-log", params=outside, headers=inspector), 403, "out-of-scope")
    other = {"unit": aw.unit("committee2")}
    assert_problem(served.client.get("/access-log", params=other, headers=inspector), 403, "out-of-scope")
    narrower = served.client.get("/access-log", params={"unit": aw.unit("gbranch")}, headers=inspector)
    assert len(narrower.json()["rows"]) == 1
    clerk = served.sign_in(aw.actors["SEC"])
    assert_problem(served.client.get("/access-log", headers=clerk), 403, "role-not-allowed")
    assert_problem(served.client.get("/access-log/verify", headers=clerk), 403, "role-not-allowed")


def test_a_row_tampered_in_the_database_is_named_by_verify(served: Served) -> None:
    aw = build(served.world)
    _reads(served, aw)
    inspector = served.sign_in(aw.actors["INS"])
    intact = served.client.get("/access-log/verify", headers=inspector).json()
    assert intact["ok"] and intact["rows"] == 5 and intact["first_broken"] is None
    log = served.world.system.log
    with log.transaction(commit=True) as cursor:
        cursor.execute(
            log.sql("UPDATE {t}api_access_log SET actor = ? WHERE position = 3"), [aw.actors["ODL"].id]
        )
    broken = served.client.get("/access-log/verify", headers=inspector).json()
    assert not broken["ok"] and broken["first_broken"]["position"] == 3
    assert "hash" in broken["first_broken"]["reason"]


def test_a_row_deleted_from_the_middle_is_named_by_verify(served: Served) -> None:
    aw = build(served.world)
    _reads(served, aw)
    log = served.world.system.log
    with log.transaction(commit=True) as cursor:
        cursor.execute(log.sql("DELETE FROM {t}api_access_log WHERE position = 2"))
    report = served.client.get("/access-log/verify", headers=served.sign_in(served.world.admin)).json()
    assert report["first_broken"] == {"position": 2, "reason": "row 2 is missing"}
