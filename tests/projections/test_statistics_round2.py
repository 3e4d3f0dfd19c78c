"""``column_marks`` against the coding it replaced, for every state, flag, side, option and demo file.

``column_marks`` now tests the predicates of one side only (and reads the member's history only when a
predicate of that side asks for it) to mark each cohort member at every change date more cheaply. The
oracle is the former coding, kept here as it was: every column tested by its own predicate, both sides.
The facts are those of the demo's and the story world's cohort members at each date of their walk, and
the same files with every state, with and without the suspended flag and a regained contact.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from api.demo.run import run_demo
from domain.member import MemberFile
from domain.states import MemberState
from ledger.system import open_ledger
from projections.asof_walk import AsOfWalk
from projections.cohort import CohortFacts, cohort_facts
from projections.statistics import (
    MANAGED,
    OUT_B,
    OUT_O,
    PENDING,
    SEARCHING,
    SUSPENDED_O,
    StatisticsOptions,
    _lesser_discipline,
    _p4,
    column_marks,
    contacted_side,
)
from projections.status import StatusProjection
from tests.conftest import settings_for
from tests.projections.test_placements import DEMO_MEMBERS, DEMO_SEED, build_world, whole_files

OPTIONS = [
    StatisticsOptions(f_counts_corrected=f, suspended_contacted=c, relapsed_side=r)
    for f in (True, False)
    for c in ("N", "T")
    for r in ("contacted", "not_contacted")
]


def former_column_marks(facts: CohortFacts, file: MemberFile, opts: StatisticsOptions) -> set[str]:
    """The coding ``column_marks`` had before round 2, verbatim."""
    s = facts.state
    dead = s == "DECEASED"
    b = contacted_side(facts, file, opts) and not dead
    o = not contacted_side(facts, file, opts) and not dead
    approved, corrected = _p4(file)
    suspended = "suspended" in facts.flags
    in_c = (
        b
        and not suspended
        and (s in MANAGED or (s in ("CONTACTED", "ADVISED") and (approved or _lesser_discipline(file))))
    )
    in_f = in_c and (
        s == "CORRECTING" or (approved and (s != "NORMAL" or (corrected and opts.f_counts_corrected)))
    )
    marks = {
        "A": True, "X": dead, "B": b, "O": o, "C": in_c, "D": b and s == "RETAINED",
        "E": b and s == "SUSPENDED_ABROAD", "F": in_f and s not in ("RETAINED", "SUSPENDED_ABROAD"),
        "G": b and s in OUT_B, "M": b and s == "EXPELLED", "N": b and s in PENDING and not in_c,
        "P": o and s in OUT_O, "S": o and s in SUSPENDED_O, "V": o and s == "EXPELLED",
        "W": o and s in SEARCHING,
    }  # fmt: skip
    for state, letter in OUT_B.items():
        marks[letter] = b and s == state
    for state, letter in {**OUT_O, **SUSPENDED_O}.items():
        marks[letter] = o and s == state
    return {letter for letter, on in marks.items() if on}


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> list[CohortFacts]:
    """The cohort facts of every demo and story-world member at each date of its walk."""
    found: dict[str, MemberFile] = {}
    demo = settings_for("sqlite", tmp_path_factory.mktemp("demo"), request)
    run_demo(demo, seed=DEMO_SEED, members=DEMO_MEMBERS)
    system = open_ledger(demo)
    try:
        StatusProjection(system).catch_up()
        found |= whole_files(system)
    finally:
        system.close()
    driver, _, _ = build_world(settings_for("sqlite", Path(tmp_path_factory.mktemp("world")), request))
    try:
        found |= whole_files(driver.system)
    finally:
        driver.close()
    facts: list[CohortFacts] = []
    for member, file in found.items():
        walk = AsOfWalk()
        walk.extend(file.log)
        facts.extend(f for _, cut in walk.walk() if (f := cohort_facts(member, cut)) is not None)
    return facts


def test_the_marks_of_every_cohort_member_at_every_date_are_the_former_ones(
    cohort: list[CohortFacts],
) -> None:
    seen: set[str] = set()
    for facts, opts in itertools.product(cohort, OPTIONS):
        marks = column_marks(facts, facts.file, opts)
        assert marks == former_column_marks(facts, facts.file, opts), (facts.member_id, facts.state, opts)
        seen |= marks
    assert len(cohort) > 50 and {"B", "C", "O", "W"} <= seen


def test_the_marks_of_every_state_flag_and_side_are_the_former_ones(cohort: list[CohortFacts]) -> None:
    seen: set[str] = set()
    files = cohort[:: max(len(cohort) // 40, 1)]
    for facts, state, flags, contact, opts in itertools.product(
        files, MemberState, (frozenset(), frozenset({"suspended"})), (None, date(2024, 1, 1)), OPTIONS
    ):
        varied = replace(facts, state=state.value, flags=flags, contact_on=contact)
        marks = column_marks(varied, varied.file, opts)
        assert marks == former_column_marks(varied, varied.file, opts), (facts.member_id, state, flags, opts)
        seen |= marks
    assert seen == {*"ABCDEFGHIJKLMNOPQRSTUVWX"}
