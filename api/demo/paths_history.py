"""Paper records entered after the fact (PH 补录) and the 回头看 (PL) that examines them: a 2016 removal
with every deviation listed, revoked; and a 2019 停止党籍 abroad that was never filed, remedied."""

from __future__ import annotations

from api.demo.case import Case, doc
from api.demo.paths_other import YES, historical
from api.demo.steps import approved, attempt_body, meeting, opinion, ref

OLD_SECRETARY = "刘建国"
"""The paper-era branch secretary who signed the old records (a synthetic name)."""


def no(reason: str) -> dict[str, str]:
    """A 'no' answer to one of the four look-back questions."""
    return {"answer": "no", "reasons": reason}


def _reg(c: Case, on: str, joined: str) -> dict[str, object]:
    p = c.person
    return {"name": p.name, "sex": p.sex, "birth_date": p.birth_date, "id_number": p.id_number,
            "member_type": "full", "joined_on": joined, "full_on": f"{int(joined[:4]) + 1}{joined[4:]}",
            "home": c.unit()}  # fmt: skip


def paper_removal_revoked(c: Case) -> None:
    """A 2016 paper removal (one searcher, one attempt, no suspension, approved by the committee): entered in
    2025, the look-back finds every deviation and the county department revokes it."""
    historical(c, "MemberRegistered", _reg(c, "2016-03-01", "2000-01-01"), "2016-03-01", OLD_SECRETARY)
    lost = {"last_contact_date": "2015-06-30", "cause": 1, "org_category": c.org_category,
            "reference_date": "2016-04-01"}  # fmt: skip
    historical(c, "LostContactConfirmed", lost, "2016-04-01", OLD_SECRETARY)
    one = {
        **attempt_body(c, 1, "direct", []),
        "searchers": [{"name": OLD_SECRETARY, "role": "SEC", "standing": "full"}],
    }
    historical(c, "SearchAttemptRecorded", one, "2016-04-20", OLD_SECRETARY)
    found = {"cmeeting": {"date": "2016-05-10", "members_total": 5, "members_present": 5, "members_for": 5},
             "attempts": [c.head], "opinion": "无法联系", "proposed": "suspend_uncontactable"}  # fmt: skip
    historical(c, "UncontactableConfirmed", found, "2016-05-10", OLD_SECRETARY)
    p101 = opinion("P10", "P10.1", "remove_lapsed", "2016-05-12", member_unreachable=True)
    historical(c, "CommitteeOpinionGiven", p101, "2016-05-12", OLD_SECRETARY)
    historical(
        c, "GeneralMeetingResolved", meeting("P10", "P10.5", "remove_lapsed"), "2016-05-20", OLD_SECRETARY
    )
    p108 = approved("P10", "P10.8", "remove_lapsed", "2016-06-01")
    h7 = historical(c, "Approved", p108, "2016-06-01", "王德胜", role="CSEC", unit=c.committee)
    codes = (
        "search-needs-two-full-member-signers",
        "search-insufficient",
        "step-not-allowed",
        "approval-level",
    )
    deviations = [{"code": code, "note": "补录发现"} for code in codes]
    deviations += [{"code": "step-missing", "step": s, "note": "缺少该步骤"}
                   for s in ("P10.2", "P10.3", "P10.4", "P10.6", "P10.7", "P10.9")]  # fmt: skip
    review = {"target": h7, "deviations": deviations, "conclusion": "revoke",
              "answers": {"facts_clear": YES, "reasons_sufficient": no("仅一人一次查找"),
                          "disposition_appropriate": no("未经停止党籍即除名"),
                          "formalities_complete": no("无上级组织部门预审、审批")}}  # fmt: skip
    basis = c.add("LookBackReviewed", review, "REV", "2025-03-10")
    c.add("DispositionRevoked", {"target": h7, "basis": basis, "reasons": "回头看纠正"}, "ODL", "2025-03-20")


def paper_abroad_remedied(c: Case) -> None:
    """A 2019 paper 停止党籍 of a member settled in Australia, never filed: the look-back asks for the filing,
    the county department files it (effective date unchanged) and the look-back is closed."""
    historical(c, "MemberRegistered", _reg(c, "2018-01-10", "2005-01-01"), "2018-01-10", OLD_SECRETARY)
    lost = {"last_contact_date": "2018-01-20", "cause": 1, "org_category": c.org_category,
            "reference_date": "2018-09-01"}  # fmt: skip
    historical(c, "LostContactConfirmed", lost, "2018-09-01", OLD_SECRETARY)
    abroad = {"country_region": "澳大利亚", "purpose": "residence", "since": "2017-06-01", "settled": True}
    back = {"via": "member_initiative", "whereabouts": "澳大利亚悉尼", "abroad": abroad}
    historical(c, "ContactRestored", back, "2019-03-02", OLD_SECRETARY, role="BST")
    form = [{**doc("出国（境）申请表"), "form": "abroad-form"}]
    p31 = opinion("P3", "P3.1", "suspend_abroad", "2019-04-10", abroad=abroad)
    historical(c, "CommitteeOpinionGiven", p31, "2019-04-10", OLD_SECRETARY, sources=form)
    historical(
        c, "GeneralMeetingResolved", meeting("P3", "P3.2", "suspend_abroad"), "2019-05-08", OLD_SECRETARY
    )
    p33 = approved("P3", "P3.3", "suspend_abroad", "2019-08-10")
    target = historical(c, "Approved", p33, "2019-08-10", "王德胜", role="CSEC", unit=c.committee)
    review = {"target": target, "conclusion": "rectify", "due": "2025-06-30",
              "deviations": [{"code": "step-missing", "step": "P3.4", "note": "缺少登记备案"}],
              "answers": {"facts_clear": YES, "reasons_sufficient": YES, "disposition_appropriate": YES,
                          "formalities_complete": no("未报县级组织部门备案")}}  # fmt: skip
    lookback = c.add("LookBackReviewed", review, "REV", "2025-04-02")
    filing = {"ref": ref("P3", "P3.4"), "filed_kind": "suspension", "documents": [doc("备案")],
              "files_transferred": True, "remedies": lookback}  # fmt: skip
    remedy = c.add("Filed", filing, "ODS", "2025-04-20")
    done = {"lookback": lookback, "remedies": [remedy], "resolved": ["step-missing"]}
    c.add("LookBackRectified", done, "REV", "2025-04-25")
