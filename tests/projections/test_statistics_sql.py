"""The 附件5 counted in SQL and listed a page at a time, and the projection objects kept per open ledger.

On the demo ledger (both backends): for every unit and several dates, the counts summed by the aggregate
query equal the counts of the document folded from every member; the stored and the folded document
agree page by page; the pages put together are the whole cohort, each member once, the same on a second
read. The reads find the ledger's own projection objects and create no table again.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import date

import pytest
from typer.testing import CliRunner

from api.cli import app as ledger
from api.demo.run import run_demo
from ledger.settings import Settings
from ledger.system import LedgerSystem, open_ledger
from projections.base import Projection
from projections.placed_reads import tally
from projections.placements import PlacementsProjection
from projections.reads import ALL_MEMBERS, MembersPage, folded_statistics, read_statistics, stored_statistics
from projections.registry import fresh, open_projections, projection
from projections.scope import Scope, folded, within
from projections.statistics import HEADERS, StatisticsOptions
from projections.status import StatusProjection
from projections.status_read import registry_of
from tests.domain.engine_world import U
from tests.projections.stories import Story
from tests.projections.test_placements import DEMO_MEMBERS, DEMO_SEED, dates_to_check, whole_files

DATES = 6
"""Dates checked besides today, drawn from the demo's occurred dates (and the days before them)."""


@pytest.fixture
def demo(settings: Settings) -> Iterator[LedgerSystem]:
    """The ``ledger demo`` world with the status and placements projections caught up."""
    run_demo(settings, seed=DEMO_SEED, members=DEMO_MEMBERS)
    system = open_ledger(settings)
    fresh(system, StatusProjection)
    fresh(system, PlacementsProjection)
    try:
        yield system
    finally:
        system.close()


def test_sql_counts_equal_the_folded_counts_for_every_unit_and_date(demo: LedgerSystem) -> None:
    files = whole_files(demo)
    candidates = dates_to_check(files)
    dates = [*random.Random(3).sample(candidates, DATES), date.today()]
    registry = registry_of(demo)
    units: list[str | None] = [None, *registry.units]
    checked = 0
    for t in dates:
        members = folded(demo, t, files=files)
        for unit in units:
            scope = Scope(unit, t)
            expected = folded_statistics(
                demo, scope, within(members, registry, unit), StatisticsOptions(), ALL_MEMBERS
            )
            counted = tally(demo, unit, t)
            assert {k: counted.counts.get(k, 0) for k in HEADERS} == expected["counts"], (t, unit)
            assert counted.total == expected["members_total"] == len(expected["members"]), (t, unit)
            assert stored_statistics(demo, scope, ALL_MEMBERS) == expected, (t, unit)
            for listed in (MembersPage(), MembersPage(1, 2), MembersPage(0, 0)):
                cut = folded_statistics(
                    demo, scope, within(members, registry, unit), StatisticsOptions(), listed
                )
                assert stored_statistics(demo, scope, listed) == cut, (t, unit, listed)
            checked += counted.total
    assert checked > 0  # some cohort was counted (the demo has lost members at these dates)


def test_pages_put_together_are_the_whole_cohort_once_and_stable(demo: LedgerSystem) -> None:
    whole = read_statistics(demo, members_limit=None)
    everyone = [m["member_id"] for m in whole["members"]]
    assert whole["members_total"] == len(everyone) == whole["counts"]["A"] > 5
    assert len(set(everyone)) == len(everyone) and whole["members_limit"] is None
    for basis in ("occurred", "recorded"):
        total = read_statistics(demo, basis=basis, members_limit=0)
        assert total["members"] == [] and total["counts"]["A"] == total["members_total"]
        pages, offset = [], 0
        while offset < total["members_total"]:
            doc = read_statistics(demo, basis=basis, members_offset=offset, members_limit=4)
            assert doc["members_offset"] == offset and doc["members_limit"] == 4
            assert doc["counts"] == total["counts"] and doc["violations"] == total["violations"]
            pages.extend(doc["members"])
            offset += 4
        assert pages == read_statistics(demo, basis=basis, members_limit=None)["members"]
        again = read_statistics(demo, basis=basis, members_offset=4, members_limit=4)["members"]
        assert again == pages[4:8]
        beyond = read_statistics(demo, basis=basis, members_offset=total["members_total"] + 3)
        assert beyond["members"] == [] and beyond["members_total"] == total["members_total"]
    assert [m["member_id"] for m in read_statistics(demo)["members"]] == everyone[:500]
    with pytest.raises(ValueError, match="must not be negative"):
        read_statistics(demo, members_offset=-1)


def test_the_reads_keep_one_projection_object_per_open_ledger(
    demo: LedgerSystem, monkeypatch: pytest.MonkeyPatch
) -> None:
    status, placements = projection(demo, StatusProjection), projection(demo, PlacementsProjection)
    assert open_projections(demo, ["status", "placements"]) == [status, placements]
    made: list[str] = []
    caught: list[str] = []
    original_create, original_catch_up = Projection.create_tables, Projection.catch_up

    def create_tables(self: Projection) -> None:
        made.append(self.name)
        original_create(self)

    def catch_up(self: Projection, *args: object, **kwargs: object) -> int:
        caught.append(self.name)
        return original_catch_up(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Projection, "create_tables", create_tables)
    monkeypatch.setattr(Projection, "catch_up", catch_up)
    for basis in ("occurred", "recorded", "occurred"):
        read_statistics(demo, basis=basis)
    assert made == [] and caught == []  # nothing new in the log: one MAX query each, no catch-up
    assert projection(demo, StatusProjection) is status and status.refresh() == 0
    reopened = open_ledger(demo.settings)
    try:
        assert projection(reopened, StatusProjection) is not status and made == ["status"]
    finally:
        reopened.close()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_the_command_lists_a_page_or_every_member(
    story: Story, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEDGER_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("LEDGER_HOME", str(settings.home))
    monkeypatch.delenv("LEDGER_CIPHER_KEY", raising=False)
    at = ["statistics", "--unit", U["D"], "--as-of", "2025-02-28", "--json"]
    every = json.loads(CliRunner().invoke(ledger, [*at, "--all-members"]).output)
    assert every["members_limit"] is None and len(every["members"]) == every["members_total"] == 3
    one = CliRunner().invoke(ledger, [*at, "--members-offset", "1", "--members-limit", "1"])
    assert one.exit_code == 0, one.output
    page = json.loads(one.output)
    assert page["members"] == every["members"][1:2] and page["counts"] == every["counts"]
