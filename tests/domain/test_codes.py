"""Code lists: aliases and lists agree, the numbered lists read as the seeds print them, lookups work."""

from __future__ import annotations

from typing import Any, get_args

import pytest

from domain import codes, fields
from domain.statements import CODE_LISTS, vocab, vocab_case, vocab_steps

# (Literal alias, code list) pairs: the alias types the bodies, the list labels the UI.
PAIRS: list[tuple[Any, codes.CodeList[Any]]] = [
    (codes.CauseCode, codes.CAUSE),
    (codes.OccupationCode, codes.OCCUPATION),
    (codes.OrgCategoryCode, codes.ORG_CATEGORY),
    (codes.Sex, codes.SEX),
    (codes.MaritalStatus, codes.MARITAL_STATUS),
    (codes.MemberType, codes.MEMBER_TYPE),
    (codes.UnitCategory, codes.UNIT_CATEGORY),
    (codes.Circumstance, codes.CIRCUMSTANCE),
    (codes.SpecialStatus, codes.SPECIAL_STATUS),
    (codes.UnitKind, codes.UNIT_KIND),
    (codes.AdminLevel, codes.ADMIN_LEVEL),
    (codes.Standing, codes.STANDING),
    (codes.Role, codes.ROLE),
    (vocab.Outcome, vocab.OUTCOME),
    (vocab.PathId, vocab.PATH),
    (fields.PathId, vocab.PATH),
    (vocab.Ground, vocab.GROUND),
    (vocab.Material, vocab.MATERIAL),
    (vocab_case.CampaignPhase, vocab_case.CAMPAIGN_PHASE),
    (vocab_case.Verification, vocab_case.VERIFICATION),
    (vocab_case.ParticipationKind, vocab_case.PARTICIPATION_KIND),
    (vocab_case.Purpose, vocab_case.PURPOSE),
    (vocab_case.TransferNature, vocab_case.TRANSFER_NATURE),
    (vocab_case.OpinionLevel, vocab_case.OPINION_LEVEL),
    (vocab_case.SearchMethod, vocab_case.SEARCH_METHOD),
    (vocab_case.SearchResult, vocab_case.SEARCH_RESULT),
    (vocab_case.AttestationCapacity, vocab_case.ATTESTATION_CAPACITY),
    (vocab_case.ContactVia, vocab_case.CONTACT_VIA),
    (vocab_case.DeathSource, vocab_case.DEATH_SOURCE),
    (vocab_case.CheckKind, vocab_case.CHECK_KIND),
    (vocab_case.Finding, vocab_case.FINDING),
    (vocab_case.Criterion, vocab_case.CRITERION),
    (vocab_case.TalkKind, vocab_case.TALK_KIND),
    (vocab_case.Attitude, vocab_case.ATTITUDE),
    (vocab_case.ReferralTarget, vocab_case.REFERRAL_TARGET),
    (vocab_case.Sanction, vocab_case.SANCTION),
    (vocab_steps.ReviewResult, vocab_steps.REVIEW_RESULT),
    (vocab_steps.ReviewSubject, vocab_steps.REVIEW_SUBJECT),
    (vocab_steps.MeetingOutcome, vocab_steps.MEETING_OUTCOME),
    (vocab_steps.SignatureExcuse, vocab_steps.SIGNATURE_EXCUSE),
    (vocab_steps.FiledKind, vocab_steps.FILED_KIND),
    (vocab_steps.Channel, vocab_steps.CHANNEL),
    (vocab_steps.AnnouncementScope, vocab_steps.ANNOUNCEMENT_SCOPE),
    (vocab_steps.EducationMeasure, vocab_steps.EDUCATION_MEASURE),
    (vocab_steps.CorrectionResult, vocab_steps.CORRECTION_RESULT),
    (vocab_steps.WithdrawalAnswer, vocab_steps.WITHDRAWAL_ANSWER),
    (vocab_steps.ReissueReason, vocab_steps.REISSUE_REASON),
    (vocab_steps.AppealKind, vocab_steps.APPEAL_KIND),
    (vocab_steps.AppealDecision, vocab_steps.APPEAL_DECISION),
    (vocab_steps.YesNo, vocab_steps.YES_NO),
    (vocab_steps.LookBackQuestion, vocab_steps.LOOKBACK_QUESTION),
    (vocab_steps.LookBackConclusion, vocab_steps.LOOKBACK_CONCLUSION),
]


@pytest.mark.parametrize(
    ("alias", "code_list"), PAIRS, ids=[f"{c.key}-{i}" for i, (_, c) in enumerate(PAIRS)]
)
def test_literal_alias_and_code_list_hold_the_same_codes_in_order(alias: Any, code_list: Any) -> None:
    assert get_args(alias) == code_list.codes


def test_every_registered_list_is_paired_with_an_alias() -> None:
    assert {c.key for _, c in PAIRS} == set(CODE_LISTS)


@pytest.mark.parametrize("key", sorted(CODE_LISTS))
def test_labels_are_chinese_and_distinct(key: str) -> None:
    code_list = CODE_LISTS[key]
    assert code_list.title
    labels = list(code_list.labels.values())
    assert len(set(labels)) == len(labels)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in labels), labels


# The lists as the seeds print them ([S002] notes 4-6, [S003] notes 2, 3, 5, 6), copied verbatim.
SEED_CAUSE = (
    "①外出务工经商；②单位改制或破产；③毕业后去向不明；④工作单位改变；⑤出国（境）；⑥居住地改变；"
    "⑦其他（具体原因在备注栏中注明）"
)
SEED_ORG_CATEGORY = (
    "①国有企业；②非公有制企业；③农村；④党政机关；⑤学校；⑥其他事业单位；⑦街道社区；⑧社会组织；⑨其他"
)
SEED_OCCUPATION_003 = (
    "①国有企业解除劳动关系人员；②非公有制企业离职人员；③农村外出务工经商人员；④机关事业单位离退休人员；"
    "⑤高校毕业生；⑥街道社区人户分离人员；⑦组织关系在人才中心人员；⑧其他"
)


@pytest.mark.parametrize(
    ("code_list", "printed"),
    [
        (codes.CAUSE, SEED_CAUSE),
        (codes.ORG_CATEGORY, SEED_ORG_CATEGORY),
        (codes.OCCUPATION, SEED_OCCUPATION_003),
    ],
)
def test_numbered_lists_print_exactly_as_the_seeds(code_list: codes.CodeList[int], printed: str) -> None:
    assert "；".join(code_list.display(code) for code in code_list) == printed
    assert code_list.codes == tuple(range(1, len(code_list.codes) + 1))


def test_cause_seven_is_other_with_remarks() -> None:
    assert codes.CAUSE_OTHER == 7
    assert "备注" in codes.CAUSE.label(7)


def test_unnumbered_lists_display_the_bare_label() -> None:
    assert codes.SEX.display("female") == "女"
    assert vocab.OUTCOME.display("remove_lapsed") == "自行脱党除名"


def test_lookup_and_label_reach_every_list() -> None:
    assert codes.label("cause", 5) == "出国（境）"
    assert codes.label("outcome", "correct_within_limit") == "限期改正"
    assert codes.label("material", "disposal-form") == "《处置不合格党员审批表》"
    assert codes.label("role", "CSEC") == "党委书记 / 副书记"
    assert codes.lookup("search_method") is vocab_case.SEARCH_METHOD
    with pytest.raises(KeyError):
        codes.lookup("no_such_list")
    with pytest.raises(KeyError):
        codes.label("cause", 8)


def test_a_list_key_cannot_be_defined_twice() -> None:
    with pytest.raises(ValueError, match="twice"):
        codes.CodeList("cause", "again", {1: "x"})


def test_lists_are_read_only() -> None:
    with pytest.raises(TypeError):
        codes.CAUSE.labels[8] = "新"  # type: ignore[index]
    assert 3 in codes.CAUSE and 8 not in codes.CAUSE


def test_roles_units_and_levels_of_section_1() -> None:
    assert set(codes.ROLE_UNIT_KINDS) == set(codes.ROLE.codes)
    for kinds in codes.ROLE_UNIT_KINDS.values():
        assert kinds and kinds <= set(codes.UNIT_KIND.codes)
    assert codes.ROLE_UNIT_KINDS["SEC"] == {"branch", "general_branch"}
    assert codes.ROLE_UNIT_KINDS["ADM"] == set(codes.UNIT_KIND.codes)
    assert set(codes.UNIT_PARENT_KINDS) == set(codes.UNIT_KIND.codes)
    assert codes.UNIT_PARENT_KINDS["branch"] == {"general_branch", "grassroots_committee"}
    ranks = [codes.ADMIN_LEVEL_RANK[level] for level in codes.ADMIN_LEVEL]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)


def test_every_outcome_belongs_to_a_path_and_grounds_are_known() -> None:
    assert set().union(*vocab.PATH_OUTCOMES.values()) == set(vocab.OUTCOME.codes)
    assert set(vocab.PATH_OUTCOMES) <= set(vocab.PATH.codes)
    assert set().union(*vocab.PATH_GROUNDS.values()) == set(vocab.GROUND.codes)
    assert set(get_args(vocab_case.UncontactableProposal)) <= set(vocab.OUTCOME.codes)
    assert vocab.PATH_OUTCOMES["P5"] == {"advise_withdrawal", "remove_after_refusal"}
    assert vocab.PATH_OUTCOMES["P10"] == vocab.PATH_OUTCOMES["P6"] == {"remove_lapsed"}


def test_registration_form_checkboxes_follow_the_printed_form() -> None:
    assert list(codes.MARITAL_STATUS.labels.values()) == ["未婚", "已婚", "离婚", "复婚"]
    assert list(codes.UNIT_CATEGORY.labels.values()) == [
        "农村", "社区", "机关", "事业单位", "国有企业", "非公有制企业", "社会组织", "其他",
    ]  # fmt: skip
    assert list(codes.SPECIAL_STATUS.labels.values()) == [
        "“口袋”党员", "参教信教党员", "保留组织关系", "停止党籍", "死亡",
    ]  # fmt: skip
    assert set(codes.SPECIAL_STATUS.codes) >= codes.EXCLUSIVE_SPECIAL_STATUSES
