"""Paper records entered after the fact (PH 补录) and the 回头看 (PL) that examines them: a 2016 removal
with every deviation listed, revoked; and a 2019 停止党籍 abroad that was never filed, remedied. The phases
are public so the §7 scenario tests (阎磊, 韦华) walk the same records."""

from __future__ import annotations

from typing import Any

from api.demo.bodies import approved, attempt_body, meeting, opinion, ref
from api.demo.case import Case, MemberStream, doc

OLD_SECRETARY = "刘建国"
"""The paper-era branch secretary who signed the old records (a synthetic name)."""
OLD_COMMITTEE_SECRETARY = "王德胜"
"""The paper-era committee secretary who approved them."""
ENTERED_ON = "2025-02-10"
"""The day the branch's 组织委员 enters the paper records."""
YES = {"answer": "yes"}
REMOVAL_DEVIATIONS = ("search-needs-two-full-member-signers", "search-insufficient", "step-not-allowed",
                      "approval-level")  # fmt: skip
"""What the look-back finds in the 2016 paper removal, besides the steps it lacks."""
REMOVAL_MISSING_STEPS = ("P10.2", "P10.3", "P10.4", "P10.6", "P10.7", "P10.9")


def no(reason: str) -> dict[str, str]:
    """A 'no' answer to one of the four look-back questions."""
    return {"answer": "no", "reasons": reason}


def historical_body(c: MemberStream, kind: str, body: dict[str, Any], signer: str, role: str = "SEC",
                    unit: str | None = None, sources: list[dict[str, Any]] | None = None) -> dict[str, Any]:  # fmt: skip
    """补录 of one paper record: what it said, who signed it then, and the scans it is entered from."""
    return {"record_type": kind, "record_body": body,
            "original_signers": [{"name": signer, "role": role, "unit": c.unit(unit)}],
            "sources": [{**doc(kind), "form": "writeup"}] if sources is None else sources}  # fmt: skip


def historical(c: MemberStream, kind: str, body: dict[str, Any], on: str, signer: str, role: str = "SEC",
               unit: str | None = None, sources: list[dict[str, Any]] | None = None) -> str:  # fmt: skip
    """补录 one paper record, entered by the branch's 组织委员 on `ENTERED_ON`; its hash."""
    wrapper = historical_body(c, kind, body, signer, role, unit, sources)
    return c.add("HistoricalRecordEntered", wrapper, "BST", on, recorded=ENTERED_ON)


def _reg(c: MemberStream, joined: str) -> dict[str, Any]:
    return {**c.identity(), "member_type": "full", "joined_on": joined,
            "full_on": f"{int(joined[:4]) + 1}{joined[4:]}", "home": c.unit()}  # fmt: skip


def paper_removal(
    c: MemberStream, signer: str = OLD_SECRETARY, approver: str = OLD_COMMITTEE_SECRETARY
) -> str:
    """The 2016 paper records of a removal (one searcher, one attempt, no suspension, approved by the
    committee), signed then by `signer` and `approver`; the hash of the approval."""
    historical(c, "MemberRegistered", _reg(c, "2000-01-01"), "2016-03-01", signer)
    lost = {"last_contact_date": "2015-06-30", "cause": 1, "org_category": c.org_category,
            "reference_date": "2016-04-01"}  # fmt: skip
    historical(c, "LostContactConfirmed", lost, "2016-04-01", signer)
    one = {
        **attempt_body(1, "direct", []),
        "searchers": [{"name": signer, "role": "SEC", "standing": "full"}],
    }
    historical(c, "SearchAttemptRecorded", one, "2016-04-20", signer)
    found = {"cmeeting": {"date": "2016-05-10", "members_total": 5, "members_present": 5, "members_for": 5},
             "attempts": [c.head], "opinion": "无法联系", "proposed": "suspend_uncontactable"}  # fmt: skip
    historical(c, "UncontactableConfirmed", found, "2016-05-10", signer)
    p101 = opinion("P10", "P10.1", "remove_lapsed", "2016-05-12", member_unreachable=True)
    historical(c, "CommitteeOpinionGiven", p101, "2016-05-12", signer)
    historical(c, "GeneralMeetingResolved", meeting("P10", "P10.5", "remove_lapsed"), "2016-05-20", signer)
    p108 = approved("P10", "P10.8", "remove_lapsed", "2016-06-01")
    return historical(c, "Approved", p108, "2016-06-01", approver, role="CSEC", unit=c.committee)


def removal_revoked(c: MemberStream, removal: str) -> None:
    """回头看 of the paper removal: every deviation listed (2025-03-10), revoked by the county (2025-03-20)."""
    deviations = [{"code": code, "note": "补录发现"} for code in REMOVAL_DEVIATIONS]
    deviations += [{"code": "step-missing", "step": s, "note": "缺少该步骤"} for s in REMOVAL_MISSING_STEPS]
    review = {"target": removal, "deviations": deviations, "conclusion": "revoke",
              "answers": {"facts_clear": YES, "reasons_sufficient": no("仅一人一次查找"),
                          "disposition_appropriate": no("未经停止党籍即除名"),
                          "formalities_complete": no("无上级组织部门预审、审批")}}  # fmt: skip
    basis = c.add("LookBackReviewed", review, "REV", "2025-03-10")
    c.add(
        "DispositionRevoked",
        {"target": removal, "basis": basis, "reasons": "回头看纠正"},
        "ODL",
        "2025-03-20",
    )


def paper_removal_revoked(c: Case) -> None:
    """A 2016 paper removal entered in 2025; the look-back finds every deviation and the county department
    revokes it."""
    removal_revoked(c, paper_removal(c))


def paper_abroad(
    c: MemberStream, signer: str = OLD_SECRETARY, approver: str = OLD_COMMITTEE_SECRETARY
) -> str:
    """The paper records of a 2019 停止党籍 of a member settled in Australia, up to its approval and never
    filed; the hash of the approval."""
    historical(c, "MemberRegistered", _reg(c, "2005-01-01"), "2018-01-10", signer)
    lost = {"last_contact_date": "2018-01-20", "cause": 1, "org_category": c.org_category,
            "reference_date": "2018-09-01"}  # fmt: skip
    historical(c, "LostContactConfirmed", lost, "2018-09-01", signer)
    abroad = {"country_region": "澳大利亚", "purpose": "residence", "since": "2017-06-01", "settled": True}
    back = {"via": "member_initiative", "whereabouts": "澳大利亚悉尼", "abroad": abroad}
    historical(c, "ContactRestored", back, "2019-03-02", signer, role="BST")
    form = [{**doc("出国（境）申请表"), "form": "abroad-form"}]
    p31 = opinion("P3", "P3.1", "suspend_abroad", "2019-04-10", abroad=abroad)
    historical(c, "CommitteeOpinionGiven", p31, "2019-04-10", signer, sources=form)
    historical(c, "GeneralMeetingResolved", meeting("P3", "P3.2", "suspend_abroad"), "2019-05-08", signer)
    p33 = approved("P3", "P3.3", "suspend_abroad", "2019-08-10")
    return historical(c, "Approved", p33, "2019-08-10", approver, role="CSEC", unit=c.committee)


def filing_remedied(c: MemberStream, target: str) -> tuple[str, str]:
    """回头看 asks for the missing filing (2025-04-02); the county department files it with the effective
    date unchanged (2025-04-20). The hashes of the look-back and of the filing."""
    review = {"target": target, "conclusion": "rectify", "due": "2025-06-30",
              "deviations": [{"code": "step-missing", "step": "P3.4", "note": "缺少登记备案"}],
              "answers": {"facts_clear": YES, "reasons_sufficient": YES, "disposition_appropriate": YES,
                          "formalities_complete": no("未报县级组织部门备案")}}  # fmt: skip
    lookback = c.add("LookBackReviewed", review, "REV", "2025-04-02")
    filing = {"ref": ref("P3", "P3.4"), "filed_kind": "suspension", "documents": [doc("备案")],
              "files_transferred": True, "remedies": lookback}  # fmt: skip
    return lookback, c.add("Filed", filing, "ODS", "2025-04-20")


def rectified(c: MemberStream, lookback: str, remedy: str) -> None:
    """The look-back closed (2025-04-25): the missing step remedied."""
    done = {"lookback": lookback, "remedies": [remedy], "resolved": ["step-missing"]}
    c.add("LookBackRectified", done, "REV", "2025-04-25")


def paper_abroad_remedied(c: Case) -> None:
    """A 2019 paper 停止党籍 abroad, never filed: the look-back asks for the filing, the county department
    files it and the look-back is closed."""
    rectified(c, *filing_remedied(c, paper_abroad(c)))
