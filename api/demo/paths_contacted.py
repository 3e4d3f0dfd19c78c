"""Stories of members who were found again (P1–P8, PX, PN, PT, PM), written with their §7 scenario dates;
`Case.shift` moves them to other years. Each function takes a fresh `Case` and walks one path to its end."""

from __future__ import annotations

from api.demo.case import Case, doc
from api.demo.steps import (
    B_MEETING,
    DEFAULT_CHECKS,
    approved,
    attach,
    confirm,
    contact,
    d_review,
    filed,
    guidance,
    inv_ok,
    investigate,
    meeting,
    notified,
    opinion,
    ref,
    refusal_note,
    register,
    review,
    signed,
    talk,
)

UK = {"country_region": "英国", "purpose": "study", "since": "2024-03-01", "settled": False,
      "planned_months": 24, "expected_return": "2025-09-01"}  # fmt: skip
CANADA = {"country_region": "加拿大", "purpose": "residence", "since": "2019-01-01", "settled": True}
P1_MATERIALS = ("recognition-form", "signed-application", "writeup")


def _contacted_for_p1(c: Case) -> None:
    register(c, "2021-02-01")
    confirm(c, "2024-03-01")
    contact(c, "2024-04-08")
    inv_ok(c, "2024-04-30")
    talk(c, "education", ["recognises_problem", "willing_to_participate"], "2024-05-06")
    c.add(
        "CommitteeOpinionGiven", opinion("P1", "P1.1", "normal_management", "2024-05-10"), "SEC", "2024-05-10"
    )
    attach(c, *P1_MATERIALS, on="2024-05-12")
    c.add("Approved", approved("P1", "P1.3", "normal_management", "2024-05-20"), "CSEC", "2024-05-20")


def p1_normal(c: Case) -> None:
    """P1 纳入正常管理, then 流动党员证 issued and renewed (PM)."""
    _contacted_for_p1(c)
    cert = {"certificate_no": f"流动〔2024〕{len(c.stream) % 7 + 3:03d}", "valid_until": "2025-06-03",
            "destination": "江苏省苏州市", "check_every_months": 12}  # fmt: skip
    c.add("MobileCertificateIssued", cert, "SEC", "2024-06-03")
    c.add("MobileCertificateIssued", {**cert, "valid_until": "2026-06-03"}, "SEC", "2025-06-03")


def p1_general_branch(c: Case) -> None:
    """P1 in a branch under a general branch: the 党总支 reviews before the committee approves."""
    register(c, "2021-03-01", by="SEC")
    confirm(c, "2025-03-01", last="2024-08-01")
    contact(c, "2025-04-01", by="SEC")
    for check in DEFAULT_CHECKS:
        investigate(c, check, "2025-04-05", by="SEC")
    talk(c, "education", ["recognises_problem", "willing_to_participate"], "2025-04-12")
    attach(c, *P1_MATERIALS, on="2025-04-15", by="SEC")
    c.add(
        "CommitteeOpinionGiven", opinion("P1", "P1.1", "normal_management", "2025-04-20"), "SEC", "2025-04-20"
    )
    gb = {"ref": ref("P1", "P1.2"), "subject": "proposal", "result": "agree", "opinion": "同意"}
    c.add("Reviewed", gb, "GBS", "2025-04-28")
    c.add("Approved", approved("P1", "P1.3", "normal_management", "2025-05-10"), "CSEC", "2025-05-10")


def p2_retained(c: Case) -> None:
    """P2 保留组织关系 for study abroad, filed at the county department."""
    register(c, "2021-02-01")
    confirm(c, "2024-01-15", last="2023-06-01")
    contact(c, "2024-04-02", abroad=UK)
    attach(c, "abroad-form", on="2024-04-03")
    c.add("CommitteeOpinionGiven", opinion("P2", "P2.1", "retain_relation", "2024-04-10", abroad=UK), "SEC",
          "2024-04-10")  # fmt: skip
    c.add("Approved", approved("P2", "P2.2", "retain_relation", "2024-04-18"), "CSEC", "2024-04-18")
    c.add("Filed", filed("P2", "P2.3", "retention"), "ODS", "2024-04-25")


def p3_abroad(c: Case) -> None:
    """P3 停止党籍 of a member settled abroad."""
    register(c, "2021-02-01")
    confirm(c, "2024-02-01", last="2023-07-01")
    contact(c, "2024-05-06", abroad=CANADA)
    attach(c, "abroad-form", on="2024-05-07")
    p31 = opinion("P3", "P3.1", "suspend_abroad", "2024-05-10", abroad=CANADA)
    c.add("CommitteeOpinionGiven", p31, "SEC", "2024-05-10")
    c.add("GeneralMeetingResolved", meeting("P3", "P3.2", "suspend_abroad"), "SEC", "2024-05-20")
    c.add("Approved", approved("P3", "P3.3", "suspend_abroad", "2024-05-28"), "CSEC", "2024-05-28")
    c.add("Filed", filed("P3", "P3.4", "suspension", files_transferred=True), "ODS", "2024-06-04")


def through_p4_approval(c: Case, d: dict[str, str]) -> str:
    """P4.1 … P4.6 (限期改正 approved by the committee); the hash of P4.6."""
    register(c, "2021-02-01")
    confirm(c, d["confirm"], last="2023-01-01")
    contact(c, d["contact"])
    investigate(c, "employer_letter", d["inv"], finding="unqualified_conduct", criteria=["discipline_lax"])
    for check in ("self_statement", "discipline_check", "police_check"):
        investigate(c, check, d["inv"])
    talk(c, "verification", ["wants_to_stay", "willing_to_correct"], d["inv"])
    attach(c, "writeup", "disposal-form", on=d["inv"])
    p41 = opinion("P4", "P4.1", "correct_within_limit", d["p41"], correction_months=6)
    c.add("CommitteeOpinionGiven", p41, "SEC", d["p41"])
    c.add("PreReviewed", review("P4", "P4.2", d["p42"]), "CSEC", d["p42"])
    c.add("GuidanceAttended", guidance("P4", "P4.3", d["p44"]), "CST", d["p44"])
    res = c.add("GeneralMeetingResolved", meeting("P4", "P4.4", "correct_within_limit", correction_months=6),
                "SEC", d["p44"])  # fmt: skip
    c.add("MemberSigned", signed("P4", "P4.5", res), "SEC", d["p44"])
    body = approved("P4", "P4.6", "correct_within_limit", d["p46"], correction_months=6)
    return c.add("Approved", body, "CSEC", d["p46"])


HUANG = {"confirm": "2024-06-10", "contact": "2025-01-06", "inv": "2025-01-15", "p41": "2025-01-20",
         "p42": "2025-02-05", "p44": "2025-02-14", "p46": "2025-02-26"}  # fmt: skip
LUO = {"confirm": "2023-09-01", "contact": "2024-01-10", "inv": "2024-01-20", "p41": "2024-02-01",
       "p42": "2024-02-10", "p44": "2024-03-01", "p46": "2024-03-20"}  # fmt: skip


def p4_corrected(c: Case) -> None:
    """P4 限期改正, a typo in the resolution corrected (Corrected), and the member corrected in time."""
    approval = through_p4_approval(c, HUANG)
    c.add("MemberNotified", notified("P4", "P4.7", approval), "SEC", "2025-03-01")
    c.add("Announced", {"ref": ref("P4", "P4.8"), "scope": "branch_meeting"}, "SEC", "2025-03-01")
    period = {"ref": ref("P4", "P4.9"), "start": "2025-03-01", "end": "2025-09-01", "months": 6}
    c.add("CorrectionPeriodSet", period, "SEC", "2025-03-01")
    p44 = c.entry("P4", "P4.4")
    fixed = {**p44.body, "text": "支部大会决议（更正错字）"}
    c.add(
        "Corrected",
        {"corrects": p44.hash, "reason": "决议文字有错字", "replacement": fixed},
        "SEC",
        "2025-03-02",
    )
    c.add("EducationSupportRecorded", {"measure": "pairing", "summary": "结对帮扶"}, "SEC", "2025-04-10")
    ended = {"ref": ref("P4", "P4.11"), "result": "corrected", "opinion": "已改正",
             "cmeeting": {"date": "2025-09-05", **B_MEETING}}  # fmt: skip
    c.add("CorrectionPeriodEnded", ended, "SEC", "2025-09-05")


def _advised(c: Case) -> None:
    """限期改正 without change, then P5 up to 劝退 (P5.9)."""
    through_p4_approval(c, LUO)
    period = {"ref": ref("P4", "P4.9"), "start": "2024-03-25", "end": "2024-09-25", "months": 6}
    c.add("CorrectionPeriodSet", period, "SEC", "2024-03-25")
    c.add("EducationSupportRecorded", {"measure": "pairing", "summary": "结对帮扶"}, "SEC", "2024-05-10")
    ended = {"ref": ref("P4", "P4.11"), "result": "not_changed", "opinion": "仍无转变",
             "cmeeting": {"date": "2024-09-30", **B_MEETING}}  # fmt: skip
    c.add("CorrectionPeriodEnded", ended, "SEC", "2024-09-30")
    p51 = {
        **opinion("P5", "P5.1", "advise_withdrawal", "2024-10-08"),
        "grounds": ["no_change_after_correction"],
    }
    c.add("CommitteeOpinionGiven", p51, "SEC", "2024-10-08")
    c.add("PreReviewed", review("P5", "P5.2", "2024-10-15"), "CSEC", "2024-10-15")
    c.add("PreReviewed", d_review("P5", "P5.3"), "ODL", "2024-10-29")
    c.add("GuidanceAttended", guidance("P5", "P5.4", "2024-11-08"), "CST", "2024-11-08")
    res = c.add("GeneralMeetingResolved", meeting("P5", "P5.5", "advise_withdrawal"), "SEC", "2024-11-08")
    c.add("SignatureRefusalNoted", refusal_note("P5", "P5.6", res, "refused"), "SEC", "2024-11-09")
    c.add("Reviewed", review("P5", "P5.7", "2024-11-14", subject="resolution"), "CSEC", "2024-11-14")
    c.add(
        "Approved", approved("P5", "P5.8", "advise_withdrawal", "2024-11-26", at_c=False), "ODL", "2024-11-26"
    )
    advice = {"ref": ref("P5", "P5.9"), "answer_due": "2024-12-29", "channel": "in_person"}
    c.add("WithdrawalAdvised", advice, "SEC", "2024-11-29")


def p5_accepts(c: Case) -> None:
    """P5 劝退: the member accepts and is removed; the organisation keeps caring for them."""
    _advised(c)
    answer = {"ref": ref("P5", "P5.10"), "answer": "accepts", "statement": doc("退党声明")}
    h = c.add("WithdrawalAdviceAnswered", answer, "SEC", "2024-12-20")
    c.add("MemberNotified", notified("P5", "P5.15", h), "SEC", "2024-12-22")
    c.add("EducationSupportRecorded", {"measure": "care", "summary": "继续关心"}, "BCM", "2025-01-10")


def p5_refuses(c: Case) -> None:
    """P5 劝而不退除名: the member refuses; the meeting removes, the county department approves."""
    _advised(c)
    c.add("WithdrawalAdviceAnswered", {"ref": ref("P5", "P5.10"), "answer": "refuses"}, "SEC", "2024-12-20")
    c.add("GuidanceAttended", guidance("P5", "P5.11a", "2025-01-10"), "CST", "2025-01-10")
    res = c.add("GeneralMeetingResolved", meeting("P5", "P5.11", "remove_after_refusal"), "SEC", "2025-01-10")
    c.add("SignatureRefusalNoted", refusal_note("P5", "P5.12", res, "refused"), "SEC", "2025-01-11")
    c.add("Reviewed", review("P5", "P5.13", "2025-01-16", subject="resolution"), "CSEC", "2025-01-16")
    removal = approved("P5", "P5.14", "remove_after_refusal", "2025-01-24", at_c=False)
    c.add("Approved", removal, "ODL", "2025-01-24")


def p7_withdrawn(c: Case) -> None:
    """P7 自愿退党: written application, meeting, notice, filing at the committee."""
    register(c, "2021-02-01")
    confirm(c, "2023-11-20", last="2023-05-01")
    contact(c, "2024-02-20")
    c.add("WithdrawalApplied", {"application": doc("退党申请书")}, "BST", "2024-03-04")
    vote = {
        "eligible_voters": 18,
        "present_voters": 15,
        "votes_for": 14,
        "votes_against": 0,
        "abstentions": 1,
    }
    res = c.add(
        "GeneralMeetingResolved", meeting("P7", "P7.1", "remove_withdrawn", vote), "SEC", "2024-03-15"
    )
    c.add("MemberNotified", notified("P7", "P7.2", res), "SEC", "2024-03-18")
    c.add("Filed", filed("P7", "P7.3", "withdrawal"), "CST", "2024-03-22")


def p8_cancelled(c: Case) -> None:
    """P8 取消预备党员资格 of a contacted probationary member."""
    register(c, "2023-05-12", member_type="probationary", joined="2023-05-10")
    confirm(c, "2024-03-01", last="2023-08-20")
    contact(c, "2024-11-02")
    attach(c, "writeup", "disposal-form", on="2024-11-10")
    p81 = {**opinion("P8", "P8.1", "cancel_probation", "2024-11-15"),
           "grounds": ["refuses_dues_arrears", "absent_from_org_life"]}  # fmt: skip
    c.add("CommitteeOpinionGiven", p81, "SEC", "2024-11-15")
    c.add("GeneralMeetingResolved", meeting("P8", "P8.2", "cancel_probation"), "SEC", "2024-11-28")
    h = c.add("Approved", approved("P8", "P8.3", "cancel_probation", "2024-12-10"), "CSEC", "2024-12-10")
    c.add("MemberNotified", notified("P8", "P8.4", h), "SEC", "2024-12-12")


def px_extended(c: Case) -> None:
    """PX 延长预备期 by eight months."""
    register(c, "2023-07-01", member_type="probationary", joined="2023-06-30")
    confirm(c, "2024-04-01", last="2023-09-01")
    contact(c, "2024-10-01")
    px1 = {**opinion("PX", "PX.1", "extend_probation", "2024-10-15", extension_months=8),
           "grounds": ["入党动机端正，因长期在外务工未能参加组织生活"]}  # fmt: skip
    c.add("CommitteeOpinionGiven", px1, "SEC", "2024-10-15")
    c.add("GeneralMeetingResolved", meeting("PX", "PX.2", "extend_probation", extension_months=8), "SEC",
          "2024-10-25")  # fmt: skip
    c.add("Approved", approved("PX", "PX.3", "extend_probation", "2024-11-12", extension_months=8), "CSEC",
          "2024-11-12")  # fmt: skip


def pn_not_recognised(c: Case) -> None:
    """PN 不予承认党员资格: no admission papers; approved by the county department."""
    register(c, "2021-02-01")
    confirm(c, "2024-01-10", last="2023-06-01")
    contact(c, "2024-05-10")
    investigate(c, "file_check", "2024-05-20", finding="file_defect")
    attach(c, "writeup", on="2024-05-25")
    pn1 = {**opinion("PN", "PN.1", "not_recognised", "2024-06-03"), "grounds": ["no_admission_papers"]}
    c.add("CommitteeOpinionGiven", pn1, "SEC", "2024-06-03")
    c.add("Reviewed", {**review("PN", "PN.2", "2024-06-12"), "subject": "proposal"}, "CSEC", "2024-06-12")
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
