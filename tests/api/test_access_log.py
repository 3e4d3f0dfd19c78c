"""The hash-chained access log: reads of members' data are logged, queried in scope, and verified."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from api import accesslog
from ledger import note
from ledger.settings import Settings
from tests.api.authz_world import AuthzWorld, build
from tests.api.conftest import Served, assert_problem
from tests.rawdb import RawDb
from tests.test_cli import assert_one_line_error, run


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


# -- the head anchored by signed checkpoints: a deleted tail shows ---------------------------------------


def _checkpoint(served: Served, headers: dict[str, str]) -> str:
    response = served.client.get("/access-log/checkpoint", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return str(response.text)


def _delete(settings: Settings, sql: str) -> None:
    raw = RawDb(settings)
    try:
        raw.execute(sql)
    finally:
        raw.close()


def _checkpointed_reads(served: Served) -> tuple[AuthzWorld, dict[str, str], str]:
    """The authorisation world after the five logged reads, the inspector's headers, and the access-log
    checkpoint the inspector took of those five rows."""
    aw = build(served.world)
    inspector = served.sign_in(aw.actors["INS"])
    _reads(served, aw)
    return aw, inspector, _checkpoint(served, inspector)


def _delete_tail(settings: Settings) -> None:
    """Rows 4 and 5 deleted behind the service's back, leaving a valid chain of three rows."""
    _delete(settings, "DELETE FROM api_access_log WHERE position > 3")


def _verify_cli(settings: Settings, tmp_path: Path, kept: str | bytes | None) -> dict[str, Any]:
    args = ["verify", "--json"]
    if kept is not None:
        path = tmp_path / "kept.txt"
        path.write_bytes(kept.encode() if isinstance(kept, str) else kept)
        args += ["--access-log-checkpoint", str(path)]
    result = run(settings, *args)
    report: dict[str, Any] = json.loads(result.stdout)
    assert result.returncode == (0 if report["ok"] else 1), result.stderr
    return report


def test_the_head_is_signed_with_every_merkle_checkpoint_and_on_demand(served: Served) -> None:
    aw = build(served.world)
    served.world.system.bring_log_up_to_date()
    inspector = served.sign_in(aw.actors["INS"])
    verifier = note.VerifierKey.parse(served.client.get("/ledger/verifier-key").text.strip())
    origin = served.world.origin
    empty = note.parse_checkpoint(_checkpoint(served, inspector), verifier, origin=f"{origin}/access-log")
    assert (empty.size, empty.root) == (0, bytes(32))
    _reads(served, aw)
    log = served.world.system.log
    served.world.member()
    assert served.world.system.bring_log_up_to_date() > 0
    merkle = log.latest_checkpoint()
    assert merkle is not None and merkle.note.startswith(f"{origin}\n")  # the Merkle format is unchanged
    issued = dict(accesslog.stored_checkpoints(log))
    assert sorted(issued) == [0, 5]
    head = base64.b64encode(bytes.fromhex(accesslog.rows(log)[-1].hash)).decode()
    assert note.open_note(issued[5], verifier) == f"{origin}/access-log\n5\n{head}\n"
    assert _checkpoint(served, inspector) == issued[5]  # Ed25519 is deterministic: same head, same note
    served.client.get(f"/streams/{aw.members['branch']}", headers=served.sign_in(aw.actors["SEC"]))
    assert (
        note.parse_checkpoint(_checkpoint(served, inspector), verifier, origin=f"{origin}/access-log").size
        == 6
    )
    assert sorted(dict(accesslog.stored_checkpoints(log))) == [0, 5, 6]
    clerk = served.sign_in(aw.actors["SEC"])
    assert_problem(served.client.get("/access-log/checkpoint", headers=clerk), 403, "role-not-allowed")
    held = {"checkpoint": issued[5]}
    assert_problem(
        served.client.post("/access-log/verify", json=held, headers=clerk), 403, "role-not-allowed"
    )


def test_an_untouched_log_extends_its_issued_and_kept_checkpoints(
    served: Served, settings: Settings, tmp_path: Path
) -> None:
    aw, inspector, kept = _checkpointed_reads(served)
    _reads(served, aw)
    served.world.member()
    served.world.system.bring_log_up_to_date()
    report = served.client.post("/access-log/verify", json={"checkpoint": kept}, headers=inspector).json()
    assert report["ok"] and report["rows"] == 10 and report["checkpoint_failures"] == []
    assert report["checkpoints"] == {"issued": 2, "held": 1}
    cli = _verify_cli(settings, tmp_path, kept)
    assert cli["ok"] and cli["access_log"] == {"rows": 10, "checkpoints": 2, "held": 1}


def test_a_deleted_tail_is_named_by_the_checkpoint_it_no_longer_extends(
    served: Served, settings: Settings, tmp_path: Path
) -> None:
    aw, inspector, _ = _checkpointed_reads(served)
    _delete_tail(settings)
    report = served.client.get("/access-log/verify", headers=inspector).json()
    assert not report["ok"] and report["rows"] == 3 and report["first_broken"] is None  # the chain is valid
    assert report["checkpoint_failures"] == [
        {"size": 5, "source": "issued", "reason": "row 5 is gone: the log now ends at row 3"}
    ]
    refused = assert_problem(
        served.client.get("/access-log/checkpoint", headers=inspector), 409, "access-log-not-extended"
    )
    assert "size 5" in refused["detail"]
    served.world.member()
    served.world.system.bring_log_up_to_date()  # the runner's hook refuses too, and the Merkle log goes on
    assert sorted(dict(accesslog.stored_checkpoints(served.world.system.log))) == [5]
    cli = _verify_cli(settings, tmp_path, None)
    assert not cli["ok"] and [f["tree_size"] for f in cli["failures"]] == [5]
    assert (
        cli["failures"][0]["check"] == "access-log checkpoint"
        and "row 5 is gone" in cli["failures"][0]["message"]
    )
    _reads(served, aw)  # the tail regrown: rows 4..8 now hash differently
    regrown = served.client.get("/access-log/verify", headers=inspector).json()
    assert [(f["size"], f["reason"].split(" has hash ")[0]) for f in regrown["checkpoint_failures"]] == [
        (5, "row 5")
    ]


def test_a_tail_deleted_with_the_issued_notes_is_caught_by_a_kept_note(
    served: Served, settings: Settings, tmp_path: Path
) -> None:
    _, inspector, kept = _checkpointed_reads(served)
    _delete_tail(settings)
    _delete(settings, "DELETE FROM api_access_log_checkpoints")
    assert served.client.get("/access-log/verify", headers=inspector).json()["ok"]  # undetectable alone
    report = served.client.post("/access-log/verify", json={"checkpoint": kept}, headers=inspector).json()
    assert not report["ok"] and report["checkpoints"] == {"issued": 0, "held": 1}
    assert report["checkpoint_failures"] == [
        {"size": 5, "source": "held", "reason": "row 5 is gone: the log now ends at row 3"}
    ]
    cli = _verify_cli(settings, tmp_path, kept)
    assert not cli["ok"] and [f["tree_size"] for f in cli["failures"]] == [5]
    assert "kept" in cli["failures"][0]["message"]


def test_a_forged_or_altered_issued_note_is_reported(served: Served, settings: Settings) -> None:
    _, inspector, genuine = _checkpointed_reads(served)
    forged = note.sign_note(
        genuine.split("\n\n")[0] + "\n", served.world.origin, Ed25519PrivateKey.generate()
    )
    _delete(settings, "DELETE FROM api_access_log_checkpoints")
    raw = RawDb(settings)
    try:
        raw.execute("INSERT INTO api_access_log_checkpoints (size, note) VALUES (?, ?)", (5, forged))
        raw.execute("INSERT INTO api_access_log_checkpoints (size, note) VALUES (?, ?)", (4, genuine))
    finally:
        raw.close()
    report = served.client.get("/access-log/verify", headers=inspector).json()
    reasons = {f["size"]: f["reason"] for f in report["checkpoint_failures"]}
    assert sorted(reasons) == [4, 5] and "no signature by" in reasons[5] and "signs size 5" in reasons[4]


def test_a_kept_note_that_is_malformed_or_signed_by_another_key_is_refused(
    served: Served, settings: Settings, tmp_path: Path
) -> None:
    _, inspector, genuine = _checkpointed_reads(served)
    body = genuine.split("\n\n")[0] + "\n"
    foreign = note.sign_note(body, served.world.origin, Ed25519PrivateKey.generate())
    served.world.system.bring_log_up_to_date()
    merkle = served.client.get("/ledger/checkpoint").text
    cases = {
        foreign: "checkpoint-not-signed-by-ledger",
        genuine.replace(body, body.replace("\n5\n", "\n4\n")): "checkpoint-not-signed-by-ledger",
        "not a note": "bad-checkpoint",
        merkle: "bad-checkpoint",  # the ledger's key, but the Merkle log's origin
    }
    for text, code in cases.items():
        response = served.client.post("/access-log/verify", json={"checkpoint": text}, headers=inspector)
        assert_problem(response, 422, code)
    assert_problem(
        served.client.post("/access-log/verify", json={"note": genuine}, headers=inspector), 422, "validation"
    )
    for kept in (foreign, "not a note", b"\xff\xfe"):
        path = tmp_path / "kept.txt"
        path.write_bytes(kept.encode() if isinstance(kept, str) else kept)
        assert_one_line_error(run(settings, "verify", "--access-log-checkpoint", str(path)))
    assert_one_line_error(run(settings, "verify", "--access-log-checkpoint", str(tmp_path / "missing.txt")))
