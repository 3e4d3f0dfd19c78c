"""§7 scenarios 49 (second half), 50–52, 55 (first half) and 56: 回头看 revocation and remedy, corrections,
announcement scope, and P1 through a general branch."""

from __future__ import annotations

from typing import Any

from domain.settings import DomainSettings
from domain.states import MemberState
from tests.domain.engine_steps import (
    C1_MEETING,
    DEFAULT_CHECKS,
    approved,
    attempt,
    attempt_body,
    confirm,
    meeting,
    opinion,
    ref,
    register,
)
from tests.domain.engine_world import A, Member, U, doc
from tests.domain.test_engine_history import findings_of, historical
from tests.domain.test_engine_p0 import zhao_lei
from tests.domain.test_engine_p5_p8 import HUANG, removed_lapsed_xie_jun, through_p4_approval

YES = {"answer": "yes"}


def no(reason: str) -> dict[str, str]:
    return {"answer": "no", "reasons": reason}


def c1_meeting(on: str) -> dict[str, Any]:
    return {"date": on, **C1_MEETING}


def yan_lei() -> tuple[Member, str]:
    """Scenario 48: 阎磊's paper records H1–H7 entered by 吴芳 on 2025-02-10; returns the hash of H7."""
    m = Member("阎磊")
    reg = {"name": "阎磊", "member_type": "full", "joined_on": "2000-01-01", "full_on": "2001-01-01",
           "home": U["B1"]}  # fmt: skip
    historical(m, "MemberRegistered", reg, "2016-03-01")
    lost = {"last_contact_date": "2015-06-30", "cause": 1, "org_category": 7, "reference_date": "2016-04-01"}
    historical(m, "LostContactConfirmed", lost, "2016-04-01")
    one = {
        **attempt_body(1, "direct", []),
        "searchers": [{"name": "何立", "role": "SEC", "standing": "full"}],
    }
    historical(m, "SearchAttemptRecorded", one, "2016-04-20")
    found = {"cmeeting": {"date": "2016-05-10", "members_total": 5, "members_present": 5, "members_for": 5},
             "attempts": [m.head], "opinion": "无法联系", "proposed": "suspend_uncontactable"}  # fmt: skip
    historical(m, "UncontactableConfirmed", found, "2016-05-10")
    p101 = opinion("P10", "P10.1", "remove_lapsed", "2016-05-12", member_unreachable=True)
    historical(m, "CommitteeOpinionGiven", p101, "2016-05-12")
    historical(m, "GeneralMeetingResolved", meeting("P10", "P10.5", "remove_lapsed"), "2016-05-20")
    p108 = approved("P10", "P10.8", "remove_lapsed", "2016-06-01")
    historical(m, "Approved", p108, "2016-06-01", role="CSEC", unit="C1")
    return m, m.head


def test_paper_removal_found_with_every_deviation_the_look_back_lists() -> None:
    m, _ = yan_lei()
    found = findings_of(m)
    assert found[3][0] == "search-needs-two-full-member-signers"
    assert found[4][0] == "search-insufficient"
    assert found[5][0] == "step-not-allowed" and found[6][0] == "step-not-allowed"
    assert found[7][0] == "approval-level"
    assert m.file.state is MemberState.REMOVED_LAPSED


def test_look_back_revokes_a_paper_removal_and_reopens_the_case() -> None:
    m, h7 = yan_lei()
    deviations = [
        {"code": code, "note": "补录发现"}
        for code in (
            "search-needs-two-full-member-signers",
            "search-insufficient",
            "step-not-allowed",
            "approval-level",
        )
    ]
    deviations += [{"code": "step-missing", "step": s, "note": "缺少该步骤"}
                   for s in ("P10.2", "P10.3", "P10.4", "P10.6", "P10.7", "P10.9")]  # fmt: skip
    review = {"target": h7, "deviations": deviations, "conclusion": "revoke",
              "answers": {"facts_clear": YES, "reasons_sufficient": no("仅一人一次查找"),
                          "disposition_appropriate": no("未经停止党籍即除名"),
                          "formalities_complete": no("无上级组织部门预审、审批")}}  # fmt: skip
    basis = m.add("LookBackReviewed", review, "冯涛", "2025-03-10")
    m.add("DispositionRevoked", {"target": h7, "basis": basis, "reasons": "回头看纠正"}, "陈刚", "2025-03-20")
    assert m.file.state is MemberState.LOST_UNCONTACTABLE and m.file.case_open


def test_look_back_targets_only_dispositions() -> None:
    m = zhao_lei()
    confirm(m, "2024-09-05")
    a1 = attempt(m, 1, "direct", "2024-09-20")
    review = {"target": a1, "deviations": [], "conclusion": "upheld",
              "answers": {"facts_clear": YES, "reasons_sufficient": YES, "disposition_appropriate": YES,
                          "formalities_complete": YES}}  # fmt: skip
    assert m.try_("LookBackReviewed", review, "冯涛", "2025-03-10") == ["lookback-target-invalid"]


def wei_hua() -> tuple[Member, str]:
    """韦华 (scenario 51): paper records of a P3 up to its approval 2019-08-10, no P3.4; returns P3.3's hash."""
    m = Member("韦华")
    reg = {"name": "韦华", "member_type": "full", "joined_on": "2005-01-01", "full_on": "2006-01-01",
           "home": U["B1"]}  # fmt: skip
    historical(m, "MemberRegistered", reg, "2018-01-10")
    lost = {"last_contact_date": "2018-01-20", "cause": 1, "org_category": 7, "reference_date": "2018-09-01"}
    historical(m, "LostContactConfirmed", lost, "2018-09-01")
    abroad = {"country_region": "澳大利亚", "purpose": "residence", "since": "2017-06-01", "settled": True}
    back = {"via": "member_initiative", "whereabouts": "澳大利亚悉尼", "abroad": abroad}
    historical(m, "ContactRestored", back, "2019-03-02", role="BST")
    form = [{**doc("出国（境）申请表"), "form": "abroad-form"}]
    p31 = opinion("P3", "P3.1", "suspend_abroad", "2019-04-10", abroad=abroad)
    historical(m, "CommitteeOpinionGiven", p31, "2019-04-10", sources=form)
    historical(m, "GeneralMeetingResolved", meeting("P3", "P3.2", "suspend_abroad"), "2019-05-08")
    p33 = approved("P3", "P3.3", "suspend_abroad", "2019-08-10")
    historical(m, "Approved", p33, "2019-08-10", role="CSEC", unit="C1")
    assert findings_of(m) == {} and m.file.state is MemberState.SUSPENDED_ABROAD
    return m, m.head


def test_look_back_remedy_files_the_missing_step_without_moving_the_effective_date() -> None:
    m, p33 = wei_hua()
    review = {"target": p33, "conclusion": "rectify", "due": "2025-06-30",
              "deviations": [{"code": "step-missing", "step": "P3.4", "note": "缺少登记备案"}],
              "answers": {"facts_clear": YES, "reasons_sufficient": YES, "disposition_appropriate": YES,
                          "formalities_complete": no("未报县级组织部门备案")}}  # fmt: skip
    lookback = m.add("LookBackReviewed", review, "冯涛", "2025-04-02")
    filing = {"ref": ref("P3", "P3.4"), "filed_kind": "suspension", "documents": [doc("备案")],
              "files_transferred": True, "remedies": lookback}  # fmt: skip
    remedy = m.add("Filed", filing, "何敏", "2025-04-20")
    assert m.file.state is MemberState.SUSPENDED_ABROAD
    p3 = next(i for i in m.file.instances if i.path == "P3")
    assert str(p3.effect_on) == "2019-08-10"
    done = {"lookback": lookback, "remedies": [remedy], "resolved": ["step-missing"]}
    m.add("LookBackRectified", done, "冯涛", "2025-04-25")
    extra = {"doc": doc("补充材料"), "form": "writeup", "remedies": lookback}
    assert m.try_("MaterialAttached", extra, "吴芳", "2025-04-28") == ["remedy-without-basis"]


def test_a_search_record_is_corrected_by_its_signer_not_by_another_role() -> None:
    zhao = zhao_lei()
    confirm(zhao, "2024-09-05")
    a1 = attempt(zhao, 1, "direct", "2024-09-20")
    fixed = {**attempt_body(1, "direct", ["吴芳", "郑强"]), "narrative": "电话 13900000000 联系未果"}
    zhao.add(
        "Corrected", {"corrects": a1, "reason": "电话号码有误", "replacement": fixed}, "吴芳", "2024-09-22"
    )
    entry = zhao.file.entry(a1)
    assert entry is not None and entry.body["narrative"] == "电话 13900000000 联系未果"
    huang = Member("黄海")
    through_p4_approval(huang, HUANG)
    p41 = next(e for e in huang.file.entries if e.ref == ("P4", "P4.1"))
    body = {"corrects": p41.hash, "reason": "更正", "replacement": dict(p41.body)}
    assert huang.try_("Corrected", body, "钱丽", "2025-03-02") == ["correction-not-permitted"]


def test_dispositions_are_never_announced_publicly() -> None:
    m, _ = removed_lapsed_xie_jun()
    public = {"ref": ref("P6", "P6.10"), "scope": "public"}
    assert m.try_("Announced", public, "周明", "2024-04-28") == ["announcement-public"]


def shi_lei(settings: DomainSettings | None = None) -> Member:
    """石磊 of B3 (under GB1, C2): contacted, INV-ok, education talk, P1.1 by 许文 2025-04-20."""
    m = Member("石磊", settings=settings or DomainSettings())
    register(m, home="B3", by="许文")
    confirm(m, "2025-03-01", last="2024-08-01", by="许文")
    m.add("ContactRestored", {"via": "member_initiative", "whereabouts": "本地"}, "许文", "2025-04-01")
    for check in DEFAULT_CHECKS:
        m.add("ConductInvestigated", {"check": check, "asked_on": "2025-04-05", "finding": "no_issue",
                                      "summary": "核实"}, "许文", "2025-04-10")  # fmt: skip
    talk = {"kind": "education", "talkers": [A["许文"]], "summary": "谈话",
            "attitude": ["recognises_problem", "willing_to_participate"]}  # fmt: skip
    m.add("TalkHeld", talk, "许文", "2025-04-12")
    for form in ("recognition-form", "signed-application", "writeup"):
        m.add("MaterialAttached", {"doc": doc(form), "form": form}, "许文", "2025-04-15")
    m.add(
        "CommitteeOpinionGiven",
        opinion("P1", "P1.1", "normal_management", "2025-04-20"),
        "许文",
        "2025-04-20",
    )
    return m


def c2_approval() -> dict[str, Any]:
    return {**approved("P1", "P1.3", "normal_management", "2025-05-10")}


def test_p1_through_the_general_branch_of_a_committee() -> None:
    m = shi_lei()
    gb = {"ref": ref("P1", "P1.2"), "subject": "proposal", "result": "agree", "opinion": "同意"}
    m.add("Reviewed", gb, "杜鹏", "2025-04-28")
    m.add("Approved", c2_approval(), "宋青", "2025-05-10")
    assert m.file.state is MemberState.NORMAL and not m.file.case_open


def test_general_branch_review_required_by_setting() -> None:
    m = shi_lei(DomainSettings(general_branch_review_required=True))
    assert m.try_("Approved", c2_approval(), "宋青", "2025-05-10") == ["step-out-of-order"]
