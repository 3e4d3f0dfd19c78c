"""P0 发现与查找 (失控, 失联, 查找): procedures.md §4.1. Every step is case-level (no `ref`)."""

from __future__ import annotations

from domain.procedures.build import step
from domain.procedures.model import Procedure

INV_SIGNERS = "B:BST/BCM/SEC; C:CMEM/CST; D:ODS"
"""Who may sign `ConductInvestigated` (§2.4), the INV of every path."""
SEARCH_SIGNERS = "B:BST/BCM/SEC; C:CST; D+:ODS"
"""Who may sign a search attempt: the branch, or C / D+ for a 部门查找 (§2.3)."""

P0 = Procedure(
    id="P0",
    name_zh="发现与查找（失控、失联、查找）",
    name_en="Discovery and search",
    seeds=("[002] 措施 二", "[003] 记录表", "[004] task 2"),
    uses_ref=False,
    start="NORMAL (absence, 口袋 flag) or any case state of the search",
    column="W while searching; A–X by the later path",
    steps=(
        step("P0.1", "外出未报告", "absence not reported", "B:SEC/BCM/BST", "AbsenceRecorded", c=True),
        step("P0.2", "列入失控名单", "list as out of control", "B:SEC/BCM", "OutOfControlListed",
             pre_="P0.1", cond=("reported_to_branch false", "occurred_at > add_months(departed_on, 1)"),
             guards=(16,), c=True),
        step("P0.3", "认定失联", "confirm lost contact", "B:SEC", "LostContactConfirmed",
             cond=("6-month rule",), guards=(17,), c=True),
        step("P0.4", "联系查找", "search attempt", SEARCH_SIGNERS, "SearchAttemptRecorded Attested",
             cond=("≥ 2 full-member searchers", "C or D+ sign 部门查找 attempts"), guards=(18, 19),
             c=True, rep=True),
        step("P0.5", "调查核实", "investigate conduct", INV_SIGNERS, "ConductInvestigated",
             c=True, rep=True, notes="replies are attached as `evidence`"),
        step("P0.6", "移送线索", "refer violations", "B:SEC; C:CSEC/CST; D:ODS", "ViolationReferred",
             pre_="P0.5 violation_suspected", c=True),
        step("P0.7a", "取得联系", "contact restored", SEARCH_SIGNERS, "ContactRestored", c=True,
             notes="OUT_OF_CONTROL → NORMAL; else → CONTACTED"),
        step("P0.7b", "支委会确认无法联系", "committee finds the member uncontactable", "B.cm:SEC",
             "UncontactableConfirmed", mats="search-record", guards=(20,), c=True),
        step("P0.8", "基层党委意见", "C's opinion on the search record", "C:CSEC", "Reviewed",
             pre_="P0.7b", mats="search-record", fixed={"subject": "search_record"}, result="agree",
             skip_bc=True, c=True, notes="disagree or return: back to LOST_SEARCHING"),
        step("P0.9", "确认死亡", "death confirmed", "B:SEC/BST; C:CST; D:ODS", "DeathConfirmed", c=True,
             notes="the proof is the statement's `evidence`"),
    ),
)  # fmt: skip
"""P0: discovery and search."""
