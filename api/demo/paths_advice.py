"""Stories of 劝退 (P5) of a member who did not change within the 限期改正 (罗平, 贺军): the member accepts and is
removed, or refuses and the meeting removes him; written with the §7 scenario dates, `Case.shift` moves them.
The phases are public so the §7 scenario tests walk the same steps and check the state between them."""

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
)
from api.demo.case import Case, MemberStream, doc
from api.demo.paths_correction import not_changed_after_correction


def p51(on: str = "2024-10-08", ground: str = "no_change_after_correction") -> dict[str, Any]:
    """P5.1: advise withdrawal, on one ground."""
    return {**opinion("P5", "P5.1", "advise_withdrawal", on), "grounds": [ground]}


def through_p55(c: MemberStream) -> str:
    """P5.1 … P5.5 (the meeting resolves to advise withdrawal, 2024-11-08); the resolution's hash."""
    c.add("CommitteeOpinionGiven", p51(), "SEC", "2024-10-08")
    c.add("PreReviewed", review("P5", "P5.2", "2024-10-15"), "CSEC", "2024-10-15")
    c.add("PreReviewed", d_review("P5", "P5.3"), "ODL", "2024-10-29")
    c.add("GuidanceAttended", guidance("P5", "P5.4", "2024-11-08"), "CST", "2024-11-08")
    return c.add("GeneralMeetingResolved", meeting("P5", "P5.5", "advise_withdrawal"), "SEC", "2024-11-08")


def p5_advised(c: MemberStream, resolution: str) -> None:
    """P5.6 (the member refuses to sign), P5.7, P5.8 approved by the county department, P5.9 劝退."""
    c.add("SignatureRefusalNoted", refusal_note("P5", "P5.6", resolution, "refused"), "SEC", "2024-11-09")
    c.add("Reviewed", review("P5", "P5.7", "2024-11-14", subject="resolution"), "CSEC", "2024-11-14")
    c.add(
        "Approved", approved("P5", "P5.8", "advise_withdrawal", "2024-11-26", at_c=False), "ODL", "2024-11-26"
    )
    advice = {"ref": ref("P5", "P5.9"), "answer_due": "2024-12-29", "channel": "in_person"}
    c.add("WithdrawalAdvised", advice, "SEC", "2024-11-29")


def advised(c: MemberStream) -> None:
    """限期改正 without change, then P5 up to 劝退 (P5.9)."""
    not_changed_after_correction(c)
    p5_advised(c, through_p55(c))


def p5_accepted(c: MemberStream) -> str:
    """P5.10: the member accepts the advice (2024-12-20); its hash."""
    answer = {"ref": ref("P5", "P5.10"), "answer": "accepts", "statement": doc("退党声明")}
    return c.add("WithdrawalAdviceAnswered", answer, "SEC", "2024-12-20")


def p5_cared_for(c: MemberStream, answer: str) -> None:
    """P5.15 the member notified, then the organisation keeps caring for them."""
    c.add("MemberNotified", notified("P5", "P5.15", answer), "SEC", "2024-12-22")
    c.add("EducationSupportRecorded", {"measure": "care", "summary": "继续关心"}, "BCM", "2025-01-10")


def p5_accepts(c: Case) -> None:
    """P5 劝退: the member accepts and is removed; the organisation keeps caring for them."""
    advised(c)
    p5_cared_for(c, p5_accepted(c))


def p5_refused(c: MemberStream) -> None:
    """P5.10: the member refuses (2024-12-20)."""
    c.add("WithdrawalAdviceAnswered", {"ref": ref("P5", "P5.10"), "answer": "refuses"}, "SEC", "2024-12-20")


def p5_removed_after_refusal(c: MemberStream) -> None:
    """P5.11a … P5.14: the meeting removes the member (2025-01-10), the county department approves."""
    c.add("GuidanceAttended", guidance("P5", "P5.11a", "2025-01-10"), "CST", "2025-01-10")
    res = c.add("GeneralMeetingResolved", meeting("P5", "P5.11", "remove_after_refusal"), "SEC", "2025-01-10")
    c.add("SignatureRefusalNoted", refusal_note("P5", "P5.12", res, "refused"), "SEC", "2025-01-11")
    c.add("Reviewed", review("P5", "P5.13", "2025-01-16", subject="resolution"), "CSEC", "2025-01-16")
    removal = approved("P5", "P5.14", "remove_after_refusal", "2025-01-24", at_c=False)
    c.add("Approved", removal, "ODL", "2025-01-24")


def p5_refuses(c: Case) -> None:
    """P5 劝而不退除名: the member refuses; the meeting removes, the county department approves."""
    advised(c)
    p5_refused(c)
    p5_removed_after_refusal(c)
