"""§7 scenarios 14–17 (P2 保留组织关系, P3 停止党籍（出国定居）)."""

from __future__ import annotations

from typing import Any

from domain.settings import DomainSettings
from domain.states import MemberState
from tests.domain.engine_steps import (
    approved,
    attach,
    confirm,
    contact,
    filed,
    meeting,
    opinion,
    register,
)
from tests.domain.engine_world import Member

UK = {"country_region": "英国", "purpose": "study", "since": "2024-03-01", "settled": False,
      "planned_months": 24, "expected_return": "2025-09-01"}  # fmt: skip
CANADA = {"country_region": "加拿大", "purpose": "residence", "since": "2019-01-01", "settled": True}


def lin_na() -> Member:
    m = Member("林娜")
    register(m)
    confirm(m, "2024-01-15", last="2023-06-01")
    contact(m, "2024-04-02", abroad=UK)
    attach(m, "abroad-form", on="2024-04-03")
    return m


def p21(on: str = "2024-04-10", **abroad: Any) -> dict[str, Any]:
    return opinion("P2", "P2.1", "retain_relation", on, abroad={**UK, **abroad})


def test_p2_relation_retained_by_committee_and_filed_at_county() -> None:
    m = lin_na()
    m.add("CommitteeOpinionGiven", p21(), "周明", "2024-04-10")
    m.add("Approved", approved("P2", "P2.2", "retain_relation", "2024-04-18"), "孙波", "2024-04-18")
    assert m.file.state is MemberState.RETAINED and not m.file.case_open
    m.add("Filed", filed("P2", "P2.3", "retention"), "何敏", "2024-04-25")
    assert m.file.state is MemberState.RETAINED
    assert m.file.instances[-1].status == "ended" and m.file.instances[-1].end_reason == "completed"


def test_p2_needs_stay_abroad_over_threshold_not_settled() -> None:
    m = lin_na()
    assert m.try_("CommitteeOpinionGiven", p21(planned_months=0), "周明", "2024-04-10") == [
        "abroad-below-threshold"
    ]
    assert m.try_("CommitteeOpinionGiven", p21(settled=True), "周明", "2024-04-10")[0] == (
        "ground-not-established"
    )


def test_p2_filing_belongs_to_the_county_department() -> None:
    m = lin_na()
    m.add("CommitteeOpinionGiven", p21(), "周明", "2024-04-10")
    m.add("Approved", approved("P2", "P2.2", "retain_relation", "2024-04-18"), "孙波", "2024-04-18")
    assert m.try_("Filed", filed("P2", "P2.3", "retention"), "李静", "2024-04-25")[0] == "wrong-level"


def ma_chao(settings: DomainSettings | None = None) -> Member:
    m = Member("马超", settings=settings or DomainSettings())
    register(m)
    confirm(m, "2024-02-01", last="2023-07-01")
    contact(m, "2024-05-06", abroad=CANADA)
    attach(m, "abroad-form", on="2024-05-07")
    m.add(
        "CommitteeOpinionGiven",
        opinion("P3", "P3.1", "suspend_abroad", "2024-05-10", abroad=CANADA),
        "周明",
        "2024-05-10",
    )
    return m


def test_p3_settled_abroad_member_suspended_after_meeting_and_approval() -> None:
    m = ma_chao()
    m.add("GeneralMeetingResolved", meeting("P3", "P3.2", "suspend_abroad"), "周明", "2024-05-20")
    m.add("Approved", approved("P3", "P3.3", "suspend_abroad", "2024-05-28"), "孙波", "2024-05-28")
    assert m.file.state is MemberState.SUSPENDED_ABROAD and not m.file.case_open
    m.add("Filed", filed("P3", "P3.4", "suspension", files_transferred=True), "何敏", "2024-06-04")
    assert m.file.state is MemberState.SUSPENDED_ABROAD


def test_p3_approval_needs_the_general_meeting_unless_the_setting_is_off() -> None:
    body = approved("P3", "P3.3", "suspend_abroad", "2024-05-28")
    assert ma_chao().try_("Approved", body, "孙波", "2024-05-28") == ["step-out-of-order"]
    off = DomainSettings(p3_general_meeting_required=False)
    m = ma_chao(off)
    m.add("Approved", body, "孙波", "2024-05-28")
    assert m.file.state is MemberState.SUSPENDED_ABROAD


def test_p3_is_for_full_members_only() -> None:
    m = Member("刘洋")
    register(m, member_type="probationary")
    confirm(m, "2024-03-01", last="2023-08-20")
    contact(m, "2024-11-05", abroad=CANADA)
    attach(m, "abroad-form", on="2024-11-05")
    body = opinion("P3", "P3.1", "suspend_abroad", "2024-11-06", abroad=CANADA)
    assert m.try_("CommitteeOpinionGiven", body, "周明", "2024-11-06")[0] == "full-member-only"


def test_no_restoration_leaves_suspension_abroad() -> None:
    m = ma_chao()
    m.add("GeneralMeetingResolved", meeting("P3", "P3.2", "suspend_abroad"), "周明", "2024-05-20")
    m.add("Approved", approved("P3", "P3.3", "suspend_abroad", "2024-05-28"), "孙波", "2024-05-28")
    m.add("Filed", filed("P3", "P3.4", "suspension", files_transferred=True), "何敏", "2024-06-04")
    body = {"application": {"sha256": "0" * 64, "media_type": "application/pdf", "title": "申请"}}
    assert m.try_("RestorationApplied", body, "周明", "2024-07-01")[0] == "case-not-open"
