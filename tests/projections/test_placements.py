"""The placements projection (附件5统计归类) against the on-demand fold, on SQLite and PostgreSQL.

For every unit (and no unit) and every test date — each distinct occurred date of any member statement and
the day before it, seeded random dates, today — the 附件5 document read from the stored spans equals the one
folded from every member as of that date. The dates come from the statements, not from the projection, so
a change point the projection misses shows up as a difference; ``test_a_missed_change_point_is_caught``
proves it by removing one. A rebuild equals a projection that followed the log in small batches.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from typing import Any
from unittest.mock import patch

import pytest

from api.demo.run import run_demo
from domain.asof import Basis, as_of
from domain.dates import day
from domain.member import MemberFile
from ledger.errors import NotFound
from ledger.settings import Settings
from ledger.system import LedgerSystem, open_ledger
from projections.placements import (
    SPAN_COLUMNS,
    PlacementsProjection,
    Prepared,
    Span,
    cohort_ids,
    member_spans,
    placement,
)
from projections.reads import folded_statistics, read_register, read_statistics, stored_statistics
from projections.registers import register
from projections.registry import PROJECTIONS, catch_up_all
from projections.scope import Scope, folded, members_in, unit_name, within
from projections.statistics import StatisticsOptions
from projections.status import StatusProjection
from projections.status_read import fold_member, registry_of
from tests.domain.engine_steps import approved, attach, confirm, contact, opinion
from tests.domain.engine_steps import register as enrol
from tests.domain.engine_world import ADMIN, Member, U
from tests.domain.ledger_driver import LedgerDriver
from tests.domain.test_engine_paths import P1_MATERIALS, chen_chen
from tests.projections.stories import build_story, on_ledger

DEMO_MEMBERS = 40
DEMO_SEED = 4
RANDOM_DATES = 20
FOUR_CLEAR = {"nature": "permanent", "mobile": "13905567777", "backup_contact": "叶红（姐）13800001111"}


# -- the ledgers -----------------------------------------------------------------------------------


@pytest.fixture
def demo(settings: Settings) -> Iterator[LedgerSystem]:
    """The ``ledger demo`` world (every procedure path, Chinese names) with the status projection built."""
    run_demo(settings, seed=DEMO_SEED, members=DEMO_MEMBERS)
    system = open_ledger(settings)
    StatusProjection(system).catch_up()
    try:
        yield system
    finally:
        system.close()


def moved_after_contact() -> Member:
    """陈晨: lost, contacted, taken into normal management at B1, then transferred to B4 (home moves)."""
    m = chen_chen()
    m.add(
        "CommitteeOpinionGiven",
        opinion("P1", "P1.1", "normal_management", "2024-05-10"),
        "周明",
        "2024-05-10",
    )
    attach(m, *P1_MATERIALS, on="2024-05-12")
    m.add("Approved", approved("P1", "P1.3", "normal_management", "2024-05-20"), "孙波", "2024-05-20")
    letter = {"letter_no": "安河组转〔2024〕077号", "to_unit": U["B4"], "nature": "permanent",
              "valid_until": "2024-08-01", "four_clear": FOUR_CLEAR}  # fmt: skip
    m.add("RelationTransferred", letter, "周明", "2024-06-01")
    m.add("RelationReceived", {"letter_no": letter["letter_no"]}, "潘越", "2024-06-20")
    return m


def contacted_back_dated() -> Member:
    """回溯: dues paid in September entered after the October contact (not in occurred order).

    As of the contact date the file holds the contact and the earlier-dated dues, in stream order; a fold
    that only appended "the statements new at this date" would miss the contact here.
    """
    m = Member("回溯")
    enrol(m, "2021-02-01")
    confirm(m, "2024-09-02", last="2024-01-10")
    contact(m, "2024-10-01")
    m.add("ParticipationRecorded", {"kind": "dues", "period": "2024-09"}, "吴芳", "2024-09-10")
    return m


def build_world(settings: Settings, between: Any = None) -> tuple[LedgerDriver, Member, Member]:
    """The three story members (a P6 removal with a corrected record, P4, searching) and the two above."""
    story = build_story(settings, between)
    with on_ledger(story.driver):
        moved = moved_after_contact()
        if between is not None:
            between(story.driver)
        back = contacted_back_dated()
        if between is not None:
            between(story.driver)
    StatusProjection(story.driver.system).catch_up()
    return story.driver, moved, back


@pytest.fixture
def world(settings: Settings) -> Iterator[tuple[LedgerDriver, Member, Member]]:
    """The story ledger with a member whose home moves and one with a back-dated statement."""
    built = build_world(settings)
    try:
        yield built
    finally:
        built[0].close()


# -- the comparison --------------------------------------------------------------------------------


def whole_files(system: LedgerSystem) -> dict[str, MemberFile]:
    """Every member stream folded once."""
    with system.log.reading() as cursor:
        cursor.execute(system.log.sql("SELECT member_id FROM {t}proj_status"))
        ids = [str(row["member_id"]) for row in cursor.fetchall()]
    return {member: fold_member(system, member) for member in ids}


def dates_to_check(files: dict[str, MemberFile], seed: int = 7) -> list[date]:
    """Every occurred date of a member statement and the day before, seeded random dates, today."""
    occurred = {
        on for f in files.values() for st, _, _ in f.log if (on := day(st["occurred_at"])) is not None
    }
    dates = occurred | {d - timedelta(days=1) for d in occurred}
    rng = random.Random(seed)
    low, today = min(occurred) - timedelta(days=365), date.today()
    dates |= {low + timedelta(days=rng.randrange((today - low).days + 1)) for _ in range(RANDOM_DATES)}
    return sorted(dates | {today})


class RememberedAsOf:
    """``as_of`` that folds each set of kept statements once: the file as of T is a function of the rows it
    keeps (domain.asof), and a member's kept rows change at few of the test dates; the fold is the same."""

    def __init__(self) -> None:
        self.files: dict[tuple[str, ...], MemberFile] = {}

    def __call__(
        self, file: MemberFile, t: date, basis: Basis = "occurred", timezone: str = "Asia/Shanghai"
    ) -> MemberFile:
        """``as_of(file, t, basis, timezone)``, remembered on the occurred basis."""
        if basis != "occurred":
            return as_of(file, t, basis, timezone)
        kept = tuple(
            digest
            for statement, digest, _ in file.log
            if statement["type"] == "Corrected"
            or ((on := day(statement["occurred_at"])) is not None and on <= t)
        )
        found = self.files.get(kept)
        if found is None:
            found = self.files[kept] = as_of(file, t, basis, timezone)
        return found


def mismatches(
    system: LedgerSystem, files: dict[str, MemberFile], dates: list[date]
) -> list[tuple[date, str]]:
    """(date, unit) wherever the stored 附件5 document differs from the folded one (every unit and None)."""
    registry = registry_of(system)
    units: list[str | None] = [None, *registry.units]
    found = []
    with patch("projections.scope.as_of", RememberedAsOf()):
        members_at = {t: folded(system, t, files=files) for t in dates}
    for t in dates:
        members = members_at[t]
        for unit in units:
            scope = Scope(unit, t)
            expected = folded_statistics(system, scope, within(members, registry, unit), StatisticsOptions())
            if stored_statistics(system, scope) != expected:
                found.append((t, unit or "-"))
    return found


def misplaced(files: dict[str, MemberFile], dates: list[date]) -> list[tuple[date, str]]:
    """(date, member) wherever the member's span covering the date is not its placement folded at that date."""
    found = []
    for member, file in files.items():
        spans = member_spans(member, file)
        for t in dates:
            held = [s.placement for s in spans if s.from_on <= t and (s.to_on is None or t < s.to_on)]
            if held != [p for p in [placement(member, as_of(file, t), t)] if p is not None]:
                found.append((t, member))
    return found


def stored_rows(system: LedgerSystem) -> list[tuple[Any, ...]]:
    """The whole spans table and the unit closure, in a fixed order."""
    with system.log.reading() as cursor:
        columns = ", ".join(SPAN_COLUMNS)
        cursor.execute(
            system.log.sql(f"SELECT {columns} FROM {{t}}proj_placements ORDER BY member_id, from_on")
        )
        spans = [tuple(row[c] for c in SPAN_COLUMNS) for row in cursor.fetchall()]
        cursor.execute(
            system.log.sql("SELECT ancestor, unit FROM {t}proj_placement_units ORDER BY ancestor, unit")
        )
        units = [(row["ancestor"], row["unit"]) for row in cursor.fetchall()]
    return [*spans, *units]


def replace_spans(system: LedgerSystem, member: str, spans: list[Span]) -> None:
    """Overwrite one member's stored spans, as the projection writes them."""
    projection = PlacementsProjection(system)
    with system.log.transaction(commit=True) as cursor:
        projection.write(cursor, Prepared({member: spans}, None, 0))


# -- the tests -------------------------------------------------------------------------------------


def test_stored_statistics_equal_the_fold_for_every_unit_and_date_of_the_demo(demo: LedgerSystem) -> None:
    PlacementsProjection(demo).catch_up()
    files = whole_files(demo)
    dates = dates_to_check(files)
    assert len(dates) > 2 * 100
    assert mismatches(demo, files, dates) == []
    today = stored_statistics(demo, Scope(None, date.today()))
    assert today["counts"]["A"] > 5 and len({m["leaf"] for m in today["members"]}) > 4
    names = [(m["name"]) for m in today["members"]]
    assert any(ord(c) > 0x4E00 for n in names for c in n)


def test_stored_statistics_follow_home_moves_back_dated_statements_and_corrections(
    world: tuple[LedgerDriver, Member, Member],
) -> None:
    driver, moved, back = world
    system = driver.system
    PlacementsProjection(system).catch_up()
    files = whole_files(system)
    spans = member_spans(moved.stream, files[moved.stream])
    assert {s.placement.home for s in spans} == {U["B1"], U["B4"]}
    assert date(2024, 6, 20) in {s.from_on for s in spans}
    early = files[back.stream].log[-1][0]
    assert early["occurred_at"] < files[back.stream].log[-2][0]["occurred_at"]  # appended out of order
    assert any(st["type"] == "Corrected" for f in files.values() for st, _, _ in f.log)
    dates = dates_to_check(files)
    assert misplaced(files, dates) == []
    assert mismatches(system, files, dates) == []
    c3 = stored_statistics(system, Scope(U["C3"], date(2024, 6, 20)))
    assert [m["name"] for m in c3["members"]] == ["陈晨"]
    assert stored_statistics(system, Scope(U["C3"], date(2024, 6, 19)))["members"] == []


@pytest.mark.parametrize("how", ["merged", "one day late"])
def test_a_missed_change_point_is_caught(world: tuple[LedgerDriver, Member, Member], how: str) -> None:
    """Spans with one change point missing (or found a day late) disagree with the fold at a test date."""
    driver, moved, _ = world
    system = driver.system
    PlacementsProjection(system).catch_up()
    files = whole_files(system)
    dates = dates_to_check(files)
    spans = member_spans(moved.stream, files[moved.stream])
    k = next(i for i, s in enumerate(spans) if s.from_on == date(2024, 6, 20))
    if how == "merged":
        broken = [*spans[: k - 1], replace(spans[k - 1], to_on=spans[k].to_on), *spans[k + 1 :]]
    else:
        late = spans[k].from_on + timedelta(days=1)
        broken = [*spans[: k - 1], replace(spans[k - 1], to_on=late), replace(spans[k], from_on=late),
                  *spans[k + 1 :]]  # fmt: skip
    replace_spans(system, moved.stream, broken)
    found = mismatches(system, files, dates)
    assert (date(2024, 6, 20), U["B4"]) in found and (date(2024, 6, 20), U["B1"]) in found
    if how == "one day late":
        assert {t for t, _ in found} == {date(2024, 6, 20)}


def test_rebuild_equals_a_projection_that_followed_the_log_in_small_batches(demo: LedgerSystem) -> None:
    small = PlacementsProjection(demo, batch_size=7)
    small.rebuild()
    followed = stored_rows(demo)
    forgetful = PlacementsProjection(demo, batch_size=7)
    forgetful.walks.budget = 12  # most walks evicted: their members are read again from the store
    forgetful.rebuild()
    assert stored_rows(demo) == followed and 0 < len(forgetful.walks) < DEMO_MEMBERS / 4
    report = PlacementsProjection(demo).rebuild()
    assert report.statements > DEMO_MEMBERS * 5
    assert stored_rows(demo) == followed and len(followed) > DEMO_MEMBERS


def test_rebuild_equals_a_projection_that_followed_the_ledger_as_it_grew(settings: Settings) -> None:
    def follow(driver: LedgerDriver) -> None:
        PlacementsProjection(driver.system, batch_size=3).catch_up()  # a fresh runner: no cached files

    driver, _, _ = build_world(settings, follow)
    try:
        follow(driver)
        grown = stored_rows(driver.system)
        PlacementsProjection(driver.system).rebuild()
        assert stored_rows(driver.system) == grown and len(grown) > 10
    finally:
        driver.close()


def test_registers_fold_only_the_cohort_and_list_the_same_rows(demo: LedgerSystem) -> None:
    PlacementsProjection(demo).catch_up()
    files = whole_files(demo)
    registry = registry_of(demo)
    settings = demo.settings.domain
    today = date.today()
    assert 0 < len(cohort_ids(demo, None, today)) < len(files)
    for t in (date(2023, 6, 30), date(2024, 9, 1), date(2025, 6, 30), today):
        members = folded(demo, t, files=files)
        for unit in [None, *registry.units]:
            scope = Scope(unit, t)
            for kind in ("roster", "contacted", "uncontactable"):
                expected = register(
                    kind, within(members, registry, unit), scope, settings, unit_name(demo, unit)
                )
                assert read_register(demo, kind, unit, at=t) == expected, (t, unit, kind)


def test_read_statistics_reads_the_spans_only_for_the_default_occurred_read(
    world: tuple[LedgerDriver, Member, Member],
) -> None:
    driver, _, _ = world
    system = driver.system
    t = date(2025, 12, 31)
    stored = read_statistics(system, U["D"], at=t)
    assert stored == stored_statistics(system, Scope(U["D"], t)) and stored["counts"]["A"] == 5
    with system.log.transaction(commit=True) as cursor:
        cursor.execute(system.log.sql("DELETE FROM {t}proj_placements"))
    assert read_statistics(system, U["D"], at=t)["counts"]["A"] == 0  # answered from the (emptied) spans
    options = StatisticsOptions(f_counts_corrected=False)
    assert read_statistics(system, U["D"], at=t, options=options)["counts"]["A"] == 5
    assert read_statistics(system, U["D"], at=t, basis="recorded")["counts"]["A"] == 5
    with pytest.raises(NotFound, match="no unit"):
        read_statistics(system, str(uuid.uuid4()), at=t)
    PlacementsProjection(system).rebuild()
    assert read_statistics(system, U["D"], at=t) == stored
    assert members_in(system, Scope(U["D"], t), cohort_only=True) != []


def test_registered_for_rebuild_and_the_unit_closure_follows_the_registry(
    world: tuple[LedgerDriver, Member, Member],
) -> None:
    driver, moved, _ = world
    system = driver.system
    assert PROJECTIONS["placements"] is PlacementsProjection
    assert catch_up_all(system)["placements"] > 0
    unit = str(uuid.uuid4())
    body = {
        "name": "新设党支部",
        "kind": "branch",
        "parent": U["C3"],
        "live_from": "2024-01-01",
        "has_committee": True,
    }
    with driver.clock("2024-01-01"):
        driver.append(unit, "UnitRegistered", body, ADMIN, "2024-01-01")
    assert catch_up_all(system)["placements"] == 1
    with system.log.reading() as cursor:
        cursor.execute(system.log.sql("SELECT ancestor FROM {t}proj_placement_units WHERE unit = ?"), [unit])
        assert {row["ancestor"] for row in cursor.fetchall()} == {unit, U["C3"], U["D"], U["Dc"]}
    empty = read_statistics(system, unit, at=date(2025, 1, 1))
    assert empty["members"] == [] and empty["unit"]["name"] == "新设党支部" and empty["ok"]
    t = date(2025, 1, 1)
    assert [m["member_id"] for m in read_statistics(system, U["C3"], at=t)["members"]] == [moved.stream]
