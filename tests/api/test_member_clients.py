"""The member reads through the SDK's typed methods, and ``ledger members`` as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.client import LedgerApiError, LedgerClient
from api.read_schemas import MemberStatus
from ledger import keys
from ledger.bundle import verify_bundle
from ledger.settings import Settings
from tests.api.story_served import StoryServed, story_served
from tests.domain.engine_world import U
from tests.test_cli import assert_one_line_error, run

__all__ = ["story_served"]


def _sdk(ss: StoryServed, name: str, tmp_path: Path) -> LedgerClient:
    actor = ss.actor(name)
    path = tmp_path / f"{actor.id}.pem"
    keys.save_private_key(actor.key, path, None)
    verifier = ss.story.driver.system.verifier_key()
    return LedgerClient("http://testserver", actor.id, path, http=ss.served.client, verifier_key=verifier)


def test_the_sdk_reads_members_status_dossier_bundle_and_overdue(
    story_served: StoryServed, tmp_path: Path
) -> None:
    ss = story_served
    sdk = _sdk(ss, "孙波", tmp_path)
    page = sdk.members(per_page=2)
    assert page.total == 3 and len(page.members) == 2 and page.unit == U["C1"]
    assert [m.name for m in sdk.members(state="LOST_SEARCHING").members] == ["赵磊"]
    assert [m.name for m in sdk.members(name="黄").members] == ["黄海"]
    assert all(m.overdue for m in sdk.members(overdue=True).members)
    huang = ss.story.huang.stream
    status = sdk.member_status(huang, as_of="2025-02-28", basis="recorded")
    assert isinstance(status, MemberStatus) and status.basis == "recorded"
    assert "P4.2" in {step.step for step in status.next_steps}
    dossier = sdk.dossier(huang)
    assert dossier.basic["name"] == "黄海" and dossier.as_of is None
    bundle = sdk.bundle(huang)
    assert verify_bundle(bundle, ss.story.driver.system.verifier_key()).ok
    overdue = sdk.overdue()
    assert overdue.total >= 2 and {i.name for i in overdue.items} >= {"谢军", "赵磊"}
    with pytest.raises(LedgerApiError) as refused:
        _sdk(ss, "宋青", tmp_path).member_status(huang)
    assert refused.value.type == "out-of-scope" and refused.value.status == 403


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_ledger_members_prints_a_json_list_and_a_table(story_served: StoryServed, settings: Settings) -> None:
    listed = run(settings, "members", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert isinstance(rows, list) and len(rows) == 3
    assert all({"id", "name", "unit", "state"} <= row.keys() for row in rows)
    assert {row["name"]: row["state"] for row in rows}["赵磊"] == "LOST_SEARCHING"
    assert {row["unit"] for row in rows} == {U["B1"]}
    status = json.loads(run(settings, "status", "--json").stdout)["members"]
    assert [(r["id"], r["state"]) for r in rows] == [(m["member_id"], m["state"]) for m in status]
    named = json.loads(run(settings, "members", "--name", "谢", "--unit", U["C1"], "--json").stdout)
    assert [row["name"] for row in named] == ["谢军"]
    assert json.loads(run(settings, "members", "--unit", U["C2"], "--json").stdout) == []
    searching = json.loads(run(settings, "members", "--state", "LOST_SEARCHING", "--json").stdout)
    assert [row["name"] for row in searching] == ["赵磊"]
    table = run(settings, "members")
    assert table.returncode == 0 and "黄海" in table.stdout and "3 of 3 members" in table.stdout
    assert_one_line_error(run(settings, "members", "--unit", "no-such-unit"))
