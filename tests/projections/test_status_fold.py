"""The status projection folds member files exactly as the append path does, within a bounded cache.

The rebuild folds each member stream through ``projections.files.MemberFiles`` (a cache of files bounded by
the statements they hold, refolding from the event store on a miss); ``status_read.fold_member`` folds the
whole stream as the ledger judges it on append. Both must give the same ``MemberFile`` for every member of
the demo world. The one field they may differ in is ``findings``: the 补录 guard codes (§5.4) are judged
again by ``fold_member`` only (the status row does not read them), so the rebuild keeps just the findings
the fold itself makes (``historical-out-of-order``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest

from api.demo.run import run_demo
from domain.member import MemberFile
from ledger.settings import Settings
from ledger.system import LedgerSystem, open_ledger
from projections.base import Recorded
from projections.status import StatusProjection
from projections.status_read import fold_member

DEMO_MEMBERS = 60
OUT_OF_ORDER = "historical-out-of-order"


@pytest.fixture
def demo(settings: Settings) -> Iterator[LedgerSystem]:
    """The ``ledger demo`` world (every procedure path), not yet projected."""
    run_demo(settings, seed=1, members=DEMO_MEMBERS)
    system = open_ledger(settings)
    try:
        yield system
    finally:
        system.close()


def rebuild_files(projection: StatusProjection) -> dict[str, MemberFile]:
    """Rebuild the projection and keep the last file its fold gave for each member stream."""
    seen: dict[str, MemberFile] = {}
    fold = projection.files.after

    def after(item: Recorded) -> MemberFile:
        seen[item.stream] = fold(item)
        return seen[item.stream]

    projection.files.after = after  # type: ignore[method-assign]
    projection.rebuild()
    return seen


def table(system: LedgerSystem) -> list[dict[str, Any]]:
    """Every row of the status tables."""
    sql = system.log.sql
    with system.log.reading() as cursor:
        cursor.execute(sql("SELECT * FROM {t}proj_status ORDER BY member_id"))
        rows = [dict(r) for r in cursor.fetchall()]
        cursor.execute(sql("SELECT * FROM {t}proj_status_items ORDER BY member_id, n"))
        return rows + [dict(r) for r in cursor.fetchall()]


def assert_same_file(rebuilt: MemberFile, appended: MemberFile) -> None:
    """Every field equal, findings apart (see the module docstring)."""
    for field in dataclasses.fields(MemberFile):
        if field.name != "findings":
            assert getattr(rebuilt, field.name) == getattr(appended, field.name), field.name
    assert rebuilt.findings == tuple(f for f in appended.findings if f.code == OUT_OF_ORDER)


def test_the_rebuild_fold_equals_fold_member_for_every_demo_member(demo: LedgerSystem) -> None:
    files = rebuild_files(StatusProjection(demo))
    assert len(files) >= DEMO_MEMBERS
    kinds = {e.type for f in files.values() for e in f.entries}
    assert {"HistoricalRecordEntered", "Corrected"} <= {
        s["type"] for f in files.values() for s, _, _ in f.log
    }
    assert len(kinds) > 30
    for stream, rebuilt in files.items():
        assert_same_file(rebuilt, fold_member(demo, stream))


def test_a_small_cache_refolds_from_the_store_and_gives_the_same_tables(demo: LedgerSystem) -> None:
    roomy = StatusProjection(demo)
    wide = rebuild_files(roomy)
    expected = table(demo)
    tight = StatusProjection(demo)
    tight.files.budget = 10
    narrow = rebuild_files(tight)
    assert tight.files.held <= max(10, max(len(f.log) for f in narrow.values()))
    assert roomy.files.held == sum(len(f.log) for f in wide.values())
    assert table(demo) == expected
    assert narrow.keys() == wide.keys()
    for stream, file in narrow.items():
        assert file == wide[stream]
