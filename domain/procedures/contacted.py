"""Contacted members who stay (§4.2–§4.5): P1 纳入正常管理, P2 保留组织关系, P3 停止党籍（出国定居）,
P4 限期改正."""

from __future__ import annotations

from domain.levels import Level
from domain.procedures.build import guidance, procedure, step
from domain.procedures.model import MemberScope
from domain.procedures.search import INV_SIGNERS
from domain.procedures.switches import DropStep, SetChoices, Switch, When

FIRST_STEP_GUARDS = (21, 22, 24, 25)
"""Guards on the first path statement of P1 and P4: investigation complete, violations referred,
not suspended, ground established (§5.2)."""

P1 = procedure(
    "P1", "纳入党组织正常管理", "Normal management", ("[000] r1", "[001] 二.1"),
    outcomes=("normal_management",), approving_level=Level.C, applies_to=MemberScope.BOTH,
    start="CONTACTED, not `suspended`", column="C",
    notes=("A transfer (PT) or a 流动党员证 (PM) for a re-contacted member follows P1 from NORMAL "
           "[inferred].",),
    steps=(
        step("P1.0", "核实情况", "INV", INV_SIGNERS, "ConductInvestigated ViolationReferred",
             cond=("no unqualified_conduct or violation finding",), c=True),
        step("P1.0t", "谈话教育", "educational talk", "B:SEC/BCM", "TalkHeld", fixed={"kind": "education"},
             cond=("attitude ⊇ {recognises_problem, willing_to_participate}",), c=True),
        step("P1.1", "支委会研究同意", "committee agrees", "B.cm:SEC", "CommitteeOpinionGiven",
             outcome="normal_management", pre_="P1.0, P1.0t", guards=(*FIRST_STEP_GUARDS, 23)),
        step("P1.2", "党总支审核", "GB review", "GB:GBS", "Reviewed", fixed={"subject": "proposal"},
             result="agree", pre_="P1.1", opt=True, gb_for="P1.3"),
        step("P1.3", "基层党委审批", "C approves", "C:CSEC", "Approved", outcome="normal_management",
             pre_="P1.1", mats="recognition-form signed-application writeup", effect=True),
    ),
)  # fmt: skip
"""P1: back to normal management."""

P2 = procedure(
    "P2", "保留组织关系（保留党籍）", "Retain the relation", ("[000] r2", "[001] 二.3", "[004] task 3 (4)"),
    conflicts=("C2", "C12"), outcomes=("retain_relation",), approving_level=Level.C,
    filing_level=Level.D_PLUS,
    applies_to=MemberScope.BOTH, start="CONTACTED (not `suspended`) or NORMAL; abroad, not settled",
    column="D",
    notes=("While RETAINED organisational life is paused ([004]); on return: `TalkHeld` (return) + "
           "`OrganisationalLifeResumed` → NORMAL.",),
    steps=(
        step("P2.0", "本人填写申请表", "member's application form", "B:SEC/BST", "MaterialAttached",
             fixed={"form": "abroad-form"}, cond=("signed by the member",), mats="abroad-form", c=True),
        step("P2.1", "党支部初审", "branch initial review", "B.cm:SEC", "CommitteeOpinionGiven",
             outcome="retain_relation", fixed={"abroad.settled": False}, pre_="P2.0", mats="abroad-form",
             cond=("abroad.planned_months ≥ retention_min_abroad_months",), guards=(22, 24, 25, 26)),
        step("P2.2", "基层党委审批", "C approves", "C:CSEC", "Approved", outcome="retain_relation",
             pre_="P2.1", mats="abroad-form", effect=True),
        step("P2.3", "区级或以上组织部登记备案", "registered at county level or above", "D+:ODS/ODL", "Filed",
             fixed={"filed_kind": "retention"}, pre_="P2.2", mats="abroad-form"),
    ),
)  # fmt: skip
"""P2: the relation is retained while the member is abroad, not settled."""

P3 = procedure(
    "P3", "停止党籍（出国（境）定居）", "Suspension, settled abroad",
    ("[000] r3", "[001] 四.1", "[004] task 3 (5)"),
    conflicts=("C1",), outcomes=("suspend_abroad",), approving_level=Level.C, filing_level=Level.D_PLUS,
    applies_to=MemberScope.FULL, column="E (contacted) or U (not contacted)",
    start="CONTACTED (also `suspended`), RETAINED, or LOST_UNCONTACTABLE after P0.8 agree with an attested "
          "attempt whose result is settled_abroad_established",
    notes=("No restoration path leaves SUSPENDED_ABROAD: a returned member may apply to join again "
           "([004]).",),
    switches=(
        Switch((When("p3_general_meeting_required", False),), (DropStep("P3.2"),), "[C1]: [000] r3 only"),
    ),
    steps=(
        step("P3.1", "党支部初审", "branch initial review", "B.cm:SEC", "CommitteeOpinionGiven",
             outcome="suspend_abroad", fixed={"abroad.settled": True}, cond=("not contacted: guard 20",),
             mats="abroad-form@contacted writeup@not_contacted", guards=(20, 22, 25)),
        step("P3.2", "党员大会作出决定", "general meeting decides", "B.gm:SEC", "GeneralMeetingResolved",
             outcome="suspend_abroad", result="passed", pre_="P3.1"),
        step("P3.3", "基层党委审批", "C approves", "C:CSEC", "Approved", outcome="suspend_abroad",
             pre_="P3.2 passed", mats="abroad-form@contacted writeup@not_contacted branch-resolution@P3.2",
             effect=True),
        step("P3.4", "登记备案，关系和档案转县级组织部门",
             "filing; relation and file go to the county department", "D+:ODS/ODL", "Filed",
             fixed={"filed_kind": "suspension", "files_transferred": True}, pre_="P3.3",
             mats="committee-resolution"),
    ),
)  # fmt: skip
"""P3: suspension of a full member settled abroad."""

P4 = procedure(
    "P4", "限期改正", "Correct within a time limit", ("[000] r4", "[001] 三.1", "[001] 三.3"),
    conflicts=("C4", "C5"), outcomes=("correct_within_limit",), approving_level=Level.C,
    applies_to=MemberScope.FULL,
    start="CONTACTED, not `suspended`", column="F",
    notes=("After not_changed only P5 (ground no_change_after_correction) or P7 may start "
           "([000] r5 (2); [001] 三.2 (4)).",),
    switches=(
        Switch((When("p4_signature_excuses", "other", contains=True),),
               (SetChoices("P4.5", "reason", ("refused", "illness", "other")),), "[C5]"),
    ),
    steps=(
        step("P4.0", "核实情况 + 与本人谈话", "INV and talk", INV_SIGNERS,
             "ConductInvestigated ViolationReferred TalkHeld", fixed={"kind": "verification"},
             cond=("unqualified_conduct finding with criteria",
                   "attitude ⊇ {wants_to_stay, willing_to_correct}"), c=True),
        step("P4.1", "支委会初步处置意见", "committee's initial opinion", "B.cm:SEC", "CommitteeOpinionGiven",
             outcome="correct_within_limit", pre_="P4.0", mats="writeup", cond=("`correction_months`",),
             guards=(*FIRST_STEP_GUARDS, 36)),
        step("P4.2", "基层党委预审", "C pre-review", "C:CSEC", "PreReviewed", result="agree", pre_="P4.1",
             mats="writeup disposal-form", skip_bc=True),
        guidance("P4.3", "P4.4"),
        step("P4.4", "党员大会讨论表决", "general meeting votes", "B.gm:SEC", "GeneralMeetingResolved",
             outcome="correct_within_limit", result="passed", pre_="P4.2 agree", guards=(27, 36)),
        step("P4.5", "本人签字或注明", "member signs, or the refusal is noted", "B:SEC",
             "MemberSigned SignatureRefusalNoted", choices={"reason": ("refused", "illness")},
             pre_="P4.4 passed", guards=(34,), notes="the signed or annotated resolution is the `scan`"),
        step("P4.6", "基层党委研究审批", "C approves", "C:CSEC", "Approved", outcome="correct_within_limit",
             pre_="P4.3, P4.5", mats="disposal-form writeup branch-resolution", cond=("`correction_months`",),
             guards=(32, 33, 36), effect=True),
        step("P4.7", "通知本人", "notify the member", "B:SEC/BCM", "MemberNotified", pre_="P4.6"),
        step("P4.8", "以适当方式宣布", "announce suitably", "B:SEC", "Announced", pre_="P4.6", guards=(44,)),
        step("P4.9", "确定改正期限", "fix the correction period", "B:SEC", "CorrectionPeriodSet", pre_="P4.6",
             cond=("end = add_months(start, months)",), guards=(36,)),
        step("P4.10", "教育帮扶", "talks, training, pairing", "B:SEC/BCM/BST", "EducationSupportRecorded",
             cond=("CORRECTING",), c=True, rep=True),
        step("P4.11", "期满评估", "evaluation at the end", "B.cm:SEC", "CorrectionPeriodEnded",
             pre_="P4.9, P4.10", cond=("occurred_at ≥ end",), guards=(37,),
             notes="corrected: NORMAL (case closes); not_changed: CONTACTED"),
    ),
)  # fmt: skip
"""P4: 限期改正, with C pre-review and approval."""
