"""Status list pages read branch by branch: the same rows, order and totals as one sorted query over all.

On the demo ledger (both backends), for several filters and page sizes, the pages put together equal the
whole table filtered and ordered by home, name, id in one query; the per-branch counts kept for a filter
follow the projection when new statements arrive.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from api.demo.run import run_demo
from ledger.settings import Settings
from ledger.system import LedgerSystem, open_ledger
from projections.registry import fresh
from projections.status import StatusProjection
from projections.status_read import HOME_COUNTS, StatusFilter, list_status, registry_of, subtree
from tests.domain.engine_steps import register
from tests.domain.engine_world import Member
from tests.projections.stories import build_story, on_ledger
from tests.projections.test_placements import DEMO_MEMBERS, DEMO_SEED

TODAY = date(2026, 1, 15)


@pytest.fixture
def demo(settings: Settings) -> Iterator[LedgerSystem]:
    """The ``ledger demo`` world with the status projection caught up."""
    run_demo(settings, seed=DEMO_SEED, members=DEMO_MEMBERS)
    system = open_ledger(settings)
    fresh(system, StatusProjection)
    try:
        yield system
    finally:
        system.close()


def expected_ids(system: LedgerSystem, where: StatusFilter) -> list[str]:
    """The member ids a filter keeps, ordered by home, name, id in one query over the whole table."""
    units = subtree(registry_of(system), where.unit) if where.unit else None
    with system.log.reading() as cursor:
        cursor.execute(
            system.log.sql(
                "SELECT s.member_id, s.home, s.state FROM {t}proj_status s ORDER BY s.home, s.name, s.member_id"
            )
        )
        rows = list(cursor.fetchall())
    return [
        str(r["member_id"])
        for r in rows
        if (units is None or r["home"] in units) and (where.state is None or r["state"] == where.state)
    ]


def test_pages_put_together_equal_the_whole_ordered_list(demo: LedgerSystem) -> None:
    registry = registry_of(demo)
    county = next(
        u for u in registry.units if len(subtree(registry, u)) > 3 and registry.tree(date.max).ancestors(u)
    )
    filters = [StatusFilter(), StatusFilter(unit=county), StatusFilter(state="NORMAL")]
    for where in filters:
        wanted = expected_ids(demo, where)
        assert wanted, where
        for per_page in (1, 3, 7, 50):
            got: list[str] = []
            page = 1
            while True:
                listed = list_status(demo, where, today=TODAY, page=page, per_page=per_page)
                assert listed["total"] == len(wanted) and listed["per_page"] == per_page
                if not listed["members"]:
                    break
                assert len(listed["members"]) <= per_page
                got.extend(m["member_id"] for m in listed["members"])
                page += 1
            assert got == wanted, (where, per_page)
    assert list_status(demo, StatusFilter(state="NO-SUCH"), today=TODAY) | {"today": ""} == {
        "page": 1, "per_page": 50, "total": 0, "today": "", "members": [],
    }  # fmt: skip


def test_kept_counts_follow_new_statements(settings: Settings) -> None:
    story = build_story(settings)
    system = story.driver.system
    try:
        fresh(system, StatusProjection)
        before = list_status(system, today=TODAY)
        assert system.read_models[HOME_COUNTS] and before["total"] == len(
            expected_ids(system, StatusFilter())
        )
        with on_ledger(story.driver):
            register(Member("新来"), "2021-02-01")
        fresh(system, StatusProjection)
        after = list_status(system, today=TODAY)
        assert after["total"] == before["total"] + 1 == len(expected_ids(system, StatusFilter()))
        assert "新来" in {m["name"] for m in after["members"]}
    finally:
        story.driver.close()
