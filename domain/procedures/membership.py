"""Membership status paths: PR 恢复党籍, PX 延长预备期, PN 不予承认党员资格 (§4.13–§4.15)."""

from __future__ import annotations

from domain.levels import Level
from domain.procedures.build import procedure, step
from domain.procedures.model import MemberScope
from domain.procedures.search import INV_SIGNERS

PR = procedure(
    "PR", "恢复党籍", "Restore membership", ("[001] 四.1",),
    outcomes=("restore_membership",), approving_level=Level.D, applies_to=MemberScope.FULL,
    start="CONTACTED with `suspended` (reason uncontactable)", column="C",
    notes=("The window is checked at the application only; the approval may come after the window end "
           "[inferred].",),
    steps=(
        step("PR.0", "书面申请恢复党籍", "written application to restore", "B:SEC/BST", "RestorationApplied",
             cond=("occurred_at < window end",), mats="restoration-application", guards=(40,), c=True),
        step("PR.0i", "调查了解相关情况", "INV", INV_SIGNERS, "ConductInvestigated", c=True),
        step("PR.1", "支部研究提出意见", "branch opinion", "B.cm:SEC", "CommitteeOpinionGiven",
             outcome="restore_membership", pre_="PR.0, PR.0i", mats="writeup", guards=(21, 22)),
        step("PR.2", "基层党委审查", "C examines", "C:CSEC", "Reviewed",
             fixed={"subject": "restoration_application"}, result="agree", pre_="PR.1",
             mats="restoration-application writeup"),
        step("PR.3", "上一级组织部门批准", "D approves", "D:ODL", "Approved", outcome="restore_membership",
             pre_="PR.2 agree", mats="restoration-application writeup", effect=True,
             notes="suspension lifted; case closes"),
        step("PR.4", "通知本人", "notify the member", "B:SEC/BCM", "MemberNotified", pre_="PR.3"),
    ),
)  # fmt: skip
"""PR: restoration within two years of a 停止党籍（无法联系）."""

PX = procedure(
    "PX", "延长预备期", "Extend probation", ("[001] 二.4", "[004] task 4 (4)"), conflicts=("C6",),
    outcomes=("extend_probation",), approving_level=Level.C, applies_to=MemberScope.PROBATIONARY,
    start="CONTACTED (not `suspended`) or NORMAL; no earlier extension", column="C",
    notes=("The seeds give only the length; the bodies follow the usual probation decision (支部大会, then "
           "基层党委 approval) [inferred].",),
    steps=(
        step("PX.1", "支委会意见（充分正当理由）", "committee opinion with reasons", "B.cm:SEC",
             "CommitteeOpinionGiven", outcome="extend_probation",
             cond=("`extension_months` 6..12", "`grounds`: the stated reasons"), guards=(22, 24, 38)),
        step("PX.2", "支部大会讨论", "general meeting decides", "B.gm:SEC", "GeneralMeetingResolved",
             outcome="extend_probation", result="passed", pre_="PX.1", guards=(38,)),
        step("PX.3", "基层党委审批", "C approves", "C:CSEC", "Approved", outcome="extend_probation",
             pre_="PX.2 passed", mats="branch-resolution", guards=(38,), effect=True,
             notes="new end = add_months(old end, months), or from PX.3 when the old end has passed "
                   "(`expired_probation_extension_from`)"),
        step("PX.4", "通知本人", "notify the member", "B:SEC/BCM", "MemberNotified", pre_="PX.3"),
    ),
)  # fmt: skip
"""PX: probation extended once, by half a year to a year."""

PN = procedure(
    "PN", "不予承认党员资格", "Membership not recognised", ("[004] task 4 (5)", "[003] step 16"),
    outcomes=("not_recognised",), approving_level=Level.D_PLUS, applies_to=MemberScope.BOTH,
    start="any non-terminal state", column="K (contacted) or W with a flag (not contacted)",
    steps=(
        step("PN.0", "档案核查", "file check", "B:SEC/BST; C:CST", "ConductInvestigated",
             fixed={"check": "file_check", "finding": "file_defect"}, c=True,
             notes="the proof is the statement's `evidence`"),
        step("PN.1", "所在党组织提出意见", "branch proposal", "B.cm:SEC", "CommitteeOpinionGiven",
             outcome="not_recognised", pre_="PN.0", mats="writeup", guards=(22, 25)),
        step("PN.2", "基层党委审核", "C review", "C:CSEC", "Reviewed", fixed={"subject": "proposal"},
             result="agree", pre_="PN.1", mats="writeup"),
        step("PN.3", "县或县级以上组织部门批准", "county-or-higher department approves", "D+:ODL", "Approved",
             outcome="not_recognised", pre_="PN.2 agree", mats="writeup", effect=True),
    ),
)  # fmt: skip
"""PN: 不予承认 for irregular admission, missing admission papers or a false member."""
