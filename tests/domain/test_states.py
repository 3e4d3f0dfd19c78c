"""The member state machine tables (§3.1, §3.2)."""

from __future__ import annotations

import re

from domain.procedures import PROCEDURES, find_step
from domain.settings import DomainSettings
from domain.states import (
    ALLOWANCES,
    CASE_FAMILY_PATHS,
    NON_TERMINAL,
    STATES,
    TRANSITIONS,
    MemberState,
    StateClass,
    allowances_for,
    transitions,
)

S = MemberState
STEP_ID = re.compile(r"^P[0-9A-Z]+\.")


def test_every_state_has_a_chinese_label_and_a_class() -> None:
    assert set(STATES) == set(MemberState)
    assert S.CORRECTING.label == "限期改正中"
    assert all(re.search(r"[\u4e00-\u9fff]", s.label) for s in MemberState)


def test_terminal_states_are_those_of_section_3_1() -> None:
    terminal = {s for s in MemberState if s.terminal}
    assert terminal == {
        S.REMOVED_ADVISED, S.REMOVED_LAPSED, S.REMOVED_WITHDRAWN, S.PROBATION_CANCELLED,
        S.NOT_RECOGNISED, S.EXPELLED, S.DECEASED, S.TRANSFERRED_OUT,
    }  # fmt: skip
    assert S.SUSPENDED_ABROAD.state_class is StateClass.CLOSED
    assert S.SUSPENDED_ABROAD not in NON_TERMINAL
    assert {S.NORMAL, S.RETAINED} == {s for s in MemberState if s.state_class is StateClass.ORDINARY}


def test_transitions_t1_to_t31_are_all_there() -> None:
    assert {t.no for t in TRANSITIONS} == {f"T{n}" for n in range(1, 32)}


def test_step_triggers_name_existing_steps() -> None:
    for t in TRANSITIONS:
        if STEP_ID.match(t.trigger):
            find_step(t.trigger)


def test_every_effect_step_of_a_disposition_moves_the_state() -> None:
    triggers = {t.trigger for t in TRANSITIONS}
    for procedure in PROCEDURES.values():
        for step in procedure.effect_steps:
            assert step.id in triggers, step.id


def test_no_transition_leaves_a_terminal_state_except_revocation() -> None:
    for t in TRANSITIONS:
        if t.trigger != "DispositionRevoked":
            assert not any(s.terminal for s in t.sources), t.no


def test_direct_lapse_row_exists_only_under_its_setting() -> None:
    lost = [t for t in transitions(DomainSettings()) if t.trigger == "P10.8"]
    assert [t.sources for t in lost] == [frozenset({S.SUSPENDED_UNCONTACTABLE})]
    direct = [
        t for t in transitions(DomainSettings(direct_lapse_removal_allowed=True)) if t.trigger == "P10.8"
    ]
    assert len(direct) == 2
    assert len(allowances_for("P10", DomainSettings())) == 1
    assert len(allowances_for("P10", DomainSettings(direct_lapse_removal_allowed=True))) == 2


def test_every_path_and_step_in_the_allowance_table_exists() -> None:
    paths = {a for row in ALLOWANCES for a in row.names if a in PROCEDURES}
    assert paths == {"P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9", "P10", "P11", "PR", "PX", "PN"}
    for row in ALLOWANCES:
        for name in row.names:
            if STEP_ID.match(name):
                find_step(name)
    assert set(PROCEDURES) >= CASE_FAMILY_PATHS


def test_restoration_needs_the_suspended_flag() -> None:
    (row,) = allowances_for("PR", DomainSettings())
    assert row.flag == "suspended"
    assert row.states == frozenset({S.CONTACTED})


def test_terminal_states_allow_only_completion_correction_appeal_and_look_back() -> None:
    allowed = {name for row in ALLOWANCES if S.REMOVED_LAPSED in row.states for name in row.names}
    assert allowed == {
        "EducationSupportRecorded", "AppealLodged", "AppealReviewed", "AppealAnswered", "LookBackReviewed",
        "LookBackRectified", "DispositionRevoked", "MaterialAttached", "Corrected", "Attested",
        "HistoricalRecordEntered", "PathWithdrawn",
    }  # fmt: skip
