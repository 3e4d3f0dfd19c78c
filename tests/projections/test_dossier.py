"""The 全程纪实表 (附件4) of a member who went through the whole P6 path (scenarios 30, 52, 53)."""

from __future__ import annotations

from datetime import date
from typing import Any

from projections.dossier_read import dossier
from projections.registry import catch_up_all
from tests.projections.stories import Story


def boxes(page: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {box["box"]: box["entries"] for box in page["boxes"]}


def test_dossier_files_every_step_of_p6_in_its_box(story: Story) -> None:
    system = story.driver.system
    catch_up_all(system)
    page = dossier(system, story.xie.stream)
    assert page["basic"]["name"] == "谢军" and page["basic"]["organisation"] == "B1"
    assert page["basic"]["last_contact_date"] == "2023-05-01"
    got = boxes(page)
    assert [e["type"] for e in got["11"]] == ["SearchAttemptRecorded", "ContactRestored"]
    assert len(got["12"]) == 4 and {e["type"] for e in got["12"]} == {"ConductInvestigated"}
    assert [(e["type"], e["body"]["ref"]["step"]) for e in got["13"]] == [("CommitteeOpinionGiven", "P6.1")]
    assert [(e["signer"]["name"], e["body"]["ref"]["step"]) for e in got["14"]] == [("孙波", "P6.2")]
    assert [(e["signer"]["name"], e["body"]["ref"]["step"]) for e in got["15"]] == [("陈刚", "P6.3")]
    assert [e["body"]["ref"]["step"] for e in got["17"]] == ["P6.7"]
    assert [(e["type"], e["signer"]["name"]) for e in got["18"]] == [("Approved", "陈刚")]
    [meeting] = got["16"]
    assert meeting["body"]["vote"]["votes_for"] == 19
    assert [s["type"] for s in meeting["member_signature"]] == ["MemberSigned"]
    assert {e["type"] for e in got["19"]} == {"Corrected", "MemberNotified"}


def test_search_attempt_shows_its_witnesses_and_its_correction(story: Story) -> None:
    system = story.driver.system
    catch_up_all(system)
    [attempt, _] = boxes(dossier(system, story.xie.stream))["11"]
    assert attempt["hash"] == story.attempt_hash
    assert [(w["name"], w["signed"]) for w in attempt["witnesses"]] == [("吴芳", True), ("郑强", True)]
    assert [a["signer"]["name"] for a in attempt["attestations"]] == ["郑强"]
    assert attempt["body"]["phone"] == "13800000000" and "phone" not in attempt["original_body"]
    assert [c["hash"] for c in attempt["corrections"]] == [story.correction_hash]


def test_every_entry_verifies_signature_chain_and_inclusion(story: Story) -> None:
    system = story.driver.system
    catch_up_all(system)
    page = dossier(system, story.xie.stream)
    assert page["checkpoint"]["problem"] is None
    entries = [e for box in page["boxes"] for e in box["entries"]]
    assert entries and all(
        e["verification"] == {"signature": "ok", "chain": "ok", "inclusion": "ok"} for e in entries
    )


def test_entries_after_the_checkpoint_are_pending(story: Story) -> None:
    system = story.driver.system
    with story.driver.clock("2025-04-01"):
        story.zhao.add(
            "ParticipationRecorded",
            {"kind": "dues", "period": "2025-03", "amount_fen": 100},
            "吴芳",
            "2025-04-01",
        )
    catch_up_all(system)
    entries = [e for box in dossier(system, story.zhao.stream)["boxes"] for e in box["entries"]]
    assert [e["verification"]["inclusion"] for e in entries][-1] == "pending"
    assert all(e["verification"]["signature"] == "ok" for e in entries)


def test_dossier_as_of_occurred_and_recorded_basis(story: Story) -> None:
    """Scenario 53: the pre-review occurred 2025-02-05 and was recorded 2025-03-03."""
    system = story.driver.system
    catch_up_all(system)
    occurred = boxes(dossier(system, story.huang.stream, at=date(2025, 2, 28), basis="occurred"))
    recorded = boxes(dossier(system, story.huang.stream, at=date(2025, 2, 28), basis="recorded"))
    assert [e["body"]["ref"]["step"] for e in occurred["14"]] == ["P4.2"]
    assert recorded["14"] == []
    assert len(occurred["13"]) == len(recorded["13"]) == 1
    later = boxes(dossier(system, story.huang.stream, at=date(2025, 3, 3), basis="recorded"))
    assert len(later["14"]) == 1


def test_correction_appears_only_once_its_target_is_in_view(story: Story) -> None:
    system = story.driver.system
    catch_up_all(system)
    early = boxes(dossier(system, story.xie.stream, at=date(2023, 12, 1), basis="occurred"))
    assert early["11"] == [] and early["19"] == []
    recorded = boxes(dossier(system, story.xie.stream, at=date(2023, 12, 25), basis="recorded"))
    [attempt] = recorded["11"]
    assert attempt["corrections"] == [] and "phone" not in attempt["body"]
