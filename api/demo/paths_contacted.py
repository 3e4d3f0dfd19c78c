"""Stories of members who were found again (P1–P3, P7, P8, PX, PN, PT, PM; P4 and P5 are in
`paths_correction`), written with their §7 scenario dates; `Case.shift` moves them to other years. Each story
takes a fresh stream and walks one path to its end; its phases are public so the §7 scenario tests
(tests/domain/test_engine_*.py) walk the same steps and check the state between them."""

from __future__ import annotations

from typing import Any

from api.demo.bodies import approved, filed, meeting, notified, opinion, ref, review
from api.demo.case import Case, MemberStream, doc
from api.demo.steps import DEFAULT_CHECKS, attach, confirm, contact, inv_ok, investigate, register, talk

UK = {"country_region": "英国", "purpose": "study", "since": "2024-03-01", "settled": False,
      "planned_months": 24, "expected_return": "2025-09-01"}  # fmt: skip
CANADA = {"country_region": "加拿大", "purpose": "residence", "since": "2019-01-01", "settled": True}
P1_MATERIALS = ("recognition-form", "signed-application", "writeup")
WILLING = ["recognises_problem", "willing_to_participate"]
P7_VOTE = {"eligible_voters": 18, "present_voters": 15, "votes_for": 14, "votes_against": 0, "abstentions": 1}
PX_GROUNDS = ["入党动机端正，因长期在外务工未能参加组织生活"]


def p1_talked(c: MemberStream, skip: str | None = None) -> None:
    """陈晨 up to the education talk: lost 2024-03-01, found 2024-04-08, every source but `skip` checked."""
    register(c, "2021-02-01")
    confirm(c, "2024-03-01")
    contact(c, "2024-04-08")
    inv_ok(c, "2024-04-30", skip=skip)
    talk(c, "education", WILLING, "2024-05-06")


def p1_approved(c: MemberStream) -> None:
    """P1.1 (2024-05-10), the P1 materials, P1.3 approved by the committee (2024-05-20)."""
    c.add(
        "CommitteeOpinionGiven", opinion("P1", "P1.1", "normal_management", "2024-05-10"), "SEC", "2024-05-10"
    )
    attach(c, *P1_MATERIALS, on="2024-05-12")
    c.add("Approved", approved("P1", "P1.3", "normal_management", "2024-05-20"), "CSEC", "2024-05-20")


def mobile_certificate(number: str) -> dict[str, Any]:
    """流动党员证 valid for a year from 2024-06-03."""
    return {"certificate_no": number, "valid_until": "2025-06-03", "destination": "江苏省苏州市",
            "check_every_months": 12}  # fmt: skip


def mobile_certificates(c: MemberStream, number: str) -> None:
    """PM: the certificate issued 2024-06-03 and renewed a year later."""
    cert = mobile_certificate(number)
    c.add("MobileCertificateIssued", cert, "SEC", "2024-06-03")
    c.add("MobileCertificateIssued", {**cert, "valid_until": "2026-06-03"}, "SEC", "2025-06-03")


def p1_normal(c: Case) -> None:
    """P1 纳入正常管理, then 流动党员证 issued and renewed (PM)."""
    p1_talked(c)
    p1_approved(c)
    mobile_certificates(c, f"流动〔2024〕{len(c.stream) % 7 + 3:03d}")


def p1_general_branch_proposed(c: MemberStream) -> None:
    """A member of a branch under a general branch, found and checked by the branch secretary, up to P1.1."""
    register(c, "2021-03-01", by="SEC")
    confirm(c, "2025-03-01", last="2024-08-01")
    contact(c, "2025-04-01", by="SEC")
    for check in DEFAULT_CHECKS:
        investigate(c, check, "2025-04-05", by="SEC")
    talk(c, "education", WILLING, "2025-04-12")
    attach(c, *P1_MATERIALS, on="2025-04-15", by="SEC")
    c.add(
        "CommitteeOpinionGiven", opinion("P1", "P1.1", "normal_management", "2025-04-20"), "SEC", "2025-04-20"
    )


def p1_general_branch_approved(c: MemberStream) -> None:
    """P1.2: the 党总支 reviews (2025-04-28); P1.3: the committee approves (2025-05-10)."""
    gb = {"ref": ref("P1", "P1.2"), "subject": "proposal", "result": "agree", "opinion": "同意"}
    c.add("Reviewed", gb, "GBS", "2025-04-28")
    c.add("Approved", approved("P1", "P1.3", "normal_management", "2025-05-10"), "CSEC", "2025-05-10")


def p1_general_branch(c: Case) -> None:
    """P1 in a branch under a general branch: the 党总支 reviews before the committee approves."""
    p1_general_branch_proposed(c)
    p1_general_branch_approved(c)


def p2_abroad(c: MemberStream) -> None:
    """林娜: lost 2024-01-15, found studying in the UK 2024-04-02, 出国（境）申请表 attached."""
    register(c, "2021-02-01")
    confirm(c, "2024-01-15", last="2023-06-01")
    contact(c, "2024-04-02", abroad=UK)
    attach(c, "abroad-form", on="2024-04-03")


def p2_approved(c: MemberStream) -> None:
    """P2.1 (2024-04-10) and P2.2 approved by the committee (2024-04-18)."""
    c.add("CommitteeOpinionGiven", opinion("P2", "P2.1", "retain_relation", "2024-04-10", abroad=UK), "SEC",
          "2024-04-10")  # fmt: skip
    c.add("Approved", approved("P2", "P2.2", "retain_relation", "2024-04-18"), "CSEC", "2024-04-18")


def p2_retained(c: Case) -> None:
    """P2 保留组织关系 for study abroad, filed at the county department."""
    p2_abroad(c)
    p2_approved(c)
    c.add("Filed", filed("P2", "P2.3", "retention"), "ODS", "2024-04-25")


def p3_proposed(c: MemberStream) -> None:
    """马超: found settled in Canada 2024-05-06, up to P3.1 (2024-05-10)."""
    register(c, "2021-02-01")
    confirm(c, "2024-02-01", last="2023-07-01")
    contact(c, "2024-05-06", abroad=CANADA)
    attach(c, "abroad-form", on="2024-05-07")
    p31 = opinion("P3", "P3.1", "suspend_abroad", "2024-05-10", abroad=CANADA)
    c.add("CommitteeOpinionGiven", p31, "SEC", "2024-05-10")


def p3_approved(c: MemberStream) -> None:
    """P3.2 the general meeting (2024-05-20), P3.3 the committee's approval (2024-05-28)."""
    c.add("GeneralMeetingResolved", meeting("P3", "P3.2", "suspend_abroad"), "SEC", "2024-05-20")
    c.add("Approved", approved("P3", "P3.3", "suspend_abroad", "2024-05-28"), "CSEC", "2024-05-28")


def p3_filed(c: MemberStream) -> None:
    """P3.4 filed at the county department, files transferred (2024-06-04)."""
    c.add("Filed", filed("P3", "P3.4", "suspension", files_transferred=True), "ODS", "2024-06-04")


def p3_abroad(c: Case) -> None:
    """P3 停止党籍 of a member settled abroad."""
    p3_proposed(c)
    p3_approved(c)
    p3_filed(c)


def p7_applied(c: MemberStream) -> None:
    """唐敏: lost 2023-11-20, found 2024-02-20, applies in writing to withdraw (2024-03-04)."""
    register(c, "2021-02-01")
    confirm(c, "2023-11-20", last="2023-05-01")
    contact(c, "2024-02-20")
    c.add("WithdrawalApplied", {"application": doc("退党申请书")}, "BST", "2024-03-04")


def p7_withdrawn(c: Case) -> None:
    """P7 自愿退党: written application, meeting, notice, filing at the committee."""
    p7_applied(c)
    res = c.add(
        "GeneralMeetingResolved", meeting("P7", "P7.1", "remove_withdrawn", P7_VOTE), "SEC", "2024-03-15"
    )
    c.add("MemberNotified", notified("P7", "P7.2", res), "SEC", "2024-03-18")
    c.add("Filed", filed("P7", "P7.3", "withdrawal"), "CST", "2024-03-22")


def p8_approved(c: MemberStream) -> str:
    """刘洋, a probationary member found 2024-11-02, up to P8.3 (2024-12-10); the approval's hash."""
    register(c, "2023-05-12", member_type="probationary", joined="2023-05-10")
    confirm(c, "2024-03-01", last="2023-08-20")
    contact(c, "2024-11-02")
    attach(c, "writeup", "disposal-form", on="2024-11-10")
    p81 = {**opinion("P8", "P8.1", "cancel_probation", "2024-11-15"),
           "grounds": ["refuses_dues_arrears", "absent_from_org_life"]}  # fmt: skip
    c.add("CommitteeOpinionGiven", p81, "SEC", "2024-11-15")
    c.add("GeneralMeetingResolved", meeting("P8", "P8.2", "cancel_probation"), "SEC", "2024-11-28")
    return c.add("Approved", approved("P8", "P8.3", "cancel_probation", "2024-12-10"), "CSEC", "2024-12-10")


def p8_cancelled(c: Case) -> None:
    """P8 取消预备党员资格 of a contacted probationary member."""
    h = p8_approved(c)
    c.add("MemberNotified", notified("P8", "P8.4", h), "SEC", "2024-12-12")


def px_contacted(c: MemberStream) -> None:
    """魏峰, a probationary member lost 2024-04-01 and found 2024-10-01."""
    register(c, "2023-07-01", member_type="probationary", joined="2023-06-30")
    confirm(c, "2024-04-01", last="2023-09-01")
    contact(c, "2024-10-01")


def px_opinion(on: str, months: int) -> dict[str, Any]:
    """PX.1: extend the probation by `months`."""
    body = opinion("PX", "PX.1", "extend_probation", on, extension_months=months)
    return {**body, "grounds": PX_GROUNDS}


def px_approved(c: MemberStream) -> None:
    """PX.1 … PX.3: eight months more, approved by the committee (2024-11-12)."""
    c.add("CommitteeOpinionGiven", px_opinion("2024-10-15", 8), "SEC", "2024-10-15")
    c.add("GeneralMeetingResolved", meeting("PX", "PX.2", "extend_probation", extension_months=8), "SEC",
          "2024-10-25")  # fmt: skip
    c.add("Approved", approved("PX", "PX.3", "extend_probation", "2024-11-12", extension_months=8), "CSEC",
          "2024-11-12")  # fmt: skip


def px_extended(c: Case) -> None:
    """PX 延长预备期 by eight months."""
    px_contacted(c)
    px_approved(c)


def pn_reviewed(c: MemberStream) -> None:
    """薛梅: no admission papers in the file; up to the committee's review PN.2 (2024-06-12)."""
    register(c, "2021-02-01")
    confirm(c, "2024-01-10", last="2023-06-01")
    contact(c, "2024-05-10")
    investigate(c, "file_check", "2024-05-20", finding="file_defect")
    attach(c, "writeup", on="2024-05-25")
    pn1 = {**opinion("PN", "PN.1", "not_recognised", "2024-06-03"), "grounds": ["no_admission_papers"]}
    c.add("CommitteeOpinionGiven", pn1, "SEC", "2024-06-03")
    c.add("Reviewed", {**review("PN", "PN.2", "2024-06-12"), "subject": "proposal"}, "CSEC", "2024-06-12")


def pn_not_recognised(c: Case) -> None:
    """PN 不予承认党员资格: no admission papers; approved by the county department."""
    pn_reviewed(c)
    c.add("Approved", approved("PN", "PN.3", "not_recognised", "2024-07-01", at_c=False), "ODL", "2024-07-01")


def pt_transferred(c: Case, to_branch: str) -> None:
    """PT: letter issued, not received in time (口袋党员), re-issued, received by another committee's branch."""
    register(c, "2021-02-01")
    four = {"nature": "permanent", "mobile": "19900001111", "backup_contact": "亲属 19900002222"}
    letter = {"letter_no": "演示组转〔2024〕015号", "to_unit": c.unit(to_branch), "nature": "permanent",
              "valid_until": "2024-05-01", "four_clear": four}  # fmt: skip
    c.add("RelationTransferred", letter, "SEC", "2024-02-01")
    pocket = {"letter_no": letter["letter_no"], "transferred_out_on": "2024-02-01", "receiving_org": "接收党支部",
              "checked_with_receiver_on": "2024-05-06", "whereabouts_known": True}  # fmt: skip
    c.add("PocketMemberFlagged", pocket, "BST", "2024-05-06")
    reissue = {"original_letter_no": letter["letter_no"], "reason": "letter_expired",
               "identity_verified": {"by": c.id("CST"), "on": "2024-05-18", "basis": "身份证核验"},
               "letter_no": "演示组转〔2024〕031号", "to_unit": c.unit(to_branch), "valid_until": "2024-08-20"}  # fmt: skip
    c.add("TransferReissued", reissue, "SEC", "2024-05-20")
    c.add("RelationReceived", {"letter_no": "演示组转〔2024〕031号"}, f"{to_branch}.SEC", "2024-05-28")
    c.add("ParticipationRecorded", {"kind": "dues", "period": "2024-06"}, f"{to_branch}.SEC", "2024-06-05")
