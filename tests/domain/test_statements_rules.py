"""Body-only rules of organisation, campaign, member-data, search and investigation statements."""

from __future__ import annotations

from typing import Any

import pytest

from domain.statements import MEMBER_FIELDS, validate_body
from domain.statements.examples import ID_NUMBER, UNIT_B1, UNIT_D, WU_FANG, ZHENG_QIANG
from tests.domain.test_statements import HASH, accepted, example, problems, refused_at


def with_(type_name: str, **changes: Any) -> dict[str, Any]:
    """The example of ``type_name`` with keys changed (``None`` deletes a key)."""
    body = example(type_name)
    for key, value in changes.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body


# --- §2.1 organisation, corrections ------------------------------------------------------------------


def test_an_org_department_needs_an_admin_level_and_may_be_the_top() -> None:
    department = {"name": "安河县委组织部", "kind": "org_department", "live_from": "2021-01-01"}
    refused_at("UnitRegistered", department, "body.admin_level")
    accepted("UnitRegistered", {**department, "admin_level": "county"})
    refused_at("UnitRegistered", {**department, "admin_level": "township"}, "body.admin_level")


def test_only_an_org_department_has_an_admin_level_and_others_need_a_parent() -> None:
    refused_at("UnitRegistered", with_("UnitRegistered", admin_level="county"), "body.admin_level")
    refused_at("UnitRegistered", with_("UnitRegistered", parent=None), "body.parent")
    refused_at("UnitRegistered", with_("UnitRegistered", kind="party_group"), "body.kind")
    refused_at("UnitRegistered", with_("UnitRegistered", org_category=10), "body.org_category")
    refused_at("UnitRegistered", with_("UnitRegistered", org_category=True), "body.org_category")


@pytest.mark.parametrize("roles", [[], ["SEC", "SEC"], ["SECRETARY"]])
def test_an_actor_has_distinct_known_roles(roles: list[str]) -> None:
    refused_at(
        "ActorRegistered",
        with_("ActorRegistered", roles=roles),
        "body.roles" + ("[0]" if roles == ["SECRETARY"] else ""),
    )


def test_an_actor_standing_is_full_probationary_or_none() -> None:
    accepted("ActorRegistered", with_("ActorRegistered", standing="none", member=None))
    refused_at("ActorRegistered", with_("ActorRegistered", standing="member"), "body.standing")


@pytest.mark.parametrize(
    "extra",
    [{}, {"replacement": {"note": "新"}, "withdrawn": True}, {"withdrawn": False}],
)
def test_a_correction_has_exactly_one_of_replacement_and_withdrawn(extra: dict[str, Any]) -> None:
    body = {"corrects": HASH, "reason": "录入错误", **extra}
    assert problems("Corrected", body)
    accepted("Corrected", {"corrects": HASH, "reason": "录入错误", "replacement": {"note": "新"}})


def test_attestation_capacity_is_searcher_or_witness() -> None:
    refused_at("Attested", with_("Attested", capacity="signer"), "body.capacity")


# --- §2.2 campaign --------------------------------------------------------------------------------------


def phases(*spans: tuple[str, str, str]) -> list[dict[str, str]]:
    return [{"phase": p, "start": s, "end": e} for p, s, e in spans]


def test_campaign_phases_follow_the_order_of_003() -> None:
    body = with_(
        "ReviewCampaignOpened",
        phases=phases(
            ("central_review", "2017-03-01", "2017-03-31"), ("study_deploy", "2017-04-01", "2017-04-30")
        ),
    )
    refused_at("ReviewCampaignOpened", body, "body.phases[1].phase")
    body["phases"] = phases(
        ("central_review", "2017-03-01", "2017-03-31"), ("central_review", "2017-04-01", "2017-04-30")
    )
    refused_at("ReviewCampaignOpened", body, "body.phases[1].phase")


def test_campaign_phases_do_not_overlap() -> None:
    body = with_(
        "ReviewCampaignOpened",
        phases=phases(
            ("study_deploy", "2017-02-06", "2017-03-01"), ("central_review", "2017-03-01", "2017-03-31")
        ),
    )
    refused_at("ReviewCampaignOpened", body, "body.phases[1].start")


def test_a_phase_does_not_end_before_it_starts() -> None:
    body = with_("ReviewCampaignOpened", phases=phases(("central_review", "2017-03-31", "2017-03-01")))
    refused_at("ReviewCampaignOpened", body, "body.phases[0].end")


def test_the_review_ends_with_the_central_review_phase() -> None:
    refused_at(
        "ReviewCampaignOpened", with_("ReviewCampaignOpened", review_end="2017-04-30"), "body.review_end"
    )
    body = with_("ReviewCampaignOpened", phases=phases(("study_deploy", "2017-02-06", "2017-02-28")))
    refused_at("ReviewCampaignOpened", body, "body.phases")
    refused_at("ReviewCampaignOpened", with_("ReviewCampaignOpened", phases=[]), "body.phases")
    accepted(
        "ReviewCampaignOpened",
        with_(
            "ReviewCampaignOpened",
            phases=phases(("central_review", "2017-03-01", "2017-03-31")),
            scope_unit=UNIT_D,
        ),
    )


def test_campaign_ids_are_short_slugs() -> None:
    refused_at(
        "ReviewCampaignOpened", with_("ReviewCampaignOpened", campaign_id="安河 2017"), "body.campaign_id"
    )


# --- §2.2 member registration -----------------------------------------------------------------------


def test_full_on_is_required_exactly_for_full_members() -> None:
    refused_at("MemberRegistered", with_("MemberRegistered", full_on=None), "body.full_on")
    refused_at("MemberRegistered", with_("MemberRegistered", member_type="probationary"), "body.full_on")
    accepted("MemberRegistered", with_("MemberRegistered", member_type="probationary", full_on=None))
    refused_at("MemberRegistered", with_("MemberRegistered", full_on="2006-05-19"), "body.full_on")


def test_the_id_number_is_checked_and_agrees_with_birth_date_and_sex() -> None:
    bad = ID_NUMBER[:17] + ("4" if ID_NUMBER[17] != "4" else "5")
    assert (
        "check character"
        in refused_at("MemberRegistered", with_("MemberRegistered", id_number=bad), "body.id_number")[
            "message"
        ]
    )
    refused_at("MemberRegistered", with_("MemberRegistered", birth_date="1985-03-13"), "body.birth_date")
    refused_at("MemberRegistered", with_("MemberRegistered", sex="female"), "body.sex")
    accepted(
        "MemberRegistered", with_("MemberRegistered", id_number=None, birth_date="1985-03-13", sex="female")
    )


def test_joining_comes_after_birth() -> None:
    refused_at(
        "MemberRegistered",
        with_("MemberRegistered", birth_date="2006-05-20", id_number=None),
        "body.joined_on",
    )


def test_registration_needs_only_name_type_joining_date_and_home() -> None:
    minimal = {"name": "陈晨", "joined_on": "2010-07-01", "home": UNIT_B1, "member_type": "probationary"}
    accepted("MemberRegistered", minimal)
    for key in minimal:
        refused_at("MemberRegistered", {k: v for k, v in minimal.items() if k != key}, f"body.{key}")


def test_special_statuses_retained_suspended_deceased_exclude_each_other() -> None:
    body = with_("MemberRegistered", special_status=["religion", "retained", "deceased"])
    refused_at("MemberRegistered", body, "body.special_status")
    accepted("MemberRegistered", with_("MemberRegistered", special_status=["pocket", "religion", "retained"]))
    refused_at(
        "MemberRegistered",
        with_("MemberRegistered", special_status=["pocket", "pocket"]),
        "body.special_status",
    )


@pytest.mark.parametrize(
    ("key", "value", "path"),
    [
        ("marital_status", "widowed", "body.marital_status"),
        ("unit_category", 3, "body.unit_category"),
        ("circumstances", ["poor"], "body.circumstances[0]"),
        ("mobility", {}, "body.mobility.destination"),
        ("in_service", {"community": ""}, "body.in_service.community"),
        ("monthly_dues_fen", 15.0, "body.monthly_dues_fen"),
        ("monthly_dues_fen", -1, "body.monthly_dues_fen"),
        ("opinions", [{"level": "branch"}, {"level": "branch"}], "body.opinions[1].level"),
        ("opinions", [{"level": "county"}], "body.opinions[0].level"),
    ],
)
def test_registration_codes_and_sub_objects(key: str, value: Any, path: str) -> None:
    refused_at("MemberRegistered", with_("MemberRegistered", **{key: value}), path)


def test_member_fields_name_the_34_printed_fields() -> None:
    assert sorted(MEMBER_FIELDS) == list(range(1, 35))
    body = example("MemberRegistered")
    model = validate_body("MemberRegistered", body)
    assert {key for key, _ in MEMBER_FIELDS.values()} <= set(type(model).model_fields)
    assert MEMBER_FIELDS[6] == ("id_number", "身份证号码")


# --- §2.2 member data -----------------------------------------------------------------------------------


def corrected(field: int, **extra: Any) -> dict[str, Any]:
    return {"field": field, "verification": "corrected", "source": "核对档案", **extra}


def test_a_correction_carries_a_new_value_of_the_field_type() -> None:
    refused_at("MemberDataCorrected", corrected(5), "body.new_value")
    refused_at("MemberDataCorrected", corrected(5, new_value="1985-02-30"), "body.new_value")
    refused_at("MemberDataCorrected", corrected(6, new_value="34082119850312001x"), "body.new_value")
    refused_at("MemberDataCorrected", corrected(27, new_value={"place": "杭州"}), "body.new_value.place")
    refused_at("MemberDataCorrected", corrected(1, new_value=None), "body.new_value")
    accepted("MemberDataCorrected", corrected(7, new_value=None))
    accepted("MemberDataCorrected", corrected(11, new_value="divorced", old_value="married"))


def test_verified_and_flagged_entries_carry_no_new_value() -> None:
    body = {"field": 3, "verification": "verified", "source": "身份证", "new_value": "汉族"}
    refused_at("MemberDataCorrected", body, "body.new_value")
    accepted(
        "MemberDataCorrected", {"field": 3, "verification": "flagged_incomplete", "source": "本人未提供"}
    )


@pytest.mark.parametrize("field", [20, 24])
def test_home_branch_and_member_type_are_not_changed_by_data_correction(field: int) -> None:
    refused_at("MemberDataCorrected", corrected(field, new_value="probationary"), "body.field")
    accepted("MemberDataCorrected", {"field": field, "verification": "verified", "source": "档案"})


@pytest.mark.parametrize("field", [0, 35, True])
def test_field_numbers_are_1_to_34(field: Any) -> None:
    refused_at("MemberDataCorrected", corrected(field, new_value="x"), "body.field")


def test_opinion_fields_hold_the_opinion_of_their_level() -> None:
    accepted(
        "MemberDataCorrected", corrected(32, new_value={"level": "general_branch", "signer_name": "杜鹏"})
    )
    refused_at("MemberDataCorrected", corrected(32, new_value={"level": "branch"}), "body.new_value.level")


def test_dues_period_and_amount_belong_to_dues_only() -> None:
    refused_at("ParticipationRecorded", {"kind": "org_life", "period": "2024-03"}, "body.period")
    refused_at("ParticipationRecorded", {"kind": "assigned_work", "amount_fen": 100}, "body.amount_fen")
    accepted("ParticipationRecorded", {"kind": "org_life"})
    refused_at("ParticipationRecorded", {"kind": "meeting"}, "body.kind")


def test_an_absence_is_settled_only_abroad_and_returns_after_leaving() -> None:
    refused_at("AbsenceRecorded", with_("AbsenceRecorded", settled=False), "body.settled")
    accepted("AbsenceRecorded", with_("AbsenceRecorded", abroad=True, settled=True, purpose="residence"))
    refused_at(
        "AbsenceRecorded", with_("AbsenceRecorded", expected_return="2024-01-09"), "body.expected_return"
    )
    refused_at(
        "AbsenceRecorded",
        with_("AbsenceRecorded", four_clear={"nature": "forever"}),
        "body.four_clear.nature",
    )


# --- §2.3 case opening and search -----------------------------------------------------------------------


def test_cause_7_needs_remarks() -> None:
    refused_at("LostContactConfirmed", with_("LostContactConfirmed", cause=7), "body.cause_remarks")
    accepted(
        "LostContactConfirmed", with_("LostContactConfirmed", cause=7, cause_remarks="服刑期间未告知党组织")
    )


@pytest.mark.parametrize(
    ("key", "value"),
    [("cause", 8), ("cause", 0), ("cause", 1.0), ("cause", "1"), ("occupation", 9), ("org_category", True)],
)
def test_numbered_codes_are_exact_integers_in_range(key: str, value: Any) -> None:
    refused_at("LostContactConfirmed", with_("LostContactConfirmed", **{key: value}), f"body.{key}")


def test_last_contact_is_the_later_of_org_life_and_dues() -> None:
    refused_at(
        "LostContactConfirmed",
        with_("LostContactConfirmed", last_contact_date="2023-12-20"),
        "body.last_contact_date",
    )
    refused_at(
        "LostContactConfirmed",
        with_("LostContactConfirmed", last_contact_date="2024-01-06"),
        "body.last_contact_date",
    )
    one = with_("LostContactConfirmed", last_dues_date=None, last_contact_date="2023-12-19")
    refused_at("LostContactConfirmed", one, "body.last_contact_date")
    accepted(
        "LostContactConfirmed",
        with_("LostContactConfirmed", last_dues_date=None, last_contact_date="2024-02-01"),
    )
    accepted(
        "LostContactConfirmed", with_("LostContactConfirmed", last_dues_date=None, last_org_life_date=None)
    )


def test_a_pocket_check_follows_the_transfer() -> None:
    body = with_("PocketMemberFlagged", checked_with_receiver_on="2024-01-31")
    refused_at("PocketMemberFlagged", body, "body.checked_with_receiver_on")


def test_searchers_are_actors_one_at_least_and_the_two_member_rule_is_a_guard() -> None:
    refused_at("SearchAttemptRecorded", with_("SearchAttemptRecorded", searchers=[]), "body.searchers")
    accepted("SearchAttemptRecorded", with_("SearchAttemptRecorded", searchers=[WU_FANG]))
    accepted("SearchAttemptRecorded", with_("SearchAttemptRecorded", searchers=[WU_FANG, WU_FANG]))
    named = with_("SearchAttemptRecorded", searchers=[ZHENG_QIANG, {"name": "何立"}])
    assert "补录" in refused_at("SearchAttemptRecorded", named, "body.searchers[1]")["message"]
    refused_at("SearchAttemptRecorded", with_("SearchAttemptRecorded", attempt_no=0), "body.attempt_no")


@pytest.mark.parametrize(
    ("key", "value"), [("method", "internet"), ("result", "found"), ("follow_up_on", "2024-9-20")]
)
def test_search_codes(key: str, value: str) -> None:
    refused_at("SearchAttemptRecorded", with_("SearchAttemptRecorded", **{key: value}), f"body.{key}")


def test_contact_through_a_search_names_the_attempt() -> None:
    refused_at("ContactRestored", with_("ContactRestored", attempt=None), "body.attempt")
    refused_at("ContactRestored", with_("ContactRestored", via="member_initiative"), "body.attempt")
    accepted("ContactRestored", with_("ContactRestored", via="third_party", attempt=None, abroad=None))
    abroad = {**example("ContactRestored")["abroad"], "expected_return": "2023-08-31"}
    refused_at("ContactRestored", with_("ContactRestored", abroad=abroad), "body.abroad.expected_return")
    refused_at(
        "ContactRestored", with_("ContactRestored", abroad={"country_region": "英国"}), "body.abroad.settled"
    )


def test_uncontactable_confirmation_lists_attempts_and_proposes_a_suspension_or_cancellation() -> None:
    refused_at("UncontactableConfirmed", with_("UncontactableConfirmed", attempts=[]), "body.attempts")
    refused_at(
        "UncontactableConfirmed", with_("UncontactableConfirmed", proposed="remove_lapsed"), "body.proposed"
    )
    accepted("UncontactableConfirmed", with_("UncontactableConfirmed", cmeeting=None))
    meeting = {"date": "2024-11-25", "members_total": 5, "members_present": 5}
    refused_at(
        "UncontactableConfirmed",
        with_("UncontactableConfirmed", cmeeting=meeting),
        "body.cmeeting.members_for",
    )


def test_death_source_is_a_code() -> None:
    refused_at("DeathConfirmed", with_("DeathConfirmed", source="rumour"), "body.source")


# --- §2.4 investigation ---------------------------------------------------------------------------------


def test_unqualified_conduct_needs_criteria_and_only_it_has_them() -> None:
    refused_at("ConductInvestigated", with_("ConductInvestigated", criteria=None), "body.criteria")
    refused_at("ConductInvestigated", with_("ConductInvestigated", criteria=[]), "body.criteria")
    refused_at("ConductInvestigated", with_("ConductInvestigated", finding="no_issue"), "body.criteria")
    accepted("ConductInvestigated", with_("ConductInvestigated", finding="no_issue", criteria=None))
    refused_at(
        "ConductInvestigated", with_("ConductInvestigated", criteria=["理想信念缺失"]), "body.criteria[0]"
    )


def test_findings_fit_the_check() -> None:
    refused_at(
        "ConductInvestigated",
        with_("ConductInvestigated", finding="no_reply", criteria=None),
        "body.answered_on",
    )
    accepted(
        "ConductInvestigated",
        with_("ConductInvestigated", finding="no_reply", criteria=None, answered_on=None),
    )
    body = with_("ConductInvestigated", finding="file_defect", criteria=None)
    refused_at("ConductInvestigated", body, "body.finding")
    accepted("ConductInvestigated", {**body, "check": "file_check"})
    refused_at(
        "ConductInvestigated", with_("ConductInvestigated", answered_on="2025-01-07"), "body.answered_on"
    )


def test_talks_name_talkers_and_attitudes() -> None:
    refused_at("TalkHeld", with_("TalkHeld", talkers=[]), "body.talkers")
    refused_at("TalkHeld", with_("TalkHeld", attitude=None), "body.attitude")
    accepted("TalkHeld", with_("TalkHeld", kind="departure", attitude=[]))
    refused_at("TalkHeld", with_("TalkHeld", attitude=["happy"]), "body.attitude[0]")


def test_referrals_cite_findings_and_sanctions_are_codes() -> None:
    refused_at("ViolationReferred", with_("ViolationReferred", findings=[]), "body.findings")
    refused_at("ViolationReferred", with_("ViolationReferred", to="court"), "body.to")
    refused_at("DisciplineRecorded", with_("DisciplineRecorded", sanction="dismissal"), "body.sanction")
