"""§7 scenarios 14–17 (P2 保留组织关系, P3 停止党籍（出国定居）)."""

from __future__ import annotations

from typing import Any

from api.demo.paths_contacted import CANADA, UK, p2_abroad, p2_approved, p3_approved, p3_filed, p3_proposed
from domain.settings import DomainSettings
from domain.states import MemberState
from tests.domain.engine_steps import approved, attach, confirm, contact, filed, opinion, register
from tests.domain.engine_world import Member


def lin_na() -> Member:
    m = Member("林娜")
    p2_abroad(m)
    return m


def p21(on: str = "2024-04-10", **abroad: Any) -> dict[str, Any]:
    return opinion("P2", "P2.1", "retain_relation", on, abroad={**UK, **abroad})


def test_p2_relation_retained_by_committee_and_filed_at_county() -> None:
    m = lin_na()
    p2_approved(m)
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
    p2_approved(m)
    assert m.try_("Filed", filed("P2", "P2.3", "retention"), "李静", "2024-04-25")[0] == "wrong-level"


def ma_chao(settings: DomainSettings | None = None) -> Member:
    m = Member("马超", settings=settings or DomainSettings())
    p3_proposed(m)
    return m


def test_p3_settled_abroad_member_suspended_after_meeting_and_approval() -> None:
    m = ma_chao()
    p3_approved(m)
    assert m.file.state is MemberState.SUSPENDED_ABROAD and not m.file.case_open
    p3_filed(m)
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
    p3_approved(m)
    p3_filed(m)
    body = {"application": {"sha256": "0" * 64, "media_type": "application/pdf", "title": "申请"}}
    assert m.try_("RestorationApplied", body, "周明", "2024-07-01")[0] == "case-not-open"
