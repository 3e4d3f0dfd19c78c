"""§7 scenarios 40–43 (PR 恢复党籍, PX 延长预备期, PN 不予承认党员资格)."""

from __future__ import annotations

from datetime import date

from api.demo.paths_contacted import pn_reviewed, px_approved, px_contacted
from api.demo.paths_contacted import px_opinion as px1
from api.demo.paths_other import CAI, pr_approved
from api.demo.paths_other import RESTORATION as APPLICATION
from api.demo.paths_other import suspended as suspended_uncontactable
from domain.states import SUSPENDED, MemberState
from tests.domain.engine_steps import approved, contact, inv_ok, notified, opinion, ref, talk
from tests.domain.engine_world import Member


def suspended(name: str, d: dict[str, str]) -> Member:
    """A full member of B1 suspended as uncontactable (P9, not yet filed) with the dates in `d`."""
    m = Member(name)
    suspended_uncontactable(m, d, filing=False)
    assert m.file.state is MemberState.SUSPENDED_UNCONTACTABLE
    return m


YUAN = {"reg": "2021-01-05", "confirm": "2021-01-10", "last": "2020-06-01",
        "attempts": "2021-02-01 2021-02-15 2021-03-01", "p07b": "2021-03-10", "p08": "2021-03-20",
        "attach": "2021-03-20", "p91": "2021-04-01", "p92": "2021-05-10", "p93": "2021-06-01"}  # fmt: skip


def test_pr_suspended_member_who_applies_in_time_is_restored_by_department() -> None:
    m = suspended("蔡亮", CAI)
    contact(m, "2024-08-01")
    assert m.file.state is MemberState.CONTACTED and SUSPENDED in m.file.flags
    h = pr_approved(m)
    assert m.file.state is MemberState.NORMAL and SUSPENDED not in m.file.flags and not m.file.case_open
    m.add("MemberNotified", notified("PR", "PR.4", h), "周明", "2024-09-23")


def test_pr_window_closes_two_years_after_approval_and_suspension_blocks_p1() -> None:
    m = suspended("袁媛", YUAN)
    contact(m, "2023-06-05")
    inv_ok(m, "2023-06-05")
    talk(m, "education", ["recognises_problem", "willing_to_participate"], "2023-06-05")
    assert m.try_("RestorationApplied", APPLICATION, "吴芳", "2023-06-05") == ["restoration-after-two-years"]
    p11 = opinion("P1", "P1.1", "normal_management", "2023-06-06")
    assert m.try_("CommitteeOpinionGiven", p11, "周明", "2023-06-06")[0] == "suspended-needs-restoration"


def wei_feng() -> Member:
    m = Member("魏峰")
    px_contacted(m)
    return m


def test_px_probation_extended_once_from_the_approval_when_the_old_end_passed() -> None:
    m = wei_feng()
    px_approved(m)
    assert m.file.state is MemberState.NORMAL and not m.file.case_open
    assert m.file.probation_end(12) == date(2025, 7, 12)
    assert m.file.probation_end(12, "old_end") == date(2025, 2, 28)
    assert m.try_("CommitteeOpinionGiven", px1("2025-06-20", 8), "周明", "2025-06-20") == [
        "extension-too-long"
    ]


def test_px_extension_between_six_and_twelve_months() -> None:
    m = wei_feng()
    assert m.try_("CommitteeOpinionGiven", px1("2024-10-15", 14), "周明", "2024-10-15") == [
        "extension-too-long"
    ]


def test_pn_irregular_member_not_recognised_by_county_department() -> None:
    m = Member("薛梅")
    pn_reviewed(m)
    body = approved("PN", "PN.3", "not_recognised", "2024-07-01")
    assert m.try_("Approved", body, "孙波", "2024-07-01")[0] == "approval-level"
    del body["cmeeting"]
    m.add("Approved", body, "陈刚", "2024-07-01")
    assert m.file.state is MemberState.NOT_RECOGNISED and not m.file.case_open
    assert ref("PN", "PN.3") == m.file.entries[-1].body["ref"]
