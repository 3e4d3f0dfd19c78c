"""The §4 procedure tables: structure, references, levels, materials and outcomes."""

from __future__ import annotations

import pytest

from domain import codes
from domain.levels import Level
from domain.procedures import ANY, PROCEDURES, MemberScope, Procedure, Step, find_step, steps_for
from domain.settings import DomainSettings
from domain.statements import BODY_MODELS, PATH_STATEMENTS
from domain.statements.vocab import PATH_OUTCOMES
from domain.states import ALLOWANCES, CASE_FAMILY_STATEMENTS, TRANSITIONS

DISPOSITIONS = ("P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9", "P10", "P11", "PR", "PX", "PN")
CASE_LEVEL = {s.id for p in PROCEDURES.values() for s in p.steps if s.case_level}
MATERIALS_2_10 = {
    "recognition-form", "signed-application", "writeup", "abroad-form", "disposal-form",
    "withdrawal-application", "registration-form", "search-record", "suspension-register",
    "branch-resolution", "committee-resolution", "suspension-approval", "restoration-application", "other",
}  # fmt: skip
ROLES_1_3 = {"SEC", "BCM", "BST", "GBS", "CSEC", "CMEM", "CST", "ODL", "ODS", "REV", "APH", "INS", "ADM"}
GUARD_8 = {
    **dict.fromkeys(("P1", "P2", "P3", "P4", "P8", "P9", "P11", "PX"), Level.C),
    **dict.fromkeys(("P5", "P6", "P10", "PR"), Level.D),
    "PN": Level.D_PLUS,
}
SETTINGS_VARIANTS = (
    DomainSettings(),
    DomainSettings(p3_general_meeting_required=False, direct_lapse_removal_allowed=True),
    DomainSettings(p10_requires_search_during_suspension=False, general_branch_review_required=True),
    DomainSettings(guidance_required_paths=("P4", "P5", "P6", "P10", "P8", "P9", "P11")),
)


def all_steps() -> list[tuple[Procedure, Step]]:
    return [(p, s) for p in PROCEDURES.values() for s in p.steps]


def test_every_path_of_section_4_is_a_table_in_page_order() -> None:
    assert tuple(PROCEDURES) == ("P0", *DISPOSITIONS, "PT", "PM", "PA", "PL", "PH")


def test_step_ids_are_unique_and_prefixed_by_their_path() -> None:
    ids = [s.id for _, s in all_steps()]
    assert len(ids) == len(set(ids))
    for p, s in all_steps():
        assert s.id.split(".")[0] == p.id
        assert find_step(s.id) is s


@pytest.mark.parametrize("settings", SETTINGS_VARIANTS)
def test_every_pre_names_a_step_of_the_same_path_or_a_case_level_step(settings: DomainSettings) -> None:
    for path in PROCEDURES:
        own = {s.id for s in steps_for(path, settings)}
        for s in steps_for(path, settings):
            for pre_step in s.pre_steps:
                assert pre_step in own or pre_step in CASE_LEVEL, (s.id, pre_step)
                assert pre_step != s.id


def test_pre_steps_stand_earlier_in_the_table_except_guidance() -> None:
    for p in PROCEDURES.values():
        order = [s.id for s in p.steps]
        for s in p.steps:
            for pre_step in s.pre_steps:
                if pre_step in order:
                    assert order.index(pre_step) < order.index(s.id), (s.id, pre_step)


@pytest.mark.parametrize("path", DISPOSITIONS)
def test_every_disposition_has_an_effect_step(path: str) -> None:
    assert PROCEDURES[path].effect_steps


@pytest.mark.parametrize("path", DISPOSITIONS)
def test_approving_level_follows_guard_8(path: str) -> None:
    procedure = PROCEDURES[path]
    assert procedure.approving_level is GUARD_8.get(path)
    approvals = [s for s in procedure.steps if "Approved" in s.statements]
    assert bool(approvals) == (path in GUARD_8)
    decider = {Level.C: ("CSEC",), Level.D: ("ODL",), Level.D_PLUS: ("ODL",)}
    for s in approvals:
        assert s.levels == (procedure.approving_level,), s.id
        assert s.signers[0].roles == decider[s.level], s.id


def test_effect_steps_are_approvals_at_the_approving_level_except_the_member_and_meeting_acts() -> None:
    not_approvals = {"P5.10", "P7.1"}
    for path in DISPOSITIONS:
        procedure = PROCEDURES[path]
        for s in procedure.effect_steps:
            if s.id in not_approvals:
                continue
            assert s.statements == ("Approved",), s.id
            assert s.level is procedure.approving_level, s.id
    assert find_step("P7.1").level is Level.B_GM
    assert find_step("P5.10").result == "accepts"


def test_side_procedures_have_no_effect_step_and_no_ref() -> None:
    for path in ("P0", "PT", "PM", "PA", "PL", "PH"):
        assert not PROCEDURES[path].effect_steps
        assert not PROCEDURES[path].uses_ref
    assert all(PROCEDURES[path].uses_ref for path in DISPOSITIONS)


def test_every_material_code_is_a_code_of_section_2_10() -> None:
    used = {m.code for _, s in all_steps() for m in s.materials}
    assert used <= MATERIALS_2_10
    assert set(codes.lookup("material").codes) == MATERIALS_2_10
    for _, s in all_steps():
        for m in s.materials:
            assert m.with_step is None or m.with_step in {x.id for x in PROCEDURES[s.id.split(".")[0]].steps}


def test_materials_follow_the_000_chart_at_the_effect_step() -> None:
    expected = {
        "P1.3": {"recognition-form", "signed-application", "writeup"},
        "P7.1": {"withdrawal-application", "registration-form"},
        "P9.3": {"search-record", "suspension-register", "writeup", "branch-resolution"},
        "P10.8": {"search-record", "suspension-approval", "disposal-form", "writeup"},
        "P11.3": {"search-record", "writeup"},
    }
    for step_id, materials in expected.items():
        assert {m.code for m in find_step(step_id).materials} == materials


def test_roles_and_levels_are_those_of_section_1() -> None:
    assert set(codes.ROLE.codes) == ROLES_1_3
    for _, s in all_steps():
        for signer in s.signers:
            assert signer.roles, s.id
            assert set(signer.roles) <= ROLES_1_3 | {ANY}, s.id


def test_committee_and_meeting_acts_are_signed_by_the_secretary_for_the_body() -> None:
    for _, s in all_steps():
        if s.level in (Level.B_CM, Level.B_GM):
            assert s.signers[0].roles == ("SEC",), s.id


def test_outcomes_match_the_statement_vocabulary() -> None:
    for path in DISPOSITIONS:
        procedure = PROCEDURES[path]
        assert set(procedure.outcomes) == PATH_OUTCOMES[path]
        for s in procedure.steps:
            assert s.outcome is None or s.outcome in procedure.outcomes


def test_opinion_resolution_and_approval_steps_fix_their_outcome() -> None:
    deciding = {"CommitteeOpinionGiven", "GeneralMeetingResolved", "Approved"}
    for _, s in all_steps():
        if deciding & set(s.statements):
            assert s.outcome is not None, s.id


def test_procedure_names_match_the_path_code_list() -> None:
    for path, procedure in PROCEDURES.items():
        assert codes.label("path", path) == procedure.name_zh


def test_member_type_scope_follows_guards_14_and_15() -> None:
    full = {"P3", "P4", "P5", "P6", "P9", "P10", "PR"}
    probationary = {"P8", "P11", "PX"}
    for path, procedure in PROCEDURES.items():
        expected = MemberScope.FULL if path in full else MemberScope.BOTH
        expected = MemberScope.PROBATIONARY if path in probationary else expected
        assert procedure.applies_to is expected, path


def test_first_path_statement_of_every_disposition_carries_guard_22() -> None:
    for path in DISPOSITIONS:
        first = next(s for s in PROCEDURES[path].steps if not s.case_level)
        assert 22 in first.guards, first.id


def test_c_reviews_of_the_branchs_act_are_skipped_when_b_is_c() -> None:
    skipped = {s.id for _, s in all_steps() if s.skip_when_b_is_c}
    assert skipped == {"P0.8", "P4.2", "P5.2", "P6.2", "P10.2"}


def test_an_optional_gb_review_precedes_every_c_decision_of_a_path() -> None:
    for path in DISPOSITIONS:
        steps = PROCEDURES[path].steps
        for i, s in enumerate(steps):
            if s.signers[0].level is Level.C and s.statements[0] in {"PreReviewed", "Reviewed", "Approved"}:
                review = next(g for g in steps if g.gb_for == s.id)
                assert review.optional and review.level is Level.GB and review.statements == ("Reviewed",)
                assert steps.index(review) < i
    assert find_step("P1.2").gb_for == "P1.3"
    assert find_step("P5.13g").fixed["subject"] == "resolution"
    assert find_step("P4.2g").fixed["subject"] == "proposal"


def test_guidance_precedes_the_post_meeting_c_step_of_guard_32() -> None:
    expected = {"P4.6": "P4.3", "P5.7": "P5.4", "P5.13": "P5.11a", "P6.7": "P6.4", "P10.7": "P10.4"}
    for path in DISPOSITIONS:
        for s in steps_for(path, DomainSettings()):
            if 32 in s.guards:
                guide = expected.pop(s.id)
                assert guide in s.pre_steps
                assert find_step(guide).statements == ("GuidanceAttended",)
                assert find_step(guide).level is Level.C_REP
    assert expected == {}


def test_signature_steps_allow_the_excuses_of_c5() -> None:
    assert find_step("P4.5").choices["reason"] == ("refused", "illness")
    assert find_step("P5.6").choices["reason"] == ("refused", "illness", "other")
    assert find_step("P6.6").choices["reason"] == ("refused", "illness", "other")
    assert find_step("P10.6").choices["reason"] == ("unreachable",)


def test_removal_requires_org_department_approval() -> None:
    for step_id in ("P5.8", "P5.14", "P6.8", "P10.8", "PR.3"):
        assert find_step(step_id).level is Level.D
    assert find_step("PN.3").level is Level.D_PLUS


def test_unreachable_member_removed_only_after_search_during_suspension() -> None:
    p10_1 = find_step("P10.1")
    assert "P10.0" in p10_1.pre_steps
    assert {20, 39} <= set(p10_1.guards)
    assert find_step("P10.0").statements == ("SearchAttemptRecorded", "Attested")


def test_every_statement_type_named_in_the_tables_has_a_body_model() -> None:
    known = set(BODY_MODELS) | {"KeyEnrolled", "KeyRevoked"}
    named = {t for _, s in all_steps() for t in s.statements if t != ANY}
    named |= {t.trigger for t in TRANSITIONS if t.trigger not in PROCEDURES and "." not in t.trigger}
    named |= {n for row in ALLOWANCES for n in row.names if n not in PROCEDURES and "." not in n}
    assert named | CASE_FAMILY_STATEMENTS <= known


def test_path_steps_are_exactly_the_statements_that_carry_ref() -> None:
    for procedure, s in all_steps():
        carries_ref = procedure.uses_ref and not s.case_level
        for statement in set(s.statements) - {ANY}:
            # P0.8: `Reviewed` carries `ref` except for a search record (§2.5).
            assert carries_ref == (statement in PATH_STATEMENTS) or s.id == "P0.8", (s.id, statement)
