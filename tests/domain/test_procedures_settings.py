"""Settings that switch steps on and off (procedures.md §5.5, applied by `steps_for`)."""

from __future__ import annotations

import pytest

from domain.procedures import PROCEDURES, Step, steps_for
from domain.settings import DomainSettings


def by_id(path: str, settings: DomainSettings) -> dict[str, Step]:
    return {s.id: s for s in steps_for(path, settings)}


def test_p3_general_meeting_on_by_default() -> None:
    steps = by_id("P3", DomainSettings())
    assert "P3.2" in steps
    assert steps["P3.3"].pre_steps == ("P3.2",)
    assert steps["P3.3"].pre[0].any_of[0].results == ("passed",)
    assert "branch-resolution" in {m.code for m in steps["P3.3"].materials}


def test_p3_general_meeting_off_removes_the_meeting_step() -> None:
    steps = by_id("P3", DomainSettings(p3_general_meeting_required=False))
    assert "P3.2" not in steps
    assert steps["P3.3"].pre_steps == ("P3.1",)
    assert "branch-resolution" not in {m.code for m in steps["P3.3"].materials}
    assert steps["P3.3g"].pre_steps == ("P3.1",)


def test_direct_lapse_removal_drops_the_suspension_requirements() -> None:
    steps = by_id("P10", DomainSettings(direct_lapse_removal_allowed=True))
    assert "P10.0" not in steps
    assert steps["P10.1"].pre_steps == ("P0.8",)
    assert steps["P10.1"].pre[0].any_of[0].results == ("agree",)
    assert 39 not in steps["P10.1"].guards
    assert 20 in steps["P10.1"].guards
    assert "suspension-approval" not in {m.code for m in steps["P10.8"].materials}


def test_no_search_during_suspension_keeps_the_search_step_optional_in_practice() -> None:
    steps = by_id("P10", DomainSettings(p10_requires_search_during_suspension=False))
    assert "P10.0" in steps
    assert "P10.0" not in steps["P10.1"].pre_steps
    assert 20 not in steps["P10.1"].guards
    assert 39 in steps["P10.1"].guards


def test_direct_lapse_keeps_guard_20_even_without_search_during_suspension() -> None:
    settings = DomainSettings(direct_lapse_removal_allowed=True, p10_requires_search_during_suspension=False)
    assert 20 in by_id("P10", settings)["P10.1"].guards


def test_general_branch_review_required_makes_every_gb_review_a_pre() -> None:
    settings = DomainSettings(general_branch_review_required=True)
    for path in PROCEDURES:
        steps = by_id(path, settings)
        for s in steps.values():
            if s.gb_for is not None:
                assert not s.optional
                assert s.id in steps[s.gb_for].pre_steps
    assert "P1.2" in by_id("P1", settings)["P1.3"].pre_steps
    assert "P1.2" not in by_id("P1", DomainSettings())["P1.3"].pre_steps


@pytest.mark.parametrize(("path", "guide", "approval"), [("P8", "P8.2a", "P8.3"), ("P9", "P9.2a", "P9.3")])
def test_guidance_required_paths_adds_the_guidance_step(path: str, guide: str, approval: str) -> None:
    default = by_id(path, DomainSettings())
    assert default[guide].optional
    assert guide not in default[approval].pre_steps
    assert 32 not in default[approval].guards
    extended = ("P4", "P5", "P6", "P10", path)
    steps = by_id(path, DomainSettings(guidance_required_paths=extended))
    assert not steps[guide].optional
    assert guide in steps[approval].pre_steps
    assert 32 in steps[approval].guards


def test_p4_signature_excuses_may_add_other() -> None:
    settings = DomainSettings(p4_signature_excuses=("refused", "illness", "other"))
    assert by_id("P4", settings)["P4.5"].choices["reason"] == ("refused", "illness", "other")


def test_steps_for_leaves_the_tables_unchanged() -> None:
    before = {path: p.steps for path, p in PROCEDURES.items()}
    steps_for("P3", DomainSettings(p3_general_meeting_required=False, general_branch_review_required=True))
    assert {path: p.steps for path, p in PROCEDURES.items()} == before


def test_unknown_path_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        steps_for("P12", DomainSettings())


def test_every_switch_reads_a_setting_that_exists() -> None:
    fields = set(DomainSettings.model_fields)
    for procedure in PROCEDURES.values():
        for switch in procedure.switches:
            for when in switch.when:
                assert when.setting in fields
            assert switch.describe().startswith("when ")


def test_every_switch_action_names_a_step_of_its_path() -> None:
    for procedure in PROCEDURES.values():
        ids = {s.id for s in procedure.steps}
        for switch in procedure.switches:
            for action in switch.actions:
                named = {getattr(action, attr) for attr in ("step", "before") if hasattr(action, attr)}
                assert named <= ids, (procedure.id, action)
