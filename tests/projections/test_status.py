"""The status projection: filters, next steps, deadlines, as of both bases (scenarios 30, 53)."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.errors import NotFound
from projections.registry import catch_up_all
from projections.status_read import StatusFilter, list_status, member_status
from tests.domain.engine_world import U
from tests.projections.stories import Story


def names(page: dict[str, object]) -> list[str]:
    return sorted(m["name"] for m in page["members"])  # type: ignore[attr-defined, index]


def test_status_lists_every_member_with_chinese_state(story: Story) -> None:
    system = story.driver.system
    catch_up_all(system)
    page = list_status(system, today=date(2024, 10, 1))
    assert page["total"] == 3
    labels = {m["name"]: m["state_label"] for m in page["members"]}
    assert labels == {"谢军": "自行脱党除名", "黄海": "已取得联系-处置中", "赵磊": "失联-查找中"}
    assert {m["name"]: m["home"]["name"] for m in page["members"]}["黄海"] == "B1"


def test_status_filters_by_unit_subtree_state_cause_and_overdue(story: Story) -> None:
    system = story.driver.system
    catch_up_all(system)
    assert names(list_status(system, StatusFilter(unit=U["D"]))) == ["谢军", "赵磊", "黄海"]
    assert names(list_status(system, StatusFilter(unit=U["C1"]))) == ["谢军", "赵磊", "黄海"]
    assert names(list_status(system, StatusFilter(unit=U["C2"]))) == []
    assert names(list_status(system, StatusFilter(state="LOST_SEARCHING"))) == ["赵磊"]
    assert names(list_status(system, StatusFilter(cause=1))) == ["谢军", "赵磊", "黄海"]
    assert names(list_status(system, StatusFilter(cause=2))) == []
    # 赵磊's last attempt 2024-09-20 + 90 days; 谢军's announcement due 30 days after 2024-04-25
    early = list_status(system, StatusFilter(overdue=True), today=date(2024, 5, 20))
    assert names(early) == []
    late = list_status(system, StatusFilter(overdue=True), today=date(2024, 12, 20))
    assert names(late) == ["谢军", "赵磊"]
    assert names(list_status(system, StatusFilter(overdue=False), today=date(2024, 12, 20))) == ["黄海"]
    with pytest.raises(NotFound):
        list_status(system, StatusFilter(unit="no-such-unit"))


def test_status_pages(story: Story) -> None:
    system = story.driver.system
    catch_up_all(system)
    first = list_status(system, page=1, per_page=2)
    second = list_status(system, page=2, per_page=2)
    assert first["total"] == second["total"] == 3
    assert len(first["members"]) == 2 and len(second["members"]) == 1
    assert {m["member_id"] for m in first["members"]}.isdisjoint(m["member_id"] for m in second["members"])


def test_next_steps_name_the_step_and_who_signs(story: Story) -> None:
    system = story.driver.system
    catch_up_all(system)
    huang = member_status(system, story.huang.stream)
    assert huang["active_path"] == "P4"
    steps = {s["step"]: s for s in huang["next_steps"]}
    assert "P4.4" in steps and "P4.2" not in steps and "P4.2g" not in steps
    signer = steps["P4.3"]["signers"][0]
    assert signer["units"] == [U["C1"]] and {r["code"] for r in signer["roles"]} >= {"CSEC"}
    zhao = member_status(system, story.zhao.stream)
    assert [s["step"] for s in zhao["next_steps"]][:1] == ["P0.4"]
    assert member_status(system, story.xie.stream)["next_steps"] == []


def test_deadlines_of_a_removal_and_a_search(story: Story) -> None:
    system = story.driver.system
    catch_up_all(system)
    xie = member_status(system, story.xie.stream, today=date(2024, 5, 26))
    assert [(d["code"], d["due"], d["overdue"]) for d in xie["deadlines"]] == [
        ("announcement-due", "2024-05-25", True)
    ]
    zhao = member_status(system, story.zhao.stream, today=date(2024, 12, 19))
    assert [(d["code"], d["due"], d["overdue"]) for d in zhao["deadlines"]] == [
        ("search-stale", "2024-12-19", False)
    ]


def test_status_as_of_occurred_and_recorded_basis(story: Story) -> None:
    """Scenario 53: P4.2 occurred 2025-02-05 but was recorded 2025-03-03."""
    system = story.driver.system
    occurred = member_status(system, story.huang.stream, at=date(2025, 2, 28), basis="occurred")
    recorded = member_status(system, story.huang.stream, at=date(2025, 2, 28), basis="recorded")
    assert occurred["state"] == recorded["state"] == "CONTACTED"
    assert "P4.3" in {s["step"] for s in occurred["next_steps"]}
    assert "P4.2" in {s["step"] for s in recorded["next_steps"]}
    before = member_status(system, story.xie.stream, at=date(2024, 4, 1))
    assert before["state"] == "CONTACTED" and before["active_path"] == "P6"
    after = member_status(system, story.xie.stream, at=date(2024, 4, 30))
    assert after["state_label"] == "自行脱党除名"
    with pytest.raises(NotFound):
        member_status(system, story.xie.stream, at=date(2020, 1, 1))
