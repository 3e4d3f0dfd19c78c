"""Stories of removal as lapsed (自行脱党除名): of a contacted member who lost his ideals (P6, 谢军) and the
appeal that has it revoked (PA 申诉), and of a member still unreachable two years after 停止党籍 (P10, 曹宇);
written with the §7 scenario dates, `Case.shift` moves them. The phases and bodies are public so the §7
scenario tests walk the same steps."""

from __future__ import annotations

from typing import Any

from api.demo.bodies import (
    approved,
    d_review,
    guidance,
    meeting,
    notified,
    opinion,
    ref,
    refusal_note,
    review,
    signed,
)
from api.demo.case import Case, MemberStream, doc
from api.demo.paths_other import CAO, suspended
from api.demo.steps import attach, attempt, confirm, contact, investigate, register, talk


def lapsed_lost(c: MemberStream) -> None:
    """谢军: registered, 认定失联 on 2023-12-01."""
    register(c, "2021-02-01")
    confirm(c, "2023-12-01", last="2023-05-01")


def lapsed_checked(c: MemberStream) -> None:
    """谢军 after contact: he lost his ideals, the employer does not answer; the talk and the materials."""
    investigate(c, "self_statement", "2024-02-10", finding="unqualified_conduct",
                criteria=["ideals_lacking", "political_stance_wavering"])  # fmt: skip
    investigate(c, "employer_letter", "2024-02-10", finding="no_reply")
    investigate(c, "discipline_check", "2024-02-10")
    investigate(c, "police_check", "2024-02-10")
    talk(c, "verification", ["recognises_problem"], "2024-02-20")
    attach(c, "writeup", "disposal-form", on="2024-02-21")


def p6_decided(c: MemberStream) -> str:
    """P6.1 … P6.9: removal approved by the county department (2024-04-25), notified; the approval's hash."""
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


def removed_lapsed(c: MemberStream) -> str:
    """谢军, lost, found again 2024-02-05 and checked, through P6.9; the approval's hash."""
    lapsed_lost(c)
    contact(c, "2024-02-05")
    lapsed_checked(c)
    return p6_decided(c)


def p6_removed(c: Case) -> None:
    """P6 自行脱党除名 of a contacted member who lost his ideals; announced at the branch meeting."""
    removed_lapsed(c)
    c.add("Announced", {"ref": ref("P6", "P6.10"), "scope": "branch_meeting"}, "SEC", "2024-04-28")


def lodge(c: MemberStream, against: str, by: str = "APH", on: str = "2024-05-20") -> str:
    """申诉 against a disposition, lodged with the appeals office; its hash."""
    return c.add("AppealLodged", {"against": against, "grounds": "事实不清", "letter": doc("申诉书")}, by, on)


def appeal_review(appeal: str, kind: str = "reconsideration", decision: str = "revoke") -> dict[str, Any]:
    """The decision on an appeal (复议 or 复查)."""
    return {"appeal": appeal, "kind": kind, "decision": decision, "reasons": "工作单位未复函，事实不清"}


def appeal_answer(appeal: str) -> dict[str, Any]:
    """The written answer to the appellant."""
    return {"appeal": appeal, "channel": "letter", "summary": "撤销原处置", "answer": doc("答复书")}


def p6_appealed(c: Case) -> None:
    """PA 申诉: the removal is reconsidered, revoked by the department, and the member answered."""
    removal = removed_lapsed(c)
    appeal = lodge(c, removal)
    basis = c.add("AppealReviewed", appeal_review(appeal), "APH", "2024-07-15")
    c.add(
        "DispositionRevoked", {"target": removal, "basis": basis, "reasons": "事实不清"}, "ODL", "2024-07-22"
    )
    c.add("AppealAnswered", appeal_answer(appeal), "APH", "2024-07-25")


def p10_still_unreachable(c: MemberStream, d: dict[str, str]) -> None:
    """Suspended (P9, filed) with the dates in `d`, and still not found by the departments on 2024-01-22."""
    suspended(c, d)
    attempt(c, 4, "department", "2024-01-22", by="CST", other="ODS")


def p10_resolved(c: MemberStream) -> str:
    """P10.1 … P10.5: the meeting removes the member (2024-04-19); the resolution's hash."""
    attach(c, "disposal-form", on="2024-03-10")
    p101 = opinion("P10", "P10.1", "remove_lapsed", "2024-03-15", member_unreachable=True)
    c.add("CommitteeOpinionGiven", p101, "SEC", "2024-03-15")
    c.add("PreReviewed", review("P10", "P10.2", "2024-03-26"), "CSEC", "2024-03-26")
    c.add("PreReviewed", d_review("P10", "P10.3"), "ODL", "2024-04-09")
    c.add("GuidanceAttended", guidance("P10", "P10.4", "2024-04-19"), "CST", "2024-04-19")
    return c.add("GeneralMeetingResolved", meeting("P10", "P10.5", "remove_lapsed"), "SEC", "2024-04-19")


def p10_approved(c: MemberStream, resolution: str) -> None:
    """P10.6 (the member cannot sign), P10.7 the committee's review, P10.8 the county department approves."""
    c.add(
        "SignatureRefusalNoted", refusal_note("P10", "P10.6", resolution, "unreachable"), "SEC", "2024-04-20"
    )
    c.add("Reviewed", review("P10", "P10.7", "2024-04-25", subject="resolution"), "CSEC", "2024-04-25")
    c.add(
        "Approved", approved("P10", "P10.8", "remove_lapsed", "2024-05-20", at_c=False), "ODL", "2024-05-20"
    )


def p10_removed(c: Case) -> None:
    """P10 自行脱党除名 two years after 停止党籍, the member still unreachable."""
    p10_still_unreachable(c, CAO)
    p10_approved(c, p10_resolved(c))
    c.add("Announced", {"ref": ref("P10", "P10.9"), "scope": "party_members"}, "SEC", "2024-05-24")
