"""Stories of the search itself (P0: still searching, 失控, death), of members who stay uncontactable (P9,
P10, P11), restoration (PR), removal as lapsed with an appeal (P6, PA), and paper records (PH) examined by
回头看 (PL). Dates are those of the §7 scenarios; `Case.shift` moves them."""

from __future__ import annotations

from typing import Any

from api.demo.case import Case, doc
from api.demo.steps import (
    approved,
    attach,
    attempt,
    attempt_body,
    attempts,
    confirm,
    contact,
    d_review,
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
    search_review,
    signed,
    talk,
    uncontactable,
)

YES = {"answer": "yes"}


def searching(c: Case) -> None:
    """Lost contact in 2026 and still being searched; a phone number in an attempt corrected by its signer."""
    register(c, "2021-02-01")
    confirm(c, "2026-03-02", last="2025-08-20")
    first = attempt(c, 1, "direct", "2026-04-10")
    fixed = {**attempt_body(c, 1, "direct", ["BST", "BCM"]), "narrative": "电话 19900003333 联系未果"}
    c.add(
        "Corrected", {"corrects": first, "reason": "电话号码有误", "replacement": fixed}, "BST", "2026-04-12"
    )
    attempt(c, 2, "acquaintance", "2026-06-20")


def out_of_control(c: Case) -> None:
    """Away for over a month without reporting: listed as 失控 and sought."""
    register(c, "2021-02-01")
    absence = {"departed_on": "2026-08-10", "reported_to_branch": False, "abroad": False}
    h = c.add("AbsenceRecorded", absence, "BST", "2026-08-20")
    c.add("OutOfControlListed", {"absence": h}, "SEC", "2026-09-11")


def deceased(c: Case) -> None:
    """Lost contact, then found to have died (户籍注销证明)."""
    register(c, "2021-02-01")
    confirm(c, "2024-03-01")
    c.add(
        "DeathConfirmed",
        {"source": "household_register", "evidence": doc("户籍注销证明")},
        "SEC",
        "2024-06-12",
    )


def _suspended(c: Case, d: dict[str, str], filing: bool = True) -> None:
    register(c, d["reg"])
    confirm(c, d["confirm"], last=d["last"])
    attempts(c, *d["attempts"].split())
    uncontactable(c, d["p07b"])
    search_review(c, d["p08"])
    attach(c, "writeup", "suspension-register", on=d["p08"])
    p91 = opinion("P9", "P9.1", "suspend_uncontactable", d["p91"], member_unreachable=True)
    c.add("CommitteeOpinionGiven", p91, "SEC", d["p91"])
    c.add("GeneralMeetingResolved", meeting("P9", "P9.2", "suspend_uncontactable"), "SEC", d["p92"])
    c.add("Approved", approved("P9", "P9.3", "suspend_uncontactable", d["p93"]), "CSEC", d["p93"])
    if filing:
        filing_body = {"ref": ref("P9", "P9.4"), "filed_kind": "suspension", "documents": [doc("备案")]}
        c.add("Filed", filing_body, "ODS", d["p94"])


ZHAO = {"reg": "2021-02-01", "confirm": "2024-09-05", "last": "2024-01-05",
        "attempts": "2024-09-20 2024-10-15 2024-11-10", "p07b": "2024-11-25", "p08": "2024-12-02",
        "p91": "2024-12-06", "p92": "2024-12-16", "p93": "2024-12-27", "p94": "2025-01-08"}  # fmt: skip
CAO = {"reg": "2021-02-01", "confirm": "2021-06-01", "last": "2020-10-01",
       "attempts": "2021-07-01 2021-08-01 2021-09-01", "p07b": "2021-10-01", "p08": "2021-10-10",
       "p91": "2022-02-20", "p92": "2022-03-02", "p93": "2022-03-15", "p94": "2022-03-25"}  # fmt: skip
CAI = {"reg": "2021-01-05", "confirm": "2022-06-01", "last": "2021-11-01",
       "attempts": "2022-07-01 2022-08-01 2022-09-01", "p07b": "2022-10-01", "p08": "2022-10-10",
       "p91": "2023-03-01", "p92": "2023-03-20", "p93": "2023-04-10", "p94": "2023-04-20"}  # fmt: skip


def p9_suspended(c: Case) -> None:
    """P9 停止党籍 of a member who cannot be reached, filed at the county department."""
    _suspended(c, ZHAO)


def p10_removed(c: Case) -> None:
    """P10 自行脱党除名 two years after 停止党籍, the member still unreachable."""
    _suspended(c, CAO)
    attempt(c, 4, "department", "2024-01-22", by="CST", other="ODS")
    attach(c, "disposal-form", on="2024-03-10")
    p101 = opinion("P10", "P10.1", "remove_lapsed", "2024-03-15", member_unreachable=True)
    c.add("CommitteeOpinionGiven", p101, "SEC", "2024-03-15")
    c.add("PreReviewed", review("P10", "P10.2", "2024-03-26"), "CSEC", "2024-03-26")
    c.add("PreReviewed", d_review("P10", "P10.3"), "ODL", "2024-04-09")
    c.add("GuidanceAttended", guidance("P10", "P10.4", "2024-04-19"), "CST", "2024-04-19")
    res = c.add("GeneralMeetingResolved", meeting("P10", "P10.5", "remove_lapsed"), "SEC", "2024-04-19")
    c.add("SignatureRefusalNoted", refusal_note("P10", "P10.6", res, "unreachable"), "SEC", "2024-04-20")
    c.add("Reviewed", review("P10", "P10.7", "2024-04-25", subject="resolution"), "CSEC", "2024-04-25")
    c.add(
        "Approved", approved("P10", "P10.8", "remove_lapsed", "2024-05-20", at_c=False), "ODL", "2024-05-20"
    )
    c.add("Announced", {"ref": ref("P10", "P10.9"), "scope": "party_members"}, "SEC", "2024-05-24")


def pr_restored(c: Case) -> None:
    """PR 恢复党籍: suspended 2023, back in touch and applying within two years, restored by the county."""
    _suspended(c, CAI)
    contact(c, "2024-08-01")
    c.add("RestorationApplied", {"application": doc("恢复党籍申请")}, "BST", "2024-08-05")
    inv_ok(c, "2024-08-10")
    attach(c, "writeup", on="2024-08-12")
    c.add(
        "CommitteeOpinionGiven",
        opinion("PR", "PR.1", "restore_membership", "2024-08-20"),
        "SEC",
        "2024-08-20",
    )
    c.add("Reviewed", {**review("PR", "PR.2", "2024-09-02"), "subject": "restoration_application"}, "CSEC",
          "2024-09-02")  # fmt: skip
    h = c.add("Approved", approved("PR", "PR.3", "restore_membership", "2024-09-20", at_c=False), "ODL",
              "2024-09-20")  # fmt: skip
    c.add("MemberNotified", notified("PR", "PR.4", h), "SEC", "2024-09-23")


def p11_cancelled(c: Case) -> None:
    """P11 取消预备党员资格 of an uncontactable probationary member."""
    register(c, "2022-07-02", member_type="probationary", joined="2022-07-01")
    confirm(c, "2023-12-01", last="2023-05-01")
    attempts(c, "2024-01-10", "2024-02-10", "2024-03-10")
    uncontactable(c, "2024-05-20")
    search_review(c, "2024-06-03")
    attach(c, "writeup", on="2024-06-05")
    p111 = opinion("P11", "P11.1", "cancel_probation", "2024-06-10", member_unreachable=True)
    c.add("CommitteeOpinionGiven", {**p111, "grounds": ["uncontactable"]}, "SEC", "2024-06-10")
    c.add("GeneralMeetingResolved", meeting("P11", "P11.2", "cancel_probation"), "SEC", "2024-06-21")
    c.add("Approved", approved("P11", "P11.3", "cancel_probation", "2024-07-02"), "CSEC", "2024-07-02")


def _removed_lapsed(c: Case) -> str:
    register(c, "2021-02-01")
    confirm(c, "2023-12-01", last="2023-05-01")
    contact(c, "2024-02-05")
    investigate(c, "self_statement", "2024-02-10", finding="unqualified_conduct",
                criteria=["ideals_lacking", "political_stance_wavering"])  # fmt: skip
    investigate(c, "employer_letter", "2024-02-10", finding="no_reply")
    investigate(c, "discipline_check", "2024-02-10")
    investigate(c, "police_check", "2024-02-10")
    talk(c, "verification", ["recognises_problem"], "2024-02-20")
    attach(c, "writeup", "disposal-form", on="2024-02-21")
    p61 = {**opinion("P6", "P6.1", "remove_lapsed", "2024-03-01"), "grounds": ["lost_ideals"]}
    c.add("CommitteeOpinionGiven", p61, "SEC", "2024-03-01")
    c.add("PreReviewed", review("P6", "P6.2", "2024-03-12"), "CSEC", "2024-03-12")
    c.add("PreReviewed", d_review("P6", "P6.3"), "ODL", "2024-03-26")
    c.add("GuidanceAttended", guidance("P6", "P6.4", "2024-04-09"), "CST", "2024-04-09")
    res = c.add("GeneralMeetingResolved", meeting("P6", "P6.5", "remove_lapsed"), "SEC", "2024-04-09")
    c.add("MemberSigned", signed("P6", "P6.6", res), "SEC", "2024-04-09")
    c.add("Reviewed", review("P6", "P6.7", "2024-04-16", subject="resolution"), "CSEC", "2024-04-16")
    h = c.add(
        "Approved", approved("P6", "P6.8", "remove_lapsed", "2024-04-25", at_c=False), "ODL", "2024-04-25"
    )
    c.add("MemberNotified", notified("P6", "P6.9", h), "SEC", "2024-04-28")
    return h


def p6_removed(c: Case) -> None:
    """P6 自行脱党除名 of a contacted member who lost his ideals; announced at the branch meeting."""
    _removed_lapsed(c)
    c.add("Announced", {"ref": ref("P6", "P6.10"), "scope": "branch_meeting"}, "SEC", "2024-04-28")


def p6_appealed(c: Case) -> None:
    """PA 申诉: the removal is reconsidered, revoked by the department, and the member answered."""
    removal = _removed_lapsed(c)
    appeal = c.add("AppealLodged", {"against": removal, "grounds": "事实不清", "letter": doc("申诉书")}, "APH",
                   "2024-05-20")  # fmt: skip
    decision = {
        "appeal": appeal,
        "kind": "reconsideration",
        "decision": "revoke",
        "reasons": "工作单位未复函，事实不清",
    }
    basis = c.add("AppealReviewed", decision, "APH", "2024-07-15")
    c.add(
        "DispositionRevoked", {"target": removal, "basis": basis, "reasons": "事实不清"}, "ODL", "2024-07-22"
    )
    answer = {"appeal": appeal, "channel": "letter", "summary": "撤销原处置", "answer": doc("答复书")}
    c.add("AppealAnswered", answer, "APH", "2024-07-25")


def historical(c: Case, kind: str, body: dict[str, Any], on: str, signer: str, role: str = "SEC",
               unit: str | None = None, sources: list[dict[str, Any]] | None = None) -> str:  # fmt: skip
    """补录 one paper record, entered by the branch's 组织委员 on 2025-02-10."""
    wrapper = {"record_type": kind, "record_body": body,
               "original_signers": [{"name": signer, "role": role, "unit": c.unit(unit)}],
               "sources": [{**doc(kind), "form": "writeup"}] if sources is None else sources}  # fmt: skip
    return c.add("HistoricalRecordEntered", wrapper, "BST", on, recorded="2025-02-10")
