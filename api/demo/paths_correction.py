"""Stories of 限期改正 (P4): corrected in time (黄海), or without change (罗平, who goes on to P5 in
`paths_advice`), written with their §7 scenario dates; `Case.shift` moves them. The phases are public so the
§7 scenario tests walk the same steps and check the state between them."""

from __future__ import annotations

from api.demo.bodies import B_MEETING, approved, guidance, meeting, notified, opinion, ref, review, signed
from api.demo.case import Case, MemberStream
from api.demo.steps import attach, confirm, contact, investigate, register, talk

HUANG = {"last": "2023-01-01", "confirm": "2024-06-10", "contact": "2025-01-06", "inv": "2025-01-15",
         "talk": "2025-01-15", "attach": "2025-01-15", "p41": "2025-01-20", "p42": "2025-02-05",
         "p44": "2025-02-14", "p45": "2025-02-14", "p46": "2025-02-26"}  # fmt: skip
"""黄海's dates: 认定失联, contact, 调查核实, talk, materials, then each step of P4 up to the approval."""
LUO = {"last": "2023-01-01", "confirm": "2023-09-01", "contact": "2024-01-10", "inv": "2024-01-20",
       "talk": "2024-01-20", "attach": "2024-01-20", "p41": "2024-02-01", "p42": "2024-02-10",
       "p44": "2024-03-01", "p45": "2024-03-01", "p46": "2024-03-20"}  # fmt: skip
"""罗平's dates, as `HUANG`."""
P4_MATERIALS = ("writeup", "disposal-form")


def p4_talked(c: MemberStream, d: dict[str, str]) -> None:
    """Found again; the employer reports lax discipline, the other sources nothing; a verification talk."""
    register(c, "2021-02-01")
    confirm(c, d["confirm"], last=d["last"])
    contact(c, d["contact"])
    investigate(c, "employer_letter", d["inv"], finding="unqualified_conduct", criteria=["discipline_lax"])
    for check in ("self_statement", "discipline_check", "police_check"):
        investigate(c, check, d["inv"])
    talk(c, "verification", ["wants_to_stay", "willing_to_correct"], d["talk"])


def p4_proposed(c: MemberStream, d: dict[str, str]) -> None:
    """The materials, then P4.1: six months to correct."""
    p4_talked(c, d)
    attach(c, *P4_MATERIALS, on=d["attach"])
    p41 = opinion("P4", "P4.1", "correct_within_limit", d["p41"], correction_months=6)
    c.add("CommitteeOpinionGiven", p41, "SEC", d["p41"])


def p4_before_meeting(c: MemberStream, d: dict[str, str]) -> None:
    """Up to P4.2, the committee's pre-review, and P4.3, its guidance of the meeting."""
    p4_proposed(c, d)
    c.add("PreReviewed", review("P4", "P4.2", d["p42"]), "CSEC", d["p42"])
    c.add("GuidanceAttended", guidance("P4", "P4.3", d["p44"]), "CST", d["p44"])


def through_p4_approval(c: MemberStream, d: dict[str, str]) -> str:
    """P4.1 … P4.6 (限期改正 approved by the committee); the hash of P4.6."""
    p4_before_meeting(c, d)
    res = c.add("GeneralMeetingResolved", meeting("P4", "P4.4", "correct_within_limit", correction_months=6),
                "SEC", d["p44"])  # fmt: skip
    c.add("MemberSigned", signed("P4", "P4.5", res), "SEC", d["p45"])
    body = approved("P4", "P4.6", "correct_within_limit", d["p46"], correction_months=6)
    return c.add("Approved", body, "CSEC", d["p46"])


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


def not_changed_after_correction(c: MemberStream) -> None:
    """罗平: P4 approved 2024-03-20, six months from 2024-03-25 with pairing support, no change (2024-09-30)."""
    through_p4_approval(c, LUO)
    period = {"ref": ref("P4", "P4.9"), "start": "2024-03-25", "end": "2024-09-25", "months": 6}
    c.add("CorrectionPeriodSet", period, "SEC", "2024-03-25")
    c.add("EducationSupportRecorded", {"measure": "pairing", "summary": "结对帮扶"}, "SEC", "2024-05-10")
    ended = {"ref": ref("P4", "P4.11"), "result": "not_changed", "opinion": "仍无转变",
             "cmeeting": {"date": "2024-09-30", **B_MEETING}}  # fmt: skip
    c.add("CorrectionPeriodEnded", ended, "SEC", "2024-09-30")
