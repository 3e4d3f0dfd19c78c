"""Every guard of §5.2 (1–49) refuses at least one statement: one minimal failing example per code.

Each example builds the smallest story the §7 builders allow and returns the refusal codes of the last
statement; the guard's code must come first (it is the refusal the API would return).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from domain.guards.table import GUARDS
from tests.domain import test_engine_membership as ms
from tests.domain import test_engine_p2_p3 as p23
from tests.domain import test_engine_p5_p8 as p58
from tests.domain import test_engine_paths as paths
from tests.domain.engine_steps import (
    approved,
    attempt,
    attempt_body,
    confirm,
    contact,
    inv_ok,
    meeting,
    opinion,
    ref,
    refusal_note,
    register,
    review,
    signed,
    talk,
)
from tests.domain.engine_world import Member, U, doc
from tests.domain.test_engine_history import historical
from tests.domain.test_engine_p0 import zhao_lei

Example = Callable[[], list[str]]
P11_BODY = opinion("P1", "P1.1", "normal_management", "2024-05-10")
REG = {
    "name": "阎磊",
    "member_type": "full",
    "joined_on": "2000-01-01",
    "full_on": "2001-01-01",
    "home": U["B1"],
}


def lost(name: str = "赵磊") -> Member:
    m = Member(name)
    register(m)
    confirm(m, "2024-09-05", last="2024-01-05")
    return m


def with_p11() -> Member:
    m = paths.chen_chen()
    m.add("CommitteeOpinionGiven", P11_BODY, "周明", "2024-05-10")
    return m


def absence_listed_early() -> list[str]:
    m = zhao_lei()
    absence = {"departed_on": "2024-01-10", "reported_to_branch": False, "abroad": False}
    h = m.add("AbsenceRecorded", absence, "吴芳", "2024-01-20")
    return m.try_("OutOfControlListed", {"absence": h}, "周明", "2024-02-10")


def vote(e: int, p: int, f: int, a: int, s: int) -> list[str]:
    m = paths.huang_hai_before_meeting()
    v = {"eligible_voters": e, "present_voters": p, "votes_for": f, "votes_against": a, "abstentions": s}
    body = meeting("P4", "P4.4", "correct_within_limit", v, correction_months=6)
    return m.try_("GeneralMeetingResolved", body, "周明", "2025-02-14")


def p4_resolved(sign: bool = True, guide: bool = True) -> tuple[Member, str]:
    m = paths.huang_hai_at_p41()
    m.add("PreReviewed", review("P4", "P4.2", "2025-02-05"), "孙波", "2025-02-05")
    if guide:
        m.add(
            "GuidanceAttended", {"ref": ref("P4", "P4.3"), "meeting_date": "2025-02-14"}, "李静", "2025-02-14"
        )
    body = meeting("P4", "P4.4", "correct_within_limit", correction_months=6)
    res = m.add("GeneralMeetingResolved", body, "周明", "2025-02-14")
    if sign:
        m.add("MemberSigned", signed("P4", "P4.5", res), "周明", "2025-02-15")
    return m, res


P46 = approved("P4", "P4.6", "correct_within_limit", "2025-02-26", correction_months=6)


def not_passed() -> list[str]:
    m = paths.huang_hai_before_meeting()
    v = {"eligible_voters": 25, "present_voters": 20, "votes_for": 12, "votes_against": 6, "abstentions": 2}
    body = meeting("P4", "P4.4", "correct_within_limit", v, "not_passed", correction_months=6)
    m.add("GeneralMeetingResolved", body, "周明", "2025-02-14")
    return m.try_("Approved", P46, "孙波", "2025-02-26")


def pending_answer() -> list[str]:
    m = p58.advised("贺军")
    return m.try_(
        "GeneralMeetingResolved", meeting("P5", "P5.11", "remove_after_refusal"), "周明", "2024-12-15"
    )


def period_end_off_by_a_day() -> list[str]:
    m, _ = p4_resolved()
    m.add("Approved", P46, "孙波", "2025-02-26")
    period = {"ref": ref("P4", "P4.9"), "start": "2025-03-01", "end": "2025-08-31", "months": 6}
    return m.try_("CorrectionPeriodSet", period, "周明", "2025-03-01")


def correction_not_ended() -> list[str]:
    m, _ = p4_resolved()
    m.add("Approved", P46, "孙波", "2025-02-26")
    period = {"ref": ref("P4", "P4.9"), "start": "2025-03-01", "end": "2025-09-01", "months": 6}
    m.add("CorrectionPeriodSet", period, "周明", "2025-03-01")
    ended = {"ref": ref("P4", "P4.11"), "result": "corrected", "opinion": "已改正",
             "cmeeting": {"date": "2025-09-05", "members_total": 5, "members_present": 5, "members_for": 5}}  # fmt: skip
    return m.try_("CorrectionPeriodEnded", ended, "周明", "2025-09-05")


def suspended_contacted() -> Member:
    m = ms.suspended("袁媛", ms.YUAN)
    contact(m, "2023-06-05")
    return m


def restoration_late() -> list[str]:
    return suspended_contacted().try_("RestorationApplied", ms.APPLICATION, "吴芳", "2023-06-05")


def needs_restoration() -> list[str]:
    m = suspended_contacted()
    inv_ok(m, "2023-06-05")
    talk(m, "education", ["recognises_problem", "willing_to_participate"], "2023-06-05")
    return m.try_("CommitteeOpinionGiven", opinion("P1", "P1.1", "normal_management", "2023-06-06"), "周明",
                  "2023-06-06")  # fmt: skip


def under_two_years() -> list[str]:
    body = opinion("P10", "P10.1", "remove_lapsed", "2024-03-14", member_unreachable=True)
    return paths.cao_yu().try_("CommitteeOpinionGiven", body, "周明", "2024-03-14")


def public_announcement() -> list[str]:
    m, _ = p58.removed_lapsed_xie_jun()
    return m.try_("Announced", {"ref": ref("P6", "P6.10"), "scope": "public"}, "周明", "2024-04-28")


def invalidating_correction() -> list[str]:
    m = Member("黄海")
    p58.through_p4_approval(m, p58.HUANG)
    p44 = next(e for e in m.file.entries if e.ref == ("P4", "P4.4"))
    fix = {**p44.body, "vote": {**p44.body["vote"], "votes_for": 12}}
    return m.try_(
        "Corrected", {"corrects": p44.hash, "reason": "更正", "replacement": fix}, "周明", "2025-03-02"
    )


def not_permitted_correction() -> list[str]:
    m = with_p11()
    p11 = m.file.entries[-1]
    body = {"corrects": p11.hash, "reason": "更正", "replacement": dict(p11.body)}
    return m.try_("Corrected", body, "钱丽", "2024-05-11")


def bad_appeal() -> list[str]:
    m, removal = p58.removed_lapsed_xie_jun()
    answer = {"appeal": removal, "channel": "letter", "summary": "答复", "answer": doc("答复书")}
    return m.try_("AppealAnswered", answer, "蒋华", "2024-07-25")


def revoke_without_basis() -> list[str]:
    m = Member("黄海")
    approval = p58.through_p4_approval(m, p58.HUANG)
    p42 = next(e.hash for e in m.file.entries if e.ref == ("P4", "P4.2"))
    return m.try_(
        "DispositionRevoked", {"target": approval, "basis": p42, "reasons": "纠正"}, "孙波", "2025-03-10"
    )


def lookback_on_attempt() -> list[str]:
    m = lost()
    a1 = attempt(m, 1, "direct", "2024-09-20")
    yes = {"answer": "yes"}
    review_ = {"target": a1, "deviations": [], "conclusion": "upheld",
               "answers": dict.fromkeys(("facts_clear", "reasons_sufficient", "disposition_appropriate",
                                         "formalities_complete"), yes)}  # fmt: skip
    return m.try_("LookBackReviewed", review_, "冯涛", "2025-03-10")


EXAMPLES: dict[str, Example] = {
    "member-not-registered": lambda: Member("空").try_(
        "ContactRestored", {"via": "member_initiative", "whereabouts": "本地"}, "吴芳", "2024-05-01"),
    "historical-not-allowed": lambda: historical(Member("阎磊"), "MemberRegistered", REG, "2021-03-01"),
    "historical-source-missing": lambda: historical(Member("阎磊"), "MemberRegistered", REG, "2016-03-01",
                                                    sources=[]),
    "future-date": lambda: zhao_lei().try_(
        "ParticipationRecorded", {"kind": "dues", "period": "2025-03"}, "吴芳", "2025-03-03", recorded="2025-03-01"),
    "wrong-role": lambda: zhao_lei().try_(
        "LostContactConfirmed", {"last_contact_date": "2024-01-05", "cause": 1, "org_category": 7,
                                 "reference_date": "2024-09-05"}, "吴芳", "2024-09-05"),
    "unit-dissolved": lambda: Member("余静").try_(
        "MemberRegistered", {"name": "余静", "member_type": "full", "joined_on": "2010-01-01",
                             "full_on": "2011-01-01", "home": U["B2"]}, "邱林", "2023-07-01"),
    "wrong-level": lambda: lost().try_(
        "SearchAttemptRecorded", attempt_body(1, "direct", ["许文", "杜鹏"]), "许文", "2024-09-20"),
    "approval-level": lambda: with_p11().try_(
        "Approved", approved("P1", "P1.3", "normal_management", "2024-05-20", at_c=False), "陈刚", "2024-05-20"),
    "case-not-open": lambda: zhao_lei().try_(
        "SearchAttemptRecorded", attempt_body(1, "direct", ["吴芳", "郑强"]), "吴芳", "2024-02-20"),
    "step-not-allowed": lambda: lost().try_(
        "MobileCertificateIssued", {"certificate_no": "流动001", "valid_until": "2025-06-03",
                                    "destination": "苏州", "check_every_months": 12}, "周明", "2024-09-10"),
    "unknown-step": lambda: with_p11().try_(
        "Approved", approved("P1", "P1.7", "normal_management", "2024-05-20"), "孙波", "2024-05-20"),
    "path-already-active": lambda: with_p11().try_(
        "CommitteeOpinionGiven", opinion("P4", "P4.1", "correct_within_limit", "2024-05-11",
                                         correction_months=6), "周明", "2024-05-11"),
    "step-already-done": lambda: with_p11().try_("CommitteeOpinionGiven", P11_BODY, "周明", "2024-05-11"),
    "full-member-only": lambda: p58_full_only(),
    "probationary-only": lambda: paths.chen_chen().try_(
        "CommitteeOpinionGiven", {**opinion("P8", "P8.1", "cancel_probation", "2024-05-10"),
                                  "grounds": ["ignores_membership"]}, "周明", "2024-05-10"),
    "out-of-control-too-early": absence_listed_early,
    "under-six-months": lambda: zhao_lei().try_(
        "LostContactConfirmed", {"last_contact_date": "2024-06-05", "cause": 1, "org_category": 7,
                                 "reference_date": "2024-09-05"}, "周明", "2024-09-05"),
    "search-needs-two-full-member-signers": lambda: lost().try_(
        "SearchAttemptRecorded", attempt_body(1, "direct", ["吴芳", "钱丽"]), "吴芳", "2024-09-20"),
    "attestation-invalid": lambda: attested_twice(),
    "search-insufficient": lambda: lost().try_(
        "UncontactableConfirmed", {"cmeeting": {"date": "2024-10-20", "members_total": 5, "members_present": 5,
                                                "members_for": 5}, "attempts": ["0" * 64], "opinion": "无法联系",
                                   "proposed": "suspend_uncontactable"}, "周明", "2024-10-20"),
    "investigation-incomplete": lambda: paths.chen_chen(skip="police_check").try_(
        "CommitteeOpinionGiven", P11_BODY, "周明", "2024-05-10"),
    "violation-not-referred": lambda: violation_open(),
    "misconduct-found": lambda: p58.xie_jun().try_(
        "CommitteeOpinionGiven", opinion("P1", "P1.1", "normal_management", "2024-02-26"), "周明", "2024-02-26"),
    "suspended-needs-restoration": needs_restoration,
    "ground-not-established": lambda: paths.chen_chen().try_(
        "CommitteeOpinionGiven", {**opinion("P6", "P6.1", "remove_lapsed", "2024-05-10"),
                                  "grounds": ["lost_ideals"]}, "周明", "2024-05-10"),
    "abroad-below-threshold": lambda: p23.lin_na().try_("CommitteeOpinionGiven", p23.p21(planned_months=0), "周明",
                                                        "2024-04-10"),
    "pre-review-not-agreed": lambda: paths.huang_hai_at_p41().try_(
        "GeneralMeetingResolved", meeting("P4", "P4.4", "correct_within_limit", correction_months=6), "周明",
        "2025-02-14"),
    "quorum-not-met": lambda: vote(25, 12, 11, 0, 1),
    "vote-arithmetic": lambda: vote(25, 20, 12, 6, 3),
    "outcome-mismatch": lambda: paths.huang_hai_before_meeting().try_(
        "GeneralMeetingResolved", meeting("P4", "P4.4", "advise_withdrawal"), "周明", "2025-02-14"),
    "resolution-not-passed": not_passed,
    "guidance-missing": lambda: p4_resolved(guide=False)[0].try_("Approved", P46, "孙波", "2025-02-26"),
    "member-signature-missing": lambda: p4_resolved(sign=False)[0].try_("Approved", P46, "孙波", "2025-02-26"),
    "signature-excuse-not-allowed": lambda: excuse_other(),
    "answer-pending": pending_answer,
    "correction-period-invalid": lambda: period_end_off_by_a_day(),
    "correction-not-ended": correction_not_ended,
    "extension-too-long": lambda: ms.wei_feng().try_("CommitteeOpinionGiven", ms.px1("2024-10-15", 14), "周明",
                                                     "2024-10-15"),
    "suspension-under-two-years": under_two_years,
    "restoration-after-two-years": restoration_late,
    "materials-missing": lambda: with_p11().try_(
        "Approved", approved("P1", "P1.3", "normal_management", "2024-05-20"), "孙波", "2024-05-20"),
    "date-before-prerequisite": lambda: date_before(),
    "step-out-of-order": lambda: p23.ma_chao().try_(
        "Approved", approved("P3", "P3.3", "suspend_abroad", "2024-05-28"), "孙波", "2024-05-28"),
    "announcement-public": public_announcement,
    "correction-not-permitted": not_permitted_correction,
    "correction-invalidates-history": invalidating_correction,
    "appeal-invalid": bad_appeal,
    "remedy-without-basis": revoke_without_basis,
    "lookback-target-invalid": lookback_on_attempt,
}  # fmt: skip
"""One failing example per guard code."""


def p58_full_only() -> list[str]:
    m = Member("刘洋")
    register(m, member_type="probationary", joined="2023-05-10")
    confirm(m, "2024-03-01", last="2023-08-20")
    contact(m, "2024-11-05")
    body = {**opinion("P6", "P6.1", "remove_lapsed", "2024-11-06"), "grounds": ["lost_ideals"]}
    return m.try_("CommitteeOpinionGiven", body, "周明", "2024-11-06")


def attested_twice() -> list[str]:
    m = lost()
    a1 = attempt(m, 1, "direct", "2024-09-20")
    return m.try_("Attested", {"attests": a1, "capacity": "searcher"}, "郑强", "2024-09-21")


def violation_open() -> list[str]:
    m = paths.chen_chen()
    m.add("ConductInvestigated", {"check": "police_check", "asked_on": "2024-05-07", "finding": "violation_suspected",
                                  "summary": "线索"}, "吴芳", "2024-05-07")  # fmt: skip
    return m.try_("CommitteeOpinionGiven", P11_BODY, "周明", "2024-05-10")


def excuse_other() -> list[str]:
    m, res = p4_resolved(sign=False)
    return m.try_("SignatureRefusalNoted", refusal_note("P4", "P4.5", res, "other"), "周明", "2025-02-15")


def date_before() -> list[str]:
    m = with_p11()
    for form in ("recognition-form", "signed-application", "writeup"):
        m.add("MaterialAttached", {"doc": doc(form), "form": form}, "吴芳", "2024-05-12")
    return m.try_("Approved", approved("P1", "P1.3", "normal_management", "2024-05-08"), "孙波", "2024-05-08")


def test_every_guard_has_a_failing_example() -> None:
    assert sorted(EXAMPLES) == sorted(g.code for g in GUARDS.values())
    assert len(EXAMPLES) == 49


@pytest.mark.parametrize(
    "code", sorted(EXAMPLES, key=lambda c: next(n for n, g in GUARDS.items() if g.code == c))
)
def test_guard_refuses_its_minimal_example(code: str) -> None:
    refused = EXAMPLES[code]()
    assert refused and refused[0] == code, refused
