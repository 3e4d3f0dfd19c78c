"""Body-only rules of procedure steps, path acts, transfers, appeals, look-back and materials."""

from __future__ import annotations

from typing import Any

import pytest

from domain.statements.examples import LI_JING, UNIT_B4
from tests.domain.test_statements import HASH, accepted, example, problems, refused_at
from tests.domain.test_statements_rules import with_


def opinion(path: str, proposed: str, grounds: list[str], **extra: Any) -> dict[str, Any]:
    step = f"{path}.1"
    return {
        "ref": {"path": path, "step": step},
        "proposed": proposed,
        "grounds": grounds,
        "opinion": "意见",
        **extra,
    }


# --- §2.5 opinion, meeting, approval ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "proposed", "grounds"),
    [
        ("P5", "advise_withdrawal", ["threat"]),
        ("P5", "advise_withdrawal", ["no_change_after_correction"]),
        ("P6", "remove_lapsed", ["lost_ideals", "insists_withdrawal"]),
        ("P8", "cancel_probation", ["refuses_dues_arrears", "absent_from_org_life"]),
        ("P8", "cancel_probation", []),  # guard 25 reports the missing ground, not the schema
        ("P11", "cancel_probation", ["uncontactable"]),
        ("PN", "not_recognised", ["no_admission_papers"]),
        ("P9", "suspend_uncontactable", []),
        ("P1", "normal_management", []),
    ],
)
def test_opinions_name_an_outcome_and_grounds_of_their_path(
    path: str, proposed: str, grounds: list[str]
) -> None:
    accepted("CommitteeOpinionGiven", opinion(path, proposed, grounds))


def test_the_proposed_outcome_belongs_to_the_path() -> None:
    refused_at("CommitteeOpinionGiven", opinion("P6", "advise_withdrawal", []), "body.proposed")
    refused_at("CommitteeOpinionGiven", opinion("P0", "normal_management", []), "body.ref.path")
    refused_at("CommitteeOpinionGiven", opinion("P6", "expel", []), "body.proposed")


def test_grounds_are_those_of_the_path() -> None:
    refused_at(
        "CommitteeOpinionGiven", opinion("P5", "advise_withdrawal", ["lost_ideals"]), "body.grounds[0]"
    )
    refused_at(
        "CommitteeOpinionGiven", opinion("P9", "suspend_uncontactable", ["uncontactable"]), "body.grounds[0]"
    )
    refused_at(
        "CommitteeOpinionGiven", opinion("P5", "advise_withdrawal", ["threat", "threat"]), "body.grounds"
    )


def test_an_extension_of_probation_states_its_reasons_and_months() -> None:
    body = opinion("PX", "extend_probation", [], extension_months=8)
    refused_at("CommitteeOpinionGiven", body, "body.grounds")
    accepted("CommitteeOpinionGiven", {**body, "grounds": ["在外地务工期间仍坚持交纳党费，本人有改正意愿"]})
    refused_at(
        "CommitteeOpinionGiven",
        {**body, "extension_months": None, "grounds": ["理由"]},
        "body.extension_months",
    )
    # 14 months is guard 38 (extension-too-long), not schema
    accepted("CommitteeOpinionGiven", {**body, "extension_months": 14, "grounds": ["理由"]})


@pytest.mark.parametrize("type_name", ["CommitteeOpinionGiven", "GeneralMeetingResolved", "Approved"])
def test_correction_months_go_with_correct_within_limit_only(type_name: str) -> None:
    refused_at(type_name, with_(type_name, correction_months=None), "body.correction_months")
    refused_at(type_name, with_(type_name, extension_months=6), "body.extension_months")
    accepted(type_name, with_(type_name, correction_months=24))  # the range is guard 36


def test_months_are_refused_on_other_outcomes() -> None:
    body = with_("Approved", ref={"path": "P9", "step": "P9.3"}, outcome="suspend_uncontactable")
    refused_at("Approved", body, "body.correction_months")
    accepted("Approved", {**body, "correction_months": None})
    body = with_("GeneralMeetingResolved", resolution="extend_probation", correction_months=None)
    refused_at("GeneralMeetingResolved", body, "body.extension_months")


def test_vote_arithmetic_and_quorum_are_left_to_guards_28_and_29() -> None:
    vote = {
        "eligible_voters": 25,
        "present_voters": 20,
        "votes_for": 12,
        "votes_against": 6,
        "abstentions": 3,
    }
    accepted("GeneralMeetingResolved", with_("GeneralMeetingResolved", vote=vote))
    accepted("GeneralMeetingResolved", with_("GeneralMeetingResolved", vote={**vote, "eligible_voters": 0}))
    del vote["abstentions"]
    refused_at("GeneralMeetingResolved", with_("GeneralMeetingResolved", vote=vote), "body.vote.abstentions")


def test_meeting_codes_and_exclusions() -> None:
    refused_at("GeneralMeetingResolved", with_("GeneralMeetingResolved", outcome="adopted"), "body.outcome")
    refused_at(
        "GeneralMeetingResolved",
        with_("GeneralMeetingResolved", excluded=[{"reason": "出国"}]),
        "body.excluded[0].count",
    )
    refused_at("GeneralMeetingResolved", with_("GeneralMeetingResolved", minutes=None), "body.minutes")


def test_committee_decisions_carry_members_for() -> None:
    meeting = {"date": "2025-02-05", "members_total": 7, "members_present": 6}
    for type_name in ("PreReviewed", "Approved", "CorrectionPeriodEnded"):
        refused_at(type_name, with_(type_name, cmeeting=meeting), "body.cmeeting.members_for")
    accepted("PreReviewed", with_("PreReviewed", cmeeting=None))  # required at C only: a guard
    refused_at("CorrectionPeriodEnded", with_("CorrectionPeriodEnded", cmeeting=None), "body.cmeeting")


def test_a_review_carries_ref_except_for_the_search_record() -> None:
    refused_at("Reviewed", with_("Reviewed", ref={"path": "P0", "step": "P0.8"}), "body.ref")
    body = with_("Reviewed", subject="resolution")
    refused_at("Reviewed", body, "body.ref")
    accepted("Reviewed", {**body, "ref": {"path": "P5", "step": "P5.7"}})
    refused_at("Reviewed", with_("Reviewed", result="approve"), "body.result")


def test_signature_notes_use_the_excuse_codes() -> None:
    refused_at("SignatureRefusalNoted", with_("SignatureRefusalNoted", reason="absent"), "body.reason")
    accepted("SignatureRefusalNoted", with_("SignatureRefusalNoted", reason="refused"))  # per-path: guard 34
    refused_at("MemberSigned", with_("MemberSigned", scan=None), "body.scan")


def test_filing_documents_and_transferred_files() -> None:
    refused_at("Filed", with_("Filed", documents=[]), "body.documents")
    refused_at("Filed", with_("Filed", filed_kind="retention"), "body.files_transferred")
    accepted("Filed", with_("Filed", filed_kind="retention", files_transferred=None))


def test_notification_and_announcement_codes() -> None:
    refused_at("MemberNotified", with_("MemberNotified", channel="email"), "body.channel")
    accepted("Announced", with_("Announced", scope="public"))  # live use refused by guard 44
    refused_at("Announced", with_("Announced", scope="newspaper"), "body.scope")


# --- §2.6 path acts ---------------------------------------------------------------------------------------


def test_an_accepted_withdrawal_carries_the_written_statement() -> None:
    refused_at(
        "WithdrawalAdviceAnswered", with_("WithdrawalAdviceAnswered", statement=None), "body.statement"
    )
    body = with_("WithdrawalAdviceAnswered", answer="no_answer", ref={"path": "P5", "step": "P5.10"})
    refused_at("WithdrawalAdviceAnswered", body, "body.statement")
    accepted("WithdrawalAdviceAnswered", {**body, "statement": None})
    accepted("WithdrawalAdviceAnswered", with_("WithdrawalAdviceAnswered", answer="refuses"))


def test_correction_period_dates_are_left_to_guard_36() -> None:
    accepted("CorrectionPeriodSet", with_("CorrectionPeriodSet", end="2025-08-31"))
    refused_at("CorrectionPeriodSet", with_("CorrectionPeriodSet", months=6.0), "body.months")
    refused_at("CorrectionPeriodEnded", with_("CorrectionPeriodEnded", result="improved"), "body.result")


def test_education_support_measures() -> None:
    refused_at("EducationSupportRecorded", with_("EducationSupportRecorded", measure="fine"), "body.measure")
    refused_at("EducationSupportRecorded", with_("EducationSupportRecorded", partner="郑强"), "body.partner")
    accepted("EducationSupportRecorded", with_("EducationSupportRecorded", partner=None))


# --- §2.7 transfers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("type_name", ["RelationTransferred", "TransferReissued"])
def test_a_letter_goes_either_inside_or_outside(type_name: str) -> None:
    refused_at(type_name, with_(type_name, to_org="杭州市某社区党委"), "body.to_org")
    refused_at(type_name, with_(type_name, to_unit=None), "body.to_org")
    accepted(type_name, with_(type_name, to_unit=None, to_org="杭州市某社区党委"))


def test_a_transfer_has_its_four_things_clear() -> None:
    for key in ("nature", "mobile", "backup_contact"):
        four = {**example("RelationTransferred")["four_clear"]}
        del four[key]
        refused_at(
            "RelationTransferred", with_("RelationTransferred", four_clear=four), f"body.four_clear.{key}"
        )
    four = {**example("RelationTransferred")["four_clear"], "nature": "temporary"}
    refused_at("RelationTransferred", with_("RelationTransferred", four_clear=four), "body.four_clear.nature")
    four = {k: v for k, v in example("RelationTransferred")["four_clear"].items() if k != "wechat"}
    accepted("RelationTransferred", with_("RelationTransferred", four_clear=four))


def test_a_reissued_letter_has_a_new_number_and_a_verified_identity() -> None:
    refused_at(
        "TransferReissued", with_("TransferReissued", letter_no="安河组转〔2024〕015号"), "body.letter_no"
    )
    check = {"by": LI_JING, "on": "2024-05-18"}
    refused_at(
        "TransferReissued", with_("TransferReissued", identity_verified=check), "body.identity_verified.basis"
    )
    refused_at("TransferReissued", with_("TransferReissued", reason="moved"), "body.reason")


def test_certificates_are_checked_every_few_months() -> None:
    refused_at(
        "MobileCertificateIssued",
        with_("MobileCertificateIssued", check_every_months=0),
        "body.check_every_months",
    )
    accepted(
        "RelationReceived",
        {"letter_no": "x", "receipt": {"sha256": HASH, "media_type": "image/jpeg", "title": "回执"}},
    )
    refused_at("RelationTransferred", with_("RelationTransferred", to_unit=UNIT_B4.upper()), "body.to_unit")


# --- §2.8 appeals, look-back, materials -------------------------------------------------------------------


def test_appeal_codes() -> None:
    refused_at("AppealReviewed", with_("AppealReviewed", kind="retrial"), "body.kind")
    refused_at("AppealReviewed", with_("AppealReviewed", decision="amend"), "body.decision")
    refused_at("AppealAnswered", with_("AppealAnswered", answer=None), "body.answer")


def test_a_no_answer_gives_reasons() -> None:
    body = example("LookBackReviewed")
    body["answers"]["formalities_complete"] = {"answer": "no"}
    refused_at("LookBackReviewed", body, "body.answers.formalities_complete.reasons")
    body["answers"]["facts_clear"] = {"answer": "maybe"}
    refused_at("LookBackReviewed", body, "body.answers.facts_clear.answer")
    del body["answers"]["reasons_sufficient"]
    refused_at("LookBackReviewed", body, "body.answers.reasons_sufficient")


def test_a_rectification_has_a_due_date_and_something_to_rectify() -> None:
    refused_at("LookBackReviewed", with_("LookBackReviewed", due=None), "body.due")
    refused_at("LookBackReviewed", with_("LookBackReviewed", conclusion="upheld"), "body.due")
    accepted("LookBackReviewed", with_("LookBackReviewed", conclusion="upheld", due=None))
    accepted("LookBackReviewed", with_("LookBackReviewed", conclusion="revoke", due=None))
    refused_at("LookBackReviewed", with_("LookBackReviewed", deviations=[]), "body.deviations")


def test_deviations_name_a_code_and_optionally_a_step_or_material() -> None:
    deviation = {"code": "materials-missing", "material": "disposal-form", "note": "缺审批表"}
    accepted("LookBackReviewed", with_("LookBackReviewed", deviations=[deviation]))
    for key, value in (("code", "Step Missing"), ("step", "P3-4"), ("material", "审批表")):
        body = with_("LookBackReviewed", deviations=[{**deviation, key: value}])
        refused_at("LookBackReviewed", body, f"body.deviations[0].{key}")


def test_a_rectification_lists_remedies_and_resolved_codes() -> None:
    refused_at("LookBackRectified", with_("LookBackRectified", remedies=[]), "body.remedies")
    refused_at("LookBackRectified", with_("LookBackRectified", resolved=[]), "body.resolved")


def test_materials_are_codes_of_section_2_10() -> None:
    refused_at("MaterialAttached", with_("MaterialAttached", form="审批表"), "body.form")
    refused_at("MaterialAttached", with_("MaterialAttached", path="P12"), "body.path")
    refused_at("MaterialAttached", with_("MaterialAttached", pages=0), "body.pages")
    assert problems("MaterialAttached", with_("MaterialAttached", supplements=HASH)) == []
