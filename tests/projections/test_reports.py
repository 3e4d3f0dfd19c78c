"""Registers, the 附件5 table as of an earlier date, 回头看 and the register export (the golden 附件5 test over
every leaf column is tests/projections/test_golden.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ledger.settings import Settings
from projections.exports import register_workbook
from projections.reads import read_lookback, read_register, read_statistics
from tests.domain import test_engine_p5_p8 as p58
from tests.domain import test_engine_paths as paths
from tests.domain.engine_steps import attempt, confirm, contact, register
from tests.domain.engine_world import Member, U, doc
from tests.domain.ledger_driver import LedgerDriver
from tests.projections.stories import on_ledger

T = date(2025, 12, 31)


def lost(name: str) -> Member:
    m = Member(name)
    register(m)
    confirm(m, "2024-09-02", last="2024-01-10")
    attempt(m, 1, "direct", "2024-09-20")
    return m


def expel(m: Member, on: str) -> None:
    body = {"sanction": "expulsion", "decided_by": U["C1"], "decided_on": on, "article": "第三十六条",
            "decision": doc("开除党籍决定")}  # fmt: skip
    m.add("DisciplineRecorded", body, "李静", on)


@pytest.fixture
def world(settings: Settings) -> Iterator[LedgerDriver]:
    """One member per column group: I, F, T, W, N, M, V, X."""
    driver = LedgerDriver(settings)
    with on_ledger(driver):
        p58.removed_lapsed_xie_jun()  # I
        p58.not_changed_after_correction("甲")  # F (approved 限期改正, not changed yet)
        paths.cao_yu()  # T
        lost("赵磊")  # W
        contact(lost("钱七"), "2024-10-01")  # N
        m = lost("孙八")
        contact(m, "2024-10-01")
        expel(m, "2024-11-01")  # M
        expel(lost("周九"), "2024-11-01")  # V
        dead = lost("吴十")
        dead.add("DeathConfirmed", {"died_on": "2024-10-05", "source": "family", "evidence": doc("证明")},
                 "吴芳", "2024-10-10")  # fmt: skip
    driver.system.bring_log_up_to_date()
    try:
        yield driver
    finally:
        driver.close()


def test_statistics_as_of_an_earlier_date(world: LedgerDriver) -> None:
    early = read_statistics(world.system, U["D"], at=date(2024, 9, 10))["counts"]
    assert early["X"] == 0 and early["M"] == 0 and early["V"] == 0


def test_registers_columns_and_exports(world: LedgerDriver, tmp_path: Path) -> None:
    gone = read_register(world.system, "uncontactable", U["B1"], at=T)
    names = {r["姓名"] for r in gone["rows"]}
    assert "赵磊" in names and "吴十" not in names and "钱七" not in names
    zhao = next(r for r in gone["rows"] if r["姓名"] == "赵磊")
    assert zhao["失去联系情形"] == "①外出务工经商" and zhao["党组织类别"] == "⑦街道社区"
    assert zhao["党龄"] == 14 and zhao["与党组织失去联系时间"] == "1年11个月"
    assert "联系电话" not in gone["columns"]
    found = read_register(world.system, "contacted", U["B1"], at=T)
    assert "钱七" in {r["姓名"] for r in found["rows"]}
    path = register_workbook(found, tmp_path / "r.xlsx")
    ws = load_workbook(path).active
    assert ws is not None
    assert ws["A1"].value == "经查找取得联系党员登记表" and ws["L3"].value == "联系电话"
    roster = read_register(world.system, "roster", U["D"], at=T)
    assert len(roster["rows"]) >= 6


def test_lookback_lists_disposed_cases(world: LedgerDriver) -> None:
    report = read_lookback(world.system, U["D"], at=T)
    disposed = {c["path"] for m in report["members"] for c in m["disposed"]}
    assert {"P6", "P4", "P9"} <= disposed
