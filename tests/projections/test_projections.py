"""Projection machinery: rebuild equals incremental processing, restart safety, exactly once."""

from __future__ import annotations

from typing import Any

import pytest

from ledger.settings import Settings
from ledger.system import open_ledger
from projections.base import Projection
from projections.registry import PROJECTIONS, open_projections
from tests.domain.ledger_driver import LedgerDriver
from tests.projections.stories import Story, build_story

NAMES = list(PROJECTIONS)


def snapshot(projection: Projection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the projection, sorted."""
    out = {}
    with projection.log.reading() as cursor:
        for table in projection.tables:
            cursor.execute(projection.log.sql(f"SELECT * FROM {{t}}{table}"))
            out[table] = sorted(tuple(str(v) for v in dict(row).values()) for row in cursor.fetchall())
    return out


@pytest.mark.parametrize("name", NAMES)
def test_rebuild_equals_incremental_processing(settings: Settings, name: str) -> None:
    live: list[Projection] = []

    def process(driver: LedgerDriver) -> None:
        if not live:
            live.extend(open_projections(driver.system, [name]))
        live[0].catch_up()

    story = build_story(settings, between=process)
    try:
        live[0].catch_up()
        incremental = snapshot(live[0])
        assert any(incremental.values())
        report = live[0].rebuild()
        assert 0 < report.statements <= story.driver.system.ledger.max_notification_id()
        assert snapshot(live[0]) == incremental
    finally:
        story.driver.close()


@pytest.mark.parametrize("name", NAMES)
def test_restart_half_way_applies_each_statement_once(story: Story, settings: Settings, name: str) -> None:
    system = story.driver.system
    first = open_projections(system, [name])[0]
    total = system.ledger.max_notification_id()
    assert first.catch_up(limit=total // 2) == total // 2
    reopened = open_ledger(settings)
    try:
        second = open_projections(reopened, [name])[0]
        assert second.position() == first.position()
        assert second.catch_up() == total - total // 2
        assert second.catch_up() == 0
        finished = snapshot(second)
        second.rebuild()
        assert snapshot(second) == finished
    finally:
        reopened.close()


def test_dossier_rows_are_unique_per_statement(story: Story) -> None:
    dossier = open_projections(story.driver.system, ["dossier"])[0]
    dossier.catch_up()
    rows = snapshot(dossier)["proj_dossier_entries"]
    assert len(rows) == len({row[2] for row in rows})
    assert len(rows) == len(story.xie.file.log) + len(story.huang.file.log) + len(story.zhao.file.log)


def test_drop_removes_tables_and_tracking(story: Story) -> None:
    status = open_projections(story.driver.system, ["status"])[0]
    status.catch_up()
    assert status.position() > 0
    status.drop()
    assert status.position() == 0
    status.create_tables()
    assert not any(snapshot(status).values())


def test_unknown_projection_is_named() -> None:
    with pytest.raises(KeyError, match="no projection named 'nope'"):
        open_projections(None, ["nope"])  # type: ignore[arg-type]


def test_a_rebuild_leaves_planner_statistics(story: Story) -> None:
    """Without them PostgreSQL plans the 附件5 tally over a big ledger as a nested loop."""
    status = open_projections(story.driver.system, ["status"])[0]
    status.rebuild()
    log = status.log
    with log.reading() as cursor:
        if log.postgres:
            schema = getattr(log.datastore, "schema", "") or "public"
            cursor.execute(
                "SELECT c.reltuples AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace"
                " WHERE s.nspname = %s AND c.relname = 'proj_status'",
                [schema],
            )
        else:
            cursor.execute("SELECT CAST(substr(stat, 1, instr(stat, ' ') - 1) AS INTEGER) AS n"
                           " FROM sqlite_stat1 WHERE tbl = 'proj_status'")  # fmt: skip
        row = cursor.fetchone()
    assert row is not None and row["n"] > 0
