"""§7 scenarios 26–33 (P4 correction of a resolution, P5 劝退, P6 自行脱党除名, P7 退党, P8 取消预备)."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.engine import check as check_statement
from domain.states import MemberState
from tests.domain.engine_steps import (
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
from tests.domain.engine_world import A, Member, doc

P45_MATERIALS = ("writeup", "disposal-form")


def through_p4_approval(m: Member, d: dict[str, str]) -> str:
    """P4.1 … P4.6 with the dates in `d`; returns the hash of P4.6."""
    register(m)
    confirm(m, d["confirm"], last="2023-01-01")
    contact(m, d["contact"])
    investigate(m, "employer_letter", d["inv"], finding="unqualified_conduct", criteria=["discipline_lax"])
    for check in ("self_statement", "discipline_check", "police_check"):
        investigate(m, check, d["inv"])
    talk(m, "verification", ["wants_to_stay", "willing_to_correct"], d["inv"])
    attach(m, *P45_MATERIALS, on=d["inv"])
    p41 = opinion("P4", "P4.1", "correct_within_limit", d["p41"], correction_months=6)
    m.add("CommitteeOpinionGiven", p41, "周明", d["p41"])
    m.add("PreReviewed", review("P4", "P4.2", d["p42"]), "孙波", d["p42"])
    m.add("GuidanceAttended", guidance("P4", "P4.3", d["p44"]), "李静", d["p44"])
    res = m.add(
        "GeneralMeetingResolved",
        meeting("P4", "P4.4", "correct_within_limit", correction_months=6),
        "周明",
        d["p44"],
    )
    m.add("MemberSigned", signed("P4", "P4.5", res), "周明", d["p44"])
    body = approved("P4", "P4.6", "correct_within_limit", d["p46"], correction_months=6)
    return m.add("Approved", body, "孙波", d["p46"])


HUANG = {"confirm": "2024-06-10", "contact": "2025-01-06", "inv": "2025-01-15", "p41": "2025-01-20",
         "p42": "2025-02-05", "p44": "2025-02-14", "p46": "2025-02-26"}  # fmt: skip
LUO = {"confirm": "2023-09-01", "contact": "2024-01-10", "inv": "2024-01-20", "p41": "2024-02-01",
       "p42": "2024-02-10", "p44": "2024-03-01", "p46": "2024-03-20"}  # fmt: skip


def test_correction_that_breaks_the_vote_of_an_approved_resolution_is_refused() -> None:
    m = Member("黄海")
    through_p4_approval(m, HUANG)
    p44 = next(e for e in m.file.entries if e.ref == ("P4", "P4.4"))
    vote = {**p44.body["vote"], "votes_for": 12}
    body = {"corrects": p44.hash, "reason": "票数更正", "replacement": {**p44.body, "vote": vote}}
    assert m.try_("Corrected", body, "周明", "2025-03-02") == ["correction-invalidates-history"]
    refusals = check_statement(m.file, m.statement("Corrected", body, A["周明"], "2025-03-02"), m.world, m.settings,
                     date(2025, 3, 2))  # fmt: skip
    assert f"seq {p44.seq} would fail vote-arithmetic" in refusals[0].detail
    ok = {**p44.body, "text": "决议（更正错字）"}
    m.add("Corrected", {"corrects": p44.hash, "reason": "错字", "replacement": ok}, "周明", "2025-03-02")


def not_changed_after_correction(name: str) -> Member:
    """罗平 / 贺军: P4.6 2024-03-20, P4.9 2024-03-25, support 2024-05-10, P4.11 not_changed 2024-09-30."""
    m = Member(name)
    through_p4_approval(m, LUO)
    period = {"ref": ref("P4", "P4.9"), "start": "2024-03-25", "end": "2024-09-25", "months": 6}
    m.add("CorrectionPeriodSet", period, "周明", "2024-03-25")
    m.add("EducationSupportRecorded", {"measure": "pairing", "summary": "结对帮扶"}, "周明", "2024-05-10")
    ended = {"ref": ref("P4", "P4.11"), "result": "not_changed", "opinion": "仍无转变",
             "cmeeting": {"date": "2024-09-30", "members_total": 5, "members_present": 5, "members_for": 5}}  # fmt: skip
    m.add("CorrectionPeriodEnded", ended, "周明", "2024-09-30")
    assert m.file.state is MemberState.CONTACTED
    return m


def p51(on: str = "2024-10-08", ground: str = "no_change_after_correction") -> dict[str, Any]:
    return {**opinion("P5", "P5.1", "advise_withdrawal", on), "grounds": [ground]}


def through_p55(m: Member) -> str:
    m.add("CommitteeOpinionGiven", p51(), "周明", "2024-10-08")
    m.add("PreReviewed", review("P5", "P5.2", "2024-10-15"), "孙波", "2024-10-15")
    m.add("PreReviewed", d_review("P5", "P5.3"), "陈刚", "2024-10-29")
    m.add("GuidanceAttended", guidance("P5", "P5.4", "2024-11-08"), "李静", "2024-11-08")
    return m.add("GeneralMeetingResolved", meeting("P5", "P5.5", "advise_withdrawal"), "周明", "2024-11-08")


def advised(name: str) -> Member:
    m = not_changed_after_correction(name)
    res = through_p55(m)
    m.add("SignatureRefusalNoted", refusal_note("P5", "P5.6", res, "refused"), "周明", "2024-11-09")
    review_body = review("P5", "P5.7", "2024-11-14", subject="resolution")
    m.add("Reviewed", review_body, "孙波", "2024-11-14")
    m.add(
        "Approved",
        approved("P5", "P5.8", "advise_withdrawal", "2024-11-26", at_c=False),
        "陈刚",
        "2024-11-26",
    )
    advice = {"ref": ref("P5", "P5.9"), "answer_due": "2024-12-29", "channel": "in_person"}
    m.add("WithdrawalAdvised", advice, "周明", "2024-11-29")
    assert m.file.state is MemberState.ADVISED
    return m


def test_p5_member_accepts_advice_to_withdraw() -> None:
    m = advised("罗平")
    answer = {"ref": ref("P5", "P5.10"), "answer": "accepts", "statement": doc("退党声明")}
    h = m.add("WithdrawalAdviceAnswered", answer, "周明", "2024-12-20")
    assert m.file.state is MemberState.REMOVED_ADVISED and not m.file.case_open
    m.add("MemberNotified", notified("P5", "P5.15", h), "周明", "2024-12-22")
    m.add("EducationSupportRecorded", {"measure": "care", "summary": "继续关心"}, "郑强", "2025-01-10")


def test_p5_member_who_refuses_is_removed_by_meeting_and_department() -> None:
    m = advised("贺军")
    body = meeting("P5", "P5.11", "remove_after_refusal")
    assert m.try_("GeneralMeetingResolved", body, "周明", "2024-12-15")[0] == "answer-pending"
    silent = {"ref": ref("P5", "P5.10"), "answer": "no_answer"}
    assert m.try_("WithdrawalAdviceAnswered", silent, "周明", "2024-12-20") == ["answer-pending"]
    m.add("WithdrawalAdviceAnswered", {**silent, "answer": "refuses"}, "周明", "2024-12-20")
    assert m.file.state is MemberState.ADVISED
    m.add("GuidanceAttended", guidance("P5", "P5.11a", "2025-01-10"), "李静", "2025-01-10")
    res = m.add("GeneralMeetingResolved", body, "周明", "2025-01-10")
    m.add("SignatureRefusalNoted", refusal_note("P5", "P5.12", res, "refused"), "周明", "2025-01-11")
    m.add("Reviewed", review("P5", "P5.13", "2025-01-16", subject="resolution"), "孙波", "2025-01-16")
    removal = approved("P5", "P5.14", "remove_after_refusal", "2025-01-24", at_c=False)
    m.add("Approved", removal, "陈刚", "2025-01-24")
    assert m.file.state is MemberState.REMOVED_ADVISED


def test_p5_meeting_needs_the_department_pre_review() -> None:
    m = not_changed_after_correction("罗平")
    m.add("CommitteeOpinionGiven", p51(), "周明", "2024-10-08")
    m.add("PreReviewed", review("P5", "P5.2", "2024-10-15"), "孙波", "2024-10-15")
    m.add("GuidanceAttended", guidance("P5", "P5.4", "2024-11-08"), "李静", "2024-11-08")
    body = meeting("P5", "P5.5", "advise_withdrawal")
    assert m.try_("GeneralMeetingResolved", body, "周明", "2024-11-08")[0] == "pre-review-not-agreed"


def test_p5_approval_belongs_to_the_department() -> None:
    m = not_changed_after_correction("罗平")
    res = through_p55(m)
    m.add("SignatureRefusalNoted", refusal_note("P5", "P5.6", res, "refused"), "周明", "2024-11-09")
    m.add("Reviewed", review("P5", "P5.7", "2024-11-14", subject="resolution"), "孙波", "2024-11-14")
    body = approved("P5", "P5.8", "advise_withdrawal", "2024-11-26")
    assert m.try_("Approved", body, "孙波", "2024-11-26")[0] == "approval-level"


def xie_jun() -> Member:
    """谢军: confirmed 2023-12-01, contacted 2024-02-05, INV with lost ideals, verification talk."""
    m = Member("谢军")
    register(m)
    confirm(m, "2023-12-01", last="2023-05-01")
    contact(m, "2024-02-05")
    investigate(
        m,
        "self_statement",
        "2024-02-10",
        finding="unqualified_conduct",
        criteria=["ideals_lacking", "political_stance_wavering"],
    )
    investigate(m, "employer_letter", "2024-02-10", finding="no_reply")
    investigate(m, "discipline_check", "2024-02-10")
    investigate(m, "police_check", "2024-02-10")
    talk(m, "verification", ["recognises_problem"], "2024-02-20")
    attach(m, *P45_MATERIALS, on="2024-02-21")
    return m


def test_p5_no_change_ground_needs_an_ended_correction_period() -> None:
    m = xie_jun()
    assert m.try_("CommitteeOpinionGiven", p51("2024-02-26"), "周明", "2024-02-26")[0] == (
        "ground-not-established"
    )


def removed_lapsed_xie_jun() -> tuple[Member, str]:
    """Scenario 30 up to P6.9: returns 谢军 and the hash of P6.8."""
    m = xie_jun()
    p61 = {**opinion("P6", "P6.1", "remove_lapsed", "2024-03-01"), "grounds": ["lost_ideals"]}
    m.add("CommitteeOpinionGiven", p61, "周明", "2024-03-01")
    m.add("PreReviewed", review("P6", "P6.2", "2024-03-12"), "孙波", "2024-03-12")
    m.add("PreReviewed", d_review("P6", "P6.3"), "陈刚", "2024-03-26")
    m.add("GuidanceAttended", guidance("P6", "P6.4", "2024-04-09"), "李静", "2024-04-09")
    res = m.add("GeneralMeetingResolved", meeting("P6", "P6.5", "remove_lapsed"), "周明", "2024-04-09")
    m.add("MemberSigned", signed("P6", "P6.6", res), "周明", "2024-04-09")
    m.add("Reviewed", review("P6", "P6.7", "2024-04-16", subject="resolution"), "孙波", "2024-04-16")
    h = m.add(
        "Approved", approved("P6", "P6.8", "remove_lapsed", "2024-04-25", at_c=False), "陈刚", "2024-04-25"
    )
    m.add("MemberNotified", notified("P6", "P6.9", h), "周明", "2024-04-28")
    return m, h


def test_p6_member_who_lost_ideals_removed_as_lapsed() -> None:
    m, _ = removed_lapsed_xie_jun()
    assert m.file.state is MemberState.REMOVED_LAPSED and not m.file.case_open
    m.add("Announced", {"ref": ref("P6", "P6.10"), "scope": "branch_meeting"}, "周明", "2024-04-28")


def test_p6_for_full_and_p8_for_probationary_members() -> None:
    liu = Member("刘洋")
    register(liu, member_type="probationary", joined="2023-05-10")
    confirm(liu, "2024-03-01", last="2023-08-20")
    contact(liu, "2024-11-05")
    inv_ok(liu, "2024-11-05")
    attach(liu, "writeup", on="2024-11-05")
    p61 = {**opinion("P6", "P6.1", "remove_lapsed", "2024-11-06"), "grounds": ["lost_ideals"]}
    assert liu.try_("CommitteeOpinionGiven", p61, "周明", "2024-11-06")[0] == "full-member-only"
    huang = Member("黄海")
    register(huang)
    confirm(huang, "2024-06-10", last="2023-12-01")
    contact(huang, "2025-01-18")
    attach(huang, "writeup", on="2025-01-18")
    p81 = {**opinion("P8", "P8.1", "cancel_probation", "2025-01-20"), "grounds": ["ignores_membership"]}
    assert huang.try_("CommitteeOpinionGiven", p81, "周明", "2025-01-20")[0] == "probationary-only"


def tang_min() -> Member:
    """唐敏: confirmed 2023-11-20, contacted 2024-02-20, written withdrawal application 2024-03-04."""
    m = Member("唐敏")
    register(m)
    confirm(m, "2023-11-20", last="2023-05-01")
    contact(m, "2024-02-20")
    m.add("WithdrawalApplied", {"application": doc("退党申请书")}, "吴芳", "2024-03-04")
    return m


def test_p7_voluntary_withdrawal_decided_by_the_meeting_and_filed_at_committee() -> None:
    m = tang_min()
    vote = {
        "eligible_voters": 18,
        "present_voters": 15,
        "votes_for": 14,
        "votes_against": 0,
        "abstentions": 1,
    }
    res = m.add(
        "GeneralMeetingResolved", meeting("P7", "P7.1", "remove_withdrawn", vote), "周明", "2024-03-15"
    )
    assert m.file.state is MemberState.REMOVED_WITHDRAWN and not m.file.case_open
    m.add("MemberNotified", notified("P7", "P7.2", res), "周明", "2024-03-18")
    assert m.try_("Filed", filed("P7", "P7.3", "withdrawal"), "陈刚", "2024-03-22")[0] == "wrong-level"
    m.add("Filed", filed("P7", "P7.3", "withdrawal"), "李静", "2024-03-22")
    assert m.file.instances[-1].end_reason == "completed"


def test_p8_probation_of_contacted_member_cancelled() -> None:
    m = Member("刘洋")
    register(m, member_type="probationary", joined="2023-05-10")
    confirm(m, "2024-03-01", last="2023-08-20")
    contact(m, "2024-11-02")
    attach(m, "writeup", "disposal-form", on="2024-11-10")
    p81 = opinion("P8", "P8.1", "cancel_probation", "2024-11-15")
    m.add("CommitteeOpinionGiven", {**p81, "grounds": ["refuses_dues_arrears", "absent_from_org_life"]}, "周明",
          "2024-11-15")  # fmt: skip
    m.add("GeneralMeetingResolved", meeting("P8", "P8.2", "cancel_probation"), "周明", "2024-11-28")
    h = m.add("Approved", approved("P8", "P8.3", "cancel_probation", "2024-12-10"), "孙波", "2024-12-10")
    assert m.file.state is MemberState.PROBATION_CANCELLED and not m.file.case_open
    m.add("MemberNotified", notified("P8", "P8.4", h), "周明", "2024-12-12")
