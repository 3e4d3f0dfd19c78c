"""Levels relative to a member (§1.2) and the unit registration rules (§1.1)."""

from __future__ import annotations

from datetime import date

import pytest

from domain import codes
from domain.levels import (
    AdminLevel,
    Level,
    Unit,
    UnitKind,
    UnitTree,
    compute_levels,
    member_levels,
    registration_refusals,
)

K = UnitKind
T = date(2024, 6, 1)


def world(**dissolved: date) -> UnitTree:
    """江城市委组织部 ⊃ 安河县委组织部 ⊃ 城关镇党委 ⊃ 一总支 ⊃ 一支部; 二支部 directly under the committee."""
    units = {
        "city": Unit(K.ORG_DEPARTMENT, None, AdminLevel.PREFECTURE),
        "county": Unit(K.ORG_DEPARTMENT, "city", AdminLevel.COUNTY),
        "committee": Unit(K.GRASSROOTS_COMMITTEE, "county"),
        "gb": Unit(K.GENERAL_BRANCH, "committee"),
        "branch": Unit(K.BRANCH, "gb"),
        "branch2": Unit(K.BRANCH, "committee"),
    }
    for unit_id, on in dissolved.items():
        units[unit_id] = Unit(units[unit_id].kind, units[unit_id].parent, units[unit_id].admin_level, on)
    return UnitTree(units)


def test_levels_of_a_member_in_a_branch_under_a_general_branch() -> None:
    levels = member_levels(world(), "branch", T)
    assert (levels.b, levels.gb, levels.c, levels.d) == ("branch", "gb", "committee", "county")
    assert levels.d_plus == ("county", "city")
    assert not levels.b_is_c
    assert levels.units(Level.B_CM) == levels.units(Level.B_GM) == ("branch",)
    assert levels.units(Level.C_REP) == ("committee",)


def test_a_branch_directly_under_the_committee_has_no_gb() -> None:
    levels = member_levels(world(), "branch2", T)
    assert levels.gb is None
    assert levels.units(Level.GB) == ()


def test_dissolved_branch_hands_b_to_its_parent() -> None:
    levels = member_levels(world(branch=date(2024, 1, 1)), "branch", T)
    assert levels.b == "gb"
    assert levels.gb is None
    assert levels.c == "committee"


def test_dissolution_counts_from_its_date_on() -> None:
    tree = world(branch=T)
    assert member_levels(tree, "branch", date(2024, 5, 31)).b == "branch"
    assert member_levels(tree, "branch", T).b == "gb"


def test_remembered_levels_match_a_fresh_computation_on_every_day_around_each_dissolution() -> None:
    tree = world(branch=date(2024, 1, 1), gb=date(2024, 3, 1), branch2=date(2024, 3, 1))
    days = [date(2023, 12, 30), date(2023, 12, 31), date(2024, 1, 1), date(2024, 1, 2), date(2024, 2, 29),
            date(2024, 3, 1), date(2024, 3, 2), T]  # fmt: skip
    for home in ("branch", "branch2", "gb"):
        for day in [*days, *reversed(days)]:
            assert member_levels(tree, home, day) == compute_levels(tree, home, day), (home, day)
    assert member_levels(tree, "branch", date(2023, 12, 31)).b == "branch"
    assert member_levels(tree, "branch", date(2024, 1, 1)).b == "gb"
    assert member_levels(tree, "branch", date(2024, 3, 1)).b == "committee"


def test_committee_takes_over_when_branch_and_general_branch_are_gone() -> None:
    levels = member_levels(world(branch=date(2024, 1, 1), gb=date(2024, 1, 1)), "branch", T)
    assert levels.b == "committee" == levels.c
    assert levels.b_is_c


def test_acts_at_is_exact_except_d_plus() -> None:
    levels = member_levels(world(), "branch", T)
    assert levels.acts_at(Level.D, "county")
    assert not levels.acts_at(Level.D, "city")
    assert levels.acts_at(Level.D_PLUS, "city")
    assert not levels.acts_at(Level.C, "county")
    assert levels.units(Level.RECEIVING) == levels.units(Level.APPROVING) == ()


def test_nested_committees_c_is_the_nearest_and_d_is_above_the_top_one() -> None:
    units = dict(world().units)
    units["sub"] = Unit(K.GRASSROOTS_COMMITTEE, "committee")
    units["branch3"] = Unit(K.BRANCH, "sub")
    levels = member_levels(UnitTree(units), "branch3", T)
    assert (levels.c, levels.d) == ("sub", "county")


def test_unknown_home_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown home"):
        member_levels(world(), "nowhere", T)


def refusals(
    kind: UnitKind, parent: str | None, admin: AdminLevel | None = None, tree: UnitTree | None = None
) -> set[str]:
    return {r.key for r in registration_refusals(tree or world(), kind, parent, admin, T)}


def test_valid_registrations_are_accepted() -> None:
    assert refusals(K.BRANCH, "gb") == set()
    assert refusals(K.BRANCH, "committee") == set()
    assert refusals(K.GENERAL_BRANCH, "committee") == set()
    assert refusals(K.GRASSROOTS_COMMITTEE, "committee") == set()
    assert refusals(K.GRASSROOTS_COMMITTEE, "county") == set()
    assert refusals(K.ORG_DEPARTMENT, "city", AdminLevel.COUNTY) == set()
    assert refusals(K.ORG_DEPARTMENT, None, AdminLevel.PROVINCE) == set()


def test_unit_registered_refused_when_a_branch_has_no_committee_above() -> None:
    assert refusals(K.BRANCH, "county") == {"parent-kind", "no-committee-ancestor"}
    assert refusals(K.BRANCH, None) == {"parent-required", "no-committee-ancestor"}


def test_unit_registered_refused_when_a_committee_has_no_department_above() -> None:
    assert refusals(K.GRASSROOTS_COMMITTEE, None) == {"parent-required", "no-department-ancestor"}
    orphan = UnitTree({"top": Unit(K.GRASSROOTS_COMMITTEE)})
    assert refusals(K.GRASSROOTS_COMMITTEE, "top", tree=orphan) == {"no-department-ancestor"}
    assert refusals(K.GENERAL_BRANCH, "gb") == {"parent-kind"}


def test_department_parent_must_be_of_a_strictly_higher_level() -> None:
    assert refusals(K.ORG_DEPARTMENT, "county", AdminLevel.COUNTY) == {"admin-level-not-higher"}
    assert refusals(K.ORG_DEPARTMENT, "county", AdminLevel.PROVINCE) == {"admin-level-not-higher"}
    assert refusals(K.ORG_DEPARTMENT, "city") == {"admin-level-missing"}
    assert refusals(K.BRANCH, "committee", AdminLevel.COUNTY) == {"admin-level-not-allowed"}


def test_unknown_or_dissolved_parent_is_refused() -> None:
    assert refusals(K.BRANCH, "nowhere") == {"parent-unknown"}
    assert refusals(K.BRANCH, "gb", tree=world(gb=T)) == {"parent-dissolved"}
    for refusal in registration_refusals(world(), K.BRANCH, None, None, T):
        assert refusal.zh and refusal.en


def test_kinds_and_admin_levels_agree_with_the_code_lists() -> None:
    assert [k.value for k in UnitKind] == list(codes.UNIT_KIND.codes)
    assert [a.value for a in AdminLevel] == list(codes.ADMIN_LEVEL.codes)
    assert [a.rank for a in AdminLevel] == sorted(a.rank for a in AdminLevel)
    assert UnitKind.BRANCH.label == "党支部"


def test_level_symbols_are_those_of_section_1_2_plus_three_target_levels() -> None:
    assert [lv.value for lv in Level] == ["B", "B.cm", "B.gm", "GB", "C", "C.rep", "D", "D+", "R", "A", "="]
    assert all(lv.label_zh and lv.label_en for lv in Level)
