"""Golden 附件5 test: a cohort whose counts are known by construction, through the real ledger (SQLite and
PostgreSQL) and ``read_statistics``.

Every one of the 18 leaf columns of forms §4.5 has members, each leaf a different number of them, chosen so
that no two of the 24 columns have the same count: a swapped column, a member counted twice or in the wrong
leaf changes a number. The costly stories (a whole 劝退, 自行脱党除名 after suspension) get the small counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from projections.exports import statistics_workbook
from projections.reads import read_statistics
from projections.statistics import HEADERS, IDENTITIES, LEAVES
from tests.domain import test_engine_membership as membership
from tests.domain import test_engine_p2_p3 as p2p3
from tests.domain import test_engine_p5_p8 as p58
from tests.domain import test_engine_p10_p11 as p1011
from tests.domain.engine_steps import (
    approved,
    attach,
    attempt,
    confirm,
    contact,
    investigate,
    meeting,
    opinion,
    ref,
    refusal_note,
    register,
    review,
    search_review,
)
from tests.domain.engine_world import Member, U, doc
from tests.domain.ledger_driver import LedgerDriver
from tests.projections import stories
from tests.projections.stories import on_ledger, story_ledger

T = date(2025, 12, 31)
CANADA = {"country_region": "加拿大", "purpose": "residence", "since": "2019-01-01", "settled": True}


def lost(name: str) -> Member:
    """认定失联 on 2024-09-02, still searched for (W)."""
    m = Member(name)
    register(m)
    confirm(m, "2024-09-02", last="2024-01-10")
    return m


def expel(m: Member) -> None:
    body = {"sanction": "expulsion", "decided_by": U["C1"], "decided_on": "2024-11-01", "article": "第三十六条",
            "decision": doc("开除党籍决定")}  # fmt: skip
    m.add("DisciplineRecorded", body, "李静", "2024-11-01")


def contacted(name: str) -> Member:
    """Contact regained, still under verification (N)."""
    m = lost(name)
    contact(m, "2024-10-01")
    return m


def deceased(name: str) -> Member:
    m = lost(name)
    death = {"died_on": "2024-10-05", "source": "family", "evidence": doc("死亡证明")}
    m.add("DeathConfirmed", death, "吴芳", "2024-10-10")
    return m


def expelled_contacted(name: str) -> Member:
    m = contacted(name)
    expel(m)
    return m


def expelled_lost(name: str) -> Member:
    m = lost(name)
    expel(m)
    return m


def normal_management(name: str) -> Member:
    """P1 (scenario 10): C only."""
    return stories.normal_management()


def retained(name: str) -> Member:
    """P2 (scenario 14): C and D."""
    return stories.retained()


def suspended_abroad_contacted(name: str) -> Member:
    """P3 of a contacted member settled abroad (scenario 16): C and E."""
    m = p2p3.ma_chao()
    m.add("GeneralMeetingResolved", meeting("P3", "P3.2", "suspend_abroad"), "周明", "2024-05-20")
    m.add("Approved", approved("P3", "P3.3", "suspend_abroad", "2024-05-28"), "孙波", "2024-05-28")
    return m


def correcting(name: str) -> Member:
    """P4 approved (scenario 18): C and F."""
    m = Member(name)
    p58.through_p4_approval(m, p58.HUANG)
    return m


def advised_accepted(name: str) -> Member:
    """P5 劝退 accepted (scenario 27): H."""
    m = p58.advised(name)
    answer = {"ref": ref("P5", "P5.10"), "answer": "accepts", "statement": doc("退党声明")}
    m.add("WithdrawalAdviceAnswered", answer, "周明", "2024-12-20")
    return m


def lapsed_contacted(name: str) -> Member:
    """P6 (scenario 30): I."""
    return p58.removed_lapsed_xie_jun()[0]


def withdrawn(name: str) -> Member:
    """P7 (scenario 32): J."""
    m = p58.tang_min()
    vote = {
        "eligible_voters": 18,
        "present_voters": 15,
        "votes_for": 14,
        "votes_against": 0,
        "abstentions": 1,
    }
    m.add("GeneralMeetingResolved", meeting("P7", "P7.1", "remove_withdrawn", vote), "周明", "2024-03-15")
    return m


def not_recognised(name: str) -> Member:
    """PN (scenario 43), contacted: K."""
    m = Member(name)
    register(m)
    confirm(m, "2024-01-10", last="2023-06-01")
    contact(m, "2024-05-10")
    investigate(m, "file_check", "2024-05-20", finding="file_defect")
    attach(m, "writeup", on="2024-05-25")
    pn1 = {**opinion("PN", "PN.1", "not_recognised", "2024-06-03"), "grounds": ["no_admission_papers"]}
    m.add("CommitteeOpinionGiven", pn1, "周明", "2024-06-03")
    m.add("Reviewed", {**review("PN", "PN.2", "2024-06-12"), "subject": "proposal"}, "孙波", "2024-06-12")
    body = approved("PN", "PN.3", "not_recognised", "2024-07-01")
    del body["cmeeting"]
    m.add("Approved", body, "陈刚", "2024-07-01")
    return m


def probation_cancelled_contacted(name: str) -> Member:
    """P8 (scenario 33): L."""
    return stories.probation_cancelled(name)[0]


def lapsed_after_suspension(name: str) -> Member:
    """P10 after two years suspended (scenario 37): Q."""
    m, res = p1011.cao_yu_after_vote()
    m.add("SignatureRefusalNoted", refusal_note("P10", "P10.6", res, "unreachable"), "周明", "2024-04-20")
    m.add("Reviewed", review("P10", "P10.7", "2024-04-25", subject="resolution"), "孙波", "2024-04-25")
    m.add(
        "Approved", approved("P10", "P10.8", "remove_lapsed", "2024-05-20", at_c=False), "陈刚", "2024-05-20"
    )
    return m


def probation_cancelled_lost(name: str) -> Member:
    """P11 (scenario 39): R."""
    m = Member(name)
    register(m, on="2022-07-02", member_type="probationary", joined="2022-07-01")
    confirm(m, "2023-12-01", last="2023-05-01")
    attempt(m, 1, "direct", "2024-01-10")
    attempt(m, 2, "acquaintance", "2024-02-10")
    attempt(m, 3, "department", "2024-03-10", by="李静", other="何敏")
    body = {"cmeeting": {"date": "2024-05-20", "members_total": 5, "members_present": 5, "members_for": 5},
            "attempts": [e.hash for e in m.file.of_type("SearchAttemptRecorded")], "opinion": "无法取得联系",
            "proposed": "cancel_probation"}  # fmt: skip
    m.add("UncontactableConfirmed", body, "周明", "2024-05-20")
    search_review(m, on="2024-06-03")
    attach(m, "writeup", on="2024-06-05")
    p111 = opinion("P11", "P11.1", "cancel_probation", "2024-06-10", member_unreachable=True)
    m.add("CommitteeOpinionGiven", {**p111, "grounds": ["uncontactable"]}, "周明", "2024-06-10")
    m.add("GeneralMeetingResolved", meeting("P11", "P11.2", "cancel_probation"), "周明", "2024-06-21")
    m.add("Approved", approved("P11", "P11.3", "cancel_probation", "2024-07-02"), "孙波", "2024-07-02")
    return m


def suspended_uncontactable(name: str) -> Member:
    """P9 (scenario 40 before contact): S and T."""
    return membership.suspended(name, membership.CAI)


def suspended_abroad_lost(name: str) -> Member:
    """P3 of a member never reached, found settled abroad by a search (§4.4): S and U."""
    m = Member(name)
    register(m)
    confirm(m, "2024-03-01", last="2023-08-01")
    attempt(m, 1, "direct", "2024-03-20")
    attempt(m, 2, "acquaintance", "2024-04-15", result="settled_abroad_established")
    attempt(m, 3, "department", "2024-05-10", by="李静", other="何敏")
    body = {"cmeeting": {"date": "2024-05-20", "members_total": 5, "members_present": 5, "members_for": 5},
            "attempts": [e.hash for e in m.file.of_type("SearchAttemptRecorded")], "opinion": "无法取得联系",
            "proposed": "suspend_abroad"}  # fmt: skip
    m.add("UncontactableConfirmed", body, "周明", "2024-05-20")
    search_review(m, on="2024-06-01")
    attach(m, "writeup", on="2024-06-02")
    p31 = opinion("P3", "P3.1", "suspend_abroad", "2024-06-05", abroad=CANADA, member_unreachable=True)
    m.add("CommitteeOpinionGiven", p31, "周明", "2024-06-05")
    m.add("GeneralMeetingResolved", meeting("P3", "P3.2", "suspend_abroad"), "周明", "2024-06-15")
    m.add("Approved", approved("P3", "P3.3", "suspend_abroad", "2024-06-25"), "孙波", "2024-06-25")
    return m


LEAF_STORIES: dict[str, tuple[int, Callable[[str], Member]]] = {
    "Q": (1, lapsed_after_suspension),
    "R": (2, probation_cancelled_lost),
    "T": (4, suspended_uncontactable),
    "U": (5, suspended_abroad_lost),
    "H": (6, advised_accepted),
    "I": (7, lapsed_contacted),
    "F": (8, correcting),
    "C": (10, normal_management),
    "E": (11, suspended_abroad_contacted),
    "L": (12, probation_cancelled_contacted),
    "K": (13, not_recognised),
    "D": (14, retained),
    "J": (15, withdrawn),
    "M": (16, expelled_contacted),
    "V": (17, expelled_lost),
    "X": (18, deceased),
    "N": (19, contacted),
    "W": (20, lost),
}
"""Leaf column → (how many members, the story that puts one member there); "C" is C without D, E or F."""


def expected_counts() -> dict[str, int]:
    """The 24 columns from the leaf counts and the identities of the table's note."""
    n = {leaf: count for leaf, (count, _) in LEAF_STORIES.items()}
    c = n["C"] + n["D"] + n["E"] + n["F"]
    g = n["H"] + n["I"] + n["J"] + n["K"] + n["L"]
    p, s = n["Q"] + n["R"], n["T"] + n["U"]
    b, o = c + g + n["M"] + n["N"], p + s + n["V"] + n["W"]
    return {**n, "C": c, "G": g, "P": p, "S": s, "B": b, "O": o, "A": b + o + n["X"]}


EXPECTED = {"A": 198, "B": 131, "C": 43, "D": 14, "E": 11, "F": 8, "G": 53, "H": 6, "I": 7, "J": 15, "K": 13,
            "L": 12, "M": 16, "N": 19, "O": 49, "P": 3, "Q": 1, "R": 2, "S": 9, "T": 4, "U": 5, "V": 17, "W": 20,
            "X": 18}  # fmt: skip
"""The table by construction, written out (and checked against ``expected_counts`` below)."""


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def cohort(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        tuple[LedgerDriver, dict[str, str]]]:  # fmt: skip
    """The cohort on a fresh ledger of each backend: (driver, member stream → expected leaf)."""
    with story_ledger(str(request.param), tmp_path_factory.mktemp(str(request.param))) as driver:
        leaves: dict[str, str] = {}
        with on_ledger(driver):
            for leaf, (count, story) in LEAF_STORIES.items():
                for k in range(count):
                    leaves[story(f"{leaf}{k + 1:02d}").stream] = leaf
        driver.system.bring_log_up_to_date()
        yield driver, leaves


def test_the_design_gives_every_column_its_own_count() -> None:
    assert sorted(LEAF_STORIES) == sorted(LEAVES)
    assert expected_counts() == EXPECTED and list(EXPECTED) == list(HEADERS)
    assert len(set(EXPECTED.values())) == 24


def test_every_column_of_the_table(cohort: tuple[LedgerDriver, dict[str, str]]) -> None:
    driver, _ = cohort
    table = read_statistics(driver.system, U["D"], at=T)
    assert table["counts"] == EXPECTED
    assert table["统计时间"] == "2025-12-31" and table["basis"] == "occurred"
    folded = read_statistics(driver.system, U["D"], at=T, basis="recorded")  # every member folded as of T
    assert folded["counts"] == EXPECTED


def test_identities_hold_and_nothing_is_flagged(cohort: tuple[LedgerDriver, dict[str, str]]) -> None:
    driver, _ = cohort
    table = read_statistics(driver.system, U["D"], at=T)
    counts = table["counts"]
    for total, parts in IDENTITIES:
        assert counts[total] == sum(counts[p] for p in parts), (total, parts)
    assert counts["C"] >= counts["D"] + counts["E"] + counts["F"]
    assert table["ok"] and table["violations"] == []


def test_each_member_in_its_leaf(cohort: tuple[LedgerDriver, dict[str, str]]) -> None:
    driver, leaves = cohort
    table = read_statistics(driver.system, U["D"], at=T)
    placed = {m["member_id"]: m["leaf"] for m in table["members"]}
    wrong = {mid: (leaves[mid], placed.get(mid)) for mid in leaves if placed.get(mid) != leaves[mid]}
    assert wrong == {} and len(placed) == len(leaves) == EXPECTED["A"]
    marks: dict[str, Any] = {m["member_id"]: set(m["columns"]) for m in table["members"]}
    some_e = next(mid for mid, leaf in leaves.items() if leaf == "E")
    assert marks[some_e] == {"A", "B", "C", "E"}


def test_the_export_carries_the_counts(cohort: tuple[LedgerDriver, dict[str, str]], tmp_path: Path) -> None:
    driver, _ = cohort
    table = read_statistics(driver.system, U["D"], at=T)
    ws = load_workbook(statistics_workbook(table, tmp_path / "附件5.xlsx")).active
    assert ws is not None and ws["A1"].value == "与党组织失去联系党员规范管理和组织处置有关情况统计表"
    assert ws["U6"].value == "确定无法取得联系而停止党籍人数" and ws["U8"].value == EXPECTED["T"]
    row = {ws.cell(7, n).value: ws.cell(8, n).value for n in range(2, 26)}
    assert row == EXPECTED
