"""§7 scenarios 40–43 (PR 恢复党籍, PX 延长预备期, PN 不予承认党员资格)."""

from __future__ import annotations

from datetime import date

from domain.states import SUSPENDED, MemberState
from tests.domain.engine_steps import (
    approved,
    attach,
    attempt,
    confirm,
    contact,
    inv_ok,
    investigate,
    meeting,
    notified,
    opinion,
    ref,
    register,
    review,
    search_review,
    talk,
    uncontactable,
)
from tests.domain.engine_world import Member, doc


def suspended(name: str, d: dict[str, str]) -> Member:
    """A full member of B1 suspended as uncontactable (P9) with the dates in `d`."""
    m = Member(name)
    register(m, on="2021-01-05")
    confirm(m, d["confirm"], last=d["last"])
    for no, (method, on) in enumerate(
        zip(("direct", "acquaintance", "department"), d["attempts"].split(), strict=True), 1
    ):
        attempt(m, no, method, on, **({"by": "李静", "other": "何敏"} if method == "department" else {}))
    uncontactable(m, on=d["p07b"])
    search_review(m, on=d["p08"])
    attach(m, "writeup", "suspension-register", on=d["p08"])
    p91 = opinion("P9", "P9.1", "suspend_uncontactable", d["p91"], member_unreachable=True)
    m.add("CommitteeOpinionGiven", p91, "周明", d["p91"])
    m.add("GeneralMeetingResolved", meeting("P9", "P9.2", "suspend_uncontactable"), "周明", d["p92"])
    m.add("Approved", approved("P9", "P9.3", "suspend_uncontactable", d["p93"]), "孙波", d["p93"])
    assert m.file.state is MemberState.SUSPENDED_UNCONTACTABLE
    return m


CAI = {"confirm": "2022-06-01", "last": "2021-11-01", "attempts": "2022-07-01 2022-08-01 2022-09-01",
       "p07b": "2022-10-01", "p08": "2022-10-10", "p91": "2023-03-01", "p92": "2023-03-20", "p93": "2023-04-10"}  # fmt: skip
YUAN = {"confirm": "2021-01-10", "last": "2020-06-01", "attempts": "2021-02-01 2021-02-15 2021-03-01",
        "p07b": "2021-03-10", "p08": "2021-03-20", "p91": "2021-04-01", "p92": "2021-05-10", "p93": "2021-06-01"}  # fmt: skip
APPLICATION = {"application": doc("恢复党籍申请")}


def test_pr_suspended_member_who_applies_in_time_is_restored_by_department() -> None:
    m = suspended("蔡亮", CAI)
    contact(m, "2024-08-01")
    assert m.file.state is MemberState.CONTACTED and SUSPENDED in m.file.flags
    m.add("RestorationApplied", APPLICATION, "吴芳", "2024-08-05")
    inv_ok(m, "2024-08-10")
    attach(m, "writeup", on="2024-08-12")
    m.add(
        "CommitteeOpinionGiven",
        opinion("PR", "PR.1", "restore_membership", "2024-08-20"),
        "周明",
        "2024-08-20",
    )
    body = {**review("PR", "PR.2", "2024-09-02"), "subject": "restoration_application"}
    m.add("Reviewed", body, "孙波", "2024-09-02")
    h = m.add("Approved", approved("PR", "PR.3", "restore_membership", "2024-09-20", at_c=False), "陈刚",
              "2024-09-20")  # fmt: skip
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
    register(m, on="2023-07-01", member_type="probationary", joined="2023-06-30")
    confirm(m, "2024-04-01", last="2023-09-01")
    contact(m, "2024-10-01")
    return m


def px1(on: str, months: int) -> dict[str, object]:
    body = opinion("PX", "PX.1", "extend_probation", on, extension_months=months)
    return {**body, "grounds": ["入党动机端正，因长期在外务工未能参加组织生活"]}


def test_px_probation_extended_once_from_the_approval_when_the_old_end_passed() -> None:
    m = wei_feng()
    m.add("CommitteeOpinionGiven", px1("2024-10-15", 8), "周明", "2024-10-15")
    m.add("GeneralMeetingResolved", meeting("PX", "PX.2", "extend_probation", extension_months=8), "周明",
          "2024-10-25")  # fmt: skip
    body = approved("PX", "PX.3", "extend_probation", "2024-11-12", extension_months=8)
    m.add("Approved", body, "孙波", "2024-11-12")
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
    register(m)
    confirm(m, "2024-01-10", last="2023-06-01")
    contact(m, "2024-05-10")
    investigate(m, "file_check", "2024-05-20", finding="file_defect")
    attach(m, "writeup", on="2024-05-25")
    pn1 = {**opinion("PN", "PN.1", "not_recognised", "2024-06-03"), "grounds": ["no_admission_papers"]}
    m.add("CommitteeOpinionGiven", pn1, "周明", "2024-06-03")
    m.add("Reviewed", {**review("PN", "PN.2", "2024-06-12"), "subject": "proposal"}, "孙波", "2024-06-12")
    body = approved("PN", "PN.3", "not_recognised", "2024-07-01")
    assert m.try_("Approved", body, "孙波", "2024-07-01")[0] == "approval-level"
    del body["cmeeting"]
    m.add("Approved", body, "陈刚", "2024-07-01")
    assert m.file.state is MemberState.NOT_RECOGNISED and not m.file.case_open
    assert ref("PN", "PN.3") == m.file.entries[-1].body["ref"]
